-- Thread lifecycle, proxy privacy, read tracking, retract-and-correct, drafts.

-- A practice's reply window (days after the last message during which a patient may reply);
-- null = the configured default (45 days).
alter table practice add column reply_window_days integer check (reply_window_days between 1 and 3650);

alter table message_thread add column sensitive boolean not null default false;
alter table message_thread add column closed_at timestamptz;
alter table message_thread add column closed_by_user_id uuid references user_account (id);

-- Retracted messages keep their text (the audit keeps all); the reason is encrypted like a body.
alter table message add column retracted_at timestamptz;
alter table message add column retracted_by_user_id uuid references user_account (id);
alter table message add column retraction_iv bytea;
alter table message add column retraction_ciphertext bytea;
alter table message add column retraction_sha256 bytea;
alter table message add column corrects_message_id uuid references message (id);

-- First time each side read a message: the care team (any staff member) or the patient's side
-- (the patient or a proxy).
create table message_read (
    message_id     uuid        not null references message (id),
    reader_side    text        not null check (reader_side in ('CARE_TEAM', 'PATIENT')),
    first_read_at  timestamptz not null,
    reader_user_id uuid references user_account (id),
    primary key (message_id, reader_side)
);

-- Drafts are PHI: sealed like messages, under a data key of their own.
create table message_draft (
    id               uuid primary key,
    version          integer     not null,
    user_id          uuid        not null references user_account (id),
    patient_id       uuid        not null references patient (id),
    thread_id        uuid references message_thread (id),
    recipient        text,
    category         text        not null,
    dek_kek_id       text        not null,
    dek_wrapped      bytea       not null,
    topic_iv         bytea,
    topic_ciphertext bytea,
    topic_sha256     bytea,
    body_iv          bytea       not null,
    body_ciphertext  bytea       not null,
    body_sha256      bytea       not null,
    updated_at       timestamptz not null
);
create index message_draft_user_idx on message_draft (user_id, patient_id);
