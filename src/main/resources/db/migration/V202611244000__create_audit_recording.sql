-- Whether a practice records access to patient information (reads, searches, creates, changes,
-- retractions, exports, downloads, prints) in the audit log. No row = recorded (the default).
-- Only a practice admin can switch it (AuditService.setPatientAccessRecording), and every switch is
-- itself an AUDIT_RECORDING entry. Security events (sign-ins, sign-outs, key changes, user and role
-- changes, emergency access, integrity failures, the switch) are recorded whatever this says.
create table audit_recording (
    practice_id             uuid        primary key,
    patient_access_recorded boolean     not null,
    changed_at              timestamptz not null,
    changed_by              uuid        not null
);

-- FHIR AuditEvent ids are the first 32 hex digits of an entry's hash, written as a UUID.
create index audit_event_id_idx on audit_event (substr(hash, 1, 32));
-- AuditEvent?entity=Type/id and the audit report's resource filter.
create index audit_event_resource_idx on audit_event (resource_type, resource_id, sequence_number);
