package dev.bluepost.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shortcuts for the notification ITs: who is who, what the care team writes, what was decided and mailed. */
final class NotificationChecks {

    private NotificationChecks() {}

    static String uniqueAddress(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    static UUID userId(IdentityService identities, String login) {
        return identities.findByUsername(login).orElseThrow().id();
    }

    /** The patient writes to a recipient on the page; returns the new thread's id. */
    static String patientWrites(WebSession patient, String recipient, String subject, String text) {
        patient.get("/patient/messages/new").then().statusCode(200);
        String location =
                patient.submit(
                                "/patient/messages",
                                Map.of(
                                        "recipient",
                                        recipient,
                                        "category",
                                        "medical-question",
                                        "subject",
                                        subject,
                                        "text",
                                        text))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Staff reply in a thread on the console; returns the reply's message id. */
    static UUID staffReplies(WebSession staff, String threadId, String text) {
        staff.get("/staff/threads/" + threadId).then().statusCode(200);
        staff.submit("/staff/threads/" + threadId + "/reply", Map.of("text", text))
                .then()
                .statusCode(303);
        return latestMessage(threadId);
    }

    /** Staff start a thread with a patient; returns the thread id. */
    static String staffStartsThread(
            WebSession staff, String patientRef, String subject, String text) {
        staff.get("/staff/messages/new").then().statusCode(200);
        String location =
                staff.submit(
                                "/staff/messages",
                                Map.of(
                                        "patient",
                                        PracticeFixture.id(patientRef).toString(),
                                        "category",
                                        "other",
                                        "subject",
                                        subject,
                                        "text",
                                        text))
                        .then()
                        .statusCode(303)
                        .extract()
                        .header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    static UUID latestMessage(String threadId) {
        List<UUID> ids =
                uuids(
                        "select id from message where thread_id = ? order by created_at desc",
                        UUID.fromString(threadId));
        return ids.get(0);
    }

    /** Waits until the notification consumer has applied the message's {@code message.created} event. */
    static void awaitDecided(UUID messageId) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                count(
                                                        """
                select count(*) from processed_event p join outbox_event o on o.event_id = p.event_id
                where p.consumer = 'notifications' and o.payload->>'messageId' = ?""",
                                                        messageId.toString()))
                                        .isEqualTo(1));
    }

    /** Queued e-mails of a login, of any outcome, as "KIND" strings, for one message or (null) all. */
    static List<String> queued(UUID userId, UUID messageId) {
        List<String> kinds = new ArrayList<>();
        query(
                messageId == null
                        ? "select kind from notification where user_id = ? order by created_at"
                        : "select kind from notification where user_id = ? and message_id = ? order by created_at",
                rs -> kinds.add(rs.getString(1)),
                messageId == null ? new Object[] {userId} : new Object[] {userId, messageId});
        return kinds;
    }

    static long digestItemsWaiting(UUID userId) {
        return count(
                "select count(*) from notification_digest_item where user_id = ? and notification_id is null",
                userId);
    }

    /** Waits until exactly {@code expected} e-mails went to the address, and a moment more to see that no more follow. */
    static List<Mail> awaitMails(MockMailbox mailbox, String address, int expected) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(mailbox.getMailsSentTo(address)).hasSize(expected));
        await().pollDelay(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(mailbox.getMailsSentTo(address)).hasSize(expected));
        return mailbox.getMailsSentTo(address);
    }

    static long count(String sql, Object... parameters) {
        long[] result = new long[1];
        query(sql, rs -> result[0] = rs.getLong(1), parameters);
        return result[0];
    }

    static List<UUID> uuids(String sql, Object... parameters) {
        List<UUID> ids = new ArrayList<>();
        query(sql, rs -> ids.add((UUID) rs.getObject(1)), parameters);
        return ids;
    }

    static void execute(String sql, Object... parameters) {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    static void query(String sql, Row row, Object... parameters) {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
