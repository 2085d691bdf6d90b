package dev.abo.loader;

import dev.abo.core.augment.DefaultScaling;
import dev.abo.core.augment.Scaling;
import dev.abo.core.data.DatasetSpec;
import dev.abo.core.synth.SyntheticDatasets;
import java.nio.file.Path;

/**
 * Where a loader's images come from ({@code ABO_SOURCE}): {@code dataset:<voc:|coco:|idl:...>} (files
 * on disk, endless epochs), {@code synthetic:heads} / {@code synthetic:mixed} (generated scenes),
 * {@code camera:drift} (a still camera whose scene changes from mixed objects to heads) or
 * {@code watch:DIR} (frames a user drops into a folder).
 */
public sealed interface SourceSpec {

    /** The valid forms, for messages. */
    String FORMS = "dataset:<" + DatasetSpec.FORMS + ">, " + String.join(", ", SyntheticDatasets.NAMES)
            + ", camera:drift, watch:DIR";

    /**
     * The training crop's scaling when {@code ABO_SCALING} is unset, by {@link DefaultScaling} (the rule
     * {@code abo train} follows too): {@link Scaling#FIT} for a still camera (no random scaling, paper Sec. 4.2.3,
     * at the held-out frames' scale), {@link Scaling#RANDOM} for a collection of photos (paper Sec. 4.1).
     */
    Scaling defaultScaling();

    /**
     * A dataset read once, then sampled in shuffled epochs: {@code voc:} and {@code coco:} photos scaled at
     * random as YOLOv2 does, an {@code idl:} still camera (Brainwash) fitted (as {@code abo train}).
     */
    record Dataset(DatasetSpec spec) implements SourceSpec {
        @Override
        public Scaling defaultScaling() {
            return DefaultScaling.of(spec);
        }
    }

    /**
     * A synthetic scene generator by its CLI name: {@code synthetic:heads} is a still camera (fit),
     * {@code synthetic:mixed} scenes of objects at any scale (random), the choices {@code abo train} makes.
     */
    record Synthetic(String name) implements SourceSpec {
        @Override
        public Scaling defaultScaling() {
            return DefaultScaling.ofSynthetic(name);
        }
    }

    /** {@code synthetic:mixed} scenes, then {@code synthetic:heads} from a configured frame on; a still camera (fit). */
    record CameraDrift() implements SourceSpec {
        @Override
        public Scaling defaultScaling() {
            return DefaultScaling.STILL_CAMERA;
        }
    }

    /** A folder watched for new annotated frames, of a still camera (fit). */
    record Watch(Path dir) implements SourceSpec {
        @Override
        public Scaling defaultScaling() {
            return DefaultScaling.STILL_CAMERA;
        }
    }

    /**
     * Parses {@code ABO_SOURCE}.
     *
     * @throws IllegalArgumentException listing the valid forms (or the dataset parser's reason)
     */
    static SourceSpec parse(String text) {
        if (text.startsWith("dataset:")) {
            return new Dataset(DatasetSpec.parse(text.substring("dataset:".length())));
        }
        if (SyntheticDatasets.NAMES.contains(text)) {
            return new Synthetic(text);
        }
        if (text.equals("camera:drift")) {
            return new CameraDrift();
        }
        if (text.startsWith("watch:") && text.length() > "watch:".length()) {
            return new Watch(Path.of(text.substring("watch:".length())));
        }
        throw new IllegalArgumentException("bad source '" + text + "', expected one of: " + FORMS);
    }
}
