-- Dashboard (domain 11): "active in 30 days" from a count per region and last active day.
--
-- The figure counted the rows of `dash_worker_activity` (one per worker) whose last day falls in the
-- window: at a district with a million workers, a quarter of a million index entries, 60–75 ms of
-- a summary that must answer in under 200 ms. `dash_worker_days` holds how many workers have each
-- (region, last day), kept by statement triggers on `dash_worker_activity` whoever writes it
-- (logins, reports, the rebuild), so the window is at most 30 rows per community.
--
-- A worker's day moves only forward and at most once a day (`dash_touch_worker`'s upsert changes
-- nothing on a later activity the same day), so a (region, day) row is written by a worker's first
-- activity of the day, not by each; the statement sums its rows per key and writes them in key order.

create table dash_worker_days (
  day       date not null,
  region_id text collate "C" not null,
  n         integer not null,
  -- Day first: a window reads 30 days of every region, however long the history.
  primary key (day, region_id)
);

create function dash_worker_days_add() returns trigger
language plpgsql as $$
begin
  -- Each branch names only the transition tables its event has.
  if tg_op = 'INSERT' then
    insert into dash_worker_days as w (day, region_id, n)
    select last_day, region_id, count(*) from new_rows group by 1, 2 order by 1, 2
    on conflict (day, region_id) do update set n = w.n + excluded.n;
  elsif tg_op = 'UPDATE' then
    insert into dash_worker_days as w (day, region_id, n)
    select day, region_id, sum(n) from (
      select last_day as day, region_id, 1 as n from new_rows
      union all
      select last_day, region_id, -1 from old_rows
    ) x
    group by 1, 2 having sum(n) <> 0 order by 1, 2
    on conflict (day, region_id) do update set n = w.n + excluded.n;
  else
    insert into dash_worker_days as w (day, region_id, n)
    select last_day, region_id, -count(*) from old_rows group by 1, 2 order by 1, 2
    on conflict (day, region_id) do update set n = w.n + excluded.n;
  end if;
  return null;
end $$;

create function dash_worker_days_clear() returns trigger
language plpgsql as $$
begin
  truncate dash_worker_days;
  return null;
end $$;

create trigger dash_worker_days_insert after insert on dash_worker_activity referencing new table as new_rows for each statement execute function dash_worker_days_add();
create trigger dash_worker_days_update after update on dash_worker_activity referencing old table as old_rows new table as new_rows for each statement execute function dash_worker_days_add();
create trigger dash_worker_days_delete after delete on dash_worker_activity referencing old table as old_rows for each statement execute function dash_worker_days_add();
-- The rebuild truncates the activity and inserts it again: the counts follow.
create trigger dash_worker_days_truncate after truncate on dash_worker_activity for each statement execute function dash_worker_days_clear();

insert into dash_worker_days (day, region_id, n)
select last_day, region_id, count(*) from dash_worker_activity group by 1, 2;
