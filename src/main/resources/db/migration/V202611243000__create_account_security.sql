-- Accounts (issue 6): TOTP second factor, recovery codes, sign-in stages, lockout back-off and
-- password changes.

-- A login's TOTP secret (RFC 6238), sealed under its own data key (wrapped by the KEK). A row with
-- enrolled_at null is an enrolment that was started but not yet confirmed with a code.
create table user_totp (
    user_id           uuid primary key references user_account (id),
    dek_kek_id        text        not null,
    dek_wrapped       bytea       not null,
    secret_iv         bytea       not null,
    secret_ciphertext bytea       not null,
    secret_sha256     bytea       not null,
    created_at        timestamptz not null,
    enrolled_at       timestamptz,
    -- the last time step whose code was accepted: a code is never accepted twice (RFC 6238 §5.2)
    last_step         bigint      not null default 0
);

-- Single-use recovery codes: a public lookup id and the Argon2id hash of the secret part.
create table user_recovery_code (
    id         uuid primary key,
    user_id    uuid        not null references user_account (id),
    lookup     text        not null,
    code_hash  text        not null,
    created_at timestamptz not null,
    used_at    timestamptz,
    unique (user_id, lookup)
);

-- A session opened by a correct password waits for the second factor (or for enrolment) before
-- it authenticates anything.
alter table web_session add column stage text not null default 'FULL'
    check (stage in ('FULL', 'SECOND_FACTOR', 'ENROL'));

-- Back-off: each lockout in a row lasts twice as long as the one before.
alter table user_account add column lockouts integer not null default 0;
alter table user_account add column password_changed_at timestamptz;
