-- Honors (金牌先锋 selection rounds: nomination by staff, one vote per worker per round, publication)
-- and stories (动人故事 / 随手记 written by staff). Every row carries a region as tenant key.

create table honor_rounds (
  id                   uuid primary key default gen_random_uuid(),
  -- A street or a district: its workers may be nominated and may vote.
  region_id            text collate "C" not null references regions (id),
  title                text not null check (length(title) between 2 and 60),
  description          text not null default '' check (length(description) <= 500),
  period_kind          text not null check (period_kind in ('year', 'quarter')),
  year                 integer not null check (year between 2020 and 2100),
  quarter              smallint check (quarter between 1 and 4),
  honorees             integer not null check (honorees between 1 and 50),
  nomination_starts_at timestamptz not null,
  nomination_ends_at   timestamptz not null,
  voting_starts_at     timestamptz not null,
  voting_ends_at       timestamptz not null,
  status               text not null default 'draft' check (status in ('draft', 'nominating', 'voting', 'closed', 'published', 'cancelled')),
  created_by           uuid not null references users (id),
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  published_at         timestamptz,
  check ((period_kind = 'quarter') = (quarter is not null)),
  check (nomination_starts_at < nomination_ends_at and nomination_ends_at <= voting_starts_at and voting_starts_at < voting_ends_at)
);
create index honor_rounds_region on honor_rounds (region_id, created_at desc);
create index honor_rounds_status on honor_rounds (status, published_at desc);

create table honor_nominees (
  id           uuid primary key default gen_random_uuid(),
  round_id     uuid not null references honor_rounds (id),
  -- The worker's home community when nominated.
  region_id    text collate "C" not null references regions (id),
  worker_id    uuid not null references users (id),
  reason       text not null check (length(reason) between 4 and 500),
  photo_ids    uuid[] not null default '{}',
  -- Kept in the vote's transaction (the row lock orders concurrent votes); equals the count of its votes.
  votes        integer not null default 0 check (votes >= 0),
  status       text not null default 'active' check (status in ('active', 'withdrawn')),
  honored      boolean not null default false,
  rank         integer check (rank >= 1),
  -- Points the honor earned (0: no rule, or the ledger refused: see award_refusal).
  points       integer not null default 0,
  award_refusal text,
  nominated_by uuid not null references users (id),
  created_at   timestamptz not null default now(),
  unique (round_id, worker_id)
);
create index honor_nominees_round on honor_nominees (round_id, votes desc);

-- One vote per worker per round: the primary key refuses a second one, whatever the concurrency.
create table honor_votes (
  round_id   uuid not null references honor_rounds (id),
  voter_id   uuid not null references users (id),
  nominee_id uuid not null references honor_nominees (id),
  -- The voter's home community.
  region_id  text collate "C" not null references regions (id),
  created_at timestamptz not null default now(),
  primary key (round_id, voter_id)
);
create index honor_votes_nominee on honor_votes (nominee_id);

create table stories (
  id           uuid primary key default gen_random_uuid(),
  region_id    text collate "C" not null references regions (id),
  kind         text not null default 'story' check (kind in ('story', 'moment')),
  title        text not null check (length(title) between 2 and 60),
  body         text not null check (length(body) between 1 and 5000),
  cover_id     uuid,
  photo_ids    uuid[] not null default '{}',
  -- Shown (masked) only because the worker agreed: a linked worker without consent is refused.
  worker_id    uuid references users (id),
  consented    boolean not null default false,
  status       text not null default 'draft' check (status in ('draft', 'published', 'withdrawn')),
  views        integer not null default 0 check (views >= 0),
  published_at timestamptz,
  created_by   uuid not null references users (id),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  check (worker_id is null or consented)
);
create index stories_region on stories (region_id, created_at desc);
create index stories_published on stories (status, published_at desc);
