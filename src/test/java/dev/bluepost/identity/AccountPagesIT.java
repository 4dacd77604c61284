package dev.bluepost.identity;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The sign-in and account pages speak the reader's language: the browser's before sign-in, the login's
 * own choice after it (kept across sessions and browsers); the language chooser never sends anyone to
 * another site; refused input is shown on its field.
 */
@QuarkusTest
class AccountPagesIT {

    @Inject IdentityService identities;

    @Test
    void shouldShowTheSignInPageInTheBrowsersLanguage() {
        given().header("Accept-Language", "es-US,es;q=0.9,en;q=0.5")
                .redirects()
                .follow(false)
                .get("/login")
                .then()
                .statusCode(200)
                .body(
                        containsString("<html lang=\"es\">"),
                        containsString("Inicie sesión en Bluepost"),
                        containsString(">Nombre de usuario</label>"),
                        not(containsString("Sign in to Bluepost")));
        given().header("Accept-Language", "en-US,en;q=0.9,es;q=0.5")
                .redirects()
                .follow(false)
                .get("/login")
                .then()
                .statusCode(200)
                .body(
                        containsString("<html lang=\"en\">"),
                        containsString("Sign in to Bluepost"),
                        not(containsString("Inicie sesión")));
        // a language Bluepost does not speak: English
        given().header("Accept-Language", "fr-FR,fr")
                .redirects()
                .follow(false)
                .get("/login")
                .then()
                .statusCode(200)
                .body(containsString("Sign in to Bluepost"));
        // the refusal and the friendly error page too
        given().header("Accept-Language", "es")
                .redirects()
                .follow(false)
                .get("/no-such-page")
                .then()
                .statusCode(404)
                .body(
                        containsString("<html lang=\"es\">"),
                        containsString("<h1>No encontrado</h1>"),
                        not(containsString("Not found")));
    }

    @Test
    void shouldKeepALoginsChosenLanguageInANewSession() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession first = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        first.get("/account/security")
                .then()
                .statusCode(200)
                .body(containsString("Sign-in and security"));

        first.submit("/language", Map.of("language", "es", "back", "/account/security"))
                .then()
                .statusCode(303)
                .header("Location", endsWith("/account/security"));
        first.get("/account/security")
                .then()
                .statusCode(200)
                .body(
                        containsString("<html lang=\"es\">"),
                        containsString("Inicio de sesión y seguridad"));

        // another browser: nothing in it says Spanish, so the sign-in page is English; once signed
        // in, the login's choice
        WebSession second = new WebSession();
        second.get("/login").then().statusCode(200).body(containsString("Sign in to Bluepost"));
        second = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        second.get("/account/security")
                .then()
                .statusCode(200)
                .body(
                        containsString("<html lang=\"es\">"),
                        containsString("Inicio de sesión y seguridad"));
        second.get("/account/password")
                .then()
                .statusCode(200)
                .body(
                        containsString("Cambiar su contraseña"),
                        not(containsString("Change your password")));

        // and back to English, for every session of the login
        second.submit("/language", Map.of("language", "en", "back", "/account/password"))
                .then()
                .statusCode(303);
        WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD)
                .get("/account/password")
                .then()
                .statusCode(200)
                .body(containsString("<html lang=\"en\">"), containsString("Change your password"));
    }

    @Test
    void shouldSendTheLanguageChooserOnlyToAPageOfThisSite() {
        WebSession visitor = new WebSession();
        for (String elsewhere :
                List.of(
                        "//evil.example",
                        "https://evil.example",
                        "//evil.example/login",
                        "/\\evil.example",
                        "http://evil.example/")) {
            visitor.get("/login").then().statusCode(200);
            Response answer =
                    visitor.submit("/language", Map.of("language", "es", "back", elsewhere));
            answer.then().statusCode(303);
            URI location = URI.create(answer.getHeader("Location"));
            assertThat(location.getHost()).as("back=" + elsewhere).isIn(null, "localhost");
            assertThat(location.getPath()).as("back=" + elsewhere).isEqualTo("/");
        }
        visitor.get("/login").then().statusCode(200);
        visitor.submit("/language", Map.of("language", "es", "back", "/login?signedOut=1"))
                .then()
                .statusCode(303)
                .header("Location", endsWith("/login?signedOut=1"));
        visitor.get("/login?signedOut=1")
                .then()
                .statusCode(200)
                .body(containsString("Cerró su sesión."));
    }

    @Test
    void shouldShowRefusedInputOnItsFieldInTheReadersLanguage() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/account/password").then().statusCode(200);
        patient.submit(
                        "/account/password",
                        Map.of(
                                "current",
                                PracticeFixture.PASSWORD,
                                "password",
                                "iloveyou1",
                                "confirm",
                                "iloveyou1"))
                .then()
                .statusCode(422)
                .body(
                        containsString("usa-form-group usa-form-group--error"),
                        containsString(
                                "<span class=\"usa-error-message\" id=\"password-field-error\" role=\"alert\">That password is on a list"),
                        containsString("aria-describedby=\"password-rules password-field-error\""),
                        not(containsString("id=\"current-error\"")));
        patient.submit("/account/password", Map.of("current", "", "password", "", "confirm", ""))
                .then()
                .statusCode(422)
                .body(
                        containsString("id=\"current-error\""),
                        containsString("Enter your current password."),
                        containsString("Enter a new password."));

        patient.submit("/language", Map.of("language", "es", "back", "/account/password"))
                .then()
                .statusCode(303);
        patient.get("/account/password").then().statusCode(200);
        patient.submit(
                        "/account/password",
                        Map.of(
                                "current",
                                "not my password",
                                "password",
                                "a fresh passphrase",
                                "confirm",
                                "a fresh passphrase"))
                .then()
                .statusCode(422)
                .body(
                        containsString(
                                "id=\"current-error\" role=\"alert\">La contraseña actual no es correcta."));

        // the sign-in page: an empty field is named, a wrong password is not told apart from an
        // unknown name
        WebSession visitor = new WebSession();
        visitor.get("/login").then().statusCode(200);
        visitor.submit("/login", Map.of("username", "", "password", "x"))
                .then()
                .statusCode(422)
                .body(
                        containsString("id=\"username-error\""),
                        containsString("Enter your user name."));
        visitor.submit(
                        "/login",
                        Map.of("username", practice.patientLogin, "password", "wrong password"))
                .then()
                .statusCode(401)
                .body(
                        containsString("id=\"login-error\""),
                        containsString("The user name or password is not correct."));
    }

    @Test
    void shouldListLoginsInPlainWordsWithEveryActionAskingFirst() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String admin = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        admin,
                        PracticeFixture.PASSWORD,
                        "Practice Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(practice.practice),
                        null,
                        null,
                        Set.of()));
        WebSession.signIn(
                practice.frontDeskLogin,
                PracticeFixture.PASSWORD); // enrols the front desk's second factor
        WebSession visitor = new WebSession();
        visitor.get("/login");
        visitor.submit(
                        "/login",
                        Map.of("username", practice.patientLogin, "password", "not the password"))
                .then()
                .statusCode(401);
        for (int i = 0; i < 10; i++) {
            visitor.submit(
                            "/login",
                            Map.of(
                                    "username",
                                    practice.otherPatientLogin,
                                    "password",
                                    "wrong " + i))
                    .then()
                    .statusCode(401);
        }

        WebSession session = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        String page = session.get("/admin/logins").then().statusCode(200).extract().asString();
        assertThat(page)
                .contains(
                        ">Front desk</td>",
                        ">Patient</td>",
                        ">Practice administrator</td>",
                        "1 failed sign-in")
                .doesNotContain("FRONT_DESK</", ">PATIENT<", "RelatedPerson)");
        // a lock's end in the practice's time zone, as people write it (never an ISO instant)
        assertThat(page)
                .containsPattern(
                        "Locked until [A-Z][a-z]{2}, [A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{1,2}:\\d{2} [AP]M<");
        // ids stay in the forms' values: the text a person reads has none
        assertThat(page.replaceAll("<[^>]*>", " "))
                .doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-");
        // each support action is the second step of a question; one's own login offers none
        assertThat(page)
                .containsPattern(
                        "(?s)<details class=\"bp-confirm[^\"]*\">\\s*<summary[^>]*>Reset second factor<span[^>]*>: "
                                + practice.frontDeskLogin
                                + "</span></summary>\\s*<div class=\"bp-confirm__question\">\\s*<p[^>]*>Reset the second factor of "
                                + practice.frontDeskLogin
                                + "\\?.*?</p>\\s*<form method=\"post\" action=\"/admin/logins/"
                                + practice.frontDeskLogin
                                + "/reset-mfa\"");
        assertThat(page)
                .containsPattern(
                        "(?s)<summary[^>]*>Unlock<span[^>]*>: "
                                + practice.patientLogin
                                + "</span></summary>\\s*"
                                + "<div class=\"bp-confirm__question\">.*?action=\"/admin/logins/"
                                + practice.patientLogin
                                + "/unlock\"")
                .doesNotContain("action=\"/admin/logins/" + admin + "/reset-mfa\"");

        session.submit("/admin/logins/" + practice.patientLogin + "/unlock", Map.of())
                .then()
                .statusCode(303);
        session.get("/admin/logins?unlocked=" + practice.patientLogin)
                .then()
                .statusCode(200)
                .body(
                        containsString("role=\"status\" id=\"support-notice\""),
                        containsString(practice.patientLogin + " is unlocked"));

        session.submit("/language", Map.of("language", "es", "back", "/admin/logins"))
                .then()
                .statusCode(303);
        session.get("/admin/logins")
                .then()
                .statusCode(200)
                .body(
                        containsString(">Recepción</td>"),
                        containsString("Restablecer el segundo factor"),
                        containsString("Bloqueada hasta el "),
                        not(containsString("Reset second factor")));
    }
}
