import ExcelJS from 'exceljs';
import { ACCESS_MODE_LABELS, AMENITY_LABELS, SERVICE_LABELS, STATION_STATUS_LABELS, STATION_TYPE_LABELS, STATION_TYPES, type Amenity, type StationService, type StationType, type WeeklyHours } from '@nuanxin/shared';
import type { StationWithRegion } from './registry.repository.ts';
import { BUILT_TEXT, COLUMNS, SHEET_NAME, hoursText, type ColumnKey } from './registry.sheet.ts';

/** Stations as sheet values, in the words the import reads back (zh-CN labels). */
function rowOf(s: StationWithRegion): Record<ColumnKey, string | number | null> {
  return {
    name: s.name,
    type: STATION_TYPE_LABELS[s.type as StationType]?.['zh-CN'] ?? s.type,
    address: s.address,
    lat: s.lat,
    lng: s.lng,
    built: s.status === 'planned' ? BUILT_TEXT.planned : BUILT_TEXT.built,
    operator: s.operator,
    coBuilders: s.co_builders.join('、'),
    accessMode: ACCESS_MODE_LABELS[s.access_mode]['zh-CN'],
    areaM2: s.area_m2,
    seats: s.seats,
    hours: hoursText(s.weekly_hours as WeeklyHours, s.always_open),
    holidayOpen: s.holiday_open ? '是' : '否',
    extendedHours: s.extended_hours ? '是' : '否',
    amenities: (s.amenities as Amenity[]).map((a) => AMENITY_LABELS[a]['zh-CN']).join('、'),
    services: (s.services as StationService[]).map((a) => SERVICE_LABELS[a]['zh-CN']).join('、'),
    keeperName: s.keeper_name,
    keeperPhone: s.keeper_phone,
    region: s.region_name,
    status: STATION_STATUS_LABELS[s.status]['zh-CN'],
    stars: s.stars,
  };
}

function stationSheet(workbook: ExcelJS.Workbook, importableOnly: boolean) {
  const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.filter((c) => c.importable || !importableOnly).map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  // Phones and names stay text: Excel would otherwise show 13800000010 as 1.38E+10.
  sheet.getColumn('keeperPhone').numFmt = '@';
  return sheet;
}

const toBuffer = async (workbook: ExcelJS.Workbook) => Buffer.from(await workbook.xlsx.writeBuffer());

/**
 * The station list as a workbook that the import reads back: the last three columns (region,
 * status, stars) are for reading only. Cells are written as values, never as formulas.
 */
export async function stationsWorkbook(stations: readonly StationWithRegion[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = stationSheet(workbook, false);
  for (const s of stations) sheet.addRow(rowOf(s));
  return toBuffer(workbook);
}

/** An empty station sheet (an example row would be imported by mistake) and a sheet that explains each column. */
export async function templateWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  stationSheet(workbook, true);
  const help = workbook.addWorksheet('填写说明');
  help.columns = [
    { header: '列', key: 'column', width: 16 },
    { header: '说明', key: 'note', width: 90 },
  ];
  help.getRow(1).font = { bold: true };
  const notes: Array<[string, string]> = [
    ['名称*', '同一区域内不能重名；带 * 的列必填'],
    ['类型*', STATION_TYPES.map((t) => STATION_TYPE_LABELS[t]['zh-CN']).join('、')],
    ['纬度* / 经度*', 'WGS-84 坐标（GPS 原始坐标），如 23.3985 / 113.22'],
    ['建设状态', '规划中 或 已建成（默认规划中）；“已验收”只能通过验收检查获得'],
    ['接待方式', Object.values(ACCESS_MODE_LABELS).map((l) => l['zh-CN']).join(' 或 ')],
    ['开放时间', '每天相同写 08:00-22:00（多段用逗号分隔）；全天写 24小时；按天写 一 08:00-18:00; 二 …; 日 休息'],
    ['节假日开放 / 延时服务', '是 或 否'],
    ['服务设施', Object.values(AMENITY_LABELS).map((l) => l['zh-CN']).join('、') + '（用顿号分隔）'],
    ['服务项目', Object.values(SERVICE_LABELS).map((l) => l['zh-CN']).join('、') + '（用顿号分隔）'],
    ['示例', '公益路骑手之家 | 暖新驿站 | 新华街公益路60号 | 23.3962 | 113.2241 | 已建成 | … | 空调、饮水机、充电'],
    ['其他', '不支持公式；整个文件任何一行有误都不会导入，请按错误报告修改后重新上传；一次最多 5000 行'],
  ];
  for (const [column, note] of notes) help.addRow({ column, note });
  return toBuffer(workbook);
}
