package dev.abo.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.google.protobuf.ByteString;
import dev.abo.proto.detection.v1.DetectRequest;
import dev.abo.proto.detection.v1.DetectResponse;
import dev.abo.proto.detection.v1.DetectionServiceGrpc;
import io.grpc.StatusRuntimeException;

/**
 * A client that sends one {@code Detect} after another (with a pause between them, so it does not starve the
 * trainer of CPU) until stopped, and records every failure and the model versions that answered, in order.
 */
final class DetectLoop implements AutoCloseable {

    /** What the loop saw. */
    record Result(long ok, List<String> failures, List<Long> versionsInOrder) {
    }

    private final Supplier<DetectionServiceGrpc.DetectionServiceBlockingStub> stubs;
    private final byte[] image;
    private final Duration pause;
    private final List<String> failures = new ArrayList<>();
    private final Set<Long> versions = new LinkedHashSet<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long ok;

    DetectLoop(Supplier<DetectionServiceGrpc.DetectionServiceBlockingStub> stubs, byte[] image, Duration pause) {
        this.stubs = stubs;
        this.image = image;
        this.pause = pause;
        this.thread = new Thread(this::loop, "e2e-detect-loop");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        DetectRequest request = DetectRequest.newBuilder().setImage(ByteString.copyFrom(image)).build();
        for (long n = 0; running; n++) {
            try {
                DetectResponse r = stubs.get().withDeadlineAfter(10, TimeUnit.SECONDS)
                        .detect(request.toBuilder().setRequestId("loop-" + n).build());
                synchronized (this) {
                    ok++;
                    versions.add(r.getModelVersion());
                }
            } catch (StatusRuntimeException e) {
                synchronized (this) {
                    failures.add("request " + n + ": " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
                }
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    synchronized long okCount() {
        return ok;
    }

    synchronized List<Long> versionsSoFar() {
        return List.copyOf(versions);
    }

    /** Stops after the request in progress and returns what was seen. */
    Result stop() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return new Result(ok, List.copyOf(failures), List.copyOf(versions));
        }
    }

    @Override
    public void close() {
        stop();
    }
}
