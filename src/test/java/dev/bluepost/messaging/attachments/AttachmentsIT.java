package dev.bluepost.messaging.attachments;

import static dev.bluepost.testing.Api.fhir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SampleFiles;
import dev.bluepost.testing.WebSession;
import dev.bluepost.testing.WebSession.Upload;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Communication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attachments end to end over the real database (and the broker behind the outbox): a patient's
 * JPEG and PDF reach staff byte for byte, only people who may see the thread can download them,
 * the database holds neither their bytes nor their names in clear, every bad file of the
 * messaging issue's list is refused with a clear message and nothing written, a changed
 * ciphertext is refused on download, and FHIR clients send and read the same files.
 */
@QuarkusTest
class AttachmentsIT {

    private static final Pattern DOWNLOAD =
            Pattern.compile(
                    "href=\"(/(?:patient|staff)/threads/[0-9a-f-]{36}/attachments/[0-9a-f-]{36})\"");

    @Inject IdentityService identities;

    @TestHTTPResource("/")
    URI root;

    private PracticeFixture practice;

    @BeforeEach
    void createPractice() {
        practice = PracticeFixture.create(identities);
    }

    @Test
    void shouldCarryPatientsJpegAndPdfToStaffByteForByte() throws Exception {
        byte[] jpeg = SampleFiles.jpeg();
        byte[] pdf = SampleFiles.pdf("Glucose 5.4 mmol/L");
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new")
                .then()
                .statusCode(200)
                .body(
                        containsString("enctype=\"multipart/form-data\""),
                        containsString("type=\"file\""),
                        containsString("accept=\"image/jpeg,image/png,application/pdf"),
                        containsString("not saved with a draft"));
        String location =
                patient.submitMultipart(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        "Knee",
                                        "text",
                                        "Photo and lab report attached",
                                        "action",
                                        "send"),
                                List.of(
                                        new Upload("knee swelling.jpg", "image/jpeg", jpeg),
                                        new Upload("../labs/glucose.pdf", "application/pdf", pdf)))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        String threadId = location.substring(location.lastIndexOf('/') + 1);

        String patientPage =
                patient.get("/patient/threads/" + threadId)
                        .then()
                        .statusCode(200)
                        .body(
                                containsString("knee swelling.jpg"),
                                containsString("glucose.pdf"),
                                containsString("PDF document"))
                        .extract()
                        .asString();
        List<String> patientLinks = downloads(patientPage);
        assertThat(patientLinks).hasSize(2);

        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        List<String> staffLinks =
                downloads(
                        desk.get("/staff/threads/" + threadId)
                                .then()
                                .statusCode(200)
                                .body(
                                        containsString("knee swelling.jpg"),
                                        containsString("glucose.pdf"))
                                .extract()
                                .asString());
        Response photo = desk.get(staffLinks.get(0));
        photo.then()
                .statusCode(200)
                .contentType("image/jpeg")
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"knee swelling.jpg\"; filename*=UTF-8''knee%20swelling.jpg")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", containsString("no-store"));
        assertThat(photo.asByteArray()).isEqualTo(jpeg);
        Response report = desk.get(staffLinks.get(1));
        report.then()
                .statusCode(200)
                .contentType("application/pdf")
                .header("Content-Disposition", containsString("glucose.pdf"));
        assertThat(report.asByteArray()).isEqualTo(pdf);
        assertThat(patient.get(patientLinks.get(1)).asByteArray()).isEqualTo(pdf);

        // the care team answers with a file of its own; the patient downloads it
        byte[] png = SampleFiles.png();
        desk.submitMultipart(
                        "/staff/threads/" + threadId + "/reply",
                        Map.of("text", "Here is the exercise sheet"),
                        List.of(new Upload("exercises.png", "image/png", png)))
                .then()
                .statusCode(303);
        List<String> afterReply =
                downloads(
                        patient.get("/patient/threads/" + threadId)
                                .then()
                                .statusCode(200)
                                .body(containsString("exercises.png"))
                                .extract()
                                .asString());
        assertThat(patient.get(afterReply.get(2)).then().statusCode(200).extract().asByteArray())
                .isEqualTo(png);

        // nobody else: another patient, staff of another practice, or the right file under another
        // thread
        WebSession other = WebSession.signIn(practice.otherPatientLogin, PracticeFixture.PASSWORD);
        other.get(patientLinks.get(0)).then().statusCode(404).body(not(containsString("knee")));
        PracticeFixture elsewhere = PracticeFixture.create(identities);
        WebSession otherDesk =
                WebSession.signIn(elsewhere.frontDeskLogin, PracticeFixture.PASSWORD);
        otherDesk.get(staffLinks.get(0)).then().statusCode(404);
        String attachmentId =
                patientLinks.get(0).substring(patientLinks.get(0).lastIndexOf('/') + 1);
        other.get("/patient/threads/" + UUID.randomUUID() + "/attachments/" + attachmentId)
                .then()
                .statusCode(404);
        new WebSession().get(patientLinks.get(0)).then().statusCode(303);

        // the uploaded parts (plaintext) waited in the data directory only while their request ran
        Path uploads = Path.of("target/bluepost-test-data/uploads");
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> {
                            try (var left = Files.list(uploads)) {
                                assertThat(left).as("uploaded parts left behind").isEmpty();
                            }
                        });
    }

    @Test
    void shouldStoreNeitherTheBytesNorTheNamesInClear() throws Exception {
        String marker = "Hemoglobin-" + UUID.randomUUID();
        String name = "hiv-test-" + UUID.randomUUID() + ".pdf";
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        patient.submitMultipart(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "test-results",
                                "text",
                                "Results attached",
                                "action",
                                "send"),
                        List.of(new Upload(name, "application/pdf", SampleFiles.pdf(marker))))
                .then()
                .statusCode(303);

        List<String> cells = new ArrayList<>();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                """
                     select a.* from message_attachment a join message m on m.id = a.message_id where m.patient_id = ?""")) {
            query.setObject(1, PracticeFixture.id(practice.patient));
            try (ResultSet rows = query.executeQuery()) {
                ResultSetMetaData columns = rows.getMetaData();
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("content_type")).isEqualTo("application/pdf");
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    byte[] value = rows.getBytes(i);
                    cells.add(value == null ? "" : new String(value, StandardCharsets.ISO_8859_1));
                }
            }
        }
        assertThat(cells)
                .noneMatch(
                        cell ->
                                cell.contains(marker)
                                        || cell.contains("hiv-test")
                                        || cell.contains("%PDF"));
        assertThat(Files.readString(Path.of("target/quarkus-test.log"), StandardCharsets.UTF_8))
                .doesNotContain(name)
                .doesNotContain("hiv-test-")
                .doesNotContain(marker);
    }

    @Test
    void shouldRefuseEveryBadFileWithAClearMessageAndWriteNothing() {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        Map<String, String> fields =
                Map.of(
                        "recipient",
                        practice.pool,
                        "category",
                        "other",
                        "subject",
                        "Files",
                        "text",
                        "Keep this text " + UUID.randomUUID(),
                        "action",
                        "send");
        record Case(String what, List<Upload> files, int status, String message) {}
        List<Case> cases =
                List.of(
                        new Case(
                                "an executable",
                                List.of(
                                        new Upload(
                                                "photo.jpg",
                                                "image/jpeg",
                                                SampleFiles.windowsExecutable())),
                                415,
                                "is a Windows program, which cannot be attached"),
                        new Case(
                                "a zip bomb",
                                List.of(
                                        new Upload(
                                                "records.zip",
                                                "application/zip",
                                                SampleFiles.zipBomb())),
                                415,
                                "is a ZIP archive"),
                        new Case(
                                "a 0-byte file",
                                List.of(new Upload("empty.pdf", "application/pdf", new byte[0])),
                                422,
                                "is empty (0 bytes)"),
                        new Case(
                                "a file over 10 MiB",
                                List.of(
                                        new Upload(
                                                "scan.pdf",
                                                "application/pdf",
                                                padded(
                                                        SampleFiles.pdf("big"),
                                                        10 * 1024 * 1024 + 1))),
                                413,
                                "the limit is 10 MB per file"),
                        new Case(
                                "a PDF with the wrong extension",
                                List.of(
                                        new Upload(
                                                "photo.jpg", "image/jpeg", SampleFiles.pdf("x"))),
                                422,
                                "named as a JPEG image (.jpg) but its content is a PDF document"),
                        new Case(
                                "a PDF with JavaScript",
                                List.of(
                                        new Upload(
                                                "form.pdf",
                                                "application/pdf",
                                                SampleFiles.pdfWithJavaScript("/JavaScript"))),
                                422,
                                "contains JavaScript"),
                        new Case(
                                "a web page",
                                List.of(new Upload("page.png", "image/png", SampleFiles.html())),
                                415,
                                "web page"),
                        new Case(
                                "six files",
                                Collections.nCopies(
                                        6, new Upload("a.png", "image/png", SampleFiles.png())),
                                422,
                                "at most 5 attachments"));
        for (Case c : cases) {
            patient.get("/patient/messages/new");
            Response refused = patient.submitMultipart("/patient/messages", fields, c.files());
            assertThat(refused.statusCode()).as(c.what()).isEqualTo(c.status());
            assertThat(refused.asString())
                    .as(c.what())
                    .contains(c.message())
                    .contains(fields.get("text"))
                    .contains("Choose your attachments again");
        }
        // the reply form too
        String threadId = sendPlainMessage(patient);
        patient.get("/patient/threads/" + threadId);
        patient.submitMultipart(
                        "/patient/threads/" + threadId + "/reply",
                        Map.of("text", "Reply with a program", "action", "send"),
                        List.of(
                                new Upload(
                                        "setup.exe",
                                        "application/octet-stream",
                                        SampleFiles.windowsExecutable())))
                .then()
                .statusCode(415)
                .body(containsString("Windows program"), containsString("Reply with a program"));
        assertThat(counts()).isEqualTo(List.of(1L, 0L, 1L));
    }

    @Test
    void shouldRefuseMultipartFormsWithoutCsrfToken() {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        patient.submitMultipartWithoutToken(
                        "/patient/messages",
                        Map.of(
                                "recipient",
                                practice.pool,
                                "category",
                                "other",
                                "text",
                                "no token",
                                "action",
                                "send"),
                        List.of(new Upload("a.png", "image/png", SampleFiles.png())))
                .then()
                .statusCode(403)
                .body(containsString("Reload the page"));
        assertThat(counts()).isEqualTo(List.of(0L, 0L, 0L));
    }

    @Test
    void shouldRefuseA200MegabyteUploadEarlyWithAPageOrOperationOutcome() throws Exception {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        long huge = 200L * 1024 * 1024;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long started = System.nanoTime();
        HttpResponse<String> page =
                client.send(
                        HttpRequest.newBuilder(root.resolve("/patient/messages"))
                                .header("Cookie", patient.cookieHeader())
                                .header("Content-Type", "multipart/form-data; boundary=b0undary")
                                .timeout(Duration.ofSeconds(90))
                                .POST(
                                        HttpRequest.BodyPublishers.fromPublisher(
                                                HttpRequest.BodyPublishers.ofInputStream(
                                                        () -> zeros(huge)),
                                                huge))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(413);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body())
                .contains("The request is 200 MB; this server accepts at most 40 MB in one request")
                .contains("Nothing was stored")
                .contains("give them this reference");

        HttpResponse<String> outcome =
                client.send(
                        HttpRequest.newBuilder(root.resolve("/fhir/Communication"))
                                .header("Authorization", "Bearer " + Api.token())
                                .header("Content-Type", "application/fhir+json")
                                .timeout(Duration.ofSeconds(90))
                                .POST(
                                        HttpRequest.BodyPublishers.fromPublisher(
                                                HttpRequest.BodyPublishers.ofInputStream(
                                                        () -> zeros(huge)),
                                                huge))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(outcome.statusCode()).isEqualTo(413);
        assertThat(outcome.body())
                .contains("\"resourceType\":\"OperationOutcome\"")
                .contains("\"code\":\"too-long\"")
                .contains("accepts at most 40 MB");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(Duration.ofSeconds(120));
        assertThat(counts()).isEqualTo(List.of(0L, 0L, 0L));
    }

    @Test
    void shouldRefuseToServeAnAttachmentWhoseCiphertextWasChanged() throws Exception {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/messages/new");
        String location =
                patient.submitMultipart(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "other",
                                        "text",
                                        "Two photos",
                                        "action",
                                        "send"),
                                List.of(
                                        new Upload("one.png", "image/png", SampleFiles.png()),
                                        new Upload("two.jpg", "image/jpeg", SampleFiles.jpeg())))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        List<String> links =
                downloads(patient.get(location).then().statusCode(200).extract().asString());
        UUID first = UUID.fromString(links.get(0).substring(links.get(0).lastIndexOf('/') + 1));
        UUID second = UUID.fromString(links.get(1).substring(links.get(1).lastIndexOf('/') + 1));
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement flip =
                        db.prepareStatement(
                                """
                     update message_attachment set content_ciphertext = set_byte(content_ciphertext, 20,
                         get_byte(content_ciphertext, 20) # 1) where id = ?""")) {
            flip.setObject(1, first);
            assertThat(flip.executeUpdate()).isEqualTo(1);
        }
        patient.get(links.get(0))
                .then()
                .statusCode(500)
                .contentType(containsString("text/html"))
                .body(
                        containsString("Something went wrong on our side"),
                        not(containsString("one.png")));
        patient.get(links.get(1)).then().statusCode(200);
        // ciphertext moved to another row fails too: the associated data binds it to its id
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement swap =
                        db.prepareStatement(
                                """
                     update message_attachment t set content_iv = s.content_iv, content_ciphertext = s.content_ciphertext,
                         content_sha256 = s.content_sha256, size_bytes = s.size_bytes
                     from message_attachment s where s.id = ? and t.id = ?""")) {
            swap.setObject(1, first);
            swap.setObject(2, second);
            swap.executeUpdate();
        }
        patient.get(links.get(1)).then().statusCode(500);
        fhir().accept("application/octet-stream")
                .get("/fhir/Binary/" + second)
                .then()
                .statusCode(500)
                .body(containsString("OperationOutcome"), containsString("integrity check"));
    }

    @Test
    void shouldCreateAndReadCommunicationWithContentAttachment() throws Exception {
        byte[] png = SampleFiles.png();
        byte[] pdf = SampleFiles.pdf("Discharge summary");
        Communication message =
                dev.bluepost.testing.Builders.aMessage(
                        practice.patient, practice.pool, "See the files");
        message.addPayload()
                .setContent(
                        new Attachment()
                                .setContentType("image/png")
                                .setTitle("wound.png")
                                .setData(png));
        message.addPayload()
                .setContent(
                        new Attachment()
                                .setTitle("C:\\Users\\me\\summary.pdf")
                                .setData(pdf)
                                .setHash(MessageDigest.getInstance("SHA-1").digest(pdf))
                                .setSize(pdf.length));
        String body =
                Api.post(message)
                        .then()
                        .statusCode(201)
                        .body("payload[0].contentString", equalTo("See the files"))
                        .body("payload[1].contentAttachment.contentType", equalTo("image/png"))
                        .body("payload[1].contentAttachment.title", equalTo("wound.png"))
                        .body("payload[1].contentAttachment.size", is(png.length))
                        .body(
                                "payload[1].contentAttachment.hash",
                                equalTo(base64(MessageDigest.getInstance("SHA-1").digest(png))))
                        .body(
                                "payload[2].contentAttachment.contentType",
                                equalTo("application/pdf"))
                        .body("payload[2].contentAttachment.title", equalTo("summary.pdf"))
                        .extract()
                        .asString();
        Communication created = Fhir.parse(body, Communication.class);
        Attachment stored = created.getPayload().get(2).getContentAttachment();
        assertThat(stored.getUrl()).matches("Binary/[0-9a-f-]{36}");
        assertThat(
                        stored.getExtensionByUrl(
                                        "https://fhir.bluepost.dev/StructureDefinition/sha256")
                                .getValue()
                                .primitiveValue())
                .isEqualTo(base64(MessageDigest.getInstance("SHA-256").digest(pdf)));

        Response raw = fhir().accept("application/octet-stream").get("/fhir/" + stored.getUrl());
        raw.then()
                .statusCode(200)
                .contentType("application/pdf")
                .header("X-Content-Type-Options", "nosniff");
        assertThat(raw.asByteArray()).isEqualTo(pdf);
        Binary binary =
                Fhir.parse(
                        fhir().get("/fhir/" + stored.getUrl())
                                .then()
                                .statusCode(200)
                                .contentType(containsString("application/fhir+json"))
                                .extract()
                                .asString(),
                        Binary.class);
        assertThat(binary.getContentType()).isEqualTo("application/pdf");
        assertThat(binary.getData()).isEqualTo(pdf);
        assertThat(binary.getSecurityContext().getReference())
                .isEqualTo("Communication/" + created.getIdElement().getIdPart());
        fhir().get("/fhir/Communication/" + created.getIdElement().getIdPart())
                .then()
                .statusCode(200)
                .body("payload[2].contentAttachment.url", equalTo(stored.getUrl()));
        fhir().get("/fhir/Binary/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .body(containsString("OperationOutcome"));
        fhir().get("/fhir/metadata")
                .then()
                .statusCode(200)
                .body(
                        "rest[0].resource.find { it.type == 'Binary' }.interaction.code",
                        equalTo(List.of("read")));

        // the same rules as the pages, answered as OperationOutcome, and nothing written
        long before = counts().get(0);
        Communication exe =
                dev.bluepost.testing.Builders.aMessage(practice.patient, practice.pool, "program");
        exe.addPayload()
                .setContent(
                        new Attachment()
                                .setContentType("image/png")
                                .setTitle("x.png")
                                .setData(SampleFiles.windowsExecutable()));
        Api.post(exe)
                .then()
                .statusCode(415)
                .body("issue[0].diagnostics", containsString("Windows program"));
        Communication byUrl =
                dev.bluepost.testing.Builders.aMessage(practice.patient, practice.pool, "by url");
        byUrl.addPayload()
                .setContent(
                        new Attachment()
                                .setContentType("application/pdf")
                                .setUrl("https://example.org/x.pdf"));
        Api.post(byUrl)
                .then()
                .statusCode(422)
                .body("issue[0].diagnostics", containsString("inline only"));
        Communication badHash =
                dev.bluepost.testing.Builders.aMessage(practice.patient, practice.pool, "bad hash");
        badHash.addPayload().setContent(new Attachment().setData(png).setHash(new byte[20]));
        Api.post(badHash)
                .then()
                .statusCode(422)
                .body("issue[0].diagnostics", containsString("not the SHA-1"));
        Communication wrongName =
                dev.bluepost.testing.Builders.aMessage(
                        practice.patient, practice.pool, "wrong name");
        wrongName.addPayload().setContent(new Attachment().setTitle("report.pdf").setData(png));
        Api.post(wrongName)
                .then()
                .statusCode(422)
                .body("issue[0].diagnostics", containsString("Rename it to end in .png"));
        assertThat(counts().get(0)).isEqualTo(before);
    }

    private String sendPlainMessage(WebSession patient) {
        patient.get("/patient/messages/new");
        String location =
                patient.submitMultipart(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        practice.pool,
                                        "category",
                                        "other",
                                        "text",
                                        "No files here",
                                        "action",
                                        "send"),
                                List.of())
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Messages, attachments and outbox rows of the fixture's patient. */
    private List<Long> counts() {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                """
                     select (select count(*) from message where patient_id = ?),
                            (select count(*) from message_attachment a join message m on m.id = a.message_id where m.patient_id = ?),
                            (select count(*) from outbox_event where payload ->> 'patientId' = ?)""")) {
            UUID patient = PracticeFixture.id(practice.patient);
            query.setObject(1, patient);
            query.setObject(2, patient);
            query.setString(3, patient.toString());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return List.of(row.getLong(1), row.getLong(2), row.getLong(3));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> downloads(String html) {
        List<String> links = new ArrayList<>();
        Matcher m = DOWNLOAD.matcher(html);
        while (m.find()) {
            links.add(m.group(1));
        }
        return links;
    }

    private static byte[] padded(byte[] start, int size) {
        byte[] out = new byte[size];
        System.arraycopy(start, 0, out, 0, start.length);
        return out;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static InputStream zeros(long length) {
        return new InputStream() {
            private long left = length;

            @Override
            public int read() {
                if (left <= 0) {
                    return -1;
                }
                left--;
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }
}
