-- Sources grouped by site and labelled, so that a config (and a worker) can take them by location or tag rather than
-- one mapping at a time. A location is a short name of the site a source belongs to (none: belongs to no site); tags
-- are short labels. Both are compared exactly (the admin API allows letters, digits, '.', '_' and '-').
ALTER TABLE dicom_source ADD COLUMN location text;
ALTER TABLE dicom_source ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
CREATE INDEX dicom_source_location_idx ON dicom_source (location);
CREATE INDEX dicom_source_tags_idx ON dicom_source USING gin (tags);

-- A config asks its mapped sources plus every enabled source of these locations or with one of these tags (a mapping
-- of such a source, enabled or not, takes precedence over the selection).
ALTER TABLE spanner_config ADD COLUMN include_locations text[] NOT NULL DEFAULT '{}';
ALTER TABLE spanner_config ADD COLUMN include_tags text[] NOT NULL DEFAULT '{}';

-- Every config spans through the worker fleet: there is no other mode, and the stored flag says so.
UPDATE spanner_config SET enterprise_mode = true WHERE NOT enterprise_mode;
ALTER TABLE spanner_config ALTER COLUMN enterprise_mode SET DEFAULT true;
