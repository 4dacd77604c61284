package dev.bluepost.audit.fhir;

import dev.bluepost.audit.AuditAction;
import dev.bluepost.audit.AuditReader;
import dev.bluepost.audit.AuditReader.Criteria;
import dev.bluepost.audit.AuditReader.Line;
import dev.bluepost.fhir.FhirAccessPolicy;
import dev.bluepost.fhir.FhirResourceHandler;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchPage;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.SearchQuery;
import dev.bluepost.fhir.SearchResult;
import dev.bluepost.fhir.SearchValues;
import dev.bluepost.fhir.Stored;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * The audit log as FHIR R4 {@code AuditEvent} (read and search; never written by clients), in the
 * spirit of IHE BALP: who (the login or system client, its roles and network address), what
 * (action, the resource by type and id, the patient), when (UTC), the outcome, and the entry's place
 * in the hash chain (extension {@value #CHAIN}). The id is the first 32 hex digits of the entry's
 * hash. Only system clients reach it ({@link FhirAccessPolicy}).
 */
@ApplicationScoped
public class AuditEventHandler implements FhirResourceHandler<AuditEvent> {

    static final String ACTION_SYSTEM = "https://fhir.bluepost.dev/CodeSystem/audit-action";
    static final String ROLE_SYSTEM = "https://fhir.bluepost.dev/CodeSystem/role";
    static final String LOGIN_SYSTEM = "https://fhir.bluepost.dev/sid/login";
    static final String CLIENT_SYSTEM = "https://fhir.bluepost.dev/sid/client-id";
    static final String CHAIN = "https://fhir.bluepost.dev/StructureDefinition/audit-chain";
    static final String ON_BEHALF_OF = "https://fhir.bluepost.dev/StructureDefinition/on-behalf-of";
    static final String REASON_SYSTEM = "https://fhir.bluepost.dev/CodeSystem/audit-reason";
    static final String PURPOSE_OF_USE_SYSTEM =
            "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{0,63}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final AuditReader log;

    public AuditEventHandler(AuditReader log) {
        this.log = log;
    }

    @Override
    public String type() {
        return "AuditEvent";
    }

    @Override
    public Class<AuditEvent> resourceClass() {
        return AuditEvent.class;
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
    public AuditEvent read(UUID id, Actor actor) {
        return log.byId(id, actor.isSystem() ? null : actor.practiceId())
                .map(AuditEventHandler::toResource)
                .orElseThrow(() -> BluepostException.notFound("AuditEvent", id));
    }

    @Override
    public Stored<AuditEvent> create(AuditEvent resource, UUID id, Actor actor) {
        throw new BluepostException(
                ErrorKind.METHOD_NOT_ALLOWED,
                "AuditEvents are recorded by the server; the audit log is append-only.");
    }

    @Override
    public Stored<AuditEvent> update(
            UUID id, AuditEvent resource, String expectedVersionId, Actor actor) {
        throw new BluepostException(
                ErrorKind.METHOD_NOT_ALLOWED,
                "AuditEvents cannot be changed; the audit log is append-only.");
    }

    /** The practice's own (ADR 0048). */
    @Override
    public java.util.Optional<SearchParam> practiceCompartment(UUID practiceId) {
        return java.util.Optional.of(
                new SearchParam(PRACTICE_CRITERION, null, List.of(practiceId.toString())));
    }

    @Override
    public SearchResult<AuditEvent> search(SearchQuery query, Actor actor) {
        Criteria criteria = new Criteria();
        if (!actor.isSystem()) {
            criteria.practice(actor.practiceId());
        }
        EnumSet<AuditAction> actions = null; // any, until action or subtype narrow it
        for (SearchParam param : query.params()) {
            switch (param.name()) {
                case PRACTICE_CRITERION ->
                        criteria.practice(
                                Ids.parse(param.values().get(0)).orElse(SearchValues.NO_MATCH));
                case "date" -> {
                    for (String value : param.values()) {
                        SearchValues.DateRange range = SearchValues.date(value, ZoneOffset.UTC);
                        switch (range.prefix()) {
                            case "eq" -> criteria.from(range.start()).to(range.end());
                            case "ge" -> criteria.from(range.start());
                            case "gt", "sa" -> criteria.from(range.end());
                            case "le" -> criteria.to(range.end());
                            case "lt", "eb" -> criteria.to(range.start());
                            default ->
                                    throw BluepostException.malformed(
                                            "AuditEvent date takes the prefixes eq, ge, gt, le and lt.");
                        }
                    }
                }
                case "agent" -> {
                    Ref ref =
                            Ref.parse(single(param))
                                    .filter(
                                            r ->
                                                    List.of(
                                                                    "Practitioner",
                                                                    "Patient",
                                                                    "RelatedPerson")
                                                            .contains(r.type()))
                                    .orElseThrow(
                                            () ->
                                                    BluepostException.malformed(
                                                            "agent is a reference to the Practitioner, Patient or RelatedPerson a login stands for."));
                    criteria.actorRecord(ref.type(), ref.id());
                }
                case "entity" -> {
                    String value = single(param);
                    int slash = value.lastIndexOf('/');
                    String type =
                            slash < 0
                                    ? ""
                                    : value.substring(value.lastIndexOf('/', slash - 1) + 1, slash);
                    String id = slash < 0 ? "" : value.substring(slash + 1);
                    if (!TYPE.matcher(type).matches() || !ID.matcher(id).matches()) {
                        throw BluepostException.malformed(
                                "entity is a reference Type/id, e.g. Patient/… or Communication/….");
                    }
                    if (type.equals("Patient")) {
                        criteria.patient(Ids.parse(id).orElse(SearchValues.NO_MATCH));
                    } else {
                        criteria.resource(type, id);
                    }
                }
                case "patient" ->
                        criteria.patient(SearchValues.reference(single(param), "Patient").id());
                case "action" ->
                        actions =
                                narrowed(
                                        actions,
                                        param,
                                        code -> {
                                            List<AuditAction> matching =
                                                    Arrays.stream(AuditAction.values())
                                                            .filter(
                                                                    a ->
                                                                            fhirAction(a)
                                                                                    .toCode()
                                                                                    .equals(code))
                                                            .toList();
                                            if (matching.isEmpty()) {
                                                throw BluepostException.malformed(
                                                        "action is one of C, R, U, D, E.");
                                            }
                                            return matching;
                                        });
                case "subtype" ->
                        actions =
                                narrowed(
                                        actions,
                                        param,
                                        value -> {
                                            String code =
                                                    value.startsWith(ACTION_SYSTEM + "|")
                                                            ? value.substring(
                                                                    ACTION_SYSTEM.length() + 1)
                                                            : value;
                                            return List.of(
                                                    Arrays.stream(AuditAction.values())
                                                            .filter(a -> a.name().equals(code))
                                                            .findFirst()
                                                            .orElseThrow(
                                                                    () ->
                                                                            BluepostException
                                                                                    .malformed(
                                                                                            "subtype is a Bluepost audit action ("
                                                                                                    + ACTION_SYSTEM
                                                                                                    + ").")));
                                        });
                case "outcome" -> {
                    String code = single(param);
                    switch (code) {
                        case "0" -> criteria.outcome("success");
                        case "4", "8" -> criteria.outcome("failure");
                        default ->
                                throw BluepostException.malformed(
                                        "outcome is 0 (success), 4 or 8 (failure).");
                    }
                }
                case "_id" -> {
                    UUID id = Ids.parse(single(param)).orElse(SearchValues.NO_MATCH);
                    return log.byId(id, actor.isSystem() ? null : actor.practiceId())
                            .map(
                                    line ->
                                            new SearchResult<>(
                                                    query.count() == 0 || query.offset() > 0
                                                            ? List.<AuditEvent>of()
                                                            : List.of(toResource(line)),
                                                    1))
                            .orElse(new SearchResult<>(List.of(), 0));
                }
                default ->
                        throw BluepostException.malformed(
                                "AuditEvent cannot be searched by '"
                                        + param.name()
                                        + "'; see GET /fhir/metadata.");
            }
        }
        if (actions != null) {
            if (actions.isEmpty()) {
                return new SearchResult<>(List.of(), 0);
            }
            actions.forEach(a -> criteria.action(a.name()));
        }
        SearchPage<Line> matches =
                SearchPage.of(
                        query,
                        () -> log.count(criteria),
                        (offset, limit) ->
                                log.lines(
                                        criteria,
                                        AuditReader.SortField.SEQUENCE,
                                        true,
                                        offset,
                                        limit));
        return new SearchResult<>(
                matches.rows().stream().map(AuditEventHandler::toResource).toList(),
                matches.total());
    }

    /**
     * The audit actions still wanted once {@code param} (action or subtype) is applied: those its
     * values name ({@code :not}: all others), within those earlier parameters left (parameters AND).
     */
    private static EnumSet<AuditAction> narrowed(
            EnumSet<AuditAction> wanted,
            SearchParam param,
            Function<String, List<AuditAction>> named) {
        EnumSet<AuditAction> matching = EnumSet.noneOf(AuditAction.class);
        param.values().forEach(value -> matching.addAll(named.apply(value)));
        EnumSet<AuditAction> result =
                param.hasModifier(SearchParameterInfo.NOT)
                        ? EnumSet.complementOf(matching)
                        : matching;
        if (wanted != null) {
            result.retainAll(wanted);
        }
        return result;
    }

    private static String single(SearchParam param) {
        if (param.values().size() != 1) {
            throw BluepostException.malformed(param.name() + " takes one value.");
        }
        return param.values().get(0);
    }

    @Override
    public List<SearchParameterInfo> searchParameters() {
        return List.of(
                SearchParameterInfo.date("date", "recorded (UTC when no offset is given)"),
                SearchParameterInfo.reference(
                        "agent", "the Practitioner, Patient or RelatedPerson whose login acted"),
                SearchParameterInfo.reference(
                        "entity",
                        "the resource acted on (Type/id); Patient/… also matches entries about that patient"),
                SearchParameterInfo.reference("patient", "the patient whose information it was"),
                SearchParameterInfo.token("action", "C, R, U, D, E"),
                SearchParameterInfo.token(
                        "subtype",
                        "the Bluepost audit action ("
                                + ACTION_SYSTEM
                                + "), e.g. LOGIN, READ, EXPORT"),
                SearchParameterInfo.token("outcome", "0 success, 4 failure, 8 integrity failure")
                        .withModifiers(),
                SearchParameterInfo.token("_id", "the AuditEvent id").withModifiers());
    }

    static AuditEventAction fhirAction(AuditAction action) {
        return switch (action) {
            case CREATE -> AuditEventAction.C;
            case READ, EXPORT, DOWNLOAD, PRINT -> AuditEventAction.R;
            case UPDATE,
                    ROLE_CHANGE,
                    AUDIT_RECORDING,
                    KEY_ROTATION,
                    DEACTIVATE,
                    REACTIVATE,
                    PASSWORD_RESET ->
                    AuditEventAction.U;
            case RETRACT -> AuditEventAction.D;
            default -> AuditEventAction.E;
        };
    }

    static AuditEvent toResource(Line line) {
        AuditAction action = AuditAction.valueOf(line.action());
        AuditEvent event = new AuditEvent();
        event.setId(line.id().toString());
        event.getMeta().setVersionId("1").setLastUpdated(Date.from(line.occurredAt()));
        event.setType(
                switch (action) {
                    case LOGIN, LOGIN_FAILED, LOGOUT ->
                            new Coding(DCM, "110114", "User Authentication");
                    case EXPORT -> new Coding(DCM, "110106", "Export");
                    case KEY_ROTATION,
                            INTEGRITY_FAILURE,
                            ROLE_CHANGE,
                            EMERGENCY_ACCESS,
                            AUDIT_RECORDING,
                            DEACTIVATE,
                            REACTIVATE,
                            PASSWORD_RESET ->
                            new Coding(DCM, "110113", "Security Alert");
                    default -> new Coding(DCM, "110110", "Patient Record");
                });
        event.addSubtype(new Coding(ACTION_SYSTEM, action.name(), null));
        switch (action) {
            case LOGIN, LOGIN_FAILED -> event.addSubtype(new Coding(DCM, "110122", "Login"));
            case LOGOUT -> event.addSubtype(new Coding(DCM, "110123", "Logout"));
            case ROLE_CHANGE ->
                    event.addSubtype(new Coding(DCM, "110136", "Security Roles Changed"));
            case EMERGENCY_ACCESS ->
                    event.addSubtype(new Coding(DCM, "110127", "Emergency Override Started"));
            case AUDIT_RECORDING ->
                    event.addSubtype(new Coding(DCM, "110137", "User security Attributes Changed"));
            default -> {}
        }
        event.setAction(fhirAction(action));
        event.setRecorded(Date.from(line.occurredAt()));
        event.setOutcome(
                line.success()
                        ? AuditEventOutcome._0
                        : action == AuditAction.INTEGRITY_FAILURE
                                ? AuditEventOutcome._8
                                : AuditEventOutcome._4);
        if (line.reasonCode() != null) {
            event.setOutcomeDesc(line.reasonCode());
            event.addPurposeOfEvent(
                    new CodeableConcept(new Coding(REASON_SYSTEM, line.reasonCode(), null)));
            if (line.reasonCode().startsWith("break-glass")) {
                // emergency access and what was read under it: HL7 v3 PurposeOfUse "emergency
                // treatment"
                event.addPurposeOfEvent(
                        new CodeableConcept(
                                new Coding(
                                        PURPOSE_OF_USE_SYSTEM, "ETREAT", "emergency treatment")));
            }
        }

        AuditEventAgentComponent agent = event.addAgent().setRequestor(true);
        if (line.actorUserId() != null) {
            agent.setWho(
                    new Reference()
                            .setIdentifier(
                                    new Identifier()
                                            .setSystem(LOGIN_SYSTEM)
                                            .setValue(line.actorUserId().toString()))
                            .setDisplay(line.actorUsername()));
            agent.setAltId(line.actorUsername());
            agent.setName(line.actorName());
        } else if (line.actorClientId() != null) {
            agent.setType(new CodeableConcept(new Coding(DCM, "110150", "Application")));
            agent.setWho(
                    new Reference()
                            .setIdentifier(
                                    new Identifier()
                                            .setSystem(CLIENT_SYSTEM)
                                            .setValue(line.actorClientId()))
                            .setDisplay(line.actorClientId()));
        } else {
            agent.setWho(new Reference().setDisplay("unidentified"));
        }
        if (line.actorRoles() != null) {
            for (String role : line.actorRoles().split(",")) {
                agent.addRole(
                        new CodeableConcept(
                                new Coding(
                                        ROLE_SYSTEM,
                                        role,
                                        role.toLowerCase(Locale.ROOT).replace('_', ' '))));
            }
        }
        if (line.onBehalfOfPatientId() != null) {
            agent.addExtension(
                    ON_BEHALF_OF, new Reference("Patient/" + line.onBehalfOfPatientId()));
        }
        if (line.sourceIp() != null) {
            agent.getNetwork()
                    .setAddress(line.sourceIp())
                    .setType(AuditEvent.AuditEventAgentNetworkType._2);
        }

        event.getSource()
                .setObserver(new Reference().setDisplay("Bluepost"))
                .addType(
                        new Coding(
                                "http://terminology.hl7.org/CodeSystem/security-source-type",
                                "4",
                                "Application Server"));
        if (line.practiceId() != null) {
            event.getSource().setSite("Organization/" + line.practiceId());
        }

        if (line.resourceType() != null) {
            AuditEvent.AuditEventEntityComponent entity = event.addEntity();
            entity.setType(
                    new Coding(
                            "http://terminology.hl7.org/CodeSystem/audit-entity-type",
                            "2",
                            "System Object"));
            if (line.resourceId() != null) {
                entity.setWhat(new Reference(line.resourceType() + "/" + line.resourceId()));
            } else {
                entity.setWhat(new Reference().setDisplay(line.resourceType()));
            }
        }
        if (line.patientId() != null) {
            event.addEntity()
                    .setWhat(new Reference("Patient/" + line.patientId()))
                    .setType(
                            new Coding(
                                    "http://terminology.hl7.org/CodeSystem/audit-entity-type",
                                    "1",
                                    "Person"))
                    .setRole(
                            new Coding(
                                    "http://terminology.hl7.org/CodeSystem/object-role",
                                    "1",
                                    "Patient"));
        }

        Extension chain = event.addExtension().setUrl(CHAIN);
        chain.addExtension("sequence", new DecimalType(line.sequence()));
        chain.addExtension("hash", new StringType(line.hash().trim()));
        chain.addExtension("previousHash", new StringType(line.previousHash().trim()));
        if (line.requestId() != null) {
            chain.addExtension("request", new StringType(line.requestId()));
        }
        return event;
    }
}
