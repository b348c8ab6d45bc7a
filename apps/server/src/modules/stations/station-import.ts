import ExcelJS from 'exceljs';
import { STATION_IMPORT, fieldMessage, stationInput, type ImportRowError, type Lang } from '@nuanxin/shared';
import type { z } from 'zod';
import { AppError } from '../../common/errors.ts';
import {
  ACCESS_INDEX,
  AMENITY_INDEX,
  BUILT_TEXT,
  COLUMNS,
  NO,
  SERVICE_INDEX,
  SHEET_NAME,
  TYPE_INDEX,
  YES,
  parseHoursText,
  splitList,
  type ColumnKey,
} from './registry.sheet.ts';

export type ImportedStation = z.output<typeof stationInput> & { status: 'planned' | 'built' };

// Unpacked size a workbook may claim: far above 5,000 rows (~2 MB of XML), far below a zip bomb.
const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

const WORDS = {
  required: { 'zh-CN': '必填', en: 'Required' },
  number: { 'zh-CN': '须为数字', en: 'Must be a number' },
  formula: { 'zh-CN': '不支持公式（公式不会被计算），请直接填写内容', en: 'Formulas are not evaluated; type the value itself' },
  type: { 'zh-CN': '未知的类型', en: 'Unknown type' },
  accessMode: { 'zh-CN': '请填“有人值守”或“自助开放”', en: 'Use 有人值守 (staffed) or 自助开放 (self-service)' },
  built: { 'zh-CN': '请填“规划中”或“已建成”', en: 'Use 规划中 (planned) or 已建成 (built)' },
  yesNo: { 'zh-CN': '请填“是”或“否”', en: 'Use 是 (yes) or 否 (no)' },
  hours: { 'zh-CN': '格式如 08:00-22:00、24小时 或 一 08:00-18:00; 日 休息', en: 'Like 08:00-22:00, 24小时, or 一 08:00-18:00; 日 休息' },
  unknownItem: { 'zh-CN': '未知的项目：{item}', en: 'Unknown item: {item}' },
  missingColumn: { 'zh-CN': '缺少该列，请使用导入模板', en: 'This column is missing; please use the import template' },
  duplicate: { 'zh-CN': '与第 {row} 行名称相同', en: 'Same name as row {row}' },
  taken: { 'zh-CN': '该区域已有同名驿站', en: 'A station of this name already exists in this region' },
} as const satisfies Record<string, Record<Lang, string>>;

/** A cell as the text a person sees typed in it. A formula stays its formula: it is never evaluated, nor its cached result used. */
function cellText(value: ExcelJS.CellValue): { text: string; formula: boolean } {
  if (value === null || value === undefined) return { text: '', formula: false };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), formula: false };
  if (typeof value !== 'object') return { text: String(value).trim(), formula: false };
  if ('formula' in value || 'sharedFormula' in value) {
    const f = value as { formula?: string; sharedFormula?: string };
    return { text: `=${f.formula ?? f.sharedFormula ?? ''}`, formula: true };
  }
  if ('richText' in value) return { text: value.richText.map((r) => r.text).join('').trim(), formula: false };
  if ('text' in value) return { text: String(value.text).trim(), formula: false };
  if ('error' in value) return { text: String(value.error), formula: false };
  return { text: '', formula: false };
}

/** Sum of the sizes a zip's central directory declares, or null when these bytes are no zip. */
function unpackedSize(bytes: Buffer): number | null {
  if (bytes.length < 22 || bytes.readUInt32LE(0) !== 0x04034b50) return null;
  const from = Math.max(0, bytes.length - 22 - 0xffff);
  for (let end = bytes.length - 22; end >= from; end--) {
    if (bytes.readUInt32LE(end) !== 0x06054b50) continue;
    const count = bytes.readUInt16LE(end + 10);
    let at = bytes.readUInt32LE(end + 16);
    let total = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) return null;
      total += bytes.readUInt32LE(at + 24);
      at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    }
    return total;
  }
  return null;
}

/** Opens the workbook's station sheet; refuses anything that is not a sane .xlsx. */
async function openSheet(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const size = unpackedSize(bytes);
  if (size === null || size > MAX_UNPACKED_BYTES) throw new AppError('IMPORT_NOT_XLSX');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new AppError('IMPORT_NOT_XLSX');
  }
  const sheet = workbook.getWorksheet(SHEET_NAME) ?? workbook.worksheets[0];
  if (!sheet) throw new AppError('IMPORT_NOT_XLSX');
  return sheet;
}

const headerKey = (text: string) => text.replace(/[*＊\s]/g, '');

/**
 * Reads and checks every row of a station workbook. Returns the stations when every row is right,
 * otherwise every problem found (row, column, message in `lang`); the caller imports all or nothing.
 */
export async function readStations(bytes: Buffer, regionId: string, takenNames: ReadonlySet<string>, lang: Lang): Promise<{ stations: ImportedStation[]; errors: ImportRowError[] }> {
  const sheet = await openSheet(bytes);
  const say = (word: keyof typeof WORDS, vars: Record<string, string | number> = {}) => WORDS[word][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
  const errors: ImportRowError[] = [];

  // Columns are found by their header, so a sheet with reordered or extra columns still reads.
  const position = new Map<ColumnKey, number>();
  const headers = sheet.getRow(1);
  headers.eachCell((cell, col) => {
    const found = COLUMNS.find((c) => c.importable && headerKey(c.header) === headerKey(cellText(cell.value).text));
    if (found) position.set(found.key, col);
  });
  for (const c of COLUMNS.filter((c) => c.importable && c.header.endsWith('*'))) {
    if (!position.has(c.key)) errors.push({ row: 1, column: c.header, message: say('missingColumn') });
  }
  if (errors.length) return { stations: [], errors };

  const rows: ExcelJS.Row[] = [];
  sheet.eachRow((row, n) => {
    if (n > 1 && [...position.values()].some((col) => cellText(row.getCell(col).value).text !== '')) rows.push(row);
  });
  if (rows.length === 0) throw new AppError('IMPORT_EMPTY');
  if (rows.length > STATION_IMPORT.maxRows) throw new AppError('IMPORT_TOO_MANY_ROWS', { max: STATION_IMPORT.maxRows });

  const stations: ImportedStation[] = [];
  const firstRowOfName = new Map<string, number>();
  for (const row of rows) {
    const rowErrors: ImportRowError[] = [];
    const header = (key: ColumnKey) => COLUMNS.find((c) => c.key === key)!.header;
    const fail = (key: ColumnKey, message: string) => rowErrors.push({ row: row.number, column: header(key), message });
    const cell = (key: ColumnKey): string | null => {
      const col = position.get(key);
      if (!col) return '';
      const { text, formula } = cellText(row.getCell(col).value);
      if (formula) {
        fail(key, say('formula'));
        return null;
      }
      return text;
    };
    const required = (key: ColumnKey) => {
      const text = cell(key);
      if (text === '') fail(key, say('required'));
      return text || null;
    };
    const number = (key: ColumnKey, isRequired: boolean): number | null => {
      const text = isRequired ? required(key) : cell(key);
      if (!text) return null;
      if (!/^-?\d+(\.\d+)?$/.test(text)) {
        fail(key, say('number'));
        return null;
      }
      return Number(text);
    };
    const yesNo = (key: ColumnKey) => {
      const text = (cell(key) ?? '').toLowerCase();
      if (YES.has(text)) return true;
      if (!NO.has(text)) fail(key, say('yesNo'));
      return false;
    };
    const keys = <K extends string>(key: ColumnKey, index: Map<string, K>) =>
      splitList(cell(key) ?? '').flatMap((item) => {
        const found = index.get(item.toLowerCase());
        if (!found) fail(key, say('unknownItem', { item }));
        return found ? [found] : [];
      });

    const name = required('name');
    const typeText = required('type');
    const type = typeText ? TYPE_INDEX.get(typeText.toLowerCase()) : undefined;
    if (typeText && !type) fail('type', say('type'));
    const builtText = cell('built') ?? '';
    const status = builtText === '' || builtText === BUILT_TEXT.planned ? 'planned' : builtText === BUILT_TEXT.built ? 'built' : null;
    if (!status) fail('built', say('built'));
    const accessText = cell('accessMode') ?? '';
    const accessMode = accessText ? ACCESS_INDEX.get(accessText.toLowerCase()) : 'staffed';
    if (!accessMode) fail('accessMode', say('accessMode'));
    const hoursCell = cell('hours') ?? '';
    const hours = hoursCell ? parseHoursText(hoursCell) : { weeklyHours: Array.from({ length: 7 }, () => []), alwaysOpen: false };
    if (!hours) fail('hours', say('hours'));
    const candidate = {
      regionId,
      name,
      type,
      address: required('address'),
      lat: number('lat', true),
      lng: number('lng', true),
      operator: cell('operator') || null,
      coBuilders: splitList(cell('coBuilders') ?? ''),
      accessMode,
      areaM2: number('areaM2', false),
      seats: number('seats', false),
      weeklyHours: hours?.weeklyHours ?? [],
      alwaysOpen: hours?.alwaysOpen ?? false,
      holidayOpen: yesNo('holidayOpen'),
      extendedHours: yesNo('extendedHours'),
      amenities: [...new Set(keys('amenities', AMENITY_INDEX))],
      services: [...new Set(keys('services', SERVICE_INDEX))],
      keeperName: cell('keeperName') || null,
      keeperPhone: cell('keeperPhone') || null,
      photoIds: [],
    };
    if (rowErrors.length === 0) {
      // The same schema as the station form, so an import accepts exactly what the form would.
      const parsed = stationInput.safeParse(candidate);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? 'name');
          const column: ColumnKey = key === 'weeklyHours' || key === 'alwaysOpen' ? 'hours' : (COLUMNS.find((c) => c.key === key)?.key ?? 'name');
          fail(column, fieldMessage(issue.code, lang));
        }
      } else {
        const earlier = firstRowOfName.get(parsed.data.name);
        if (earlier) fail('name', say('duplicate', { row: earlier }));
        else if (takenNames.has(parsed.data.name)) fail('name', say('taken'));
        firstRowOfName.set(parsed.data.name, earlier ?? row.number);
        if (rowErrors.length === 0) stations.push({ ...parsed.data, status: status! });
      }
    }
    errors.push(...rowErrors);
  }
  return { stations: errors.length ? [] : stations, errors };
}
