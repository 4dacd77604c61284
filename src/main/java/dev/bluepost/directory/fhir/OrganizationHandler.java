package dev.bluepost.directory.fhir;

import dev.bluepost.directory.DirectoryAdministration;
import dev.bluepost.directory.Practice;
import dev.bluepost.fhir.FhirUrls;
import dev.bluepost.fhir.HqlSearch;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.StoredResourceHandler;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Organization;

/**
 * Practice = Organization, with its IANA time zone in the time-zone extension and, optionally, the
 * number of days patients may reply to a thread after its last message (reply-window-days).
 */
@ApplicationScoped
public class OrganizationHandler extends StoredResourceHandler<Organization, Practice> {

    @jakarta.inject.Inject dev.bluepost.platform.PlatformConfig platform;

    @Override
    public String type() {
        return "Organization";
    }

    @Override
    public Class<Organization> resourceClass() {
        return Organization.class;
    }

    @Override
    protected Class<Practice> entityClass() {
        return Practice.class;
    }

    @Override
    protected Practice newEntity() {
        return new Practice();
    }

    @Override
    protected void apply(Organization org, Practice practice, Actor actor) {
        if (!org.hasName() || org.getName().isBlank()) {
            throw BluepostException.businessRule("Organization.name is required for a practice.");
        }
        practice.name = org.getName().trim();
        Extension zone = org.getExtensionByUrl(FhirUrls.EXT_TIME_ZONE);
        // without its own zone a practice gets the configured default, stored with it, so the
        // database
        // (the measure aggregates date messages in the practice's zone) knows every practice's zone
        practice.timeZone = platform.defaultTimeZone().getId();
        if (zone != null) {
            String code = zone.getValue() == null ? null : zone.getValue().primitiveValue();
            try {
                practice.timeZone = DirectoryAdministration.checkZone(code).getId();
            } catch (
                    BluepostException
                            e) { // the same check as the practice page's, in an integrator's words
                throw BluepostException.businessRule(
                        "The time-zone extension must be an IANA zone such as America/Chicago, not '"
                                + code
                                + "'.");
            }
        }
        practice.active = !org.hasActive() || org.getActive();
        Extension window = org.getExtensionByUrl(FhirUrls.EXT_REPLY_WINDOW_DAYS);
        practice.replyWindowDays = null;
        if (window != null) {
            try {
                if (!(window.getValue() instanceof IntegerType days) || days.getValue() == null) {
                    throw BluepostException.businessRule("no integer");
                }
                practice.replyWindowDays =
                        DirectoryAdministration.checkReplyWindow(days.getValue());
            } catch (
                    BluepostException
                            e) { // the same check as the practice page's, in an integrator's words
                throw BluepostException.businessRule(
                        "The reply-window-days extension needs a valueInteger from 1 to 3650.");
            }
        }
    }

    /** A practice's compartment holds its own Organization. */
    @Override
    protected String practiceCriterion(String practice) {
        return "e.id = " + practice;
    }

    @Override
    protected boolean criterion(SearchParam param, HqlSearch search) {
        if (param.name().equals("name")) {
            search.and(stringCriterion(param, search, "e.name"));
            return true;
        }
        return false;
    }

    @Override
    protected List<SearchParameterInfo> ownSearchParameters() {
        return List.of(
                SearchParameterInfo.string(
                        "name", "Practice name (starts with, case-insensitive)"));
    }
}
