import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import type { SmsProvider } from '../src/modules/identity/sms.ts';
import type { AuthLimits } from '../src/modules/identity/auth.service.ts';
import { LocalMediaStore } from '../src/modules/media/media.store.ts';
import { DEMO_PASSWORD } from '../src/db/seeds/demo-data.ts';
import { createDatabaseFrom, databaseUrl, dropDatabase } from './postgres.ts';

export type DbKind = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL when TEST_DATABASE_URL names a server to create databases on. */
export const DB_KINDS: DbKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh copy of the migrated, seeded template for one test file. */
export async function openTestDatabase(kind: DbKind): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const tarball = fs.readFileSync(inject('pgliteTemplate'));
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([tarball]) });
    return { database, drop: () => database.close() };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const template = inject('postgresTemplate')!;
  const name = `${inject('runPrefix')}_${randomBytes(4).toString('hex')}`;
  await createDatabaseFrom(base, name, template);
  const database = await openDatabase({ url: databaseUrl(base, name), poolSize: 5 });
  return {
    database,
    drop: async () => {
      await database.close();
      await dropDatabase(base, name);
    },
  };
}

/** Keeps the codes the server "sent", so tests can log in by SMS. */
export class CapturingSms implements SmsProvider {
  readonly sent = new Map<string, string>();
  async sendLoginCode(phone: string, code: string) {
    this.sent.set(phone, code);
  }
}

let phoneCounter = 0;
/** A phone number no other test uses (prefix 17x is not in the demo data). */
export function uniquePhone(): string {
  phoneCounter += 1;
  const n = (process.pid % 1000) * 10000 + (phoneCounter % 10000);
  return `17${String(n).padStart(9, '0')}`;
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  sms: CapturingSms;
  /** Staff login with the demo password; returns the bearer token. */
  loginStaff(username: string): Promise<string>;
  /** SMS login; creates a worker account for a new phone. */
  loginPhone(phone: string): Promise<string>;
  /** A new worker with a completed profile in the given community. */
  newWorker(communityId?: string): Promise<{ token: string; userId: string; phone: string }>;
  request(method: string, url: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createTestApp(kind: DbKind, options: { authLimits?: Partial<AuthLimits>; rateLimitScale?: number } = {}): Promise<TestApp> {
  const { database, drop } = await openTestDatabase(kind);
  const sms = new CapturingSms();
  // Tests file hundreds of reports as one worker; the limits have their own test at scale 1.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RATE_LIMIT_SCALE: String(options.rateLimitScale ?? 1000) });
  const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nuanxin-media-'));
  const app = await buildApp({
    config,
    database,
    sms,
    mediaStore: new LocalMediaStore(mediaDir),
    serveApps: false,
    runJobs: false,
    logger: false,
    // Tests log in hundreds of times from one address.
    authLimits: options.authLimits ?? { resendSeconds: 0, perIpPerHour: 1_000_000, perPhonePerDay: 1_000 },
  });
  await app.ready();

  const request: TestApp['request'] = (method, url, opts = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
      ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
    });

  const loginPhone = async (phone: string) => {
    const sent = await request('POST', '/api/v1/auth/sms-code', { body: { phone } });
    if (sent.statusCode !== 204) throw new Error(`sms-code ${sent.statusCode} ${sent.body}`);
    const res = await request('POST', '/api/v1/auth/login', { body: { phone, code: sms.sent.get(phone) } });
    if (res.statusCode !== 200) throw new Error(`login ${res.statusCode} ${res.body}`);
    return res.json().token as string;
  };

  return {
    app,
    database,
    sms,
    request,
    loginPhone,
    async loginStaff(username) {
      const res = await request('POST', '/api/v1/auth/login', { body: { username, password: DEMO_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    },
    async newWorker(communityId = '440114001001') {
      const phone = uniquePhone();
      const token = await loginPhone(phone);
      const res = await request('PUT', '/api/v1/me/profile', {
        token,
        body: { name: '测试骑手', occupation: 'rider', platformCompany: '美团', vehicle: '电动车', homeCommunityId: communityId },
      });
      if (res.statusCode !== 200) throw new Error(`profile ${res.statusCode} ${res.body}`);
      return { token, userId: res.json().id as string, phone };
    },
    async close() {
      await app.close();
      await drop();
      fs.rmSync(mediaDir, { recursive: true, force: true });
    },
  };
}
