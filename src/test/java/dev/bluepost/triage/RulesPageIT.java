package dev.bluepost.triage;

import static dev.bluepost.testing.PracticeFixture.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The admin's triage page: a text in English and Spanish is saved and listed in both, a Spanish text
 * with a placeholder that does not exist is refused on its form with nothing saved, an SLA target's
 * removal asks first, and each action says what it did.
 */
@QuarkusTest
class RulesPageIT {

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Inject RuleService rules;

    @Test
    void shouldKeepATemplateInBothLanguagesRefuseABadOneOnItsFormAndAskBeforeRemovingATarget() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.installDefaults(practiceId);
        String admin = "rules-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        admin,
                        PracticeFixture.PASSWORD,
                        "Admin",
                        Set.of(Role.ADMIN),
                        practiceId,
                        null,
                        null,
                        Set.of()));
        WebSession session = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        String page = session.get("/admin/triage").then().statusCode(200).extract().asString();
        // the defaults come with their Spanish text
        assertThat(page).contains("Hola, {patient}: su receta se envió a su farmacia.");

        session.submit(
                        "/admin/triage/templates",
                        Map.of(
                                "kind",
                                "staff",
                                "name",
                                "Lab results ready",
                                "body",
                                "Hello {patient}, your results are in. {staff}",
                                "bodyEs",
                                "Hola, {patient}: sus resultados ya están. {staff}"))
                .then()
                .statusCode(303);
        assertThat(rules.template(practiceId, "Lab results ready").orElseThrow().bodyEs())
                .isEqualTo("Hola, {patient}: sus resultados ya están. {staff}");
        page = session.get("/admin/triage").then().statusCode(200).extract().asString();
        assertThat(page)
                .contains("role=\"status\" id=\"done\"")
                .contains("<p class=\"usa-alert__text\">Text saved.</p>")
                .contains("Hola, {patient}: sus resultados ya están. {staff}");
        // shown once: the next visit has no confirmation
        assertThat(session.get("/admin/triage").then().statusCode(200).extract().asString())
                .doesNotContain("id=\"done\"");

        String refused =
                session.submit(
                                "/admin/triage/templates",
                                Map.of(
                                        "kind",
                                        "staff",
                                        "name",
                                        "Broken",
                                        "body",
                                        "Hello {patient}",
                                        "bodyEs",
                                        "Hola, {paciente}"))
                        .then()
                        .statusCode(422)
                        .extract()
                        .asString();
        assertThat(refused)
                .contains(
                        "<span class=\"usa-error-message\" id=\"t-error\" role=\"alert\">The Spanish text uses {paciente}");
        assertThat(rules.template(practiceId, "Broken")).isEmpty();

        // an SLA target: saved, then its removal sits behind a question
        session.submit(
                        "/admin/triage/sla",
                        Map.of(
                                "pool",
                                "",
                                "priority",
                                "urgent",
                                "first",
                                "30",
                                "next",
                                "60",
                                "warning",
                                "10"))
                .then()
                .statusCode(303);
        page = session.get("/admin/triage").then().statusCode(200).extract().asString();
        assertThat(page).contains("Response-time target saved.");
        int removal = page.indexOf("<input type=\"hidden\" name=\"remove\" value=\"");
        assertThat(removal).isPositive();
        String before = page.substring(0, removal);
        assertThat(before.lastIndexOf("<details class=\"bp-confirm\">"))
                .isGreaterThan(before.lastIndexOf("</details>"));
        assertThat(page).contains("Remove this target?");
    }
}
