create table user_account (
    id              uuid primary key,
    version         integer     not null,
    username        text        not null unique,
    password_hash   text        not null,
    display_name    text        not null,
    practice_id     uuid references practice (id),
    practitioner_id uuid references practitioner (id),
    patient_id      uuid references patient (id),
    active          boolean     not null,
    failed_logins   integer     not null default 0,
    locked_until    timestamptz,
    last_login_at   timestamptz,
    created_at      timestamptz not null
);

create table user_role (
    user_id uuid not null references user_account (id),
    role    text not null check (role in ('PATIENT', 'PROXY', 'PROVIDER', 'FRONT_DESK', 'COMPLIANCE', 'ADMIN')),
    primary key (user_id, role)
);

create table user_proxy_link (
    user_id           uuid not null references user_account (id),
    related_person_id uuid not null references related_person (id),
    primary key (user_id, related_person_id)
);

-- Browser sessions; the cookie's token is stored only as its SHA-256.
create table web_session (
    id                       uuid primary key,
    token_sha256             text        not null unique,
    user_id                  uuid        not null references user_account (id),
    created_at               timestamptz not null,
    last_seen_at             timestamptz not null,
    expires_at               timestamptz not null,
    idle_timeout_seconds     bigint      not null,
    acting_related_person_id uuid references related_person (id),
    ended_at                 timestamptz,
    end_reason               text
);
create index web_session_user_idx on web_session (user_id);
