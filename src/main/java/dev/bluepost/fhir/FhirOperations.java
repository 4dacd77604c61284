package dev.bluepost.fhir;

import dev.bluepost.fhir.FhirInteractionLog.Interaction;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR interactions in their own database transaction, shared by the REST resource and the
 * transaction processor (which runs several of them in one). Reads and searches are confined to
 * what the caller may see by {@link FhirAccessPolicy}; every read, search, create and update is
 * audited here, in the interaction's transaction. Search parameters are checked by
 * {@link SearchParameters}, and absolute references of written resources by {@link FhirReferences}.
 */
@ApplicationScoped
public class FhirOperations {

    /** Properties through which a resource names the patient it is about. */
    private static final List<String> PATIENT_PROPERTIES =
            List.of("subject", "patient", "for", "beneficiary");

    private final FhirRegistry registry;
    private final FhirAccessPolicy policy;
    private final FhirInteractionLog audit;
    private final FhirReferences references;

    public FhirOperations(
            FhirRegistry registry,
            FhirAccessPolicy policy,
            FhirInteractionLog audit,
            FhirReferences references) {
        this.registry = registry;
        this.policy = policy;
        this.audit = audit;
        this.references = references;
    }

    @Transactional
    public Resource read(String type, String id, Actor actor) {
        UUID uuid = Ids.parse(id).orElseThrow(() -> BluepostException.notFound(type, id));
        FhirResourceHandler<Resource> handler = registry.handler(type);
        Resource resource = handler.read(uuid, actor);
        policy.requireInCompartment(handler, uuid, actor);
        audit.record(actor, Interaction.READ, type, uuid, patientOf(resource), null);
        return resource;
    }

    /**
     * A search, audited with one SEARCH entry per patient whose information the returned page holds
     * (one without a patient when it holds none): the query itself is never recorded, since its
     * values can be names or birth dates.
     */
    @Transactional
    public SearchResult<? extends Resource> search(String type, SearchQuery query, Actor actor) {
        FhirResourceHandler<Resource> handler = registry.handler(type);
        if (!handler.searchable()) {
            throw new BluepostException(
                    dev.bluepost.platform.errors.ErrorKind.METHOD_NOT_ALLOWED,
                    type + " resources are read by id only; they cannot be searched.");
        }
        SearchQuery checked = SearchParameters.check(handler, query, references.currentBase());
        SearchResult<? extends Resource> result =
                handler.search(policy.restrict(handler, checked, actor), actor);
        Set<UUID> patients = new LinkedHashSet<>();
        result.page()
                .forEach(
                        resource ->
                                Optional.ofNullable(patientOf(resource)).ifPresent(patients::add));
        if (patients.isEmpty()) {
            audit.record(actor, Interaction.SEARCH, type, null, null, null);
        }
        patients.forEach(
                patient -> audit.record(actor, Interaction.SEARCH, type, null, patient, null));
        return result;
    }

    /** Create; with {@code ifNoneExist}, returns the one existing match instead (not created). */
    @Transactional
    public Stored<? extends Resource> create(Resource resource, String ifNoneExist, Actor actor) {
        return createWithId(resource, Ids.newId(), ifNoneExist, actor);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Stored<? extends Resource> createWithId(
            Resource resource, UUID id, String ifNoneExist, Actor actor) {
        FhirResourceHandler<Resource> handler = handlerFor(resource.fhirType(), true);
        references.localize(resource);
        // without ifNoneExist, a duplicate by identity (a Communication's identifier) is answered
        // by the
        // handler's create itself, which looks it up anyway: one lookup per create, not two
        Optional<Resource> existing =
                ifNoneExist == null || ifNoneExist.isBlank()
                        ? Optional.empty()
                        : existing(resource, ifNoneExist, actor);
        Stored<? extends Resource> stored =
                existing.isPresent()
                        ? new Stored<>(existing.get(), false)
                        : handler.create(resource, id, actor);
        audited(stored.created() ? Interaction.CREATE : Interaction.READ, stored.resource(), actor);
        return stored;
    }

    @Transactional
    public Stored<? extends Resource> update(
            String type, String id, Resource resource, String ifMatch, Actor actor) {
        FhirResourceHandler<Resource> handler = handlerFor(type, false);
        if (!resource.fhirType().equals(type)) {
            throw BluepostException.malformed(
                    "The body is a " + resource.fhirType() + " but the URL names " + type + ".");
        }
        if (!resource.hasIdElement() || !id.equals(resource.getIdElement().getIdPart())) {
            throw BluepostException.malformed(
                    "The resource id in the body must equal the id in the URL (" + id + ").");
        }
        UUID uuid =
                Ids.parse(id)
                        .orElseThrow(
                                () ->
                                        BluepostException.businessRule(
                                                "'"
                                                        + id
                                                        + "' is not a Bluepost id; ids are assigned by the server (UUIDs)."));
        return updateWithId(type, uuid, resource, ifMatch, actor);
    }

    /** Update (or create with the client's id) inside a running transaction: the REST update and transaction entries. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Stored<? extends Resource> updateWithId(
            String type, UUID id, Resource resource, String ifMatch, Actor actor) {
        FhirResourceHandler<Resource> handler = handlerFor(type, false);
        references.localize(resource);
        Stored<? extends Resource> stored =
                handler.update(id, resource, versionFromETag(ifMatch), actor);
        audited(
                stored.created() ? Interaction.CREATE : Interaction.UPDATE,
                stored.resource(),
                actor);
        return stored;
    }

    private void audited(Interaction interaction, Resource resource, Actor actor) {
        audit.record(
                actor,
                interaction,
                resource.fhirType(),
                Ids.parse(resource.getIdElement().getIdPart()).orElse(null),
                patientOf(resource),
                null);
    }

    /** The patient a resource is about: a Patient itself, or the Patient its subject/patient/for names. */
    static UUID patientOf(Resource resource) {
        if (resource instanceof Patient) {
            return Ids.parse(resource.getIdElement().getIdPart()).orElse(null);
        }
        for (String name : PATIENT_PROPERTIES) {
            Property property = resource.getNamedProperty(name);
            if (property == null) {
                continue;
            }
            for (Base value : property.getValues()) {
                if (value instanceof Reference reference
                        && reference.getReference() != null
                        && reference.getReference().startsWith("Patient/")) {
                    return Ids.parse(reference.getReference().substring("Patient/".length()))
                            .orElse(null);
                }
            }
        }
        return null;
    }

    /** What a create of {@code resource} would find already stored: the ifNoneExist match, or a duplicate by identity. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Resource> existing(Resource resource, String ifNoneExist, Actor actor) {
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            Optional<Resource> match =
                    findOne(resource.fhirType(), stripQueryPrefix(ifNoneExist), actor);
            if (match.isPresent()) {
                return match;
            }
        }
        return registry.<Resource>handler(resource.fhirType()).storedDuplicate(resource, actor);
    }

    /**
     * The single resource matching a conditional query; empty when none; 412 when several
     * (FHIR conditional create / update semantics).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Resource> findOne(String type, String query, Actor actor) {
        SearchQuery parsed = SearchQuery.parse(query);
        if (parsed.isEmpty()) {
            throw BluepostException.malformed(
                    "A conditional criterion for " + type + " must have at least one parameter.");
        }
        FhirResourceHandler<Resource> handler = registry.handler(type);
        SearchQuery checked = SearchParameters.check(handler, parsed, references.currentBase());
        SearchResult<? extends Resource> result =
                handler.search(
                        policy.restrict(handler, new SearchQuery(checked.params(), 2, 0), actor),
                        actor);
        if (result.total() > 1) {
            throw BluepostException.preconditionFailed(
                    "The criterion "
                            + type
                            + "?"
                            + query
                            + " matches "
                            + result.total()
                            + " resources; it must match at most one.");
        }
        return result.page().isEmpty() ? Optional.empty() : Optional.of(result.page().get(0));
    }

    FhirResourceHandler<Resource> handlerFor(String type, boolean create) {
        FhirResourceHandler<Resource> handler = registry.handler(type);
        if (create ? !handler.creatable() : !handler.updatable()) {
            throw new BluepostException(
                    dev.bluepost.platform.errors.ErrorKind.METHOD_NOT_ALLOWED,
                    type
                            + " resources cannot be "
                            + (create ? "created" : "updated")
                            + " by clients; the server maintains them.");
        }
        return handler;
    }

    static String stripQueryPrefix(String criterion) {
        String text = criterion.trim();
        int question = text.indexOf('?');
        return question >= 0 ? text.substring(question + 1) : text;
    }

    /** {@code W/"3"} or {@code "3"} or {@code 3} → {@code 3}; null stays null. */
    static String versionFromETag(String etag) {
        if (etag == null || etag.isBlank()) {
            return null;
        }
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        return value.replace("\"", "");
    }
}
