import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';

export interface ReconcileReport {
  transfers: number;
  accounts: number;
  /** Sum of every account's balance (workers' stored, system accounts' from entries): must be 0. */
  ledgerSum: number;
  problems: string[];
}

/**
 * Checks the ledger's invariants: every transfer is two entries summing to zero and matching its
 * amount; every worker's stored balance equals the sum of its entries and of its lots; no balance
 * is negative; the whole ledger sums to zero; pending holds equal what escrow accounts hold.
 */
export async function reconcile(db: Db): Promise<ReconcileReport> {
  const problems: string[] = [];
  const unbalanced = await sql<{ id: string }>`
    select t.id from points_transfers t left join points_entries e on e.transfer_id = t.id
    group by t.id, t.amount
    having count(e.id) <> 2 or coalesce(sum(e.amount), 1) <> 0 or max(e.amount) <> t.amount`.execute(db);
  for (const r of unbalanced.rows) problems.push(`transfer ${r.id}: entries do not balance`);

  const drifted = await sql<{ id: string; balance: number; entries: number; lots: number }>`
    select a.id, a.balance,
      coalesce((select sum(amount) from points_entries e where e.account_id = a.id), 0)::bigint as entries,
      coalesce((select sum(remaining) from points_lots l where l.account_id = a.id), 0)::bigint as lots
    from points_accounts a where a.kind = 'worker'`.execute(db);
  for (const r of drifted.rows) {
    if (Number(r.balance) !== Number(r.entries)) problems.push(`account ${r.id}: balance ${r.balance} ≠ entries ${r.entries}`);
    if (Number(r.balance) !== Number(r.lots)) problems.push(`account ${r.id}: balance ${r.balance} ≠ lots ${r.lots}`);
    if (Number(r.balance) < 0) problems.push(`account ${r.id}: negative balance ${r.balance}`);
  }

  const sums = await sql<{ ledger: number; transfers: number; accounts: number }>`
    select
      coalesce((select sum(balance) from points_accounts where kind = 'worker'), 0)
        + coalesce((select sum(e.amount) from points_entries e join points_accounts a on a.id = e.account_id where a.kind <> 'worker'), 0) as ledger,
      (select count(*) from points_transfers) as transfers,
      (select count(*) from points_accounts) as accounts`.execute(db);
  const { ledger, transfers, accounts } = sums.rows[0]!;
  if (Number(ledger) !== 0) problems.push(`ledger sums to ${ledger}, not 0`);

  const escrow = await sql<{ held: number; escrowed: number }>`
    select
      coalesce((select sum(amount) from points_holds where status = 'pending'), 0)::bigint as held,
      coalesce((select sum(e.amount) from points_entries e join points_accounts a on a.id = e.account_id where a.kind = 'escrow'), 0)::bigint as escrowed`.execute(db);
  const { held, escrowed } = escrow.rows[0]!;
  if (Number(held) !== Number(escrowed)) problems.push(`pending holds ${held} ≠ escrow ${escrowed}`);

  return { transfers: Number(transfers), accounts: Number(accounts), ledgerSum: Number(ledger), problems };
}
