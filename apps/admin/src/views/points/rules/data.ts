import type { FormItemRule } from 'element-plus';
import {
  POINT_CATEGORIES,
  POINT_CATEGORY_LABELS,
  ruleInput,
  type Lang,
  type PointCategory,
  type PointRule,
  type Region,
  type RuleInput,
} from '@nuanxin/shared';
import { formatPeriod, signed } from '../../../utils/format.ts';
import { periodRule, requiredRule, schemaRule } from '../../../utils/form.ts';
import { buildRegionTree, type RegionNode } from '../../../utils/regions.ts';

type T = (key: string, named?: Record<string, unknown>) => string;

export interface CellContext {
  t: T;
  lang: Lang;
}

export interface RuleColumn {
  key: string;
  labelKey: string;
  minWidth: number;
  /** Plain text of the cell; columns without it are drawn in list.vue. */
  text?: (row: PointRule, ctx: CellContext) => string;
}

export const categoryLabel = (category: PointCategory, lang: Lang) => POINT_CATEGORY_LABELS[category][lang];

export const categoryOptions = (lang: Lang) => POINT_CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c, lang) }));

/** "+10" or "−5": the sign says at a glance whether a rule gives or takes (stored sizes may be unsigned). */
export function signedPoints(rule: Pick<PointRule, 'kind' | 'points'>): string {
  const n = Math.abs(rule.points);
  return signed(rule.kind === 'deduct' ? -n : n);
}

/** "每日 5 · 每月 100": only the caps that are set; none at all reads "不限". */
function caps(row: PointRule, t: T): string {
  const parts = [];
  if (row.dailyCap !== null) parts.push(t('points.rules.dailyCapValue', { n: row.dailyCap }));
  if (row.monthlyCap !== null) parts.push(t('points.rules.monthlyCapValue', { n: row.monthlyCap }));
  return parts.length ? parts.join(' · ') : t('common.unlimited');
}

export const ruleColumns: RuleColumn[] = [
  { key: 'category', labelKey: 'points.rules.category', minWidth: 100, text: (row, { lang }) => categoryLabel(row.category, lang) },
  { key: 'name', labelKey: 'points.rules.name', minWidth: 160, text: (row) => row.name },
  { key: 'points', labelKey: 'points.rules.points', minWidth: 80 },
  { key: 'caps', labelKey: 'points.rules.caps', minWidth: 120, text: (row, { t }) => caps(row, t) },
  { key: 'flags', labelKey: 'points.rules.flags', minWidth: 150 },
  { key: 'region', labelKey: 'points.rules.region', minWidth: 110, text: (row) => row.regionName },
  { key: 'validity', labelKey: 'points.rules.validity', minWidth: 190, text: (row, { t }) => formatPeriod(row.validFrom, row.validTo, t) },
  { key: 'status', labelKey: 'points.rules.status', minWidth: 96 },
];

/** Rules are made for a street or for the whole district, never for a community or grid. */
export function ruleRegionTree(regions: readonly Region[]): RegionNode[] {
  return buildRegionTree(regions.filter((r) => r.level === 'district' || r.level === 'street'));
}

/** What the form edits: RuleInput with the blanks a new rule starts from. */
export interface RuleForm {
  regionId: string;
  category: PointCategory | '';
  name: string;
  description: string;
  kind: 'earn' | 'deduct';
  points: number;
  dailyCap: number | null;
  monthlyCap: number | null;
  needsApproval: boolean;
  claimable: boolean;
  suspendAfter: number | null;
  validFrom: string | null;
  validTo: string | null;
  status: 'active' | 'inactive';
}

export const emptyRuleForm = (regionId = ''): RuleForm => ({
  regionId,
  category: '',
  name: '',
  description: '',
  kind: 'earn',
  points: 10,
  dailyCap: null,
  monthlyCap: null,
  needsApproval: false,
  claimable: false,
  suspendAfter: null,
  validFrom: null,
  validTo: null,
  status: 'active',
});

export function formFromRule(rule: PointRule): RuleForm {
  // Stored points may carry the sign of the kind; the form always edits the size.
  const { id: _id, regionName: _regionName, ...rest } = rule;
  return { ...rest, points: Math.abs(rule.points) };
}

/** The request body. A suspension threshold only means something for a deduction. */
export function inputFromForm(form: RuleForm): RuleInput {
  return {
    ...form,
    category: form.category as PointCategory,
    name: form.name.trim(),
    description: form.description.trim(),
    suspendAfter: form.kind === 'deduct' ? form.suspendAfter : null,
  };
}

export function ruleFormRules(t: T, form: RuleForm): Record<string, FormItemRule[]> {
  const shape = ruleInput.shape;
  return {
    regionId: [requiredRule(t('points.rules.regionRequired'))],
    category: [requiredRule(t('points.rules.categoryRequired'))],
    name: [{ ...schemaRule(shape.name, t('points.rules.nameInvalid')), required: true }],
    description: [schemaRule(shape.description, t('points.rules.descriptionInvalid'))],
    validTo: [periodRule(() => form.validFrom, t('common.periodInvalid'))],
  };
}
