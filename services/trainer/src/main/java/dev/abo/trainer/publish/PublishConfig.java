package dev.abo.trainer.publish;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

import dev.abo.platform.config.ConfigException;
import dev.abo.platform.config.ConfigSource;

/**
 * Where and when the trainer publishes snapshots to the anchor registry.
 *
 * @param registryUrl {@code ABO_REGISTRY_URL}, e.g. {@code http://registry:8081}; unset (the default): publishing is off
 * @param token       {@code ABO_REGISTRY_TOKEN}, bearer token for the registry's writes; unset: none (a local-demo registry)
 * @param model       {@code ABO_MODEL_NAME}, the registry's model name ({@code [a-z0-9-]{1,64}}), default {@code detector}
 * @param every       {@code ABO_PUBLISH_EVERY}, publish at every step that is a multiple of this, default 1000; 0 = only
 *                    on anchor movement
 * @param epsilon     {@code ABO_PUBLISH_EPSILON}, publish as soon as some anchor's |delta ln w| or |delta ln h| since the
 *                    last published snapshot exceeds this, default 0.05; 0 = never on movement
 */
public record PublishConfig(Optional<URI> registryUrl, Optional<String> token, String model, long every, double epsilon) {

    public static final List<String> KEYS = List.of("ABO_REGISTRY_URL", "ABO_REGISTRY_TOKEN", "ABO_MODEL_NAME",
            "ABO_PUBLISH_EVERY", "ABO_PUBLISH_EPSILON");

    public static PublishConfig from(ConfigSource c) {
        Optional<URI> url = c.optionalString("ABO_REGISTRY_URL").map(String::strip).filter(s -> !s.isEmpty()).map(PublishConfig::url);
        Optional<String> token = c.optionalString("ABO_REGISTRY_TOKEN").filter(s -> !s.isBlank());
        String model = c.string("ABO_MODEL_NAME", "detector");
        if (!model.matches("[a-z0-9-]{1,64}")) {
            throw new ConfigException("ABO_MODEL_NAME", model, "1 to 64 characters of a-z, 0-9 and '-'");
        }
        long every = c.longInRange("ABO_PUBLISH_EVERY", 1000, 0, Long.MAX_VALUE / 4);
        double epsilon = c.doubleInRange("ABO_PUBLISH_EPSILON", 0.05, 0, 10);
        if (url.isPresent() && every == 0 && epsilon == 0) {
            throw new ConfigException("ABO_PUBLISH_EVERY", "0", "positive when ABO_PUBLISH_EPSILON is 0 (else nothing is ever published)");
        }
        return new PublishConfig(url, token, model, every, epsilon);
    }

    public boolean enabled() {
        return registryUrl.isPresent();
    }

    private static URI url(String text) {
        try {
            URI u = new URI(text);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new URISyntaxException(text, "not http(s)://host[:port]");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException("ABO_REGISTRY_URL", text, "an http(s) URL of the anchor registry, e.g. http://127.0.0.1:8081");
        }
    }
}
