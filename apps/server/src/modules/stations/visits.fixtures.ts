import { randomUUID } from 'node:crypto';
import { actingScope, type Role } from '@nuanxin/shared';
import type { Actor } from '../../common/context.ts';
import type { Db } from '../../db/client.ts';

// Test helpers for the visit and session tests: actors for calling services directly (with an
// injected clock), and workers made in bulk for the concurrency tests.

/** The actor a session for this user would give. */
export async function actorOf(db: Db, userId: string): Promise<Actor> {
  const u = await db.selectFrom('users').select(['id', 'role', 'region_id', 'department_id', 'partner_id', 'station_id']).where('id', '=', userId).executeTakeFirstOrThrow();
  return { userId: u.id, sessionId: randomUUID(), role: u.role as Role, regionId: u.region_id, scopeId: actingScope(u.role, u.region_id), departmentId: u.department_id, partnerId: u.partner_id, stationId: u.station_id };
}

export async function actorByUsername(db: Db, username: string): Promise<Actor> {
  const u = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  return actorOf(db, u.id);
}

let counter = 0;
/** `n` worker accounts in 三华社区, inserted directly (logging in 200 people would only slow the test). */
export async function bulkWorkers(db: Db, n: number): Promise<Actor[]> {
  const base = (process.pid % 1000) * 100_000 + (counter += n) * 1000;
  const rows = await db
    .insertInto('users')
    .values(Array.from({ length: n }, (_, i) => ({ role: 'worker' as const, phone: `16${String(base + i).padStart(9, '0')}`, region_id: '440114001001', name: `并发骑手${i}`, username: null, password_hash: null, department_id: null, partner_id: null, station_id: null })))
    .returning('id')
    .execute();
  return Promise.all(rows.map((r) => actorOf(db, r.id)));
}

export async function stationId(db: Db, name: string): Promise<string> {
  return (await db.selectFrom('stations').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}
