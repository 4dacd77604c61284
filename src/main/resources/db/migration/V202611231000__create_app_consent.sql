-- A person's consent that a registered patient app may act for them (OAuth 2.0 authorization code
-- grant with PKCE; ADR 0012). The one-time code is stored only as its SHA-256; it is redeemed once,
-- within a minute. The access tokens issued for a consent name it, and stop working when it is revoked
-- (e.g. when its code is presented a second time).
create table app_consent (
    id                uuid primary key,
    client_id         text        not null,
    user_id           uuid        not null references user_account (id),
    role              text        not null check (role in ('PATIENT', 'PROXY')),
    patient_id        uuid        not null references patient (id),
    related_person_id uuid references related_person (id),
    scope             text        not null,
    redirect_uri      text        not null,
    code_sha256       text        not null unique,
    code_challenge    text        not null,
    code_expires_at   timestamptz not null,
    code_redeemed_at  timestamptz,
    revoked_at        timestamptz,
    created_at        timestamptz not null
);
create index app_consent_user_idx on app_consent (user_id);
create index app_consent_created_idx on app_consent (created_at);
