-- Counters for rate limits and login lockout, shared by every server process: one row per bucket
-- (e.g. 'report:user:<id>') and fixed time window, bumped with one upsert.
create table rate_counters (
  bucket       text not null,
  window_start timestamptz not null,
  hits         integer not null,
  primary key (bucket, window_start)
);
create index rate_counters_age on rate_counters (window_start);
