package dev.abo.loader;

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

    /** A dataset read once, then sampled in shuffled epochs. */
    record Dataset(DatasetSpec spec) implements SourceSpec {
    }

    /** A synthetic scene generator by its CLI name. */
    record Synthetic(String name) implements SourceSpec {
    }

    /** {@code synthetic:mixed} scenes, then {@code synthetic:heads} from a configured frame on. */
    record CameraDrift() implements SourceSpec {
    }

    /** A folder watched for new annotated frames. */
    record Watch(Path dir) implements SourceSpec {
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
