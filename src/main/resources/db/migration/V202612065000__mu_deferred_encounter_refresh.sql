-- Bulk writers may defer the measure aggregates' refresh (ADR 0031). A transaction that sets
-- `bluepost.mu_defer = on` (SET LOCAL) records the encounters its inserts, updates and deletes of
-- encounters and participants change in mu_stale_encounter instead of refreshing their visit rows,
-- EP counts and pairs (changes to patients, locations, practitioners and messages still refresh at
-- once); mu_refresh_stale
-- refreshes them later in one set-based pass. The NDJSON import defers every chunk and refreshes once
-- when the job ends, as the single statement of a plain COPY does; every reader of the aggregates (the
-- SQL summary) refreshes whatever is stale before it reads. Other writers do not defer.
--
-- Why it stays exact: mu_refresh_encounters recomputes an encounter's visit rows from the current state
-- and applies the difference, so refreshing an encounter again, late, or after an immediate refresh
-- of the same encounter gives the same aggregates as refreshing it at once.

create table mu_stale_encounter (
    encounter_id uuid primary key
);

-- Refreshes the encounters now, or records them as stale when this transaction defers.
create function mu_encounters_changed(ids uuid[]) returns void language plpgsql as $$
begin
    if ids is null or cardinality(ids) = 0 then
        return;
    end if;
    if current_setting('bluepost.mu_defer', true) = 'on' then
        insert into mu_stale_encounter (encounter_id)
        select distinct i from unnest(ids) as i where i is not null order by 1
        on conflict do nothing;
    else
        perform mu_refresh_encounters(ids);
    end if;
end $$;

-- Refreshes up to `max` stale encounters in the caller's transaction; returns how many it took.
-- The encounters are locked (by mu_refresh_encounters) before their stale rows are deleted: the same
-- order as a deferring writer (encounter first, then its stale row), so the two never deadlock, and a
-- writer that changes an encounter meanwhile either waits for this refresh and marks it stale again,
-- or commits first and is read by it.
create function mu_refresh_stale(max integer) returns integer language plpgsql as $$
declare
    ids uuid[];
begin
    ids := array(select encounter_id from mu_stale_encounter order by encounter_id limit max);
    if cardinality(ids) = 0 then
        return 0;
    end if;
    perform mu_refresh_encounters(ids);
    delete from mu_stale_encounter where encounter_id = any(ids);
    return cardinality(ids);
end $$;

create or replace function mu_encounter_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform mu_encounters_changed(array(select id from old_rows));
    else
        perform mu_encounters_changed(array(
            select n.id from new_rows n join old_rows o on o.id = n.id
            where (n.status, n.class_code, n.service_date, n.patient_id, n.location_id)
                  is distinct from (o.status, o.class_code, o.service_date, o.patient_id, o.location_id)));
    end if;
    return null;
end $$;

create or replace function mu_participant_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform mu_encounters_changed(array(select distinct encounter_id from new_rows));
    elsif tg_op = 'DELETE' then
        perform mu_encounters_changed(array(select distinct encounter_id from old_rows));
    else
        perform mu_encounters_changed(array(select encounter_id from new_rows union select encounter_id from old_rows));
    end if;
    return null;
end $$;
