//! 微心愿: `wish add|fulfil|list` and the wishes register.

use serde_json::json;

use super::{CHEN_LEI, keys, set};
use crate::util::{District, district};

#[test]
fn wish_fulfil_twice_is_refused() {
    let d = district();
    let o = d
        .by_operator(&[
            "wish",
            "add",
            CHEN_LEI,
            "--wish",
            "一个保温饭盒",
            "--date",
            "2025-07-01",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "已记录：微心愿 1：陈磊，2025-07-01 一个保温饭盒 — 心愿实现后：nuanfeng wish fulfil 1 --by 认领人\n"
    );
    d.by_operator(&[
        "wish",
        "add",
        CHEN_LEI,
        "--wish",
        "一个保温饭盒",
        "--date",
        "2025-07-01",
    ])
    .code(1)
    .stderr_has(&["错误：陈磊 在 2025-07-01 已有这个微心愿（编号 1）— 没有重复添加"]);
    d.by_operator(&[
        "wish",
        "fulfil",
        "1",
        "--date",
        "2025-06-30",
        "--by",
        "桥东街道党工委",
    ])
    .code(1)
    .stderr_has(&["错误：实现日期 2025-06-30 早于心愿登记日期（2025-07-01）"]);
    let o = d
        .by_operator(&[
            "wish",
            "fulfil",
            "1",
            "--date",
            "2025-07-20",
            "--by",
            "桥东街道党工委",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "陈磊 的微心愿 1（一个保温饭盒）已于 2025-07-20 由 桥东街道党工委 认领实现\n"
    );
    let o = d
        .by_operator(&[
            "wish",
            "fulfil",
            "1",
            "--date",
            "2025-07-21",
            "--by",
            "迎泽区总工会",
        ])
        .code(1);
    assert_eq!(o.stderr, "错误：微心愿 1 已于 2025-07-20 实现\n");
    assert_eq!(
        d.rows("SELECT wish, date, fulfilled_on, fulfilled_by FROM wishes"),
        [
            ["一个保温饭盒", "2025-07-01", "2025-07-20", "桥东街道党工委"]
                .map(|s| Some(s.to_string()))
        ]
    );
    d.by_operator(&["wish", "fulfil", "2", "--by", "x"])
        .code(1)
        .stderr_has(&["错误：没有编号为 2 的微心愿 — 用 nuanfeng wish list 查看"]);
}

#[test]
fn wish_list_shows_open_wishes_and_the_documented_json() {
    let d = District::new().records().build();
    let all = d
        .by_operator(&["wish", "list", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(
        keys(&all),
        set(&[
            "id",
            "name",
            "phone",
            "wish",
            "date",
            "fulfilled_on",
            "fulfilled_by",
            "street"
        ])
    );
    assert_eq!(all.len(), 2);
    let open = d
        .by_operator(&["wish", "list", "--open", "--format", "json"])
        .ok();
    assert_eq!(open.stderr, "共 1 个微心愿，1 个未实现\n");
    assert_eq!(
        open.json(),
        json!([{"id": 2, "name": "陈磊", "phone": "188****1935", "wish": "孩子暑期托管",
                "date": "2025-07-03", "fulfilled_on": null, "fulfilled_by": null,
                "street": "桥东街道"}])
    );
    let by_street = d
        .by_operator(&["wish", "list", "--street", "迎泽", "--format", "json"])
        .ok()
        .json_array();
    assert_eq!(by_street.len(), 1);
    assert_eq!(by_street[0]["fulfilled_by"], "迎泽街道党工委");
}

#[test]
fn a_fulfilled_wish_is_not_fulfilled_again_by_a_later_register() {
    let d = district();
    d.write(
        "w1.csv",
        "姓名,手机号,心愿内容,登记日期,实现日期,认领人\n\
         杨丽,15135296642,一个头盔,2025-07-06,2025-07-21,柳巷街道团委\n",
    );
    d.write(
        "w2.csv",
        "姓名,手机号,心愿内容,登记日期,实现日期,认领人\n\
         杨丽,15135296642,一个头盔,2025-07-06,2025-07-20,迎泽区总工会\n\
         杨丽,15135296642,保温杯,2025-07-10,2025-07-12,\n",
    );
    d.by_operator(&["import", "wishes", "w1.csv"]).ok();
    let o = d.by_operator(&["import", "wishes", "w2.csv"]).code(1);
    o.stderr_has(&[
        "w2.csv:第2行: 实现日期(E): 2025-07-20: 这个心愿已于 2025-07-21 由 柳巷街道团委 认领实现 — \
         请更正这一行",
        "w2.csv:第3行: 认领人(F): 没有填 — 已实现的心愿要写明认领人",
    ]);
    assert_eq!(
        d.rows("SELECT wish, fulfilled_on, fulfilled_by FROM wishes"),
        [vec![
            Some("一个头盔".into()),
            Some("2025-07-21".into()),
            Some("柳巷街道团委".into())
        ]]
    );
}
