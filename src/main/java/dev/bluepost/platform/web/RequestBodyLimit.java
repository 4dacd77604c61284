package dev.bluepost.platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorClassifier;
import dev.bluepost.platform.errors.ErrorInfo;
import dev.bluepost.platform.errors.ErrorRenderer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared {@code Content-Length} is above
 * {@code quarkus.http.limits.max-body-size} before any of its body is processed, with the same
 * body every other refusal has (a page, an OperationOutcome under {@code /fhir}, problem+json).
 *
 * <p>Quarkus' own check answers such a request with an empty 413 and closes the connection at
 * once; a client still sending its body (a browser uploading a 200 MB file) then sees the
 * connection reset instead of the answer. Here the answer is sent first, and what the client still
 * sends is read and discarded — never stored or parsed — for at most {@link #DRAIN_BYTES} and
 * {@link #DRAIN_MILLIS}, then the connection is closed. Bodies without a length (chunked) are
 * still limited by Quarkus while they stream.
 */
@ApplicationScoped
public class RequestBodyLimit {

    static final long DRAIN_BYTES = 512L * 1024 * 1024;
    static final long DRAIN_MILLIS = 60_000;

    private final long limit;
    private final ErrorClassifier classifier;
    private final Instance<ErrorRenderer> renderers;
    private final ObjectMapper json;

    public RequestBodyLimit(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit,
            ErrorClassifier classifier,
            Instance<ErrorRenderer> renderers,
            ObjectMapper json) {
        this.limit = limit.asLongValue();
        this.classifier = classifier;
        this.renderers = renderers;
        this.json = json;
    }

    void register(@Observes Router router) {
        // after the request id (MIN + 10), before Quarkus' own limit (-2)
        router.route().order(Integer.MIN_VALUE + 30).handler(this::check);
    }

    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        long declared = declaredLength(request.getHeader("Content-Length"));
        if (declared <= limit) {
            context.next();
            return;
        }
        Log.infof(
                "request body refused status=413 declaredBytes=%d limitBytes=%d method=%s path=%s",
                declared, limit, request.method(), request.path());
        ErrorInfo error =
                classifier.classify(
                        BluepostException.tooLarge(
                                "The request is "
                                        + megabytes(declared)
                                        + "; this server accepts at most "
                                        + megabytes(limit)
                                        + " in one request. Nothing was stored. "
                                        + "Attach smaller files, or fewer at a time."));
        Response rendered =
                renderers.stream()
                        .filter(r -> r.accepts(request))
                        .max(Comparator.comparingInt(ErrorRenderer::priority))
                        .orElseThrow()
                        .render(error, request);
        // rendered before the response is touched: a failure here reaches the router's error
        // handling whole
        String body = body(rendered);
        HttpServerResponse response = context.response();
        response.setStatusCode(rendered.getStatus());
        rendered.getStringHeaders()
                .forEach((name, values) -> values.forEach(v -> response.headers().add(name, v)));
        response.putHeader("Cache-Control", "no-store");
        response.putHeader("Connection", "close");

        long[] drained = {0};
        long timer = context.vertx().setTimer(DRAIN_MILLIS, t -> request.connection().close());
        request.handler(
                buffer -> {
                    drained[0] += buffer.length();
                    if (drained[0] > DRAIN_BYTES) {
                        request.connection().close();
                    }
                });
        request.exceptionHandler(failure -> context.vertx().cancelTimer(timer));
        request.endHandler(
                done -> {
                    context.vertx().cancelTimer(timer);
                    request.connection().close();
                });
        request.resume();
        response.end(body);
    }

    /**
     * The refusal's body: a page or an OperationOutcome as rendered, problem+json serialized. The
     * renderers build it from plain strings and numbers, so a failure to serialize it is a defect:
     * it is not hidden behind an empty body.
     */
    String body(Response rendered) {
        Object entity = rendered.getEntity();
        if (entity == null || entity instanceof String) {
            return entity == null ? "" : (String) entity;
        }
        try {
            return json.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the 413 body could not be serialized", e);
        }
    }

    private static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String megabytes(long bytes) {
        double mb = Math.ceil(bytes / (1024.0 * 1024.0) * 10) / 10;
        String text = String.format(Locale.ROOT, "%.1f", mb);
        return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + " MB";
    }
}
