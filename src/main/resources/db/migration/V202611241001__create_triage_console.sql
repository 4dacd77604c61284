-- Console: who is viewing or replying to a thread (soft lock), staff-only notes (sealed like message bodies).
create table triage_viewer (
    thread_id    uuid        not null references message_thread (id),
    user_id      uuid        not null,
    display_name text        not null,
    replying     boolean     not null,
    seen_at      timestamptz not null,
    primary key (thread_id, user_id)
);

create table triage_note (
    id             uuid primary key,
    practice_id    uuid        not null references practice (id),
    thread_id      uuid        not null references message_thread (id),
    author_user_id uuid,
    author_name    text        not null,
    dek_kek_id     text        not null,
    dek_wrapped    bytea       not null,
    body_iv        bytea       not null,
    body_ciphertext bytea      not null,
    body_sha256    bytea       not null,
    created_at     timestamptz not null
);
create index triage_note_thread_idx on triage_note (thread_id, created_at);
