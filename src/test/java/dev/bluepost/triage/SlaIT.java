package dev.bluepost.triage;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.messaging.MessagingService;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.PracticeFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SLA clocks over the real broker and database: a pool's first-response target sets the Task's
 * due-by on the practice's hours (and the patient is shown it); the clock warns before the breach
 * and escalates at it.
 */
@QuarkusTest
class SlaIT {

    private static final Duration TRIAGE = Duration.ofSeconds(30);

    @Inject
    IdentityService identities;

    @Inject
    TriageSetup setup;

    @Inject
    SlaService sla;

    @Inject
    TriageService triage;

    @Inject
    MessagingService messaging;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldSetDueByFromTheTargetWarnBeforeTheBreachAndEscalateAtIt() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.setHours(practiceId, LocalTime.MIDNIGHT, LocalTime.of(23, 59), EnumSet.allOf(DayOfWeek.class));
        Actor admin = new Actor(null, null, Set.of(Role.ADMIN), practiceId, null, null, null);
        sla.save(practiceId, id(practice.pool), "routine", 60, 30, 15, admin);

        clock.set(Instant.now());
        Instant sent = clock.instant();
        String message = Api.create(aMessage(practice.patient, practice.pool, "Could you send me my vaccination record?"));
        String taskId = await().atMost(TRIAGE).until(() -> fhir().get("/fhir/Task?focus=Communication/" + message).then().statusCode(200)
                .extract().<String>path("entry[0].resource.id"), id -> id != null);
        Task task = Api.read(Task.class, "Task/" + taskId);
        Instant due = task.getRestriction().getPeriod().getEnd().toInstant();
        assertThat(due).isBetween(sent.plus(Duration.ofMinutes(59)), sent.plus(Duration.ofMinutes(62)));
        UUID thread = messaging.threadOfMessage(UUID.fromString(message)).orElseThrow();
        assertThat(messaging.thread(thread, TriageSetup.SYSTEM).replyExpectedBy()).isBetween(due, due.plusSeconds(1));

        Actor desk = new Actor(null, null, Set.of(Role.FRONT_DESK), practiceId, id(practice.staff), null, null);
        UUID item = UUID.fromString(taskId);
        clock.set(due.minus(Duration.ofMinutes(10)));
        await().atMost(TRIAGE).untilAsserted(() -> assertThat(triage.item(item, desk).orElseThrow().tags()).contains("sla-warning"));
        assertThat(triage.item(item, desk).orElseThrow().priority()).isEqualTo("routine");

        clock.set(due.plus(Duration.ofMinutes(1)));
        await().atMost(TRIAGE).untilAsserted(() -> assertThat(triage.item(item, desk).orElseThrow().tags()).contains("sla-breached"));
        assertThat(triage.item(item, desk).orElseThrow().priority()).isEqualTo("urgent");
    }
}
