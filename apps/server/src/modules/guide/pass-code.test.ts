import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePassCode, passCodeText } from '@nuanxin/shared';

const passNo = fc.array(fc.constantFrom(...'23456789ABCDEFGHJKMNPQRSTUVWXYZ'), { minLength: 8, maxLength: 8 }).map((a) => a.join(''));
const digits = fc.array(fc.constantFrom(...'0123456789'), { minLength: 6, maxLength: 6 }).map((a) => a.join(''));

describe('pass code text', () => {
  it('round-trips what the QR carries, and what a guard types with spaces or lower case', () => {
    fc.assert(
      fc.property(passNo, digits, (no, code) => {
        expect(parsePassCode(passCodeText(no, code))).toEqual({ passNo: no, code });
        expect(parsePassCode(` ${no.toLowerCase()} ${code.slice(0, 3)} ${code.slice(3)} `)).toEqual({ passNo: no, code });
      }),
    );
  });

  it('never throws and only accepts the exact shape', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const parsed = parsePassCode(text);
        if (parsed) {
          expect(parsed.passNo).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
          expect(parsed.code).toMatch(/^\d{6}$/);
        }
      }),
    );
    for (const text of ['', 'NXP-', 'NXP-ABCDEFG0-123456', 'NXP-ABCDEFGH-12345', 'NXP-ABCDEFGH-1234567', 'https://x/?c=1', 'NXP-ABCDEFGI-123456']) expect(parsePassCode(text)).toBeNull();
  });
});
