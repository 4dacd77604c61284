package dev.bluepost.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.messaging.MessagingConfig;
import dev.bluepost.messaging.ReplyPromises.Promise;
import dev.bluepost.platform.BusinessCalendar;
import dev.bluepost.platform.BusinessCalendar.OfficeHours;
import dev.bluepost.triage.rules.RuleEngine;
import dev.bluepost.triage.rules.RuleParser;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The answer time a patient is promised when the message is sent: the configured business days on
 * the practice's own hours and holidays, a response target when it is earlier, and for a red flag
 * the on-call team's clock, around the clock.
 */
class TriageReplyPromisesTest {

    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static final UUID FRONT_DESK = UUID.randomUUID();
    private static final UUID ON_CALL = UUID.randomUUID();

    /** Friday, December 11, 2026; the Monday after is a holiday; the practice closes at 16:00. */
    private static final LocalDate FRIDAY = LocalDate.of(2026, 12, 11);

    private static final OfficeHours HOURS =
            new OfficeHours(
                    ZONE,
                    LocalTime.of(8, 0),
                    LocalTime.of(16, 0),
                    EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                    Set.of(FRIDAY.plusDays(3)));
    private static final String RED_FLAG_RULE =
            """
            when message received
            if text has red flag
            then escalate
            then set due-by in 60 minutes
            then reply "Emergency"
            stop""";

    private static TriageReplyPromises promises(int replyBusinessDays) {
        BusinessCalendar calendar = new BusinessCalendar();
        return new TriageReplyPromises(
                null, new SlaClock(null, calendar, null), calendar, config(replyBusinessDays));
    }

    private static PracticeSetups.Setup practice(List<SlaTarget> targets, String... rules) {
        List<RuleEngine.Compiled> compiled =
                java.util.Arrays.stream(rules)
                        .map(
                                r ->
                                        new RuleEngine.Compiled(
                                                UUID.randomUUID(),
                                                UUID.randomUUID(),
                                                1,
                                                "rule",
                                                RuleParser.parse(r)))
                        .toList();
        return new PracticeSetups.Setup(
                UUID.randomUUID(),
                1,
                "Practice",
                ZONE,
                HOURS,
                compiled,
                Map.of(),
                List.of(),
                targets,
                UUID.randomUUID(),
                ON_CALL);
    }

    private static Instant at(LocalDate day, int hour, int minute) {
        return day.atTime(hour, minute).atZone(ZONE).toInstant();
    }

    @Test
    void shouldPromiseTheConfiguredBusinessDaysOnThePracticesHoursAndHolidays() {
        Instant friday = at(FRIDAY, 10, 0);
        // Monday is a holiday: Tuesday and Wednesday are the two business days; the practice closes
        // at 16:00
        assertThat(
                        promises(2)
                                .promise(
                                        practice(List.of()),
                                        FRONT_DESK,
                                        "routine",
                                        friday,
                                        false,
                                        false))
                .isEqualTo(new Promise(at(FRIDAY.plusDays(5), 16, 0), false));
        // the configured figure, not a fixed 2
        assertThat(
                        promises(3)
                                .promise(
                                        practice(List.of()),
                                        FRONT_DESK,
                                        "routine",
                                        friday,
                                        false,
                                        false)
                                .by())
                .isEqualTo(at(FRIDAY.plusDays(6), 16, 0));
    }

    @Test
    void shouldPromiseAResponseTargetWhenItIsEarlier() {
        SlaTarget frontDesk = target(FRONT_DESK, null, 480, 120);
        Instant friday = at(FRIDAY, 10, 0);
        // 480 business minutes from Friday 10:00: 360 on Friday, then (Monday a holiday) 120 on
        // Tuesday
        assertThat(
                        promises(2)
                                .promise(
                                        practice(List.of(frontDesk)),
                                        FRONT_DESK,
                                        "routine",
                                        friday,
                                        false,
                                        false)
                                .by())
                .isEqualTo(at(FRIDAY.plusDays(4), 10, 0));
        // a follow-up after the care team answered runs on the next-response time
        assertThat(
                        promises(2)
                                .promise(
                                        practice(List.of(frontDesk)),
                                        FRONT_DESK,
                                        "routine",
                                        friday,
                                        false,
                                        true)
                                .by())
                .isEqualTo(at(FRIDAY, 12, 0));
    }

    @Test
    void shouldPromiseARedFlagOnASundayTheOnCallClockAroundTheClock() {
        Instant sunday = at(FRIDAY.plusDays(2), 10, 0);
        assertThat(
                        promises(2)
                                .promise(
                                        practice(List.of(), RED_FLAG_RULE),
                                        FRONT_DESK,
                                        "routine",
                                        sunday,
                                        true,
                                        false))
                .isEqualTo(new Promise(sunday.plus(Duration.ofMinutes(60)), true));
        // the on-call pool's target counts plain minutes, also on a closed day
        assertThat(
                        promises(2)
                                .promise(
                                        practice(
                                                List.of(target(ON_CALL, null, 30, 30)),
                                                RED_FLAG_RULE),
                                        FRONT_DESK,
                                        "routine",
                                        sunday,
                                        true,
                                        false))
                .isEqualTo(new Promise(sunday.plus(Duration.ofMinutes(30)), true));
        // a practice whose rules do not escalate red flags promises what the office does
        assertThat(
                        promises(2)
                                .promise(
                                        practice(List.of()),
                                        FRONT_DESK,
                                        "routine",
                                        sunday,
                                        true,
                                        false))
                .isEqualTo(new Promise(at(FRIDAY.plusDays(5), 16, 0), false));
    }

    private static SlaTarget target(UUID pool, String priority, int first, int next) {
        SlaTarget target = new SlaTarget();
        target.id = UUID.randomUUID();
        target.poolId = pool;
        target.priority = priority;
        target.firstResponseMinutes = first;
        target.nextResponseMinutes = next;
        target.warningMinutes = 10;
        return target;
    }

    private static MessagingConfig config(int replyBusinessDays) {
        return new MessagingConfig() {
            @Override
            public int maxTextBytes() {
                return 65536;
            }

            @Override
            public int replyBusinessDays() {
                return replyBusinessDays;
            }

            @Override
            public int replyWindowDays() {
                return 45;
            }

            @Override
            public int unreadReminderDays() {
                return 2;
            }

            @Override
            public Duration emergencyAccessDuration() {
                return Duration.ofHours(1);
            }

            @Override
            public Attachments attachments() {
                throw new UnsupportedOperationException("not needed");
            }
        };
    }
}
