package dev.bluepost.fhir;

import dev.bluepost.platform.security.Actor;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Resource;

/**
 * What a feature offers the FHIR API for one resource type. {@link FhirResource} and the
 * transaction processor call these inside a database transaction; implementations live in the
 * feature that owns the data ({@code directory.fhir}, {@code messaging.fhir}, …).
 */
public interface FhirResourceHandler<R extends Resource> {

    /** The FHIR type name, e.g. {@code Patient}. */
    String type();

    Class<R> resourceClass();

    /** The resource, or a 404 BluepostException. */
    R read(UUID id, Actor actor);

    /** Creates the resource with the given server-assigned id. */
    Stored<R> create(R resource, UUID id, Actor actor);

    /**
     * Replaces the resource; creates it when the id is unknown (update-as-create). A non-null
     * {@code expectedVersionId} (from If-Match) that differs from the current one is a 412.
     */
    Stored<R> update(UUID id, R resource, String expectedVersionId, Actor actor);

    SearchResult<R> search(SearchQuery query, Actor actor);

    List<SearchParameterInfo> searchParameters();

    /**
     * The stored resource a create would duplicate, for types whose identity the platform enforces
     * (a Communication's identifier: "the same message delivered twice is stored once"). Such a
     * create answers the stored resource (200) instead of a new one. A handler that has one also
     * answers the duplicate from {@link #create} ({@code created = false}): a plain create asks only
     * the handler's create; a transaction asks this first, to resolve its references.
     */
    default java.util.Optional<R> storedDuplicate(R resource, Actor actor) {
        return java.util.Optional.empty();
    }

    /**
     * The identity the platform enforces for a new resource of this type (for a Communication, its
     * identifier), or empty: two entries of one transaction with the same identity are refused (409),
     * since only one of them could be stored.
     */
    default java.util.Optional<String> identity(R resource) {
        return java.util.Optional.empty();
    }

    /**
     * The search criterion that confines this type to one patient's compartment (e.g.
     * {@code subject=Patient/<id>}); empty when the type is not in a patient's compartment. Used by
     * {@link FhirAccessPolicy} to narrow what patients and proxies see.
     */
    default java.util.Optional<SearchParam> patientCompartment(UUID patientId) {
        return java.util.Optional.empty();
    }

    /**
     * The name of the criterion {@link #practiceCompartment} adds. No type declares it among its
     * search parameters, so {@link SearchParameters} refuses it from a client (400): only the access
     * policy can add it.
     */
    String PRACTICE_CRITERION = "_practice";

    /**
     * The search criterion that confines this type to one practice's data (named
     * {@link #PRACTICE_CRITERION}, the practice id its one value); empty when the type holds no
     * practice's data. Used by {@link FhirAccessPolicy} to narrow what a practice's backend client
     * sees (ADR 0048): its searches are ANDed with it, and a read outside it is 404.
     */
    default java.util.Optional<SearchParam> practiceCompartment(UUID practiceId) {
        return java.util.Optional.empty();
    }

    /** Whether clients may create this type (false for resources the server creates, such as Task). */
    default boolean creatable() {
        return true;
    }

    /** Whether the type can be searched (false for Binary, which is only read by id). */
    default boolean searchable() {
        return true;
    }

    /** Whether clients may update this type. */
    default boolean updatable() {
        return true;
    }

    /** Whether the type is offered to FHIR Bulk Data export ({@code $export}). */
    default boolean exportable() {
        return false;
    }

    /**
     * Streams the type's resources in {@code scope} to {@code sink}, with constant memory (a
     * forward-only cursor; never the whole type in a list), outside any request: the bulk export's
     * background job calls it. Only for {@link #exportable()} types.
     */
    default void export(ExportScope scope, ExportSink<R> sink) {
        throw new UnsupportedOperationException(type() + " is not exportable");
    }
}
