import type { FormItemRule } from 'element-plus';

/** Any shared zod schema; typed by shape so the console needs no direct zod dependency. */
interface Checker {
  safeParse(value: unknown): { success: boolean };
}

/**
 * A form rule that accepts exactly what a shared zod schema accepts, so the form and the API never
 * disagree. Empty optional fields are left to `required` rules.
 */
export function schemaRule(schema: Checker, message: string, trigger: 'blur' | 'change' = 'blur'): FormItemRule {
  return {
    trigger,
    validator: (_rule, value: unknown, callback) => (schema.safeParse(value).success ? callback() : callback(new Error(message))),
  };
}

export function requiredRule(message: string, trigger: 'blur' | 'change' = 'change'): FormItemRule {
  return { required: true, trigger, message };
}

/** "validTo" must not come before "validFrom"; ISO dates compare as strings. */
export function periodRule(getFrom: () => string | null, message: string): FormItemRule {
  return {
    trigger: 'change',
    validator: (_rule, to: string | null, callback) => (to && getFrom() && to < getFrom()! ? callback(new Error(message)) : callback()),
  };
}
