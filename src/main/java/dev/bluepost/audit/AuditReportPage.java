package dev.bluepost.audit;

import dev.bluepost.audit.AuditReader.Criteria;
import dev.bluepost.audit.AuditReader.Line;
import dev.bluepost.audit.AuditReader.SortField;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.PracticeZones;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.PracticeTimeFormat;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The audit report (ONC 170.315(d)(3)) for compliance officers and admins: the practice's audit
 * entries for a period (days in the practice's time zone, both ends inclusive), filtered and sorted by every
 * recorded field, paged, and exported as CSV (exact UTC instants there); and the verification of the hash chain. Viewing the report is
 * recorded as a SEARCH of AuditEvent, the export as an EXPORT (a verification writes nothing: it must not change what it
 * verifies while it is being investigated).
 */
@Path("/compliance/audit")
@RolesAllowed({Roles.COMPLIANCE, Roles.ADMIN})
public class AuditReportPage {

    static final int PAGE_SIZE = 50;
    static final int MAX_EXPORT = 100_000;
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._:@-]{1,100}");

    /** The filters of the form, by request parameter name. */
    static final List<String> FILTERS =
            List.of(
                    "from",
                    "to",
                    "action",
                    "outcome",
                    "actor",
                    "role",
                    "client",
                    "onBehalfOf",
                    "resourceType",
                    "resourceId",
                    "patient",
                    "ip",
                    "reason",
                    "request");

    /** One filter's current value, for the form. */
    public record Filter(String name, String value) {}

    /** A sortable column header: its label, the link that sorts by it, and the current direction mark. */
    public record Column(String label, String href, String mark, String ariaSort) {}

    /** A choice of a select: its value, its words, whether it is chosen. */
    public record Option(String value, String label, boolean selected) {}

    /** A row as shown: the essential columns, and the rest of the entry for its details. */
    public record Row(
            String time,
            long sequence,
            String actor,
            String roles,
            String client,
            String onBehalfOf,
            String action,
            String resourceType,
            String resourceId,
            String patient,
            boolean success,
            String outcome,
            String reason,
            String ip,
            String request) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance report(
                Map<String, String> filters,
                List<Column> columns,
                List<Row> rows,
                long total,
                int page,
                int pages,
                String previous,
                String next,
                String csv,
                List<Option> actions,
                List<Option> roles,
                List<Option> sorts,
                boolean descending,
                boolean moreFilters);

        static native TemplateInstance verify(ChainVerification result, String checkedAt);
    }

    /** The columns a desktop shows; the others are in each row's details. */
    private static final List<SortField> ESSENTIAL =
            List.of(
                    SortField.TIME,
                    SortField.ACTOR,
                    SortField.ACTION,
                    SortField.PATIENT,
                    SortField.OUTCOME);

    private static final List<String> MORE_FILTERS =
            List.of(
                    "client",
                    "onBehalfOf",
                    "resourceType",
                    "resourceId",
                    "ip",
                    "reason",
                    "request");

    @Inject CurrentActor currentActor;

    @Inject AuditReader log;

    @Inject AuditRecorder audit;

    @Inject Clock clock;

    @Inject PracticeZones directory;

    @Inject ReaderLanguage language;

    @Context UriInfo uri;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance report() {
        Actor actor = currentActor.get();
        Map<String, String> values = values(zone(actor));
        Criteria criteria = criteria(values, actor, zone(actor));
        SortField sort = SortField.parse(param("sort"));
        boolean descending = !"asc".equalsIgnoreCase(param("dir"));
        int page = pageNumber();
        AuditMessages words = language.messages(AuditMessages.class);
        PracticeTimeFormat time = PracticeTimeFormat.of(zone(actor), language.locale());
        AuditReader.Page result =
                log.page(criteria, sort, descending, (page - 1) * PAGE_SIZE, PAGE_SIZE);
        audit.record(
                actor,
                AuditEntry.of(AuditAction.SEARCH)
                        .on("AuditEvent", null)
                        .practice(actor.practiceId())
                        .reason("audit-report"));
        int pages = (int) Math.max(1, (result.total() + PAGE_SIZE - 1) / PAGE_SIZE);
        List<Row> rows = result.lines().stream().map(l -> row(l, time, words)).toList();
        String query = query(values);
        String sortQuery =
                query + "&sort=" + sort.param() + "&dir=" + (descending ? "desc" : "asc");
        List<Column> columns = new ArrayList<>();
        for (SortField field : ESSENTIAL) {
            boolean current = field == sort;
            String dir = current && !descending ? "desc" : current ? "asc" : "desc";
            columns.add(
                    new Column(
                            label(field, words),
                            "/compliance/audit?" + query + "&sort=" + field.param() + "&dir=" + dir,
                            current ? (descending ? " ▼" : " ▲") : "",
                            current ? (descending ? "descending" : "ascending") : "none"));
        }
        List<Option> sorts =
                Arrays.stream(SortField.values())
                        .filter(f -> f != SortField.PRACTICE)
                        .map(f -> new Option(f.param(), label(f, words), f == sort))
                        .toList();
        return Templates.report(
                values,
                columns,
                rows,
                result.total(),
                page,
                pages,
                page > 1 ? "/compliance/audit?" + sortQuery + "&page=" + (page - 1) : null,
                page < pages ? "/compliance/audit?" + sortQuery + "&page=" + (page + 1) : null,
                "/compliance/audit/export.csv?" + sortQuery,
                Arrays.stream(AuditAction.values())
                        .map(
                                a ->
                                        new Option(
                                                a.name(),
                                                action(a.name(), words),
                                                a.name().equals(values.get("action"))))
                        .toList(),
                Arrays.stream(Role.values())
                        .map(
                                r ->
                                        new Option(
                                                r.name(),
                                                r.inWords(language.language()),
                                                r.name().equals(values.get("role"))))
                        .toList(),
                sorts,
                descending,
                MORE_FILTERS.stream().anyMatch(f -> !values.get(f).isEmpty()));
    }

    /** The same selection and order as CSV (every matching entry, up to 100 000), itself recorded as an EXPORT. */
    @GET
    @Path("export.csv")
    @Produces("text/csv")
    public Response export() {
        Actor actor = currentActor.get();
        Map<String, String> values = values(zone(actor));
        Criteria criteria = criteria(values, actor, zone(actor));
        SortField sort = SortField.parse(param("sort"));
        boolean descending = !"asc".equalsIgnoreCase(param("dir"));
        List<Line> lines = new ArrayList<>();
        log.each(criteria, sort, descending, MAX_EXPORT, lines::add);
        audit.record(
                actor,
                AuditEntry.of(AuditAction.EXPORT)
                        .on("AuditEvent", null)
                        .practice(actor.practiceId())
                        .reason("audit-report-csv"));
        Log.infof("audit report exported by=%s entries=%d", actor.logId(), lines.size());
        StreamingOutput body =
                out -> {
                    BufferedWriter writer =
                            new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                    writer.write(
                            "sequence,occurred_at_utc,actor_user_id,actor_username,actor_name,actor_client_id,actor_roles,"
                                    + "on_behalf_of_patient_id,action,resource_type,resource_id,patient_id,patient_name,practice_id,outcome,"
                                    + "reason_code,source_ip,request_id,previous_hash,hash\r\n");
                    for (Line l : lines) {
                        writer.write(
                                String.join(
                                        ",",
                                        csv(l.sequence()),
                                        csv(AuditRow.TIME.format(l.occurredAt())),
                                        csv(l.actorUserId()),
                                        csv(l.actorUsername()),
                                        csv(l.actorName()),
                                        csv(l.actorClientId()),
                                        csv(l.actorRoles()),
                                        csv(l.onBehalfOfPatientId()),
                                        csv(l.action()),
                                        csv(l.resourceType()),
                                        csv(l.resourceId()),
                                        csv(l.patientId()),
                                        csv(l.patientName()),
                                        csv(l.practiceId()),
                                        csv(l.outcome()),
                                        csv(l.reasonCode()),
                                        csv(l.sourceIp()),
                                        csv(l.requestId()),
                                        csv(l.previousHash()),
                                        csv(l.hash())));
                        writer.write("\r\n");
                    }
                    writer.flush();
                };
        return Response.ok(body)
                .type("text/csv; charset=utf-8")
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"bluepost-audit-"
                                + values.get("from")
                                + "-to-"
                                + values.get("to")
                                + ".csv\"")
                .header("Cache-Control", "no-store")
                .build();
    }

    /** Verifies the whole hash chain now and shows the result: intact, or the first broken link. */
    @GET
    @Path("verify")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance verify() {
        Actor actor = currentActor.get();
        ChainVerification result = log.verify();
        Log.infof("audit chain verified by=%s %s", actor.logId(), result.summary());
        return Templates.verify(
                result,
                PracticeTimeFormat.of(zone(actor), language.locale()).when(clock.instant()));
    }

    private ZoneId zone(Actor actor) {
        return directory.zoneOf(actor.practiceId());
    }

    private Map<String, String> values(ZoneId zone) {
        Map<String, String> values = new LinkedHashMap<>();
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        for (String name : FILTERS) {
            String value = param(name);
            values.put(name, value == null ? "" : value.trim());
        }
        if (values.get("to").isEmpty()) {
            values.put("to", today.toString());
        }
        if (values.get("from").isEmpty()) {
            values.put("from", date("to", values.get("to")).minusDays(6).toString());
        }
        return values;
    }

    /** The criteria of the form, confined to the caller's practice; a malformed value is a 400 that names the field. */
    static Criteria criteria(Map<String, String> values, Actor actor, ZoneId zone) {
        LocalDate from = date("from", values.get("from"));
        LocalDate to = date("to", values.get("to"));
        if (to.isBefore(from)) {
            throw refused(m -> m.error_period_reversed(to.toString(), from.toString())).about("to");
        }
        Criteria criteria =
                new Criteria()
                        .practice(actor.practiceId())
                        .from(from.atStartOfDay(zone).toInstant())
                        .to(to.plusDays(1).atStartOfDay(zone).toInstant());
        String action = values.get("action");
        if (!action.isEmpty()) {
            criteria.action(
                    Arrays.stream(AuditAction.values())
                            .map(Enum::name)
                            .filter(action::equals)
                            .findFirst()
                            .orElseThrow(
                                    () -> refused(AuditMessages::error_action).about("action")));
        }
        String outcome = values.get("outcome");
        if (!outcome.isEmpty()) {
            if (!outcome.equals("success") && !outcome.equals("failure")) {
                throw refused(AuditMessages::error_outcome).about("outcome");
            }
            criteria.outcome(outcome);
        }
        String role = values.get("role");
        if (!role.isEmpty()) {
            criteria.role(
                    Arrays.stream(Role.values())
                            .map(Enum::name)
                            .filter(role::equals)
                            .findFirst()
                            .orElseThrow(() -> refused(AuditMessages::error_role).about("role")));
        }
        String actor1 = values.get("actor");
        if (!actor1.isEmpty()) {
            Ids.parse(actor1.toLowerCase(java.util.Locale.ROOT))
                    .ifPresentOrElse(
                            criteria::actorUser,
                            () -> criteria.actorUsername(code("actor", actor1)));
        }
        criteria.client(optionalCode("client", values.get("client")));
        criteria.onBehalfOf(uuid("onBehalfOf", values.get("onBehalfOf")));
        criteria.resource(
                optionalCode("resourceType", values.get("resourceType")),
                optionalCode("resourceId", values.get("resourceId")));
        criteria.patient(uuid("patient", values.get("patient")));
        criteria.sourceIp(optionalCode("ip", values.get("ip")));
        criteria.reason(optionalCode("reason", values.get("reason")));
        criteria.request(optionalCode("request", values.get("request")));
        return criteria;
    }

    /** A malformed criterion (a 400), in the words of {@link AuditMessages}. */
    private static BluepostException refused(
            java.util.function.Function<AuditMessages, String> words) {
        return BluepostException.said(ErrorKind.MALFORMED, AuditMessages.class, words);
    }

    private static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw refused(m -> m.error_date(field)).about(field);
        }
    }

    private static UUID uuid(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String id = value.contains("/") ? value.substring(value.lastIndexOf('/') + 1) : value;
        return Ids.parse(id.toLowerCase(java.util.Locale.ROOT))
                .orElseThrow(() -> refused(m -> m.error_id(field)).about(field));
    }

    private static String optionalCode(String field, String value) {
        return value == null || value.isEmpty() ? null : code(field, value);
    }

    private static String code(String field, String value) {
        if (!CODE.matcher(value).matches()) {
            throw refused(m -> m.error_code(field)).about(field);
        }
        return value;
    }

    private String param(String name) {
        String value = uri.getQueryParameters().getFirst(name);
        if (value != null && value.length() > 200) {
            throw refused(m -> m.error_too_long(name)).about(name);
        }
        return value;
    }

    private int pageNumber() {
        String raw = param("page");
        if (raw == null || raw.isBlank()) {
            return 1;
        }
        try {
            int page = Integer.parseInt(raw.trim());
            if (page < 1 || page > 1_000_000) {
                throw new NumberFormatException();
            }
            return page;
        } catch (NumberFormatException e) {
            throw refused(AuditMessages::error_page);
        }
    }

    private static String query(Map<String, String> values) {
        List<String> parts = new ArrayList<>();
        values.forEach(
                (k, v) -> {
                    if (!v.isEmpty()) {
                        parts.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
                    }
                });
        return String.join("&", parts);
    }

    private Row row(Line l, PracticeTimeFormat time, AuditMessages words) {
        String actor =
                l.actorUsername() != null
                        ? l.actorName() + " (" + l.actorUsername() + ")"
                        : l.actorClientId() != null
                                ? l.actorClientId()
                                : l.actorUserId() != null ? l.actorUserId().toString() : "";
        String patient =
                l.patientId() == null
                        ? ""
                        : l.patientName() == null ? l.patientId().toString() : l.patientName();
        String roles = Role.inWords(l.actorRoles(), language.language());
        String type = l.resourceType() == null ? "" : resourceType(l.resourceType(), words);
        return new Row(
                time.when(l.occurredAt()),
                l.sequence(),
                actor,
                roles,
                nz(l.actorClientId()),
                l.onBehalfOfPatientId() == null ? "" : l.onBehalfOfPatientId().toString(),
                action(l.action(), words),
                type,
                nz(l.resourceId()),
                patient,
                "success".equals(l.outcome()),
                "success".equals(l.outcome()) ? words.outcome_success() : words.outcome_failure(),
                nz(l.reasonCode()),
                nz(l.sourceIp()),
                nz(l.requestId()));
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    static String action(String action, AuditMessages words) {
        return switch (action) {
            case "LOGIN" -> words.action_login();
            case "LOGIN_FAILED" -> words.action_login_failed();
            case "LOGOUT" -> words.action_logout();
            case "READ" -> words.action_read();
            case "SEARCH" -> words.action_search();
            case "CREATE" -> words.action_create();
            case "UPDATE" -> words.action_update();
            case "RETRACT" -> words.action_retract();
            case "EXPORT" -> words.action_export();
            case "DOWNLOAD" -> words.action_download();
            case "PRINT" -> words.action_print();
            case "KEY_ROTATION" -> words.action_key_rotation();
            case "INTEGRITY_FAILURE" -> words.action_integrity_failure();
            case "ROLE_CHANGE" -> words.action_role_change();
            case "EMERGENCY_ACCESS" -> words.action_emergency_access();
            case "AUDIT_RECORDING" -> words.action_audit_recording();
            case "DEACTIVATE" -> words.action_deactivate();
            case "REACTIVATE" -> words.action_reactivate();
            case "PASSWORD_RESET" -> words.action_password_reset();
            case "TRANSMIT" -> words.action_transmit();
            default -> action;
        };
    }

    static String resourceType(String type, AuditMessages words) {
        return switch (type) {
            case "Thread" -> words.type_thread();
            case "Communication" -> words.type_communication();
            case "Patient" -> words.type_patient();
            case "UserAccount", "Login" -> words.type_login();
            case "Session" -> words.type_session();
            case "MeasureReport" -> words.type_measure_report();
            case "AuditEvent" -> words.type_audit_event();
            case "Attachment" -> words.type_attachment();
            case "DocumentReference" -> words.type_document();
            case "Bundle" -> words.type_health_record();
            case "EmergencyAccess" -> words.type_emergency_access();
            case "Task" -> words.type_task();
            case "Note" -> words.type_note();
            case "ActivationCode" -> words.type_activation_code();
            default -> type;
        };
    }

    private static String label(SortField field, AuditMessages words) {
        return switch (field) {
            case TIME -> words.col_time();
            case SEQUENCE -> words.col_sequence();
            case ACTOR -> words.col_actor();
            case ROLES -> words.col_roles();
            case CLIENT -> words.col_client();
            case ON_BEHALF_OF -> words.col_on_behalf_of();
            case ACTION -> words.col_action();
            case RESOURCE_TYPE -> words.col_resource_type();
            case RESOURCE_ID -> words.col_resource_id();
            case PATIENT -> words.col_patient();
            case PRACTICE -> "";
            case OUTCOME -> words.col_outcome();
            case REASON -> words.col_reason();
            case SOURCE_IP -> words.col_ip();
            case REQUEST_ID -> words.col_request();
        };
    }

    /** A CSV cell (RFC 4180), with a leading = + - @ defused so that a spreadsheet never runs it as a formula. */
    static String csv(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty()
                && "=+-@\t\r".indexOf(text.charAt(0)) >= 0
                && !(value instanceof Number)) {
            text = "'" + text;
        }
        if (text.contains(",")
                || text.contains("\"")
                || text.contains("\n")
                || text.contains("\r")) {
            text = "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
