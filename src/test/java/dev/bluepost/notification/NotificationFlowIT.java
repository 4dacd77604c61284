package dev.bluepost.notification;

import static dev.bluepost.notification.NotificationChecks.awaitDecided;
import static dev.bluepost.notification.NotificationChecks.awaitMails;
import static dev.bluepost.notification.NotificationChecks.digestItemsWaiting;
import static dev.bluepost.notification.NotificationChecks.latestMessage;
import static dev.bluepost.notification.NotificationChecks.patientWrites;
import static dev.bluepost.notification.NotificationChecks.queued;
import static dev.bluepost.notification.NotificationChecks.staffReplies;
import static dev.bluepost.notification.NotificationChecks.staffStartsThread;
import static dev.bluepost.notification.NotificationChecks.uniqueAddress;
import static dev.bluepost.notification.NotificationChecks.userId;
import static dev.bluepost.testing.Builders.aProxy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.KafkaRecords;
import dev.bluepost.testing.MessageEventsTopic;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who hears about a new message, over the real broker and database: the care team's message reaches
 * the patient's (and the proxies') logins as one e-mail each, whatever Kafka redelivers; a sensitive
 * thread is not announced to proxies; "none" means none; a daily digest replaces the single e-mails
 * and goes out once, with the count; staff are not e-mailed about patients' messages by default.
 */
@QuarkusTest
class NotificationFlowIT {

    private static final ZoneId PRACTICE_ZONE =
            ZoneId.of("America/New_York"); // Builders.aPractice()

    @Inject IdentityService identities;

    @Inject NotificationService notifications;

    @Inject DailyDigests digests;

    @Inject NotificationConfig config;

    @Inject MockMailbox mailbox;

    @Inject TestClock clock;

    private PracticeFixture practice;
    private String patientAddress;
    private UUID patientUser;

    @BeforeEach
    void createPractice() {
        practice = PracticeFixture.create(identities);
        patientUser = userId(identities, practice.patientLogin);
        patientAddress = uniqueAddress("patient");
        identities.changeEmail(patientUser, patientAddress);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldEmailThePatientOnceWithOnlyTheFixedTextAndTheLinkWhateverKafkaRedelivers() {
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        String threadId =
                patientWrites(
                        patient, practice.pool, "Rash", "A rash appeared on my arm yesterday");
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        UUID reply = staffReplies(desk, threadId, "Please send a photo of the rash");

        Mail mail = awaitMails(mailbox, patientAddress, 1).get(0);
        assertThat(mail.getSubject()).isEqualTo("You have a new secure message");
        String link = config.publicUrl() + "/patient";
        assertThat(mail.getText()).contains(link).doesNotContain("rash", "photo", "Rash");
        assertThat(mail.getHtml())
                .contains("href=\"" + link + "\"")
                .doesNotContain("rash", "photo");
        assertThat(mail.getHeaders()).containsEntry("Auto-Submitted", List.of("auto-generated"));
        assertThat(mail.getAttachments()).isEmpty();

        // the same event again (relay crash after publishing), and a second event for the same
        // message
        ConsumerRecord<String, String> original =
                KafkaRecords.all(MessageEventsTopic.NAME).stream()
                        .filter(
                                r ->
                                        reply.toString()
                                                .equals(MessageEventsTopic.field(r, "messageId")))
                        .findFirst()
                        .orElseThrow();
        KafkaRecords.send(MessageEventsTopic.NAME, original.key(), original.value());
        KafkaRecords.send(
                MessageEventsTopic.NAME,
                original.key(),
                original.value()
                        .replaceFirst(
                                "\"eventId\":\\s*\"[0-9a-f-]+\"",
                                "\"eventId\":\"" + UUID.randomUUID() + "\""));
        // a later reply in the same thread (same key, same partition) is consumed after both copies
        UUID later = staffReplies(desk, threadId, "Thank you, we will call you");
        awaitDecided(later);
        assertThat(awaitMails(mailbox, patientAddress, 2))
                .extracting(Mail::getSubject)
                .containsOnly("You have a new secure message");
        assertThat(queued(patientUser, reply)).containsExactly("NEW_MESSAGE");

        // the patient's own message told nobody: staff notifications are off by default
        UUID patientMessage =
                NotificationChecks.uuids(
                                "select id from message where thread_id = ? order by created_at",
                                UUID.fromString(threadId))
                        .get(0);
        awaitDecided(patientMessage);
        for (String staffLogin : List.of(practice.frontDeskLogin, practice.providerLogin)) {
            assertThat(queued(userId(identities, staffLogin), null)).isEmpty();
        }
        assertThat(queued(patientUser, patientMessage)).isEmpty();
        // whom it would tell with bluepost.notifications.staff.enabled=true: the staff behind the
        // addressed pool
        assertThat(
                        identities.staffLogins(
                                PracticeFixture.id(practice.practice),
                                Set.of(PracticeFixture.id(practice.staff))))
                .extracting(IdentityService.UserView::username)
                .containsExactly(practice.frontDeskLogin);
    }

    @Test
    void shouldNeverHandANoticeOverTwice_closingOneWhoseInstanceDiedMidHandOverAsInterrupted() {
        // three messages of the patient's (they notify nobody by default), and three notices about
        // them for the
        // front desk, as queued by the consumer: one due, one whose instance died while handing it
        // to the mail
        // server minutes ago, one another instance is handing over right now
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        List<UUID> messages = new java.util.ArrayList<>();
        for (String subject : List.of("First", "Second", "Third")) {
            messages.add(
                    latestMessage(
                            patientWrites(
                                    patient,
                                    practice.pool,
                                    subject,
                                    "A question about " + subject)));
        }
        UUID desk = userId(identities, practice.frontDeskLogin);
        String deskAddress = uniqueAddress("desk");
        identities.changeEmail(desk, deskAddress);
        java.time.Instant now = clock.instant();
        UUID due = UUID.randomUUID();
        UUID died = UUID.randomUUID();
        UUID underway = UUID.randomUUID();
        String insert =
                """
                insert into notification (id, user_id, kind, message_id, message_count, created_at, next_attempt_at, attempts,
                                          handing_over_since)
                values (?, ?, 'NEW_MESSAGE', ?, 1, ?, ?, ?, ?)""";
        java.sql.Timestamp at = java.sql.Timestamp.from(now.minusSeconds(600));
        NotificationChecks.execute(
                insert,
                died,
                desk,
                messages.get(0),
                at,
                at,
                1,
                java.sql.Timestamp.from(
                        now.minus(NotificationDelivery.INTERRUPTED_AFTER).minusSeconds(1)));
        NotificationChecks.execute(
                insert, underway, desk, messages.get(1), at, at, 1, java.sql.Timestamp.from(now));
        NotificationChecks.execute(insert, due, desk, messages.get(2), at, at, 0, null);

        List<Mail> mails = awaitMails(mailbox, deskAddress, 1);
        assertThat(mails.get(0).getHeaders().get("Message-ID"))
                .containsExactly("<" + due + "@notification.bluepost>");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(outcome(died)).isEqualTo("INTERRUPTED"));
        assertThat(outcome(due)).isEqualTo("SENT");
        // another instance's hand-over in progress is left to it: not taken, not closed
        assertThat(outcome(underway)).isNull();
        assertThat(
                        NotificationChecks.count(
                                "select attempts from notification where id = ?", underway))
                .isEqualTo(1);
        assertThat(mailbox.getMailsSentTo(deskAddress)).hasSize(1);
    }

    private static String outcome(UUID notification) {
        String[] outcome = new String[1];
        NotificationChecks.query(
                "select outcome from notification where id = ?",
                rs -> outcome[0] = rs.getString(1),
                notification);
        return outcome[0];
    }

    @Test
    void shouldTellTheProxyToo_butNotAboutAThreadThePatientMarkedSensitive() {
        String proxyRecord = Api.create(aProxy(practice.patient));
        String proxyLogin = "proxy-" + UUID.randomUUID().toString().substring(0, 8);
        String proxyAddress = uniqueAddress("proxy");
        UUID proxyUser =
                identities.createUser(
                        new IdentityService.NewUser(
                                proxyLogin,
                                PracticeFixture.PASSWORD,
                                "A Parent",
                                Set.of(Role.PROXY),
                                null,
                                null,
                                null,
                                Set.of(UUID.fromString(proxyRecord)),
                                proxyAddress));
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);

        String open =
                staffStartsThread(
                        desk, practice.patient, "Lab results", "Your lab results are normal");
        awaitMails(mailbox, patientAddress, 1);
        awaitMails(mailbox, proxyAddress, 1);

        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        String privateThread =
                patientWrites(
                        patient, practice.pool, "Private", "Something I want to keep to myself");
        patient.get("/patient/threads/" + privateThread).then().statusCode(200);
        patient.submit(
                        "/patient/threads/" + privateThread + "/sensitive",
                        Map.of("sensitive", "true"))
                .then()
                .statusCode(303);
        UUID privateReply = staffReplies(desk, privateThread, "Understood, this stays between us");
        awaitDecided(privateReply);

        assertThat(queued(patientUser, privateReply)).containsExactly("NEW_MESSAGE");
        assertThat(queued(proxyUser, privateReply)).isEmpty();
        awaitMails(mailbox, patientAddress, 2);
        awaitMails(mailbox, proxyAddress, 1);
        assertThat(open).isNotEqualTo(privateThread);
    }

    @Test
    void shouldSendNothingToSomeoneWhoChoseNone() {
        notifications.savePreferences(actorOf(patientUser), patientAddress, Frequency.NONE);
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        String threadId =
                staffStartsThread(
                        desk, practice.patient, "Flu shots", "Flu shots are available from Monday");
        awaitDecided(NotificationChecks.latestMessage(threadId));

        assertThat(queued(patientUser, null)).isEmpty();
        assertThat(digestItemsWaiting(patientUser)).isZero();
        awaitMails(mailbox, patientAddress, 0);
    }

    @Test
    void shouldCountNewMessagesInOneDailyDigestInsteadOfSingleEmails() throws Exception {
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        notifications.savePreferences(actorOf(patientUser), patientAddress, Frequency.DAILY_DIGEST);
        String threadId =
                staffStartsThread(
                        desk, practice.patient, "Forms", "Please fill in the intake form");
        UUID second = staffReplies(desk, threadId, "And bring your insurance card");
        awaitDecided(NotificationChecks.latestMessage(threadId));
        awaitDecided(second);
        assertThat(digestItemsWaiting(patientUser)).isEqualTo(2);
        awaitMails(mailbox, patientAddress, 0);

        // the next morning, just after the digest time in the practice's zone; the job runs twice,
        // on two "instances"
        LocalDate tomorrow = LocalDate.now(PRACTICE_ZONE).plusDays(1);
        clock.set(
                tomorrow.atTime(config.digestTime().plusMinutes(5))
                        .atZone(PRACTICE_ZONE)
                        .toInstant());
        var first = java.util.concurrent.CompletableFuture.supplyAsync(digests::run);
        var other = java.util.concurrent.CompletableFuture.supplyAsync(digests::run);
        int queuedDigests = first.get() + other.get() + digests.run();
        assertThat(queuedDigests)
                .as("digests queued for this run, all patients")
                .isGreaterThanOrEqualTo(1);

        Mail digest = awaitMails(mailbox, patientAddress, 1).get(0);
        assertThat(digest.getSubject()).isEqualTo("You have new secure messages");
        assertThat(digest.getText())
                .contains("2 new secure messages are waiting", config.publicUrl() + "/patient")
                .doesNotContain("intake", "insurance", "Forms");
        assertThat(digestItemsWaiting(patientUser)).isZero();

        // a message after the digest time waits for the next day's digest (a new session: the clock
        // jumped a day)
        UUID third =
                staffReplies(
                        WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD),
                        threadId,
                        "One more thing");
        awaitDecided(third);
        digests.run();
        assertThat(digestItemsWaiting(patientUser)).isEqualTo(1);
        clock.set(
                tomorrow.plusDays(1).atTime(LocalTime.of(7, 30)).atZone(PRACTICE_ZONE).toInstant());
        digests.run();
        assertThat(awaitMails(mailbox, patientAddress, 2).get(1).getText())
                .contains("1 new secure message is waiting");
    }

    @Test
    void shouldEmailAPatientWhoChoseSpanishInSpanishWithTheSameFixedTextAndLink() {
        identities.chooseLanguage(patientUser, "es");
        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        String threadId =
                patientWrites(
                        patient, practice.pool, "Sarpullido", "Me salió un sarpullido en el brazo");
        staffReplies(
                WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD),
                threadId,
                "Envíe una foto del sarpullido");

        Mail mail = awaitMails(mailbox, patientAddress, 1).get(0);
        assertThat(mail.getSubject()).isEqualTo("Tiene un mensaje seguro nuevo");
        String link = config.publicUrl() + "/patient";
        assertThat(mail.getText())
                .contains(
                        "Tiene un mensaje seguro nuevo esperándolo en Bluepost.",
                        "Inicie sesión para leerlo",
                        link)
                .doesNotContain("sarpullido", "Sarpullido", "foto", "secure message");
        assertThat(mail.getHtml())
                .contains("<html lang=\"es\">", "href=\"" + link + "\"")
                .doesNotContain("sarpullido", "foto");
    }

    private Actor actorOf(UUID userId) {
        return identities.actorFor(userId, null).orElseThrow();
    }
}
