package dev.abo.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import dev.abo.proto.detection.v1.DetectRequest;
import dev.abo.proto.detection.v1.DetectResponse;
import dev.abo.proto.detection.v1.DetectionServiceGrpc;
import dev.abo.proto.detection.v1.GetModelRequest;
import dev.abo.proto.detection.v1.GetModelResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over real loopback TCP with the hand-built detector of {@link TestModels}. */
class DetectionServerIT {
    @TempDir
    static Path dir;
    static LoadedModel model;
    static InferenceMetrics metrics;
    static InferenceServer server;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        model = TestModels.load(dir, "tiny", 7, 16);
        metrics = TestServers.metrics();
        ModelHolder holder = new ModelHolder();
        holder.swap(model);
        server = TestServers.start(TestServers.config(Map.of()), holder, metrics);
        channel = TestServers.channel(server);
    }

    @AfterAll
    static void stop() throws Exception {
        TestServers.close(channel);
        server.close();
    }

    static DetectionServiceGrpc.DetectionServiceBlockingStub stub() {
        return DetectionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    static DetectRequest.Builder request() {
        return DetectRequest.newBuilder().setImage(ByteString.copyFrom(TestModels.image64x48())).setRequestId("frame-1");
    }

    @Test
    void detectAnswersTheHandDerivedBoxesInOriginalPixels() {
        DetectResponse r = stub().detect(request().build());
        // anchor 16 px: (0,0,32,24) (32,0,64,24) (0,24,32,48) (32,24,64,48), score 0.5 (see TestModels)
        assertThat(r.getDetectionsList()).containsExactlyElementsOf(TestModels.expected64x48(16));
        assertThat(r.getDetections(1).getX1Px()).isEqualTo(32f);
        assertThat(r.getDetections(2).getY1Px()).isEqualTo(24f);
        assertThat(r.getModelName()).isEqualTo("tiny");
        assertThat(r.getModelVersion()).isEqualTo(7);
        assertThat(r.getRequestId()).isEqualTo("frame-1");
        assertThat(r.getImageWidthPx()).isEqualTo(64);
        assertThat(r.getImageHeightPx()).isEqualTo(48);
        assertThat(r.getServerLatencyUs()).isPositive();
    }

    @Test
    void thresholdAndLimitApply() {
        assertThat(stub().detect(request().setScoreThreshold(0.5f).build()).getDetectionsCount()).isEqualTo(4);
        assertThat(stub().detect(request().setScoreThreshold(0.51f).build()).getDetectionsCount()).isZero();
        assertThat(stub().detect(request().setMaxDetections(2).build()).getDetectionsList())
                .containsExactlyElementsOf(TestModels.expected64x48(16).subList(0, 2));
    }

    @Test
    void invalidArgumentsAreRefusedWithTheirReason() {
        assertError(DetectRequest.newBuilder().build(), Status.Code.INVALID_ARGUMENT,
                "image is empty: send the encoded JPEG or PNG bytes");
        assertError(DetectRequest.newBuilder().setImage(ByteString.copyFromUtf8("not an image")).build(),
                Status.Code.INVALID_ARGUMENT, "image cannot be decoded as JPEG or PNG (12 bytes)");
        assertError(request().setScoreThreshold(1.5f).build(), Status.Code.INVALID_ARGUMENT,
                "score_threshold must be in [0, 1], got 1.5");
        assertError(request().setScoreThreshold(-0.25f).build(), Status.Code.INVALID_ARGUMENT,
                "score_threshold must be in [0, 1], got -0.25");
        assertError(request().setMaxDetections(0).build(), Status.Code.INVALID_ARGUMENT,
                "max_detections must be in [1, 1000], got 0");
        assertError(request().setMaxDetections(1001).build(), Status.Code.INVALID_ARGUMENT,
                "max_detections must be in [1, 1000], got 1001");
        assertThat(metrics.requests(DetectionServiceImpl.DETECT, Status.Code.INVALID_ARGUMENT)).isGreaterThanOrEqualTo(6);
    }

    static void assertError(DetectRequest request, Status.Code code, String message) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub().detect(request));
        assertThat(e.getStatus().getCode()).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).isEqualTo(message);
    }

    @Test
    void getModelDescribesTheServedSnapshot() {
        GetModelResponse m = DetectionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .getModel(GetModelRequest.getDefaultInstance());
        assertThat(m.getModelName()).isEqualTo("tiny");
        assertThat(m.getModelVersion()).isEqualTo(7);
        assertThat(m.getAnchorWidthsPxList()).hasSize(1);
        assertThat(m.getAnchorWidthsPx(0)).isCloseTo(16.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(m.getAnchorHeightsPx(0)).isCloseTo(16.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(m.getInputWidthPx()).isEqualTo(32);
        assertThat(m.getInputHeightPx()).isEqualTo(32);
        assertThat(m.getClassNamesList()).containsExactly("thing");
    }

    @Test
    void streamAnswersEveryFrameInOrder() throws Exception {
        List<DetectResponse> got = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] error = new Throwable[1];
        StreamObserver<DetectRequest> requests = DetectionServiceGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .detectStream(new StreamObserver<>() {
                    @Override
                    public void onNext(DetectResponse r) {
                        synchronized (got) {
                            got.add(r);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        error[0] = t;
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        for (int i = 1; i <= 5; i++) {
            requests.onNext(request().setRequestId("f" + i).setMaxDetections(i <= 4 ? i : 300).build());
        }
        requests.onCompleted();
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(error[0]).isNull();
        assertThat(got).extracting(DetectResponse::getRequestId).containsExactly("f1", "f2", "f3", "f4", "f5");
        assertThat(got).extracting(DetectResponse::getDetectionsCount).containsExactly(1, 2, 3, 4, 4);
    }

    @Test
    void streamEndsWithTheFirstErrorAndAnswersNothingAfterIt() throws Exception {
        List<String> got = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] error = new Throwable[1];
        long okBefore = metrics.requests(DetectionServiceImpl.DETECT_STREAM, Status.Code.OK);
        StreamObserver<DetectRequest> requests = DetectionServiceGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .detectStream(new StreamObserver<>() {
                    @Override
                    public void onNext(DetectResponse r) {
                        synchronized (got) {
                            got.add(r.getRequestId());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        error[0] = t;
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        requests.onNext(request().setRequestId("g1").build());
        requests.onNext(request().setRequestId("g2").setScoreThreshold(1.5f).build());
        requests.onNext(request().setRequestId("g3").build());
        requests.onCompleted();
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();

        assertThat(got).containsExactly("g1");
        assertThat(error[0]).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) error[0]).getStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).isEqualTo("score_threshold must be in [0, 1], got 1.5");
        assertThat(metrics.requests(DetectionServiceImpl.DETECT_STREAM, Status.Code.OK)).isEqualTo(okBefore + 1);
        assertThat(server.service().inFlight()).isZero();
    }

    @Test
    void healthIsNotServingUntilAModelIsLoadedAndUnavailableIsAnswered() throws Exception {
        ModelHolder empty = new ModelHolder();
        try (InferenceServer s = TestServers.start(TestServers.config(Map.of()), empty, TestServers.metrics())) {
            ManagedChannel c = TestServers.channel(s);
            try {
                assertThat(TestServers.health(c, "")).isEqualTo(ServingStatus.NOT_SERVING);
                assertThat(TestServers.health(c, DetectionServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.NOT_SERVING);
                StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> DetectionServiceGrpc
                        .newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS).detect(request().build()));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription()).isEqualTo("no model is loaded yet: waiting for a promoted snapshot");
                StatusRuntimeException g = catchThrowableOfType(StatusRuntimeException.class, () -> DetectionServiceGrpc
                        .newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS).getModel(GetModelRequest.getDefaultInstance()));
                assertThat(g.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

                empty.swap(model);
                assertThat(TestServers.health(c, "")).isEqualTo(ServingStatus.SERVING);
                assertThat(TestServers.health(c, DetectionServiceGrpc.SERVICE_NAME)).isEqualTo(ServingStatus.SERVING);
                assertThat(DetectionServiceGrpc.newBlockingStub(c).withDeadlineAfter(30, TimeUnit.SECONDS).detect(request().build())
                        .getModelVersion()).isEqualTo(7);
            } finally {
                TestServers.close(c);
            }
        }
    }

    /** A one-thread worker pool that holds every task until {@code gate} opens. */
    static ThreadPoolExecutor gated(CountDownLatch gate) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    @Test
    void aRequestAboveTheInFlightLimitIsRefused() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ModelHolder holder = new ModelHolder();
        holder.swap(model);
        InferenceMetrics m = TestServers.metrics();
        try (InferenceServer s = TestServers.start(TestServers.config(Map.of("ABO_INFERENCE_MAX_IN_FLIGHT", "1")), holder, m, gated(gate))) {
            ManagedChannel c = TestServers.channel(s);
            try {
                var first = DetectionServiceGrpc.newFutureStub(c).withDeadlineAfter(60, TimeUnit.SECONDS).detect(request().build());
                TestServers.await("the first request to be admitted", () -> s.service().inFlight() == 1);
                StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> DetectionServiceGrpc
                        .newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS).detect(request().build()));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().getDescription())
                        .isEqualTo("too many requests in flight: the limit is 1 (ABO_INFERENCE_MAX_IN_FLIGHT); retry with backoff");
                gate.countDown();
                assertThat(first.get(60, TimeUnit.SECONDS).getDetectionsCount()).isEqualTo(4);
                assertThat(m.requests(DetectionServiceImpl.DETECT, Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(1);
                assertThat(m.requests(DetectionServiceImpl.DETECT, Status.Code.OK)).isEqualTo(1);
            } finally {
                gate.countDown();
                TestServers.close(c);
            }
        }
    }

    @Test
    void anExpiredDeadlineSkipsTheForwardPass() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ModelHolder holder = new ModelHolder();
        holder.swap(model);
        InferenceMetrics m = TestServers.metrics();
        try (InferenceServer s = TestServers.start(TestServers.config(Map.of()), holder, m, gated(gate))) {
            ManagedChannel c = TestServers.channel(s);
            try {
                // connect first, so the short deadline is spent waiting on the server, not on the TCP handshake
                assertThat(TestServers.health(c, "")).isEqualTo(ServingStatus.SERVING);
                StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> DetectionServiceGrpc
                        .newBlockingStub(c).withDeadlineAfter(300, TimeUnit.MILLISECONDS).detect(request().build()));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                gate.countDown();
                TestServers.await("the server to answer the expired request",
                        () -> m.requests(DetectionServiceImpl.DETECT, Status.Code.DEADLINE_EXCEEDED) == 1);
                assertThat(m.forwardPasses()).isZero();
                assertThat(s.service().inFlight()).isZero();
            } finally {
                gate.countDown();
                TestServers.close(c);
            }
        }
    }
}
