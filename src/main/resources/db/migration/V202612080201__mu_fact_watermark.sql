-- How fresh the measurement facts are (docs/measurement.md "Freshness", ADR 0034). A message counts
-- in a report once its message.created event has reached the measurement listener, and a routing
-- once its triage.item.changed event has; a report says up to when its facts are complete by
-- looking for the outbox events whose fact is not recorded yet. So that it need not look at the
-- whole outbox, this row remembers a time before which every such event the outbox published has
-- its fact: a report looks only at the events published since, and at those not published yet.
-- Reports move it forward; nothing on the message path writes it.
create table mu_fact_watermark (
    id               integer     primary key check (id = 1),
    published_before timestamptz not null
);

-- The events of the last day not recorded yet start it (older ones would be events the listener set
-- aside, which a report cannot bring back); with none, every event published up to now is recorded.
insert into mu_fact_watermark (id, published_before)
select 1, coalesce(min(o.published_at), now() - interval '2 minutes')
from outbox_event o
where o.published_at > now() - interval '1 day'
  and (o.event_type = 'message.created'
           and not exists (select 1 from mu_message_fact f where f.message_id = cast(o.payload ->> 'messageId' as uuid))
       or o.event_type = 'triage.item.changed' and o.payload ->> 'change' in ('created', 'assigned')
           and not exists (select 1 from mu_assignment_fact a where a.event_id = o.event_id));
