import { CASE_POINT_STEPS } from '@nuanxin/shared';
import type { Db } from '../../db/client.ts';
import type { PointsService } from '../points/points.service.ts';
import { findRule } from '../points/points.repository.ts';
import * as repo from './cases.repository.ts';

export type AwardStep = keyof typeof CASE_POINT_STEPS;

/**
 * Pays the reporter for a step (立案, 结案) once per case and step, whatever happens later (a reopened
 * case closed again earns nothing more). When no rule is in force, a cap is reached or earning is
 * suspended, that is recorded and the step itself goes ahead.
 */
export async function awardStep(tx: Db, points: PointsService, c: { id: string; reporter_id: string | null }, step: AwardStep, actorId: string | null): Promise<void> {
  // A case from outside the app (Open311) has no worker of ours to pay.
  if (!c.reporter_id) return;
  const done = await tx.selectFrom('case_awards').select('status').where('case_id', '=', c.id).where('step', '=', step).executeTakeFirst();
  if (done) return;
  const worker = await tx.selectFrom('users').select(['id', 'region_id']).where('id', '=', c.reporter_id).executeTakeFirstOrThrow();
  const record = (values: { status: 'awarded' | 'skipped'; rule_id: string | null; transfer_id?: string | null; amount?: number; reason?: string | null }) =>
    tx
      .insertInto('case_awards')
      .values({ case_id: c.id, step, region_id: worker.region_id, worker_id: worker.id, transfer_id: null, amount: 0, reason: null, ...values })
      .execute();

  const ruleRef = await repo.reportRule(tx, worker.region_id, CASE_POINT_STEPS[step]);
  const rule = ruleRef && (await findRule(tx, ruleRef.id));
  if (!rule) return void (await record({ status: 'skipped', rule_id: null, reason: 'NO_RULE' }));

  // A refusal from the ledger must not undo the step.
  const result = await points.awardOrSkip(tx, { worker: { userId: worker.id, regionId: worker.region_id }, rule, sourceType: 'case', sourceId: `${c.id}:${step}`, actorId });
  if ('skipped' in result) await record({ status: 'skipped', rule_id: rule.id, reason: result.skipped });
  else await record({ status: 'awarded', rule_id: rule.id, transfer_id: result.transferId, amount: result.amount });
}
