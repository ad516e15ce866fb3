-- Version 4: party organizations, the stations they cover (dated), party members' membership
-- (registered in one of ours, or elsewhere: a mobile member) and the membership pipeline.
CREATE TABLE party_orgs (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('industry_committee', 'branch', 'joint_branch', 'functional_branch')),
    parent_id  INTEGER REFERENCES party_orgs(id),
    street_id  INTEGER REFERENCES streets(id),
    founded_on TEXT,                     -- 'YYYY-MM-DD'
    secretary  TEXT,                     -- 书记
    batch_id   INTEGER REFERENCES import_batches(id)
);
-- 组织覆盖: which organization covers a station, from which day until which day (NULL while it
-- still does). A station is covered by at most one organization at a time.
CREATE TABLE org_coverage (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES party_orgs(id),
    station_id INTEGER NOT NULL REFERENCES stations(id),
    from_on    TEXT NOT NULL,
    until_on   TEXT,                     -- last day covered
    CHECK (until_on IS NULL OR until_on >= from_on)
);
CREATE UNIQUE INDEX org_coverage_current ON org_coverage(station_id) WHERE until_on IS NULL;
CREATE INDEX org_coverage_org ON org_coverage(org_id);
-- 组织关系: where a party member's membership is registered — one of ours (org_id, home_org
-- NULL), or elsewhere (home_org, the home branch as written): a mobile member (流动党员),
-- attached to org_id for activities (双重管理).
CREATE TABLE memberships (
    worker_id INTEGER PRIMARY KEY REFERENCES workers(id),
    org_id    INTEGER REFERENCES party_orgs(id),
    home_org  TEXT,
    CHECK (org_id IS NOT NULL OR home_org IS NOT NULL)
);
-- 入党: the membership pipeline, appended stage by stage (applicant → activist → candidate →
-- probationary → full_member), never overwritten.
CREATE TABLE worker_stages (
    id            INTEGER PRIMARY KEY,
    worker_id     INTEGER NOT NULL REFERENCES workers(id),
    stage         TEXT NOT NULL CHECK (stage IN ('applicant', 'activist', 'candidate', 'probationary', 'full_member')),
    date          TEXT NOT NULL,
    instructor_id INTEGER REFERENCES instructors(id),
    operator      TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    UNIQUE (worker_id, stage)
);
CREATE INDEX worker_stages_date ON worker_stages(date);
CREATE TRIGGER worker_stages_no_update BEFORE UPDATE ON worker_stages
BEGIN
    SELECT RAISE(ABORT, 'worker_stages is append-only: stages are never overwritten');
END;
CREATE TRIGGER worker_stages_no_delete BEFORE DELETE ON worker_stages
BEGIN
    SELECT RAISE(ABORT, 'worker_stages is append-only: stages are never overwritten');
END;
