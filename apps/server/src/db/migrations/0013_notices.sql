-- Notices (公告, 政策, 倡议书) for a region subtree, who read them, the message center of every user,
-- per-topic preferences and the outbound (SMS / WeChat template) queue.

create table notices (
  id           uuid primary key default gen_random_uuid(),
  -- Published to this region and everything under it; staff publish only inside their subtree.
  region_id    text collate "C" not null references regions (id),
  kind         text not null check (kind in ('announcement', 'policy', 'initiative')),
  title        text not null,
  body         text not null,
  -- Photos and attachments (scanned pages of a policy, a poster) are MediaService images.
  photo_ids    uuid[] not null default '{}',
  attachment_ids uuid[] not null default '{}',
  pinned       boolean not null default false,
  status       text not null default 'draft' check (status in ('draft', 'published', 'withdrawn')),
  author_id    uuid not null references users (id),
  published_at timestamptz,
  withdrawn_at timestamptz,
  -- Kept by the read insert (one per user), so the counts are columns, not scans.
  read_count   integer not null default 0 check (read_count >= 0),
  worker_read_count integer not null default 0 check (worker_read_count >= 0),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  check (status = 'draft' or published_at is not null),
  check (status <> 'withdrawn' or withdrawn_at is not null)
);
-- A worker's feed: published notices of a few regions (their community and its ancestors), newest first.
create index notices_feed on notices (region_id, published_at desc) where status = 'published';
create index notices_region on notices (region_id, created_at desc);

create table notice_reads (
  notice_id  uuid not null references notices (id) on delete cascade,
  user_id    uuid not null references users (id),
  region_id  text collate "C" not null references regions (id),
  read_at    timestamptz not null default now(),
  primary key (notice_id, user_id)
);
create index notice_reads_user on notice_reads (user_id);

-- The in-app message center: one row per recipient, written by `deliver()` in the sender's transaction.
create table messages (
  id           uuid primary key default gen_random_uuid(),
  user_id      uuid not null references users (id),
  region_id    text collate "C" not null references regions (id),
  topic        text not null check (topic in ('case', 'wish', 'activity', 'voucher', 'notice', 'partner', 'organization', 'honor')),
  title        text not null,
  body         text not null default '',
  subject_kind text,
  subject_id   text,
  -- Where the app opens it, e.g. '/cases/<id>'; app-relative, never a full URL.
  link         text,
  -- One message per (user, key): a retried sender does not notify twice.
  dedupe_key   text,
  read_at      timestamptz,
  created_at   timestamptz not null default now()
);
create index messages_user on messages (user_id, created_at desc);
create index messages_unread on messages (user_id) where read_at is null;
create unique index messages_dedupe on messages (user_id, dedupe_key) where dedupe_key is not null;

create table message_preferences (
  user_id    uuid not null references users (id),
  topic      text not null check (topic in ('case', 'wish', 'activity', 'voucher', 'notice', 'partner', 'organization', 'honor')),
  in_app     boolean not null,
  outbound   boolean not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, topic)
);

-- Outbound copies (SMS / WeChat template), sent by the `messages.outbound` job with SKIP LOCKED.
create table message_outbox (
  id           bigint generated always as identity primary key,
  message_id   uuid references messages (id) on delete set null,
  user_id      uuid not null references users (id),
  region_id    text collate "C" not null references regions (id),
  topic        text not null,
  title        text not null,
  body         text not null default '',
  link         text,
  dedupe_key   text,
  status       text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts     integer not null default 0,
  next_at      timestamptz not null default now(),
  channel      text,
  last_error   text,
  sent_at      timestamptz,
  created_at   timestamptz not null default now()
);
create index message_outbox_due on message_outbox (next_at) where status = 'pending';
create unique index message_outbox_dedupe on message_outbox (user_id, dedupe_key) where dedupe_key is not null;
