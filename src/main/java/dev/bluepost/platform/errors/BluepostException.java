package dev.bluepost.platform.errors;

/**
 * A failure the caller can understand and act on. The message is shown to the client and written
 * to the log, so it must never contain PHI: name resources by type and id, never by content.
 */
public class BluepostException extends RuntimeException {

    private final ErrorKind kind;

    public BluepostException(ErrorKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static BluepostException notFound(String resourceType, Object id) {
        return new BluepostException(ErrorKind.NOT_FOUND, resourceType + "/" + id + " is not known");
    }

    public static BluepostException malformed(String message) {
        return new BluepostException(ErrorKind.MALFORMED, message);
    }

    public static BluepostException businessRule(String message) {
        return new BluepostException(ErrorKind.BUSINESS_RULE, message);
    }

    public static BluepostException conflict(String message) {
        return new BluepostException(ErrorKind.CONFLICT, message);
    }

    public static BluepostException preconditionFailed(String message) {
        return new BluepostException(ErrorKind.PRECONDITION_FAILED, message);
    }

    public static BluepostException forbidden(String message) {
        return new BluepostException(ErrorKind.FORBIDDEN, message);
    }

    public static BluepostException tooLarge(String message) {
        return new BluepostException(ErrorKind.PAYLOAD_TOO_LARGE, message);
    }
}
