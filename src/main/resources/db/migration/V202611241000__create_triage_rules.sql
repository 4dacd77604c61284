-- Triage rules (docs/triage.md): versioned per practice; an edit adds a version and keeps the old one.
create table triage_rule (
    id          uuid primary key,
    practice_id uuid        not null references practice (id),
    rule_key    uuid        not null,
    version     integer     not null,
    name        text        not null,
    position    integer     not null,
    enabled     boolean     not null,
    current     boolean     not null,
    definition  text        not null,
    created_at  timestamptz not null,
    created_by  text        not null,
    unique (rule_key, version)
);
create index triage_rule_current_idx on triage_rule (practice_id, current, position);

-- What the rules did for each message: which fired and why (condition names, never message text).
create table triage_rule_execution (
    id           uuid primary key,
    practice_id  uuid        not null references practice (id),
    message_id   uuid        not null references message (id),
    thread_id    uuid        not null references message_thread (id),
    rule_id      uuid references triage_rule (id),
    rule_name    text        not null,
    rule_version integer,
    outcome      text        not null check (outcome in ('fired', 'not-matched', 'skipped')),
    detail       text        not null,
    created_at   timestamptz not null
);
create index triage_rule_execution_message_idx on triage_rule_execution (message_id);

-- Loop safety: the last automatic reply of a rule in a thread (one per cooldown).
create table triage_auto_reply (
    rule_key     uuid        not null,
    thread_id    uuid        not null references message_thread (id),
    last_sent_at timestamptz not null,
    primary key (rule_key, thread_id)
);

-- Delayed automatic replies (acknowledgements): sent when due unless the care team answered first.
create table triage_scheduled_reply (
    id          uuid primary key,
    practice_id uuid        not null references practice (id),
    thread_id   uuid        not null references message_thread (id),
    message_id  uuid        not null references message (id),
    rule_id     uuid        not null references triage_rule (id),
    template    text        not null,
    send_at     timestamptz not null,
    status      text        not null check (status in ('pending', 'sent', 'dropped')),
    created_at  timestamptz not null,
    done_at     timestamptz
);
create index triage_scheduled_reply_due_idx on triage_scheduled_reply (status, send_at);

-- Reply templates of a practice (rules, console replies, batch replies); placeholders in docs/triage.md.
create table triage_template (
    id          uuid primary key,
    practice_id uuid        not null references practice (id),
    name        text        not null,
    body        text        not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    unique (practice_id, name)
);

-- Triage settings of a practice: its automatic-message Device, on-call pool, business hours.
create table triage_practice (
    practice_id        uuid primary key references practice (id),
    device_id          uuid,
    on_call_pool_id    uuid,
    opens              time        not null default '08:00',
    closes             time        not null default '17:00',
    open_days          text        not null default 'MON,TUE,WED,THU,FRI',
    defaults_installed timestamptz,
    created_at         timestamptz not null
);

create table triage_holiday (
    practice_id uuid not null references practice (id),
    day         date not null,
    name        text not null,
    primary key (practice_id, day)
);

-- Queue items: the pool queue they belong to (a claim makes a person the owner), tags.
alter table triage_item add column queue_pool_id uuid;
alter table triage_item add column tags text[] not null default '{}';
update triage_item set queue_pool_id = owner_id where owner_type = 'CareTeam';
