-- A desk's "new" list is one status, newest first, under a region prefix. The workbench index
-- (status, region_id, created_at) orders by time only within one exact region, so for a street
-- (its communities together) the whole status had to be sorted: 57,715 submitted cases of a street
-- took 304 ms for page 50. In time order, with the region beside it, the scan stops after the
-- page's rows: 0.8 ms for the same page (EXPLAIN ANALYZE at 1,100,000 cases).
create index cases_status_created on cases (status, created_at desc, id) include (region_id);
