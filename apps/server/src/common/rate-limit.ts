import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import { AppError } from './errors.ts';

/** How many hits a bucket allows per window. */
export interface Limit {
  hits: number;
  windowSeconds: number;
}

/**
 * The limits of the platform, per person unless named otherwise. Per-address limits stay high:
 * riders on one carrier share addresses behind carrier-grade NAT, so the person is the unit.
 */
export const LIMITS = {
  /** Street reports: a rainstorm makes a rider report often, a script far more often. */
  reportPerUser: { hits: 20, windowSeconds: 60 },
  reportPerUserHour: { hits: 200, windowSeconds: 3600 },
  redeemPerUser: { hits: 10, windowSeconds: 60 },
  /** Wrong staff passwords before the account is locked for the rest of the window. */
  passwordFailuresPerAccount: { hits: 5, windowSeconds: 900 },
  passwordFailuresPerAddress: { hits: 50, windowSeconds: 900 },
} as const satisfies Record<string, Limit>;

/** One bucket's current window, as `RateLimiter.window` gives it. */
export interface RateWindow {
  bucket: string;
  start: Date;
  maxHits: number;
  seconds: number;
}

function windowOf(limit: Limit, now: number): { start: Date; endsInSeconds: number } {
  const size = limit.windowSeconds * 1000;
  const start = Math.floor(now / size) * size;
  return { start: new Date(start), endsInSeconds: Math.max(1, Math.ceil((start + size - now) / 1000)) };
}

/**
 * Counters in PostgreSQL (so every server process shares them), in fixed windows: one upsert per
 * check. `scale` multiplies every limit (RATE_LIMIT_SCALE, for load tests; 1 in production).
 */
export class RateLimiter {
  constructor(
    private readonly db: Db,
    private readonly scale = 1,
  ) {}

  /**
   * Counts a hit in each bucket (one statement for all of them) and refuses with 429
   * TOO_MANY_REQUESTS if any is over its limit, saying how long until that window ends.
   */
  async take(rules: ReadonlyArray<readonly [bucket: string, limit: Limit]>, now = Date.now()): Promise<void> {
    const [refusal] = await this.takeEach(this.db, [rules], now);
    if (refusal) throw refusal;
  }

  /**
   * `take` for many requests at once in the caller's transaction (a batch of writes): one statement
   * counts all their hits (buckets in key order, so two batches lock them alike), and each request
   * gets its own refusal or null, as if they had come one after another in the order given.
   */
  async takeEach(db: Db, requests: ReadonlyArray<ReadonlyArray<readonly [bucket: string, limit: Limit]>>, now = Date.now()): Promise<Array<AppError | null>> {
    const keyOf = (bucket: string, start: Date) => `${start.getTime()} ${bucket}`;
    const batch = new Map<string, { bucket: string; window_start: Date; hits: number }>();
    for (const rules of requests) {
      for (const [bucket, limit] of rules) {
        const start = windowOf(limit, now).start;
        const row = batch.get(keyOf(bucket, start)) ?? { bucket, window_start: start, hits: 0 };
        row.hits++;
        batch.set(keyOf(bucket, start), row);
      }
    }
    if (batch.size === 0) return requests.map(() => null);
    const rows = [...batch.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.window_start.getTime() - b.window_start.getTime()));
    const counted = await db
      .insertInto('rate_counters')
      .values(rows)
      .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`rate_counters.hits + excluded.hits` }))
      .returning(['bucket', 'window_start', 'hits'])
      .execute();
    const totals = new Map(counted.map((c) => [keyOf(c.bucket, new Date(c.window_start)), c.hits]));
    // This batch's hits are the last ones counted in each bucket; the first request got the first of them.
    const seen = new Map<string, number>();
    return requests.map((rules) => {
      let refusal: AppError | null = null;
      for (const [bucket, limit] of rules) {
        const window = windowOf(limit, now);
        const key = keyOf(bucket, window.start);
        const nth = (seen.get(key) ?? 0) + 1;
        seen.set(key, nth);
        const hits = totals.get(key)! - batch.get(key)!.hits + nth;
        if (!refusal && hits > limit.hits * this.scale) refusal = new AppError('TOO_MANY_REQUESTS', { seconds: window.endsInSeconds });
      }
      return refusal;
    });
  }

  /** Hits so far in the current window, without counting one. */
  async count(bucket: string, limit: Limit, now = Date.now()): Promise<number> {
    const row = await this.db.selectFrom('rate_counters').select('hits').where('bucket', '=', bucket).where('window_start', '=', windowOf(limit, now).start).executeTakeFirst();
    return row?.hits ?? 0;
  }

  allows(hits: number, limit: Limit): boolean {
    return hits < limit.hits * this.scale;
  }

  /**
   * What `take` counts for one bucket, for a SQL function that counts it in its own statement (the
   * same row and upsert; e.g. `redeem_request`): refuse with TOO_MANY_REQUESTS { seconds } past `maxHits`.
   */
  window(bucket: string, limit: Limit, now = Date.now()): RateWindow {
    const window = windowOf(limit, now);
    return { bucket, start: window.start, maxHits: limit.hits * this.scale, seconds: window.endsInSeconds };
  }

  /** Drops windows that ended more than a day ago. */
  async prune(now = Date.now()): Promise<number> {
    const gone = await this.db.deleteFrom('rate_counters').where('window_start', '<', new Date(now - 86_400_000)).executeTakeFirst();
    return Number(gone.numDeletedRows);
  }
}
