-- Stations become searchable: opening hours per weekday, a 24-hour flag, and amenities/services
-- as stable keys (labels live in the apps, in each language).

alter table stations add column weekly_hours jsonb not null default '[[],[],[],[],[],[],[]]';
alter table stations add column always_open boolean not null default false;

update stations set always_open = true where open_hours in ('24小时', '24h');
update stations
   set weekly_hours = jsonb_build_array(jsonb_build_array(open_hours), jsonb_build_array(open_hours), jsonb_build_array(open_hours),
                                        jsonb_build_array(open_hours), jsonb_build_array(open_hours), jsonb_build_array(open_hours),
                                        jsonb_build_array(open_hours))
 where open_hours ~ '^[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]$';

update stations set amenities = array(
  select case a when '空调' then 'aircon' when '饮水机' then 'water' when '微波炉' then 'microwave' when '冰箱' then 'fridge'
                when '充电' then 'charging' when '卫生间' then 'toilet' when '书报' then 'reading' when '药箱' then 'medkit'
                when 'Wi-Fi' then 'wifi' else a end
  from unnest(amenities) as a);
update stations set services = array(
  select case s when '义诊' then 'clinic' when '法律援助' then 'legal' when '心理咨询' then 'counselling'
                when '就业政策' then 'employment' when '相亲交友' then 'matchmaking' when '住房租房' then 'housing' else s end
  from unnest(services) as s);

alter table stations add constraint stations_amenities_known
  check (amenities <@ array['aircon', 'water', 'microwave', 'fridge', 'charging', 'toilet', 'reading', 'medkit', 'wifi']::text[]);
alter table stations add constraint stations_services_known
  check (services <@ array['clinic', 'legal', 'counselling', 'employment', 'matchmaking', 'housing']::text[]);
alter table stations add constraint stations_weekly_hours_shape
  check (jsonb_typeof(weekly_hours) = 'array' and jsonb_array_length(weekly_hours) = 7);
