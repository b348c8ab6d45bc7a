-- The desk's lists at a year of cases (measured with 1,000,000 in bench/cases.ts): open cases are a
-- few percent of them, so the lists that only ever show open cases get indexes over open cases
-- alone, holding every column the list filters on, so the count and the page's ids are read from
-- the index without visiting the rows (cases.repository.ts `list` finds the page's ids first).

-- A department handler's queue: the department's open cases, newest first.
create index cases_desk_department on cases (department_id, created_at desc, id) include (status, assignee_id, region_id)
  where status in ('submitted', 'accepted', 'dispatched', 'acknowledged', 'handling', 'extended', 'deferred', 'handled', 'verifying');

-- Overdue (and the escalation job): running clocks by due time, with the region for the scope.
drop index cases_due;
create index cases_due on cases (due_at, id) include (region_id) where due_at is not null;
