package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim that makes DL4J 1.0.0-M2.1's oneDNN layer helpers usable (dl4j-recipes 5.1).
 *
 * <p>DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} looks for the class
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} and calls {@code getInstance().isUseMKLDNN()} by
 * reflection. In M2.1 the real binding is {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}
 * and the method is {@code isUseONEDNN()}, so the lookup fails and no helper is ever used. This class
 * provides the old name and forwards to the new one.
 *
 * <p>The forward is itself reflective so this module compiles against the CUDA backend too (no
 * {@code nd4j-native} on the class path); there it answers {@code false}.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The name DL4J's helper check reflects on. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        static final String BINDING = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether the loaded native library was built with oneDNN and has it switched on. */
        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName(BINDING);
                Object instance = env.getMethod("getInstance").invoke(null);
                Method m = env.getMethod("isUseONEDNN");
                return (Boolean) m.invoke(instance);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
