package dev.bluepost.triage.fhir;

import dev.bluepost.fhir.FhirResourceHandler;
import dev.bluepost.fhir.FhirUrls;
import dev.bluepost.fhir.HqlSearch;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchPage;
import dev.bluepost.fhir.SearchParam;
import dev.bluepost.fhir.SearchParameterInfo;
import dev.bluepost.fhir.SearchQuery;
import dev.bluepost.fhir.SearchResult;
import dev.bluepost.fhir.SearchValues;
import dev.bluepost.fhir.Stored;
import dev.bluepost.messaging.Party;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.PlatformConfig;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.triage.TaskStatus;
import dev.bluepost.triage.TriageItem;
import dev.bluepost.triage.TriageService;
import dev.bluepost.triage.TriageService.QueueItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/**
 * Triage item = Task: focus = the Communication, for = the patient, owner = the pool or the
 * person it is assigned to, due-by in restriction.period.end. Tasks are created by triage; a
 * client changes owner (assignment) or status with PUT, through the same operation as the console.
 */
@ApplicationScoped
public class TaskHandler implements FhirResourceHandler<Task> {

    private final TriageService triage;
    private final EntityManager em;
    private final PlatformConfig platform;

    public TaskHandler(TriageService triage, EntityManager em, PlatformConfig platform) {
        this.triage = triage;
        this.em = em;
        this.platform = platform;
    }

    @Override
    public String type() {
        return "Task";
    }

    @Override
    public Class<Task> resourceClass() {
        return Task.class;
    }

    @Override
    public boolean creatable() {
        return false;
    }

    @Override
    public Task read(UUID id, Actor actor) {
        return toResource(
                triage.item(id, actor).orElseThrow(() -> BluepostException.notFound("Task", id)));
    }

    @Override
    public Stored<Task> create(Task resource, UUID id, Actor actor) {
        throw new BluepostException(
                ErrorKind.METHOD_NOT_ALLOWED,
                "Tasks are created by triage when a patient's message arrives.");
    }

    @Override
    public Stored<Task> update(UUID id, Task resource, String expectedVersionId, Actor actor) {
        QueueItem current =
                triage.item(id, actor).orElseThrow(() -> BluepostException.notFound("Task", id));
        Ref focus = Ref.require(resource.getFocus(), "Task.focus", "Communication");
        if (!focus.id().equals(current.messageId())) {
            throw BluepostException.businessRule(
                    "Task.focus cannot change (it is Communication/" + current.messageId() + ").");
        }
        if (resource.hasFor()) {
            Ref patient = Ref.require(resource.getFor(), "Task.for", "Patient");
            if (!patient.id().equals(current.patientId())) {
                throw BluepostException.businessRule(
                        "Task.for cannot change (it is Patient/" + current.patientId() + ").");
            }
        }
        Party owner = null;
        if (resource.hasOwner()) {
            Ref ref = Ref.require(resource.getOwner(), "Task.owner", "CareTeam", "Practitioner");
            owner = new Party(ref.type(), ref.id());
        }
        TaskStatus status = null;
        if (resource.hasStatus()) {
            status =
                    TaskStatus.fromCode(resource.getStatus().toCode())
                            .orElseThrow(
                                    () ->
                                            BluepostException.businessRule(
                                                    "Task.status must be requested, accepted, in-progress, completed or cancelled."));
        }
        String expected =
                expectedVersionId != null
                        ? expectedVersionId
                        : resource.getMeta().hasVersionId()
                                ? resource.getMeta().getVersionId()
                                : null;
        return new Stored<>(toResource(triage.update(id, owner, status, expected, actor)), false);
    }

    public static Task toResource(QueueItem item) {
        Task task = new Task();
        task.setId("Task/" + item.id());
        task.getMeta().setVersionId(item.versionId());
        task.getMeta().setLastUpdatedElement(new InstantType(Date.from(item.updatedAt())));
        task.setStatus(Task.TaskStatus.fromCode(item.status().code()));
        task.setIntent(Task.TaskIntent.ORDER);
        task.getCode()
                .addCoding()
                .setSystem(FhirUrls.CS_TRIAGE_TASK)
                .setCode("respond")
                .setDisplay("Respond to the patient's message");
        task.setPriority(Task.TaskPriority.fromCode(item.priority()));
        task.setFocus(new Reference("Communication/" + item.messageId()));
        task.setFor(new Reference("Patient/" + item.patientId()));
        task.setOwner(new Reference(item.owner().reference()));
        task.setAuthoredOnElement(
                new org.hl7.fhir.r4.model.DateTimeType(Date.from(item.createdAt())));
        task.setLastModifiedElement(
                new org.hl7.fhir.r4.model.DateTimeType(Date.from(item.updatedAt())));
        if (item.dueBy() != null) {
            task.getRestriction()
                    .getPeriod()
                    .setEndElement(new org.hl7.fhir.r4.model.DateTimeType(Date.from(item.dueBy())));
        }
        task.addInput()
                .setValue(new org.hl7.fhir.r4.model.CodeType(item.category()))
                .getType()
                .addCoding()
                .setSystem(FhirUrls.CS_TRIAGE_TASK)
                .setCode("message-category")
                .setDisplay("Category of the message (" + FhirUrls.CS_MESSAGE_CATEGORY + ")");
        return task;
    }

    /** The practice's own (ADR 0048). */
    @Override
    public java.util.Optional<SearchParam> practiceCompartment(UUID practiceId) {
        return java.util.Optional.of(
                new SearchParam(PRACTICE_CRITERION, null, List.of(practiceId.toString())));
    }

    @Override
    public SearchResult<Task> search(SearchQuery query, Actor actor) {
        HqlSearch search = new HqlSearch();
        if (!actor.isSystem()) {
            search.and(
                    "e.practiceId = "
                            + search.bind(
                                    actor.practiceId() == null
                                            ? SearchValues.NO_MATCH
                                            : actor.practiceId()));
        }
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
                case PRACTICE_CRITERION ->
                        search.and(
                                "e.practiceId = "
                                        + search.bind(
                                                Ids.parse(param.values().get(0))
                                                        .orElse(SearchValues.NO_MATCH)));
                case "owner" ->
                        search.anyOf(
                                param,
                                v -> {
                                    Ref ref = SearchValues.reference(v, "CareTeam", "Practitioner");
                                    return "e.ownerType = "
                                            + search.bind(ref.type())
                                            + " and e.ownerId = "
                                            + search.bind(ref.id());
                                });
                case "status" -> search.anyOf(param, v -> "e.status = " + search.bind(v));
                case "focus" ->
                        search.anyOf(
                                param,
                                v -> "e.messageId = " + search.bind(refId(v, "Communication")));
                case "patient", "subject", "for" ->
                        search.anyOf(
                                param, v -> "e.patientId = " + search.bind(refId(v, "Patient")));
                case "priority" -> search.anyOf(param, v -> "e.priority = " + search.bind(v));
                case "period" ->
                        search.anyOf(
                                param,
                                v ->
                                        SearchValues.date(v, platform.defaultTimeZone())
                                                .criterion("e.dueBy", search));
                case "authored-on" ->
                        search.anyOf(
                                param,
                                v ->
                                        SearchValues.date(v, platform.defaultTimeZone())
                                                .criterion("e.createdAt", search));
                default ->
                        throw BluepostException.malformed(
                                "Search parameter '"
                                        + param.name()
                                        + "' is not supported for Task; see GET /fhir/metadata.");
            }
        }
        SearchPage<TriageItem> matches =
                search.page(em, TriageItem.class, "e.createdAt, e.id", query);
        List<Task> tasks = new ArrayList<>();
        for (TriageItem item : matches.rows()) {
            triage.item(item.id, actor).ifPresent(i -> tasks.add(toResource(i)));
        }
        return new SearchResult<>(tasks, matches.total());
    }

    private static UUID refId(String value, String type) {
        Ref ref = SearchValues.reference(value, type);
        return ref.type().equals(type) ? ref.id() : SearchValues.NO_MATCH;
    }

    @Override
    public List<SearchParameterInfo> searchParameters() {
        return List.of(
                SearchParameterInfo.token("_id", "Logical id"),
                SearchParameterInfo.reference("owner", "CareTeam (pool) or Practitioner"),
                SearchParameterInfo.token(
                        "status", "requested, accepted, in-progress, completed, cancelled"),
                SearchParameterInfo.reference("focus", "The Communication"),
                SearchParameterInfo.reference("patient", "The patient (Task.for)"),
                SearchParameterInfo.reference("subject", "The patient (Task.for); same as patient"),
                SearchParameterInfo.reference("for", "The patient (Task.for); same as patient"),
                SearchParameterInfo.token("priority", "routine, urgent, asap, stat"),
                SearchParameterInfo.date("period", "Due-by (restriction.period.end)"),
                SearchParameterInfo.date("authored-on", "When the item was created"));
    }
}
