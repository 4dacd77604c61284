package dev.bluepost.platform.errors;

/**
 * A request the application refused with 401, 403 or 404, as {@link ExceptionMappers} saw it: the
 * kind of refusal and what was asked for (method and path; ids only, never a body). Fired
 * synchronously while the request is still being served, so that the audit log can record refused
 * access to patient information in one place (docs/adr/0030-refused-access-audit-and-account-support.md).
 */
public record RequestRefused(ErrorKind kind, String method, String path) {

    /** Whether an answer of this kind is a refusal that {@link ExceptionMappers} announces. */
    public static boolean announced(ErrorKind kind) {
        return kind == ErrorKind.UNAUTHENTICATED
                || kind == ErrorKind.FORBIDDEN
                || kind == ErrorKind.NOT_FOUND;
    }
}
