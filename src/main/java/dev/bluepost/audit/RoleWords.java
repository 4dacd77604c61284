package dev.bluepost.audit;

import dev.bluepost.platform.security.Role;
import dev.bluepost.web.AppMessages;
import dev.bluepost.web.LanguageChoice;

/** A role in the words of the reader's language ("Front desk", not FRONT_DESK). */
final class RoleWords {

    private RoleWords() {
    }

    static String of(Role role, LanguageChoice language) {
        AppMessages words = language.messages(AppMessages.class);
        return switch (role) {
            case PATIENT -> words.role_patient();
            case PROXY -> words.role_proxy();
            case PROVIDER -> words.role_provider();
            case FRONT_DESK -> words.role_front_desk();
            case COMPLIANCE -> words.role_compliance();
            case ADMIN -> words.role_admin();
            case SYSTEM -> words.role_system();
        };
    }
}
