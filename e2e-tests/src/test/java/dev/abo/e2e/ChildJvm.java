package dev.abo.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a service in its own JVM: this test JVM's java and classpath (every service module is
 * on it), the service's {@code main} class, and the runtime flags {@code ./abo} and the services' test
 * configurations use: serial GC, C1 only (start-up on 2 shared cores), 4 MiB thread stacks, and the DL4J
 * settings of this JVM (JavaCPP cache directory, oneDNN layer helpers on) passed on as they are.
 *
 * @param mainClass the service's entry point, e.g. {@code dev.abo.trainer.TrainerMain}
 * @param maxHeap   {@code -Xmx} value, e.g. {@code 512m}
 */
record ChildJvm(String mainClass, String maxHeap) {

    /** System properties of this JVM that a DL4J service needs as well (set by the module's argLine). */
    static final List<String> FORWARDED = List.of("org.bytedeco.javacpp.cachedir", "org.eclipse.deeplearning4j.helpers.disable");

    List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xss4m");
        cmd.add("-Xmx" + maxHeap);
        cmd.add("-Djava.awt.headless=true");
        for (String p : FORWARDED) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        // slf4j-simple: times on every line, Kafka clients' INFO chatter off
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
        cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        return cmd;
    }
}
