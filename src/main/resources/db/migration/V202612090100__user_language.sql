-- The language a login chose for its pages and e-mails (null: not chosen; the browser's is used).
alter table user_account add column language text check (language in ('en', 'es'));
