-- The history of each location's certified-EHR (CEHRT) flag (docs/adr/0042-one-directory-service-and-cehrt-history.md):
-- one row per change, equipped or not from effective_from (a date, inclusive) until the next row's
-- date. The measures count an encounter's location as CEHRT-equipped by this history, not by today's
-- flag (docs/measures.md §2.3). location.cehrt_equipped stays the flag in effect today.
create table location_cehrt_change (
    id             bigserial   primary key,
    location_id    uuid        not null references location (id),
    equipped       boolean     not null,
    effective_from date        not null,
    recorded_by    text        not null,
    recorded_at    timestamptz not null
);
create index location_cehrt_change_location_idx on location_cehrt_change (location_id, effective_from, id);

-- Existing locations: today's flag, from the beginning of time (nothing better is known about their past).
insert into location_cehrt_change (location_id, equipped, effective_from, recorded_by, recorded_at)
select id, cehrt_equipped, date '0001-01-01', 'migration', now() from location;
