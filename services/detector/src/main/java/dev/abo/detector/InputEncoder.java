package dev.abo.detector;

import java.util.List;

import dev.abo.core.image.RgbImage;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** RGB images of the network input size as the input tensor {@code [B, 3, H, W]}, values {@code v / 255}. */
public final class InputEncoder {
    private InputEncoder() {
    }

    public static INDArray encode(List<RgbImage> images, int inputSize, DataType dataType) {
        int b = images.size();
        double[] data = new double[b * 3 * inputSize * inputSize];
        int plane = inputSize * inputSize;
        for (int i = 0; i < b; i++) {
            RgbImage img = images.get(i);
            if (img.width() != inputSize || img.height() != inputSize) {
                throw new IllegalArgumentException("image " + i + " is " + img.width() + "x" + img.height()
                        + ", the network input is " + inputSize + "x" + inputSize);
            }
            byte[] rgb = img.rgb();
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    data[(i * 3 + c) * plane + p] = (rgb[p * 3 + c] & 0xFF) / 255.0;
                }
            }
        }
        return Nd4j.create(data, new long[] {b, 3, inputSize, inputSize}, DataType.DOUBLE).castTo(dataType);
    }
}
