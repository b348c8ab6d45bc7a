import { CASE_STATUSES, isWithin, type CaseAction, type CaseStatus, type ErrorCode, type Role } from '@nuanxin/shared';

/** Who takes a step: the reporter, region staff, whoever the case was dispatched to, either of the last two, or the timer job. */
export type Party = 'reporter' | 'staff' | 'handler' | 'handler_or_staff' | 'system';

interface Move {
  from: readonly CaseStatus[];
  /** `same`: the step is recorded but the status stays (notes, assignment, escalation). */
  to: CaseStatus | 'same';
  by: Party;
}

/** Statuses in which a time limit runs (挂账 stops the clock). */
export const TIMED_STATUSES = ['submitted', 'accepted', 'dispatched', 'acknowledged', 'handling', 'extended', 'handled', 'verifying'] as const satisfies readonly CaseStatus[];
const LIVE = [...TIMED_STATUSES, 'deferred'] as const;

/** The workflow of DESIGN.md, domain 3: every allowed move, and nothing else. */
export const MOVES: Record<CaseAction, Move> = {
  report: { from: [], to: 'submitted', by: 'reporter' },
  accept: { from: ['submitted'], to: 'accepted', by: 'staff' },
  reject: { from: ['submitted'], to: 'rejected', by: 'staff' },
  // Only before 立案, so a duplicate never earned points that would have to be taken back.
  merge: { from: ['submitted'], to: 'rejected', by: 'staff' },
  dispatch: { from: ['accepted'], to: 'dispatched', by: 'staff' },
  acknowledge: { from: ['dispatched'], to: 'acknowledged', by: 'handler' },
  return: { from: ['dispatched'], to: 'accepted', by: 'handler' },
  start: { from: ['acknowledged'], to: 'handling', by: 'handler' },
  request_extension: { from: ['handling'], to: 'extended', by: 'handler' },
  approve_extension: { from: ['extended'], to: 'handling', by: 'staff' },
  refuse_extension: { from: ['extended'], to: 'handling', by: 'staff' },
  defer: { from: ['acknowledged', 'handling'], to: 'deferred', by: 'handler_or_staff' },
  resume: { from: ['deferred'], to: 'handling', by: 'handler_or_staff' },
  handle: { from: ['handling'], to: 'handled', by: 'handler' },
  verify: { from: ['handled'], to: 'verifying', by: 'staff' },
  close: { from: ['verifying'], to: 'closed', by: 'staff' },
  rework: { from: ['verifying'], to: 'handling', by: 'staff' },
  rate: { from: ['closed'], to: 'rated', by: 'reporter' },
  reopen: { from: ['closed', 'rated'], to: 'accepted', by: 'reporter' },
  archive: { from: ['closed', 'rated'], to: 'archived', by: 'system' },
  escalate: { from: TIMED_STATUSES, to: 'same', by: 'system' },
  assign: { from: LIVE, to: 'same', by: 'staff' },
  note: { from: CASE_STATUSES, to: 'same', by: 'handler_or_staff' },
  reply: { from: CASE_STATUSES.filter((s) => s !== 'archived'), to: 'same', by: 'staff' },
};

/** Staff who accept, dispatch, verify and close within their region. */
export const CASE_STAFF_ROLES = ['grid_staff', 'community_admin', 'street_admin', 'district_admin'] as const satisfies readonly Role[];
/** Everyone who works cases in the console: region staff and department handlers. */
export const CASE_DESK_ROLES = [...CASE_STAFF_ROLES, 'department_handler'] as const satisfies readonly Role[];

/** The status after `action`, or null when the machine has no such move from `from`. */
export function nextStatus(from: CaseStatus, action: CaseAction): CaseStatus | null {
  const move = MOVES[action];
  if (!move.from.includes(from)) return null;
  return move.to === 'same' ? from : move.to;
}

export interface CaseParties {
  regionId: string;
  /** Null for a case from outside the app: no one of ours may take the reporter's steps. */
  reporterId: string | null;
  departmentId: string | null;
  gridId: string | null;
}

export interface CaseActor {
  userId: string;
  role: Role;
  scopeId: string;
  departmentId: string | null;
}

const isStaff = (role: Role) => (CASE_STAFF_ROLES as readonly Role[]).includes(role);

/** Whether whoever the case was dispatched to is this actor: the department's handlers, or the grid's staff. */
function handlerRefusal(actor: CaseActor, c: CaseParties): ErrorCode | null {
  if (actor.role === 'department_handler') {
    if (!isWithin(c.regionId, actor.scopeId)) return 'OUT_OF_SCOPE';
    return c.departmentId && actor.departmentId === c.departmentId ? null : 'CASE_NOT_YOUR_DEPARTMENT';
  }
  if (!isStaff(actor.role)) return 'FORBIDDEN';
  if (!isWithin(c.regionId, actor.scopeId)) return 'OUT_OF_SCOPE';
  return c.gridId && !c.departmentId ? null : 'CASE_NOT_YOUR_DEPARTMENT';
}

function staffRefusal(actor: CaseActor, c: CaseParties): ErrorCode | null {
  if (!isStaff(actor.role)) return 'FORBIDDEN';
  return isWithin(c.regionId, actor.scopeId) ? null : 'OUT_OF_SCOPE';
}

/**
 * Why this actor may not take this step on this case, or null when they may. A reporter's case is
 * invisible to other workers (NOT_FOUND); staff are held to their region subtree, handlers to the
 * cases dispatched to their department.
 */
export function refusal(actor: CaseActor | null, c: CaseParties, action: CaseAction): ErrorCode | null {
  const by = MOVES[action].by;
  if (by === 'system') return actor === null ? null : 'FORBIDDEN';
  if (!actor) return 'UNAUTHENTICATED';
  switch (by) {
    case 'reporter':
      return actor.role === 'worker' && actor.userId === c.reporterId ? null : 'NOT_FOUND';
    case 'staff':
      return staffRefusal(actor, c);
    case 'handler':
      return handlerRefusal(actor, c);
    case 'handler_or_staff': {
      const asHandler = handlerRefusal(actor, c);
      if (asHandler === null || actor.role === 'department_handler') return asHandler;
      return staffRefusal(actor, c);
    }
  }
}

/** Whether a desk actor may read the case at all: staff in their region, handlers for their department's cases. */
export function mayRead(actor: CaseActor, c: CaseParties): ErrorCode | null {
  if (actor.role === 'department_handler') return handlerRefusal(actor, c);
  return staffRefusal(actor, c);
}
