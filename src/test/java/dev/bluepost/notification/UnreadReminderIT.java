package dev.bluepost.notification;

import static dev.bluepost.notification.NotificationChecks.awaitDecided;
import static dev.bluepost.notification.NotificationChecks.awaitMails;
import static dev.bluepost.notification.NotificationChecks.count;
import static dev.bluepost.notification.NotificationChecks.queued;
import static dev.bluepost.notification.NotificationChecks.staffStartsThread;
import static dev.bluepost.notification.NotificationChecks.uniqueAddress;
import static dev.bluepost.notification.NotificationChecks.userId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.messaging.MessagingConfig;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A care-team message the patient has not opened after {@code unread-reminder-days} gets one
 * reminder e-mail, never a second one, and none for a message the patient opened or for someone who
 * chose no e-mail. Time moves with the test clock.
 */
@QuarkusTest
class UnreadReminderIT {

    @Inject IdentityService identities;

    @Inject NotificationService notifications;

    @Inject UnreadReminders reminders;

    @Inject MessagingConfig messagingConfig;

    @Inject MockMailbox mailbox;

    @Inject TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldRemindOnceAboutAMessageThePatientHasNotOpenedAfterNDays() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID patientUser = userId(identities, practice.patientLogin);
        String address = uniqueAddress("patient");
        identities.changeEmail(patientUser, address);
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        String unopened =
                staffStartsThread(desk, practice.patient, "Results", "Your results are in");
        String opened = staffStartsThread(desk, practice.patient, "Visit", "See you on Monday");
        UUID unopenedMessage = NotificationChecks.latestMessage(unopened);
        UUID openedMessage = NotificationChecks.latestMessage(opened);
        awaitDecided(unopenedMessage);
        awaitDecided(openedMessage);
        WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD)
                .get("/patient/threads/" + opened)
                .then()
                .statusCode(200);
        awaitMails(mailbox, address, 2);

        Instant start = Instant.now();
        int days = messagingConfig.unreadReminderDays();
        clock.set(start.plus(Duration.ofDays(days)).minus(Duration.ofMinutes(5)));
        reminders.run();
        assertThat(queued(patientUser, unopenedMessage))
                .as("not yet %d days", days)
                .containsExactly("NEW_MESSAGE");

        clock.set(start.plus(Duration.ofDays(days)).plus(Duration.ofMinutes(5)));
        reminders.run();
        reminders.run();
        List<Mail> mails = awaitMails(mailbox, address, 3);
        Mail reminder = mails.get(2);
        assertThat(reminder.getSubject()).isEqualTo("Reminder: you have an unread secure message");
        assertThat(reminder.getText())
                .contains("has not been opened yet", "/patient")
                .doesNotContain("results", "Results");
        assertThat(queued(patientUser, unopenedMessage))
                .containsExactly("NEW_MESSAGE", "UNREAD_REMINDER");
        assertThat(queued(patientUser, openedMessage)).containsExactly("NEW_MESSAGE");

        // days later, still unopened: never a second reminder
        clock.set(start.plus(Duration.ofDays(days + 5)));
        reminders.run();
        awaitMails(mailbox, address, 3);
        assertThat(
                        count(
                                "select count(*) from unread_reminder where message_id = ?",
                                unopenedMessage))
                .isEqualTo(1);
    }

    @Test
    void shouldNotRemindSomeoneWhoChoseNoEmail_butStillRecordTheMessageAsReminded() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID patientUser = userId(identities, practice.patientLogin);
        String address = uniqueAddress("patient");
        notifications.savePreferences(
                identities.actorFor(patientUser, null).orElseThrow(), address, Frequency.NONE);
        WebSession desk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        UUID message =
                NotificationChecks.latestMessage(
                        staffStartsThread(desk, practice.patient, "Billing", "Your bill is ready"));
        awaitDecided(message);

        clock.set(Instant.now().plus(Duration.ofDays(messagingConfig.unreadReminderDays() + 1)));
        reminders.run();

        assertThat(
                        count(
                                "select count(*) from unread_reminder where message_id = ? and recipients = 0",
                                message))
                .isEqualTo(1);
        assertThat(queued(patientUser, null)).isEmpty();
        awaitMails(mailbox, address, 0);
    }
}
