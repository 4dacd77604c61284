-- When this deployment began to offer patients "transmit" (sending their health information to a
-- third party, docs/adr/0046). PEA-S2-M1 counts a patient's online access only once view, download and
-- transmit are all available (docs/measures.md §5.1): access given before this moment counts from this
-- moment, and a database without the row has never offered transmit. Written once, by this migration,
-- when the deployment is upgraded to the release that brought transmit.
create table portal_capability (
    capability      text        primary key check (capability in ('transmit')),
    available_since timestamptz not null
);

insert into portal_capability (capability, available_since) values ('transmit', now());
