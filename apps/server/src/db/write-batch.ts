/** One item's outcome inside a batch: its own answer or its own refusal. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface WriteBatchOptions {
  /** At most this many items in one run (one transaction). */
  maxItems?: number;
}

/**
 * Group commit in this process: items that arrive while a run is writing wait for it to finish
 * and then go together in the next run, so many writes share one transaction and one WAL flush.
 * Nothing waits on a timer: alone, an item runs at once. `run` writes its items in one
 * transaction and settles each (a refusal such as a rate limit is one item's answer, not the
 * batch's); if the run itself fails (a constraint, a deadlock, a lost connection), nothing of it
 * committed, and each item runs again alone, so one bad item cannot fail the others.
 * Each caller is answered only after the run that holds its item returned, i.e. after its commit.
 */
export class WriteBatch<I, O> {
  private queue: Array<{ item: I; resolve: (value: O) => void; reject: (error: unknown) => void }> = [];
  private running = false;
  private readonly maxItems: number;

  constructor(
    private readonly run: (items: I[]) => Promise<Array<Settled<O>>>,
    options: WriteBatchOptions = {},
  ) {
    this.maxItems = options.maxItems ?? 200;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const taken = this.queue.splice(0, this.maxItems);
        let settled: Array<Settled<O>>;
        try {
          settled = await this.run(taken.map((t) => t.item));
        } catch (error) {
          settled = taken.length === 1 ? [{ ok: false, error }] : await Promise.all(taken.map((t) => this.alone(t.item)));
        }
        taken.forEach((t, i) => {
          const s = settled[i]!;
          if (s.ok) t.resolve(s.value);
          else t.reject(s.error);
        });
      }
    } finally {
      this.running = false;
    }
  }

  private async alone(item: I): Promise<Settled<O>> {
    try {
      return (await this.run([item]))[0]!;
    } catch (error) {
      return { ok: false, error };
    }
  }
}
