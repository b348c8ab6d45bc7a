import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';
import { startOfDay, startOfMonth } from '../../common/time.ts';
import * as ledger from './ledger.ts';
import type { RuleRow } from './points.repository.ts';

export interface BatchAwardItem {
  userId: string;
  regionId: string;
  /** One award per source, as for single awards. */
  sourceId: string;
}

export interface BatchAwardResult {
  awarded: Array<{ userId: string; transferId: string; amount: number }>;
  refused: Array<{ userId: string; code: string }>;
}

/**
 * Awards an earning rule to many workers with a fixed number of statements, whatever the count:
 * accounts locked together (in id order, so two batches cannot deadlock), caps summed in one query,
 * then transfers, entries, balances and lots written set-wise. Same rules as `award`: one award per
 * source (a replay returns the first transfer), caps, suspension, rule validity checked by the caller.
 */
export async function awardBatch(
  tx: Db,
  input: { rule: RuleRow; items: BatchAwardItem[]; sourceType: string; reason: string; actorId: string | null; points: number; expiryYears: number },
): Promise<BatchAwardResult> {
  const { rule, items, points } = input;
  const result: BatchAwardResult = { awarded: [], refused: [] };
  const userIds = items.map((i) => i.userId);
  await sql`insert into points_accounts (kind, owner_id, region_id)
    select 'worker', u, r from unnest(${userIds}::text[], ${items.map((i) => i.regionId)}::text[]) as t(u, r)
    on conflict do nothing`.execute(tx);
  const accounts = await tx.selectFrom('points_accounts').selectAll().where('kind', '=', 'worker').where('owner_id', 'in', userIds).orderBy('id').forUpdate().execute();
  const accountOf = new Map(accounts.map((a) => [a.owner_id, a]));
  const issuer = await ledger.account(tx, 'issuer', rule.region_id, rule.region_id);

  const keyOf = (item: BatchAwardItem) => `${input.sourceType}:${item.sourceId}`;
  const earlier = await tx.selectFrom('points_transfers').select(['key', 'id', 'amount', 'to_account', 'rule_id']).where('key', 'in', items.map(keyOf)).execute();
  const earlierByKey = new Map(earlier.map((t) => [t.key, t]));

  const caps = new Map<string, { day: number; month: number }>();
  if (rule.daily_cap || rule.monthly_cap) {
    const rows = await sql<{ to_account: string; day: number; month: number }>`
      select to_account,
        coalesce(sum(amount) filter (where created_at >= ${startOfDay()}), 0)::bigint as day,
        coalesce(sum(amount), 0)::bigint as month
      from points_transfers
      where kind = 'earn' and rule_id = ${rule.id} and created_at >= ${startOfMonth()} and to_account = any(${accounts.map((a) => a.id)}::uuid[])
      group by to_account`.execute(tx);
    for (const r of rows.rows) caps.set(r.to_account, { day: Number(r.day), month: Number(r.month) });
  }

  const now = new Date();
  const fresh: Array<{ item: BatchAwardItem; accountId: string; key: string }> = [];
  const seen = new Set<string>();
  for (const item of items) {
    const acct = accountOf.get(item.userId)!;
    const key = keyOf(item);
    const first = earlierByKey.get(key);
    if (seen.has(item.userId)) continue; // the same worker twice in one batch counts once
    seen.add(item.userId);
    if (first) {
      if (first.rule_id !== rule.id || first.to_account !== acct.id) result.refused.push({ userId: item.userId, code: 'ALREADY_AWARDED' });
      else if (first.amount !== points) result.refused.push({ userId: item.userId, code: 'TRANSFER_KEY_CONFLICT' });
      else result.awarded.push({ userId: item.userId, transferId: first.id, amount: first.amount });
      continue;
    }
    if (acct.earning_suspended_until && acct.earning_suspended_until > now) {
      result.refused.push({ userId: item.userId, code: 'EARNING_SUSPENDED' });
      continue;
    }
    const used = caps.get(acct.id) ?? { day: 0, month: 0 };
    if ((rule.daily_cap && used.day + points > rule.daily_cap) || (rule.monthly_cap && used.month + points > rule.monthly_cap)) {
      result.refused.push({ userId: item.userId, code: 'CAP_REACHED' });
      continue;
    }
    fresh.push({ item, accountId: acct.id, key });
  }
  if (fresh.length === 0) return result;

  const inserted = await sql<{ id: string; key: string; to_account: string }>`
    insert into points_transfers (key, request_hash, kind, from_account, to_account, amount, reason, region_id, rule_id, source_type, source_id, actor_id)
    select k, points_request_hash('earn', ${issuer.id}::uuid, a, ${points}::bigint, ${rule.id}::uuid, ${input.sourceType}, s, null), 'earn', ${issuer.id}::uuid, a, ${points}::bigint, ${input.reason}, r, ${rule.id}::uuid, ${input.sourceType}, s, ${input.actorId}::uuid
    from unnest(${fresh.map((f) => f.key)}::text[], ${fresh.map((f) => f.accountId)}::uuid[], ${fresh.map((f) => f.item.regionId)}::text[], ${fresh.map((f) => f.item.sourceId)}::text[]) as t(k, a, r, s)
    returning id, key, to_account`.execute(tx);
  const transfers = inserted.rows;
  const balances = await sql<{ id: string; balance: number }>`
    update points_accounts a set balance = a.balance + ${points}::bigint
    where a.id = any(${transfers.map((t) => t.to_account)}::uuid[])
    returning a.id, a.balance`.execute(tx);
  const balanceOf = new Map(balances.rows.map((b) => [b.id, Number(b.balance)]));
  await sql`insert into points_entries (transfer_id, account_id, amount, balance_after)
    select t, a, m, b from unnest(
      ${[...transfers.map((t) => t.id), ...transfers.map((t) => t.id)]}::uuid[],
      ${[...transfers.map(() => issuer.id), ...transfers.map((t) => t.to_account)]}::uuid[],
      ${[...transfers.map(() => -points), ...transfers.map(() => points)]}::bigint[],
      ${[...transfers.map(() => null), ...transfers.map((t) => balanceOf.get(t.to_account)!)]}::bigint[]
    ) as e(t, a, m, b)`.execute(tx);
  const expiresAt = ledger.lotExpiry(input.expiryYears);
  await sql`insert into points_lots (account_id, transfer_id, amount, remaining, expires_at)
    select a, t, ${points}::bigint, ${points}::bigint, ${expiresAt} from unnest(${transfers.map((t) => t.to_account)}::uuid[], ${transfers.map((t) => t.id)}::uuid[]) as l(a, t)`.execute(tx);

  const userOfAccount = new Map(fresh.map((f) => [f.accountId, f.item.userId]));
  for (const t of transfers) result.awarded.push({ userId: userOfAccount.get(t.to_account)!, transferId: t.id, amount: points });
  return result;
}
