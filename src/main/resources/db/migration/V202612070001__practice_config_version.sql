-- A version number per practice for the configuration triage reads on every message (rules,
-- templates, hours, holidays, SLA targets, triage settings, pools, devices, the practice's own
-- row: name and time zone). Triggers bump it in the transaction that changes any of them, so an
-- instance's cached copy (triage.PracticeSetups) is checked with one primary-key read and reloaded
-- the moment another transaction's change is committed: exact across instances, with no messages
-- between them (docs/adr/0032-message-path-under-load.md).
create table practice_config_version (
    practice_id uuid   primary key,
    version     bigint not null
);

-- tg_argv[0] names the column that holds the practice id (id for practice itself).
create function practice_config_bump() returns trigger language plpgsql as $$
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

create trigger practice_config_bump after insert or update or delete on practice
    for each row execute function practice_config_bump('id');
create trigger practice_config_bump after insert or update or delete on care_team
    for each row execute function practice_config_bump('practice_id');
create trigger practice_config_bump after insert or update or delete on device
    for each row execute function practice_config_bump('practice_id');
create trigger practice_config_bump after insert or update or delete on triage_rule
    for each row execute function practice_config_bump('practice_id');
create trigger practice_config_bump after insert or update or delete on triage_template
    for each row execute function practice_config_bump('practice_id');
create trigger practice_config_bump after insert or update or delete on triage_practice
    for each row execute function practice_config_bump('practice_id');
create trigger practice_config_bump after insert or update or delete on triage_holiday
    for each row execute function practice_config_bump('practice_id');
create trigger practice_config_bump after insert or update or delete on triage_sla
    for each row execute function practice_config_bump('practice_id');

-- Triage asks for every new message whether the patient had an earlier item ("first message ever"):
-- through this index, not a scan of every item (docs/adr/0032-message-path-under-load.md).
create index triage_item_patient_idx on triage_item (patient_id, received_at);
