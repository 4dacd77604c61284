-- Patient enrolment with activation codes (ADR 0041): the front desk issues a code for a patient of
-- its practice; only the code's SHA-256 is stored. A code works once (used_at), until expires_at, and
-- not after it was voided (a newer code for the patient, or too many wrong dates of birth).
create table activation_code (
    id               uuid primary key,
    patient_id       uuid        not null references patient (id),
    practice_id      uuid        not null,
    code_sha256      text        not null unique,
    created_at       timestamptz not null,
    expires_at       timestamptz not null,
    used_at          timestamptz,
    voided_at        timestamptz,
    -- wrong dates of birth typed with this code; at the limit the code is voided
    failed_attempts  integer     not null default 0,
    issued_by        uuid        not null references user_account (id),
    -- the login the code created
    user_id          uuid references user_account (id)
);
create index activation_code_patient_idx on activation_code (patient_id);

-- Failed activations, kept for the rate limit per client: the SHA-256 of the client's IP address only.
create table activation_attempt (
    id              uuid primary key,
    client_sha256   text        not null,
    requested_at    timestamptz not null
);
create index activation_attempt_client_idx on activation_attempt (client_sha256, requested_at);
