-- Micro-wishes (微心愿): per-street settings, the wishes, and every step as an event row.
-- The workflow lives in modules/wishes/wish-workflow.ts; the database keeps states to the known set.

-- Per street (or district, inherited below it): the value cap in whole yuan and how long a claim lasts.
create table wish_settings (
  region_id      text collate "C" primary key references regions (id),
  value_cap_yuan integer not null check (value_cap_yuan between 1 and 100000),
  claim_days     integer not null check (claim_days between 1 and 60),
  updated_at     timestamptz not null default now()
);

create table wishes (
  id                  uuid primary key default gen_random_uuid(),
  -- The wisher's home community: the tenant and scope key, and what the dashboard counts by.
  region_id           text collate "C" not null references regions (id),
  wisher_id           uuid not null references users (id),
  kind                text not null check (kind in ('item', 'service')),
  title               text not null,
  description         text not null default '',
  value_yuan          integer not null check (value_yuan > 0),
  photo_ids           uuid[] not null default '{}',
  status              text not null check (status in ('submitted', 'rejected', 'published', 'claimed', 'fulfilled', 'confirmed', 'cancelled')),
  review_note         text,
  published_at        timestamptz,
  -- Who took it on: a partner (any of its staff act for it), a person with an account, or a donor staff recorded.
  claimant_kind       text check (claimant_kind in ('partner', 'worker', 'offline')),
  claimant_user_id    uuid references users (id),
  claimant_partner_id uuid references partners (id),
  donor_name          text,
  claimed_at          timestamptz,
  claim_expires_at    timestamptz,
  -- The claimant was told the claim is about to expire (once per claim).
  expiry_warned_at    timestamptz,
  fulfilled_at        timestamptz,
  proof_note          text,
  proof_photo_ids     uuid[] not null default '{}',
  confirmed_at        timestamptz,
  thanks              text,
  thanks_public       boolean not null default false,
  -- The wisher's Idempotency-Key and a hash of what was sent with it.
  client_key          text,
  request_hash        text,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  unique (wisher_id, client_key),
  check ((status = 'claimed') = (claim_expires_at is not null)),
  check (claimant_kind is null or status in ('claimed', 'fulfilled', 'confirmed'))
);
-- Lists: a region subtree (LIKE 'code%' on C collation) by status, newest first.
create index wishes_region_status on wishes (status, region_id, created_at desc);
create index wishes_region_created on wishes (region_id, created_at desc);
create index wishes_wisher on wishes (wisher_id, created_at desc);
create index wishes_claimant_user on wishes (claimant_user_id, claimed_at desc) where claimant_user_id is not null;
create index wishes_claimant_partner on wishes (claimant_partner_id, claimed_at desc) where claimant_partner_id is not null;
-- The expiry job only ever looks at running claims.
create index wishes_claim_expiry on wishes (claim_expires_at) where claim_expires_at is not null;
-- "Wishes fulfilled / confirmed" per region and period (dashboard).
create index wishes_fulfilled on wishes (region_id, fulfilled_at) where fulfilled_at is not null;
create index wishes_confirmed on wishes (region_id, confirmed_at) where confirmed_at is not null;

create table wish_events (
  id          bigint generated always as identity primary key,
  wish_id     uuid not null references wishes (id),
  region_id   text collate "C" not null references regions (id),
  action      text not null,
  from_status text,
  to_status   text not null,
  -- Null for the system (the claim expiry job).
  actor_id    uuid references users (id),
  note        text,
  photo_ids   uuid[] not null default '{}',
  detail      jsonb not null default '{}',
  created_at  timestamptz not null default now()
);
create index wish_events_wish on wish_events (wish_id, id);
create trigger wish_events_append_only before update or delete on wish_events
  for each row execute function forbid_change();
