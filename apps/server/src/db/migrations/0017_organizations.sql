-- Organizations (党建与队伍): mobile-party-member branches, volunteer teams and pioneer posts, the
-- staff who lead or guide them, their members (亮明身份 with verification), and part-time grid
-- members (兼职网格员) appointed to grids with a certificate.

create table organizations (
  id          uuid primary key default gen_random_uuid(),
  -- A street or a community; staff manage it within their subtree.
  region_id   text collate "C" not null references regions (id),
  kind        text not null check (kind in ('party_branch', 'volunteer_team', 'pioneer_post')),
  name        text not null,
  description text not null default '',
  -- A pioneer post (先锋岗) may stand at a station.
  station_id  uuid references stations (id),
  status      text not null default 'active' check (status in ('active', 'dissolved')),
  created_by  uuid not null references users (id),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  unique (region_id, kind, name)
);
create index organizations_region on organizations (region_id, kind);

-- Staff designations on an organization: its leader (支部书记, 队长, 岗长) and party guides (党建指导员).
create table organization_staff (
  organization_id uuid not null references organizations (id),
  user_id         uuid not null references users (id),
  region_id       text collate "C" not null references regions (id),
  role            text not null check (role in ('leader', 'guide')),
  created_at      timestamptz not null default now(),
  primary key (organization_id, user_id, role)
);
create index organization_staff_user on organization_staff (user_id);

create table organization_members (
  id              uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id),
  -- The organization's region: the scope staff act over.
  region_id       text collate "C" not null references regions (id),
  kind            text not null check (kind in ('party_branch', 'volunteer_team', 'pioneer_post')),
  user_id         uuid not null references users (id),
  status          text not null check (status in ('pending', 'verified', 'rejected', 'left', 'revoked')),
  -- Party branches only: 正式党员, 预备党员, 入党积极分子.
  party_status    text check (party_status in ('formal', 'probationary', 'activist')),
  joined_on       date,
  photo_ids       uuid[] not null default '{}',
  note            text not null default '',
  reason          text,
  added_by        uuid references users (id),
  decided_by      uuid references users (id),
  decided_at      timestamptz,
  verified_at     timestamptz,
  ended_at        timestamptz,
  client_key      text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  check ((kind = 'party_branch') = (party_status is not null))
);
-- One open membership per person and organization, and one party branch per person at a time.
create unique index organization_members_open on organization_members (organization_id, user_id) where status in ('pending', 'verified');
create unique index organization_members_one_branch on organization_members (user_id) where kind = 'party_branch' and status in ('pending', 'verified');
create index organization_members_org on organization_members (organization_id, status);
create index organization_members_region on organization_members (region_id, status, kind);
create index organization_members_user on organization_members (user_id);

create table grid_members (
  id             uuid primary key default gen_random_uuid(),
  -- The applicant's community until appointed, then the grid (15 characters under it).
  region_id      text collate "C" not null references regions (id),
  community_id   text collate "C" not null references regions (id),
  user_id        uuid not null references users (id),
  status         text not null check (status in ('applied', 'appointed', 'rejected', 'withdrawn', 'dismissed')),
  note           text not null default '',
  grid_id        text collate "C" references regions (id),
  certificate_no text unique,
  appointed_on   date,
  term_ends_on   date,
  appointed_at   timestamptz,
  reason         text,
  decided_by     uuid references users (id),
  decided_at     timestamptz,
  ended_at       timestamptz,
  client_key     text,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  check (status <> 'appointed' or (grid_id is not null and certificate_no is not null and appointed_on is not null and term_ends_on is not null and appointed_at is not null)),
  check (term_ends_on is null or term_ends_on > appointed_on)
);
-- One open application or appointment per person.
create unique index grid_members_open on grid_members (user_id) where status in ('applied', 'appointed');
create index grid_members_region on grid_members (region_id, appointed_at);
create index grid_members_status on grid_members (community_id, status, created_at desc);
