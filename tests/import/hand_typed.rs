//! Cells that are wrong in the ways registers typed by hand are wrong.

use crate::util::{Dir, district, some};

#[test]
fn hand_typed_mistakes_are_named_with_their_fix() {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道\n张伟13623518847,,外卖员,柳巷街道\n王芳,13623518848,外卖员,柳港\n",
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8 读取\nworkers.csv:第2行: 姓名(A): 张伟136****8847: 含有一长串数字 — 是不是把手机号或身份证号填进了姓名？把它移到自己的列里\nworkers.csv:第2行: 手机号(B): 没有填 — 从业人员要有身份证号或手机号\nworkers.csv:第3行: 所属街道(D): 柳港: 不是已登记的街道 — 是不是“柳巷街道”？\n错误：workers.csv: 共 2 行，其中 2 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );

    // A station's landline stored as a number lost its 0.
    d.write(
        "stations.csv",
        "站点名称,站点类型,所属街道,联系电话\n菜鸟驿站柳巷店,快递站点,柳巷街道,3514021234\n",
    );
    let o = d.nf(&["import", "stations", "stations.csv"]).code(1);
    assert!(
        o.stderr.contains(
            "stations.csv:第2行: 联系电话(D): 351***1234: 像是开头的 0 被 Excel 去掉的座机号 — 把这一列设为文本，连同区号重新输入"
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
        "错误：导出.xls 是网页或 XML 文件，不是工作簿或 CSV（“导出到 Excel”的系统常导出这种文件）— 用 Excel 或 WPS 打开，另存为 .xlsx（另存为 → Excel 工作簿），再导入另存的文件\n"
    );
}

#[test]
fn data_under_a_blank_header_is_warned_about() {
    let d = Dir::new();
    d.init();
    d.import("streets", "district/streets.csv");
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道,\n张伟,13623518847,外卖员,柳巷街道,\n王芳,13623518848,外卖员,柳巷街道,夜班\n",
    );
    let o = d.nf(&["import", "workers", "workers.csv"]).ok();
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8 读取\nworkers.csv: 注意：E 列没有表头，却有数据（最早在第 3 行），没有导入 — 给它加上表头，或用 --map \"E=字段代码\" 指明\nworkers.csv: 共 2 行：新增 2，更新 0，未变 0\n"
    );
    // Mapped by its letter, the column is read.
    let o = d
        .nf(&["import", "workers", "workers.csv", "--map", "E=note"])
        .ok();
    assert!(o.stderr.contains("更新 1"), "{}", o.stderr);
    assert_eq!(
        d.rows("SELECT note FROM workers WHERE name = '王芳'"),
        [some(&["夜班"])]
    );
}
