package dev.bluepost.platform.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The single exit for every failure of a REST endpoint or page: classify, log (ids only), announce
 * refusals (401, 403, 404) as {@link RequestRefused} for the audit log, render with the renderer of
 * the caller's kind. Mappers are listed per type so that they win over the
 * built-in ones of Quarkus for the same types.
 */
public class ExceptionMappers {

    @Inject ErrorClassifier classifier;

    @Inject Instance<ErrorRenderer> renderers;

    @Inject Event<RequestRefused> refusals;

    @ServerExceptionMapper(priority = 1)
    public Response bluepost(BluepostException e, HttpServerRequest request) {
        return handle(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response web(WebApplicationException e, HttpServerRequest request) {
        return handle(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return handle(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response authenticationFailed(
            AuthenticationFailedException e, HttpServerRequest request) {
        return handle(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response authenticationCompletion(
            AuthenticationCompletionException e, HttpServerRequest request) {
        return handle(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return handle(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response validation(ValidationException e, HttpServerRequest request) {
        return handle(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        return handle(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response any(Throwable e, HttpServerRequest request) {
        return handle(e, request);
    }

    public Response handle(Throwable failure, HttpServerRequest request) {
        ErrorInfo error = classifier.classify(failure);
        if (error.status() >= 500 && error.kind() != ErrorKind.UNAVAILABLE) {
            Log.errorf(
                    "requestId=%s status=%d method=%s path=%s failure=%s",
                    error.requestId(),
                    error.status(),
                    request.method(),
                    request.path(),
                    SafeThrowables.describe(failure));
        } else {
            Log.debugf(
                    "requestId=%s status=%d kind=%s method=%s path=%s",
                    error.requestId(),
                    error.status(),
                    error.kind(),
                    request.method(),
                    request.path());
            if (error.kind() == ErrorKind.UNAVAILABLE) {
                Log.warnf(
                        "requestId=%s status=503 database unavailable path=%s cause=%s",
                        error.requestId(), request.path(), failure.getClass().getName());
            }
        }
        if (RequestRefused.announced(error.kind())) {
            try {
                refusals.fire(
                        new RequestRefused(error.kind(), request.method().name(), request.path()));
            } catch (RuntimeException e) {
                // whoever records refusals must not turn a refusal into a failure of its own
                Log.warnf(
                        "requestId=%s refusal not recorded path=%s cause=%s",
                        error.requestId(), request.path(), SafeThrowables.describe(e));
            }
        }
        return renderer(request).render(error, request);
    }

    private ErrorRenderer renderer(HttpServerRequest request) {
        return renderers.stream()
                .filter(r -> r.accepts(request))
                .max(Comparator.comparingInt(ErrorRenderer::priority))
                .orElseThrow();
    }
}
