package dev.bluepost.triage;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The practice admin's triage pages: the rules in order (edit = a new version, history, enable,
 * move, dry run before saving), the reply templates, and the business hours and holidays that
 * rules, due-by dates and the after-hours reply use.
 */
@Path("/admin/triage")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class RulesPage {

    /** A dry-run result row as the page shows it. */
    public record DryRow(
            String patient, String received, boolean fired, String reason, String actions) {}

    public record DayChoice(String code, String label, boolean open) {}

    /** An SLA target as the page lists it. */
    public record SlaRow(
            String id, String pool, String priority, int first, int next, int warning) {

        /** Which target a row's button acts on, for a screen reader: "Front desk, Urgent". */
        public String label() {
            return pool + ", " + priority;
        }
    }

    /** A priority in the SLA form's select. */
    public record PriorityChoice(String value, String label) {}

    public record PoolChoice(String id, String name) {}

    /** A holiday as the page lists it: its date (for the form) and in words. */
    public record HolidayRow(String day, String label, String name) {}

    /** A rule's earlier version as the page lists it. */
    public record VersionRow(
            int version,
            boolean current,
            boolean enabled,
            String at,
            String by,
            String definition) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance rules(
                List<RuleService.RuleView> rules,
                List<RuleService.TemplateView> templates,
                TriagePractice hours,
                List<DayChoice> days,
                List<HolidayRow> holidays,
                List<SlaRow> slas,
                List<PoolChoice> pools,
                List<PriorityChoice> priorities,
                String error,
                String errorAt,
                String done);

        static native TemplateInstance edit(
                String key,
                String name,
                String definition,
                boolean enabled,
                String error,
                List<DryRow> dryRun,
                boolean dryRan,
                List<VersionRow> history);
    }

    @Inject CurrentActor currentActor;

    @Inject RuleService rules;

    @Inject RuleRunner runner;

    @Inject TriageSetup setup;

    @Inject DirectoryService directory;

    @Inject dev.bluepost.messaging.ThreadPresenter presenter;

    @Inject SlaService sla;

    @Inject dev.bluepost.platform.i18n.ReaderLanguage lang;

    private StaffWords words() {
        return new StaffWords(lang.messages(StaffMessages.class), lang.language());
    }

    /** Adds or replaces the SLA target of a pool and priority (empty = any); times in business minutes. */
    @POST
    @Path("sla")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveSla(
            @FormParam("pool") String pool,
            @FormParam("priority") String priority,
            @FormParam("first") String first,
            @FormParam("next") String next,
            @FormParam("warning") String warning,
            @FormParam("remove") String remove) {
        try {
            if (remove != null && !remove.isBlank()) {
                sla.remove(practice(), key(remove));
                return Flash.seeOther("/admin/triage#sla", "sla-removed");
            } else {
                sla.save(
                        practice(),
                        pool == null || pool.isBlank()
                                ? null
                                : Ids.parse(pool).orElse(new UUID(0, 0)),
                        priority == null || priority.isBlank() ? null : priority.strip(),
                        minutes(first),
                        minutes(next),
                        minutes(warning),
                        currentActor.get());
            }
            return Flash.seeOther("/admin/triage#sla", "sla-saved");
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(422, rulesPage(e.in(lang.language()), "sla", null));
        }
    }

    private static int minutes(String value) {
        try {
            return Integer.parseInt(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw Refused.rule(TriageRefusals::sla_minutes);
        }
    }

    @GET
    public Response rules(@jakarta.ws.rs.CookieParam(Flash.COOKIE) String done) {
        Response.ResponseBuilder ok =
                Response.ok(rulesPage(null, null, done)).type(MediaType.TEXT_HTML_TYPE);
        return (done == null ? ok : ok.cookie(Flash.cleared())).build();
    }

    @GET
    @Path("rules/new")
    public TemplateInstance newRule(@jakarta.ws.rs.QueryParam("event") String event) {
        String starter =
                switch (event == null ? "" : event) {
                    case "no-staff-reply" ->
                            "when no staff reply by due-by\nthen set priority urgent\nthen tag overdue\n";
                    case "unread-reply" ->
                            "when patient has not read a reply in 3 days\nthen tag reply-unread\n";
                    default ->
                            "when message received\nif category is billing\nthen route to \"Front desk\"\n";
                };
        return Templates.edit("", "", starter, true, null, List.of(), false, List.of());
    }

    @GET
    @Path("rules/{key}")
    public TemplateInstance edit(@PathParam("key") String key) {
        UUID ruleKey = key(key);
        UUID practice = practice();
        RuleService.RuleView rule = rules.rule(practice, ruleKey);
        return Templates.edit(
                key,
                rule.name(),
                rule.definition(),
                rule.enabled(),
                null,
                List.of(),
                false,
                versions(rules.history(practice, ruleKey)));
    }

    /** Saves (a new rule, or a new version) or, with {@code action=dry-run}, shows what it would have done. */
    @POST
    @Path("rules")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(
            @FormParam("key") String key,
            @FormParam("name") String name,
            @FormParam("definition") String definition,
            @FormParam("enabled") String enabled,
            @FormParam("action") String action,
            @FormParam("count") String count) {
        Actor actor = currentActor.get();
        UUID practice = practice();
        UUID ruleKey = key == null || key.isBlank() ? null : key(key);
        List<VersionRow> history =
                ruleKey == null ? List.of() : versions(rules.history(practice, ruleKey));
        try {
            if ("dry-run".equals(action)) {
                int n = parseCount(count);
                Map<UUID, String> names = new HashMap<>();
                List<RuleRunner.DryRunRow> rows = runner.dryRun(practice, definition, n, actor);
                directory
                        .patients(
                                rows.stream()
                                        .map(RuleRunner.DryRunRow::patientId)
                                        .distinct()
                                        .toList())
                        .forEach(p -> names.put(p.id(), p.displayName()));
                StaffWords words = words();
                java.time.ZoneId zone = directory.zoneOf(practice);
                RuleLogWords reasons =
                        new RuleLogWords(lang.messages(RuleLogMessages.class), words, zone);
                List<DryRow> shown =
                        rows.stream()
                                .map(
                                        r ->
                                                new DryRow(
                                                        names.getOrDefault(
                                                                r.patientId(),
                                                                Role.PATIENT.inWords(
                                                                        lang.language())),
                                                        words.when(r.receivedAt(), zone),
                                                        r.fired(),
                                                        reasons.reason(r.why()),
                                                        String.join("; ", r.actions())))
                                .toList();
                return html(
                        200,
                        Templates.edit(
                                key == null ? "" : key,
                                name == null ? "" : name,
                                definition,
                                "on".equals(enabled),
                                null,
                                shown,
                                true,
                                history));
            }
            rules.save(practice, ruleKey, name, definition, "on".equals(enabled), actor);
            return Flash.seeOther("/admin/triage", "rule-saved");
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(
                    422,
                    Templates.edit(
                            key == null ? "" : key,
                            name == null ? "" : name,
                            definition == null ? "" : definition,
                            "on".equals(enabled),
                            e.in(lang.language()),
                            List.of(),
                            false,
                            history));
        }
    }

    @POST
    @Path("rules/{key}/enabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enable(@PathParam("key") String key, @FormParam("enabled") String enabled) {
        rules.setEnabled(practice(), key(key), "true".equals(enabled), currentActor.get());
        return Flash.seeOther(
                "/admin/triage", "true".equals(enabled) ? "rule-enabled" : "rule-disabled");
    }

    @POST
    @Path("rules/{key}/move")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response move(@PathParam("key") String key, @FormParam("direction") String direction) {
        rules.move(practice(), key(key), "up".equals(direction) ? -1 : 1, currentActor.get());
        return Flash.seeOther("/admin/triage", "rule-moved");
    }

    @POST
    @Path("templates")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response template(
            @FormParam("name") String name,
            @FormParam("body") String body,
            @FormParam("bodyEs") String bodyEs,
            @FormParam("kind") String kind) {
        try {
            boolean automatic =
                    switch (kind == null ? "" : kind) {
                        case "automatic" -> true;
                        case "staff" -> false;
                        default -> throw Refused.rule(TriageRefusals::template_kind).about("kind");
                    };
            rules.saveTemplate(practice(), name, body, bodyEs, automatic, currentActor.get());
            return Flash.seeOther("/admin/triage#templates", "template-saved");
        } catch (BluepostException e) {
            if (e.kind().status() != 422) {
                throw e;
            }
            return html(422, rulesPage(e.in(lang.language()), "templates", null));
        }
    }

    @POST
    @Path("hours")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response hours(
            @FormParam("opens") String opens,
            @FormParam("closes") String closes,
            @FormParam("day") List<String> days) {
        try {
            Set<DayOfWeek> open = EnumSet.noneOf(DayOfWeek.class);
            for (String day : days == null ? List.<String>of() : days) {
                open.add(TriageSetup.dayOf(day));
            }
            setup.setHours(practice(), time(opens), time(closes), open);
            return Flash.seeOther("/admin/triage#hours", "hours-saved");
        } catch (BluepostException e) {
            return html(422, rulesPage(e.in(lang.language()), "hours", null));
        } catch (IllegalArgumentException e) {
            return html(
                    422,
                    rulesPage(lang.messages(TriageRefusals.class).hours_days(), "hours", null));
        }
    }

    @POST
    @Path("holidays")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response holiday(
            @FormParam("day") String day,
            @FormParam("name") String name,
            @FormParam("remove") String remove) {
        try {
            LocalDate date = day == null || day.isBlank() ? null : LocalDate.parse(day.strip());
            if ("true".equals(remove) && date != null) {
                setup.removeHoliday(practice(), date);
                return Flash.seeOther("/admin/triage#holidays-heading", "holiday-removed");
            }
            setup.addHoliday(practice(), date, name);
            return Flash.seeOther("/admin/triage#holidays-heading", "holiday-added");
        } catch (DateTimeParseException e) {
            return html(
                    422,
                    rulesPage(
                            lang.messages(TriageRefusals.class).holiday_date(), "holidays", null));
        } catch (BluepostException e) {
            return html(422, rulesPage(e.in(lang.language()), "holidays", null));
        }
    }

    private TemplateInstance rulesPage(String error, String errorAt, String done) {
        UUID practice = practice();
        StaffWords words = words();
        List<RuleService.RuleView> list = rules.rules(practice);
        TriagePractice settings =
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                        .call(() -> setup.settings(practice));
        Set<String> open = Set.of(settings.openDays.split(","));
        List<DayChoice> days =
                java.util.Arrays.stream(DayOfWeek.values())
                        .map(
                                d ->
                                        new DayChoice(
                                                d.name().substring(0, 3),
                                                d.getDisplayName(
                                                        java.time.format.TextStyle.FULL,
                                                        lang.locale()),
                                                open.contains(d.name().substring(0, 3))))
                        .toList();
        Map<UUID, String> poolNames = new HashMap<>();
        directory.poolsOfPractice(practice).forEach(p -> poolNames.put(p.id(), p.name()));
        List<SlaRow> slas =
                sla.targets(practice).stream()
                        .map(
                                t ->
                                        new SlaRow(
                                                t.id().toString(),
                                                t.poolId() == null
                                                        ? words.messages().sla_any_pool()
                                                        : poolNames.getOrDefault(
                                                                t.poolId(),
                                                                words.messages()
                                                                        .sla_removed_pool()),
                                                t.priority() == null
                                                        ? words.messages().any()
                                                        : words.priority(t.priority()),
                                                t.firstResponseMinutes(),
                                                t.nextResponseMinutes(),
                                                t.warningMinutes()))
                        .toList();
        List<PoolChoice> pools =
                directory.poolsOfPractice(practice).stream()
                        .map(p -> new PoolChoice(p.id().toString(), p.name()))
                        .toList();
        List<HolidayRow> holidays =
                setup.holidays(practice).stream()
                        .map(h -> new HolidayRow(h.day().toString(), words.date(h.day()), h.name()))
                        .toList();
        List<PriorityChoice> priorities =
                java.util.stream.Stream.of("routine", "urgent", "asap", "stat")
                        .map(p -> new PriorityChoice(p, words.priority(p)))
                        .toList();
        return Templates.rules(
                list,
                rules.allTemplates(practice),
                settings,
                days,
                holidays,
                slas,
                pools,
                priorities,
                error,
                error == null ? null : errorAt,
                Flash.words(done, words.messages()));
    }

    private List<VersionRow> versions(List<RuleService.RuleView> history) {
        StaffWords words = words();
        java.time.ZoneId zone = directory.zoneOf(practice());
        return history.stream()
                .map(
                        v ->
                                new VersionRow(
                                        v.version(),
                                        v.current(),
                                        v.enabled(),
                                        words.when(v.createdAt(), zone),
                                        v.createdBy(),
                                        v.definition()))
                .toList();
    }

    private UUID practice() {
        UUID practice = currentActor.get().practiceId();
        if (practice == null) {
            throw Refused.forbidden(TriageRefusals::no_practice);
        }
        return practice;
    }

    private static LocalTime time(String value) {
        try {
            return value == null ? null : LocalTime.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw Refused.rule(TriageRefusals::hours_time);
        }
    }

    private static int parseCount(String count) {
        try {
            return count == null || count.isBlank() ? 50 : Integer.parseInt(count.strip());
        } catch (NumberFormatException e) {
            throw Refused.rule(TriageRefusals::dry_run_count).about("count");
        }
    }

    private static UUID key(String key) {
        return Ids.parse(key).orElseThrow(() -> BluepostException.notFound("Rule", key));
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .entity(page.render())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .build();
    }
}
