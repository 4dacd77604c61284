package dev.bluepost.messaging;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.attachments.AttachmentPolicy;
import dev.bluepost.messaging.attachments.FileType;
import dev.bluepost.messaging.emergency.EmergencyReason;
import dev.bluepost.platform.i18n.Language;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Formats threads for pages in the reader's language ({@link ThreadMessages}): who wrote each message,
 * when (in the practice's time zone, "Mon, Dec 7, 2026, 9:02 AM"), and labels. Used in a request, it
 * speaks the request's language; outside one (a job), English unless told otherwise.
 */
@ApplicationScoped
public class ThreadPresenter {

    private final DirectoryService directory;
    private final Instance<ReaderLanguage> languageChoice;

    public ThreadPresenter(DirectoryService directory, Instance<ReaderLanguage> languageChoice) {
        this.directory = directory;
        this.languageChoice = languageChoice;
    }

    /**
     * One message as a page shows it.
     *
     * @param receipt   for the viewer's side: "Opened by your care team …" on a patient's own messages,
     *                  "Read by the patient …" on the care team's; null otherwise
     * @param retracted "Retracted by the sender on …: reason", or null
     * @param canRetract the viewer sent it and has not retracted it
     * @param files      its attachments
     * @param emergency  written by a clinician under emergency ("break-glass") access
     */
    public record Line(
            UUID id,
            String sender,
            String when,
            String text,
            boolean mine,
            boolean careTeam,
            boolean automatic,
            String receipt,
            String retracted,
            boolean correction,
            boolean canRetract,
            List<FileLine> files,
            boolean emergency) {}

    /** An attachment as a page lists it: its id (for the download link), name, and "PDF document, 120 KB". */
    public record FileLine(UUID id, String name, String description) {}

    public List<Line> lines(ThreadView thread, Actor viewer) {
        ZoneId zone = directory.zoneOf(thread.practiceId());
        ThreadMessages words = words();
        DateTimeFormatter when = formatter(words.pattern_date_time());
        List<Line> lines = new ArrayList<>();
        for (MessageView m : thread.messages()) {
            boolean mine = isMine(m, viewer);
            String receipt = null;
            if (viewer.isPatientSide() && m.senderKind().isPatientSide()) {
                receipt =
                        m.openedByCareTeamAt() != null
                                ? words.opened_by_care_team(
                                        when.format(m.openedByCareTeamAt().atZone(zone)))
                                : words.not_opened_by_care_team();
            } else if (viewer.isStaff() && m.senderKind().isCareTeam() && !m.automatic()) {
                receipt =
                        m.readByPatientAt() != null
                                ? words.read_by_patient(
                                        when.format(m.readByPatientAt().atZone(zone)))
                                : words.not_read_by_patient();
            }
            String retracted = null;
            if (m.retracted()) {
                String at = when.format(m.retractedAt().atZone(zone));
                retracted =
                        m.retractionReason() == null
                                ? words.retracted(at)
                                : words.retracted_because(at, m.retractionReason());
            }
            lines.add(
                    new Line(
                            m.id(),
                            mine ? words.you() : senderName(m),
                            when.format(m.receivedAt().atZone(zone)),
                            m.text(),
                            mine,
                            m.senderKind().isCareTeam(),
                            m.automatic(),
                            receipt,
                            retracted,
                            m.correctsMessageId() != null,
                            mine && !m.retracted(),
                            m.attachments().stream()
                                    .map(
                                            a ->
                                                    new FileLine(
                                                            a.id(),
                                                            a.fileName(),
                                                            words.file_description(
                                                                    fileType(
                                                                            a.contentType(), words),
                                                                    AttachmentPolicy.formatSize(
                                                                            a.size()))))
                                    .toList(),
                            m.underEmergencyAccess()));
        }
        return lines;
    }

    /** "Mon, Dec 7, 2026, 9:02 AM" in the practice's zone (empty for none). */
    public String when(Instant instant, UUID practiceId) {
        return instant == null
                ? ""
                : formatter(words().pattern_date_time())
                        .format(instant.atZone(directory.zoneOf(practiceId)));
    }

    /** "Dec 7, 2026" in the practice's zone (empty for none). */
    public String date(Instant instant, UUID practiceId) {
        return instant == null
                ? ""
                : formatter(words().pattern_date())
                        .format(instant.atZone(directory.zoneOf(practiceId)));
    }

    /** "Wed, Nov 25, 2026, 9:02 AM to 9:14 AM" (the day once when it is the same); one time when both read alike. */
    public String between(Instant from, Instant to, UUID practiceId) {
        String first = when(from, practiceId);
        String last = when(to, practiceId);
        if (first.equals(last)) {
            return first;
        }
        ZoneId zone = directory.zoneOf(practiceId);
        ThreadMessages words = words();
        return from.atZone(zone).toLocalDate().equals(to.atZone(zone).toLocalDate())
                ? words.between(first, formatter(words.pattern_time()).format(to.atZone(zone)))
                : words.between(first, last);
    }

    /** "Wednesday, November 25" in the practice's zone: when to expect an answer. */
    public String day(Instant instant, UUID practiceId) {
        return instant == null
                ? ""
                : formatter(words().pattern_day())
                        .format(instant.atZone(directory.zoneOf(practiceId)));
    }

    /**
     * When the patient can expect an answer, in plain words: the office's day, or, for the on-call
     * team (a red flag, also when the office is closed), that it answers around the clock and by when.
     */
    public String expectAnswer(Instant by, boolean onCall, UUID practiceId) {
        if (by == null) {
            return "";
        }
        ThreadMessages words = words();
        if (!onCall) {
            return words.expect_answer(day(by, practiceId));
        }
        return words.expect_answer_on_call(
                formatter(words.pattern_on_call()).format(by.atZone(directory.zoneOf(practiceId))));
    }

    /** A message type's name in the reader's language ("Prescription refill"); an unknown code as it is. */
    public String category(String code) {
        return MessageCategory.fromCode(code).map(c -> c.inWords(language())).orElse(code);
    }

    /** Why the patient's side cannot reply, in the reader's language (null when it can). */
    public String replyReason(ReplyAvailability availability) {
        return replyReason(availability, words());
    }

    /** Why the patient's side may not reply, in a language's words (null when it may). */
    static String replyReason(ReplyAvailability availability, ThreadMessages words) {
        return switch (availability) {
            case OPEN -> null;
            case CLOSED -> words.reply_closed();
            case WINDOW_PASSED -> words.reply_window_passed();
            case NOT_IN_CARE_TEAM -> words.reply_not_in_care_team();
        };
    }

    /** Why a clinician opened emergency access, in the reader's language. */
    public String emergencyReason(EmergencyReason reason) {
        ThreadMessages words = words();
        return switch (reason) {
            case LIFE_THREATENING -> words.reason_life_threatening();
            case UNABLE_TO_CONSENT -> words.reason_unable_to_consent();
            case CARE_TEAM_UNAVAILABLE -> words.reason_care_team_unavailable();
        };
    }

    public String senderName(MessageView m) {
        ThreadMessages words = words();
        return switch (m.sender().type()) {
            case Party.PATIENT ->
                    directory
                            .patient(m.sender().id())
                            .map(p -> p.displayName())
                            .orElse(words.sender_patient());
            case Party.RELATED_PERSON ->
                    directory
                            .relatedPerson(m.sender().id())
                            .map(p -> words.on_behalf(p.displayName()))
                            .orElse(words.sender_representative());
            case Party.PRACTITIONER ->
                    directory
                            .practitioner(m.sender().id())
                            .map(PractitionerView::displayName)
                            .orElse(words.sender_care_team());
            default -> words.sender_automatic();
        };
    }

    /** The words in the current request's language (English outside a request). */
    public ThreadMessages words() {
        return language().messages(ThreadMessages.class);
    }

    /** The current request's language; English outside an HTTP request. */
    public Language language() {
        return ReaderLanguage.inHttpRequest() ? languageChoice.get().language() : Language.ENGLISH;
    }

    private DateTimeFormatter formatter(String pattern) {
        return DateTimeFormatter.ofPattern(pattern, language().locale());
    }

    private static String fileType(String contentType, ThreadMessages words) {
        return FileType.byMediaType(contentType)
                .map(
                        t ->
                                switch (t) {
                                    case JPEG -> words.file_jpeg();
                                    case PNG -> words.file_png();
                                    case PDF -> words.file_pdf();
                                })
                .orElse(words.file_other());
    }

    private static boolean isMine(MessageView m, Actor viewer) {
        if (viewer.relatedPersonId() != null) {
            return m.sender().is(Party.RELATED_PERSON)
                    && m.sender().id().equals(viewer.relatedPersonId());
        }
        if (viewer.patientId() != null && viewer.isPatientSide()) {
            return m.sender().is(Party.PATIENT) && m.sender().id().equals(viewer.patientId());
        }
        return viewer.practitionerId() != null
                && m.sender().is(Party.PRACTITIONER)
                && m.sender().id().equals(viewer.practitionerId());
    }
}
