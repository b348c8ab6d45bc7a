import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codeFor, stepAt, stepEnds, verifyCode } from './checkin-code.ts';

const secret = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }).map((ms) => new Date(ms));

describe('check-in code', () => {
  it('is six digits, the same for the same station and step, and changes every 30 s', () => {
    const s = 'ab'.repeat(32);
    const station = '7c1f2a4e-9a53-4e8b-8f0e-2d1c6b2a9e11';
    const t0 = new Date('2026-11-26T06:00:00.000Z');
    const step = stepAt(t0);
    expect(codeFor(s, station, step)).toMatch(/^\d{6}$/);
    expect(codeFor(s, station, step)).toBe(codeFor(s, station, stepAt(new Date(t0.getTime() + 29_999))));
    expect(stepAt(new Date(t0.getTime() + 30_000))).toBe(step + 1);
    expect(stepEnds(step).getTime()).toBe(t0.getTime() + 30_000);
    // Another station under the same secret gets its own codes.
    const codes = Array.from({ length: 20 }, (_, i) => codeFor(s, station, step + i));
    const others = Array.from({ length: 20 }, (_, i) => codeFor(s, '00000000-0000-4000-8000-000000000000', step + i));
    expect(codes).not.toEqual(others);
  });

  it('is accepted in its own step and the next one, and expires after that', () => {
    const s = 'cd'.repeat(32);
    const station = '7c1f2a4e-9a53-4e8b-8f0e-2d1c6b2a9e11';
    const shown = new Date('2026-11-26T06:00:05.000Z');
    const code = codeFor(s, station, stepAt(shown));
    expect(verifyCode(s, station, code, shown)).toBe(stepAt(shown));
    expect(verifyCode(s, station, code, new Date(shown.getTime() + 30_000))).toBe(stepAt(shown)); // the previous step
    expect(verifyCode(s, station, code, new Date(shown.getTime() + 54_999))).toBe(stepAt(shown)); // last moment of the next step
    expect(verifyCode(s, station, code, new Date(shown.getTime() + 55_000))).toBeNull(); // two steps on
    expect(verifyCode(s, station, code, new Date(shown.getTime() - 30_000))).toBeNull(); // not before it is shown
    expect(verifyCode(s, station, '12345', shown)).toBeNull();
    expect(verifyCode(s, station, '１２３４５６', shown)).toBeNull();
  });

  it('property: a code verifies exactly when it is the current or previous step’s code of that station and secret', () => {
    fc.assert(
      fc.property(secret, fc.uuid(), instant, fc.stringMatching(/^\d{6}$/), (s, station, now, guess) => {
        const step = stepAt(now);
        const right = new Set([codeFor(s, station, step), codeFor(s, station, step - 1)]);
        expect(verifyCode(s, station, guess, now) !== null).toBe(right.has(guess));
      }),
      { numRuns: 2000 },
    );
  });

  it('property: codes of other steps, stations or secrets verify only by a coincidence of the six digits', () => {
    fc.assert(
      fc.property(secret, secret, fc.uuid(), fc.uuid(), instant, fc.integer({ min: -10_000, max: 10_000 }), (s1, s2, station, other, now, offset) => {
        const step = stepAt(now);
        const right = new Set([codeFor(s1, station, step), codeFor(s1, station, step - 1)]);
        for (const code of [codeFor(s1, station, step + offset), codeFor(s2, station, step), codeFor(s1, other, step)]) {
          expect(verifyCode(s1, station, code, now) !== null).toBe(right.has(code));
        }
        if (offset !== 0 && offset !== -1 && !right.has(codeFor(s1, station, step + offset))) {
          expect(verifyCode(s1, station, codeFor(s1, station, step + offset), now)).toBeNull();
        }
      }),
      { numRuns: 2000 },
    );
  });
});
