package dev.abo.loader;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Not a test: measures single-threaded batch assembly (sample + augment + encode) for batch 16 at 128
 * and 416 px, JPEG q=90, from synthetic:mixed and the shared VOC folder. Run from the module with the
 * test classpath: {@code java -cp ... dev.abo.loader.AssemblyThroughput [sharedDir]}.
 */
public final class AssemblyThroughput {
    public static void main(String[] args) throws Exception {
        String shared = args.length > 0 ? args[0] : System.getProperty("abo.shared.dir", "../../../shared");
        String voc = "dataset:voc:" + Path.of(shared, "data", "voc2007-train") + ":train";
        for (String source : new String[] {"synthetic:mixed", voc}) {
            for (int size : new int[] {128, 416}) {
                LoaderConfig c = LoaderConfig.from(Map.of("ABO_SOURCE", source, "ABO_INPUT_SIZE", Integer.toString(size),
                        "ABO_BATCH_SIZE", "16", "ABO_JPEG_QUALITY", "90", "ABO_MAX_RECORD_BYTES", "100000000"));
                SampleStreams streams = SampleStreams.open(c);
                BatchAssembler a = new BatchAssembler(streams.train(), BatchPlan.endless(c.sourceId(), 16),
                        c.imageFormat(), c.maxRecordBytes(), Clock.systemUTC());
                int warm = size == 128 ? 20 : 5;
                int n = size == 128 ? 60 : 15;
                for (int i = 0; i < warm; i++) {
                    a.assemble(i);
                }
                long bytes = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    bytes += a.assemble(warm + i).getSerializedSize();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%-16s %3d px: %6.2f batches/s  %5.2f MB/s  %4.0f KB/batch%n",
                        source.startsWith("dataset") ? "voc2007-train" : source, size, n / s, bytes / 1e6 / s,
                        bytes / 1e3 / n);
            }
        }
    }
}
