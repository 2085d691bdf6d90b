package dev.abo.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.abo.proto.detection.v1.DetectRequest;
import dev.abo.proto.detection.v1.DetectResponse;
import dev.abo.proto.detection.v1.DetectionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request size limit ({@code ABO_INFERENCE_MAX_INBOUND_BYTES}, default 16 MiB) as the service's own
 * start-up applies it, over real loopback TCP: a request of exactly the limit is answered, one byte more is
 * refused by gRPC with RESOURCE_EXHAUSTED before any handler runs.
 */
class MessageSizeIT {
    @TempDir
    static Path dir;
    static InferenceConfig config;
    static InferenceMetrics metrics;
    static InferenceServer server;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        config = TestServers.config(Map.of());
        metrics = TestServers.metrics();
        ModelHolder holder = new ModelHolder();
        holder.swap(TestModels.load(dir, "tiny", 1, 16));
        server = TestServers.start(config, holder, metrics);     // InferenceServer.start(config, ...): the production wiring
        channel = TestServers.channel(server);
    }

    @AfterAll
    static void stop() throws Exception {
        TestServers.close(channel);
        server.close();
    }

    /**
     * A request whose serialized size is exactly {@code size} bytes: the 64 x 48 PNG of {@link TestModels}
     * followed by zero bytes in the image field (a PNG decoder stops at the IEND chunk). Field 1 costs one tag
     * byte plus the length as a varint (4 bytes for lengths of 2^21 to 2^28 - 1).
     */
    static DetectRequest request(int size) {
        byte[] png = TestModels.image64x48();
        int length = size - 1 - CodedOutputStream.computeUInt32SizeNoTag(size - 5);
        DetectRequest r = DetectRequest.newBuilder().setImage(ByteString.copyFrom(Arrays.copyOf(png, length))).build();
        assertThat(r.getSerializedSize()).isEqualTo(size);
        return r;
    }

    static DetectionServiceGrpc.DetectionServiceBlockingStub stub() {
        return DetectionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Test
    void theDefaultLimitIs16MiB() {
        assertThat(config.maxInboundBytes()).isEqualTo(16 * 1024 * 1024);
    }

    @Test
    void aRequestOfExactlyTheLimitIsAnswered() {
        DetectResponse r = stub().detect(request(config.maxInboundBytes()));

        assertThat(r.getImageWidthPx()).isEqualTo(64);
        assertThat(r.getImageHeightPx()).isEqualTo(48);
        assertThat(r.getDetectionsList()).containsExactlyElementsOf(TestModels.expected64x48(16));
    }

    @Test
    void oneByteMoreIsRefusedWithResourceExhaustedBeforeTheService() {
        long forwardPasses = metrics.forwardPasses();
        int limit = config.maxInboundBytes();

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub().detect(request(limit + 1)));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        // grpc-java's deframer reads the 5-byte frame header, compares the declared length and stops there
        assertThat(e.getStatus().getDescription()).isEqualTo("gRPC message exceeds maximum size " + limit + ": " + (limit + 1));
        assertThat(metrics.forwardPasses()).isEqualTo(forwardPasses);
        assertThat(metrics.requests(DetectionServiceImpl.DETECT, Status.Code.RESOURCE_EXHAUSTED)).isZero();
        // the connection survives: the next (small) request on the same channel is answered
        assertThat(stub().detect(request(1000)).getDetectionsCount()).isEqualTo(4);
    }
}
