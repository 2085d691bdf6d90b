package dev.abo.core.sample;

import java.io.IOException;
import java.util.List;

/**
 * An endless, replayable stream of training samples: sample {@code i} is a pure function of the
 * source's seed and {@code i}, so any loader replica, a restarted trainer or a test can regenerate
 * exactly the same sample without producing the ones before it.
 */
public interface SampleSource {

    /** Class names; {@code LabeledObject.classId} indexes this list. */
    List<String> classNames();

    /** Network input width in pixels. */
    int inputWidth();

    /** Network input height in pixels. */
    int inputHeight();

    /** Sample number {@code index} (>= 0). */
    TrainingSample sample(long index) throws IOException;

    /** Number of distinct underlying images (one epoch), or -1 for an unbounded generator. */
    long epochLength();
}
