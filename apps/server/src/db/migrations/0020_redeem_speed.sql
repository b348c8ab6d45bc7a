-- Redemption throughput (issue #5).
--
-- The points rollup (0011_dashboard.sql) fires on every transfer: its rows, keyed by community ×
-- day × kind, are the same for every redemption in a community that day. Fired as the transfer is
-- inserted (early in `redeem_reward`), each redemption held those rows from there until commit, so
-- all redemptions of a community queued on them for the whole of their work. Deferred to commit,
-- the rows are held only for the upsert and the commit itself. Same transaction, same figures:
-- the rollup still changes exactly when the transfer commits, and not if it rolls back.
drop trigger dash_points on points_transfers;
create constraint trigger dash_points after insert on points_transfers
  deferrable initially deferred
  for each row execute function dash_points_track();

-- A whole redemption request as one statement (one round trip, one commit) instead of three: the
-- caller's rate-limit hit, the read of what the request is about, the checks RewardsService.redeem
-- describes, and `redeem_reward`. Refusals are returned (`refusal`, `refusal_details`), not raised,
-- so that the hit is kept, as RateLimiter.take keeps it, while everything else the refused
-- redemption wrote is undone (the exception block around `redeem_reward`). The China-time day is
-- passed in, as for the other ledger functions.
create function redeem_request(
  p_user uuid, p_region text, p_reward uuid, p_key text, p_code text, p_expires_at timestamptz, p_today date, p_day_of_month integer,
  p_rate_bucket text, p_rate_window timestamptz, p_rate_max double precision,
  out refusal text, out refusal_details jsonb, out voucher_id uuid, out voucher_created_at timestamptz, out replayed boolean,
  out worker_name text, out reward_name text, out partner_name text, out places text, out points integer)
language plpgsql as $$
#variable_conflict use_column
declare
  hits integer;
  earlier record;
  r record;
  days integer[];
  issued record;
  detail text;
begin
  -- Counted first, like RateLimiter.take (same row, same upsert): every request counts, replays and refusals too.
  if p_rate_bucket is not null then
    insert into rate_counters as c (bucket, window_start, hits) values (p_rate_bucket, p_rate_window, 1)
    on conflict (bucket, window_start) do update set hits = c.hits + 1
    returning c.hits into hits;
    if hits > p_rate_max then
      refusal := 'TOO_MANY_REQUESTS';
      return;
    end if;
  end if;

  select u.name into worker_name from users u where u.id = p_user;
  select v.id, v.reward_id into earlier from vouchers v where v.worker_id = p_user and v.client_key = p_key;
  if earlier.id is not null then
    if earlier.reward_id <> p_reward then
      refusal := 'IDEMPOTENCY_KEY_REUSED';
      return;
    end if;
    voucher_id := earlier.id;
    replayed := true;
    return;
  end if;

  select w.region_id, w.partner_id, w.name, w.status, w.valid_from, w.valid_to, w.points_price, w.per_person_limit, w.places, p.name as partner_name
    into r from rewards w join partners p on p.id = w.partner_id where w.id = p_reward;
  -- Everything published in the worker's district, as workers ride across streets.
  if r.region_id is null or not starts_with(r.region_id, left(p_region, 6)) then
    refusal := 'NOT_FOUND';
    return;
  end if;
  if r.status <> 'published' or r.valid_from > p_today or r.valid_to < p_today then
    refusal := 'REWARD_NOT_AVAILABLE';
    return;
  end if;
  -- The redemption days of the nearest region with settings.
  select s.redemption_days into days from points_settings s where p_region like s.region_id || '%' order by length(s.region_id) desc limit 1;
  if cardinality(days) > 0 and not (p_day_of_month = any (days)) then
    refusal := 'NOT_REDEMPTION_DAY';
    refusal_details := jsonb_build_object('days', array_to_string(days, '、'));
    return;
  end if;

  begin
    select * into issued from redeem_reward(p_user, p_region, p_reward, r.partner_id, r.points_price, r.per_person_limit, p_key, p_code, '兑换：' || r.name, p_expires_at);
  exception when sqlstate 'NXR01' then
    get stacked diagnostics refusal = message_text, detail = pg_exception_detail;
    refusal_details := nullif(detail, '')::jsonb;
    return;
  end;
  voucher_id := issued.voucher_id;
  voucher_created_at := issued.voucher_created_at;
  replayed := issued.replayed;
  reward_name := r.name;
  partner_name := r.partner_name;
  places := r.places;
  points := r.points_price;
end $$;
