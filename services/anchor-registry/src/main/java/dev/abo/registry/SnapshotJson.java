package dev.abo.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.abo.proto.anchors.v1.Anchor;
import dev.abo.proto.anchors.v1.AnchorSnapshot;
import dev.abo.proto.anchors.v1.PromotedPointer;
import dev.abo.proto.anchors.v1.SnapshotMetrics;
import dev.abo.proto.anchors.v1.SourceOffset;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The one mapper between the HTTP JSON form of snapshots and {@code anchors.v1} messages. */
public final class SnapshotJson {

    public static final int MAX_ANCHORS = 64;
    public static final int MAX_CLASSES = 10_000;
    public static final int MAX_INPUT_PX = 16_384;
    public static final int MAX_HELD_OUT_SET_CHARS = 512;
    static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private SnapshotJson() {
    }

    /**
     * Parses and validates the snapshot part of a create request.
     *
     * @throws ApiException 400 with {@code invalid_json}, {@code missing_field}, {@code invalid_field},
     *                      {@code invalid_anchors} or {@code invalid_histogram}
     */
    public static SnapshotSubmission parseSubmission(String text) {
        JsonObject j;
        try {
            j = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw ApiException.badRequest("invalid_json", "the snapshot part is not a JSON object: " + firstLine(e.getMessage()));
        }
        AnchorSnapshot.Builder b = AnchorSnapshot.newBuilder();
        JsonArray anchors = array(j, "anchors");
        if (anchors.isEmpty() || anchors.size() > MAX_ANCHORS) {
            throw ApiException.badRequest("invalid_anchors", "anchors must hold 1 to " + MAX_ANCHORS + " anchors, had " + anchors.size());
        }
        for (int i = 0; i < anchors.size(); i++) {
            if (!(anchors.getValue(i) instanceof JsonObject a)) {
                throw ApiException.badRequest("invalid_anchors", "anchors[" + i + "] must be an object {widthPx, heightPx}");
            }
            b.addAnchors(Anchor.newBuilder()
                    .setWidthPx(anchorSide(a, i, "widthPx"))
                    .setHeightPx(anchorSide(a, i, "heightPx")));
        }
        b.setInputWidthPx((int) integer(j, "inputWidthPx", 1, MAX_INPUT_PX, true));
        b.setInputHeightPx((int) integer(j, "inputHeightPx", 1, MAX_INPUT_PX, true));
        JsonArray classes = array(j, "classNames");
        if (classes.isEmpty() || classes.size() > MAX_CLASSES) {
            throw ApiException.badRequest("invalid_field", "classNames must hold 1 to " + MAX_CLASSES + " names, had " + classes.size());
        }
        for (int i = 0; i < classes.size(); i++) {
            if (!(classes.getValue(i) instanceof String name) || name.isBlank()) {
                throw ApiException.badRequest("invalid_field", "classNames[" + i + "] must be a non-blank string");
            }
            b.addClassNames(name);
        }
        b.setTrainingStep(integer(j, "trainingStep", 0, Long.MAX_VALUE, true));
        if (j.containsKey("sourceOffsets")) {
            JsonArray offsets = array(j, "sourceOffsets");
            for (int i = 0; i < offsets.size(); i++) {
                if (!(offsets.getValue(i) instanceof JsonObject o) || !(o.getValue("topic") instanceof String topic)) {
                    throw ApiException.badRequest("invalid_field", "sourceOffsets[" + i + "] must be {topic, partition, nextOffset}");
                }
                b.addSourceOffsets(SourceOffset.newBuilder().setTopic(topic)
                        .setPartition((int) integer(o, "partition", 0, Integer.MAX_VALUE, true))
                        .setNextOffset(integer(o, "nextOffset", 0, Long.MAX_VALUE, true)));
            }
        }
        if (j.containsKey("metrics")) {
            if (!(j.getValue("metrics") instanceof JsonObject m)) {
                throw ApiException.badRequest("invalid_field", "metrics must be an object");
            }
            SnapshotMetrics.Builder mb = SnapshotMetrics.newBuilder();
            optionalNumber(m, "loss", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY).ifPresent(mb::setLoss);
            optionalNumber(m, "ap50", 0, 1).ifPresent(mb::setAp50);
            optionalNumber(m, "avgAnchorIou", 0, 1).ifPresent(mb::setAvgAnchorIou);
            if (m.containsKey("heldOutSet")) {
                if (!(m.getValue("heldOutSet") instanceof String set) || set.isEmpty() || set.length() > MAX_HELD_OUT_SET_CHARS
                        || set.chars().anyMatch(Character::isISOControl)) {
                    throw ApiException.badRequest("invalid_field", "metrics.heldOutSet must be a string of 1 to "
                            + MAX_HELD_OUT_SET_CHARS + " characters without control characters");
                }
                mb.setHeldOutSet(set);
            }
            promotedMeasurement(m, mb);
            b.setMetrics(mb);
        }
        Optional<String> sha = Optional.empty();
        if (j.containsKey("checkpointSha256")) {
            if (!(j.getValue("checkpointSha256") instanceof String s) || !SHA256_HEX.matcher(s).matches()) {
                throw ApiException.badRequest("invalid_field", "checkpointSha256 must be 64 lower-case hex digits");
            }
            sha = Optional.of(s);
        }
        Optional<ShapeHistogram> histogram = Optional.empty();
        if (j.containsKey("gtShapeHistogram")) {
            if (!(j.getValue("gtShapeHistogram") instanceof JsonObject h)) {
                throw ApiException.badRequest("invalid_histogram", "gtShapeHistogram must be an object");
            }
            histogram = Optional.of(ShapeHistogram.fromJson(h));
        }
        return new SnapshotSubmission(b.build(), sha, histogram);
    }

    /**
     * {@code promotedAp50} and {@code promotedVersion}: the promoted version's AP50 on this snapshot's held-out set,
     * so both or neither, and only with {@code ap50} and {@code heldOutSet}.
     */
    private static void promotedMeasurement(JsonObject m, SnapshotMetrics.Builder mb) {
        Optional<Double> ap = optionalNumber(m, "promotedAp50", 0, 1);
        Object v = m.getValue("promotedVersion");
        if (v != null && (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 1)) {
            throw ApiException.badRequest("invalid_field", "metrics.promotedVersion must be an integer >= 1, was " + v);
        }
        if (ap.isPresent() != (v != null)) {
            throw ApiException.badRequest("invalid_field", "metrics.promotedAp50 and metrics.promotedVersion go together:"
                    + " the AP50 of that version");
        }
        if (ap.isEmpty()) {
            return;
        }
        if (!mb.hasAp50() || !mb.hasHeldOutSet()) {
            throw ApiException.badRequest("invalid_field", "metrics.promotedAp50 is measured on this snapshot's held-out set:"
                    + " metrics.ap50 and metrics.heldOutSet are required with it");
        }
        mb.setPromotedAp50(ap.get()).setPromotedVersion(((Number) v).longValue());
    }

    private static double anchorSide(JsonObject a, int i, String name) {
        Object v = a.getValue(name);
        if (!(v instanceof Number n)) {
            throw ApiException.badRequest("invalid_anchors", "anchors[" + i + "]." + name + " must be a number, was " + v);
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d) || d <= 0) {
            throw ApiException.badRequest("invalid_anchors", "anchors[" + i + "]." + name + " must be finite and > 0, was " + d);
        }
        return d;
    }

    private static JsonArray array(JsonObject j, String name) {
        Object v = j.getValue(name);
        if (v == null) {
            throw ApiException.badRequest("missing_field", "field '" + name + "' is required");
        }
        if (!(v instanceof JsonArray a)) {
            throw ApiException.badRequest("invalid_field", "field '" + name + "' must be an array");
        }
        return a;
    }

    private static long integer(JsonObject j, String name, long min, long max, boolean required) {
        Object v = j.getValue(name);
        if (v == null && required) {
            throw ApiException.badRequest("missing_field", "field '" + name + "' is required");
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
            throw ApiException.badRequest("invalid_field", "field '" + name + "' must be an integer in [" + min + ", " + max + "], was " + v);
        }
        return ((Number) v).longValue();
    }

    private static Optional<Double> optionalNumber(JsonObject j, String name, double min, double max) {
        Object v = j.getValue(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < min || n.doubleValue() > max) {
            throw ApiException.badRequest("invalid_field", "metrics." + name + " must be a finite number in [" + min + ", " + max + "], was " + v);
        }
        return Optional.of(n.doubleValue());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The full JSON form of a stored version, as GET .../snapshots/{version} returns it. */
    public static JsonObject toJson(StoredSnapshot stored, boolean promoted) {
        JsonObject j = summary(stored.snapshot(), promoted);
        JsonArray classes = new JsonArray();
        stored.snapshot().getClassNamesList().forEach(classes::add);
        JsonArray offsets = new JsonArray();
        for (SourceOffset o : stored.snapshot().getSourceOffsetsList()) {
            offsets.add(new JsonObject().put("topic", o.getTopic()).put("partition", o.getPartition()).put("nextOffset", o.getNextOffset()));
        }
        j.put("classNames", classes).put("sourceOffsets", offsets);
        stored.idempotencyKey().ifPresent(k -> j.put("idempotencyKey", k));
        stored.gtShapeHistogram().ifPresent(h -> j.put("gtShapeHistogram", h.toJson()));
        return j;
    }

    /** The list form: everything but class names, offsets and the histogram. */
    public static JsonObject summary(AnchorSnapshot s, boolean promoted) {
        JsonArray anchors = new JsonArray();
        for (Anchor a : s.getAnchorsList()) {
            anchors.add(new JsonObject().put("widthPx", a.getWidthPx()).put("heightPx", a.getHeightPx()));
        }
        JsonObject metrics = new JsonObject();
        if (s.getMetrics().hasLoss()) {
            metrics.put("loss", s.getMetrics().getLoss());
        }
        if (s.getMetrics().hasAp50()) {
            metrics.put("ap50", s.getMetrics().getAp50());
        }
        if (s.getMetrics().hasAvgAnchorIou()) {
            metrics.put("avgAnchorIou", s.getMetrics().getAvgAnchorIou());
        }
        if (s.getMetrics().hasHeldOutSet()) {
            metrics.put("heldOutSet", s.getMetrics().getHeldOutSet());
        }
        if (s.getMetrics().hasPromotedAp50()) {
            metrics.put("promotedAp50", s.getMetrics().getPromotedAp50()).put("promotedVersion", s.getMetrics().getPromotedVersion());
        }
        JsonObject j = new JsonObject()
                .put("model", s.getModelName())
                .put("version", s.getVersion())
                .put("anchors", anchors)
                .put("inputWidthPx", s.getInputWidthPx())
                .put("inputHeightPx", s.getInputHeightPx())
                .put("numClasses", s.getClassNamesCount())
                .put("trainingStep", s.getTrainingStep())
                .put("metrics", metrics)
                .put("checkpointSha256", s.getCheckpointSha256())
                .put("checkpointSizeBytes", s.getCheckpointSizeBytes())
                .put("createdUnixMs", s.getCreatedUnixMs())
                .put("promoted", promoted);
        if (s.hasPromotionDecision()) {
            j.put("promotionDecision", new JsonObject().put("promoted", s.getPromotionDecision().getPromoted())
                    .put("reason", s.getPromotionDecision().getReason()));
        }
        return j;
    }

    /**
     * A promoted pointer; {@code target} is the version it points at: for an automatic promotion its
     * {@code promotionDecision} reason is given as {@code policyReason}.
     */
    public static JsonObject toJson(PromotedPointer p, Optional<AnchorSnapshot> target) {
        JsonObject j = new JsonObject().put("model", p.getModelName()).put("version", p.getVersion())
                .put("promotedUnixMs", p.getPromotedUnixMs()).put("reason", p.getReason());
        target.filter(t -> AnchorRegistry.AUTO.equals(p.getReason()) && t.getVersion() == p.getVersion() && t.hasPromotionDecision())
                .ifPresent(t -> j.put("policyReason", t.getPromotionDecision().getReason()));
        return j;
    }

    static List<String> classNames(AnchorSnapshot s) {
        return new ArrayList<>(s.getClassNamesList());
    }
}
