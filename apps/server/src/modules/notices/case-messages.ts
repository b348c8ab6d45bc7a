import type { Kysely } from 'kysely';
import type { CaseAction } from '@nuanxin/shared';
import type { DB } from '../../db/schema.ts';
import { deliver } from './inbox.ts';

/** The steps a reporter hears about, and the words they read. "Closed" is never "fixed": the note says the outcome. */
const REPORTER_TITLES: Partial<Record<CaseAction, string>> = {
  accept: '您的报事已立案',
  reject: '您的报事未予立案',
  merge: '您的报事与已有案件重复，已合并跟进',
  dispatch: '您的报事已派遣处置',
  handle: '您的报事已处理反馈，待核查',
  close: '您的报事已结案',
  reply: '工作人员回复了您的报事',
};

/**
 * The reporter's message (topic `case`) for one step, in the step's transaction; steps the reporter
 * does not see (internal notes, escalation, assignment) and cases without a reporter account send nothing.
 */
export async function deliverCaseStep(tx: Kysely<DB>, c: { id: string; reporter_id: string | null }, action: CaseAction, eventKey: string, note?: string | null): Promise<void> {
  const title = REPORTER_TITLES[action];
  if (!title || !c.reporter_id) return;
  await deliver(tx, { userId: c.reporter_id, topic: 'case', title, body: note ?? '', subject: { kind: 'case', id: c.id }, link: `/cases/${c.id}`, key: `case:${c.id}:${eventKey}` });
}
