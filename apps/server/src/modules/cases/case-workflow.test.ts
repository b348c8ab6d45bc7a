import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CASE_ACTIONS, CASE_STATUSES, type CaseStatus, type Role } from '@nuanxin/shared';
import { MOVES, nextStatus, refusal, type CaseActor } from './case-workflow.ts';
import { addWorkingMinutes, escalationTarget } from './case-clock.ts';

const c = { regionId: '440114001001', reporterId: 'reporter', departmentId: 'dept-a', gridId: null };
const actor = (role: Role, scopeId: string, extra: Partial<CaseActor> = {}): CaseActor => ({ userId: 'u', role, scopeId, departmentId: null, ...extra });

describe('case workflow', () => {
  it('walks the whole happy path', () => {
    const path = ['accept', 'dispatch', 'acknowledge', 'start', 'request_extension', 'approve_extension', 'handle', 'verify', 'rework', 'handle', 'verify', 'close', 'rate', 'archive'] as const;
    let status: CaseStatus = 'submitted';
    for (const action of path) status = nextStatus(status, action)!;
    expect(status).toBe('archived');
  });

  it('refuses moves outside the machine', () => {
    expect(nextStatus('submitted', 'close')).toBeNull();
    expect(nextStatus('handled', 'close')).toBeNull();
    expect(nextStatus('archived', 'reopen')).toBeNull();
    expect(nextStatus('rejected', 'accept')).toBeNull();
    expect(nextStatus('dispatched', 'return')).toBe('accepted');
    expect(nextStatus('rated', 'reopen')).toBe('accepted');
  });

  it('random action sequences never leave the set of statuses, and every move taken is one the table lists', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CASE_ACTIONS), { maxLength: 60 }), (actions) => {
        let status: CaseStatus = 'submitted';
        for (const action of actions) {
          const next = nextStatus(status, action);
          if (next === null) {
            expect(MOVES[action].from).not.toContain(status);
            continue;
          }
          expect(MOVES[action].from).toContain(status);
          expect(CASE_STATUSES).toContain(next);
          status = next;
        }
        // Terminal states have no way out but the ones the design names.
        if (status === 'archived' || status === 'rejected') {
          expect(CASE_ACTIONS.filter((a) => nextStatus(status, a) !== null && MOVES[a].to !== 'same')).toEqual([]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('holds each party to its own steps, region and department', () => {
    expect(refusal(actor('street_admin', '440114001'), c, 'accept')).toBeNull();
    expect(refusal(actor('street_admin', '440114002'), c, 'accept')).toBe('OUT_OF_SCOPE');
    expect(refusal(actor('worker', '440114001001'), c, 'accept')).toBe('FORBIDDEN');
    expect(refusal(actor('department_handler', '440114', { departmentId: 'dept-a' }), c, 'acknowledge')).toBeNull();
    expect(refusal(actor('department_handler', '440114', { departmentId: 'dept-b' }), c, 'acknowledge')).toBe('CASE_NOT_YOUR_DEPARTMENT');
    expect(refusal(actor('department_handler', '440114002', { departmentId: 'dept-a' }), c, 'acknowledge')).toBe('OUT_OF_SCOPE');
    expect(refusal(actor('department_handler', '440114', { departmentId: 'dept-a' }), c, 'close')).toBe('FORBIDDEN');
    // A case dispatched to a department is not the grid's to handle, but staff may still defer it.
    expect(refusal(actor('grid_staff', '440114001001'), c, 'handle')).toBe('CASE_NOT_YOUR_DEPARTMENT');
    expect(refusal(actor('grid_staff', '440114001001'), c, 'defer')).toBeNull();
    expect(refusal(actor('grid_staff', '440114001001'), { ...c, departmentId: null, gridId: '440114001001001' }, 'handle')).toBeNull();
    expect(refusal({ ...actor('worker', '440114001001'), userId: 'reporter' }, c, 'rate')).toBeNull();
    expect(refusal(actor('worker', '440114001001'), c, 'rate')).toBe('NOT_FOUND');
    expect(refusal(actor('district_admin', '440114'), c, 'escalate')).toBe('FORBIDDEN');
    expect(refusal(null, c, 'escalate')).toBeNull();
  });
});

describe('case clock', () => {
  const cst = (s: string) => new Date(`${s}+08:00`);

  it('counts working minutes only between 09:00 and 18:00 on working days', () => {
    // Tuesday 10:00 + 4 h → 14:00 the same day.
    expect(addWorkingMinutes(cst('2026-11-24T10:00:00'), 240)).toEqual(cst('2026-11-24T14:00:00'));
    // Tuesday 16:00 + 4 h → Wednesday 11:00.
    expect(addWorkingMinutes(cst('2026-11-24T16:00:00'), 240)).toEqual(cst('2026-11-25T11:00:00'));
    // Friday 17:00 + 2 h → Monday 10:00.
    expect(addWorkingMinutes(cst('2026-11-27T17:00:00'), 120)).toEqual(cst('2026-11-30T10:00:00'));
    // Saturday night → Monday from 09:00.
    expect(addWorkingMinutes(cst('2026-11-28T23:30:00'), 30)).toEqual(cst('2026-11-30T09:30:00'));
    // Before opening: starts at 09:00.
    expect(addWorkingMinutes(cst('2026-11-24T07:00:00'), 60)).toEqual(cst('2026-11-24T10:00:00'));
    // National Day: Wednesday 30 Sep 17:00 + 2 h → Thursday 8 Oct 10:00.
    expect(addWorkingMinutes(cst('2026-09-30T17:00:00'), 120)).toEqual(cst('2026-10-08T10:00:00'));
    // A worked Saturday (调休): 10 Oct 2026.
    expect(addWorkingMinutes(cst('2026-10-09T17:30:00'), 60)).toEqual(cst('2026-10-10T09:30:00'));
  });

  it('never returns a time before the start, and adds exactly the minutes asked for inside one day', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2025-01-01'), max: new Date('2026-12-31'), noInvalidDate: true }), fc.integer({ min: 1, max: 20_000 }), (start, minutes) => {
        const end = addWorkingMinutes(start, minutes);
        expect(end.getTime()).toBeGreaterThanOrEqual(start.getTime() + Math.min(minutes, 1) * 60_000);
        expect(addWorkingMinutes(start, minutes + 1).getTime()).toBeGreaterThan(end.getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('escalates to yellow when due and to red when overdue by the step’s length again', () => {
    const start = new Date('2026-11-24T00:00:00Z');
    const due = new Date('2026-11-24T01:00:00Z');
    expect(escalationTarget(due, start, new Date('2026-11-24T00:59:00Z'))).toBe(0);
    expect(escalationTarget(due, start, new Date('2026-11-24T01:00:00Z'))).toBe(1);
    expect(escalationTarget(due, start, new Date('2026-11-24T01:59:00Z'))).toBe(1);
    expect(escalationTarget(due, start, new Date('2026-11-24T02:00:00Z'))).toBe(2);
    expect(escalationTarget(null, start, new Date('2030-01-01'))).toBe(0);
  });
});
