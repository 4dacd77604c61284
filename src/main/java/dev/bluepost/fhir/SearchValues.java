package dev.bluepost.fhir;

import dev.bluepost.platform.errors.BluepostException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the value syntax of FHIR search parameter types (token, reference, date, string). */
public final class SearchValues {

    /** An id no resource has: a reference that cannot be ours matches nothing. */
    public static final UUID NO_MATCH = new UUID(0, 0);

    private static final Pattern DATE =
            Pattern.compile(
                    "^(eq|ne|gt|lt|ge|le|sa|eb)?(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?)?)?)?$");

    private SearchValues() {}

    /** {@code system|code}, {@code |code} (no system), or {@code code} (any system). */
    public record Token(String system, String code, boolean anySystem) {}

    public static Token token(String value) {
        int bar = value.indexOf('|');
        if (bar < 0) {
            return new Token(null, value, true);
        }
        String system = value.substring(0, bar);
        String code = value.substring(bar + 1);
        if (code.isEmpty()) {
            throw BluepostException.malformed(
                    "Token search '" + value + "' needs a code after '|'.");
        }
        return new Token(system.isEmpty() ? null : system, code, false);
    }

    /** The stored form of an identifier for {@code identifier} search (see {@link StoredResource}). */
    public static String identifierToken(String system, String value) {
        return (system == null ? "" : system) + "|" + value;
    }

    public static String anySystemToken(String value) {
        return "*|" + value;
    }

    /**
     * A reference search value: {@code Type/id}, or a bare id when the parameter targets one type
     * (absolute URLs were made relative, or refused, by {@link SearchParameters}). A value that
     * cannot name a Bluepost resource matches nothing.
     */
    public static Ref reference(String value, String... targetTypes) {
        Optional<Ref> literal = Ref.parse(value);
        if (literal.isPresent()) {
            return literal.get();
        }
        if (!value.contains("/") && targetTypes.length == 1) {
            return Ref.parse(targetTypes[0] + "/" + value)
                    .orElse(new Ref(targetTypes[0], NO_MATCH));
        }
        return new Ref(targetTypes.length > 0 ? targetTypes[0] : "Unknown", NO_MATCH);
    }

    /** A date search value as a half-open range {@code [start, end)} with its comparison prefix. */
    public record DateRange(String prefix, Instant start, Instant end) {

        /** The HQL criterion for a timestamp column. */
        public String criterion(String column, HqlSearch search) {
            return switch (prefix) {
                case "eq" ->
                        column
                                + " >= "
                                + search.bind(start)
                                + " and "
                                + column
                                + " < "
                                + search.bind(end);
                case "ne" ->
                        "("
                                + column
                                + " < "
                                + search.bind(start)
                                + " or "
                                + column
                                + " >= "
                                + search.bind(end)
                                + ")";
                case "gt", "sa" -> column + " >= " + search.bind(end);
                case "ge" -> column + " >= " + search.bind(start);
                case "lt", "eb" -> column + " < " + search.bind(start);
                case "le" -> column + " < " + search.bind(end);
                default -> throw new IllegalStateException(prefix);
            };
        }

        /** The HQL criterion for a local-date column (dates compared in {@code zone}). */
        public String dateCriterion(String column, HqlSearch search, ZoneId zone) {
            LocalDate first = LocalDate.ofInstant(start, zone);
            LocalDate afterLast = LocalDate.ofInstant(end.minusNanos(1), zone).plusDays(1);
            return switch (prefix) {
                case "eq" ->
                        column
                                + " >= "
                                + search.bind(first)
                                + " and "
                                + column
                                + " < "
                                + search.bind(afterLast);
                case "ne" ->
                        "("
                                + column
                                + " < "
                                + search.bind(first)
                                + " or "
                                + column
                                + " >= "
                                + search.bind(afterLast)
                                + ")";
                case "gt", "sa" -> column + " >= " + search.bind(afterLast);
                case "ge" -> column + " >= " + search.bind(first);
                case "lt", "eb" -> column + " < " + search.bind(first);
                case "le" -> column + " < " + search.bind(afterLast);
                default -> throw new IllegalStateException(prefix);
            };
        }
    }

    /**
     * Parses {@code [prefix]YYYY[-MM[-DD[Thh:mm[:ss][zone]]]]}. A value without an offset is read in
     * {@code zone}; the range spans the value's precision (a day, a month, a second, …).
     */
    public static DateRange date(String value, ZoneId zone) {
        Matcher m = DATE.matcher(value.trim());
        if (!m.matches()) {
            throw BluepostException.malformed(
                    "'"
                            + value
                            + "' is not a FHIR date search value "
                            + "(e.g. ge2024-01-31 or lt2024-01-31T12:00:00Z).");
        }
        String prefix = m.group(1) == null ? "eq" : m.group(1).toLowerCase(Locale.ROOT);
        try {
            int year = Integer.parseInt(m.group(2));
            if (m.group(3) == null) {
                LocalDate first = LocalDate.of(year, 1, 1);
                return new DateRange(
                        prefix, startOf(first, zone), startOf(first.plusYears(1), zone));
            }
            int month = Integer.parseInt(m.group(3));
            if (m.group(4) == null) {
                LocalDate first = YearMonth.of(year, month).atDay(1);
                return new DateRange(
                        prefix, startOf(first, zone), startOf(first.plusMonths(1), zone));
            }
            LocalDate day = LocalDate.of(year, month, Integer.parseInt(m.group(4)));
            if (m.group(5) == null) {
                return new DateRange(prefix, startOf(day, zone), startOf(day.plusDays(1), zone));
            }
            int seconds = m.group(7) == null ? 0 : Integer.parseInt(m.group(7));
            LocalDateTime local =
                    day.atTime(Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), seconds);
            Instant at =
                    m.group(8) == null
                            ? local.atZone(zone).toInstant()
                            : OffsetDateTime.of(
                                            local,
                                            m.group(8).equals("Z")
                                                    ? ZoneOffset.UTC
                                                    : ZoneOffset.of(m.group(8)))
                                    .toInstant();
            return new DateRange(prefix, at, at.plusSeconds(m.group(7) == null ? 60 : 1));
        } catch (java.time.DateTimeException e) {
            throw BluepostException.malformed("'" + value + "' is not a valid date.");
        }
    }

    private static Instant startOf(LocalDate day, ZoneId zone) {
        return ZonedDateTime.of(day.atStartOfDay(), zone).toInstant();
    }

    /** A lower-cased LIKE pattern for a string search: {@code :contains} anywhere, otherwise starts-with. */
    public static String likePattern(String value, String modifier) {
        String escaped =
                value.toLowerCase(Locale.ROOT)
                        .replace("\\", "\\\\")
                        .replace("%", "\\%")
                        .replace("_", "\\_");
        return "contains".equals(modifier) ? "%" + escaped + "%" : escaped + "%";
    }
}
