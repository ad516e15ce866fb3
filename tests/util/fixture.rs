//! The registries the tests start from, built through the real import commands (never by
//! writing the file behind the program's back, but for the two organizations of
//! [`membership_district`]):
//!
//! - [`district`] and its builder [`District`]: the sample district of
//!   `tests/fixtures/district/` — 迎泽区's 7 streets and 112 communities, 5 stations, the 8
//!   workers of [`DISTRICT_WORKERS`] — and, as asked, its check-ins (10), its points entries
//!   (8), more stations and party organizations (`tests/fixtures/orgs/`) and the registers of
//!   `tests/fixtures/records/`;
//! - [`membership_district`]: the district's streets and stations with two party
//!   organizations, an instructor and the workers of `tests/fixtures/membership/`;
//! - [`coverage_district`]: the coverage registers of `tests/fixtures/coverage/`.

use super::Dir;

/// The seven streets and towns of 迎泽区 (NBS 2023), in code order: what `init --district
/// 140106` seeds.
pub const YINGZE: [(&str, &str); 7] = [
    ("140106001", "柳巷街道"),
    ("140106002", "文庙街道"),
    ("140106003", "庙前街道"),
    ("140106004", "迎泽街道"),
    ("140106005", "桥东街道"),
    ("140106006", "老军营街道"),
    ("140106100", "郝庄镇"),
];

/// The district's workers (`district/workers.csv`): name, 手机号, 身份证号.
pub const DISTRICT_WORKERS: [(&str, &str, &str); 8] = [
    ("郭志伟", "13623517804", "140106198503126010"),
    ("李浩", "15903514426", "140105199407086213"),
    ("张敏", "18636021759", "140107199702216407"),
    ("王宇", "17735240683", "140106200109156596"),
    ("赵海峰", "13935187026", "140105197904306775"),
    ("高建平", "13303456198", "140107197601186975"),
    ("杨丽", "15135296642", "140106199006037169"),
    ("陈磊", "18834071935", "140105198808277358"),
];

/// Every 手机号 and 身份证号 of [`DISTRICT_WORKERS`]: what no output may show in full unless
/// `--show-pii` is given.
pub fn district_secrets() -> Vec<&'static str> {
    DISTRICT_WORKERS
        .iter()
        .flat_map(|(_, p, i)| [*p, *i])
        .collect()
}

/// The district's streets, stations (5) and workers (8), after `init --district 140106`:
/// `District::new().build()`.
pub fn district() -> Dir {
    District::new().build()
}

/// What the sample district holds, registers imported in this order: `init --district
/// 140106` (unless [`without_init`](Self::without_init)), `district/streets.csv`,
/// `district/stations.csv`, [`org_stations`](Self::org_stations), `district/workers.csv`,
/// then [`checkins`](Self::checkins), [`points`](Self::points), [`orgs`](Self::orgs) and
/// [`records`](Self::records). Each import must succeed with the counts its file holds.
#[derive(Clone, Copy, Debug, Default)]
pub struct District {
    without_init: bool,
    org_stations: bool,
    checkins: bool,
    points: bool,
    orgs: bool,
    records: bool,
}

impl District {
    /// The streets, stations and workers only.
    pub fn new() -> Self {
        Self::default()
    }

    /// No `init`: the streets register makes the registry, and brings the 7 streets itself
    /// (119 rows, 119 new).
    pub fn without_init(mut self) -> Self {
        self.without_init = true;
        self
    }

    /// And the 5 stations of `orgs/stations.csv` (two of them called 菜鸟驿站, in 文庙街道 and
    /// 郝庄镇), imported after the district's own (so `stations.csv` in the folder is that file).
    pub fn org_stations(mut self) -> Self {
        self.org_stations = true;
        self
    }

    /// And `district/checkins.csv`: 10 check-ins.
    pub fn checkins(mut self) -> Self {
        self.checkins = true;
        self
    }

    /// And `district/points.csv`: entries 1–8.
    pub fn points(mut self) -> Self {
        self.points = true;
        self
    }

    /// And the party organizations of `orgs/orgs.csv` (4, the committee listed last),
    /// imported by [`OPERATOR`](super::OPERATOR); implies [`org_stations`](Self::org_stations).
    pub fn orgs(mut self) -> Self {
        self.org_stations = true;
        self.orgs = true;
        self
    }

    /// And every register of `records/` (services, tips, instructors, wishes, awards),
    /// imported by [`OPERATOR`](super::OPERATOR).
    pub fn records(mut self) -> Self {
        self.records = true;
        self
    }

    /// A new folder holding the registry.
    pub fn build(self) -> Dir {
        let d = Dir::new();
        if self.without_init {
            d.import("streets", "district/streets.csv")
                .stderr_has(&["streets.csv: 共 119 行：新增 119，更新 0，未变 0"]);
        } else {
            d.init();
            // init seeded the official streets and communities: the NBS list adds nothing.
            d.import("streets", "district/streets.csv")
                .stderr_has(&["streets.csv: 共 119 行：新增 0，更新 0，未变 119"]);
        }
        d.import("stations", "district/stations.csv")
            .stderr_has(&["stations.csv: 共 5 行：新增 5"]);
        if self.org_stations {
            d.import("stations", "orgs/stations.csv")
                .stderr_has(&["stations.csv: 共 5 行：新增 5"]);
        }
        d.import("workers", "district/workers.csv")
            .stderr_has(&["workers.csv: 共 8 行：新增 8"]);
        if self.checkins {
            d.import("checkins", "district/checkins.csv")
                .stderr_has(&["checkins.csv: 共 10 行：新增 10"]);
        }
        if self.points {
            d.import("points", "district/points.csv")
                .stderr_has(&["points.csv: 共 8 行：新增 8"]);
            assert_eq!(d.int("SELECT count(*) FROM point_entries"), 8);
        }
        let by_operator = |kind: &str, rel: &str, summary: &str| {
            let name = d.copy(rel);
            d.by_operator(&["import", kind, &name])
                .ok()
                .stderr_has(&[&format!("{name}: {summary}")]);
        };
        if self.orgs {
            by_operator("orgs", "orgs/orgs.csv", "共 4 行：新增 4，更新 0，未变 0");
        }
        if self.records {
            for (kind, rel, summary) in [
                ("services", "records/services.csv", "共 5 行：新增 5"),
                ("tips", "records/tips.csv", "共 7 行：新增 7"),
                ("instructors", "records/instructors.csv", "共 2 行：新增 2"),
                ("wishes", "records/wishes.csv", "共 2 行：新增 2"),
                ("awards", "records/awards.csv", "共 2 行：新增 2"),
            ] {
                by_operator(kind, rel, &format!("{summary}，更新 0，未变 0"));
            }
        }
        d
    }
}

/// The district's streets and stations, two party organizations (the industry committee and
/// the 顺丰速运柳巷营业部 branch, written into the file by `membership/orgs.sql`), an instructor
/// (`records/instructors.csv`) and the workers of `membership/workers.csv`.
pub fn membership_district() -> Dir {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    d.import("stations", "district/stations.csv");
    d.import("instructors", "records/instructors.csv");
    d.conn()
        .execute_batch(
            &String::from_utf8(super::fixture_bytes("membership/orgs.sql")).expect("UTF-8 SQL"),
        )
        .expect("the organizations");
    d.import("workers", "membership/workers.csv");
    d
}

/// 迎泽区 (`init --district 140106`: seven streets) with the coverage registers of
/// `tests/fixtures/coverage/`: 42 stations, 7 party organizations, 5 instructors, 23
/// workers.
pub fn coverage_district() -> Dir {
    let d = Dir::new();
    d.init();
    d.import("stations", "coverage/stations.csv")
        .stderr_has(&["共 42 行：新增 42"]);
    d.import("orgs", "coverage/orgs.csv")
        .stderr_has(&["共 7 行：新增 7"]);
    d.import("instructors", "coverage/instructors.csv")
        .stderr_has(&["共 5 行：新增 5"]);
    d.import("workers", "coverage/workers.csv")
        .stderr_has(&["共 23 行：新增 23"]);
    d
}
