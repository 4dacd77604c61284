-- An automatic reply is sent at most once per thread per rule: a rule without a cooldown line now
-- replies once per thread (it used to be once per 24 hours, so a follow-up a day later got a second
-- acknowledgement). The default rules every practice got state their cooldown explicitly, as new
-- practices' do; the red-flag rule keeps its 24 hours (a new emergency a day later is told again to
-- call 911). Only default rules the practice's admin never edited are touched: each gets a new version
-- (the old one stays in the rule's history), written by "default rules" as before.
-- Re-runnable: a rule that already names a cooldown is left alone.
create temporary table default_rule_cooldown on commit drop as
select r.id as old_id, gen_random_uuid() as new_id, r.practice_id, r.rule_key, r.version + 1 as version, r.name,
       r.position, r.enabled,
       regexp_replace(r.definition || E'\n', E'(\nstop)?\n$',
                      case when r.name = 'Red flags: emergency reply and on-call pool' then E'\ncooldown 24 hours'
                           else E'\ncooldown once per thread' end || E'\\1') as definition
from triage_rule r
where r.current
  and r.created_by = 'default rules'
  and position('cooldown' in lower(r.definition)) = 0
  and (r.name in ('Red flags: emergency reply and on-call pool', 'After-hours reply',
                  'Acknowledgement with the expected reply date')
       or r.name like 'Refill requests to the % pool');

update triage_rule set current = false where id in (select old_id from default_rule_cooldown);

insert into triage_rule (id, practice_id, rule_key, version, name, position, enabled, current, definition, created_at, created_by)
select new_id, practice_id, rule_key, version, name, position, enabled, true, definition, now(), 'default rules'
from default_rule_cooldown;
