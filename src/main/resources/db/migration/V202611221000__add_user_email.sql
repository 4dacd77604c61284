-- Where a login's notifications go. Owned by identity; set when the login is created (admin page,
-- provisioning API) and edited by the person on /account/notifications. Null: a patient's login
-- falls back to the e-mail address of their Patient record; any other login gets no e-mail.
alter table user_account add column email text
    check (email is null or (length(email) between 3 and 254 and position('@' in email) > 1));
