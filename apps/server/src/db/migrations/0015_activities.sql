-- Activities (活动): care visits, volunteer service, training, health days. Workers sign up (with a
-- waitlist), check in and out by QR; staff confirm hours and the activity's points rule pays once
-- per sign-up. Every row carries the activity's region as tenant key.

create table activities (
  id             uuid primary key default gen_random_uuid(),
  region_id      text collate "C" not null references regions (id),
  kind           text not null check (kind in ('care_visit', 'volunteer', 'training', 'health_day')),
  title          text not null check (length(title) between 1 and 60),
  description    text not null default '' check (length(description) <= 2000),
  -- The place: a station, or an address with its WGS-84 position.
  station_id     uuid references stations (id),
  address        text not null default '' check (length(address) <= 200),
  lat            double precision check (lat between -90 and 90),
  lng            double precision check (lng between -180 and 180),
  starts_at      timestamptz not null,
  ends_at        timestamptz not null,
  capacity       integer not null check (capacity between 1 and 10000),
  -- Seats taken by enrolled sign-ups, moved only under the activity's row lock.
  enrolled       integer not null default 0 check (enrolled >= 0),
  audience       text not null default 'all' check (audience in ('all', 'occupations')),
  occupations    text[] not null default '{}',
  points_rule_id uuid references points_rules (id),
  status         text not null default 'draft' check (status in ('draft', 'published', 'finished', 'cancelled')),
  -- The secret behind the rotating check-in code; never sent to any client.
  checkin_secret text not null check (checkin_secret ~ '^[0-9a-f]{64}$'),
  reminded_at    timestamptz,
  created_by     uuid not null references users (id),
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  check (ends_at > starts_at),
  check (station_id is not null or (lat is not null and lng is not null and address <> ''))
);
create index activities_region_starts on activities (region_id, starts_at);
create index activities_starts on activities (starts_at) where status = 'published';

create table activity_signups (
  id           uuid primary key default gen_random_uuid(),
  region_id    text collate "C" not null references regions (id),
  activity_id  uuid not null references activities (id),
  worker_id    uuid not null references users (id),
  status       text not null check (status in ('enrolled', 'waitlisted', 'cancelled')),
  -- Waitlist order: the earliest queued_at gets the next seat.
  queued_at    timestamptz not null default now(),
  -- The secret in the worker's personal QR (the organiser scans it).
  pass_token   text not null check (pass_token ~ '^[A-Za-z0-9_-]{16,64}$'),
  cancelled_at timestamptz,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  unique (activity_id, worker_id)
);
create index activity_signups_queue on activity_signups (activity_id, status, queued_at);
create index activity_signups_worker on activity_signups (worker_id, created_at desc);

-- One row per sign-up that came: check-in and check-out times, the hours and their confirmation.
-- Indexed by region and check-in time so the dashboard can count people covered per period.
create table activity_attendance (
  signup_id       uuid primary key references activity_signups (id),
  region_id       text collate "C" not null references regions (id),
  activity_id     uuid not null references activities (id),
  worker_id       uuid not null references users (id),
  checked_in_at   timestamptz,
  checked_in_by   text check (checked_in_by in ('worker', 'staff', 'confirm')),
  checked_out_at  timestamptz,
  checked_out_by  text check (checked_out_by in ('worker', 'staff')),
  -- Volunteer minutes: computed at check-out, adjustable by staff when confirming.
  minutes         integer check (minutes between 0 and 1440),
  attended        boolean not null default true,
  confirmed_at    timestamptz,
  confirmed_by    uuid references users (id),
  updated_at      timestamptz not null default now(),
  check (checked_out_at is null or checked_in_at is not null)
);
create index activity_attendance_region_checkin on activity_attendance (region_id, checked_in_at);
create index activity_attendance_activity on activity_attendance (activity_id);
create index activity_attendance_worker on activity_attendance (worker_id, checked_in_at);
