-- Automatic replies' texts and staff reply templates are two kinds of text: rules send only the first
-- (in the practice's automatic voice), staff pick only the second (signed by a person). A text that a
-- rule replies with, or that introduces itself as an automatic reply, is an automatic reply's text.
alter table triage_template add column if not exists kind text not null default 'staff'
    check (kind in ('staff', 'automatic'));

update triage_template t set kind = 'automatic'
where t.kind = 'staff'
  and (t.body like 'This is an automatic reply%'
       or exists (select 1 from triage_rule r
                  where r.practice_id = t.practice_id and r.current
                    and position(lower('reply "' || t.name || '"') in lower(r.definition)) > 0));

-- A first message gets at most one automatic reply: the default welcome says when the office opens
-- again ({after-hours}, empty while it is open), sets the expected reply date and stops, after the
-- refill rule. Only texts and rules as the defaults installed them are changed (an admin's edits
-- stay); the welcome rule gets a new version.
update triage_template
set body = 'Thank you for using secure messaging with {practice}, {patient}. This is an automatic reply: we received '
           || 'your message, and the care team will answer by {expected-by}. {after-hours} Secure messages are not for '
           || 'emergencies: call 911 or, for a mental health crisis, 988.',
    updated_at = now()
where kind = 'automatic' and name = 'Welcome'
  and body = 'Thank you for using secure messaging with {practice}, {patient}. This is an automatic reply: the care team '
             || 'reads messages during office hours and answers by {expected-by}. Secure messages are not for emergencies: '
             || 'call 911 or, for a mental health crisis, 988.';

-- the refill text named "2 business days" whatever the practice promises: it now gives the date alone
update triage_template
set body = 'This is an automatic reply from {practice}. We received your refill request. Refills are processed by '
           || '{expected-by}; please allow your pharmacy a day more. Controlled substances need a visit.',
    updated_at = now()
where kind = 'automatic' and name = 'Refill policy'
  and body = 'This is an automatic reply from {practice}. We received your refill request. Refills are processed within '
             || '2 business days (by {expected-by}); please allow your pharmacy a day more. Controlled substances need a visit.';

create temporary table default_welcome_rule on commit drop as
select w.id as old_id, gen_random_uuid() as new_id, w.practice_id, w.rule_key, w.version + 1 as version, w.name, w.enabled,
       coalesce((select max(r.position) + 5 from triage_rule r
                 where r.practice_id = w.practice_id and r.current and r.name like 'Refill requests to the % pool'
                   and r.position > w.position), w.position) as position,
       coalesce((select substring(r.definition from 'set due-by in ([0-9]+) business days') from triage_rule r
                 where r.practice_id = w.practice_id and r.current and r.created_by = 'default rules'
                   and r.name in ('After-hours reply', 'Acknowledgement with the expected reply date')
                   and r.definition ~ 'set due-by in [0-9]+ business days'
                 order by r.name limit 1), '2') as business_days
from triage_rule w
where w.current and w.created_by = 'default rules' and w.name = 'Thank you for the first secure message'
  and w.definition = E'when message received\nif first message ever\nthen reply "Welcome"\ncooldown 3650 days';

update triage_rule set current = false where id in (select old_id from default_welcome_rule);

insert into triage_rule (id, practice_id, rule_key, version, name, position, enabled, current, definition, created_at, created_by)
select new_id, practice_id, rule_key, version, name, position, enabled, true,
       E'when message received\nif first message ever\nthen set due-by in ' || business_days
           || E' business days\nthen reply "Welcome"\ncooldown once per thread\nstop',
       now(), 'default rules'
from default_welcome_rule;

-- a staff template for a reply that keeps the conversation open (the macro's "in progress")
insert into triage_template (id, practice_id, name, body, kind, created_at, updated_at)
select gen_random_uuid(), p.practice_id, 'Looking into it',
       'Hello {patient}, thank you for your message. We are looking into it and will get back to you by {expected-by}. '
           || '{staff}, {practice}',
       'staff', now(), now()
from triage_practice p
where p.defaults_installed is not null
  and not exists (select 1 from triage_template t where t.practice_id = p.practice_id and lower(t.name) = 'looking into it');
