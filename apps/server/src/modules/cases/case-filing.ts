import { withLockTimeout, type Database, type Db } from '../../db/client.ts';
import { WriteBatch, type Settled } from '../../db/write-batch.ts';
import type { AppError } from '../../common/errors.ts';
import type { Limit, RateLimiter } from '../../common/rate-limit.ts';
import * as repo from './cases.repository.ts';

/** The rate limits a filing counts against, and the limiter that keeps them. */
export interface RateCheck {
  limiter: RateLimiter;
  rules: ReadonlyArray<readonly [bucket: string, limit: Limit]>;
}

/** What one read made of a report: a refusal, the case filed before under its key, or the case to write. */
export type FilingPlan = { kind: 'refuse'; error: AppError } | { kind: 'replay'; id: string } | { kind: 'file'; filing: repo.NewAppCase };
export interface Filing {
  rate: RateCheck | null;
  plan: FilingPlan;
}
/** Filed now, or already there under its reporter and key (filed before, by a concurrent request, or earlier in the batch). */
export type FilingOutcome = { kind: 'filed'; filed: NonNullable<Awaited<ReturnType<typeof repo.fileCases>>[number]> } | { kind: 'existing' };

/**
 * Batches go one at a time per lane, and a community always takes the same lane, so the shared
 * rows a filing locks (the dashboard's rollups of its community and day) are wanted by one batch
 * at a time. One lane by default: on this 2-core machine, with an empty case table, one lane filed
 * 640–726 reports/s against 443–506 with four (20 connections), since bigger batches mean fewer
 * round trips per report (1.6 statements instead of 2.3). With 1,000,000 cases and nothing read
 * before the write, one lane files ~1,030/s (`npm run bench:cases`); two or four lanes did no
 * better in side-by-side trials. Several
 * server processes still write several batches at once; a larger database server may want more
 * lanes per process. Lanes share a rider's own rows (rate counters, last active day) when one rider
 * files in two communities at once: rare, and a cycle there is broken by the lock timeout below.
 */
const FILING_LANES = 1;

export class FilingLanes {
  private readonly lanes: Array<WriteBatch<Filing, FilingOutcome>>;

  constructor(run: (items: Filing[]) => Promise<Array<Settled<FilingOutcome>>>, count = FILING_LANES) {
    this.lanes = Array.from({ length: count }, () => new WriteBatch(run));
  }

  submit(item: Filing): Promise<FilingOutcome> {
    const region = item.plan.kind === 'file' ? item.plan.filing.regionId : '';
    let hash = 0;
    for (let i = 0; i < region.length; i++) hash = (hash * 31 + region.charCodeAt(i)) >>> 0;
    return this.lanes[hash % this.lanes.length]!.submit(item);
  }
}

/**
 * How long a batch waits for a row lock before it gives up (and its filings go again one by one).
 * A batch takes many shared rows — rate counters, the dashboard rollups of several categories and
 * days (in key order per table since 0023), riders' last active days — so it can still close a
 * cycle with a workflow step, which takes its case's old and new rollup rows in two passes: it
 * must lose that, and well before the deadlock detector (1 s) might pick the other one.
 */
const BATCH_LOCK_TIMEOUT = '300ms';

/**
 * Writes a batch of filings in one transaction; a filing alone needs none (its rate-limit hits
 * and its case are then two statements that commit each on its own, as before batching).
 */
export function fileBatch(database: Database, items: readonly Filing[]): Promise<Array<Settled<FilingOutcome>>> {
  return items.length === 1 ? fileTogether(database.db, items) : withLockTimeout(database, BATCH_LOCK_TIMEOUT, (tx) => fileTogether(tx, items));
}

/**
 * Writes a batch of filings in the caller's transaction, in three statements whatever their number:
 * the rate-limit hits of all of them (each over its limit refused on its own, even if it would
 * have been refused for something else too), then the cases, their events and live notices. A key
 * twice in the batch is written once; the later one finds the case once the batch has committed.
 */
export async function fileTogether(tx: Db, items: readonly Filing[]): Promise<Array<Settled<FilingOutcome>>> {
  const refusals: Array<AppError | null> = items.map(() => null);
  // One limiter in practice (the app's); grouped so that each item is counted by its own.
  const limiters = new Set(items.flatMap((i) => (i.rate ? [i.rate.limiter] : [])));
  for (const limiter of limiters) {
    const counted = items.flatMap((i, n) => (i.rate?.limiter === limiter ? [{ n, rules: i.rate.rules }] : []));
    const answers = await limiter.takeEach(tx, counted.map((c) => c.rules));
    counted.forEach((c, k) => (refusals[c.n] = answers[k]!));
  }
  const settled: Array<Settled<FilingOutcome>> = items.map(() => ({ ok: true, value: { kind: 'existing' } }));
  const toFile: number[] = [];
  const keys = new Set<string>();
  items.forEach((item, n) => {
    const refusal = refusals[n] ?? (item.plan.kind === 'refuse' ? item.plan.error : null);
    if (refusal) settled[n] = { ok: false, error: refusal };
    else if (item.plan.kind === 'file') {
      const key = `${item.plan.filing.reporterId} ${item.plan.filing.clientKey}`;
      if (!keys.has(key)) toFile.push(n);
      keys.add(key);
    }
  });
  if (toFile.length === 0) return settled;
  const filed = await repo.fileCases(tx, toFile.map((n) => (items[n]!.plan as Extract<FilingPlan, { kind: 'file' }>).filing));
  toFile.forEach((n, k) => {
    const done = filed[k];
    if (done) settled[n] = { ok: true, value: { kind: 'filed', filed: done } };
  });
  return settled;
}
