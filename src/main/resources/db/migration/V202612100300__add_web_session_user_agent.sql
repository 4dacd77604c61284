-- The browser a session was opened from (its User-Agent header, at most 512 characters), so that a
-- person's list of sessions can say "Firefox on Windows"; null for sessions opened before.
alter table web_session add column user_agent text;
