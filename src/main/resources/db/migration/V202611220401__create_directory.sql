-- Directory resources owned by integrators: stored as sent (resource), plus the columns the
-- platform's rules and searches use. identifier_tokens holds 'system|value' and '*|value'.
create table practice (
    id                uuid primary key,
    version           integer     not null,
    resource          jsonb       not null,
    identifier_tokens varchar[]   not null default '{}',
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    name              text        not null,
    time_zone         text,
    active            boolean     not null
);
create index practice_identifier_idx on practice using gin (identifier_tokens);

create table location (
    id                uuid primary key,
    version           integer     not null,
    resource          jsonb       not null,
    identifier_tokens varchar[]   not null default '{}',
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    practice_id       uuid        not null references practice (id),
    name              text,
    cehrt_equipped    boolean     not null,
    county            text,
    state             text,
    status            text        not null
);
create index location_practice_idx on location (practice_id);
create index location_identifier_idx on location using gin (identifier_tokens);

create table practitioner (
    id                uuid primary key,
    version           integer     not null,
    resource          jsonb       not null,
    identifier_tokens varchar[]   not null default '{}',
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    npi               text unique,
    display_name      text        not null,
    family            text,
    active            boolean     not null
);
create index practitioner_identifier_idx on practitioner using gin (identifier_tokens);

create table practitioner_practice (
    practitioner_id uuid not null references practitioner (id),
    practice_id     uuid not null references practice (id),
    primary key (practitioner_id, practice_id)
);
create index practitioner_practice_practice_idx on practitioner_practice (practice_id);

create table patient (
    id                uuid primary key,
    version           integer     not null,
    resource          jsonb       not null,
    identifier_tokens varchar[]   not null default '{}',
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    practice_id       uuid references practice (id),
    display_name      text        not null,
    family            text,
    birth_date        date,
    email             text,
    test_patient      boolean     not null,
    replaced_by_id    uuid references patient (id),
    active            boolean     not null
);
create index patient_practice_idx on patient (practice_id);
create index patient_identifier_idx on patient using gin (identifier_tokens);

create table related_person (
    id                uuid primary key,
    version           integer     not null,
    resource          jsonb       not null,
    identifier_tokens varchar[]   not null default '{}',
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    patient_id        uuid        not null references patient (id),
    display_name      text        not null,
    relationship      text,
    period_start      timestamptz,
    period_end        timestamptz,
    active            boolean     not null
);
create index related_person_patient_idx on related_person (patient_id);
create index related_person_identifier_idx on related_person using gin (identifier_tokens);

create table care_team (
    id                uuid primary key,
    version           integer     not null,
    resource          jsonb       not null,
    identifier_tokens varchar[]   not null default '{}',
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    practice_id       uuid        not null references practice (id),
    name              text        not null,
    status            text        not null
);
create index care_team_practice_idx on care_team (practice_id);
create index care_team_identifier_idx on care_team using gin (identifier_tokens);

create table care_team_member (
    care_team_id    uuid not null references care_team (id),
    practitioner_id uuid not null references practitioner (id),
    primary key (care_team_id, practitioner_id)
);

create table device (
    id                uuid primary key,
    version           integer     not null,
    resource          jsonb       not null,
    identifier_tokens varchar[]   not null default '{}',
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    practice_id       uuid references practice (id),
    display_name      text        not null,
    status            text        not null
);
create index device_identifier_idx on device using gin (identifier_tokens);
