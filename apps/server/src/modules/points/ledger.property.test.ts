import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { balanceOf, buildWorker, ruleNamed } from '../../../test/points-fixtures.ts';
import type { Actor } from '../../common/context.ts';
import { reconcile } from './reconcile.ts';

/** One step a worker's points can take; fast-check shuffles them into random interleavings. */
type Step =
  | { op: 'earn'; worker: number; times: number }
  | { op: 'hold'; worker: number; amount: number }
  | { op: 'post' | 'void'; hold: number }
  | { op: 'expire'; worker: number }
  | { op: 'reverse'; earn: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('earn' as const), worker: fc.nat(2), times: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ op: fc.constant('hold' as const), worker: fc.nat(2), amount: fc.integer({ min: 1, max: 25 }) }),
  fc.record({ op: fc.constantFrom('post' as const, 'void' as const), hold: fc.nat(10) }),
  fc.record({ op: fc.constant('expire' as const), worker: fc.nat(2) }),
  fc.record({ op: fc.constant('reverse' as const), earn: fc.nat(10) }),
);

describe('ledger invariants under random interleavings (PGlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  it('after every step: balances never negative, each equals its entries and its lots, the ledger sums to zero', async () => {
    const points = t.app.services.points;
    const db = t.database.db;
    const rule = await ruleNamed(db, '参加暖新活动');
    const partner = await db.selectFrom('partners').select(['id', 'region_id']).limit(1).executeTakeFirstOrThrow();
    const admin = await t.loginStaff('district');
    const adminActor = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${admin}` } })).json() as { id: string };
    const staff: Actor = { userId: adminActor.id, sessionId: '', role: 'district_admin', regionId: '440114', scopeId: '440114', departmentId: null, partnerId: null, stationId: null };
    const ctx = { requestId: 'property', ip: '127.0.0.1', userAgent: null };

    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 25 }), async (steps) => {
        const workers = await Promise.all([0, 1, 2].map(() => buildWorker(db)));
        const holds: string[] = [];
        const earns: string[] = [];
        for (const s of steps) {
          try {
            if (s.op === 'earn') {
              for (let i = 0; i < s.times; i++) {
                const w = workers[s.worker]!;
                const r = await db.transaction().execute((tx) => points.award(tx, { worker: { userId: w.userId, regionId: w.regionId }, rule, sourceType: 'prop', sourceId: randomUUID() }));
                earns.push(r.transferId!);
              }
            } else if (s.op === 'hold') {
              const w = workers[s.worker]!;
              holds.push(await db.transaction().execute((tx) => points.hold(tx, { worker: { userId: w.userId, regionId: w.regionId }, amount: s.amount, key: randomUUID(), reason: 'prop', expiresAt: new Date(Date.now() + 60_000) })));
            } else if (s.op === 'post' || s.op === 'void') {
              const hold = holds[s.hold % Math.max(holds.length, 1)];
              if (hold) {
                const outcome = s.op === 'post' ? { post: { partnerId: partner.id, regionId: partner.region_id } } : ({ void: true } as const);
                await db.transaction().execute((tx) => points.settle(tx, hold, outcome, 'prop'));
              }
            } else if (s.op === 'expire') {
              const w = workers[s.worker]!;
              const acct = await db.selectFrom('points_accounts').select('id').where('owner_id', '=', w.userId).executeTakeFirst();
              if (acct) await db.updateTable('points_lots').set({ expires_at: new Date(Date.now() - 1000) }).where('account_id', '=', acct.id).where('remaining', '>', 0).execute();
              await points.expireDueLots();
            } else if (s.op === 'reverse') {
              const earn = earns[s.earn % Math.max(earns.length, 1)];
              if (earn) await points.reverse(staff, ctx, earn, 'prop');
            }
          } catch (err) {
            // Refusals are expected (no points, spent, settled twice); anything else is a bug.
            const code = (err as { code?: string }).code;
            expect(['INSUFFICIENT_POINTS', 'INVALID_STATE', 'NOT_REVERSIBLE', 'ALREADY_REVERSED']).toContain(code);
          }
          for (const w of workers) expect(await balanceOf(db, w.userId)).toBeGreaterThanOrEqual(0);
          const report = await reconcile(db);
          expect(report.problems).toEqual([]);
        }
      }),
      { numRuns: 15 },
    );
  });
});
