-- What the "Connected apps" page (/account/apps) shows of a patient app's consent: when its access
-- token was issued (a consent whose code was never redeemed, or whose redemption was refused, got
-- none and is not shown), when an app last used it (written at most once per consent every few
-- minutes per instance, never by the request itself: docs/security.md), and why it ended when it
-- was revoked (disconnected, password-changed, password-reset, login-deactivated, ended-by-admin,
-- code-reused). Ended consents are kept 30 days; older ones, and those a newer connection of the
-- same app for the same patient replaced, are deleted by the hourly purge.
alter table app_consent add column token_issued_at timestamptz;
alter table app_consent add column last_used_at timestamptz;
alter table app_consent add column revoke_reason text;
-- consents redeemed before this column existed: their token was issued when the code was redeemed
update app_consent set token_issued_at = code_redeemed_at where code_redeemed_at is not null and revoked_at is null;
