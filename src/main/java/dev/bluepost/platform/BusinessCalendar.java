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
        return addBusinessDays(from, days, java.util.Set.of());
    }

    /**
     * The Nth business day after {@code from}: Monday to Friday, the practice's holidays (the ones
     * its admin keeps on the triage settings page) skipped. The Meaningful Use timeliness rule
     * (4 business days, docs/measures.md §2 "Business day", §5.1) counts with this too.
     */
    public static LocalDate addBusinessDays(
            LocalDate from, int days, java.util.Set<LocalDate> holidays) {
        LocalDate day = from;
        int added = 0;
        while (added < days) {
            day = day.plusDays(1);
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY
                    && day.getDayOfWeek() != DayOfWeek.SUNDAY
                    && !holidays.contains(day)) {
                added++;
            }
        }
        return day;
    }

    public Instant dueBy(Instant received, int businessDays, ZoneId zone) {
        LocalDate due = addBusinessDays(LocalDate.ofInstant(received, zone), businessDays);
        return due.atTime(CLOSE_OF_BUSINESS).atZone(zone).toInstant();
    }

    /**
     * A practice's own opening hours: the same hours on each open day, except its holidays.
     *
     * @param openDays days of the week it opens
     * @param holidays dates it stays closed
     */
    public record OfficeHours(
            ZoneId zone,
            LocalTime opens,
            LocalTime closes,
            java.util.Set<DayOfWeek> openDays,
            java.util.Set<LocalDate> holidays) {

        public boolean isOpenDay(LocalDate day) {
            return openDays.contains(day.getDayOfWeek()) && !holidays.contains(day);
        }
    }

    /** Whether the practice is open at this instant. */
    public boolean isOpen(Instant at, OfficeHours hours) {
        java.time.ZonedDateTime local = at.atZone(hours.zone());
        LocalTime time = local.toLocalTime();
        return hours.isOpenDay(local.toLocalDate())
                && !time.isBefore(hours.opens())
                && time.isBefore(hours.closes());
    }

    /** The instant itself if the practice is open then, else when it next opens (within a year). */
    public Instant nextOpening(Instant at, OfficeHours hours) {
        if (isOpen(at, hours)) {
            return at;
        }
        java.time.ZonedDateTime local = at.atZone(hours.zone());
        LocalDate day = local.toLocalDate();
        if (hours.isOpenDay(day) && local.toLocalTime().isBefore(hours.opens())) {
            return day.atTime(hours.opens()).atZone(hours.zone()).toInstant();
        }
        for (int i = 1; i <= 366; i++) {
            LocalDate next = day.plusDays(i);
            if (hours.isOpenDay(next)) {
                return next.atTime(hours.opens()).atZone(hours.zone()).toInstant();
            }
        }
        throw new IllegalStateException("the practice never opens");
    }

    /** Closing time of the Nth open day after the day the message arrived (holidays and closed days skipped). */
    public Instant dueBy(Instant received, int businessDays, OfficeHours hours) {
        LocalDate day = LocalDate.ofInstant(received, hours.zone());
        int added = 0;
        int guard = 0;
        while (added < businessDays) {
            day = day.plusDays(1);
            if (hours.isOpenDay(day)) {
                added++;
            }
            if (++guard > 3660) {
                throw new IllegalStateException("the practice never opens");
            }
        }
        return day.atTime(hours.closes()).atZone(hours.zone()).toInstant();
    }

    /** The instant that lies this many minutes of opening time after {@code from}. */
    public Instant plusBusinessMinutes(Instant from, long minutes, OfficeHours hours) {
        Instant cursor = nextOpening(from, hours);
        long left = minutes;
        for (int guard = 0; guard < 3660; guard++) {
            java.time.ZonedDateTime local = cursor.atZone(hours.zone());
            Instant close =
                    local.toLocalDate().atTime(hours.closes()).atZone(hours.zone()).toInstant();
            long available = java.time.Duration.between(cursor, close).toMinutes();
            if (left <= available) {
                return cursor.plus(java.time.Duration.ofMinutes(left));
            }
            left -= available;
            cursor = nextOpening(close, hours);
        }
        throw new IllegalStateException("the practice never opens");
    }
}
