import type { ColumnType, Generated } from 'kysely';
import type { MessageTopic, NoticeKind, NoticeStatus } from '@nuanxin/shared';

/** Kysely's view of migrations/0013_notices.sql, merged into `DB` from here so schema.ts stays untouched. */
type CreatedAt = ColumnType<Date, never, never>;

export interface NoticesTable {
  id: Generated<string>;
  region_id: string;
  kind: NoticeKind;
  title: string;
  body: string;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  attachment_ids: ColumnType<string[], string[] | undefined, string[]>;
  pinned: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<NoticeStatus, NoticeStatus | undefined, NoticeStatus>;
  author_id: string;
  published_at: Date | null;
  withdrawn_at: Date | null;
  read_count: ColumnType<number, never, number>;
  worker_read_count: ColumnType<number, never, number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, never, Date>;
}

export interface NoticeReadsTable {
  notice_id: string;
  user_id: string;
  region_id: string;
  read_at: ColumnType<Date, never, never>;
}

export interface MessagesTable {
  id: Generated<string>;
  user_id: string;
  region_id: string;
  topic: MessageTopic;
  title: string;
  body: string;
  subject_kind: string | null;
  subject_id: string | null;
  link: string | null;
  dedupe_key: string | null;
  read_at: Date | null;
  created_at: CreatedAt;
}

export interface MessagePreferencesTable {
  user_id: string;
  topic: MessageTopic;
  in_app: boolean;
  outbound: boolean;
  updated_at: ColumnType<Date, never, Date>;
}

export interface MessageOutboxTable {
  id: Generated<number>;
  message_id: string | null;
  user_id: string;
  region_id: string;
  topic: MessageTopic;
  title: string;
  body: string;
  link: string | null;
  dedupe_key: string | null;
  status: ColumnType<'pending' | 'sent' | 'failed', never, 'pending' | 'sent' | 'failed'>;
  attempts: ColumnType<number, never, number>;
  next_at: ColumnType<Date, never, Date>;
  channel: string | null;
  last_error: string | null;
  sent_at: Date | null;
  created_at: CreatedAt;
}

declare module '../../db/schema.ts' {
  interface DB {
    notices: NoticesTable;
    notice_reads: NoticeReadsTable;
    messages: MessagesTable;
    message_preferences: MessagePreferencesTable;
    message_outbox: MessageOutboxTable;
  }
}
