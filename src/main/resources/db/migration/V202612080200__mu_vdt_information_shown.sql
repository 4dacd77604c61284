-- PEA-S2-M2 counts a view or download only if it showed the patient at least one item of their
-- information (measures.md §5.2): a visit document, or a message history with at least one message.
-- A download of an empty history is recorded, but it does not count.
alter table mu_vdt_fact add column showed_information boolean;

-- Views and downloads recorded before: they showed something if, at that moment, the patient had a
-- visit document posted or a message the actor could see (a proxy does not see threads the patient
-- marked sensitive).
update mu_vdt_fact v set showed_information =
    exists (select 1 from mu_document_fact d where d.patient_id = v.patient_id and d.posted_at <= v.occurred_at)
    or exists (select 1 from message m join message_thread t on t.id = m.thread_id
               where m.patient_id = v.patient_id and m.received_at <= v.occurred_at
                 and (v.actor_kind <> 'PROXY' or not t.sensitive));

alter table mu_vdt_fact alter column showed_information set not null;
