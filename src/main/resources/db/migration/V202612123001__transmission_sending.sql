-- A transmit is written as SENDING and committed before the relay is called, then replaced by the
-- relay's answer; no transaction is held while the relay is talked to (docs/adr/0046).
alter table transmission drop constraint transmission_status_check;
alter table transmission add constraint transmission_status_check check (status in ('SENDING', 'SENT', 'FAILED'));
