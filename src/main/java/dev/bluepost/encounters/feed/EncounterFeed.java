package dev.bluepost.encounters.feed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.encounters.EncounterReferences;
import dev.bluepost.encounters.StoredEncounter;
import dev.bluepost.encounters.fhir.EncounterHandler;
import dev.bluepost.fhir.FhirJson;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchValues;
import dev.bluepost.fhir.StoredJson;
import dev.bluepost.platform.errors.BluepostException;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Stores FHIR Encounters that arrive in bulk — the NDJSON import and the EHR topic — a chunk of
 * lines per database transaction, in two steps so that a job can prepare one chunk while the
 * previous one is being written:
 * <ol>
 * <li>{@link #prepare}: every line is parsed (HAPI, strictly) and goes through the same mapping and
 * checks as the FHIR API ({@link EncounterHandler#prepare}) on all cores, against an immutable
 * snapshot of the directory's answers about the chunk's ids taken in one short read transaction,
 * together with the ids of encounters already stored under the chunk's identifiers. A line that
 * fails is reported with its number and a reason naming fields and ids only.</li>
 * <li>{@link #store}: one transaction streams the rows through {@code COPY} into session-local
 * staging tables, then one {@code insert … select … on conflict} per table moves them into
 * {@code encounter} and {@code encounter_participant}.</li>
 * </ol>
 * Encounters are identified by their first {@code identifier} with a system and a value: one
 * already stored with that identifier is updated when the resource changed and left alone when it
 * did not; a new one gets an id derived from the identifier, so two feeds delivering the same
 * encounter at once still store it once.
 */
@ApplicationScoped
public class EncounterFeed {

    /** Longest line accepted (an Encounter is a few kilobytes). */
    public static final int MAX_LINE_CHARS = 256 * 1024;

    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|'[^']*'");

    /** The columns a chunk's rows are copied into, in {@code encounter} or its staging table. */
    private static final String COLUMNS =
            "id, version, resource, identifier_tokens, created_at, updated_at, practice_id, patient_id, "
                    + "status, class_code, period_start, period_end, service_date, location_id";

    /** Session-local (temporary) tables emptied at every commit: a chunk's rows before they are merged. */
    private static final String STAGING =
            """
            create temp table if not exists encounter_staging (
                id uuid not null, version integer not null, resource jsonb not null, identifier_tokens varchar[] not null,
                created_at timestamptz not null, updated_at timestamptz not null, practice_id uuid not null, patient_id uuid not null,
                status text not null, class_code text, period_start timestamptz not null, period_end timestamptz,
                service_date date not null, location_id uuid
            ) on commit delete rows;
            create temp table if not exists encounter_participant_staging (
                encounter_id uuid not null, practitioner_id uuid not null, type text not null
            ) on commit delete rows""";

    /** One line of input and its number (1-based) in the file or its position on the topic. */
    public record Line(long number, String text) {}

    /**
     * A line not stored, and why: {@code reason} in English (the JSON status, the dead-letter topic), and the
     * problem's code with its values when it has one (an import job's page words it in its reader's language).
     */
    public record Failure(long line, String reason, LineProblem problem, List<String> values) {

        /** A reason only in English (the FHIR parser's and mapping's refusals). */
        public Failure(long line, String reason) {
            this(line, reason, null, List.of());
        }

        public static Failure of(long line, LineProblem problem, String... values) {
            List<String> list = List.of(values);
            return new Failure(line, problem.english(list), problem, list);
        }
    }

    /** A line refused before the FHIR mapping, with its problem's code and values. */
    private static final class Refused extends RuntimeException {
        final transient LineProblem problem;
        final String[] values;

        Refused(LineProblem problem, String... values) {
            super(problem.name(), null, false, false);
            this.problem = problem;
            this.values = values;
        }

        Failure at(long line) {
            return Failure.of(line, problem, values);
        }
    }

    /** What a chunk did. {@code unchanged} counts lines identical to what was stored (or repeated later in the chunk). */
    public record Outcome(int created, int updated, int unchanged, List<Failure> failures) {

        public int loaded() {
            return created + updated + unchanged;
        }
    }

    /**
     * A line checked and mapped: the row to store under {@code id} — the encounter already stored
     * under its identifier ({@code known}), or an id derived from {@code key}.
     */
    public record Ready(
            long line, String key, UUID id, boolean known, StoredEncounter row, Rows copy) {}

    /** A row and its participants in {@code COPY}'s text format, rendered while the chunk is prepared (on all cores). */
    public record Rows(String encounter, String participants) {

        static Rows of(UUID id, StoredEncounter e) {
            String at = e.updatedAt.toString();
            String encounterId = id.toString();
            StringBuilder encounter = new StringBuilder(e.resource.length() + 400);
            CopyText.row(
                    encounter,
                    encounterId,
                    "0",
                    e.resource,
                    CopyText.array(e.identifierTokens),
                    at,
                    at,
                    e.practiceId.toString(),
                    e.patientId.toString(),
                    e.status,
                    e.classCode,
                    e.periodStart.toString(),
                    e.periodEnd == null ? null : e.periodEnd.toString(),
                    e.serviceDate.toString(),
                    e.locationId == null ? null : e.locationId.toString());
            StringBuilder participants = new StringBuilder(96 * e.participants.size());
            for (StoredEncounter.Participant p : e.participants) {
                CopyText.row(participants, encounterId, p.practitionerId.toString(), p.type);
            }
            return new Rows(encounter.toString(), participants.toString());
        }
    }

    /**
     * A chunk checked and mapped, not stored yet: one row per identifier (the chunk's last line for
     * it; {@code superseded} counts the earlier ones) and the lines that failed.
     */
    public record Prepared(List<Ready> rows, int superseded, List<Failure> failures) {

        /** One row on its own, to store it alone when the database refused its chunk. */
        public Prepared only(Ready row) {
            return new Prepared(List.of(row), 0, List.of());
        }
    }

    /** A parsed line with the ids it refers to (what the directory is asked about). */
    private record Parsed(
            Line line,
            StoredJson.Source source,
            Encounter resource,
            String key,
            Optional<UUID> patient,
            List<UUID> practitioners,
            Optional<UUID> location,
            Optional<UUID> practice) {}

    private record Lookup(EncounterReferences.Snapshot directory, Map<String, UUID> stored) {}

    private final FhirJson fhirJson;
    private final EncounterHandler handler;
    private final DirectoryService directory;
    private final DataSource dataSource;
    private final EncounterLoads loads;

    public EncounterFeed(
            FhirJson fhirJson,
            EncounterHandler handler,
            DirectoryService directory,
            DataSource dataSource,
            EncounterLoads loads) {
        this.fhirJson = fhirJson;
        this.handler = handler;
        this.directory = directory;
        this.dataSource = dataSource;
        this.loads = loads;
    }

    /** Directory answers for a run of chunks (one import job, one listener record). */
    public EncounterReferences.Batch references() {
        return new EncounterReferences.Batch(directory);
    }

    /**
     * Checks and stores one chunk ({@link #prepare} then {@link #store}).
     *
     * @param onlyPractice when not null, encounters of any other practice are refused (a compliance
     *                     officer imports for their own practice)
     * @param memberships  practitioner→practice pairs already recorded in this run (updated here)
     */
    public Outcome load(
            List<Line> lines,
            EncounterReferences.Batch references,
            UUID onlyPractice,
            Set<String> memberships) {
        return store(prepare(lines, references, onlyPractice), memberships, false);
    }

    /**
     * Parses, checks and maps a chunk without writing anything: lines on all cores, the directory
     * and the stored identifiers asked once, in a read transaction of their own. Calls for the same
     * {@code references} must not overlap.
     *
     * @param onlyPractice when not null, encounters of any other practice are refused
     */
    public Prepared prepare(
            List<Line> lines, EncounterReferences.Batch references, UUID onlyPractice) {
        long tStart = System.nanoTime();
        List<Failure> failures = new ArrayList<>();
        List<Parsed> parsed = new ArrayList<>(lines.size());
        // parsing is pure CPU and thread-safe (HAPI's context, Jackson): spread over the cores,
        // results in line order
        for (Object result :
                parallel(lines)
                        .map(
                                line -> {
                                    try {
                                        return (Object) parse(line);
                                    } catch (Refused e) {
                                        return e.at(line.number());
                                    } catch (BluepostException e) {
                                        return new Failure(line.number(), e.getMessage());
                                    }
                                })
                        .toList()) {
            if (result instanceof Failure failure) {
                failures.add(failure);
            } else {
                parsed.add((Parsed) result);
            }
        }
        long tParsed = System.nanoTime();
        if (parsed.isEmpty()) {
            return new Prepared(List.of(), 0, failures);
        }
        Set<UUID> patients = new HashSet<>();
        Set<UUID> practitioners = new HashSet<>();
        Set<UUID> locations = new HashSet<>();
        Set<UUID> practices = new HashSet<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Parsed p : parsed) {
            p.patient().ifPresent(patients::add);
            practitioners.addAll(p.practitioners());
            p.location().ifPresent(locations::add);
            p.practice().ifPresent(practices::add);
            keys.add(p.key());
        }
        Lookup lookup =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        new Lookup(
                                                references.snapshot(
                                                        patients,
                                                        practitioners,
                                                        locations,
                                                        practices),
                                                storedIds(keys)));
        long tLooked = System.nanoTime();
        List<Object> mapped =
                parallel(parsed)
                        .map(
                                p -> {
                                    try {
                                        StoredEncounter row =
                                                handler.prepare(
                                                        p.resource(),
                                                        lookup.directory(),
                                                        p.source());
                                        if (onlyPractice != null
                                                && !onlyPractice.equals(row.practiceId)) {
                                            return Failure.of(
                                                    p.line().number(),
                                                    LineProblem.OTHER_PRACTICE,
                                                    row.practiceId.toString());
                                        }
                                        UUID stored = lookup.stored().get(p.key());
                                        UUID id = stored == null ? idFor(p.key()) : stored;
                                        return (Object)
                                                new Ready(
                                                        p.line().number(),
                                                        p.key(),
                                                        id,
                                                        stored != null,
                                                        row,
                                                        Rows.of(id, row));
                                    } catch (BluepostException e) {
                                        return new Failure(p.line().number(), e.getMessage());
                                    }
                                })
                        .toList();
        Map<String, Ready> ready = new LinkedHashMap<>();
        int superseded = 0;
        for (Object result : mapped) {
            if (result instanceof Failure failure) {
                failures.add(failure);
            } else if (ready.put(((Ready) result).key(), (Ready) result) != null) {
                superseded++;
            }
        }
        failures.sort(java.util.Comparator.comparingLong(Failure::line));
        Log.debugf(
                "encounter chunk prepared lines=%d parseMs=%d lookupMs=%d mapMs=%d",
                lines.size(),
                (tParsed - tStart) / 1_000_000,
                (tLooked - tParsed) / 1_000_000,
                (System.nanoTime() - tLooked) / 1_000_000);
        return new Prepared(List.copyOf(ready.values()), superseded, failures);
    }

    /** Catches up the figures derived from encounters after a run whose chunks deferred their upkeep; returns how many encounters. */
    public int catchUp() {
        return loads.catchUp();
    }

    /**
     * Writes a prepared chunk in one transaction and records the practitioners' practice
     * memberships it reveals; throws when the database refuses the chunk (nothing of it is then
     * stored — the caller may store its rows one by one).
     *
     * @param memberships     practitioner→practice pairs already recorded in this run (updated once committed)
     * @param deferAggregates when true, the encounters are only marked stale for the measure aggregates; the
     *                        caller refreshes them ({@link EncounterLoads#catchUp}) when its run ends
     */
    public Outcome store(Prepared prepared, Set<String> memberships, boolean deferAggregates) {
        if (prepared.rows().isEmpty()) {
            return new Outcome(0, 0, prepared.superseded(), prepared.failures());
        }
        long tStart = System.nanoTime();
        Set<String> newMemberships = new LinkedHashSet<>();
        int[] createdUpdated =
                QuarkusTransaction.requiringNew()
                        .call(
                                () -> {
                                    int[] counts;
                                    try (Connection c = dataSource.getConnection()) {
                                        if (deferAggregates) {
                                            loads.deferUpkeep(c);
                                        }
                                        counts = write(c, prepared.rows());
                                    } catch (SQLException | IOException e) {
                                        String state =
                                                e instanceof SQLException sql
                                                        ? sql.getSQLState()
                                                        : "io";
                                        throw new IllegalStateException(
                                                "encounter chunk could not be stored (sqlState="
                                                        + state
                                                        + ")",
                                                e);
                                    }
                                    for (Ready r : prepared.rows()) {
                                        for (StoredEncounter.Participant p : r.row().participants) {
                                            String pair =
                                                    p.practitionerId + "|" + r.row().practiceId;
                                            if (!memberships.contains(pair)
                                                    && newMemberships.add(pair)) {
                                                directory.recordPracticeMembership(
                                                        p.practitionerId, r.row().practiceId);
                                            }
                                        }
                                    }
                                    return counts;
                                });
        memberships.addAll(newMemberships);
        Log.debugf(
                "encounter chunk stored rows=%d writeMs=%d",
                prepared.rows().size(), (System.nanoTime() - tStart) / 1_000_000);
        int unchanged =
                prepared.rows().size()
                        - createdUpdated[0]
                        - createdUpdated[1]
                        + prepared.superseded();
        return new Outcome(createdUpdated[0], createdUpdated[1], unchanged, prepared.failures());
    }

    private static <T> Stream<T> parallel(List<T> items) {
        return items.size() > 1 ? items.parallelStream() : items.stream();
    }

    /**
     * Parses one line: JSON (Jackson, kept to store the line as sent when possible), then valid
     * FHIR R4 JSON of an Encounter (HAPI, strictly), with the identifier that makes it idempotent.
     * Reasons name what is wrong without quoting the line's values; a refusal before the FHIR parser is a
     * {@link Refused} with its {@link LineProblem}.
     */
    private Parsed parse(Line line) {
        String text = line.text();
        if (text.length() > MAX_LINE_CHARS) {
            throw new Refused(LineProblem.LINE_TOO_LONG, Integer.toString(MAX_LINE_CHARS / 1024));
        }
        StoredJson.Source source =
                StoredJson.read(text).orElseThrow(() -> new Refused(LineProblem.NOT_JSON));
        JsonNode tree = source.tree();
        if (tree == null || !tree.isObject()) {
            throw new Refused(LineProblem.NOT_OBJECT);
        }
        JsonNode type = tree.get("resourceType");
        if (type == null || !type.isTextual()) {
            throw new Refused(LineProblem.NO_RESOURCE_TYPE);
        }
        if (!"Encounter".equals(type.asText())) {
            throw type.asText().matches("[A-Za-z]{1,64}")
                    ? new Refused(LineProblem.NOT_ENCOUNTER, type.asText())
                    : new Refused(LineProblem.NOT_ENCOUNTER_UNNAMED);
        }
        Encounter resource;
        try {
            resource = fhirJson.parse(source, Encounter.class);
        } catch (BluepostException refused) {
            throw BluepostException.malformed(
                    QUOTED.matcher(refused.getMessage()).replaceAll("'…'"));
        }
        List<UUID> practitioners = new ArrayList<>(resource.getParticipant().size());
        resource.getParticipant()
                .forEach(
                        participant ->
                                idOf(participant.getIndividual()).ifPresent(practitioners::add));
        return new Parsed(
                line,
                source,
                resource,
                key(resource),
                idOf(resource.getSubject()),
                practitioners,
                resource.hasLocation()
                        ? idOf(resource.getLocationFirstRep().getLocation())
                        : Optional.empty(),
                idOf(resource.getServiceProvider()));
    }

    /** {@code system|value} of the first identifier that has both: what makes a feed idempotent. */
    static String key(Encounter encounter) {
        for (Identifier identifier : encounter.getIdentifier()) {
            if (identifier.hasSystem() && identifier.hasValue()) {
                return SearchValues.identifierToken(identifier.getSystem(), identifier.getValue());
            }
        }
        throw new Refused(LineProblem.NO_IDENTIFIER);
    }

    /** The id a new encounter gets from its identifier (name-based UUID). */
    static UUID idFor(String key) {
        return UUID.nameUUIDFromBytes(("Encounter|" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<UUID> idOf(Reference reference) {
        return reference == null || !reference.hasReference()
                ? Optional.empty()
                : Ref.parse(reference.getReference()).map(Ref::id);
    }

    /**
     * Encounters already stored under these identifiers (through any channel, the FHIR API
     * included), within the caller's transaction; the earliest stored wins when several carry one.
     */
    private Map<String, UUID> storedIds(Set<String> keys) {
        Map<String, UUID> found = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            // a thousand tokens make the planner expect a large share of the table; the GIN index
            // answers in milliseconds
            try (Statement s = c.createStatement()) {
                s.execute("set local enable_seqscan = off");
            }
            try (PreparedStatement s =
                    c.prepareStatement(
                            "select id, identifier_tokens from encounter where identifier_tokens && ?::varchar[] order by created_at, id")) {
                s.setArray(1, c.createArrayOf("varchar", keys.toArray(String[]::new)));
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        UUID id = r.getObject(1, UUID.class);
                        for (Object token : (Object[]) r.getArray(2).getArray()) {
                            if (keys.contains((String) token)) {
                                found.putIfAbsent((String) token, id);
                            }
                        }
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("set local enable_seqscan = on");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "stored encounter identifiers not read (sqlState=" + e.getSQLState() + ")", e);
        }
        return found;
    }

    /**
     * Writes the chunk's rows. A chunk of encounters none of which is stored yet (the usual first
     * import) is copied straight into {@code encounter} and {@code encounter_participant} — the
     * same work as a plain {@code COPY} — under a savepoint: should a row exist after all (stored
     * meanwhile by another channel, or by this job's previous chunk while this one was prepared),
     * the copy is undone and the chunk takes the general path. The general path copies the rows into
     * the session's staging tables (emptied at commit) and merges them with one
     * {@code insert … select … on conflict} per table: unchanged content ({@code resource is
     * distinct from}) is not rewritten, an updated encounter's participants are replaced.
     *
     * @return {created, updated}
     */
    private static int[] write(Connection c, List<Ready> rows) throws SQLException, IOException {
        long t0 = System.nanoTime();
        StringBuilder encounters = new StringBuilder(rows.size() * 1024);
        StringBuilder participants = new StringBuilder(rows.size() * 96);
        boolean allNew = true;
        for (Ready r : rows) {
            encounters.append(r.copy().encounter());
            participants.append(r.copy().participants());
            allNew &= !r.known();
        }
        byte[] encounterRows = encounters.toString().getBytes(StandardCharsets.UTF_8);
        byte[] participantRows = participants.toString().getBytes(StandardCharsets.UTF_8);
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        if (allNew) {
            try (Statement s = c.createStatement()) {
                s.execute("savepoint encounter_copy");
                try {
                    copy.copyIn(
                            "copy encounter (" + COLUMNS + ") from stdin",
                            new ByteArrayInputStream(encounterRows));
                    copy.copyIn(
                            "copy encounter_participant (encounter_id, practitioner_id, type) from stdin",
                            new ByteArrayInputStream(participantRows));
                    s.execute("release savepoint encounter_copy");
                    Log.debugf(
                            "encounter chunk copied rows=%d ms=%d",
                            rows.size(), (System.nanoTime() - t0) / 1_000_000);
                    return new int[] {rows.size(), 0};
                } catch (SQLException e) {
                    s.execute("rollback to savepoint encounter_copy");
                    Log.debugf(
                            "encounter chunk not copied, merging it sqlState=%s", e.getSQLState());
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute(STAGING);
        }
        copy.copyIn(
                "copy encounter_staging (" + COLUMNS + ") from stdin",
                new ByteArrayInputStream(encounterRows));
        copy.copyIn(
                "copy encounter_participant_staging (encounter_id, practitioner_id, type) from stdin",
                new ByteArrayInputStream(participantRows));
        long tCopied = System.nanoTime();
        List<UUID> created = new ArrayList<>();
        List<UUID> updated = new ArrayList<>();
        try (PreparedStatement s =
                        c.prepareStatement(
                                "insert into encounter ("
                                        + COLUMNS
                                        + ") select "
                                        + COLUMNS
                                        + " from encounter_staging "
                                        + """
                on conflict (id) do update set version = encounter.version + 1, resource = excluded.resource,
                    identifier_tokens = excluded.identifier_tokens, updated_at = excluded.updated_at,
                    practice_id = excluded.practice_id, patient_id = excluded.patient_id, status = excluded.status,
                    class_code = excluded.class_code, period_start = excluded.period_start, period_end = excluded.period_end,
                    service_date = excluded.service_date, location_id = excluded.location_id
                where encounter.resource is distinct from excluded.resource
                returning id, (xmax = 0)""");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                (r.getBoolean(2) ? created : updated).add(r.getObject(1, UUID.class));
            }
        }
        long tUpserted = System.nanoTime();
        if (!updated.isEmpty()) {
            try (PreparedStatement s =
                    c.prepareStatement(
                            "delete from encounter_participant where encounter_id = any(?)")) {
                s.setArray(1, c.createArrayOf("uuid", updated.toArray()));
                s.executeUpdate();
            }
        }
        if (!created.isEmpty() || !updated.isEmpty()) {
            List<UUID> changed = new ArrayList<>(created);
            changed.addAll(updated);
            try (PreparedStatement s =
                    c.prepareStatement(
                            """
                    insert into encounter_participant (encounter_id, practitioner_id, type)
                    select encounter_id, practitioner_id, type from encounter_participant_staging where encounter_id = any(?)
                    on conflict do nothing""")) {
                s.setArray(1, c.createArrayOf("uuid", changed.toArray()));
                s.executeUpdate();
            }
        }
        Log.debugf(
                "encounter chunk merged rows=%d copyMs=%d encounterMs=%d participantMs=%d",
                rows.size(),
                (tCopied - t0) / 1_000_000,
                (tUpserted - tCopied) / 1_000_000,
                (System.nanoTime() - tUpserted) / 1_000_000);
        return new int[] {created.size(), updated.size()};
    }
}
