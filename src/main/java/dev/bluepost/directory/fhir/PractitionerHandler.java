package dev.bluepost.directory.fhir;

import dev.bluepost.directory.Practice;
import dev.bluepost.directory.Practitioner;
import dev.bluepost.fhir.FhirUrls;
import dev.bluepost.fhir.HqlSearch;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.StoredResourceHandler;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

import java.util.List;
import java.util.Set;

/**
 * Practitioner. An EP carries an NPI identifier (validated: 10 digits, Luhn check digit with the
 * 80840 prefix; unique). The practice extension (Organization reference, repeatable) names the
 * practices they work for.
 */
@ApplicationScoped
public class PractitionerHandler extends StoredResourceHandler<org.hl7.fhir.r4.model.Practitioner, Practitioner> {

    @Override
    public String type() {
        return "Practitioner";
    }

    @Override
    public Class<org.hl7.fhir.r4.model.Practitioner> resourceClass() {
        return org.hl7.fhir.r4.model.Practitioner.class;
    }

    @Override
    protected Class<Practitioner> entityClass() {
        return Practitioner.class;
    }

    @Override
    protected Practitioner newEntity() {
        return new Practitioner();
    }

    @Override
    protected void apply(org.hl7.fhir.r4.model.Practitioner resource, Practitioner practitioner, Actor actor) {
        String npi = null;
        for (Identifier identifier : resource.getIdentifier()) {
            if (FhirUrls.NPI_SYSTEM.equals(identifier.getSystem())) {
                if (npi != null) {
                    throw BluepostException.businessRule("A Practitioner has at most one NPI.");
                }
                npi = identifier.getValue();
                if (!Npi.isValid(npi)) {
                    throw BluepostException.businessRule("'" + npi + "' is not a valid NPI (10 digits with a valid check digit).");
                }
            }
        }
        if (npi != null) {
            List<Practitioner> holders = em.createQuery("from Practitioner where npi = :npi and id <> :id", Practitioner.class)
                    .setParameter("npi", npi).setParameter("id", practitioner.id).getResultList();
            if (!holders.isEmpty()) {
                throw BluepostException.conflict("NPI " + npi + " already belongs to Practitioner/" + holders.get(0).id
                        + "; update that resource instead.");
            }
        }
        practitioner.npi = npi;
        String display = FhirNames.display(resource.getName());
        practitioner.displayName = display != null ? display : (npi != null ? "NPI " + npi : "Practitioner");
        practitioner.family = FhirNames.family(resource.getName());
        practitioner.active = !resource.hasActive() || resource.getActive();
        for (Extension extension : resource.getExtensionsByUrl(FhirUrls.EXT_PRACTICE)) {
            if (!(extension.getValue() instanceof Reference reference)) {
                throw BluepostException.businessRule("The practice extension needs a valueReference to an Organization.");
            }
            Ref practice = Ref.require(reference, "Practitioner.extension(practice)", "Organization");
            if (em.find(Practice.class, practice.id()) == null) {
                throw BluepostException.businessRule("The practice extension refers to " + practice + ", which is not known.");
            }
            practitioner.practiceIds.add(practice.id());
        }
    }

    @Override
    protected boolean criterion(SearchParam param, HqlSearch search) {
        switch (param.name()) {
            case "name" -> search.and(stringCriterion(param, search, "e.displayName", "e.family"));
            case "family" -> search.and(stringCriterion(param, search, "e.family"));
            case "active" -> search.anyOf(param, v -> "e.active = " + search.bind(Boolean.parseBoolean(v)));
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    protected List<SearchParameterInfo> ownSearchParameters() {
        return List.of(SearchParameterInfo.string("name", "Any part of the name"),
                SearchParameterInfo.string("family", "Family name"),
                SearchParameterInfo.token("active", "true or false"));
    }

    /** NPI check digit: Luhn over the 9 digits prefixed with 80840 (CMS NPI standard). */
    static final class Npi {
        private static final Set<Character> DIGITS = Set.of('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');

        static boolean isValid(String npi) {
            if (npi == null || npi.length() != 10 || !npi.chars().allMatch(c -> DIGITS.contains((char) c))) {
                return false;
            }
            String digits = "80840" + npi;
            int sum = 0;
            boolean doubleIt = false;
            for (int i = digits.length() - 1; i >= 0; i--) {
                int d = digits.charAt(i) - '0';
                if (doubleIt) {
                    d *= 2;
                    if (d > 9) {
                        d -= 9;
                    }
                }
                sum += d;
                doubleIt = !doubleIt;
            }
            return sum % 10 == 0;
        }
    }
}
