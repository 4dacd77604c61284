-- Password reset links (ADR 0040): the link's random token is stored as its SHA-256 only; a link
-- works once (used_at) and until expires_at.
create table password_reset (
    id            uuid primary key,
    user_id       uuid        not null references user_account (id),
    token_sha256  text        not null unique,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    used_at       timestamptz,
    -- the admin who sent it from /admin/logins; null when the person asked on /login/forgot
    requested_by  uuid references user_account (id)
);
create index password_reset_user_idx on password_reset (user_id);

-- Requests on /login/forgot, kept for the rate limits per address and per client: digests of the
-- address typed (lower-cased) and of the client's IP address, never the values themselves.
create table password_reset_request (
    id              uuid primary key,
    address_sha256  text        not null,
    client_sha256   text        not null,
    requested_at    timestamptz not null
);
create index password_reset_request_address_idx on password_reset_request (address_sha256, requested_at);
create index password_reset_request_client_idx on password_reset_request (client_sha256, requested_at);
