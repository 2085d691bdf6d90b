package dev.abo.cli;

import dev.abo.core.data.Dataset;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.geometry.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The ground-truth shapes anchors are fitted to: every object that is neither VOC-difficult nor a
 * COCO crowd region (YOLOv2's label files leave difficult objects out), as widths and heights.
 */
public record ShapeSample(double[] widths, double[] heights, int excluded) {

    public static ShapeSample of(Dataset dataset) {
        List<LabeledObject> kept = new ArrayList<>();
        int excluded = 0;
        for (LabeledImage image : dataset.images()) {
            for (LabeledObject o : image.objects()) {
                if (o.difficult() || o.crowd()) {
                    excluded++;
                } else {
                    kept.add(o);
                }
            }
        }
        double[] w = new double[kept.size()];
        double[] h = new double[kept.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = kept.get(i).box().width();
            h[i] = kept.get(i).box().height();
        }
        return new ShapeSample(w, h, excluded);
    }

    public int size() {
        return widths.length;
    }

    public List<Shape> shapes() {
        List<Shape> s = new ArrayList<>(widths.length);
        for (int i = 0; i < widths.length; i++) {
            s.add(new Shape(widths[i], heights[i]));
        }
        return s;
    }
}
