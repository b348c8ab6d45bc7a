import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dateCst, monthDaysCst, todayCst } from './calendar.ts';

/** The same date as the platform's time-zone database gives it for Asia/Shanghai. */
const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const instants = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

describe('China dates', () => {
  it('says the China date whatever the zone: at 00:30 in Beijing it is already the next day', () => {
    expect(todayCst(new Date('2026-11-24T16:30:00Z'))).toBe('2026-11-25');
    expect(todayCst(new Date('2026-11-24T15:59:59Z'))).toBe('2026-11-24');
    expect(dateCst(new Date('2026-11-24T16:30:00Z'), 29)).toBe('2026-10-27');
  });

  it('gives the China month, across a year and in February of a leap year', () => {
    expect(monthDaysCst(new Date('2026-11-30T16:00:00Z'))).toEqual(['2026-12-01', '2026-12-31']);
    expect(monthDaysCst(new Date('2028-02-10T00:00:00Z'))).toEqual(['2028-02-01', '2028-02-29']);
    expect(monthDaysCst(new Date('2026-12-31T17:00:00Z'))).toEqual(['2027-01-01', '2027-01-31']);
  });

  it('property: agrees with the time-zone database for Asia/Shanghai, for any instant', () => {
    fc.assert(
      fc.property(instants, (at) => {
        const today = todayCst(at);
        expect(today).toBe(shanghai.format(at));
        const [first, last] = monthDaysCst(at);
        expect(first).toBe(`${today.slice(0, 7)}-01`);
        expect(last.slice(0, 7)).toBe(today.slice(0, 7));
        expect(today >= first && today <= last).toBe(true);
        // The day after the last is the first of the next month.
        expect(dateCst(new Date(Date.parse(`${last}T12:00:00+08:00`) + 86_400_000)).slice(8)).toBe('01');
      }),
    );
  });
});
