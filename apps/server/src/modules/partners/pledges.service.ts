import { sql } from 'kysely';
import { maskName, partnerKindOf, regionLevelOf, type Pledge, type SignatoryKind, type pledgeInput, type pledgeListQuery } from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import { todayCst } from '../../common/time.ts';
import { effectiveStatus } from './partners.views.ts';
import { servesCommunity } from './partners.service.ts';

/** Workers shown on a pledge's public page, newest first; organisations are always all shown. */
const WORKERS_SHOWN = 200;

type ListQuery = z.output<typeof pledgeListQuery>;

/** The newest version of each community's pledge. */
function currentPledges(db: Db) {
  return db
    .selectFrom('pledges as pl')
    .innerJoin('regions as r', 'r.id', 'pl.region_id')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('pledges as newer').select('newer.id').whereRef('newer.region_id', '=', 'pl.region_id').whereRef('newer.version', '>', 'pl.version'))));
}

/** 三方公约: a community's pledge text, versioned, signed by the community, property companies and workers. */
export class PledgesService {
  constructor(private readonly database: Database) {}

  async publish(actor: Actor, ctx: RequestContext, input: z.output<typeof pledgeInput>): Promise<Pledge> {
    if (regionLevelOf(input.regionId) !== 'community') throw new AppError('REGION_NOT_COMMUNITY');
    requireScope(actor, input.regionId);
    const id = await withTransaction(this.database.db, async (tx) => {
      const region = await tx.selectFrom('regions').select('id').where('id', '=', input.regionId).executeTakeFirst();
      if (!region) throw new AppError('REGION_NOT_FOUND');
      const current = await tx.selectFrom('pledges').selectAll().where('region_id', '=', input.regionId).orderBy('version', 'desc').limit(1).executeTakeFirst();
      // Publishing the same words again is not a new version: the signatures stay valid.
      if (current && current.title === input.title && current.body === input.body) return current.id;
      const { id } = await tx
        .insertInto('pledges')
        .values({ region_id: input.regionId, version: (current?.version ?? 0) + 1, title: input.title, body: input.body, published_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(tx, actor, ctx, { action: 'pledge.publish', entity: 'pledge', entityId: id, regionId: input.regionId, detail: { version: (current?.version ?? 0) + 1, title: input.title } });
      return id;
    });
    const [pledge] = await this.views(this.database.db.selectFrom('pledges as pl').innerJoin('regions as r', 'r.id', 'pl.region_id').where('pl.id', '=', id));
    return pledge!;
  }

  /** The public list: current versions, in a region, by community or title words. */
  async list(query: ListQuery) {
    let base = currentPledges(this.database.db);
    if (query.regionId) base = base.where('pl.region_id', 'like', `${query.regionId}%`);
    if (query.q) base = base.where((eb) => eb.or([eb('pl.title', 'like', `%${query.q}%`), eb('r.name', 'like', `%${query.q}%`)]));
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const items = await this.views(base.orderBy('pl.region_id').limit(query.pageSize).offset((query.page - 1) * query.pageSize));
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /** The console's list: pledges in the caller's region, and whether the caller's organisation signed. */
  async manage(actor: Actor, query: ListQuery) {
    const scope = query.regionId ?? actor.scopeId;
    requireScope(actor, scope);
    const page = await this.list({ ...query, regionId: scope });
    const key = this.orgKeyFor(actor);
    const signed = key && page.items.length ? await this.database.db.selectFrom('pledge_signatures').select('pledge_id').where('pledge_id', 'in', page.items.map((p) => p.id)).where('signer_key', 'in', page.items.map((p) => key(p.regionId))).execute() : [];
    const signedIds = new Set(signed.map((s) => s.pledge_id));
    return { ...page, items: page.items.map((p) => ({ ...p, signedByUs: signedIds.has(p.id) })) };
  }

  /** A community's current pledge and who signed it: organisations by name, workers by masked nickname. */
  async community(regionId: string) {
    const [pledge] = await this.views(currentPledges(this.database.db).where('pl.region_id', '=', regionId));
    if (!pledge) return { pledge: null, signatories: [] };
    const db = this.database.db;
    const orgs = await db.selectFrom('pledge_signatures').select(['kind', 'display_name', 'created_at']).where('pledge_id', '=', pledge.id).where('kind', '!=', 'worker').orderBy('created_at').execute();
    const workers = await db.selectFrom('pledge_signatures').select(['kind', 'display_name', 'created_at']).where('pledge_id', '=', pledge.id).where('kind', '=', 'worker').orderBy('created_at', 'desc').limit(WORKERS_SHOWN).execute();
    return { pledge, signatories: [...orgs, ...workers].map((s) => ({ kind: s.kind, name: s.display_name, signedAt: s.created_at.toISOString() })) };
  }

  async mine(actor: Actor) {
    const rows = await this.database.db.selectFrom('pledge_signatures').select('pledge_id').where('signer_key', '=', `worker:${actor.userId}`).execute();
    return { pledgeIds: rows.map((r) => r.pledge_id) };
  }

  /** A worker signs: once per version, only the current one. Their nickname is shown masked. */
  async sign(actor: Actor, pledgeId: string) {
    return withTransaction(this.database.db, async (tx) => {
      const pledge = await this.currentVersion(tx, pledgeId);
      const user = await tx.selectFrom('users').select('name').where('id', '=', actor.userId).executeTakeFirstOrThrow();
      return this.insert(tx, pledge, { kind: 'worker', signer_key: `worker:${actor.userId}`, user_id: actor.userId, partner_id: null, display_name: maskName(user.name) });
    });
  }

  /** The community admin signs for the community; a certified property company's staff for it. */
  async signForOrg(actor: Actor, ctx: RequestContext, pledgeId: string) {
    return withTransaction(this.database.db, async (tx) => {
      const pledge = await this.currentVersion(tx, pledgeId);
      let signature: { kind: SignatoryKind; signer_key: string; partner_id: string | null; display_name: string };
      if (actor.role === 'community_admin') {
        if (actor.regionId !== pledge.region_id) throw new AppError('PLEDGE_SIGNER_INVALID');
        const region = await tx.selectFrom('regions').select('name').where('id', '=', pledge.region_id).executeTakeFirstOrThrow();
        signature = { kind: 'community', signer_key: `community:${pledge.region_id}`, partner_id: null, display_name: `${region.name}居委会` };
      } else {
        const partner = await tx.selectFrom('partners').select(['id', 'name', 'kind', 'status', 'valid_until', 'region_id']).where('id', '=', actor.partnerId!).executeTakeFirstOrThrow();
        const property = partnerKindOf(partner.kind) === 'property' && effectiveStatus(partner, todayCst()) === 'certified';
        if (!property || !servesCommunity(partner.region_id, pledge.region_id)) throw new AppError('PLEDGE_SIGNER_INVALID');
        signature = { kind: 'property', signer_key: `partner:${partner.id}`, partner_id: partner.id, display_name: partner.name };
      }
      const result = await this.insert(tx, pledge, { ...signature, user_id: actor.userId });
      await audit(tx, actor, ctx, { action: 'pledge.sign', entity: 'pledge', entityId: pledge.id, regionId: pledge.region_id, detail: { kind: signature.kind, version: pledge.version } });
      return result;
    });
  }

  private async currentVersion(tx: Db, pledgeId: string) {
    const pledge = await tx.selectFrom('pledges').selectAll().where('id', '=', pledgeId).executeTakeFirst();
    if (!pledge) throw new AppError('NOT_FOUND');
    const newer = await tx.selectFrom('pledges').select('id').where('region_id', '=', pledge.region_id).where('version', '>', pledge.version).executeTakeFirst();
    if (newer) throw new AppError('PLEDGE_NOT_CURRENT');
    return pledge;
  }

  private async insert(tx: Db, pledge: { id: string; region_id: string }, s: { kind: SignatoryKind; signer_key: string; user_id: string; partner_id: string | null; display_name: string }) {
    const row = await tx
      .insertInto('pledge_signatures')
      .values({ pledge_id: pledge.id, region_id: pledge.region_id, ...s })
      .onConflict((oc) => oc.columns(['pledge_id', 'signer_key']).doNothing())
      .returning(['created_at'])
      .executeTakeFirst();
    if (!row) throw new AppError('PLEDGE_ALREADY_SIGNED');
    return { pledgeId: pledge.id, kind: s.kind, name: s.display_name, signedAt: row.created_at.toISOString() };
  }

  private orgKeyFor(actor: Actor): ((regionId: string) => string) | null {
    if (actor.role === 'community_admin') return (regionId) => `community:${regionId}`;
    if (actor.role === 'partner_staff') return () => `partner:${actor.partnerId}`;
    return null;
  }

  private async views(query: ReturnType<typeof currentPledges>): Promise<Pledge[]> {
    const rows = await query.selectAll('pl').select('r.name as region_name').execute();
    if (rows.length === 0) return [];
    const counts = await this.database.db
      .selectFrom('pledge_signatures')
      .select(['pledge_id', 'kind', sql<number>`count(*)`.as('n')])
      .where('pledge_id', 'in', rows.map((r) => r.id))
      .groupBy(['pledge_id', 'kind'])
      .execute();
    return rows.map((r) => {
      const of = (kind: SignatoryKind) => Number(counts.find((c) => c.pledge_id === r.id && c.kind === kind)?.n ?? 0);
      return {
        id: r.id,
        regionId: r.region_id,
        regionName: r.region_name,
        version: r.version,
        title: r.title,
        body: r.body,
        publishedAt: r.created_at.toISOString(),
        counts: { community: of('community'), property: of('property'), worker: of('worker') },
      };
    });
  }
}
