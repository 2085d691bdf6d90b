package dev.abo.platform.codec;

import dev.abo.proto.training.v1.ImageEncoding;

/**
 * How {@link TrainingBatchCodec#encode} stores the pixels of each image: lossy JPEG at a quality,
 * lossless PNG, or raw RGB bytes (largest, but no compression cost).
 */
public sealed interface ImageFormat {

    /** The proto enum value written into {@code TrainingImage.encoding}. */
    ImageEncoding encoding();

    /** JPEG at {@code quality} percent, 1..100 (libjpeg's scale; ImageIO gets {@code quality / 100}). */
    record Jpeg(int quality) implements ImageFormat {
        public Jpeg {
            if (quality < 1 || quality > 100) {
                throw new IllegalArgumentException("JPEG quality must be in 1..100, got " + quality);
            }
        }

        @Override
        public ImageEncoding encoding() {
            return ImageEncoding.IMAGE_ENCODING_JPEG;
        }

        @Override
        public String toString() {
            return "jpeg(q=" + quality + ")";
        }
    }

    /** Lossless PNG. */
    record Png() implements ImageFormat {
        @Override
        public ImageEncoding encoding() {
            return ImageEncoding.IMAGE_ENCODING_PNG;
        }

        @Override
        public String toString() {
            return "png";
        }
    }

    /** Raw interleaved RGB, 3 bytes per pixel. */
    record Rgb8() implements ImageFormat {
        @Override
        public ImageEncoding encoding() {
            return ImageEncoding.IMAGE_ENCODING_RGB8;
        }

        @Override
        public String toString() {
            return "rgb8";
        }
    }

    static ImageFormat jpeg(int quality) {
        return new Jpeg(quality);
    }

    static ImageFormat png() {
        return new Png();
    }

    static ImageFormat rgb8() {
        return new Rgb8();
    }
}
