package dev.bluepost.triage;

import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The confirmation a staff page shows once after an action ("Reply sent", "Conversation closed"):
 * the staff pages' use of {@link dev.bluepost.platform.web.Flash} (a one-word cookie for the next
 * page), and the staff words for each word.
 */
public final class Flash {

    public static final String COOKIE = dev.bluepost.platform.web.Flash.COOKIE;

    private Flash() {}

    /** 303 to {@code path}, with the confirmation {@code code} for the next page (platform.web.Flash's cookie). */
    public static Response seeOther(String path, String code) {
        boolean secure =
                ConfigProvider.getConfig()
                        .getOptionalValue("bluepost.security.secure-cookies", Boolean.class)
                        .orElse(true);
        return Response.seeOther(URI.create(path))
                .cookie(dev.bluepost.platform.web.Flash.next("/", code, secure))
                .build();
    }

    /** The cookie that clears a shown confirmation. */
    public static NewCookie cleared() {
        return dev.bluepost.platform.web.Flash.shown("/");
    }

    /** The words for a confirmation code, or null for none (or an unknown one). */
    public static String words(String code, StaffMessages w) {
        if (code == null) {
            return null;
        }
        return switch (code) {
            case "sent" -> w.done_sent();
            case "corrected" -> w.done_corrected();
            case "closed" -> w.done_closed();
            case "claimed" -> w.done_claimed();
            case "released" -> w.done_released();
            case "assigned" -> w.done_assigned();
            case "routed" -> w.done_routed();
            case "note" -> w.done_note();
            case "macro" -> w.done_macro();
            case "retracted" -> w.done_retracted();
            case "draft-discarded" -> w.done_draft_discarded();
            case "started" -> w.done_started();
            case "rule-saved" -> w.done_rule_saved();
            case "rule-moved" -> w.done_rule_moved();
            case "rule-enabled" -> w.done_rule_enabled();
            case "rule-disabled" -> w.done_rule_disabled();
            case "template-saved" -> w.done_template_saved();
            case "hours-saved" -> w.done_hours_saved();
            case "holiday-added" -> w.done_holiday_added();
            case "holiday-removed" -> w.done_holiday_removed();
            case "sla-saved" -> w.done_sla_saved();
            case "sla-removed" -> w.done_sla_removed();
            default -> null;
        };
    }
}
