-- Measurement facts (measures.md §1, §9): what the Meaningful Use engine counts, recorded by the
-- measurement feature from the message and triage events (ids and codes only, never text).
-- Every fact is keyed so that a redelivered event changes nothing (§9 rule 2).

-- One row per message the platform's messaging function received (or sent).
create table mu_message_fact (
    message_id     uuid primary key,
    practice_id    uuid        not null,
    patient_id     uuid        not null,
    thread_id      uuid        not null,
    sender_type    text        not null,
    sender_id      uuid        not null,
    sender_kind    text        not null check (sender_kind in ('PATIENT', 'PROXY', 'EP', 'STAFF_FOR_EP', 'STAFF', 'AUTOMATIC')),
    in_response_to uuid,
    secure         boolean     not null,
    automatic      boolean     not null,
    received_at    timestamptz not null,
    recorded_at    timestamptz not null
);
create index mu_message_fact_patient_idx on mu_message_fact (patient_id, received_at);
create index mu_message_fact_sender_idx on mu_message_fact (sender_id, received_at);
create index mu_message_fact_received_idx on mu_message_fact (received_at);

create table mu_message_recipient_fact (
    message_id     uuid not null references mu_message_fact (message_id),
    recipient_type text not null check (recipient_type in ('Practitioner', 'CareTeam', 'Patient', 'RelatedPerson')),
    recipient_id   uuid not null,
    primary key (message_id, recipient_type, recipient_id)
);
create index mu_message_recipient_fact_recipient_idx on mu_message_recipient_fact (recipient_id, recipient_type);

-- Every routing or assignment of a message's queue item to an owner (the EP credit of a pool
-- message under poolAttribution = ASSIGNED_EP), keyed by the triage event id.
create table mu_assignment_fact (
    event_id    uuid primary key,
    message_id  uuid        not null,
    owner_type  text        not null check (owner_type in ('CareTeam', 'Practitioner')),
    owner_id    uuid        not null,
    assigned_at timestamptz not null
);
create index mu_assignment_fact_message_idx on mu_assignment_fact (message_id);
create index mu_assignment_fact_owner_idx on mu_assignment_fact (owner_id, assigned_at);

-- County broadband reference data (FCC), versioned by the date it became available (as_of).
-- Shares are of housing units with at least 3 / 4 Mbps availability, 0..1.
create table mu_broadband_county (
    state      text          not null,
    county     text          not null,
    as_of      date          not null,
    share_3mbps numeric(7, 6) not null check (share_3mbps between 0 and 1),
    share_4mbps numeric(7, 6) not null check (share_4mbps between 0 and 1),
    imported_at timestamptz  not null,
    primary key (state, county, as_of)
);

-- Patient Electronic Access facts (PEA-S2-M1/M2).
-- Online access given to a patient: the portal account activated, or credentials and instructions
-- given to a patient who opted out (measures.md §5.1).
create table mu_portal_access_fact (
    id          uuid primary key,
    patient_id  uuid        not null,
    practice_id uuid        not null,
    kind        text        not null check (kind in ('ACCOUNT_ACTIVATED', 'CREDENTIALS_GIVEN')),
    granted_at  timestamptz not null
);
create index mu_portal_access_fact_patient_idx on mu_portal_access_fact (patient_id, granted_at);

-- Visit information the EHR makes available to the patient (FHIR DocumentReference): when it
-- became available to the EP, and when it was made available online to the patient.
create table mu_document_fact (
    id              uuid primary key,
    patient_id      uuid        not null,
    practice_id     uuid        not null,
    encounter_id    uuid,
    available_at    timestamptz not null,
    posted_at       timestamptz not null
);
create index mu_document_fact_patient_idx on mu_document_fact (patient_id, available_at);

-- A patient or proxy (or a staff member, never counted) viewing, downloading or transmitting the
-- patient's health information.
create table mu_vdt_fact (
    id          uuid primary key,
    patient_id  uuid        not null,
    practice_id uuid,
    actor_kind  text        not null check (actor_kind in ('PATIENT', 'PROXY', 'STAFF')),
    action      text        not null check (action in ('VIEW', 'DOWNLOAD', 'TRANSMIT')),
    occurred_at timestamptz not null
);
create index mu_vdt_fact_patient_idx on mu_vdt_fact (patient_id, occurred_at);

-- Facts already on record when measurement starts listening.
insert into mu_message_fact (message_id, practice_id, patient_id, thread_id, sender_type, sender_id, sender_kind,
                             in_response_to, secure, automatic, received_at, recorded_at)
select id, practice_id, patient_id, thread_id, sender_type, sender_id, sender_kind, in_response_to_id, secure, automatic,
       received_at, created_at
from message;
insert into mu_message_recipient_fact (message_id, recipient_type, recipient_id)
select distinct message_id, recipient_type, recipient_id from message_recipient;
insert into mu_assignment_fact (event_id, message_id, owner_type, owner_id, assigned_at)
select id, message_id, owner_type, owner_id, updated_at from triage_item where owner_type = 'Practitioner';

-- Encounters: the EP participation lookups the measures make per EP and date.
create index encounter_participant_ep_idx on encounter_participant (practitioner_id, type, encounter_id);

-- A practice's holidays (days its administrative staff cannot work): not business days for the
-- 4-business-day timeliness of PEA-S2-M1.
create table mu_practice_holiday (
    practice_id uuid not null references practice (id),
    day         date not null,
    primary key (practice_id, day)
);
