import type { FormItemRule } from 'element-plus';
import { passwordLoginRequest, phoneSchema, smsLoginRequest } from '@nuanxin/shared';

type T = (key: string) => string;

/** Seconds before another code may be asked for; the server enforces its own limit too. */
export const RESEND_SECONDS = 60;

// Field checks reuse the shared zod schemas, so the form accepts exactly what the API accepts.
const usernameSchema = passwordLoginRequest.shape.username;
const codeSchema = smsLoginRequest.shape.code;

function bySchema(check: (value: string) => boolean, message: string): FormItemRule {
  return { trigger: 'blur', validator: (_rule, value: string, callback) => (check(value ?? '') ? callback() : callback(new Error(message))) };
}

export function passwordRules(t: T): Record<string, FormItemRule[]> {
  return {
    username: [bySchema((v) => usernameSchema.safeParse(normalizeUsername(v)).success, t('login.usernameInvalid'))],
    password: [{ required: true, trigger: 'blur', message: t('login.passwordRequired') }],
  };
}

export function smsRules(t: T): Record<string, FormItemRule[]> {
  return {
    phone: [bySchema(isPhone, t('login.phoneInvalid'))],
    code: [bySchema((v) => codeSchema.safeParse(v.trim()).success, t('login.codeInvalid'))],
  };
}

export function isPhone(value: string): boolean {
  return phoneSchema.safeParse(value.trim()).success;
}

/** Usernames are lowercase by contract; forgive a capital typed on a phone keyboard. */
export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase();
}

/** Only same-app paths are followed after login, never another site. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}
