package dev.bluepost.encounters.feed;

import dev.bluepost.encounters.feed.EncounterFeed.Line;
import dev.bluepost.encounters.feed.EncounterFeed.Outcome;
import dev.bluepost.platform.errors.ErrorClassifier;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The EHR's encounter feed: FHIR R4 Encounter JSON on topic {@code ehr.encounters} (one resource
 * per record, keyed by the encounter's identifier so that its versions stay in order), consumer group
 * {@code bluepost-encounter-feed}. Each record goes through the same mapping and checks as the FHIR
 * API and the bulk import ({@link EncounterFeed}); a redelivered record changes nothing and a newer
 * version of an encounter updates it (both by {@code Encounter.identifier}). A record that fails the
 * checks goes to {@code ehr.encounters.dlq} with the reason in the {@code dead-letter-reason} header
 * (field names and ids, never the payload); a database outage is waited out. Payloads are never logged.
 */
@ApplicationScoped
public class EhrEncounterListener {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    /** A record that is not a storable Encounter; its message is the dead-letter reason. */
    static final class InvalidEncounterException extends RuntimeException {
        InvalidEncounterException(String reason) {
            super(reason, null, false, false);
        }
    }

    private final EncounterFeed feed;
    private final dev.bluepost.platform.kafka.EventHandling events;

    public EhrEncounterListener(
            EncounterFeed feed, dev.bluepost.platform.kafka.EventHandling events) {
        this.feed = feed;
        this.events = events;
    }

    @Incoming("ehr-encounters")
    @Blocking
    public CompletionStage<Void> onEncounter(Message<String> message) throws InterruptedException {
        String where =
                message.getMetadata(IncomingKafkaRecordMetadata.class)
                        .map(m -> "partition=" + m.getPartition() + " offset=" + m.getOffset())
                        .orElse("");
        String payload = message.getPayload();
        if (payload == null) {
            return message.nack(
                    new InvalidEncounterException(
                            "The record has no value; a FHIR Encounter in JSON was expected."));
        }
        Duration backoff = Duration.ofMillis(250);
        while (true) {
            try {
                Outcome outcome =
                        feed.load(
                                java.util.List.of(new Line(1, payload)),
                                feed.references(),
                                null,
                                new HashSet<>());
                if (!outcome.failures().isEmpty()) {
                    String reason = outcome.failures().get(0).reason();
                    Log.warnf("ehr encounter refused %s (to dead-letter topic)", where);
                    return message.nack(new InvalidEncounterException(reason));
                }
                Log.debugf(
                        "ehr encounter stored %s created=%d updated=%d unchanged=%d",
                        where, outcome.created(), outcome.updated(), outcome.unchanged());
                return message.ack();
            } catch (RuntimeException e) {
                if (!events.shuttingDown() && !ErrorClassifier.isDatabaseUnavailable(e)) {
                    Log.errorf(
                            "ehr encounter failed %s error=%s (to dead-letter topic)",
                            where, e.getClass().getName());
                    return message.nack(
                            new InvalidEncounterException(
                                    "The encounter could not be stored ("
                                            + e.getClass().getSimpleName()
                                            + "); see the server log at "
                                            + where
                                            + "."));
                }
                Log.warnf(
                        "ehr encounter waiting for the database %s retryIn=%dms",
                        where, backoff.toMillis());
                Thread.sleep(backoff.toMillis());
                backoff =
                        backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                                ? MAX_BACKOFF
                                : backoff.multipliedBy(2);
            }
        }
    }
}
