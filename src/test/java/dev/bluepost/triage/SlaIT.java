package dev.bluepost.triage;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.PracticeFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SLA clocks over the real broker and database: a pool's first-response target sets the Task's
 * due-by on the practice's hours (and the patient is shown it); the clock warns before the breach
 * and escalates at it.
 */
@QuarkusTest
class SlaIT {

    private static final Duration TRIAGE = Duration.ofSeconds(30);

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Inject SlaService sla;

    @Inject TriageService triage;

    @Inject MessageReading reading;

    @Inject TestClock clock;

    @Inject RuleService rules;

    @Inject dev.bluepost.directory.DirectoryService directory;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldSetDueByFromTheTargetWarnBeforeTheBreachAndEscalateAtIt() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.setHours(
                practiceId,
                LocalTime.MIDNIGHT,
                LocalTime.of(23, 59),
                EnumSet.allOf(DayOfWeek.class));
        Actor admin = new Actor(null, null, Set.of(Role.ADMIN), practiceId, null, null, null);
        sla.save(practiceId, id(practice.pool), "routine", 60, 30, 15, admin);

        clock.set(Instant.now());
        Instant sent = clock.instant();
        String message =
                Api.create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "Could you send me my vaccination record?"));
        String taskId =
                await().atMost(TRIAGE)
                        .until(
                                () ->
                                        fhir().get("/fhir/Task?focus=Communication/" + message)
                                                .then()
                                                .statusCode(200)
                                                .extract()
                                                .<String>path("entry[0].resource.id"),
                                id -> id != null);
        Task task = Api.read(Task.class, "Task/" + taskId);
        Instant due = task.getRestriction().getPeriod().getEnd().toInstant();
        assertThat(due)
                .isBetween(sent.plus(Duration.ofMinutes(59)), sent.plus(Duration.ofMinutes(62)));
        UUID thread = reading.threadOfMessage(UUID.fromString(message)).orElseThrow();
        assertThat(reading.thread(thread, TriageSetup.SYSTEM).replyExpectedBy())
                .isBetween(due, due.plusSeconds(1));

        Actor desk =
                new Actor(
                        null,
                        null,
                        Set.of(Role.FRONT_DESK),
                        practiceId,
                        id(practice.staff),
                        null,
                        null);
        UUID item = UUID.fromString(taskId);
        clock.set(due.minus(Duration.ofMinutes(10)));
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                assertThat(triage.item(item, desk).orElseThrow().tags())
                                        .contains("sla-warning"));
        assertThat(triage.item(item, desk).orElseThrow().priority()).isEqualTo("routine");

        clock.set(due.plus(Duration.ofMinutes(1)));
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                assertThat(triage.item(item, desk).orElseThrow().tags())
                                        .contains("sla-breached"));
        TriageService.QueueItem escalated = triage.item(item, desk).orElseThrow();
        assertThat(escalated.priority()).isEqualTo("urgent");
        assertThat(directory.pool(escalated.queuePoolId()).orElseThrow().name())
                .isEqualTo("On call");
        assertThat(escalated.owner().toString()).contains(escalated.queuePoolId().toString());

        // each step fires once per clock: more runs (as after a restart, or on another instance)
        // change nothing
        sla.checkClocks();
        sla.checkClocks();
        clock.set(due.plus(Duration.ofHours(5)));
        sla.checkClocks();
        assertThat(triage.item(item, desk).orElseThrow().priority()).isEqualTo("urgent");
        List<RuleService.ExecutionView> log = rules.executions(UUID.fromString(message));
        assertThat(log.stream().filter(e -> e.outcome().equals("sla-warning")).count())
                .isEqualTo(1);
        assertThat(log.stream().filter(e -> e.outcome().equals("sla-breached")).count())
                .isEqualTo(1);
        assertThat(
                        log.stream()
                                .filter(e -> e.outcome().equals("sla-breached"))
                                .findFirst()
                                .orElseThrow()
                                .detail())
                .contains("routine → urgent")
                .contains("on-call pool");
    }

    @Test
    void shouldRunTheNextResponseClockOnAPatientsFollowUp() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.setHours(
                practiceId,
                LocalTime.MIDNIGHT,
                LocalTime.of(23, 59),
                EnumSet.allOf(DayOfWeek.class));
        Actor admin = new Actor(null, null, Set.of(Role.ADMIN), practiceId, null, null, null);
        sla.save(practiceId, id(practice.pool), null, 240, 30, 10, admin);
        clock.set(Instant.now());

        String first =
                Api.create(
                        aMessage(
                                practice.patient, practice.pool, "Question about my test results"));
        String firstTask =
                await().atMost(TRIAGE)
                        .until(
                                () ->
                                        fhir().get("/fhir/Task?focus=Communication/" + first)
                                                .then()
                                                .statusCode(200)
                                                .extract()
                                                .<String>path("entry[0].resource.id"),
                                id -> id != null);
        Instant firstDue =
                Api.read(Task.class, "Task/" + firstTask)
                        .getRestriction()
                        .getPeriod()
                        .getEnd()
                        .toInstant();
        assertThat(firstDue)
                .isBetween(
                        clock.instant().plus(Duration.ofMinutes(239)),
                        clock.instant().plus(Duration.ofMinutes(242)));

        // staff answer: the item completes; the patient's follow-up runs on the next-response
        // target
        Actor desk =
                new Actor(
                        null,
                        null,
                        Set.of(Role.FRONT_DESK),
                        practiceId,
                        id(practice.staff),
                        null,
                        null);
        triage.update(UUID.fromString(firstTask), null, TaskStatus.COMPLETED, null, desk);
        UUID thread = reading.threadOfMessage(UUID.fromString(first)).orElseThrow();
        String followUp =
                Api.create(
                        aMessage(practice.patient, practice.pool, "And one more thing")
                                .setPartOf(
                                        List.of(
                                                new org.hl7.fhir.r4.model.Reference(
                                                        "Communication/" + first))));
        String nextTask =
                await().atMost(TRIAGE)
                        .until(
                                () ->
                                        fhir().get("/fhir/Task?focus=Communication/" + followUp)
                                                .then()
                                                .statusCode(200)
                                                .extract()
                                                .<String>path("entry[0].resource.id"),
                                id -> id != null);
        Instant nextDue =
                Api.read(Task.class, "Task/" + nextTask)
                        .getRestriction()
                        .getPeriod()
                        .getEnd()
                        .toInstant();
        assertThat(nextDue).isBefore(clock.instant().plus(Duration.ofMinutes(32)));
        assertThat(reading.threadOfMessage(UUID.fromString(followUp))).contains(thread);
    }
}
