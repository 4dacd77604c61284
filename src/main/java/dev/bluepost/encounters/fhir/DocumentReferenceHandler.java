package dev.bluepost.encounters.fhir;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.encounters.StoredEncounter;
import dev.bluepost.encounters.VisitDocument;
import dev.bluepost.encounters.VisitDocumentService;
import dev.bluepost.fhir.HqlSearch;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.SearchValues;
import dev.bluepost.fhir.StoredResourceHandler;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.DocumentReference;

/**
 * Visit documents the EHR makes available to the patient = DocumentReference: {@code subject} the
 * Patient, {@code context.encounter} the visit, {@code date} when the information became available
 * to the EP, one {@code content.attachment} with {@code contentType} and inline {@code data}. The
 * platform makes it available online to the patient when it stores it (the "posted" time of the
 * PEA-S2-M1 timeliness rule). The content is sealed at rest, never stored in the resource.
 */
@ApplicationScoped
public class DocumentReferenceHandler
        extends StoredResourceHandler<DocumentReference, VisitDocument> {

    /** How far in the future {@code date} may lie (clock skew between the EHR and the platform). */
    private static final Duration SKEW = Duration.ofMinutes(5);

    @Inject DirectoryService directory;

    @Inject VisitDocumentService documents;

    @Override
    public String type() {
        return "DocumentReference";
    }

    @Override
    public Class<DocumentReference> resourceClass() {
        return DocumentReference.class;
    }

    @Override
    protected Class<VisitDocument> entityClass() {
        return VisitDocument.class;
    }

    @Override
    protected VisitDocument newEntity() {
        return new VisitDocument();
    }

    @Override
    protected void apply(DocumentReference resource, VisitDocument document, Actor actor) {
        if (!resource.hasStatus()) {
            throw BluepostException.businessRule(
                    "DocumentReference.status is required (current, superseded or entered-in-error).");
        }
        Ref subject = Ref.require(resource.getSubject(), "DocumentReference.subject", "Patient");
        PatientView patient =
                directory
                        .patient(subject.id())
                        .orElseThrow(
                                () ->
                                        BluepostException.businessRule(
                                                "DocumentReference.subject refers to "
                                                        + subject
                                                        + ", which is not known."));
        if (resource.getContext().getEncounter().size() != 1) {
            throw BluepostException.businessRule(
                    "DocumentReference.context.encounter must name the one visit (Encounter) "
                            + "the document belongs to.");
        }
        Ref visit =
                Ref.require(
                        resource.getContext().getEncounterFirstRep(),
                        "DocumentReference.context.encounter",
                        "Encounter");
        StoredEncounter encounter = em.find(StoredEncounter.class, visit.id());
        if (encounter == null) {
            throw BluepostException.businessRule(
                    "DocumentReference.context.encounter refers to "
                            + visit
                            + ", which is not known.");
        }
        if (!encounter.patientId.equals(patient.id())) {
            throw BluepostException.businessRule(
                    "DocumentReference.context.encounter is a visit of another patient than "
                            + "DocumentReference.subject.");
        }
        if (!resource.hasDate()) {
            throw BluepostException.businessRule(
                    "DocumentReference.date is required: when the information became available to the EP.");
        }
        Instant available = resource.getDate().toInstant();
        Instant now = now();
        if (available.isAfter(now.plus(SKEW))) {
            throw BluepostException.businessRule("DocumentReference.date lies in the future.");
        }
        if (resource.getContent().size() != 1) {
            throw BluepostException.businessRule(
                    "DocumentReference.content must hold exactly one attachment.");
        }
        Attachment attachment = resource.getContentFirstRep().getAttachment();
        String contentType =
                attachment.hasContentType()
                        ? attachment
                                .getContentType()
                                .split(";")[0]
                                .trim()
                                .toLowerCase(java.util.Locale.ROOT)
                        : null;
        if (contentType == null || !VisitDocumentService.CONTENT_TYPES.contains(contentType)) {
            throw BluepostException.businessRule(
                    "DocumentReference.content.attachment.contentType must be one of "
                            + VisitDocumentService.CONTENT_TYPES.stream().sorted().toList()
                            + ".");
        }
        if (!attachment.hasData() || attachment.getData().length == 0) {
            throw BluepostException.businessRule(
                    "DocumentReference.content.attachment.data (base64) is required: "
                            + "the platform keeps the document for the patient; links (url) are not followed.");
        }
        byte[] content = attachment.getData();
        if (content.length > VisitDocumentService.MAX_BYTES) {
            throw BluepostException.businessRule(
                    "DocumentReference.content.attachment.data is larger than 10 MiB.");
        }
        if (document.id == null) {
            throw new IllegalStateException("document id not assigned");
        }
        document.practiceId = encounter.practiceId;
        document.patientId = patient.id();
        document.encounterId = encounter.id;
        document.status = resource.getStatus().toCode();
        document.availableAt = available;
        if (document.postedAt == null) {
            document.postedAt = now; // made available online to the patient now (first stored)
        }
        document.contentType = contentType;
        documents.seal(document, content);
        // The stored resource keeps no content: only its type, size and title.
        attachment.setData(null);
        attachment.setUrl(null);
        attachment.setContentType(contentType);
        attachment.setSize(content.length);
    }

    @Override
    protected void afterWrite(VisitDocument document, DocumentReference resource) {
        documents.recordFact(document);
    }

    @Override
    public DocumentReference toResource(VisitDocument document) {
        DocumentReference resource = super.toResource(document);
        resource.getContentFirstRep().getAttachment().setData(documents.open(document));
        return resource;
    }

    /** Exported: the documents of the practice's visits, with their content, as a read answers them. */
    @Override
    protected Optional<String> exportPracticeCondition() {
        return Optional.of("practice_id = ?");
    }

    @Override
    public void export(
            dev.bluepost.fhir.ExportScope scope,
            dev.bluepost.fhir.ExportSink<DocumentReference> sink) {
        exportEntities(scope, sink);
    }

    @Override
    public Optional<SearchParam> patientCompartment(UUID patientId) {
        return Optional.of(new SearchParam("subject", null, List.of("Patient/" + patientId)));
    }

    /** The documents of the practice's visits. */
    @Override
    protected String practiceCriterion(String practice) {
        return "e.practiceId = " + practice;
    }

    @Override
    protected boolean criterion(SearchParam param, HqlSearch search) {
        switch (param.name()) {
            case "subject", "patient" ->
                    search.and(referenceCriterion(param, search, "e.patientId", "Patient"));
            case "encounter" ->
                    search.and(referenceCriterion(param, search, "e.encounterId", "Encounter"));
            case "date" ->
                    search.anyOf(
                            param,
                            v -> SearchValues.date(v, zone()).criterion("e.availableAt", search));
            case "status" -> search.anyOf(param, v -> "e.status = " + search.bind(v));
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    protected List<SearchParameterInfo> ownSearchParameters() {
        return List.of(
                SearchParameterInfo.reference("subject", "The patient"),
                SearchParameterInfo.reference("patient", "The patient"),
                SearchParameterInfo.reference("encounter", "The visit (context.encounter)"),
                SearchParameterInfo.date("date", "When the information became available to the EP"),
                SearchParameterInfo.token("status", "current, superseded, entered-in-error"));
    }
}
