-- The hot paths of the points ledger as functions: an award and a redemption each become one
-- statement instead of a dozen round trips, and every step after the worker's row lock sees what
-- the previous holder of that lock committed (each statement in a function takes a new snapshot).
--
-- Refusals the user can act on are raised with SQLSTATE NXR01, the error code as the message and
-- its details as JSON in DETAIL; the server turns them into AppError (see ledger.ts, `refusals`).
-- Times and constants that the server owns (China-time day and month starts, suspension windows)
-- are passed in, so the rules read the same clock as the TypeScript around them.

create function points_refuse(p_code text, p_details jsonb default null) returns void
language plpgsql as $$
begin
  raise exception using errcode = 'NXR01', message = p_code, detail = coalesce(p_details::text, '');
end $$;

-- What a transfer asks for: the same key with other fields is a conflict, not a replay.
create function points_request_hash(p_kind text, p_from uuid, p_to uuid, p_amount bigint, p_rule uuid, p_source_type text, p_source_id text, p_reverses uuid) returns text
language sql immutable as $$
  select encode(sha256(convert_to(concat_ws('|', p_kind, p_from::text, p_to::text, p_amount::text,
    coalesce(p_rule::text, ''), coalesce(p_source_type, ''), coalesce(p_source_id, ''), coalesce(p_reverses::text, '')), 'UTF8')), 'hex')
$$;

-- The account of an owner, opened on first use.
create function points_account_id(p_kind text, p_owner text, p_region text) returns uuid
language plpgsql as $$
#variable_conflict use_column
declare
  found_id uuid;
begin
  select a.id into found_id from points_accounts a where a.kind = p_kind and a.owner_id = p_owner;
  if found_id is null then
    insert into points_accounts (kind, owner_id, region_id) values (p_kind, p_owner, p_region) on conflict do nothing;
    select a.id into found_id from points_accounts a where a.kind = p_kind and a.owner_id = p_owner;
  end if;
  return found_id;
end $$;

-- The worker's account, locked for the transaction: serialises everything that spends or caps it.
create function points_lock_worker(p_user text, p_region text) returns points_accounts
language plpgsql as $$
#variable_conflict use_column
declare
  acct points_accounts;
begin
  select * into acct from points_accounts a where a.kind = 'worker' and a.owner_id = p_user for update;
  if acct.id is null then
    insert into points_accounts (kind, owner_id, region_id) values ('worker', p_user, p_region) on conflict do nothing;
    select * into acct from points_accounts a where a.kind = 'worker' and a.owner_id = p_user for update;
  end if;
  return acct;
end $$;

-- Moves points: the transfer, worker balances (never below zero) and both entries. A retry with
-- the same key and fields returns the first transfer.
create function points_transfer(
  p_key text, p_kind text, p_from uuid, p_from_worker boolean, p_to uuid, p_to_worker boolean, p_amount bigint, p_reason text, p_region text,
  p_rule uuid default null, p_source_type text default null, p_source_id text default null, p_reverses uuid default null, p_actor uuid default null,
  out transfer_id uuid, out transfer_amount bigint, out replayed boolean)
language plpgsql as $$
#variable_conflict use_column
declare
  hash text := points_request_hash(p_kind, p_from, p_to, p_amount, p_rule, p_source_type, p_source_id, p_reverses);
  earlier record;
  from_balance bigint;
  to_balance bigint;
begin
  insert into points_transfers (key, request_hash, kind, from_account, to_account, amount, reason, region_id, rule_id, source_type, source_id, reverses_id, actor_id)
  values (p_key, hash, p_kind, p_from, p_to, p_amount, p_reason, p_region, p_rule, p_source_type, p_source_id, p_reverses, p_actor)
  on conflict (key) do nothing
  returning id into transfer_id;
  if transfer_id is null then
    select t.id, t.amount, t.request_hash into earlier from points_transfers t where t.key = p_key;
    if earlier.request_hash <> hash then perform points_refuse('TRANSFER_KEY_CONFLICT'); end if;
    transfer_id := earlier.id;
    transfer_amount := earlier.amount;
    replayed := true;
    return;
  end if;
  if p_from_worker then
    update points_accounts a set balance = a.balance - p_amount where a.id = p_from and a.balance >= p_amount returning a.balance into from_balance;
    if from_balance is null then perform points_refuse('INSUFFICIENT_POINTS'); end if;
  end if;
  if p_to_worker then
    update points_accounts a set balance = a.balance + p_amount where a.id = p_to returning a.balance into to_balance;
  end if;
  insert into points_entries (transfer_id, account_id, amount, balance_after)
  values (transfer_id, p_from, -p_amount, from_balance), (transfer_id, p_to, p_amount, to_balance);
  transfer_amount := p_amount;
  replayed := false;
end $$;

-- Takes `p_amount` from the worker's lots, earliest-expiring first, and records which. Lots are
-- locked as they are reached, not all of them: a worker who earned often has many open lots.
create function points_consume_lots(p_account uuid, p_transfer uuid, p_amount bigint) returns void
language plpgsql as $$
#variable_conflict use_column
declare
  lot record;
  wanted bigint := p_amount;
  take bigint;
begin
  for lot in
    select l.id, l.remaining from points_lots l
    where l.account_id = p_account and l.remaining > 0
    order by l.expires_at, l.id
    for update
  loop
    take := least(lot.remaining, wanted);
    update points_lots l set remaining = l.remaining - take where l.id = lot.id;
    insert into points_lot_uses (transfer_id, lot_id, amount) values (p_transfer, lot.id, take);
    wanted := wanted - take;
    exit when wanted = 0;
  end loop;
  -- The balance check already passed, so the lots must cover it; if not, the ledger is broken.
  if wanted <> 0 then
    raise exception 'lots of account % do not cover its balance', p_account;
  end if;
end $$;

-- Expiry of points earned now: 1 January (China time) after `p_years` full calendar years.
create function points_lot_expiry(p_years integer, p_now timestamptz) returns timestamptz
language sql immutable as $$
  select (make_timestamp(extract(year from (p_now at time zone 'UTC') + interval '8 hours')::integer + p_years + 1, 1, 1, 0, 0, 0) - interval '8 hours') at time zone 'UTC'
$$;

-- What a worker earned under a rule since a time: the caps.
create function points_earned_since(p_account uuid, p_rule uuid, p_since timestamptz) returns bigint
language sql stable as $$
  select coalesce(sum(t.amount), 0)::bigint from points_transfers t
  where t.to_account = p_account and t.rule_id = p_rule and t.kind = 'earn' and t.created_at >= p_since
$$;

-- Awards (or deducts) under a rule for one source, as PointsService.award describes.
create function points_award(
  p_user text, p_region text, p_rule uuid, p_points bigint, p_in_force boolean,
  p_source_type text, p_source_id text, p_reason text, p_actor uuid,
  p_now timestamptz, p_day_start timestamptz, p_month_start timestamptz, p_suspension_since timestamptz, p_suspend_until timestamptz,
  out transfer_id uuid, out signed_amount bigint, out balance_after bigint)
language plpgsql as $$
#variable_conflict use_column
declare
  transfer_key text := p_source_type || ':' || p_source_id;
  r points_rules;
  acct points_accounts;
  earlier record;
  issuer uuid;
  moved record;
  taken bigint;
  spent uuid;
  years integer;
begin
  select * into r from points_rules x where x.id = p_rule;
  select * into acct from points_lock_worker(p_user, p_region);

  select t.id, t.amount, t.rule_id, t.to_account, t.from_account into earlier from points_transfers t where t.key = transfer_key;
  if earlier.id is not null then
    if earlier.rule_id is distinct from r.id or (earlier.to_account <> acct.id and earlier.from_account <> acct.id) then perform points_refuse('ALREADY_AWARDED'); end if;
    if r.kind = 'earn' and earlier.amount <> p_points then perform points_refuse('TRANSFER_KEY_CONFLICT'); end if;
    transfer_id := earlier.id;
    signed_amount := case when r.kind = 'earn' then earlier.amount else -earlier.amount end;
    balance_after := acct.balance;
    return;
  end if;
  if not p_in_force then perform points_refuse('RULE_INACTIVE'); end if;
  issuer := points_account_id('issuer', r.region_id, r.region_id);

  if r.kind = 'earn' then
    if acct.earning_suspended_until > p_now then
      perform points_refuse('EARNING_SUSPENDED', jsonb_build_object('until', to_char((acct.earning_suspended_until at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD')));
    end if;
    if r.daily_cap is not null and points_earned_since(acct.id, r.id, p_day_start) + p_points > r.daily_cap then
      perform points_refuse('CAP_REACHED', '{"period":"daily"}');
    end if;
    if r.monthly_cap is not null and points_earned_since(acct.id, r.id, p_month_start) + p_points > r.monthly_cap then
      perform points_refuse('CAP_REACHED', '{"period":"monthly"}');
    end if;
    select * into moved from points_transfer(transfer_key, 'earn', issuer, false, acct.id, true, p_points, p_reason, p_region, r.id, p_source_type, p_source_id, null, p_actor);
    -- The nearest region with settings: the street's own, else the district's, else the default.
    select s.expiry_years into years from points_settings s where p_region like s.region_id || '%' order by length(s.region_id) desc limit 1;
    insert into points_lots (account_id, transfer_id, amount, remaining, expires_at)
    values (acct.id, moved.transfer_id, p_points, p_points, points_lot_expiry(coalesce(years, 1), p_now));
    transfer_id := moved.transfer_id;
    signed_amount := p_points;
    balance_after := acct.balance + p_points;
    return;
  end if;

  -- A deduction never takes a balance below zero: it takes what is there, and still counts.
  taken := least(p_points, acct.balance);
  if taken > 0 then
    select * into moved from points_transfer(transfer_key, 'deduct', acct.id, true, issuer, false, taken, p_reason, p_region, r.id, p_source_type, p_source_id, null, p_actor);
    perform points_consume_lots(acct.id, moved.transfer_id, taken);
    spent := moved.transfer_id;
  end if;
  insert into points_deductions (account_id, rule_id, transfer_id) values (acct.id, r.id, spent);
  if r.suspend_after is not null
    and (select count(*) from points_deductions d where d.account_id = acct.id and d.rule_id = r.id and d.created_at >= p_suspension_since) >= r.suspend_after then
    update points_accounts a set earning_suspended_until = p_suspend_until where a.id = acct.id;
  end if;
  transfer_id := spent;
  signed_amount := -taken;
  balance_after := acct.balance - taken;
end $$;

-- Phase one of a redemption: points leave the worker for the district's escrow, taken from the
-- earliest-expiring lots. Returns the hold; a retry with the same key returns the same hold.
create function points_hold(p_user text, p_region text, p_amount bigint, p_key text, p_reason text, p_expires_at timestamptz) returns uuid
language plpgsql as $$
#variable_conflict use_column
declare
  acct points_accounts;
  district text := left(p_region, 6);
  moved record;
  new_hold uuid;
begin
  select * into acct from points_lock_worker(p_user, p_region);
  select * into moved from points_transfer(p_key, 'hold', acct.id, true, points_account_id('escrow', district, district), false, p_amount, p_reason, p_region);
  if not moved.replayed then perform points_consume_lots(acct.id, moved.transfer_id, p_amount); end if;
  insert into points_holds (region_id, account_id, amount, hold_transfer_id, expires_at)
  values (p_region, acct.id, p_amount, moved.transfer_id, p_expires_at)
  on conflict do nothing
  returning id into new_hold;
  if new_hold is null then
    select h.id into new_hold from points_holds h where h.hold_transfer_id = moved.transfer_id;
  end if;
  return new_hold;
end $$;

-- A redemption, as RewardsService.redeem describes: points held, per-person limit, voucher,
-- stock. The caller has checked the reward is on offer to this worker today.
create function redeem_reward(
  p_user uuid, p_region text, p_reward uuid, p_partner uuid, p_price bigint, p_per_person_limit integer,
  p_key text, p_code text, p_reason text, p_expires_at timestamptz,
  out voucher_id uuid, out voucher_created_at timestamptz, out replayed boolean)
language plpgsql as $$
#variable_conflict use_column
declare
  earlier record;
  new_hold uuid;
  used bigint;
begin
  perform points_lock_worker(p_user::text, p_region);
  -- A retry that raced the first request past the caller's replay check finds it here, under the lock.
  select v.id, v.reward_id, v.created_at into earlier from vouchers v where v.worker_id = p_user and v.client_key = p_key;
  if earlier.id is not null then
    if earlier.reward_id <> p_reward then perform points_refuse('IDEMPOTENCY_KEY_REUSED'); end if;
    voucher_id := earlier.id;
    voucher_created_at := earlier.created_at;
    replayed := true;
    return;
  end if;
  -- The worker's row lock (taken above) must come before counting the per-person limit.
  new_hold := points_hold(p_user::text, p_region, p_price, 'redeem:' || p_user || ':' || p_key, p_reason, p_expires_at);
  select count(*) into used from vouchers v where v.reward_id = p_reward and v.worker_id = p_user and v.status in ('held', 'fulfilled');
  if used >= p_per_person_limit then perform points_refuse('LIMIT_REACHED'); end if;
  -- Late, so the reward's row (every redeemer of it needs it) stays locked only until commit; and
  -- before the voucher, whose foreign-key check then finds the row already ours instead of adding
  -- a lock (a MultiXact) to the row every other redeemer is updating.
  update rewards w set stock = w.stock - 1 where w.id = p_reward and w.stock > 0;
  if not found then perform points_refuse('OUT_OF_STOCK'); end if;
  insert into vouchers (region_id, reward_id, partner_id, worker_id, hold_id, client_key, code, points, expires_at)
  values (p_region, p_reward, p_partner, p_user, new_hold, p_key, p_code, p_price, p_expires_at)
  returning id, created_at into voucher_id, voucher_created_at;
  replayed := false;
end $$;
