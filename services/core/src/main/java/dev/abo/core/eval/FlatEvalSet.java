package dev.abo.core.eval;

import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.detect.Detection;
import dev.abo.core.geometry.Box;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ground truth and detections of a dataset flattened into primitive arrays, grouped by class (a stable counting
 * sort): within a class, by image in dataset order, then in input order. Entries of class
 * {@code k} are {@code start[k] .. start[k+1]-1}.
 */
final class FlatEvalSet {
    final int[] gtStart;
    final int[] gtImage;
    final double[] gtX1;
    final double[] gtY1;
    final double[] gtX2;
    final double[] gtY2;
    final double[] gtArea;
    final boolean[] gtCrowd;
    final boolean[] gtDifficult;
    final int[] dtStart;
    final int[] dtImage;
    final double[] dtX1;
    final double[] dtY1;
    final double[] dtX2;
    final double[] dtY2;
    final double[] dtScore;

    private FlatEvalSet(int classes, int gts, int dts, int images) {
        this.images = images;
        gtStart = new int[classes + 1];
        gtImage = new int[gts];
        gtX1 = new double[gts];
        gtY1 = new double[gts];
        gtX2 = new double[gts];
        gtY2 = new double[gts];
        gtArea = new double[gts];
        gtCrowd = new boolean[gts];
        gtDifficult = new boolean[gts];
        dtStart = new int[classes + 1];
        dtImage = new int[dts];
        dtX1 = new double[dts];
        dtY1 = new double[dts];
        dtX2 = new double[dts];
        dtY2 = new double[dts];
        dtScore = new double[dts];
    }

    final int images;

    static FlatEvalSet of(Dataset dataset, Map<String, List<Detection>> detections) {
        int classes = dataset.classNames().size();
        List<LabeledImage> images = dataset.images();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            index.put(images.get(i).id(), i);
        }
        for (String id : detections.keySet()) {
            if (!index.containsKey(id)) {
                throw new IllegalArgumentException("detections for image '" + id + "' which is not in dataset " + dataset.name());
            }
        }
        int[] gtCount = new int[classes + 1];
        int[] dtCount = new int[classes + 1];
        int gts = 0;
        int dts = 0;
        for (LabeledImage image : images) {
            for (LabeledObject o : image.objects()) {
                gtCount[checkClass(o.classId(), classes, image) + 1]++;
                gts++;
            }
            for (Detection d : detections.getOrDefault(image.id(), List.of())) {
                dtCount[checkClass(d.classId(), classes, image) + 1]++;
                dts++;
            }
        }
        FlatEvalSet f = new FlatEvalSet(classes, gts, dts, images.size());
        for (int k = 0; k < classes; k++) {
            f.gtStart[k + 1] = f.gtStart[k] + gtCount[k + 1];
            f.dtStart[k + 1] = f.dtStart[k] + dtCount[k + 1];
        }
        int[] gtNext = f.gtStart.clone();
        int[] dtNext = f.dtStart.clone();
        for (int i = 0; i < images.size(); i++) {
            LabeledImage image = images.get(i);
            for (LabeledObject o : image.objects()) {
                int p = gtNext[o.classId()]++;
                Box b = o.box();
                f.gtImage[p] = i;
                f.gtX1[p] = b.x1();
                f.gtY1[p] = b.y1();
                f.gtX2[p] = b.x2();
                f.gtY2[p] = b.y2();
                f.gtArea[p] = o.area();
                f.gtCrowd[p] = o.crowd();
                f.gtDifficult[p] = o.difficult();
            }
            for (Detection d : detections.getOrDefault(image.id(), List.of())) {
                int p = dtNext[d.classId()]++;
                Box b = d.box();
                f.dtImage[p] = i;
                f.dtX1[p] = b.x1();
                f.dtY1[p] = b.y1();
                f.dtX2[p] = b.x2();
                f.dtY2[p] = b.y2();
                f.dtScore[p] = d.score();
            }
        }
        return f;
    }

    private static int checkClass(int classId, int classes, LabeledImage image) {
        if (classId < 0 || classId >= classes) {
            throw new IllegalArgumentException("class id " + classId + " on image '" + image.id()
                    + "' is outside the dataset's " + classes + " classes");
        }
        return classId;
    }
}
