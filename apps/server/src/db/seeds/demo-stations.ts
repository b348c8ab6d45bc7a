import { starsFor } from '@nuanxin/shared';
import type { Tx } from '../client.ts';
import { STATIONS } from './demo-data.ts';

/** 花都区's acceptance checklist (weights add up to 100). */
export const DEMO_CHECKLIST = {
  region: '440114',
  name: '花都区暖新驿站验收标准',
  passMark: 70,
  items: [
    { key: 'signage', label: '标识标牌', weight: 10 },
    { key: 'area', label: '场地面积', weight: 15 },
    { key: 'facilities', label: '基础设施', weight: 20 },
    { key: 'water', label: '饮水', weight: 10 },
    { key: 'aircon', label: '空调', weight: 10 },
    { key: 'charging', label: '充电', weight: 10 },
    { key: 'hygiene', label: '卫生', weight: 15 },
    { key: 'hours', label: '开放时间', weight: 10 },
  ],
} as const;

// Points taken off per item, so the demo shows a spread of stars (100 → ★5 … 72 → ★3).
const DEDUCTIONS = [[], ['signage'], ['area', 'charging'], ['aircon'], ['facilities'], ['hours', 'water'], ['area', 'hygiene']] as const;

/**
 * The checklist, and a passing acceptance inspection by the district admin for every demo station
 * that is accepted. Runs inside the demo transaction: the database checks at commit that each
 * accepted station points at its passing inspection. A second run adds nothing.
 */
export async function seedStationRegistry(tx: Tx): Promise<void> {
  const { region, name, passMark, items } = DEMO_CHECKLIST;
  await tx
    .insertInto('station_checklists')
    .values({ region_id: region, name, pass_mark: passMark, items: JSON.stringify(items), active: true })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const checklist = await tx.selectFrom('station_checklists').select('id').where('region_id', '=', region).where('name', '=', name).executeTakeFirstOrThrow();
  const inspector = await tx.selectFrom('users').select('id').where('username', '=', 'district').executeTakeFirstOrThrow();
  const accepted = STATIONS.filter((s) => s.status === 'accepted').map((s) => s.name);
  const stations = await tx.selectFrom('stations').select(['id', 'region_id', 'name']).where('name', 'in', accepted).where('accepted_inspection_id', 'is', null).execute();
  for (const [index, station] of stations.entries()) {
    const off = new Set<string>(DEDUCTIONS[index % DEDUCTIONS.length]);
    const scored = items.map((i) => ({ ...i, score: off.has(i.key) ? Math.round(i.weight * 0.4) : i.weight }));
    const total = scored.reduce((sum, i) => sum + i.score, 0);
    const inspectedOn = `2026-0${1 + (index % 9)}-15`;
    const { id } = await tx
      .insertInto('station_inspections')
      .values({
        region_id: station.region_id,
        station_id: station.id,
        checklist_id: checklist.id,
        kind: 'acceptance',
        items: JSON.stringify(scored),
        total,
        pass_mark: passMark,
        passed: total >= passMark,
        stars: starsFor(total),
        remarks: '现场查看，资料齐全',
        photo_ids: [],
        inspector_id: inspector.id,
        inspected_on: inspectedOn,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('stations').set({ accepted_inspection_id: id, stars: starsFor(total), last_inspected_on: inspectedOn }).where('id', '=', station.id).execute();
    await tx
      .insertInto('station_status_history')
      .values({ region_id: station.region_id, station_id: station.id, from_status: 'built', to_status: 'accepted', reason: `验收通过：${total} 分`, actor_id: inspector.id, inspection_id: id })
      .execute();
  }
}
