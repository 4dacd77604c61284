package dev.bluepost.notification;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a notification e-mail may say, and the only parameter of every notification template
 * ({@link NotificationMails.Templates}). It is PHI-free by construction: it has no field that could
 * hold a name, a subject, a text, a file name or a record id. There is the kind of notice (which
 * picks a fixed text), a count, and a link that can only point to one of the generic inbox pages (or the emergency-access review page).
 * {@code NotificationTemplatesIT} fails when a field is added.
 *
 * @param kind  which notice
 * @param count how many messages it is about (1, except for a digest)
 * @param link  the public URL of Bluepost (scheme, host, port) followed by {@code /patient}, {@code /staff/queue} or {@code /compliance/emergency-access}
 */
public record NotificationContent(NotificationKind kind, int count, String link) {

    /**
     * Scheme, host, optional port, then one of the inbox pages: nothing else (Bluepost is served at
     * the root of its host), so no path, query or fragment can carry anything.
     */
    static final Pattern INBOX_LINK =
            Pattern.compile(
                    "https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/patient|/staff/queue|/compliance/emergency-access)");

    public NotificationContent {
        Objects.requireNonNull(kind, "kind");
        if (count < 1 || count > 100_000) {
            throw new IllegalArgumentException("count out of range");
        }
        if (link == null || !INBOX_LINK.matcher(link).matches()) {
            throw new IllegalArgumentException("a notification links to an inbox page only");
        }
    }

    public String subject() {
        return kind.subject();
    }

    public boolean single() {
        return count == 1;
    }
}
