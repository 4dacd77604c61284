package dev.bluepost.platform.errors;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;

/**
 * Turns a classified failure into the body its caller expects. Features contribute renderers for
 * their paths (the FHIR API answers OperationOutcome, pages answer an HTML page); anything else
 * gets RFC 9457 problem+json.
 */
public interface ErrorRenderer {

    /** Higher wins when several renderers accept a request. */
    int priority();

    boolean accepts(HttpServerRequest request);

    Response render(ErrorInfo error, HttpServerRequest request);
}
