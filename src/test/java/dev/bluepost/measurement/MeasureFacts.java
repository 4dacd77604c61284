package dev.bluepost.measurement;

import dev.bluepost.measurement.engine.MeasureAggregates;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes a practice's directory rows, encounters and measurement facts straight into PostgreSQL,
 * the way the FHIR handlers and the fact listeners store them, for the measure tests.
 */
final class MeasureFacts {

    static final ZoneId ZONE = ZoneId.of("America/Chicago");

    private final DataSource db;
    final UUID practice = UUID.randomUUID();
    private int npi = 1000000000;

    MeasureFacts(DataSource db) {
        this.db = db;
        exec(
                "insert into practice (id, version, resource, created_at, updated_at, name, time_zone, active) values (?, 1, '{}', ?, ?, 'P', ?, true)",
                practice,
                ts(Instant.parse("2010-01-01T00:00:00Z")),
                ts(Instant.parse("2010-01-01T00:00:00Z")),
                ZONE.getId());
    }

    UUID ep() {
        UUID id = UUID.randomUUID();
        exec(
                "insert into practitioner (id, version, resource, created_at, updated_at, npi, display_name, active) values (?, 1, '{}', now(), now(), ?, ?, true)",
                id,
                Integer.toString(npi++),
                "EP " + id.toString().substring(0, 4));
        exec(
                "insert into practitioner_practice (practitioner_id, practice_id) values (?, ?)",
                id,
                practice);
        return id;
    }

    UUID staff() {
        UUID id = UUID.randomUUID();
        exec(
                "insert into practitioner (id, version, resource, created_at, updated_at, npi, display_name, active) values (?, 1, '{}', now(), now(), null, 'Nurse', true)",
                id);
        exec(
                "insert into practitioner_practice (practitioner_id, practice_id) values (?, ?)",
                id,
                practice);
        return id;
    }

    UUID location(boolean cehrt, String county) {
        return location(cehrt, county, null);
    }

    UUID location(boolean cehrt, String county, String posCode) {
        UUID id = UUID.randomUUID();
        String resource =
                posCode == null
                        ? "{}"
                        : "{\"type\":[{\"coding\":[{\"system\":\"https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set\",\"code\":\""
                                + posCode
                                + "\"}]}]}";
        exec(
                "insert into location (id, version, resource, created_at, updated_at, practice_id, name, cehrt_equipped, county, state, status) values (?, 1, cast(? as jsonb), now(), now(), ?, 'L', ?, ?, 'IL', 'active')",
                id,
                resource,
                practice,
                cehrt,
                county);
        return id;
    }

    UUID patient() {
        return patient(false);
    }

    UUID patient(boolean test) {
        UUID id = UUID.randomUUID();
        exec(
                "insert into patient (id, version, resource, created_at, updated_at, practice_id, display_name, test_patient, active) values (?, 1, '{}', now(), now(), ?, 'Pat', ?, true)",
                id,
                practice,
                test);
        return id;
    }

    /** {@code retired} was merged into {@code survivor} (Patient.link replaced-by). */
    void merge(UUID retired, UUID survivor) {
        exec(
                "update patient set replaced_by_id = ?, active = false where id = ?",
                survivor,
                retired);
    }

    UUID proxy(UUID patient, Instant from, Instant to) {
        UUID id = UUID.randomUUID();
        exec(
                "insert into related_person (id, version, resource, created_at, updated_at, patient_id, display_name, period_start, period_end, active) values (?, 1, '{}', now(), now(), ?, 'Rep', ?, ?, true)",
                id,
                patient,
                from == null ? null : ts(from),
                to == null ? null : ts(to));
        return id;
    }

    UUID pool() {
        UUID id = UUID.randomUUID();
        exec(
                "insert into care_team (id, version, resource, created_at, updated_at, practice_id, name, status) values (?, 1, '{}', now(), now(), ?, 'Front desk', 'active')",
                id,
                practice);
        return id;
    }

    /** A finished ambulatory visit, the EP as primary performer. */
    UUID visit(UUID patient, UUID ep, LocalDate day, UUID location) {
        return encounter(patient, day, location, "finished", "AMB", ep, "PPRF");
    }

    /** An encounter with participants given as (practitioner, type) pairs. */
    UUID encounter(
            UUID patient,
            LocalDate day,
            UUID location,
            String status,
            String classCode,
            Object... participants) {
        UUID id = UUID.randomUUID();
        Instant start = day.atTime(10, 0).atZone(ZONE).toInstant();
        exec(
                "insert into encounter (id, version, resource, created_at, updated_at, practice_id, patient_id, status, class_code, period_start, service_date, location_id) values (?, 1, '{}', now(), now(), ?, ?, ?, ?, ?, ?, ?)",
                id,
                practice,
                patient,
                status,
                classCode,
                ts(start),
                day,
                location);
        for (int i = 0; i < participants.length; i += 2) {
            exec(
                    "insert into encounter_participant (encounter_id, practitioner_id, type) values (?, ?, ?)",
                    id,
                    participants[i],
                    participants[i + 1]);
        }
        return id;
    }

    /** A message fact; recipients as "Type/id". */
    UUID message(
            UUID patient,
            String senderKind,
            String senderType,
            UUID sender,
            Instant received,
            boolean secure,
            UUID inResponseTo,
            String... recipients) {
        UUID id = UUID.randomUUID();
        exec(
                "insert into mu_message_fact (message_id, practice_id, patient_id, thread_id, sender_type, sender_id, sender_kind, in_response_to, secure, automatic, received_at, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
                id,
                practice,
                patient,
                UUID.randomUUID(),
                senderType,
                sender,
                senderKind,
                inResponseTo,
                secure,
                "AUTOMATIC".equals(senderKind),
                ts(received));
        for (String r : recipients) {
            String[] parts = r.split("/");
            exec(
                    "insert into mu_message_recipient_fact (message_id, recipient_type, recipient_id) values (?, ?, ?) on conflict do nothing",
                    id,
                    parts[0],
                    UUID.fromString(parts[1]));
        }
        return id;
    }

    UUID patientToEp(UUID patient, UUID ep, LocalDateTime localReceived) {
        return message(
                patient,
                "PATIENT",
                "Patient",
                patient,
                at(localReceived),
                true,
                null,
                "Practitioner/" + ep);
    }

    UUID epToPatient(UUID ep, UUID patient, LocalDateTime localReceived, UUID inResponseTo) {
        return message(
                patient,
                "EP",
                "Practitioner",
                ep,
                at(localReceived),
                true,
                inResponseTo,
                "Patient/" + patient);
    }

    void assign(UUID message, UUID ep, LocalDateTime localAt) {
        exec(
                "insert into mu_assignment_fact (event_id, message_id, owner_type, owner_id, assigned_at) values (?, ?, 'Practitioner', ?, ?)",
                UUID.randomUUID(),
                message,
                ep,
                ts(at(localAt)));
    }

    void broadband(String county, LocalDate asOf, String share3, String share4) {
        exec(
                "insert into mu_broadband_county (state, county, as_of, share_3mbps, share_4mbps, imported_at) values ('IL', ?, ?, ?, ?, now())",
                county,
                asOf,
                new BigDecimal(share3),
                new BigDecimal(share4));
    }

    UUID portalAccess(UUID patient, String kind, LocalDateTime localAt) {
        UUID id = UUID.randomUUID();
        exec(
                "insert into mu_portal_access_fact (id, patient_id, practice_id, kind, granted_at) values (?, ?, ?, ?, ?)",
                id,
                patient,
                practice,
                kind,
                ts(at(localAt)));
        return id;
    }

    UUID document(UUID patient, UUID encounter, LocalDateTime available, LocalDateTime posted) {
        UUID id = UUID.randomUUID();
        exec(
                "insert into mu_document_fact (id, patient_id, practice_id, encounter_id, available_at, posted_at) values (?, ?, ?, ?, ?, ?)",
                id,
                patient,
                practice,
                encounter,
                ts(at(available)),
                ts(at(posted)));
        return id;
    }

    UUID vdt(UUID patient, String actorKind, String action, LocalDateTime localAt) {
        return vdt(patient, actorKind, action, localAt, true);
    }

    /** A view / download / transmit; {@code showedInformation} false: it showed the patient nothing (an empty history). */
    UUID vdt(
            UUID patient,
            String actorKind,
            String action,
            LocalDateTime localAt,
            boolean showedInformation) {
        UUID id = UUID.randomUUID();
        exec(
                "insert into mu_vdt_fact (id, patient_id, practice_id, actor_kind, action, occurred_at, showed_information) values (?, ?, ?, ?, ?, ?, ?)",
                id,
                patient,
                practice,
                actorKind,
                action,
                ts(at(localAt)),
                showedInformation);
        return id;
    }

    void holiday(LocalDate day) {
        exec(
                "insert into triage_holiday (practice_id, day, name) values (?, ?, 'Holiday')",
                practice,
                day);
    }

    static Instant at(LocalDateTime local) {
        return local.atZone(ZONE).toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    /** Changes an encounter's status (the database's aggregates follow through their triggers). */
    void status(UUID encounter, String status) {
        exec(
                "update encounter set status = ?, version = version + 1 where id = ?",
                status,
                encounter);
    }

    /** Removes an encounter with its participants. */
    void deleteEncounter(UUID encounter) {
        exec("delete from encounter_participant where encounter_id = ?", encounter);
        exec("delete from encounter where id = ?", encounter);
    }

    /** Marks a patient record as a test patient. */
    void testPatient(UUID patient) {
        exec("update patient set test_patient = true, version = version + 1 where id = ?", patient);
    }

    /** Changes whether a location is CEHRT-equipped. */
    void cehrt(UUID location, boolean cehrt) {
        exec(
                "update location set cehrt_equipped = ?, version = version + 1 where id = ?",
                cehrt,
                location);
    }

    /**
     * When true, writes defer the measure aggregates' refresh as the bulk import does (ADR 0031): the
     * encounters they change are only marked stale, and the next SQL summary refreshes them.
     */
    boolean deferring;

    private void exec(String sql, Object... args) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            if (deferring) {
                c.setAutoCommit(false);
                MeasureAggregates.deferRefresh(c);
            }
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
            if (deferring) {
                c.commit();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
