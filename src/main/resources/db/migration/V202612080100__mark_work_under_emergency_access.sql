-- What a clinician did under emergency ("break-glass") access stays marked as such in the thread
-- (docs/security.md, "Emergency access"): the reply or correction they wrote, the staff note they
-- added, the closing of the conversation. Each names the access it was done under (its reason and
-- review live there). Null: done without emergency access, as everything before this migration.
alter table message add column emergency_access_id uuid references emergency_access (id);
alter table triage_note add column emergency_access_id uuid references emergency_access (id);
alter table message_thread add column closed_emergency_access_id uuid references emergency_access (id);
