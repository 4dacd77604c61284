-- A line's failure as a code and its values (field names, sizes, ids; never the line's content) beside the
-- English reason, so that the import job's page words it in its reader's language. Rows stored before keep
-- only their English reason and are shown as stored.
alter table encounter_import_error add column code text, add column params text[];
