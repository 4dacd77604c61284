package dev.bluepost.fhir;

import dev.bluepost.platform.errors.ErrorInfo;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.errors.ErrorRenderer;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.StringType;

/** Failures of the FHIR API are OperationOutcome resources with the request id as an extension. */
@ApplicationScoped
public class FhirErrorRenderer implements ErrorRenderer {

    private final FhirJson json;

    public FhirErrorRenderer(FhirJson json) {
        this.json = json;
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public boolean accepts(HttpServerRequest request) {
        return request.path().startsWith("/fhir");
    }

    @Override
    public Response render(ErrorInfo error, HttpServerRequest request) {
        Response.ResponseBuilder response =
                Response.status(error.status())
                        .type(FhirMediaTypes.FHIR_JSON_UTF8)
                        .entity(json.write(outcome(error)));
        if (error.kind() == ErrorKind.UNAUTHENTICATED) {
            response.header("WWW-Authenticate", "Bearer realm=\"bluepost\"");
        }
        if (error.retryAfterSeconds() != null) {
            response.header("Retry-After", error.retryAfterSeconds());
        }
        return response.build();
    }

    public static OperationOutcome outcome(ErrorInfo error) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addExtension(FhirUrls.EXT_REQUEST_ID, new StringType(error.requestId()));
        outcome.addIssue()
                .setSeverity(
                        error.status() >= 500
                                ? OperationOutcome.IssueSeverity.FATAL
                                : OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.fromCode(error.kind().fhirIssueCode()))
                .setDiagnostics(error.detail());
        return outcome;
    }
}
