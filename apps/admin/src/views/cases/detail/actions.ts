import { casesRoutes, type CaseResult, type CaseStatus, type CaseSummary, type Role } from '@nuanxin/shared';
import { call } from '../../../api/index.ts';
import { CASE_STAFF_ROLES } from '../../../utils/access.ts';

/** A button on a case's page; each is one step route of casesRoutes. */
export type StepAction =
  | 'accept'
  | 'reject'
  | 'dispatch'
  | 'acknowledge'
  | 'return'
  | 'start'
  | 'requestExtension'
  | 'decideExtension'
  | 'defer'
  | 'resume'
  | 'handle'
  | 'verify'
  | 'close'
  | 'rework'
  | 'assign'
  | 'note'
  | 'reply';

type Party = 'staff' | 'handler' | 'either';

// The workflow of DESIGN.md as the server's case-workflow.ts has it (MOVES), reduced to what a
// button needs: from which statuses, and by whom. The server refuses anything else anyway; this
// only keeps buttons that would be refused off the screen.
const LIVE: readonly CaseStatus[] = ['submitted', 'accepted', 'dispatched', 'acknowledged', 'handling', 'extended', 'deferred', 'handled', 'verifying'];
const MOVES: Record<StepAction, { from: readonly CaseStatus[]; by: Party }> = {
  accept: { from: ['submitted'], by: 'staff' },
  reject: { from: ['submitted'], by: 'staff' },
  dispatch: { from: ['accepted'], by: 'staff' },
  acknowledge: { from: ['dispatched'], by: 'handler' },
  return: { from: ['dispatched'], by: 'handler' },
  start: { from: ['acknowledged'], by: 'handler' },
  requestExtension: { from: ['handling'], by: 'handler' },
  decideExtension: { from: ['extended'], by: 'staff' },
  defer: { from: ['acknowledged', 'handling'], by: 'either' },
  resume: { from: ['deferred'], by: 'either' },
  handle: { from: ['handling'], by: 'handler' },
  verify: { from: ['handled'], by: 'staff' },
  close: { from: ['verifying'], by: 'staff' },
  rework: { from: ['verifying'], by: 'staff' },
  assign: { from: LIVE, by: 'staff' },
  note: { from: [...LIVE, 'rejected', 'closed', 'rated', 'archived'], by: 'either' },
  reply: { from: [...LIVE, 'rejected', 'closed', 'rated'], by: 'staff' },
};

/** The step that moves the case forward first (it gets the primary button), turning back after, side steps last. */
const ORDER: readonly StepAction[] = [
  'accept',
  'dispatch',
  'acknowledge',
  'start',
  'handle',
  'verify',
  'close',
  'decideExtension',
  'resume',
  'requestExtension',
  'defer',
  'reject',
  'return',
  'rework',
  'assign',
  'note',
  'reply',
];
/** Steps that move the case on; the rest (assign, note, reply) keep its status. */
export const SIDE_STEPS: readonly StepAction[] = ['assign', 'note', 'reply'];
/** Steps that turn it away or back: shown as a warning/danger button. */
export const BACKWARD_STEPS: readonly StepAction[] = ['reject', 'return', 'defer', 'rework'];

const isStaff = (role: Role) => (CASE_STAFF_ROLES as readonly Role[]).includes(role);

/** Whether this person is who the case was dispatched to: its department's handlers, or its grid's staff. */
function isHandler(c: CaseSummary, role: Role): boolean {
  if (role === 'department_handler') return c.departmentId !== null;
  return isStaff(role) && c.gridId !== null && c.departmentId === null;
}

/** The buttons this person gets for this case in its current status. */
export function allowedActions(c: CaseSummary, role: Role | undefined): StepAction[] {
  if (!role) return [];
  const handler = isHandler(c, role);
  const staff = isStaff(role);
  return ORDER.filter((action) => {
    const move = MOVES[action];
    if (!move.from.includes(c.status)) return false;
    if (move.by === 'staff') return staff;
    if (move.by === 'handler') return handler;
    return handler || staff;
  });
}

/** Everything a step dialog can ask for; each step sends the part it needs. */
export interface StepForm {
  note: string;
  photoIds: string[];
  urgent: boolean;
  reason: 'invalid' | 'out_of_scope' | 'duplicate';
  duplicateOf: string;
  target: 'department' | 'grid';
  departmentId: string;
  gridId: string;
  dueAt: string;
  decision: 'approve' | 'refuse';
  result: CaseResult;
  assigneeId: string;
  templateId: string;
}

export const emptyStepForm = (): StepForm => ({
  note: '',
  photoIds: [],
  urgent: false,
  reason: 'invalid',
  duplicateOf: '',
  target: 'department',
  departmentId: '',
  gridId: '',
  dueAt: '',
  decision: 'approve',
  result: 'resolved',
  assigneeId: '',
  templateId: '',
});

/** Steps whose note is required (the server asks for at least 2 characters). */
export const NOTE_REQUIRED: readonly StepAction[] = ['reject', 'return', 'defer', 'handle', 'rework', 'note', 'reply', 'requestExtension', 'close'];
/** Steps that take photos (result photos on 处理反馈 and 结案, proof on the others). */
export const WITH_PHOTOS: readonly StepAction[] = ['acknowledge', 'start', 'resume', 'verify', 'return', 'defer', 'handle', 'rework', 'note', 'close'];

/** Sends one step; each route has its own body, so each is spelt out (and type-checked). */
export function sendStep(action: StepAction, id: string, f: StepForm): Promise<CaseSummary> {
  const params = { id };
  const note = f.note.trim();
  const step = { note, photoIds: f.photoIds };
  switch (action) {
    case 'accept':
      return call(casesRoutes.accept, { params, body: { note, urgent: f.urgent } });
    case 'reject':
      return call(casesRoutes.reject, { params, body: { reason: f.reason, note, duplicateOf: f.reason === 'duplicate' && f.duplicateOf ? f.duplicateOf : undefined } });
    case 'dispatch':
      return call(casesRoutes.dispatch, {
        params,
        body: f.target === 'grid' ? { gridId: f.gridId, note } : { departmentId: f.departmentId || undefined, note },
      });
    case 'acknowledge':
      return call(casesRoutes.acknowledge, { params, body: step });
    case 'return':
      return call(casesRoutes.return, { params, body: step });
    case 'start':
      return call(casesRoutes.start, { params, body: step });
    case 'requestExtension':
      return call(casesRoutes.requestExtension, { params, body: { dueAt: new Date(f.dueAt).toISOString(), note } });
    case 'decideExtension':
      return call(casesRoutes.decideExtension, { params, body: { decision: f.decision, note } });
    case 'defer':
      return call(casesRoutes.defer, { params, body: step });
    case 'resume':
      return call(casesRoutes.resume, { params, body: step });
    case 'handle':
      return call(casesRoutes.handle, { params, body: step });
    case 'verify':
      return call(casesRoutes.verify, { params, body: step });
    case 'close':
      return call(casesRoutes.close, { params, body: { result: f.result, outcome: note, photoIds: f.photoIds } });
    case 'rework':
      return call(casesRoutes.rework, { params, body: step });
    case 'assign':
      return call(casesRoutes.assign, { params, body: { assigneeId: f.assigneeId || null } });
    case 'note':
      return call(casesRoutes.note, { params, body: step });
    case 'reply':
      return call(casesRoutes.reply, { params, body: { note, templateId: f.templateId || undefined } });
  }
}

