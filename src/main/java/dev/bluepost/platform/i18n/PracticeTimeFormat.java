package dev.bluepost.platform.i18n;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Times and dates as a page shows them: in the practice's time zone, in the reader's language, to the
 * minute ("Mon, Dec 7, 2026, 9:02 AM"; "lun, 7 dic 2026, 9:02 a. m."), never ISO, never below a minute.
 * Exports (CSV, FHIR) keep their exact instants.
 */
public final class PracticeTimeFormat {

    private final DateTimeFormatter when;
    private final DateTimeFormatter day;
    private final ZoneId zone;

    private PracticeTimeFormat(ZoneId zone, Locale locale) {
        boolean english = "en".equals(locale.getLanguage());
        this.zone = zone;
        this.when =
                DateTimeFormatter.ofPattern(
                                english ? "EEE, MMM d, yyyy, h:mm a" : "EEE, d MMM yyyy, h:mm a",
                                locale)
                        .withZone(zone);
        this.day = DateTimeFormatter.ofPattern(english ? "MMM d, yyyy" : "d MMM yyyy", locale);
    }

    public static PracticeTimeFormat of(ZoneId zone, Locale locale) {
        return new PracticeTimeFormat(zone, locale);
    }

    /** An instant in the practice's zone, to the minute; empty for none. */
    public String when(Instant instant) {
        return instant == null ? "" : when.format(instant);
    }

    /** A calendar date ("Dec 7, 2026"); empty for none. */
    public String day(LocalDate date) {
        return date == null ? "" : day.format(date);
    }

    /** The practice's calendar date of an instant. */
    public String day(Instant instant) {
        return instant == null ? "" : day(LocalDate.ofInstant(instant, zone));
    }

    /** A calendar date written out, as on a letter ("December 21, 2026"; "21 de diciembre de 2026"). */
    public static String longDay(LocalDate date, Locale locale) {
        return date == null
                ? ""
                : DateTimeFormatter.ofLocalizedDate(java.time.format.FormatStyle.LONG)
                        .withLocale(locale)
                        .format(date);
    }

    public ZoneId zone() {
        return zone;
    }
}
