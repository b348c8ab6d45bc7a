import { sql } from 'kysely';
import type { MessageTopic } from '@nuanxin/shared';
import type { Db } from '../../db/client.ts';
import './notices.schema.ts';

export type { MessageTopic };

/**
 * CONTRACT — the community-life modules (wishes, activities, partners, organizations, honors) and
 * cases / rewards call `deliver` with this shape; keep the exported names and shapes unchanged.
 *
 * ```ts
 * import { deliver } from '../notices/inbox.ts';
 * await deliver(tx, [{ userId: c.reporter_id, topic: 'case', title: '您的报事已立案', body: c.description,
 *   link: `/cases/${c.id}`, subject: { kind: 'case', id: c.id }, key: `case:${c.id}:accepted` }]);
 * ```
 */
export interface OutgoingMessage {
  userId: string;
  topic: MessageTopic;
  /** Chinese first: the title and body the person reads in the message center (title ≤ 200 characters). */
  title: string;
  body: string;
  /** An H5 or console path such as `/wishes/<id>` — app-relative, never a full URL. */
  link?: string | null;
  /** The record it is about (optional), so a screen can group or open it. */
  subject?: { kind: string; id: string };
  /** Idempotency (optional): at most one message per (user, key), so a retried sender notifies once. */
  key?: string;
}

/**
 * Writes messages in the caller's transaction (`tx`), so they exist exactly when the change they
 * announce commits — and vanish with it on rollback. The recipient's preferences decide per topic:
 * in-app off → no message row; outbound on → a copy is queued in `message_outbox` for the
 * `messages.outbound` job (SMS / WeChat). Unknown user ids are skipped. Two statements at most,
 * whatever the number of deliveries. Never fan out one notice to every worker: notices are read by region.
 */
export async function deliver(tx: Db, messages: OutgoingMessage | readonly OutgoingMessage[]): Promise<void> {
  const list: readonly OutgoingMessage[] = Array.isArray(messages) ? messages : [messages as OutgoingMessage];
  if (list.length === 0) return;
  const rows = JSON.stringify(
    list.map((d) => ({
      user_id: d.userId,
      topic: d.topic,
      title: d.title.slice(0, 200),
      body: (d.body ?? '').slice(0, 2000),
      subject_kind: d.subject?.kind ?? null,
      subject_id: d.subject?.id ?? null,
      link: d.link ?? null,
      dedupe_key: d.key ?? null,
    })),
  );
  // One CTE: insert the in-app rows the preferences allow, then queue the outbound copies.
  await sql`
    with d as (
      select d.*, gen_random_uuid() as message_id, u.region_id, coalesce(p.in_app, true) as in_app, coalesce(p.outbound, false) as outbound
      from jsonb_to_recordset(${rows}::jsonb) as d(user_id uuid, topic text, title text, body text,
             subject_kind text, subject_id text, link text, dedupe_key text)
      join users u on u.id = d.user_id
      left join message_preferences p on p.user_id = d.user_id and p.topic = d.topic
    ),
    m as (
      insert into messages (id, user_id, region_id, topic, title, body, subject_kind, subject_id, link, dedupe_key)
      select message_id, user_id, region_id, topic, title, body, subject_kind, subject_id, link, dedupe_key from d where in_app
      on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing
      returning id
    )
    insert into message_outbox (message_id, user_id, region_id, topic, title, body, link, dedupe_key)
    select m.id, d.user_id, d.region_id, d.topic, d.title, d.body, d.link, d.dedupe_key
    from d left join m on m.id = d.message_id
    where d.outbound
    on conflict (user_id, dedupe_key) where dedupe_key is not null do nothing`.execute(tx);
}
