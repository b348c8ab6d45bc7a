import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.ts';
import type { MessageTopic } from '@nuanxin/shared';
import type { MessageChannel } from './channels.ts';

/** Attempts before an outbound copy is given up as `failed`. */
export const OUTBOX_MAX_ATTEMPTS = 5;
/** Pause before attempt n+1: 1, 4, 9, 16 minutes. */
export const retryDelayMs = (attempts: number) => attempts * attempts * 60_000;

/**
 * How long a claimed row is kept from other job runs while it is being sent: longer than a batch of
 * sends can take (each is bounded by the channel's timeout). A process that dies mid-batch leaves its
 * rows to be sent again after this, as a retry.
 */
export const OUTBOX_CLAIM_MS = 15 * 60_000;

interface Claimed {
  /** bigint: a string from PostgreSQL, a number from PGlite. */
  id: number;
  user_id: string;
  topic: MessageTopic;
  title: string;
  body: string;
  link: string | null;
  attempts: number;
  phone: string | null;
}

/**
 * Sends due outbound copies (the `messages.outbound` job). Rows are claimed in a short transaction
 * (`FOR UPDATE SKIP LOCKED`, then moved out of reach for OUTBOX_CLAIM_MS with the attempt counted),
 * and sent with no transaction open, so a slow gateway holds no locks and several server processes
 * share the queue without sending a row twice. A send that may be retried waits `retryDelayMs`;
 * after OUTBOX_MAX_ATTEMPTS the row is `failed`. Returns how many rows were claimed.
 */
export async function sendOutbound(database: Database, channel: MessageChannel, options: { batch?: number; now?: Date; log?: Pick<FastifyBaseLogger, 'warn'> } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const claimedUntil = new Date(now.getTime() + OUTBOX_CLAIM_MS);
  const { rows: due } = await sql<Claimed>`
    with due as (
      select id from message_outbox where status = 'pending' and next_at <= ${now}
      order by next_at limit ${options.batch ?? 50} for update skip locked
    ), claimed as (
      update message_outbox o set next_at = ${claimedUntil}, attempts = o.attempts + 1 from due where o.id = due.id
      returning o.id, o.user_id, o.topic, o.title, o.body, o.link, o.attempts
    )
    select c.*, u.phone from claimed c left join users u on u.id = c.user_id order by c.id`.execute(database.db);
  for (const row of due) {
    const result = await channel
      .send({ userId: row.user_id, phone: row.phone }, { topic: row.topic, title: row.title, body: row.body, link: row.link })
      .catch((e: unknown) => ({ ok: false as const, error: e instanceof Error ? e.message : String(e), retry: true }));
    // Only while the claim is still ours: past it, another run may have taken the row.
    const ours = database.db.updateTable('message_outbox').where('id', '=', row.id).where('status', '=', 'pending').where('next_at', '=', claimedUntil);
    if (result.ok) {
      await ours.set({ status: 'sent', channel: channel.name, sent_at: now, last_error: null }).execute();
      continue;
    }
    const final = !result.retry || row.attempts >= OUTBOX_MAX_ATTEMPTS;
    if (final) options.log?.warn({ outboxId: row.id, channel: channel.name, error: result.error }, 'outbound message failed');
    await ours
      .set({ status: final ? 'failed' : 'pending', channel: channel.name, last_error: result.error.slice(0, 500), next_at: new Date(now.getTime() + retryDelayMs(row.attempts)) })
      .execute();
  }
  return due.length;
}
