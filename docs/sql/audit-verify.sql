-- Independent verification of the audit log's hash chain, in SQL only (docs/security.md, "Audit log").
-- Recomputes every entry's SHA-256 from its canonical serialization (version 1) and checks that it
-- links to the entry before it. Lists only the entries that fail; no rows = every entry verifies.
-- The last entry must also be the chain head (a shorter chain lost its end); check that with
--   select h.last_sequence, e.hash = h.last_hash as head_ok
--   from audit_chain_head h left join audit_event e on e.sequence_number = h.last_sequence;
-- Run it with psql against a copy or a replica: psql -d bluepost -f docs/sql/audit-verify.sql
select sequence_number,
       hash_ok,
       link_ok,
       gap_before
from (select sequence_number,
             hash = encode(sha256(convert_to(
                     'bluepost-audit-v1' || E'\n'
                     || 'sequence_number=' || sequence_number || E'\n'
                     || 'occurred_at=' || to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || E'\n'
                     || 'actor_user_id=' || coalesce(actor_user_id::text, '') || E'\n'
                     || 'actor_client_id=' || coalesce(actor_client_id, '') || E'\n'
                     || 'actor_roles=' || coalesce(actor_roles, '') || E'\n'
                     || 'on_behalf_of_patient_id=' || coalesce(on_behalf_of_patient_id::text, '') || E'\n'
                     || 'action=' || action || E'\n'
                     || 'resource_type=' || coalesce(resource_type, '') || E'\n'
                     || 'resource_id=' || coalesce(resource_id, '') || E'\n'
                     || 'patient_id=' || coalesce(patient_id::text, '') || E'\n'
                     || 'practice_id=' || coalesce(practice_id::text, '') || E'\n'
                     || 'outcome=' || outcome || E'\n'
                     || 'reason_code=' || coalesce(reason_code, '') || E'\n'
                     || 'source_ip=' || coalesce(source_ip, '') || E'\n'
                     || 'request_id=' || coalesce(request_id, '') || E'\n'
                     || 'previous_hash=' || previous_hash || E'\n', 'UTF8')), 'hex') as hash_ok,
             previous_hash = coalesce(lag(hash) over w, repeat('0', 64)) as link_ok,
             sequence_number <> coalesce(lag(sequence_number) over w, 0) + 1 as gap_before
      from audit_event
      window w as (order by sequence_number)) checked
where not hash_ok or not link_ok or gap_before
order by sequence_number;
