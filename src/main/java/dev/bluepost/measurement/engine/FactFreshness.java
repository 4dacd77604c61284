package dev.bluepost.measurement.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * How fresh the measurement facts are when a report runs. A message counts once its
 * {@code message.created} event has reached the measurement listener, a routing once its
 * {@code triage.item.changed} event has; encounters count at once. So a report right after a write
 * can miss a message the platform already acknowledged. This check finds the events the outbox holds
 * (published or not yet) whose fact is not recorded: their number, and the earliest time they
 * concern — every message received (and routing made) before it is in the report's facts.
 *
 * <p>Read at report time only: nothing is added to the message path or to the listener. To read
 * only recent events, {@code mu_fact_watermark} keeps a time before which every event the outbox
 * published has its fact; each check moves it forward to its earliest pending event, or to a little
 * before now when there is none (ADR 0034). Run it before the report reads its facts: a fact recorded
 * in between is then counted and reported pending (too cautious, never the reverse).
 */
public class FactFreshness {

    /**
     * The relay marks a batch published just before its transaction commits; an event marked earlier
     * than this before now is certainly visible to the check if it is published at all.
     */
    static final String COMMIT_MARGIN = "2 minutes";

    /** The events measurement records facts from, and whether an outbox row's fact is missing. */
    private static final String PENDING =
            """
            (o.event_type = 'message.created'
                 and not exists (select 1 from mu_message_fact f where f.message_id = cast(o.payload ->> 'messageId' as uuid))
             or o.event_type = 'triage.item.changed' and o.payload ->> 'change' in ('created', 'assigned')
                 and not exists (select 1 from mu_assignment_fact a where a.event_id = o.event_id))""";

    private static final String FACT_TIME =
            """
            cast(case when o.event_type = 'message.created' then o.payload ->> 'receivedAt' else o.payload ->> 'occurredAt' end
                 as timestamptz)""";

    private final DataSource dataSource;

    public FactFreshness(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * What a report's facts hold.
     *
     * @param completeUpTo    every message received and every routing made before this instant is in the facts
     * @param pendingMessages messages acknowledged to their sender whose fact is not recorded yet
     * @param pendingRoutings routings of a message's queue item to an owner whose fact is not recorded yet
     */
    public record Status(Instant completeUpTo, long pendingMessages, long pendingRoutings) {

        public boolean complete() {
            return pendingMessages == 0 && pendingRoutings == 0;
        }

        /** In plain words: what is not counted yet (empty when complete). */
        public String pendingText() {
            if (complete()) {
                return "";
            }
            StringBuilder text = new StringBuilder();
            if (pendingMessages > 0) {
                text.append(pendingMessages)
                        .append(pendingMessages == 1 ? " message" : " messages");
            }
            if (pendingRoutings > 0) {
                text.append(text.length() > 0 ? " and " : "")
                        .append(pendingRoutings)
                        .append(
                                pendingRoutings == 1
                                        ? " routing of a message to a provider"
                                        : " routings of messages to providers");
            }
            boolean one = pendingMessages + pendingRoutings == 1;
            return text.append(one ? " was" : " were")
                    .append(" already accepted but ")
                    .append(one ? "is" : "are")
                    .append(" not counted yet: the measures record ")
                    .append(one ? "it" : "them")
                    .append(" a moment after the message is sent")
                    .toString();
        }
    }

    /** The freshness of the facts now; {@code asOf} is the report's time (the answer when nothing is pending). */
    public Status check(Instant asOf) {
        try (Connection c = dataSource.getConnection()) {
            if (c.isReadOnly()) {
                c.setReadOnly(
                        false); // a pooled connection a report left read-only: this check moves the
                // watermark
            }
            Timestamp watermark;
            try (PreparedStatement s =
                            c.prepareStatement(
                                    "select coalesce((select published_before from mu_fact_watermark where id = 1), '-infinity'::timestamptz)");
                    ResultSet r = s.executeQuery()) {
                r.next();
                watermark = r.getTimestamp(1);
            }
            long messages;
            long routings;
            Timestamp earliestFact;
            Timestamp earliestPublished;
            // two index range scans: the rows not published yet (partial index), those published
            // since the watermark
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                    select count(*) filter (where p.event_type = 'message.created'),
                           count(*) filter (where p.event_type = 'triage.item.changed'),
                           min(p.fact_time), min(p.published_at)
                    from (select o.event_type, o.published_at, %2$s as fact_time from outbox_event o
                          where o.published_at is null and %1$s
                          union all
                          select o.event_type, o.published_at, %2$s as fact_time from outbox_event o
                          where o.published_at >= ? and %1$s) p"""
                                    .formatted(PENDING, FACT_TIME))) {
                s.setTimestamp(1, watermark);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    messages = r.getLong(1);
                    routings = r.getLong(2);
                    earliestFact = r.getTimestamp(3);
                    earliestPublished = r.getTimestamp(4);
                }
            }
            // every event published before the earliest pending one (or, with none, before now less
            // the margin) is recorded
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                    insert into mu_fact_watermark as w (id, published_before)
                    values (1, least(coalesce(?, 'infinity'::timestamptz), now() - cast(? as interval)))
                    on conflict (id) do update set published_before = greatest(w.published_before, excluded.published_before)""")) {
                s.setTimestamp(1, earliestPublished);
                s.setString(2, COMMIT_MARGIN);
                s.executeUpdate();
            }
            Instant completeUpTo =
                    earliestFact == null || earliestFact.toInstant().isAfter(asOf)
                            ? asOf
                            : earliestFact.toInstant();
            return new Status(messages + routings == 0 ? asOf : completeUpTo, messages, routings);
        } catch (SQLException e) {
            throw new IllegalStateException("measure freshness query failed", e);
        }
    }
}
