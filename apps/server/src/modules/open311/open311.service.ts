import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  CASE_STATUS_LABELS,
  CASE_STATUSES,
  OPEN_CASE_STATUSES,
  OPEN311_ATTRIBUTES,
  OPEN311_DEFAULT_DAYS,
  OPEN311_MAX_REQUESTS,
  REJECT_REASON_LABELS,
  type CaseStatus,
  type CategoryLimits,
  type Lang,
  type Open311Created,
  type Open311Request,
  type Open311ServiceItem,
  type Open311ServiceDefinition,
} from '@nuanxin/shared';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../common/errors.ts';
import type { CasesService } from '../cases/cases.service.ts';
import type { MediaService } from '../media/media.service.ts';
import { outcomeInWords } from '../cases/case-views.ts';
import { fromAppError } from './open311.format.ts';
import { one, readAttributes, readCreate, readDate, refuse, type Fields } from './open311.input.ts';
import * as repo from './open311.repository.ts';

export interface Open311Options {
  /** Keys accepted for POST requests (the demo key outside production, OPEN311_API_KEY when set). */
  apiKeys: readonly string[];
  /** Requests one key may file from one address per hour. */
  perKeyIpPerHour: number;
}

export interface RequestQuery {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  jurisdiction_id?: string;
}

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const CLOSED_STATUSES = CASE_STATUSES.filter((s) => !(OPEN_CASE_STATUSES as readonly string[]).includes(s));

const hashKey = (key: string) => createHash('sha256').update(key).digest();

/** `90` → "1小时30分钟" / "1 h 30 min": a time limit as people say it. */
function duration(minutes: number, lang: Lang): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = lang === 'en' ? [days && `${days} d`, hours && `${hours} h`, mins && `${mins} min`] : [days && `${days}天`, hours && `${hours}小时`, mins && `${mins}分钟`];
  return parts.filter(Boolean).join(lang === 'en' ? ' ' : '');
}

/** What the city commits to for a service: the category's own time limits, in words. */
function serviceNotice(s: { limits: CategoryLimits; urgent_limits: CategoryLimits; working_hours: boolean }, urgent: boolean, lang: Lang): string {
  const l = urgent ? s.urgent_limits : s.limits;
  const working = s.working_hours ? (lang === 'en' ? ' (working hours)' : '（按工作时间计）') : '';
  return lang === 'en'
    ? `Accepted and dispatched within ${duration(l.dispatch, lang)}, handled within ${duration(l.handle, lang)} of dispatch${working}.`
    : `${duration(l.dispatch, lang)}内立案派遣，派遣后${duration(l.handle, lang)}内处置${working}。`;
}

/**
 * Open311 GeoReport v2 over our cases. Services are second-level categories; a POST files a case
 * through the cases service (its workflow, time limits and live workbench, nothing duplicated);
 * GETs answer from the cases themselves and never carry who reported them.
 */
export class Open311Service {
  private readonly keyHashes: Buffer[];

  constructor(
    private readonly database: Database,
    private readonly cases: CasesService,
    private readonly media: MediaService,
    private readonly options: Open311Options,
  ) {
    this.keyHashes = options.apiKeys.map(hashKey);
  }

  // ---- services ----

  async services(jurisdictionId: string | undefined, lang: Lang): Promise<Open311ServiceItem[]> {
    const districtId = await this.jurisdiction(jurisdictionId, lang);
    const rows = await repo.services(this.database.db, districtId ? { districtId } : {});
    return rows.map((s) => ({
      service_code: s.code,
      service_name: s.name,
      description: [`${s.group_name} · ${s.name}`, s.department_name && (lang === 'en' ? `handled by ${s.department_name}` : `由${s.department_name}处置`), serviceNotice(s, false, lang)]
        .filter(Boolean)
        .join(lang === 'en' ? '; ' : '，'),
      metadata: this.definitionOf(s, lang).attributes.length > 0,
      type: 'realtime' as const,
      keywords: [s.group_name, s.name, ...s.code.split(/[._-]/)].join(', '),
      group: s.group_name,
    }));
  }

  async definition(code: string, jurisdictionId: string | undefined, lang: Lang): Promise<Open311ServiceDefinition> {
    const districtId = await this.jurisdiction(jurisdictionId, lang);
    const [service] = await repo.services(this.database.db, { code, ...(districtId ? { districtId } : {}) });
    if (!service) throw refuse(404, lang, 'serviceCodeUnknown', { field: code });
    return this.definitionOf(service, lang);
  }

  private definitionOf(s: repo.ServiceRow, lang: Lang): Open311ServiceDefinition {
    const en = lang === 'en';
    return {
      service_code: s.code,
      attributes: [
        {
          variable: true,
          code: OPEN311_ATTRIBUTES.urgent,
          datatype: 'singlevaluelist',
          required: false,
          datatype_description: null,
          order: 1,
          description: en ? `Urgent? Urgent reports run on shorter limits: ${serviceNotice(s, true, lang)}` : `是否紧急？紧急案件按紧急时限处理：${serviceNotice(s, true, lang)}`,
          values: [
            { key: 'no', name: en ? 'Not urgent' : '一般' },
            { key: 'yes', name: en ? 'Urgent' : '紧急' },
          ],
        },
        {
          variable: true,
          code: OPEN311_ATTRIBUTES.addressDetail,
          datatype: 'string',
          required: false,
          datatype_description: en ? 'Up to 48 characters, added to the address' : '最多 48 个字，附在地址后',
          order: 2,
          description: en ? 'Where exactly (gate, building, landmark)?' : '具体位置（门口、楼栋、地标）',
        },
      ],
    };
  }

  /** A district id given as jurisdiction_id, checked; undefined when none was given. */
  private async jurisdiction(id: string | undefined, lang: Lang): Promise<string | undefined> {
    if (id === undefined || id === '') return undefined;
    if (!/^\d{6}$/.test(id) || !(await repo.districtExists(this.database.db, id))) throw refuse(404, lang, 'jurisdictionUnknown', { field: id.slice(0, 40) });
    return id;
  }

  // ---- filing a request ----

  /** Checks an api_key against the accepted ones without telling by timing how close a guess came. */
  private keyAccepted(key: string): Buffer | null {
    const hash = hashKey(key);
    return this.keyHashes.some((h) => timingSafeEqual(h, hash)) ? hash : null;
  }

  /** Files a request: the api_key first (401 missing, 403 wrong), then the fields, then the limit; nothing is written on a refusal. */
  async create(fields: Fields, ip: string, lang: Lang): Promise<Open311Created> {
    const apiKey = one(fields, 'api_key', lang);
    if (!apiKey) throw refuse(401, lang, 'apiKeyMissing');
    const keyHash = this.keyAccepted(apiKey);
    if (!keyHash) throw refuse(403, lang, 'apiKeyInvalid');
    const apiKeyHash = keyHash.toString('hex').slice(0, 32);
    const input = readCreate(fields, lang);
    if (!input.serviceCode) throw refuse(400, lang, 'serviceCodeMissing');
    const service = await this.serviceFor(input.serviceCode, input.jurisdictionId, input.lat, input.lng, lang);
    const { urgent, addressDetail, stored } = readAttributes(input.attributes, lang);

    const since = new Date(Date.now() - 3_600_000);
    if ((await repo.countRecent(this.database.db, apiKeyHash, ip, since)) >= this.options.perKeyIpPerHour) throw refuse(429, lang, 'rateLimited');

    const token = randomBytes(16).toString('base64url');
    const address = [input.addressString, addressDetail].filter(Boolean).join(' ') || null;
    try {
      const id = await this.cases.reportExternal(
        { categoryId: service.id, description: input.description, lat: input.lat, lng: input.lng, address, urgent, source: 'open311', contact: { ...input.contact, media_url: input.mediaUrl } },
        async (tx, caseId) => {
          await tx
            .insertInto('open311_requests')
            .values({ case_id: caseId, token, service_code: service.code, attributes: JSON.stringify(stored), address_string: input.addressString, api_key_hash: apiKeyHash, ip })
            .execute();
        },
      );
      return { service_request_id: id, token, service_notice: serviceNotice(service, urgent, lang), account_id: input.contact.account_id };
    } catch (err) {
      if (err instanceof AppError) throw fromAppError(err, lang);
      throw err;
    }
  }

  /** The service a code names: in the given jurisdiction, else the only one, else the one of the district the position is in. */
  private async serviceFor(code: string, jurisdictionId: string | null, lat: number, lng: number, lang: Lang) {
    const districtId = await this.jurisdiction(jurisdictionId ?? undefined, lang);
    const found = await repo.services(this.database.db, { code, ...(districtId ? { districtId } : {}) });
    if (found.length === 0) throw refuse(400, lang, 'serviceCodeUnknown', { field: code.slice(0, 40) });
    if (found.length === 1) return found[0]!;
    const near = await repo.nearestDistrict(this.database.db, lat, lng);
    const here = found.find((s) => s.region_id === near?.district_id);
    if (!here) throw refuse(400, lang, 'jurisdictionNeeded');
    return here;
  }

  // ---- reading requests ----

  async requests(q: RequestQuery, base: string, lang: Lang): Promise<Open311Request[]> {
    const list = (v: string | undefined) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    const ids = list(q.service_request_id);
    if (ids.length > 0) {
      // The spec: a list of ids overrides every other filter.
      if (ids.length > 100) throw refuse(400, lang, 'tooMany', { field: 'service_request_id', max: 100 });
      const bad = ids.find((id) => !UUID.test(id));
      if (bad) throw refuse(400, lang, 'idInvalid', { field: bad.slice(0, 40) });
      return this.answer(await repo.requests(this.database.db, { ids, limit: OPEN311_MAX_REQUESTS }), base, lang);
    }
    const districtId = await this.jurisdiction(q.jurisdiction_id, lang);
    const codes = list(q.service_code);
    if (codes.length > 100) throw refuse(400, lang, 'tooMany', { field: 'service_code', max: 100 });
    if (codes.length > 0) {
      const known = new Set((await repo.services(this.database.db, districtId ? { districtId } : {})).map((s) => s.code));
      const unknown = codes.find((c) => !known.has(c));
      if (unknown) throw refuse(400, lang, 'serviceCodeUnknown', { field: unknown.slice(0, 40) });
    }
    const statuses = new Set(list(q.status).map((s) => s.toLowerCase()));
    if ([...statuses].some((s) => s !== 'open' && s !== 'closed')) throw refuse(400, lang, 'statusInvalid');
    const wanted: readonly CaseStatus[] | undefined = statuses.size === 1 ? (statuses.has('open') ? OPEN_CASE_STATUSES : CLOSED_STATUSES) : undefined;

    // Without dates: the last 90 days; with one: 90 days from or up to it. A wider window is refused.
    let from = readDate(q.start_date, 'start_date', lang);
    let to = readDate(q.end_date, 'end_date', lang);
    const span = OPEN311_DEFAULT_DAYS * DAY_MS;
    if (!from && !to) to = new Date();
    if (!from) from = new Date(to!.getTime() - span);
    if (!to) to = new Date(from.getTime() + span);
    if (from > to || to.getTime() - from.getTime() > span) throw refuse(400, lang, 'dateRange', { max: OPEN311_DEFAULT_DAYS });

    const rows = await repo.requests(this.database.db, {
      ...(codes.length > 0 ? { codes } : {}),
      ...(districtId ? { districtId } : {}),
      ...(wanted ? { statuses: wanted } : {}),
      from,
      to,
      limit: OPEN311_MAX_REQUESTS,
    });
    return this.answer(rows, base, lang);
  }

  async request(id: string, base: string, lang: Lang): Promise<Open311Request[]> {
    const rows = UUID.test(id) ? await repo.requests(this.database.db, { ids: [id], limit: 1 }) : [];
    if (rows.length === 0) throw refuse(404, lang, 'requestNotFound');
    return this.answer(rows, base, lang);
  }

  async token(token: string, lang: Lang): Promise<Array<{ service_request_id: string; token: string }>> {
    const row = /^[\w-]{10,64}$/.test(token) ? await repo.byToken(this.database.db, token) : undefined;
    if (!row) throw refuse(404, lang, 'tokenNotFound');
    return [{ service_request_id: row.case_id, token: row.token }];
  }

  /** Rows as GeoReport requests. `base` makes photo links absolute (`https://host`). */
  private answer(rows: repo.RequestRow[], base: string, lang: Lang): Open311Request[] {
    return rows.map((r) => {
      const open = (OPEN_CASE_STATUSES as readonly string[]).includes(r.status);
      const photo = this.media.links(r.photo_ids.slice(0, 1))[0];
      return {
        service_request_id: r.id,
        status: open ? 'open' : 'closed',
        status_notes: this.statusNotes(r, lang),
        service_name: r.service_name,
        service_code: r.code,
        description: r.description || null,
        agency_responsible: r.agency,
        service_notice: serviceNotice(r, r.urgent, lang),
        requested_datetime: r.created_at.toISOString(),
        // The row's updated_at comes from the database clock, created_at from ours: never earlier than the request.
        updated_datetime: (r.updated_at > r.created_at ? r.updated_at : r.created_at).toISOString(),
        expected_datetime: open ? (r.handle_due_at ?? r.due_at)?.toISOString() ?? null : null,
        address: r.address,
        lat: r.lat,
        long: r.lng,
        media_url: photo ? `${base}${photo.url}` : null,
      };
    });
  }

  /** Where it stands in words: the step while open; how it ended once closed ("closed" never reads as "fixed"). */
  private statusNotes(r: repo.RequestRow, lang: Lang): string {
    if (r.status === 'rejected') {
      const reason = r.reject_reason as keyof typeof REJECT_REASON_LABELS | null;
      const words = reason && REJECT_REASON_LABELS[reason] ? REJECT_REASON_LABELS[reason][lang] : CASE_STATUS_LABELS.rejected[lang];
      return r.duplicate_of ? `${REJECT_REASON_LABELS.duplicate[lang]} (${r.duplicate_of})` : words;
    }
    if (r.status === 'closed' || r.status === 'rated' || r.status === 'archived') return outcomeInWords(r.result, r.outcome, lang) || CASE_STATUS_LABELS[r.status][lang];
    return CASE_STATUS_LABELS[r.status][lang];
  }
}
