-- Dashboard (domain 11): case and points rollups per street and per district, so that a district's
-- year reads the rows of that district only instead of those of its ~100 communities (0011 keys
-- every rollup by the record's own region, a community or a grid).
--
-- Why a log and a job, not the trigger: a district row would be touched by every filing in the
-- district, and every filing would queue on its lock until it commits. So the case and transfer
-- triggers only append what changed to `dash_case_log` / `dash_points_log` (a plain insert: no
-- shared row, no conflict, no lock), and `dash_compact_levels()` (a job every few seconds, one at a
-- time by an advisory lock) moves each log into the level tables in one statement: a log row is
-- either still in the log or already in the levels, never both and never neither. Reads add the
-- level rows of their region to what the log still holds for it, so a figure is exact the moment
-- the change commits, as before.
--
-- Levels are region-code prefixes: 6 characters (district) and 9 (street). A level row of prefix P
-- sums every community row whose region starts with P, so `dashboard_rebuild()` derives them from
-- the community rollups. Heat cells get no levels: communities do not share cells, so a district
-- has as many cell rows as its communities together.

create table dash_case_log (
  id        bigint generated always as identity primary key,
  sign      smallint not null check (sign in (-1, 1)),
  region_id text collate "C" not null,
  -- The case's fields the level rollups read, by name (dash_case_log_entry).
  c         jsonb not null
);

create table dash_cases_lv (
  -- As in dash_cases, and 'n': a month (its first day) × community totals.
  grain          char(1) not null check (grain in ('d', 't', 'm', 'n')),
  region_id      text collate "C" not null,
  day            date not null,
  category_id    uuid,
  department_id  uuid,
  received       integer not null default 0,
  accepted       integer not null default 0,
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
  constraint dash_cases_lv_key unique nulls not distinct (grain, region_id, day, category_id, department_id)
);

create table dash_case_minutes_lv (
  grain     char(1) not null check (grain in ('t', 'm')),
  region_id text collate "C" not null,
  day       date not null,
  measure   text not null check (measure in ('dispatch', 'close')),
  bucket    smallint not null,
  n         integer not null default 0,
  primary key (grain, region_id, day, measure, bucket)
);

-- Transfers are only ever inserted: the log keeps what 0011's trigger adds to dash_points.
create table dash_points_log (
  id         bigint generated always as identity primary key,
  region_id  text collate "C" not null,
  day        date not null,
  kind       text not null,
  category   text,
  amount     bigint not null,
  worker_net bigint not null
);

create table dash_points_lv (
  grain      char(1) not null check (grain in ('d', 'm')),
  region_id  text collate "C" not null,
  day        date not null,
  kind       text not null,
  category   text,
  n          integer not null default 0,
  amount     bigint not null default 0,
  worker_net bigint not null default 0,
  constraint dash_points_lv_key unique nulls not distinct (grain, region_id, day, kind, category)
);

-- The prefixes a region counts in: its district and its street (when its code is that long).
create function dash_levels(region text) returns table (region_id text)
language sql immutable parallel safe as $$
  select left(region, k) from (values (6), (9)) v (k) where length(region) >= k
$$;

-- A case as the rollup functions take it, back from its log entry.
create function dash_case_of(c jsonb) returns cases
language sql stable as $$ select jsonb_populate_record(null::cases, c) $$;

-- What one log entry adds to the case level rows, in every grain (not yet summed per key): grains
-- 'd', 't', 'm' per district and street, and 'n', a month's totals per community (12 characters,
-- with its grids), for the league of communities.
create function dash_case_log_rows(sign smallint, c jsonb)
returns table (grain char(1), region_id text, day date, category_id uuid, department_id uuid, received integer, accepted integer,
  dispatched integer, closed integer, closed_on_time integer, reworked integer, extended integer, rated integer, satisfied integer,
  rating_sum integer, dispatch_minutes bigint, close_minutes bigint)
language sql stable as $$
  select g.grain::char(1), left(p.region_id, g.k), case when g.grain in ('m', 'n') then date_trunc('month', p.day)::date else p.day end,
         case when g.grain in ('t', 'n') then null else p.category_id end, case when g.grain in ('t', 'n') then null else p.department_id end,
         sign * p.received, sign * p.accepted, sign * p.dispatched, sign * p.closed, sign * p.closed_on_time, sign * p.reworked,
         sign * p.extended, sign * p.rated, sign * p.satisfied, sign * p.rating_sum, sign * p.dispatch_minutes, sign * p.close_minutes
  from (select dash_case_of(c) as x offset 0) o cross join lateral dash_case_parts(o.x) p
  cross join (values (6, 'd'), (6, 't'), (6, 'm'), (9, 'd'), (9, 't'), (9, 'm'), (12, 'n')) g (k, grain)
  where length(p.region_id) >= g.k
$$;

create function dash_case_minute_log_rows(sign smallint, c jsonb)
returns table (grain char(1), region_id text, day date, measure text, bucket smallint, n integer)
language sql stable as $$
  select g.grain::char(1), l.region_id, case when g.grain = 'm' then date_trunc('month', p.day)::date else p.day end, p.measure, p.bucket, sign::integer
  from (select dash_case_of(c) as x offset 0) o cross join lateral dash_case_minute_parts(o.x) p cross join dash_levels(p.region_id) l cross join (values ('t'), ('m')) g (grain)
$$;

-- What reads add to the level rows: the log not yet compacted (small: a few seconds of changes).
-- `source_region` (the record's own region) lets a read skip other districts' entries unexpanded.
create view dash_case_log_levels as
  select r.*, l.region_id as source_region from dash_case_log l cross join lateral dash_case_log_rows(l.sign, l.c) r;
create view dash_case_minute_log_levels as
  select r.*, l.region_id as source_region from dash_case_log l cross join lateral dash_case_minute_log_rows(l.sign, l.c) r;

create view dash_points_log_levels as
  select g.grain::char(1) as grain, v.region_id, case when g.grain = 'm' then date_trunc('month', l.day)::date else l.day end as day,
         l.kind, l.category, 1 as n, l.amount, l.worker_net, l.region_id as source_region
  from dash_points_log l cross join lateral dash_levels(l.region_id) v cross join (values ('d'), ('m')) g (grain);

-- What the level rollups read of a case (dash_case_parts, dash_case_minute_parts): no text, no position.
create function dash_case_log_entry(c cases) returns jsonb
language sql stable as $$
  select jsonb_build_object('region_id', c.region_id, 'category_id', c.category_id, 'department_id', c.department_id, 'status', c.status,
    'created_at', c.created_at, 'first_dispatched_at', c.first_dispatched_at, 'closed_at', c.closed_at, 'handled_at', c.handled_at,
    'handle_due_at', c.handle_due_at, 'rework_count', c.rework_count, 'extension_count', c.extension_count, 'rating', c.rating)
$$;

-- 0011's trigger, plus one statement: the change appended to the log for the street and district rows.
create or replace function dash_cases_track() returns trigger
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
  insert into dash_case_log (sign, region_id, c)
  select e.sign, e.region_id, e.c from (
    select -1 as sign, old.region_id as region_id, dash_case_log_entry(old) as c where tg_op <> 'INSERT'
    union all
    select 1, new.region_id, dash_case_log_entry(new) where tg_op <> 'DELETE'
  ) e;
  if tg_op = 'INSERT' and new.reporter_id is not null then
    perform dash_touch_worker(new.reporter_id, new.region_id, dash_day(new.created_at));
  end if;
  return null;
end $$;

-- 0011's trigger, plus one statement: the transfer appended to the log for the street and district rows.
create or replace function dash_points_track() returns trigger
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
  insert into dash_points_log (region_id, day, kind, category, amount, worker_net) values (new.region_id, dash_day(new.created_at), new.kind, cat, new.amount, net);
  return null;
end $$;

-- Moves up to `batch` log entries into the level rows, in one statement; returns how many. One
-- compactor at a time: the others return 0 at once (their turn comes at the next tick).
create function dash_compact_levels(batch integer default 50000) returns integer
language plpgsql as $$
declare
  moved integer;
begin
  if not pg_try_advisory_xact_lock(hashtext('dash_compact_levels')) then return 0; end if;
  with m as (
    delete from dash_case_log where id in (select id from dash_case_log order by id limit batch) returning sign, c
  ), cases_lv as (
    insert into dash_cases_lv as d (grain, region_id, day, category_id, department_id, received, accepted, dispatched, closed, closed_on_time,
      reworked, extended, rated, satisfied, rating_sum, dispatch_minutes, close_minutes)
    select r.grain, r.region_id, r.day, r.category_id, r.department_id, sum(r.received), sum(r.accepted), sum(r.dispatched), sum(r.closed),
           sum(r.closed_on_time), sum(r.reworked), sum(r.extended), sum(r.rated), sum(r.satisfied), sum(r.rating_sum),
           sum(r.dispatch_minutes), sum(r.close_minutes)
    from m cross join lateral dash_case_log_rows(m.sign, m.c) r
    group by 1, 2, 3, 4, 5
    order by 1, 2, 3, 4, 5
    on conflict on constraint dash_cases_lv_key do update set
      received = d.received + excluded.received, accepted = d.accepted + excluded.accepted, dispatched = d.dispatched + excluded.dispatched,
      closed = d.closed + excluded.closed, closed_on_time = d.closed_on_time + excluded.closed_on_time, reworked = d.reworked + excluded.reworked,
      extended = d.extended + excluded.extended, rated = d.rated + excluded.rated, satisfied = d.satisfied + excluded.satisfied,
      rating_sum = d.rating_sum + excluded.rating_sum, dispatch_minutes = d.dispatch_minutes + excluded.dispatch_minutes,
      close_minutes = d.close_minutes + excluded.close_minutes
  ), minutes_lv as (
    insert into dash_case_minutes_lv as h (grain, region_id, day, measure, bucket, n)
    select r.grain, r.region_id, r.day, r.measure, r.bucket, sum(r.n)
    from m cross join lateral dash_case_minute_log_rows(m.sign, m.c) r
    group by 1, 2, 3, 4, 5
    order by 1, 2, 3, 4, 5
    on conflict (grain, region_id, day, measure, bucket) do update set n = h.n + excluded.n
  )
  select count(*) into moved from m;

  with m as (
    delete from dash_points_log where id in (select id from dash_points_log order by id limit batch) returning region_id, day, kind, category, amount, worker_net
  ), ins as (
    insert into dash_points_lv as d (grain, region_id, day, kind, category, n, amount, worker_net)
    select g.grain, v.region_id, case when g.grain = 'm' then date_trunc('month', m.day)::date else m.day end, m.kind, m.category,
           count(*), sum(m.amount), sum(m.worker_net)
    from m cross join lateral dash_levels(m.region_id) v cross join (values ('d'), ('m')) g (grain)
    group by 1, 2, 3, 4, 5
    order by 1, 2, 3, 4, 5
    on conflict on constraint dash_points_lv_key do update set n = d.n + excluded.n, amount = d.amount + excluded.amount, worker_net = d.worker_net + excluded.worker_net
  )
  select moved + count(*) into moved from m;
  return moved;
end $$;

-- The level rows as sums of the community rows (after those are rebuilt from the base tables).
create function dash_rebuild_levels() returns void
language plpgsql as $$
begin
  truncate dash_case_log, dash_cases_lv, dash_case_minutes_lv, dash_points_log, dash_points_lv;
  insert into dash_cases_lv (grain, region_id, day, category_id, department_id, received, accepted, dispatched, closed, closed_on_time,
    reworked, extended, rated, satisfied, rating_sum, dispatch_minutes, close_minutes)
  select d.grain, l.region_id, d.day, d.category_id, d.department_id, sum(received), sum(accepted), sum(dispatched), sum(closed),
         sum(closed_on_time), sum(reworked), sum(extended), sum(rated), sum(satisfied), sum(rating_sum), sum(dispatch_minutes), sum(close_minutes)
  from dash_cases d cross join lateral dash_levels(d.region_id) l
  group by 1, 2, 3, 4, 5;
  insert into dash_cases_lv (grain, region_id, day, category_id, department_id, received, accepted, dispatched, closed, closed_on_time,
    reworked, extended, rated, satisfied, rating_sum, dispatch_minutes, close_minutes)
  select 'n', left(d.region_id, 12), date_trunc('month', d.day)::date, null, null, sum(received), sum(accepted), sum(dispatched), sum(closed),
         sum(closed_on_time), sum(reworked), sum(extended), sum(rated), sum(satisfied), sum(rating_sum), sum(dispatch_minutes), sum(close_minutes)
  from dash_cases d
  where d.grain = 't' and length(d.region_id) >= 12
  group by 2, 3;
  insert into dash_points_lv (grain, region_id, day, kind, category, n, amount, worker_net)
  select d.grain, l.region_id, d.day, d.kind, d.category, sum(n), sum(amount), sum(worker_net)
  from dash_points d cross join lateral dash_levels(d.region_id) l
  group by 1, 2, 3, 4, 5;
  insert into dash_case_minutes_lv (grain, region_id, day, measure, bucket, n)
  select d.grain, l.region_id, d.day, d.measure, d.bucket, sum(n)
  from dash_case_minutes d cross join lateral dash_levels(d.region_id) l
  group by 1, 2, 3, 4, 5;
end $$;

-- dashboard_rebuild() keeps its name (callers, the bench) and now rebuilds the levels after 0011's rollups.
alter function dashboard_rebuild() rename to dash_rebuild_communities;
create function dashboard_rebuild() returns void
language plpgsql as $$
begin
  perform dash_rebuild_communities();
  perform dash_rebuild_levels();
end $$;

select dash_rebuild_levels();
