package dev.bluepost.measurement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.measurement.engine.FactFreshness;
import dev.bluepost.measurement.engine.FactRecorder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Up to when a report's facts are complete, over a real PostgreSQL: the outbox events whose fact the
 * measurement listener has not recorded yet (published or not), their earliest time, and the
 * watermark that keeps the check to recent events.
 */
class FactFreshnessTest {

    DataSource db;
    FactFreshness freshness;
    FactRecorder recorder;
    Instant now;

    @BeforeEach
    void setUp() {
        MeasureDatabase.reset();
        db = MeasureDatabase.dataSource();
        freshness = new FactFreshness(db);
        recorder = new FactRecorder(db);
        now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void withNothingPendingTheFactsAreCompleteUpToTheReport() {
        FactFreshness.Status status = freshness.check(now);
        assertThat(status.complete()).isTrue();
        assertThat(status.completeUpTo()).isEqualTo(now);
        assertThat(status.pendingText()).isEmpty();
        // a message whose fact is recorded is not pending
        UUID message = messageEvent(now.minusSeconds(30), now.minusSeconds(29));
        record(message, now.minusSeconds(30));
        assertThat(freshness.check(now).complete()).isTrue();
    }

    @Test
    void aMessageAcceptedButNotRecordedYetIsPendingAndBoundsTheFacts() {
        Instant received = now.minusSeconds(5);
        UUID message = messageEvent(received, now.minusSeconds(4));
        FactFreshness.Status status = freshness.check(now);
        assertThat(status.complete()).isFalse();
        assertThat(status.pendingMessages()).isEqualTo(1);
        assertThat(status.completeUpTo()).isEqualTo(received);
        assertThat(status.pendingText())
                .isEqualTo(
                        "1 message was already accepted but is not counted yet: "
                                + "the measures record it a moment after the message is sent");

        // its event reaches the listener: complete up to the report again
        record(message, received);
        assertThat(freshness.check(now)).isEqualTo(new FactFreshness.Status(now, 0, 0));
    }

    @Test
    void eventsNotPublishedYetAndRoutingsArePendingToo() {
        Instant first = now.minusSeconds(20);
        messageEvent(first, null);
        messageEvent(now.minusSeconds(10), null);
        UUID routed = routingEvent("assigned", now.minusSeconds(15), now.minusSeconds(14));
        routingEvent(
                "status",
                now.minusSeconds(12),
                now.minusSeconds(11)); // a status change records no fact
        FactFreshness.Status status = freshness.check(now);
        assertThat(status.pendingMessages()).isEqualTo(2);
        assertThat(status.pendingRoutings()).isEqualTo(1);
        assertThat(status.completeUpTo()).isEqualTo(first);
        assertThat(status.pendingText())
                .startsWith(
                        "2 messages and 1 routing of a message to a provider were already accepted");

        recorder.recordAssignment(
                routed, UUID.randomUUID(), "Practitioner", UUID.randomUUID(), now.minusSeconds(15));
        assertThat(freshness.check(now).pendingRoutings()).isZero();
    }

    @Test
    void theWatermarkStopsAtTheEarliestPendingEventAndMovesOnOnceItIsRecorded() {
        // published ten minutes ago and still not recorded (the listener is behind): the watermark
        // waits before it
        Instant received = now.minus(Duration.ofMinutes(10));
        UUID late = messageEvent(received, received.plusSeconds(1));
        UUID recent = messageEvent(now.minusSeconds(3), now.minusSeconds(2));
        record(recent, now.minusSeconds(3));
        assertThat(freshness.check(now).completeUpTo()).isEqualTo(received);
        assertThat(watermark()).isBeforeOrEqualTo(received.plusSeconds(1));
        assertThat(freshness.check(now).pendingMessages())
                .as("checked again, still found")
                .isEqualTo(1);

        record(late, received);
        assertThat(freshness.check(now).complete()).isTrue();
        // everything published until a little before now is recorded: later checks read only what
        // follows
        assertThat(watermark())
                .isAfter(received.plusSeconds(1))
                .isBefore(Instant.now().minus(Duration.ofMinutes(1)));
        // never backwards: a check finding nothing cannot move it back
        Instant moved = watermark();
        freshness.check(now);
        assertThat(watermark()).isAfterOrEqualTo(moved);
    }

    // ---------------------------------------------------------------------------------------------

    /** A message.created outbox row ({@code published} null: not relayed yet). */
    private UUID messageEvent(Instant received, Instant published) {
        UUID message = UUID.randomUUID();
        outbox(
                "message.created",
                "{\"messageId\":\"" + message + "\",\"receivedAt\":\"" + received + "\"}",
                UUID.randomUUID(),
                received,
                published);
        return message;
    }

    /** A triage.item.changed outbox row; answers its event id (the assignment fact's key). */
    private UUID routingEvent(String change, Instant occurred, Instant published) {
        UUID event = UUID.randomUUID();
        outbox(
                "triage.item.changed",
                "{\"eventId\":\""
                        + event
                        + "\",\"change\":\""
                        + change
                        + "\",\"occurredAt\":\""
                        + occurred
                        + "\"}",
                event,
                occurred,
                published);
        return event;
    }

    private void record(UUID message, Instant received) {
        UUID patient = UUID.randomUUID();
        recorder.recordMessage(
                new FactRecorder.MessageFact(
                        message,
                        UUID.randomUUID(),
                        patient,
                        UUID.randomUUID(),
                        "Patient",
                        patient,
                        "PATIENT",
                        null,
                        true,
                        false,
                        received,
                        List.of()),
                Instant.now());
    }

    private void outbox(
            String type, String payload, UUID eventId, Instant created, Instant published) {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement(
                                """
                insert into outbox_event (event_id, topic, record_key, event_type, payload, created_at, published_at)
                values (?, 'message-events', 'k', ?, cast(? as jsonb), ?, ?)""")) {
            s.setObject(1, eventId);
            s.setString(2, type);
            s.setString(3, payload);
            s.setTimestamp(4, Timestamp.from(created));
            s.setTimestamp(5, published == null ? null : Timestamp.from(published));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Instant watermark() {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select published_before from mu_fact_watermark");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getTimestamp(1).toInstant();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
