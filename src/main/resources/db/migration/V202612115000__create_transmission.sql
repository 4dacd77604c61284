-- A patient's (or proxy's) transmit of their health information to a third party they named
-- (docs/adr/0046-blue-button-download-and-direct-transmit.md): what was sent (the whole record, or
-- one visit document), how (Direct S/MIME or ordinary e-mail), to whom (the address as typed, sealed
-- under the row's own data key: shown only to the person who sent it), when, and the outcome.
create table transmission (
    id                   uuid primary key,
    patient_id           uuid        not null references patient (id),
    practice_id          uuid        not null references practice (id),
    sender_login_id      uuid        not null,
    sender_kind          text        not null check (sender_kind in ('PATIENT', 'PROXY')),
    what                 text        not null check (what in ('RECORD', 'DOCUMENT')),
    document_id          uuid references visit_document (id),
    method               text        not null check (method in ('DIRECT', 'EMAIL')),
    status               text        not null check (status in ('SENT', 'FAILED')),
    failure              text,
    items                integer     not null,
    created_at           timestamptz not null,
    dek_kek_id           text        not null,
    dek_wrapped          bytea       not null,
    recipient_iv         bytea       not null,
    recipient_ciphertext bytea       not null,
    recipient_sha256     bytea       not null,
    check ((what = 'DOCUMENT') = (document_id is not null))
);
create index transmission_sender_idx on transmission (patient_id, sender_login_id, created_at desc);
