package dev.bluepost.encounters.feed;

import static dev.bluepost.testing.Builders.aLocation;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bluepost.testing.Api;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.KafkaRecords;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The EHR's encounter topic on the real broker: an Encounter published there is stored and counts
 * in the measures; a redelivery stores nothing twice, a newer version updates; a record that is not
 * a storable Encounter goes to the dead-letter topic with the reason in its headers.
 */
@QuarkusTest
class EhrEncounterTopicIT {

    static final String TOPIC = "ehr.encounters";
    static final String DLQ = "ehr.encounters.dlq";

    String practice;
    String location;
    String ep;
    String patient;
    String otherPatient;

    @BeforeEach
    void practice() {
        practice = "Organization/" + Api.create(aPractice());
        location = "Location/" + Api.create(aLocation(practice, true));
        ep = "Practitioner/" + Api.create(anEp(practice));
        patient = "Patient/" + Api.create(aPatient(practice));
        otherPatient = "Patient/" + Api.create(aPatient(practice));
    }

    @Test
    void shouldStoreAnEncounterOnceWhenRedeliveredAndUpdateItWithANewerVersion() {
        String identifier = "ehr-" + UUID.randomUUID();
        Encounter visit =
                aVisit(patient, ep, location, practice, Instant.parse("2014-02-10T15:00:00Z"));
        visit.getIdentifierFirstRep().setValue(identifier);
        String key = "urn:test:encounter|" + identifier;

        KafkaRecords.send(TOPIC, key, Fhir.json(visit));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> EncounterImportIT.count(identifier) == 1);
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                EncounterImportIT.population(
                                                EncounterImportIT.report(
                                                        "sm-s2", "practitioner=" + ep),
                                                "denominator")
                                        == 1);

        KafkaRecords.send(TOPIC, key, Fhir.json(visit)); // redelivered
        Encounter newer = visit.copy();
        newer.setSubject(new Reference(otherPatient));
        KafkaRecords.send(TOPIC, key, Fhir.json(newer));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(
                                                Fhir.json(
                                                        EncounterImportIT.report(
                                                                "sm-s2",
                                                                "practitioner="
                                                                        + ep
                                                                        + "&reportType=subject-list")))
                                        .contains(otherPatient)
                                        .doesNotContain(patient));
        assertThat(EncounterImportIT.count(identifier)).isEqualTo(1);
        assertThat(
                        EncounterImportIT.population(
                                EncounterImportIT.report("sm-s2", "practitioner=" + ep),
                                "denominator"))
                .isEqualTo(1);
    }

    @Test
    void shouldSendInvalidRecordsToTheDeadLetterTopicWithTheReasonAndNoPayloadInTheLog() {
        String marker = "poison-" + UUID.randomUUID();
        Encounter unknownPatient =
                aVisit(
                        "Patient/" + UUID.randomUUID(),
                        ep,
                        location,
                        practice,
                        Instant.parse("2014-02-10T15:00:00Z"));
        unknownPatient.getIdentifierFirstRep().setValue(marker);
        KafkaRecords.send(TOPIC, marker, Fhir.json(unknownPatient));
        KafkaRecords.send(
                TOPIC,
                marker + "-2",
                "{\"resourceType\":\"Encounter\",\"note\":\"" + marker + "\"");

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            List<ConsumerRecord<String, String>> dead =
                                    KafkaRecords.all(DLQ).stream()
                                            .filter(
                                                    r ->
                                                            r.key() != null
                                                                    && r.key().startsWith(marker))
                                            .toList();
                            assertThat(dead).hasSize(2);
                            for (ConsumerRecord<String, String> record : dead) {
                                Header reason = record.headers().lastHeader("dead-letter-reason");
                                assertThat(reason).isNotNull();
                                String text = new String(reason.value(), StandardCharsets.UTF_8);
                                assertThat(text).doesNotContain(marker + "\"");
                                if (record.key().equals(marker)) {
                                    assertThat(text)
                                            .contains("Encounter.subject")
                                            .contains("not known");
                                } else {
                                    assertThat(text).contains("not JSON");
                                }
                            }
                        });
        assertThat(EncounterImportIT.count(marker)).isZero();
    }
}
