-- Points (积分) and rewards (积分兑换): a double-entry ledger (DESIGN.md, "Data rules: Ledger").
--
-- Accounts: one per worker (user id), and system accounts: the issuer of a street or district
-- (points are created there: its balance goes negative), the escrow of a district (held points),
-- the expiry sink of a district, and one per partner (points spent there).
-- Only worker accounts keep a stored balance: it must never go below zero, even under concurrent
-- redemptions, so it is updated in place under its row lock. System balances are the sum of their
-- entries; keeping them stored would make every earning in a street wait on one row.

create table points_rules (
  id            uuid primary key default gen_random_uuid(),
  region_id     text collate "C" not null references regions (id),
  category      text not null check (category in ('volunteer', 'civility', 'activity', 'report', 'patrol', 'publicity', 'care', 'honor')),
  name          text not null,
  description   text not null default '',
  kind          text not null default 'earn' check (kind in ('earn', 'deduct')),
  points        integer not null check (points > 0),
  daily_cap     integer check (daily_cap > 0),
  monthly_cap   integer check (monthly_cap > 0),
  needs_approval boolean not null default false,
  claimable     boolean not null default false,
  suspend_after integer check (suspend_after > 0),
  valid_from    date,
  valid_to      date,
  status        text not null default 'active' check (status in ('active', 'inactive')),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  unique (region_id, name),
  check (valid_to is null or valid_from is null or valid_to >= valid_from)
);

create table points_settings (
  region_id       text collate "C" primary key references regions (id),
  redemption_days integer[] not null default '{}',
  expiry_years    integer not null default 1 check (expiry_years between 1 and 10),
  updated_at      timestamptz not null default now()
);

create table points_accounts (
  id         uuid primary key default gen_random_uuid(),
  region_id  text collate "C" not null references regions (id),
  kind       text not null check (kind in ('worker', 'issuer', 'escrow', 'expiry', 'partner')),
  owner_id   text not null,
  -- Stored for worker accounts only (see above); stays 0 on system accounts.
  balance    bigint not null default 0,
  public     boolean not null default true,
  earning_suspended_until timestamptz,
  created_at timestamptz not null default now(),
  unique (kind, owner_id),
  check (balance >= 0),
  check (kind = 'worker' or balance = 0)
);

create table points_transfers (
  id           uuid primary key default gen_random_uuid(),
  region_id    text collate "C" not null references regions (id),
  -- Client- or source-derived: a retry finds the first transfer instead of making a second.
  key          text not null unique,
  request_hash text not null,
  kind         text not null check (kind in ('earn', 'deduct', 'hold', 'post', 'void', 'expire', 'reverse')),
  from_account uuid not null references points_accounts (id),
  to_account   uuid not null references points_accounts (id),
  amount       bigint not null check (amount > 0),
  reason       text not null,
  rule_id      uuid references points_rules (id),
  source_type  text,
  source_id    text,
  reverses_id  uuid unique references points_transfers (id),
  actor_id     uuid references users (id),
  created_at   timestamptz not null default now(),
  check (from_account <> to_account)
);
-- One source (a case step, an attendance, a claim) awards or deducts at most once.
create unique index points_transfers_one_per_source on points_transfers (source_type, source_id) where kind in ('earn', 'deduct');
create index points_transfers_caps on points_transfers (to_account, rule_id, created_at) where kind = 'earn';
create index points_transfers_region on points_transfers (region_id, created_at);

create table points_entries (
  id            bigint generated always as identity primary key,
  transfer_id   uuid not null references points_transfers (id),
  account_id    uuid not null references points_accounts (id),
  amount        bigint not null check (amount <> 0),
  -- Known for worker accounts (stored balance); null for system accounts.
  balance_after bigint,
  created_at    timestamptz not null default now()
);
create index points_entries_account on points_entries (account_id, id desc);
create index points_entries_transfer on points_entries (transfer_id);

create trigger points_transfers_append_only before update or delete on points_transfers
  for each row execute function forbid_change();
create trigger points_entries_append_only before update or delete on points_entries
  for each row execute function forbid_change();

-- What is left of each earning and when it expires; spending takes the earliest-expiring first.
create table points_lots (
  id          uuid primary key default gen_random_uuid(),
  account_id  uuid not null references points_accounts (id),
  transfer_id uuid not null references points_transfers (id),
  amount      bigint not null check (amount > 0),
  remaining   bigint not null check (remaining >= 0 and remaining <= amount),
  expires_at  timestamptz not null,
  created_at  timestamptz not null default now()
);
create index points_lots_open on points_lots (account_id, expires_at, id) where remaining > 0;
create index points_lots_due on points_lots (expires_at) where remaining > 0;

-- Which lots a spending transfer took from, so a voided hold gives back the same points.
create table points_lot_uses (
  transfer_id uuid not null references points_transfers (id),
  lot_id      uuid not null references points_lots (id),
  amount      bigint not null check (amount > 0),
  primary key (transfer_id, lot_id)
);

-- Two-phase redemption: pending (worker → escrow) → posted (escrow → partner) | voided (escrow → worker).
create table points_holds (
  id                  uuid primary key default gen_random_uuid(),
  region_id           text collate "C" not null references regions (id),
  account_id          uuid not null references points_accounts (id),
  amount              bigint not null check (amount > 0),
  hold_transfer_id    uuid not null unique references points_transfers (id),
  status              text not null default 'pending' check (status in ('pending', 'posted', 'voided')),
  expires_at          timestamptz not null,
  settled_transfer_id uuid references points_transfers (id),
  created_at          timestamptz not null default now()
);
create index points_holds_due on points_holds (expires_at) where status = 'pending';

-- Deductions counted for the suspension threshold, even when the balance was already empty.
create table points_deductions (
  id          bigint generated always as identity primary key,
  account_id  uuid not null references points_accounts (id),
  rule_id     uuid not null references points_rules (id),
  transfer_id uuid references points_transfers (id),
  created_at  timestamptz not null default now()
);
create index points_deductions_recent on points_deductions (account_id, rule_id, created_at);

create table points_claims (
  id          uuid primary key default gen_random_uuid(),
  region_id   text collate "C" not null references regions (id),
  worker_id   uuid not null references users (id),
  rule_id     uuid not null references points_rules (id),
  client_key  text not null,
  note        text not null,
  occurred_on date not null,
  status      text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  review_note text,
  reviewer_id uuid references users (id),
  reviewed_at timestamptz,
  transfer_id uuid references points_transfers (id),
  created_at  timestamptz not null default now(),
  unique (worker_id, client_key)
);
create index points_claims_region on points_claims (region_id, status, created_at desc);

-- Rewards: reviewed before publication; where they can be used; validity.
alter table rewards drop constraint rewards_status_check;
update rewards set status = 'pending' where status = 'draft';
alter table rewards alter column status set default 'pending';
alter table rewards add constraint rewards_status_check check (status in ('pending', 'published', 'rejected', 'withdrawn'));
alter table rewards add column kind text not null default 'service' check (kind in ('goods', 'service'));
alter table rewards add column valid_from date;
alter table rewards add column valid_to date;
alter table rewards add column places text not null default '';
alter table rewards add column updated_at timestamptz not null default now();

create table vouchers (
  id           uuid primary key default gen_random_uuid(),
  region_id    text collate "C" not null references regions (id),
  reward_id    uuid not null references rewards (id),
  partner_id   uuid not null references partners (id),
  worker_id    uuid not null references users (id),
  hold_id      uuid not null unique references points_holds (id),
  client_key   text not null,
  code         text not null unique check (code ~ '^[A-Z2-9]{8}$'),
  points       integer not null check (points > 0),
  status       text not null default 'held' check (status in ('held', 'fulfilled', 'cancelled', 'expired')),
  expires_at   timestamptz not null,
  fulfilled_at timestamptz,
  fulfilled_by uuid references users (id),
  created_at   timestamptz not null default now(),
  unique (worker_id, client_key)
);
create index vouchers_worker on vouchers (worker_id, created_at desc);
create index vouchers_limit on vouchers (reward_id, worker_id) where status in ('held', 'fulfilled');
create index vouchers_due on vouchers (expires_at) where status = 'held';
create index vouchers_settlement on vouchers (partner_id, fulfilled_at) where status = 'fulfilled';
