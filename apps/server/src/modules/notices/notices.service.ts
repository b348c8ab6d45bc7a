import { sql } from 'kysely';
import { ADMIN_ROLES, MESSAGE_TOPICS, NOTICE_MOVES, isWithin, type MessagePreference, type MessageTopic, type Notice, type NoticeKind, type NoticeStatus, type Role } from '@nuanxin/shared';
import type { z } from 'zod';
import type { noticeInput } from '@nuanxin/shared';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import type { MediaService } from '../media/media.service.ts';
import './notices.schema.ts';

type Page = { page: number; pageSize: number };
/** A notice counts toward the unread badge this long after it was published. */
export const NOTICE_BADGE_DAYS = 90;

/**
 * The regions whose notices reach a person: their own and every ancestor. Region ids are
 * hierarchical codes (6 digits, +3 per level), so this needs no query.
 */
export function noticeRegionsFor(regionId: string): string[] {
  const out: string[] = [];
  for (let n = 6; n <= regionId.length; n += 3) out.push(regionId.slice(0, n));
  return out;
}

const isPublisher = (role: Role) => (ADMIN_ROLES as readonly Role[]).includes(role);

function noticeQuery(db: Db) {
  return db
    .selectFrom('notices as n')
    .innerJoin('regions as r', 'r.id', 'n.region_id')
    .leftJoin('users as a', 'a.id', 'n.author_id')
    .selectAll('n')
    .select(['r.name as region_name', 'a.name as author_name']);
}
type NoticeRow = NonNullable<Awaited<ReturnType<ReturnType<typeof noticeQuery>['executeTakeFirst']>>>;

/** Notices (公告 / 政策 / 倡议书) published to a region subtree, their reads, and each user's messages. */
export class NoticesService {
  constructor(
    private readonly database: Database,
    private readonly media: MediaService,
  ) {}

  // ---- notices: staff ----

  async create(actor: Actor, ctx: RequestContext, input: z.output<typeof noticeInput>): Promise<Notice> {
    requireScope(actor, input.regionId);
    return withTransaction(this.database.db, async (tx) => {
      const { id } = await tx
        .insertInto('notices')
        .values({ region_id: input.regionId, kind: input.kind, title: input.title, body: input.body, photo_ids: input.photoIds, attachment_ids: input.attachmentIds, pinned: input.pinned, author_id: actor.userId, published_at: null, withdrawn_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.attachMedia(tx, actor, id, input);
      await audit(tx, actor, ctx, { action: 'notice.create', entity: 'notice', entityId: id, regionId: input.regionId, detail: { kind: input.kind, title: input.title } });
      return this.view(tx, actor, (await noticeQuery(tx).where('n.id', '=', id).executeTakeFirstOrThrow()));
    });
  }

  /** Drafts change freely; a published notice only changes its pin (withdraw and write a new one to change the text). */
  async update(actor: Actor, ctx: RequestContext, id: string, input: z.output<typeof noticeInput>): Promise<Notice> {
    return withTransaction(this.database.db, async (tx) => {
      const row = await this.lockInScope(tx, actor, id);
      requireScope(actor, input.regionId);
      if (row.status === 'draft') {
        await this.attachMedia(tx, actor, id, input);
        await tx
          .updateTable('notices')
          .set({ region_id: input.regionId, kind: input.kind, title: input.title, body: input.body, photo_ids: input.photoIds, attachment_ids: input.attachmentIds, pinned: input.pinned, updated_at: new Date() })
          .where('id', '=', id)
          .execute();
      } else {
        // What readers already saw stays as it was: the same words, photos and region, or a 409.
        const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
        const same = row.title === input.title && row.body === input.body && row.kind === input.kind && row.region_id === input.regionId && sameIds(row.photo_ids, input.photoIds) && sameIds(row.attachment_ids, input.attachmentIds);
        if (!same || row.status !== 'published') throw new AppError('INVALID_STATE', { status: row.status });
        await tx.updateTable('notices').set({ pinned: input.pinned, updated_at: new Date() }).where('id', '=', id).execute();
      }
      await audit(tx, actor, ctx, { action: 'notice.update', entity: 'notice', entityId: id, regionId: input.regionId, detail: { status: row.status, pinned: input.pinned } });
      return this.view(tx, actor, (await noticeQuery(tx).where('n.id', '=', id).executeTakeFirstOrThrow()));
    });
  }

  /** draft → published → withdrawn; any other move is refused with 409 INVALID_STATE and changes nothing. */
  async move(actor: Actor, ctx: RequestContext, id: string, action: keyof typeof NOTICE_MOVES): Promise<Notice> {
    return withTransaction(this.database.db, async (tx) => {
      const row = await this.lockInScope(tx, actor, id);
      const move = NOTICE_MOVES[action];
      if (row.status !== move.from) throw new AppError('INVALID_STATE', { status: row.status, action });
      const now = new Date();
      await tx
        .updateTable('notices')
        .set({ status: move.to, updated_at: now, ...(action === 'publish' ? { published_at: now } : { withdrawn_at: now }) })
        .where('id', '=', id)
        .execute();
      await audit(tx, actor, ctx, { action: `notice.${action}`, entity: 'notice', entityId: id, regionId: row.region_id, detail: { from: row.status, to: move.to } });
      return this.view(tx, actor, (await noticeQuery(tx).where('n.id', '=', id).executeTakeFirstOrThrow()));
    });
  }

  /** Every notice written inside the staff member's subtree, any status, pinned first. */
  async manage(actor: Actor, query: Page & { kind?: NoticeKind | undefined; status?: NoticeStatus | undefined; q?: string | undefined }) {
    const db = this.database.db;
    let base = db.selectFrom('notices as n').where('n.region_id', 'like', `${actor.scopeId}%`);
    if (query.kind) base = base.where('n.kind', '=', query.kind);
    if (query.status) base = base.where('n.status', '=', query.status);
    if (query.q) base = base.where('n.title', 'like', `%${query.q.replace(/[%_]/g, (c) => `\\${c}`)}%`);
    const [rows, total] = await Promise.all([
      noticeQuery(db)
        .where('n.id', 'in', base.select('n.id').orderBy('n.pinned', 'desc').orderBy('n.created_at', 'desc').limit(query.pageSize).offset((query.page - 1) * query.pageSize))
        .orderBy('n.pinned', 'desc')
        .orderBy('n.created_at', 'desc')
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const workers = await this.workerCounts(rows.map((r) => r.region_id));
    return { items: rows.map((r) => this.toNotice(r, actor, false, workers)), total: Number(total.n), page: query.page, pageSize: query.pageSize };
  }

  // ---- notices: readers ----

  /** Published notices of the reader's region and its ancestors, pinned first, newest first. */
  async feed(actor: Actor, query: Page & { kind?: NoticeKind | undefined }) {
    const db = this.database.db;
    const regions = noticeRegionsFor(actor.scopeId);
    let base = db.selectFrom('notices as n').where('n.status', '=', 'published').where('n.region_id', 'in', regions);
    if (query.kind) base = base.where('n.kind', '=', query.kind);
    const [rows, total] = await Promise.all([
      noticeQuery(db)
        .where('n.id', 'in', base.select('n.id').orderBy('n.pinned', 'desc').orderBy('n.published_at', 'desc').limit(query.pageSize).offset((query.page - 1) * query.pageSize))
        .select((eb) => eb.exists(eb.selectFrom('notice_reads as nr').select('nr.notice_id').whereRef('nr.notice_id', '=', 'n.id').where('nr.user_id', '=', actor.userId)).as('read'))
        .orderBy('n.pinned', 'desc')
        .orderBy('n.published_at', 'desc')
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    // Staff see the read figures of notices inside their subtree here too.
    const workers = isPublisher(actor.role) ? await this.workerCounts(rows.filter((r) => isWithin(r.region_id, actor.scopeId)).map((r) => r.region_id)) : new Map<string, number>();
    return { items: rows.map((r) => this.toNotice(r, actor, Boolean(r.read), workers)), total: Number(total.n), page: query.page, pageSize: query.pageSize };
  }

  /**
   * One notice. A reader it was published to records a read (once per person; the counters move
   * only on the first). Staff of its subtree see it in any status, with the read figures.
   */
  async detail(actor: Actor, id: string): Promise<Notice> {
    return withTransaction(this.database.db, async (tx) => {
      const row = await noticeQuery(tx).where('n.id', '=', id).executeTakeFirst();
      if (!row) throw new AppError('NOT_FOUND');
      const reader = row.status === 'published' && noticeRegionsFor(actor.scopeId).includes(row.region_id);
      const manager = isPublisher(actor.role) && isWithin(row.region_id, actor.scopeId);
      if (!reader && !manager) throw new AppError('NOT_FOUND');
      let read = false;
      if (reader) {
        read = true;
        const worker = actor.role === 'worker' ? 1 : 0;
        const counted = await sql<{ read_count: number; worker_read_count: number }>`
          with r as (
            insert into notice_reads (notice_id, user_id, region_id) values (${id}, ${actor.userId}, ${actor.regionId})
            on conflict do nothing returning 1
          )
          update notices set read_count = read_count + 1, worker_read_count = worker_read_count + ${worker}
          where id = ${id} and exists (select 1 from r)
          returning read_count, worker_read_count`.execute(tx);
        const now = counted.rows[0];
        if (now) Object.assign(row, now);
      }
      const workers = manager ? await this.workerCounts([row.region_id], tx) : new Map<string, number>();
      return this.toNotice(row, actor, read, workers);
    });
  }

  /** Published notices of the reader's regions from the last NOTICE_BADGE_DAYS days that they have not opened. */
  async unreadNotices(actor: Actor): Promise<number> {
    const since = new Date(Date.now() - NOTICE_BADGE_DAYS * 86_400_000);
    const row = await this.database.db
      .selectFrom('notices as n')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('n.status', '=', 'published')
      .where('n.region_id', 'in', noticeRegionsFor(actor.scopeId))
      .where('n.published_at', '>=', since)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('notice_reads as nr').select('nr.notice_id').whereRef('nr.notice_id', '=', 'n.id').where('nr.user_id', '=', actor.userId))))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  // ---- the message center ----

  async messages(actor: Actor, query: Page & { topic?: MessageTopic | undefined; unread?: 'true' | 'false' | undefined }) {
    const db = this.database.db;
    let base = db.selectFrom('messages as m').where('m.user_id', '=', actor.userId);
    if (query.topic) base = base.where('m.topic', '=', query.topic);
    if (query.unread === 'true') base = base.where('m.read_at', 'is', null);
    if (query.unread === 'false') base = base.where('m.read_at', 'is not', null);
    const [rows, total, unread] = await Promise.all([
      base.selectAll('m').orderBy('m.created_at', 'desc').orderBy('m.id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      this.unreadMessages(actor),
    ]);
    return {
      items: rows.map((m) => ({ id: m.id, topic: m.topic, title: m.title, body: m.body, subjectKind: m.subject_kind, subjectId: m.subject_id, link: m.link, read: m.read_at !== null, createdAt: m.created_at.toISOString() })),
      total: Number(total.n),
      page: query.page,
      pageSize: query.pageSize,
      unread,
    };
  }

  private async unreadMessages(actor: Actor): Promise<number> {
    const row = await this.database.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', actor.userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The badge: unread messages and unread notices, counted apart (notices are never copied per user). */
  async unread(actor: Actor) {
    const [messages, notices] = await Promise.all([this.unreadMessages(actor), this.unreadNotices(actor)]);
    return { messages, notices, total: messages + notices };
  }

  /** Marks one of my messages read; someone else's is not found. Reading twice is fine. */
  async markRead(actor: Actor, id: string): Promise<void> {
    const row = await this.database.db.selectFrom('messages').select(['user_id', 'read_at']).where('id', '=', id).executeTakeFirst();
    if (!row || row.user_id !== actor.userId) throw new AppError('NOT_FOUND');
    if (!row.read_at) await this.database.db.updateTable('messages').set({ read_at: new Date() }).where('id', '=', id).where('read_at', 'is', null).execute();
  }

  async markAllRead(actor: Actor, topic?: MessageTopic): Promise<{ count: number }> {
    let q = this.database.db.updateTable('messages').set({ read_at: new Date() }).where('user_id', '=', actor.userId).where('read_at', 'is', null);
    if (topic) q = q.where('topic', '=', topic);
    const result = await q.executeTakeFirst();
    return { count: Number(result.numUpdatedRows) };
  }

  /** Every topic with its setting: saved, or the default (in-app on, outbound off). */
  async preferences(actor: Actor): Promise<MessagePreference[]> {
    const saved = await this.database.db.selectFrom('message_preferences').select(['topic', 'in_app', 'outbound']).where('user_id', '=', actor.userId).execute();
    const byTopic = new Map(saved.map((p) => [p.topic, p]));
    return MESSAGE_TOPICS.map((topic) => {
      const p = byTopic.get(topic);
      return { topic, inApp: p?.in_app ?? true, outbound: p?.outbound ?? false };
    });
  }

  async savePreferences(actor: Actor, preferences: readonly MessagePreference[]): Promise<MessagePreference[]> {
    const topics = new Set(preferences.map((p) => p.topic));
    if (topics.size !== preferences.length) throw new AppError('VALIDATION_FAILED', { fields: [{ in: 'body', path: 'preferences', message: 'each topic once' }] });
    await this.database.db
      .insertInto('message_preferences')
      .values(preferences.map((p) => ({ user_id: actor.userId, topic: p.topic, in_app: p.inApp, outbound: p.outbound })))
      .onConflict((oc) => oc.columns(['user_id', 'topic']).doUpdateSet((eb) => ({ in_app: eb.ref('excluded.in_app'), outbound: eb.ref('excluded.outbound'), updated_at: new Date() })))
      .execute();
    return this.preferences(actor);
  }

  // ---- helpers ----

  private async lockInScope(tx: Db, actor: Actor, id: string) {
    const row = await tx.selectFrom('notices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND');
    requireScope(actor, row.region_id);
    return row;
  }

  private async attachMedia(tx: Db, actor: Actor, id: string, input: { photoIds: string[]; attachmentIds: string[] }) {
    await this.media.attach(tx, actor.userId, input.photoIds, `notice:${id}`);
    await this.media.attach(tx, actor.userId, input.attachmentIds, `notice:${id}`);
  }

  /** Active workers whose home lies inside each region, for the read rate. */
  private async workerCounts(regionIds: readonly string[], db: Db = this.database.db): Promise<Map<string, number>> {
    const distinct = [...new Set(regionIds)];
    const counts = new Map<string, number>();
    await Promise.all(
      distinct.map(async (regionId) => {
        const row = await db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('role', '=', 'worker')
          .where('status', '=', 'active')
          .where('region_id', 'like', `${regionId}%`)
          .executeTakeFirstOrThrow();
        counts.set(regionId, Number(row.n));
      }),
    );
    return counts;
  }

  private view(tx: Db, actor: Actor, row: NoticeRow): Promise<Notice> {
    return this.workerCounts([row.region_id], tx).then((workers) => this.toNotice(row, actor, false, workers));
  }

  private toNotice(row: NoticeRow, actor: Actor, read: boolean, workers: Map<string, number>): Notice {
    const figures = isPublisher(actor.role) && isWithin(row.region_id, actor.scopeId);
    const workerCount = figures ? (workers.get(row.region_id) ?? 0) : null;
    return {
      id: row.id,
      regionId: row.region_id,
      regionName: row.region_name,
      kind: row.kind,
      title: row.title,
      body: row.body,
      photos: this.media.links(row.photo_ids),
      attachments: this.media.links(row.attachment_ids),
      pinned: row.pinned,
      status: row.status,
      authorName: row.author_name,
      publishedAt: row.published_at?.toISOString() ?? null,
      withdrawnAt: row.withdrawn_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      read,
      readCount: figures ? row.read_count : null,
      workerReadCount: figures ? row.worker_read_count : null,
      workerCount,
      readRate: figures && workerCount ? Math.min(1, row.worker_read_count / workerCount) : figures ? 0 : null,
    };
  }
}
