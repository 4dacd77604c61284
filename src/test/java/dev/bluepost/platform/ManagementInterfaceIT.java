package dev.bluepost.platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * Metrics describe the system (its load, its errors, its backlog), so they are served only on the
 * management interface, a port of its own for the operations network; the port the public reaches
 * answers no metrics to anyone. Health stays where the FHIR contract and the platform's probes
 * expect it, on the main port (docs/operations.md).
 */
@QuarkusTest
class ManagementInterfaceIT {

    @TestHTTPResource(value = "metrics", management = true)
    URL managementMetrics;

    @TestHTTPResource("/q/metrics")
    URL publicMetrics;

    @Test
    void shouldServeMetricsOnlyOnTheManagementInterface() {
        assertThat(managementMetrics.getPort()).isNotEqualTo(publicMetrics.getPort());

        given().get(publicMetrics)
                .then()
                .statusCode(not(is(200)))
                .body(not(containsString("jvm_")));
        given().get(managementMetrics)
                .then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("bluepost_triage_backlog_messages"));

        // the probes stay on the main port; OpenAPI (public endpoints only) too
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
