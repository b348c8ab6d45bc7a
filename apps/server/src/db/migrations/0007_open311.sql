-- Cases from outside the app (Open311 GeoReport v2, city hotline integrations): no account of ours
-- reports them, so the reporter may be null; the channel is recorded, and what the outside reporter
-- left for contact is kept apart from the case, for staff only.

alter table cases alter column reporter_id drop not null;
alter table cases add column source text not null default 'app' check (source in ('app', 'open311'));
alter table cases add constraint cases_app_has_reporter check (source <> 'app' or reporter_id is not null);
-- Open311 GET requests: the newest first within a date window, over every case.
create index cases_created on cases (created_at desc);

-- What an outside channel sent about the reporter, and the link to their own photo. Personal data:
-- shown only in the staff case view (masked, the read audited), never by a public route.
create table case_external_reporters (
  case_id     uuid primary key references cases (id),
  region_id   text collate "C" not null references regions (id),
  first_name  text,
  last_name   text,
  email       text,
  phone       text,
  device_id   text,
  account_id  text,
  media_url   text,
  created_at  timestamptz not null default now()
);

-- One row per request filed through Open311: the token handed back, the service attributes as sent,
-- and the (hashed) api_key and address it came from, which the per key+IP rate limit counts.
create table open311_requests (
  case_id        uuid primary key references cases (id),
  token          text not null unique,
  service_code   text not null,
  attributes     jsonb not null default '{}',
  address_string text,
  api_key_hash   text not null,
  ip             text not null,
  created_at     timestamptz not null default now()
);
create index open311_requests_limit on open311_requests (api_key_hash, ip, created_at);
