import { randomUUID } from 'node:crypto';
import type { Actor } from '../src/common/context.ts';
import type { Db } from '../src/db/client.ts';
import { findRule } from '../src/modules/points/points.repository.ts';
import type { TestApp } from './harness.ts';

/** A worker made straight in the database (fast, for bulk tests), as the actor services expect. */
export async function buildWorker(db: Db, communityId = '440114001001'): Promise<Actor> {
  const user = await db
    .insertInto('users')
    .values({ role: 'worker', region_id: communityId, name: '测试工人', phone: null, username: `w${randomUUID().slice(0, 12).replaceAll('-', '')}`, password_hash: null, department_id: null, partner_id: null, station_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { userId: user.id, sessionId: randomUUID(), role: 'worker', regionId: communityId, scopeId: communityId, departmentId: null, partnerId: null, stationId: null };
}

/** A rule of 新华街道 by name (from the demo seed). */
export async function ruleNamed(db: Db, name: string, streetId = '440114001') {
  const row = await db.selectFrom('points_rules').select('id').where('name', '=', name).where('region_id', '=', streetId).executeTakeFirstOrThrow();
  return (await findRule(db, row.id))!;
}

/** Gives a worker `times` awards of a rule through the real earning path. */
export async function earn(t: TestApp, worker: Actor, ruleName: string, times = 1) {
  const rule = await ruleNamed(t.database.db, ruleName, worker.regionId.slice(0, 9));
  for (let i = 0; i < times; i++) {
    await t.database.db.transaction().execute((tx) =>
      t.app.services.points.award(tx, { worker: { userId: worker.userId, regionId: worker.regionId }, rule, sourceType: 'test', sourceId: randomUUID() }),
    );
  }
}

export async function balanceOf(db: Db, userId: string): Promise<number> {
  const row = await db.selectFrom('points_accounts').select('balance').where('kind', '=', 'worker').where('owner_id', '=', userId).executeTakeFirst();
  return row?.balance ?? 0;
}
