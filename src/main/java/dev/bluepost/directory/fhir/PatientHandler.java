package dev.bluepost.directory.fhir;

import dev.bluepost.directory.Practice;
import dev.bluepost.directory.StoredPatient;
import dev.bluepost.fhir.FhirUrls;
import dev.bluepost.fhir.HqlSearch;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.SearchValues;
import dev.bluepost.fhir.StoredResourceHandler;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Patient.LinkType;
import org.hl7.fhir.r4.model.Patient.PatientLinkComponent;

/**
 * Patient. A test patient carries meta.tag v3-ActReason|HTEST; a merged duplicate carries
 * Patient.link type replaced-by pointing at the surviving record.
 */
@ApplicationScoped
public class PatientHandler extends StoredResourceHandler<Patient, StoredPatient> {

    @Override
    public String type() {
        return "Patient";
    }

    @Override
    public Class<Patient> resourceClass() {
        return Patient.class;
    }

    /** A patient's compartment holds their own Patient record. */
    @Override
    public java.util.Optional<SearchParam> patientCompartment(java.util.UUID patientId) {
        return java.util.Optional.of(new SearchParam("_id", null, List.of(patientId.toString())));
    }

    @Override
    protected Class<StoredPatient> entityClass() {
        return StoredPatient.class;
    }

    @Override
    protected StoredPatient newEntity() {
        return new StoredPatient();
    }

    /** Exported: the practice's patients are those it manages ({@code Patient.managingOrganization}). */
    @Override
    protected java.util.Optional<String> exportPracticeCondition() {
        return java.util.Optional.of("practice_id = ?");
    }

    @Override
    protected void apply(Patient resource, StoredPatient patient, Actor actor) {
        patient.practiceId =
                Ref.optional(
                                resource.getManagingOrganization(),
                                "Patient.managingOrganization",
                                "Organization")
                        .map(
                                ref -> {
                                    if (em.find(Practice.class, ref.id()) == null) {
                                        throw BluepostException.businessRule(
                                                "Patient.managingOrganization refers to "
                                                        + ref
                                                        + ", which is not known.");
                                    }
                                    return ref.id();
                                })
                        .orElse(null);
        String display = FhirNames.display(resource.getName());
        patient.displayName = display != null ? display : "Unnamed patient";
        patient.family = FhirNames.family(resource.getName());
        patient.birthDate = birthDate(resource.getBirthDateElement().getValueAsString());
        patient.email =
                resource.getTelecom().stream()
                        .filter(
                                t ->
                                        t.getSystem() == ContactPoint.ContactPointSystem.EMAIL
                                                && t.hasValue())
                        .map(ContactPoint::getValue)
                        .findFirst()
                        .orElse(null);
        patient.testPatient =
                resource.getMeta().getTag().stream()
                        .anyMatch(
                                t ->
                                        FhirUrls.ACT_REASON.equals(t.getSystem())
                                                && "HTEST".equals(t.getCode()));
        patient.replacedById = null;
        for (PatientLinkComponent link : resource.getLink()) {
            if (link.getType() == LinkType.REPLACEDBY) {
                Ref survivor = Ref.require(link.getOther(), "Patient.link.other", "Patient");
                if (survivor.id().equals(patient.id)) {
                    throw BluepostException.businessRule("A Patient cannot be replaced by itself.");
                }
                if (em.find(StoredPatient.class, survivor.id()) == null) {
                    throw BluepostException.businessRule(
                            "Patient.link.other refers to " + survivor + ", which is not known.");
                }
                patient.replacedById = survivor.id();
            }
        }
        patient.active = !resource.hasActive() || resource.getActive();
    }

    /** FHIR dates may be partial (YYYY or YYYY-MM); those are stored as their first day. */
    private static LocalDate birthDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return switch (value.length()) {
                case 4 -> LocalDate.of(Integer.parseInt(value), 1, 1);
                case 7 -> LocalDate.parse(value + "-01");
                default -> LocalDate.parse(value.substring(0, Math.min(10, value.length())));
            };
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw dev.bluepost.platform.errors.BluepostException.malformed(
                    "Patient.birthDate must be a date: YYYY, YYYY-MM or YYYY-MM-DD.");
        }
    }

    /** The practice's patients (managingOrganization; a Patient without one is no practice's). */
    @Override
    protected String practiceCriterion(String practice) {
        return "e.practiceId = " + practice;
    }

    @Override
    protected boolean criterion(SearchParam param, HqlSearch search) {
        switch (param.name()) {
            case "name" -> search.and(stringCriterion(param, search, "e.displayName", "e.family"));
            case "family" -> search.and(stringCriterion(param, search, "e.family"));
            case "birthdate" ->
                    search.anyOf(
                            param,
                            v ->
                                    SearchValues.date(v, zone())
                                            .dateCriterion("e.birthDate", search, zone()));
            case "organization" ->
                    search.and(referenceCriterion(param, search, "e.practiceId", "Organization"));
            case "email" ->
                    search.anyOf(param, v -> "lower(e.email) = " + search.bind(v.toLowerCase()));
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
                SearchParameterInfo.string("name", "Any part of the name"),
                SearchParameterInfo.string("family", "Family name"),
                SearchParameterInfo.date("birthdate", "Date of birth"),
                SearchParameterInfo.reference(
                        "organization", "The practice (managingOrganization)"),
                SearchParameterInfo.token("email", "E-mail address"),
                SearchParameterInfo.token("active", "true or false"));
    }
}
