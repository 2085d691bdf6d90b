package dev.abo.inference;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

import dev.abo.core.detect.Detection;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import dev.abo.proto.detection.v1.DetectRequest;
import dev.abo.proto.detection.v1.DetectResponse;
import dev.abo.proto.detection.v1.DetectionServiceGrpc;
import dev.abo.proto.detection.v1.GetModelRequest;
import dev.abo.proto.detection.v1.GetModelResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * {@code detection.v1.DetectionService} over a {@link ModelHolder}.
 *
 * <p>A request is admitted on the gRPC thread (in-flight limit, argument checks, a model to answer with;
 * the server runs handlers directly on its transport threads, see {@link InferenceServer}), then runs and is
 * answered on the {@code inference} executor, whose threads each hold their own network clone. No handler
 * blocks. Status codes: INVALID_ARGUMENT for an empty or undecodable image, a score threshold outside [0, 1] or
 * max_detections 0 or above {@value LoadedModel#MAX_DETECTIONS}; RESOURCE_EXHAUSTED above the in-flight limit;
 * DEADLINE_EXCEEDED when the caller's deadline has passed before the forward pass (it is then skipped);
 * UNAVAILABLE while no model is loaded. DetectStream answers in order and ends with the first error.
 */
public final class DetectionServiceImpl extends DetectionServiceGrpc.DetectionServiceImplBase {

    public static final String DETECT = "Detect";
    public static final String DETECT_STREAM = "DetectStream";
    public static final String GET_MODEL = "GetModel";

    /** Defaults and limits of a request. */
    public record Limits(int maxInFlight, double defaultScoreThreshold, int defaultMaxDetections) {
        public Limits {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
            }
        }

        public static Limits of(InferenceConfig c) {
            return new Limits(c.maxInFlight(), c.defaultScoreThreshold(), c.defaultMaxDetections());
        }
    }

    private final ModelHolder models;
    private final Executor inference;
    private final InferenceMetrics metrics;
    private final Limits limits;
    private final Semaphore admitted;

    public DetectionServiceImpl(ModelHolder models, Executor inference, InferenceMetrics metrics, Limits limits) {
        this.models = models;
        this.inference = inference;
        this.metrics = metrics;
        this.limits = limits;
        this.admitted = new Semaphore(limits.maxInFlight());
    }

    /** Requests admitted and not yet answered. */
    public int inFlight() {
        return limits.maxInFlight() - admitted.availablePermits();
    }

    @Override
    public void detect(DetectRequest request, StreamObserver<DetectResponse> responses) {
        long start = System.nanoTime();
        if (responses instanceof ServerCallStreamObserver<DetectResponse> call) {
            call.setOnCancelHandler(() -> { });
        }
        submit(request, Context.current()).whenComplete((response, error) -> {
            if (error == null) {
                answer(DETECT, Status.Code.OK, start);
                responses.onNext(response);
                responses.onCompleted();
            } else {
                StatusException e = status(error);
                answer(DETECT, e.getStatus().getCode(), start);
                responses.onError(e);
            }
        });
    }

    @Override
    public StreamObserver<DetectRequest> detectStream(StreamObserver<DetectResponse> responses) {
        return new FrameStream(Context.current(), (ServerCallStreamObserver<DetectResponse>) responses);
    }

    /**
     * One DetectStream call: frames are requested one at a time (the next only after the previous answer is
     * sent), so the handler never blocks its thread and a fast sender is held back by flow control. The
     * request side runs on the transport thread, answers on the worker that ran the frame: both under this
     * object's lock.
     */
    private final class FrameStream implements StreamObserver<DetectRequest> {
        private final Context context;
        private final ServerCallStreamObserver<DetectResponse> responses;
        private boolean busy;
        private boolean halfClosed;
        private boolean ended;

        FrameStream(Context context, ServerCallStreamObserver<DetectResponse> responses) {
            this.context = context;
            this.responses = responses;
            responses.disableAutoRequest();
            responses.setOnCancelHandler(this::cancelled);
            responses.request(1);
        }

        @Override
        public synchronized void onNext(DetectRequest request) {
            if (ended) {
                return;
            }
            busy = true;
            long start = System.nanoTime();
            submit(request, context).whenComplete((response, error) -> answered(response, error, start));
        }

        private synchronized void answered(DetectResponse response, Throwable error, long start) {
            busy = false;
            if (ended) {
                return;
            }
            if (error != null) {
                StatusException e = status(error);
                ended = true;
                answer(DETECT_STREAM, e.getStatus().getCode(), start);
                responses.onError(e);
                return;
            }
            answer(DETECT_STREAM, Status.Code.OK, start);
            responses.onNext(response);
            if (halfClosed) {
                ended = true;
                responses.onCompleted();
            } else {
                responses.request(1);
            }
        }

        private synchronized void cancelled() {
            ended = true;
        }

        @Override
        public synchronized void onError(Throwable t) {
            ended = true;
        }

        @Override
        public synchronized void onCompleted() {
            halfClosed = true;
            if (!busy && !ended) {
                ended = true;
                responses.onCompleted();
            }
        }
    }

    @Override
    public void getModel(GetModelRequest request, StreamObserver<GetModelResponse> responses) {
        long start = System.nanoTime();
        LoadedModel model = models.current().orElse(null);
        if (model == null) {
            answer(GET_MODEL, Status.Code.UNAVAILABLE, start);
            responses.onError(noModel().asException());
            return;
        }
        GetModelResponse.Builder b = GetModelResponse.newBuilder().setModelName(model.name()).setModelVersion(model.version())
                .setInputWidthPx(model.inputSize()).setInputHeightPx(model.inputSize()).addAllClassNames(model.classNames());
        model.anchors().shapes().forEach(s -> b.addAnchorWidthsPx(s.w()).addAnchorHeightsPx(s.h()));
        answer(GET_MODEL, Status.Code.OK, start);
        responses.onNext(b.build());
        responses.onCompleted();
    }

    /** Admits and runs one request; the future fails with a {@link StatusException}. */
    private CompletableFuture<DetectResponse> submit(DetectRequest request, Context context) {
        if (!admitted.tryAcquire()) {
            return CompletableFuture.failedFuture(Status.RESOURCE_EXHAUSTED.withDescription("too many requests in flight: the limit is "
                    + limits.maxInFlight() + " (ABO_INFERENCE_MAX_IN_FLIGHT); retry with backoff").asException());
        }
        CompletableFuture<DetectResponse> result;
        try {
            long admittedAt = System.nanoTime();
            Admitted a = admit(request);
            result = CompletableFuture.supplyAsync(() -> run(a, request, context.getDeadline(), admittedAt), inference);
        } catch (StatusException e) {
            result = CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((r, e) -> admitted.release());
    }

    private record Admitted(LoadedModel model, double scoreThreshold, int maxDetections) {
    }

    private Admitted admit(DetectRequest request) throws StatusException {
        if (request.getImage().isEmpty()) {
            throw Status.INVALID_ARGUMENT.withDescription("image is empty: send the encoded JPEG or PNG bytes").asException();
        }
        double threshold = limits.defaultScoreThreshold();
        if (request.hasScoreThreshold()) {
            threshold = request.getScoreThreshold();
            if (!(threshold >= 0 && threshold <= 1)) {
                throw Status.INVALID_ARGUMENT.withDescription("score_threshold must be in [0, 1], got " + request.getScoreThreshold())
                        .asException();
            }
        }
        int max = limits.defaultMaxDetections();
        if (request.hasMaxDetections()) {
            long m = Integer.toUnsignedLong(request.getMaxDetections());
            if (m < 1 || m > LoadedModel.MAX_DETECTIONS) {
                throw Status.INVALID_ARGUMENT.withDescription("max_detections must be in [1, " + LoadedModel.MAX_DETECTIONS
                        + "], got " + m).asException();
            }
            max = (int) m;
        }
        LoadedModel model = models.current().orElseThrow(() -> noModel().asException());
        return new Admitted(model, threshold, max);
    }

    private DetectResponse run(Admitted a, DetectRequest request, Deadline deadline, long start) {
        RgbImage image;
        try {
            image = ImageCodec.decode(request.getImage().toByteArray());
        } catch (IOException | RuntimeException e) {
            throw Status.INVALID_ARGUMENT.withDescription("image cannot be decoded as JPEG or PNG (" + request.getImage().size()
                    + " bytes)").asRuntimeException();
        }
        if (deadline != null && deadline.isExpired()) {
            throw Status.DEADLINE_EXCEEDED.withDescription("the deadline passed while the request waited; inference skipped")
                    .asRuntimeException();
        }
        List<Detection> detections = a.model().detect(image, a.scoreThreshold(), a.maxDetections());
        metrics.forwardPass();
        DetectResponse.Builder b = DetectResponse.newBuilder().setModelName(a.model().name()).setModelVersion(a.model().version())
                .setRequestId(request.getRequestId()).setImageWidthPx(image.width()).setImageHeightPx(image.height());
        for (Detection d : detections) {
            b.addDetections(dev.abo.proto.detection.v1.Detection.newBuilder()
                    .setX1Px((float) d.box().x1()).setY1Px((float) d.box().y1())
                    .setX2Px((float) d.box().x2()).setY2Px((float) d.box().y2())
                    .setScore((float) d.score()).setClassId(d.classId()).setClassName(a.model().classNames().get(d.classId())));
        }
        return b.setServerLatencyUs((System.nanoTime() - start) / 1000).build();
    }

    private static Status noModel() {
        return Status.UNAVAILABLE.withDescription("no model is loaded yet: waiting for a promoted snapshot");
    }

    private static StatusException status(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof StatusException e) {
            return e;
        }
        if (c instanceof io.grpc.StatusRuntimeException e) {
            return e.getStatus().asException(e.getTrailers());
        }
        return Status.INTERNAL.withDescription("inference failed: " + c).withCause(c).asException();
    }

    private void answer(String method, Status.Code code, long startNanos) {
        metrics.answered(method, code, Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
