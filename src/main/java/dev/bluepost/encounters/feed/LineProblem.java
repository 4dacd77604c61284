package dev.bluepost.encounters.feed;

import dev.bluepost.platform.i18n.Language;
import java.util.List;
import java.util.Optional;

/**
 * Why a line of an encounter feed was not stored, as a code with its values (field names, sizes, ids; never
 * what the line says): an import job stores the code and the values with the line's English reason, and its
 * page words them in the reader's language. A reason without a code (the FHIR parser's and the FHIR mapping's
 * refusals) is shown as stored, in English.
 */
public enum LineProblem {
    /** Values: the longest line in kilobytes. */
    LINE_TOO_LONG,
    NOT_JSON,
    NOT_OBJECT,
    NO_RESOURCE_TYPE,
    /** Values: the resource type the line names. */
    NOT_ENCOUNTER,
    /** A resource type that is not a plain name. */
    NOT_ENCOUNTER_UNNAMED,
    NO_IDENTIFIER,
    /** Values: the id of the practice the encounter belongs to. */
    OTHER_PRACTICE,
    DATABASE_REFUSED;

    /** The problem in a bundle's language, with its values. */
    public String words(EncounterImportMessages m, List<String> values) {
        return switch (this) {
            case LINE_TOO_LONG -> m.import_line_too_long(value(values, 0));
            case NOT_JSON -> m.import_line_not_json();
            case NOT_OBJECT -> m.import_line_not_object();
            case NO_RESOURCE_TYPE -> m.import_line_no_resource_type();
            case NOT_ENCOUNTER -> m.import_line_not_encounter(value(values, 0));
            case NOT_ENCOUNTER_UNNAMED -> m.import_line_not_encounter_unnamed();
            case NO_IDENTIFIER -> m.import_line_no_identifier();
            case OTHER_PRACTICE -> m.import_line_other_practice(value(values, 0));
            case DATABASE_REFUSED -> m.import_line_database_refused();
        };
    }

    /** The English: what the JSON status and the Kafka dead-letter reason say. */
    public String english(List<String> values) {
        return words(Language.ENGLISH.messages(EncounterImportMessages.class), values);
    }

    /** The problem of a stored code, if it is one of these. */
    public static Optional<LineProblem> of(String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (LineProblem p : values()) {
            if (p.name().equals(code)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String value(List<String> values, int i) {
        return values != null && values.size() > i && values.get(i) != null ? values.get(i) : "";
    }
}
