-- Automatic replies and staff templates are sent in the patient's language, which is their login's:
-- triage looks it up by patient (one indexed read when the practice's text has a Spanish version).
create index if not exists user_account_patient_idx on user_account (patient_id) where patient_id is not null;
