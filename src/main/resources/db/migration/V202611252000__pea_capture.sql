-- Patient Electronic Access capture (measures.md §5, ADR 0025): visit documents the EHR posts,
-- the broadband reference data sets the admin imports, one holiday calendar per practice, and the
-- online access already granted (patient logins) before the platform started recording it.

-- Visit documents (FHIR DocumentReference) made available online to the patient. The attachment's
-- content is sealed with the document's own data key (AES-256-GCM, like message bodies); the stored
-- resource keeps everything but the content.
create table visit_document (
    id                 uuid primary key,
    version            integer     not null,
    resource           jsonb       not null,
    identifier_tokens  varchar[]   not null default '{}',
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    practice_id        uuid        not null references practice (id),
    patient_id         uuid        not null references patient (id),
    encounter_id       uuid references encounter (id),
    status             text        not null check (status in ('current', 'superseded', 'entered-in-error')),
    available_at       timestamptz not null,
    posted_at          timestamptz not null,
    content_type       text        not null,
    content_size       integer     not null,
    dek_kek_id         text        not null,
    dek_wrapped        bytea       not null,
    content_iv         bytea       not null,
    content_ciphertext bytea       not null,
    content_sha256     bytea       not null
);
create index visit_document_patient_idx on visit_document (patient_id, available_at);
create index visit_document_encounter_idx on visit_document (encounter_id);
create index visit_document_identifier_idx on visit_document using gin (identifier_tokens);

-- A broadband reference data set: one import per as-of date (a new import for the same date replaces it).
create table mu_broadband_import (
    as_of         date primary key,
    imported_at   timestamptz not null,
    imported_by   uuid,
    rows_loaded   integer     not null,
    rows_rejected integer     not null
);
insert into mu_broadband_import (as_of, imported_at, imported_by, rows_loaded, rows_rejected)
select as_of, max(imported_at), null, count(*), 0 from mu_broadband_county group by as_of;
alter table mu_broadband_county add column fips text;

-- One holiday calendar per practice: the one the admin edits for triage (triage_holiday). The
-- measures read it; holidays recorded only for the measures move there.
insert into triage_holiday (practice_id, day, name)
select practice_id, day, 'Holiday' from mu_practice_holiday
on conflict (practice_id, day) do nothing;
drop table mu_practice_holiday;

-- Online access granted before it was recorded: every active patient login, from its creation.
insert into mu_portal_access_fact (id, patient_id, practice_id, kind, granted_at)
select u.id, u.patient_id, p.practice_id, 'ACCOUNT_ACTIVATED', u.created_at
from user_account u
join user_role r on r.user_id = u.id and r.role = 'PATIENT'
join patient p on p.id = u.patient_id
where u.active and u.patient_id is not null and p.practice_id is not null
on conflict (id) do nothing;
