//! Registers are snapshots: a street office's workers (stations) register lists everyone as
//! of the month, so importing August's names who of the streets it covers is on record but
//! not in it, and `--missing left --date` records those workers as left — in the import's own
//! transaction, in the change log with the import batch, never unseen.

use nuanfeng::internals::model::id_check_char;
use rust_xlsxwriter::{Format, Workbook};

use crate::util::{Dir, english_run};

/// One worker of a register: 姓名, 身份证号 (birth day and sequence), 手机号, 从业类型,
/// 所属企业, 所属站点, 所属街道, 入职日期.
#[derive(Clone, Copy)]
struct Person {
    name: &'static str,
    born: &'static str,
    seq: &'static str,
    phone: &'static str,
    occupation: &'static str,
    enterprise: &'static str,
    station: &'static str,
    street: &'static str,
    joined: &'static str,
}

impl Person {
    /// A valid 身份证号 of 迎泽区 (GB 11643-1999 check character).
    fn id_number(&self) -> String {
        let first17 = format!("140106{}{}", self.born, self.seq);
        let check = id_check_char(first17.as_bytes()) as char;
        format!("{first17}{check}")
    }
}

const fn p(
    name: &'static str,
    born: &'static str,
    seq: &'static str,
    phone: &'static str,
    occupation: &'static str,
    enterprise: &'static str,
    station: &'static str,
) -> Person {
    Person {
        name,
        born,
        seq,
        phone,
        occupation,
        enterprise,
        station,
        street: "柳巷街道",
        joined: "2024-05-01",
    }
}

/// 柳巷街道's register of July: eight people.
const JULY: [Person; 8] = [
    p(
        "贺新宇",
        "19900312",
        "011",
        "13835101234",
        "快递员",
        "顺丰速运",
        "柳巷顺丰站",
    ),
    p(
        "郭志伟",
        "19880705",
        "031",
        "13623517804",
        "快递员",
        "顺丰速运",
        "柳巷顺丰站",
    ),
    p(
        "李浩",
        "19950120",
        "053",
        "15903514426",
        "快递员",
        "韵达快递",
        "柳巷韵达站",
    ),
    p(
        "王芳",
        "19920809",
        "062",
        "13994211375",
        "快递员",
        "韵达快递",
        "柳巷韵达站",
    ),
    p(
        "赵磊",
        "19870415",
        "075",
        "18635126690",
        "外卖员",
        "美团",
        "",
    ),
    p(
        "刘洋",
        "19930228",
        "017",
        "15034087712",
        "外卖员",
        "美团",
        "",
    ),
    p(
        "陈静",
        "19960611",
        "028",
        "13753142208",
        "快递员",
        "顺丰速运",
        "柳巷顺丰站",
    ),
    p(
        "孙鹏",
        "19910923",
        "039",
        "18803513361",
        "外卖员",
        "饿了么",
        "",
    ),
];

/// Joined in August.
const ZHOU: Person = p(
    "周敏",
    "19970102",
    "044",
    "13513665520",
    "快递员",
    "韵达快递",
    "柳巷韵达站",
);

/// 郝庄镇's one worker, from 郝庄镇's own register.
const MA: Person = Person {
    name: "马超",
    born: "19890517",
    seq: "057",
    phone: "13934578821",
    occupation: "快递员",
    enterprise: "中通快递",
    station: "郝庄中通站",
    street: "郝庄镇",
    joined: "2024-06-01",
};

/// August's register: 贺新宇 gone, 李浩 moved to 柳巷顺丰站, 周敏 new.
fn august() -> Vec<Person> {
    let mut people: Vec<Person> = JULY[1..].to_vec();
    people[1].enterprise = "顺丰速运";
    people[1].station = "柳巷顺丰站";
    people.push(ZHOU);
    people
}

/// Writes a workbook as a street office makes one: a merged title row, the header, the
/// rows, a 合计 line; one sheet, 台账.
fn register(d: &Dir, name: &str, title: &str, header: &[&str], rows: &[Vec<String>]) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("台账").expect("sheet name");
    let last = header.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last, title, &Format::new())
        .expect("title");
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(2 + r as u32, c as u16, cell).expect("cell");
            }
        }
    }
    let total = 2 + rows.len() as u32;
    ws.write_string(total, 0, "合计").expect("total");
    ws.write_string(total, 1, format!("{}人", rows.len()))
        .expect("total");
    book.save(d.join(name)).expect("save the workbook");
}

const WORKER_HEADER: [&str; 8] = [
    "姓名",
    "身份证号",
    "手机号码",
    "从业类型",
    "所属企业",
    "所属站点",
    "所属街道",
    "入职日期",
];

fn workers_register(d: &Dir, name: &str, title: &str, people: &[Person]) {
    let rows: Vec<Vec<String>> = people
        .iter()
        .map(|w| {
            vec![
                w.name.to_string(),
                w.id_number(),
                w.phone.to_string(),
                w.occupation.to_string(),
                w.enterprise.to_string(),
                w.station.to_string(),
                w.street.to_string(),
                w.joined.to_string(),
            ]
        })
        .collect();
    register(d, name, title, &WORKER_HEADER, &rows);
}

/// A stations register of `stations`: (站点名称, 所属企业, 所属街道), all 快递站点.
fn stations_register(d: &Dir, name: &str, stations: &[(&str, &str, &str)]) {
    let rows: Vec<Vec<String>> = stations
        .iter()
        .map(|(n, e, s)| {
            vec![
                n.to_string(),
                "快递站点".into(),
                e.to_string(),
                s.to_string(),
            ]
        })
        .collect();
    register(
        d,
        name,
        "快递站点台账（2025年）",
        &["站点名称", "站点类型", "所属企业", "所属街道"],
        &rows,
    );
}

const STATIONS: [(&str, &str, &str); 3] = [
    ("柳巷顺丰站", "顺丰速运", "柳巷街道"),
    ("柳巷韵达站", "韵达快递", "柳巷街道"),
    ("郝庄中通站", "中通快递", "郝庄镇"),
];

/// A registry with the stations, 郝庄镇's register and 柳巷街道's July register imported;
/// August's register written as 柳巷-8月.xlsx.
fn july() -> Dir {
    let d = Dir::new();
    d.init();
    stations_register(&d, "站点.xlsx", &STATIONS);
    d.nf(&["import", "stations", "站点.xlsx"]).ok();
    workers_register(
        &d,
        "郝庄-7月.xlsx",
        "郝庄镇从业人员台账（2025年7月）",
        &[MA],
    );
    d.nf(&["import", "workers", "郝庄-7月.xlsx"]).ok();
    workers_register(
        &d,
        "柳巷-7月.xlsx",
        "柳巷街道从业人员台账（2025年7月）",
        &JULY,
    );
    let o = d.nf(&["import", "workers", "柳巷-7月.xlsx"]).ok();
    // 郝庄镇's worker is not of the streets 柳巷街道's register covers.
    assert_eq!(
        o.stderr,
        "柳巷-7月.xlsx: 按 工作表“台账”（xlsx） 读取\n\
         柳巷-7月.xlsx[台账]: 共 8 行：新增 8，更新 0，未变 0\n"
    );
    workers_register(
        &d,
        "柳巷-8月.xlsx",
        "柳巷街道从业人员台账（2025年8月）",
        &august(),
    );
    d
}

/// 从业人员 of 柳巷街道 in `month`, as `report streets` counts them.
fn workers_of_liuxiang(d: &Dir, month: &str) -> i64 {
    let report = d
        .nf(&["report", "streets", "--month", month, "--format", "json"])
        .ok()
        .json();
    let streets = report["streets"].as_array().expect("streets");
    let s = streets
        .iter()
        .find(|s| s["street"] == "柳巷街道")
        .expect("柳巷街道");
    s["workers"].as_i64().expect("a count")
}

/// Workers working on some day of `month` (`worker list --month`).
fn listed(d: &Dir, month: &str) -> Vec<String> {
    d.nf(&["worker", "list", "--month", month, "--format", "json"])
        .ok()
        .json_array()
        .iter()
        .map(|w| w["name"].as_str().expect("a name").to_string())
        .collect()
}

/// The lines 贺新宇 is listed by, masked.
const HE: &str = "  贺新宇 140106********0119 138****1234，柳巷顺丰站（柳巷街道）\n";

fn left_on_of(d: &Dir, phone: &str) -> Option<String> {
    d.rows(&format!(
        "SELECT left_on FROM workers WHERE phone = '{phone}'"
    ))[0][0]
        .clone()
}

#[test]
fn august_register_names_the_worker_it_leaves_out_and_keeps_counting_them() {
    let d = july();
    assert_eq!(JULY[0].id_number(), "140106199003120119");
    let o = d.nf(&["import", "workers", "柳巷-8月.xlsx"]).ok();
    assert_eq!(
        o.stderr,
        format!(
            "柳巷-8月.xlsx: 按 工作表“台账”（xlsx） 读取\n\
             柳巷-8月.xlsx[台账]: 共 8 行：新增 1，更新 1，未变 6\n\
             柳巷-8月.xlsx[台账]: 本台账涵盖的街道（柳巷街道）有 1 名在册从业人员不在台账中：\n\
             {HE}\
             他们仍计入从业人员。已离职的：加 --missing left --date 离职日期 一并登记（先加 --dry-run 看会登记谁），或逐人 nuanfeng worker leave 号码 --date 离职日期\n"
        )
    );
    o.hides(&["140106199003120119", "13835101234"]);
    assert_eq!(english_run(&o.stderr), None);
    // Listed, not changed: 贺新宇 still counts, in August and after.
    assert_eq!(left_on_of(&d, "13835101234"), None);
    assert_eq!(workers_of_liuxiang(&d, "2025-08"), 9);
    assert_eq!(workers_of_liuxiang(&d, "2025-09"), 9);
}

#[test]
fn workers_who_left_or_were_purged_are_not_named_as_absent() {
    let d = july();
    // 贺新宇 left on 31 July; 孙鹏 on 20 July, and was purged since.
    d.nf(&["worker", "leave", "13835101234", "--date", "2025-07-31"])
        .ok();
    d.nf(&["worker", "leave", "18803513361", "--date", "2025-07-20"])
        .ok();
    d.nf(&["worker", "purge", "--left-before", "2025-07-25"])
        .ok();
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE purged_on IS NOT NULL"),
        1
    );
    // August's register without 贺新宇, 孙鹏 and 陈静: only 陈静 still works there.
    let chen = JULY[6];
    let people: Vec<Person> = august()
        .into_iter()
        .filter(|w| w.name != "陈静" && w.name != "孙鹏")
        .collect();
    workers_register(
        &d,
        "柳巷-8月.xlsx",
        "柳巷街道从业人员台账（2025年8月）",
        &people,
    );
    let o = d.nf(&["import", "workers", "柳巷-8月.xlsx"]).ok();
    assert_eq!(
        o.stderr,
        format!(
            "柳巷-8月.xlsx: 按 工作表“台账”（xlsx） 读取\n\
             柳巷-8月.xlsx[台账]: 共 6 行：新增 1，更新 1，未变 4\n\
             柳巷-8月.xlsx[台账]: 本台账涵盖的街道（柳巷街道）有 1 名在册从业人员不在台账中：\n\
             \x20 陈静 140106********{} 137****2208，柳巷顺丰站（柳巷街道）\n\
             他们仍计入从业人员。已离职的：加 --missing left --date 离职日期 一并登记（先加 --dry-run 看会登记谁），或逐人 nuanfeng worker leave 号码 --date 离职日期\n",
            &chen.id_number()[14..]
        )
    );
}

#[test]
fn missing_left_dry_run_shows_who_and_changes_nothing() {
    let d = july();
    let changes = d.int("SELECT count(*) FROM change_log");
    let o = d
        .nf(&[
            "import",
            "workers",
            "柳巷-8月.xlsx",
            "--missing",
            "left",
            "--date",
            "2025-08-31",
            "--dry-run",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        format!(
            "柳巷-8月.xlsx: 按 工作表“台账”（xlsx） 读取\n\
             柳巷-8月.xlsx[台账]: 共 8 行：新增 1，更新 1，未变 6 — 试运行：台账库没有改动\n\
             柳巷-8月.xlsx[台账]: 不在台账中的 1 名从业人员将登记为 2025-08-31 离职（本台账涵盖的街道：柳巷街道）— 试运行，没有登记：\n\
             {HE}"
        )
    );
    // -q silences the counts, never who would be (or was) marked as left.
    let quiet = d
        .nf(&[
            "-q",
            "import",
            "workers",
            "柳巷-8月.xlsx",
            "--missing",
            "left",
            "--date",
            "2025-08-31",
            "--dry-run",
        ])
        .ok();
    assert_eq!(
        quiet.stderr,
        format!(
            "柳巷-8月.xlsx[台账]: 不在台账中的 1 名从业人员将登记为 2025-08-31 离职（本台账涵盖的街道：柳巷街道）— 试运行，没有登记：\n{HE}"
        )
    );
    assert_eq!(left_on_of(&d, "13835101234"), None);
    assert_eq!(d.int("SELECT count(*) FROM change_log"), changes);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 9);
    assert_eq!(workers_of_liuxiang(&d, "2025-09"), 8);
    assert!(listed(&d, "2025-09").contains(&"贺新宇".to_string()));
}

#[test]
fn missing_left_records_the_absent_worker_as_left_with_the_import_batch() {
    let d = july();
    let o = d
        .nf(&[
            "import",
            "workers",
            "柳巷-8月.xlsx",
            "--missing",
            "left",
            "--date",
            "2025-08-31",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        format!(
            "柳巷-8月.xlsx: 按 工作表“台账”（xlsx） 读取\n\
             柳巷-8月.xlsx[台账]: 共 8 行：新增 1，更新 1，未变 6\n\
             柳巷-8月.xlsx[台账]: 不在台账中的 1 名从业人员已登记为 2025-08-31 离职（本台账涵盖的街道：柳巷街道）：\n\
             {HE}"
        )
    );
    assert_eq!(left_on_of(&d, "13835101234").as_deref(), Some("2025-08-31"));
    // 郝庄镇's worker is untouched.
    assert_eq!(left_on_of(&d, MA.phone), None);
    // The last day worked counts in August; September drops by one.
    assert_eq!(workers_of_liuxiang(&d, "2025-08"), 9);
    assert_eq!(workers_of_liuxiang(&d, "2025-09"), 8);
    assert!(!listed(&d, "2025-09").contains(&"贺新宇".to_string()));
    // In the change log with August's import batch.
    assert_eq!(
        d.rows(
            "SELECT c.old, c.new, c.command, b.file_name FROM change_log c
             JOIN import_batches b ON b.id = c.batch_id
             WHERE c.entity = 'worker' AND c.field = 'left_on'"
        ),
        vec![vec![
            None,
            Some("2025-08-31".to_string()),
            Some("import workers".to_string()),
            Some("柳巷-8月.xlsx[台账]".to_string()),
        ]]
    );
    d.nf(&["worker", "show", "13835101234"]).ok().stdout_has(&[
        "离职日期",
        "2025-08-31",
        "import workers 柳巷-8月.xlsx[台账]",
    ]);
    // Imported again: nobody is absent any more.
    let again = d
        .nf(&[
            "import",
            "workers",
            "柳巷-8月.xlsx",
            "--missing",
            "left",
            "--date",
            "2025-08-31",
        ])
        .ok();
    assert!(
        again.stderr.ends_with(
            "柳巷-8月.xlsx[台账]: 本台账涵盖的街道（柳巷街道）没有不在台账中的在册从业人员；没有人登记离职\n"
        ),
        "{}",
        again.stderr
    );
}

#[test]
fn a_register_of_one_street_says_nothing_of_another() {
    let d = july();
    // 郝庄镇's register of August: the same one worker; 柳巷街道's eight are not its business.
    workers_register(
        &d,
        "郝庄-8月.xlsx",
        "郝庄镇从业人员台账（2025年8月）",
        &[MA],
    );
    let o = d
        .nf(&[
            "import",
            "workers",
            "郝庄-8月.xlsx",
            "--missing",
            "left",
            "--date",
            "2025-08-31",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "郝庄-8月.xlsx: 按 工作表“台账”（xlsx） 读取\n\
         郝庄-8月.xlsx[台账]: 共 1 行：新增 0，更新 0，未变 1\n\
         郝庄-8月.xlsx[台账]: 本台账涵盖的街道（郝庄镇）没有不在台账中的在册从业人员；没有人登记离职\n"
    );
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE left_on IS NOT NULL"),
        0
    );
}

#[test]
fn a_worker_who_joined_after_the_date_is_refused_and_nothing_lands() {
    let d = Dir::new();
    d.init();
    stations_register(&d, "站点.xlsx", &STATIONS);
    d.nf(&["import", "stations", "站点.xlsx"]).ok();
    let mut july = JULY;
    july[0].joined = "2025-09-05";
    workers_register(
        &d,
        "柳巷-7月.xlsx",
        "柳巷街道从业人员台账（2025年7月）",
        &july,
    );
    d.nf(&["import", "workers", "柳巷-7月.xlsx"]).ok();
    workers_register(
        &d,
        "柳巷-8月.xlsx",
        "柳巷街道从业人员台账（2025年8月）",
        &august(),
    );
    let o = d
        .nf(&[
            "import",
            "workers",
            "柳巷-8月.xlsx",
            "--missing",
            "left",
            "--date",
            "2025-08-31",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "柳巷-8月.xlsx: 按 工作表“台账”（xlsx） 读取\n\
         错误：柳巷-8月.xlsx[台账]: 不在台账中的 1 名从业人员里有 1 名不能登记为 2025-08-31 离职，整个文件没有导入：\n  \
         贺新宇 140106********0119 138****1234: 离职日期 2025-08-31 早于入职日期 2025-09-05\n\
         改用不早于上面日期的 --date，或先用 nuanfeng worker leave 逐人登记各自的离职日期，再导入本台账\n"
    );
    // Nothing of the file landed: 周敏 is not registered, 李浩 has not moved.
    assert_eq!(d.int("SELECT count(*) FROM workers"), 8);
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE left_on IS NOT NULL"),
        0
    );
    assert_eq!(
        d.int("SELECT count(*) FROM import_batches WHERE file_name LIKE '柳巷-8月%'"),
        0
    );
}

#[test]
fn with_rejected_rows_nobody_is_marked_as_left() {
    let d = july();
    let mut people = august();
    people[0].phone = "1362351780";
    people[0].seq = "03";
    workers_register(
        &d,
        "柳巷-8月.xlsx",
        "柳巷街道从业人员台账（2025年8月）",
        &people,
    );
    let o = d
        .nf(&[
            "import",
            "workers",
            "柳巷-8月.xlsx",
            "--skip-invalid",
            "--missing",
            "left",
            "--date",
            "2025-08-31",
        ])
        .ok();
    // 郭志伟's row is refused: he may be absent only because of it.
    o.stderr_has(&[
        "柳巷-8月.xlsx[台账]: 本台账涵盖的街道（柳巷街道）有 2 名在册从业人员不在台账中：\n",
        HE,
        "  郭志伟 140106********0318 136****7804，柳巷顺丰站（柳巷街道）\n",
        "有 1 行有问题没有导入，其中的人可能就在上面的名单里：没有登记任何人离职；改正这些行后再导入\n",
    ]);
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE left_on IS NOT NULL"),
        0
    );
}

#[test]
fn stations_register_names_the_stations_it_leaves_out() {
    let d = july();
    stations_register(&d, "站点-8月.xlsx", &[STATIONS[0]]);
    let o = d.nf(&["import", "stations", "站点-8月.xlsx"]).ok();
    assert_eq!(
        o.stderr,
        "站点-8月.xlsx: 按 工作表“台账”（xlsx） 读取\n\
         站点-8月.xlsx[台账]: 共 1 行：新增 0，更新 0，未变 1\n\
         站点-8月.xlsx[台账]: 本台账涵盖的街道（柳巷街道）有 1 个在册站点不在台账中：\n  \
         柳巷韵达站（柳巷街道），在册从业人员 2 人\n\
         站点没有“撤销”状态：这些站点和它们的从业人员照常计数；站点已撤销的，请把其从业人员调到别的站点或登记离职\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM stations"), 3);
    // Stations have no closed state to record.
    let o = d
        .nf(&[
            "import",
            "stations",
            "站点-8月.xlsx",
            "--missing",
            "left",
            "--date",
            "2025-08-31",
        ])
        .code(2);
    assert_eq!(
        o.stderr,
        "错误：站点没有“撤销”状态，--missing left 只用于 import workers；import stations 只列出不在台账中的站点\n"
    );
}

#[test]
fn missing_and_date_are_refused_where_they_mean_nothing() {
    let d = july();
    for (args, message) in [
        (
            vec!["import", "workers", "柳巷-8月.xlsx", "--missing", "left"],
            "错误：--missing left 需要 --date 离职日期，例如 --missing left --date 2025-08-31\n",
        ),
        (
            vec!["import", "workers", "柳巷-8月.xlsx", "--date", "2025-08-31"],
            "错误：--date 是不在台账中的从业人员的离职日期，只和 --missing left 一起用\n",
        ),
        (
            vec![
                "import",
                "checkins",
                "柳巷-8月.xlsx",
                "--missing",
                "left",
                "--date",
                "2025-08-31",
            ],
            "错误：--missing 只用于 import workers 和 import stations（人员和站点台账是当月的全量名单）\n",
        ),
    ] {
        let o = d.nf(&args).code(2);
        assert_eq!(o.stderr, message, "{args:?}");
    }
    assert_eq!(d.int("SELECT count(*) FROM workers"), 8 + 1);
}

#[test]
fn in_english_the_absent_workers_are_named_the_same_way() {
    let d = july();
    let o = d
        .nf(&["--lang", "en", "import", "workers", "柳巷-8月.xlsx"])
        .ok();
    assert_eq!(
        o.stderr,
        "柳巷-8月.xlsx: read as sheet 台账 (xlsx)\n\
         柳巷-8月.xlsx[台账]: 8 rows: 1 new, 1 updated, 6 unchanged\n\
         柳巷-8月.xlsx[台账]: 1 worker on record in the streets this register covers (柳巷街道) is not in it:\n  \
         贺新宇 140106********0119 138****1234, 柳巷顺丰站 (柳巷街道)\n\
         They still count as workers. For those who left: add --missing left --date DATE to record them all (add --dry-run first to see who), or one by one: nuanfeng worker leave NUMBER --date DATE\n"
    );
    let o = d
        .nf(&[
            "--lang",
            "en",
            "import",
            "workers",
            "柳巷-8月.xlsx",
            "--missing",
            "left",
            "--date",
            "2025-08-31",
        ])
        .ok();
    assert!(
        o.stderr.ends_with(
            "柳巷-8月.xlsx[台账]: 1 worker absent from the register was recorded as left on 2025-08-31 (the streets it covers: 柳巷街道):\n  \
             贺新宇 140106********0119 138****1234, 柳巷顺丰站 (柳巷街道)\n"
        ),
        "{}",
        o.stderr
    );
}

/// 贺新宇 as 郝庄镇's register of August lists him: moved to 郝庄中通站, no 离职日期.
fn he_in_haozhuang() -> Person {
    Person {
        enterprise: "中通快递",
        station: "郝庄中通站",
        street: "郝庄镇",
        ..JULY[0]
    }
}

#[test]
fn a_register_naming_a_worker_recorded_as_left_says_so_and_keeps_the_date() {
    let d = july();
    d.nf(&[
        "import",
        "workers",
        "柳巷-8月.xlsx",
        "--missing",
        "left",
        "--date",
        "2025-08-31",
    ])
    .ok();
    assert_eq!(left_on_of(&d, "13835101234").as_deref(), Some("2025-08-31"));
    // 郝庄镇's register lists him: he moved to 郝庄中通站, the row gives no 离职日期.
    workers_register(
        &d,
        "郝庄-8月.xlsx",
        "郝庄镇从业人员台账（2025年8月）",
        &[MA, he_in_haozhuang()],
    );
    let said = "郝庄-8月.xlsx[台账]: 台账中有 1 名从业人员已登记为离职，台账这一行没有填离职日期：\n  \
                贺新宇 140106********0119 138****1234，郝庄中通站（郝庄镇），2025-08-31 离职\n\
                此人仍登记为离职，不计入从业人员（离职日期没有改动）。若已重新上岗：nuanfeng worker rejoin 贺新宇\n";
    let o = d
        .nf(&["import", "workers", "郝庄-8月.xlsx", "--dry-run"])
        .ok();
    assert_eq!(
        o.stderr,
        format!(
            "郝庄-8月.xlsx: 按 工作表“台账”（xlsx） 读取\n\
             郝庄-8月.xlsx[台账]: 共 2 行：新增 0，更新 1，未变 1 — 试运行：台账库没有改动\n\
             {said}"
        )
    );
    let o = d.nf(&["import", "workers", "郝庄-8月.xlsx"]).ok();
    assert_eq!(
        o.stderr,
        format!(
            "郝庄-8月.xlsx: 按 工作表“台账”（xlsx） 读取\n\
             郝庄-8月.xlsx[台账]: 共 2 行：新增 0，更新 1，未变 1\n\
             {said}"
        )
    );
    o.hides(&["140106199003120119", "13835101234"]);
    // The row's other values were taken; the 离职日期 stays.
    assert_eq!(
        d.rows(
            "SELECT st.name, s.name, w.left_on FROM workers w
             JOIN streets s ON s.id = w.street_id JOIN stations st ON st.id = w.station_id
             WHERE w.phone = '13835101234'"
        ),
        [[
            Some("郝庄中通站".to_string()),
            Some("郝庄镇".to_string()),
            Some("2025-08-31".to_string())
        ]]
    );
    // Imported again, it says so again.
    let o = d.nf(&["import", "workers", "郝庄-8月.xlsx"]).ok();
    assert!(o.stderr.ends_with(said), "{}", o.stderr);
    // -q silences it, like the list of absent workers.
    assert_eq!(
        d.nf(&["-q", "import", "workers", "郝庄-8月.xlsx"])
            .ok()
            .stderr,
        ""
    );
    let o = d
        .nf(&["--lang", "en", "import", "workers", "郝庄-8月.xlsx"])
        .ok();
    assert!(
        o.stderr.ends_with(
            "郝庄-8月.xlsx[台账]: 1 worker in the register is recorded as left, and the row gives no 离职日期:\n  \
             贺新宇 140106********0119 138****1234, 郝庄中通站 (郝庄镇), left on 2025-08-31\n\
             They stay recorded as left and do not count as workers (the 离职日期 is unchanged). \
             If they work again: nuanfeng worker rejoin 贺新宇\n"
        ),
        "{}",
        o.stderr
    );
    // The hint works.
    d.nf(&["worker", "rejoin", "贺新宇"])
        .ok()
        .stderr_has(&["贺新宇 重新上岗：离职日期 2025-08-31 已清除"]);
    assert_eq!(left_on_of(&d, "13835101234"), None);
    assert!(
        !d.nf(&["import", "workers", "郝庄-8月.xlsx"])
            .ok()
            .stderr
            .contains("离职")
    );
}

#[test]
fn several_workers_recorded_as_left_are_all_listed_with_one_rejoin() {
    let d = july();
    // August's register without 贺新宇 and 郭志伟: both recorded as left.
    let people: Vec<Person> = august()
        .into_iter()
        .filter(|p| p.name != "郭志伟")
        .collect();
    workers_register(
        &d,
        "柳巷-8月.xlsx",
        "柳巷街道从业人员台账（2025年8月）",
        &people,
    );
    d.nf(&[
        "import",
        "workers",
        "柳巷-8月.xlsx",
        "--missing",
        "left",
        "--date",
        "2025-08-31",
    ])
    .ok();
    // Another 郭志伟, who left too: the name alone no longer tells which.
    d.nf(&[
        "worker",
        "add",
        "--name",
        "郭志伟",
        "--phone",
        "13700001111",
        "--occupation",
        "外卖员",
        "--street",
        "郝庄镇",
    ])
    .ok();
    d.nf(&["worker", "leave", "13700001111", "--date", "2025-08-15"])
        .ok();
    // July's register imported again lists both, in full.
    let o = d.nf(&["import", "workers", "柳巷-7月.xlsx"]).ok();
    assert!(
        o.stderr.ends_with(
            "柳巷-7月.xlsx[台账]: 台账中有 2 名从业人员已登记为离职，台账这些行没有填离职日期：\n  \
             贺新宇 140106********0119 138****1234，柳巷顺丰站（柳巷街道），2025-08-31 离职\n  \
             郭志伟 140106********0318 136****7804，柳巷顺丰站（柳巷街道），2025-08-31 离职\n\
             他们仍登记为离职，不计入从业人员（离职日期没有改动）。已重新上岗的：nuanfeng worker rejoin 贺新宇（只写其中重新上岗的人）\n\
             郭志伟 与另一名已离职的从业人员同名：请用号码，nuanfeng worker rejoin 号码（nuanfeng worker list --all --show-pii 列出完整号码）\n"
        ),
        "{}",
        o.stderr
    );
    // Several at once, all or none.
    let o = d.nf(&["worker", "rejoin", "贺新宇", "13623517804"]).ok();
    assert_eq!(
        o.stderr,
        "贺新宇 重新上岗：离职日期 2025-08-31 已清除（台账中每人只记一段在职期，中间的月份也会计入）\n\
         郭志伟 重新上岗：离职日期 2025-08-31 已清除（台账中每人只记一段在职期，中间的月份也会计入）\n"
    );
    d.nf(&["worker", "rejoin", "13835101234", "李四"]).code(1);
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE left_on IS NOT NULL"),
        1
    );
}
