package dev.bluepost.fhir;

import ca.uhn.fhir.util.FhirTerser;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.PlatformConfig;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

/**
 * Create, read, update and search for a resource type stored as sent ({@link StoredResource}).
 * A feature supplies how a resource is checked and which columns it fills ({@link #apply}) and
 * its own search parameters ({@link #criterion}); {@code _id}, {@code identifier} and
 * {@code _lastUpdated} work for every type.
 */
public abstract class StoredResourceHandler<R extends DomainResource, E extends StoredResource>
        implements FhirResourceHandler<R> {

    @Inject protected EntityManager em;

    @Inject protected FhirJson json;

    @Inject protected Clock clock;

    @Inject protected PlatformConfig platformConfig;

    @Inject protected FhirReferences references;

    @Inject protected javax.sql.DataSource dataSource;

    protected abstract Class<E> entityClass();

    /** The JPA entity name queries use ({@code @Entity(name = …)}, else the class's simple name). */
    private String entityName() {
        return em.getMetamodel().entity(entityClass()).getName();
    }

    protected abstract E newEntity();

    /**
     * Checks the resource against Bluepost's rules (a 422 BluepostException names the field) and
     * copies what the platform needs into the entity's columns. References are already literal.
     */
    protected abstract void apply(R resource, E entity, Actor actor);

    /**
     * Adds the criterion of one type-specific search parameter; returns false when the parameter is
     * not supported (the search then answers 400).
     */
    protected boolean criterion(SearchParam param, HqlSearch search) {
        return false;
    }

    /**
     * The HQL criterion (over {@code e}) that holds for the resources of the practice bound as
     * {@code practice} (a placeholder such as {@code :p0}); null when the type holds no practice's
     * data (the default). Backs {@link #practiceCompartment}.
     */
    protected String practiceCriterion(String practice) {
        return null;
    }

    @Override
    public java.util.Optional<SearchParam> practiceCompartment(UUID practiceId) {
        return practiceCriterion(":p") == null
                ? java.util.Optional.empty()
                : java.util.Optional.of(
                        new SearchParam(PRACTICE_CRITERION, null, List.of(practiceId.toString())));
    }

    /** Type-specific search parameters, for the CapabilityStatement. */
    protected List<SearchParameterInfo> ownSearchParameters() {
        return List.of();
    }

    /** Called after a resource was created or updated (e.g. to record practice memberships). */
    protected void afterWrite(E entity, R resource) {}

    @Override
    public R read(UUID id, Actor actor) {
        E entity = em.find(entityClass(), id);
        if (entity == null) {
            throw BluepostException.notFound(type(), id);
        }
        return toResource(entity);
    }

    public R toResource(E entity) {
        return toResource(entity.id, entity.versionId(), entity.resource, entity.updatedAt);
    }

    /** The one row-to-resource mapping: the stored JSON with the server's id, version and last update. */
    private R toResource(UUID id, String versionId, String storedJson, Instant updatedAt) {
        R resource = json.parseStored(storedJson, resourceClass());
        resource.setId(type() + "/" + id);
        resource.getMeta().setVersionId(versionId);
        resource.getMeta().setLastUpdatedElement(new InstantType(Date.from(updatedAt)));
        return resource;
    }

    /**
     * The SQL condition (one {@code ?}, the practice's id) that selects the rows of one practice for
     * a bulk export; empty when the type is not exported. Columns are the entity table's own.
     */
    protected java.util.Optional<String> exportPracticeCondition() {
        return java.util.Optional.empty();
    }

    @Override
    public boolean exportable() {
        return exportPracticeCondition().isPresent();
    }

    /**
     * Streams the rows of the scope through a forward-only JDBC cursor ({@code fetchSize} rows per
     * round trip, in a read-only transaction of its own: one snapshot), each row mapped as a read maps it
     * ({@link #toResource}) and handed to the sink at once. {@code _since} compares {@code updated_at}
     * (= {@code meta.lastUpdated}), inclusively.
     */
    @Override
    public void export(ExportScope scope, ExportSink<R> sink) {
        List<Object> parameters = new ArrayList<>();
        ExportRows.stream(
                dataSource,
                exportSelect("id, version, resource::text, updated_at", scope, parameters),
                parameters,
                scope.fetchSize(),
                r ->
                        sink.accept(
                                toResource(
                                        r.getObject(1, UUID.class),
                                        String.valueOf(r.getInt(2) + 1),
                                        r.getString(3),
                                        r.getTimestamp(4).toInstant())));
    }

    /** {@code select <columns>} of the scope's rows of this type's table; fills {@code parameters}. */
    private String exportSelect(String columns, ExportScope scope, List<Object> parameters) {
        String table = entityClass().getAnnotation(jakarta.persistence.Table.class).name();
        StringBuilder sql =
                new StringBuilder("select " + columns + " from " + table + " where true");
        if (scope.practiceId() != null) {
            sql.append(" and ").append(exportPracticeCondition().orElseThrow());
            parameters.add(scope.practiceId());
        }
        if (scope.since() != null) {
            sql.append(" and updated_at >= ?");
            parameters.add(scope.since());
        }
        return sql.toString();
    }

    /**
     * The export of a type whose resource needs more than its stored JSON (sealed content opened, as
     * a read opens it): the ids of the scope through the same forward-only cursor, then
     * {@code fetchSize} entities at a time, each batch in a short transaction of its own, mapped by
     * {@link #toResource(StoredResource)}, the read's own mapping. A row that fails its integrity check
     * is left out and reported by id. A handler opts in by overriding {@link #export} with it.
     */
    protected final void exportEntities(ExportScope scope, ExportSink<R> sink) {
        List<Object> parameters = new ArrayList<>();
        ExportRows.idBatches(
                dataSource,
                exportSelect("id", scope, parameters),
                parameters,
                scope.fetchSize(),
                ids -> exportBatch(ids, sink));
    }

    private void exportBatch(List<UUID> ids, ExportSink<R> sink) {
        List<R> resources =
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    List<R> mapped = new ArrayList<>(ids.size());
                                    for (E entity :
                                            em.createQuery(
                                                            "from "
                                                                    + entityName()
                                                                    + " e where e.id in :ids order by e.createdAt, e.id",
                                                            entityClass())
                                                    .setParameter("ids", ids)
                                                    .getResultList()) {
                                        try {
                                            mapped.add(toResource(entity));
                                        } catch (dev.bluepost.crypto.TamperedDataException e) {
                                            sink.problem(
                                                    type()
                                                            + "/"
                                                            + entity.id
                                                            + " failed its integrity check and is left out of the export "
                                                            + "(recorded in the audit log).");
                                        }
                                    }
                                    return mapped;
                                });
        resources.forEach(sink::accept);
    }

    @Override
    public Stored<R> create(R resource, UUID id, Actor actor) {
        E entity = newEntity();
        entity.id = id;
        entity.createdAt = clock.instant();
        write(resource, entity, actor);
        em.persist(entity);
        em.flush();
        afterWrite(entity, resource);
        return new Stored<>(toResource(entity), true);
    }

    @Override
    public Stored<R> update(UUID id, R resource, String expectedVersionId, Actor actor) {
        E entity = em.find(entityClass(), id);
        if (entity == null) {
            if (expectedVersionId != null) {
                throw BluepostException.preconditionFailed(
                        type() + "/" + id + " does not exist, so If-Match cannot match.");
            }
            return create(resource, id, actor);
        }
        if (expectedVersionId != null && !expectedVersionId.equals(entity.versionId())) {
            throw BluepostException.preconditionFailed(
                    type()
                            + "/"
                            + id
                            + " is at version "
                            + entity.versionId()
                            + ", not "
                            + expectedVersionId
                            + ".");
        }
        write(resource, entity, actor);
        em.flush();
        afterWrite(entity, resource);
        return new Stored<>(toResource(entity), false);
    }

    private void write(R resource, E entity, Actor actor) {
        writeWith(
                resource,
                entity,
                () -> apply(resource, entity, actor),
                null,
                references.currentBase());
    }

    /**
     * Fills the entity from the resource as a create or update does (references normalized, then
     * {@code mapping} — the feature's checks and columns —, identifiers, the stored JSON), for a
     * feature that stores the entity itself (the encounter feeds' batched writes), from a resource
     * parsed from {@code source}: when {@link StoredJson#storable} vouches that the JSON as sent is
     * what encoding the resource would store (references already normalized), it is stored as sent
     * and the reference walk, the copy and the encoding are skipped; otherwise the resource is
     * encoded. A feed serves no request, so it has no base URL of its own: an absolute reference
     * is refused ({@link FhirReferences}). Thread-safe as long as {@code mapping} is (the bulk
     * encounter feeds map on several threads).
     */
    protected final void writeWith(
            R resource, E entity, Runnable mapping, StoredJson.Source source) {
        writeWith(resource, entity, mapping, source, java.util.Optional.empty());
    }

    private void writeWith(
            R resource,
            E entity,
            Runnable mapping,
            StoredJson.Source source,
            java.util.Optional<String> ownBase) {
        String asSent = StoredJson.storable(source).orElse(null);
        if (asSent == null) {
            normalizeReferences(resource, ownBase);
        }
        mapping.run();
        entity.identifierTokens = identifierTokens(resource);
        entity.updatedAt = clock.instant();
        if (asSent != null) {
            entity.resource = asSent;
            return;
        }
        @SuppressWarnings("unchecked")
        R stored = (R) resource.copy();
        stored.setIdElement(null);
        stored.getMeta().setVersionId(null);
        stored.getMeta().setLastUpdated(null);
        entity.resource = json.write(stored);
    }

    /**
     * References are stored as {@code Type/id}: absolute ones to this server and version-specific
     * ones are rewritten; one to another server is refused (400, {@link FhirReferences}).
     */
    private void normalizeReferences(R resource, java.util.Optional<String> ownBase) {
        references.localize(resource, ownBase);
        FhirTerser terser = json.context().newTerser();
        for (Reference reference :
                terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            if (reference.hasReference() && !reference.getReference().startsWith("#")) {
                Ref.parse(reference.getReference())
                        .ifPresent(ref -> reference.setReference(ref.value()));
            }
        }
    }

    private String[] identifierTokens(R resource) {
        Set<String> tokens = new LinkedHashSet<>();
        FhirTerser terser = json.context().newTerser();
        for (Identifier identifier :
                terser.getValues(resource, type() + ".identifier", Identifier.class)) {
            if (identifier.hasValue()) {
                tokens.add(
                        SearchValues.identifierToken(
                                identifier.getSystem(), identifier.getValue()));
                tokens.add(SearchValues.anySystemToken(identifier.getValue()));
            }
        }
        return tokens.toArray(String[]::new);
    }

    @Override
    public SearchResult<R> search(SearchQuery query, Actor actor) {
        HqlSearch search = new HqlSearch();
        for (SearchParam param : query.params()) {
            switch (param.name()) {
                case "_id" ->
                        search.anyOf(
                                param,
                                v ->
                                        "e.id = "
                                                + search.bind(
                                                        Ids.parse(v)
                                                                .orElse(SearchValues.NO_MATCH)));
                case "identifier" -> search.anyOf(param, v -> identifierCriterion(v, search));
                case "_lastUpdated" ->
                        search.anyOf(
                                param,
                                v -> SearchValues.date(v, zone()).criterion("e.updatedAt", search));
                case PRACTICE_CRITERION ->
                        search.and(
                                practiceCriterion(
                                        search.bind(
                                                Ids.parse(param.values().get(0))
                                                        .orElse(SearchValues.NO_MATCH))));
                default -> {
                    if (!criterion(param, search)) {
                        throw BluepostException.malformed(
                                "Search parameter '"
                                        + param.name()
                                        + "' is not supported for "
                                        + type()
                                        + "; see GET /fhir/metadata.");
                    }
                }
            }
        }
        SearchPage<E> matches = search.page(em, entityClass(), "e.createdAt, e.id", query);
        List<R> resources = new ArrayList<>();
        for (E entity : matches.rows()) {
            resources.add(toResource(entity));
        }
        return new SearchResult<>(resources, matches.total());
    }

    private static String identifierCriterion(String value, HqlSearch search) {
        SearchValues.Token token = SearchValues.token(value);
        String stored =
                token.anySystem()
                        ? SearchValues.anySystemToken(token.code())
                        : SearchValues.identifierToken(token.system(), token.code());
        return "array_contains(e.identifierTokens, " + search.bind(stored) + ")";
    }

    @Override
    public List<SearchParameterInfo> searchParameters() {
        List<SearchParameterInfo> all = new ArrayList<>();
        all.add(SearchParameterInfo.token("_id", "Logical id"));
        all.add(SearchParameterInfo.token("identifier", "system|value, |value or value"));
        all.add(
                SearchParameterInfo.date(
                        "_lastUpdated", "When the server last stored the resource"));
        all.addAll(ownSearchParameters());
        return all;
    }

    protected ZoneId zone() {
        return platformConfig.defaultTimeZone();
    }

    protected Instant now() {
        return clock.instant();
    }

    /**
     * Criterion of a reference parameter over a UUID column. A type modifier ({@code param:Type}) has
     * already been applied to the values by {@link SearchParameters}.
     */
    protected static String referenceCriterion(
            SearchParam param, HqlSearch search, String column, String... types) {
        List<String> values = param.values();
        List<String> clauses = new ArrayList<>();
        for (String value : values) {
            Ref ref = SearchValues.reference(value, types);
            boolean typeOk = List.of(types).contains(ref.type());
            clauses.add(column + " = " + search.bind(typeOk ? ref.id() : SearchValues.NO_MATCH));
        }
        return String.join(" or ", clauses);
    }

    /**
     * Criterion of a string parameter over text columns: case-insensitive starts-with by default,
     * {@code :contains} anywhere, {@code :exact} the whole value, case-sensitive (FHIR string search).
     */
    protected static String stringCriterion(
            SearchParam param, HqlSearch search, String... columns) {
        List<String> clauses = new ArrayList<>();
        for (String value : param.values()) {
            if (param.hasModifier("exact")) {
                String exact = search.bind(value);
                for (String column : columns) {
                    clauses.add(column + " = " + exact);
                }
                continue;
            }
            String pattern = search.bind(SearchValues.likePattern(value, param.modifier()));
            for (String column : columns) {
                clauses.add("lower(" + column + ") like " + pattern + " escape '\\'");
            }
        }
        return String.join(" or ", clauses);
    }
}
