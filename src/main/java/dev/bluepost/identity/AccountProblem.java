package dev.bluepost.identity;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.Language;
import java.util.Optional;

/**
 * A refusal of what someone typed into a sign-in or account form. The exception's message is the
 * English text that the JSON API answers and the log records; the pages show the {@link Reason} on the
 * form field it is about, in the reader's language ({@link AccountErrors}).
 */
public final class AccountProblem extends BluepostException {

    /** Why, and the form field it is about (null: the form as a whole). */
    public enum Reason {
        USERNAME_FORMAT("username"),
        USERNAME_TAKEN("username"),
        DISPLAY_NAME("displayName"),
        EMAIL("email"),
        PATIENT_RECORD("record"),
        PROXY_RECORD("record"),
        PRACTITIONER_RECORD("record"),
        PRACTITIONER_NPI("record"),
        PRACTITIONER_PRACTICE("record"),
        PASSWORD_LENGTH("password"),
        PASSWORD_COMMON("password"),
        PASSWORD_SEQUENCE("password"),
        PASSWORD_IS_USERNAME("password"),
        PASSWORD_SAME("password"),
        CURRENT_PASSWORD("current"),
        CODE_WRONG("code"),
        ENROLMENT_RESTART("code"),
        NO_SECOND_FACTOR(null),
        STAFF_KEEP_SECOND_FACTOR(null),
        RESET_OWN_SECOND_FACTOR(null),
        RESET_NOTHING(null),
        UNLOCK_NOTHING(null),
        UNKNOWN_LOGIN(null),
        ROLE_NONE("role"),
        ROLE_SEVERAL("role"),
        STAFF_PRACTICE(null),
        RESET_LINK_INVALID(null),
        ROLES_STAFF_ONLY(null),
        ROLES_NONE("roles"),
        ROLES_UNCHANGED("roles"),
        ALREADY_INACTIVE(null),
        ALREADY_ACTIVE(null),
        RESET_INACTIVE(null),
        RESET_NO_ADDRESS(null),
        END_OWN_SESSIONS(null),
        LAST_ADMIN(null);

        private final String field;

        Reason(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private final Reason reason;
    private final int min;
    private final int max;

    private AccountProblem(ErrorKind kind, Reason reason, String english, int min, int max) {
        super(kind, english);
        this.reason = reason;
        this.min = min;
        this.max = max;
    }

    public static AccountProblem rule(Reason reason, String english) {
        return new AccountProblem(ErrorKind.BUSINESS_RULE, reason, english, 0, 0);
    }

    public static AccountProblem of(ErrorKind kind, Reason reason, String english) {
        return new AccountProblem(kind, reason, english, 0, 0);
    }

    /** A password of the wrong length: the page says the lengths allowed. */
    static AccountProblem passwordLength(int min, int max, String english) {
        return new AccountProblem(
                ErrorKind.BUSINESS_RULE, Reason.PASSWORD_LENGTH, english, min, max);
    }

    @Override
    public boolean translated() {
        return true;
    }

    @Override
    public String in(Language language) {
        return AccountErrors.text(this, language.messages(AccountMessages.class));
    }

    @Override
    public Optional<String> field() {
        return Optional.ofNullable(reason.field());
    }

    public Reason reason() {
        return reason;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }
}
