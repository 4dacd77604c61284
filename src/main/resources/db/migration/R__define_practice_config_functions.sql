-- The practice configuration version's function and triggers (docs/adr/0032-message-path-under-load.md):
-- the current definition of each, in one place. The table stays in the versioned migration
-- V202612070001. To change the function or a trigger, edit it here (docs/operations.md, "Schema
-- migrations"); Flyway runs this file again after the versioned migrations whenever it changes.

-- A version number per practice for the configuration triage reads on every message (rules,
-- templates, hours, holidays, SLA targets, triage settings, pools, devices, the practice's own
-- row: name and time zone). Triggers bump it in the transaction that changes any of them, so an
-- instance's cached copy (triage.PracticeSetups) is checked with one primary-key read and reloaded
-- the moment another transaction's change is committed: exact across instances, with no messages
-- between them (docs/adr/0032-message-path-under-load.md).
--
-- tg_argv[0] names the column that holds the practice id (id for practice itself).
create or replace function practice_config_bump() returns trigger language plpgsql as $$
declare
    changed uuid;
begin
    if tg_op <> 'INSERT' then
        changed := (to_jsonb(old) ->> tg_argv[0])::uuid;
        if changed is not null then
            insert into practice_config_version as v (practice_id, version) values (changed, 1)
                on conflict (practice_id) do update set version = v.version + 1;
        end if;
    end if;
    if tg_op <> 'DELETE' then
        changed := (to_jsonb(new) ->> tg_argv[0])::uuid;
        if changed is not null then
            insert into practice_config_version as v (practice_id, version) values (changed, 1)
                on conflict (practice_id) do update set version = v.version + 1;
        end if;
    end if;
    return null;
end
$$;

create or replace trigger practice_config_bump after insert or update or delete on practice
    for each row execute function practice_config_bump('id');
create or replace trigger practice_config_bump after insert or update or delete on care_team
    for each row execute function practice_config_bump('practice_id');
create or replace trigger practice_config_bump after insert or update or delete on device
    for each row execute function practice_config_bump('practice_id');
create or replace trigger practice_config_bump after insert or update or delete on triage_rule
    for each row execute function practice_config_bump('practice_id');
create or replace trigger practice_config_bump after insert or update or delete on triage_template
    for each row execute function practice_config_bump('practice_id');
create or replace trigger practice_config_bump after insert or update or delete on triage_practice
    for each row execute function practice_config_bump('practice_id');
create or replace trigger practice_config_bump after insert or update or delete on triage_holiday
    for each row execute function practice_config_bump('practice_id');
create or replace trigger practice_config_bump after insert or update or delete on triage_sla
    for each row execute function practice_config_bump('practice_id');
