//! Cells that are wrong in the ways registers typed by hand are wrong.

use crate::util::{Dir, district, some};

#[test]
fn hand_typed_mistakes_are_named_with_their_fix() {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道\n\
         张伟13623518847,,外卖员,柳巷街道\n\
         王芳,13623518848,外卖员,柳港\n",
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8\nworkers.csv:2: 姓名 (A): 张伟136****8847: holds a long number — a 手机号 or 身份证号 typed into 姓名? put it in its own column\nworkers.csv:2: 手机号 (B): missing — a worker needs a 身份证号 or a 手机号\nworkers.csv:3: 所属街道 (D): 柳港: 不是已登记的街道 — 是不是“柳巷街道”？\nerror: workers.csv: 2 of 2 rows have problems (listed above); nothing was imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
    );

    // A station's landline stored as a number lost its 0.
    d.write(
        "stations.csv",
        "站点名称,站点类型,所属街道,联系电话\n菜鸟驿站柳巷店,快递站点,柳巷街道,3514021234\n",
    );
    let o = d.nf(&["import", "stations", "stations.csv"]).code(1);
    assert!(
        o.stderr.contains(
            "stations.csv:2: 联系电话 (D): 351***1234: looks like a landline whose leading 0 \
             Excel dropped — format the column as text and type it with its area code"
        ),
        "{}",
        o.stderr
    );
}

#[test]
fn numbers_with_their_unit_written_in_are_read() {
    let d = district();
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n18834071935,2025-06-20,志愿服务,30分,参加创城志愿巡查\n",
    );
    d.nf(&["import", "points", "points.csv"]).ok();
    assert_eq!(d.int("SELECT sum(points) FROM point_entries"), 30);
}

#[test]
fn web_page_named_xls_is_refused_with_the_fix() {
    let d = Dir::new();
    d.init();
    d.write(
        "导出.xls",
        "<html><body><table><tr><td>姓名</td><td>手机号</td></tr></table></body></html>",
    );
    let o = d.nf(&["import", "workers", "导出.xls"]).code(1);
    assert_eq!(
        o.stderr,
        "error: 导出.xls is a web page or XML file, not a workbook or CSV (systems that export \
         \"to Excel\" often write these) — open it in Excel or WPS, save it as .xlsx (另存为 → \
         Excel 工作簿), and import that\n"
    );
}

#[test]
fn data_under_a_blank_header_is_warned_about() {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道,\n\
         张伟,13623518847,外卖员,柳巷街道,\n\
         王芳,13623518848,外卖员,柳巷街道,夜班\n",
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).ok();
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8\n\
         workers.csv: warning: column E has no header but holds data (first on line 3); it was \
         not imported — give it a header, or --map \"E=field\"\n\
         workers.csv: 2 rows: 2 new, 0 updated, 0 unchanged\n"
    );
    // Mapped by its letter, the column is read.
    let o = d
        .nf(&["import", "workers", "workers.csv", "--map", "E=note"])
        .ok();
    assert!(o.stderr.contains("1 updated"), "{}", o.stderr);
    assert_eq!(
        d.rows("SELECT note FROM workers WHERE name = '王芳'"),
        [some(&["夜班"])]
    );
}
