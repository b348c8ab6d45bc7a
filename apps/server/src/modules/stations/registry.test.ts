import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { COLUMNS, hoursText, parseHoursText } from './registry.sheet.ts';
import { XLSX_TYPE, countIn, createStation, importWorkbook, sheetRow, stationBody, workbookOf } from './registry.fixtures.ts';

const GONGYI = '440114001002'; // 公益社区, 新华街道
const QINGBU = '440114002002'; // 清布社区, 新雅街道

describe('opening hours as cell text', () => {
  it('reads back what it writes', () => {
    const week = [[], ['08:00-12:00', '14:00-18:00'], ['08:00-18:00'], ['08:00-18:00'], ['08:00-18:00'], ['08:00-18:00'], ['09:00-12:00']];
    expect(parseHoursText(hoursText(week, false))).toEqual({ weeklyHours: week, alwaysOpen: false });
    expect(hoursText(Array.from({ length: 7 }, () => ['08:00-22:00']), false)).toBe('08:00-22:00');
    expect(parseHoursText('24小时')?.alwaysOpen).toBe(true);
    expect(parseHoursText('一 08:00-18:00；日 休息')?.weeklyHours[1]).toEqual(['08:00-18:00']);
    for (const bad of ['8点到10点', '25:00-26:00', '一 08:00-18:00; 一 09:00-10:00', '=1+1']) expect(parseHoursText(bad), bad).toBeNull();
  });
});

describe.each(DB_KINDS)('stations registry on %s', (kind) => {
  let t: TestApp;
  type Who = 'xinhua' | 'xinya' | 'sanhua' | 'district' | 'keeper01' | 'grid01';
  const token = {} as Record<Who, string>;
  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const name of ['xinhua', 'xinya', 'sanhua', 'district', 'keeper01', 'grid01'] as const) token[name] = await t.loginStaff(name);
  });
  afterAll(async () => t?.close());

  const get = (who: Who, id: string) => t.request('GET', `/api/v1/stations/manage/${id}`, { token: token[who] });
  const move = (who: Who, id: string, m: string, reason = '测试原因') => t.request('POST', `/api/v1/stations/manage/${id}/moves`, { token: token[who], body: { move: m, reason } });

  it('creates a station picked on the map, shows it whole to its managers and lists it with filters', async () => {
    const body = stationBody(GONGYI, { alwaysOpen: false, holidayOpen: true, extendedHours: true, accessMode: 'self_service' });
    const res = await t.request('POST', '/api/v1/stations/manage', { token: token.xinhua, body });
    expect(res.statusCode, res.body).toBe(200);
    const station = res.json();
    expect(station).toMatchObject({ status: 'planned', name: body.name, type: 'nuanxin', keeperPhone: '13800009999', holidayOpen: true, extendedHours: true, accessMode: 'self_service', stars: null, regionName: '公益社区' });

    const list = await t.request('GET', `/api/v1/stations/manage?q=${encodeURIComponent(body.name)}`, { token: token.xinhua });
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: station.id, keeperPhone: '138****9999' }] });
    const planned = (await t.request('GET', '/api/v1/stations/manage?status=planned&type=nuanxin&pageSize=100', { token: token.xinhua })).json();
    expect(planned.items.every((s: { status: string; type: string; regionId: string }) => s.status === 'planned' && s.type === 'nuanxin' && s.regionId.startsWith('440114001'))).toBe(true);
    // The public page sees the same station with its keeper masked, once it is built.
    await move('xinhua', station.id, 'build');
    expect((await t.request('GET', `/api/v1/stations/${station.id}`)).json()).toMatchObject({ keeperPhone: '138****9999', openHours: '08:00-20:00' });

    const renamed = await t.request('PUT', `/api/v1/stations/manage/${station.id}`, { token: token.xinhua, body: { ...body, name: `${body.name}改`, seats: 20 } });
    expect(renamed.json()).toMatchObject({ name: `${body.name}改`, seats: 20 });
    // A name already used in the region.
    const other = await createStation(t, token.xinhua, GONGYI);
    const clash = await t.request('PUT', `/api/v1/stations/manage/${other}`, { token: token.xinhua, body: { ...body, name: `${body.name}改` } });
    expect([clash.statusCode, clash.json().error.code]).toEqual([409, 'STATION_NAME_TAKEN']);
  });

  it('keeps each admin to their own subtree: 新雅 cannot touch a 新华 station', async () => {
    const id = await createStation(t, token.xinhua, GONGYI);
    for (const res of [
      await get('xinya', id),
      await move('xinya', id, 'build'),
      await t.request('PUT', `/api/v1/stations/manage/${id}`, { token: token.xinya, body: stationBody(GONGYI) }),
      await t.request('PUT', `/api/v1/stations/manage/${id}`, { token: token.xinya, body: stationBody(QINGBU) }),
      await t.request('POST', '/api/v1/stations/manage', { token: token.xinya, body: stationBody(GONGYI) }),
      await t.request('GET', `/api/v1/stations/manage?regionId=${GONGYI}`, { token: token.xinya }),
      await t.request('GET', `/api/v1/stations/manage/${id}/history`, { token: token.xinya }),
    ]) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe('OUT_OF_SCOPE');
    }
    // Moving a 新华 station into 新雅 is refused too (both regions must be one's own).
    const away = await t.request('PUT', `/api/v1/stations/manage/${id}`, { token: token.xinhua, body: stationBody(QINGBU) });
    expect(away.json().error.code).toBe('OUT_OF_SCOPE');
    // A community admin lists only their community; grid staff have no registry.
    const sanhua = (await t.request('GET', '/api/v1/stations/manage?pageSize=100', { token: token.sanhua })).json();
    expect(sanhua.items.length).toBeGreaterThan(0);
    expect(sanhua.items.every((s: { regionId: string }) => s.regionId.startsWith('440114001001'))).toBe(true);
    expect((await t.request('GET', '/api/v1/stations/manage', { token: token.grid01 })).statusCode).toBe(403);
  });

  it('moves through the lifecycle with reasons and refuses illegal moves with 409', async () => {
    const id = await createStation(t, token.xinhua, GONGYI);
    for (const bad of ['suspend', 'reopen']) {
      const res = await move('xinhua', id, bad);
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'STATION_ILLEGAL_MOVE']);
    }
    expect((await move('xinhua', id, 'build')).json().status).toBe('built');
    expect((await move('xinhua', id, 'build')).statusCode).toBe(409);
    expect((await move('xinhua', id, 'suspend', '装修')).json().status).toBe('suspended');
    // Never accepted: reopening goes back to built, not accepted.
    expect((await move('xinhua', id, 'reopen', '装修完成')).json().status).toBe('built');
    expect((await move('xinhua', id, 'close', '场地收回')).json().status).toBe('closed');
    expect((await move('xinhua', id, 'close')).statusCode).toBe(409);
    // "accept" is no move at all, and a reason is required.
    expect((await move('xinhua', id, 'accept')).json().error.code).toBe('VALIDATION_FAILED');
    expect((await move('xinhua', id, 'reopen', '')).json().error.code).toBe('VALIDATION_FAILED');

    const history = (await t.request('GET', `/api/v1/stations/manage/${id}/history`, { token: token.xinhua })).json().items;
    expect(history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['closed', 'built', 'suspended', 'built', 'planned']);
    expect(history[0]).toMatchObject({ fromStatus: 'built', reason: '场地收回', actorName: '吴晓梅' });
    // The history is append-only, even for the application.
    await expect(t.database.db.deleteFrom('station_status_history').where('station_id', '=', id).execute()).rejects.toThrow(/append-only/);
  });

  it('lets a keeper change only their own station’s hours, offer and photos', async () => {
    const own = (await t.database.db.selectFrom('stations').select('id').where('name', '=', '三华社区暖新驿站').executeTakeFirstOrThrow()).id;
    const offer = { weeklyHours: Array.from({ length: 7 }, () => ['07:00-23:00']), extendedHours: true, amenities: ['water', 'wifi'], services: ['clinic'] };
    const res = await t.request('PUT', `/api/v1/stations/manage/${own}/offer`, { token: token.keeper01, body: offer });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ amenities: ['water', 'wifi'], extendedHours: true, status: 'accepted' });
    expect((await get('keeper01', own)).statusCode).toBe(200);

    const other = await createStation(t, token.xinhua, GONGYI);
    const refused = await t.request('PUT', `/api/v1/stations/manage/${other}/offer`, { token: token.keeper01, body: offer });
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'NOT_YOUR_STATION']);
    expect((await get('keeper01', other)).json().error.code).toBe('NOT_YOUR_STATION');
    // Name, place, status and the list are not the keeper's.
    expect((await t.request('PUT', `/api/v1/stations/manage/${own}`, { token: token.keeper01, body: stationBody('440114001001001') })).statusCode).toBe(403);
    expect((await move('keeper01', own, 'suspend')).statusCode).toBe(403);
    expect((await t.request('GET', '/api/v1/stations/manage', { token: token.keeper01 })).statusCode).toBe(403);
    // Unknown amenities or a field outside the offer are refused, and nothing changes.
    const before = (await get('keeper01', own)).json();
    for (const body of [{ ...offer, amenities: ['sauna'] }, { ...offer, name: '改名' }, { ...offer, weeklyHours: [['08:00-20:00']] }]) {
      expect((await t.request('PUT', `/api/v1/stations/manage/${own}/offer`, { token: token.keeper01, body })).statusCode).toBe(400);
    }
    expect((await get('keeper01', own)).json().updatedAt).toBe(before.updatedAt);
  });

  it('imports all rows or none: one bad row of 50 imports nothing and is reported; a clean file imports all', async () => {
    const target = '440114001001002';
    const before = await countIn(t, target);
    const rows: Array<Record<string, unknown>> = Array.from({ length: 50 }, (_, i) => sheetRow(i + 1, `全有全无${kind}`));
    rows[26] = { ...rows[26], lat: 'abc', amenities: '空调、桑拿' };
    const bad = await importWorkbook(t, token.xinhua, target, await workbookOf(rows as never));
    expect(bad.statusCode, bad.body).toBe(400);
    const error = bad.json().error;
    expect(error.code).toBe('IMPORT_ROWS_INVALID');
    expect(error.message).toContain('未导入任何数据');
    expect(error.details.errors).toEqual([
      { row: 28, column: '纬度*', message: '须为数字' },
      { row: 28, column: '服务设施', message: '未知的项目：桑拿' },
    ]);
    expect(await countIn(t, target)).toBe(before);

    // In English when asked, and a name twice in the file or already in the region is a row error too.
    const dup = [sheetRow(1, `重名${kind}`), sheetRow(1, `重名${kind}`)];
    const english = await importWorkbook(t, token.xinhua, target, await workbookOf(dup), { 'accept-language': 'en' });
    expect(english.json().error.details.errors).toEqual([{ row: 3, column: '名称*', message: 'Same name as row 2' }]);

    const good = await importWorkbook(t, token.xinhua, target, await workbookOf(rows.map((r, i) => (i === 26 ? sheetRow(27, `全有全无${kind}`) : r)) as never));
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toEqual({ imported: 50 });
    expect(await countIn(t, target)).toBe(before + 50);
    const imported = await t.database.db.selectFrom('stations').selectAll().where('name', '=', `全有全无${kind}-27`).executeTakeFirstOrThrow();
    expect(imported).toMatchObject({ status: 'built', access_mode: 'self_service', holiday_open: true, amenities: ['aircon', 'water'], region_id: target });
    const again = await importWorkbook(t, token.xinhua, target, await workbookOf([sheetRow(5, `全有全无${kind}`)]));
    expect(again.json().error.details.errors[0]).toMatchObject({ row: 2, column: '名称*', message: '该区域已有同名驿站' });
  });

  it('export → import into another region gives the same rows', async () => {
    const source = '440114001001'; // 三华社区
    const exported = await t.app.inject({ method: 'GET', url: `/api/v1/stations/manage.xlsx?regionId=${source}`, headers: { authorization: `Bearer ${token.xinhua}` } });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain(XLSX_TYPE);
    const imported = await importWorkbook(t, token.district, QINGBU, exported.rawPayload);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json().imported).toBe(await countIn(t, source));
    const again = await t.app.inject({ method: 'GET', url: `/api/v1/stations/manage.xlsx?regionId=${QINGBU}`, headers: { authorization: `Bearer ${token.district}` } });
    const rowsOf = async (bytes: Buffer, names: Set<string> | null) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      const importable = COLUMNS.flatMap((c, i) => (c.importable ? [i + 1] : []));
      const rows: string[] = [];
      sheet.eachRow((row, n) => {
        const cells = importable.map((col) => String(row.getCell(col).value ?? ''));
        if (n > 1 && (!names || names.has(cells[0]!))) rows.push(cells.join('|'));
      });
      return rows.sort();
    };
    const first = await rowsOf(exported.rawPayload, null);
    expect(first.length).toBeGreaterThan(2);
    expect(await rowsOf(again.rawPayload, new Set(first.map((r) => r.split('|')[0]!)))).toEqual(first);
  });

  it('refuses what is not a usable workbook with a 4xx and imports nothing', async () => {
    const before = await countIn(t, '440114');
    const post = (payload: Buffer | string, contentType = XLSX_TYPE, who: Who = 'xinhua', region = GONGYI) =>
      t.app.inject({ method: 'POST', url: `/api/v1/stations/import?regionId=${region}`, headers: { authorization: `Bearer ${token[who]}`, 'content-type': contentType }, payload });
    const notXlsx = await post(Buffer.from('name,type\n驿站,暖新驿站\n'));
    expect([notXlsx.statusCode, notXlsx.json().error.code]).toEqual([415, 'IMPORT_NOT_XLSX']);
    // A zip that is no workbook.
    const zipHeader = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200)]);
    expect((await post(zipHeader)).json().error.code).toBe('IMPORT_NOT_XLSX');
    expect((await post('{"rows":[]}', 'application/json')).json().error.code).toBe('IMPORT_NOT_XLSX');
    const huge = await post(Buffer.alloc(10 * 1024 * 1024, 1));
    expect([huge.statusCode, huge.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const empty = await post(await workbookOf([]));
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'IMPORT_EMPTY']);
    // Headers that are not the template's.
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('x').addRow(['foo', 'bar']);
    const wrong = await post(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(wrong.json().error.details.errors[0]).toMatchObject({ row: 1, column: '名称*' });
    // Out of one's region, or not an admin.
    expect((await post(await workbookOf([sheetRow(1)]), XLSX_TYPE, 'xinya')).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await post(await workbookOf([sheetRow(1)]), XLSX_TYPE, 'keeper01')).json().error.code).toBe('FORBIDDEN');
    expect((await post(await workbookOf([sheetRow(1)]), XLSX_TYPE, 'xinhua', 'abc')).json().error.code).toBe('VALIDATION_FAILED');
    expect(await countIn(t, '440114')).toBe(before);
  });

  it('reads formulas as text and never evaluates them', async () => {
    const before = await countIn(t, GONGYI);
    const row = { ...sheetRow(1, `公式${kind}`), seats: { formula: '1+1', result: 2 }, name: { formula: 'HYPERLINK("http://evil","点我")', result: '点我' } };
    const res = await importWorkbook(t, token.xinhua, GONGYI, await workbookOf([row as never]));
    expect(res.json().error.details.errors.map((e: { column: string }) => e.column).sort()).toEqual(['名称*', '座位数']);
    expect(res.json().error.details.errors[0].message).toContain('公式');
    // A text cell that starts with "=" is text, refused by the name rule like any markup.
    const text = await importWorkbook(t, token.xinhua, GONGYI, await workbookOf([{ ...sheetRow(2, `公式${kind}`), name: '=1+1' }]));
    expect(text.json().error.details.errors[0]).toMatchObject({ column: '名称*' });
    expect(await countIn(t, GONGYI)).toBe(before);
  });

  it('hands out the import template', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/stations/import-template.xlsx', headers: { authorization: `Bearer ${token.sanhua}` } });
    expect(res.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['驿站', '填写说明']);
    expect(workbook.worksheets[0]!.getRow(1).getCell(1).value).toBe('名称*');
    expect(workbook.worksheets[0]!.rowCount).toBe(1);
  });
});
