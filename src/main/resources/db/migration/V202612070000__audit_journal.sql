-- The audit journal (docs/adr/0032-message-path-under-load.md): a transaction that records audit
-- entries writes them here, in the same transaction, without taking the chain head; the audit
-- chainer (AuditChainer, one at a time across instances) then links them into audit_event in
-- batches, in journal order, under the chain head's lock. So the chain head is no longer a lock
-- every audited transaction waits for until its commit, and the log still says exactly what was
-- committed: an entry exists (in the journal) if and only if its transaction committed.
--
-- Same columns and checks as audit_event, without the link (sequence number, hashes). No content
-- or names, as in audit_event.
create table audit_journal (
    journal_id              bigserial   primary key,
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
    check (actor_user_id is null or actor_client_id is null)
);

-- A journal entry is never changed: it is only linked into the chain (and then removed from here).
create trigger audit_journal_no_update
    before update on audit_journal
    for each row execute function audit_event_refuse_change();
