package dev.bluepost.platform.errors;

import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem details, the default body of every non-FHIR JSON endpoint. */
@ApplicationScoped
public class ProblemJsonRenderer implements ErrorRenderer {

    public static final String PROBLEM_JSON = "application/problem+json";

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean accepts(HttpServerRequest request) {
        return true;
    }

    @Override
    public Response render(ErrorInfo error, HttpServerRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "type",
                "https://bluepost.dev/problems/"
                        + error.kind().name().toLowerCase().replace('_', '-'));
        body.put("title", error.kind().title());
        body.put("status", error.status());
        body.put("detail", error.detail());
        body.put("instance", request.path());
        body.put("requestId", error.requestId());
        Response.ResponseBuilder builder =
                Response.status(error.status()).type(PROBLEM_JSON).entity(body);
        if (error.retryAfterSeconds() != null) {
            builder.header("Retry-After", error.retryAfterSeconds());
        }
        return builder.build();
    }
}
