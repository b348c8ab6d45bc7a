-- Partners (暖新商家/医院/物业/学院/爱心企业): application → review → certification (授牌) with a
-- number and a validity → suspension, renewal, expiry. Extends the partners table of 0001 (rewards and
-- partner staff point at it); adds its history, donations of resources, and friendly-street pledges.

alter table partners drop constraint if exists partners_status_check;
alter table partners add constraint partners_status_check
  check (status in ('applied', 'certified', 'rejected', 'suspended', 'expired'));

alter table partners
  add column description       text not null default '',
  add column hours             text not null default '',
  -- [{type, text, schedule}], type in discount | off_peak_lane | night_window | booking | free_service
  add column benefits          jsonb not null default '[]',
  add column certificate_no    text unique,
  add column certified_at      timestamptz,
  -- Last day (China time) the certification holds.
  add column valid_until       date,
  add column reviewed_by       uuid references users (id),
  add column reviewed_at       timestamptz,
  add column rejection_reason  text,
  add column suspension_reason text,
  -- When partner staff were told that the certification runs out soon (once per validity).
  add column expiry_notified_at timestamptz,
  add column updated_at        timestamptz not null default now();

-- The kind was a Chinese label; it is a code now (the apps translate it).
update partners set kind = case kind
  when '暖新商家' then 'merchant' when '医院' then 'hospital' when '物业小站' then 'property' when '物业' then 'property'
  when '学院' then 'academy' when '爱心企业' then 'enterprise' else kind end;
-- Partners seeded before certification had a number: give them one and a year's validity.
update partners set certified_at = created_at, valid_until = (now() at time zone 'Asia/Shanghai')::date + 365,
  certificate_no = 'NX-' || left(region_id, 6) || '-' || upper(left(replace(id::text, '-', ''), 8))
  where status = 'certified' and certificate_no is null;

-- "Partners joined" per region and period (dashboard), the review queue, the directory's nearest-k.
create index partners_region_status on partners (region_id, status);
create index partners_certified_at on partners (certified_at) where certified_at is not null;
create index partners_valid_until on partners (valid_until) where status = 'certified';
create index partners_earth on partners using gist (ll_to_earth(lat, lng)) where status = 'certified';

create table partner_events (
  id          uuid primary key default gen_random_uuid(),
  region_id   text collate "C" not null references regions (id),
  partner_id  uuid not null references partners (id),
  from_status text,
  to_status   text not null,
  reason      text not null default '',
  actor_id    uuid references users (id),
  created_at  timestamptz not null default now()
);
create index partner_events_partner on partner_events (partner_id, created_at);

create table partner_donations (
  id          uuid primary key default gen_random_uuid(),
  -- The receiving community: the tenant key, and what "per region" counts by.
  region_id   text collate "C" not null references regions (id),
  partner_id  uuid not null references partners (id),
  item        text not null,
  quantity    integer not null check (quantity > 0),
  unit        text not null default '件',
  recipient   text not null default '',
  donated_on  date not null,
  note        text not null default '',
  photo_ids   uuid[] not null default '{}',
  recorded_by uuid references users (id),
  created_at  timestamptz not null default now()
);
create index partner_donations_region on partner_donations (region_id, donated_on);
create index partner_donations_partner on partner_donations (partner_id, donated_on);

-- 三方公约: one text per community and version; editing publishes the next version.
create table pledges (
  id           uuid primary key default gen_random_uuid(),
  region_id    text collate "C" not null references regions (id),
  version      integer not null check (version > 0),
  title        text not null,
  body         text not null,
  published_by uuid references users (id),
  created_at   timestamptz not null default now(),
  unique (region_id, version)
);

create table pledge_signatures (
  id          uuid primary key default gen_random_uuid(),
  pledge_id   uuid not null references pledges (id),
  region_id   text collate "C" not null references regions (id),
  kind        text not null check (kind in ('community', 'property', 'worker')),
  -- Who signs once per version: 'community:<region>', 'partner:<id>' or 'worker:<user id>'.
  signer_key  text not null,
  user_id     uuid references users (id),
  partner_id  uuid references partners (id),
  -- The organisation's name, or the worker's masked nickname, as shown publicly.
  display_name text not null,
  created_at  timestamptz not null default now(),
  unique (pledge_id, signer_key)
);
create index pledge_signatures_pledge on pledge_signatures (pledge_id, kind, created_at);
create index pledge_signatures_user on pledge_signatures (user_id) where user_id is not null;
