package dev.bluepost.directory.fhir;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.Practice;
import dev.bluepost.directory.StoredCareTeam;
import dev.bluepost.directory.StoredPractitioner;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CareTeam.CareTeamParticipantComponent;

/** Pool (triage group) = CareTeam managed by the practice; its Practitioner participants are its members. */
@ApplicationScoped
public class CareTeamHandler extends StoredResourceHandler<CareTeam, StoredCareTeam> {

    @Inject DirectoryService directory;

    @Override
    public String type() {
        return "CareTeam";
    }

    @Override
    public Class<CareTeam> resourceClass() {
        return CareTeam.class;
    }

    @Override
    protected Class<StoredCareTeam> entityClass() {
        return StoredCareTeam.class;
    }

    @Override
    protected StoredCareTeam newEntity() {
        return new StoredCareTeam();
    }

    @Override
    protected void apply(CareTeam resource, StoredCareTeam pool, Actor actor) {
        if (!resource.hasManagingOrganization()) {
            throw BluepostException.businessRule(
                    "CareTeam.managingOrganization is required: the practice the pool belongs to.");
        }
        Ref practice =
                Ref.require(
                        resource.getManagingOrganizationFirstRep(),
                        "CareTeam.managingOrganization",
                        "Organization");
        if (em.find(Practice.class, practice.id()) == null) {
            throw BluepostException.businessRule(
                    "CareTeam.managingOrganization refers to "
                            + practice
                            + ", which is not known.");
        }
        if (!resource.hasName() || resource.getName().isBlank()) {
            throw BluepostException.businessRule(
                    "CareTeam.name is required: patients pick pools by name.");
        }
        pool.practiceId = practice.id();
        pool.name = resource.getName().trim();
        pool.status = resource.hasStatus() ? resource.getStatus().toCode() : "active";
        Set<UUID> members = new HashSet<>();
        for (CareTeamParticipantComponent participant : resource.getParticipant()) {
            if (participant.hasMember()
                    && participant.getMember().getReference() != null
                    && participant.getMember().getReference().contains("Practitioner/")) {
                Ref member =
                        Ref.require(
                                participant.getMember(),
                                "CareTeam.participant.member",
                                "Practitioner");
                if (em.find(StoredPractitioner.class, member.id()) == null) {
                    throw BluepostException.businessRule(
                            "CareTeam.participant.member refers to "
                                    + member
                                    + ", which is not known.");
                }
                members.add(member.id());
            }
        }
        pool.memberIds.clear();
        pool.memberIds.addAll(members);
    }

    @Override
    protected void afterWrite(StoredCareTeam pool, CareTeam resource) {
        pool.memberIds.forEach(
                member -> directory.recordPracticeMembership(member, pool.practiceId));
    }

    /** A practice's pools (managingOrganization). */
    @Override
    protected String practiceCriterion(String practice) {
        return "e.practiceId = " + practice;
    }

    @Override
    protected boolean criterion(SearchParam param, HqlSearch search) {
        switch (param.name()) {
            case "participant" ->
                    search.anyOf(
                            param,
                            v -> {
                                Ref ref = SearchValues.reference(v, "Practitioner");
                                return search.bind(ref.id()) + " member of e.memberIds";
                            });
            case "status" -> search.anyOf(param, v -> "e.status = " + search.bind(v));
            case "name" -> search.and(stringCriterion(param, search, "e.name"));
            case "organization" ->
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
                SearchParameterInfo.reference("participant", "A member Practitioner"),
                SearchParameterInfo.token("status", "active, inactive, …"),
                SearchParameterInfo.string("name", "Pool name (Bluepost extension parameter)"),
                SearchParameterInfo.reference(
                        "organization", "The practice (Bluepost extension parameter)"));
    }
}
