-- Photos. The bytes live in the media store (a local directory by default); a row says whose
-- upload it is and what it belongs to. A photo not attached within a day is deleted by a job.

create table media (
  id          uuid primary key,
  owner_id    uuid not null references users (id),
  -- sha-256 of the bytes as uploaded: a retried upload of the same photo gets the same row back.
  sha256      text not null,
  width       integer not null check (width > 0),
  height      integer not null check (height > 0),
  bytes       integer not null check (bytes > 0),
  -- What the photo illustrates, e.g. 'claim:<id>' or 'case:<id>'; null until a form names it.
  attached_to text,
  created_at  timestamptz not null default now()
);
create unique index media_unattached_upload on media (owner_id, sha256) where attached_to is null;
create index media_unattached_age on media (created_at) where attached_to is null;

-- Secrets the server processes share (each process must sign photo links the others accept).
create table app_secrets (
  name       text primary key,
  value      text not null,
  created_at timestamptz not null default now()
);

-- Proof photos on a worker's points claim (at most nine, checked by the API).
alter table points_claims add column photo_ids uuid[] not null default '{}';
