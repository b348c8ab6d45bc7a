import { isWithin, regionLevelOf, type CaseAction, type CaseStatus } from '@nuanxin/shared';
import type { Updateable } from 'kysely';
import type { Db } from '../../db/client.ts';
import type { CasesTable } from '../../db/schema.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor } from '../../common/context.ts';
import { dueAfter, type ClockCategory, type LimitStep } from './case-clock.ts';
import type { CaseRow } from './cases.repository.ts';

/** What one step sends: every field any step takes (the route's schema has already narrowed it). */
export interface StepInput {
  note?: string;
  photoIds?: string[];
  urgent?: boolean;
  reason?: 'invalid' | 'out_of_scope' | 'duplicate';
  duplicateOf?: string;
  originalId?: string;
  departmentId?: string;
  gridId?: string;
  assigneeId?: string | null;
  dueAt?: string;
  decision?: 'approve' | 'refuse';
  result?: 'resolved' | 'partly_resolved' | 'unresolved' | 'referred';
  outcome?: string;
  templateId?: string;
  stars?: number;
  comment?: string;
}

/** The changes a step makes beyond the status: columns, and what its event row says. */
export interface StepPlan {
  set: Updateable<CasesTable>;
  note?: string | null;
  internal?: boolean;
  detail?: Record<string, unknown>;
}

export interface StepContext {
  tx: Db;
  actor: Actor | null;
  c: CaseRow;
  to: CaseStatus;
  input: StepInput;
  category: ClockCategory;
  now: Date;
}

const due = (s: StepContext, step: LimitStep, from = s.now) => dueAfter(s.category, step, s.c.urgent, from);

async function checkAssignee(tx: Db, c: { department_id: string | null; region_id: string }, assigneeId: string): Promise<void> {
  const person = await tx.selectFrom('users').select(['role', 'status', 'region_id', 'department_id']).where('id', '=', assigneeId).executeTakeFirst();
  const eligible =
    !!person &&
    person.status === 'active' &&
    (person.role === 'department_handler' ? !!c.department_id && person.department_id === c.department_id : person.role !== 'worker' && isWithin(c.region_id, person.region_id.slice(0, 12)));
  if (!eligible) throw new AppError('CASE_ASSIGNEE_INVALID');
}

async function dispatchTarget(s: StepContext, categoryDepartment: string | null) {
  const { tx, c, input } = s;
  if (input.gridId) {
    if (input.departmentId || regionLevelOf(input.gridId) !== 'grid' || !isWithin(input.gridId, c.region_id)) throw new AppError('CASE_DISPATCH_TARGET_INVALID');
    const grid = await tx.selectFrom('regions').select('id').where('id', '=', input.gridId).executeTakeFirst();
    if (!grid) throw new AppError('CASE_DISPATCH_TARGET_INVALID');
    return { department_id: null, grid_id: grid.id, name: null };
  }
  const departmentId = input.departmentId ?? categoryDepartment;
  const department = departmentId ? await tx.selectFrom('departments').select(['id', 'name', 'region_id']).where('id', '=', departmentId).executeTakeFirst() : undefined;
  // The department must answer for the case's place: its own region or one above it.
  if (!department || !isWithin(c.region_id, department.region_id)) throw new AppError('CASE_DISPATCH_TARGET_INVALID');
  return { department_id: department.id, grid_id: null, name: department.name };
}

/** What each step writes, besides the status and its event; the workflow has already allowed the move. */
export async function planStep(action: CaseAction, s: StepContext, categoryDepartment: string | null): Promise<StepPlan> {
  const { c, input, now, tx } = s;
  switch (action) {
    case 'accept': {
      const urgent = input.urgent ?? c.urgent;
      return { set: { urgent, due_at: dueAfter(s.category, 'dispatch', urgent, c.created_at) }, note: input.note, detail: { urgent } };
    }
    case 'reject':
      return { set: { due_at: null }, note: input.note, detail: { reason: input.reason } };
    case 'dispatch': {
      const target = await dispatchTarget(s, categoryDepartment);
      const assignee = input.assigneeId ?? null;
      if (assignee) await checkAssignee(tx, { department_id: target.department_id, region_id: c.region_id }, assignee);
      return {
        set: {
          department_id: target.department_id,
          grid_id: target.grid_id,
          assignee_id: assignee,
          due_at: due(s, 'acknowledge'),
          handle_due_at: due(s, 'handle'),
          first_dispatched_at: c.first_dispatched_at ?? now,
        },
        note: input.note,
        detail: { departmentId: target.department_id, department: target.name, gridId: target.grid_id },
      };
    }
    case 'acknowledge':
      return { set: { due_at: c.handle_due_at ?? due(s, 'handle'), assignee_id: c.assignee_id ?? s.actor?.userId ?? null }, note: input.note };
    case 'return':
      return { set: { department_id: null, grid_id: null, assignee_id: null, handle_due_at: null, due_at: due(s, 'dispatch') }, note: input.note, detail: { departmentId: c.department_id } };
    case 'start':
      return { set: { due_at: c.handle_due_at ?? due(s, 'handle') }, note: input.note };
    case 'request_extension': {
      const requested = new Date(input.dueAt!);
      const current = c.handle_due_at ?? c.due_at ?? now;
      if (!(requested > current) || !(requested > now)) throw new AppError('CASE_DUE_INVALID');
      return { set: { requested_due_at: requested }, note: input.note, detail: { requestedDueAt: requested.toISOString() } };
    }
    case 'approve_extension': {
      const approved = c.requested_due_at!;
      return { set: { handle_due_at: approved, due_at: approved, requested_due_at: null, extension_count: c.extension_count + 1 }, note: input.note, detail: { dueAt: approved.toISOString() } };
    }
    case 'refuse_extension':
      return { set: { requested_due_at: null }, note: input.note };
    case 'defer':
      return { set: { due_at: null }, note: input.note };
    case 'resume': {
      const next = due(s, 'handle');
      return { set: { due_at: next, handle_due_at: next }, note: input.note };
    }
    case 'handle':
      return { set: { handled_at: now, due_at: due(s, 'verify') }, note: input.note };
    case 'verify':
      return { set: {}, note: input.note };
    case 'close':
      return { set: { result: input.result!, outcome: input.outcome!, closed_at: now, due_at: null }, note: input.outcome, detail: { result: input.result } };
    case 'rework':
      return { set: { rework_count: c.rework_count + 1, due_at: due(s, 'handle') }, note: input.note };
    case 'rate':
      return { set: { rating: input.stars!, rating_comment: input.comment || null }, note: input.comment, detail: { stars: input.stars } };
    case 'reopen':
      return {
        set: { reopen_count: c.reopen_count + 1, department_id: null, grid_id: null, assignee_id: null, handle_due_at: null, result: null, outcome: null, rating: null, rating_comment: null, closed_at: null, due_at: due(s, 'dispatch') },
        note: input.note,
      };
    case 'assign':
      if (input.assigneeId) await checkAssignee(tx, c, input.assigneeId);
      return { set: { assignee_id: input.assigneeId ?? null }, internal: true, detail: { assigneeId: input.assigneeId ?? null } };
    case 'note':
      return { set: {}, note: input.note, internal: true };
    case 'reply':
      return { set: {}, note: input.note, detail: input.templateId ? { templateId: input.templateId } : {} };
    case 'archive':
      return { set: { due_at: null } };
    case 'report':
    case 'merge':
    case 'escalate':
      // Written by their own service methods (they touch a second case, or no person acts).
      throw new Error(`${action} is not a plain step`);
  }
}
