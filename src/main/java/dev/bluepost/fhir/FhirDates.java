package dev.bluepost.fhir;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.hl7.fhir.r4.model.BaseDateTimeType;

/**
 * Instants of FHIR date and dateTime values. A value without a time of day (or without an offset)
 * is read in the given zone, usually the practice's, never the server JVM's; a period's end is
 * inclusive at its precision ({@code end = 2026-12-31} includes that whole day), so
 * {@link #endExclusive} is the first instant after it.
 */
public final class FhirDates {

    private FhirDates() {}

    public static Instant start(BaseDateTimeType value, ZoneId zone) {
        return range(value, zone).start();
    }

    public static Instant endExclusive(BaseDateTimeType value, ZoneId zone) {
        return range(value, zone).end();
    }

    /** The local date a value falls on in {@code zone} (a date-only value is that date). */
    public static LocalDate localDate(BaseDateTimeType value, ZoneId zone) {
        return LocalDate.ofInstant(start(value, zone), zone);
    }

    private static SearchValues.DateRange range(BaseDateTimeType value, ZoneId zone) {
        return SearchValues.date(value.getValueAsString(), zone);
    }
}
