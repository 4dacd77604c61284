-- A practice's backend client (SMART Backend Services, ADR 0048): a system of the practice (its EHR,
-- a reporting tool) that authenticates at POST /oauth/token with a JWT signed by one of the public
-- keys registered here, and reads only its own practice's data. Registered and managed by the
-- practice's admin on /admin/integrations. No secret is stored: only public keys (a JWKS).
create table backend_client (
    id          uuid primary key,
    client_id   text not null unique,
    practice_id uuid not null references practice (id),
    name        text not null,
    jwks        text not null,
    enabled     boolean not null default true,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    disabled_at timestamptz
);
create index backend_client_practice on backend_client (practice_id);

-- The jti of every client assertion accepted, until it expires: an assertion is used once. The
-- unique constraint is what refuses a replay, on every instance at once; expired rows are purged.
create table backend_client_jti (
    client_id  text not null,
    jti        text not null,
    expires_at timestamptz not null,
    primary key (client_id, jti)
);
create index backend_client_jti_expiry on backend_client_jti (expires_at);
