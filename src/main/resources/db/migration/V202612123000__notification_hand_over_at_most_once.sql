-- A notice is marked as being handed to the mail server, in its own committed transaction, before the
-- server is called. An instance that dies during the hand-over leaves the mark behind; the notice is
-- then closed as INTERRUPTED and never handed over again: each notice goes out at most once
-- (docs/notifications.md, "Delivery").
alter table notification add column handing_over_since timestamptz;

alter table notification drop constraint notification_outcome_check;
alter table notification add constraint notification_outcome_check
    check (outcome in ('SENT', 'NO_ADDRESS', 'SUPPRESSED', 'GAVE_UP', 'INTERRUPTED'));

create index notification_handing_over_idx on notification (handing_over_since) where outcome is null and handing_over_since is not null;
