package dev.bluepost.identity;

import static dev.bluepost.testing.Builders.aProxy;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SmartApp;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sign-in, proxy and app-consent refusals in Spanish: before sign-in from the language cookie, after it
 * from the login's choice; the friendly error page says them in the reader's words.
 */
@QuarkusTest
class SpanishIdentityRefusalsIT {

    @Inject IdentityService identities;

    @Test
    void shouldSaySignInProxyAndConsentRefusalsInSpanish() {
        PracticeFixture practice = PracticeFixture.create(identities);

        // a form that did not come from the site, before sign-in, with Spanish chosen in the header
        given().cookie("bp_lang", "es")
                .redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("username", "alguien")
                .formParam("password", "x")
                .post("/login")
                .then()
                .statusCode(403)
                .body(
                        containsString("<html lang=\"es\">"),
                        containsString(
                                "Este formulario caducó o no proviene de este sitio. Vuelva a cargar la página e inténtelo de nuevo."),
                        not(containsString("This form has expired")));

        // a proxy whose login chose Spanish asks to act for a patient they are not authorized for
        String proxyLogin = "proxy-es-" + UUID.randomUUID().toString().substring(0, 8);
        UUID proxyUser =
                identities.createUser(
                        new IdentityService.NewUser(
                                proxyLogin,
                                PracticeFixture.PASSWORD,
                                "Una Madre",
                                Set.of(Role.PROXY),
                                null,
                                null,
                                null,
                                Set.of(UUID.fromString(aProxyOf(practice)))));
        identities.chooseLanguage(proxyUser, "es");
        WebSession proxy = WebSession.signIn(proxyLogin, PracticeFixture.PASSWORD);
        proxy.get("/proxy/choose");
        proxy.submit("/proxy/choose", Map.of("relatedPerson", UUID.randomUUID().toString()))
                .then()
                .statusCode(403)
                .body(
                        containsString(
                                "Usted no está (o ya no está) autorizado para actuar en nombre de ese paciente."));

        // staff may not connect apps; an unknown app cannot connect at all
        identities.chooseLanguage(
                identities.findByUsername(practice.frontDeskLogin).orElseThrow().id(), "es");
        WebSession staff = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        staff.getEncoded(new SmartApp().authorizeUrl(SmartApp.ALL_SCOPES))
                .then()
                .statusCode(403)
                .body(
                        containsString(
                                "Solo los pacientes, y las personas a las que ellos autorizan, pueden conectar aplicaciones a Bluepost."));
        staff.getEncoded(new SmartApp().authorizeUrl(Map.of("client_id", "no-such-app")))
                .then()
                .statusCode(400)
                .body(
                        containsString("Esta aplicación no está registrada en Bluepost"),
                        not(containsString("not registered")));
    }

    private static String aProxyOf(PracticeFixture practice) {
        return Api.create(aProxy(practice.patient));
    }
}
