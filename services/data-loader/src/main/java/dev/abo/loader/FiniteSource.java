package dev.abo.loader;

import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.TrainingSample;
import java.io.IOException;
import java.util.List;

/** The first {@code count} samples of an endless source, as a source of one epoch. */
final class FiniteSource implements SampleSource {
    private final SampleSource inner;
    private final long count;

    FiniteSource(SampleSource inner, long count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        this.inner = inner;
        this.count = count;
    }

    @Override
    public List<String> classNames() {
        return inner.classNames();
    }

    @Override
    public int inputWidth() {
        return inner.inputWidth();
    }

    @Override
    public int inputHeight() {
        return inner.inputHeight();
    }

    @Override
    public TrainingSample sample(long index) throws IOException {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("sample index must be in 0.." + (count - 1) + ", got " + index);
        }
        return inner.sample(index);
    }

    @Override
    public long epochLength() {
        return count;
    }
}
