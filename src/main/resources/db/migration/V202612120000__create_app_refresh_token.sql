-- SMART App Launch 2 for patient apps (ADR 0047): how long a person's grant lasts, and the
-- refresh tokens of the grants that last (offline_access), rotated on every use.

-- When a lasting grant ends (13 months after consent); null = "just this once": the connection
-- ends when its one access token expires, as before.
alter table app_consent add column grant_ends_at timestamptz;

create table app_refresh_token (
    id             uuid primary key,
    consent_id     uuid        not null references app_consent (id) on delete cascade,
    -- every token rotated from the same first one shares it; reuse of a rotated token revokes the family
    family_id      uuid        not null,
    client_id      text        not null,
    -- the opaque value is never stored: its SHA-256 (hex)
    token_sha256   text        not null unique,
    scope          text        not null,
    created_at     timestamptz not null,
    expires_at     timestamptz not null,
    -- exchanged for a successor (a second presentation is reuse)
    rotated_at     timestamptz,
    revoked_at     timestamptz,
    revoke_reason  text
);
create index app_refresh_token_consent_idx on app_refresh_token (consent_id);
create index app_refresh_token_family_idx on app_refresh_token (family_id);
