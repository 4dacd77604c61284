package dev.bluepost.triage;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.KafkaRecords;
import dev.bluepost.testing.PracticeFixture;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * At-least-once delivery, effectively-once effects: a redelivered message event (same event id, as
 * after a relay crash between publish and mark) and a second event for the same message change
 * nothing; a record that is not an event goes to the dead-letter topic and the listener goes on.
 */
@QuarkusTest
class TriageRedeliveryIT {

    private static final String TOPIC = "bluepost.message-events.v1";

    @Inject IdentityService identities;

    @Test
    void shouldCreateOneTaskPerMessageWhateverKafkaRedelivers() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String messageId =
                dev.bluepost.testing.Api.create(
                        aMessage(practice.patient, practice.pool, "Need a refill of my inhaler"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + messageId)
                                        .then()
                                        .body("total", is(1)));

        ConsumerRecord<String, String> original =
                KafkaRecords.all(TOPIC).stream()
                        .filter(r -> r.value().contains(messageId))
                        .findFirst()
                        .orElseThrow();
        KafkaRecords.send(TOPIC, original.key(), original.value());
        String sameMessageNewEvent =
                original.value()
                        .replaceFirst(
                                "\"eventId\":\\s*\"[0-9a-f-]+\"",
                                "\"eventId\": \"" + UUID.randomUUID() + "\"");
        assertThat(sameMessageNewEvent).isNotEqualTo(original.value());
        KafkaRecords.send(TOPIC, original.key(), sameMessageNewEvent);

        // a later message proves both copies have been consumed before we count
        String later =
                dev.bluepost.testing.Api.create(
                        aMessage(practice.patient, practice.pool, "One more question"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + later)
                                        .then()
                                        .body("total", is(1)));
        fhir().get("/fhir/Task?focus=Communication/" + messageId).then().body("total", is(1));
        fhir().get("/fhir/Task?patient=" + practice.patient).then().body("total", is(2));
    }

    @Test
    void shouldDeadLetterUnreadableRecordsAndKeepConsuming() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String poisonKey = "poison-" + UUID.randomUUID();
        KafkaRecords.send(TOPIC, poisonKey, "{this is not an event");
        String messageId =
                dev.bluepost.testing.Api.create(
                        aMessage(practice.patient, practice.pool, "After the poison"));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            fhir().get("/fhir/Task?focus=Communication/" + messageId)
                                    .then()
                                    .body("total", is(1));
                            assertThat(KafkaRecords.all(TOPIC + ".dlq"))
                                    .anyMatch(r -> poisonKey.equals(r.key()));
                        });
    }
}
