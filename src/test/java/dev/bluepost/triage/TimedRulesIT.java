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
import dev.bluepost.triage.console.ConsoleService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The time-based rule events over the real broker and database, on the test clock: "no staff reply
 * by due-by" fires once for an unanswered item past its due-by and not for an answered one;
 * "patient has not read a reply in N days" fires once for an unopened staff reply and not for a
 * read one; running the job again changes nothing.
 */
@QuarkusTest
class TimedRulesIT {

    private static final Duration TRIAGE = Duration.ofSeconds(30);

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Inject RuleService rules;

    @Inject TriageService triage;

    @Inject ConsoleService console;

    @Inject MessageReading reading;

    @Inject TimedRuleEvents timed;

    @Inject TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void shouldFireEachTimeBasedEventOnceAndNotForAnsweredOrReadItems() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.setHours(
                practiceId,
                LocalTime.MIDNIGHT,
                LocalTime.of(23, 59),
                EnumSet.allOf(DayOfWeek.class));
        Actor admin = new Actor(null, null, Set.of(Role.ADMIN), practiceId, null, null, null);
        Actor desk =
                new Actor(
                        null,
                        null,
                        Set.of(Role.FRONT_DESK),
                        practiceId,
                        id(practice.staff),
                        null,
                        null);
        Actor patient =
                new Actor(
                        null,
                        null,
                        Set.of(Role.PATIENT),
                        practiceId,
                        null,
                        id(practice.patient),
                        null);
        rules.save(
                practiceId,
                null,
                "Overdue",
                "when no staff reply by due-by\nthen tag no-reply\nthen set priority asap",
                true,
                admin);
        rules.save(
                practiceId,
                null,
                "Unread",
                "when  patient has not read a reply in 2 days\nthen tag reply-unread",
                true,
                admin);
        clock.set(Instant.now());

        UUID unanswered =
                itemOf(Api.create(aMessage(practice.patient, practice.pool, "Question one")), desk);
        UUID answered =
                itemOf(Api.create(aMessage(practice.patient, practice.pool, "Question two")), desk);
        UUID unread =
                itemOf(
                        Api.create(aMessage(practice.patient, practice.pool, "Question three")),
                        desk);
        UUID read =
                itemOf(
                        Api.create(aMessage(practice.patient, practice.pool, "Question four")),
                        desk);
        // staff answer three of them (people, not automatic); the patient opens one answer
        for (UUID item : new UUID[] {answered, unread, read}) {
            console.reply(
                    triage.item(item, desk).orElseThrow().threadId(), "Here is the answer.", desk);
        }
        for (UUID item : new UUID[] {answered, unread, read}) {
            await().atMost(TRIAGE)
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    triage.item(item, desk)
                                                            .orElseThrow()
                                                            .status()
                                                            .code())
                                            .isEqualTo("completed"));
        }
        reading.thread(triage.item(read, desk).orElseThrow().threadId(), patient);
        reading.thread(triage.item(answered, desk).orElseThrow().threadId(), patient);

        // time passes beyond every due-by and the 2 days
        Instant due = triage.item(unanswered, desk).orElseThrow().dueBy();
        assertThat(due).isNotNull();
        clock.set(max(due, clock.instant().plus(Duration.ofDays(2))).plus(Duration.ofHours(1)));
        await().atMost(TRIAGE)
                .untilAsserted(
                        () -> {
                            assertThat(triage.item(unanswered, desk).orElseThrow().tags())
                                    .contains("no-reply");
                            assertThat(triage.item(unread, desk).orElseThrow().tags())
                                    .contains("reply-unread");
                        });
        timed.run();
        timed.run();

        TriageService.QueueItem overdue = triage.item(unanswered, desk).orElseThrow();
        assertThat(overdue.priority()).isEqualTo("asap");
        assertThat(overdue.tags()).doesNotContain("reply-unread");
        assertThat(fired(overdue.messageId(), "Overdue")).isEqualTo(1);
        assertThat(fired(triage.item(unread, desk).orElseThrow().messageId(), "Unread"))
                .isEqualTo(1);
        assertThat(triage.item(answered, desk).orElseThrow().tags())
                .doesNotContain("no-reply", "reply-unread");
        assertThat(triage.item(read, desk).orElseThrow().tags())
                .doesNotContain("no-reply", "reply-unread");
        assertThat(fired(triage.item(read, desk).orElseThrow().messageId(), "Unread")).isZero();
    }

    private long fired(UUID messageId, String rule) {
        return rules.executions(messageId).stream()
                .filter(e -> e.ruleName().equals(rule) && e.outcome().equals("fired"))
                .count();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private UUID itemOf(String message, Actor desk) {
        return UUID.fromString(
                await().atMost(TRIAGE)
                        .until(
                                () ->
                                        fhir().get("/fhir/Task?focus=Communication/" + message)
                                                .then()
                                                .statusCode(200)
                                                .extract()
                                                .<String>path("entry[0].resource.id"),
                                id -> id != null));
    }
}
