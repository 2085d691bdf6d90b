package dev.abo.platform.observe;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A small HTTP server for operations, one per service:
 * <ul>
 *   <li>{@code GET /metrics}: the registry in Prometheus text format 0.0.4;</li>
 *   <li>{@code GET /health}: {@code {"status":"UP","checks":{"kafka":{"status":"UP","detail":"1 broker(s)"}}}}
 *       with 200 when every registered {@link HealthCheck} is UP (or none is registered), else
 *       {@code "DOWN"} with 503 (what Kubernetes probes and load balancers act on).</li>
 * </ul>
 * Anything else is 404; methods other than GET and HEAD are 405.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * try (MetricsServer server = MetricsServer.start(MetricsServerConfig.from(config), registry)) {
 *     server.register("kafka", HealthCheck.kafka(admin, Duration.ofSeconds(2)));
 *     ...
 * }
 * }</pre>
 */
public final class MetricsServer implements AutoCloseable {

    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private final Map<String, HealthCheck> checks = new ConcurrentSkipListMap<>();

    private MetricsServer(HttpServer server, ExecutorService executor, PrometheusMeterRegistry registry) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
    }

    /** Binds and starts serving; {@link #port()} tells the port when the config asked for 0. */
    public static MetricsServer start(MetricsServerConfig config, PrometheusMeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(config.bindHost(), config.port()), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the metrics server to " + config.bindHost() + ":" + config.port(), e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "abo-metrics-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        MetricsServer server = new MetricsServer(http, executor, registry);
        http.setExecutor(executor);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    /** Adds (or replaces) the health check called {@code name}. */
    public MetricsServer register(String name, HealthCheck check) {
        checks.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port/} of this server (127.0.0.1 when bound to all interfaces). */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    /** The current health, as served on {@code /health}. */
    public Map<String, Object> health() {
        Map<String, Object> results = new LinkedHashMap<>();
        boolean allUp = true;
        for (Map.Entry<String, HealthCheck> c : checks.entrySet()) {
            HealthCheck.Result r;
            try {
                r = c.getValue().check();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r = HealthCheck.Result.down("interrupted");
            } catch (Exception e) {
                r = HealthCheck.Result.down(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            allUp &= r.healthy();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", r.healthy() ? "UP" : "DOWN");
            if (!r.detail().isEmpty()) {
                entry.put("detail", r.detail());
            }
            results.put(c.getKey(), entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", allUp ? "UP" : "DOWN");
        body.put("checks", results);
        return body;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics") && !path.equals("/health")) {
                send(exchange, 404, "text/plain; charset=utf-8", ("no such path: " + path + "\n").getBytes(UTF_8));
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", ("method " + method + " not allowed\n").getBytes(UTF_8));
                return;
            }
            if (path.equals("/metrics")) {
                send(exchange, 200, PROMETHEUS_CONTENT_TYPE, registry.scrape().getBytes(UTF_8));
            } else {
                Map<String, Object> health = health();
                send(exchange, "UP".equals(health.get("status")) ? 200 : 503, "application/json",
                        JSON.writeValueAsBytes(health));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
    }

    /** Stops accepting connections and ends the server threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
