package dev.abo.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.google.protobuf.ByteString;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.synth.SceneGenerator;
import dev.abo.proto.detection.v1.DetectRequest;
import dev.abo.proto.detection.v1.DetectResponse;
import dev.abo.proto.detection.v1.DetectionServiceGrpc;
import dev.abo.proto.detection.v1.GetModelRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;

/**
 * A client of the inference service over real gRPC on loopback: once {@code GetModel} answers (a model is served),
 * it calls {@code Detect} every {@code interval} with a camera frame (320x240 JPEG, as a camera would send it) of
 * the scene the camera shows now, and counts what came back: answers per model version, failures per status code,
 * latencies. Before the first model it only asks {@code GetModel} (UNAVAILABLE then is expected, not a failure).
 */
final class DetectProbe implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final int FRAMES_PER_SCENE = 4;
    /** Frames far beyond anything the camera loader sends in a demo. */
    private static final long FRAME_OFFSET = 5_000_000_000_000L;

    private final ManagedChannel channel;
    private final DetectionServiceGrpc.DetectionServiceBlockingStub stub;
    private final List<ByteString> before;
    private final List<ByteString> after;
    private final Duration interval;
    private final Consumer<String> events;
    private final Thread thread;
    private final TreeMap<Long, Long> servedByVersion = new TreeMap<>();
    private final TreeMap<String, Long> failedByCode = new TreeMap<>();
    private final List<Double> latenciesMs = new ArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean drifted;
    private long lastVersion = -1;

    /**
     * @param beforeDrift the camera's scenes before the drift (frames are taken from it)
     * @param afterDrift  the camera's scenes after it
     */
    DetectProbe(int port, SceneGenerator beforeDrift, SceneGenerator afterDrift, Duration interval, Consumer<String> events) {
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        this.stub = DetectionServiceGrpc.newBlockingStub(channel);
        this.before = frames(beforeDrift);
        this.after = frames(afterDrift);
        this.interval = interval;
        this.events = events;
        this.thread = new Thread(this::loop, "demo-detect-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private static List<ByteString> frames(SceneGenerator scenes) {
        List<ByteString> out = new ArrayList<>();
        for (int i = 0; i < FRAMES_PER_SCENE; i++) {
            out.add(ByteString.copyFrom(ImageCodec.encode(scenes.scene(FRAME_OFFSET + i).image(), ImageCodec.Format.JPEG, 0.9f)));
        }
        return out;
    }

    /** From now on frames of the drifted scene are sent. */
    void drifted() {
        drifted = true;
    }

    private void loop() {
        long n = 0;
        boolean serving = false;
        try {
            while (!stop.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                if (!serving) {
                    serving = modelServed();
                } else {
                    List<ByteString> frames = drifted ? after : before;
                    detect(frames.get((int) (n % frames.size())), n);
                    n++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean modelServed() {
        try {
            stub.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).getModel(GetModelRequest.getDefaultInstance());
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                events.accept("inference: GetModel failed: " + e.getStatus());
            }
            return false;
        }
    }

    private void detect(ByteString image, long n) {
        long t0 = System.nanoTime();
        try {
            DetectResponse r = stub.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).detect(DetectRequest.newBuilder()
                    .setImage(image).setRequestId("demo-" + n).build());
            double ms = (System.nanoTime() - t0) / 1e6;
            boolean newVersion;
            synchronized (this) {
                servedByVersion.merge(r.getModelVersion(), 1L, Long::sum);
                latenciesMs.add(ms);
                newVersion = r.getModelVersion() != lastVersion;
                lastVersion = r.getModelVersion();
            }
            if (newVersion) {
                events.accept(String.format(Locale.ROOT, "inference: Detect answered by %s v%d (%d boxes, %.0f ms)",
                        r.getModelName(), r.getModelVersion(), r.getDetectionsCount(), ms));
            }
        } catch (StatusRuntimeException e) {
            synchronized (this) {
                failedByCode.merge(e.getStatus().getCode().name(), 1L, Long::sum);
            }
            events.accept("inference: Detect failed: " + e.getStatus());
        }
    }

    synchronized TreeMap<Long, Long> servedByVersion() {
        return new TreeMap<>(servedByVersion);
    }

    synchronized TreeMap<String, Long> failedByCode() {
        return new TreeMap<>(failedByCode);
    }

    synchronized long served() {
        return servedByVersion.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized long failed() {
        return failedByCode.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The {@code q}-quantile (nearest rank) of the answered calls' latency, ms; NaN before any. */
    synchronized double latencyMs(double q) {
        if (latenciesMs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = latenciesMs.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }

    @Override
    public void close() {
        stop.countDown();          // a call in progress finishes (no interrupt: it would count as CANCELLED)
        try {
            thread.join(DEADLINE.toMillis() + 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
