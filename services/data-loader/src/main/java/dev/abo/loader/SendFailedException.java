package dev.abo.loader;

/** A Kafka call of the loader failed (a send, or measuring the lag), with how the loader must react ({@link #kind()}). */
public final class SendFailedException extends RuntimeException {

    private final ErrorKind kind;

    /** @param what e.g. {@code "batch 12 to train.batches"} */
    public SendFailedException(ErrorKind kind, String what, Throwable cause) {
        super(what + " failed (" + kind.tag() + "): " + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }
}
