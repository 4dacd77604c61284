package dev.bluepost.bluebutton;

import ca.uhn.fhir.context.FhirContext;
import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.EnvelopeCipher;
import dev.bluepost.crypto.SealedText;
import dev.bluepost.crypto.WrappedKey;
import dev.bluepost.encounters.VisitDocumentService;
import dev.bluepost.notification.NotificationMails;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.facts.PatientInformationShown;
import dev.bluepost.platform.i18n.Language;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A patient (or a proxy, for the patient they act for) sends their whole record or one visit
 * document to a third party they name (docs/adr/0046): to a Direct address as S/MIME through the
 * practice's HISP relay, or to an ordinary e-mail address once they confirmed that it leaves the
 * secure system. Bad input is refused before anything is written. Each send attempt is kept (the
 * address sealed, shown only to its sender), audited once (TRANSMIT), and a successful one is
 * recorded once as the patient's transmit (docs/measures.md §5.2). Logs carry ids only.
 */
@ApplicationScoped
public class TransmitService {

    /** An address: something@domain.tld, no spaces or angle brackets (it goes into an SMTP command). */
    private static final Pattern ADDRESS =
            Pattern.compile(
                    "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    /** One row of the sender's list: the address as they typed it. */
    public record Sent(
            UUID id,
            Transmission.What what,
            UUID documentId,
            Transmission.Method method,
            String recipient,
            Instant at,
            Transmission.Status status,
            String failure) {}

    private final EntityManager em;
    private final HealthRecord record;
    private final VisitDocumentService documents;
    private final DirectTransport direct;
    private final NotificationMails mails;
    private final EnvelopeCipher cipher;
    private final AuditRecorder audit;
    private final Event<PatientInformationShown> informationShown;
    private final FhirContext fhir;
    private final Clock clock;

    public TransmitService(
            EntityManager em,
            HealthRecord record,
            VisitDocumentService documents,
            DirectTransport direct,
            NotificationMails mails,
            EnvelopeCipher cipher,
            AuditRecorder audit,
            Event<PatientInformationShown> informationShown,
            FhirContext fhir,
            Clock clock) {
        this.em = em;
        this.record = record;
        this.documents = documents;
        this.direct = direct;
        this.mails = mails;
        this.cipher = cipher;
        this.audit = audit;
        this.informationShown = informationShown;
        this.fhir = fhir;
        this.clock = clock;
    }

    /** Whether Direct sending is set up at this practice. */
    public boolean directAvailable() {
        return direct.available();
    }

    /**
     * Sends and records one transmit. {@code documentId} null sends the whole record. Refusals
     * (422, about a form field) write nothing; a relay or mail server that does not accept the
     * message is recorded as FAILED (audited, not counted).
     * <p>
     * Three steps, so that no database transaction (and connection) is held while a relay is
     * talked to: the attempt is written as SENDING and committed; the message is handed over with
     * no transaction open; the relay's answer is recorded (SENT or FAILED), audited and, when sent,
     * counted. An attempt whose instance died during the hand-over stays SENDING, shown to its
     * sender as not confirmed (docs/adr/0046).
     */
    public Transmission transmit(
            Actor actor,
            UUID documentId,
            Transmission.Method method,
            String typedAddress,
            boolean confirmed) {
        Attempt attempt =
                QuarkusTransaction.requiringNew()
                        .call(() -> begin(actor, documentId, method, typedAddress, confirmed));
        String failure = handOver(attempt, method);
        return QuarkusTransaction.requiringNew()
                .call(() -> finish(actor, attempt.rowId(), failure));
    }

    /** What the hand-over needs: the committed SENDING row, the checked address, its certificate, the file. */
    private record Attempt(
            UUID rowId, String address, X509Certificate certificate, DirectMessage.File file) {}

    private Attempt begin(
            Actor actor,
            UUID documentId,
            Transmission.Method method,
            String typedAddress,
            boolean confirmed) {
        if (!actor.isPatientSide() || actor.patientId() == null || actor.userId() == null) {
            throw dev.bluepost.messaging.MessageSending.choosePatientFirst();
        }
        String address = typedAddress == null ? "" : typedAddress.strip();
        if (address.isEmpty()) {
            throw refused(BlueButtonMessages::error_address_missing, "address");
        }
        if (address.length() > 254 || !ADDRESS.matcher(address).matches()) {
            throw refused(BlueButtonMessages::error_address_format, "address");
        }
        X509Certificate certificate = null;
        if (method == Transmission.Method.DIRECT) {
            if (!direct.available()) {
                throw refused(BlueButtonMessages::error_direct_unavailable, "address");
            }
            certificate = direct.certificateFor(address).orElse(null);
            if (certificate == null) {
                throw refused(BlueButtonMessages::error_no_certificate, "address");
            }
        } else if (!confirmed) {
            throw refused(BlueButtonMessages::error_confirm, "confirm");
        }
        DirectMessage.File file;
        int items;
        String today = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString();
        if (documentId == null) {
            HealthRecord.Content content = record.bundle(actor);
            items = content.items();
            if (items == 0) {
                throw refused(BlueButtonMessages::error_nothing, "what");
            }
            file =
                    new DirectMessage.File(
                            "health-record-" + today + ".json",
                            "application/fhir+json",
                            fhir.newJsonParser()
                                    .setPrettyPrint(true)
                                    .encodeResourceToString(content.bundle())
                                    .getBytes(StandardCharsets.UTF_8));
        } else {
            if (documents.currentOf(actor).stream().noneMatch(d -> d.id().equals(documentId))) {
                throw refused(BlueButtonMessages::error_what, "what");
            }
            VisitDocumentService.OpenedDocument opened =
                    documents.openForTransmit(actor, documentId);
            items = opened.content().length > 0 ? 1 : 0;
            file =
                    new DirectMessage.File(
                            "visit-document-"
                                    + today
                                    + "."
                                    + extension(opened.summary().contentType()),
                            opened.summary().contentType(),
                            opened.content());
        }

        Transmission row = new Transmission();
        row.id = Ids.newId();
        row.patientId = actor.patientId();
        row.practiceId = actor.practiceId();
        row.senderLoginId = actor.userId();
        row.senderKind = actor.relatedPersonId() != null ? "PROXY" : "PATIENT";
        row.what = documentId == null ? Transmission.What.RECORD : Transmission.What.DOCUMENT;
        row.documentId = documentId;
        row.method = method;
        row.items = items;
        row.createdAt = clock.instant();
        row.status = Transmission.Status.SENDING;
        seal(row, address);
        em.persist(row);
        return new Attempt(row.id, address, certificate, file);
    }

    /** Hands the message to the relay or mail server, outside any transaction; the failure code, or null when accepted. */
    private String handOver(Attempt attempt, Transmission.Method method) {
        BlueButtonMessages english = Language.ENGLISH.messages(BlueButtonMessages.class);
        DirectMessage.File file = attempt.file();
        try {
            if (method == Transmission.Method.DIRECT) {
                direct.send(
                        attempt.address(),
                        attempt.certificate(),
                        english.mail_subject(),
                        english.mail_note(),
                        file);
            } else {
                mails.sendPatientCopy(
                        attempt.address(),
                        english.mail_subject(),
                        english.mail_note(),
                        file.name(),
                        file.contentType(),
                        file.content());
            }
            return null;
        } catch (SmtpRelay.RelayException e) {
            return e.code > 0 ? "relay-refused" : "relay-unreachable";
        } catch (RuntimeException e) {
            Log.warnf(
                    "transmit hand-over failed transmissionId=%s method=%s: %s",
                    attempt.rowId(), method, e.getClass().getName());
            return method == Transmission.Method.DIRECT ? "relay-unreachable" : "mail-refused";
        }
    }

    /** Records the relay's answer: one audit entry, and, when sent, the patient's transmit (counted once). */
    private Transmission finish(Actor actor, UUID rowId, String failure) {
        Transmission row = em.find(Transmission.class, rowId);
        row.status = failure == null ? Transmission.Status.SENT : Transmission.Status.FAILED;
        row.failure = failure;
        audit.record(
                actor,
                AuditEntry.of(AuditAction.TRANSMIT)
                        .on(row.documentId == null ? "Bundle" : "DocumentReference", row.documentId)
                        .patient(actor.patientId())
                        .practice(actor.practiceId())
                        .reason(
                                row.method.name().toLowerCase(Locale.ROOT)
                                        + (failure == null ? ".sent" : "." + failure)));
        if (failure == null) {
            // Blue Button: transmitted to a third party (docs/measures.md §5.2, PEA-S2-M2), once
            // per successful transmit
            informationShown.fire(
                    new PatientInformationShown(
                            actor, PatientInformationShown.Action.TRANSMIT, row.items));
        }
        Log.infof(
                "health information transmit transmissionId=%s patientId=%s method=%s what=%s status=%s%s by=%s",
                row.id,
                row.patientId,
                row.method,
                row.what,
                row.status,
                failure == null ? "" : " failure=" + failure,
                actor.logId());
        return row;
    }

    /** What this login sent for the acting patient, newest first, with the addresses opened. */
    @Transactional
    public List<Sent> sentBy(Actor actor) {
        if (actor.patientId() == null || actor.userId() == null) {
            return List.of();
        }
        return em
                .createQuery(
                        "from Transmission where patientId = :p and senderLoginId = :l order by createdAt desc, id",
                        Transmission.class)
                .setParameter("p", actor.patientId())
                .setParameter("l", actor.userId())
                .setMaxResults(200)
                .getResultList()
                .stream()
                .map(
                        t ->
                                new Sent(
                                        t.id,
                                        t.what,
                                        t.documentId,
                                        t.method,
                                        open(t),
                                        t.createdAt,
                                        t.status,
                                        t.failure))
                .toList();
    }

    private void seal(Transmission row, String address) {
        WrappedKey key = cipher.newDataKey();
        SealedText sealed = cipher.seal(key, address.getBytes(StandardCharsets.UTF_8), aad(row.id));
        row.dekKekId = key.kekId();
        row.dekWrapped = key.wrapped();
        row.recipientIv = sealed.iv();
        row.recipientCiphertext = sealed.ciphertext();
        row.recipientSha256 = sealed.sha256();
    }

    private String open(Transmission row) {
        return new String(
                cipher.open(
                        new WrappedKey(row.dekKekId, row.dekWrapped),
                        new SealedText(
                                row.recipientIv, row.recipientCiphertext, row.recipientSha256),
                        aad(row.id),
                        "recipient of transmission " + row.id),
                StandardCharsets.UTF_8);
    }

    private static byte[] aad(UUID id) {
        return ("transmission-recipient:" + id).getBytes(StandardCharsets.US_ASCII);
    }

    private static String extension(String contentType) {
        return switch (contentType) {
            case "application/pdf" -> "pdf";
            case "application/xml", "text/xml" -> "xml";
            case "application/fhir+json", "application/json" -> "json";
            default -> "txt";
        };
    }

    private static BluepostException refused(
            java.util.function.Function<BlueButtonMessages, String> words, String field) {
        return BluepostException.said(ErrorKind.BUSINESS_RULE, BlueButtonMessages.class, words)
                .about(field);
    }
}
