-- Version 9: narrow indexes holding everything the report figures read from workers (the
-- stock figures) and from point_entries (points earned and redeemed by date), so a report
-- reads them without the wide rows (the second replaces the index on the date alone); and the
-- services and reports of one worker, for `report worker`.
CREATE INDEX workers_stock ON workers(street_id, station_id, political_status, joined_on, left_on);
DROP INDEX point_entries_date;
CREATE INDEX point_entries_figures ON point_entries(date, worker_id, points, kind, reverses);
CREATE INDEX services_worker ON services(worker_id);
CREATE INDEX tips_worker ON tips(worker_id);
