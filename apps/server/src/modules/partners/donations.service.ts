import { isWithin, regionLevelOf, type Donation, type donationInput, type donationListQuery } from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import { todayCst } from '../../common/time.ts';
import type { MediaService } from '../media/media.service.ts';
import { effectiveStatus } from './partners.views.ts';

function donationQuery(db: Db) {
  return db
    .selectFrom('partner_donations as d')
    .innerJoin('partners as p', 'p.id', 'd.partner_id')
    .innerJoin('regions as r', 'r.id', 'd.region_id')
    .leftJoin('users as u', 'u.id', 'd.recorded_by');
}

/** Donations of resources (shared bikes for a compound, water, umbrellas …) by certified partners. */
export class DonationsService {
  constructor(
    private readonly database: Database,
    private readonly media: MediaService,
  ) {}

  async record(actor: Actor, ctx: RequestContext, input: z.output<typeof donationInput>): Promise<Donation> {
    if (regionLevelOf(input.regionId) !== 'community') throw new AppError('REGION_NOT_COMMUNITY');
    const partnerId = actor.role === 'partner_staff' ? actor.partnerId : input.partnerId;
    if (!partnerId || (actor.role === 'partner_staff' && input.partnerId && input.partnerId !== actor.partnerId)) throw new AppError('DONATION_PARTNER_INVALID');
    if (actor.role !== 'partner_staff') requireScope(actor, input.regionId);
    const id = await withTransaction(this.database.db, async (tx) => {
      const region = await tx.selectFrom('regions').select('id').where('id', '=', input.regionId).executeTakeFirst();
      if (!region) throw new AppError('REGION_NOT_FOUND');
      const partner = await tx.selectFrom('partners').select(['id', 'region_id', 'status', 'valid_until']).where('id', '=', partnerId).executeTakeFirst();
      if (!partner || effectiveStatus(partner, todayCst()) !== 'certified') throw new AppError('DONATION_PARTNER_INVALID');
      // A partner gives within its own district; a partner's staff cannot file for another district.
      if (!isWithin(input.regionId, partner.region_id.slice(0, 6))) throw new AppError('OUT_OF_SCOPE');
      const { id } = await tx
        .insertInto('partner_donations')
        .values({
          region_id: input.regionId,
          partner_id: partner.id,
          item: input.item,
          quantity: input.quantity,
          unit: input.unit,
          recipient: input.recipient,
          donated_on: input.donatedOn,
          note: input.note,
          photo_ids: input.photoIds,
          recorded_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.media.attach(tx, actor.userId, input.photoIds, `donation:${id}`);
      await audit(tx, actor, ctx, { action: 'partner.donation', entity: 'partner_donation', entityId: id, regionId: input.regionId, detail: { partnerId: partner.id, item: input.item, quantity: input.quantity } });
      return id;
    });
    const [row] = await this.rows(donationQuery(this.database.db).where('d.id', '=', id));
    return row!;
  }

  async list(actor: Actor, query: z.output<typeof donationListQuery>) {
    let base = donationQuery(this.database.db);
    if (actor.role === 'partner_staff') {
      // A partner's staff see what their partner gave, wherever it went.
      base = base.where('d.partner_id', '=', actor.partnerId!);
      if (query.regionId) base = base.where('d.region_id', 'like', `${query.regionId}%`);
    } else {
      const scope = query.regionId ?? actor.scopeId;
      requireScope(actor, scope);
      base = base.where('d.region_id', 'like', `${scope}%`);
      if (query.partnerId) base = base.where('d.partner_id', '=', query.partnerId);
    }
    if (query.q) base = base.where((eb) => eb.or([eb('d.item', 'like', `%${query.q}%`), eb('p.name', 'like', `%${query.q}%`), eb('d.recipient', 'like', `%${query.q}%`)]));
    const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const byRegion = await base
      .select(['d.region_id', 'r.name as region_name', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('d.quantity').as('quantity')])
      .groupBy(['d.region_id', 'r.name'])
      .orderBy('d.region_id')
      .execute();
    const items = await this.rows(base.orderBy('d.donated_on', 'desc').orderBy('d.created_at', 'desc').limit(query.pageSize).offset((query.page - 1) * query.pageSize));
    return {
      items,
      total,
      page: query.page,
      pageSize: query.pageSize,
      byRegion: byRegion.map((r) => ({ regionId: r.region_id, regionName: r.region_name, donations: Number(r.n), quantity: Number(r.quantity) })),
    };
  }

  private async rows(query: ReturnType<typeof donationQuery>): Promise<Donation[]> {
    const rows = await query.selectAll('d').select(['p.name as partner_name', 'r.name as region_name', 'u.name as recorder_name']).execute();
    return rows.map((d) => ({
      id: d.id,
      regionId: d.region_id,
      regionName: d.region_name,
      partnerId: d.partner_id,
      partnerName: d.partner_name,
      item: d.item,
      quantity: d.quantity,
      unit: d.unit,
      recipient: d.recipient,
      donatedOn: d.donated_on,
      note: d.note,
      photos: this.media.links(d.photo_ids),
      recordedByName: d.recorder_name,
      createdAt: d.created_at.toISOString(),
    }));
  }
}
