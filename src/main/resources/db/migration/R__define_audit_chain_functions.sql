-- The audit log's functions and triggers (docs/adr/0011-audit-log.md, docs/adr/0032-message-path-under-load.md,
-- docs/security.md "Audit log"): the current definition of each, in one place. Tables stay in the
-- versioned migrations V202611220700 and V202612070000. To change a function or trigger, edit it
-- here (docs/operations.md, "Schema migrations"); Flyway runs this file again after the versioned
-- migrations whenever it changes.

-- Append-only, enforced by the database as well as by the code: UPDATE, DELETE and TRUNCATE of
-- audit_event are refused for every role that does not first disable these triggers (which needs
-- ownership of the table and is itself visible; see docs/security.md).
create or replace function audit_event_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only: % is not allowed', tg_op using errcode = '42501';
end
$$;

create or replace trigger audit_event_no_update_or_delete
    before update or delete on audit_event
    for each row execute function audit_event_refuse_change();

create or replace trigger audit_event_no_truncate
    before truncate on audit_event
    for each statement execute function audit_event_refuse_change();

-- A journal entry is never changed: it is only linked into the chain (and then removed from here).
create or replace trigger audit_journal_no_update
    before update on audit_journal
    for each row execute function audit_event_refuse_change();

-- The chain check of audit_event is a statement trigger (docs/adr/0032-message-path-under-load.md).
--
-- Until V202612080000 a row trigger locked and updated the chain head once per inserted row. The audit chainer links
-- its journal in batches of up to hundreds of rows in one transaction, and every update of the one
-- head row in a transaction adds a tuple version that the next row's lookup had to walk past: the
-- cost per row grew with the batch (0.27 ms per row in batches of 2, 0.64 ms in batches of 64,
-- measured). The statement trigger checks the same thing for all the rows one statement inserted —
-- taken in sequence order, they must extend the head link by link: the next sequence number and
-- the previous row's hash — and then moves the head once. A statement that does not extend the
-- chain fails as before (SQLSTATE 23514) and inserts nothing.
create or replace function audit_event_extend_chain() returns trigger language plpgsql as $$
declare
    head          audit_chain_head%rowtype;
    next_sequence bigint;
    previous      char(64);
    linked        record;
begin
    select * into head from audit_chain_head where id = 1 for update;
    next_sequence := head.last_sequence + 1;
    previous := head.last_hash;
    for linked in select sequence_number, previous_hash, hash from inserted order by sequence_number loop
        if linked.sequence_number <> next_sequence or linked.previous_hash <> previous then
            raise exception 'audit_event % does not extend the chain head %', linked.sequence_number, next_sequence - 1
                using errcode = '23514';
        end if;
        next_sequence := next_sequence + 1;
        previous := linked.hash;
    end loop;
    if next_sequence > head.last_sequence + 1 then
        update audit_chain_head set last_sequence = next_sequence - 1, last_hash = previous where id = 1;
    end if;
    return null;
end
$$;

create or replace trigger audit_event_extend_chain
    after insert on audit_event
    referencing new table as inserted
    for each statement execute function audit_event_extend_chain();

-- The head only moves forward and is never removed.
create or replace function audit_chain_head_forward_only() returns trigger language plpgsql as $$
begin
    if tg_op <> 'UPDATE' or new.id <> old.id or new.last_sequence <= old.last_sequence then
        raise exception 'audit_chain_head only moves forward' using errcode = '42501';
    end if;
    return new;
end
$$;

create or replace trigger audit_chain_head_forward_only
    before update or delete on audit_chain_head
    for each row execute function audit_chain_head_forward_only();

create or replace trigger audit_chain_head_no_truncate
    before truncate on audit_chain_head
    for each statement execute function audit_event_refuse_change();
