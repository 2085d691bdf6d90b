package dev.abo.platform.observe;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * One named condition of {@code /health}, e.g. "kafka" (the brokers answer) or "model" (a model is
 * loaded). Must return promptly: it runs on the HTTP thread for every probe. An exception counts as DOWN
 * with the exception's message as detail.
 */
@FunctionalInterface
public interface HealthCheck {

    Result check() throws Exception;

    /** The outcome of a check; {@code detail} is shown in {@code /health} (may be empty). */
    record Result(boolean healthy, String detail) {
        public Result {
            Objects.requireNonNull(detail, "detail");
        }

        public static Result up() {
            return new Result(true, "");
        }

        public static Result up(String detail) {
            return new Result(true, detail);
        }

        public static Result down(String detail) {
            return new Result(false, detail);
        }
    }

    /** UP while the Kafka cluster answers a describe-cluster request within {@code timeout}. */
    static HealthCheck kafka(Admin admin, Duration timeout) {
        return () -> {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            return nodes > 0 ? Result.up(nodes + " broker(s)") : Result.down("no brokers");
        };
    }
}
