package dev.bluepost.identity.apps;

import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aProxy;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SmartApp;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The authorization-code grant with PKCE for patient apps (RFC 6749 §4.1, RFC 7636): sign-in,
 * consent (CSRF-protected), code, token; and every way a request, a code or a client can be wrong.
 */
@QuarkusTest
class PatientAppAuthorizationIT {

    @Inject IdentityService identities;

    @Inject TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldIssuePatientTokenThroughConsentAndPkce() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        SmartApp app = new SmartApp();

        Response consent = person.getEncoded(app.authorizeUrl(SmartApp.ALL_SCOPES));
        consent.then()
                .statusCode(200)
                .body(containsString("Allow Test Health App to connect"))
                .body(containsString("Read your messages"))
                .body(containsString("Send messages to your care team"))
                .body(containsString("app.example"));
        assertThat(consent.headers().getValues("Content-Security-Policy"))
                .singleElement()
                .satisfies(
                        csp ->
                                assertThat(csp)
                                        .contains("form-action 'self' https://app.example;")
                                        .contains("frame-ancestors 'none'"));

        Map<String, String> fields = SmartApp.hiddenFields(consent.asString());
        fields.put("decision", "approve");
        Response answer = person.submit("/oauth/authorize", fields);
        answer.then().statusCode(303);
        String location = answer.header("Location");
        assertThat(location).startsWith(SmartApp.REDIRECT_URI + "?code=");
        Map<String, String> callback = SmartApp.callback(location);
        assertThat(callback).containsEntry("state", app.state).containsKey("code");

        Response token = app.exchange(callback.get("code"));
        token.then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", lessThanOrEqualTo(3600))
                .body(
                        "scope",
                        equalTo(
                                "patient/Communication.crs patient/DocumentReference.rs patient/Encounter.rs patient/Patient.rs"))
                .body("patient", equalTo(PracticeFixture.id(practice.patient).toString()));
        String claims = SmartApp.claims(token.path("access_token"));
        UUID userId = identities.findByUsername(practice.patientLogin).orElseThrow().id();
        assertThat(claims)
                .contains(
                        "\"sub\":\"" + userId + "\"",
                        "\"role\":\"PATIENT\"",
                        "\"client_id\":\"test-app\"",
                        "\"patient\":\"" + PracticeFixture.id(practice.patient) + "\"",
                        "\"fhirUser\":\"" + practice.patient + "\"");

        given().header("Authorization", "Bearer " + token.path("access_token"))
                .accept(Api.FHIR_JSON)
                .get("/fhir/" + practice.patient)
                .then()
                .statusCode(200)
                .body("id", equalTo(PracticeFixture.id(practice.patient).toString()));
    }

    @Test
    void shouldSendSignedOutPersonToSignInAndBackToConsent() {
        PracticeFixture practice = PracticeFixture.create(identities);
        SmartApp app = new SmartApp();
        WebSession browser = new WebSession();

        Response ask = browser.getEncoded(app.authorizeUrl(SmartApp.ALL_SCOPES));
        ask.then().statusCode(303);
        URI toLogin = URI.create(ask.header("Location"));
        assertThat(toLogin.getPath()).isEqualTo("/login");
        String next =
                URLDecoder.decode(
                        toLogin.getRawQuery().substring("next=".length()), StandardCharsets.UTF_8);
        assertThat(next)
                .startsWith("/oauth/authorize?")
                .contains("code_challenge=" + app.challenge);

        browser.getEncoded(toLogin.getRawPath() + "?" + toLogin.getRawQuery())
                .then()
                .statusCode(200);
        Response signedIn =
                browser.submit(
                        "/login",
                        Map.of(
                                "username",
                                practice.patientLogin,
                                "password",
                                PracticeFixture.PASSWORD,
                                "next",
                                next));
        signedIn.then().statusCode(303);
        URI back = URI.create(signedIn.header("Location"));
        browser.getEncoded(back.getRawPath() + "?" + back.getRawQuery())
                .then()
                .statusCode(200)
                .body(containsString("Allow Test Health App to connect"));
    }

    @Test
    void shouldReturnAccessDeniedWhenPersonDeniesAndRefuseConsentWithoutCsrfToken() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        SmartApp app = new SmartApp();
        Map<String, String> fields =
                SmartApp.hiddenFields(
                        person.getEncoded(app.authorizeUrl(SmartApp.ALL_SCOPES)).asString());

        Map<String, String> approve = new HashMap<>(fields);
        approve.put("decision", "approve");
        person.submitWithoutToken("/oauth/authorize", approve)
                .then()
                .statusCode(403)
                .header("Location", nullValue());

        fields.put("decision", "deny");
        Response denied = person.submit("/oauth/authorize", fields);
        denied.then().statusCode(303);
        assertThat(SmartApp.callback(denied.header("Location")))
                .containsEntry("error", "access_denied")
                .containsEntry("state", app.state)
                .doesNotContainKey("code");
    }

    @Test
    void shouldShowErrorPageAndNeverRedirectForUnknownClientOrUnregisteredRedirectUri() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        SmartApp app = new SmartApp();

        person.getEncoded(app.authorizeUrl(Map.of("client_id", "no-such-app")))
                .then()
                .statusCode(400)
                .header("Location", nullValue())
                .contentType(containsString("text/html"))
                .body(containsString("not registered"));
        person.getEncoded(app.authorizeUrl(Map.of("redirect_uri", "https://evil.example/callback")))
                .then()
                .statusCode(400)
                .header("Location", nullValue())
                .body(containsString("redirect_uri"));
        person.getEncoded(app.authorizeUrl(Map.of("redirect_uri", "https://other.example/cb")))
                .then()
                .statusCode(400)
                .header("Location", nullValue());
        person.getEncoded(
                        app.authorizeUrl(Map.of("redirect_uri", SmartApp.REDIRECT_URI + "/extra")))
                .then()
                .statusCode(400)
                .header("Location", nullValue());
    }

    @Test
    void shouldReportBadRequestsToTheAppsRegisteredRedirectUri() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        SmartApp app = new SmartApp();
        Map<String, String> noChallenge = new HashMap<>();
        noChallenge.put("code_challenge", null);
        assertRedirectError(person, app, noChallenge, "invalid_request");
        assertRedirectError(
                person, app, Map.of("code_challenge_method", "plain"), "invalid_request");
        assertRedirectError(person, app, Map.of("code_challenge", "too-short"), "invalid_request");
        assertRedirectError(
                person, app, Map.of("response_type", "token"), "unsupported_response_type");
        assertRedirectError(
                person, app, Map.of("scope", "user/*.* system/*.* openid"), "invalid_scope");
    }

    private static void assertRedirectError(
            WebSession person, SmartApp app, Map<String, String> overrides, String error) {
        Response response = person.getEncoded(app.authorizeUrl(overrides));
        response.then().statusCode(303);
        assertThat(response.header("Location")).startsWith(SmartApp.REDIRECT_URI + "?");
        assertThat(SmartApp.callback(response.header("Location")))
                .containsEntry("error", error)
                .containsEntry("state", app.state)
                .doesNotContainKey("code");
    }

    @Test
    void shouldRefuseWrongVerifierReusedCodeWrongRedirectUriAndUnknownClient() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);

        // a wrong verifier: invalid_grant, and the code is used up
        SmartApp app = new SmartApp();
        String code = app.approve(person, SmartApp.ALL_SCOPES, Map.of());
        app.exchange(Map.of("code", code, "code_verifier", new SmartApp().verifier))
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("code_verifier"));
        app.exchange(code).then().statusCode(400).body("error", equalTo("invalid_grant"));

        // a wrong (even if registered) redirect URI
        SmartApp second = new SmartApp();
        String secondCode = second.approve(person, SmartApp.ALL_SCOPES, Map.of());
        second.exchange(Map.of("code", secondCode, "redirect_uri", SmartApp.OTHER_REDIRECT_URI))
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("redirect_uri"));

        // another registered app presenting the code
        SmartApp third = new SmartApp();
        String thirdCode = third.approve(person, SmartApp.ALL_SCOPES, Map.of());
        third.exchange(
                        Map.of(
                                "code",
                                thirdCode,
                                "client_id",
                                "other-app",
                                "redirect_uri",
                                "https://other.example/cb"))
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));

        // an unknown client; a secret from a public client; no verifier; an unknown grant
        SmartApp fourth = new SmartApp();
        String fourthCode = fourth.approve(person, SmartApp.ALL_SCOPES, Map.of());
        fourth.exchange(Map.of("code", fourthCode, "client_id", "no-such-app"))
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_client"));
        fourth.exchange(Map.of("code", fourthCode, "client_secret", "guess"))
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_client"));
        Map<String, String> noVerifier = new HashMap<>();
        noVerifier.put("code", fourthCode);
        noVerifier.put("code_verifier", null);
        fourth.exchange(noVerifier)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
        fourth.exchange(Map.of("code", fourthCode, "grant_type", "password"))
                .then()
                .statusCode(400)
                .body("error", equalTo("unsupported_grant_type"));
        // none of these used the code up: it still works once, then never again
        String token =
                fourth.exchange(fourthCode).then().statusCode(200).extract().path("access_token");
        given().header("Authorization", "Bearer " + token)
                .get("/fhir/" + practice.patient)
                .then()
                .statusCode(200);

        // presenting it again is refused, and revokes the token issued for it (RFC 6749 §4.1.2)
        fourth.exchange(fourthCode)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("already been used"));
        given().header("Authorization", "Bearer " + token)
                .get("/fhir/" + practice.patient)
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
    }

    @Test
    void shouldExpireCodesAfterSixtySeconds() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        SmartApp app = new SmartApp();
        String code = app.approve(person, SmartApp.ALL_SCOPES, Map.of());
        clock.set(clock.instant().plus(Duration.ofSeconds(61)));
        app.exchange(code)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("expired"));
    }

    @Test
    void shouldGrantOnlyWhatWasAskedForWithinWhatPatientAppsMayHave() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession person = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        SmartApp app = new SmartApp();
        String code =
                app.approve(
                        person,
                        "launch/patient openid patient/Communication.read patient/Observation.read",
                        Map.of());
        app.exchange(code)
                .then()
                .statusCode(200)
                .body("scope", equalTo("patient/Communication.rs launch/patient"));
    }

    @Test
    void shouldNotLetStaffConnectApps() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession staff = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        staff.getEncoded(new SmartApp().authorizeUrl(SmartApp.ALL_SCOPES))
                .then()
                .statusCode(403)
                .header("Location", nullValue())
                .body(containsString("Only patients"));
    }

    @Test
    void shouldLetProxyChooseThePatientTheAppActsFor() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String sibling = "Patient/" + Api.create(aPatient(practice.practice));
        String forChild = Api.create(aProxy(practice.patient));
        String forSibling = Api.create(aProxy(sibling));
        String login = "parent-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "A Parent",
                        Set.of(Role.PROXY),
                        null,
                        null,
                        null,
                        Set.of(UUID.fromString(forChild), UUID.fromString(forSibling))));
        WebSession parent = WebSession.signIn(login, PracticeFixture.PASSWORD);
        SmartApp app = new SmartApp();

        parent.getEncoded(app.authorizeUrl(SmartApp.ALL_SCOPES))
                .then()
                .statusCode(200)
                .body(containsString("Patient the app acts for"))
                .body(containsString("value=\"" + forChild + "\""))
                .body(containsString("value=\"" + forSibling + "\""))
                .body(containsString("recorded as sent by you on the patient"));
        // only an authorization of this login can be chosen
        SmartApp forged = new SmartApp();
        Map<String, String> fields =
                SmartApp.hiddenFields(
                        parent.getEncoded(forged.authorizeUrl(SmartApp.ALL_SCOPES)).asString());
        fields.put("decision", "approve");
        fields.put("relatedPerson", Api.create(aProxy(practice.otherPatient)));
        parent.submit("/oauth/authorize", fields)
                .then()
                .statusCode(403)
                .header("Location", nullValue());

        String code = app.approve(parent, SmartApp.ALL_SCOPES, Map.of("relatedPerson", forSibling));
        Response token = app.exchange(code);
        token.then()
                .statusCode(200)
                .body("patient", equalTo(PracticeFixture.id(sibling).toString()));
        assertThat(SmartApp.claims(token.path("access_token")))
                .contains(
                        "\"role\":\"PROXY\"",
                        "\"related_person\":\"" + forSibling + "\"",
                        "\"fhirUser\":\"RelatedPerson/" + forSibling + "\"");
        given().header("Authorization", "Bearer " + token.path("access_token"))
                .get("/fhir/" + sibling)
                .then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + token.path("access_token"))
                .get("/fhir/" + practice.patient)
                .then()
                .statusCode(404)
                .body("issue[0].code", not(equalTo("forbidden")));
    }
}
