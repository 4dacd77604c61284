-- The encounter feeds look encounters up by identifier a thousand at a time (docs/adr/0024). With
-- GIN's fast-update pending list, every such lookup also scans the not-yet-merged recent entries,
-- which grow with each chunk just written; without it, entries are merged on insert and lookups
-- stay index lookups.
alter index encounter_identifier_idx set (fastupdate = off);
