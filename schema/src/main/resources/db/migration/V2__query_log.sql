-- One row per spanning query, written by the coordinator. Partitioned by month (UTC) so that old months can be
-- dropped whole (DROP TABLE query_log_YYYY_MM) instead of deleted row by row; query_log_ensure_partitions keeps
-- partitions ready ahead of time (the gateway calls it on start and then periodically), and the default partition
-- catches any row whose month has no partition yet, so an insert never fails for want of one.
-- PHI never lands here in clear text: tokenized_filters holds PhiTokenizer tokens for patient attributes.

CREATE TABLE query_log (
    id                   uuid        NOT NULL,
    started_at           timestamptz NOT NULL,
    config_id            bigint,
    config_version       bigint,
    query_level          text        NOT NULL CHECK (query_level IN ('patient', 'study', 'series', 'image')),
    entry_point          text        NOT NULL CHECK (entry_point IN ('qido', 'dimse')),
    tokenized_filters    jsonb       NOT NULL,
    caller_api_key_id    bigint,
    caller_ae_title      varchar(16),
    caller_address       text,
    sources_asked        integer     NOT NULL CHECK (sources_asked >= 0),
    sources_answered     integer     NOT NULL CHECK (sources_answered >= 0),
    sources_failed       integer     NOT NULL CHECK (sources_failed >= 0),
    matches_before_dedup integer     NOT NULL CHECK (matches_before_dedup >= 0),
    matches_after_dedup  integer     NOT NULL CHECK (matches_after_dedup >= 0),
    duration_ms          bigint      NOT NULL CHECK (duration_ms >= 0),
    status               text        NOT NULL CHECK (status IN ('completed', 'partial', 'failed')),
    error                text,
    -- A partitioned table's keys must include the partition column.
    PRIMARY KEY (id, started_at)
) PARTITION BY RANGE (started_at);

CREATE INDEX query_log_started_at_idx ON query_log (started_at);
CREATE INDEX query_log_config_idx ON query_log (config_id, started_at);
-- Admins search by a real PatientID; the search tokenizes it and looks for the token here.
CREATE INDEX query_log_patient_id_idx ON query_log ((tokenized_filters ->> 'PatientID'));

CREATE TABLE query_log_default PARTITION OF query_log DEFAULT;

-- Creates the monthly partitions query_log_YYYY_MM for month_count months from the month of first_month
-- (months are UTC calendar months) that do not exist yet, and returns how many it created. It works in the schema
-- it was created in, whatever the caller's search_path.
CREATE FUNCTION query_log_ensure_partitions(first_month date, month_count integer) RETURNS integer
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    -- The schema this function lives in (search_path is fixed to it at creation): partitions go next to query_log.
    home text := current_schema();
    month_start date;
    lower_bound timestamptz;
    upper_bound timestamptz;
    partition_name text;
    created integer := 0;
BEGIN
    -- Several gateways may start at once; they take turns instead of racing to create the same partition.
    PERFORM pg_advisory_xact_lock(hashtext(home || '.query_log_ensure_partitions'));
    FOR i IN 0 .. month_count - 1 LOOP
        month_start := (make_date(extract(year FROM first_month)::integer, extract(month FROM first_month)::integer, 1)
                        + make_interval(months => i))::date;
        lower_bound := month_start::timestamp AT TIME ZONE 'UTC';
        upper_bound := (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        partition_name := 'query_log_' || to_char(month_start, 'YYYY_MM');
        IF to_regclass(format('%I.%I', home, partition_name)) IS NULL THEN
            -- Rows of this month that arrived before it had a partition wait in the default partition; the new
            -- partition can only be attached once they have moved into it.
            EXECUTE format('CREATE TABLE %I.%I (LIKE %I.query_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                           home, partition_name, home);
            EXECUTE format('INSERT INTO %I.%I SELECT * FROM %I.query_log_default'
                           ' WHERE started_at >= %L AND started_at < %L',
                           home, partition_name, home, lower_bound, upper_bound);
            EXECUTE format('DELETE FROM %I.query_log_default WHERE started_at >= %L AND started_at < %L',
                           home, lower_bound, upper_bound);
            EXECUTE format('ALTER TABLE %I.query_log ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                           home, home, partition_name, lower_bound, upper_bound);
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;

-- The current month and the three after it; the gateway keeps the window rolling from here.
SELECT query_log_ensure_partitions((now() AT TIME ZONE 'UTC')::date, 4);
