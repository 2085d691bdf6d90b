package dev.abo.detector.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import dev.abo.core.data.LabeledObject;
import dev.abo.core.image.RgbImage;
import dev.abo.core.sample.SampleSource;
import dev.abo.core.sample.TrainingSample;
import dev.abo.detector.DetectorGraph;
import dev.abo.detector.InputEncoder;
import dev.abo.detector.LabelEncoder;
import dev.abo.detector.LossSchedule;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Prepares the batches of steps {@code [from, to)} on one background thread, up to {@code depth} ahead,
 * so that reading, augmenting and encoding overlap the network's fit. Step {@code s} holds samples
 * {@code s * batch + j} of the source, so the batches are the same whether prepared here or anywhere
 * else. {@link #next} reports how long the caller waited.
 */
public final class BatchPrefetcher implements AutoCloseable {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private long waitNanos;

    public BatchPrefetcher(SampleSource source, TrainingConfig config, long from, long to, int depth) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, depth));
        LabelEncoder labels = new LabelEncoder(config.detector());
        DataType dt = DetectorGraph.dataType(config.detector());
        this.thread = new Thread(() -> {
            try {
                for (long step = from; step < to; step++) {
                    queue.put(prepare(source, config, labels, dt, step));
                }
                queue.put(END);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | IOException e) {
                try {
                    queue.put(e);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "abo-batch-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    /** The batch of {@code step} (synchronously, on the calling thread). */
    public static PreparedBatch prepare(SampleSource source, TrainingConfig config, LabelEncoder encoder, DataType dt,
                                        long step) throws IOException {
        long t0 = System.nanoTime();
        int b = config.batch();
        List<RgbImage> images = new ArrayList<>(b);
        List<List<LabeledObject>> objects = new ArrayList<>(b);
        int count = 0;
        for (int j = 0; j < b; j++) {
            TrainingSample s = source.sample(step * b + j);
            images.add(s.image());
            objects.add(s.objects());
            count += s.objects().size();
        }
        LossSchedule schedule = LossSchedule.at(config.warmup(), step, config.detector());
        LabelEncoder.Encoded enc = encoder.encode(objects, schedule, dt);
        return new PreparedBatch(step, InputEncoder.encode(images, config.detector().inputSize(), dt), enc.labels(),
                count, enc.dropped(), enc.ignored(), System.nanoTime() - t0);
    }

    /** The next batch; blocks until it is ready. */
    public PreparedBatch next() {
        long t0 = System.nanoTime();
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for training data", e);
        } finally {
            waitNanos += System.nanoTime() - t0;
        }
        if (o instanceof PreparedBatch b) {
            return b;
        }
        if (o instanceof IOException e) {
            throw new UncheckedIOException("reading training samples failed: " + e.getMessage(), e);
        }
        if (o instanceof RuntimeException e) {
            throw e;
        }
        throw new IllegalStateException("no more batches: the prefetcher's range is exhausted");
    }

    /** Total time {@link #next} waited, nanoseconds. */
    public long waitNanos() {
        return waitNanos;
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
