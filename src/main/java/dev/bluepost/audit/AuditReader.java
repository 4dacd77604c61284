package dev.bluepost.audit;

import dev.bluepost.audit.ChainVerification.Breach;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Reading the audit log back: the compliance report (filter and sort by every recorded field,
 * paging, CSV), FHIR AuditEvent, and a patient's "who opened my messages". Every value is bound as
 * a parameter; sort columns come from {@link SortField} only. The user name and display name of
 * the actor (and the patient's display name) are joined from the login and patient tables at read
 * time: the log itself stores ids only (ADR 0021).
 */
@ApplicationScoped
public class AuditReader {

    /** The columns a report can be sorted by: every recorded field. */
    public enum SortField {
        TIME("e.occurred_at"),
        SEQUENCE("e.sequence_number"),
        ACTOR("ua.username"),
        ROLES("e.actor_roles"),
        CLIENT("e.actor_client_id"),
        ON_BEHALF_OF("e.on_behalf_of_patient_id"),
        ACTION("e.action"),
        RESOURCE_TYPE("e.resource_type"),
        RESOURCE_ID("e.resource_id"),
        PATIENT("p.display_name"),
        PRACTICE("e.practice_id"),
        OUTCOME("e.outcome"),
        REASON("e.reason_code"),
        SOURCE_IP("e.source_ip"),
        REQUEST_ID("e.request_id");

        private final String column;

        SortField(String column) {
            this.column = column;
        }

        /** The field named by a request parameter ({@code time}, {@code resource_type} …), or TIME. */
        public static SortField parse(String name) {
            if (name != null) {
                for (SortField field : values()) {
                    if (field.name().equalsIgnoreCase(name.trim().replace('-', '_'))) {
                        return field;
                    }
                }
            }
            return TIME;
        }

        public String param() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What to select; null fields do not filter. Times are a half-open range {@code [from, to)}. */
    public static final class Criteria {
        Instant from;
        Instant to;
        UUID practiceId;
        final Set<String> actions = new LinkedHashSet<>();
        String outcome;
        UUID actorUserId;
        String actorUsername;
        String role;
        String clientId;
        UUID onBehalfOf;
        String resourceType;
        String resourceId;
        UUID patientId;
        String sourceIp;
        String reasonCode;
        String requestId;
        UUID actorPractitionerId;
        UUID actorPatientId;
        UUID actorRelatedPersonId;

        public Criteria from(Instant value) {
            from = from == null || (value != null && value.isAfter(from)) ? value : from;
            return this;
        }

        public Criteria to(Instant value) {
            to = to == null || (value != null && value.isBefore(to)) ? value : to;
            return this;
        }

        public Criteria practice(UUID value) {
            practiceId = value;
            return this;
        }

        public Criteria action(String value) {
            if (value != null) {
                actions.add(value);
            }
            return this;
        }

        public Criteria outcome(String value) {
            outcome = value;
            return this;
        }

        public Criteria actorUser(UUID value) {
            actorUserId = value;
            return this;
        }

        public Criteria actorUsername(String value) {
            actorUsername = value == null ? null : value.trim().toLowerCase(Locale.ROOT);
            return this;
        }

        public Criteria role(String value) {
            role = value;
            return this;
        }

        public Criteria client(String value) {
            clientId = value;
            return this;
        }

        public Criteria onBehalfOf(UUID value) {
            onBehalfOf = value;
            return this;
        }

        public Criteria resource(String type, String id) {
            resourceType = type;
            resourceId = id;
            return this;
        }

        public Criteria patient(UUID value) {
            patientId = value;
            return this;
        }

        public Criteria sourceIp(String value) {
            sourceIp = value;
            return this;
        }

        public Criteria reason(String value) {
            reasonCode = value;
            return this;
        }

        public Criteria request(String value) {
            requestId = value;
            return this;
        }

        /** Entries by the logins that stand for this Practitioner, Patient or RelatedPerson record. */
        public Criteria actorRecord(String type, UUID id) {
            switch (type) {
                case "Practitioner" -> actorPractitionerId = id;
                case "Patient" -> actorPatientId = id;
                case "RelatedPerson" -> actorRelatedPersonId = id;
                default ->
                        throw new IllegalArgumentException(
                                "no logins stand for " + type + " records");
            }
            return this;
        }
    }

    /** One entry as read back, with the actor's user name and display name and the patient's name. */
    public record Line(
            long sequence,
            Instant occurredAt,
            UUID actorUserId,
            String actorUsername,
            String actorName,
            String actorClientId,
            String actorRoles,
            UUID onBehalfOfPatientId,
            String action,
            String resourceType,
            String resourceId,
            UUID patientId,
            String patientName,
            UUID practiceId,
            String outcome,
            String reasonCode,
            String sourceIp,
            String requestId,
            String previousHash,
            String hash) {

        /** The entry's FHIR AuditEvent id: the first 32 hex digits of its hash, as a UUID. */
        public UUID id() {
            return idOf(hash);
        }

        public boolean success() {
            return "success".equals(outcome);
        }
    }

    /** One page of a report and how many entries match in all. */
    public record Page(List<Line> lines, long total) {}

    /**
     * A staff member's (or connected system's) opening of one of a patient's threads or files, or a
     * clinician's opening of emergency access to the patient's restricted threads ({@code EMERGENCY_ACCESS}).
     *
     * @param actor      who: the login's id, or the client id of a connected system
     * @param reasonCode {@code break-glass} for what was done under emergency access,
     *                   {@code break-glass.<reason>} for opening it
     */
    public record Access(
            Instant occurredAt,
            String action,
            String resourceType,
            String resourceId,
            String actorName,
            String actorRoles,
            boolean system,
            String actor,
            String reasonCode) {

        public boolean underEmergencyAccess() {
            return reasonCode != null && reasonCode.startsWith(AuditRecorder.BREAK_GLASS);
        }
    }

    private static final String SELECT =
            "select e.sequence_number, e.occurred_at, e.actor_user_id, ua.username, ua.display_name, "
                    + "e.actor_client_id, e.actor_roles, e.on_behalf_of_patient_id, e.action, e.resource_type, e.resource_id, "
                    + "e.patient_id, p.display_name, e.practice_id, e.outcome, e.reason_code, e.source_ip, e.request_id, "
                    + "e.previous_hash, e.hash ";
    private static final String FROM =
            "from audit_event e left join user_account ua on ua.id = e.actor_user_id "
                    + "left join patient p on p.id = e.patient_id ";

    private static final int VERIFY_BATCH = 1_000;

    /** How far back {@link #verify} follows links to tell a moved entry from a changed one. */
    private static final int MAX_LINKS_BACK = 10_000;

    private final DataSource dataSource;
    private final AuditChainer chainer;
    private final AuditChain chain;

    AuditReader(DataSource dataSource, AuditChainer chainer, AuditChain chain) {
        this.dataSource = dataSource;
        this.chainer = chainer;
        this.chain = chain;
    }

    /**
     * Walks the whole chain in one database snapshot and recomputes every hash: the first broken
     * link (changed, deleted, reordered or inserted entries), or intact.
     */
    public ChainVerification verify() {
        chainer.catchUp();
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> {
                            chain.useOneSnapshot();
                            AuditChain.Head head = chain.head();
                            long expected = 1;
                            String previousHash = AuditRow.GENESIS;
                            List<AuditRow> batch;
                            while (!(batch = chain.rowsAfter(expected - 1, VERIFY_BATCH))
                                    .isEmpty()) {
                                for (AuditRow row : batch) {
                                    long checked = expected - 1;
                                    if (row.sequenceNumber() > head.sequence()) {
                                        return ChainVerification.broken(
                                                checked,
                                                head,
                                                row.sequenceNumber(),
                                                Breach.INSERTED,
                                                "entry "
                                                        + row.sequenceNumber()
                                                        + " lies beyond the chain head "
                                                        + head.sequence());
                                    }
                                    if (row.sequenceNumber() != expected) {
                                        return ChainVerification.broken(
                                                checked,
                                                head,
                                                expected,
                                                Breach.DELETED,
                                                "entries "
                                                        + expected
                                                        + " to "
                                                        + (row.sequenceNumber() - 1)
                                                        + " are missing");
                                    }
                                    if (!row.hashMatches()) {
                                        Long writtenAt = writtenPosition(row);
                                        return writtenAt != null
                                                        && writtenAt != row.sequenceNumber()
                                                ? ChainVerification.broken(
                                                        checked,
                                                        head,
                                                        expected,
                                                        Breach.REORDERED,
                                                        "entry "
                                                                + expected
                                                                + " is intact but was written as entry "
                                                                + writtenAt)
                                                : ChainVerification.broken(
                                                        checked,
                                                        head,
                                                        expected,
                                                        Breach.CHANGED,
                                                        "entry "
                                                                + expected
                                                                + " no longer matches its hash");
                                    }
                                    if (!row.previousHash().equals(previousHash)) {
                                        return chain.byHash(row.previousHash()).isPresent()
                                                ? ChainVerification.broken(
                                                        checked,
                                                        head,
                                                        expected,
                                                        Breach.REORDERED,
                                                        "entry "
                                                                + expected
                                                                + " links to an entry other than "
                                                                + (expected - 1))
                                                : ChainVerification.broken(
                                                        checked,
                                                        head,
                                                        expected - 1,
                                                        Breach.CHANGED,
                                                        "entry "
                                                                + (expected - 1)
                                                                + " no longer has the hash that entry "
                                                                + expected
                                                                + " recorded");
                                    }
                                    previousHash = row.hash();
                                    expected++;
                                }
                            }
                            long checked = expected - 1;
                            if (checked < head.sequence()) {
                                return ChainVerification.broken(
                                        checked,
                                        head,
                                        expected,
                                        Breach.DELETED,
                                        "entries "
                                                + expected
                                                + " to "
                                                + head.sequence()
                                                + " (the chain head) are missing");
                            }
                            if (!previousHash.equals(head.hash())) {
                                return ChainVerification.broken(
                                        checked,
                                        head,
                                        checked,
                                        Breach.CHANGED,
                                        "entry "
                                                + checked
                                                + " does not have the hash the chain head records");
                            }
                            return ChainVerification.intact(checked, head);
                        });
    }

    /**
     * Where an entry whose hash fails at its current position was written, following its links back
     * to an entry that is intact where it stands: null when that cannot be established.
     */
    private Long writtenPosition(AuditRow row) {
        String link = row.previousHash();
        for (int steps = 1; steps <= MAX_LINKS_BACK; steps++) {
            long anchor;
            if (link.equals(AuditRow.GENESIS)) {
                anchor = 0;
            } else {
                Optional<AuditRow> predecessor = chain.byHash(link);
                if (predecessor.isEmpty()) {
                    return null;
                }
                if (!predecessor.get().hashMatches()) {
                    link = predecessor.get().previousHash();
                    continue;
                }
                anchor = predecessor.get().sequenceNumber();
            }
            long candidate = anchor + steps;
            return row.computeHashAt(candidate).equals(row.hash()) ? candidate : null;
        }
        return null;
    }

    static UUID idOf(String hash) {
        String h = hash.trim();
        return UUID.fromString(
                h.substring(0, 8)
                        + "-"
                        + h.substring(8, 12)
                        + "-"
                        + h.substring(12, 16)
                        + "-"
                        + h.substring(16, 20)
                        + "-"
                        + h.substring(20, 32));
    }

    /** One page, sorted by {@code sort} (then by sequence number, in the same direction), and the number of matches. */
    @Transactional
    public Page page(Criteria criteria, SortField sort, boolean descending, int offset, int limit) {
        chainer.catchUp(); // every entry committed before this read is in the chain
        long total = countCaughtUp(criteria);
        return new Page(linesCaughtUp(criteria, sort, descending, offset, limit), total);
    }

    /** How many entries match. */
    @Transactional
    public long count(Criteria criteria) {
        chainer.catchUp(); // every entry committed before this read is in the chain
        return countCaughtUp(criteria);
    }

    private long countCaughtUp(Criteria criteria) {
        Where where = where(criteria);
        return sql(
                connection -> {
                    try (PreparedStatement count =
                            connection.prepareStatement("select count(*) " + FROM + where.sql)) {
                        where.bind(count, 1);
                        try (ResultSet r = count.executeQuery()) {
                            r.next();
                            return r.getLong(1);
                        }
                    }
                });
    }

    /** At most {@code limit} matching entries from {@code offset} on, sorted as {@link #page} sorts them. */
    @Transactional
    public List<Line> lines(
            Criteria criteria, SortField sort, boolean descending, int offset, int limit) {
        chainer.catchUp(); // every entry committed before this read is in the chain
        return linesCaughtUp(criteria, sort, descending, offset, limit);
    }

    private List<Line> linesCaughtUp(
            Criteria criteria, SortField sort, boolean descending, int offset, int limit) {
        Where where = where(criteria);
        String direction = descending ? " desc" : " asc";
        String order =
                " order by "
                        + sort.column
                        + direction
                        + (descending ? " nulls last" : " nulls first")
                        + (sort == SortField.SEQUENCE ? "" : ", e.sequence_number" + direction);
        return sql(
                connection -> {
                    try (PreparedStatement query =
                            connection.prepareStatement(
                                    SELECT + FROM + where.sql + order + " limit ? offset ?")) {
                        int next = where.bind(query, 1);
                        query.setInt(next, limit);
                        query.setLong(next + 1, offset);
                        return lines(query);
                    }
                });
    }

    /**
     * Every matching entry, up to {@code max}, in order (for a CSV export), streamed in batches so
     * that a long period does not sit in memory at once.
     */
    @Transactional
    public long each(
            Criteria criteria,
            SortField sort,
            boolean descending,
            int max,
            Consumer<Line> consumer) {
        chainer.catchUp(); // every entry committed before this read is in the chain
        Where where = where(criteria);
        String direction = descending ? " desc" : " asc";
        String order =
                " order by "
                        + sort.column
                        + direction
                        + (descending ? " nulls last" : " nulls first")
                        + (sort == SortField.SEQUENCE ? "" : ", e.sequence_number" + direction);
        return sql(
                connection -> {
                    try (PreparedStatement query =
                            connection.prepareStatement(
                                    SELECT + FROM + where.sql + order + " limit ?")) {
                        int next = where.bind(query, 1);
                        query.setInt(next, max);
                        query.setFetchSize(500);
                        long written = 0;
                        try (ResultSet r = query.executeQuery()) {
                            while (r.next()) {
                                consumer.accept(line(r));
                                written++;
                            }
                        }
                        return written;
                    }
                });
    }

    /** The entry whose FHIR id is {@code id}, if any (and if it lies in {@code practiceId} when that is given). */
    @Transactional
    public Optional<Line> byId(UUID id, UUID practiceId) {
        chainer.catchUp();
        String prefix = id.toString().replace("-", "");
        return sql(
                connection -> {
                    try (PreparedStatement query =
                            connection.prepareStatement(
                                    SELECT
                                            + FROM
                                            + "where substr(e.hash, 1, 32) = ?"
                                            + (practiceId == null
                                                    ? ""
                                                    : " and e.practice_id = ?"))) {
                        query.setString(1, prefix);
                        if (practiceId != null) {
                            query.setObject(2, practiceId, Types.OTHER);
                        }
                        return lines(query).stream().findFirst();
                    }
                });
    }

    /**
     * Who of the practice's staff, or which connected system, opened the patient's threads or
     * downloaded their files, newest first: successful READs of a Thread and DOWNLOADs of an
     * Attachment by anyone who is not the patient or a proxy, and the openings of emergency access
     * to the patient's restricted threads.
     */
    @Transactional
    public List<Access> accessesToPatient(UUID patientId, int limit) {
        chainer.catchUp();
        return sql(
                connection -> {
                    try (PreparedStatement query =
                            connection.prepareStatement(
                                    "select e.occurred_at, e.action, e.resource_type, "
                                            + "e.resource_id, ua.display_name, e.actor_roles, e.actor_client_id, e.actor_user_id, e.reason_code "
                                            + "from audit_event e left join user_account ua on ua.id = e.actor_user_id "
                                            + "where e.patient_id = ? and e.outcome = 'success' "
                                            + "and ((e.action = 'READ' and e.resource_type = 'Thread') or (e.action = 'DOWNLOAD' and e.resource_type = 'Attachment') "
                                            + "or (e.action = 'EMERGENCY_ACCESS' and e.resource_type = 'Patient')) "
                                            + "and (e.actor_roles is null or (e.actor_roles not like '%PATIENT%' and e.actor_roles not like '%PROXY%')) "
                                            + "order by e.sequence_number desc limit ?")) {
                        query.setObject(1, patientId, Types.OTHER);
                        query.setInt(2, limit);
                        List<Access> accesses = new ArrayList<>();
                        try (ResultSet r = query.executeQuery()) {
                            while (r.next()) {
                                UUID user = r.getObject(8, UUID.class);
                                accesses.add(
                                        new Access(
                                                r.getObject(1, OffsetDateTime.class).toInstant(),
                                                r.getString(2),
                                                r.getString(3),
                                                r.getString(4),
                                                r.getString(5),
                                                r.getString(6),
                                                r.getString(7) != null,
                                                user != null ? user.toString() : r.getString(7),
                                                r.getString(9)));
                            }
                        }
                        return accesses;
                    }
                });
    }

    /**
     * A period in which a practice did not record access to patient information, because an admin
     * had switched that recording off: {@code from} the switch off {@code to} the switch back on
     * ({@code to} null: still off).
     */
    public record UnrecordedPeriod(UUID practiceId, Instant from, Instant to) {

        public boolean ongoing() {
            return to == null;
        }
    }

    /**
     * The periods in which the practice did not record access to patient information, oldest first.
     * Read from the log itself: every switch of the recording is an AUDIT_RECORDING entry, written in
     * the switching transaction whatever the switch says (never switched off itself), so its history
     * is as complete and as tamper-evident as the log. Recording is on until the first switch.
     */
    @Transactional
    public List<UnrecordedPeriod> unrecordedPeriods(UUID practiceId) {
        chainer.catchUp();
        return sql(
                connection -> {
                    try (PreparedStatement query =
                            connection.prepareStatement(
                                    "select e.occurred_at, e.reason_code from audit_event e "
                                            + "where e.resource_type = 'AuditSetting' and e.resource_id = ? and e.action = 'AUDIT_RECORDING' "
                                            + "and e.outcome = 'success' and e.practice_id = ? order by e.sequence_number")) {
                        query.setString(1, practiceId.toString());
                        query.setObject(2, practiceId, Types.OTHER);
                        List<UnrecordedPeriod> periods = new ArrayList<>();
                        Instant offSince = null;
                        try (ResultSet r = query.executeQuery()) {
                            while (r.next()) {
                                Instant at = r.getObject(1, OffsetDateTime.class).toInstant();
                                boolean on = "enabled".equals(r.getString(2));
                                if (!on && offSince == null) {
                                    offSince = at;
                                } else if (on && offSince != null) {
                                    periods.add(new UnrecordedPeriod(practiceId, offSince, at));
                                    offSince = null;
                                }
                            }
                        }
                        if (offSince != null) {
                            periods.add(new UnrecordedPeriod(practiceId, offSince, null));
                        }
                        return periods;
                    }
                });
    }

    private record Where(String sql, List<Object> values) {
        int bind(PreparedStatement statement, int first) throws SQLException {
            int index = first;
            for (Object value : values) {
                if (value instanceof UUID) {
                    statement.setObject(index++, value, Types.OTHER);
                } else if (value instanceof Instant instant) {
                    statement.setObject(index++, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
                } else {
                    statement.setObject(index++, value);
                }
            }
            return index;
        }
    }

    private static Where where(Criteria c) {
        List<String> clauses = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        add(clauses, values, "e.occurred_at >= ?", c.from);
        add(clauses, values, "e.occurred_at < ?", c.to);
        add(clauses, values, "e.practice_id = ?", c.practiceId);
        if (!c.actions.isEmpty()) {
            clauses.add(
                    "e.action in ("
                            + String.join(", ", c.actions.stream().map(a -> "?").toList())
                            + ")");
            values.addAll(c.actions);
        }
        add(clauses, values, "e.outcome = ?", c.outcome);
        add(clauses, values, "e.actor_user_id = ?", c.actorUserId);
        add(clauses, values, "ua.username = ?", c.actorUsername);
        add(clauses, values, "(',' || e.actor_roles || ',') like ('%,' || ? || ',%')", c.role);
        add(clauses, values, "e.actor_client_id = ?", c.clientId);
        add(clauses, values, "e.on_behalf_of_patient_id = ?", c.onBehalfOf);
        add(clauses, values, "e.resource_type = ?", c.resourceType);
        add(clauses, values, "e.resource_id = ?", c.resourceId);
        add(clauses, values, "e.patient_id = ?", c.patientId);
        add(clauses, values, "e.source_ip = ?", c.sourceIp);
        add(clauses, values, "e.reason_code = ?", c.reasonCode);
        add(clauses, values, "e.request_id = ?", c.requestId);
        add(clauses, values, "ua.practitioner_id = ?", c.actorPractitionerId);
        add(clauses, values, "ua.patient_id = ?", c.actorPatientId);
        add(
                clauses,
                values,
                "e.actor_user_id in (select l.user_id from user_proxy_link l where l.related_person_id = ?)",
                c.actorRelatedPersonId);
        return new Where(clauses.isEmpty() ? "" : "where " + String.join(" and ", clauses), values);
    }

    private static void add(
            List<String> clauses, List<Object> values, String clause, Object value) {
        if (value != null) {
            clauses.add(clause);
            values.add(value);
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T sql(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "audit log query failed (sqlState=" + e.getSQLState() + ")", e);
        }
    }

    private static List<Line> lines(PreparedStatement query) throws SQLException {
        List<Line> lines = new ArrayList<>();
        try (ResultSet r = query.executeQuery()) {
            while (r.next()) {
                lines.add(line(r));
            }
        }
        return lines;
    }

    private static Line line(ResultSet r) throws SQLException {
        return new Line(
                r.getLong(1),
                r.getObject(2, OffsetDateTime.class).toInstant(),
                r.getObject(3, UUID.class),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                r.getString(7),
                r.getObject(8, UUID.class),
                r.getString(9),
                r.getString(10),
                r.getString(11),
                r.getObject(12, UUID.class),
                r.getString(13),
                r.getObject(14, UUID.class),
                r.getString(15),
                r.getString(16),
                r.getString(17),
                r.getString(18),
                r.getString(19),
                r.getString(20));
    }
}
