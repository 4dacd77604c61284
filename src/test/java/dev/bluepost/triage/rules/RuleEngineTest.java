package dev.bluepost.triage.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bluepost.platform.BusinessCalendar;
import dev.bluepost.triage.rules.RuleSyntaxException.Problem;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RuleEngineTest {

    private static Facts facts(String text, String category) {
        return new Facts(
                text,
                category,
                "routine",
                "PATIENT",
                "Front desk",
                true,
                false,
                false,
                Optional.empty());
    }

    private static RuleEngine.Compiled compiled(String name, String definition) {
        return new RuleEngine.Compiled(
                UUID.randomUUID(), UUID.randomUUID(), 1, name, RuleParser.parse(definition));
    }

    @Test
    void shouldRunRulesInOrderStopAndLetLaterRulesSeeEarlierActions() {
        RuleEngine.Compiled route =
                compiled(
                        "route",
                        """
                when message received
                match any
                if category is medication-refill
                if text contains "Refill"
                then route to "Refills"
                then set priority urgent""");
        RuleEngine.Compiled pool =
                compiled(
                        "pool",
                        "when message received\nif pool is \"refills\"\nif priority is urgent\nthen tag seen\nstop");
        RuleEngine.Compiled never = compiled("never", "when message received\nthen tag never");
        List<RuleEngine.Outcome> outcomes =
                RuleEngine.evaluate(
                        List.of(route, pool, never), facts("Please RÉFILL my pills", "other"));
        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0).fired()).isTrue();
        assertThat(outcomes.get(0).reason())
                .isEqualTo("text contains one of 1 listed words")
                .doesNotContain("pills");
        assertThat(outcomes.get(1).fired()).isTrue();

        List<RuleEngine.Outcome> other =
                RuleEngine.evaluate(
                        List.of(route, pool, never), facts("Question about billing", "billing"));
        assertThat(other).extracting(RuleEngine.Outcome::fired).containsExactly(false, false, true);
        assertThat(other.get(0).reason()).isEqualTo("none of the conditions holds");
    }

    @Test
    void shouldParseEveryStatementAndRefuseLoopsAndNonsenseWithTheLine() {
        Rule rule =
                RuleParser.parse(
                        """
                # comment
                when message received
                if not has attachment
                if sender is patient or proxy
                if text matches "blood (sugar|pressure)"
                if outside business hours
                then set due-by in 4 business hours
                then reply "Ack" after 10 minutes
                then assign to Practitioner/%s
                cooldown 2 hours
                stop"""
                                .formatted(UUID.randomUUID()));
        assertThat(rule.cooldown()).isEqualTo(Cooldown.after(Duration.ofHours(2)));
        assertThat(rule.stop()).isTrue();
        assertThat(rule.actions()).hasSize(3);
        assertThatThrownBy(
                        () ->
                                RuleParser.parse(
                                        "when message received\nif sender is staff\nthen tag x"))
                .hasMessageContaining("Line 2")
                .hasMessageContaining("loop")
                .isInstanceOfSatisfying(
                        RuleSyntaxException.class,
                        e -> {
                            assertThat(e.problem()).isEqualTo(Problem.SENDER_LOOP);
                            assertThat(e.line()).contains(2);
                            assertThat(e.values()).containsExactly("staff");
                        });
        assertThatThrownBy(
                        () ->
                                RuleParser.parse(
                                        "when message received\nthen reply \"A\"\ncooldown 0 hours"))
                .hasMessageContaining("Line 3");
        assertThatThrownBy(
                        () -> RuleParser.parse("when message received\nthen set priority whenever"))
                .hasMessage(
                        "Line 2: 'whenever' is not a priority (one of asap, routine, stat, urgent).")
                .isInstanceOfSatisfying(
                        RuleSyntaxException.class,
                        e -> {
                            assertThat(e.problem()).isEqualTo(Problem.NOT_A_PRIORITY);
                            assertThat(e.values())
                                    .containsExactly("whenever", "asap, routine, stat, urgent");
                        });
        assertThatThrownBy(() -> RuleParser.parse("when message received"))
                .hasMessageContaining("does nothing");
        assertThatThrownBy(() -> RuleParser.parse("if text has red flag\nthen escalate"))
                .hasMessageContaining("no \"when\"")
                .isInstanceOfSatisfying(
                        RuleSyntaxException.class,
                        e -> {
                            assertThat(e.problem()).isEqualTo(Problem.NO_WHEN);
                            assertThat(e.line()).isEmpty();
                        });
    }

    @Test
    void shouldReplyOncePerThreadUnlessACooldownLetsTheRuleRepeat() {
        Instant sent = Instant.parse("2026-12-07T15:00:00Z");
        Instant dayLater = sent.plus(Duration.ofHours(25));
        Rule plain = RuleParser.parse("when message received\nthen reply \"Ack\"");
        assertThat(plain.cooldown()).isEqualTo(Cooldown.ONCE_PER_THREAD);
        assertThat(plain.cooldown().allowsAnother(sent, dayLater)).isFalse();
        Rule once =
                RuleParser.parse(
                        "when message received\nthen reply \"Ack\"\ncooldown  once per thread");
        assertThat(once.cooldown().oncePerThread()).isTrue();
        assertThat(once.cooldown().describe()).isEqualTo("once per thread");
        Rule daily =
                RuleParser.parse("when message received\nthen reply \"Ack\"\ncooldown 24 hours");
        assertThat(daily.cooldown().allowsAnother(sent, sent.plus(Duration.ofHours(23)))).isFalse();
        assertThat(daily.cooldown().allowsAnother(sent, dayLater)).isTrue();
        assertThat(daily.cooldown().describe()).isEqualTo("24 hours");
        assertThatThrownBy(
                        () ->
                                RuleParser.parse(
                                        "when message received\nthen reply \"A\"\ncooldown twice"))
                .hasMessageContaining("Line 3")
                .hasMessageContaining("once per thread");
    }

    @Test
    void shouldParseTheTimeBasedEventsInTheirCanonicalSpelling() {
        Rule overdue = RuleParser.parse("when No staff reply  by due-by\nthen tag overdue");
        assertThat(overdue.event()).isEqualTo(Rule.NO_STAFF_REPLY);
        assertThat(overdue.onMessage()).isFalse();
        assertThat(overdue.unreadDays()).isZero();
        Rule unread =
                RuleParser.parse("when patient has not read a reply in 1 day\nthen tag unread");
        assertThat(unread.event()).isEqualTo("patient has not read a reply in 1 days");
        assertThat(unread.unreadDays()).isEqualTo(1);
        assertThat(RuleParser.parse("when message received\nthen tag x").onMessage()).isTrue();
        assertThatThrownBy(
                        () ->
                                RuleParser.parse(
                                        "when patient has not read a reply in 0 days\nthen tag x"))
                .hasMessageContaining("1 to 365");
        assertThatThrownBy(() -> RuleParser.parse("when the moon is full\nthen tag x"))
                .hasMessageContaining("no staff reply by due-by");
    }

    @Test
    void shouldKnowOpeningHoursHolidaysAndBusinessTime() {
        ZoneId zone = ZoneId.of("America/New_York");
        BusinessCalendar.OfficeHours hours =
                new BusinessCalendar.OfficeHours(
                        zone,
                        LocalTime.of(8, 0),
                        LocalTime.of(17, 0),
                        EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                        Set.of(LocalDate.of(2026, 11, 26)));
        BusinessCalendar calendar = new BusinessCalendar();
        Instant wednesdayEvening =
                LocalDate.of(2026, 11, 25).atTime(18, 0).atZone(zone).toInstant();
        assertThat(calendar.isOpen(wednesdayEvening, hours)).isFalse();
        // Thanksgiving (a holiday) is skipped: next opening Friday 08:00
        assertThat(calendar.nextOpening(wednesdayEvening, hours))
                .isEqualTo(LocalDate.of(2026, 11, 27).atTime(8, 0).atZone(zone).toInstant());
        // 2 business days after Wednesday: Friday, then Monday 17:00
        assertThat(calendar.dueBy(wednesdayEvening, 2, hours))
                .isEqualTo(LocalDate.of(2026, 11, 30).atTime(17, 0).atZone(zone).toInstant());
        // 4 business hours from Wednesday evening: Friday 12:00
        assertThat(calendar.plusBusinessMinutes(wednesdayEvening, 240, hours))
                .isEqualTo(LocalDate.of(2026, 11, 27).atTime(12, 0).atZone(zone).toInstant());
    }
}
