package dev.abo.registry;

/**
 * A request the registry refuses: the HTTP status, a stable machine-readable {@code error} code and a
 * human-readable {@code reason}. Sent as {@code {"error": ..., "reason": ...}}.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String error;

    public ApiException(int status, String error, String reason) {
        super(reason);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String reason() {
        return getMessage();
    }

    static ApiException badRequest(String error, String reason) {
        return new ApiException(400, error, reason);
    }

    static ApiException conflict(String error, String reason) {
        return new ApiException(409, error, reason);
    }

    static ApiException notFound(String error, String reason) {
        return new ApiException(404, error, reason);
    }
}
