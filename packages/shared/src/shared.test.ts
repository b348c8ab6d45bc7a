import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ERRORS, errorMessage, isWithin, maskPhone, phoneSchema, pickLang, plainText, regionIdSchema, regionLevelOf } from './index.ts';

describe('errors', () => {
  it('has a Chinese and an English message and a 4xx/5xx status for every code', () => {
    for (const [code, entry] of Object.entries(ERRORS)) {
      expect(entry['zh-CN'], code).toMatch(/[\u4e00-\u9fff]/);
      expect(entry.en, code).toMatch(/[a-z]/i);
      expect(entry.status).toBeGreaterThanOrEqual(400);
    }
  });
  it('prefers Chinese unless English comes first', () => {
    expect(pickLang(undefined)).toBe('zh-CN');
    expect(pickLang('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLang('en-US,en;q=0.9')).toBe('en');
    expect(pickLang('fr')).toBe('zh-CN');
  });
  it('fills placeholders', () => {
    expect(errorMessage('SMS_TOO_FREQUENT', 'zh-CN', { seconds: 42 })).toBe('验证码发送太频繁，请42秒后再试');
  });
});

describe('phones', () => {
  it('never shows more than the first 3 and last 4 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        const masked = maskPhone(phone)!;
        expect(masked).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
        expect(masked).not.toContain(phone.slice(3, 7));
      }),
    );
  });
  it('accepts only mainland mobile numbers', () => {
    expect(phoneSchema.safeParse('13900000001').success).toBe(true);
    for (const bad of ['1390000000', '23900000001', '139000000011', '1390000000a', ' 13900000001']) expect(phoneSchema.safeParse(bad).success).toBe(false);
  });
});

describe('plain text', () => {
  const schema = plainText(40);
  it('accepts names people have', () => {
    for (const name of ['张伟', '欧阳·娜娜', '阿卜杜拉·买买提', "O'Brien", 'Mary-Jane', '顺丰速运（花都）', 'Wi-Fi']) expect(schema.safeParse(name).success, name).toBe(true);
  });
  it('never lets through markup, SQL punctuation or control characters, whatever the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 50 }), (s) => {
        const result = schema.safeParse(s);
        // eslint-disable-next-line no-control-regex -- asserting control characters never pass
        if (result.success) expect(result.data).not.toMatch(/[<>;=`$\\{}\u0000-\u001f]/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('regions', () => {
  it('reads the level from the code and tests containment by prefix', () => {
    expect(regionLevelOf('440114')).toBe('district');
    expect(regionLevelOf('440114001001001')).toBe('grid');
    expect(isWithin('440114001001', '440114001')).toBe(true);
    expect(isWithin('440114002001', '440114001')).toBe(false);
    expect(regionIdSchema.safeParse('4401140010').success).toBe(false);
  });
});
