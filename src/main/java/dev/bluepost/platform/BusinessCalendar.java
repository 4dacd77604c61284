package dev.bluepost.platform;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Business days of a practice (Monday to Friday, in the practice's time zone). A reply promised in
 * N business days is due at the close of business (17:00 local) of the Nth business day after the
 * day the message arrived: a message on Monday is due Wednesday 17:00 with N = 2, one on Saturday
 * is due Tuesday 17:00.
 */
@ApplicationScoped
public class BusinessCalendar {

    public static final LocalTime CLOSE_OF_BUSINESS = LocalTime.of(17, 0);

    public boolean isBusinessDay(LocalDate day) {
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    public LocalDate addBusinessDays(LocalDate from, int days) {
        LocalDate day = from;
        int added = 0;
        while (added < days) {
            day = day.plusDays(1);
            if (isBusinessDay(day)) {
                added++;
            }
        }
        return day;
    }

    public Instant dueBy(Instant received, int businessDays, ZoneId zone) {
        LocalDate due = addBusinessDays(LocalDate.ofInstant(received, zone), businessDays);
        return due.atTime(CLOSE_OF_BUSINESS).atZone(zone).toInstant();
    }
}
