-- Attachments of messages (JPEG, PNG, PDF). Like bodies, their bytes are sealed with AES-256-GCM
-- under the thread's data key, with associated data binding them to their row. The file name can
-- itself be PHI ("hiv-test-results.pdf"), so it is sealed too; nothing about the file is kept in
-- clear but its detected type, its size and its digests.
create table message_attachment (
    id                 uuid primary key,
    message_id         uuid        not null references message (id),
    thread_id          uuid        not null references message_thread (id),
    position           integer     not null check (position >= 0),
    -- detected from the bytes, never taken from the client
    content_type       text        not null check (content_type in ('image/jpeg', 'image/png', 'application/pdf')),
    size_bytes         bigint      not null check (size_bytes > 0),
    name_iv            bytea       not null,
    name_ciphertext    bytea       not null,
    name_sha256        bytea       not null,
    content_iv         bytea       not null,
    content_ciphertext bytea       not null,
    -- SHA-256 of the plaintext, verified on every read
    content_sha256     bytea       not null,
    -- SHA-1 of the plaintext: FHIR Attachment.hash is defined as SHA-1
    content_sha1       bytea       not null,
    created_at         timestamptz not null,
    unique (message_id, position)
);
create index message_attachment_thread_idx on message_attachment (thread_id);
