-- What a source is known not to honour when it answers a C-FIND: the PS3.6 keywords of matching keys it ignores
-- (it returns records that do not match them), so the worker verifies those keys itself. Empty = nothing known,
-- which is what every existing source is.
ALTER TABLE dicom_source ADD COLUMN unmatched_keys text[] NOT NULL DEFAULT '{}';
