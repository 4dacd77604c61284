package dev.bluepost.measurement.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rule of docs/measures.md §2.3 over a location's CEHRT history: equipped on the period's first day and every day up to the encounter's. */
class CehrtHistoryTest {

    private static final UUID LOCATION = UUID.randomUUID();
    private static final LocalDate BEGINNING = LocalDate.of(1, 1, 1);

    @Test
    void shouldCountAnEncounterOnlyWhenTheLocationWasEquippedFromThePeriodsStart() {
        CehrtHistory history =
                history(
                        new CehrtHistory.Change(false, BEGINNING),
                        new CehrtHistory.Change(true, LocalDate.of(2014, 4, 1)));
        // before the change: not equipped
        assertThat(
                        history.equippedThroughout(
                                LOCATION,
                                LocalDate.of(2014, 1, 1),
                                LocalDate.of(2014, 2, 10),
                                true))
                .isFalse();
        // a period starting on the day of the change
        assertThat(
                        history.equippedThroughout(
                                LOCATION,
                                LocalDate.of(2014, 4, 1),
                                LocalDate.of(2014, 5, 12),
                                false))
                .isTrue();
        // a period already under way when the location got CEHRT
        assertThat(
                        history.equippedThroughout(
                                LOCATION,
                                LocalDate.of(2014, 3, 1),
                                LocalDate.of(2014, 5, 12),
                                false))
                .isFalse();
    }

    @Test
    void shouldStopCountingFromTheDayALocationLostCehrt() {
        CehrtHistory history =
                history(
                        new CehrtHistory.Change(true, BEGINNING),
                        new CehrtHistory.Change(false, LocalDate.of(2014, 5, 1)),
                        new CehrtHistory.Change(true, LocalDate.of(2014, 5, 1)),
                        new CehrtHistory.Change(false, LocalDate.of(2014, 6, 1)));
        LocalDate start = LocalDate.of(2014, 4, 1);
        assertThat(history.equippedThroughout(LOCATION, start, LocalDate.of(2014, 5, 31), false))
                .as("two changes on one day: the later recorded one holds")
                .isTrue();
        assertThat(history.equippedThroughout(LOCATION, start, LocalDate.of(2014, 6, 1), true))
                .isFalse();
        // a location without history keeps its flag
        assertThat(
                        history.equippedThroughout(
                                UUID.randomUUID(), start, LocalDate.of(2014, 6, 1), false))
                .isFalse();
        assertThat(
                        history.equippedThroughout(
                                UUID.randomUUID(), start, LocalDate.of(2014, 6, 1), true))
                .isTrue();
    }

    private static CehrtHistory history(CehrtHistory.Change... changes) {
        return new CehrtHistory(Map.of(LOCATION, List.of(changes)));
    }
}
