-- E-mail notifications (docs/notifications.md). Nothing here holds an address or any content:
-- the address is read from the login when an e-mail is handed over, and what an e-mail says is
-- the fixed template of its kind plus a count.

-- A person's choice; no row = EACH_MESSAGE.
create table notification_preference (
    user_id    uuid primary key references user_account (id),
    frequency  text        not null check (frequency in ('EACH_MESSAGE', 'DAILY_DIGEST', 'NONE')),
    updated_at timestamptz not null
);

-- Every e-mail to go out, written in the transaction that decided it and handed to the mail
-- server afterwards (outcome set). At most one per login, kind and message; one digest per login
-- and local day.
create table notification (
    id              uuid primary key,
    user_id         uuid        not null references user_account (id),
    kind            text        not null check (kind in ('NEW_MESSAGE', 'DIGEST', 'UNREAD_REMINDER')),
    message_id      uuid references message (id),
    message_count   integer     not null check (message_count > 0),
    digest_day      date,
    created_at      timestamptz not null,
    next_attempt_at timestamptz not null,
    attempts        integer     not null default 0,
    last_failure    text,
    outcome         text check (outcome in ('SENT', 'NO_ADDRESS', 'SUPPRESSED', 'GAVE_UP')),
    handled_at      timestamptz,
    check ((kind = 'DIGEST') = (digest_day is not null)),
    check ((kind = 'DIGEST') = (message_id is null))
);
create unique index notification_once_per_message_idx on notification (user_id, kind, message_id) where message_id is not null;
create unique index notification_one_digest_a_day_idx on notification (user_id, digest_day) where kind = 'DIGEST';
create index notification_due_idx on notification (next_attempt_at) where outcome is null;
create index notification_handled_idx on notification (handled_at) where outcome is not null;

-- Messages waiting for a login's next daily digest (notification_id set once counted in one).
create table notification_digest_item (
    id              uuid primary key,
    user_id         uuid        not null references user_account (id),
    message_id      uuid        not null references message (id),
    practice_id     uuid        not null references practice (id),
    created_at      timestamptz not null,
    notification_id uuid references notification (id),
    unique (user_id, message_id)
);
create index notification_digest_item_pending_idx on notification_digest_item (user_id) where notification_id is null;

-- Care-team messages whose unread reminder has been decided: one per message, never again.
create table unread_reminder (
    message_id  uuid primary key references message (id),
    received_at timestamptz not null,
    reminded_at timestamptz not null,
    recipients  integer     not null
);
create index unread_reminder_received_idx on unread_reminder (received_at);
