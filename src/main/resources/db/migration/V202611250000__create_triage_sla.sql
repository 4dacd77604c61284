-- SLA targets per practice, pool (null = any) and priority (null = any), in business minutes on the
-- practice's hours and holidays; clocks run on the queue items (docs/triage.md).
create table triage_sla (
    id                     uuid primary key,
    practice_id            uuid    not null references practice (id),
    pool_id                uuid,
    priority               text check (priority in ('routine', 'urgent', 'asap', 'stat')),
    first_response_minutes integer not null check (first_response_minutes > 0),
    next_response_minutes  integer not null check (next_response_minutes > 0),
    warning_minutes        integer not null check (warning_minutes >= 0)
);
create index triage_sla_practice_idx on triage_sla (practice_id);

alter table triage_item add column sla_warn_at timestamptz;
alter table triage_item add column sla_warned_at timestamptz;
alter table triage_item add column sla_breached_at timestamptz;
create index triage_item_sla_idx on triage_item (status, sla_warn_at, due_by);

-- the SLA's warning and escalation are lines of the message's execution log too
alter table triage_rule_execution drop constraint triage_rule_execution_outcome_check;
alter table triage_rule_execution add constraint triage_rule_execution_outcome_check
    check (outcome in ('fired', 'not-matched', 'skipped', 'sla-warning', 'sla-breached'));
