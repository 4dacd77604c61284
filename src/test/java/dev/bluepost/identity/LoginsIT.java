package dev.bluepost.identity;

import static dev.bluepost.testing.Builders.aProxy;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Logins are provisioned by the system client (API) or the practice admin (page), with their records checked. */
@QuarkusTest
class LoginsIT {

    @Inject IdentityService identities;

    @Test
    void shouldProvisionLoginsThroughTheApiAndRefuseInconsistentOnes() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String admin = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        api().body(
                        Map.of(
                                "username",
                                admin,
                                "displayName",
                                "First Admin",
                                "role",
                                "ADMIN",
                                "password",
                                "a-long-password",
                                "practice",
                                practice.practice))
                .post("/api/logins")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/logins/"))
                .body("username", equalTo(admin))
                .body("roles", hasItem("ADMIN"));
        WebSession.signIn(admin, "a-long-password").get("/admin").then().statusCode(200);

        problem(
                api().body(
                                Map.of(
                                        "username",
                                        admin,
                                        "displayName",
                                        "Again",
                                        "role",
                                        "ADMIN",
                                        "password",
                                        "a-long-password",
                                        "practice",
                                        practice.practice))
                        .post("/api/logins"),
                409);
        problem(
                        api().body(
                                        Map.of(
                                                "username",
                                                "p-" + admin,
                                                "displayName",
                                                "No record",
                                                "role",
                                                "PATIENT",
                                                "password",
                                                "a-long-password"))
                                .post("/api/logins"),
                        422)
                .body("detail", containsString("Patient record"));
        problem(
                        api().body(
                                        Map.of(
                                                "username",
                                                "d-" + admin,
                                                "displayName",
                                                "Doctor",
                                                "role",
                                                "PROVIDER",
                                                "password",
                                                "a-long-password",
                                                "practice",
                                                practice.practice,
                                                "practitioner",
                                                practice.staff))
                                .post("/api/logins"),
                        422)
                .body("detail", containsString("NPI"));
        problem(
                api().body(
                                Map.of(
                                        "username",
                                        "x-" + admin,
                                        "displayName",
                                        "X",
                                        "role",
                                        "SYSTEM",
                                        "password",
                                        "a-long-password"))
                        .post("/api/logins"),
                422);
        problem(
                api().body(
                                Map.of(
                                        "username",
                                        "s-" + admin,
                                        "displayName",
                                        "Short",
                                        "role",
                                        "ADMIN",
                                        "password",
                                        "short",
                                        "practice",
                                        practice.practice))
                        .post("/api/logins"),
                422);
        problem(api().body("{\"username\": ").post("/api/logins"), 400);
        problem(given().contentType("application/json").body("{}").post("/api/logins"), 401);
        api().queryParam("practice", practice.practice)
                .get("/api/logins")
                .then()
                .statusCode(200)
                .body("username", hasItem(admin))
                .body("username", hasItem(practice.patientLogin));
    }

    @Test
    void shouldLetThePracticeAdminCreateAProxyLogin() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String proxyId = Api.create(aProxy(practice.patient));
        String admin = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        api().body(
                        Map.of(
                                "username",
                                admin,
                                "displayName",
                                "Admin",
                                "role",
                                "ADMIN",
                                "password",
                                "a-long-password",
                                "practice",
                                practice.practice))
                .post("/api/logins")
                .then()
                .statusCode(201);

        WebSession session = WebSession.signIn(admin, "a-long-password");
        session.get("/admin/logins")
                .then()
                .statusCode(200)
                .body(containsString("RelatedPerson/" + proxyId));
        String login = "grandma-" + UUID.randomUUID().toString().substring(0, 6);
        session.submit(
                        "/admin/logins",
                        Map.of(
                                "username",
                                login,
                                "displayName",
                                "Grandma",
                                "role",
                                "PROXY",
                                "record",
                                "RelatedPerson/" + proxyId,
                                "password",
                                "grandma-password"))
                .then()
                .statusCode(303);
        session.get("/admin/logins?created=" + login)
                .then()
                .statusCode(200)
                .body(containsString(login));
        session.submit(
                        "/admin/logins",
                        Map.of(
                                "username",
                                login,
                                "displayName",
                                "Twice",
                                "role",
                                "PROXY",
                                "record",
                                "RelatedPerson/" + proxyId,
                                "password",
                                "grandma-password"))
                .then()
                .statusCode(409)
                .body(containsString("already taken"));
        WebSession.signIn(login, "grandma-password").get("/patient").then().statusCode(200);

        WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD)
                .get("/admin/logins")
                .then()
                .statusCode(403);
    }

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer " + Api.token())
                .contentType("application/json");
    }

    private static io.restassured.response.ValidatableResponse problem(
            io.restassured.response.Response response, int status) {
        return response.then()
                .statusCode(status)
                .contentType(containsString("application/problem+json"))
                .body("status", equalTo(status))
                .body("requestId", equalTo(response.header("X-Request-Id")));
    }
}
