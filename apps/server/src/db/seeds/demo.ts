import type { RegionLevel } from '@nuanxin/shared';
import type { Config } from '../../config.ts';
import { withTransaction, type Database } from '../client.ts';
import { hashPassword } from '../../modules/identity/password.ts';
import { DEMO_AWARDS, DEMO_PASSWORD, DEPARTMENTS, PARTNERS, REGIONS, REWARDS, RULES, STAFF, STATIONS, WORKERS } from './demo-data.ts';
import { PointsService } from '../../modules/points/points.service.ts';
import { findRule } from '../../modules/points/points.repository.ts';
import { CaseCategoryCache } from '../../modules/cases/case-category-cache.ts';
import { CasesService } from '../../modules/cases/cases.service.ts';
import { MediaService } from '../../modules/media/media.service.ts';
import type { MediaStore } from '../../modules/media/media.store.ts';
import { seedCaseCategories, seedDemoCases } from './demo-cases.ts';
import { seedDemoVisits } from './demo-visits.ts';
import { seedDemoHonors } from './demo-honors.ts';
import { seedDemoNotices } from './demo-notices.ts';
import { seedDemoOrganizations } from './demo-organizations.ts';
import { seedDemoPartners } from './demo-partners.ts';
import { seedDemoWishes } from './demo-wishes.ts';
import { seedDemoActivities } from './demo-activities.ts';
import { seedDemoGuide } from './demo-guide.ts';
import { seedStationRegistry } from './demo-stations.ts';

/** Seed on a fresh database unless told otherwise; never by default in production. */
export async function shouldSeed(database: Database, config: Config): Promise<boolean> {
  if (config.SEED_DEMO === 'never') return false;
  if (config.SEED_DEMO === 'auto' && config.NODE_ENV === 'production') return false;
  const any = await database.db.selectFrom('regions').select('id').limit(1).executeTakeFirst();
  return config.SEED_DEMO === 'always' || !any;
}

/**
 * Loads the demo district. Every insert skips rows that exist by their natural key, so running it
 * again adds nothing. Returns how many rows each table holds afterwards.
 */
export async function seedDemo(database: Database): Promise<Record<string, number>> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await withTransaction(database.db, async (tx) => {
    for (const r of REGIONS) {
      await tx.insertInto('regions').values({ id: r.id, parent_id: r.parent, level: r.level as RegionLevel, name: r.name }).onConflict((oc) => oc.doNothing()).execute();
    }
    await tx
      .insertInto('departments')
      .values(DEPARTMENTS.map((d) => ({ region_id: d.region, name: d.name, kind: d.kind })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await tx
      .insertInto('partners')
      .values(PARTNERS.map((p) => ({ region_id: p.region, name: p.name, kind: p.kind, status: 'certified' as const, address: p.address, lat: p.lat, lng: p.lng, contact_name: null, contact_phone: null })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await tx
      .insertInto('stations')
      .values(
        STATIONS.map((s) => ({
          region_id: s.region,
          name: s.name,
          type: s.type,
          status: s.status,
          address: s.address,
          lat: s.lat,
          lng: s.lng,
          amenities: [...s.amenities],
          services: [...s.services],
          open_hours: s.hours,
          always_open: s.hours === '24小时',
          weekly_hours: JSON.stringify(s.hours === '24小时' ? Array(7).fill([]) : Array(7).fill([s.hours])),
          keeper_name: s.name === '三华社区暖新驿站' ? '谢国平' : null,
          keeper_phone: s.name === '三华社区暖新驿站' ? '13800000010' : null,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();

    const partnerIds = new Map((await tx.selectFrom('partners').select(['id', 'name']).execute()).map((p) => [p.name, p.id]));
    const departmentIds = new Map((await tx.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.name, d.id]));
    const stationIds = new Map((await tx.selectFrom('stations').select(['id', 'name']).execute()).map((s) => [s.name, s.id]));
    const partnerRegion = new Map(PARTNERS.map((p) => [p.name, p.region]));

    await tx
      .insertInto('rewards')
      .values(
        REWARDS.map((r) => ({
          region_id: partnerRegion.get(r.partner)!,
          partner_id: partnerIds.get(r.partner)!,
          name: r.name,
          description: r.description,
          points_price: r.points,
          stock: r.stock,
          per_person_limit: r.limit,
          kind: 'service' as const,
          places: PARTNERS.find((p) => p.name === r.partner)!.address,
          valid_from: null,
          valid_to: null,
          status: 'published' as const,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();

    for (const s of STAFF) {
      await tx
        .insertInto('users')
        .values({
          username: s.username,
          name: s.name,
          role: s.role,
          region_id: s.region,
          phone: s.phone,
          password_hash: passwordHash,
          department_id: s.department ? departmentIds.get(s.department)! : null,
          partner_id: s.partner ? partnerIds.get(s.partner)! : null,
          station_id: s.station ? stationIds.get(s.station)! : null,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    for (const w of WORKERS) {
      const user = await tx
        .insertInto('users')
        .values({ phone: w.phone, name: w.name, role: 'worker', region_id: w.community, username: null, password_hash: null, department_id: null, partner_id: null, station_id: null })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!user) continue;
      await tx
        .insertInto('worker_profiles')
        .values({ user_id: user.id, region_id: w.community, occupation: w.occupation, platform_company: w.company, vehicle: w.vehicle })
        .execute();
    }

    for (const street of REGIONS.filter((r) => r.level === 'street')) {
      for (const rule of RULES) {
        await tx
          .insertInto('points_rules')
          .values({
            region_id: street.id,
            category: rule.category,
            name: rule.name,
            description: rule.description,
            kind: 'kind' in rule ? rule.kind : 'earn',
            points: rule.points,
            daily_cap: 'dailyCap' in rule ? rule.dailyCap : null,
            monthly_cap: 'monthlyCap' in rule ? rule.monthlyCap : null,
            needs_approval: 'needsApproval' in rule ? rule.needsApproval : false,
            claimable: 'claimable' in rule ? rule.claimable : false,
            suspend_after: 'suspendAfter' in rule ? rule.suspendAfter : null,
            valid_from: null,
            valid_to: null,
            status: 'active',
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    }
    await seedCaseCategories(tx);
    await seedStationRegistry(tx);
    await tx.insertInto('points_settings').values({ region_id: '440114', redemption_days: [], expiry_years: 1 }).onConflict((oc) => oc.doNothing()).execute();

    // Through the ledger like any other source; the source key makes a second run add nothing.
    const points = new PointsService(database);
    for (const [index, [phone, ruleName]] of DEMO_AWARDS.entries()) {
      const worker = await tx.selectFrom('users').select(['id', 'region_id']).where('phone', '=', phone).executeTakeFirstOrThrow();
      const ruleRow = await tx.selectFrom('points_rules').select('id').where('name', '=', ruleName).where('region_id', '=', worker.region_id.slice(0, 9)).executeTakeFirstOrThrow();
      const rule = (await findRule(tx, ruleRow.id))!;
      await points.award(tx, { worker: { userId: worker.id, regionId: worker.region_id }, rule, sourceType: 'demo', sourceId: `${phone}:${index}` });
    }
  });
  // Demo cases carry no photos, so the media service is never asked for a file or a link.
  const noFiles: MediaStore = { put: async () => Promise.reject(new Error('no photos in the seed')), get: async () => null, delete: async () => {} };
  const media = new MediaService(database, noFiles);
  await seedDemoCases(database, new CasesService(database, new PointsService(database), media, new CaseCategoryCache(database)));
  await seedDemoVisits(database);
  await seedDemoNotices(database);
  await seedDemoOrganizations(database);
  await seedDemoPartners(database);
  await seedDemoWishes(database);
  await seedDemoActivities(database);
  await seedDemoGuide(database);
  await seedDemoHonors(database);
  const tables = ['regions', 'departments', 'partners', 'stations', 'rewards', 'users', 'worker_profiles', 'points_rules', 'points_transfers', 'case_categories', 'cases'] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
