package dev.bluepost.testing;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** REST Assured shortcuts for the FHIR API as the system client. */
public final class Api {

    public static final String CLIENT_ID = "bluepost-system";
    public static final String CLIENT_SECRET = "bluepost-dev-secret";
    public static final String FHIR_JSON = "application/fhir+json";

    private static String token;

    private Api() {}

    /** A system-client access token (cached for the test run; tokens live an hour). */
    public static synchronized String token() {
        if (token == null) {
            token =
                    given().auth()
                            .preemptive()
                            .basic(CLIENT_ID, CLIENT_SECRET)
                            .formParam("grant_type", "client_credentials")
                            .post("/oauth/token")
                            .then()
                            .statusCode(200)
                            .extract()
                            .path("access_token");
        }
        return token;
    }

    public static RequestSpecification fhir() {
        return given().header("Authorization", "Bearer " + token())
                .contentType(FHIR_JSON)
                .accept(FHIR_JSON);
    }

    public static Response post(IBaseResource resource) {
        return fhir().body(Fhir.json(resource)).post("/fhir/" + resource.fhirType());
    }

    /** Posts and returns the new resource's id (asserting 201). */
    public static String create(IBaseResource resource) {
        String location = post(resource).then().statusCode(201).extract().header("Location");
        String[] parts = location.substring(location.indexOf("/fhir/") + 6).split("/");
        return parts[1];
    }

    public static <T extends IBaseResource> T read(Class<T> type, String reference) {
        String body = fhir().get("/fhir/" + reference).then().statusCode(200).extract().asString();
        return Fhir.parse(body, type);
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
