package dev.bluepost.demo;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.PracticeFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.TestClock;
import dev.bluepost.testing.WebSession;
import dev.bluepost.triage.SlaService;
import dev.bluepost.triage.TriageService;
import dev.bluepost.triage.TriageSetup;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The demo configures triage as a practice would: its on-call pool has the doctors as members and
 * its pools have response-time targets, so a red flag waiting for the on-call team gets its SLA
 * warning in the queue (on a practice that, like the demo before, had only the default rules: an
 * empty on-call pool and no targets, so no warning ever came).
 */
@QuarkusTest
class DemoTriageIT {

    private static final Duration TRIAGE = Duration.ofSeconds(30);
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Inject IdentityService identities;

    @Inject TriageSetup setup;

    @Inject DemoPracticeLoader demo;

    @Inject SlaService sla;

    @Inject TriageService triage;

    @Inject DirectoryService directory;

    @Inject TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** The pool's members as stored now (each read in a transaction of its own: no copy kept from an earlier read). */
    private Set<UUID> members(UUID pool) {
        return QuarkusTransaction.requiringNew()
                .call(() -> directory.pool(pool).orElseThrow().memberIds());
    }

    @Test
    void shouldStaffTheOnCallPoolAndSetTargetsSoThatAWaitingRedFlagIsWarnedAbout() {
        PracticeFixture practice = PracticeFixture.create(identities);
        UUID practiceId = id(practice.practice);
        setup.installDefaults(practiceId);
        UUID onCall = directory.poolByName(practiceId, "On call").orElseThrow().id();
        // what the demo had: the default rules' on-call pool, nobody in it, no targets
        assertThat(members(onCall)).isEmpty();
        assertThat(sla.targets(practiceId)).isEmpty();

        demo.configureTriage(practiceId);
        demo.configureTriage(practiceId); // once: a restart changes nothing
        assertThat(members(onCall)).containsExactly(id(practice.ep));
        assertThat(sla.targets(practiceId))
                .extracting(SlaService.TargetView::poolId)
                .containsExactlyInAnyOrder(
                        onCall,
                        id(practice.pool),
                        directory.poolByName(practiceId, "Refills").orElseThrow().id());

        // a red flag on a Sunday night: the on-call team's clock runs around the clock, and warns
        // 20 minutes before its hour
        Instant sent =
                LocalDate.now(NEW_YORK)
                        .with(TemporalAdjusters.next(DayOfWeek.SUNDAY))
                        .atTime(22, 0)
                        .atZone(NEW_YORK)
                        .toInstant();
        clock.set(sent);
        String message =
                Api.create(
                        aMessage(
                                practice.patient,
                                practice.pool,
                                "I have chest pain and trouble breathing"));
        UUID item =
                UUID.fromString(
                        await().atMost(TRIAGE)
                                .until(
                                        () ->
                                                fhir().get(
                                                                "/fhir/Task?focus=Communication/"
                                                                        + message)
                                                        .then()
                                                        .statusCode(200)
                                                        .extract()
                                                        .<String>path("entry[0].resource.id"),
                                        id -> id != null));
        Actor desk =
                new Actor(
                        null,
                        null,
                        Set.of(Role.FRONT_DESK),
                        practiceId,
                        id(practice.staff),
                        null,
                        null);
        assertThat(triage.item(item, desk).orElseThrow().queuePoolId()).isEqualTo(onCall);
        assertThat(triage.item(item, desk).orElseThrow().dueBy())
                .isEqualTo(sent.plus(Duration.ofMinutes(60)));

        clock.set(sent.plus(Duration.ofMinutes(41)));
        await().atMost(TRIAGE)
                .untilAsserted(
                        () ->
                                assertThat(triage.item(item, desk).orElseThrow().tags())
                                        .contains("sla-warning"));
        WebSession frontDesk = WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD);
        // the queue says it in words: due soon
        assertThat(frontDesk.get("/staff/queue").then().statusCode(200).extract().asString())
                .contains("<span class=\"usa-tag bp-sla bp-sla--due-soon\">Due soon</span>");
    }
}
