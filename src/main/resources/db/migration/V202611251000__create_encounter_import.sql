-- Bulk NDJSON import of FHIR Encounters (docs/adr/0024): one row per uploaded file, processed in the
-- background a chunk of lines per transaction; the counts are brought up to date after every chunk.
create table encounter_import_job (
    id            uuid primary key,
    source        text        not null check (source in ('PAGE', 'FHIR')),
    state         text        not null check (state in ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'INTERRUPTED')),
    file_name     text,
    bytes         bigint      not null,
    bytes_read    bigint      not null default 0,
    requested_by  text        not null,
    practice_id   uuid,
    lines_read    integer     not null default 0,
    loaded        integer     not null default 0,
    created       integer     not null default 0,
    updated       integer     not null default 0,
    unchanged     integer     not null default 0,
    failed        integer     not null default 0,
    failure       text,
    submitted_at  timestamptz not null,
    started_at    timestamptz,
    finished_at   timestamptz
);
create index encounter_import_job_submitted_idx on encounter_import_job (submitted_at desc);

-- A line that was not loaded: its number in the file and why (field names and ids only, never values).
create table encounter_import_error (
    job_id      uuid    not null references encounter_import_job (id) on delete cascade,
    line_number integer not null,
    reason      text    not null,
    primary key (job_id, line_number)
);
