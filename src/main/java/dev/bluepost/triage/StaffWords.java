package dev.bluepost.triage;

import dev.bluepost.messaging.MessageCategory;
import dev.bluepost.platform.i18n.Language;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The staff pages' words for codes (task statuses, priorities, message types, tags, rule outcomes),
 * waiting times and moments, in the reader's language: never a FHIR code, an enum name or an ISO
 * timestamp on a page.
 */
public final class StaffWords {

    private static final Pattern ISO_INSTANT =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?Z");

    private final StaffMessages words;
    private final Language language;

    public StaffWords(StaffMessages words, Language language) {
        this.words = words;
        this.language = language;
    }

    public StaffMessages messages() {
        return words;
    }

    /** "Mon, Dec 7, 2026, 9:02 AM" / "lun, 7 dic 2026, 9:02" in the practice's zone. */
    public String when(Instant instant, ZoneId zone) {
        if (instant == null) {
            return "";
        }
        return moment(language).format(instant.atZone(zone));
    }

    /** How a moment reads in a language: "Mon, Dec 7, 2026, 9:02 AM"; "lun., 7 de dic. de 2026, 9:02". */
    public static DateTimeFormatter moment(Language language) {
        return language == Language.SPANISH
                ? DateTimeFormatter.ofPattern("EEE, d 'de' MMM 'de' yyyy, H:mm", language.locale())
                : DateTimeFormatter.ofPattern("EEE, MMM d, yyyy, h:mm a", Locale.US);
    }

    /**
     * A recent moment as short as it can be read: "2:54 AM" today, "Dec 6, 2:54 AM" this year, else in
     * full ({@link #when}); in the practice's zone.
     */
    public String recent(Instant instant, ZoneId zone, Instant now) {
        if (instant == null) {
            return "";
        }
        var at = instant.atZone(zone);
        var today = now.atZone(zone);
        boolean spanish = language == Language.SPANISH;
        if (at.toLocalDate().equals(today.toLocalDate())) {
            return (spanish
                            ? DateTimeFormatter.ofPattern("H:mm", language.locale())
                            : DateTimeFormatter.ofPattern("h:mm a", Locale.US))
                    .format(at);
        }
        if (at.getYear() == today.getYear()) {
            return (spanish
                            ? DateTimeFormatter.ofPattern("d 'de' MMM, H:mm", language.locale())
                            : DateTimeFormatter.ofPattern("MMM d, h:mm a", Locale.US))
                    .format(at);
        }
        return when(instant, zone);
    }

    /** "Dec 7, 2026" / "7 dic 2026": a birth date. */
    public String date(java.time.LocalDate date) {
        if (date == null) {
            return "";
        }
        return (language == Language.SPANISH
                        ? DateTimeFormatter.ofPattern("d MMM yyyy", language.locale())
                        : DateTimeFormatter.ofPattern("MMM d, yyyy", Locale.US))
                .format(date);
    }

    /** "25 min", "3 h 5 min", "2 days". */
    public String waited(Duration waited) {
        long minutes = Math.max(0, waited.toMinutes());
        if (minutes < 60) {
            return words.wait_minutes(minutes);
        }
        if (minutes < 48 * 60) {
            return words.wait_hours(minutes / 60, minutes % 60);
        }
        return words.wait_days(minutes / (24 * 60));
    }

    public String status(TaskStatus status) {
        return switch (status) {
            case REQUESTED -> words.status_requested();
            case ACCEPTED -> words.status_accepted();
            case IN_PROGRESS -> words.status_in_progress();
            case COMPLETED -> words.status_completed();
            case CANCELLED -> words.status_cancelled();
        };
    }

    public String priority(String code) {
        return switch (code == null ? "routine" : code) {
            case "urgent" -> words.priority_urgent();
            case "asap" -> words.priority_asap();
            case "stat" -> words.priority_stat();
            default -> words.priority_routine();
        };
    }

    /** A message type in words; an unknown code reads as "Other". */
    public String category(String code) {
        return MessageCategory.fromCode(code).orElse(MessageCategory.OTHER).inWords(language);
    }

    /** A tag the default rules and SLA clocks set, in words; a practice's own tags as they were written. */
    public String tag(String tag) {
        return switch (tag) {
            case "red-flag" -> words.tag_red_flag();
            case "refill" -> words.tag_refill();
            case "sla-warning" -> words.tag_sla_warning();
            case "sla-breached" -> words.tag_sla_breached();
            default -> tag;
        };
    }

    public String outcome(String outcome) {
        return switch (outcome == null ? "" : outcome) {
            case "fired" -> words.outcome_fired();
            case "not-matched" -> words.outcome_not_matched();
            case "skipped" -> words.outcome_skipped();
            case "sla-warning" -> words.outcome_sla_warning();
            case "sla-breached" -> words.outcome_sla_breached();
            default -> outcome;
        };
    }

    /** A rule log's detail with its recorded moments (ISO instants) in the practice's zone, in words. */
    public String detail(String detail, ZoneId zone) {
        if (detail == null) {
            return "";
        }
        Matcher m = ISO_INSTANT.matcher(detail);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            try {
                replacement = when(Instant.parse(m.group()), zone);
            } catch (DateTimeParseException e) {
                replacement = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
