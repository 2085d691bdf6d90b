package dev.abo.core.geometry;

/** A box that cannot be used as ground truth; the message says why. */
public class InvalidBoxException extends IllegalArgumentException {
    public InvalidBoxException(String reason) {
        super(reason);
    }
}
