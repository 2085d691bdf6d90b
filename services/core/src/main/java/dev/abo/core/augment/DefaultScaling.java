package dev.abo.core.augment;

import dev.abo.core.data.DatasetSpec;
import dev.abo.core.synth.HeadsScenes;
import dev.abo.core.synth.SyntheticDatasets;

/**
 * The training crop's scaling when none is configured, by the kind of source: the one rule that
 * {@code abo train} (cli {@code TrainingData}) and the data-loader ({@code SourceSpec}) both follow.
 *
 * <p>Held-out frames are the whole frame stretched to the input ({@link Stretch}), as inference sees them, so
 * training crops must show objects at that size. A still camera ({@code idl:} files, Brainwash's format;
 * {@code synthetic:heads}, the Brainwash stand-in; the loader's camera and watched folder) is trained without
 * random scaling, as the paper trains Brainwash (Sec. 4.2.3), at the held-out frames' scale:
 * {@link #STILL_CAMERA}. A collection of photos ({@code voc:}, {@code coco:}, {@code synthetic:mixed}) gets
 * YOLOv2's random scaling (Sec. 4.1), whose median window is the whole frame: {@link #PHOTOS}. Never
 * {@link Scaling#NONE}: it crops at one source pixel per input pixel, so objects are larger than in the
 * held-out frames unless the input is the frame's own size.
 */
public final class DefaultScaling {
    /** A still camera's scaling: the whole frame, shifted by the jitter, stretched to the input. */
    public static final Scaling STILL_CAMERA = Scaling.FIT;
    /** A photo collection's scaling: YOLOv2's random window. */
    public static final Scaling PHOTOS = Scaling.RANDOM;

    private DefaultScaling() {
    }

    /** {@link #STILL_CAMERA} for an {@code idl:} file, {@link #PHOTOS} for {@code voc:} and {@code coco:}. */
    public static Scaling of(DatasetSpec spec) {
        return spec instanceof DatasetSpec.Idl ? STILL_CAMERA : PHOTOS;
    }

    /** {@link #STILL_CAMERA} for {@code synthetic:heads}, {@link #PHOTOS} for the other synthetic names. */
    public static Scaling ofSynthetic(String name) {
        return HeadsScenes.NAME.equals(name) ? STILL_CAMERA : PHOTOS;
    }

    /**
     * The default for a CLI dataset argument: a synthetic name or a {@link DatasetSpec}.
     *
     * @throws IllegalArgumentException if {@code spec} is neither
     */
    public static Scaling of(String spec) {
        if (SyntheticDatasets.isSynthetic(spec)) {
            if (!SyntheticDatasets.NAMES.contains(spec)) {
                throw new IllegalArgumentException("unknown synthetic dataset '" + spec + "'; valid names: "
                        + String.join(", ", SyntheticDatasets.NAMES));
            }
            return ofSynthetic(spec);
        }
        return of(DatasetSpec.parse(spec));
    }
}
