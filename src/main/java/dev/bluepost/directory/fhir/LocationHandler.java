package dev.bluepost.directory.fhir;

import dev.bluepost.directory.DirectoryAdministration;
import dev.bluepost.directory.Practice;
import dev.bluepost.directory.StoredLocation;
import dev.bluepost.fhir.FhirUrls;
import dev.bluepost.fhir.HqlSearch;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.StoredResourceHandler;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Location.LocationStatus;

/**
 * Location, with the cehrt-equipped extension (absent = true; a change is recorded in the location's CEHRT
 * history, effective from the day of the update) and the county in address.district.
 */
@ApplicationScoped
public class LocationHandler extends StoredResourceHandler<Location, StoredLocation> {

    @Inject DirectoryAdministration administration;

    @Override
    public String type() {
        return "Location";
    }

    @Override
    public Class<Location> resourceClass() {
        return Location.class;
    }

    @Override
    protected Class<StoredLocation> entityClass() {
        return StoredLocation.class;
    }

    @Override
    protected StoredLocation newEntity() {
        return new StoredLocation();
    }

    @Override
    protected void apply(Location resource, StoredLocation location, Actor actor) {
        Ref practice =
                Ref.require(
                        resource.getManagingOrganization(),
                        "Location.managingOrganization",
                        "Organization");
        if (em.find(Practice.class, practice.id()) == null) {
            throw BluepostException.businessRule(
                    "Location.managingOrganization refers to "
                            + practice
                            + ", which is not known.");
        }
        location.practiceId = practice.id();
        location.name = resource.hasName() ? resource.getName() : null;
        Extension cehrt = resource.getExtensionByUrl(FhirUrls.EXT_CEHRT_EQUIPPED);
        if (cehrt != null && !(cehrt.getValue() instanceof BooleanType)) {
            throw BluepostException.businessRule(
                    "The cehrt-equipped extension needs a valueBoolean.");
        }
        location.cehrtEquipped = cehrt == null || ((BooleanType) cehrt.getValue()).booleanValue();
        location.county =
                resource.getAddress().hasDistrict() ? resource.getAddress().getDistrict() : null;
        location.state = resource.getAddress().hasState() ? resource.getAddress().getState() : null;
        location.status =
                resource.hasStatus()
                        ? resource.getStatus().toCode()
                        : LocationStatus.ACTIVE.toCode();
    }

    /** A new location's flag applies from the beginning, a changed one from today (the CEHRT history, ADR 0042). */
    @Override
    protected void afterWrite(StoredLocation location, Location resource) {
        administration.locationWritten(location, null);
    }

    /** A practice's locations (managingOrganization). */
    @Override
    protected String practiceCriterion(String practice) {
        return "e.practiceId = " + practice;
    }

    @Override
    protected boolean criterion(SearchParam param, HqlSearch search) {
        switch (param.name()) {
            case "organization" ->
                    search.and(referenceCriterion(param, search, "e.practiceId", "Organization"));
            case "name" -> search.and(stringCriterion(param, search, "e.name"));
            case "address-district" -> search.and(stringCriterion(param, search, "e.county"));
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    protected List<SearchParameterInfo> ownSearchParameters() {
        return List.of(
                SearchParameterInfo.reference(
                        "organization", "The practice (managingOrganization)"),
                SearchParameterInfo.string("name", "Location name"),
                SearchParameterInfo.string("address-district", "County"));
    }
}
