-- Visits as the EHR reports them (FHIR Encounter), the source of the measures' denominators.
create table encounter (
    id                uuid primary key,
    version           integer     not null,
    resource          jsonb       not null,
    identifier_tokens varchar[]   not null default '{}',
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    practice_id       uuid        not null references practice (id),
    patient_id        uuid        not null references patient (id),
    status            text        not null,
    class_code        text,
    period_start      timestamptz not null,
    period_end        timestamptz,
    service_date      date        not null,
    location_id       uuid references location (id)
);
create index encounter_patient_idx on encounter (patient_id, period_start);
create index encounter_practice_date_idx on encounter (practice_id, service_date);
create index encounter_identifier_idx on encounter using gin (identifier_tokens);

create table encounter_participant (
    encounter_id    uuid not null references encounter (id),
    practitioner_id uuid not null references practitioner (id),
    type            text not null,
    primary key (encounter_id, practitioner_id, type)
);
create index encounter_participant_practitioner_idx on encounter_participant (practitioner_id);
