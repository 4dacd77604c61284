package dev.bluepost.identity;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.web.FormErrors;

/** A refusal of an account form, in the reader's words, on the field it is about ({@link AccountProblem}). */
public final class AccountErrors {

    private AccountErrors() {}

    /** The refusal in the reader's words (an {@link AccountProblem} or any refusal said from a bundle), on its field. */
    public static FormErrors of(BluepostException e, ReaderLanguage reader) {
        String text = e.in(reader.language());
        return e.field()
                .map(field -> FormErrors.field(field, text))
                .orElseGet(() -> FormErrors.form(text));
    }

    public static String text(AccountProblem problem, AccountMessages m) {
        return switch (problem.reason()) {
            case USERNAME_FORMAT -> m.error_username_format();
            case USERNAME_TAKEN -> m.error_username_taken();
            case DISPLAY_NAME -> m.error_display_name();
            case EMAIL -> m.error_email();
            case PATIENT_RECORD -> m.error_patient_record();
            case PROXY_RECORD -> m.error_proxy_record();
            case PRACTITIONER_RECORD -> m.error_practitioner_record();
            case PRACTITIONER_NPI -> m.error_practitioner_npi();
            case PRACTITIONER_PRACTICE -> m.error_practitioner_practice();
            case PASSWORD_LENGTH -> m.error_password_length(problem.min(), problem.max());
            case PASSWORD_COMMON -> m.error_password_common();
            case PASSWORD_SEQUENCE -> m.error_password_sequence();
            case PASSWORD_IS_USERNAME -> m.error_password_username();
            case PASSWORD_SAME -> m.error_password_same();
            case CURRENT_PASSWORD -> m.error_current_password();
            case CODE_WRONG -> m.error_code_wrong();
            case ENROLMENT_RESTART -> m.error_enrolment_restart();
            case NO_SECOND_FACTOR -> m.error_no_second_factor();
            case STAFF_KEEP_SECOND_FACTOR -> m.error_staff_keep();
            case RESET_OWN_SECOND_FACTOR -> m.error_reset_own();
            case RESET_NOTHING -> m.error_reset_nothing();
            case UNLOCK_NOTHING -> m.error_unlock_nothing();
            case UNKNOWN_LOGIN -> m.error_unknown_login();
            case ROLE_NONE -> m.error_role_none();
            case ROLE_SEVERAL -> m.error_role_several();
            case STAFF_PRACTICE -> m.error_staff_practice();
            case RESET_LINK_INVALID -> m.error_reset_link_invalid();
            case ROLES_STAFF_ONLY -> m.error_roles_staff_only();
            case ROLES_NONE -> m.error_roles_none();
            case ROLES_UNCHANGED -> m.error_roles_unchanged();
            case ALREADY_INACTIVE -> m.error_already_inactive();
            case ALREADY_ACTIVE -> m.error_already_active();
            case RESET_INACTIVE -> m.error_reset_inactive();
            case RESET_NO_ADDRESS -> m.error_reset_no_address();
            case END_OWN_SESSIONS -> m.error_end_own_sessions();
            case LAST_ADMIN -> m.error_last_admin();
        };
    }
}
