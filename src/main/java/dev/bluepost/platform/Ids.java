package dev.bluepost.platform;

import java.util.Optional;
import java.util.UUID;

/** Parsing of the UUIDs that every Bluepost resource uses as its id. */
public final class Ids {

    private Ids() {}

    public static UUID newId() {
        return UUID.randomUUID();
    }

    /** The id as a UUID, or empty when the text is not one (an unknown id is then simply not found). */
    public static Optional<UUID> parse(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(text);
            return id.toString().equals(text.toLowerCase()) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
