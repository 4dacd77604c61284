package dev.bluepost.directory.fhir;

import dev.bluepost.directory.DirectoryAdministration;
import dev.bluepost.directory.DirectoryMessages;
import dev.bluepost.directory.Practice;
import dev.bluepost.directory.StoredPractitioner;
import dev.bluepost.fhir.FhirUrls;
import dev.bluepost.fhir.HqlSearch;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.StoredResourceHandler;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;

/**
 * Practitioner. An EP carries an NPI identifier (checked by {@link DirectoryAdministration#checkNpi}:
 * 10 digits, Luhn check digit with the 80840 prefix; unique). The practice extension (Organization reference, repeatable) names the
 * practices they work for.
 */
@ApplicationScoped
public class PractitionerHandler extends StoredResourceHandler<Practitioner, StoredPractitioner> {

    @Inject DirectoryAdministration administration;

    @Override
    public String type() {
        return "Practitioner";
    }

    @Override
    public Class<Practitioner> resourceClass() {
        return Practitioner.class;
    }

    @Override
    protected Class<StoredPractitioner> entityClass() {
        return StoredPractitioner.class;
    }

    @Override
    protected StoredPractitioner newEntity() {
        return new StoredPractitioner();
    }

    @Override
    protected void apply(Practitioner resource, StoredPractitioner practitioner, Actor actor) {
        String npi = null;
        for (Identifier identifier : resource.getIdentifier()) {
            if (FhirUrls.NPI_SYSTEM.equals(identifier.getSystem())) {
                if (npi != null) {
                    throw DirectoryAdministration.refused(
                            ErrorKind.BUSINESS_RULE, "npi", DirectoryMessages::error_npi_twice);
                }
                npi = identifier.getValue();
            }
        }
        npi = administration.checkNpi(npi, practitioner.id);
        practitioner.npi = npi;
        String display = FhirNames.display(resource.getName());
        practitioner.displayName =
                display != null ? display : (npi != null ? "NPI " + npi : "Practitioner");
        practitioner.family = FhirNames.family(resource.getName());
        practitioner.active = !resource.hasActive() || resource.getActive();
        for (Extension extension : resource.getExtensionsByUrl(FhirUrls.EXT_PRACTICE)) {
            if (!(extension.getValue() instanceof Reference reference)) {
                throw BluepostException.businessRule(
                        "The practice extension needs a valueReference to an Organization.");
            }
            Ref practice =
                    Ref.require(reference, "Practitioner.extension(practice)", "Organization");
            if (em.find(Practice.class, practice.id()) == null) {
                throw BluepostException.businessRule(
                        "The practice extension refers to " + practice + ", which is not known.");
            }
            practitioner.practiceIds.add(practice.id());
        }
    }

    /** The people who work for the practice (its practice extension, care teams, encounters). */
    @Override
    protected String practiceCriterion(String practice) {
        return practice + " member of e.practiceIds";
    }

    @Override
    protected boolean criterion(SearchParam param, HqlSearch search) {
        switch (param.name()) {
            case "name" -> search.and(stringCriterion(param, search, "e.displayName", "e.family"));
            case "family" -> search.and(stringCriterion(param, search, "e.family"));
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
                SearchParameterInfo.token("active", "true or false"));
    }
}
