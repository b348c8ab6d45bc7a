import { isWithin, type Lang, type PointRule } from '@nuanxin/shared';
import { categoryLabel, signedPoints } from '../rules/data.ts';

/**
 * Rules a staff member may award or deduct under for this worker: in force today, and made for the
 * worker's street or district (a rule's region contains the worker's). The server checks again.
 */
export function applicableRules(rules: readonly PointRule[], workerRegionId: string, today: string): PointRule[] {
  return rules.filter(
    (r) =>
      r.status === 'active' &&
      isWithin(workerRegionId, r.regionId) &&
      (!r.validFrom || r.validFrom <= today) &&
      (!r.validTo || r.validTo >= today),
  );
}

/** "志愿服务 · 参加社区志愿服务（+10）" */
export function ruleLabel(rule: PointRule, lang: Lang): string {
  return `${categoryLabel(rule.category, lang)} · ${rule.name}（${signedPoints(rule)}）`;
}

/** 难度系数: 0.5× to 5× in halves, as the API accepts; 1× is the rule as written. */
export const MULTIPLIERS = Array.from({ length: 10 }, (_, i) => (i + 1) / 2);

/** The points a rule gives at a multiplier, rounded as the server rounds them (never below 1). */
export const scaledPoints = (points: number, multiplier: number) => Math.max(1, Math.round(Math.abs(points) * multiplier));

/**
 * One Idempotency-Key per submission: a retry of the same form (after a timeout, say) reuses the
 * key so the server answers with the first result instead of awarding twice; a changed form is a
 * new submission with a new key (the server refuses a reused key with a different body).
 */
export function keyFor(last: { key: string; body: string } | null, body: string, fresh: () => string): { key: string; body: string } {
  return last && last.body === body ? last : { key: fresh(), body };
}
