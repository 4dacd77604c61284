package dev.bluepost.identity;

import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Role;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Reads the role and the {@code Type/id} record links of a new login, as the page and the API send them. */
final class LoginLinks {

    private LoginLinks() {}

    static Role role(String text) {
        try {
            Role role = Role.valueOf(text == null ? "" : text.trim().toUpperCase(Locale.ROOT));
            if (role == Role.SYSTEM || role == Role.PRACTICE_CLIENT) {
                throw new IllegalArgumentException();
            }
            return role;
        } catch (IllegalArgumentException e) {
            throw BluepostException.businessRule(
                    "The role must be PATIENT, PROXY, PROVIDER, FRONT_DESK, COMPLIANCE or ADMIN.");
        }
    }

    /** The id of a {@code Type/id} reference of the expected type; null when absent. */
    static UUID id(String reference, String type) {
        if (reference == null || reference.isBlank()) {
            return null;
        }
        String prefix = type + "/";
        if (!reference.startsWith(prefix)) {
            throw BluepostException.businessRule(
                    "'" + reference + "' is not a reference to a " + type + ".");
        }
        return Ids.parse(reference.substring(prefix.length()))
                .orElseThrow(
                        () ->
                                BluepostException.businessRule(
                                        "'" + reference + "' is not a known " + type + "."));
    }

    static Set<UUID> ids(List<String> references, String type) {
        Set<UUID> ids = new HashSet<>();
        if (references != null) {
            references.forEach(r -> ids.add(id(r, type)));
        }
        return ids;
    }
}
