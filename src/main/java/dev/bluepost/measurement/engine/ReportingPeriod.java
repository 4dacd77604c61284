package dev.bluepost.measurement.engine;

import java.time.LocalDate;
import java.time.Month;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * An EHR reporting period: local dates in the practice's time zone, both ends inclusive
 * (docs/measures.md §2.1). The program year is the year the period starts in.
 */
public record ReportingPeriod(LocalDate start, LocalDate end) {

    public ReportingPeriod {
        if (start == null || end == null) {
            throw ParameterProblem.periodMissing();
        }
        if (end.isBefore(start)) {
            throw ParameterProblem.periodReversed(start, end);
        }
    }

    /** From request parameters; a missing, malformed or reversed period is a 400. */
    public static ReportingPeriod parse(String start, String end) {
        return new ReportingPeriod(date(start, "periodStart"), date(end, "periodEnd"));
    }

    private static LocalDate date(String value, String name) {
        if (value == null || value.isBlank()) {
            throw ParameterProblem.required(name);
        }
        if (!value.trim().matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw ParameterProblem.notADate(name);
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ParameterProblem.invalidDate(name);
        }
    }

    public int programYear() {
        return start.getYear();
    }

    public long days() {
        return ChronoUnit.DAYS.between(start, end) + 1;
    }

    public boolean contains(LocalDate day) {
        return !day.isBefore(start) && !day.isAfter(end);
    }

    public boolean isCalendarQuarter() {
        return start.getDayOfMonth() == 1
                && (start.getMonthValue() - 1) % 3 == 0
                && end.equals(start.plusMonths(3).minusDays(1));
    }

    public boolean isFullCalendarYear() {
        return start.getMonth() == Month.JANUARY
                && start.getDayOfMonth() == 1
                && end.equals(start.withDayOfYear(start.lengthOfYear()));
    }

    /**
     * Where the period does not fit the program year's rule (docs/measures.md §2.1); the report still
     * runs and shows these warnings. In English for reports and exports; pages word {@link #issues} themselves.
     */
    public List<String> warnings(MeasureId measure) {
        return issues(measure).stream().map(Issue::english).toList();
    }

    /** What a period warning is about, with the numbers it names. */
    public enum IssueKind {
        CROSSES_YEAR,
        QUARTER_2014_FOR_90_DAYS,
        QUARTER_OR_90_DAYS_2014,
        NINETY_DAYS_2015_2016,
        NINETY_DAYS_ONLY_MEDICAID_2017,
        FULL_YEAR_2017,
        SHORTER_THAN_90_DAYS,
        STAGE_2_AFTER_2014,
        WRONG_YEAR,
        MS2_2017_WRONG_YEAR,
        STAGE_3_BEFORE_2016,
        STAGE_3_2018_THRESHOLD
    }

    /**
     * A period warning: its kind, the program year (or the period's end year for {@code CROSSES_YEAR}), the period's days,
     * the measure and the year the measure expects ({@code WRONG_YEAR}).
     */
    public record Issue(IssueKind kind, int year, long days, MeasureId measure, int expectedYear) {

        public String english() {
            return switch (kind) {
                case CROSSES_YEAR ->
                        "The period crosses into "
                                + year
                                + ": a reporting period lies within one calendar year.";
                case QUARTER_2014_FOR_90_DAYS ->
                        "2014: Medicare EPs beyond their first year of meaningful use must report a fixed calendar quarter; any 90 days is only for first-year EPs.";
                case QUARTER_OR_90_DAYS_2014 ->
                        "2014: the reporting period is a calendar quarter (returning Medicare EPs) or any 90 consecutive days (first-year EPs); this one has "
                                + days
                                + " days.";
                case NINETY_DAYS_2015_2016 ->
                        year
                                + ": the reporting period is any 90 consecutive days within the year; this one has "
                                + days
                                + " days.";
                case NINETY_DAYS_ONLY_MEDICAID_2017 ->
                        "2017: a 90-day period is only for Medicaid first-time meaningful users; everyone else reports the full calendar year.";
                case FULL_YEAR_2017 ->
                        "2017: the reporting period is the full calendar year (90 consecutive days for Medicaid first-time meaningful users); this one has "
                                + days
                                + " days.";
                case SHORTER_THAN_90_DAYS ->
                        year
                                + ": the period has "
                                + days
                                + " days, fewer than the 90 consecutive days of the shortest EHR reporting period.";
                case STAGE_2_AFTER_2014 ->
                        measure.id()
                                + " is the Stage 2 measure (program years up to 2014); from 2015 Modified Stage 2 applies.";
                case WRONG_YEAR ->
                        measure.id()
                                + " is the "
                                + expectedYear
                                + " measure; the period is in "
                                + year
                                + ".";
                case MS2_2017_WRONG_YEAR ->
                        measure.id()
                                + " is the 2017 measure (also Medicaid Modified Stage 2 in 2018); the period is in "
                                + year
                                + ".";
                case STAGE_3_BEFORE_2016 ->
                        measure.id()
                                + " is a Stage 3 measure (from 2016); the period is in "
                                + year
                                + ".";
                case STAGE_3_2018_THRESHOLD ->
                        "2018 Stage 3 threshold: 25 % as finalized in 2015 is used; whether Medicaid used 5 % is not confirmed by a CMS source.";
            };
        }
    }

    /** The period warnings as data (see {@link #warnings}). */
    public List<Issue> issues(MeasureId measure) {
        List<Issue> issues = new ArrayList<>();
        int year = programYear();
        long days = days();
        if (end.getYear() != year) {
            issues.add(new Issue(IssueKind.CROSSES_YEAR, end.getYear(), days, measure, 0));
        }
        switch (year) {
            case 2014 -> {
                if (!isCalendarQuarter()) {
                    issues.add(
                            new Issue(
                                    days == 90
                                            ? IssueKind.QUARTER_2014_FOR_90_DAYS
                                            : IssueKind.QUARTER_OR_90_DAYS_2014,
                                    year,
                                    days,
                                    measure,
                                    0));
                }
            }
            case 2015, 2016 -> {
                if (days != 90 && !isFullCalendarYear()) {
                    issues.add(new Issue(IssueKind.NINETY_DAYS_2015_2016, year, days, measure, 0));
                }
            }
            case 2017 -> {
                if (!isFullCalendarYear()) {
                    issues.add(
                            new Issue(
                                    days == 90
                                            ? IssueKind.NINETY_DAYS_ONLY_MEDICAID_2017
                                            : IssueKind.FULL_YEAR_2017,
                                    year,
                                    days,
                                    measure,
                                    0));
                }
            }
            default -> {
                if (days < 90) {
                    issues.add(new Issue(IssueKind.SHORTER_THAN_90_DAYS, year, days, measure, 0));
                }
            }
        }
        switch (measure) {
            case SM_S2, PEA_S2_M1, PEA_S2_M2 -> {
                if (year > 2014) {
                    issues.add(new Issue(IssueKind.STAGE_2_AFTER_2014, year, days, measure, 0));
                }
            }
            case SM_MS2_2015 -> yearOf(issues, measure, 2015);
            case SM_MS2_2016 -> yearOf(issues, measure, 2016);
            case SM_MS2_2017 -> {
                if (year != 2017 && year != 2018) {
                    issues.add(new Issue(IssueKind.MS2_2017_WRONG_YEAR, year, days, measure, 0));
                }
            }
            case SM_S3 -> {
                if (year < 2016) {
                    issues.add(new Issue(IssueKind.STAGE_3_BEFORE_2016, year, days, measure, 0));
                }
                if (year == 2018) {
                    issues.add(new Issue(IssueKind.STAGE_3_2018_THRESHOLD, year, days, measure, 0));
                }
            }
        }
        return issues;
    }

    private void yearOf(List<Issue> issues, MeasureId measure, int expected) {
        if (programYear() != expected) {
            issues.add(new Issue(IssueKind.WRONG_YEAR, programYear(), days(), measure, expected));
        }
    }
}
