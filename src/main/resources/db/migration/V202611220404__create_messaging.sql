-- Threads and messages. Bodies and subject lines are stored only as AES-256-GCM ciphertext under
-- the thread's data key (dek_wrapped, wrapped by the KEK dek_kek_id), with the SHA-256 of the
-- plaintext verified on every read.
create table message_thread (
    id                uuid primary key,
    version           integer     not null,
    practice_id       uuid        not null references practice (id),
    patient_id        uuid        not null references patient (id),
    category          text        not null,
    status            text        not null check (status in ('open', 'closed')),
    topic_iv          bytea,
    topic_ciphertext  bytea,
    topic_sha256      bytea,
    dek_kek_id        text        not null,
    dek_wrapped       bytea       not null,
    root_message_id   uuid        not null,
    created_at        timestamptz not null,
    last_message_at   timestamptz not null,
    reply_expected_by timestamptz
);
create index message_thread_patient_idx on message_thread (patient_id, last_message_at desc);
create index message_thread_practice_idx on message_thread (practice_id, last_message_at desc);

create table message (
    id                uuid primary key,
    thread_id         uuid        not null references message_thread (id),
    practice_id       uuid        not null references practice (id),
    patient_id        uuid        not null references patient (id),
    sender_type       text        not null check (sender_type in ('Patient', 'RelatedPerson', 'Practitioner', 'Device')),
    sender_id         uuid        not null,
    sender_kind       text        not null check (sender_kind in ('PATIENT', 'PROXY', 'EP', 'STAFF_FOR_EP', 'STAFF', 'AUTOMATIC')),
    sent_by_user_id   uuid references user_account (id),
    in_response_to_id uuid references message (id),
    category          text        not null,
    priority          text        not null check (priority in ('routine', 'urgent', 'asap', 'stat')),
    medium            text,
    secure            boolean     not null,
    automatic         boolean     not null,
    status            text        not null,
    sent_at           timestamptz not null,
    received_at       timestamptz not null,
    body_iv           bytea       not null,
    body_ciphertext   bytea       not null,
    body_sha256       bytea       not null,
    identifier_system text,
    identifier_value  text,
    created_at        timestamptz not null
);
create index message_thread_idx on message (thread_id, received_at);
create index message_patient_idx on message (patient_id, received_at);
create index message_sender_idx on message (sender_type, sender_id);
create unique index message_identifier_idx on message (coalesce(identifier_system, ''), identifier_value)
    where identifier_value is not null;

create table message_recipient (
    message_id     uuid    not null references message (id),
    position       integer not null,
    recipient_type text    not null check (recipient_type in ('Practitioner', 'CareTeam', 'Patient', 'RelatedPerson')),
    recipient_id   uuid    not null,
    primary key (message_id, position)
);
create index message_recipient_idx on message_recipient (recipient_type, recipient_id);
