import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../apps/server/src/db/client.ts';
import { reconcile } from '../apps/server/src/modules/points/reconcile.ts';

/**
 * "Acknowledged means stored": a stream of case reports and point awards, the server killed with
 * SIGKILL in the middle of it, started again on the same data. Every request that got a 2xx must
 * be there exactly once; the ones cut off are sent again with the same Idempotency-Key and must
 * not make a second copy; the ledger must add up. On PGlite (data dir) and on PostgreSQL.
 */
const KINDS = process.env.TEST_DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
const LOOPS = 8;
const KILL_AFTER_MS = 2500;

interface Sent {
  what: 'case' | 'award';
  key: string;
  url: string;
  token: string;
  body: Record<string, unknown>;
  acked: boolean;
}

class ServerProcess {
  private child: ChildProcess | null = null;
  private log = '';
  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}
  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  }
  async start() {
    this.log = '';
    this.child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', LOG_LEVEL: 'info', MAP_TILE_URL: 'local', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (c: Buffer) => (this.log += c.toString()));
    this.child.stderr!.on('data', (c: Buffer) => (this.log += c.toString()));
    const deadline = Date.now() + 60_000;
    while (!(await fetch(`${this.baseUrl}/healthz`).then((r) => r.ok, () => false))) {
      if (this.child.exitCode !== null) throw new Error(`server exited:\n${this.log}`);
      if (Date.now() > deadline) throw new Error(`server not ready:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  smsCode(phone: string): string {
    const code = [...this.log.matchAll(new RegExp(`SMS code for ${phone}: (\\d{6})`, 'g'))].at(-1)?.[1];
    if (!code) throw new Error(`no code for ${phone}`);
    return code;
  }
  async stop(signal: 'SIGKILL' | 'SIGTERM') {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}

/** A port nobody listens on now (the same one is used again after the kill). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function post(server: ServerProcess, url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.baseUrl}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

async function send(server: ServerProcess, item: Sent): Promise<number> {
  const res = await fetch(`${server.baseUrl}${item.url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${item.token}`, 'idempotency-key': item.key },
    body: JSON.stringify(item.body),
  });
  return res.status;
}

describe.each(KINDS)('crash safety on %s', (kind) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('keeps every acknowledged report and award exactly once across a SIGKILL, and the ledger adds up', async () => {
    const port = await freePort();
    let env: Record<string, string>;
    let openData: () => Promise<Database>;
    if (kind === 'pglite') {
      const dataDir = path.resolve(`.tmp/crash-${process.pid}-${port}`);
      fs.rmSync(dataDir, { recursive: true, force: true });
      env = { DATA_DIR: dataDir, DATABASE_URL: '' };
      openData = () => openDatabase({ dataDir });
      cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    } else {
      const base = new URL(process.env.TEST_DATABASE_URL!);
      const name = `nx_crash_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: new URL('/postgres', base).toString() });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(`/${name}`, base).toString();
      env = { DATABASE_URL: url, DATA_DIR: path.resolve(`.tmp/crash-${process.pid}-${port}`) };
      openData = () => openDatabase({ url, poolSize: 2 });
      cleanups.push(async () => {
        const c = new pg.Client({ connectionString: new URL('/postgres', base).toString() });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      });
    }
    const server = new ServerProcess(port, env);
    cleanups.push(() => server.stop('SIGKILL'));
    await server.start();

    const staff = (await post(server, '/api/v1/auth/login', { username: 'xinhua', password: 'Nuanxin@2026' })).json!.token as string;
    const phone = '13900000005';
    await post(server, '/api/v1/auth/sms-code', { phone });
    await new Promise((r) => setTimeout(r, 300));
    const worker = (await post(server, '/api/v1/auth/login', { phone, code: server.smsCode(phone) })).json!.token as string;
    const me = (await (await fetch(`${server.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${worker}` } })).json()) as { id: string };
    const categories = (await (await fetch(`${server.baseUrl}/api/v1/cases/categories`)).json()) as Array<{ id: string; parentId: string | null }>;
    const category = categories.find((c) => c.parentId)!;
    const rules = (await (await fetch(`${server.baseUrl}/api/v1/points/rules?regionId=440114001`, { headers: { authorization: `Bearer ${staff}` } })).json()) as Array<{
      id: string;
      kind: string;
      dailyCap: number | null;
      monthlyCap: number | null;
      status: string;
    }>;
    const rule = rules.find((r) => r.kind === 'earn' && !r.dailyCap && !r.monthlyCap && r.status === 'active')!;

    const sent: Sent[] = [];
    let stopped = false;
    const loop = async (n: number) => {
      for (let i = 0; !stopped; i++) {
        const item: Sent =
          (n + i) % 2 === 0
            ? { what: 'case', key: randomUUID(), url: '/api/v1/cases', token: worker, acked: false, body: { categoryId: category.id, description: `崩溃测试 ${n}-${i}`, lat: 23.4021, lng: 113.2149 } }
            : { what: 'award', key: randomUUID(), url: '/api/v1/points/awards', token: staff, acked: false, body: { workerId: me.id, ruleId: rule.id, note: `崩溃测试 ${n}-${i}` } };
        sent.push(item);
        try {
          const status = await send(server, item);
          if (status >= 200 && status < 300) item.acked = true;
          else if (status < 500) throw new Error(`refused ${status} for ${item.what}`);
        } catch (err) {
          if (!stopped) throw err;
        }
      }
    };
    const loops = Array.from({ length: LOOPS }, (_, n) => loop(n));
    await new Promise((r) => setTimeout(r, KILL_AFTER_MS));
    stopped = true;
    await server.stop('SIGKILL');
    await Promise.all(loops);
    const acked = sent.filter((s) => s.acked).length;
    expect(acked).toBeGreaterThan(20);

    // Back up on the same data; the requests cut off are sent again, as the phone's outbox would.
    await server.start();
    const staffAgain = (await post(server, '/api/v1/auth/login', { username: 'xinhua', password: 'Nuanxin@2026' })).json!.token as string;
    for (const item of sent) {
      const status = await send(server, { ...item, token: item.what === 'award' ? staffAgain : item.token });
      expect(status, `${item.what} ${item.key} sent again`).toBeLessThan(300);
    }
    await server.stop('SIGTERM');

    const database = await openData();
    try {
      const cases = await database.db.selectFrom('cases').select(['description']).where('description', 'like', '崩溃测试%').execute();
      const transfers = await database.db.selectFrom('points_transfers').select(['reason']).where('reason', 'like', '%崩溃测试%').execute();
      const count = (list: string[]) => list.reduce((m, d) => m.set(d, (m.get(d) ?? 0) + 1), new Map<string, number>());
      const caseCounts = count(cases.map((c) => c.description));
      const awardCounts = count(transfers.map((t) => t.reason.replace(/^.*：/, '')));
      for (const item of sent) {
        const counts = item.what === 'case' ? caseCounts : awardCounts;
        expect(counts.get(String(item.body.description ?? item.body.note)), `${item.what} ${item.key}`).toBe(1);
      }
      expect(cases.length + transfers.length).toBe(sent.length);
      const ledger = await reconcile(database.db);
      expect(ledger.problems).toEqual([]);
      console.log(`crash safety (${kind}): ${sent.length} requests sent, ${acked} acknowledged before SIGKILL, ${sent.length - acked} cut off and sent again, ${cases.length} reports and ${transfers.length} awards found exactly once, ledger reconciles`);
    } finally {
      await database.close();
    }
  });
});
