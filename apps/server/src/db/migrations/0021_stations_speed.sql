-- Every server process keeps the in-service stations in memory for nearby search and check-in
-- (modules/stations/station-index.ts). Whatever writes a station, its rating totals or its check-in
-- secret (the app, an import, a script in psql) announces the station ids on 'nx_station' when it
-- commits, so every process re-reads just those rows: 100 ids per notification (NOTIFY's payload
-- stops at 8000 bytes), and '*' (reload everything) for a statement touching over 5000 stations.

create function announce_station_ids(ids text[]) returns void language plpgsql as $$
declare
  n integer := coalesce(cardinality(ids), 0);
begin
  if n > 5000 then
    perform pg_notify('nx_station', '*');
  elsif n > 0 then
    for i in 0 .. (n - 1) / 100 loop
      perform pg_notify('nx_station', array_to_string(ids[i * 100 + 1 : i * 100 + 100], ','));
    end loop;
  end if;
end $$;

create function announce_stations_changed() returns trigger language plpgsql as $$
begin
  perform announce_station_ids((select array_agg(distinct id::text) from changed));
  return null;
end $$;

-- The same for tables keyed by station_id (rating totals, check-in secrets).
create function announce_station_rows_changed() returns trigger language plpgsql as $$
begin
  perform announce_station_ids((select array_agg(distinct station_id::text) from changed));
  return null;
end $$;

-- A trigger with transition tables takes one event, hence one trigger per event.
create trigger stations_announce_insert after insert on stations
  referencing new table as changed for each statement execute function announce_stations_changed();
create trigger stations_announce_update after update on stations
  referencing new table as changed for each statement execute function announce_stations_changed();
create trigger stations_announce_delete after delete on stations
  referencing old table as changed for each statement execute function announce_stations_changed();

create trigger station_rating_totals_announce_insert after insert on station_rating_totals
  referencing new table as changed for each statement execute function announce_station_rows_changed();
create trigger station_rating_totals_announce_update after update on station_rating_totals
  referencing new table as changed for each statement execute function announce_station_rows_changed();

create trigger station_checkin_secrets_announce_insert after insert on station_checkin_secrets
  referencing new table as changed for each statement execute function announce_station_rows_changed();
create trigger station_checkin_secrets_announce_update after update on station_checkin_secrets
  referencing new table as changed for each statement execute function announce_station_rows_changed();
create trigger station_checkin_secrets_announce_delete after delete on station_checkin_secrets
  referencing old table as changed for each statement execute function announce_station_rows_changed();

-- A check-in's writes in one call (see visits.repository.ts recordVisit): a function's statements
-- are planned once per connection, where the same as one big statement would be planned per scan.
-- Called on its own it is one transaction; nothing is written when the key was used before (a
-- replay), the station is not in service, or a points rule might pay (the caller then calls it
-- again inside a transaction with the award, p_rule_like null). The 2-hour window is the upsert's
-- WHERE on station_visit_latest: concurrent scans of one worker at one station serialise on it.
create function station_record_visit(
  p_id uuid, p_region text, p_station uuid, p_worker uuid, p_at timestamptz, p_step bigint, p_key text,
  p_window_start timestamptz, p_day date, p_hour integer, p_rule_region text, p_rule_like text)
returns table (replay boolean, open boolean, may_be_paid boolean, counted boolean) language plpgsql as $$
declare
  head uuid;
begin
  if exists (select 1 from station_visits where worker_id = p_worker and client_key = p_key) then
    return query select true, true, false, false;
    return;
  end if;
  if not exists (select 1 from stations where id = p_station and status in ('built', 'accepted')) then
    return query select false, false, false, false;
    return;
  end if;
  if p_rule_like is not null and exists (select 1 from points_rules r where r.name like p_rule_like and p_rule_region like r.region_id || '%') then
    return query select false, true, true, false;
    return;
  end if;
  insert into station_visit_latest (worker_id, station_id, visit_id, visited_at)
  values (p_worker, p_station, p_id, p_at)
  on conflict (worker_id, station_id) do update set visit_id = excluded.visit_id, visited_at = excluded.visited_at
    where station_visit_latest.visited_at <= p_window_start
  returning visit_id into head;
  if head is null then
    return query select false, true, false, false;
    return;
  end if;
  insert into station_visits (id, region_id, station_id, worker_id, visited_at, code_step, client_key)
  values (p_id, p_region, p_station, p_worker, p_at, p_step, p_key);
  insert into station_visit_daily (station_id, day, region_id, visits, by_hour)
  values (p_station, p_day, p_region, 1, (select array_agg(case when h = p_hour then 1 else 0 end order by h) from generate_series(0, 23) h))
  on conflict (station_id, day) do update
    set visits = station_visit_daily.visits + 1,
        by_hour[p_hour + 1] = station_visit_daily.by_hour[p_hour + 1] + 1;
  return query select false, true, false, true;
end $$;
