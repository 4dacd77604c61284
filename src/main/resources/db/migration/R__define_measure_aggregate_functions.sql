-- The measure aggregates' functions and triggers (docs/adr/0027-measure-engine-performance.md part 2,
-- docs/adr/0031-deferred-measure-aggregate-refresh-for-bulk-import.md): the current definition of each,
-- in one place. Tables and the backfill stay in the versioned migrations V202612061000 and
-- V202612065000. To change a function or trigger, edit it here (docs/operations.md, "Schema
-- migrations"); Flyway runs this file again after the versioned migrations whenever it changes.

-- Whether a patient record counts: neither it nor any record it was merged into (transitively) is a
-- test patient (the exact path's canonical() resolving to null).
create or replace function mu_patient_counted(patient uuid) returns boolean language sql stable as $$
    with recursive chain(id) as (
        select patient
        union
        select p.replaced_by_id from chain join patient p on p.id = chain.id where p.replaced_by_id is not null)
    select not exists (select 1 from chain join patient p on p.id = chain.id where p.test_patient)
$$;

-- The visit rows of a set of encounters, computed from the current state.
create or replace function mu_visit_rows(ids uuid[]) returns setof mu_visit language sql stable as $$
    select distinct on (e.id, p.practitioner_id)
           e.id, p.practitioner_id, e.patient_id, e.service_date,
           case when p.type = 'PPRF' then 'P'
                when exists (select 1 from encounter_participant o join practitioner op on op.id = o.practitioner_id
                             where o.encounter_id = e.id and o.type = 'PPRF' and op.npi is not null
                               and o.practitioner_id <> p.practitioner_id) then 'O'
                else 'S' end,
           coalesce(e.class_code in ('AMB', 'VR'), false),
           coalesce(e.class_code in ('IMP', 'EMER', 'ACUTE', 'NONAC', 'SS', 'OBSENC', 'PRENC'), false)
               or coalesce(jsonb_path_exists(l.resource,
                   '$.type[*].coding[*] ? (@.system == "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set" && (@.code == "21" || @.code == "23"))'), false),
           -- the CEHRT flag in effect on the service date (location_cehrt_change); a location without
           -- history (none is written without it) falls back to its flag (docs/measures.md §2.3)
           coalesce((select h.equipped from location_cehrt_change h
                     where h.location_id = l.id and h.effective_from <= e.service_date
                     order by h.effective_from desc, h.id desc limit 1), l.cehrt_equipped, true),
           l.state, l.county,
           case when pt.replaced_by_id is null and not pt.test_patient then true else mu_patient_counted(e.patient_id) end
    from encounter e
    join patient pt on pt.id = e.patient_id
    join encounter_participant p on p.encounter_id = e.id and p.type in ('PPRF', 'SPRF')
    left join location l on l.id = e.location_id
    where e.id = any(ids) and e.status = 'finished'
    order by e.id, p.practitioner_id, p.type  -- 'PPRF' < 'SPRF': a practitioner listed as both is the primary performer
$$;

-- The pair rows of (year, EP, patient) keys, computed from mu_visit and the message facts.
create or replace function mu_pair_rows(years smallint[], eps uuid[], patients uuid[], with_messages boolean)
    returns table (year smallint, ep_id uuid, patient_id uuid, seen_cehrt smallint[], seen_other smallint[],
                   staff_cehrt smallint[], staff_other smallint[], sent smallint[], visit_parts integer[], sent_parts integer[])
    language sql stable as $$
    with k as (select distinct * from unnest(years, eps, patients) as k(year, ep_id, patient_id)),
    v as (
        select k.year, k.ep_id, k.patient_id, cast(extract(doy from x.service_date) as smallint) as doy, x.kind, x.cehrt,
               cast(extract(quarter from x.service_date) as integer) as quarter,
               case when x.kind in ('P', 'O') then (case when x.cehrt then 1 else 2 end) else (case when x.cehrt then 4 else 8 end) end as bit
        from k
        join mu_visit x on x.patient_id = k.patient_id and x.ep_id = k.ep_id
        where x.office and extract(year from x.service_date) = k.year
    ),
    m as (
        select k.year, k.ep_id, k.patient_id, cast(extract(doy from d.day) as smallint) as doy,
               cast(extract(quarter from d.day) as integer) as quarter
        from k
        join mu_message_fact f on f.patient_id = k.patient_id
        join practice pr on pr.id = f.practice_id
        cross join lateral (select cast(timezone(pr.time_zone, f.received_at) as date) as day) d
        where with_messages and f.sender_kind = 'PATIENT' and f.secure and not f.automatic and pr.time_zone is not null
          and extract(year from d.day) = k.year
          and exists (select 1 from mu_message_recipient_fact r where r.message_id = f.message_id
                      and r.recipient_type = 'Practitioner' and r.recipient_id = k.ep_id)
    )
    select k.year, k.ep_id, k.patient_id, a.seen_cehrt, a.seen_other, a.staff_cehrt, a.staff_other, b.sent,
           array[coalesce(a.p0, 0), coalesce(a.p1, 0), coalesce(a.p2, 0), coalesce(a.p3, 0), coalesce(a.p4, 0)],
           array[coalesce(b.p0, 0), coalesce(b.p1, 0), coalesce(b.p2, 0), coalesce(b.p3, 0), coalesce(b.p4, 0)]
    from k
    left join (select v.year, v.ep_id, v.patient_id,
                      array_agg(distinct v.doy order by v.doy) filter (where v.kind in ('P', 'O') and v.cehrt) as seen_cehrt,
                      array_agg(distinct v.doy order by v.doy) filter (where v.kind in ('P', 'O') and not v.cehrt) as seen_other,
                      array_agg(distinct v.doy order by v.doy) filter (where v.kind = 'S' and v.cehrt) as staff_cehrt,
                      array_agg(distinct v.doy order by v.doy) filter (where v.kind = 'S' and not v.cehrt) as staff_other,
                      bit_or(v.bit) as p0, bit_or(v.bit) filter (where v.quarter = 1) as p1, bit_or(v.bit) filter (where v.quarter = 2) as p2,
                      bit_or(v.bit) filter (where v.quarter = 3) as p3, bit_or(v.bit) filter (where v.quarter = 4) as p4
               from v group by v.year, v.ep_id, v.patient_id) a
           on (a.year, a.ep_id, a.patient_id) = (k.year, k.ep_id, k.patient_id)
    left join (select m.year, m.ep_id, m.patient_id, array_agg(distinct m.doy order by m.doy) as sent, 16 as p0,
                      case when bool_or(m.quarter = 1) then 16 else 0 end as p1, case when bool_or(m.quarter = 2) then 16 else 0 end as p2,
                      case when bool_or(m.quarter = 3) then 16 else 0 end as p3, case when bool_or(m.quarter = 4) then 16 else 0 end as p4
               from m group by m.year, m.ep_id, m.patient_id) b
           on (b.year, b.ep_id, b.patient_id) = (k.year, k.ep_id, k.patient_id)
$$;

-- Recomputes the pair rows of the keys. The rows are locked first (created if missing), in key order,
-- and recomputed by the next statement, which in READ COMMITTED sees what a concurrent transaction
-- holding one of those locks committed: no lost update. Without with_messages only the visit days
-- are recomputed (an encounter changed; the message days cannot have).
create or replace function mu_refresh_pairs(years smallint[], eps uuid[], patients uuid[], with_messages boolean) returns void language plpgsql as $$
declare
    old_rows mu_visit_pair[];
    new_rows mu_visit_pair[];
begin
    if years is null or cardinality(years) = 0 then
        return;
    end if;
    insert into mu_visit_pair (year, ep_id, patient_id)
    select distinct k.year, k.ep_id, k.patient_id from unnest(years, eps, patients) as k(year, ep_id, patient_id)
    order by 1, 2, 3
    on conflict do nothing;
    with l as (
        select x from mu_visit_pair x
        where (x.year, x.ep_id, x.patient_id) in (select * from unnest(years, eps, patients))
        order by x.year, x.ep_id, x.patient_id
        for update)
    select array_agg(l.x) into old_rows from l;
    with u as (
        update mu_visit_pair x set seen_cehrt = r.seen_cehrt, seen_other = r.seen_other, staff_cehrt = r.staff_cehrt,
                                   staff_other = r.staff_other, sent = case when with_messages then r.sent else x.sent end,
                                   parts = array(select cast(v.mask | case when with_messages then sp.mask else coalesce(x.parts[cast(v.i as integer)], 0) & 16 end as smallint)
                                                 from unnest(r.visit_parts) with ordinality v(mask, i)
                                                 join unnest(r.sent_parts) with ordinality sp(mask, i) on sp.i = v.i
                                                 order by v.i)
        from mu_pair_rows(years, eps, patients, with_messages) r
        where (x.year, x.ep_id, x.patient_id) = (r.year, r.ep_id, r.patient_id)
        returning x)
    select array_agg(u.x) into new_rows from u;
    delete from mu_visit_pair x
    where (x.year, x.ep_id, x.patient_id) in (select * from unnest(years, eps, patients))
      and x.seen_cehrt is null and x.seen_other is null and x.staff_cehrt is null and x.staff_other is null and x.sent is null;
    insert into mu_ep_pair_part as t (ep_id, year, part, seen_cehrt, seen_other, staff_cehrt, staff_other, sent, n)
    select r.ep_id, r.year, cast(q.part - 1 as smallint), q.mask & 1 <> 0, q.mask & 2 <> 0, q.mask & 4 <> 0, q.mask & 8 <> 0,
           q.mask & 16 <> 0, sum(r.delta)
    from (select o.ep_id, o.year, o.parts, -1 as delta from unnest(old_rows) o
          union all
          select w.ep_id, w.year, w.parts, 1 from unnest(new_rows) w) r
    cross join unnest(r.parts) with ordinality q(mask, part)
    where q.mask <> 0
    group by 1, 2, 3, 4, 5, 6, 7, 8
    having sum(r.delta) <> 0
    order by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict (ep_id, year, part, seen_cehrt, seen_other, staff_cehrt, staff_other, sent) do update set n = t.n + excluded.n;
end $$;

-- Recomputes the visit rows of the encounters, applies the difference to the EP counts and refreshes
-- the pairs they touch. The encounters are locked first (FOR NO KEY UPDATE: concurrent participant
-- inserts hold only KEY SHARE), so two transactions changing one encounter refresh it one after the other.
create or replace function mu_refresh_encounters(ids uuid[]) returns void language plpgsql as $$
declare
    old_rows mu_visit[];
    new_rows mu_visit[];
    y smallint[];
    e uuid[];
    p uuid[];
begin
    if ids is null or cardinality(ids) = 0 then
        return;
    end if;
    perform 1 from encounter where id = any(ids) order by id for no key update;
    with d as (delete from mu_visit where encounter_id = any(ids) returning mu_visit as r)
    select array_agg(d.r) into old_rows from d;
    with i as (insert into mu_visit select * from mu_visit_rows(ids) returning mu_visit as r)
    select array_agg(i.r) into new_rows from i;
    if old_rows is null and new_rows is null then
        return;
    end if;
    insert into mu_ep_visit_day as t (ep_id, day, kind, office, hospital, cehrt, state, county, n)
    select ep_id, service_date, kind, office, hospital, cehrt, state, county, sum(delta)
    from (select o.*, -1 as delta from unnest(old_rows) o union all select n.*, 1 from unnest(new_rows) n) c
    where counted
    group by ep_id, service_date, kind, office, hospital, cehrt, state, county
    having sum(delta) <> 0
    order by ep_id, service_date, kind, office, hospital, cehrt, state, county
    on conflict on constraint mu_ep_visit_day_key do update set n = t.n + excluded.n;
    insert into mu_ep_visit_month as t (ep_id, month, kind, office, hospital, cehrt, state, county, n)
    select ep_id, cast(date_trunc('month', service_date) as date), kind, office, hospital, cehrt, state, county, sum(delta)
    from (select o.*, -1 as delta from unnest(old_rows) o union all select n.*, 1 from unnest(new_rows) n) c
    where counted
    group by 1, 2, 3, 4, 5, 6, 7, 8
    having sum(delta) <> 0
    order by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict on constraint mu_ep_visit_month_key do update set n = t.n + excluded.n;
    insert into mu_ep_visit_part as t (ep_id, year, part, kind, office, hospital, cehrt, state, county, n)
    select ep_id, cast(extract(year from service_date) as smallint), q.part, kind, office, hospital, cehrt, state, county, sum(delta)
    from (select o.*, -1 as delta from unnest(old_rows) o union all select n.*, 1 from unnest(new_rows) n) c
    cross join lateral (values (cast(0 as smallint)), (cast(extract(quarter from c.service_date) as smallint))) q(part)
    where counted
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9
    having sum(delta) <> 0
    order by 1, 2, 3, 4, 5, 6, 7, 8, 9
    on conflict on constraint mu_ep_visit_part_key do update set n = t.n + excluded.n;
    select array_agg(k.year), array_agg(k.ep_id), array_agg(k.patient_id) into y, e, p
    from (select distinct cast(extract(year from c.service_date) as smallint) as year, c.ep_id, c.patient_id
          from (select * from unnest(old_rows) union all select * from unnest(new_rows)) c where c.office) k;
    perform mu_refresh_pairs(y, e, p, false);
end $$;

-- Message facts: the pairs of the Practitioner recipients and the message's patient, in the local
-- years the message can fall in (any time zone: a day either side).
create or replace function mu_refresh_message_pairs(messages uuid[], patients uuid[], received timestamptz[]) returns void language plpgsql as $$
declare
    y smallint[];
    e uuid[];
    p uuid[];
begin
    select array_agg(k.year), array_agg(k.ep_id), array_agg(k.patient_id) into y, e, p
    from (select distinct cast(extract(year from t.at) as smallint) as year, r.recipient_id as ep_id, m.patient_id
          from unnest(messages, patients, received) as m(message_id, patient_id, received_at)
          join mu_message_recipient_fact r on r.message_id = m.message_id and r.recipient_type = 'Practitioner'
          cross join lateral (values (m.received_at - interval '1 day'), (m.received_at + interval '1 day')) t(at)) k;
    perform mu_refresh_pairs(y, e, p, true);
end $$;

-- Refreshes the encounters now, or records them as stale when this transaction defers.
create or replace function mu_encounters_changed(ids uuid[]) returns void language plpgsql as $$
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
create or replace function mu_refresh_stale(max integer) returns integer language plpgsql as $$
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
-- (no trigger on insert: a new encounter has no participants yet — they reference it — so nothing to count)
create or replace trigger mu_encounter_updated after update on encounter referencing old table as old_rows new table as new_rows
    for each statement execute function mu_encounter_changed();
create or replace trigger mu_encounter_deleted after delete on encounter referencing old table as old_rows
    for each statement execute function mu_encounter_changed();

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

create or replace trigger mu_participant_inserted after insert on encounter_participant referencing new table as new_rows
    for each statement execute function mu_participant_changed();
create or replace trigger mu_participant_updated after update on encounter_participant referencing old table as old_rows new table as new_rows
    for each statement execute function mu_participant_changed();
create or replace trigger mu_participant_deleted after delete on encounter_participant referencing old table as old_rows
    for each statement execute function mu_participant_changed();

-- A location's CEHRT flag, county, state or place of service changes the traits of its visits (rare:
-- reads the encounters of that location).
create or replace function mu_location_changed() returns trigger language plpgsql as $$
declare
    changed uuid[];
begin
    -- most updates change none of these: then nothing is read
    changed := array(select n.id from new_rows n join old_rows o on o.id = n.id
                     where (n.cehrt_equipped, n.county, n.state, n.resource -> 'type')
                           is distinct from (o.cehrt_equipped, o.county, o.state, o.resource -> 'type'));
    if cardinality(changed) > 0 then
        perform mu_refresh_encounters(array(select e.id from encounter e where e.location_id = any(changed)));
    end if;
    return null;
end $$;
create or replace trigger mu_location_updated after update on location referencing old table as old_rows new table as new_rows
    for each statement execute function mu_location_changed();

-- A change of a location's CEHRT history (possibly dated in the past, the flag itself unchanged)
-- changes the traits of that location's visits.
create or replace function mu_location_cehrt_changed() returns trigger language plpgsql as $$
begin
    perform mu_refresh_encounters(array(select e.id from encounter e
                                        where e.location_id = any(array(select distinct n.location_id from new_rows n))));
    return null;
end $$;
create or replace trigger mu_location_cehrt_inserted after insert on location_cehrt_change referencing new table as new_rows
    for each statement execute function mu_location_cehrt_changed();

-- A practitioner gaining or losing an NPI changes whether supervising them is kind O or S for the
-- other participants of their encounters.
create or replace function mu_practitioner_changed() returns trigger language plpgsql as $$
declare
    changed uuid[];
begin
    changed := array(select n.id from new_rows n join old_rows o on o.id = n.id where (n.npi is null) <> (o.npi is null));
    if cardinality(changed) > 0 then
        perform mu_refresh_encounters(array(
            select distinct p.encounter_id from encounter_participant p where p.practitioner_id = any(changed)));
    end if;
    return null;
end $$;
create or replace trigger mu_practitioner_updated after update on practitioner referencing old table as old_rows new table as new_rows
    for each statement execute function mu_practitioner_changed();

-- A patient becoming (or ceasing to be) a test patient, or merged into another record, changes
-- whether the encounters of that record and of every record merged into it are counted.
create or replace function mu_patient_changed() returns trigger language plpgsql as $$
declare
    changed uuid[];
begin
    changed := array(select n.id from new_rows n join old_rows o on o.id = n.id
                     where (n.test_patient, n.replaced_by_id) is distinct from (o.test_patient, o.replaced_by_id));
    if cardinality(changed) > 0 then
        perform mu_refresh_encounters(array(
            with recursive affected(id) as (
                select unnest(changed)
                union
                select p.id from patient p join affected a on p.replaced_by_id = a.id where p.replaced_by_id is not null)
            select e.id from encounter e where e.patient_id = any(array(select id from affected))));
    end if;
    return null;
end $$;
create or replace trigger mu_patient_updated after update on patient referencing old table as old_rows new table as new_rows
    for each statement execute function mu_patient_changed();

-- A practice's time zone decides the local day of its messages.
create or replace function mu_practice_changed() returns trigger language plpgsql as $$
declare
    changed uuid[];
begin
    changed := array(select n.id from new_rows n join old_rows o on o.id = n.id where n.time_zone is distinct from o.time_zone);
    if cardinality(changed) > 0 then
        perform mu_refresh_message_pairs(array_agg(m.message_id), array_agg(m.patient_id), array_agg(m.received_at))
        from mu_message_fact m where m.practice_id = any(changed);
    end if;
    return null;
end $$;
create or replace trigger mu_practice_updated after update on practice referencing old table as old_rows new table as new_rows
    for each statement execute function mu_practice_changed();

create or replace function mu_message_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        perform mu_refresh_message_pairs(array_agg(c.message_id), array_agg(c.patient_id), array_agg(c.received_at))
        from (select n.message_id, n.patient_id, n.received_at from new_rows n join old_rows o on o.message_id = n.message_id
              where (n.patient_id, n.practice_id, n.sender_kind, n.secure, n.automatic, n.received_at)
                    is distinct from (o.patient_id, o.practice_id, o.sender_kind, o.secure, o.automatic, o.received_at)
              union all
              select o.message_id, o.patient_id, o.received_at from new_rows n join old_rows o on o.message_id = n.message_id
              where (n.patient_id, n.practice_id, n.sender_kind, n.secure, n.automatic, n.received_at)
                    is distinct from (o.patient_id, o.practice_id, o.sender_kind, o.secure, o.automatic, o.received_at)) c;
    end if;
    return null;
end $$;
-- (no trigger on insert: the recipients reference the message and come after it)
create or replace trigger mu_message_updated after update on mu_message_fact referencing old table as old_rows new table as new_rows
    for each statement execute function mu_message_changed();

-- Recipient changes: the pairs of the (old and new) Practitioner recipients. One function for the
-- four triggers: each names its one transition table recipient_rows (the inserted or new rows, the
-- deleted or old rows).
create or replace function mu_message_recipient_changed() returns trigger language plpgsql as $$
declare
    y smallint[];
    e uuid[];
    p uuid[];
begin
    select array_agg(k.year), array_agg(k.ep_id), array_agg(k.patient_id) into y, e, p
    from (select distinct cast(extract(year from t.at) as smallint) as year, c.recipient_id as ep_id, m.patient_id
          from (select * from recipient_rows) c
          join mu_message_fact m on m.message_id = c.message_id
          cross join lateral (values (m.received_at - interval '1 day'), (m.received_at + interval '1 day')) t(at)
          where c.recipient_type = 'Practitioner') k;
    perform mu_refresh_pairs(y, e, p, true);
    return null;
end $$;
create or replace trigger mu_message_recipient_inserted after insert on mu_message_recipient_fact referencing new table as recipient_rows
    for each statement execute function mu_message_recipient_changed();
create or replace trigger mu_message_recipient_deleted after delete on mu_message_recipient_fact referencing old table as recipient_rows
    for each statement execute function mu_message_recipient_changed();
create or replace trigger mu_message_recipient_updated_new after update on mu_message_recipient_fact referencing new table as recipient_rows
    for each statement execute function mu_message_recipient_changed();
create or replace trigger mu_message_recipient_updated_old after update on mu_message_recipient_fact referencing old table as recipient_rows
    for each statement execute function mu_message_recipient_changed();
-- its twin for the old rows until the triggers above shared one function (V202612061000)
drop function if exists mu_message_recipient_removed();
