//! A worker is one person through changes of number, and is named by 姓名 at the terminal:
//! the numbers a worker had before (`worker_numbers`) still find them in earlier exports and
//! commands; a number that has passed to somebody else is refused naming both; a name shared
//! by several workers lists them to choose by number.
//!
//! The registry: the sample district, then a 柳巷街道 workers register as the street office
//! sends it (.xlsx: title row, header, 合计 row), the platform's July check-in export (CSV in
//! GBK) and July points export.

use rust_xlsxwriter::{Format, Workbook};

use crate::util::{Dir, district};

/// 贺新宇's 手机号 in July (the exports carry it).
const HE_JULY: &str = "15935106218";
/// 贺新宇's 手机号 from August.
const HE_AUGUST: &str = "13994417263";
/// 贺新宇's 身份证号.
const HE_ID: &str = "14010619920315441X";

/// Columns of the street's register.
const HEADER: [&str; 13] = [
    "序号",
    "姓名",
    "性别",
    "手机号",
    "身份证号",
    "政治面貌",
    "从业类型",
    "所属企业",
    "所属站点",
    "所属街道",
    "所属社区",
    "入职日期",
    "离职日期",
];

/// One person of the register: 姓名, 性别, 手机号, 身份证号, 从业类型, 所属企业, 所属站点,
/// 所属社区, 入职日期, 离职日期 (所属街道 is 柳巷街道, 政治面貌 群众 but for 贺新宇).
type Person = [&'static str; 10];

/// The July register of 柳巷街道: two 王磊 at different stations, and 张三 who left in June.
const JULY: [Person; 4] = [
    [
        "贺新宇",
        "男",
        HE_JULY,
        HE_ID,
        "外卖员",
        "美团",
        "美团柳巷站",
        "宁化府社区居委会",
        "2025-03-01",
        "",
    ],
    [
        "王磊",
        "男",
        "13623518847",
        "140106198807216330",
        "快递员",
        "顺丰速运",
        "顺丰速运柳巷营业部",
        "察院后社区居委会",
        "2024-05-10",
        "",
    ],
    [
        "王磊",
        "男",
        "18703512290",
        "140105199509102413",
        "外卖员",
        "美团",
        "美团柳巷站",
        "宁化府社区居委会",
        "2025-01-15",
        "",
    ],
    [
        "张三",
        "男",
        "15035617720",
        "140107198612055238",
        "外卖员",
        "美团",
        "美团柳巷站",
        "宁化府社区居委会",
        "2024-02-01",
        "2025-06-30",
    ],
];

/// 苏婉, new in August with the 手机号 贺新宇 gave up.
const SU_WAN: Person = [
    "苏婉",
    "女",
    HE_JULY,
    "140106199001028028",
    "快递员",
    "顺丰速运",
    "顺丰速运柳巷营业部",
    "察院后社区居委会",
    "2025-08-05",
    "",
];

/// Writes the register `people` as the street office does: a merged title row, the header,
/// the people (numbers as text), a 合计 row.
fn register(d: &Dir, file: &str, month: &str, people: &[Person]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("台账").unwrap();
    let title = Format::new().set_bold();
    sheet
        .merge_range(
            0,
            0,
            0,
            12,
            &format!("柳巷街道新就业群体从业人员台账（{month}）"),
            &title,
        )
        .unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    for (i, p) in people.iter().enumerate() {
        let r = i as u32 + 2;
        let status = if p[0] == "贺新宇" {
            "中共党员"
        } else {
            "群众"
        };
        let cells = [
            &(i + 1).to_string(),
            p[0],
            p[1],
            p[2],
            p[3],
            status,
            p[4],
            p[5],
            p[6],
            "柳巷街道",
            p[7],
            p[8],
            p[9],
        ];
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r, c as u16, *v).unwrap();
            }
        }
    }
    let r = people.len() as u32 + 2;
    sheet.write_string(r, 0, "合计").unwrap();
    sheet
        .write_string(r, 1, format!("{}人", people.len()))
        .unwrap();
    book.save(d.join(file)).unwrap();
}

/// The platform's July check-in export: 姓名 and 手机号, in GBK.
const CHECKINS_JULY: &str = "姓名,手机号,报到日期,报到街道,报到社区,事项\r\n\
贺新宇,15935106218,2025-07-03,柳巷街道,宁化府社区居委会,日常报到\r\n\
贺新宇,15935106218,2025-07-20,柳巷街道,宁化府社区居委会,参加培训\r\n\
王磊,13623518847,2025-07-05,柳巷街道,察院后社区居委会,日常报到\r\n\
王磊,18703512290,2025-07-05,柳巷街道,宁化府社区居委会,日常报到\r\n";

/// The July points export.
const POINTS_JULY: &str = "姓名,手机号,日期,类别,积分,说明\n\
贺新宇,15935106218,2025-07-03,志愿服务,10,参加反诈宣传\n\
贺新宇,15935106218,2025-07-21,随手拍,5,上报占道经营\n\
王磊,18703512290,2025-07-06,志愿服务,10,参加反诈宣传\n";

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// The district with 柳巷街道's July register and July exports imported.
fn july() -> Dir {
    let d = district();
    register(&d, "柳巷街道从业人员台账-7月.xlsx", "2025年7月", &JULY);
    d.nf(&["import", "workers", "柳巷街道从业人员台账-7月.xlsx"])
        .ok()
        .stderr_has(&["共 4 行：新增 4，更新 0，未变 0"]);
    d.write("报到记录-7月.csv", gbk(CHECKINS_JULY));
    d.nf(&["import", "checkins", "报到记录-7月.csv"])
        .ok()
        .stderr_has(&["按 GB18030 (GBK) 读取", "共 4 行：新增 4，更新 0，未变 0"]);
    d.write("积分记录-7月.csv", POINTS_JULY);
    d.nf(&["import", "points", "积分记录-7月.csv"])
        .ok()
        .stderr_has(&["共 3 行：新增 3，更新 0，未变 0"]);
    d
}

/// The July figures of 柳巷街道 as `report streets` prints them (JSON), and 贺新宇's ledger
/// sum.
fn july_figures(d: &Dir) -> (String, i64) {
    let o = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "json",
        ])
        .ok();
    let sum = d.int(&format!(
        "SELECT sum(p.points) FROM point_entries p JOIN workers w ON w.id = p.worker_id
         WHERE w.id_number = '{HE_ID}'"
    ));
    (o.stdout, sum)
}

/// Imports the July exports again: nothing changes, and the figures are the same.
fn july_again_changes_nothing(d: &Dir, before: &(String, i64)) {
    let (checkins, points) = (
        d.int("SELECT count(*) FROM checkins"),
        d.int("SELECT count(*) FROM point_entries"),
    );
    d.nf(&["import", "checkins", "报到记录-7月.csv"])
        .ok()
        .stderr_has(&["共 4 行：新增 0，更新 0，未变 4", "没有变化"]);
    d.nf(&["import", "points", "积分记录-7月.csv"])
        .ok()
        .stderr_has(&["共 3 行：新增 0，更新 0，未变 3", "没有变化"]);
    assert_eq!(d.int("SELECT count(*) FROM checkins"), checkins);
    assert_eq!(d.int("SELECT count(*) FROM point_entries"), points);
    assert_eq!(&july_figures(d), before);
}

/// The rows of `worker_numbers`: kind, number, holder's name, whether `until` is today.
fn former_numbers(d: &Dir) -> Vec<Vec<Option<String>>> {
    d.rows(
        "SELECT n.kind, n.number, w.name, n.until = date('now', 'localtime')
         FROM worker_numbers n JOIN workers w ON w.id = n.worker_id ORDER BY n.id",
    )
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

#[test]
fn july_exports_import_again_after_worker_update_changed_the_phone() {
    let d = july();
    let before = july_figures(&d);
    let r: serde_json::Value = serde_json::from_str(&before.0).unwrap();
    // 柳巷街道: the export's 4 check-ins, by 3 workers.
    assert_eq!(r["streets"][0]["checkins"], 4);
    assert_eq!(r["streets"][0]["checkin_workers"], 3);
    assert_eq!(before.1, 15);

    // The phone changed, 贺新宇 named by name.
    d.nf(&["worker", "update", "贺新宇", "--phone", HE_AUGUST])
        .ok()
        .stderr_has(&["已更新：贺新宇"]);
    assert_eq!(
        former_numbers(&d),
        [[
            Some("phone".to_string()),
            Some(HE_JULY.to_string()),
            Some("贺新宇".to_string()),
            Some("1".to_string())
        ]]
    );
    // `worker show` lists the old number, masked, in its entry and its history.
    let until = today();
    let o = d.nf(&["worker", "show", "贺新宇"]).ok();
    o.stdout_has(&[
        &format!("以前的手机号   159****6218（用到 {until}）"),
        "手机号   159****6218   139****7263   worker update",
    ]);
    o.hides(&[HE_JULY, HE_AUGUST, HE_ID]);
    let j = d
        .nf(&["worker", "show", "贺新宇", "--format", "json"])
        .ok()
        .json();
    assert_eq!(
        j["former_numbers"],
        serde_json::json!([{"kind": "phone", "number": "159****6218", "until": until}])
    );
    let j = d
        .nf(&[
            "worker",
            "show",
            HE_AUGUST,
            "--format",
            "json",
            "--show-pii",
        ])
        .ok()
        .json();
    assert_eq!(j["former_numbers"][0]["number"], HE_JULY);

    july_again_changes_nothing(&d, &before);

    // The old number still names 贺新宇 at the terminal, with a note.
    let o = d.nf(&["points", "balance", HE_JULY]).ok();
    assert_eq!(
        o.stderr,
        format!(
            "手机号 159****6218 是 贺新宇 以前的号码（用到 {}）\n",
            today()
        )
    );
    o.stdout_has(&["贺新宇", "139****7263"]);
    o.hides(&[HE_JULY, HE_AUGUST]);
    let o = d
        .nf(&[
            "--lang",
            "en",
            "checkin",
            "add",
            HE_JULY,
            "--date",
            "2025-07-28",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        format!(
            "手机号 159****6218 is a former number of 贺新宇 (used until {})\n\
             recorded: 贺新宇 checked in on 2025-07-28\n",
            today()
        )
    );
}

#[test]
fn july_exports_import_again_after_the_august_register_changed_the_phone() {
    let d = july();
    let before = july_figures(&d);
    // August: 贺新宇 has a new 手机号, 苏婉 is new with the old one.
    let mut august: Vec<Person> = JULY.to_vec();
    august[0][2] = HE_AUGUST;
    august.push(SU_WAN);
    register(&d, "柳巷街道从业人员台账-8月.xlsx", "2025年8月", &august);
    d.nf(&["import", "workers", "柳巷街道从业人员台账-8月.xlsx"])
        .ok()
        .stderr_has(&["共 5 行：新增 1，更新 1，未变 3"]);
    assert_eq!(
        former_numbers(&d),
        [[
            Some("phone".to_string()),
            Some(HE_JULY.to_string()),
            Some("贺新宇".to_string()),
            Some("1".to_string())
        ]]
    );
    assert_eq!(
        d.rows(&format!(
            "SELECT name FROM workers WHERE phone = '{HE_JULY}'"
        )),
        [[Some("苏婉".to_string())]]
    );

    // The July export names 贺新宇 with the phone that is 苏婉's now: refused, naming both.
    let o = d.nf(&["import", "checkins", "报到记录-7月.csv"]).code(1);
    let until = today();
    let problem = format!(
        "手机号(B): 159****6218: 现在是 苏婉 的手机号，贺新宇 用到 {until} — 这一行若是 贺新宇 \
         换号前的记录，请在这一行补上 贺新宇 的身份证号再导入（或用 --skip-invalid 跳过这一行）；\
         若是 苏婉 的记录，请把姓名改为 苏婉"
    );
    o.stderr_has(&[
        &format!("报到记录-7月.csv:第2行: {problem}"),
        &format!("报到记录-7月.csv:第3行: {problem}"),
    ]);
    o.hides(&[HE_JULY, HE_AUGUST, HE_ID]);
    let o = d
        .nf(&["--lang", "en", "import", "checkins", "报到记录-7月.csv"])
        .code(1);
    o.stderr_has(&[&format!(
        "is 苏婉's 手机号 now; 贺新宇 had it until {until} — if the row is 贺新宇's from before \
         the change, add 贺新宇's 身份证号 to it and import again (or skip it with \
         --skip-invalid); if it is 苏婉's, correct the name to 苏婉"
    )]);

    // With 贺新宇's 身份证号 beside the old phone, as the message says, the rows are his, and
    // already stored.
    d.write(
        "报到记录-7月-补身份证号.csv",
        gbk(&CHECKINS_JULY
            .replace("姓名,手机号,", "姓名,身份证号,手机号,")
            .replace(
                "贺新宇,15935106218,",
                &format!("贺新宇,{HE_ID},15935106218,"),
            )
            .replace("王磊,", "王磊,,")),
    );
    d.nf(&["import", "checkins", "报到记录-7月-补身份证号.csv"])
        .ok()
        .stderr_has(&["共 4 行：新增 0，更新 0，未变 4"]);
    // The points export, whose old phone names 贺新宇 too, is refused the same way …
    d.nf(&["import", "points", "积分记录-7月.csv"])
        .code(1)
        .stderr_has(&["积分记录-7月.csv:第2行: 手机号(B): 159****6218: 现在是 苏婉 的手机号"]);
    // … and nothing moved.
    assert_eq!(july_figures(&d), before);
    // At the terminal the current holder wins.
    assert_eq!(
        d.nf(&["points", "balance", HE_JULY]).ok().stderr,
        "苏婉 还没有积分记录（余额 0 分）\n"
    );
}

#[test]
fn july_exports_import_again_when_the_old_phone_is_nobody_elses() {
    let d = july();
    let before = july_figures(&d);
    let mut august: Vec<Person> = JULY.to_vec();
    august[0][2] = HE_AUGUST;
    register(&d, "柳巷街道从业人员台账-8月.xlsx", "2025年8月", &august);
    d.nf(&["import", "workers", "柳巷街道从业人员台账-8月.xlsx"])
        .ok()
        .stderr_has(&["共 4 行：新增 0，更新 1，未变 3"]);
    july_again_changes_nothing(&d, &before);
    // An August check-in with the new phone lands under the same worker.
    d.write(
        "报到记录-8月.csv",
        gbk("姓名,手机号,报到日期,报到街道,报到社区,事项\r\n\
             贺新宇,13994417263,2025-08-04,柳巷街道,宁化府社区居委会,日常报到\r\n"),
    );
    d.nf(&["import", "checkins", "报到记录-8月.csv"])
        .ok()
        .stderr_has(&["共 1 行：新增 1，更新 0，未变 0"]);
    assert_eq!(
        d.int(&format!(
            "SELECT count(*) FROM checkins c JOIN workers w ON w.id = c.worker_id
             WHERE w.id_number = '{HE_ID}'"
        )),
        3
    );
}

#[test]
fn a_unique_name_names_the_worker_and_a_shared_one_lists_the_candidates() {
    let d = july();
    // Unique: 贺新宇.
    d.nf(&[
        "checkin",
        "add",
        "贺新宇",
        "--date",
        "2025-07-25",
        "--purpose",
        "党员报到",
    ])
    .ok()
    .stderr_has(&["已记录：贺新宇 于 2025-07-25 报到"]);
    // Padded the way registers pad names.
    d.nf(&[
        "service",
        "add",
        "贺　新宇",
        "--date",
        "2025-07-26",
        "--activity",
        "防汛巡查",
        "--duration",
        "2小时",
    ])
    .ok()
    .stderr_has(&["贺新宇"]);
    assert_eq!(
        d.int(&format!(
            "SELECT count(*) FROM checkins c JOIN workers w ON w.id = c.worker_id
             WHERE w.id_number = '{HE_ID}'"
        )),
        3
    );

    // Shared: the two 王磊, listed with masked numbers, station and street.
    let o = d
        .nf(&["checkin", "add", "王磊", "--date", "2025-07-25"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：有 2 位在职从业人员名叫 王磊 — 请用手机号或身份证号指明是哪一位：\n  \
         王磊，手机号 136****8847，身份证号 140106********6330，站点 顺丰速运柳巷营业部，柳巷街道\n  \
         王磊，手机号 187****2290，身份证号 140105********2413，站点 美团柳巷站，柳巷街道\n\
         上面的号码已遮盖，完整号码用 nuanfeng worker list --all --show-pii 查看（可加 --street 街道）\n"
    );
    let o = d
        .nf(&["--lang", "en", "points", "statement", "王磊"])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: 2 current workers are named 王磊 — name the one you mean by 手机号 or 身份证号:\n  \
         王磊, 手机号 136****8847, 身份证号 140106********6330, station 顺丰速运柳巷营业部, 柳巷街道\n  \
         王磊, 手机号 187****2290, 身份证号 140105********2413, station 美团柳巷站, 柳巷街道\n\
         The numbers above are masked; nuanfeng worker list --all --show-pii shows them in full (add --street STREET to narrow it)\n"
    );
    // By number it works.
    d.nf(&["checkin", "add", "18703512290", "--date", "2025-07-25"])
        .ok()
        .stderr_has(&["已记录：王磊 于 2025-07-25 报到"]);

    // Nobody.
    let o = d.nf(&["worker", "show", "李四"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：没有名叫 李四 的从业人员 — 用 nuanfeng worker list --all 查找，或用手机号、身份证号指明\n"
    );
}

#[test]
fn a_departed_workers_name_is_taken_with_a_note_and_rejoin_finds_them() {
    let d = july();
    // 张三 left on 2025-06-30: no working 张三, so the one who left, said so.
    let o = d.nf(&["worker", "show", "张三"]).ok();
    assert!(
        o.stderr
            .starts_with("没有在职的从业人员名叫 张三；按 2025-06-30 离职的 张三 办理\n")
    );
    // A check-in after leaving is refused as it always was.
    d.nf(&["checkin", "add", "张三", "--date", "2025-07-25"])
        .code(1);
    // Rejoin looks among those who left first.
    let o = d.nf(&["worker", "rejoin", "张三"]).ok();
    assert!(
        o.stderr
            .starts_with("张三 重新上岗：离职日期 2025-06-30 已清除"),
        "{}",
        o.stderr
    );
    assert_eq!(
        d.rows("SELECT left_on FROM workers WHERE name = '张三'"),
        [[None::<String>]]
    );

    // Two who left, none working: listed with their 离职日期.
    d.nf(&["worker", "leave", "13623518847", "--date", "2025-07-31"])
        .ok();
    d.nf(&["worker", "leave", "18703512290", "--date", "2025-07-31"])
        .ok();
    let o = d.nf(&["worker", "show", "王磊"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：没有在职的从业人员名叫 王磊，已离职的有 2 位 — 请用手机号或身份证号指明是哪一位：\n  \
         王磊，手机号 136****8847，身份证号 140106********6330，站点 顺丰速运柳巷营业部，柳巷街道，2025-07-31 离职\n  \
         王磊，手机号 187****2290，身份证号 140105********2413，站点 美团柳巷站，柳巷街道，2025-07-31 离职\n\
         上面的号码已遮盖，完整号码用 nuanfeng worker list --all --show-pii 查看（可加 --street 街道）\n"
    );
    let o = d.nf(&["worker", "rejoin", "王磊"]).code(1);
    assert!(
        o.stderr
            .starts_with("错误：有 2 位已离职的从业人员名叫 王磊"),
        "{}",
        o.stderr
    );
}

#[test]
fn purge_erases_the_numbers_a_worker_had_before() {
    let d = july();
    d.nf(&["worker", "update", "张三", "--phone", "15035617721"])
        .ok();
    d.nf(&["worker", "update", "贺新宇", "--phone", HE_AUGUST])
        .ok();
    assert_eq!(d.int("SELECT count(*) FROM worker_numbers"), 2);
    d.nf(&["worker", "purge", "--left-before", "2025-07-01"])
        .ok();
    // 张三's numbers are gone, current and former; 贺新宇's former one stays.
    assert_eq!(
        d.rows(
            "SELECT w.name, n.number FROM worker_numbers n JOIN workers w ON w.id = n.worker_id"
        ),
        [[Some("贺新宇".to_string()), Some(HE_JULY.to_string())]]
    );
    assert_eq!(
        d.int("SELECT count(*) FROM worker_numbers WHERE number = '15035617720'"),
        0
    );
    d.nf(&["worker", "show", "15035617720"])
        .code(1)
        .stderr_has(&["没有手机号为 150****7720 的从业人员"]);
}

#[test]
fn a_phone_under_a_name_with_no_character_in_common_is_refused_not_renamed() {
    let d = july();
    // August: 王磊's (13623518847) 手机号 beside a new name, no 身份证号 — a recycled number;
    // 贺新宇's beside 贺新, a name shortened: a rename.
    let mut august: Vec<Person> = JULY.to_vec();
    august[1][0] = "新人丙";
    august[1][3] = "";
    register(&d, "柳巷街道从业人员台账-8月.xlsx", "2025年8月", &august);
    let o = d
        .nf(&["import", "workers", "柳巷街道从业人员台账-8月.xlsx"])
        .code(1);
    o.stderr_has(&[
        "柳巷街道从业人员台账-8月.xlsx[台账]:第4行: 姓名(B): 新人丙: 手机号 136****8847 登记的是 王磊，\
         与 新人丙 没有一个字相同（手机号可能换了主人）— 若是 王磊 改了名：先 nuanfeng worker update 王磊 \
         --name 新人丙，再导入；若是另一个人：这个手机号仍登记在 王磊 名下，先用 nuanfeng worker update \
         王磊 --phone 新号码 改掉，或在这一行填 新人丙 的另一个手机号",
    ]);
    o.hides(&["13623518847"]);
    let o = d
        .nf(&[
            "--lang",
            "en",
            "import",
            "workers",
            "柳巷街道从业人员台账-8月.xlsx",
        ])
        .code(1);
    o.stderr_has(&[
        "姓名 (B): 新人丙: 手机号 136****8847 is registered to 王磊, a name with no character in \
         common with 新人丙 (the number may have passed to someone else) — if 王磊 changed name: \
         nuanfeng worker update 王磊 --name 新人丙, then import again; if it is another person: \
         the number is still 王磊's, so change it first with nuanfeng worker update 王磊 --phone \
         NEW, or give the row another 手机号 of 新人丙's",
    ]);
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE name = '新人丙'"),
        0
    );

    // A name sharing a character is a rename, said in the tense of what happens.
    let mut august: Vec<Person> = JULY.to_vec();
    august[0][0] = "贺新";
    august[0][3] = "";
    register(&d, "柳巷街道从业人员台账-8月.xlsx", "2025年8月", &august);
    let note = "柳巷街道从业人员台账-8月.xlsx[台账]:第3行: 提示：姓名：这个手机号";
    d.nf(&[
        "import",
        "workers",
        "柳巷街道从业人员台账-8月.xlsx",
        "--dry-run",
    ])
    .ok()
    .stderr_has(&[&format!("{note}登记为 贺新宇，将改为 贺新\n")]);
    d.nf(&[
        "--lang",
        "en",
        "import",
        "workers",
        "柳巷街道从业人员台账-8月.xlsx",
        "--dry-run",
    ])
    .ok()
    .stderr_has(&[
        "姓名: the worker with this 手机号 is registered as 贺新宇; would become 贺新\n",
    ]);
    d.nf(&["import", "workers", "柳巷街道从业人员台账-8月.xlsx"])
        .ok()
        .stderr_has(&[&format!("{note}原登记为 贺新宇，已改为 贺新\n")]);
    assert_eq!(
        d.rows(&format!(
            "SELECT name FROM workers WHERE id_number = '{HE_ID}'"
        )),
        [[Some("贺新".to_string())]]
    );
}

#[test]
fn taking_a_number_another_worker_had_before_is_said() {
    let d = july();
    d.nf(&["worker", "update", "贺新宇", "--phone", HE_AUGUST])
        .ok();
    let until = today();
    // 王磊 of 顺丰 takes 贺新宇's old number.
    let o = d
        .nf(&["worker", "update", "13623518847", "--phone", HE_JULY])
        .ok();
    assert_eq!(
        o.stderr,
        format!(
            "手机号 159****6218 是 贺新宇 以前的号码（用到 {until}）：此后这个号码指 王磊；\
             旧表格里写 贺新宇 和这个号码的行会被拒收\n\
             已更新：王磊（用 nuanfeng worker show 查看）\n"
        )
    );
    // Changing something else later says nothing more.
    assert_eq!(
        d.nf(&["worker", "update", HE_JULY, "--note", "换了号"])
            .ok()
            .stderr,
        "已更新：王磊（用 nuanfeng worker show 查看）\n"
    );
    // A new worker with a number somebody had before.
    let o = d
        .nf(&[
            "--lang",
            "en",
            "worker",
            "add",
            "--name",
            "罗兵",
            "--phone",
            "13623518847",
            "--occupation",
            "快递员",
            "--street",
            "柳巷街道",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        format!(
            "手机号 136****8847 was 王磊's until {until}: from now on it means 罗兵; rows of older \
             files that give 王磊 with this number will be refused\n\
             registered: 罗兵\n"
        )
    );
    // A 身份证号 likewise.
    d.nf(&[
        "worker",
        "update",
        "张三",
        "--id-number",
        "140106198605120031",
    ])
    .ok();
    let o = d
        .nf(&[
            "worker",
            "update",
            "罗兵",
            "--id-number",
            "140107198612055238",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        format!(
            "身份证号 140107********5238 是 张三 以前登记的号码（用到 {until}）：此后这个号码指 罗兵；\
             旧表格里写 张三 和这个号码的行会被拒收\n\
             已更新：罗兵（用 nuanfeng worker show 查看）\n"
        )
    );
}

#[test]
fn a_masked_number_typed_back_is_refused_with_where_the_full_one_is() {
    let d = july();
    for args in [
        vec!["checkin", "add", "136****8847", "--date", "2025-07-25"],
        vec!["worker", "show", "136****8847"],
    ] {
        let o = d.nf(&args).code(1);
        assert!(
            o.stderr.ends_with(
                "136****8847 是遮盖过的号码（* 隐去了其中的数字），不能用来指明从业人员 — 请写完整号码\
                 （nuanfeng worker list --show-pii 或 nuanfeng worker show 姓名 --show-pii 可以看到）或姓名\n"
            ),
            "{args:?}: {}",
            o.stderr
        );
    }
    let o = d
        .nf(&["--lang", "en", "worker", "leave", "140106********6330"])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: 140106********6330 is a masked number (the * hide digits) and names no worker — \
         give the full number (shown by nuanfeng worker list --show-pii, or nuanfeng worker show \
         NAME --show-pii) or the name\n"
    );
}

#[test]
fn a_number_taken_back_is_current_not_former() {
    let d = july();
    d.nf(&["worker", "update", "贺新宇", "--phone", HE_AUGUST])
        .ok();
    d.nf(&["worker", "update", "贺新宇", "--phone", HE_JULY])
        .ok();
    let until = today();
    assert_eq!(
        former_numbers(&d),
        [[
            Some("phone".to_string()),
            Some(HE_AUGUST.to_string()),
            Some("贺新宇".to_string()),
            Some("1".to_string())
        ]]
    );
    let o = d.nf(&["worker", "show", "贺新宇"]).ok();
    o.stdout_has(&[&format!("以前的手机号   139****7263（用到 {until}）")]);
    assert!(!o.stdout.contains("以前的手机号   159"), "{}", o.stdout);
    let j = d
        .nf(&["worker", "show", "贺新宇", "--format", "json"])
        .ok()
        .json();
    assert_eq!(
        j["former_numbers"],
        serde_json::json!([{"kind": "phone", "number": "139****7263", "until": until}])
    );
}

#[test]
fn a_registry_holding_a_current_number_as_former_does_not_list_it() {
    let d = july();
    d.nf(&["worker", "update", "贺新宇", "--phone", HE_AUGUST])
        .ok();
    // As an earlier build left it after a change back: the current number among the former.
    d.conn()
        .execute_batch(&format!(
            "UPDATE workers SET phone = '{HE_JULY}' WHERE id_number = '{HE_ID}'"
        ))
        .unwrap();
    let j = d
        .nf(&["worker", "show", "贺新宇", "--format", "json"])
        .ok()
        .json();
    assert_eq!(j["former_numbers"], serde_json::json!([]));
}
