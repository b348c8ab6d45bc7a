-- The stations registry: the facts staff keep about each station, its lifecycle history, the
-- district's checklist templates and the acceptance inspections (验收) with star ratings.

-- Types become stable keys (labels live in the shared package, in each language).
update stations set type = case type
  when '工会驿站' then 'union' when '暖新驿站' then 'nuanxin' when '党群服务中心' then 'party'
  when '商户爱心点' then 'merchant' when '户外劳动者服务站' then 'outdoor' else 'other' end
 where type not in ('union', 'nuanxin', 'party', 'merchant', 'outdoor', 'other');
alter table stations add constraint stations_type_known check (type in ('union', 'nuanxin', 'party', 'merchant', 'outdoor', 'other'));

alter table stations add column operator text;
alter table stations add column co_builders text[] not null default '{}';
alter table stations add column holiday_open boolean not null default false;
alter table stations add column extended_hours boolean not null default false;
alter table stations add column access_mode text not null default 'staffed' check (access_mode in ('staffed', 'self_service'));
alter table stations add column area_m2 integer check (area_m2 > 0);
alter table stations add column seats integer check (seats >= 0);
alter table stations add column photo_ids uuid[] not null default '{}';
-- Set by inspections only: stars from the last acceptance or yearly review, and its day.
alter table stations add column stars smallint check (stars between 1 and 5);
alter table stations add column last_inspected_on date;
alter table stations add column updated_at timestamptz not null default now();

-- Checklist templates, one or more per district: items with weights adding up to 100, a pass mark.
create table station_checklists (
  id         uuid primary key default gen_random_uuid(),
  region_id  text collate "C" not null references regions (id) check (length(region_id) = 6),
  name       text not null,
  items      jsonb not null check (jsonb_typeof(items) = 'array' and jsonb_array_length(items) > 0),
  pass_mark  integer not null check (pass_mark between 1 and 100),
  active     boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (region_id, name)
);

-- An inspection keeps its own copy of the items (label, weight, score), so a later change to the
-- template does not rewrite history. Passed and stars must agree with the total (see starsFor).
create table station_inspections (
  id           uuid primary key default gen_random_uuid(),
  region_id    text collate "C" not null references regions (id),
  station_id   uuid not null references stations (id),
  checklist_id uuid not null references station_checklists (id),
  kind         text not null check (kind in ('acceptance', 'annual')),
  items        jsonb not null check (jsonb_typeof(items) = 'array'),
  total        integer not null check (total between 0 and 100),
  pass_mark    integer not null check (pass_mark between 1 and 100),
  passed       boolean not null,
  stars        smallint not null,
  remarks      text not null default '',
  photo_ids    uuid[] not null default '{}',
  inspector_id uuid not null references users (id),
  inspected_on date not null,
  created_at   timestamptz not null default now(),
  check (passed = (total >= pass_mark)),
  check (stars = case when total >= 90 then 5 when total >= 80 then 4 when total >= 70 then 3 when total >= 60 then 2 else 1 end)
);
create index station_inspections_station on station_inspections (station_id, inspected_on desc, created_at desc);
create trigger station_inspections_append_only before update or delete on station_inspections
  for each row execute function forbid_change();

-- The inspection that accepted the station (kept through a suspension, so reopening restores it).
alter table stations add column accepted_inspection_id uuid references station_inspections (id);

-- Who moved a station, when and why. Append-only, like the audit log.
create table station_status_history (
  id            bigint generated always as identity primary key,
  region_id     text collate "C" not null references regions (id),
  station_id    uuid not null references stations (id),
  from_status   text,
  to_status     text not null,
  reason        text not null default '',
  actor_id      uuid references users (id),
  inspection_id uuid references station_inspections (id),
  created_at    timestamptz not null default now()
);
create index station_status_history_station on station_status_history (station_id, id desc);
create trigger station_status_history_append_only before update or delete on station_status_history
  for each row execute function forbid_change();

-- "accepted" only through a passing acceptance inspection of this very station, whoever writes the
-- row (the application, a script, psql). Checked at commit, so one transaction may insert the
-- inspection and point the station at it in either order. Stations already accepted before this
-- migration keep their status until it next changes (their old paper acceptance is not in here).
create function stations_check_acceptance() returns trigger language plpgsql as $$
begin
  if exists (
    select 1 from stations s
     where s.id = new.id and s.status = 'accepted'
       and not exists (select 1 from station_inspections i
                        where i.id = s.accepted_inspection_id and i.station_id = s.id
                          and i.kind = 'acceptance' and i.passed)) then
    raise exception 'station % can become accepted only through a passing acceptance inspection', new.id
      using errcode = 'check_violation';
  end if;
  return null;
end $$;
create constraint trigger stations_accepted_by_inspection
  after insert or update of status, accepted_inspection_id on stations
  deferrable initially deferred
  for each row
  when (new.status = 'accepted')
  execute function stations_check_acceptance();
