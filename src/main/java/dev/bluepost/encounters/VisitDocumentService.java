package dev.bluepost.encounters;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditEntry;
import dev.bluepost.audit.AuditRecorder;
import dev.bluepost.crypto.EnvelopeCipher;
import dev.bluepost.crypto.SealedText;
import dev.bluepost.crypto.TamperedDataException;
import dev.bluepost.crypto.WrappedKey;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.facts.PatientInformationShown;
import dev.bluepost.platform.security.Actor;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Visit documents: sealing and opening their content (AES-256-GCM under a per-document data key,
 * bound to the document's id), recording them as PEA facts, and what a patient (or a proxy, for the
 * patient they act for) sees of them on the portal — every view and download audited and recorded
 * as a view / download fact (docs/measures.md §5.2).
 */
@ApplicationScoped
public class VisitDocumentService {

    /** The content types a visit document may have: text, PDF, C-CDA (XML) and FHIR / JSON documents. */
    public static final Set<String> CONTENT_TYPES =
            Set.of(
                    "text/plain",
                    "application/pdf",
                    "application/xml",
                    "text/xml",
                    "application/fhir+json",
                    "application/json");

    public static final int MAX_BYTES = 10 * 1024 * 1024;

    /** A document as the patient's list shows it. */
    public record DocumentSummary(
            UUID id,
            String title,
            String contentType,
            int size,
            Instant availableAt,
            Instant postedAt,
            UUID encounterId) {

        public boolean text() {
            return contentType.startsWith("text/")
                    || contentType.endsWith("json")
                    || contentType.endsWith("xml");
        }
    }

    /** A document's content, opened. */
    public record OpenedDocument(DocumentSummary summary, byte[] content) {

        public String asText() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final EntityManager em;
    private final EnvelopeCipher cipher;
    private final AuditRecorder audit;
    private final Event<PatientInformationShown> informationShown;

    public VisitDocumentService(
            EntityManager em,
            EnvelopeCipher cipher,
            AuditRecorder audit,
            Event<PatientInformationShown> informationShown) {
        this.em = em;
        this.cipher = cipher;
        this.audit = audit;
        this.informationShown = informationShown;
    }

    /** Seals {@code content} into the document under a fresh data key. */
    public void seal(VisitDocument document, byte[] content) {
        WrappedKey key = cipher.newDataKey();
        SealedText sealed = cipher.seal(key, content, aad(document.id));
        document.dekKekId = key.kekId();
        document.dekWrapped = key.wrapped();
        document.contentIv = sealed.iv();
        document.contentCiphertext = sealed.ciphertext();
        document.contentSha256 = sealed.sha256();
        document.contentSize = content.length;
    }

    /** The document's content, verified; a failed check is logged by id, audited and refused. */
    public byte[] open(VisitDocument document) {
        try {
            return cipher.open(
                    new WrappedKey(document.dekKekId, document.dekWrapped),
                    new SealedText(
                            document.contentIv, document.contentCiphertext, document.contentSha256),
                    aad(document.id),
                    "content of visit document " + document.id);
        } catch (TamperedDataException e) {
            Log.errorf("integrity check failed documentId=%s", document.id);
            audit.integrityFailure(
                    "DocumentReference", document.id, document.patientId, document.practiceId);
            throw e;
        }
    }

    /** Records (or withdraws, when no longer current) the document as a PEA fact; idempotent by the document id. */
    public void recordFact(VisitDocument document) {
        if ("current".equals(document.status)) {
            em.createNativeQuery(
                            """
                            insert into mu_document_fact (id, patient_id, practice_id, encounter_id, available_at, posted_at)
                            values (?1, ?2, ?3, ?4, ?5, ?6)
                            on conflict (id) do update set patient_id = excluded.patient_id, practice_id = excluded.practice_id,
                                encounter_id = excluded.encounter_id, available_at = excluded.available_at, posted_at = excluded.posted_at""")
                    .setParameter(1, document.id)
                    .setParameter(2, document.patientId)
                    .setParameter(3, document.practiceId)
                    .setParameter(4, document.encounterId)
                    .setParameter(5, document.availableAt)
                    .setParameter(6, document.postedAt)
                    .executeUpdate();
        } else {
            em.createNativeQuery("delete from mu_document_fact where id = ?1")
                    .setParameter(1, document.id)
                    .executeUpdate();
        }
    }

    /** The current visit documents of the actor's patient, newest first. Audited as one READ. */
    @Transactional
    public List<DocumentSummary> documentsOf(Actor actor) {
        UUID patient = requirePatient(actor);
        List<VisitDocument> rows =
                em.createQuery(
                                """
                        select d from VisitDocument d where d.patientId = ?1 and d.status = 'current'
                        order by d.availableAt desc, d.id""",
                                VisitDocument.class)
                        .setParameter(1, patient)
                        .getResultList();
        audit.record(
                actor,
                AuditEntry.of(AuditAction.READ)
                        .on("DocumentReference", null)
                        .patient(patient)
                        .practice(actor.practiceId())
                        .reason("visit-documents"));
        return rows.stream().map(VisitDocumentService::summary).toList();
    }

    /**
     * The current visit documents of the actor's patient, newest first, for a download or transmit
     * of the whole record: not audited here (the caller audits the download or transmit as one).
     */
    @Transactional
    public List<DocumentSummary> currentOf(Actor actor) {
        UUID patient = requirePatient(actor);
        return em
                .createQuery(
                        """
                        select d from VisitDocument d where d.patientId = ?1 and d.status = 'current'
                        order by d.availableAt desc, d.id""",
                        VisitDocument.class)
                .setParameter(1, patient)
                .getResultList()
                .stream()
                .map(VisitDocumentService::summary)
                .toList();
    }

    /**
     * One current document of the actor's patient with its content, for a transmit (the caller
     * audits and records it); another patient's document is not found.
     */
    @Transactional
    public OpenedDocument openForTransmit(Actor actor, UUID id) {
        UUID patient = requirePatient(actor);
        VisitDocument document = em.find(VisitDocument.class, id);
        if (document == null
                || !document.patientId.equals(patient)
                || !"current".equals(document.status)) {
            throw BluepostException.notFound("DocumentReference", id);
        }
        return new OpenedDocument(summary(document), open(document));
    }

    /**
     * One document of the actor's patient, opened, for viewing ({@code download} false) or
     * downloading: audited (READ / DOWNLOAD) and recorded as a view / download by the patient or,
     * on the patient's behalf, by the proxy. Another patient's document is not found (404).
     */
    @Transactional
    public OpenedDocument open(Actor actor, UUID id, boolean download) {
        UUID patient = requirePatient(actor);
        VisitDocument document = em.find(VisitDocument.class, id);
        if (document == null
                || !document.patientId.equals(patient)
                || !"current".equals(document.status)) {
            throw BluepostException.notFound("DocumentReference", id);
        }
        byte[] content = open(document);
        audit.record(
                actor,
                AuditEntry.of(download ? AuditAction.DOWNLOAD : AuditAction.READ)
                        .on("DocumentReference", id)
                        .patient(patient)
                        .practice(document.practiceId)
                        .reason("visit-document"));
        // the document is one item of the patient's information (an empty one shows nothing)
        informationShown.fire(
                new PatientInformationShown(
                        actor,
                        download
                                ? PatientInformationShown.Action.DOWNLOAD
                                : PatientInformationShown.Action.VIEW,
                        content.length > 0 ? 1 : 0));
        Log.infof(
                "visit document %s documentId=%s by=%s",
                download ? "downloaded" : "viewed", id, actor.logId());
        return new OpenedDocument(summary(document), content);
    }

    private static UUID requirePatient(Actor actor) {
        if (!actor.isPatientSide() || actor.patientId() == null) {
            throw BluepostException.said(
                    ErrorKind.FORBIDDEN,
                    DocumentMessages.class,
                    DocumentMessages::error_choose_patient);
        }
        return actor.patientId();
    }

    static DocumentSummary summary(VisitDocument d) {
        String title = titleOf(d.resource);
        return new DocumentSummary(
                d.id,
                title,
                d.contentType,
                d.contentSize,
                d.availableAt,
                d.postedAt,
                d.encounterId);
    }

    /** The title kept in the stored resource (attachment title, else the description, else "Visit document"). */
    private static String titleOf(String resourceJson) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = MAPPER.readTree(resourceJson);
            String title = node.path("content").path(0).path("attachment").path("title").asText("");
            if (title.isBlank()) {
                title = node.path("description").asText("");
            }
            return title.isBlank() ? "Visit document" : title;
        } catch (java.io.IOException e) {
            return "Visit document";
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static byte[] aad(UUID documentId) {
        return ("visit-document-content:" + documentId).getBytes(StandardCharsets.US_ASCII);
    }
}
