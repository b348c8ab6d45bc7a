-- Street guide layers (停车难, 充电难, 进门难, 找路难) and the rider pass (通行码).
-- Guide places: riders contribute, staff verify; only verified ones are on everyone's map.

create table guide_places (
  id            uuid primary key default gen_random_uuid(),
  region_id     text collate "C" not null references regions (id),
  kind          text not null check (kind in ('parking', 'charging', 'gate', 'compound')),
  state         text not null default 'pending' check (state in ('pending', 'verified', 'rejected')),
  name          text not null,
  notes         text not null default '',
  lat           double precision not null check (lat between -90 and 90),
  lng           double precision not null check (lng between -180 and 180),
  -- gate: {rules, opensAt, closesAt}; compound: {entrances, buildings[units], garageRoute}.
  gate          jsonb check (gate is null or kind = 'gate'),
  compound      jsonb check (compound is null or kind = 'compound'),
  photo_ids     uuid[] not null default '{}',
  author_id     uuid references users (id),
  client_key    text,
  reject_reason text,
  reviewed_by   uuid references users (id),
  reviewed_at   timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  check ((state = 'rejected') = (reject_reason is not null)),
  unique (author_id, client_key)
);
-- The map: nearest verified places as a KNN scan (same as stations; no PostGIS).
create index guide_places_earth on guide_places using gist (ll_to_earth(lat, lng)) where state = 'verified';
create index guide_places_queue on guide_places (region_id, state, created_at desc);
create index guide_places_author on guide_places (author_id, created_at desc);

-- Identity verification (核验身份) by grid staff or community admins: what makes a rider pass valid.
alter table worker_profiles add column identity_verified_at timestamptz;
alter table worker_profiles add column identity_verified_by uuid references users (id);

create table rider_passes (
  worker_id        uuid primary key references users (id),
  region_id        text collate "C" not null references regions (id),
  pass_no          text not null unique check (pass_no ~ '^[2-9A-HJKMNP-Z]{8}$'),
  -- HMAC key of the rotating code (hex); never leaves the server.
  secret           text not null,
  photo_id         uuid,
  delivery_station text,
  revoked_at       timestamptz,
  revoked_by       uuid references users (id),
  revoked_reason   text,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index rider_passes_region on rider_passes (region_id);

-- Every scan, accepted or not: who scanned, when, which pass, what came of it.
create table rider_pass_scans (
  id                bigint generated always as identity primary key,
  region_id         text collate "C" not null references regions (id),
  guard_id          uuid not null references users (id),
  worker_id         uuid references users (id),
  pass_no           text,
  code_step         bigint,
  result            text not null check (result in ('ok', 'forged', 'expired', 'replayed', 'revoked', 'unverified')),
  compound_place_id uuid references guide_places (id),
  scanned_at        timestamptz not null default now()
);
create index rider_pass_scans_region on rider_pass_scans (region_id, id desc);
create index rider_pass_scans_guard on rider_pass_scans (guard_id, id desc);
create index rider_pass_scans_worker on rider_pass_scans (worker_id, id desc) where result = 'ok';
-- One accepted scan per guard, pass and code step: the same code shown twice to one guard is a replay.
create unique index rider_pass_scans_once on rider_pass_scans (guard_id, worker_id, code_step) where result = 'ok';
