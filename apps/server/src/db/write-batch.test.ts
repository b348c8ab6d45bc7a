import { describe, expect, it } from 'vitest';
import { WriteBatch, type Settled } from './write-batch.ts';

/** A run that records its batches and answers each item with its double, refusing odd numbers. */
function recorder(fail: (items: number[]) => boolean = () => false) {
  const runs: number[][] = [];
  const batch = new WriteBatch<number, number>(async (items) => {
    runs.push(items);
    await new Promise((r) => setTimeout(r, 5));
    if (fail(items)) throw new Error(`batch ${items.join(',')} failed`);
    return items.map((n): Settled<number> => (n % 2 === 1 ? { ok: false, error: new Error(`odd ${n}`) } : { ok: true, value: n * 2 }));
  }, { maxItems: 4 });
  return { runs, batch };
}

describe('write batch', () => {
  it('runs the first item at once and the ones that came meanwhile together, each with its own answer', async () => {
    const { runs, batch } = recorder();
    const results = await Promise.allSettled([0, 2, 4, 5, 6].map((n) => batch.submit(n)));
    expect(runs).toEqual([[0], [2, 4, 5, 6]]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 4, 8, 'odd 5', 12]);
  });

  it('takes at most maxItems in one run', async () => {
    const { runs, batch } = recorder();
    await Promise.all([0, 2, 4, 6, 8, 10, 12].map((n) => batch.submit(n)));
    expect(runs).toEqual([[0], [2, 4, 6, 8], [10, 12]]);
  });

  it('runs each item alone when the batch fails, so only the bad one fails', async () => {
    // Anything holding 13 fails (a constraint, say): the batch, and then 13 alone.
    const { runs, batch } = recorder((items) => items.includes(13));
    const results = await Promise.allSettled([0, 2, 13, 4].map((n) => batch.submit(n)));
    expect(runs).toEqual([[0], [2, 13, 4], [2], [13], [4]]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 4, 'batch 13 failed', 8]);
  });

  it('keeps going after a failed batch', async () => {
    const { batch } = recorder((items) => items.includes(13));
    await expect(batch.submit(13)).rejects.toThrow('batch 13 failed');
    await expect(batch.submit(2)).resolves.toBe(4);
  });
});
