import { createHash } from 'node:crypto';
import type { TransferKind } from '@nuanxin/shared';
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

/** Applies a signed amount to an account: workers under their stored balance, others as entries only. */
async function post(tx: Db, transferId: string, acct: Account, amount: number) {
  let balanceAfter: number | null = null;
  if (acct.kind === 'worker') {
    const row = await tx
      .updateTable('points_accounts')
      .set((eb) => ({ balance: eb('balance', '+', amount) }))
      .where('id', '=', acct.id)
      .where((eb) => eb('balance', '>=', -amount))
      .returning('balance')
      .executeTakeFirst();
    if (!row) throw new AppError('INSUFFICIENT_POINTS');
    balanceAfter = row.balance;
  }
  await tx.insertInto('points_entries').values({ transfer_id: transferId, account_id: acct.id, amount, balance_after: balanceAfter }).execute();
  return balanceAfter;
}

/**
 * Moves points. A worker's balance never goes below zero (refused with INSUFFICIENT_POINTS, and
 * the CHECK constraint backs it). A retry with the same key and fields returns the first transfer;
 * the same key with other fields is a TRANSFER_KEY_CONFLICT.
 */
export async function transfer(tx: Db, t: TransferInput): Promise<TransferResult> {
  if (!Number.isSafeInteger(t.amount) || t.amount <= 0) throw new AppError('VALIDATION_FAILED', { amount: t.amount });
  const hash = requestHash(t);
  const inserted = await tx
    .insertInto('points_transfers')
    .values({
      key: t.key,
      request_hash: hash,
      kind: t.kind,
      from_account: t.from.id,
      to_account: t.to.id,
      amount: t.amount,
      reason: t.reason,
      region_id: t.regionId,
      rule_id: t.ruleId ?? null,
      source_type: t.sourceType ?? null,
      source_id: t.sourceId ?? null,
      reverses_id: t.reversesId ?? null,
      actor_id: t.actorId ?? null,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning(['id'])
    .executeTakeFirst();
  if (!inserted) {
    const first = await tx.selectFrom('points_transfers').select(['id', 'amount', 'request_hash']).where('key', '=', t.key).executeTakeFirstOrThrow();
    if (first.request_hash !== hash) throw new AppError('TRANSFER_KEY_CONFLICT');
    return { id: first.id, amount: first.amount, replayed: true };
  }
  // Debit first: a refused debit aborts the transaction before anything is credited.
  await post(tx, inserted.id, t.from, -t.amount);
  await post(tx, inserted.id, t.to, t.amount);
  return { id: inserted.id, amount: t.amount, replayed: false };
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

/** Takes `amount` from the worker's lots, earliest-expiring first, and records which. */
export async function consumeLots(tx: Db, accountId: string, transferId: string, amount: number) {
  const lots = await tx
    .selectFrom('points_lots')
    .select(['id', 'remaining'])
    .where('account_id', '=', accountId)
    .where('remaining', '>', 0)
    .orderBy('expires_at')
    .orderBy('id')
    .forUpdate()
    .execute();
  let left = amount;
  for (const lot of lots) {
    if (left === 0) break;
    const take = Math.min(left, lot.remaining);
    await tx.updateTable('points_lots').set({ remaining: lot.remaining - take }).where('id', '=', lot.id).execute();
    await tx.insertInto('points_lot_uses').values({ transfer_id: transferId, lot_id: lot.id, amount: take }).execute();
    left -= take;
  }
  // The balance check already passed, so the lots must cover it; if not, the ledger is broken.
  if (left > 0) throw new Error(`lots of account ${accountId} do not cover its balance`);
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
