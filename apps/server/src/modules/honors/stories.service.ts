import { isWithin, maskName, type PublicStory, type StaffStory, type StoryMove, type storyInput } from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { audit } from '../../common/audit.ts';
import { requireScope } from '../../common/access.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import type { MediaService } from '../media/media.service.ts';
import { findRegion } from '../identity/identity.repository.ts';
import { nextStoryStatus } from './honors-workflow.ts';
import * as repo from './honors.repository.ts';

type StoryInput = z.output<typeof storyInput>;

const iso = (d: Date) => d.toISOString();
/** The cover first, then the other photos, each once: every id the story holds. */
const allPhotos = (s: { cover_id: string | null; photo_ids: string[] }) => [...new Set([...(s.cover_id ? [s.cover_id] : []), ...s.photo_ids])];

/** 动人故事 and 随手记: written and published by staff, read by anyone. */
export class StoriesService {
  constructor(
    private readonly database: Database,
    private readonly media: MediaService,
  ) {}

  private toStaff(s: repo.StoryRow): StaffStory {
    return {
      id: s.id,
      regionId: s.region_id,
      regionName: s.region_name,
      kind: s.kind,
      title: s.title,
      body: s.body,
      cover: s.cover_id ? this.media.links([s.cover_id])[0]! : null,
      photos: this.media.links(s.photo_ids),
      workerId: s.worker_id,
      // Staff see the linked worker as the public will: masked (the full record is in 人员管理, audited there).
      workerName: s.worker_id ? maskName(s.worker_name) : null,
      consented: s.consented,
      status: s.status,
      views: s.views,
      publishedAt: s.published_at ? iso(s.published_at) : null,
      createdAt: iso(s.created_at),
      updatedAt: iso(s.updated_at),
    };
  }

  private toPublic(s: repo.StoryRow): PublicStory {
    const shown = s.worker_id !== null && s.consented;
    return {
      id: s.id,
      regionId: s.region_id,
      regionName: s.region_name,
      kind: s.kind,
      title: s.title,
      body: s.body,
      cover: s.cover_id ? this.media.links([s.cover_id])[0]! : null,
      photos: this.media.links(s.photo_ids),
      workerName: shown ? maskName(s.worker_name) : null,
      communityName: shown ? s.community_name : null,
      views: s.views,
      publishedAt: iso(s.published_at!),
    };
  }

  private async checkInput(db: Db, actor: Actor, input: StoryInput) {
    requireScope(actor, input.regionId);
    if (!(await findRegion(db, input.regionId))) throw new AppError('REGION_NOT_FOUND');
    if (input.workerId) {
      if (!input.consented) throw new AppError('STORY_CONSENT_REQUIRED');
      const worker = await db.selectFrom('users').select(['role', 'region_id']).where('id', '=', input.workerId).executeTakeFirst();
      if (!worker || worker.role !== 'worker' || !isWithin(worker.region_id, input.regionId)) throw new AppError('STORY_WORKER_INVALID');
    }
  }

  private values(input: StoryInput) {
    return {
      region_id: input.regionId,
      kind: input.kind,
      title: input.title,
      body: input.body,
      cover_id: input.coverId,
      photo_ids: input.photoIds.filter((p) => p !== input.coverId),
      worker_id: input.workerId,
      consented: input.workerId ? input.consented : false,
    };
  }

  async list(actor: Actor, query: { regionId?: string | undefined; status?: string | undefined; kind?: string | undefined; q?: string | undefined; page: number; pageSize: number }) {
    if (query.regionId) requireScope(actor, query.regionId);
    const { rows, total } = await repo.listStories(this.database.db, { regionPrefix: query.regionId ?? actor.scopeId, status: query.status, kind: query.kind, q: query.q }, query, 'created');
    return { items: rows.map((s) => this.toStaff(s)), total, page: query.page, pageSize: query.pageSize };
  }

  async get(actor: Actor, id: string): Promise<StaffStory> {
    const story = await repo.storyQuery(this.database.db).where('s.id', '=', id).executeTakeFirst();
    if (!story) throw new AppError('NOT_FOUND');
    requireScope(actor, story.region_id);
    return this.toStaff(story);
  }

  async create(actor: Actor, ctx: RequestContext, input: StoryInput): Promise<StaffStory> {
    return withTransaction(this.database.db, async (tx) => {
      await this.checkInput(tx, actor, input);
      const { id } = await tx
        .insertInto('stories')
        .values({ ...this.values(input), created_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.media.attach(tx, actor.userId, allPhotos(this.values(input)), `story:${id}`);
      await audit(tx, actor, ctx, { action: 'story.create', entity: 'story', entityId: id, regionId: input.regionId, detail: { title: input.title, kind: input.kind } });
      return this.toStaff(await repo.storyQuery(tx).where('s.id', '=', id).executeTakeFirstOrThrow());
    });
  }

  async update(actor: Actor, ctx: RequestContext, id: string, input: StoryInput): Promise<StaffStory> {
    return withTransaction(this.database.db, async (tx) => {
      const story = await tx.selectFrom('stories').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!story) throw new AppError('NOT_FOUND');
      requireScope(actor, story.region_id);
      await this.checkInput(tx, actor, input);
      const values = this.values(input);
      const held = allPhotos(story);
      await this.media.attach(tx, actor.userId, allPhotos(values).filter((p) => !held.includes(p)), `story:${id}`);
      await tx.updateTable('stories').set({ ...values, updated_at: new Date() }).where('id', '=', id).execute();
      await audit(tx, actor, ctx, { action: 'story.update', entity: 'story', entityId: id, regionId: input.regionId, detail: { title: input.title } });
      return this.toStaff(await repo.storyQuery(tx).where('s.id', '=', id).executeTakeFirstOrThrow());
    });
  }

  async move(actor: Actor, ctx: RequestContext, id: string, move: StoryMove): Promise<StaffStory> {
    return withTransaction(this.database.db, async (tx) => {
      const story = await tx.selectFrom('stories').select(['id', 'region_id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!story) throw new AppError('NOT_FOUND');
      requireScope(actor, story.region_id);
      const to = nextStoryStatus(story.status, move);
      if (!to) throw new AppError('STORY_ILLEGAL_MOVE', { status: story.status, move });
      const now = new Date();
      await tx
        .updateTable('stories')
        .set({ status: to, updated_at: now, ...(move === 'publish' ? { published_at: now } : {}) })
        .where('id', '=', id)
        .execute();
      await audit(tx, actor, ctx, { action: `story.${move}`, entity: 'story', entityId: id, regionId: story.region_id, detail: { from: story.status, to } });
      return this.toStaff(await repo.storyQuery(tx).where('s.id', '=', id).executeTakeFirstOrThrow());
    });
  }

  async published(query: { regionId?: string | undefined; kind?: string | undefined; q?: string | undefined; page: number; pageSize: number }) {
    const { rows, total } = await repo.listStories(this.database.db, { regionPrefix: query.regionId, status: 'published', kind: query.kind, q: query.q }, query, 'published');
    return { items: rows.map((s) => this.toPublic(s)), total, page: query.page, pageSize: query.pageSize };
  }

  /** A published story; opening it counts a view. */
  async read(id: string): Promise<PublicStory> {
    const db = this.database.db;
    if (!(await repo.countView(db, id))) throw new AppError('NOT_FOUND');
    return this.toPublic(await repo.storyQuery(db).where('s.id', '=', id).executeTakeFirstOrThrow());
  }
}
