import fs from 'node:fs';
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
  /**
   * CPU time per answered request, in µs: of the server (when its process id was given) and of
   * this process, the load generator. On two shared cores these say where the time went when
   * req/s alone cannot (a slow server leaves the generator idle, a heavy answer busies it).
   */
  serverCpuUs?: number;
  loaderCpuUs?: number;
}

/** A process's user + system CPU time so far, in µs (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuTimeUs(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
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
  /** The server's process id, to report its CPU time per request. */
  serverPid?: number;
}

export async function load(label: string, url: string, options: LoadOptions = {}): Promise<LoadResult> {
  const serverBefore = options.serverPid === undefined ? undefined : cpuTimeUs(options.serverPid);
  const loaderBefore = process.cpuUsage();
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
  const loader = process.cpuUsage(loaderBefore);
  const serverAfter = options.serverPid === undefined ? undefined : cpuTimeUs(options.serverPid);
  const answered = Math.max(1, result.requests.total);
  return {
    label,
    serverCpuUs: serverBefore === undefined || serverAfter === undefined ? undefined : Math.round((serverAfter - serverBefore) / answered),
    loaderCpuUs: Math.round((loader.user + loader.system) / answered),
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
  const head = ['req/s', 'p50 ms', 'p99 ms', 'non-2xx', '% of ceiling', 'server µs/req', 'loader µs/req'];
  console.log('scenario'.padEnd(44), ...head.map((h) => h.padStart(Math.max(8, h.length))));
  for (const row of [ceiling, ...rows]) {
    const ratio = row === ceiling ? 'ceiling' : `${((100 * row.rps) / ceiling.rps).toFixed(0)}%`;
    const cells = [row.rps, row.p50, row.p99, row.non2xx + row.errors, ratio, row.serverCpuUs ?? '-', row.loaderCpuUs ?? '-'];
    console.log(row.label.padEnd(44), ...cells.map((c, i) => String(c).padStart(Math.max(8, head[i]!.length))));
  }
}
