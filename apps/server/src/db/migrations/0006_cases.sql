-- Cases (随手拍 / 报事): a district's category catalogue, the cases, every step as an event row,
-- and what each step earned in points. The workflow itself lives in modules/cases/case-workflow.ts;
-- the database keeps the states to the known set and history append-only.

create table case_categories (
  id             uuid primary key default gen_random_uuid(),
  -- The district whose catalogue this is (editable per district).
  region_id      text collate "C" not null references regions (id),
  parent_id      uuid references case_categories (id),
  -- Stable key for integrations (Open311 service_code).
  code           text not null check (code ~ '^[a-z][a-z0-9_.-]{1,39}$'),
  name           text not null,
  department_id  uuid references departments (id),
  -- Minutes per step: {"dispatch","acknowledge","handle","verify"}; the urgent variant for urgent cases.
  limits         jsonb not null,
  urgent_limits  jsonb not null,
  working_hours  boolean not null default false,
  status         text not null default 'active' check (status in ('active', 'inactive')),
  sort           integer not null default 0,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  unique (region_id, code),
  check (parent_id is null or parent_id <> id)
);
create index case_categories_region on case_categories (region_id, parent_id);

create table cases (
  id                  uuid primary key default gen_random_uuid(),
  -- The community the position lies in (else the reporter's): the tenant and scope key.
  region_id           text collate "C" not null references regions (id),
  reporter_id         uuid not null references users (id),
  category_id         uuid not null references case_categories (id),
  description         text not null default '',
  lat                 double precision not null check (lat between -90 and 90),
  lng                 double precision not null check (lng between -180 and 180),
  address             text,
  photo_ids           uuid[] not null default '{}',
  urgent              boolean not null default false,
  status              text not null check (status in ('submitted', 'accepted', 'rejected', 'dispatched', 'acknowledged', 'handling',
                        'extended', 'deferred', 'handled', 'verifying', 'closed', 'rated', 'archived')),
  department_id       uuid references departments (id),
  -- Dispatched to a grid instead of a department: its grid staff handle it.
  grid_id             text collate "C" references regions (id),
  assignee_id         uuid references users (id),
  -- The current step's deadline (null while no clock runs), when that step began, and the handling deadline.
  due_at              timestamptz,
  step_started_at     timestamptz not null default now(),
  handle_due_at       timestamptz,
  requested_due_at    timestamptz,
  escalation_level    smallint not null default 0 check (escalation_level between 0 and 2),
  overdue_at          timestamptz,
  duplicate_of        uuid references cases (id),
  -- The reporter's Idempotency-Key and a hash of what was sent with it.
  client_key          text,
  request_hash        text,
  result              text check (result in ('resolved', 'partly_resolved', 'unresolved', 'referred')),
  outcome             text,
  rating              smallint check (rating between 1 and 5),
  rating_comment      text,
  rework_count        integer not null default 0,
  extension_count     integer not null default 0,
  reopen_count        integer not null default 0,
  first_dispatched_at timestamptz,
  handled_at          timestamptz,
  closed_at           timestamptz,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  unique (reporter_id, client_key),
  check (duplicate_of is null or duplicate_of <> id)
);
-- Workbench: a region subtree (LIKE 'code%' on C collation) by status, newest first.
create index cases_workbench on cases (status, region_id, created_at desc);
-- My queue: a department's or a person's cases by status.
create index cases_department_queue on cases (department_id, status, due_at) where department_id is not null;
create index cases_assignee_queue on cases (assignee_id, status) where assignee_id is not null;
-- The overdue scan only ever looks at running clocks.
create index cases_due on cases (due_at) where due_at is not null;
create index cases_reporter on cases (reporter_id, created_at desc);
create index cases_closed on cases (closed_at) where closed_at is not null;
-- Duplicate hint: nearby cases through the same KNN/box GiST index the stations use.
create index cases_earth on cases using gist (ll_to_earth(lat, lng));

create table case_events (
  id          bigint generated always as identity primary key,
  case_id     uuid not null references cases (id),
  region_id   text collate "C" not null references regions (id),
  action      text not null,
  from_status text,
  to_status   text not null,
  -- Null for the system (the time-limit job).
  actor_id    uuid references users (id),
  note        text,
  -- Notes between staff: never shown to the reporter.
  internal    boolean not null default false,
  photo_ids   uuid[] not null default '{}',
  detail      jsonb not null default '{}',
  created_at  timestamptz not null default now()
);
create index case_events_case on case_events (case_id, id);
create trigger case_events_append_only before update or delete on case_events
  for each row execute function forbid_change();

-- What each step earned (立案, 结案): one row per case and step, awarded or skipped with the reason.
create table case_awards (
  case_id     uuid not null references cases (id),
  step        text not null check (step in ('accepted', 'closed')),
  region_id   text collate "C" not null references regions (id),
  worker_id   uuid not null references users (id),
  status      text not null check (status in ('awarded', 'skipped')),
  rule_id     uuid references points_rules (id),
  transfer_id uuid,
  amount      integer not null default 0,
  -- Why nothing was awarded: NO_RULE, RULE_INACTIVE, CAP_REACHED, EARNING_SUSPENDED …
  reason      text,
  created_at  timestamptz not null default now(),
  primary key (case_id, step)
);
