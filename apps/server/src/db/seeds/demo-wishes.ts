import { withTransaction, type Database } from '../client.ts';
import type { WishAction, WishKind, WishStatus } from '@nuanxin/shared';
import * as repo from '../../modules/wishes/wishes.repository.ts';

/** Demo wishes [phone, kind, title, description, yuan, status reached, the steps' extras]. */
const WISHES: ReadonlyArray<{ phone: string; kind: WishKind; title: string; description: string; yuan: number; status: WishStatus; daysAgo: number; partner?: string; donor?: string; thanks?: string }> = [
  { phone: '13900000001', kind: 'item', title: '一个新的骑行头盔', description: '旧头盔扣带坏了，想换一个有3C认证的头盔，雨天送餐更安心。', yuan: 80, status: 'published', daysAgo: 3 },
  { phone: '13900000005', kind: 'service', title: '理发一次', description: '每天清扫街道，头发长了一直没空去理，想在收工后理个短发。', yuan: 30, status: 'claimed', daysAgo: 2, partner: '暖心理发（三华店）' },
  { phone: '13900000002', kind: 'item', title: '电动车充电器', description: '充电器坏了，每天借同事的，想要一个48V的充电器。', yuan: 150, status: 'confirmed', daysAgo: 10, donor: '顺达物流爱心企业', thanks: '充电器很好用，谢谢顺达物流的爱心！' },
  { phone: '13900000003', kind: 'item', title: '冬季保暖手套', description: '冬天开车手冷，想要一双防风保暖手套。', yuan: 50, status: 'submitted', daysAgo: 1 },
];

/** A rule that pays a worker who fulfils a wish (found by its name word, WISH_RULE_WORD). */
const WISH_RULE = { category: 'care' as const, name: '微心愿圆梦', description: '认领并完成他人的微心愿，心愿人确认后获得', points: 10 };

/** Loads the wish rule, 新华街道's settings and a few wishes in different states; keys make a second run add nothing. */
export async function seedDemoWishes(database: Database, now = new Date()): Promise<void> {
  await withTransaction(database.db, async (tx) => {
    const streets = await tx.selectFrom('regions').select('id').where('level', '=', 'street').execute();
    for (const street of streets) {
      await tx
        .insertInto('points_rules')
        .values({ region_id: street.id, category: WISH_RULE.category, name: WISH_RULE.name, description: WISH_RULE.description, kind: 'earn', points: WISH_RULE.points, daily_cap: null, monthly_cap: 30, needs_approval: false, claimable: false, suspend_after: null, valid_from: null, valid_to: null, status: 'active' })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await tx.insertInto('wish_settings').values({ region_id: '440114001', value_cap_yuan: 200, claim_days: 7 }).onConflict((oc) => oc.doNothing()).execute();

    const staff = await tx.selectFrom('users').select(['id', 'username']).where('username', 'in', ['sanhua', 'guangtang', 'barber']).execute();
    const staffId = (name: string) => staff.find((s) => s.username === name)!.id;
    for (const [index, w] of WISHES.entries()) {
      const wisher = await tx.selectFrom('users').select(['id', 'region_id']).where('phone', '=', w.phone).executeTakeFirst();
      if (!wisher) continue;
      const key = `demo-wish-${index}`;
      if (await repo.findByClientKey(tx, wisher.id, key)) continue;
      const at = (hours: number) => new Date(now.getTime() - w.daysAgo * 86_400_000 + hours * 3_600_000);
      const inserted = await repo.insertWish(tx, { regionId: wisher.region_id, wisherId: wisher.id, kind: w.kind, title: w.title, description: w.description, valueYuan: w.yuan, photoIds: [], clientKey: key, requestHash: 'demo', now: at(0) });
      const id = inserted!.id;
      const reviewer = staffId(wisher.region_id.startsWith('440114001') ? 'sanhua' : 'guangtang');
      const steps: Array<[WishAction, WishStatus, WishStatus, string | null, string | null]> = [['submit', 'submitted', 'submitted', wisher.id, null]];
      if (w.status !== 'submitted') steps.push(['approve', 'submitted', 'published', reviewer, null]);
      if (w.partner) steps.push(['claim', 'published', 'claimed', staffId('barber'), '收工后来店里，免费剪发']);
      if (w.donor) steps.push(['offline', 'published', 'fulfilled', reviewer, '爱心企业送到社区，已当面交给心愿人'], ['confirm', 'fulfilled', 'confirmed', wisher.id, w.thanks ?? null]);
      for (const [i, [action, from, to, actorId, note]] of steps.entries()) {
        await repo.insertEvent(tx, { wishId: id, regionId: wisher.region_id, action, from: action === 'submit' ? null : from, to, actorId, note, at: at(i * 6), detail: action === 'offline' ? { donorName: w.donor } : {} });
      }
      const partner = w.partner ? await tx.selectFrom('partners').select('id').where('name', '=', w.partner).executeTakeFirstOrThrow() : null;
      await tx
        .updateTable('wishes')
        .set({
          status: w.status,
          published_at: w.status === 'submitted' ? null : at(6),
          ...(partner ? { claimant_kind: 'partner' as const, claimant_user_id: staffId('barber'), claimant_partner_id: partner.id, claimed_at: at(12), claim_expires_at: new Date(at(12).getTime() + 7 * 86_400_000) } : {}),
          ...(w.donor ? { claimant_kind: 'offline' as const, donor_name: w.donor, claimed_at: at(12), fulfilled_at: at(12), proof_note: '爱心企业送到社区，已当面交给心愿人', confirmed_at: at(18), thanks: w.thanks ?? null, thanks_public: true } : {}),
        })
        .where('id', '=', id)
        .execute();
    }
  });
}
