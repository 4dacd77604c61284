-- A rule log line as codes and values (triage.LogStep), worded by the page in its reader's language;
-- "detail" keeps the English. Lines written before have none and are shown as they were written.
alter table triage_rule_execution add column detail_steps text;
