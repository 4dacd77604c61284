package dev.bluepost.messaging;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Fhir.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.bluepost.crypto.CryptoConfig;
import dev.bluepost.crypto.EnvelopeCipher;
import dev.bluepost.crypto.KeyRing;
import dev.bluepost.crypto.SealedText;
import dev.bluepost.crypto.WrappedKey;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.messaging.DataKeyRotationService.RotationReport;
import dev.bluepost.platform.DataDirectory;
import dev.bluepost.platform.PlatformConfig;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.testing.AuditJournal;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * KEK rotation over the real database: threads sealed under the application's KEK are re-wrapped
 * under a new one (a second key ring, as an operator would configure it), every body still opens,
 * and no ciphertext, IV or digest byte changed. Then back again, so the application reads them.
 */
@QuarkusTest
class DataKeyRotationIT {

    private static final Actor OPERATOR = Actor.system("command:rotate-kek");

    @Inject IdentityService identities;

    @Inject DataKeyRotationService rotation;

    @Inject KeyRing applicationKeys;

    @Test
    void shouldRewrapEveryDataKeyWithoutTouchingABodyAndBeIdempotent() throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        Map<String, String> texts = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String text = "Question " + i + " about my prescription " + UUID.randomUUID();
            String id =
                    fhir().body(json(aMessage(practice.patient, practice.pool, text)))
                            .post("/fhir/Communication")
                            .then()
                            .statusCode(201)
                            .extract()
                            .path("id");
            texts.put(id, text);
        }
        String visit =
                fhir().get("/fhir/Encounter?subject=" + practice.patient)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("entry[0].resource.id");
        String document =
                dev.bluepost.testing.Api.create(
                        dev.bluepost.measurement.PatientElectronicAccessIT.document(
                                practice.patient,
                                "Encounter/" + visit,
                                java.time.Instant.now().minusSeconds(60),
                                "Visit summary",
                                "Rotated document content"));
        List<Stored> before = stored(PracticeFixture.id(practice.patient));
        assertThat(before)
                .hasSize(3)
                .allSatisfy(s -> assertThat(s.kekId).isEqualTo(applicationKeys.activeKekId()));

        String oldId = applicationKeys.activeKekId();
        String oldKek = developmentKek(oldId);
        String newId = "kek-rot-" + UUID.randomUUID().toString().substring(0, 8);
        String newKek = randomKek();
        KeyRing rotated = keyRing(newKek, newId, Map.of(oldId, oldKek));
        EnvelopeCipher rotatedCipher = new EnvelopeCipher(rotated);
        try {
            RotationReport report = rotation.rotate(rotatedCipher, rotated, 2, OPERATOR);

            assertThat(report.complete()).as(report.toString()).isTrue();
            assertThat(report.rewrapped()).isGreaterThanOrEqualTo(3);
            assertThat(report.batches()).as("batches of two threads").isGreaterThanOrEqualTo(2);
            List<Stored> after = stored(PracticeFixture.id(practice.patient));
            for (int i = 0; i < after.size(); i++) {
                Stored was = before.get(i);
                Stored now = after.get(i);
                assertThat(now.kekId).isEqualTo(newId);
                assertThat(now.wrapped).isNotEqualTo(was.wrapped);
                assertThat(now.iv).as("IV unchanged").isEqualTo(was.iv);
                assertThat(now.ciphertext).as("ciphertext unchanged").isEqualTo(was.ciphertext);
                assertThat(now.sha256).as("digest unchanged").isEqualTo(was.sha256);
                assertThat(now.topicCiphertext)
                        .as("subject unchanged")
                        .isEqualTo(was.topicCiphertext);
                byte[] opened =
                        rotatedCipher.open(
                                new WrappedKey(now.kekId, now.wrapped),
                                new SealedText(now.iv, now.ciphertext, now.sha256),
                                ("message-body:" + now.messageId)
                                        .getBytes(StandardCharsets.US_ASCII),
                                "body");
                assertThat(new String(opened, StandardCharsets.UTF_8))
                        .isEqualTo(texts.get(now.messageId.toString()));
            }
            assertThat(rotationEntries(newId)).containsExactly("success");
            assertThat(
                            dev.bluepost.measurement.PatientElectronicAccessIT.string(
                                    "select dek_kek_id from visit_document where id = ?",
                                    UUID.fromString(document)))
                    .as("a visit document's data key is re-wrapped too")
                    .isEqualTo(newId);

            RotationReport again = rotation.rotate(rotatedCipher, rotated, 2, OPERATOR);
            assertThat(again.rewrapped()).as("a second run finds nothing left to do").isZero();
            assertThat(again.complete()).isTrue();
        } finally {
            KeyRing back = keyRing(oldKek, oldId, Map.of(newId, newKek));
            assertThat(rotation.rotate(new EnvelopeCipher(back), back, 50, OPERATOR).complete())
                    .isTrue();
        }
        fhir().get("/fhir/DocumentReference/" + document)
                .then()
                .statusCode(200)
                .body(
                        "content[0].attachment.data",
                        equalTo(
                                java.util.Base64.getEncoder()
                                        .encodeToString(
                                                "Rotated document content"
                                                        .getBytes(StandardCharsets.UTF_8))));
        String someMessage = texts.keySet().iterator().next();
        fhir().get("/fhir/Communication/" + someMessage)
                .then()
                .statusCode(200)
                .body("payload[0].contentString", equalTo(texts.get(someMessage)));
    }

    @Test
    void shouldChangeNothingWhenAKekOfStoredDataKeysIsNotConfigured() throws Exception {
        PracticeFixture practice = PracticeFixture.create(identities);
        fhir().body(
                        json(
                                aMessage(
                                        practice.patient,
                                        practice.pool,
                                        "Is the clinic open on Friday?")))
                .post("/fhir/Communication")
                .then()
                .statusCode(201);
        List<Stored> before = stored(PracticeFixture.id(practice.patient));
        KeyRing withoutOldKek = keyRing(randomKek(), "kek-lonely", Map.of());

        RotationReport report =
                rotation.rotate(new EnvelopeCipher(withoutOldKek), withoutOldKek, 10, OPERATOR);

        assertThat(report.missingKekIds()).containsExactly(applicationKeys.activeKekId());
        assertThat(report.rewrapped()).isZero();
        assertThat(report.complete()).isFalse();
        List<Stored> after = stored(PracticeFixture.id(practice.patient));
        assertThat(after.get(0).kekId).isEqualTo(before.get(0).kekId);
        assertThat(after.get(0).wrapped).isEqualTo(before.get(0).wrapped);
        assertThat(rotationEntries("kek-lonely")).containsExactly("failure");
    }

    private record Stored(
            UUID messageId,
            String kekId,
            byte[] wrapped,
            byte[] iv,
            byte[] ciphertext,
            byte[] sha256,
            byte[] topicCiphertext) {}

    private static List<Stored> stored(UUID patientId) throws SQLException {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                """
                     select m.id, t.dek_kek_id, t.dek_wrapped, m.body_iv, m.body_ciphertext, m.body_sha256, t.topic_ciphertext
                     from message m join message_thread t on t.id = m.thread_id where m.patient_id = ? order by m.id""")) {
            query.setObject(1, patientId);
            List<Stored> rows = new ArrayList<>();
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    rows.add(
                            new Stored(
                                    r.getObject(1, UUID.class),
                                    r.getString(2),
                                    r.getBytes(3),
                                    r.getBytes(4),
                                    r.getBytes(5),
                                    r.getBytes(6),
                                    r.getBytes(7)));
                }
            }
            return rows;
        }
    }

    private static List<String> rotationEntries(String kekId) throws SQLException {
        AuditJournal.settle();
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query =
                        db.prepareStatement(
                                """
                     select outcome from audit_event where action = 'KEY_ROTATION' and resource_type = 'KeyEncryptionKey'
                     and resource_id = ? and actor_client_id = 'command:rotate-kek' order by sequence_number""")) {
            query.setString(1, kekId);
            List<String> outcomes = new ArrayList<>();
            try (ResultSet r = query.executeQuery()) {
                while (r.next()) {
                    outcomes.add(r.getString(1));
                }
            }
            return outcomes;
        }
    }

    /** The test profile's generated development KEK (what an operator would list as retired). */
    private static String developmentKek(String kekId) throws Exception {
        return Files.readString(
                        Path.of("target/bluepost-test-data/keys", kekId + ".kek"),
                        StandardCharsets.US_ASCII)
                .trim();
    }

    private static String randomKek() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String encoded = Base64.getEncoder().encodeToString(key);
        Arrays.fill(key, (byte) 0);
        return encoded;
    }

    private static KeyRing keyRing(String active, String activeId, Map<String, String> retired) {
        CryptoConfig config =
                new CryptoConfig() {
                    @Override
                    public Optional<String> kek() {
                        return Optional.of(active);
                    }

                    @Override
                    public String kekId() {
                        return activeId;
                    }

                    @Override
                    public Map<String, String> retiredKeks() {
                        return retired;
                    }

                    @Override
                    public boolean generateDevKeys() {
                        return false;
                    }
                };
        PlatformConfig platform =
                new PlatformConfig() {
                    @Override
                    public String dataDir() {
                        return "target/unused";
                    }

                    @Override
                    public ZoneId defaultTimeZone() {
                        return ZoneId.of("UTC");
                    }
                };
        return new KeyRing(config, new DataDirectory(platform));
    }
}
