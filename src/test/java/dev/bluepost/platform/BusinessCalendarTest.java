package dev.bluepost.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private final BusinessCalendar calendar = new BusinessCalendar();

    @Test
    void shouldPromiseAnswerAtCloseOfSecondBusinessDay() {
        Instant mondayMorning = ZonedDateTime.of(2026, 11, 23, 10, 15, 0, 0, NEW_YORK).toInstant();
        assertThat(calendar.dueBy(mondayMorning, 2, NEW_YORK))
                .isEqualTo(ZonedDateTime.of(2026, 11, 25, 17, 0, 0, 0, NEW_YORK).toInstant());
    }

    @Test
    void shouldSkipWeekends() {
        Instant fridayEvening = ZonedDateTime.of(2026, 11, 20, 21, 0, 0, 0, NEW_YORK).toInstant();
        assertThat(calendar.dueBy(fridayEvening, 2, NEW_YORK))
                .isEqualTo(ZonedDateTime.of(2026, 11, 24, 17, 0, 0, 0, NEW_YORK).toInstant());
        Instant saturday = ZonedDateTime.of(2026, 11, 21, 9, 0, 0, 0, NEW_YORK).toInstant();
        assertThat(calendar.dueBy(saturday, 2, NEW_YORK))
                .isEqualTo(ZonedDateTime.of(2026, 11, 24, 17, 0, 0, 0, NEW_YORK).toInstant());
    }

    @Test
    void shouldCountDaysInThePracticesZoneNotUtc() {
        // 23:30 on Friday in New York is already Saturday in UTC
        Instant fridayLate = ZonedDateTime.of(2026, 11, 20, 23, 30, 0, 0, NEW_YORK).toInstant();
        assertThat(calendar.addBusinessDays(LocalDate.ofInstant(fridayLate, NEW_YORK), 1))
                .isEqualTo(LocalDate.of(2026, 11, 23));
        assertThat(calendar.dueBy(fridayLate, 1, NEW_YORK))
                .isEqualTo(ZonedDateTime.of(2026, 11, 23, 17, 0, 0, 0, NEW_YORK).toInstant());
    }
}
