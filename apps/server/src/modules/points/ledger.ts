import { ERRORS, type ErrorCode, type TransferKind } from '@nuanxin/shared';
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

const REFUSAL_SQLSTATE = 'NXR01';

/** Turns a refusal raised by the ledger's SQL functions (0005_points_speed.sql) into an AppError. */
export function asRefusal(err: unknown): unknown {
  const e = err as { code?: unknown; message?: unknown; detail?: unknown };
  if (e?.code !== REFUSAL_SQLSTATE || typeof e.message !== 'string' || !(e.message in ERRORS)) return err;
  const details = typeof e.detail === 'string' && e.detail !== '' ? (JSON.parse(e.detail) as Record<string, unknown>) : undefined;
  return new AppError(e.message as ErrorCode, details);
}

/** Runs a statement that calls the ledger's SQL functions, with their refusals as AppErrors. */
export async function refusals<T>(statement: Promise<T>): Promise<T> {
  try {
    return await statement;
  } catch (err) {
    throw asRefusal(err);
  }
}

/**
 * Moves points. A worker's balance never goes below zero (refused with INSUFFICIENT_POINTS, which
 * aborts the caller's transaction; the CHECK constraint backs it). A retry with the same key and
 * fields returns the first transfer; the same key with other fields is a TRANSFER_KEY_CONFLICT.
 * One statement (`points_transfer`): the transfer, worker balances under their row locks, both entries.
 */
export async function transfer(tx: Db, t: TransferInput): Promise<TransferResult> {
  if (!Number.isSafeInteger(t.amount) || t.amount <= 0) throw new AppError('VALIDATION_FAILED', { amount: t.amount });
  const { rows } = await refusals(
    sql<{ transfer_id: string; transfer_amount: number; replayed: boolean }>`
      select * from points_transfer(${t.key}, ${t.kind}, ${t.from.id}, ${t.from.kind === 'worker'}, ${t.to.id}, ${t.to.kind === 'worker'}, ${t.amount}, ${t.reason}, ${t.regionId},
        ${t.ruleId ?? null}, ${t.sourceType ?? null}, ${t.sourceId ?? null}, ${t.reversesId ?? null}, ${t.actorId ?? null})`.execute(tx),
  );
  const row = rows[0]!;
  return { id: row.transfer_id, amount: Number(row.transfer_amount), replayed: row.replayed };
}

/** Phase one of a redemption (`points_hold`): worker → escrow, from the earliest-expiring lots. A retry with the same key returns the same hold. */
export async function hold(tx: Db, h: { userId: string; regionId: string; amount: number; key: string; reason: string; expiresAt: Date }): Promise<string> {
  const { rows } = await refusals(sql<{ hold_id: string }>`select points_hold(${h.userId}, ${h.regionId}, ${h.amount}, ${h.key}, ${h.reason}, ${h.expiresAt}) as hold_id`.execute(tx));
  return rows[0]!.hold_id;
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
