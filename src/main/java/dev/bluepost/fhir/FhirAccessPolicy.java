package dev.bluepost.fhir;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.SmartScopes;
import dev.bluepost.platform.security.SmartScopes.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Who may do what on the FHIR API; the one place that decides it (ADR 0012).
 *
 * <ul>
 *   <li>A <b>system client</b> may do everything, for all practices.</li>
 *   <li>A <b>patient or proxy</b>, with a patient app's access token, may do what
 *       {@link #PATIENT_SIDE} lists and its token's scopes allow, inside the compartment of the one
 *       patient the token is for: every search of theirs is narrowed to that patient (a search
 *       about another patient finds nothing), and a resource outside it is not found (404).
 *       Anything else, transactions included, is 403.</li>
 *   <li>A <b>practice's backend client</b> (SMART Backend Services, ADR 0048) may read and search
 *       what its token's {@code system/…} scopes allow, of every type that holds a practice's data,
 *       and only its own practice's: every search is narrowed (ANDed) with the type's
 *       {@link FhirResourceHandler#practiceCompartment}, and another practice's resource is not
 *       found (404). The measure definitions ({@link #SHARED_DEFINITIONS}) are the same for every
 *       practice. It writes nothing: creates, updates and transactions are 403.</li>
 *   <li>Nobody else: staff and browser sessions are refused (403; sessions never reach the API,
 *       see {@code SessionAuthenticationMechanism}).</li>
 * </ul>
 *
 * The type-level decision ({@link #check}) is taken by {@link FhirResource} for each request; the
 * data-level narrowing ({@link #restrict}, {@link #requireInCompartment}) by {@link FhirOperations},
 * so that it also covers the searches an interaction runs internally (conditional create).
 */
@ApplicationScoped
public class FhirAccessPolicy {

    /** The interactions of the API, with the SMART permission each needs. */
    public enum Interaction {
        READ(Permission.READ),
        SEARCH(Permission.SEARCH),
        CREATE(Permission.CREATE),
        UPDATE(Permission.UPDATE),
        TRANSACTION(null);

        private final Permission permission;

        Interaction(Permission permission) {
            this.permission = permission;
        }
    }

    /**
     * What patients and proxies may do at most, whatever their app asked for: read, search and
     * create (send) the Communications of their patient, read and search their Patient record, their
     * visits (Encounter) and the visit documents made available to them (DocumentReference, with the
     * document inline). The authorization server offers exactly these scopes to patient apps (ADR 0047).
     */
    public static final SmartScopes PATIENT_SIDE =
            SmartScopes.parse(
                    "patient/Communication.crs patient/DocumentReference.rs patient/Encounter.rs patient/Patient.rs");

    /** The attachments of messages, read by id only (a patient app reads its own messages' with its message scope). */
    static final String ATTACHMENT = "Binary";

    /** Types that hold no practice's data but definitions the same for all (readable by every practice's client). */
    public static final java.util.Set<String> SHARED_DEFINITIONS = java.util.Set.of("Measure");

    /** 403 unless {@code actor}, holding {@code scopes}, may perform {@code interaction} on {@code type}. */
    public void check(Interaction interaction, String type, Actor actor, SmartScopes scopes) {
        if (actor.isSystem()) {
            return;
        }
        if (isPracticeClient(actor)) {
            if (interaction != Interaction.READ && interaction != Interaction.SEARCH) {
                throw BluepostException.forbidden(
                        "A practice's system reads and searches its practice's data; it cannot "
                                + verb(interaction)
                                + " "
                                + (interaction == Interaction.TRANSACTION
                                        ? "this server"
                                        : type + " resources")
                                + ". Writes go through the operator's system client (see docs/fhir.md).");
            }
            if (!scopes.allows(type, interaction.permission)) {
                throw BluepostException.forbidden(
                        "The access token's scope does not allow to "
                                + verb(interaction)
                                + " "
                                + type
                                + " resources (it grants: "
                                + (scopes.isEmpty() ? "nothing" : scopes.asSystemScopes())
                                + ").");
            }
            return;
        }
        if (!isPatientSide(actor)) {
            throw BluepostException.forbidden(
                    "The FHIR API is open to system clients and to patient apps "
                            + "(a patient's or proxy's access token).");
        }
        if (interaction == Interaction.TRANSACTION) {
            throw BluepostException.forbidden("Transactions are for system clients.");
        }
        if (ATTACHMENT.equals(type) && interaction == Interaction.READ) {
            // a message's attachment is read with the scope that reads the message; the handler's
            // read
            // confines it to the threads the person may see (their patient's, a proxy never a
            // sensitive one)
            if (!scopes.allows("Communication", Permission.READ)) {
                throw BluepostException.forbidden(
                        "The access token's scope does not allow to read messages, nor their "
                                + "attachments (it grants: "
                                + (scopes.isEmpty() ? "nothing" : scopes)
                                + ").");
            }
            return;
        }
        if (!PATIENT_SIDE.allows(type, interaction.permission)) {
            throw BluepostException.forbidden(
                    "A patient app may not " + verb(interaction) + " " + type + " resources.");
        }
        if (!scopes.allows(type, interaction.permission)) {
            throw BluepostException.forbidden(
                    "The access token's scope does not allow to "
                            + verb(interaction)
                            + " "
                            + type
                            + " resources (it grants: "
                            + (scopes.isEmpty() ? "nothing" : scopes)
                            + ").");
        }
    }

    /**
     * The search as {@code actor} may run it: unchanged for a system client; for a patient or proxy
     * narrowed (ANDed) to their patient's compartment, so a search naming another patient finds nothing.
     */
    public SearchQuery restrict(FhirResourceHandler<?> handler, SearchQuery query, Actor actor) {
        if (actor.isSystem()) {
            return query;
        }
        if (isPracticeClient(actor)) {
            if (SHARED_DEFINITIONS.contains(handler.type())) {
                return query;
            }
            SearchParam practice =
                    handler.practiceCompartment(actor.practiceId())
                            .orElseThrow(
                                    () ->
                                            BluepostException.forbidden(
                                                    handler.type()
                                                            + " resources hold no practice's data; a practice's system cannot "
                                                            + "search them."));
            List<SearchParam> params = new ArrayList<>(query.params());
            params.add(practice);
            return new SearchQuery(params, query.count(), query.offset());
        }
        if (!isPatientSide(actor)) {
            throw BluepostException.forbidden("Only system clients and patient apps may search.");
        }
        SearchParam compartment =
                handler.patientCompartment(actor.patientId())
                        .orElseThrow(
                                () ->
                                        BluepostException.forbidden(
                                                "A patient app may not search "
                                                        + handler.type()
                                                        + " resources."));
        List<SearchParam> params = new ArrayList<>(query.params());
        params.add(compartment);
        return new SearchQuery(params, query.count(), query.offset());
    }

    /**
     * 404 unless the resource {@code id} lies in the compartment of the actor's patient (system
     * clients: always). Checked with the same compartment search, so reads and searches agree.
     */
    public void requireInCompartment(FhirResourceHandler<?> handler, UUID id, Actor actor) {
        if (actor.isSystem()) {
            return;
        }
        if ((isPracticeClient(actor) || isPatientSide(actor)) && !handler.searchable()) {
            return; // read by id only (Binary): its handler's read already confined it to the
            // threads the actor may see
        }
        SearchQuery byId =
                restrict(
                        handler,
                        new SearchQuery(
                                List.of(new SearchParam("_id", null, List.of(id.toString()))),
                                0,
                                0),
                        actor);
        if (handler.search(byId, actor).total() == 0) {
            throw BluepostException.notFound(handler.type(), id);
        }
    }

    private static boolean isPracticeClient(Actor actor) {
        return actor.isPracticeClient() && actor.practiceId() != null;
    }

    /**
     * Who may run a FHIR Bulk Data export of what; the one decision, for the kick-off and for
     * everything after it. {@code group} is the practice of {@code Group/{id}/$export}, or null for
     * {@code Patient/$export}. Answers the practice whose data the export holds, or empty for every
     * practice:
     * <ul>
     *   <li>the <b>system client</b>: any practice's Group; {@code Patient/$export} covers every practice;</li>
     *   <li>a <b>practice client</b>: its own practice's Group, and {@code Patient/$export} = its
     *       practice's patients; another practice's Group is 404, exactly like an unknown one;</li>
     *   <li>anybody else: 403.</li>
     * </ul>
     */
    public java.util.Optional<UUID> exportScope(Actor actor, UUID group) {
        if (actor.isSystem()) {
            return java.util.Optional.ofNullable(group);
        }
        if (isPracticeClient(actor)) {
            if (group != null && !group.equals(actor.practiceId())) {
                throw BluepostException.notFound("Group", group);
            }
            return java.util.Optional.of(actor.practiceId());
        }
        throw BluepostException.forbidden(
                "Bulk Data export is for system clients and practices' backend clients.");
    }

    private static boolean isPatientSide(Actor actor) {
        return actor.isPatientSide() && actor.patientId() != null;
    }

    private static String verb(Interaction interaction) {
        return switch (interaction) {
            case READ -> "read";
            case SEARCH -> "search";
            case CREATE -> "create";
            case UPDATE -> "update";
            case TRANSACTION -> "run transactions on";
        };
    }
}
