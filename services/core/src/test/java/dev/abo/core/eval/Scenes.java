package dev.abo.core.eval;

import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.detect.Detection;
import dev.abo.core.geometry.Box;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tiny builder of hand-made evaluation cases: images with objects and detections. */
final class Scenes {
    private final List<String> classNames;
    private final Map<String, List<LabeledObject>> objects = new LinkedHashMap<>();
    private final Map<String, List<Detection>> detections = new LinkedHashMap<>();

    Scenes(String... classNames) {
        this.classNames = List.of(classNames);
    }

    Scenes image(String id) {
        objects.computeIfAbsent(id, k -> new ArrayList<>());
        return this;
    }

    Scenes gt(String image, int classId, Box box) {
        return object(image, LabeledObject.of(box, classId));
    }

    Scenes object(String image, LabeledObject o) {
        objects.computeIfAbsent(image, k -> new ArrayList<>()).add(o);
        return this;
    }

    Scenes det(String image, int classId, Box box, double score) {
        image(image);
        detections.computeIfAbsent(image, k -> new ArrayList<>()).add(new Detection(box, classId, score));
        return this;
    }

    Dataset dataset() {
        List<LabeledImage> images = new ArrayList<>();
        objects.forEach((id, list) -> images.add(new LabeledImage(id, null, 1000, 1000, list)));
        return new Dataset("test", classNames, images);
    }

    Map<String, List<Detection>> detections() {
        return detections;
    }

    static Box box(double x1, double y1, double x2, double y2) {
        return new Box(x1, y1, x2, y2);
    }
}
