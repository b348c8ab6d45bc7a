-- Dashboard (domain 11): rollups of cases, points and workers per day × community × category or
-- department, so that a district's year is read from a few thousand rows instead of millions.
--
-- Kept current by triggers, in the same transaction as the change, rather than by a job:
-- * a figure is exact the moment the change commits (no lag, no watermark, nothing counted twice
--   or missed when transactions commit out of order — the hard part of a job over created_at);
-- * a case changes many times (dispatch, close, rating, reopen …): the trigger takes away what the
--   old row contributed and adds what the new row contributes, which a job would need a log for;
-- * the cost is one upsert per grain on rows keyed by (day, community, category): writers in the
--   same community, category and day wait for each other only until they commit (each write here
--   is one statement, then commit); rows are touched in key order, so they do not deadlock.
-- `dashboard_rebuild()` recomputes everything from the base tables (backfill, repair, tests).
--
-- Grains, in one table per domain: 'd' day × community × category × department; 't' day ×
-- community totals; 'm' month (its first day) × community × category × department. A period is
-- read as whole months from 'm' plus the days at either edge from 't' (or 'd' when a category or
-- department is asked for). Days are China days (UTC+8).

create function dash_day(ts timestamptz) returns date
language sql immutable parallel safe as $$ select ((ts at time zone 'UTC') + interval '8 hours')::date $$;

-- Minutes to a histogram bucket of ~20% width (bucket 0: under a minute): medians without a scan.
create function dash_bucket(minutes double precision) returns smallint
language sql immutable parallel safe as $$ select least(floor(ln(1 + greatest(minutes, 0)) * 5), 32000)::smallint $$;

-- The lower bound, in minutes, of a bucket.
create function dash_bucket_floor(bucket integer) returns double precision
language sql immutable parallel safe as $$ select exp(bucket / 5.0) - 1 $$;

create table dash_cases (
  grain          char(1) not null check (grain in ('d', 't', 'm')),
  region_id      text collate "C" not null,
  day            date not null,
  category_id    uuid,
  department_id  uuid,
  -- By the day the case was reported.
  received       integer not null default 0,
  accepted       integer not null default 0,
  -- By the day the case was first dispatched (the cohort of case-rates.ts).
  dispatched     integer not null default 0,
  closed         integer not null default 0,
  closed_on_time integer not null default 0,
  reworked       integer not null default 0,
  extended       integer not null default 0,
  rated          integer not null default 0,
  satisfied      integer not null default 0,
  rating_sum     integer not null default 0,
  dispatch_minutes bigint not null default 0,
  close_minutes  bigint not null default 0,
  constraint dash_cases_key unique nulls not distinct (grain, region_id, day, category_id, department_id)
);

-- Minutes from report to first dispatch ('dispatch') and to closing ('close'), as histograms.
create table dash_case_minutes (
  grain     char(1) not null check (grain in ('t', 'm')),
  region_id text collate "C" not null,
  day       date not null,
  measure   text not null check (measure in ('dispatch', 'close')),
  bucket    smallint not null,
  n         integer not null default 0,
  primary key (grain, region_id, day, measure, bucket)
);

-- Reported cases per map cell of 0.005° (~500 m): the heat map. Counts only, no one's position.
create table dash_case_cells (
  grain     char(1) not null check (grain in ('d', 'm')),
  region_id text collate "C" not null,
  day       date not null,
  cy        integer not null,
  cx        integer not null,
  n         integer not null default 0,
  primary key (grain, region_id, day, cy, cx)
);

create table dash_points (
  grain      char(1) not null check (grain in ('d', 'm')),
  region_id  text collate "C" not null,
  day        date not null,
  -- The transfer kind; a reversal counts as 'reverse' with the sign of what it undoes in worker_net.
  kind       text not null,
  category   text,
  n          integer not null default 0,
  amount     bigint not null default 0,
  -- What the transfers added to (or took from) worker balances.
  worker_net bigint not null default 0,
  constraint dash_points_key unique nulls not distinct (grain, region_id, day, kind, category)
);

create table dash_workers (
  grain      char(1) not null check (grain in ('t', 'm')),
  region_id  text collate "C" not null,
  day        date not null,
  registered integer not null default 0,
  primary key (grain, region_id, day)
);

-- Keys lead with the region (a community's figures); a district or street reads by day instead.
create index dash_cases_by_day on dash_cases (grain, day, region_id);
create index dash_case_minutes_by_day on dash_case_minutes (grain, day, region_id);
create index dash_case_cells_by_day on dash_case_cells (grain, day, region_id);
create index dash_points_by_day on dash_points (grain, day, region_id);
create index dash_workers_by_day on dash_workers (grain, day, region_id);

-- Each worker's last active day (a login or a report): "active in 30 days" without a scan of users.
create table dash_worker_activity (
  user_id   uuid primary key,
  region_id text collate "C" not null,
  last_day  date not null
);
create index dash_worker_activity_day on dash_worker_activity (last_day, region_id);

-- What one case contributes: a row on its report day and, once dispatched, one on its dispatch day.
create function dash_case_parts(c cases)
returns table (day date, region_id text, category_id uuid, department_id uuid, received integer, accepted integer, dispatched integer,
  closed integer, closed_on_time integer, reworked integer, extended integer, rated integer, satisfied integer, rating_sum integer,
  dispatch_minutes bigint, close_minutes bigint)
language sql stable as $$
  select case when k.part = 1 then dash_day(c.created_at) else dash_day(c.first_dispatched_at) end, c.region_id, c.category_id, c.department_id,
         (k.part = 1)::int, (k.part = 1 and c.status not in ('submitted', 'rejected'))::int,
         (k.part = 2)::int,
         (k.part = 2 and c.status in ('closed', 'rated', 'archived'))::int,
         (k.part = 2 and c.status in ('closed', 'rated', 'archived') and coalesce(c.handled_at <= c.handle_due_at, false))::int,
         (k.part = 2 and c.rework_count > 0)::int, (k.part = 2 and c.extension_count > 0)::int, (k.part = 2 and c.rating is not null)::int,
         (k.part = 2 and coalesce(c.rating >= 4, false))::int, case when k.part = 2 then coalesce(c.rating, 0)::int else 0 end,
         case when k.part = 2 then floor(extract(epoch from c.first_dispatched_at - c.created_at) / 60)::bigint else 0 end,
         case when k.part = 2 and c.status in ('closed', 'rated', 'archived') and c.closed_at is not null
              then floor(extract(epoch from c.closed_at - c.created_at) / 60)::bigint else 0 end
  from (values (1), (2)) k (part)
  where k.part = 1 or c.first_dispatched_at is not null
$$;

create function dash_case_minute_parts(c cases)
returns table (day date, region_id text, measure text, bucket smallint)
language sql stable as $$
  select dash_day(c.first_dispatched_at), c.region_id, m.measure,
         dash_bucket(extract(epoch from case when m.measure = 'dispatch' then c.first_dispatched_at else c.closed_at end - c.created_at) / 60)
  from (values ('dispatch'), ('close')) m (measure)
  where c.first_dispatched_at is not null
    and (m.measure = 'dispatch' or (c.status in ('closed', 'rated', 'archived') and c.closed_at is not null))
$$;

-- Adds (sign 1) or takes away (sign -1) what one case contributes, in every grain, in key order.
create function dash_apply_case(c cases, sign integer) returns void
language plpgsql as $$
begin
  insert into dash_cases as d (grain, region_id, day, category_id, department_id, received, accepted, dispatched, closed, closed_on_time,
    reworked, extended, rated, satisfied, rating_sum, dispatch_minutes, close_minutes)
  select g.grain, p.region_id, case when g.grain = 'm' then date_trunc('month', p.day)::date else p.day end,
         case when g.grain = 't' then null else p.category_id end, case when g.grain = 't' then null else p.department_id end,
         sign * sum(p.received), sign * sum(p.accepted), sign * sum(p.dispatched), sign * sum(p.closed), sign * sum(p.closed_on_time),
         sign * sum(p.reworked), sign * sum(p.extended), sign * sum(p.rated), sign * sum(p.satisfied), sign * sum(p.rating_sum),
         sign * sum(p.dispatch_minutes), sign * sum(p.close_minutes)
  from dash_case_parts(c) p cross join (values ('d'), ('t'), ('m')) g (grain)
  group by 1, 2, 3, 4, 5
  order by 1, 2, 3, 4, 5
  on conflict on constraint dash_cases_key do update set
    received = d.received + excluded.received, accepted = d.accepted + excluded.accepted, dispatched = d.dispatched + excluded.dispatched,
    closed = d.closed + excluded.closed, closed_on_time = d.closed_on_time + excluded.closed_on_time, reworked = d.reworked + excluded.reworked,
    extended = d.extended + excluded.extended, rated = d.rated + excluded.rated, satisfied = d.satisfied + excluded.satisfied,
    rating_sum = d.rating_sum + excluded.rating_sum, dispatch_minutes = d.dispatch_minutes + excluded.dispatch_minutes,
    close_minutes = d.close_minutes + excluded.close_minutes;

  insert into dash_case_minutes as h (grain, region_id, day, measure, bucket, n)
  select g.grain, p.region_id, case when g.grain = 'm' then date_trunc('month', p.day)::date else p.day end, p.measure, p.bucket, sign * count(*)
  from dash_case_minute_parts(c) p cross join (values ('t'), ('m')) g (grain)
  group by 1, 2, 3, 4, 5
  order by 1, 2, 3, 4, 5
  on conflict (grain, region_id, day, measure, bucket) do update set n = h.n + excluded.n;

  insert into dash_case_cells as x (grain, region_id, day, cy, cx, n)
  select g.grain, c.region_id, case when g.grain = 'm' then date_trunc('month', dash_day(c.created_at))::date else dash_day(c.created_at) end,
         floor(c.lat / 0.005)::integer, floor(c.lng / 0.005)::integer, sign
  from (values ('d'), ('m')) g (grain)
  order by 1
  on conflict (grain, region_id, day, cy, cx) do update set n = x.n + excluded.n;
end $$;

create function dash_cases_track() returns trigger
language plpgsql as $$
begin
  if tg_op = 'UPDATE' and (old.status, old.region_id, old.category_id, old.department_id, old.created_at, old.first_dispatched_at, old.closed_at,
      old.handled_at, old.handle_due_at, old.rework_count, old.extension_count, old.rating, old.lat, old.lng)
    is not distinct from (new.status, new.region_id, new.category_id, new.department_id, new.created_at, new.first_dispatched_at, new.closed_at,
      new.handled_at, new.handle_due_at, new.rework_count, new.extension_count, new.rating, new.lat, new.lng) then
    return null;
  end if;
  if tg_op <> 'INSERT' then perform dash_apply_case(old, -1); end if;
  if tg_op <> 'DELETE' then perform dash_apply_case(new, 1); end if;
  if tg_op = 'INSERT' and new.reporter_id is not null then
    perform dash_touch_worker(new.reporter_id, new.region_id, dash_day(new.created_at));
  end if;
  return null;
end $$;

-- Remembers a worker's latest active day (never moves it back).
create function dash_touch_worker(p_user uuid, p_region text, p_day date) returns void
language sql as $$
  insert into dash_worker_activity as a (user_id, region_id, last_day) values (p_user, p_region, p_day)
  on conflict (user_id) do update set last_day = excluded.last_day, region_id = excluded.region_id where a.last_day < excluded.last_day
$$;

-- What a transfer adds to worker balances: earnings and returned holds add, the rest takes away.
create function dash_worker_sign(kind text) returns integer
language sql immutable parallel safe as $$
  select case kind when 'earn' then 1 when 'void' then 1 when 'deduct' then -1 when 'hold' then -1 when 'expire' then -1 else 0 end
$$;

create function dash_points_track() returns trigger
language plpgsql as $$
declare
  undone text;
  undone_rule uuid;
  cat text;
  net bigint;
begin
  if new.kind = 'reverse' then
    select t.kind, t.rule_id into undone, undone_rule from points_transfers t where t.id = new.reverses_id;
    net := -dash_worker_sign(undone) * new.amount;
  else
    net := dash_worker_sign(new.kind) * new.amount;
  end if;
  if coalesce(new.rule_id, undone_rule) is not null then
    select r.category into cat from points_rules r where r.id = coalesce(new.rule_id, undone_rule);
  end if;
  insert into dash_points as d (grain, region_id, day, kind, category, n, amount, worker_net)
  select g.grain, new.region_id, case when g.grain = 'm' then date_trunc('month', dash_day(new.created_at))::date else dash_day(new.created_at) end,
         new.kind, cat, 1, new.amount, net
  from (values ('d'), ('m')) g (grain)
  order by 1
  on conflict on constraint dash_points_key do update set n = d.n + 1, amount = d.amount + excluded.amount, worker_net = d.worker_net + excluded.worker_net;
  return null;
end $$;

create function dash_apply_worker(u users, sign integer) returns void
language sql as $$
  insert into dash_workers as w (grain, region_id, day, registered)
  select g.grain, u.region_id, case when g.grain = 'm' then date_trunc('month', dash_day(u.created_at))::date else dash_day(u.created_at) end, sign
  from (values ('m'), ('t')) g (grain)
  where u.role = 'worker'
  order by 1
  on conflict (grain, region_id, day) do update set registered = w.registered + excluded.registered
$$;

create function dash_users_track() returns trigger
language plpgsql as $$
begin
  if tg_op = 'UPDATE' and (old.role, old.region_id, old.created_at) is not distinct from (new.role, new.region_id, new.created_at) then return null; end if;
  if tg_op <> 'INSERT' then perform dash_apply_worker(old, -1); end if;
  if tg_op <> 'DELETE' then perform dash_apply_worker(new, 1); end if;
  return null;
end $$;

create function dash_sessions_track() returns trigger
language plpgsql as $$
begin
  if exists (select 1 from users u where u.id = new.user_id and u.role = 'worker') then
    perform dash_touch_worker(new.user_id, new.region_id, dash_day(new.created_at));
  end if;
  return null;
end $$;

create trigger dash_cases after insert or update or delete on cases for each row execute function dash_cases_track();
create trigger dash_points after insert on points_transfers for each row execute function dash_points_track();
create trigger dash_users after insert or update or delete on users for each row execute function dash_users_track();
create trigger dash_sessions after insert on sessions for each row execute function dash_sessions_track();

-- Recomputes every rollup from the base tables, set-based: finest grain first, coarser ones from it.
create function dashboard_rebuild() returns void
language plpgsql as $$
begin
  truncate dash_cases, dash_case_minutes, dash_case_cells, dash_points, dash_workers, dash_worker_activity;

  insert into dash_cases (grain, region_id, day, category_id, department_id, received, accepted, dispatched, closed, closed_on_time,
    reworked, extended, rated, satisfied, rating_sum, dispatch_minutes, close_minutes)
  select 'd', p.region_id, p.day, p.category_id, p.department_id, sum(p.received), sum(p.accepted), sum(p.dispatched), sum(p.closed),
         sum(p.closed_on_time), sum(p.reworked), sum(p.extended), sum(p.rated), sum(p.satisfied), sum(p.rating_sum),
         sum(p.dispatch_minutes), sum(p.close_minutes)
  from cases c cross join lateral dash_case_parts(c) p
  group by 2, 3, 4, 5;
  insert into dash_cases (grain, region_id, day, category_id, department_id, received, accepted, dispatched, closed, closed_on_time,
    reworked, extended, rated, satisfied, rating_sum, dispatch_minutes, close_minutes)
  select g.grain, d.region_id, case when g.grain = 'm' then date_trunc('month', d.day)::date else d.day end,
         case when g.grain = 'm' then d.category_id end, case when g.grain = 'm' then d.department_id end,
         sum(received), sum(accepted), sum(dispatched), sum(closed), sum(closed_on_time), sum(reworked), sum(extended), sum(rated),
         sum(satisfied), sum(rating_sum), sum(dispatch_minutes), sum(close_minutes)
  from dash_cases d cross join (values ('t'), ('m')) g (grain)
  where d.grain = 'd'
  group by 1, 2, 3, 4, 5;

  insert into dash_case_minutes (grain, region_id, day, measure, bucket, n)
  select 't', p.region_id, p.day, p.measure, p.bucket, count(*)
  from cases c cross join lateral dash_case_minute_parts(c) p
  group by 2, 3, 4, 5;
  insert into dash_case_minutes (grain, region_id, day, measure, bucket, n)
  select 'm', region_id, date_trunc('month', day)::date, measure, bucket, sum(n)
  from dash_case_minutes where grain = 't' group by 2, 3, 4, 5;

  insert into dash_case_cells (grain, region_id, day, cy, cx, n)
  select 'd', region_id, dash_day(created_at), floor(lat / 0.005)::integer, floor(lng / 0.005)::integer, count(*)
  from cases group by 2, 3, 4, 5;
  insert into dash_case_cells (grain, region_id, day, cy, cx, n)
  select 'm', region_id, date_trunc('month', day)::date, cy, cx, sum(n)
  from dash_case_cells where grain = 'd' group by 2, 3, 4, 5;

  insert into dash_points (grain, region_id, day, kind, category, n, amount, worker_net)
  select 'd', t.region_id, dash_day(t.created_at), t.kind, r.category, count(*), sum(t.amount),
         sum(case when t.kind = 'reverse' then -dash_worker_sign(o.kind) else dash_worker_sign(t.kind) end * t.amount)
  from points_transfers t
  left join points_transfers o on o.id = t.reverses_id
  left join points_rules r on r.id = coalesce(t.rule_id, o.rule_id)
  group by 2, 3, 4, 5;
  insert into dash_points (grain, region_id, day, kind, category, n, amount, worker_net)
  select 'm', region_id, date_trunc('month', day)::date, kind, category, sum(n), sum(amount), sum(worker_net)
  from dash_points where grain = 'd' group by 2, 3, 4, 5;

  insert into dash_workers (grain, region_id, day, registered)
  select 't', region_id, dash_day(created_at), count(*) from users where role = 'worker' group by 2, 3;
  insert into dash_workers (grain, region_id, day, registered)
  select 'm', region_id, date_trunc('month', day)::date, sum(registered) from dash_workers where grain = 't' group by 2, 3;

  insert into dash_worker_activity (user_id, region_id, last_day)
  select distinct on (a.user_id) a.user_id, a.region_id, a.day
  from (
    select s.user_id, s.region_id, dash_day(s.created_at) as day from sessions s join users u on u.id = s.user_id and u.role = 'worker'
    union all
    select c.reporter_id, c.region_id, dash_day(c.created_at) from cases c where c.reporter_id is not null
  ) a
  order by a.user_id, a.day desc;
end $$;

select dashboard_rebuild();
