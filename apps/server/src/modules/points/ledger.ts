import { createHash } from 'node:crypto';
import type { TransferKind } from '@nuanxin/shared';
import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';
import type { AccountKind } from '../../db/schema.ts';
import { AppError } from '../../common/errors.ts';

/**
 * The points ledger. Points move only as transfers between two accounts, each written as two
 * entries that sum to zero; nothing is edited or deleted (triggers refuse it). Every function
 * takes the caller's transaction, so a transfer commits together with what caused it.
 */

export interface Account {
  id: string;
  kind: AccountKind;
  region_id: string;
  balance: number;
}

/** The district a region belongs to: escrow and expiry accounts are kept per district. */
export const districtOf = (regionId: string) => regionId.slice(0, 6);

const accountColumns = ['id', 'kind', 'region_id', 'balance'] as const;

/** Finds or opens the account of an owner (a user, a region, a partner). One round trip once it exists. */
export async function account(tx: Db, kind: AccountKind, ownerId: string, regionId: string): Promise<Account> {
  const found = await tx.selectFrom('points_accounts').select(accountColumns).where('kind', '=', kind).where('owner_id', '=', ownerId).executeTakeFirst();
  if (found) return found;
  await tx.insertInto('points_accounts').values({ kind, owner_id: ownerId, region_id: regionId }).onConflict((oc) => oc.doNothing()).execute();
  return tx.selectFrom('points_accounts').select(accountColumns).where('kind', '=', kind).where('owner_id', '=', ownerId).executeTakeFirstOrThrow();
}

/** The worker's account, locked for this transaction: serialises everything that spends or caps it. */
export async function lockWorker(tx: Db, userId: string, regionId: string) {
  const lock = () => tx.selectFrom('points_accounts').selectAll().where('kind', '=', 'worker').where('owner_id', '=', userId).forUpdate().executeTakeFirst();
  const found = await lock();
  if (found) return found;
  await tx.insertInto('points_accounts').values({ kind: 'worker', owner_id: userId, region_id: regionId }).onConflict((oc) => oc.doNothing()).execute();
  return (await lock())!;
}

export interface TransferInput {
  /** Client- or source-derived id: the same key returns the first transfer (idempotent). */
  key: string;
  kind: TransferKind;
  from: Account;
  to: Account;
  amount: number;
  reason: string;
  regionId: string;
  ruleId?: string | null;
  sourceType?: string | null;
  sourceId?: string | null;
  reversesId?: string | null;
  actorId?: string | null;
}

export interface TransferResult {
  id: string;
  amount: number;
  /** True when the key had been used: nothing new was written. */
  replayed: boolean;
}

export function requestHash(t: TransferInput): string {
  const fields = [t.kind, t.from.id, t.to.id, t.amount, t.ruleId ?? '', t.sourceType ?? '', t.sourceId ?? '', t.reversesId ?? ''];
  return createHash('sha256').update(fields.join('|')).digest('hex');
}

/**
 * Moves points. A worker's balance never goes below zero (refused with INSUFFICIENT_POINTS, which
 * aborts the caller's transaction; the CHECK constraint backs it). A retry with the same key and
 * fields returns the first transfer; the same key with other fields is a TRANSFER_KEY_CONFLICT.
 *
 * One statement does it all (the transfer, the worker balances under their row locks, both
 * entries): a redemption or an award is a chain of these, and each round trip is what costs most.
 */
export async function transfer(tx: Db, t: TransferInput): Promise<TransferResult> {
  if (!Number.isSafeInteger(t.amount) || t.amount <= 0) throw new AppError('VALIDATION_FAILED', { amount: t.amount });
  const hash = requestHash(t);
  const fromWorker = t.from.kind === 'worker';
  const toWorker = t.to.kind === 'worker';
  const { rows } = await sql<{ id: string | null; debited: boolean }>`
    with ins as (
      insert into points_transfers (key, request_hash, kind, from_account, to_account, amount, reason, region_id, rule_id, source_type, source_id, reverses_id, actor_id)
      values (${t.key}, ${hash}, ${t.kind}, ${t.from.id}, ${t.to.id}, ${t.amount}, ${t.reason}, ${t.regionId}, ${t.ruleId ?? null}, ${t.sourceType ?? null}, ${t.sourceId ?? null}, ${t.reversesId ?? null}, ${t.actorId ?? null})
      on conflict (key) do nothing
      returning id
    ), debit as (
      update points_accounts set balance = balance - ${t.amount}
      where ${fromWorker} and id = ${t.from.id} and balance >= ${t.amount} and exists (select 1 from ins)
      returning balance
    ), credit as (
      update points_accounts set balance = balance + ${t.amount}
      where ${toWorker} and id = ${t.to.id} and exists (select 1 from ins)
      returning balance
    ), entries as (
      insert into points_entries (transfer_id, account_id, amount, balance_after)
      select id, ${t.from.id}::uuid, ${-t.amount}::bigint, (select balance from debit) from ins
      union all
      select id, ${t.to.id}::uuid, ${t.amount}::bigint, (select balance from credit) from ins
    )
    select (select id from ins) as id, exists (select 1 from debit) as debited`.execute(tx);
  const row = rows[0]!;
  if (!row.id) {
    const first = await tx.selectFrom('points_transfers').select(['id', 'amount', 'request_hash']).where('key', '=', t.key).executeTakeFirstOrThrow();
    if (first.request_hash !== hash) throw new AppError('TRANSFER_KEY_CONFLICT');
    return { id: first.id, amount: first.amount, replayed: true };
  }
  if (fromWorker && !row.debited) throw new AppError('INSUFFICIENT_POINTS');
  return { id: row.id, amount: t.amount, replayed: false };
}

/** When points earned now expire: 1 January (China time) after `expiryYears` full calendar years. */
export function lotExpiry(expiryYears: number, now = new Date()): Date {
  const year = new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
  return new Date(Date.UTC(year + expiryYears + 1, 0, 1) - 8 * 3_600_000);
}

/** Opens a lot for newly earned points. */
export async function openLot(tx: Db, accountId: string, transferId: string, amount: number, expiryYears: number, now = new Date()) {
  const expiresAt = lotExpiry(expiryYears, now);
  await tx.insertInto('points_lots').values({ account_id: accountId, transfer_id: transferId, amount, remaining: amount, expires_at: expiresAt }).execute();
}

/**
 * Takes `amount` from the worker's lots, earliest-expiring first, and records which, in one
 * statement: lock the open lots, work out each one's share with a running total, take it.
 */
export async function consumeLots(tx: Db, accountId: string, transferId: string, amount: number) {
  const { rows } = await sql<{ taken: number }>`
    with locked as (
      select id, remaining, expires_at from points_lots
      where account_id = ${accountId} and remaining > 0
      order by expires_at, id
      for update
    ), plan as (
      select id, least(remaining, greatest(${amount}::bigint - coalesce(sum(remaining) over (order by expires_at, id rows between unbounded preceding and 1 preceding), 0), 0)) as take
      from locked
    ), taken as (
      update points_lots l set remaining = l.remaining - plan.take
      from plan where l.id = plan.id and plan.take > 0
      returning l.id, plan.take
    ), uses as (
      insert into points_lot_uses (transfer_id, lot_id, amount) select ${transferId}::uuid, id, take from taken
    )
    select coalesce(sum(take), 0)::bigint as taken from taken`.execute(tx);
  // The balance check already passed, so the lots must cover it; if not, the ledger is broken.
  if (Number(rows[0]!.taken) !== amount) throw new Error(`lots of account ${accountId} do not cover its balance`);
}

/** Gives back to the same lots what a spending transfer took (a voided hold). */
export async function restoreLots(tx: Db, spendingTransferId: string) {
  const uses = await tx.selectFrom('points_lot_uses').select(['lot_id', 'amount']).where('transfer_id', '=', spendingTransferId).execute();
  for (const use of uses) {
    await tx
      .updateTable('points_lots')
      .set((eb) => ({ remaining: eb('remaining', '+', use.amount) }))
      .where('id', '=', use.lot_id)
      .execute();
  }
}
