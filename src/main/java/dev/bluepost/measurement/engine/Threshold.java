package dev.bluepost.measurement.engine;

/**
 * A measure's pass mark, decided by exact integer comparison, never a rounded percentage
 * (docs/measures.md §2 "Threshold comparison"): "more than 5 %" is met iff {@code numerator × 100 > 5 × denominator}.
 *
 * @param kind    how the threshold is decided
 * @param percent the percentage of {@link Kind#MORE_THAN_PERCENT}
 */
public record Threshold(Kind kind, int percent) {

    public enum Kind {
        /** numerator ÷ denominator strictly more than {@code percent} %. */
        MORE_THAN_PERCENT,
        /** at least one patient in the numerator. */
        AT_LEAST_ONE_PATIENT,
        /** yes/no: secure messaging fully enabled during the period (Modified Stage 2, 2015). */
        FULLY_ENABLED
    }

    public static Threshold moreThanPercent(int percent) {
        return new Threshold(Kind.MORE_THAN_PERCENT, percent);
    }

    public static Threshold atLeastOnePatient() {
        return new Threshold(Kind.AT_LEAST_ONE_PATIENT, 0);
    }

    public static Threshold fullyEnabled() {
        return new Threshold(Kind.FULLY_ENABLED, 0);
    }

    /** Whether numerator of denominator meets the threshold (a zero denominator never meets a percentage). */
    public boolean isMet(long numerator, long denominator, boolean fullyEnabled) {
        return switch (kind) {
            case MORE_THAN_PERCENT ->
                    denominator > 0 && numerator * 100 > (long) percent * denominator;
            case AT_LEAST_ONE_PATIENT -> numerator >= 1;
            case FULLY_ENABLED -> fullyEnabled;
        };
    }

    /** Patients more who must join the numerator (from the denominator) to meet the threshold; 0 when met. */
    public long shortfall(long numerator, long denominator) {
        return switch (kind) {
            case MORE_THAN_PERCENT -> {
                if (denominator == 0) {
                    yield 0;
                }
                // smallest n with n*100 > percent*denominator
                long needed = (long) percent * denominator / 100 + 1;
                yield Math.max(0, needed - numerator);
            }
            case AT_LEAST_ONE_PATIENT -> numerator >= 1 ? 0 : 1;
            case FULLY_ENABLED -> 0;
        };
    }

    public String label() {
        return switch (kind) {
            case MORE_THAN_PERCENT -> "more than " + percent + " %";
            case AT_LEAST_ONE_PATIENT -> "at least 1 patient";
            case FULLY_ENABLED -> "fully enabled (yes/no)";
        };
    }
}
