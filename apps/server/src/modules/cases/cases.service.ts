import { createHash } from 'node:crypto';
import { CASE_LIST_COUNT_CAP, DUPLICATE_RADIUS_M, OPEN_CASE_STATUSES, isWithin, type CaseAction, type CaseSource, type CaseStatus, type Lang, type MyCase, type PublicCase, type reportRequest } from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import type { PointsService } from '../points/points.service.ts';
import type { MediaService } from '../media/media.service.ts';
import { dueAfter } from './case-clock.ts';
import { FilingLanes, fileBatch, type FilingPlan, type RateCheck } from './case-filing.ts';
import { awardStep } from './case-points.ts';
import { planStep, type StepInput } from './case-steps.ts';
import { toDetail, toMyCase, toMySummary, toPublicCase, toSummary } from './case-views.ts';
import { MOVES, mayRead, nextStatus, refusal, type CaseParties } from './case-workflow.ts';
import * as repo from './cases.repository.ts';
import type { CaseCategoryCache } from './case-category-cache.ts';
import type { StationIndex } from '../stations/station-index.ts';
import { deliverCaseStep } from '../notices/case-messages.ts';

type ReportInput = z.output<typeof reportRequest>;
type Page = { page: number; pageSize: number };
/** What an outside reporter left for contact (Open311): personal data, for staff only. */
export interface ExternalContact {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  device_id: string | null;
  account_id: string | null;
  media_url: string | null;
}

/** A report this far from every station of the reporter's district is outside the area served. */
const SERVED_RADIUS_M = 20_000;
/** Within this distance of a station the case belongs to the station's community. */
const COMMUNITY_RADIUS_M = 3_000;

const partiesOf = (c: repo.CaseRow): CaseParties => ({ regionId: c.region_id, reporterId: c.reporter_id, departmentId: c.department_id, gridId: c.grid_id });

function requestHash(input: ReportInput): string {
  const canonical = [input.categoryId, input.description, input.lat, input.lng, input.address, [...input.photoIds].sort()];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** Cases: the reporter's side, the desk's steps and reads. Every step is checked against the workflow and written with its event row. */
export class CasesService {
  /**
   * `categories` is the catalogue kept in memory (started by the app to hear changes); `stations`,
   * the server's index of stations in service, answers "which station is nearest" without SQL.
   */
  constructor(
    private readonly database: Database,
    private readonly points: PointsService,
    private readonly media: MediaService,
    private readonly categories: CaseCategoryCache,
    private readonly stations: StationIndex | null = null,
  ) {}

  private readonly links = (ids: readonly string[]) => this.media.links(ids);
  private readonly filings = new FilingLanes((items) => fileBatch(this.database, items));

  // ---- the reporter ----

  /**
   * Files a report once per Idempotency-Key: a retry gets the first case back, a different body under the same key a 409.
   * The rate limit (`rate`, counted first: a retry counts too) and, without photos, the write go through the filing batch
   * (case-filing.ts): reports arriving together share one transaction and one commit, each answered after that commit.
   * Before it, nothing is read: the category and the nearest station come from memory, and a key used before shows
   * when its insert finds the earlier case (or, for a report refused here, from one read for it).
   */
  async report(actor: Actor, key: string, input: ReportInput, rate?: RateCheck): Promise<MyCase> {
    const hash = requestHash(input);
    const db = this.database.db;
    if (input.photoIds.length > 0) {
      if (rate) await rate.limiter.take(rate.rules);
      return this.reportWithPhotos(actor, key, input, hash);
    }
    const plan = await this.plan(actor, key, input, hash);
    if (plan.kind === 'refuse' && !rate) throw plan.error;
    const outcome = plan.kind === 'replay' && !rate ? ({ kind: 'existing' } as const) : await this.filings.submit({ rate: rate ?? null, plan });
    if (outcome.kind === 'filed') return toMyCase(outcome.filed.row, [outcome.filed.event], null, this.links);
    if (plan.kind === 'replay') return this.myCase(actor, plan.id);
    return this.myCase(actor, this.replayed((await repo.findByClientKey(db, actor.userId, key))!, hash));
  }

  /** What filing a report comes to: a refusal, the case filed before under its key, or the case to write. */
  private async plan(actor: Actor, key: string, input: ReportInput, hash: string): Promise<FilingPlan> {
    try {
      const category = await this.categories.get(input.categoryId);
      if (!category || category.parent_id === null || category.status !== 'active' || !isWithin(actor.regionId, category.region_id)) throw new AppError('CATEGORY_NOT_FOUND');
      const now = new Date();
      const filing: repo.NewAppCase = {
        regionId: this.placeOf(actor, await this.nearestStation(category.region_id, input.lat, input.lng)),
        reporterId: actor.userId,
        categoryId: category.id,
        description: input.description,
        lat: input.lat,
        lng: input.lng,
        address: input.address,
        photoIds: input.photoIds,
        urgent: false,
        dueAt: dueAfter(category, 'dispatch', false, now),
        now,
        clientKey: key,
        requestHash: hash,
      };
      return { kind: 'file', filing };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // A retry of a report filed before is answered with that case, even if its category has closed since.
      const earlier = await repo.findByClientKey(this.database.db, actor.userId, key);
      if (!earlier) return { kind: 'refuse', error };
      return earlier.request_hash === hash ? { kind: 'replay', id: earlier.id } : { kind: 'refuse', error: new AppError('IDEMPOTENCY_KEY_REUSED') };
    }
  }

  /** The in-service station nearest to a position within a region: from the index where the server has one. */
  private async nearestStation(regionId: string, lat: number, lng: number, db: Db = this.database.db) {
    return this.stations ? this.stations.nearestIn(regionId, lat, lng) : repo.nearestStation(db, regionId, lat, lng);
  }

  /** With photos: the same plan, then the case and the photos' attachment in one transaction of its own. */
  private async reportWithPhotos(actor: Actor, key: string, input: ReportInput, hash: string): Promise<MyCase> {
    const db = this.database.db;
    const plan = await this.plan(actor, key, input, hash);
    if (plan.kind === 'refuse') throw plan.error;
    if (plan.kind === 'replay') return this.myCase(actor, plan.id);
    const filed = await withTransaction(db, async (tx) => {
      const [done] = await repo.fileCases(tx, [plan.filing]);
      if (done) await this.media.attach(tx, actor.userId, input.photoIds, `case:${done.row.id}`);
      return done;
    });
    if (!filed) return this.myCase(actor, this.replayed((await repo.findByClientKey(db, actor.userId, key))!, hash));
    return toMyCase(filed.row, [filed.event], null, this.links);
  }

  /**
   * Files a report from outside the app (Open311): no account of ours reports it, so the place comes
   * from the position alone, the contact is kept for staff only, and `withCase` writes the channel's
   * own rows in the same transaction (a refusal there leaves nothing behind).
   */
  async reportExternal(
    input: Omit<ReportInput, 'photoIds'> & { source: Exclude<CaseSource, 'app'>; urgent: boolean; contact: ExternalContact },
    withCase: (tx: Db, caseId: string) => Promise<void>,
  ): Promise<string> {
    return withTransaction(this.database.db, async (tx) => {
      const category = await this.reportable(tx, input.categoryId);
      const station = await this.nearestStation(category.region_id, input.lat, input.lng, tx);
      if (!station || station.distance > SERVED_RADIUS_M) throw new AppError('POSITION_OUT_OF_RANGE');
      // Near a station: its community; further out: its street, whose staff see every community in it.
      const regionId = station.regionId.slice(0, station.distance <= COMMUNITY_RADIUS_M ? 12 : 9);
      const id = (await this.file(tx, { category, regionId, input: { ...input, photoIds: [] }, reporterId: null, source: input.source, urgent: input.urgent, clientKey: null, hash: null }))!.row.id;
      await tx.insertInto('case_external_reporters').values({ case_id: id, region_id: regionId, ...input.contact }).execute();
      await withCase(tx, id);
      return id;
    });
  }

  /** A second-level category in force, or CATEGORY_NOT_FOUND. */
  private async reportable(tx: Db, categoryId: string) {
    const category = await repo.findCategory(tx, categoryId);
    if (!category || category.parent_id === null || category.status !== 'active') throw new AppError('CATEGORY_NOT_FOUND');
    return category;
  }

  /** Writes the new case with its `report` event and live notice; undefined when a concurrent retry with the same key filed it first. */
  private file(
    db: Db,
    r: { category: repo.ClockCategory; regionId: string; input: ReportInput; reporterId: string | null; source: CaseSource; urgent: boolean; clientKey: string | null; hash: string | null },
  ) {
    const { input } = r;
    const now = new Date();
    // A concurrent retry with the same key waits on the insert for the first, then finds its case.
    return repo.fileCase(db, {
      regionId: r.regionId,
      reporterId: r.reporterId,
      source: r.source,
      categoryId: r.category.id,
      description: input.description,
      lat: input.lat,
      lng: input.lng,
      address: input.address,
      photoIds: input.photoIds,
      urgent: r.urgent,
      dueAt: dueAfter(r.category, 'dispatch', r.urgent, now),
      now,
      clientKey: r.clientKey,
      requestHash: r.hash,
      detail: r.source === 'app' ? {} : { source: r.source },
    });
  }

  private replayed(earlier: { id: string; request_hash: string | null }, hash: string): string {
    if (earlier.request_hash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    return earlier.id;
  }

  /** The community a position lies in: the nearest station's within 3 km, else the reporter's own; nothing beyond 20 km. */
  private placeOf(actor: Actor, station: { regionId: string; distance: number } | undefined): string {
    // A district with no stations yet cannot tell near from far: the reporter's community it is.
    if (!station) return actor.regionId;
    if (station.distance > SERVED_RADIUS_M) throw new AppError('POSITION_OUT_OF_RANGE');
    if (station.distance <= COMMUNITY_RADIUS_M && station.regionId.length >= 12) return station.regionId.slice(0, 12);
    return actor.regionId;
  }

  async mine(actor: Actor, page: Page) {
    const [rows, total] = await repo.mine(this.database.db, actor.userId, page);
    return { items: rows.map(toMySummary), total: Number(total.n), ...page };
  }

  async myCase(actor: Actor, id: string): Promise<MyCase> {
    const db = this.database.db;
    const row = await repo.findSummary(db, id);
    if (!row || row.reporter_id !== actor.userId) throw new AppError('NOT_FOUND');
    const [events, original] = await Promise.all([repo.events(db, id), row.duplicate_of ? repo.findSummary(db, row.duplicate_of) : undefined]);
    return toMyCase(row, events, original ?? null, this.links);
  }

  async rate(actor: Actor, id: string, input: { stars: number; comment: string }) {
    await this.step(actor, null, id, 'rate', input);
    return this.myCase(actor, id);
  }

  async reopen(actor: Actor, id: string, input: { note: string; photoIds: string[] }) {
    await this.step(actor, null, id, 'reopen', input);
    return this.myCase(actor, id);
  }

  // ---- the desk: steps ----

  /**
   * Takes one step of the workflow: who may, whether the machine allows it from here, what it
   * changes, its event row, photos, points, audit and the live notice, all in one transaction.
   */
  async step(actor: Actor | null, ctx: RequestContext | null, caseId: string, action: CaseAction, input: StepInput) {
    if (action === 'merge' || (action === 'reject' && input.reason === 'duplicate')) {
      const originalId = input.originalId ?? input.duplicateOf;
      if (!originalId) throw new AppError('VALIDATION_FAILED', { fields: [{ in: 'body', path: 'duplicateOf', message: 'required for a duplicate' }] });
      return this.merge(actor!, ctx!, caseId, originalId, input.note ?? '');
    }
    return withTransaction(this.database.db, async (tx) => {
      const c = await repo.lockCase(tx, caseId);
      if (!c) throw new AppError('NOT_FOUND');
      const to = this.allowed(actor, c, action);
      const category = (await repo.findCategory(tx, c.category_id))!;
      const now = new Date();
      const plan = await planStep(action, { tx, actor, c, to, input, category, now }, category.department_id);
      const photoIds = input.photoIds ?? [];
      if (actor) await this.media.attach(tx, actor.userId, photoIds, `case:${c.id}`);
      const moved = to !== c.status;
      await tx
        .updateTable('cases')
        .set({ ...plan.set, status: to, updated_at: now, ...(moved ? { step_started_at: now } : {}) })
        .where('id', '=', c.id)
        .execute();
      await repo.insertEvent(tx, { caseId: c.id, regionId: c.region_id, action, from: c.status, to, actorId: actor?.userId ?? null, note: plan.note ?? null, internal: plan.internal ?? false, photoIds, detail: plan.detail ?? {} });
      if (!plan.internal) await deliverCaseStep(tx, c, action, `${action}:${now.toISOString()}`, plan.note);
      if (action === 'accept') await awardStep(tx, this.points, c, 'accepted', actor?.userId ?? null);
      if (action === 'close') await awardStep(tx, this.points, c, 'closed', actor?.userId ?? null);
      if (actor && ctx && actor.role !== 'worker') {
        await audit(tx, actor, ctx, { action: `case.${action}`, entity: 'case', entityId: c.id, regionId: c.region_id, detail: { from: c.status, to } });
      }
      const after = (await repo.findSummary(tx, c.id))!;
      await repo.announce(tx, { id: c.id, regionId: c.region_id, departmentId: after.department_id, status: to, action, escalationLevel: after.escalation_level, at: now.toISOString() });
      return toSummary(after, now);
    });
  }

  /** The status a step leads to, or the refusal: who you are and where first, then whether the machine allows it. */
  private allowed(actor: Actor | null, c: repo.CaseRow, action: CaseAction): CaseStatus {
    const refused = refusal(actor, partiesOf(c), action);
    if (refused) throw new AppError(refused);
    const to = nextStatus(c.status, action);
    if (!to) throw new AppError('CASE_ILLEGAL_TRANSITION', { status: c.status, action });
    return to;
  }

  /**
   * A duplicate goes to `rejected`, linked to its original; its reporter sees that in their timeline
   * and follows the original's progress from then on. Only the original's reporter earns points.
   */
  private async merge(actor: Actor, ctx: RequestContext, caseId: string, originalId: string, note: string) {
    if (originalId === caseId) throw new AppError('CASE_DUPLICATE_INVALID');
    return withTransaction(this.database.db, async (tx) => {
      // Both rows locked in id order, so two merges of the same pair cannot deadlock.
      const [first, second] = [caseId, originalId].sort();
      const rows = new Map([await repo.lockCase(tx, first!), await repo.lockCase(tx, second!)].filter((r) => !!r).map((r) => [r!.id, r!]));
      const c = rows.get(caseId);
      if (!c) throw new AppError('NOT_FOUND');
      const to = this.allowed(actor, c, 'merge');
      const original = rows.get(originalId);
      const usable =
        original && original.category_id === c.category_id && (OPEN_CASE_STATUSES as readonly string[]).includes(original.status) && original.duplicate_of === null && isWithin(original.region_id, actor.scopeId);
      if (!usable) throw new AppError('CASE_DUPLICATE_INVALID');
      const now = new Date();
      await tx.updateTable('cases').set({ status: to, duplicate_of: original.id, due_at: null, updated_at: now, step_started_at: now }).where('id', '=', c.id).execute();
      await repo.insertEvent(tx, { caseId: c.id, regionId: c.region_id, action: 'merge', from: c.status, to, actorId: actor.userId, note: note || null, detail: { reason: 'duplicate', originalId: original.id } });
      await repo.insertEvent(tx, { caseId: original.id, regionId: original.region_id, action: 'merge', from: original.status, to: original.status, actorId: actor.userId, internal: true, note: note || null, detail: { duplicateId: c.id } });
      await deliverCaseStep(tx, c, 'merge', `merge:${now.toISOString()}`, note);
      await audit(tx, actor, ctx, { action: 'case.merge', entity: 'case', entityId: c.id, regionId: c.region_id, detail: { originalId: original.id } });
      await repo.announce(tx, { id: c.id, regionId: c.region_id, departmentId: c.department_id, status: to, action: 'merge', escalationLevel: c.escalation_level, at: now.toISOString() });
      return toSummary((await repo.findSummary(tx, c.id))!, now);
    });
  }

  // ---- the desk: reads ----

  async list(actor: Actor, query: { view: 'all' | 'new' | 'queue' | 'overdue'; status?: CaseStatus; categoryId?: string; page: number; pageSize: number }) {
    const handler = actor.role === 'department_handler';
    const now = new Date();
    const filter: repo.ListFilter = { scope: actor.scopeId, departmentId: handler ? actor.departmentId : null, ...(query.status ? { status: query.status } : {}), ...(query.categoryId ? { categoryId: query.categoryId } : {}) };
    if (query.view === 'new') filter.statuses = handler ? ['dispatched'] : ['submitted'];
    if (query.view === 'queue') {
      const waiting = (Object.keys(MOVES) as CaseAction[]).filter((a) => MOVES[a].by === (handler ? 'handler' : 'staff') && MOVES[a].to !== 'same').flatMap((a) => MOVES[a].from);
      // Assigned to me counts while the case is open: a closed case is no longer waiting for anyone.
      filter.mineOrStatuses = { userId: actor.userId, statuses: [...new Set(waiting)], assignedStatuses: OPEN_CASE_STATUSES };
    }
    if (query.view === 'overdue') filter.overdueAt = now;
    const { rows, total, totalCapped } = await repo.list(this.database.db, filter, query, CASE_LIST_COUNT_CAP);
    return { items: rows.map((r) => toSummary(r, now)), total, totalCapped, page: query.page, pageSize: query.pageSize };
  }

  /** The full case for the desk. The reporter's name and masked phone are personal data: the read is audited. */
  async detail(actor: Actor, ctx: RequestContext, id: string) {
    return withTransaction(this.database.db, async (tx) => {
      const row = await repo.findSummary(tx, id);
      if (!row) throw new AppError('NOT_FOUND');
      const refused = mayRead(actor, { regionId: row.region_id, reporterId: row.reporter_id, departmentId: row.department_id, gridId: row.grid_id });
      if (refused) throw new AppError(refused);
      const [reporter, events] = await Promise.all([repo.reporterOf(tx, row), repo.events(tx, id)]);
      await audit(tx, actor, ctx, { action: 'case.read', entity: 'case', entityId: id, regionId: row.region_id, detail: { reporterId: row.reporter_id, source: row.source } });
      return toDetail(row, reporter, events, this.links);
    });
  }

  /** Closed cases for the public map: nothing about who reported or handled them. */
  async publicClosed(query: repo.PublicArea & { limit: number }, lang: Lang): Promise<{ items: PublicCase[] }> {
    const rows = await repo.publicClosed(this.database.db, query, query.limit);
    const photos = await repo.resultPhotos(this.database.db, rows.map((r) => r.id));
    return { items: rows.map((r) => toPublicCase(r, photos.get(r.id) ?? [], this.links, lang)) };
  }

  async duplicates(actor: Actor, id: string) {
    const db = this.database.db;
    const c = await db.selectFrom('cases').select(['id', 'category_id', 'lat', 'lng', 'region_id', 'reporter_id', 'department_id', 'grid_id']).where('id', '=', id).executeTakeFirst();
    if (!c) throw new AppError('NOT_FOUND');
    const refused = mayRead(actor, { regionId: c.region_id, reporterId: c.reporter_id, departmentId: c.department_id, gridId: c.grid_id });
    if (refused) throw new AppError(refused);
    const rows = await repo.nearbyOpen(db, c, OPEN_CASE_STATUSES, DUPLICATE_RADIUS_M);
    return { items: rows.filter((r) => isWithin(r.region_id, actor.scopeId)).map((r) => ({ ...toSummary(r), distanceM: Math.round(r.distance) })) };
  }
}
