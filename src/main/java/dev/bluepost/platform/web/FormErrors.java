package dev.bluepost.platform.web;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What is wrong with a submitted form, in the reader's language: a text per field (shown on the
 * field: {@code usa-form-group--error}, {@code usa-error-message}, {@code aria-describedby}) and one
 * for the form as a whole. Templates ask {@code errors.has('password')}, {@code errors.text('password')},
 * {@code errors.form}.
 */
public final class FormErrors {

    private static final FormErrors NONE = new FormErrors(Map.of(), null);

    private final Map<String, String> fields;
    private final String form;

    private FormErrors(Map<String, String> fields, String form) {
        this.fields = fields;
        this.form = form;
    }

    public static FormErrors none() {
        return NONE;
    }

    public static FormErrors form(String text) {
        return new FormErrors(Map.of(), text);
    }

    public static FormErrors field(String field, String text) {
        return field == null ? form(text) : new FormErrors(Map.of(field, text), null);
    }

    /** Builds errors field by field (several at once, e.g. two empty fields). */
    public static final class Builder {
        private final Map<String, String> fields = new LinkedHashMap<>();

        public Builder add(String field, String text) {
            fields.putIfAbsent(field, text);
            return this;
        }

        public boolean isEmpty() {
            return fields.isEmpty();
        }

        public FormErrors build() {
            return fields.isEmpty()
                    ? NONE
                    : new FormErrors(
                            Collections.unmodifiableMap(new LinkedHashMap<>(fields)), null);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    public String text(String field) {
        return fields.getOrDefault(field, "");
    }

    /** Whether anything is wrong. */
    public boolean isAny() {
        return form != null || !fields.isEmpty();
    }

    /** The error about the form as a whole (null when there is none). */
    public String getForm() {
        return form;
    }
}
