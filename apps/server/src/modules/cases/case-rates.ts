import type { Db } from '../../db/client.ts';
import type { Actor } from '../../common/context.ts';
import { monthRange } from '../../common/time.ts';
import * as repo from './cases.repository.ts';

const CST_OFFSET_MS = 8 * 3_600_000;
const dayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - CST_OFFSET_MS);
const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * 结案率 (closed / dispatched), 按期结案率 (closed with the handling report in time / closed), 返工率
 * (reworked / dispatched: a share, so at most 1), 延期率 (extended / dispatched), 满意率 (rated 4–5 / rated), per department,
 * over the cases first dispatched in [from, to] (China days; default: this month).
 */
export async function departmentRates(db: Db, actor: Actor, query: { from?: string | undefined; to?: string | undefined }) {
  const month = monthRange();
  const from = query.from ?? new Date(month.from.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
  const to = query.to ?? new Date(month.to.getTime() + CST_OFFSET_MS - 1).toISOString().slice(0, 10);
  const end = new Date(dayStart(to).getTime() + 86_400_000);
  const rows = await repo.rates(db, actor.scopeId, actor.role === 'department_handler' ? actor.departmentId : null, dayStart(from), end);
  return {
    from,
    to,
    items: rows.map((r) => {
      const n = { dispatched: Number(r.dispatched), closed: Number(r.closed), closedOnTime: Number(r.closed_on_time), reworked: Number(r.reworked), extended: Number(r.extended), rated: Number(r.rated), satisfied: Number(r.satisfied) };
      return {
        departmentId: r.department_id,
        departmentName: r.department_name,
        ...n,
        closeRate: ratio(n.closed, n.dispatched),
        onTimeRate: ratio(n.closedOnTime, n.closed),
        reworkRate: ratio(n.reworked, n.dispatched),
        extensionRate: ratio(n.extended, n.dispatched),
        satisfactionRate: ratio(n.satisfied, n.rated),
      };
    }),
  };
}
