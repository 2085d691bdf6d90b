package dev.abo.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the errors a user can cause (bad files, bad arguments) into one clear line on stderr and
 * exit code 2; anything else is a bug and keeps its stack trace (exit code 1).
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
    static final int USER_ERROR = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) throws Exception {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (t instanceof IOException || t instanceof IllegalArgumentException) {
            cmd.getErr().println("abo " + cmd.getCommandName() + ": error: " + t.getMessage());
            cmd.getErr().flush();
            return USER_ERROR;
        }
        throw ex;
    }
}
