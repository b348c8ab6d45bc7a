export interface Timing {
  label: string;
  p50: number;
  p99: number;
}

/** Runs `fn` `repeat` times one after another (after one warm-up) and returns its p50 and p99 in ms. */
export async function timeSequential(label: string, repeat: number, fn: () => Promise<void>): Promise<Timing> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { label, p50: at(0.5), p99: at(0.99) };
}
