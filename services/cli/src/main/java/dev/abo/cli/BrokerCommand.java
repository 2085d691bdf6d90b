package dev.abo.cli;

import java.nio.file.Path;

import dev.abo.broker.BrokerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code abo broker}: the one-machine Kafka (KRaft, in this process) until Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {
            "Run a single-node Kafka broker (KRaft) on 127.0.0.1 with the project's topics created.",
            "Prints 'KAFKA READY bootstrap=127.0.0.1:PORT' when it accepts clients; keeps its data in --data,",
            "so a restart has the same topics and records. Ctrl-C shuts it down cleanly."})
final class BrokerCommand implements Runnable {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = BrokerMain.DEFAULT_DATA_DIR,
            description = "data directory (default ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--port", defaultValue = "" + BrokerMain.DEFAULT_PORT, description = "client port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--controller-port", defaultValue = "" + BrokerMain.DEFAULT_CONTROLLER_PORT,
            description = "KRaft controller port (default ${DEFAULT-VALUE})")
    int controllerPort;

    @Override
    public void run() {
        if (port < 0 || port > 65535 || controllerPort < 0 || controllerPort > 65535) {
            throw new IllegalArgumentException("ports must be in [0, 65535], got --port " + port + " --controller-port "
                    + controllerPort);
        }
        BrokerMain.run(data, port, controllerPort);
    }
}
