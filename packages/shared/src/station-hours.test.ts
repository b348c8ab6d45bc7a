import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { declaredHours, hoursCompliance, type VisitDay } from './station-hours.ts';

const WEEKDAYS_9_TO_18 = [[], ['09:00-18:00'], ['09:00-18:00'], ['09:00-18:00'], ['09:00-18:00'], ['09:00-18:00'], []];
const hoursWith = (entries: Record<number, number>) => Array.from({ length: 24 }, (_, h) => entries[h] ?? 0);

describe('opening-hours compliance', () => {
  it('marks an hour declared when any part of it is open', () => {
    const declared = declaredHours([['08:30-09:10'], [], [], [], [], [], []], false);
    expect(declared[0]!.flatMap((open, hour) => (open ? [hour] : []))).toEqual([8, 9]);
    expect(declaredHours([[], [], [], [], [], [], []], true).flat().every(Boolean)).toBe(true);
  });

  it('counts open days with check-ins and check-ins outside the declared hours', () => {
    // 2026-11-02 is a Monday; the range is one week, Monday to Sunday.
    const days: VisitDay[] = [
      { day: '2026-11-02', visits: 3, byHour: hoursWith({ 10: 2, 20: 1 }) },
      { day: '2026-11-04', visits: 1, byHour: hoursWith({ 12: 1 }) },
      { day: '2026-11-08', visits: 2, byHour: hoursWith({ 11: 2 }) },
    ];
    const result = hoursCompliance(WEEKDAYS_9_TO_18, false, days, '2026-11-02', '2026-11-08');
    expect(result).toMatchObject({ openDays: 5, openDaysVisited: 2, inHours: 3, outOfHours: 3 });
    expect(result.heat[1]![10]).toBe(2);
    expect(result.heat[0]![11]).toBe(2);
  });

  it('never loses or invents a check-in, whatever the hours and visits (property)', () => {
    const span = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 24 }))
      .filter(([a, b]) => a < b)
      .map(([a, b]) => `${String(a).padStart(2, '0')}:00-${String(b).padStart(2, '0')}:00`);
    const week = fc.array(fc.array(span, { maxLength: 2 }), { minLength: 7, maxLength: 7 });
    const day = fc.record({ offset: fc.integer({ min: 0, max: 27 }), byHour: fc.array(fc.nat({ max: 5 }), { minLength: 24, maxLength: 24 }) });
    fc.assert(
      fc.property(week, fc.boolean(), fc.uniqueArray(day, { selector: (d) => d.offset, maxLength: 28 }), (hours, alwaysOpen, raw) => {
        const days = raw.map((d) => ({ day: new Date(Date.UTC(2026, 10, 1 + d.offset)).toISOString().slice(0, 10), visits: d.byHour.reduce((a, b) => a + b, 0), byHour: d.byHour }));
        const result = hoursCompliance(hours, alwaysOpen, days, '2026-11-01', '2026-11-28');
        const total = days.reduce((sum, d) => sum + d.visits, 0);
        expect(result.inHours + result.outOfHours).toBe(total);
        expect(result.heat.flat().reduce((a, b) => a + b, 0)).toBe(total);
        expect(result.openDaysVisited).toBeLessThanOrEqual(result.openDays);
        expect(result.openDays).toBeLessThanOrEqual(28);
        if (alwaysOpen) expect(result.outOfHours).toBe(0);
      }),
    );
  });
});
