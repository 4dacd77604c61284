package dev.bluepost.messaging;

import static dev.bluepost.testing.Api.fhir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.bluepost.crypto.EnvelopeCipher;
import dev.bluepost.crypto.SealedText;
import dev.bluepost.crypto.WrappedKey;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One message the whole way, over the real broker and database: a patient writes on the page →
 * stored encrypted with an outbox row → Kafka → triage creates the Task → the front desk's live
 * stream announces it and the queue lists it → staff reply travels the same way and closes the Task
 * → the patient sees the reply. Other patients cannot reach the thread.
 */
@QuarkusTest
class MessageFlowIT {

    @Inject IdentityService identities;

    @Inject EnvelopeCipher cipher;

    @TestHTTPResource("/staff/queue/events")
    URI queueEvents;

    private PracticeFixture practice;

    @BeforeEach
    void createPractice() {
        practice = PracticeFixture.create(identities);
    }

    @Test
    void shouldCarryPatientMessageToQueueAndReplyBack() throws Exception {
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/staff/queue").then().statusCode(200).body(containsString("Queue"));
        BlockingQueue<String> liveEvents = openEventStream(desk);

        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new")
                .then()
                .statusCode(200)
                .body(containsString("call 911"), containsString("988"))
                .body(containsString("value=\"" + practice.pool + "\""))
                .body(containsString("value=\"" + practice.ep + "\""));
        String text = "My knee still hurts after the visit " + UUID.randomUUID();
        String threadPage =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        "Knee pain",
                                        "text",
                                        text))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String threadId = threadPage.substring(threadPage.lastIndexOf('/') + 1);
        patient.get("/patient/threads/" + threadId)
                .then()
                .statusCode(200)
                .body(containsString(text), containsString("Expect an answer by"));

        String messageId =
                fhir().get("/fhir/Communication?subject=" + practice.patient)
                        .then()
                        .statusCode(200)
                        .body("total", is(1))
                        .extract()
                        .path("entry[0].resource.id");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + messageId)
                                        .then()
                                        .body("total", is(1))
                                        .body(
                                                "entry[0].resource.owner.reference",
                                                equalTo(practice.pool))
                                        .body("entry[0].resource.status", equalTo("requested"))
                                        .body(
                                                "entry[0].resource.restriction.period.end",
                                                not(equalTo(null))));
        String announced = liveEvents.poll(20, TimeUnit.SECONDS);
        assertThat(announced)
                .as("the console's live stream announced the new item")
                .isEqualTo("event:queue");
        desk.get("/staff/queue/rows")
                .then()
                .statusCode(200)
                .body(containsString("/staff/threads/" + threadId));

        desk.get("/staff/threads/" + threadId).then().statusCode(200).body(containsString(text));
        String reply = "Please ice it twice a day and call if it swells " + UUID.randomUUID();
        desk.submit("/staff/threads/" + threadId + "/reply", Map.of("text", reply))
                .then()
                .statusCode(303);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + messageId)
                                        .then()
                                        .body("entry[0].resource.status", equalTo("completed")));
        patient.get("/patient/threads/" + threadId)
                .then()
                .statusCode(200)
                .body(containsString(reply));
        patient.get("/patient").then().statusCode(200).body(containsString("Answered"));
        fhir().get("/fhir/Communication?part-of=Communication/" + messageId)
                .then()
                .body("total", is(1))
                .body(
                        "entry[0].resource.inResponseTo[0].reference",
                        equalTo("Communication/" + messageId))
                .body("entry[0].resource.sender.reference", equalTo(practice.staff));
    }

    @Test
    void shouldHideThreadFromOtherPatientsAsNotFound() {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.ep,
                                        "category",
                                        "appointment",
                                        "subject",
                                        "Next visit",
                                        "text",
                                        "Can I come in on Monday?"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String threadId = location.substring(location.lastIndexOf('/') + 1);

        WebSession other = WebSession.signIn(practice.otherPatientLogin, PracticeFixture.PASSWORD);
        other.get("/patient/threads/" + threadId)
                .then()
                .statusCode(404)
                .body(not(containsString("Monday")));
        other.get("/patient");
        other.submit("/patient/threads/" + threadId + "/reply", Map.of("text", "intrusion"))
                .then()
                .statusCode(404);
        other.get("/patient/threads/" + UUID.randomUUID()).then().statusCode(404);
        other.get("/patient/threads/not-a-uuid").then().statusCode(404);
        other.get("/patient").then().statusCode(200).body(not(containsString(threadId)));
        fhir().get("/fhir/Communication?subject=" + practice.patient).then().body("total", is(1));
    }

    @Test
    void shouldStoreOnlyCiphertextThatTheRightKeyDecrypts() throws Exception {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String text = "Rash on my left arm since Tuesday " + UUID.randomUUID();
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "medical-question",
                                "subject",
                                "Rash question",
                                "text",
                                text))
                .then()
                .statusCode(303);

        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                """
                     select m.id, m.body_iv, m.body_ciphertext, m.body_sha256, t.dek_kek_id, t.dek_wrapped, t.topic_ciphertext
                     from message m join message_thread t on t.id = m.thread_id where m.patient_id = ?""")) {
            query.setObject(1, PracticeFixture.id(practice.patient));
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                byte[] ciphertext = row.getBytes("body_ciphertext");
                assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1))
                        .doesNotContain("Rash")
                        .doesNotContain("Tuesday");
                assertThat(
                                new String(
                                        row.getBytes("topic_ciphertext"),
                                        StandardCharsets.ISO_8859_1))
                        .doesNotContain("Rash");
                WrappedKey key =
                        new WrappedKey(row.getString("dek_kek_id"), row.getBytes("dek_wrapped"));
                SealedText sealed =
                        new SealedText(
                                row.getBytes("body_iv"), ciphertext, row.getBytes("body_sha256"));
                byte[] aad =
                        ("message-body:" + row.getObject("id")).getBytes(StandardCharsets.US_ASCII);
                assertThat(
                                new String(
                                        cipher.open(key, sealed, aad, "body"),
                                        StandardCharsets.UTF_8))
                        .isEqualTo(text);
                WrappedKey otherThreadsKey = cipher.newDataKey();
                assertThatThrownBy(() -> cipher.open(otherThreadsKey, sealed, aad, "body"))
                        .isInstanceOf(dev.bluepost.crypto.TamperedDataException.class);
            }
        }
    }

    @Test
    void shouldRefuseFormsWithoutCsrfTokenAndWriteNothing() {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.submitWithoutToken(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "other",
                                "text",
                                "should not be stored"))
                .then()
                .statusCode(403)
                .body(containsString("Reload the page"));
        fhir().get("/fhir/Communication?subject=" + practice.patient).then().body("total", is(0));
    }

    @Test
    void shouldSendUnauthenticatedVisitorsToSignInAndRejectWrongPasswords() {
        WebSession anonymous = new WebSession();
        anonymous
                .get("/patient")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login?next=%2Fpatient"));
        anonymous.get("/login");
        anonymous
                .submit(
                        "/login",
                        Map.of("username", practice.patientLogin, "password", "wrong-password"))
                .then()
                .statusCode(401)
                .body(containsString("not correct"));
        anonymous.get("/patient").then().statusCode(303);
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        desk.get("/patient").then().statusCode(403);
        desk.get("/staff/queue").then().statusCode(200);
    }

    @Test
    void shouldRejectOversizedAndEmptyMessagesOnThePage() {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "other",
                                "subject",
                                "x",
                                "text",
                                "a".repeat(70 * 1024)))
                .then()
                .statusCode(413)
                .body(containsString("the limit is 65536 bytes"));
        patient.get("/patient/messages/new");
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "other",
                                "subject",
                                "x",
                                "text",
                                "   "))
                .then()
                .statusCode(422)
                .body(containsString("empty"));
        patient.get("/patient/messages/new");
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                "CareTeam/" + UUID.randomUUID(),
                                "category",
                                "other",
                                "text",
                                "to nobody"))
                .then()
                .statusCode(422)
                .body(containsString("Choose who"));
        patient.get("/patient/messages/new");
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "other",
                                "text",
                                "<script>alert('x')</script>"))
                .then()
                .statusCode(303);
        fhir().get("/fhir/Communication?subject=" + practice.patient).then().body("total", is(1));
        String threadHtml = patient.get("/patient").then().extract().asString();
        assertThat(threadHtml).doesNotContain("<script>alert");
    }

    @Test
    void shouldRefuseTextThatIsNotUtf8AndAMegabyteOfTextWritingNothing() {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String form =
                "_csrf="
                        + patient.csrfToken()
                        + "&recipient="
                        + practice.pool
                        + "&category=other&subject=x&action=send&text=";
        // percent-encoded bytes that are not UTF-8 (a lone continuation byte, an overlong form)
        patient.submitRaw(
                        "/patient/messages",
                        "application/x-www-form-urlencoded",
                        (form + "Hello%C3%28world%80%C0%AF").getBytes(StandardCharsets.US_ASCII))
                .then()
                .statusCode(400)
                .body(containsString("not valid UTF-8"), not(containsString("Exception")));
        // the same bytes raw in the body
        byte[] prefix = form.getBytes(StandardCharsets.US_ASCII);
        byte[] raw = java.util.Arrays.copyOf(prefix, prefix.length + 4);
        raw[prefix.length] = 'H';
        raw[prefix.length + 1] = (byte) 0xC3;
        raw[prefix.length + 2] = (byte) 0x28;
        raw[prefix.length + 3] = (byte) 0xFF;
        patient.get("/patient/messages/new");
        patient.submitRaw("/patient/messages", "application/x-www-form-urlencoded", raw)
                .then()
                .statusCode(400)
                .body(containsString("not valid UTF-8"));
        patient.get("/patient/messages/new");
        patient.submit(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "other",
                                "subject",
                                "x",
                                "text",
                                "a".repeat(1024 * 1024),
                                "action",
                                "send"))
                .then()
                .statusCode(413);
        // FHIR: a JSON string holding bytes that are not UTF-8 (the "##" is replaced by 0xC3 0x28)
        String template =
                "{\"resourceType\":\"Communication\",\"status\":\"completed\",\"subject\":{\"reference\":\""
                        + practice.patient
                        + "\"},\"sender\":{\"reference\":\""
                        + practice.patient
                        + "\"},\"recipient\":[{\"reference\":\""
                        + practice.pool
                        + "\"}],\"payload\":[{\"contentString\":\"Hi ##X\"}]}";
        byte[] json = template.getBytes(StandardCharsets.US_ASCII);
        int at = template.indexOf("##");
        json[at] = (byte) 0xC3;
        json[at + 1] = (byte) 0x28;
        fhir().contentType("application/fhir+json")
                .body(json)
                .post("/fhir/Communication")
                .then()
                .statusCode(400)
                .body("resourceType", equalTo("OperationOutcome"))
                .body(containsString("UTF-8"));
        fhir().get("/fhir/Communication?subject=" + practice.patient).then().body("total", is(0));
    }

    /** Reads the console's server-sent events; each "event:" line is queued. */
    private BlockingQueue<String> openEventStream(WebSession session) throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        HttpRequest request =
                HttpRequest.newBuilder(queueEvents)
                        .header("Cookie", session.cookieHeader())
                        .header("Accept", "text/event-stream")
                        .GET()
                        .build();
        CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response =
                HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<java.util.stream.Stream<String>> stream = response.get(10, TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread reader =
                new Thread(
                        () ->
                                stream.body()
                                        .filter(line -> line.startsWith("event:"))
                                        .forEach(line -> events.add(line.replace(" ", ""))),
                        "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return events;
    }
}
