package dev.bluepost.directory.fhir;

import dev.bluepost.directory.Practice;
import dev.bluepost.fhir.FhirOperationDefinition;
import dev.bluepost.fhir.FhirResourceHandler;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.SearchQuery;
import dev.bluepost.fhir.SearchResult;
import dev.bluepost.fhir.Stored;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Reference;

/**
 * A practice as a FHIR {@code Group} of patients, for Bulk Data export ({@code docs/fhir.md §16}):
 * {@code Group/{id}} has the practice's id; its members are the patients the practice manages
 * ({@code Patient.managingOrganization}), {@code actual} true, {@code managingEntity} the
 * Organization. Read-only, never searched: groups are not stored, they are the practices.
 */
@ApplicationScoped
public class GroupHandler implements FhirResourceHandler<Group>, FhirOperationDefinition {

    private final EntityManager em;

    public GroupHandler(EntityManager em) {
        this.em = em;
    }

    @Override
    public String type() {
        return "Group";
    }

    @Override
    public String resourceType() {
        return "Group";
    }

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String definitionUrl() {
        return "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export";
    }

    @Override
    public Class<Group> resourceClass() {
        return Group.class;
    }

    @Override
    public Group read(UUID id, Actor actor) {
        Practice practice = em.find(Practice.class, id);
        // a practice's backend client reads only its own practice's group; another's is not found,
        // like an unknown one
        if (practice == null || (actor.isPracticeClient() && !id.equals(actor.practiceId()))) {
            throw BluepostException.notFound("Group", id);
        }
        Group group = new Group();
        group.setId("Group/" + id);
        group.getMeta().setVersionId("1");
        group.setType(Group.GroupType.PERSON);
        group.setActual(true);
        group.setName(practice.name);
        group.setManagingEntity(new Reference("Organization/" + id));
        List<UUID> members =
                em.createQuery(
                                "select p.id from Patient p where p.practiceId = :practice order by p.id",
                                UUID.class)
                        .setParameter("practice", id)
                        .getResultList();
        group.setQuantity(members.size());
        members.forEach(member -> group.addMember().setEntity(new Reference("Patient/" + member)));
        return group;
    }

    @Override
    public Stored<Group> create(Group resource, UUID id, Actor actor) {
        throw new BluepostException(
                ErrorKind.METHOD_NOT_ALLOWED, "Groups are the practices; they cannot be created.");
    }

    @Override
    public Stored<Group> update(UUID id, Group resource, String expectedVersionId, Actor actor) {
        throw new BluepostException(
                ErrorKind.METHOD_NOT_ALLOWED, "Groups are the practices; they cannot be changed.");
    }

    @Override
    public SearchResult<Group> search(SearchQuery query, Actor actor) {
        throw new BluepostException(
                ErrorKind.METHOD_NOT_ALLOWED,
                "Groups are read by id (the practice's id); they cannot be searched.");
    }

    @Override
    public List<SearchParameterInfo> searchParameters() {
        return List.of();
    }

    @Override
    public boolean creatable() {
        return false;
    }

    @Override
    public boolean updatable() {
        return false;
    }

    @Override
    public boolean searchable() {
        return false;
    }
}
