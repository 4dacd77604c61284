package dev.bluepost.bluebutton;

import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aProxy;
import static dev.bluepost.testing.Builders.aVisit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.measurement.PatientElectronicAccessIT;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.AuditRows;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.SampleFiles;
import dev.bluepost.testing.Sql;
import dev.bluepost.testing.WebSession;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * Blue Button complete (docs/adr/0046): the download holds everything the patient may see, and a
 * transmit to a Direct address reaches the (mock) HISP relay encrypted to the recipient and signed
 * with the practice's certificate — checked here with Bouncy Castle directly, not with the code that
 * built the message; an ordinary e-mail goes only after the warning was confirmed.
 */
@QuarkusTest
class BlueButtonIT {

    private static final FhirContext R4 = FhirContext.forR4Cached();
    private static final String MAIL_TO =
            "me-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";

    @Inject IdentityService identities;

    @Inject MockHisp hisp;

    @Inject DirectTransport transport;

    @Inject MockMailbox mailbox;

    @Test
    void theDownloadHoldsEverythingThePatientMaySeeAndAProxyGetsItWithoutTheSensitiveThreads()
            throws Exception {
        PracticeFixture f = PracticeFixture.create(identities);
        String proxyLogin = proxy(f);
        byte[] png = SampleFiles.png();
        Communication withFile = aMessage(f.patient, f.pool, "Here is the photo of the rash.");
        withFile.addPayload()
                .setContent(
                        new Attachment()
                                .setContentType("image/png")
                                .setTitle("rash.png")
                                .setData(png));
        Api.post(withFile).then().statusCode(201);
        WebSession patient = WebSession.signIn(f.patientLogin, PracticeFixture.PASSWORD);
        String sensitive = write(patient, f.ep, "Private", "A question only for my doctor.");
        patient.get("/patient/threads/" + sensitive);
        patient.submit("/patient/threads/" + sensitive + "/sensitive", Map.of("sensitive", "true"))
                .then()
                .statusCode(303);
        String encounter =
                "Encounter/"
                        + Api.create(
                                aVisit(
                                        f.patient,
                                        f.ep,
                                        f.location,
                                        f.practice,
                                        Instant.now().minus(1, ChronoUnit.DAYS)));
        String documentId =
                Api.create(
                        PatientElectronicAccessIT.document(
                                f.patient,
                                encounter,
                                Instant.now().minus(2, ChronoUnit.HOURS),
                                "After-visit summary",
                                "Blood pressure 128/82. Keep walking every day."));

        Response download = patient.get("/patient/history/bundle");
        download.then().statusCode(200).contentType(containsString("application/fhir+json"));
        Bundle bundle = strict().parseResource(Bundle.class, download.asString());
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(bundle.getTotal()).isEqualTo(bundle.getEntry().size());
        // every entry parses on its own with HAPI (strict), and every fullUrl names the resource it
        // holds
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            strict().parseResource(R4.newJsonParser().encodeResourceToString(resource));
            assertThat(entry.getFullUrl())
                    .endsWith(
                            resource.getIdElement().getResourceType()
                                    + "/"
                                    + resource.getIdElement().getIdPart());
        }
        // the messages, with the attachment readable: its bytes inline, matching the digest
        List<Communication> communications = resources(bundle, Communication.class);
        assertThat(communications)
                .extracting(c -> c.getPayloadFirstRep().getContentStringType().getValue())
                .contains("Here is the photo of the rash.", "A question only for my doctor.");
        Attachment attachment =
                communications.stream()
                        .flatMap(c -> c.getPayload().stream())
                        .filter(p -> p.getContent() instanceof Attachment)
                        .map(p -> (Attachment) p.getContent())
                        .findFirst()
                        .orElseThrow();
        assertThat(attachment.getData()).isEqualTo(png);
        assertThat(attachment.getTitle()).isEqualTo("rash.png");
        assertThat(attachment.getHash()).isEqualTo(MessageDigest.getInstance("SHA-1").digest(png));
        // the visit document with its content
        DocumentReference document = resources(bundle, DocumentReference.class).get(0);
        assertThat(document.getIdElement().getIdPart()).isEqualTo(documentId);
        assertThat(
                        new String(
                                document.getContentFirstRep().getAttachment().getData(),
                                StandardCharsets.UTF_8))
                .isEqualTo("Blood pressure 128/82. Keep walking every day.");
        // the resources they reference are in the Bundle: every Practitioner, CareTeam and
        // Organization reference resolves
        Set<String> present = new HashSet<>();
        bundle.getEntry()
                .forEach(
                        e ->
                                present.add(
                                        e.getResource()
                                                .getIdElement()
                                                .toUnqualifiedVersionless()
                                                .getValue()));
        assertThat(present).contains(f.ep, f.pool, f.practice, f.patient, encounter);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            for (Reference reference :
                    R4.newTerser()
                            .getAllPopulatedChildElementsOfType(
                                    entry.getResource(), Reference.class)) {
                String ref = reference.getReference();
                if (ref != null
                        && (ref.startsWith("Practitioner/")
                                || ref.startsWith("CareTeam/")
                                || ref.startsWith("Organization/"))) {
                    assertThat(present).as("the Bundle holds %s", ref).contains(ref);
                }
            }
        }

        // the printable page and the PDF list the attachments and the visit documents
        patient.get("/patient/history/print")
                .then()
                .statusCode(200)
                .body(
                        containsString("rash.png"),
                        containsString("After-visit summary"),
                        containsString("Attachments"));
        Response pdf = patient.get("/patient/history/pdf");
        pdf.then()
                .statusCode(200)
                .contentType(containsString("application/pdf"))
                .header("Content-Disposition", containsString("attachment"));
        PdfReader reader = new PdfReader(pdf.asByteArray());
        StringBuilder text = new StringBuilder();
        for (int page = 1; page <= reader.getNumberOfPages(); page++) {
            text.append(new PdfTextExtractor(reader).getTextFromPage(page));
        }
        assertThat(text.toString())
                .contains("rash.png", "After-visit summary", "Here is the photo of the rash.");

        // the proxy's download: the same, minus the sensitive thread
        WebSession proxy = WebSession.signIn(proxyLogin, PracticeFixture.PASSWORD);
        String proxyText =
                proxy.get("/patient/history/bundle").then().statusCode(200).extract().asString();
        Bundle proxyBundle = strict().parseResource(Bundle.class, proxyText);
        assertThat(resources(proxyBundle, Communication.class))
                .extracting(c -> c.getPayloadFirstRep().getContentStringType().getValue())
                .contains("Here is the photo of the rash.")
                .doesNotContain("A question only for my doctor.");
        assertThat(proxyText).doesNotContain(sensitive);
        assertThat(resources(proxyBundle, DocumentReference.class)).hasSize(1);
        proxy.get("/patient/history/print")
                .then()
                .statusCode(200)
                .body(not(containsString("only for my doctor")));
        assertThat(
                        new String(
                                proxy.get("/patient/history/pdf")
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .asByteArray(),
                                StandardCharsets.ISO_8859_1))
                .startsWith("%PDF");
    }

    @Test
    void aTransmitToADirectAddressArrivesEncryptedToTheRecipientAndSignedByThePractice()
            throws Exception {
        PracticeFixture f = PracticeFixture.create(identities);
        Api.post(aMessage(f.patient, f.pool, "Please send my record to my new doctor."))
                .then()
                .statusCode(201);
        String encounter =
                "Encounter/"
                        + Api.create(
                                aVisit(
                                        f.patient,
                                        f.ep,
                                        f.location,
                                        f.practice,
                                        Instant.now().minus(1, ChronoUnit.DAYS)));
        String documentId =
                Api.create(
                        PatientElectronicAccessIT.document(
                                f.patient,
                                encounter,
                                Instant.now().minus(2, ChronoUnit.HOURS),
                                "Referral letter",
                                "Referred to cardiology."));
        UUID patientId = PracticeFixture.id(f.patient);
        WebSession patient = WebSession.signIn(f.patientLogin, PracticeFixture.PASSWORD);
        patient.get("/patient/history")
                .then()
                .statusCode(200)
                .body(containsString("You have not sent"));
        patient.get("/patient/history/send")
                .then()
                .statusCode(200)
                .body(containsString("Send securely"), containsString("Referral letter"));
        int before = hisp.received().size();

        // bad input: refused on the field, nothing written, nothing sent
        patient.submit(
                        "/patient/history/send",
                        Map.of(
                                "method",
                                "direct",
                                "what",
                                "record",
                                "address",
                                "cardiology@direct.untrusted.test"))
                .then()
                .statusCode(422)
                .body(
                        containsString("no trusted certificate"),
                        containsString("usa-error-message"));
        patient.submit(
                        "/patient/history/send",
                        Map.of("method", "direct", "what", "record", "address", "not an address"))
                .then()
                .statusCode(422)
                .body(containsString("Enter an address like"));
        patient.submit(
                        "/patient/history/send",
                        Map.of("method", "email", "what", "record", "address", MAIL_TO))
                .then()
                .statusCode(422)
                .body(containsString("Confirm that you understand"));
        patient.submit(
                        "/patient/history/send",
                        Map.of(
                                "method",
                                "direct",
                                "what",
                                UUID.randomUUID().toString(),
                                "address",
                                MockHisp.RECIPIENT_ADDRESS))
                .then()
                .statusCode(422)
                .body(containsString("Choose what to send."));
        assertThat(Sql.count("select count(*) from transmission where patient_id = ?", patientId))
                .isZero();
        assertThat(
                        Sql.count(
                                "select count(*) from mu_vdt_fact where patient_id = ? and action = 'TRANSMIT'",
                                patientId))
                .isZero();
        assertThat(hisp.received()).hasSize(before);
        assertThat(mailbox.getMailsSentTo(MAIL_TO)).isEmpty();

        // the whole record to the trusted Direct address
        patient.submit(
                        "/patient/history/send",
                        Map.of(
                                "method",
                                "direct",
                                "what",
                                "record",
                                "address",
                                MockHisp.RECIPIENT_ADDRESS))
                .then()
                .statusCode(303)
                .header("Location", containsString("/patient/history"));
        assertThat(hisp.received()).hasSize(before + 1);
        MockHisp.Received received = hisp.received().get(before);
        assertThat(received.recipient()).isEqualTo(MockHisp.RECIPIENT_ADDRESS);
        assertThat(received.decrypted()).isTrue();
        assertThat(received.signatureValid()).isTrue();
        // the test opens it on its own: decrypt with the recipient's key, verify the signature with
        // the practice's certificate
        byte[] signedEntity = decrypt(received.raw());
        byte[] content = verifiedContent(signedEntity);
        String contentText = new String(content, StandardCharsets.ISO_8859_1);
        assertThat(contentText).contains("Content-Type: application/fhir+json");
        Bundle sent =
                strict().parseResource(
                                Bundle.class,
                                new String(
                                        base64Part(contentText, "application/fhir+json"),
                                        StandardCharsets.UTF_8));
        assertThat(resources(sent, Communication.class))
                .extracting(c -> c.getPayloadFirstRep().getContentStringType().getValue())
                .contains("Please send my record to my new doctor.");
        assertThat(resources(sent, DocumentReference.class)).hasSize(1);
        // a tampered message fails the same check
        byte[] tampered = content.clone();
        tampered[tampered.length - 10] ^= 1;
        assertThat(verifies(tampered, signature(signedEntity))).isFalse();

        // one visit document
        patient.submit(
                        "/patient/history/send",
                        Map.of(
                                "method",
                                "direct",
                                "what",
                                documentId,
                                "address",
                                MockHisp.RECIPIENT_ADDRESS))
                .then()
                .statusCode(303);
        String documentContent =
                new String(
                        verifiedContent(decrypt(hisp.received().get(before + 1).raw())),
                        StandardCharsets.ISO_8859_1);
        assertThat(
                        new String(
                                base64Part(documentContent, "text/plain; name="),
                                StandardCharsets.UTF_8))
                .isEqualTo("Referred to cardiology.");

        // ordinary e-mail, after the warning was confirmed
        patient.submit(
                        "/patient/history/send",
                        Map.of(
                                "method", "email", "what", "record", "address", MAIL_TO, "confirm",
                                "yes"))
                .then()
                .statusCode(303);
        List<Mail> mails = mailbox.getMailsSentTo(MAIL_TO);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getAttachments()).hasSize(1);
        assertThat(mails.get(0).getAttachments().get(0).getContentType())
                .isEqualTo("application/fhir+json");

        // listed for the patient, recorded once per transmit for the measures, audited; the address
        // only on the patient's page
        patient.get("/patient/history")
                .then()
                .statusCode(200)
                .body(
                        containsString(MockHisp.RECIPIENT_ADDRESS),
                        containsString(MAIL_TO),
                        containsString("Direct secure message"),
                        containsString("Ordinary e-mail"),
                        containsString("Visit document: Referral letter"));
        assertThat(
                        Sql.count(
                                "select count(*) from transmission where patient_id = ? and status = 'SENT'",
                                patientId))
                .isEqualTo(3);
        assertThat(
                        Sql.count(
                                "select count(*) from mu_vdt_fact where patient_id = ? and action = 'TRANSMIT' and showed_information",
                                patientId))
                .isEqualTo(3);
        assertThat(AuditRows.query("patient_id = ? and action = 'TRANSMIT'", patientId))
                .containsExactly(
                        "TRANSMIT success direct.sent Bundle/null",
                        "TRANSMIT success direct.sent DocumentReference/" + documentId,
                        "TRANSMIT success email.sent Bundle/null");
        assertThat(
                        Sql.count(
                                "select count(*) from transmission where encode(recipient_ciphertext, 'escape') like '%direct.other-clinic%'"))
                .isZero();
        Path log = Path.of("target/quarkus-test.log");
        if (Files.exists(log)) {
            assertThat(Files.readString(log))
                    .doesNotContain(MockHisp.RECIPIENT_ADDRESS)
                    .doesNotContain(MAIL_TO);
        }
        // another patient sees none of it
        WebSession other = WebSession.signIn(f.otherPatientLogin, PracticeFixture.PASSWORD);
        other.get("/patient/history")
                .then()
                .statusCode(200)
                .body(not(containsString(MockHisp.RECIPIENT_ADDRESS)));
    }

    private byte[] decrypt(byte[] raw) throws Exception {
        String message = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(message)
                .contains("Content-Type: application/pkcs7-mime; smime-type=enveloped-data");
        byte[] der =
                Base64.getMimeDecoder()
                        .decode(message.substring(message.indexOf("\r\n\r\n") + 4).strip());
        CMSEnvelopedData enveloped = new CMSEnvelopedData(der);
        RecipientInformation recipient =
                enveloped
                        .getRecipientInfos()
                        .get(new JceKeyTransRecipientId(hisp.recipient().certificate()));
        assertThat(recipient).as("encrypted for the recipient's certificate").isNotNull();
        return recipient.getContent(new JceKeyTransEnvelopedRecipient(hisp.recipient().key()));
    }

    /** The first part of the multipart/signed entity, after checking its detached signature against the practice's certificate. */
    private byte[] verifiedContent(byte[] signedEntity) throws Exception {
        String text = new String(signedEntity, StandardCharsets.ISO_8859_1);
        assertThat(text)
                .startsWith(
                        "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"");
        String boundary = boundary(text);
        int start = text.indexOf("--" + boundary + "\r\n") + boundary.length() + 4;
        int end = text.indexOf("\r\n--" + boundary, start);
        byte[] content = text.substring(start, end).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(verifies(content, signature(signedEntity)))
                .as("signed with the practice's certificate")
                .isTrue();
        return content;
    }

    private byte[] signature(byte[] signedEntity) {
        String text = new String(signedEntity, StandardCharsets.ISO_8859_1);
        int part = text.indexOf("Content-Type: application/pkcs7-signature");
        int body = text.indexOf("\r\n\r\n", part) + 4;
        return Base64.getMimeDecoder()
                .decode(
                        text.substring(body, text.indexOf("\r\n--" + boundary(text), body))
                                .strip());
    }

    private boolean verifies(byte[] content, byte[] signature) throws Exception {
        CMSSignedData signed = new CMSSignedData(new CMSProcessableByteArray(content), signature);
        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        @SuppressWarnings("unchecked")
        X509CertificateHolder carried =
                (X509CertificateHolder)
                        signed.getCertificates().getMatches(signer.getSID()).iterator().next();
        assertThat(carried.getEncoded()).isEqualTo(hisp.practiceCertificate().getEncoded());
        try {
            return signer.verify(
                    new JcaSimpleSignerInfoVerifierBuilder().build(hisp.practiceCertificate()));
        } catch (org.bouncycastle.cms.CMSException e) {
            return false;
        }
    }

    private static String boundary(String entity) {
        Matcher m =
                Pattern.compile("boundary=\"([^\"]+)\"")
                        .matcher(entity.substring(0, entity.indexOf("\r\n\r\n")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** The decoded body of the part whose Content-Type starts with {@code type}. */
    private static byte[] base64Part(String multipart, String type) {
        int header = multipart.indexOf("Content-Type: " + type);
        assertThat(header).as("a %s part", type).isPositive();
        int body = multipart.indexOf("\r\n\r\n", header) + 4;
        int end = multipart.indexOf("\r\n--", body);
        return Base64.getMimeDecoder().decode(multipart.substring(body, end).strip());
    }

    private static IParser strict() {
        return R4.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    }

    private static <R extends Resource> List<R> resources(Bundle bundle, Class<R> type) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    private String proxy(PracticeFixture f) {
        String proxyId = Api.create(aProxy(f.patient));
        String login = "proxy-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "Proxy",
                        Set.of(Role.PROXY),
                        null,
                        null,
                        null,
                        Set.of(UUID.fromString(proxyId))));
        return login;
    }

    private static String write(WebSession patient, String recipient, String subject, String text) {
        patient.get("/patient/messages/new");
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        recipient,
                                        "category",
                                        "other",
                                        "subject",
                                        subject,
                                        "text",
                                        text,
                                        "action",
                                        "send"))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @Test
    void aRelayThatCannotBeReachedLeavesAFailedTransmitThePatientSeesAuditedAndNotCounted()
            throws Exception {
        PracticeFixture f = PracticeFixture.create(identities);
        Api.post(aMessage(f.patient, f.pool, "Please send my record.")).then().statusCode(201);
        UUID patientId = PracticeFixture.id(f.patient);
        WebSession patient = WebSession.signIn(f.patientLogin, PracticeFixture.PASSWORD);
        DirectTransport.Setup working = transport.setup();
        int closedPort;
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort(); // nobody listens there once it is closed
        }
        transport.install(
                new DirectTransport.Setup(
                        working.address(),
                        working.practice(),
                        working.trustBundle(),
                        new SmtpRelay.Settings("127.0.0.1", closedPort, "none", null, null)));
        try {
            patient.get("/patient/history/send").then().statusCode(200);
            patient.submit(
                            "/patient/history/send",
                            Map.of(
                                    "method",
                                    "direct",
                                    "what",
                                    "record",
                                    "address",
                                    MockHisp.RECIPIENT_ADDRESS))
                    .then()
                    .statusCode(303);
        } finally {
            transport.install(working);
        }
        patient.get("/patient/history")
                .then()
                .statusCode(200)
                .body(
                        containsString(
                                "Not sent: the secure messaging service could not be reached"));
        // the attempt written before the hand-over was replaced by the relay's answer: nothing left
        // "sending"
        assertThat(
                        Sql.count(
                                "select count(*) from transmission where patient_id = ? and status = 'FAILED' and failure = 'relay-unreachable'",
                                patientId))
                .isEqualTo(1);
        assertThat(
                        Sql.count(
                                "select count(*) from transmission where patient_id = ? and status <> 'FAILED'",
                                patientId))
                .isZero();
        assertThat(
                        Sql.count(
                                "select count(*) from mu_vdt_fact where patient_id = ? and action = 'TRANSMIT'",
                                patientId))
                .isZero();
        assertThat(AuditRows.query("patient_id = ? and action = 'TRANSMIT'", patientId))
                .containsExactly("TRANSMIT success direct.relay-unreachable Bundle/null");
    }
}
