import { CASE_ARCHIVE_DAYS } from '@nuanxin/shared';
import { withTransaction, type Database } from '../../db/client.ts';
import { escalationTarget } from './case-clock.ts';
import { TIMED_STATUSES } from './case-workflow.ts';
import * as repo from './cases.repository.ts';

/**
 * Marks overdue cases and escalates them 普通 → 黄牌 → 红牌督办, one event row per level. Rows are
 * claimed with FOR UPDATE SKIP LOCKED, so several server processes can run this together and each
 * case is escalated once.
 */
export async function escalateOverdue(database: Database, now = new Date(), limit = 200): Promise<number> {
  return withTransaction(database.db, async (tx) => {
    const due = await repo.overdueForUpdate(tx, now, TIMED_STATUSES, limit);
    let escalated = 0;
    for (const c of due) {
      const target = escalationTarget(c.due_at, c.step_started_at, now);
      if (target <= c.escalation_level) continue;
      await tx
        .updateTable('cases')
        .set({ escalation_level: target, overdue_at: c.overdue_at ?? c.due_at, updated_at: now })
        .where('id', '=', c.id)
        .execute();
      for (let level = c.escalation_level + 1; level <= target; level++) {
        await repo.insertEvent(tx, { caseId: c.id, regionId: c.region_id, action: 'escalate', from: c.status, to: c.status, actorId: null, internal: true, detail: { level, dueAt: c.due_at!.toISOString() } });
      }
      await repo.announce(tx, { id: c.id, regionId: c.region_id, departmentId: c.department_id, status: c.status, action: 'escalate', escalationLevel: target, at: now.toISOString() });
      escalated += 1;
    }
    return escalated;
  });
}

/** Archives cases closed more than CASE_ARCHIVE_DAYS ago; after that the reporter can no longer reopen them. */
export async function archiveClosed(database: Database, now = new Date(), limit = 200): Promise<number> {
  const before = new Date(now.getTime() - CASE_ARCHIVE_DAYS * 86_400_000);
  return withTransaction(database.db, async (tx) => {
    const rows = await repo.closedBeforeForUpdate(tx, before, limit);
    for (const c of rows) {
      await tx.updateTable('cases').set({ status: 'archived', updated_at: now, step_started_at: now }).where('id', '=', c.id).execute();
      await repo.insertEvent(tx, { caseId: c.id, regionId: c.region_id, action: 'archive', from: c.status, to: 'archived', actorId: null });
      await repo.announce(tx, { id: c.id, regionId: c.region_id, departmentId: c.department_id, status: 'archived', action: 'archive', escalationLevel: c.escalation_level, at: now.toISOString() });
    }
    return rows.length;
  });
}
