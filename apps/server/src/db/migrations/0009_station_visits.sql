-- What a worker does at a station: QR check-in (visits), ratings with feedback, and bookable
-- service sessions (义诊 on Thursdays …). Every row carries the station's region as tenant key.

-- The per-station secret behind the rotating check-in code (HMAC of station id and 30 s step).
-- Created on first display, in the server (crypto.randomBytes), never sent to any client.
create table station_checkin_secrets (
  station_id uuid primary key references stations (id),
  region_id  text collate "C" not null references regions (id),
  secret     text not null check (secret ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now()
);

create table station_visits (
  id          uuid primary key,
  region_id   text collate "C" not null references regions (id),
  station_id  uuid not null references stations (id),
  worker_id   uuid not null references users (id),
  visited_at  timestamptz not null,
  -- The 30 s step of the code that was shown, kept to trace a leaked code.
  code_step   bigint not null,
  client_key  text not null,
  created_at  timestamptz not null default now(),
  unique (worker_id, client_key)
);
create index station_visits_station on station_visits (station_id, visited_at desc);
create index station_visits_worker on station_visits (worker_id, visited_at desc);

-- One visit per worker per station per 2 hours: the latest visit of each pair moves forward only
-- through one upsert whose WHERE refuses a move within 2 hours, so concurrent scans serialise on
-- this row and exactly one of them becomes a visit (no read-then-write race).
create table station_visit_latest (
  worker_id  uuid not null references users (id),
  station_id uuid not null references stations (id),
  visit_id   uuid not null references station_visits (id) deferrable initially deferred,
  visited_at timestamptz not null,
  primary key (worker_id, station_id)
);

-- The dashboard's figure, kept in the visit's transaction: visits per station per China-time day,
-- and per hour of that day (index 1 = 00:00–00:59) for opening-hours compliance.
create table station_visit_daily (
  station_id uuid not null references stations (id),
  day        date not null,
  region_id  text collate "C" not null references regions (id),
  visits     integer not null default 0 check (visits >= 0),
  by_hour    integer[] not null default array_fill(0, array[24]) check (cardinality(by_hour) = 24),
  primary key (station_id, day)
);
create index station_visit_daily_region on station_visit_daily (region_id, day);

create table station_ratings (
  visit_id   uuid primary key references station_visits (id),
  region_id  text collate "C" not null references regions (id),
  station_id uuid not null references stations (id),
  worker_id  uuid not null references users (id),
  stars      smallint not null check (stars between 1 and 5),
  feedback   text not null default '' check (length(feedback) <= 500),
  created_at timestamptz not null default now()
);
create index station_ratings_station on station_ratings (station_id, created_at desc);

-- Average per station without scanning its ratings: nearby results show it for up to 50 stations.
create table station_rating_totals (
  station_id uuid primary key references stations (id),
  stars_sum  integer not null default 0,
  ratings    integer not null default 0 check (ratings >= 0)
);

-- A service offered at a station: once, or weekly on one weekday between two dates.
create table station_sessions (
  id          uuid primary key default gen_random_uuid(),
  region_id   text collate "C" not null references regions (id),
  station_id  uuid not null references stations (id),
  title       text not null check (length(title) between 1 and 60),
  service     text check (service in ('clinic', 'legal', 'counselling', 'employment', 'matchmaking', 'housing')),
  provider    text not null default '' check (length(provider) <= 60),
  description text not null default '' check (length(description) <= 500),
  capacity    integer not null check (capacity between 1 and 1000),
  recurrence  text not null check (recurrence in ('once', 'weekly')),
  -- 'once': the day; 'weekly': the first day (its weekday is the session's weekday).
  starts_on   date not null,
  -- 'weekly' only: the last day it may fall on (null: until cancelled).
  until_on    date check (until_on is null or until_on >= starts_on),
  start_time  text not null check (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  end_time    text not null check (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and end_time > start_time),
  status      text not null default 'active' check (status in ('active', 'cancelled')),
  created_by  uuid not null references users (id),
  created_at  timestamptz not null default now(),
  check (recurrence = 'weekly' or until_on is null)
);
create index station_sessions_station on station_sessions (station_id, status);

-- Seats taken per occurrence (a weekly session has one per date). Booking takes a seat with one
-- upsert whose WHERE refuses when full, so concurrent bookings never exceed the capacity.
create table station_session_seats (
  session_id uuid not null references station_sessions (id),
  occurs_on  date not null,
  booked     integer not null default 0 check (booked >= 0),
  primary key (session_id, occurs_on)
);

create table station_bookings (
  id          uuid primary key default gen_random_uuid(),
  region_id   text collate "C" not null references regions (id),
  station_id  uuid not null references stations (id),
  session_id  uuid not null references station_sessions (id),
  occurs_on   date not null,
  worker_id   uuid not null references users (id),
  client_key  text not null,
  status      text not null default 'booked' check (status in ('booked', 'cancelled')),
  attended    boolean,
  marked_by   uuid references users (id),
  marked_at   timestamptz,
  cancelled_at timestamptz,
  created_at  timestamptz not null default now(),
  unique (worker_id, client_key)
);
-- A worker holds at most one seat per occurrence.
create unique index station_bookings_one_seat on station_bookings (session_id, occurs_on, worker_id) where status = 'booked';
create index station_bookings_worker on station_bookings (worker_id, created_at desc);
