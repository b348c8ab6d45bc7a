import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export interface Server {
  name: string;
  baseUrl: string;
  /** PostgreSQL servers: the database they run on (for setup and pgbench). */
  databaseUrl?: string;
  /** A kept database found from an earlier run (its data is already loaded). */
  reused?: boolean;
  /** Servers started with `captureStatements`: where the capture writes. */
  statementsFile?: string;
  /** The server's process id (to signal it, e.g. the statement capture). */
  pid?: number;
  log: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function spawnServer(name: string, args: string[], env: Record<string, string>, readyPath: string, cleanup: () => Promise<void> = async () => {}): Promise<Server> {
  const port = await freePort();
  // `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=.tmp/prof"` profiles the servers a scenario starts (they write it when stopped).
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // Load generators are one address and a few accounts: the per-person limits would cap what is measured.
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...args], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', RATE_LIMIT_SCALE: '1000000', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-200_000)));
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-200_000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (!(await fetch(baseUrl + readyPath).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${name} did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    baseUrl,
    pid: child.pid,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await cleanup();
    },
  };
}

export function startBare(): Promise<Server> {
  return spawnServer('bare Fastify route', ['--import', 'tsx', 'bench/lib/bare-server.ts'], {}, '/bare');
}

const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';

/** Our server on the embedded PGlite, in a throw-away data directory. */
export async function startOnPGlite(): Promise<Server> {
  const dataDir = path.resolve(`.tmp/bench-pglite-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  return spawnServer('nuanxin on PGlite', ['--import', 'tsx', 'apps/server/src/main.ts'], { DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL, NODE_ENV: 'development' }, '/healthz', async () =>
    fs.rmSync(dataDir, { recursive: true, force: true }),
  );
}

export interface PostgresOptions {
  /** Count and keep the statements the server sends (bench/lib/capture-statements.ts); read them with `statementsOf`. */
  captureStatements?: boolean;
  /**
   * Run on this database and leave it behind (a load that takes a quarter of an hour can then be
   * measured again): made if missing, otherwise used as it is (`reused`).
   */
  keepDatabase?: string;
}

/** Our server on PostgreSQL, in a database made for this run and dropped after. */
export async function startOnPostgres(options: PostgresOptions = {}): Promise<Server> {
  const base = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = options.keepDatabase ?? `nx_bench_${process.pid}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  const probe = new pg.Client({ connectionString: base });
  await probe.connect();
  const reused = options.keepDatabase !== undefined && (await probe.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  await probe.end();
  if (!reused) {
    await admin(`drop database if exists ${name} with (force)`);
    await admin(`create database ${name}`);
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const statementsFile = path.resolve(`.tmp/bench-statements-${process.pid}.json`);
  fs.mkdirSync(path.dirname(statementsFile), { recursive: true });
  const capture = options.captureStatements ? ['--import', './bench/lib/capture-statements.ts'] : [];
  const env = { DATABASE_URL: url.toString(), LOG_LEVEL, NODE_ENV: 'development', ...(options.captureStatements ? { BENCH_STATEMENTS_FILE: statementsFile } : {}) };
  const server = await spawnServer('nuanxin on PostgreSQL', ['--import', 'tsx', ...capture, 'apps/server/src/main.ts'], env, '/healthz', async () => {
    fs.rmSync(statementsFile, { force: true });
    if (!options.keepDatabase) await admin(`drop database if exists ${name} with (force)`);
  });
  return { ...server, databaseUrl: url.toString(), statementsFile, reused };
}

export interface Captured {
  count: number;
  statements: Array<{ text: string; values: unknown[] }>;
}

/**
 * What a server started with `captureStatements` sent since the previous call (the first call
 * only starts the count).
 */
export async function statementsOf(server: Server & { statementsFile?: string }): Promise<Captured> {
  if (!server.statementsFile || !server.pid) throw new Error(`${server.name} does not capture statements`);
  fs.rmSync(server.statementsFile, { force: true });
  process.kill(server.pid, 'SIGUSR2');
  const deadline = Date.now() + 5_000;
  while (!fs.existsSync(server.statementsFile)) {
    if (Date.now() > deadline) throw new Error('the server did not write its statements');
    await new Promise((r) => setTimeout(r, 20));
  }
  return JSON.parse(fs.readFileSync(server.statementsFile, 'utf8')) as Captured;
}
