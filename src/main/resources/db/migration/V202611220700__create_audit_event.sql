-- The audit log (docs/adr/0011-audit-log.md, docs/security.md "Audit log"): append-only and
-- hash-chained. Each row's hash is the SHA-256 of its canonical serialization, which includes the
-- previous row's hash; the chain head (last sequence number and hash) is kept in audit_chain_head,
-- so that removing rows from the end is detectable too.
--
-- No column holds content or names: actors, patients and resources are ids, reasons are short codes.
-- There are no foreign keys on purpose: the log must outlive the rows it names, and an insert must
-- not wait for locks on other tables while it holds the chain head.
create table audit_event (
    sequence_number         bigint      primary key check (sequence_number > 0),
    occurred_at             timestamptz not null,
    actor_user_id           uuid,
    actor_client_id         text check (actor_client_id ~ '^[A-Za-z0-9._:@-]{1,100}$'),
    actor_roles             text check (actor_roles ~ '^[A-Z_]+(,[A-Z_]+)*$'),
    on_behalf_of_patient_id uuid,
    action                  text        not null check (action ~ '^[A-Z_]{2,40}$'),
    resource_type           text check (resource_type ~ '^[A-Za-z]{1,64}$'),
    resource_id             text check (resource_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    patient_id              uuid,
    practice_id             uuid,
    outcome                 text        not null check (outcome in ('success', 'failure')),
    reason_code             text check (reason_code ~ '^[a-z0-9][a-z0-9.-]{0,63}$'),
    source_ip               text check (source_ip ~ '^[0-9A-Fa-f:.]{2,45}$'),
    request_id              text check (request_id ~ '^[A-Za-z0-9._-]{8,64}$'),
    previous_hash           char(64)    not null check (previous_hash ~ '^[0-9a-f]{64}$'),
    hash                    char(64)    not null unique check (hash ~ '^[0-9a-f]{64}$'),
    check (actor_user_id is null or actor_client_id is null)
);
-- For the audit reports to come: by time, by patient ("who opened my threads"), by actor, by practice.
create index audit_event_occurred_idx on audit_event (occurred_at);
create index audit_event_patient_idx on audit_event (patient_id, occurred_at) where patient_id is not null;
create index audit_event_actor_idx on audit_event (actor_user_id, occurred_at) where actor_user_id is not null;
create index audit_event_practice_idx on audit_event (practice_id, occurred_at) where practice_id is not null;

-- The one chain head. Writers lock it (select ... for update) before they append, so concurrent
-- writers form one linear chain; the insert trigger below checks the link and advances it.
create table audit_chain_head (
    id            integer  primary key check (id = 1),
    last_sequence bigint   not null check (last_sequence >= 0),
    last_hash     char(64) not null check (last_hash ~ '^[0-9a-f]{64}$')
);
insert into audit_chain_head (id, last_sequence, last_hash) values (1, 0, repeat('0', 64));

-- Append-only, enforced by the database as well as by the code: UPDATE, DELETE and TRUNCATE of
-- audit_event are refused for every role that does not first disable these triggers (which needs
-- ownership of the table and is itself visible; see docs/security.md).
create function audit_event_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only: % is not allowed', tg_op using errcode = '42501';
end
$$;

create trigger audit_event_no_update_or_delete
    before update or delete on audit_event
    for each row execute function audit_event_refuse_change();

create trigger audit_event_no_truncate
    before truncate on audit_event
    for each statement execute function audit_event_refuse_change();

-- Every insert must extend the chain head by exactly one link: the next sequence number and the
-- head's hash as previous_hash. The head then moves to the new row.
create function audit_event_extend_chain() returns trigger language plpgsql as $$
declare
    head audit_chain_head%rowtype;
begin
    select * into head from audit_chain_head where id = 1 for update;
    if new.sequence_number <> head.last_sequence + 1 or new.previous_hash <> head.last_hash then
        raise exception 'audit_event % does not extend the chain head %', new.sequence_number, head.last_sequence
            using errcode = '23514';
    end if;
    update audit_chain_head set last_sequence = new.sequence_number, last_hash = new.hash where id = 1;
    return new;
end
$$;

create trigger audit_event_extend_chain
    before insert on audit_event
    for each row execute function audit_event_extend_chain();

-- The head only moves forward and is never removed.
create function audit_chain_head_forward_only() returns trigger language plpgsql as $$
begin
    if tg_op <> 'UPDATE' or new.id <> old.id or new.last_sequence <= old.last_sequence then
        raise exception 'audit_chain_head only moves forward' using errcode = '42501';
    end if;
    return new;
end
$$;

create trigger audit_chain_head_forward_only
    before update or delete on audit_chain_head
    for each row execute function audit_chain_head_forward_only();

create trigger audit_chain_head_no_truncate
    before truncate on audit_chain_head
    for each statement execute function audit_event_refuse_change();
