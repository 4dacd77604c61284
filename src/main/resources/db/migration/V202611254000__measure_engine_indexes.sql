-- Measure engine (ADR 0027): every report resolves merged and test patients first
-- ("select id, replaced_by_id, test_patient from patient where replaced_by_id is not null or test_patient").
-- Without this partial index that is a scan of the whole patient table (1 M rows in the benchmark) on
-- every report, even one EP's; with it, it reads only the few merged / test records.
create index patient_merged_or_test_idx on patient (id) include (replaced_by_id, test_patient)
    where replaced_by_id is not null or test_patient;
