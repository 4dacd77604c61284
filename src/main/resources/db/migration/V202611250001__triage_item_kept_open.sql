-- A macro can answer and keep the item open (in progress, assigned): the reply it sent does not
-- complete the item it was kept open by (docs/triage.md, "Macros").
alter table triage_item add column kept_open_by_message_id uuid;
