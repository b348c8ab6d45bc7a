-- Every server process keeps the case catalogue in memory, so filing a report needs no read
-- before its write (modules/cases/case-category-cache.ts). Whatever changes a category (the
-- console, an import, a script in psql) announces it on 'nx_case_category' when it commits, and
-- every process reloads the catalogue; a time limit on the copy bounds a missed announcement.

create function announce_case_categories_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('nx_case_category', '');
  return null;
end $$;

create trigger case_categories_announce after insert or update or delete or truncate on case_categories
  for each statement execute function announce_case_categories_changed();
