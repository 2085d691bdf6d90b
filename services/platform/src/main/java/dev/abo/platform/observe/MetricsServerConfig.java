package dev.abo.platform.observe;

import java.net.InetAddress;
import java.net.UnknownHostException;

import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;

/**
 * Where {@link MetricsServer} listens.
 *
 * @param bindHost {@code 0.0.0.0} (all interfaces, in containers) or {@code 127.0.0.1} (this machine only)
 * @param port     TCP port; 0 picks a free one (tests)
 */
public record MetricsServerConfig(String bindHost, int port) {

    public static final String BIND_HOST_KEY = "METRICS_BIND_HOST";
    public static final String PORT_KEY = "METRICS_PORT";
    public static final String DEFAULT_BIND_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 9400;

    public MetricsServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
        }
    }

    /** A loopback server on a free port, for tests. */
    public static MetricsServerConfig loopbackFreePort() {
        return new MetricsServerConfig("127.0.0.1", 0);
    }

    /** From {@value #BIND_HOST_KEY} (default {@value #DEFAULT_BIND_HOST}) and {@value #PORT_KEY} (default {@value #DEFAULT_PORT}). */
    public static MetricsServerConfig from(ConfigSource config) {
        String host = config.string(BIND_HOST_KEY, DEFAULT_BIND_HOST);
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException(BIND_HOST_KEY, host, "an IP address or resolvable host name to bind, e.g. 0.0.0.0 or 127.0.0.1");
        }
        return new MetricsServerConfig(host, config.port(PORT_KEY, DEFAULT_PORT));
    }
}
