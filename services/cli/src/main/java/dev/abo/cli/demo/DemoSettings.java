package dev.abo.cli.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.abo.core.anchor.AnchorInit;

/**
 * Everything {@code abo demo} can be told (the defaults, chosen for a 2-core machine, are those of its options in
 * {@code DemoCommand}). The services' own settings are derived from these by {@link ServiceSettings}.
 *
 * @param length           the whole run, from the first service starting to the report ({@code --minutes})
 * @param out              where everything goes: broker log dir, registry data, checkpoints, report ({@code --out})
 * @param vocDir           the bundled VOC2007 train split (the second data-loader's dataset)
 * @param inputSize        network input side, pixels
 * @param batch            images per batch (one training step per batch)
 * @param backbone         channels per backbone block
 * @param init             both trainers' initial anchors (uniform, identical, voc, coco: what the trainer service takes)
 * @param seed             seeds the scenes, augmentation, the held-out split and both networks (same init)
 * @param stepsPerSecond   the loaders' pace, batches/s together (split by {@code cameraShare}): the fastest the
 *                         trainers can go; a slower trainer holds the loaders back through the lag cap ({@link DemoPlan})
 * @param cameraShare      share of training batches from the camera (the rest from VOC), (0, 1]
 * @param evalEvery        held-out evaluation and snapshot publication every this many steps
 * @param evalImages       held-out images the trainers evaluate on (the most recent ones of {@code eval.batches})
 * @param finalEvalImages  drifted-camera scenes of the final learned-vs-fixed comparison
 * @param statusEvery      interval of the progress line
 * @param detectEvery      interval between two {@code Detect} calls once a model is served
 * @param promoteTolerance the registry's guard: a snapshot is promoted if its AP50 is at most this below the promoted one's
 * @param registryToken    bearer token of the registry's writes (the demo token)
 */
public record DemoSettings(Duration length, Path out, Path vocDir, int inputSize, int batch, List<Integer> backbone,
                           AnchorInit init, long seed, double stepsPerSecond, double cameraShare, int evalEvery, int evalImages,
                           int finalEvalImages, Duration statusEvery, Duration detectEvery, double promoteTolerance,
                           String registryToken) {

    public DemoSettings {
        backbone = List.copyOf(backbone);
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("--minutes must be positive, got " + length.toMillis() / 60_000.0);
        }
        if (inputSize % (1 << (backbone.size() - 1)) != 0) {
            throw new IllegalArgumentException("--input-size " + inputSize + " is not a multiple of the backbone's stride "
                    + (1 << (backbone.size() - 1)));
        }
        if (batch < 1 || stepsPerSecond <= 0 || evalEvery < 1 || evalImages < 1 || finalEvalImages < 1) {
            throw new IllegalArgumentException("batch, steps per second, eval interval and image counts must be positive");
        }
        if (init.needsData()) {
            throw new IllegalArgumentException("--init " + init.cliName() + " needs data; the trainer service takes uniform, identical, voc or coco");
        }
        if (!(cameraShare > 0 && cameraShare <= 1)) {
            throw new IllegalArgumentException("--camera-share must be in (0, 1], got " + cameraShare);
        }
    }
}
