package dev.bluepost.triage;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.PracticeFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageSending;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.NewMessage;
import dev.bluepost.messaging.Party;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The answer time a patient is told when the message is sent is already the right one: on the
 * practice's own opening hours and holidays (not Monday to Friday until 17:00), and for a red flag
 * on a closed day the on-call team's, around the clock, said in plain words.
 */
@QuarkusTest
class ExpectedAnswerIT {

    private static final Duration TRIAGE = Duration.ofSeconds(30);
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Inject SlaService sla;

    @Inject MessageSending sending;

    @Inject MessageReading reading;

    @Inject dev.bluepost.directory.DirectoryService directory;

    @Inject TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldPromiseTheFirstAnswerDateOnThePracticesHoursAndHolidays() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        LocalDate friday = LocalDate.now(NEW_YORK).with(TemporalAdjusters.next(DayOfWeek.FRIDAY));
        setup.setHours(
                practiceId,
                LocalTime.of(8, 0),
                LocalTime.of(16, 0),
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        setup.addHoliday(practiceId, friday.plusDays(3), "Practice closed");
        clock.set(friday.atTime(10, 0).atZone(NEW_YORK).toInstant());

        UUID thread =
                send(practice, "Could you send me my vaccination record?", "Vaccination record")
                        .threadId();
        // the moment it is sent: Monday is a holiday, so Tuesday and Wednesday are the two business
        // days, and the office
        // closes at 16:00
        Instant wednesday = friday.plusDays(5).atTime(16, 0).atZone(NEW_YORK).toInstant();
        ThreadView sent = reading.thread(thread, TriageSetup.SYSTEM);
        assertThat(sent.replyExpectedBy()).isEqualTo(wednesday);
        assertThat(sent.replyOnCall()).isFalse();

        // triage agrees: the Task is due then, and the patient's date stays
        String task = taskOf(sent.messages().get(0).id());
        assertThat(
                        Task.class
                                .cast(dev.bluepost.testing.Api.read(Task.class, "Task/" + task))
                                .getRestriction()
                                .getPeriod()
                                .getEnd()
                                .toInstant())
                .isEqualTo(wednesday);
        assertThat(reading.thread(thread, TriageSetup.SYSTEM).replyExpectedBy())
                .isEqualTo(wednesday);
    }

    @Test
    void shouldGiveARedFlagOnAClosedDayTheOnCallClockAndSaySoInPlainWords() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.installDefaults(practiceId); // open Monday to Friday, 08:00 to 17:00
        UUID onCall = directory.poolByName(practiceId, "On call").orElseThrow().id();
        Actor admin = new Actor(null, null, Set.of(Role.ADMIN), practiceId, null, null, null);
        sla.save(practiceId, onCall, null, 30, 30, 10, admin);
        LocalDate sunday = LocalDate.now(NEW_YORK).with(TemporalAdjusters.next(DayOfWeek.SUNDAY));
        Instant sentAt = sunday.atTime(10, 0).atZone(NEW_YORK).toInstant();
        clock.set(sentAt);

        UUID thread =
                send(practice, "I have chest pain and my left arm feels numb", "Chest pain")
                        .threadId();
        // at once: the on-call pool's 30 minutes, counted around the clock (not from Monday's
        // opening)
        Instant due = sentAt.plus(Duration.ofMinutes(30));
        ThreadView sent = reading.thread(thread, TriageSetup.SYSTEM);
        assertThat(sent.replyExpectedBy()).isEqualTo(due);
        assertThat(sent.replyOnCall()).isTrue();

        String task = taskOf(sent.messages().get(0).id());
        Task triaged = dev.bluepost.testing.Api.read(Task.class, "Task/" + task);
        assertThat(triaged.getOwner().getReference()).isEqualTo("CareTeam/" + onCall);
        assertThat(triaged.getRestriction().getPeriod().getEnd().toInstant()).isEqualTo(due);
        assertThat(reading.thread(thread, TriageSetup.SYSTEM).replyOnCall()).isTrue();

        WebSession patient = WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD);
        String page =
                patient.get("/patient/threads/" + thread)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(page)
                .contains(
                        "Our on-call team answers urgent messages around the clock, also when the office is closed: "
                                + "expect an answer by 10:30 AM on Sunday")
                .doesNotContain("Expect an answer by Sunday");
        assertThat(patient.get("/patient").then().statusCode(200).extract().asString())
                .contains("around the clock");
    }

    private dev.bluepost.messaging.MessageViews.MessageView send(
            PracticeFixture practice, String text, String subject) {
        UUID patientId = id(practice.patient);
        Actor patient =
                new Actor(
                        null,
                        null,
                        Set.of(Role.PATIENT),
                        id(practice.practice),
                        null,
                        patientId,
                        null);
        return sending.send(
                        NewMessage.fromPage(
                                patientId,
                                new Party(Party.PATIENT, patientId),
                                List.of(new Party(Party.CARE_TEAM, id(practice.pool))),
                                null,
                                null,
                                "medical-question",
                                text,
                                subject),
                        patient)
                .message();
    }

    private static String taskOf(UUID message) {
        return await().atMost(TRIAGE)
                .until(
                        () ->
                                fhir().get("/fhir/Task?focus=Communication/" + message)
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .<String>path("entry[0].resource.id"),
                        id -> id != null);
    }
}
