-- Dashboard (domain 11): new cases reach the rollups once per statement, not once per row.
--
-- Filings are group-committed (cases/case-filing.ts): one insert carries a batch of reports. The
-- row trigger of 0011/0022 ran its seven statements for each of them, and the batch's cases of one
-- community, day and category upserted the same rollup rows over and over. This trigger reads the
-- statement's new rows (a transition table) and writes each rollup once, with the batch summed per
-- key: the same totals as the row trigger (the dashboard's property test compares them with the
-- base tables), in a fraction of the statements. Updates and deletes keep the row trigger, whose
-- `dash_apply_case` now goes through the same set-based `dash_apply_cases`.

-- Adds (sign 1) or takes away (sign -1) what these cases contribute, in every grain: each rollup
-- row once, the cases summed per key, in key order.
create function dash_apply_cases(cs cases[], sign integer) returns void
language plpgsql as $$
begin
  insert into dash_cases as d (grain, region_id, day, category_id, department_id, received, accepted, dispatched, closed, closed_on_time,
    reworked, extended, rated, satisfied, rating_sum, dispatch_minutes, close_minutes)
  select g.grain, p.region_id, case when g.grain = 'm' then date_trunc('month', p.day)::date else p.day end,
         case when g.grain = 't' then null else p.category_id end, case when g.grain = 't' then null else p.department_id end,
         sign * sum(p.received), sign * sum(p.accepted), sign * sum(p.dispatched), sign * sum(p.closed), sign * sum(p.closed_on_time),
         sign * sum(p.reworked), sign * sum(p.extended), sign * sum(p.rated), sign * sum(p.satisfied), sign * sum(p.rating_sum),
         sign * sum(p.dispatch_minutes), sign * sum(p.close_minutes)
  from unnest(cs) c cross join lateral dash_case_parts(c) p cross join (values ('d'), ('t'), ('m')) g (grain)
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
  from unnest(cs) c cross join lateral dash_case_minute_parts(c) p cross join (values ('t'), ('m')) g (grain)
  group by 1, 2, 3, 4, 5
  order by 1, 2, 3, 4, 5
  on conflict (grain, region_id, day, measure, bucket) do update set n = h.n + excluded.n;

  insert into dash_case_cells as x (grain, region_id, day, cy, cx, n)
  select g.grain, c.region_id, case when g.grain = 'm' then date_trunc('month', dash_day(c.created_at))::date else dash_day(c.created_at) end,
         floor(c.lat / 0.005)::integer, floor(c.lng / 0.005)::integer, sign * count(*)
  from unnest(cs) c cross join (values ('d'), ('m')) g (grain)
  group by 1, 2, 3, 4, 5
  order by 1, 2, 3, 4, 5
  on conflict (grain, region_id, day, cy, cx) do update set n = x.n + excluded.n;
end $$;

-- 0011's one-case version, for the row trigger: the same statements.
create or replace function dash_apply_case(c cases, sign integer) returns void
language sql as $$
  select dash_apply_cases(array[c], sign)
$$;

create function dash_cases_inserted() returns trigger
language plpgsql as $$
begin
  perform dash_apply_cases(array(select c::cases from inserted c), 1);

  insert into dash_case_log (sign, region_id, c)
  select 1, c.region_id, dash_case_log_entry(c) from inserted c;

  -- One row per worker (an upsert may not touch a row twice): the latest of their new reports.
  insert into dash_worker_activity as a (user_id, region_id, last_day)
  select distinct on (c.reporter_id) c.reporter_id, c.region_id, dash_day(c.created_at)
  from inserted c
  where c.reporter_id is not null
  order by c.reporter_id, c.created_at desc
  on conflict (user_id) do update set last_day = excluded.last_day, region_id = excluded.region_id where a.last_day < excluded.last_day;
  return null;
end $$;

drop trigger dash_cases on cases;
create trigger dash_cases after update or delete on cases for each row execute function dash_cases_track();
create trigger dash_cases_insert after insert on cases referencing new table as inserted for each statement execute function dash_cases_inserted();
