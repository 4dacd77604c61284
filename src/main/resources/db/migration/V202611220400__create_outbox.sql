-- Transactional outbox: events written with the change they announce, published after commit.
create table outbox_event (
    id           bigint generated always as identity primary key,
    event_id     uuid        not null unique,
    topic        text        not null,
    record_key   text        not null,
    event_type   text        not null,
    payload      jsonb       not null,
    created_at   timestamptz not null,
    published_at timestamptz,
    attempts     integer     not null default 0,
    last_failure text
);
create index outbox_event_unpublished_idx on outbox_event (id) where published_at is null;
create index outbox_event_published_idx on outbox_event (published_at) where published_at is not null;

-- Event ids each consumer has applied (effectively-once effects under at-least-once delivery).
create table processed_event (
    consumer     text        not null,
    event_id     uuid        not null,
    processed_at timestamptz not null,
    primary key (consumer, event_id)
);
