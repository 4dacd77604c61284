-- FHIR Bulk Data export (docs/adr/0049-bulk-data-export.md, docs/fhir.md §16): one row per export
-- request (its status is answered by any instance from here), its output files (one per resource
-- type, plus one of OperationOutcome lines for what could not be exported) and their content in
-- chunks of NDJSON bytes, so that every instance behind a load balancer can serve them. The files
-- hold decrypted messages: each chunk is sealed with AES-256-GCM under the export's own data key
-- (wrapped by the key ring's KEK, as a thread's; associated data = file id and chunk number). Rows go
-- when the export is deleted by its requester or expires (bluepost.export.retention).
create table bulk_export (
    id               uuid primary key,
    requester        text        not null,
    practice_id      uuid references practice (id),
    group_id         uuid,
    types            text[]      not null,
    since            timestamptz,
    request_url      text        not null,
    state            text        not null check (state in ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED')),
    progress         text,
    transaction_time timestamptz not null,
    submitted_at     timestamptz not null,
    heartbeat_at     timestamptz,
    finished_at      timestamptz,
    expires_at       timestamptz not null,
    dek_kek_id       text        not null,
    dek_wrapped      bytea       not null
);
create index bulk_export_requester_idx on bulk_export (requester, state);
create index bulk_export_expires_idx on bulk_export (expires_at);

create table bulk_export_file (
    id         uuid primary key,
    export_id  uuid        not null references bulk_export (id) on delete cascade,
    type       text        not null,
    position   integer     not null,
    is_error   boolean     not null,
    lines      bigint      not null default 0,
    bytes      bigint      not null default 0,
    unique (export_id, position)
);

create table bulk_export_chunk (
    file_id  uuid    not null references bulk_export_file (id) on delete cascade,
    seq      integer not null,
    iv       bytea   not null,
    data     bytea   not null,
    sha256   bytea   not null,
    primary key (file_id, seq)
);
