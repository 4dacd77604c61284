package dev.bluepost.bluebutton;

import ca.uhn.fhir.context.FhirContext;
import dev.bluepost.encounters.VisitDocumentService;
import dev.bluepost.fhir.FhirBase;
import dev.bluepost.fhir.FhirRegistry;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageViews;
import dev.bluepost.messaging.MessageViews.ThreadView;
import dev.bluepost.messaging.fhir.CommunicationHandler;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;

/**
 * Everything the patient (or a proxy, for the patient they act for) may see, as one FHIR R4 Bundle
 * of type collection (docs/fhir.md, "The patient's download"): the messages of every thread the
 * caller may see (a proxy's download lacks the sensitive threads) with their attachments' bytes
 * inline ({@code Attachment.data}, besides the {@code Binary/{id}} url), the current visit documents
 * with their content, and the resources these reference: the patient, their proxies who wrote,
 * practitioners, care teams (pools), the practice (Organization), devices (automatic replies),
 * visits and locations. Every entry's {@code fullUrl} is its address on this server, so the
 * relative references resolve inside the Bundle. Reading attachments audits each one (DOWNLOAD);
 * the caller audits the download or transmit as a whole.
 */
@ApplicationScoped
public class HealthRecord {

    /** The resource types a download follows references to; anything else stays a reference. */
    private static final Set<String> REFERENCED =
            Set.of(
                    "Patient",
                    "RelatedPerson",
                    "Practitioner",
                    "CareTeam",
                    "Organization",
                    "Device",
                    "Encounter",
                    "Location");

    private static final int MAX_REFERENCED = 500;

    /** What was put in a bundle: its threads and documents (for the printable page and the PDF), and how many items. */
    public record Content(
            Bundle bundle,
            List<ThreadView> threads,
            List<VisitDocumentService.DocumentSummary> documents) {

        /** Messages and documents: the items of the patient's information shown (none: the download counts for nothing). */
        public int items() {
            return threads.stream().mapToInt(t -> t.messages().size()).sum() + documents.size();
        }
    }

    private final MessageReading reading;
    private final CommunicationHandler communications;
    private final VisitDocumentService documents;
    private final FhirRegistry registry;
    private final FhirBase fhirBase;
    private final FhirContext fhir;
    private final Clock clock;

    public HealthRecord(
            MessageReading reading,
            CommunicationHandler communications,
            VisitDocumentService documents,
            FhirRegistry registry,
            FhirBase fhirBase,
            FhirContext fhir,
            Clock clock) {
        this.reading = reading;
        this.communications = communications;
        this.documents = documents;
        this.registry = registry;
        this.fhirBase = fhirBase;
        this.fhir = fhir;
        this.clock = clock;
    }

    /** The threads and documents the caller may see, without their bytes (the page, the printable copy). */
    @Transactional
    public Content summary(Actor actor) {
        return new Content(null, reading.history(actor), documents.currentOf(actor));
    }

    /** The whole record as a Bundle. */
    @Transactional
    public Content bundle(Actor actor) {
        String base = fhirBase.current().orElse("urn:bluepost:fhir/");
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setTimestamp(Date.from(clock.instant()));
        bundle.getIdentifier()
                .setSystem("urn:ietf:rfc:3986")
                .setValue("urn:uuid:" + UUID.randomUUID());
        Map<String, Resource> entries = new LinkedHashMap<>();
        List<ThreadView> threads = reading.history(actor);
        for (ThreadView thread : threads) {
            for (MessageViews.MessageView message : thread.messages()) {
                Communication communication = communications.toResource(message);
                Map<UUID, MessageViews.AttachmentView> files = new HashMap<>();
                message.attachments().forEach(a -> files.put(a.id(), a));
                for (Communication.CommunicationPayloadComponent payload :
                        communication.getPayload()) {
                    if (payload.getContent() instanceof Attachment attachment
                            && attachment.hasUrl()) {
                        UUID id =
                                UUID.fromString(attachment.getUrl().substring("Binary/".length()));
                        attachment.setData(reading.attachment(thread.id(), id, actor).content());
                    }
                }
                entries.put("Communication/" + message.id(), communication);
            }
        }
        List<VisitDocumentService.DocumentSummary> current = documents.currentOf(actor);
        for (VisitDocumentService.DocumentSummary document : current) {
            DocumentReference resource =
                    (DocumentReference)
                            registry.handler("DocumentReference").read(document.id(), actor);
            entries.put("DocumentReference/" + document.id(), resource);
        }
        addReferenced(entries, actor);
        entries.forEach(
                (key, resource) -> bundle.addEntry().setFullUrl(base + key).setResource(resource));
        bundle.setTotal(bundle.getEntry().size());
        return new Content(bundle, threads, current);
    }

    /** Follows references to the directory's resources (and the patient's visits) until nothing new is referenced. */
    private void addReferenced(Map<String, Resource> entries, Actor actor) {
        Deque<Resource> toScan = new ArrayDeque<>(entries.values());
        int added = 0;
        while (!toScan.isEmpty() && added < MAX_REFERENCED) {
            Resource resource = toScan.poll();
            for (Reference reference :
                    fhir.newTerser()
                            .getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                String value = reference.getReference();
                if (value == null || entries.containsKey(value)) {
                    continue;
                }
                String[] parts = value.split("/");
                if (parts.length != 2 || !REFERENCED.contains(parts[0])) {
                    continue;
                }
                Resource found = read(parts[0], parts[1], actor);
                if (found != null) {
                    entries.put(value, found);
                    toScan.add(found);
                    added++;
                }
            }
        }
    }

    /** One referenced resource, if it exists and is the patient's own where it is about a patient. */
    private Resource read(String type, String id, Actor actor) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if ("Patient".equals(type) && !uuid.equals(actor.patientId())) {
            return null;
        }
        Resource resource;
        try {
            resource = registry.handler(type).read(uuid, actor);
        } catch (BluepostException e) {
            return null;
        }
        String patient = "Patient/" + actor.patientId();
        if (resource instanceof RelatedPerson person
                && !patient.equals(person.getPatient().getReference())) {
            return null;
        }
        if (resource instanceof Encounter encounter
                && !patient.equals(encounter.getSubject().getReference())) {
            return null;
        }
        return resource;
    }
}
