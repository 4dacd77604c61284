package dev.bluepost.platform.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bluepost.platform.web.RequestIds;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Classifies any failure into an {@link ErrorInfo}. Only texts we wrote reach the client; messages
 * of libraries (which can quote input values or name Java classes) are replaced by a plain sentence.
 */
@ApplicationScoped
public class ErrorClassifier {

    /** SQL states that mean "the database is not reachable right now" (class 08, admin shutdown, too many connections). */
    private static final Set<String> UNAVAILABLE_SQL_STATES =
            Set.of("57P01", "57P02", "57P03", "53300");

    private static final int RETRY_AFTER_SECONDS = 5;

    /** An I/O failure reading the request because the client went away (closed channel, reset connection). */
    static boolean isClientGone(Throwable failure) {
        if (!(failure instanceof java.io.IOException)) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.ClosedChannelException
                    || (t instanceof java.io.IOException
                            && t.getMessage() != null
                            && t.getMessage().contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    public ErrorInfo classify(Throwable failure) {
        String requestId = RequestIds.current();
        if (isDatabaseUnavailable(failure)) {
            return new ErrorInfo(
                    ErrorKind.UNAVAILABLE,
                    "The service is temporarily unavailable; please retry shortly.",
                    requestId,
                    RETRY_AFTER_SECONDS);
        }
        if (failure instanceof BluepostException e) {
            return new ErrorInfo(
                    e.kind(),
                    e.getMessage(),
                    requestId,
                    e.kind() == ErrorKind.UNAVAILABLE || e.kind() == ErrorKind.TOO_MANY_REQUESTS
                            ? RETRY_AFTER_SECONDS
                            : null,
                    e.translated() ? e::in : null);
        }
        if (failure instanceof UnauthorizedException
                || failure instanceof AuthenticationFailedException
                || failure instanceof AuthenticationCompletionException) {
            return new ErrorInfo(
                    ErrorKind.UNAUTHENTICATED,
                    "A valid login or access token is required.",
                    requestId,
                    null);
        }
        if (failure instanceof ForbiddenException) {
            return new ErrorInfo(
                    ErrorKind.FORBIDDEN, "You are not allowed to do this.", requestId, null);
        }
        if (failure instanceof ConstraintViolationException e) {
            String detail =
                    e.getConstraintViolations().stream()
                            .map(
                                    v ->
                                            lastNode(v.getPropertyPath().toString())
                                                    + ": "
                                                    + v.getMessage())
                            .sorted()
                            .collect(Collectors.joining("; "));
            return new ErrorInfo(ErrorKind.MALFORMED, detail, requestId, null);
        }
        if (failure instanceof JsonProcessingException) {
            return new ErrorInfo(
                    ErrorKind.MALFORMED,
                    "The request body is not valid JSON of the expected shape.",
                    requestId,
                    null);
        }
        if (hasSqlState(failure, "22021") || hasSqlState(failure, "22P05")) {
            // PostgreSQL stores no NUL character in text or jsonb ("invalid byte sequence",
            // "unsupported Unicode escape")
            return new ErrorInfo(
                    ErrorKind.MALFORMED,
                    "The request holds a character that cannot be stored (such as a NUL "
                            + "character, \\u0000).",
                    requestId,
                    null);
        }
        if (hasSqlState(failure, "54000") || hasSqlState(failure, "22001")) {
            return new ErrorInfo(
                    ErrorKind.MALFORMED,
                    "A value in the request is too long to be stored or searched.",
                    requestId,
                    null);
        }
        if (hasSqlState(failure, "23505")) {
            return new ErrorInfo(
                    ErrorKind.CONFLICT,
                    "Another request stored the same record at the same time (a duplicate identifier); read it and retry.",
                    requestId,
                    null);
        }
        if (failure instanceof OptimisticLockException
                || hasCause(failure, "org.hibernate.StaleObjectStateException")) {
            return new ErrorInfo(
                    ErrorKind.CONFLICT,
                    "The resource was changed by someone else meanwhile; read it again and retry.",
                    requestId,
                    null);
        }
        if (isClientGone(failure)) {
            // the client closed the connection while its request body was still being read: nobody
            // receives this answer, and it is not the server's failure
            return new ErrorInfo(
                    ErrorKind.MALFORMED,
                    "The request was interrupted before its body was complete.",
                    requestId,
                    null);
        }
        if (failure instanceof WebApplicationException e) {
            ErrorKind kind = ErrorKind.forStatus(e.getResponse().getStatus());
            return new ErrorInfo(kind, webApplicationDetail(kind), requestId, null);
        }
        return new ErrorInfo(
                ErrorKind.INTERNAL,
                "An unexpected error occurred. Quote the request id when reporting it.",
                requestId,
                null);
    }

    private static String webApplicationDetail(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> "There is nothing at this address.";
            case METHOD_NOT_ALLOWED -> "This address does not support that method.";
            case UNSUPPORTED_MEDIA_TYPE -> "The request's content type is not supported here.";
            case NOT_ACCEPTABLE -> "None of the accepted response types can be produced here.";
            case PAYLOAD_TOO_LARGE -> "The request body is too large.";
            case UNAUTHENTICATED -> "A valid login or access token is required.";
            case FORBIDDEN -> "You are not allowed to do this.";
            case INTERNAL, UNAVAILABLE -> "The request could not be completed.";
            default -> "The request is not valid.";
        };
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    public static boolean isDatabaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null
                        && (state.startsWith("08") || UNAVAILABLE_SQL_STATES.contains(state))) {
                    return true;
                }
                String message = sql.getMessage();
                if (state == null
                        && message != null
                        && message.toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
                    // Agroal: no connection could be obtained from the pool in time. Agroal 3.2
                    // throws
                    // "Sorry, acquisition timeout!" from the pool and "Acquisition timeout while
                    // waiting
                    // for connection" from a blocked waiter.
                    return true;
                }
            }
            if (t instanceof ConnectException
                    || t.getClass()
                            .getName()
                            .equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean hasSqlState(Throwable failure, String sqlState) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && sqlState.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable failure, String className) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getClass().getName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}
