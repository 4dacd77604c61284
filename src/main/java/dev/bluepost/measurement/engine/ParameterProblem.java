package dev.bluepost.measurement.engine;

import dev.bluepost.measurement.ComplianceMessages;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.Language;
import java.util.List;

/**
 * A refusal of a measure report's parameters (the reporting period, a policy flag): a 400. The message is the
 * English that the FHIR operation answers and the log records, composed here so that the engine's plain unit
 * tests read it; the compliance pages show the {@link Reason} in the reader's language ({@link ComplianceMessages}).
 */
public final class ParameterProblem extends BluepostException {

    /** Why; {@code values} are the parameter's name, the dates or the values allowed. */
    public enum Reason {
        PERIOD_MISSING,
        PERIOD_REVERSED,
        REQUIRED,
        NOT_A_DATE,
        INVALID_DATE,
        NOT_BOOLEAN,
        NOT_ONE_OF
    }

    private final Reason reason;
    private final List<String> values;

    private ParameterProblem(Reason reason, String english, String... values) {
        super(ErrorKind.MALFORMED, english);
        this.reason = reason;
        this.values = List.of(values);
    }

    static ParameterProblem periodMissing() {
        return new ParameterProblem(
                Reason.PERIOD_MISSING,
                "A reporting period needs periodStart and periodEnd (YYYY-MM-DD).");
    }

    static ParameterProblem periodReversed(Object start, Object end) {
        return new ParameterProblem(
                Reason.PERIOD_REVERSED,
                "The reporting period is reversed: periodEnd "
                        + end
                        + " is before periodStart "
                        + start
                        + ".",
                String.valueOf(start),
                String.valueOf(end));
    }

    static ParameterProblem required(String name) {
        return new ParameterProblem(
                Reason.REQUIRED, "The parameter " + name + " (YYYY-MM-DD) is required.", name);
    }

    static ParameterProblem notADate(String name) {
        return new ParameterProblem(
                Reason.NOT_A_DATE, "The parameter " + name + " must be a date YYYY-MM-DD.", name);
    }

    static ParameterProblem invalidDate(String name) {
        return new ParameterProblem(
                Reason.INVALID_DATE, "The parameter " + name + " is not a valid date.", name);
    }

    static ParameterProblem notBoolean(String name) {
        return new ParameterProblem(
                Reason.NOT_BOOLEAN, "The parameter " + name + " must be true or false.", name);
    }

    static ParameterProblem notOneOf(String name, String allowed) {
        return new ParameterProblem(
                Reason.NOT_ONE_OF,
                "The parameter " + name + " must be one of " + allowed + ".",
                name,
                allowed);
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public boolean translated() {
        return true;
    }

    @Override
    public String in(Language language) {
        ComplianceMessages m = language.messages(ComplianceMessages.class);
        return switch (reason) {
            case PERIOD_MISSING -> m.error_period_missing();
            case PERIOD_REVERSED -> m.error_period_reversed(values.get(0), values.get(1));
            case REQUIRED -> m.error_parameter_required(values.get(0));
            case NOT_A_DATE -> m.error_parameter_not_date(values.get(0));
            case INVALID_DATE -> m.error_parameter_invalid_date(values.get(0));
            case NOT_BOOLEAN -> m.error_parameter_boolean(values.get(0));
            case NOT_ONE_OF -> m.error_parameter_one_of(values.get(0), values.get(1));
        };
    }
}
