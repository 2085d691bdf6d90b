package dev.abo.cli.bench;

import dev.abo.cli.Abo;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the abo command line in-process and captures what it prints (as the CLI tests' CliRun). */
record BenchCli(int exitCode, String out, String err) {

    static BenchCli of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Abo.newCommandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new BenchCli(code, out.toString(), err.toString());
    }
}
