//! A workers register that contradicts what is stored: a 离职日期 before the worker's last
//! check-in, a 所属站点 of another street than the row's 所属街道 — refused row by row, the
//! file landing not at all; a worker moved to another street without a station leaves the old
//! station behind, and is told so.

use super::{WORKER_HEADERS, xlsx_in};
use crate::util::{District, english_run, some};

/// The 柳巷街道 register of August as the office keeps it: a title row, the header, the
/// people, a 合计 row. `guo_left`: 郭志伟's 离职日期; `li_street`: 李浩's 所属街道 (his station
/// is 美团柳巷站, of 柳巷街道).
fn august(guo_left: &str, li_street: &str) -> Vec<Vec<String>> {
    let rows: [&[&str]; 6] = [
        &["柳巷街道新就业群体从业人员台账（2025年8月）"],
        &WORKER_HEADERS,
        &[
            "郭志伟",
            "男",
            "13623517804",
            "140106198503126010",
            "中共党员",
            "快递员",
            "顺丰速运",
            "顺丰速运柳巷营业部",
            "柳巷街道",
            "宁化府社区居委会",
            "",
            "",
            guo_left,
            "",
            "",
        ],
        &[
            "李浩",
            "男",
            "15903514426",
            "140105199407086213",
            "群众",
            "外卖员",
            "美团",
            "美团柳巷站",
            li_street,
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        &[
            "张敏",
            "女",
            "18636021759",
            "140107199702216407",
            "中共预备党员",
            "外卖员",
            "美团",
            "美团柳巷站",
            "柳巷街道",
            "宁化府社区居委会",
            "",
            "",
            "",
            "",
            "",
        ],
        &["合计", "3人"],
    ];
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn write(d: &crate::util::Dir, name: &str, rows: &[Vec<String>]) {
    let rows: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    xlsx_in(d, name, "从业人员", 1, 1, &rows);
}

#[test]
fn a_register_row_contradicting_the_events_or_its_station_is_refused() {
    let d = District::new().checkins().points().build();
    write(&d, "柳巷8月.xlsx", &august("2025-07-10", "郝庄镇"));
    let o = d.nf(&["import", "workers", "柳巷8月.xlsx"]).code(1);
    assert_eq!(
        o.stderr,
        "柳巷8月.xlsx: 按 工作表“从业人员”（xlsx） 读取\n\
         柳巷8月.xlsx[从业人员]:第3行: 离职日期(M): 2025-07-10: 郭志伟 的离职日期 2025-07-10 早于其 \
         2025-07-20 的报到（离职日期之后还有 2 条记录：报到 2 条）— 把离职日期改为 2025-07-20 或之后\n\
         柳巷8月.xlsx[从业人员]:第4行: 所属站点(H): 美团柳巷站: 该站点属于柳巷街道，与所属街道 郝庄镇 \
         不一致 — 改正所属街道或所属站点（人员的街道随其站点）\n\
         错误：柳巷8月.xlsx[从业人员]: 共 3 行，其中 2 行有问题（见上）；什么都没有导入 — 改正后再导入，\
         或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(english_run(&o.stderr), None, "{}", o.stderr);
    d.nf(&["--lang", "en", "import", "workers", "柳巷8月.xlsx"])
        .code(1)
        .stderr_has(&[
            "柳巷8月.xlsx[从业人员]:4: 所属站点 (H): 美团柳巷站: this station is in 柳巷街道, not in the \
             所属街道 郝庄镇 — correct the 所属街道 or the 所属站点 (a worker's street follows \
             their station)\n",
        ]);
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE left_on IS NOT NULL OR street_id <> 1"),
        5
    );

    // Corrected, the register lands; the same register again changes nothing.
    write(&d, "柳巷8月.xlsx", &august("2025-07-20", "柳巷街道"));
    d.nf(&["import", "workers", "柳巷8月.xlsx"])
        .ok()
        .stderr_has(&["柳巷8月.xlsx[从业人员]: 共 3 行：新增 0，更新 1，未变 2"]);
    assert_eq!(
        d.rows("SELECT left_on FROM workers WHERE name = '郭志伟'"),
        [vec![Some("2025-07-20".to_string())]]
    );
    d.nf(&["check"]).ok();
}

#[test]
fn a_worker_moved_to_another_street_without_a_station_leaves_the_old_one_behind() {
    let d = District::new().build();
    let mut rows = august("", "柳巷街道");
    // 张敏 now registered by 文庙街道, no station given.
    rows[4][7] = String::new();
    rows[4][8] = "文庙街道".into();
    rows[4][9] = "山佑巷社区居委会".into();
    write(&d, "柳巷8月.xlsx", &rows);
    let o = d.nf(&["import", "workers", "柳巷8月.xlsx"]).ok();
    o.stderr_has(&[
        "柳巷8月.xlsx[从业人员]:第5行: 提示：原所属站点 美团柳巷站 不在新的所属街道 文庙街道，已不再登记\
         （原社区也一样）",
        "柳巷8月.xlsx[从业人员]: 共 3 行：新增 0，更新 1，未变 2",
    ]);
    assert_eq!(
        d.rows(
            "SELECT s.name, w.station_id FROM workers w JOIN streets s ON s.id = w.street_id
             WHERE w.name = '张敏'"
        ),
        [vec![Some("文庙街道".to_string()), None]]
    );
    d.nf(&["check"]).ok();
}

/// A worker's street follows their station: a row with a known 所属站点 and 所属街道 left
/// blank takes the station's street, and a register may leave the 所属街道 column out when
/// it has a 所属站点 column. A row with neither is refused, saying to fill in one; a station
/// name several streets have needs the street.
#[test]
fn a_blank_street_is_the_station_s() {
    let d = District::new().org_stations().build();
    let mut rows = august("", "");
    // 李浩 (美团柳巷站) and 郭志伟 (顺丰速运柳巷营业部) leave 所属街道 blank; 张敏 names hers.
    rows[2][8] = String::new();
    write(&d, "柳巷8月.xlsx", &rows);
    d.nf(&["import", "workers", "柳巷8月.xlsx"])
        .ok()
        .stderr_has(&["柳巷8月.xlsx[从业人员]: 共 3 行：新增 0，更新 0，未变 3"]);

    // A register without a 所属街道 column: the station names the street, for new workers
    // too; a row with no station is refused, and so is a station name two streets have.
    let header = ["姓名", "手机号", "从业类型", "所属站点"];
    let people: [&[&str]; 5] = [
        &header,
        &["马俊", "13623510001", "快递员", "货拉拉郝庄服务站"],
        &["田甜", "13623510002", "外卖员", "饿了么柳巷站"],
        &["高峰", "13623510003", "快递员", ""],
        &["苗青", "13623510004", "快递员", "菜鸟驿站"],
    ];
    xlsx_in(&d, "站点.xlsx", "9月", 1, 1, &people);
    let o = d.nf(&["import", "workers", "站点.xlsx"]).code(1);
    assert_eq!(
        o.stderr,
        "站点.xlsx: 按 工作表“9月”（xlsx） 读取\n\
         站点.xlsx[9月]:第4行: 所属站点(D): 没有填 — 这份台账没有所属街道列，所属街道要从所属站点得出；填上所属站点，或者给台账加上所属街道列\n\
         站点.xlsx[9月]:第5行: 所属站点(D): 菜鸟驿站: 几个街道都有这个名称的站点 — 填上所属街道，指明是哪一个\n\
         错误：站点.xlsx[9月]: 共 4 行，其中 2 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(english_run(&o.stderr), None, "{}", o.stderr);
    d.nf(&[
        "import",
        "workers",
        "站点.xlsx",
        "--skip-invalid",
        "--rejects",
        "R.csv",
    ])
    .ok()
    .stderr_has(&["站点.xlsx[9月]: 共 4 行：新增 2，更新 0，未变 0，有问题 2"]);
    assert_eq!(
        d.rows(
            "SELECT w.name, s.name, st.name FROM workers w JOIN streets s ON s.id = w.street_id
             JOIN stations st ON st.id = w.station_id WHERE w.phone LIKE '1362351000_' ORDER BY w.id"
        ),
        [
            some(&["马俊", "郝庄镇", "货拉拉郝庄服务站"]),
            some(&["田甜", "柳巷街道", "饿了么柳巷站"]),
        ]
    );

    // With a 所属街道 column, a row with neither is told to fill in one of the two.
    let both: [&[&str]; 2] = [
        &["姓名", "手机号", "从业类型", "所属站点", "所属街道"],
        &["高峰", "13623510003", "快递员", "", ""],
    ];
    xlsx_in(&d, "空.xlsx", "9月", 1, 1, &both);
    d.nf(&["--lang", "en", "import", "workers", "空.xlsx"])
        .code(1)
        .stderr_has(&["空.xlsx[9月]:2: 所属街道 (E): missing — fill in 所属街道, or 所属站点 (the street is then the station's)\n"]);
    // A station and a street that disagree are still refused.
    let wrong: [&[&str]; 2] = [
        &["姓名", "手机号", "从业类型", "所属站点", "所属街道"],
        &[
            "马俊",
            "13623510001",
            "快递员",
            "货拉拉郝庄服务站",
            "柳巷街道",
        ],
    ];
    xlsx_in(&d, "错.xlsx", "9月", 1, 1, &wrong);
    d.nf(&["import", "workers", "错.xlsx"])
        .code(1)
        .stderr_has(&[
            "所属站点(D): 货拉拉郝庄服务站: 该站点属于郝庄镇，与所属街道 柳巷街道 不一致",
        ]);
    // A register with neither column is refused before any row is read.
    let neither: [&[&str]; 2] = [
        &["姓名", "手机号", "从业类型", "所属社区"],
        &["马俊", "13623510001", "快递员", ""],
    ];
    xlsx_in(&d, "无.xlsx", "9月", 1, 1, &neither);
    d.nf(&["import", "workers", "无.xlsx"])
        .code(1)
        .stderr_has(&["错误：无.xlsx[9月]: 第1行: 没有“所属街道”列 — 从业人员台账要有这一列，或者有“所属站点”列（所属街道就取站点所在的街道）"]);
    d.nf(&["check"]).ok();
}
