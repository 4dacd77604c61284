-- Emergency ("break-glass") access to a patient's restricted threads (ADR 0026, docs/security.md).
-- A thread the patient marked sensitive is open to its care team only; a clinician outside that
-- team opens it with an emergency access: a reason code (never free text), a time limit, an audit
-- entry and an e-mail to the practice's compliance officers, who review it here.
create table emergency_access (
    id                  uuid primary key,
    practice_id         uuid        not null references practice (id),
    patient_id          uuid        not null references patient (id),
    user_id             uuid        not null references user_account (id),
    practitioner_id     uuid        not null references practitioner (id),
    reason              text        not null check (reason in ('life-threatening', 'unable-to-consent', 'care-team-unavailable')),
    granted_at          timestamptz not null,
    expires_at          timestamptz not null,
    reviewed_at         timestamptz,
    reviewed_by_user_id uuid references user_account (id),
    review_outcome      text check (review_outcome in ('appropriate', 'inappropriate')),
    check (expires_at > granted_at),
    check ((reviewed_at is null) = (review_outcome is null) and (reviewed_at is null) = (reviewed_by_user_id is null))
);
create index emergency_access_in_force_idx on emergency_access (user_id, patient_id, expires_at);
create index emergency_access_practice_idx on emergency_access (practice_id, granted_at);

-- Who a thread was handed to by triage (a person's or a rule's assignment, routing to a pool, an
-- escalation): a practitioner, or a pool whose members then count, joins the thread's care team.
create table thread_share (
    thread_id  uuid        not null references message_thread (id),
    party_type text        not null check (party_type in ('Practitioner', 'CareTeam')),
    party_id   uuid        not null,
    shared_at  timestamptz not null,
    primary key (thread_id, party_type, party_id)
);

-- The compliance officers' notice of an emergency access: a notification without a message.
alter table notification add column emergency_access_id uuid references emergency_access (id);
alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check
    check (kind in ('NEW_MESSAGE', 'DIGEST', 'UNREAD_REMINDER', 'EMERGENCY_ACCESS'));
alter table notification drop constraint notification_check1;
alter table notification add constraint notification_message_check
    check ((kind in ('DIGEST', 'EMERGENCY_ACCESS')) = (message_id is null));
alter table notification add constraint notification_emergency_access_check
    check ((kind = 'EMERGENCY_ACCESS') = (emergency_access_id is not null));
create unique index notification_once_per_emergency_access_idx on notification (user_id, emergency_access_id)
    where emergency_access_id is not null;
