import autocannon from 'autocannon';

export interface LoadResult {
  label: string;
  requests: number;
  /** Answered 2xx: for a write, what it did (a refusal is a non-2xx). */
  succeeded: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** The round with the median req/s (its latencies come with it). */
export function median(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Drives one URL with autocannon (from this process, not the server's) and returns its figures. */
export interface LoadOptions {
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: string;
  /** Changes each request before it is sent (a fresh Idempotency-Key, another worker). */
  setupRequest?: (request: { headers: Record<string, string>; body?: string; path: string }) => { headers: Record<string, string>; body?: string; path: string };
  connections?: number;
  /**
   * Paths each connection goes through in turn, each request built once, as the ceiling's single
   * request is: the load generator then spends no more per request than on the bare route (a
   * `setupRequest` costs it a rebuild per request, on the same two cores as the server).
   */
  paths?: string[];
}

export async function load(label: string, url: string, options: LoadOptions = {}): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: options.connections ?? CONNECTIONS,
    duration: SECONDS,
    headers: options.headers,
    method: options.method ?? 'GET',
    body: options.body,
    ...(options.setupRequest ? { requests: [{ setupRequest: options.setupRequest }] } : {}),
    ...(options.paths ? { requests: options.paths.map((path) => ({ method: options.method ?? 'GET', path })) } : {}),
  });
  return {
    label,
    requests: result.requests.total,
    succeeded: result['2xx'],
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export function printTable(title: string, rows: LoadResult[], ceiling: LoadResult, rounds = ROUNDS) {
  console.log(`\n${title}  (${rounds > 1 ? `median of ${rounds} rounds` : '1 round'} of ${SECONDS} s, ${CONNECTIONS} connections, load generator on the same 2 cores)`);
  console.log('scenario'.padEnd(44), 'req/s'.padStart(8), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'non-2xx'.padStart(8), '% of ceiling'.padStart(13));
  for (const row of [ceiling, ...rows]) {
    const ratio = row === ceiling ? 'ceiling' : `${((100 * row.rps) / ceiling.rps).toFixed(0)}%`;
    console.log(row.label.padEnd(44), String(row.rps).padStart(8), String(row.p50).padStart(8), String(row.p99).padStart(8), String(row.non2xx + row.errors).padStart(8), ratio.padStart(13));
  }
}
