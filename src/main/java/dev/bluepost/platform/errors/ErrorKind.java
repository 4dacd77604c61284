package dev.bluepost.platform.errors;

/** What went wrong, independent of how the answer is rendered (OperationOutcome, problem+json, page). */
public enum ErrorKind {
    MALFORMED(400, "invalid", "Malformed request"),
    UNAUTHENTICATED(401, "login", "Authentication required"),
    FORBIDDEN(403, "forbidden", "Not allowed"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "not-supported", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-supported", "Not acceptable"),
    CONFLICT(409, "conflict", "Conflict"),
    PRECONDITION_FAILED(412, "conflict", "Precondition failed"),
    PAYLOAD_TOO_LARGE(413, "too-long", "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "not-supported", "Unsupported media type"),
    BUSINESS_RULE(422, "business-rule", "Unprocessable request"),
    TOO_MANY_REQUESTS(429, "throttled", "Too many requests"),
    INTERNAL(500, "exception", "Internal error"),
    UNAVAILABLE(503, "transient", "Service unavailable");

    private final int status;
    private final String fhirIssueCode;
    private final String title;

    ErrorKind(int status, String fhirIssueCode, String title) {
        this.status = status;
        this.fhirIssueCode = fhirIssueCode;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** The code from http://hl7.org/fhir/issue-type used in OperationOutcome.issue.code. */
    public String fhirIssueCode() {
        return fhirIssueCode;
    }

    public String title() {
        return title;
    }

    public static ErrorKind forStatus(int status) {
        for (ErrorKind kind : values()) {
            if (kind.status == status) {
                return kind;
            }
        }
        return status >= 500 ? INTERNAL : MALFORMED;
    }
}
