package dev.bluepost.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.platform.i18n.Language;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The staff pages' words for codes and moments: a status, priority, tag or rule outcome is
 * always one of the bundle's words (here, a stand-in bundle that answers with the key it was asked
 * for), and a moment is never shown as an ISO timestamp.
 */
class StaffWordsTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** A bundle that answers "key(arguments)": the test sees which word was chosen. */
    private static final StaffMessages KEYS =
            (StaffMessages)
                    Proxy.newProxyInstance(
                            StaffMessages.class.getClassLoader(),
                            new Class<?>[] {StaffMessages.class},
                            (proxy, method, args) ->
                                    method.getName()
                                            + (args == null
                                                    ? ""
                                                    : Arrays.stream(args)
                                                            .map(String::valueOf)
                                                            .collect(
                                                                    Collectors.joining(
                                                                            ",", "(", ")"))));

    private final StaffWords english = new StaffWords(KEYS, Language.ENGLISH);
    private final StaffWords spanish = new StaffWords(KEYS, Language.SPANISH);

    @Test
    void shouldNameEveryStatusAndPriorityInWordsNeverByCode() {
        assertThat(english.status(TaskStatus.REQUESTED)).isEqualTo("status_requested");
        assertThat(english.status(TaskStatus.IN_PROGRESS)).isEqualTo("status_in_progress");
        for (TaskStatus status : TaskStatus.values()) {
            assertThat(english.status(status)).startsWith("status_").doesNotContain("-");
        }
        assertThat(english.priority("asap")).isEqualTo("priority_asap");
        assertThat(english.priority(null)).isEqualTo("priority_routine");
        assertThat(english.tag("red-flag")).isEqualTo("tag_red_flag");
        assertThat(english.tag("vip")).as("a practice's own tag stays as written").isEqualTo("vip");
        assertThat(english.outcome("not-matched")).isEqualTo("outcome_not_matched");
    }

    @Test
    void shouldSayHowLongSomethingWaited() {
        assertThat(english.waited(Duration.ofMinutes(25))).isEqualTo("wait_minutes(25)");
        assertThat(english.waited(Duration.ofMinutes(185))).isEqualTo("wait_hours(3,5)");
        assertThat(english.waited(Duration.ofDays(3).plusHours(2))).isEqualTo("wait_days(3)");
        assertThat(english.waited(Duration.ofSeconds(-5))).isEqualTo("wait_minutes(0)");
    }

    @Test
    void shouldShowMomentsInThePracticeZoneInTheReadersLanguage() {
        Instant at = Instant.parse("2026-12-07T14:02:41.123456789Z");
        assertThat(english.when(at, NEW_YORK)).isEqualTo("Mon, Dec 7, 2026, 9:02 AM");
        assertThat(spanish.when(at, NEW_YORK))
                .startsWith("lun")
                .contains("7 de dic")
                .contains("2026, 9:02");
        assertThat(english.recent(at, NEW_YORK, at.plus(Duration.ofHours(2)))).isEqualTo("9:02 AM");
        assertThat(english.recent(at, NEW_YORK, at.plus(Duration.ofDays(2))))
                .isEqualTo("Dec 7, 9:02 AM");
        assertThat(spanish.recent(at, NEW_YORK, at.plus(Duration.ofHours(2)))).isEqualTo("9:02");
        assertThat(english.date(LocalDate.of(2014, 10, 28))).isEqualTo("Oct 28, 2014");
        assertThat(english.when(null, NEW_YORK)).isEmpty();
    }

    @Test
    void shouldTurnTheRecordedTimestampsOfARuleLogIntoWords() {
        String detail =
                english.detail(
                        "answer due 2026-12-07T14:02:41.123456789Z; warning sent to the pool",
                        NEW_YORK);
        assertThat(detail)
                .isEqualTo("answer due Mon, Dec 7, 2026, 9:02 AM; warning sent to the pool");
        assertThat(
                        english.detail(
                                "reply \"Welcome\" scheduled for 2026-12-07T14:07:00Z (dropped if staff answer first)",
                                NEW_YORK))
                .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T")
                .contains("9:07 AM");
        assertThat(english.detail(null, NEW_YORK)).isEmpty();
    }
}
