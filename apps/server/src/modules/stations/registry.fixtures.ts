import ExcelJS from 'exceljs';
import type { StationInput } from '@nuanxin/shared';
import type { TestApp } from '../../../test/harness.ts';
import { COLUMNS, SHEET_NAME } from './registry.sheet.ts';

// Test helpers for the registry and inspection tests: unique stations and workbooks.

let counter = 0;
/** A valid station body with a name no other test uses. */
export function stationBody(regionId: string, overrides: Partial<StationInput> = {}): StationInput {
  counter += 1;
  return {
    regionId,
    name: `测试驿站${process.pid % 1000}-${counter}`,
    type: 'nuanxin',
    address: `测试路${counter}号`,
    lat: 23.39 + counter / 10_000,
    lng: 113.22,
    weeklyHours: Array.from({ length: 7 }, () => ['08:00-20:00']),
    amenities: ['water', 'toilet'],
    services: ['legal'],
    operator: '测试运营单位',
    coBuilders: ['区总工会'],
    accessMode: 'staffed',
    areaM2: 50,
    seats: 10,
    keeperName: '测试站长',
    keeperPhone: '13800009999',
    ...overrides,
  };
}

/** Creates a station (planned) and, when asked, marks it built. Returns its id. */
export async function createStation(t: TestApp, token: string, regionId: string, built = false, overrides: Partial<StationInput> = {}): Promise<string> {
  const res = await t.request('POST', '/api/v1/stations/manage', { token, body: stationBody(regionId, overrides) });
  if (res.statusCode !== 200) throw new Error(`create station ${res.statusCode} ${res.body}`);
  const id = res.json().id as string;
  if (built) {
    const moved = await t.request('POST', `/api/v1/stations/manage/${id}/moves`, { token, body: { move: 'build', reason: '建成' } });
    if (moved.statusCode !== 200) throw new Error(`build ${moved.statusCode} ${moved.body}`);
  }
  return id;
}

type Cell = string | number | ExcelJS.CellFormulaValue | null;

/** A station workbook: the importable headers, then these rows (objects by column key). */
export async function workbookOf(rows: Array<Partial<Record<(typeof COLUMNS)[number]['key'], Cell>>>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(SHEET_NAME);
  const columns = COLUMNS.filter((c) => c.importable);
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.key }));
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A clean sheet row for a new station. */
export function sheetRow(n: number, prefix = `导入驿站${process.pid % 1000}`) {
  return {
    name: `${prefix}-${n}`,
    type: '暖新驿站',
    address: `导入路${n}号`,
    lat: 23.38 + n / 100_000,
    lng: 113.21,
    built: '已建成',
    accessMode: '自助开放',
    hours: '08:00-22:00',
    holidayOpen: '是',
    extendedHours: '否',
    amenities: '空调、饮水机',
    services: '法律援助',
    keeperName: '李四',
    keeperPhone: '13800008888',
  };
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** POSTs a workbook to the import as raw bytes. */
export function importWorkbook(t: TestApp, token: string, regionId: string, bytes: Buffer, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/stations/import?regionId=${regionId}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': XLSX_TYPE, ...headers },
    payload: bytes,
  });
}

/** Stations in a region (exact), as rows. */
export async function countIn(t: TestApp, regionPrefix: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('stations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('region_id', 'like', `${regionPrefix}%`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
