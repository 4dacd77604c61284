package dev.bluepost.triage.console;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PoolView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.messaging.MessageCategory;
import dev.bluepost.messaging.MessageReading;
import dev.bluepost.messaging.MessageViews.MessageView;
import dev.bluepost.messaging.Party;
import dev.bluepost.messaging.ThreadAccess;
import dev.bluepost.messaging.ThreadPresenter;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.triage.Flash;
import dev.bluepost.triage.Refused;
import dev.bluepost.triage.RuleService;
import dev.bluepost.triage.StaffMessages;
import dev.bluepost.triage.StaffWords;
import dev.bluepost.triage.TriageBacklog;
import dev.bluepost.triage.TriageRefusals;
import dev.bluepost.triage.TriageService;
import dev.bluepost.triage.TriageService.QueueItem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The front-desk and provider console: the practice's open queue items, updated live through
 * server-sent events, the triage actions on a conversation (macro, notes, routing to a provider,
 * who else is viewing it) and the care team's messages patients have not opened. The conversation
 * page itself and its messaging actions are {@link StaffThreadPage}'s.
 */
@Path("/staff")
@RolesAllowed({Roles.FRONT_DESK, Roles.PROVIDER})
@Produces(MediaType.TEXT_HTML)
public class ConsolePage {

    public record CategoryChoice(String code, String label) {}

    /** A care-team message the patient has not opened. */
    public record UnreadRow(UUID threadId, String patientName, String sender, String sent) {}

    /**
     * A queue row: one conversation, however many of its messages wait (a patient's follow-up adds
     * none), with the names a person needs to work it. {@code item} is the conversation's first item
     * in the queue's order (the one Claim, Release and a batch reply act on, for the whole
     * conversation); priority is the most urgent, due-by the earliest, received the oldest waiting.
     */
    public record Row(
            QueueItem item,
            String patientName,
            String born,
            String subject,
            int waiting,
            String priorityCode,
            String priority,
            String ownerName,
            String category,
            String received,
            String waited,
            String dueBy,
            String sla,
            String slaLabel,
            boolean overdue,
            boolean mine,
            boolean held,
            String status,
            List<TagView> tags) {}

    /** A tag in words; {@code tone} "alarm" (a possible emergency, overdue), "warning" (due soon) or "" for the rest. */
    public record TagView(String label, String tone) {}

    /** A pool tab of the queue page, with how many open items it has. */
    public record PoolTab(String id, String name, long count, boolean selected) {}

    /** The queue page's filters (query parameters), kept across live refreshes. */
    public record Filter(
            String pool, String priority, String category, String tag, String sort, boolean mine) {

        String query() {
            StringBuilder q = new StringBuilder();
            append(q, "pool", pool);
            append(q, "priority", priority);
            append(q, "category", category);
            append(q, "tag", tag);
            append(q, "sort", sort);
            if (mine) {
                append(q, "mine", "1");
            }
            return q.toString();
        }

        private static void append(StringBuilder q, String key, String value) {
            if (value != null && !value.isBlank()) {
                q.append(q.isEmpty() ? "?" : "&")
                        .append(key)
                        .append('=')
                        .append(
                                java.net.URLEncoder.encode(
                                        value, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    /** A choice in a select. */
    public record Choice(String value, String label) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance queue(
                List<Row> rows,
                List<PoolTab> pools,
                Filter filter,
                String rowsQuery,
                List<CategoryChoice> categories,
                List<Choice> priorities,
                List<Choice> templates,
                long mineCount,
                long allCount,
                boolean empty,
                BacklogNotice backlog,
                String done);

        static native TemplateInstance rows(List<Row> rows);

        static native TemplateInstance pools(
                List<PoolTab> pools, Filter filter, long mineCount, long allCount);

        static native TemplateInstance unread(List<UnreadRow> rows, int days);

        static native TemplateInstance viewers(List<ConsoleService.Viewer> viewers);
    }

    @Inject CurrentActor currentActor;

    @Inject TriageService triage;

    @Inject MessageReading reading;

    @Inject ThreadAccess threadAccess;

    @Inject DirectoryService directory;

    @Inject ThreadPresenter presenter;

    @Inject QueueBroadcaster broadcaster;

    @Inject dev.bluepost.messaging.MessagingConfig messagingConfig;

    @Inject java.time.Clock clock;

    @Inject ConsoleService console;

    @Inject RuleService rules;

    @Inject TriageBacklog backlog;

    @Inject dev.bluepost.identity.SessionService sessions;

    @Inject org.eclipse.microprofile.context.ManagedExecutor workers;

    @Inject dev.bluepost.platform.i18n.ReaderLanguage lang;

    /** The staff pages' words in this request's language. */
    private StaffWords words() {
        return new StaffWords(lang.messages(StaffMessages.class), lang.language());
    }

    /** "N messages are still being sorted (oldest 40 s)": shown while triage is behind (docs/triage.md). */
    public record BacklogNotice(long messages, String oldest) {

        static BacklogNotice of(TriageBacklog.Backlog backlog, StaffWords words) {
            if (!backlog.behind()) {
                return null;
            }
            long seconds = backlog.oldest().toSeconds();
            String oldest = seconds < 120 ? seconds + " s" : words.waited(backlog.oldest());
            return new BacklogNotice(backlog.messages(), oldest);
        }
    }

    @GET
    @Path("queue")
    public Response queue(
            @QueryParam("pool") String pool,
            @QueryParam("priority") String priority,
            @QueryParam("category") String category,
            @QueryParam("tag") String tag,
            @QueryParam("sort") String sort,
            @QueryParam("mine") String mine,
            @QueryParam("empty") String empty,
            @jakarta.ws.rs.CookieParam(Flash.COOKIE) String done) {
        Actor actor = currentActor.get();
        StaffWords words = words();
        Filter filter =
                new Filter(
                        blank(pool),
                        blank(priority),
                        blank(category),
                        blank(tag),
                        blank(sort),
                        "1".equals(mine));
        Counts counts = counts(actor, filter);
        List<CategoryChoice> categories = categories(words);
        List<Choice> priorities =
                java.util.stream.Stream.of("routine", "urgent", "asap", "stat")
                        .map(p -> new Choice(p, words.priority(p)))
                        .toList();
        List<Choice> templates =
                rules.templates(actor.practiceId()).stream()
                        .map(t -> new Choice(t.id().toString(), t.name()))
                        .toList();
        return page(
                Templates.queue(
                        rows(actor, filter, words),
                        counts.tabs(),
                        filter,
                        filter.query(),
                        categories,
                        priorities,
                        templates,
                        counts.mine(),
                        counts.all(),
                        empty != null,
                        BacklogNotice.of(backlog.current(), words),
                        Flash.words(done, words.messages())),
                done);
    }

    /** The pool tabs with their counts: the queue page asks for them again on every live update. */
    @GET
    @Path("queue/pools")
    public TemplateInstance queuePools(
            @QueryParam("pool") String pool,
            @QueryParam("priority") String priority,
            @QueryParam("category") String category,
            @QueryParam("tag") String tag,
            @QueryParam("sort") String sort,
            @QueryParam("mine") String mine) {
        Filter filter =
                new Filter(
                        blank(pool),
                        blank(priority),
                        blank(category),
                        blank(tag),
                        blank(sort),
                        "1".equals(mine));
        Counts counts = counts(currentActor.get(), filter);
        return Templates.pools(counts.tabs(), filter, counts.mine(), counts.all());
    }

    /** Conversations waiting: in each pool, held by the caller, in all. */
    private record Counts(List<PoolTab> tabs, long mine, long all) {}

    private Counts counts(Actor actor, Filter filter) {
        Map<UUID, java.util.Set<UUID>> conversations = new HashMap<>();
        java.util.Set<UUID> all = new java.util.HashSet<>();
        java.util.Set<UUID> mine = new java.util.HashSet<>();
        triage.openItems(actor.practiceId())
                .forEach(
                        i -> {
                            all.add(i.threadId());
                            if (i.owner().is(Party.PRACTITIONER)
                                    && i.owner().id().equals(actor.practitionerId())) {
                                mine.add(i.threadId());
                            }
                            if (i.queuePoolId() != null) {
                                conversations
                                        .computeIfAbsent(
                                                i.queuePoolId(), k -> new java.util.HashSet<>())
                                        .add(i.threadId());
                            }
                        });
        List<PoolTab> tabs =
                directory.poolsOfPractice(actor.practiceId()).stream()
                        .map(
                                p ->
                                        new PoolTab(
                                                p.id().toString(),
                                                p.name(),
                                                conversations
                                                        .getOrDefault(p.id(), java.util.Set.of())
                                                        .size(),
                                                p.id().toString().equals(filter.pool())))
                        .toList();
        return new Counts(tabs, mine.size(), all.size());
    }

    static List<CategoryChoice> categories(StaffWords words) {
        return java.util.Arrays.stream(MessageCategory.values())
                .map(c -> new CategoryChoice(c.code(), words.category(c.code())))
                .toList();
    }

    /** A page that shows a confirmation clears it, so that a reload does not show it again. */
    static Response page(TemplateInstance page, String done) {
        Response.ResponseBuilder ok = Response.ok(page).type(MediaType.TEXT_HTML_TYPE);
        return done == null ? ok.build() : ok.cookie(Flash.cleared()).build();
    }

    @GET
    @Path("queue/rows")
    public TemplateInstance queueRows(
            @QueryParam("pool") String pool,
            @QueryParam("priority") String priority,
            @QueryParam("category") String category,
            @QueryParam("tag") String tag,
            @QueryParam("sort") String sort,
            @QueryParam("mine") String mine) {
        return Templates.rows(
                rows(
                        currentActor.get(),
                        new Filter(
                                blank(pool),
                                blank(priority),
                                blank(category),
                                blank(tag),
                                blank(sort),
                                "1".equals(mine)),
                        words()));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * Live updates: one {@code queue} event per change of an item of the practice; a comment every 20 s
     * keeps the line open. The stream ends when the browser session does (signed out, or idle past its
     * limit: the stream itself is not activity), so an open page stops receiving the practice's updates.
     */
    @GET
    @Path("queue/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        UUID practiceId = currentActor.get().practiceId();
        UUID sessionId = currentActor.sessionId();
        OutboundSseEvent ended = sse.newEventBuilder().comment("session ended").build();
        Multi<OutboundSseEvent> changes =
                broadcaster.stream()
                        .filter(e -> e.practiceId().equals(practiceId))
                        .map(
                                e ->
                                        sse.newEventBuilder()
                                                .name("queue")
                                                .id(e.eventId().toString())
                                                .data(
                                                        String.class,
                                                        "{\"taskId\":\""
                                                                + e.taskId()
                                                                + "\",\"change\":\""
                                                                + e.change()
                                                                + "\"}")
                                                .build());
        Multi<OutboundSseEvent> heartbeat =
                Multi.createFrom()
                        .ticks()
                        .every(Duration.ofSeconds(20))
                        // the session is looked up on a worker thread: the database is not asked
                        // from the event loop
                        .onItem()
                        .transformToUniAndConcatenate(
                                tick ->
                                        io.smallrye.mutiny.Uni.createFrom()
                                                .item(
                                                        () ->
                                                                sessionId == null
                                                                        || sessions.remaining(
                                                                                        sessionId)
                                                                                .isPresent())
                                                .runSubscriptionOn(workers))
                        .map(
                                open ->
                                        open
                                                ? sse.newEventBuilder()
                                                        .comment("keep-alive")
                                                        .build()
                                                : ended);
        return Multi.createBy()
                .merging()
                .streams(changes, heartbeat)
                .select()
                .first(event -> event != ended);
    }

    /** A macro: template reply + status + assignment, in one step. */
    @POST
    @Path("threads/{id}/macro")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response macro(
            @PathParam("id") String id,
            @FormParam("template") String template,
            @FormParam("after") String after,
            @FormParam("assign") String assign) {
        UUID thread = visibleThread(id);
        UUID templateId = Ids.parse(template).orElseThrow(ConsoleService::chooseTemplate);
        ConsoleService.After then =
                switch (after == null ? "" : after) {
                    case "close" -> ConsoleService.After.CLOSE;
                    case "in-progress" -> ConsoleService.After.IN_PROGRESS;
                    case "", "open" -> ConsoleService.After.ANSWERED;
                    default -> throw Refused.rule(TriageRefusals::macro_after).about("after");
                };
        Actor actor = currentActor.get();
        Party owner;
        if (assign == null || assign.isBlank()) {
            owner = null;
        } else if ("me".equals(assign)) {
            if (actor.practitionerId() == null) {
                throw Refused.rule(TriageRefusals::cannot_be_assigned).about("assign");
            }
            owner = new Party(Party.PRACTITIONER, actor.practitionerId());
        } else {
            owner = QueueActionsPage.owner(assign);
        }
        console.macro(thread, templateId, then, owner, actor);
        return Flash.seeOther(
                "/staff/threads/" + thread,
                then == ConsoleService.After.CLOSE ? "closed" : "macro");
    }

    /** A staff-only note. */
    @POST
    @Path("threads/{id}/notes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response note(@PathParam("id") String id, @FormParam("note") String note) {
        UUID thread = visibleThread(id);
        console.addNote(thread, note, currentActor.get());
        return Flash.seeOther("/staff/threads/" + thread + "#notes", "note");
    }

    /** Hands the conversation to a provider, with a note saying why. */
    @POST
    @Path("threads/{id}/route")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response route(
            @PathParam("id") String id,
            @FormParam("practitioner") String practitioner,
            @FormParam("note") String note) {
        UUID thread = visibleThread(id);
        console.routeToProvider(
                thread, Ids.parse(practitioner).orElse(null), note, currentActor.get());
        return Flash.seeOther("/staff/threads/" + thread, "routed");
    }

    /** The page's heartbeat: the caller is here (and typing, or not); answers who else is (an HTML fragment). */
    @POST
    @Path("threads/{id}/presence")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance presence(
            @PathParam("id") String id, @FormParam("replying") String replying) {
        UUID thread = threadId(id);
        Actor actor = currentActor.get();
        threadAccess.replyAvailability(thread, actor);
        return Templates.viewers(console.seen(thread, "true".equals(replying), actor));
    }

    /** The care team's messages that patients have not opened after the configured number of days. */
    @GET
    @Path("unread")
    public TemplateInstance unread() {
        Actor actor = currentActor.get();
        List<MessageView> messages = reading.unreadByPatient(actor.practiceId(), actor);
        Map<UUID, String> patients = new HashMap<>();
        directory
                .patients(messages.stream().map(MessageView::patientId).distinct().toList())
                .forEach(p -> patients.put(p.id(), p.displayName()));
        StaffWords words = words();
        List<UnreadRow> rows =
                messages.stream()
                        .map(
                                m ->
                                        new UnreadRow(
                                                m.threadId(),
                                                patients.getOrDefault(
                                                        m.patientId(),
                                                        Role.PATIENT.inWords(lang.language())),
                                                presenter.senderName(m),
                                                words.when(
                                                        m.receivedAt(),
                                                        directory.zoneOf(m.practiceId()))))
                        .toList();
        return Templates.unread(rows, messagingConfig.unreadReminderDays());
    }

    static List<TagView> tags(java.util.Collection<String> tags, StaffWords words) {
        return tags.stream()
                .map(
                        t ->
                                new TagView(
                                        words.tag(t),
                                        t.equals("red-flag") || t.equals("sla-breached")
                                                ? "alarm"
                                                : t.equals("sla-warning") ? "warning" : ""))
                .toList();
    }

    /** The names of the practice's pools and practitioners, by id: who holds an item. */
    static Map<UUID, String> ownerNames(DirectoryService directory, UUID practiceId) {
        Map<UUID, String> owners = new HashMap<>();
        for (PoolView pool : directory.poolsOfPractice(practiceId)) {
            owners.put(pool.id(), pool.name());
        }
        for (PractitionerView p : directory.practitionersOfPractice(practiceId)) {
            owners.put(p.id(), p.displayName());
        }
        return owners;
    }

    private List<Row> rows(Actor actor, Filter filter, StaffWords words) {
        List<QueueItem> items =
                triage.openItems(actor.practiceId()).stream()
                        .filter(
                                i ->
                                        filter.pool() == null
                                                || (i.queuePoolId() != null
                                                        && i.queuePoolId()
                                                                .toString()
                                                                .equals(filter.pool())))
                        .filter(
                                i ->
                                        filter.priority() == null
                                                || i.priority().equals(filter.priority()))
                        .filter(
                                i ->
                                        filter.category() == null
                                                || i.category().equals(filter.category()))
                        .filter(i -> filter.tag() == null || i.tags().contains(filter.tag()))
                        .filter(
                                i ->
                                        !filter.mine()
                                                || (i.owner().is(Party.PRACTITIONER)
                                                        && i.owner()
                                                                .id()
                                                                .equals(actor.practitionerId())))
                        .toList();
        if ("due".equals(filter.sort())) {
            items =
                    items.stream()
                            .sorted(
                                    java.util.Comparator.comparing(
                                            QueueItem::dueBy,
                                            java.util.Comparator.nullsLast(
                                                    java.util.Comparator.naturalOrder())))
                            .toList();
        } else if ("received".equals(filter.sort())) {
            items =
                    items.stream()
                            .sorted(java.util.Comparator.comparing(QueueItem::receivedAt))
                            .toList();
        }
        // one row per conversation, in the order of its first item
        Map<UUID, List<QueueItem>> byConversation = new java.util.LinkedHashMap<>();
        items.forEach(
                i ->
                        byConversation
                                .computeIfAbsent(i.threadId(), k -> new java.util.ArrayList<>())
                                .add(i));
        Map<UUID, PatientView> patients = new HashMap<>();
        directory
                .patients(items.stream().map(QueueItem::patientId).distinct().toList())
                .forEach(p -> patients.put(p.id(), p));
        Map<UUID, String> subjects = reading.topics(byConversation.keySet(), actor);
        Map<UUID, String> owners = ownerNames(directory, actor.practiceId());
        java.time.Instant now = clock.instant();
        List<Row> rows = new java.util.ArrayList<>();
        for (List<QueueItem> conversation : byConversation.values()) {
            QueueItem i = conversation.get(0);
            java.time.Instant due =
                    conversation.stream()
                            .map(QueueItem::dueBy)
                            .filter(java.util.Objects::nonNull)
                            .min(java.util.Comparator.naturalOrder())
                            .orElse(null);
            java.time.Instant received =
                    conversation.stream()
                            .map(QueueItem::receivedAt)
                            .min(java.util.Comparator.naturalOrder())
                            .orElseThrow();
            String priority =
                    conversation.stream()
                            .map(QueueItem::priority)
                            .min(java.util.Comparator.comparingInt(ConsolePage::urgency))
                            .orElseThrow();
            java.time.ZoneId zone = directory.zoneOf(i.practiceId());
            boolean overdue =
                    due != null && due.isBefore(now)
                            || conversation.stream()
                                    .anyMatch(c -> c.tags().contains("sla-breached"));
            boolean dueSoon =
                    !overdue
                            && conversation.stream()
                                    .anyMatch(c -> c.tags().contains("sla-warning"));
            String sla =
                    due == null ? "none" : overdue ? "overdue" : dueSoon ? "due-soon" : "on-time";
            String slaLabel =
                    switch (sla) {
                        case "overdue" -> words.messages().sla_overdue();
                        case "due-soon" -> words.messages().sla_due_soon();
                        case "on-time" -> words.messages().sla_on_time();
                        default -> words.messages().sla_none();
                    };
            PatientView patient = patients.get(i.patientId());
            java.util.Set<String> tagSet =
                    conversation.stream()
                            .flatMap(c -> c.tags().stream())
                            .filter(t -> !t.equals("sla-warning") && !t.equals("sla-breached"))
                            .collect(
                                    java.util.stream.Collectors.toCollection(
                                            java.util.LinkedHashSet::new));
            rows.add(
                    new Row(
                            i,
                            patient == null
                                    ? Role.PATIENT.inWords(lang.language())
                                    : patient.displayName(),
                            patient == null || patient.birthDate() == null
                                    ? null
                                    : words.date(patient.birthDate()),
                            subjects.getOrDefault(i.threadId(), words.category(i.category())),
                            conversation.size(),
                            priority,
                            words.priority(priority),
                            owners.getOrDefault(i.owner().id(), ""),
                            words.category(i.category()),
                            words.recent(received, zone, now),
                            words.waited(java.time.Duration.between(received, now)),
                            words.recent(due, zone, now),
                            sla,
                            slaLabel,
                            overdue,
                            i.owner().is(Party.PRACTITIONER)
                                    && i.owner().id().equals(actor.practitionerId()),
                            i.owner().is(Party.PRACTITIONER),
                            words.status(i.status()),
                            tags(tagSet, words)));
        }
        return rows;
    }

    /** 0 for stat, the most urgent, to 3 for routine. */
    private static int urgency(String priority) {
        return switch (priority) {
            case "stat" -> 0;
            case "asap" -> 1;
            case "urgent" -> 2;
            default -> 3;
        };
    }

    /**
     * A thread the caller may see (404 otherwise, recorded as a denied access), checked before the
     * form is: another practice's staff are refused, not told what their form lacks.
     */
    private UUID visibleThread(String id) {
        return visibleThread(threadAccess, currentActor.get(), id);
    }

    static UUID visibleThread(ThreadAccess threadAccess, Actor actor, String id) {
        UUID thread = threadId(id);
        threadAccess.replyAvailability(thread, actor);
        return thread;
    }

    static UUID threadId(String id) {
        return Ids.parse(id).orElseThrow(() -> BluepostException.notFound("Thread", id));
    }
}
