import { z } from 'zod';

// Characters no name, company or address needs, and that markup or SQL injection relies on.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const FORBIDDEN_IN_PLAIN_TEXT = /[<>{}[\]`$\\;=|^~*\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/u;

/** A short human text (name, company, vehicle): trimmed, no markup or control characters. */
export function plainText(max: number, min = 1) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !FORBIDDEN_IN_PLAIN_TEXT.test(s), { message: 'forbidden characters' });
}

// A longer note may span lines, but still carries no markup or control characters.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const FORBIDDEN_IN_NOTE = /[<>{}`\\\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/u;

/** A note or description (reasons, proof, reward text): plain text, newlines allowed. */
export function noteText(max: number, min = 0) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((s) => !FORBIDDEN_IN_NOTE.test(s), { message: 'forbidden characters' });
}

/** A calendar day, `2026-11-24`. */
export const dateSchema = z.iso.date();

/** Mainland mobile number, 11 digits starting with 1[3-9]. */
export const phoneSchema = z.string().regex(/^1[3-9]\d{9}$/, 'mainland mobile number');

/** 138****1234: what everyone but the owner's need-to-know staff sees. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}

export const idSchema = z.uuid();

/** `?page=2&pageSize=20` with sane bounds; strings from the query are coerced. */
export const pageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}
