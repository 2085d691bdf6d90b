package dev.abo.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.abo.core.anchor.AnchorKMeans;
import dev.abo.core.geometry.Iou;
import dev.abo.core.geometry.Shape;
import dev.abo.platform.registry.RegistryClient;
import dev.abo.proto.training.v1.ObjectBox;
import dev.abo.proto.training.v1.TrainingBatch;
import dev.abo.proto.training.v1.TrainingImage;

/** How close an anchor set is to box shapes: the data's k-means anchors and the best shape IoU with them. */
final class AnchorMatch {

    private AnchorMatch() {
    }

    /** Mean over {@code reference} of the best centred shape IoU with any of {@code anchors}. */
    static double meanBestIou(List<Shape> reference, List<Shape> anchors) {
        if (reference.isEmpty() || anchors.isEmpty()) {
            throw new IllegalArgumentException("need shapes on both sides");
        }
        double sum = 0;
        for (Shape r : reference) {
            double best = 0;
            for (Shape a : anchors) {
                best = Math.max(best, Iou.ofShapes(r, a));
            }
            sum += best;
        }
        return sum / reference.size();
    }

    /** IoU k-means (the core {@link AnchorKMeans}, 5 restarts, a fixed seed) of {@code boxes} into {@code k} anchors. */
    static List<Shape> kmeans(List<Shape> boxes, int k) {
        double[] w = new double[boxes.size()];
        double[] h = new double[boxes.size()];
        for (int i = 0; i < boxes.size(); i++) {
            w[i] = boxes.get(i).w();
            h[i] = boxes.get(i).h();
        }
        return new AnchorKMeans().fit(w, h, k, 5, new SplittableRandom(7)).centres();
    }

    /** The ground-truth box shapes of training batches (input pixels). */
    static List<Shape> boxShapes(List<TrainingBatch> batches) {
        List<Shape> out = new ArrayList<>();
        for (TrainingBatch b : batches) {
            for (TrainingImage image : b.getImagesList()) {
                for (ObjectBox o : image.getBoxesList()) {
                    // in double, as the trainer's codec computes the shape of a decoded box
                    out.add(new Shape((double) o.getX2Px() - o.getX1Px(), (double) o.getY2Px() - o.getY1Px()));
                }
            }
        }
        return out;
    }

    /** The anchors of a registry snapshot. */
    static List<Shape> anchors(RegistryClient.SnapshotInfo snapshot) {
        return snapshot.anchors().stream().map(a -> new Shape(a.widthPx(), a.heightPx())).toList();
    }
}
