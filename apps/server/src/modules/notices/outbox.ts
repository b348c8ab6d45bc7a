import { sql } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { withTransaction, type Database } from '../../db/client.ts';
import type { MessageChannel } from './channels.ts';

/** Attempts before an outbound copy is given up as `failed`. */
export const OUTBOX_MAX_ATTEMPTS = 5;
/** Pause before attempt n+1: 1, 4, 9, 16 minutes. */
export const retryDelayMs = (attempts: number) => attempts * attempts * 60_000;

/**
 * Sends due outbound copies (the `messages.outbound` job). Rows are claimed with
 * `FOR UPDATE SKIP LOCKED` in a transaction that stays open while they are sent, so several server
 * processes share the queue and none sends a row another holds. A row is sent at most once per
 * claim; an answer that may be retried waits `retryDelayMs`, and after OUTBOX_MAX_ATTEMPTS it is `failed`.
 * Returns how many rows were settled (sent or failed) or rescheduled.
 */
export async function sendOutbound(database: Database, channel: MessageChannel, options: { batch?: number; now?: Date; log?: Pick<FastifyBaseLogger, 'warn'> } = {}): Promise<number> {
  const now = options.now ?? new Date();
  return withTransaction(database.db, async (tx) => {
    const due = await tx
      .selectFrom('message_outbox as o')
      .leftJoin('users as u', 'u.id', 'o.user_id')
      .select(['o.id', 'o.user_id', 'o.topic', 'o.title', 'o.body', 'o.link', 'o.attempts', 'u.phone'])
      .where('o.status', '=', 'pending')
      .where('o.next_at', '<=', now)
      .orderBy('o.next_at')
      .limit(options.batch ?? 50)
      .forUpdate('o')
      .skipLocked()
      .execute();
    for (const row of due) {
      const result = await channel.send({ userId: row.user_id, phone: row.phone }, { topic: row.topic, title: row.title, body: row.body, link: row.link });
      const attempts = row.attempts + 1;
      if (result.ok) {
        await tx.updateTable('message_outbox').set({ status: 'sent', attempts, channel: channel.name, sent_at: now, last_error: null }).where('id', '=', row.id).execute();
        continue;
      }
      const final = !result.retry || attempts >= OUTBOX_MAX_ATTEMPTS;
      if (final) options.log?.warn({ outboxId: row.id, channel: channel.name, error: result.error }, 'outbound message failed');
      await tx
        .updateTable('message_outbox')
        .set({ status: final ? 'failed' : 'pending', attempts, channel: channel.name, last_error: result.error.slice(0, 500), next_at: sql<Date>`${now}::timestamptz + ${`${retryDelayMs(attempts)} milliseconds`}::interval` })
        .where('id', '=', row.id)
        .execute();
    }
    return due.length;
  });
}
