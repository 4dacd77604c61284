package dev.bluepost.directory.fhir;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.StoredPatient;
import dev.bluepost.directory.StoredRelatedPerson;
import dev.bluepost.fhir.FhirDates;
import dev.bluepost.fhir.HqlSearch;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.StoredResourceHandler;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneId;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.RelatedPerson;

/**
 * Proxy = RelatedPerson: who may act for the patient, during RelatedPerson.period (its end
 * inclusive, dates read in the patient's practice's time zone).
 */
@ApplicationScoped
public class RelatedPersonHandler
        extends StoredResourceHandler<RelatedPerson, StoredRelatedPerson> {

    @Inject DirectoryService directory;

    @Override
    public String type() {
        return "RelatedPerson";
    }

    @Override
    public Class<RelatedPerson> resourceClass() {
        return RelatedPerson.class;
    }

    /** Exported: the proxies of the practice's patients. */
    @Override
    protected java.util.Optional<String> exportPracticeCondition() {
        return java.util.Optional.of(
                "patient_id in (select id from patient where practice_id = ?)");
    }

    @Override
    protected Class<StoredRelatedPerson> entityClass() {
        return StoredRelatedPerson.class;
    }

    @Override
    protected StoredRelatedPerson newEntity() {
        return new StoredRelatedPerson();
    }

    @Override
    protected void apply(RelatedPerson resource, StoredRelatedPerson proxy, Actor actor) {
        Ref patient = Ref.require(resource.getPatient(), "RelatedPerson.patient", "Patient");
        if (em.find(StoredPatient.class, patient.id()) == null) {
            throw BluepostException.businessRule(
                    "RelatedPerson.patient refers to " + patient + ", which is not known.");
        }
        proxy.patientId = patient.id();
        String display = FhirNames.display(resource.getName());
        proxy.displayName = display != null ? display : "Authorized representative";
        proxy.relationship =
                resource.getRelationship().stream()
                        .flatMap(c -> c.getCoding().stream())
                        .filter(c -> c.hasCode())
                        .map(c -> c.getCode())
                        .findFirst()
                        .orElse(
                                resource.getRelationship().stream()
                                        .filter(CodeableConcept::hasText)
                                        .map(CodeableConcept::getText)
                                        .findFirst()
                                        .orElse(null));
        java.util.UUID practiceOfPatient = em.find(StoredPatient.class, patient.id()).practiceId;
        ZoneId zone = practiceOfPatient == null ? zone() : directory.zoneOf(practiceOfPatient);
        proxy.periodStart =
                resource.getPeriod().hasStart()
                        ? FhirDates.start(resource.getPeriod().getStartElement(), zone)
                        : null;
        proxy.periodEnd =
                resource.getPeriod().hasEnd()
                        ? FhirDates.endExclusive(resource.getPeriod().getEndElement(), zone)
                        : null;
        if (proxy.periodStart != null
                && proxy.periodEnd != null
                && proxy.periodEnd.isBefore(proxy.periodStart)) {
            throw BluepostException.businessRule("RelatedPerson.period ends before it starts.");
        }
        proxy.active = !resource.hasActive() || resource.getActive();
    }

    /** The proxies of the practice's patients. */
    @Override
    protected String practiceCriterion(String practice) {
        return "e.patientId in (select x.id from Patient x where x.practiceId = " + practice + ")";
    }

    @Override
    protected boolean criterion(SearchParam param, HqlSearch search) {
        switch (param.name()) {
            case "patient" ->
                    search.and(referenceCriterion(param, search, "e.patientId", "Patient"));
            case "name" -> search.and(stringCriterion(param, search, "e.displayName"));
            case "active" ->
                    search.anyOf(param, v -> "e.active = " + search.bind(Boolean.parseBoolean(v)));
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    protected List<SearchParameterInfo> ownSearchParameters() {
        return List.of(
                SearchParameterInfo.reference("patient", "The patient this person may act for"),
                SearchParameterInfo.string("name", "Name"),
                SearchParameterInfo.token("active", "true or false"));
    }
}
