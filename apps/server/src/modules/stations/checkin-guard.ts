/**
 * Counts wrong check-in codes per worker, so nobody can try the million codes: after `max` wrong
 * ones in `windowMs` the worker must wait for the window to pass. Kept in this process's memory: a
 * guess costs nothing to store, and with N server processes the bound is N × max, still far from
 * the 500,000 guesses a hit needs on average.
 */
export class CheckinGuard {
  private readonly wrong = new Map<string, { since: number; count: number }>();

  constructor(
    private readonly max = 10,
    private readonly windowMs = 10 * 60_000,
  ) {}

  /** Minutes to wait, or 0 when the worker may try. */
  waitMinutes(workerId: string, now = Date.now()): number {
    const entry = this.wrong.get(workerId);
    if (!entry || now - entry.since >= this.windowMs) return 0;
    return entry.count >= this.max ? Math.max(1, Math.ceil((entry.since + this.windowMs - now) / 60_000)) : 0;
  }

  recordWrong(workerId: string, now = Date.now()): void {
    const entry = this.wrong.get(workerId);
    if (!entry || now - entry.since >= this.windowMs) this.wrong.set(workerId, { since: now, count: 1 });
    else entry.count += 1;
    // Forget old windows now and then, so the map cannot grow without bound.
    if (this.wrong.size > 10_000) for (const [id, e] of this.wrong) if (now - e.since >= this.windowMs) this.wrong.delete(id);
  }
}
