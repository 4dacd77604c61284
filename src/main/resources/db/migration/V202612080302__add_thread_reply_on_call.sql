-- Whether the answer a patient is told to expect is the on-call team's (a red flag: kept around the
-- clock, also when the office is closed) rather than the office's on its opening hours; the pages say
-- so in plain words instead of promising an answer "by Sunday" of a practice closed on Sundays.
alter table message_thread add column reply_on_call boolean not null default false;
