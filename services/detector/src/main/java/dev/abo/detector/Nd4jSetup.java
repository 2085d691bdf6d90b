package dev.abo.detector;

import java.util.Properties;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J/DL4J runtime settings the detector relies on, in one place (dl4j-recipes 0, 1.1, 5.1, 5.6):
 * <ul>
 *   <li><b>Layer helpers on</b>: DL4J 1.0.0-M2.1 defaults {@value #HELPERS_DISABLE_PROPERTY} to true, which
 *       sends conv/BN/pooling through the slow Java im2col path. Set it to {@code false} (JVM flag
 *       {@code -D...=false} or {@link #enableHelpers()} before building a network) AND keep the
 *       {@code org.nd4j.nativeblas.Nd4jCpu} shim of this module on the class path; together about 3x faster.</li>
 *   <li><b>Backend</b>: CPU with the {@code linux-x86_64-onednn-avx2} natives (oneDNN built in).</li>
 *   <li><b>OpenMP threads</b>: {@code OMP_NUM_THREADS} is read once at backend start; on a shared box use the
 *       number of dedicated cores (1 on 2 shared vCPUs: a descheduled OpenMP thread makes training ~5x slower).</li>
 *   <li><b>Native cache</b>: {@code -Dorg.bytedeco.javacpp.cachedir=...}, about 400 MB extracted on first use.</li>
 * </ul>
 */
public final class Nd4jSetup {
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private Nd4jSetup() {
    }

    /** What the running JVM has. */
    public record RuntimeReport(String backend, boolean helpersEnabled, boolean oneDnnAvailable, int maxThreads,
                                String ompNumThreadsEnv, String blasVendor) {
        /** Human-readable problems with this runtime for CPU training; empty when all is as recommended. */
        public java.util.List<String> problems() {
            java.util.List<String> p = new java.util.ArrayList<>();
            if (!helpersEnabled) {
                p.add("DL4J layer helpers are disabled: run with -D" + HELPERS_DISABLE_PROPERTY + "=false");
            }
            if ("CPU".equalsIgnoreCase(backend) && !oneDnnAvailable) {
                p.add("oneDNN is not available: use the nd4j-native linux-x86_64-onednn-avx2 classifier"
                        + " and keep org.nd4j.nativeblas.Nd4jCpu on the class path");
            }
            if (ompNumThreadsEnv == null) {
                p.add("OMP_NUM_THREADS is not set: OpenMP uses every core (" + maxThreads + ")");
            }
            return p;
        }
    }

    /** Switches DL4J's layer helpers on for networks built from now on. */
    public static void enableHelpers() {
        System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
    }

    /** True when DL4J will create layer helpers (the property is read at helper creation). */
    public static boolean helpersEnabled() {
        return !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY, "true"));
    }

    /** Loads the backend (if not yet) and reports its settings. */
    public static RuntimeReport report() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = String.valueOf(env.getProperty("backend"));
        String blas = String.valueOf(env.getOrDefault("blas.vendor", "unknown"));
        return new RuntimeReport(backend, helpersEnabled(),
                org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN(),
                Nd4j.getEnvironment().maxThreads(), System.getenv("OMP_NUM_THREADS"), blas);
    }
}
