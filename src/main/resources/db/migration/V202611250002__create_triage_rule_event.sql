-- Time-based rule events that fired (docs/triage.md): a rule (all its versions) fires at most once per
-- item per due-by ("no staff reply by due-by") and once per reply ("patient has not read a reply in N days").
create table triage_rule_event (
    rule_key   uuid        not null,
    subject_id uuid        not null,
    occurrence timestamptz not null,
    fired_at   timestamptz not null,
    primary key (rule_key, subject_id, occurrence)
);
