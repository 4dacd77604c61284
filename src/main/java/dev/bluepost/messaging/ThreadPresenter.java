package dev.bluepost.messaging;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Formats threads for pages: who wrote each message, when (in the practice's time zone), and labels. */
@ApplicationScoped
public class ThreadPresenter {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE, MMM d, yyyy h:mm a z", Locale.US);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("h:mm a z", Locale.US);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE, MMMM d", Locale.US);
    private static final DateTimeFormatter ON_CALL = DateTimeFormatter.ofPattern("h:mm a 'on' EEEE, MMMM d", Locale.US);

    private final DirectoryService directory;

    public ThreadPresenter(DirectoryService directory) {
        this.directory = directory;
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
    public record Line(UUID id, String sender, String when, String text, boolean mine, boolean careTeam, boolean automatic,
                       String receipt, String retracted, boolean correction, boolean canRetract, List<FileLine> files,
                       boolean emergency) {
    }

    /** An attachment as a page lists it: its id (for the download link), name, and "PDF document, 120 KB". */
    public record FileLine(UUID id, String name, String description) {
    }

    public List<Line> lines(ThreadView thread, Actor viewer) {
        ZoneId zone = directory.zoneOf(thread.practiceId());
        List<Line> lines = new ArrayList<>();
        for (MessageView m : thread.messages()) {
            boolean mine = isMine(m, viewer);
            String receipt = null;
            if (viewer.isPatientSide() && m.senderKind().isPatientSide()) {
                receipt = m.openedByCareTeamAt() != null ? "Opened by your care team " + WHEN.format(m.openedByCareTeamAt().atZone(zone))
                        : "Not yet opened by your care team";
            } else if (viewer.isStaff() && m.senderKind().isCareTeam() && !m.automatic()) {
                receipt = m.readByPatientAt() != null ? "Read by the patient " + WHEN.format(m.readByPatientAt().atZone(zone))
                        : "Not yet read by the patient";
            }
            String retracted = m.retracted() ? "Retracted by the sender " + WHEN.format(m.retractedAt().atZone(zone))
                    + (m.retractionReason() == null ? "" : ": " + m.retractionReason()) : null;
            lines.add(new Line(m.id(), mine ? "You" : senderName(m), WHEN.format(m.receivedAt().atZone(zone)), m.text(), mine,
                    m.senderKind().isCareTeam(), m.automatic(), receipt, retracted, m.correctsMessageId() != null,
                    mine && !m.retracted(), m.attachments().stream().map(a -> new FileLine(a.id(), a.fileName(),
                    FileType.byMediaType(a.contentType()).map(FileType::label).orElse(a.contentType()) + ", "
                            + AttachmentPolicy.formatSize(a.size()))).toList(), m.underEmergencyAccess()));
        }
        return lines;
    }

    public String when(Instant instant, UUID practiceId) {
        return instant == null ? "" : WHEN.format(instant.atZone(directory.zoneOf(practiceId)));
    }

    /** "Wed, Nov 25, 2026 9:02 AM EST to 9:14 AM EST" (the day once when it is the same); one time when both read alike. */
    public String between(Instant from, Instant to, UUID practiceId) {
        String first = when(from, practiceId);
        String last = when(to, practiceId);
        if (first.equals(last)) {
            return first;
        }
        ZoneId zone = directory.zoneOf(practiceId);
        return from.atZone(zone).toLocalDate().equals(to.atZone(zone).toLocalDate())
                ? first + " to " + TIME.format(to.atZone(zone)) : first + " to " + last;
    }

    /** "Wednesday, November 25" in the practice's zone: when to expect an answer. */
    public String day(Instant instant, UUID practiceId) {
        return instant == null ? "" : DAY.format(instant.atZone(directory.zoneOf(practiceId)));
    }

    /**
     * When the patient can expect an answer, in plain words: the office's day, or, for the on-call
     * team (a red flag, also when the office is closed), that it answers around the clock and by when.
     */
    public String expectAnswer(Instant by, boolean onCall, UUID practiceId) {
        if (by == null) {
            return "";
        }
        if (!onCall) {
            return "Expect an answer by " + day(by, practiceId);
        }
        return "Our on-call team answers urgent messages around the clock, also when the office is closed: expect an answer by "
                + ON_CALL.format(by.atZone(directory.zoneOf(practiceId)));
    }

    public String category(String code) {
        return MessageCategory.displayOf(code);
    }

    public String senderName(MessageView m) {
        return switch (m.sender().type()) {
            case Party.PATIENT -> directory.patient(m.sender().id()).map(p -> p.displayName()).orElse("Patient");
            case Party.RELATED_PERSON -> directory.relatedPerson(m.sender().id())
                    .map(p -> p.displayName() + " (on behalf of the patient)").orElse("Authorized representative");
            case Party.PRACTITIONER -> directory.practitioner(m.sender().id()).map(PractitionerView::displayName).orElse("Care team");
            default -> "Automatic reply";
        };
    }

    private static boolean isMine(MessageView m, Actor viewer) {
        if (viewer.relatedPersonId() != null) {
            return m.sender().is(Party.RELATED_PERSON) && m.sender().id().equals(viewer.relatedPersonId());
        }
        if (viewer.patientId() != null && viewer.isPatientSide()) {
            return m.sender().is(Party.PATIENT) && m.sender().id().equals(viewer.patientId());
        }
        return viewer.practitionerId() != null && m.sender().is(Party.PRACTITIONER) && m.sender().id().equals(viewer.practitionerId());
    }
}
