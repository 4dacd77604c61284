-- The chain check of audit_event moves from a row trigger to a statement trigger (docs/adr/0032-message-path-under-load.md).
--
-- The row trigger locked and updated the chain head once per inserted row. The audit chainer links
-- its journal in batches of up to hundreds of rows in one transaction, and every update of the one
-- head row in a transaction adds a tuple version that the next row's lookup had to walk past: the
-- cost per row grew with the batch (0.27 ms per row in batches of 2, 0.64 ms in batches of 64,
-- measured). The statement trigger checks the same thing for all the rows one statement inserted —
-- taken in sequence order, they must extend the head link by link: the next sequence number and
-- the previous row's hash — and then moves the head once. A statement that does not extend the
-- chain fails as before (SQLSTATE 23514) and inserts nothing.
drop trigger audit_event_extend_chain on audit_event;
drop function audit_event_extend_chain();

create function audit_event_extend_chain() returns trigger language plpgsql as $$
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

create trigger audit_event_extend_chain
    after insert on audit_event
    referencing new table as inserted
    for each statement execute function audit_event_extend_chain();
