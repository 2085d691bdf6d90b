package dev.abo.inference;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The service's meters: {@code abo_inference_requests_total{method, code}} (every answered request,
 * code OK or the gRPC status), {@code abo_inference_latency_seconds{method}} (server time, histogram),
 * {@code abo_inference_forward_passes_total}, {@code abo_inference_model_version} and
 * {@code abo_inference_model_loads_total{result=ok|failed}}.
 */
public final class InferenceMetrics {
    private final MeterRegistry registry;
    private final AtomicLong modelVersion = new AtomicLong();
    private final Counter forwardPasses;
    private final Counter loadsOk;
    private final Counter loadsFailed;

    public InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("abo.inference.model.version", modelVersion, AtomicLong::doubleValue)
                .description("anchor snapshot version of the model being served (0 before the first load)").register(registry);
        this.forwardPasses = Counter.builder("abo.inference.forward.passes").description("network forward passes").register(registry);
        this.loadsOk = Counter.builder("abo.inference.model.loads").tag("result", "ok").register(registry);
        this.loadsFailed = Counter.builder("abo.inference.model.loads").tag("result", "failed").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void answered(String method, Status.Code code, Duration latency) {
        Counter.builder("abo.inference.requests").tag("method", method).tag("code", code.name()).register(registry).increment();
        Timer.builder("abo.inference.latency").tag("method", method).publishPercentileHistogram()
                .register(registry).record(latency);
    }

    void forwardPass() {
        forwardPasses.increment();
    }

    /** Follows the served model's version (the gauge) from now on. */
    public void track(ModelHolder models) {
        models.onSwap(m -> modelVersion.set(m.version()));
    }

    void modelLoaded() {
        loadsOk.increment();
    }

    void modelLoadFailed() {
        loadsFailed.increment();
    }

    /** Requests of {@code method} answered with {@code code} so far. */
    public long requests(String method, Status.Code code) {
        Counter c = registry.find("abo.inference.requests").tag("method", method).tag("code", code.name()).counter();
        return c == null ? 0 : (long) c.count();
    }

    public long forwardPasses() {
        return (long) forwardPasses.count();
    }

    public long modelLoadFailures() {
        return (long) loadsFailed.count();
    }

    public long modelVersion() {
        return modelVersion.get();
    }
}
