package dev.bluepost.measurement.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.fhir.FhirJson;
import dev.bluepost.fhir.Ref;
import dev.bluepost.fhir.SearchValues;
import dev.bluepost.measurement.Encounter;
import dev.bluepost.measurement.EncounterReferences;
import dev.bluepost.measurement.fhir.EncounterHandler;
import dev.bluepost.platform.errors.BluepostException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

import javax.sql.DataSource;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Stores FHIR Encounters that arrive in bulk — the NDJSON import and the EHR topic — a chunk of
 * lines per database transaction. Every line goes through the same mapping and checks as the FHIR
 * API ({@link EncounterHandler#prepare}); a line that fails them is reported with its number and a
 * reason naming fields and ids only, and the others are stored. Encounters are identified by their
 * first {@code identifier} with a system and a value: one already stored with that identifier is
 * updated when the resource changed and left alone when it did not; a new one gets an id derived
 * from the identifier, so two feeds delivering the same encounter at once still store it once.
 * Rows are written with one multi-row statement per table (arrays unnested server-side).
 */
@ApplicationScoped
public class EncounterFeed {

    /** Longest line accepted (an Encounter is a few kilobytes). */
    public static final int MAX_LINE_CHARS = 256 * 1024;

    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|'[^']*'");

    /** One line of input and its number (1-based) in the file or its position on the topic. */
    public record Line(long number, String text) {
    }

    /** A line not stored, and why. */
    public record Failure(long line, String reason) {
    }

    /** What a chunk did. {@code unchanged} counts lines identical to what was stored (or repeated later in the chunk). */
    public record Outcome(int created, int updated, int unchanged, List<Failure> failures) {

        public int loaded() {
            return created + updated + unchanged;
        }
    }

    private record Ready(long line, String key, Encounter row) {
    }

    private final FhirJson fhirJson;
    private final ObjectMapper mapper;
    private final EncounterHandler handler;
    private final DirectoryService directory;
    private final DataSource dataSource;

    public EncounterFeed(FhirJson fhirJson, ObjectMapper mapper, EncounterHandler handler, DirectoryService directory,
                         DataSource dataSource) {
        this.fhirJson = fhirJson;
        this.mapper = mapper;
        this.handler = handler;
        this.directory = directory;
        this.dataSource = dataSource;
    }

    /** Directory answers for a run of chunks (one import job, one listener batch). */
    public EncounterReferences.Batch references() {
        return new EncounterReferences.Batch(directory);
    }

    /**
     * Checks and stores one chunk in one transaction.
     *
     * @param onlyPractice when not null, encounters of any other practice are refused (a compliance
     *                     officer imports for their own practice)
     * @param memberships  practitioner→practice pairs already recorded in this run (updated here)
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Outcome load(List<Line> lines, EncounterReferences.Batch references, UUID onlyPractice, Set<String> memberships) {
        long tStart = System.nanoTime();
        List<Failure> failures = new ArrayList<>();
        List<org.hl7.fhir.r4.model.Encounter> parsed = new ArrayList<>(lines.size());
        List<Line> parsedLines = new ArrayList<>(lines.size());
        Set<UUID> patients = new HashSet<>();
        Set<UUID> practitioners = new HashSet<>();
        // parsing is pure CPU and thread-safe (HAPI's context, Jackson): spread over the cores, results in line order
        List<Object> results = (lines.size() > 1 ? lines.parallelStream() : lines.stream()).map(line -> {
            try {
                return (Object) parse(line.text());
            } catch (BluepostException e) {
                return new Failure(line.number(), e.getMessage());
            }
        }).toList();
        for (int i = 0; i < lines.size(); i++) {
            if (results.get(i) instanceof Failure failure) {
                failures.add(failure);
                continue;
            }
            org.hl7.fhir.r4.model.Encounter encounter = (org.hl7.fhir.r4.model.Encounter) results.get(i);
            parsed.add(encounter);
            parsedLines.add(lines.get(i));
            idOf(encounter.getSubject()).ifPresent(patients::add);
            encounter.getParticipant().forEach(p -> idOf(p.getIndividual()).ifPresent(practitioners::add));
        }
        long tParsed = System.nanoTime();
        references.prefetch(patients, practitioners);
        long tPrefetched = System.nanoTime();
        Map<String, Ready> ready = new LinkedHashMap<>();
        int superseded = 0;
        for (int i = 0; i < parsed.size(); i++) {
            org.hl7.fhir.r4.model.Encounter resource = parsed.get(i);
            long number = parsedLines.get(i).number();
            try {
                String key = key(resource);
                Encounter row = handler.prepare(resource, references);
                if (onlyPractice != null && !onlyPractice.equals(row.practiceId)) {
                    throw BluepostException.forbidden("Encounter.serviceProvider is Organization/" + row.practiceId
                            + ", not the practice of the person importing.");
                }
                if (ready.put(key, new Ready(number, key, row)) != null) {
                    superseded++;
                }
            } catch (BluepostException e) {
                failures.add(new Failure(number, e.getMessage()));
            }
        }
        long tMapped = System.nanoTime();
        if (ready.isEmpty()) {
            return new Outcome(0, 0, superseded, failures);
        }
        try (Connection c = dataSource.getConnection()) {
            Map<String, UUID> existing = existing(c, ready.keySet());
            long tExisting = System.nanoTime();
            int[] createdUpdated = write(c, new ArrayList<>(ready.values()), existing);
            long tWritten = System.nanoTime();
            io.quarkus.logging.Log.debugf("encounter chunk lines=%d parseMs=%d prefetchMs=%d mapMs=%d lookupMs=%d writeMs=%d", lines.size(),
                    (tParsed - tStart) / 1_000_000,
                    (tPrefetched - tParsed) / 1_000_000, (tMapped - tPrefetched) / 1_000_000, (tExisting - tMapped) / 1_000_000,
                    (tWritten - tExisting) / 1_000_000);
            for (Ready r : ready.values()) {
                for (Encounter.Participant p : r.row().participants) {
                    if (memberships.add(p.practitionerId + "|" + r.row().practiceId)) {
                        directory.recordPracticeMembership(p.practitionerId, r.row().practiceId);
                    }
                }
            }
            int unchanged = ready.size() - createdUpdated[0] - createdUpdated[1] + superseded;
            return new Outcome(createdUpdated[0], createdUpdated[1], unchanged, failures);
        } catch (SQLException e) {
            throw new IllegalStateException("encounter chunk could not be stored (sqlState=" + e.getSQLState() + ")", e);
        }
    }

    /**
     * Parses one line: valid FHIR R4 JSON of an Encounter. Only a line HAPI refuses is looked at
     * again with Jackson, to say why without quoting the line's values.
     */
    private org.hl7.fhir.r4.model.Encounter parse(String text) {
        if (text.length() > MAX_LINE_CHARS) {
            throw BluepostException.tooLarge("The line is longer than " + MAX_LINE_CHARS / 1024 + " KB.");
        }
        BluepostException refused;
        try {
            return fhirJson.parse(text, org.hl7.fhir.r4.model.Encounter.class);
        } catch (BluepostException e) {
            refused = e;
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw BluepostException.malformed("The line is not JSON.");
        }
        if (tree == null || !tree.isObject()) {
            throw BluepostException.malformed("The line is not a JSON object.");
        }
        JsonNode type = tree.get("resourceType");
        if (type == null || !type.isTextual()) {
            throw BluepostException.malformed("The line has no resourceType; an Encounter was expected.");
        }
        if (!"Encounter".equals(type.asText())) {
            throw BluepostException.malformed("The line is a " + (type.asText().matches("[A-Za-z]{1,64}") ? type.asText() : "resource")
                    + ", not an Encounter.");
        }
        throw BluepostException.malformed(QUOTED.matcher(refused.getMessage()).replaceAll("'…'"));
    }

    /** {@code system|value} of the first identifier that has both: what makes a feed idempotent. */
    static String key(org.hl7.fhir.r4.model.Encounter encounter) {
        for (Identifier identifier : encounter.getIdentifier()) {
            if (identifier.hasSystem() && identifier.hasValue()) {
                return SearchValues.identifierToken(identifier.getSystem(), identifier.getValue());
            }
        }
        throw BluepostException.businessRule("Encounter.identifier with a system and a value is required: "
                + "it is how a repeated delivery is recognised.");
    }

    /** The id a new encounter gets from its identifier (name-based UUID). */
    static UUID idFor(String key) {
        return UUID.nameUUIDFromBytes(("Encounter|" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static java.util.Optional<UUID> idOf(Reference reference) {
        return reference == null || !reference.hasReference() ? java.util.Optional.empty()
                : Ref.parse(reference.getReference()).map(Ref::id);
    }

    /** Encounters already stored under these identifiers (through any channel, the FHIR API included). */
    private static Map<String, UUID> existing(Connection c, Set<String> keys) throws SQLException {
        Map<String, UUID> found = new HashMap<>();
        // a thousand tokens make the planner expect a large share of the table; the GIN index answers in milliseconds
        try (Statement s = c.createStatement()) {
            s.execute("set local enable_seqscan = off");
        }
        try (PreparedStatement s = c.prepareStatement(
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
        return found;
    }

    /** @return {created, updated} */
    private static int[] write(Connection c, List<Ready> rows, Map<String, UUID> existing) throws SQLException {
        int n = rows.size();
        String[] ids = new String[n], resources = new String[n], tokens = new String[n], practices = new String[n],
                patients = new String[n], statuses = new String[n], classes = new String[n], starts = new String[n],
                ends = new String[n], dates = new String[n], locations = new String[n], times = new String[n];
        Map<UUID, Encounter> byId = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Ready r = rows.get(i);
            Encounter e = r.row();
            UUID id = existing.getOrDefault(r.key(), idFor(r.key()));
            byId.put(id, e);
            ids[i] = id.toString();
            resources[i] = e.resource;
            tokens[i] = String.join("\u001f", e.identifierTokens);
            practices[i] = e.practiceId.toString();
            patients[i] = e.patientId.toString();
            statuses[i] = e.status;
            classes[i] = e.classCode;
            starts[i] = e.periodStart.toString();
            ends[i] = e.periodEnd == null ? null : e.periodEnd.toString();
            dates[i] = e.serviceDate.toString();
            locations[i] = e.locationId == null ? null : e.locationId.toString();
            times[i] = e.updatedAt.toString();
        }
        List<UUID> created = new ArrayList<>();
        List<UUID> updated = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                insert into encounter (id, version, resource, identifier_tokens, created_at, updated_at, practice_id, patient_id,
                                       status, class_code, period_start, period_end, service_date, location_id)
                select u.id::uuid, 0, u.resource::jsonb, string_to_array(u.tokens, chr(31))::varchar[], u.at::timestamptz,
                       u.at::timestamptz, u.practice::uuid, u.patient::uuid, u.status, u.class, u.ps::timestamptz, u.pe::timestamptz,
                       u.sd::date, u.loc::uuid
                from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                            ?::text[], ?::text[], ?::text[])
                     as u(id, resource, tokens, practice, patient, status, class, ps, pe, sd, loc, at)
                on conflict (id) do update set version = encounter.version + 1, resource = excluded.resource,
                    identifier_tokens = excluded.identifier_tokens, updated_at = excluded.updated_at,
                    practice_id = excluded.practice_id, patient_id = excluded.patient_id, status = excluded.status,
                    class_code = excluded.class_code, period_start = excluded.period_start, period_end = excluded.period_end,
                    service_date = excluded.service_date, location_id = excluded.location_id
                where encounter.resource is distinct from excluded.resource
                returning id, (xmax = 0)""")) {
            String[][] columns = {ids, resources, tokens, practices, patients, statuses, classes, starts, ends, dates, locations, times};
            for (int i = 0; i < columns.length; i++) {
                s.setArray(i + 1, c.createArrayOf("text", columns[i]));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    (r.getBoolean(2) ? created : updated).add(r.getObject(1, UUID.class));
                }
            }
        }
        if (!updated.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("delete from encounter_participant where encounter_id = any(?::uuid[])")) {
                s.setArray(1, c.createArrayOf("uuid", updated.toArray()));
                s.executeUpdate();
            }
        }
        List<String> encounterIds = new ArrayList<>();
        List<String> practitionerIds = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (List<UUID> changed : List.of(created, updated)) {
            for (UUID id : changed) {
                for (Encounter.Participant p : byId.get(id).participants) {
                    encounterIds.add(id.toString());
                    practitionerIds.add(p.practitionerId.toString());
                    types.add(p.type);
                }
            }
        }
        if (!encounterIds.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("""
                    insert into encounter_participant (encounter_id, practitioner_id, type)
                    select u.e::uuid, u.p::uuid, u.t from unnest(?::text[], ?::text[], ?::text[]) as u(e, p, t)
                    on conflict do nothing""")) {
                s.setArray(1, c.createArrayOf("text", encounterIds.toArray()));
                s.setArray(2, c.createArrayOf("text", practitionerIds.toArray()));
                s.setArray(3, c.createArrayOf("text", types.toArray()));
                s.executeUpdate();
            }
        }
        return new int[] {created.size(), updated.size()};
    }
}
