-- What an API key may see and how fast it may ask: the spanning configs it may search (empty: all of them), and its
-- own rate limits (null: the gateway's default, spanner.api-keys.default-queries-per-second / -in-flight; 0: none).
ALTER TABLE api_key
    ADD COLUMN allowed_config_ids bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN queries_per_second integer CHECK (queries_per_second >= 0),
    ADD COLUMN queries_in_flight  integer CHECK (queries_in_flight >= 0);
