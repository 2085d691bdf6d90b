package dev.abo.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.abo.proto.anchors.v1.PromotedPointer;

/**
 * The registry's in-memory view of {@code anchors.snapshots}: per model its versions, promoted pointer and
 * idempotency keys. Built by replaying the topic and then updated after each acknowledged write; never
 * the source of truth itself. Thread-safe.
 */
final class RegistryState {

    private static final class Model {
        final TreeMap<Long, StoredSnapshot> versions = new TreeMap<>();
        final Map<String, Long> byIdempotencyKey = new HashMap<>();
        PromotedPointer promoted;
        long maxVersion;
    }

    private final Map<String, Model> models = new TreeMap<>();

    synchronized void apply(StoredSnapshot s) {
        Model m = models.computeIfAbsent(s.snapshot().getModelName(), k -> new Model());
        m.versions.put(s.version(), s);
        m.maxVersion = Math.max(m.maxVersion, s.version());
        s.idempotencyKey().ifPresent(k -> m.byIdempotencyKey.put(k, s.version()));
    }

    synchronized void apply(PromotedPointer p) {
        models.computeIfAbsent(p.getModelName(), k -> new Model()).promoted = p;
    }

    /** A tombstone for {@code <model>/<version>}. */
    synchronized void removeVersion(String model, long version) {
        Model m = models.get(model);
        if (m != null) {
            StoredSnapshot removed = m.versions.remove(version);
            if (removed != null) {
                removed.idempotencyKey().ifPresent(m.byIdempotencyKey::remove);
            }
        }
    }

    /** A tombstone for {@code <model>/promoted}. */
    synchronized void removePromoted(String model) {
        Model m = models.get(model);
        if (m != null) {
            m.promoted = null;
        }
    }

    /** Names of models with at least one version, sorted. */
    synchronized List<String> models() {
        return models.entrySet().stream().filter(e -> !e.getValue().versions.isEmpty()).map(Map.Entry::getKey).toList();
    }

    synchronized boolean hasModel(String model) {
        Model m = models.get(model);
        return m != null && !m.versions.isEmpty();
    }

    /** Versions of {@code model}, oldest first; empty for an unknown model. */
    synchronized List<StoredSnapshot> versions(String model) {
        Model m = models.get(model);
        return m == null ? List.of() : new ArrayList<>(m.versions.values());
    }

    synchronized Optional<StoredSnapshot> version(String model, long version) {
        Model m = models.get(model);
        return m == null ? Optional.empty() : Optional.ofNullable(m.versions.get(version));
    }

    synchronized Optional<StoredSnapshot> latest(String model) {
        Model m = models.get(model);
        return m == null || m.versions.isEmpty() ? Optional.empty() : Optional.of(m.versions.lastEntry().getValue());
    }

    synchronized Optional<PromotedPointer> promoted(String model) {
        Model m = models.get(model);
        return m == null ? Optional.empty() : Optional.ofNullable(m.promoted);
    }

    synchronized Optional<StoredSnapshot> byIdempotencyKey(String model, String key) {
        Model m = models.get(model);
        if (m == null || !m.byIdempotencyKey.containsKey(key)) {
            return Optional.empty();
        }
        return Optional.ofNullable(m.versions.get(m.byIdempotencyKey.get(key)));
    }

    /** The checkpoint SHA-256 of every version of every model (the blobs that must stay). */
    synchronized Set<String> checkpointSha256s() {
        Set<String> shas = new HashSet<>();
        for (Model m : models.values()) {
            m.versions.values().forEach(v -> shas.add(v.snapshot().getCheckpointSha256()));
        }
        return shas;
    }

    /** One more than the highest version ever seen for {@code model}: versions are never reused. */
    synchronized long nextVersion(String model) {
        Model m = models.get(model);
        return m == null ? 1 : m.maxVersion + 1;
    }
}
