package dev.bluepost.platform.errors;

/**
 * One failure, classified: the kind, a client-safe detail, the request id (also in the log line)
 * and, for a temporary outage, how many seconds to wait before retrying.
 */
public record ErrorInfo(ErrorKind kind, String detail, String requestId, Integer retryAfterSeconds) {

    public int status() {
        return kind.status();
    }
}
