-- What has been observed of whether a source matches on a key, besides what its configuration declares
-- (dicom_source.unmatched_keys): the newest observation per key, from a capability probe or learned from the source's
-- own answers. Evidence texts name counts and rules, never a value (values may be PHI).
CREATE TABLE source_key_observation (
    source_id   bigint      NOT NULL REFERENCES dicom_source (id) ON DELETE CASCADE,
    keyword     text        NOT NULL,
    -- true: the source applies the key; false: it does not (ignores it or matches otherwise); null: not determined
    matched     boolean,
    -- whether the source returns the attribute's value when asked; null: not determined
    returned    boolean,
    origin      text        NOT NULL CHECK (origin IN ('probed', 'learned')),
    observed_at timestamptz NOT NULL,
    evidence    text        NOT NULL,
    PRIMARY KEY (source_id, keyword)
);
