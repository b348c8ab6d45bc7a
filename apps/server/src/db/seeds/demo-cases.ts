import { actingScope, type Role } from '@nuanxin/shared';
import type { Actor, RequestContext } from '../../common/context.ts';
import type { Database, Db } from '../client.ts';
import type { CasesService } from '../../modules/cases/cases.service.ts';
import type { StepInput } from '../../modules/cases/case-steps.ts';
import type { CaseAction } from '@nuanxin/shared';
import { CASE_CATEGORIES, CASE_LIMITS, DEMO_CASES } from './demo-data.ts';

const DISTRICT = '440114';
const SEED_CONTEXT: RequestContext = { requestId: 'seed', ip: '127.0.0.1', userAgent: 'seed' };

/** The district's category catalogue; rows that exist (by code) are left as they are. */
export async function seedCaseCategories(tx: Db): Promise<void> {
  const departmentIds = new Map((await tx.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.name, d.id]));
  for (const [i, top] of CASE_CATEGORIES.entries()) {
    const common = { region_id: DISTRICT, working_hours: false, status: 'active' as const };
    await tx
      .insertInto('case_categories')
      .values({ ...common, parent_id: null, code: top.code, name: top.name, department_id: top.department ? departmentIds.get(top.department)! : null, limits: JSON.stringify(CASE_LIMITS.normal), urgent_limits: JSON.stringify(CASE_LIMITS.urgent), sort: i })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const parent = await tx.selectFrom('case_categories').select('id').where('region_id', '=', DISTRICT).where('code', '=', top.code).executeTakeFirstOrThrow();
    for (const [j, child] of top.children.entries()) {
      const department = child.department === undefined ? top.department : child.department;
      await tx
        .insertInto('case_categories')
        .values({
          ...common,
          parent_id: parent.id,
          code: child.code,
          name: child.name,
          department_id: department ? departmentIds.get(department)! : null,
          limits: JSON.stringify({ ...CASE_LIMITS.normal, ...child.limits }),
          urgent_limits: JSON.stringify({ ...CASE_LIMITS.urgent, ...child.urgentLimits }),
          working_hours: child.workingHours ?? false,
          sort: j,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}

async function actorFor(db: Db, where: { phone?: string; role?: Role; regionId?: string; departmentId?: string; within?: string }): Promise<Actor> {
  let query = db.selectFrom('users').select(['id', 'role', 'region_id', 'department_id', 'partner_id', 'station_id']).where('status', '=', 'active');
  if (where.phone) query = query.where('phone', '=', where.phone);
  if (where.role) query = query.where('role', '=', where.role);
  if (where.regionId) query = query.where('region_id', '=', where.regionId);
  if (where.departmentId) query = query.where('department_id', '=', where.departmentId);
  if (where.within) query = query.where('region_id', 'like', `${where.within}%`);
  const u = await query.orderBy('created_at').limit(1).executeTakeFirstOrThrow();
  return { userId: u.id, sessionId: 'seed', role: u.role, regionId: u.region_id, scopeId: actingScope(u.role, u.region_id), departmentId: u.department_id, partnerId: u.partner_id, stationId: u.station_id };
}

const PARTY_STEPS = new Set(['acknowledge', 'start', 'request_extension', 'defer', 'handle', 'return']);

/**
 * Takes the demo cases through the workflow with the service, as the people would (reporter,
 * street admin, department handler or grid staff), so events, due times and points are all real.
 * Runs once: a second run finds the first case and stops.
 */
export async function seedDemoCases(database: Database, cases: CasesService): Promise<void> {
  const db = database.db;
  if (await db.selectFrom('cases').select('id').where('client_key', '=', DEMO_CASES[0]!.key).executeTakeFirst()) return;
  const ids = new Map<string, string>();
  for (const demo of DEMO_CASES) {
    const reporter = await actorFor(db, { phone: demo.phone });
    const category = await db.selectFrom('case_categories').select('id').where('region_id', '=', DISTRICT).where('code', '=', demo.category).executeTakeFirstOrThrow();
    const reported = await cases.report(reporter, demo.key, { categoryId: category.id, description: demo.description, lat: demo.lat, lng: demo.lng, address: demo.address, photoIds: [] });
    ids.set(demo.key, reported.id);
    for (const step of demo.steps) {
      const [name, arg] = step.split(':') as [string, string | undefined];
      const c = await db.selectFrom('cases').select(['region_id', 'department_id']).where('id', '=', reported.id).executeTakeFirstOrThrow();
      const staff = () => actorFor(db, { role: 'street_admin', regionId: c.region_id.slice(0, 9) });
      const party = () => (c.department_id ? actorFor(db, { role: 'department_handler', departmentId: c.department_id }) : actorFor(db, { role: 'grid_staff', within: c.region_id }));
      const input: StepInput & { action: CaseAction } = (
        {
          accept: { action: 'accept', urgent: arg === 'urgent' },
          dispatch: { action: 'dispatch', ...(arg === 'grid' ? { gridId: `${c.region_id}002` } : {}) },
          acknowledge: { action: 'acknowledge' },
          start: { action: 'start', note: '已到现场' },
          request_extension: { action: 'request_extension', dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), note: '需联系物业和业主共同整改' },
          defer: { action: 'defer', note: '需结合道路改造一并处理' },
          handle: { action: 'handle', note: '已清理完毕' },
          return: { action: 'return', note: '属街道综合执法队职责' },
          verify: { action: 'verify', note: '网格员现场核查' },
          close: { action: 'close', result: 'resolved', outcome: '现场已整改到位' },
          rate: { action: 'rate', stars: 5, comment: '处理很及时' },
          reject: { action: 'reject', reason: 'out_of_scope', note: '已转达驿站运营方' },
          merge: { action: 'merge', originalId: ids.get(arg ?? '') },
        } as Record<string, StepInput & { action: CaseAction }>
      )[name]!;
      const actor = name === 'rate' ? reporter : PARTY_STEPS.has(name) ? await party() : await staff();
      await cases.step(actor, name === 'rate' ? null : SEED_CONTEXT, reported.id, input.action, input);
    }
  }
}
