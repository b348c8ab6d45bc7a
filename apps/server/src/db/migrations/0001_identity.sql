-- Foundation: region tree, organisations, people, sessions, audit log, and the geo extensions.
-- Region ids are hierarchical codes (district 6 digits, +3 per level) in C collation, so
-- "inside a region" is `region_id LIKE '<code>%'` and uses a plain btree index.

create extension if not exists cube;
create extension if not exists earthdistance;

create table regions (
  id         text collate "C" primary key check (id ~ '^[0-9]{6}([0-9]{3}){0,3}$'),
  parent_id  text collate "C" references regions (id),
  level      text not null check (level in ('district', 'street', 'community', 'grid')),
  name       text not null,
  created_at timestamptz not null default now(),
  check ((parent_id is null) = (level = 'district'))
);
create index regions_parent on regions (parent_id);

create table departments (
  id         uuid primary key default gen_random_uuid(),
  region_id  text collate "C" not null references regions (id),
  name       text not null,
  kind       text not null,
  created_at timestamptz not null default now(),
  unique (region_id, name)
);

create table partners (
  id            uuid primary key default gen_random_uuid(),
  region_id     text collate "C" not null references regions (id),
  name          text not null,
  kind          text not null,
  status        text not null default 'applied' check (status in ('applied', 'certified', 'suspended')),
  address       text,
  lat           double precision check (lat between -90 and 90),
  lng           double precision check (lng between -180 and 180),
  contact_name  text,
  contact_phone text,
  created_at    timestamptz not null default now(),
  unique (region_id, name)
);
create index partners_region on partners (region_id);

create table stations (
  id           uuid primary key default gen_random_uuid(),
  region_id    text collate "C" not null references regions (id),
  name         text not null,
  type         text not null,
  status       text not null default 'planned' check (status in ('planned', 'built', 'accepted', 'suspended', 'closed')),
  address      text not null,
  lat          double precision not null check (lat between -90 and 90),
  lng          double precision not null check (lng between -180 and 180),
  amenities    text[] not null default '{}',
  services     text[] not null default '{}',
  open_hours   text not null default '',
  keeper_name  text,
  keeper_phone text,
  created_at   timestamptz not null default now(),
  unique (region_id, name)
);
create index stations_region on stations (region_id);
-- Nearest-k as a KNN index scan (see DESIGN.md, Stack).
create index stations_earth on stations using gist (ll_to_earth(lat, lng));

create table rewards (
  id               uuid primary key default gen_random_uuid(),
  region_id        text collate "C" not null references regions (id),
  partner_id       uuid not null references partners (id),
  name             text not null,
  description      text not null default '',
  points_price     integer not null check (points_price > 0),
  stock            integer not null check (stock >= 0),
  per_person_limit integer not null default 1 check (per_person_limit > 0),
  status           text not null default 'draft' check (status in ('draft', 'published', 'withdrawn')),
  created_at       timestamptz not null default now(),
  unique (partner_id, name)
);

create table users (
  id            uuid primary key default gen_random_uuid(),
  -- Staff: the region they act in. Workers: their home community once registered.
  region_id     text collate "C" not null references regions (id),
  role          text not null check (role in ('worker', 'grid_staff', 'community_admin', 'street_admin',
                  'district_admin', 'department_handler', 'partner_staff', 'station_keeper')),
  phone         text unique check (phone ~ '^1[3-9][0-9]{9}$'),
  username      text unique check (username ~ '^[a-z0-9_.-]{3,32}$'),
  password_hash text,
  name          text,
  status        text not null default 'active' check (status in ('active', 'disabled')),
  department_id uuid references departments (id),
  partner_id    uuid references partners (id),
  station_id    uuid references stations (id),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  check (phone is not null or username is not null),
  check (role <> 'department_handler' or department_id is not null),
  check (role <> 'partner_staff' or partner_id is not null),
  check (role <> 'station_keeper' or station_id is not null)
);
create index users_region_role on users (region_id, role);

create table worker_profiles (
  user_id          uuid primary key references users (id),
  region_id        text collate "C" not null references regions (id),
  occupation       text not null check (occupation in ('rider', 'courier', 'driver', 'trucker', 'outdoor', 'other')),
  platform_company text,
  vehicle          text,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);

-- One-time login codes. No region: the phone may have no account yet.
create table sms_codes (
  id          bigint generated always as identity primary key,
  phone       text not null,
  ip          text not null,
  code_hash   text not null,
  expires_at  timestamptz not null,
  attempts    integer not null default 0,
  consumed_at timestamptz,
  created_at  timestamptz not null default now()
);
create index sms_codes_phone on sms_codes (phone, created_at desc);
create index sms_codes_ip on sms_codes (ip, created_at desc);

create table sessions (
  id         uuid primary key default gen_random_uuid(),
  region_id  text collate "C" not null references regions (id),
  user_id    uuid not null references users (id),
  token_hash text not null unique,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  ip         text,
  user_agent text,
  created_at timestamptz not null default now()
);
create index sessions_user on sessions (user_id) where revoked_at is null;

create table audit_log (
  id         bigint generated always as identity primary key,
  region_id  text collate "C" not null references regions (id),
  actor_id   uuid references users (id),
  action     text not null,
  entity     text not null,
  entity_id  text,
  detail     jsonb not null default '{}',
  ip         text,
  request_id text,
  created_at timestamptz not null default now()
);
create index audit_log_region on audit_log (region_id, id desc);

-- The audit log is append-only: nobody, not even the application, edits history.
create function forbid_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name using errcode = 'insufficient_privilege';
end $$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function forbid_change();
