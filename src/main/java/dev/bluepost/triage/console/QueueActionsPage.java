package dev.bluepost.triage.console;

import dev.bluepost.messaging.Party;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.triage.Flash;
import dev.bluepost.triage.Refused;
import dev.bluepost.triage.RuleService;
import dev.bluepost.triage.TaskStatus;
import dev.bluepost.triage.TriageRefusals;
import dev.bluepost.triage.TriageService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The console's actions on queue items: claim and release (a whole conversation), reassign, "serve
 * me the next one", and batch replies (preview per conversation, then send; a failure leaves the
 * others sent and is listed).
 */
@Path("/staff/items")
@RolesAllowed({Roles.FRONT_DESK, Roles.PROVIDER})
@Produces(MediaType.TEXT_HTML)
public class QueueActionsPage {

    /** A batch line as the page shows it: why it was not sent, if it was not, in the reader's words. */
    public record BatchRow(
            UUID itemId,
            UUID threadId,
            String patientName,
            String text,
            boolean sent,
            UUID messageId,
            String error) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance batch(
                List<BatchRow> lines,
                String templateId,
                String templateName,
                boolean sent,
                long sentCount,
                long failedCount,
                int sendable,
                boolean hasErrors);
    }

    @Inject CurrentActor currentActor;

    @Inject TriageService triage;

    @Inject ConsoleService console;

    @Inject RuleService rules;

    @Inject dev.bluepost.platform.i18n.ReaderLanguage lang;

    @POST
    @Path("{id}/claim")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response claim(@PathParam("id") String id) {
        TriageService.QueueItem item = console.claim(itemId(id), currentActor.get());
        return Flash.seeOther("/staff/threads/" + item.threadId(), "claimed");
    }

    @POST
    @Path("{id}/release")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response release(@PathParam("id") String id) {
        console.release(itemId(id), currentActor.get());
        return Flash.seeOther("/staff/queue", "released");
    }

    /** Reassigns to a pool or a person of the practice ({@code owner} = CareTeam/id or Practitioner/id): the operation of PUT Task. */
    @POST
    @Path("{id}/assign")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response assign(@PathParam("id") String id, @FormParam("owner") String owner) {
        Party party = owner(owner);
        TriageService.QueueItem item =
                triage.update(
                        itemId(id),
                        party,
                        party.is(Party.PRACTITIONER) ? TaskStatus.ACCEPTED : TaskStatus.REQUESTED,
                        null,
                        currentActor.get());
        return Flash.seeOther("/staff/threads/" + item.threadId(), "assigned");
    }

    /** A pool ({@code CareTeam/id}) or a person ({@code Practitioner/id}) chosen in a form; anything else is refused. */
    static Party owner(String owner) {
        Party party =
                owner == null
                        ? null
                        : Optional.of(owner.split("/", 2))
                                .filter(p -> p.length == 2)
                                .flatMap(p -> Ids.parse(p[1]).map(uuid -> new Party(p[0], uuid)))
                                .orElse(null);
        if (party == null || !(party.is(Party.CARE_TEAM) || party.is(Party.PRACTITIONER))) {
            throw Refused.rule(TriageRefusals::choose_owner).about("owner");
        }
        return party;
    }

    @POST
    @Path("next")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response next(@FormParam("pool") String pool) {
        UUID poolId = pool == null || pool.isBlank() ? null : Ids.parse(pool).orElse(null);
        return console.next(poolId, currentActor.get())
                .map(item -> see("/staff/threads/" + item.threadId()))
                .orElseGet(
                        () ->
                                see(
                                        "/staff/queue?empty=1"
                                                + (poolId == null ? "" : "&pool=" + poolId)));
    }

    @POST
    @Path("batch/preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance preview(
            @FormParam("item") List<String> items, @FormParam("template") String template) {
        Actor actor = currentActor.get();
        UUID templateId = Ids.parse(template).orElse(null);
        List<ConsoleService.BatchLine> lines = console.preview(ids(items), templateId, actor);
        int sendable = (int) lines.stream().filter(l -> l.failure() == null).count();
        return Templates.batch(
                rows(lines),
                templateId.toString(),
                templateName(templateId, actor),
                false,
                0,
                0,
                sendable,
                sendable < lines.size());
    }

    @POST
    @Path("batch/send")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance send(
            @FormParam("item") List<String> items, @FormParam("template") String template) {
        Actor actor = currentActor.get();
        UUID templateId = Ids.parse(template).orElse(null);
        List<ConsoleService.BatchLine> results = console.sendBatch(ids(items), templateId, actor);
        long sent = results.stream().filter(ConsoleService.BatchLine::sent).count();
        return Templates.batch(
                rows(results),
                templateId == null ? "" : templateId.toString(),
                templateName(templateId, actor),
                true,
                sent,
                results.size() - sent,
                0,
                sent < results.size());
    }

    private List<BatchRow> rows(List<ConsoleService.BatchLine> lines) {
        TriageRefusals words = lang.messages(TriageRefusals.class);
        return lines.stream()
                .map(
                        l ->
                                new BatchRow(
                                        l.itemId(),
                                        l.threadId(),
                                        l.patientName() == null
                                                ? words.batch_unknown_message()
                                                : l.patientName(),
                                        l.text(),
                                        l.sent(),
                                        l.messageId(),
                                        l.failure() == null
                                                ? null
                                                : l.failure().in(lang.language())))
                .toList();
    }

    private String templateName(UUID templateId, Actor actor) {
        return templateId == null
                ? ""
                : rules.template(actor.practiceId(), templateId)
                        .map(RuleService.TemplateView::name)
                        .orElse("");
    }

    private static List<UUID> ids(List<String> items) {
        return items == null
                ? List.of()
                : items.stream().map(Ids::parse).flatMap(Optional::stream).distinct().toList();
    }

    private static UUID itemId(String id) {
        return Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Task", id));
    }

    private static Response see(String path) {
        return Response.seeOther(URI.create(path)).build();
    }
}
