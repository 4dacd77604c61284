-- Queue items (FHIR Task): one per patient message waiting for the care team.
create table triage_item (
    id           uuid primary key,
    version      integer     not null,
    practice_id  uuid        not null references practice (id),
    message_id   uuid        not null unique references message (id),
    thread_id    uuid        not null references message_thread (id),
    patient_id   uuid        not null references patient (id),
    owner_type   text        not null check (owner_type in ('CareTeam', 'Practitioner')),
    owner_id     uuid        not null,
    status       text        not null check (status in ('requested', 'accepted', 'in-progress', 'completed', 'cancelled')),
    priority     text        not null,
    category     text        not null,
    received_at  timestamptz not null,
    due_by       timestamptz,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    completed_at timestamptz
);
create index triage_item_open_idx on triage_item (practice_id, status);
create index triage_item_thread_idx on triage_item (thread_id);
create index triage_item_owner_idx on triage_item (owner_type, owner_id, status);
