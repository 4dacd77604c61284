package dev.bluepost.identity.apps;

import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aVisit;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.bluepost.crypto.Digests;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.identity.LoginLifecycleService;
import dev.bluepost.measurement.PatientElectronicAccessIT;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SmartApp;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SMART App Launch 2 for patient apps over the real stack (ADR 0047): an app starts from the
 * discovery document, the person grants some of the requested scopes and chooses how long, the app
 * reads the patient's own visits and visit documents (with the document), is refused everything
 * else, refreshes with rotation (a spent refresh token is refused, and presenting it again ends the
 * family and the grant), one-time grants get no refresh token, and a revoked, ended or deactivated
 * grant cannot be refreshed.
 */
@QuarkusTest
class SmartAppLaunchIT {

    private static final String ASKED =
            "launch/patient openid fhirUser patient/Communication.crs patient/Encounter.rs "
                    + "patient/DocumentReference.rs patient/Patient.rs patient/Observation.rs offline_access";

    @Inject IdentityService identities;

    @Inject LoginLifecycleService lifecycle;

    @Inject TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldLaunchFromDiscoveryGrantSomeScopesReadVisitsAndDocumentsAndRotateRefreshTokens()
            throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        Instant yesterday = Instant.now().minus(Duration.ofDays(1));
        String visit =
                Api.create(
                        aVisit(
                                practice.patient,
                                practice.ep,
                                practice.location,
                                practice.practice,
                                yesterday));
        String otherVisit =
                Api.create(
                        aVisit(
                                practice.otherPatient,
                                practice.ep,
                                practice.location,
                                practice.practice,
                                yesterday));
        String document =
                Api.create(
                        PatientElectronicAccessIT.document(
                                practice.patient,
                                "Encounter/" + visit,
                                yesterday,
                                "Visit summary",
                                "Rest and drink fluids."));
        String otherDocument =
                Api.create(
                        PatientElectronicAccessIT.document(
                                practice.otherPatient,
                                "Encounter/" + otherVisit,
                                yesterday,
                                "Other summary",
                                "Not yours."));

        // discovery: the same document at the root and under the FHIR base, no token needed
        JsonPath discovery =
                given().accept("application/fhir+json")
                        .get("/fhir/.well-known/smart-configuration")
                        .then()
                        .statusCode(200)
                        .contentType(containsString("application/json"))
                        .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                        .body(
                                "grant_types_supported",
                                hasItems(
                                        "authorization_code",
                                        "refresh_token",
                                        "client_credentials"))
                        .body(
                                "token_endpoint_auth_methods_supported",
                                hasItems("none", "private_key_jwt", "client_secret_basic"))
                        .body(
                                "capabilities",
                                hasItems(
                                        "launch-standalone",
                                        "client-public",
                                        "context-standalone-patient",
                                        "permission-offline",
                                        "permission-patient",
                                        "permission-v2",
                                        "client-confidential-asymmetric"))
                        // what a practice's backend client needs to know (SMART Backend Services)
                        .body(
                                "token_endpoint_auth_signing_alg_values_supported",
                                hasItems("RS384", "ES384"))
                        .body("scopes_supported", hasItems("system/*.rs"))
                        .body(
                                "scopes_supported",
                                hasItems(
                                        "patient/Encounter.rs",
                                        "patient/DocumentReference.rs",
                                        "offline_access",
                                        "launch/patient"))
                        .body("response_types_supported", equalTo(List.of("code")))
                        .extract()
                        .jsonPath();
        assertThat(
                        given().get("/.well-known/smart-configuration")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getMap(""))
                .isEqualTo(discovery.getMap(""));
        String authorize = URI.create(discovery.getString("authorization_endpoint")).getPath();
        String tokenPath = URI.create(discovery.getString("token_endpoint")).getPath();
        String revokePath = URI.create(discovery.getString("revocation_endpoint")).getPath();
        assertThat(List.of(authorize, tokenPath, revokePath))
                .containsExactly("/oauth/authorize", "/oauth/token", "/oauth/revoke");
        // the CapabilityStatement agrees
        given().get("/fhir/metadata")
                .then()
                .statusCode(200)
                .body(
                        "rest[0].security.extension.find { it.url.endsWith('oauth-uris') }.extension.url",
                        hasItems("authorize", "token", "revoke"))
                .body(
                        "rest[0].security.extension.findAll { it.url.endsWith('/capabilities') }.valueCode",
                        hasItems(
                                "permission-offline",
                                "permission-v2",
                                "context-standalone-patient"));

        // consent: each requested scope in words with its checkbox; the person refuses sending and
        // the record
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        SmartApp app = new SmartApp();
        Response page =
                person.getEncoded(app.authorizeUrl(ASKED).replace("/oauth/authorize", authorize));
        page.then()
                .statusCode(200)
                .body(containsString("Read your messages with the care team"))
                .body(containsString("Send messages to your care team for you"))
                .body(containsString("Read the list of your visits"))
                .body(
                        containsString(
                                "Read the visit documents your care team made available to you"))
                .body(containsString("See your patient record details"))
                .body(containsString("Just this once"))
                .body(containsString("For 13 months"));
        assertThat(visibleText(page.asString()))
                .doesNotContain("patient/", "offline_access", "launch/patient", "Observation");
        Map<String, String> fields = SmartApp.hiddenFields(page.asString());
        assertThat(fields)
                .containsKeys(
                        "grant-messages-read",
                        "grant-messages-send",
                        "grant-visits",
                        "grant-documents",
                        "grant-record")
                .containsEntry("lifetime", "once");
        fields.remove("grant-messages-send");
        fields.remove("grant-record");
        fields.put("lifetime", "13-months");
        fields.put("decision", "approve");
        Response answer = person.submit("/oauth/authorize", fields);
        answer.then().statusCode(303);
        String code = SmartApp.callback(answer.header("Location")).get("code");

        Response issued = app.exchange(code);
        String granted =
                "patient/Communication.rs patient/DocumentReference.rs patient/Encounter.rs launch/patient offline_access";
        issued.then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("scope", equalTo(granted))
                .body("patient", equalTo(PracticeFixture.id(practice.patient).toString()))
                .body("refresh_token", not(nullValue()));
        String access = issued.path("access_token");
        String refresh1 = issued.path("refresh_token");
        assertThat(refresh1).hasSizeGreaterThanOrEqualTo(43);
        assertThat(
                        single(
                                "select count(*)::text from app_refresh_token where token_sha256 = ?",
                                Digests.sha256Hex(refresh1)))
                .isEqualTo("1");
        assertThat(
                        single(
                                "select count(*)::text from app_refresh_token where token_sha256 = ? or scope = ?",
                                refresh1,
                                refresh1))
                .as("the value itself is never stored")
                .isEqualTo("0");

        // the patient's own visits and visit documents, and the document itself
        as(access)
                .get("/fhir/Encounter")
                .then()
                .statusCode(200)
                .body("entry.resource.id", hasItem(PracticeFixture.id(visit).toString()))
                .body("entry.resource.id", not(hasItem(PracticeFixture.id(otherVisit).toString())))
                .body("entry.resource.subject.reference", not(hasItem(practice.otherPatient)));
        as(access)
                .get("/fhir/Encounter/" + visit)
                .then()
                .statusCode(200)
                .body("subject.reference", equalTo(practice.patient));
        as(access)
                .get("/fhir/Encounter?subject=" + practice.otherPatient)
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
        as(access).get("/fhir/Encounter/" + otherVisit).then().statusCode(404);
        as(access)
                .get("/fhir/DocumentReference?subject=" + practice.patient)
                .then()
                .statusCode(200)
                .body("entry.resource.id", hasItem(PracticeFixture.id(document).toString()))
                .body(
                        "entry.resource.id",
                        not(hasItem(PracticeFixture.id(otherDocument).toString())));
        String data =
                as(access)
                        .get("/fhir/DocumentReference/" + document)
                        .then()
                        .statusCode(200)
                        .body("content[0].attachment.title", equalTo("Visit summary"))
                        .extract()
                        .path("content[0].attachment.data");
        assertThat(new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8))
                .isEqualTo("Rest and drink fluids.");
        as(access).get("/fhir/DocumentReference/" + otherDocument).then().statusCode(404);
        as(access)
                .get("/fhir/DocumentReference?subject=" + practice.otherPatient)
                .then()
                .statusCode(200)
                .body("total", equalTo(0));

        // what the person refused, and what patient apps never get
        as(access)
                .get("/fhir/" + practice.patient)
                .then()
                .statusCode(403)
                .body("issue[0].diagnostics", containsString("scope"));
        as(access)
                .body(
                        dev.bluepost.testing.Fhir.json(
                                aMessage(practice.patient, practice.pool, "hello")))
                .post("/fhir/Communication")
                .then()
                .statusCode(403);
        as(access).get("/fhir/Practitioner").then().statusCode(403);
        as(access).get("/fhir/Task").then().statusCode(403);
        as(access).get("/fhir/Observation").then().statusCode(403);
        as(access)
                .body(
                        dev.bluepost.testing.Fhir.json(
                                aVisit(
                                        practice.patient,
                                        practice.ep,
                                        practice.location,
                                        practice.practice,
                                        yesterday)))
                .post("/fhir/Encounter")
                .then()
                .statusCode(403);

        // refresh: a new access token and a new refresh token; the old one is spent
        Response second = refresh(refresh1, null);
        second.then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("scope", equalTo(granted))
                .body("patient", equalTo(PracticeFixture.id(practice.patient).toString()));
        String refresh2 = second.path("refresh_token");
        assertThat(refresh2).isNotEqualTo(refresh1);
        as(second.path("access_token"))
                .get("/fhir/DocumentReference/" + document)
                .then()
                .statusCode(200);

        // narrowing is allowed, widening refused (and writes nothing), another app's client id
        // refused
        Response narrow = refresh(refresh2, "patient/Encounter.rs launch/patient");
        narrow.then().statusCode(200).body("scope", equalTo("patient/Encounter.rs launch/patient"));
        as(narrow.path("access_token")).get("/fhir/Encounter/" + visit).then().statusCode(200);
        as(narrow.path("access_token"))
                .get("/fhir/DocumentReference/" + document)
                .then()
                .statusCode(403);
        String refresh3 = narrow.path("refresh_token");
        refresh(refresh3, "patient/Patient.rs")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_scope"));
        refresh(refresh3, "patient/Encounter.rs patient/Communication.crs")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_scope"));
        refreshAs("other-app", refresh3, null)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));
        refreshAs("no-such-app", refresh3, null)
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_client"));
        Response fourth = refresh(refresh3, null); // still good: the refusals wrote nothing
        fourth.then().statusCode(200).body("scope", equalTo(granted));
        String refresh4 = fourth.path("refresh_token");
        String access4 = fourth.path("access_token");

        // the connection lasts 13 months, and the page says so
        WebSession samePerson = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        samePerson
                .get("/account/apps")
                .then()
                .statusCode(200)
                .body(containsString("Access:</span> Until "))
                .body(containsString("Read the list of your visits"));

        // a spent refresh token presented again: refused, and the whole family and the grant end
        String consent = consentOf(refresh4);
        long refreshedBefore =
                count("select count(*) from audit_event where reason_code = 'app-token-refreshed'");
        refresh(refresh1, null)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("already used"));
        refresh(refresh4, null).then().statusCode(400).body("error", equalTo("invalid_grant"));
        as(access4).get("/fhir/Encounter/" + visit).then().statusCode(401);
        assertThat(
                        count(
                                "select count(*) from app_refresh_token where consent_id = ?::uuid and revoked_at is null",
                                consent))
                .isZero();
        assertThat(
                        count(
                                "select count(*) from audit_event where reason_code = 'refresh-token-reused' and resource_id = ?",
                                consent))
                .isEqualTo(1);
        assertThat(
                        count(
                                "select count(*) from audit_event where reason_code = 'app-token-refreshed'"))
                .isEqualTo(refreshedBefore);
        samePerson
                .get("/account/apps")
                .then()
                .statusCode(200)
                .body(containsString("renewal codes was used twice"));
    }

    @Test
    void shouldGiveOneTimeGrantsNoRefreshToken() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);

        // offline_access asked for, "just this once" chosen (the default)
        SmartApp once = new SmartApp();
        Response token = once.exchange(once.approve(person, ASKED, Map.of()));
        token.then()
                .statusCode(200)
                .body("refresh_token", nullValue())
                .body(
                        "scope",
                        equalTo(
                                "patient/Communication.crs patient/DocumentReference.rs patient/Encounter.rs "
                                        + "patient/Patient.rs launch/patient"));
        person.get("/account/apps").then().body(containsString("Just this once (one hour)"));

        // not asked for: no choice offered, no refresh token
        SmartApp plain = new SmartApp();
        person.getEncoded(plain.authorizeUrl("patient/Encounter.rs"))
                .then()
                .statusCode(200)
                .body(not(containsString("For 13 months")))
                .body(containsString("For one hour"))
                .body(not(containsString("Read your messages")));
        plain.exchange(plain.approve(person, "patient/Encounter.rs", Map.of()))
                .then()
                .statusCode(200)
                .body("refresh_token", nullValue())
                .body("scope", equalTo("patient/Encounter.rs"));

        // a lasting choice cannot be made up for an app that did not ask for it
        SmartApp forged = new SmartApp();
        forged.exchange(
                        forged.approve(
                                person, "patient/Encounter.rs", Map.of("lifetime", "13-months")))
                .then()
                .statusCode(200)
                .body("refresh_token", nullValue());
    }

    @Test
    void shouldRefuseAConsentWithNothingChosenAndWriteNothing() throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        String userId =
                identities.findByUsername(practice.patientLogin).orElseThrow().id().toString();
        SmartApp app = new SmartApp();
        Map<String, String> fields =
                SmartApp.hiddenFields(person.getEncoded(app.authorizeUrl(ASKED)).asString());
        fields.keySet().removeIf(name -> name.startsWith("grant-"));
        fields.put("decision", "approve");
        Response refused = person.submit("/oauth/authorize", fields);
        refused.then()
                .statusCode(400)
                .header("Location", nullValue())
                .body(
                        containsString(
                                "id=\"scopes-error\" role=\"alert\">Choose at least one thing the app may do"))
                .body(containsString("usa-form-group--error"));
        // the page comes back as the person left it: nothing ticked, the form ready to answer again
        assertThat(SmartApp.hiddenFields(refused.asString()))
                .doesNotContainKeys("grant-messages-read", "grant-visits")
                .containsEntry("client_id", SmartApp.CLIENT_ID);

        Map<String, String> noLifetime =
                SmartApp.hiddenFields(person.getEncoded(app.authorizeUrl(ASKED)).asString());
        noLifetime.remove("lifetime");
        noLifetime.put("decision", "approve");
        person.submit("/oauth/authorize", noLifetime)
                .then()
                .statusCode(400)
                .body(
                        containsString(
                                "id=\"lifetime-error\" role=\"alert\">Choose how long the app may have access"));
        assertThat(count("select count(*) from app_consent where user_id = ?::uuid", userId))
                .isZero();

        // and in Spanish, for a login that chose it
        identities.chooseLanguage(
                identities.findByUsername(practice.patientLogin).orElseThrow().id(), "es");
        WebSession spanish = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        spanish.getEncoded(app.authorizeUrl(ASKED))
                .then()
                .statusCode(200)
                .body(containsString("Elija lo que la aplicación puede hacer"))
                .body(containsString("Durante 13 meses"));
    }

    @Test
    void shouldNotRefreshARevokedDisconnectedEndedOrDeactivatedGrant() throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);

        // the person disconnects the app on /account/apps
        Map<String, String> first = lasting(person);
        String consent = consentOf(first.get("refresh_token"));
        person.submit("/account/apps/disconnect", Map.of("consent", consent))
                .then()
                .statusCode(303);
        refresh(first.get("refresh_token"), null)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));
        assertThat(
                        count(
                                "select count(*) from app_refresh_token where consent_id = ?::uuid and revoked_at is null",
                                consent))
                .isZero();

        // the app revokes its refresh token (RFC 7009): the grant ends, its access token too; once
        // audited
        Map<String, String> second = lasting(person);
        String secondConsent = consentOf(second.get("refresh_token"));
        revoke(second.get("refresh_token"), "other-app")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
        as(second.get("access_token")).get("/fhir/Encounter").then().statusCode(200);
        revoke(second.get("refresh_token"), SmartApp.CLIENT_ID).then().statusCode(200);
        revoke(second.get("refresh_token"), SmartApp.CLIENT_ID).then().statusCode(200);
        revoke("never-issued", SmartApp.CLIENT_ID).then().statusCode(200);
        refresh(second.get("refresh_token"), null)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));
        as(second.get("access_token")).get("/fhir/Encounter").then().statusCode(401);
        assertThat(
                        count(
                                "select count(*) from audit_event where reason_code = 'app-token-revoked' and resource_id = ?",
                                secondConsent))
                .isEqualTo(1);

        // past the grant's end (13 months): invalid_grant
        Map<String, String> third = lasting(person);
        clock.set(Instant.now().plus(Duration.ofDays(13 * 31 + 1)));
        refresh(third.get("refresh_token"), null)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("ended"));
        clock.reset();

        // the login is deactivated: every refresh token of it ends
        Map<String, String> fourth = lasting(person);
        String adminLogin = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        UUID adminId =
                identities.createUser(
                        new IdentityService.NewUser(
                                adminLogin,
                                PracticeFixture.PASSWORD,
                                "Admin",
                                Set.of(Role.ADMIN),
                                PracticeFixture.id(practice.practice),
                                null,
                                null,
                                Set.of()));
        lifecycle.deactivate(
                identities.actorFor(adminId, null).orElseThrow(), practice.patientLogin);
        refresh(fourth.get("refresh_token"), null)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));
        assertThat(
                        count(
                                "select count(*) from app_refresh_token where consent_id = ?::uuid and revoked_at is null",
                                consentOf(fourth.get("refresh_token"))))
                .isZero();
    }

    @Test
    void shouldNotRefreshForAProxyWhoseAuthorizationEnded() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String proxyId = Api.create(dev.bluepost.testing.Builders.aProxy(practice.patient));
        String login = "proxy-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "A Parent",
                        Set.of(Role.PROXY),
                        null,
                        null,
                        null,
                        Set.of(UUID.fromString(proxyId))));
        WebSession parent = WebSession.signIn(login, PracticeFixture.PASSWORD);
        Map<String, String> grant = lasting(parent);
        String newest =
                refresh(grant.get("refresh_token"), null)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("refresh_token");

        org.hl7.fhir.r4.model.RelatedPerson ended =
                Api.read(org.hl7.fhir.r4.model.RelatedPerson.class, "RelatedPerson/" + proxyId);
        ended.setPeriod(
                new org.hl7.fhir.r4.model.Period()
                        .setStartElement(
                                new org.hl7.fhir.r4.model.DateTimeType(
                                        java.time.LocalDate.now().minusYears(1).toString()))
                        .setEndElement(
                                new org.hl7.fhir.r4.model.DateTimeType(
                                        java.time.LocalDate.now().minusDays(2).toString())));
        Api.fhir()
                .body(dev.bluepost.testing.Fhir.json(ended))
                .put("/fhir/RelatedPerson/" + proxyId)
                .then()
                .statusCode(200);
        // the authorization ended: the newest refresh token of the family is refused, and the
        // family ends
        refresh(newest, null)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("no longer act"));
        refresh(newest, null)
                .then()
                .statusCode(400)
                .body("error_description", containsString("revoked"));
    }

    /** A lasting grant of every offered scope: its access and refresh tokens. */
    private static Map<String, String> lasting(WebSession person) {
        SmartApp app = new SmartApp();
        Map<String, String> extra = new HashMap<>();
        extra.put("lifetime", "13-months");
        Response token = app.exchange(app.approve(person, ASKED, extra));
        token.then().statusCode(200).body("refresh_token", not(nullValue()));
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("access_token", token.path("access_token"));
        tokens.put("refresh_token", token.path("refresh_token"));
        return tokens;
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token)
                .accept(Api.FHIR_JSON)
                .contentType(Api.FHIR_JSON);
    }

    private static Response refresh(String refreshToken, String scope) {
        return refreshAs(SmartApp.CLIENT_ID, refreshToken, scope);
    }

    private static Response refreshAs(String clientId, String refreshToken, String scope) {
        var request =
                given().contentType("application/x-www-form-urlencoded")
                        .formParam("grant_type", "refresh_token")
                        .formParam("refresh_token", refreshToken)
                        .formParam("client_id", clientId);
        if (scope != null) {
            request.formParam("scope", scope);
        }
        return request.post("/oauth/token");
    }

    private static Response revoke(String token, String clientId) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("token", token)
                .formParam("token_type_hint", "refresh_token")
                .formParam("client_id", clientId)
                .post("/oauth/revoke");
    }

    private static String consentOf(String refreshToken) throws SQLException {
        return single(
                "select consent_id::text from app_refresh_token where token_sha256 = ?",
                Digests.sha256Hex(refreshToken));
    }

    /** The page's text without its tags and their attributes (what a person reads). */
    private static String visibleText(String html) {
        return html.replaceAll("(?s)<script.*?</script>", " ").replaceAll("(?s)<[^>]*>", " ");
    }

    private static String single(String sql, Object... parameters) throws SQLException {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = query.executeQuery()) {
                assertThat(r.next()).isTrue();
                String value = r.getString(1);
                assertThat(r.next()).as("one row").isFalse();
                return value;
            }
        }
    }

    private static long count(String sql, Object... parameters) throws SQLException {
        dev.bluepost.testing.AuditJournal.settle();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = query.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
