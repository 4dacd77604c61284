package dev.bluepost.messaging;

import static dev.bluepost.testing.Api.fhir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Composing: the urgent-help panel before an emergency-sounding message is sent, and drafts. */
@QuarkusTest
class ComposeIT {

    private static final Pattern DRAFT_LINK =
            Pattern.compile("/patient/messages/new\\?draft=([0-9a-f-]{36})");

    @Inject IdentityService identities;

    @Test
    void shouldShowUrgentHelpBeforeSendingAnEmergencySoundingMessage() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        Map<String, String> form =
                Map.of(
                        "recipient",
                        practice.pool,
                        "category",
                        "medical-question",
                        "subject",
                        "Since this morning",
                        "text",
                        "I have crushing chest pain and my left arm feels numb",
                        "action",
                        "send");
        patient.submit("/patient/messages", form)
                .then()
                .statusCode(200)
                .body(containsString("Do you need help right now?"), containsString("Call 911"))
                .body(containsString("Send anyway: this is not an emergency"))
                .body(containsString("crushing chest pain"));
        fhir().get("/fhir/Communication?subject=" + practice.patient).then().body("total", is(0));

        Map<String, String> acknowledged = new java.util.HashMap<>(form);
        acknowledged.put("acknowledgedUrgent", "yes");
        patient.submit("/patient/messages", acknowledged).then().statusCode(303);
        fhir().get("/fhir/Communication?subject=" + practice.patient).then().body("total", is(1));

        patient.get("/patient/messages/new");
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "other",
                                "text",
                                "I keep thinking about suicide",
                                "action",
                                "send"))
                .then()
                .statusCode(200)
                .body(containsString("988"));
        patient.get("/patient/messages/new");
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "other",
                                "text",
                                "My chest x-ray appointment: can I move it?",
                                "action",
                                "send"))
                .then()
                .statusCode(303);
    }

    @Test
    void shouldKeepSealedDraftsThatOnlyTheirAuthorCanOpen() throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String text = "Draft about my thyroid medication " + UUID.randomUUID();
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "medication-refill",
                                "subject",
                                "Thyroid refill",
                                "text",
                                text,
                                "action",
                                "save"))
                .then()
                .statusCode(303);
        fhir().get("/fhir/Communication?subject=" + practice.patient).then().body("total", is(0));

        String list =
                patient.get("/patient")
                        .then()
                        .statusCode(200)
                        .body(containsString("Thyroid refill"))
                        .extract()
                        .asString();
        Matcher link = DRAFT_LINK.matcher(list);
        assertThat(link.find()).isTrue();
        String draftId = link.group(1);
        patient.get("/patient/messages/new?draft=" + draftId)
                .then()
                .statusCode(200)
                .body(
                        containsString(text),
                        containsString("value=\"" + practice.pool + "\" selected"));

        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                "select body_ciphertext, topic_ciphertext from message_draft where id = ?")) {
            query.setObject(1, UUID.fromString(draftId));
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(new String(row.getBytes(1), StandardCharsets.ISO_8859_1))
                        .doesNotContain("thyroid");
                assertThat(new String(row.getBytes(2), StandardCharsets.ISO_8859_1))
                        .doesNotContain("Thyroid");
            }
        }

        WebSession other = WebSession.signIn(practice.otherPatientLogin, PracticeFixture.PASSWORD);
        other.get("/patient/messages/new?draft=" + draftId)
                .then()
                .statusCode(404)
                .body(not(containsString("thyroid")));

        patient.get("/patient/messages/new?draft=" + draftId);
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "medication-refill",
                                "subject",
                                "Thyroid refill",
                                "text",
                                text,
                                "draft",
                                draftId,
                                "action",
                                "send"))
                .then()
                .statusCode(303);
        fhir().get("/fhir/Communication?subject=" + practice.patient).then().body("total", is(1));
        patient.get("/patient").then().body(not(containsString("?draft=" + draftId)));
        patient.get("/patient/messages/new?draft=" + draftId).then().statusCode(404);
    }
}
