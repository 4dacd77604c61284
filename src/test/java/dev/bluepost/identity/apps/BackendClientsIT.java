package dev.bluepost.identity.apps;

import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.PracticeSystem.as;
import static dev.bluepost.testing.PracticeSystem.requestToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.AuditJournal;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.PracticeSystem;
import dev.bluepost.testing.Sql;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A practice's backend clients over the real stack (ADR 0048): the admin registers one with its
 * public keys on /admin/integrations (bad keys are said on the field and write nothing), the client
 * gets a read-only token with a signed assertion (RFC 7523, SMART Backend Services), every bad
 * assertion is {@code invalid_client} with only a failure audit entry, a turned-off client's
 * tokens stop working, and the operator's system client keeps its secret.
 */
@QuarkusTest
class BackendClientsIT {

    @Inject IdentityService identities;

    private PracticeFixture home;
    private WebSession admin;

    @BeforeEach
    void practiceWithAnAdmin() {
        home = PracticeFixture.create(identities);
        String login = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "Practice Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(home.practice),
                        null,
                        null,
                        Set.of()));
        admin = WebSession.signIn(login, PracticeFixture.PASSWORD);
    }

    private static long audits(String where, Object... parameters) {
        AuditJournal.settle();
        return Sql.count("select count(*) from audit_event where " + where, parameters);
    }

    @Test
    void shouldRegisterAClientOnTheAdminPageAndShowWhatTheSystemNeeds() {
        PracticeSystem system =
                PracticeSystem.rsa(2048).registeredBy(admin, "Clinic EHR " + UUID.randomUUID());
        assertThat(system.clientId).startsWith("bp-");
        assertThat(
                        Sql.single(
                                "select practice_id::text from backend_client where client_id = ?",
                                system.clientId))
                .isEqualTo(PracticeFixture.id(home.practice).toString());
        String id =
                Sql.single(
                        "select id::text from backend_client where client_id = ?", system.clientId);
        admin.get("/admin/integrations/" + id)
                .then()
                .statusCode(200)
                .body(
                        containsString(system.clientId),
                        containsString("/oauth/token"),
                        containsString(system.key.getKeyId()),
                        containsString("Saved."));
        admin.get("/admin/integrations")
                .then()
                .statusCode(200)
                .body(containsString(system.clientId));
        assertThat(
                        audits(
                                "action = 'CREATE' and resource_type = 'BackendClient' and resource_id = ?",
                                id))
                .isOne();
        assertThat(
                        Sql.single(
                                "select jwks from backend_client where client_id = ?",
                                system.clientId))
                .as("only public parts are stored")
                .doesNotContain("\"d\"");
    }

    @Test
    void shouldIssueAReadOnlyPracticeTokenForAValidAssertionInV2AndV1ScopeForms() {
        PracticeSystem system =
                PracticeSystem.rsa(2048).registeredBy(admin, "EHR " + UUID.randomUUID());
        requestToken(system.sign(system.claims()), "system/*.rs")
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body(
                        "token_type",
                        equalTo("Bearer"),
                        "scope",
                        equalTo("system/*.rs"),
                        "expires_in",
                        not(nullValue()));
        requestToken(system.sign(system.claims()), "system/*.read")
                .then()
                .statusCode(200)
                .body("scope", equalTo("system/*.rs"));
        requestToken(system.sign(system.claims()), "system/Patient.cruds system/Communication.read")
                .then()
                .statusCode(200)
                .body("scope", equalTo("system/Communication.rs system/Patient.rs"));
        requestToken(system.sign(system.claims()), "system/Patient.c")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_scope"));
        assertThat(
                        audits(
                                "action = 'LOGIN' and actor_client_id = ? and reason_code = 'backend-token-issued' and practice_id = ?",
                                system.clientId,
                                PracticeFixture.id(home.practice)))
                .isEqualTo(3);
        // ES384 with an EC P-384 key
        PracticeSystem ec =
                PracticeSystem.ec384().registeredBy(admin, "Reporting " + UUID.randomUUID());
        String token = ec.token("system/Patient.rs");
        as(token).get("/fhir/" + home.patient).then().statusCode(200);
        // the operator's system client keeps its secret
        given().auth()
                .preemptive()
                .basic(Api.CLIENT_ID, Api.CLIENT_SECRET)
                .formParam("grant_type", "client_credentials")
                .post("/oauth/token")
                .then()
                .statusCode(200)
                .body("scope", equalTo("system/*.*"));
    }

    @Test
    void shouldRefuseEveryBadAssertionAsInvalidClientWritingOnlyAFailureAuditEntry() {
        PracticeSystem system =
                PracticeSystem.rsa(2048).registeredBy(admin, "EHR " + UUID.randomUUID());
        PracticeSystem stranger = PracticeSystem.rsa(2048);
        refused(
                system,
                "wrong-audience",
                c -> c.setAudience("https://elsewhere.example/oauth/token"));
        refused(system, "wrong-audience", c -> c.setAudience(PracticeSystem.tokenUrl() + "/"));
        refused(
                system,
                "assertion-expired",
                c ->
                        c.setExpirationTime(
                                NumericDate.fromSeconds(
                                        Instant.now().minusSeconds(5).getEpochSecond())));
        refused(
                system,
                "assertion-lifetime",
                c ->
                        c.setExpirationTime(
                                NumericDate.fromSeconds(
                                        Instant.now().plusSeconds(600).getEpochSecond())));
        refused(system, "wrong-subject", c -> c.setSubject("someone-else"));
        long jtis =
                Sql.count(
                        "select count(*) from backend_client_jti where client_id = ?",
                        system.clientId);
        // unknown kid; a signature by another key under the registered kid
        assertRefused(
                requestToken(
                        PracticeSystem.sign(system.claims(), system.key, "no-such-kid"),
                        "system/*.rs"));
        assertRefused(
                requestToken(
                        PracticeSystem.sign(system.claims(), stranger.key, system.key.getKeyId()),
                        "system/*.rs"));
        assertThat(
                        audits(
                                "action = 'LOGIN_FAILED' and actor_client_id = ? and reason_code in ('unknown-kid', 'bad-signature')",
                                system.clientId))
                .isEqualTo(2);
        // a client nobody registered
        stranger.clientId = "bp-unknown-" + UUID.randomUUID();
        long unknownBefore = audits("action = 'LOGIN_FAILED' and reason_code = 'unknown-client'");
        assertRefused(requestToken(stranger.sign(stranger.claims()), "system/*.rs"));
        assertThat(audits("action = 'LOGIN_FAILED' and reason_code = 'unknown-client'"))
                .isEqualTo(unknownBefore + 1);
        assertThat(
                        Sql.count(
                                "select count(*) from backend_client_jti where client_id = ?",
                                system.clientId))
                .as("a refused assertion writes no jti")
                .isEqualTo(jtis);
        // the same jti twice: the second is a replay
        JwtClaims once = system.claims();
        String assertion = system.sign(once);
        requestToken(assertion, "system/*.rs").then().statusCode(200);
        assertRefused(requestToken(assertion, "system/*.rs"));
        JwtClaims again = system.claims();
        again.setJwtId(once.getClaimValueAsString("jti"));
        assertRefused(requestToken(system.sign(again), "system/*.rs"));
        assertThat(
                        audits(
                                "action = 'LOGIN_FAILED' and actor_client_id = ? and reason_code = 'replayed-jti'",
                                system.clientId))
                .isEqualTo(2);
        assertThat(audits("action = 'LOGIN' and actor_client_id = ?", system.clientId))
                .as("one token issued")
                .isOne();
        // a form that is not an assertion request
        given().formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:other")
                .formParam("client_assertion", assertion)
                .post("/oauth/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    private static void refused(PracticeSystem system, String reason, Consumer<JwtClaims> bend) {
        long before =
                audits(
                        "action = 'LOGIN_FAILED' and actor_client_id = ? and reason_code = ?",
                        system.clientId,
                        reason);
        JwtClaims claims = system.claims();
        bend.accept(claims);
        assertRefused(requestToken(system.sign(claims), "system/*.rs"));
        assertThat(
                        audits(
                                "action = 'LOGIN_FAILED' and actor_client_id = ? and reason_code = ?",
                                system.clientId,
                                reason))
                .as(reason)
                .isEqualTo(before + 1);
    }

    private static void assertRefused(io.restassured.response.Response response) {
        response.then()
                .statusCode(401)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_client"), "access_token", nullValue());
    }

    @Test
    void shouldRefuseShortPrivateAndUnnamedKeysOnTheirFieldWritingNothing() {
        long clients = Sql.count("select count(*) from backend_client");
        PracticeSystem weak = PracticeSystem.rsa(1024);
        admin.get("/admin/integrations/new").then().statusCode(200);
        admin.submit("/admin/integrations", Map.of("name", "Old EHR", "jwks", weak.publicJwks()))
                .then()
                .statusCode(422)
                .body(
                        containsString("id=\"jwks-error\""),
                        containsString("at least 2048 bits"),
                        containsString("Old EHR"));
        PracticeSystem strong = PracticeSystem.rsa(2048);
        admin.submit(
                        "/admin/integrations",
                        Map.of("name", "Leaky EHR", "jwks", strong.privateJwks()))
                .then()
                .statusCode(422)
                .body(
                        containsString("id=\"jwks-error\""),
                        containsString("contains a private key"));
        String noKid = strong.publicJwks().replaceAll("\"kid\":\"[^\"]+\",?", "");
        admin.submit("/admin/integrations", Map.of("name", "EHR", "jwks", noKid))
                .then()
                .statusCode(422)
                .body(containsString("needs an ID (kid)"));
        admin.submit("/admin/integrations", Map.of("name", "EHR", "jwks", "not json"))
                .then()
                .statusCode(422)
                .body(containsString("not a JSON Web Key Set"));
        admin.submit("/admin/integrations", Map.of("name", " ", "jwks", strong.publicJwks()))
                .then()
                .statusCode(422)
                .body(containsString("id=\"name-error\""));
        assertThat(Sql.count("select count(*) from backend_client")).isEqualTo(clients);
    }

    @Test
    void shouldSayAKeyRefusalInTheAdminsLanguage() {
        String login = "admin-es-" + UUID.randomUUID().toString().substring(0, 8);
        UUID user =
                identities.createUser(
                        new IdentityService.NewUser(
                                login,
                                PracticeFixture.PASSWORD,
                                "Administradora",
                                Set.of(Role.ADMIN),
                                PracticeFixture.id(home.practice),
                                null,
                                null,
                                Set.of()));
        identities.chooseLanguage(user, "es");
        WebSession spanish = WebSession.signIn(login, PracticeFixture.PASSWORD);
        spanish.get("/admin/integrations/new")
                .then()
                .statusCode(200)
                .body(containsString("Registrar un sistema"));
        spanish.submit(
                        "/admin/integrations",
                        Map.of("name", "EHR", "jwks", PracticeSystem.rsa(2048).privateJwks()))
                .then()
                .statusCode(422)
                .body(
                        containsString("Esto contiene una clave privada"),
                        not(containsString("private key")));
    }

    @Test
    void shouldEndATurnedOffClientsTokensAndAssertionsAndLetItBackIn() {
        PracticeSystem system =
                PracticeSystem.rsa(2048).registeredBy(admin, "EHR " + UUID.randomUUID());
        String id =
                Sql.single(
                        "select id::text from backend_client where client_id = ?", system.clientId);
        String token = system.token("system/*.rs");
        as(token).get("/fhir/" + home.patient).then().statusCode(200);
        admin.get("/admin/integrations").then().statusCode(200);
        admin.submit("/admin/integrations/" + id + "/disable", Map.of()).then().statusCode(303);
        as(token).get("/fhir/" + home.patient).then().statusCode(401);
        refused(system, "client-disabled", c -> {});
        admin.get("/admin/integrations").then().statusCode(200).body(containsString("Turned off"));
        admin.submit("/admin/integrations/" + id + "/enable", Map.of()).then().statusCode(303);
        as(system.token("system/*.rs")).get("/fhir/" + home.patient).then().statusCode(200);
        assertThat(
                        audits(
                                "action = 'UPDATE' and resource_type = 'BackendClient' and resource_id = ?",
                                id))
                .isEqualTo(2);
        // replacing the keys: the old key stops working, the new one works
        PracticeSystem replacement = PracticeSystem.rsa(2048);
        admin.get("/admin/integrations/" + id).then().statusCode(200);
        admin.submit(
                        "/admin/integrations/" + id,
                        Map.of("name", "EHR renamed", "jwks", replacement.publicJwks()))
                .then()
                .statusCode(303);
        assertRefused(requestToken(system.sign(system.claims()), "system/*.rs"));
        replacement.clientId = system.clientId;
        replacement.token("system/*.rs");
        assertThat(
                        audits(
                                "action = 'UPDATE' and resource_type = 'BackendClient' and resource_id = ?",
                                id))
                .isEqualTo(3);
    }

    @Test
    void shouldRefuseEveryWriteOfAPracticeClientWithAnOperationOutcome() {
        PracticeSystem system =
                PracticeSystem.rsa(2048).registeredBy(admin, "EHR " + UUID.randomUUID());
        String token = system.token("system/*.rs");
        as(token)
                .body(dev.bluepost.testing.Fhir.json(aPatient(home.practice)))
                .post("/fhir/Patient")
                .then()
                .statusCode(403)
                .body(
                        "resourceType",
                        equalTo("OperationOutcome"),
                        "issue[0].diagnostics",
                        containsString("reads and searches"));
        as(token)
                .body("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[]}")
                .post("/fhir")
                .then()
                .statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"));
        String patient =
                as(token).get("/fhir/" + home.patient).then().statusCode(200).extract().asString();
        as(token)
                .body(patient)
                .put("/fhir/" + home.patient)
                .then()
                .statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"));
        // a token scoped to Patient reads no Communication; the internal practice criterion is not
        // a client's parameter
        String patientsOnly = system.token("system/Patient.rs");
        as(patientsOnly)
                .get("/fhir/Communication")
                .then()
                .statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"));
        as(token).get("/fhir/Patient?_practice=" + UUID.randomUUID()).then().statusCode(400);
        // a practice client's token is for the FHIR API only
        given().redirects()
                .follow(false)
                .header("Authorization", "Bearer " + token)
                .get("/admin/integrations")
                .then()
                .statusCode(not(equalTo(200)))
                .body(not(containsString("Connected systems")));
    }
}
