import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { archiveClosed, escalateOverdue } from './case-jobs.ts';

const SANHUA = { lat: 23.4025, lng: 113.2153 };

/** Reads a text/event-stream into a growing string until closed. */
function openStream(port: number, token: string): Promise<{ text: () => string; ended: () => boolean; status: number; type: string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/cases/stream', headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      let ended = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (ended = true));
      res.once('data', () => resolve({ text: () => text, ended: () => ended, status: res.statusCode!, type: String(res.headers['content-type']), close: () => req.destroy() }));
      res.on('error', () => {});
    });
    req.on('error', reject);
  });
}

async function until(check: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(DB_KINDS)('case time limits and live workbench on %s', (kind) => {
  let t: TestApp;
  let xinhua: string;
  let categoryId: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    xinhua = await t.loginStaff('xinhua');
    categoryId = (await t.database.db.selectFrom('case_categories').select('id').where('code', '=', 'env.vending').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => t?.close());

  const report = async (token: string) => (await t.request('POST', '/api/v1/cases', { token, headers: { 'idempotency-key': randomUUID() }, body: { categoryId, ...SANHUA } })).json().id as string;

  it('marks an overdue case yellow, then red, one event each, once', async () => {
    const worker = await t.newWorker('440114001001');
    const id = await report(worker.token);
    const c = await t.database.db.selectFrom('cases').select(['due_at', 'step_started_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const level = async () => (await t.database.db.selectFrom('cases').select('escalation_level').where('id', '=', id).executeTakeFirstOrThrow()).escalation_level;

    await escalateOverdue(t.database, new Date(c.due_at!.getTime() - 1000));
    expect(await level()).toBe(0);
    expect(await escalateOverdue(t.database, new Date(c.due_at!.getTime() + 1000))).toBeGreaterThanOrEqual(1);
    expect(await level()).toBe(1);
    const red = new Date(c.due_at!.getTime() * 2 - c.step_started_at.getTime() + 1000);
    await escalateOverdue(t.database, red);
    expect(await level()).toBe(2);
    await escalateOverdue(t.database, new Date(red.getTime() + 86_400_000));
    const events = await t.database.db.selectFrom('case_events').select(['action', 'detail']).where('case_id', '=', id).where('action', '=', 'escalate').orderBy('id').execute();
    expect(events.map((e) => (e.detail as { level: number }).level)).toEqual([1, 2]);

    // The list reads the real clock: put this case's deadline in the past.
    await t.database.db.updateTable('cases').set({ due_at: new Date(Date.now() - 60_000) }).where('id', '=', id).execute();
    const overdue = (await t.request('GET', '/api/v1/cases?view=overdue&pageSize=100', { token: xinhua })).json();
    expect(overdue.items.find((i: { id: string }) => i.id === id)).toMatchObject({ escalationLevel: 2, overdue: true });
    const mine = (await t.request('GET', `/api/v1/cases/mine/${id}`, { token: worker.token })).json();
    expect(mine.timeline.map((e: { action: string }) => e.action)).toEqual(['report']);
  });

  it('archives closed cases after the reopening window', async () => {
    const worker = await t.newWorker('440114001001');
    const id = await report(worker.token);
    await t.database.db.updateTable('cases').set({ status: 'closed', closed_at: new Date(Date.now() - 16 * 86_400_000) }).where('id', '=', id).execute();
    expect(await archiveClosed(t.database)).toBeGreaterThanOrEqual(1);
    const reopen = await t.request('POST', `/api/v1/cases/${id}/reopen`, { token: worker.token, body: { note: '还没修好' } });
    expect(reopen.json().error.code).toBe('CASE_ILLEGAL_TRANSITION');
  });

  it('streams changes to staff who may see them, and not to others', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const mine = await openStream(port, xinhua);
    const other = await openStream(port, await t.loginStaff('xinya'));
    expect(mine.status).toBe(200);
    expect(mine.type).toContain('text/event-stream');
    const worker = await t.newWorker('440114001001');
    const id = await report(worker.token);
    await until(() => mine.text().includes(id));
    expect(mine.text()).toMatch(new RegExp(`event: case\\ndata: \\{"id":"${id}","regionId":"440114001001".*"status":"submitted","action":"report"`));
    // Both streams are fed by the same notification: had the other one been sent it, it would be there by now.
    expect(other.text()).not.toContain(id);
    const anonymous = await new Promise<number>((resolve) => http.get({ host: '127.0.0.1', port, path: '/api/v1/cases/stream' }, (res) => resolve(res.statusCode!)));
    expect(anonymous).toBe(401);
    mine.close();
    other.close();
  });

  it.runIf(kind === 'postgres')('ends every stream when its listening connection was lost, so consoles reconnect and reload', async () => {
    if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const before = await openStream(port, xinhua);
    // As a database restart would: the process's listening backend goes away, and changes made now are missed.
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen "nx_cases"' and datname = current_database()`.execute(t.database.db);
    await until(() => before.ended());
    const after = await openStream(port, xinhua);
    const id = await report((await t.newWorker('440114001001')).token);
    await until(() => after.text().includes(id));
    after.close();
  });
});
