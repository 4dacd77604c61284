package dev.bluepost.encounters.fhir;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.LocationView;
import dev.bluepost.encounters.EncounterReferences;
import dev.bluepost.encounters.StoredEncounter;
import dev.bluepost.fhir.FhirDates;
import dev.bluepost.fhir.FhirUrls;
import dev.bluepost.fhir.HqlSearch;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.SearchValues;
import dev.bluepost.fhir.StoredJson;
import dev.bluepost.fhir.StoredResourceHandler;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterParticipantComponent;

/**
 * Office visit = Encounter: status, class (AMB / VR), subject, participant.individual with type
 * PPRF (primary performer) or SPRF (secondary), period.start, location, serviceProvider.
 */
@ApplicationScoped
public class EncounterHandler extends StoredResourceHandler<Encounter, StoredEncounter> {

    @Inject DirectoryService directory;

    @Override
    public String type() {
        return "Encounter";
    }

    @Override
    public Class<Encounter> resourceClass() {
        return Encounter.class;
    }

    @Override
    protected Class<StoredEncounter> entityClass() {
        return StoredEncounter.class;
    }

    @Override
    protected StoredEncounter newEntity() {
        return new StoredEncounter();
    }

    /** Exported: the practice's visits ({@code Encounter.serviceProvider}). */
    @Override
    protected java.util.Optional<String> exportPracticeCondition() {
        return java.util.Optional.of("practice_id = ?");
    }

    @Override
    protected void apply(Encounter resource, StoredEncounter encounter, Actor actor) {
        map(resource, encounter, EncounterReferences.of(directory));
    }

    /**
     * The one mapping of a FHIR Encounter onto an {@link Encounter} row, shared by the FHIR API, the
     * bulk NDJSON import and the EHR topic: checks the resource (a 422 names the field and ids only)
     * and fills the entity, which the caller then stores. References are {@code Type/id} (an absolute
     * URL is refused: a feed cannot tell this server's from another's).
     */
    public StoredEncounter prepare(Encounter resource, EncounterReferences references) {
        return prepare(resource, references, null);
    }

    /**
     * {@link #prepare(Encounter, EncounterReferences)} for a resource parsed
     * from {@code source} (the feeds' lines): the JSON as sent is stored when encoding it again
     * would store the same ({@link dev.bluepost.fhir.StoredJson}). Needs no EntityManager when
     * {@code references} answers from memory, so the feeds map a chunk's lines on several threads.
     */
    public StoredEncounter prepare(
            Encounter resource, EncounterReferences references, StoredJson.Source source) {
        StoredEncounter encounter = newEntity();
        writeWith(resource, encounter, () -> map(resource, encounter, references), source);
        return encounter;
    }

    private void map(Encounter resource, StoredEncounter encounter, EncounterReferences directory) {
        if (!resource.hasStatus()) {
            throw BluepostException.businessRule("Encounter.status is required.");
        }
        Ref subject = Ref.require(resource.getSubject(), "Encounter.subject", "Patient");
        if (!directory.patientExists(subject.id())) {
            throw BluepostException.businessRule(
                    "Encounter.subject refers to " + subject + ", which is not known.");
        }
        if (!resource.getPeriod().hasStart()) {
            throw BluepostException.businessRule(
                    "Encounter.period.start is required: visits are counted by date.");
        }
        Optional<LocationView> location = Optional.empty();
        if (resource.hasLocation()) {
            Ref ref =
                    Ref.require(
                            resource.getLocationFirstRep().getLocation(),
                            "Encounter.location.location",
                            "Location");
            location = directory.location(ref.id());
            if (location.isEmpty()) {
                throw BluepostException.businessRule(
                        "Encounter.location refers to " + ref + ", which is not known.");
            }
        }
        UUID practiceId =
                Ref.optional(
                                resource.getServiceProvider(),
                                "Encounter.serviceProvider",
                                "Organization")
                        .map(
                                ref -> {
                                    if (!directory.practiceExists(ref.id())) {
                                        throw BluepostException.businessRule(
                                                "Encounter.serviceProvider refers to "
                                                        + ref
                                                        + ", which is not known.");
                                    }
                                    return ref.id();
                                })
                        .orElse(null);
        if (practiceId == null) {
            practiceId =
                    location.map(LocationView::practiceId)
                            .orElseThrow(
                                    () ->
                                            BluepostException.businessRule(
                                                    "Encounter.serviceProvider (the practice) is required when no Location is given."));
        }
        encounter.practiceId = practiceId;
        encounter.patientId = subject.id();
        encounter.status = resource.getStatus().toCode();
        encounter.classCode = resource.hasClass_() ? resource.getClass_().getCode() : null;
        ZoneId zone = directory.zoneOf(practiceId);
        encounter.periodStart = FhirDates.start(resource.getPeriod().getStartElement(), zone);
        encounter.periodEnd =
                resource.getPeriod().hasEnd()
                        ? FhirDates.endExclusive(resource.getPeriod().getEndElement(), zone)
                        : null;
        encounter.serviceDate =
                LocalDate.ofInstant(
                        encounter.periodStart, zone); // FhirDates.localDate, without parsing again
        encounter.locationId = location.map(LocationView::id).orElse(null);
        encounter.participants.clear();
        for (EncounterParticipantComponent participant : resource.getParticipant()) {
            if (!participant.hasIndividual()) {
                continue;
            }
            String reference = participant.getIndividual().getReference();
            if (reference == null || !reference.contains("Practitioner/")) {
                continue; // RelatedPerson or PractitionerRole participants are kept in the resource
                // only
            }
            Ref practitioner =
                    Ref.require(
                            participant.getIndividual(),
                            "Encounter.participant.individual",
                            "Practitioner");
            if (!directory.practitionerExists(practitioner.id())) {
                throw BluepostException.businessRule(
                        "Encounter.participant refers to "
                                + practitioner
                                + ", which is not known.");
            }
            String type =
                    participant.getType().stream()
                            .flatMap(t -> t.getCoding().stream())
                            .filter(
                                    c ->
                                            FhirUrls.PARTICIPATION_TYPE.equals(c.getSystem())
                                                    || !c.hasSystem())
                            .map(Coding::getCode)
                            .findFirst()
                            .orElse("PART");
            encounter.participants.add(new StoredEncounter.Participant(practitioner.id(), type));
        }
    }

    @Override
    protected void afterWrite(StoredEncounter encounter, Encounter resource) {
        encounter.participants.forEach(
                p -> directory.recordPracticeMembership(p.practitionerId, encounter.practiceId));
    }

    /** The practice's visits (serviceProvider, or the practice of the location). */
    @Override
    protected String practiceCriterion(String practice) {
        return "e.practiceId = " + practice;
    }

    /** A patient's compartment holds their own visits (patient apps read them: ADR 0047). */
    @Override
    public Optional<SearchParam> patientCompartment(UUID patientId) {
        return Optional.of(new SearchParam("subject", null, List.of("Patient/" + patientId)));
    }

    @Override
    protected boolean criterion(SearchParam param, HqlSearch search) {
        switch (param.name()) {
            case "subject", "patient" ->
                    search.and(referenceCriterion(param, search, "e.patientId", "Patient"));
            case "participant", "practitioner" ->
                    search.anyOf(
                            param,
                            v -> {
                                Ref ref = SearchValues.reference(v, "Practitioner");
                                return "exists (select 1 from Encounter x join x.participants p where x.id = e.id and p.practitionerId = "
                                        + search.bind(ref.id())
                                        + ")";
                            });
            case "date" ->
                    search.anyOf(
                            param,
                            v -> SearchValues.date(v, zone()).criterion("e.periodStart", search));
            case "status" -> search.anyOf(param, v -> "e.status = " + search.bind(v));
            case "class" ->
                    search.anyOf(
                            param,
                            v -> "e.classCode = " + search.bind(SearchValues.token(v).code()));
            case "location" ->
                    search.and(referenceCriterion(param, search, "e.locationId", "Location"));
            case "service-provider" ->
                    search.and(referenceCriterion(param, search, "e.practiceId", "Organization"));
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
                SearchParameterInfo.reference("participant", "A participating Practitioner"),
                SearchParameterInfo.reference("practitioner", "A participating Practitioner"),
                SearchParameterInfo.date("date", "period.start"),
                SearchParameterInfo.token("status", "finished, cancelled, …"),
                SearchParameterInfo.token("class", "AMB, VR, …"),
                SearchParameterInfo.reference("location", "The Location"),
                SearchParameterInfo.reference("service-provider", "The practice"));
    }
}
