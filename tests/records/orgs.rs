//! Integration tests of party organizations (党组织) and the stations they cover (组织覆盖):
//! the `orgs` register (parents in any order, row problems with line and column), the typed
//! `org add|update|cover|uncover`, a station moving between branches mid-month (the dated
//! `org_coverage` rows), `org list --format json` and the change log — through the real binary
//! on the district fixture and `tests/fixtures/orgs/`.

use serde_json::json;

use crate::util::{self, Dir, District};

/// Every coverage row: organization, station, street, first and last day.
fn coverage(d: &Dir) -> Vec<Vec<Option<String>>> {
    d.rows(
        "SELECT o.name, st.name, s.name, c.from_on, c.until_on FROM org_coverage c
         JOIN party_orgs o ON o.id = c.org_id JOIN stations st ON st.id = c.station_id
         JOIN streets s ON s.id = st.street_id ORDER BY c.id",
    )
}

/// Rows of text for comparisons: `None` is SQL NULL.
fn rows(r: &[&[Option<&str>]]) -> Vec<Vec<Option<String>>> {
    r.iter()
        .map(|row| row.iter().map(|v| v.map(str::to_string)).collect())
        .collect()
}

const COMMITTEE: &str = "迎泽区快递物流行业党委";
const LIUXIANG: &str = "柳巷街道快递物流联合党支部";
const RIDERS: &str = "迎泽区外卖骑手功能型党支部";
const WENMIAO: &str = "文庙街道快递物流联合党支部";

#[test]
fn an_orgs_register_loads_in_any_order_and_again_changes_nothing() {
    let d = District::new().orgs().build();
    // The committee is on the last line; the branches above name it. The committee's row is
    // loaded first, so it has the first id.
    assert_eq!(
        d.rows(
            "SELECT o.id, o.name, o.kind, p.name, s.name, o.founded_on, o.secretary
             FROM party_orgs o LEFT JOIN party_orgs p ON p.id = o.parent_id
             LEFT JOIN streets s ON s.id = o.street_id ORDER BY o.id"
        ),
        rows(&[
            &[
                Some("1"),
                Some(COMMITTEE),
                Some("industry_committee"),
                None,
                None,
                Some("2021-06-18"),
                Some("韩卫东"),
            ],
            &[
                Some("2"),
                Some(LIUXIANG),
                Some("joint_branch"),
                Some(COMMITTEE),
                Some("柳巷街道"),
                Some("2022-03-15"),
                Some("王建华"),
            ],
            &[
                Some("3"),
                Some(RIDERS),
                Some("functional_branch"),
                Some(COMMITTEE),
                None,
                Some("2023-08-25"),
                Some("张海波"),
            ],
            &[
                Some("4"),
                Some(WENMIAO),
                Some("joint_branch"),
                Some(COMMITTEE),
                Some("文庙街道"),
                Some("2024-04-12"),
                Some("刘晓燕"),
            ],
        ])
    );
    // Covered from the 成立日期; lists split on 、，；; 菜鸟驿站 found in the branch's street.
    assert_eq!(
        coverage(&d),
        rows(&[
            &[
                Some(LIUXIANG),
                Some("顺丰速运柳巷营业部"),
                Some("柳巷街道"),
                Some("2022-03-15"),
                None
            ],
            &[
                Some(LIUXIANG),
                Some("美团柳巷站"),
                Some("柳巷街道"),
                Some("2022-03-15"),
                None
            ],
            &[
                Some(LIUXIANG),
                Some("圆通速递柳巷网点"),
                Some("柳巷街道"),
                Some("2022-03-15"),
                None
            ],
            &[
                Some(RIDERS),
                Some("饿了么柳巷站"),
                Some("柳巷街道"),
                Some("2023-08-25"),
                None
            ],
            &[
                Some(WENMIAO),
                Some("中通快递文庙网点"),
                Some("文庙街道"),
                Some("2024-04-12"),
                None
            ],
            &[
                Some(WENMIAO),
                Some("菜鸟驿站"),
                Some("文庙街道"),
                Some("2024-04-12"),
                None
            ],
        ])
    );
    d.by_operator(&["import", "orgs", "orgs.csv"])
        .ok()
        .stderr_has(&[
            "orgs.csv: 共 4 行：新增 0，更新 0，未变 4",
            "orgs.csv: 这个文件在 ",
            "已经导入过（当时名为 orgs.csv）；没有变化",
        ]);
    assert_eq!(d.int("SELECT count(*) FROM org_coverage"), 6);
    assert_eq!(
        d.int("SELECT count(*) FROM change_log WHERE entity = 'org'"),
        10
    );

    // The blank register to fill in.
    let t = d.by_operator(&["template", "orgs"]).ok();
    assert_eq!(
        t.stdout,
        "\u{feff}党组织名称,类型,上级党组织,所属街道,成立日期,书记,覆盖站点\n"
    );
}

#[test]
fn register_problems_name_the_line_the_column_and_the_fix() {
    let d = District::new().org_stations().build();
    let name = d.copy("orgs/orgs-bad.csv");
    let o = d.by_operator(&["import", "orgs", &name]).code(1);
    assert_eq!(
        o.stderr,
        "orgs-bad.csv: 按 UTF-8 读取\n\
         orgs-bad.csv:第4行: 覆盖单位(G): 美团柳巷站: 本文件第 3 行的 柳巷街道快递物流联合党支部 也覆盖这个\
         站点 — 一个站点同一时间只由一个党组织覆盖，请只在其中一个下面列出\n\
         orgs-bad.csv:第5行: 上级组织(C): 迎泽区快递业党委: 不是已登记的党组织 — 是不是\
         “迎泽区快递物流行业党委”？\n\
         orgs-bad.csv:第6行: 覆盖单位(G): 货拉拉郝庄服务部: 不在站点台账中 — 是不是“货拉拉郝庄服务站”？\n\
         错误：orgs-bad.csv: 共 5 行，其中 3 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 \
         --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM party_orgs"), 0);
    assert_eq!(d.int("SELECT count(*) FROM org_coverage"), 0);

    // The good rows land; the bad ones go to the rejects file with their reasons.
    d.by_operator(&[
        "import",
        "orgs",
        &name,
        "--skip-invalid",
        "--rejects",
        "rejects.csv",
    ])
    .ok()
    .stderr_has(&["orgs-bad.csv: 共 5 行：新增 2，更新 0，未变 0，有问题 3"]);
    let rejected = util::bom_csv(&d.read("rejects.csv"));
    let lines: Vec<(&str, &str)> = rejected[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(
        lines,
        vec![("4", "覆盖单位"), ("5", "上级组织"), ("6", "覆盖单位")]
    );
    assert_eq!(
        coverage(&d),
        rows(&[
            &[
                Some(LIUXIANG),
                Some("顺丰速运柳巷营业部"),
                Some("柳巷街道"),
                Some("2022-03-15"),
                None
            ],
            &[
                Some(LIUXIANG),
                Some("美团柳巷站"),
                Some("柳巷街道"),
                Some("2022-03-15"),
                None
            ],
        ])
    );
}

#[test]
fn parents_in_a_cycle_or_on_a_refused_row_are_row_problems() {
    let d = District::new().org_stations().build();
    d.write(
        "cycle.csv",
        "党组织名称,类型,上级党组织,所属街道\n\
         甲支部,党支部,乙支部,\n\
         乙支部,党支部,甲支部,\n\
         丙支部,党支部,丁党委,\n\
         丁党委,行业党委,,柳港\n\
         戊支部,党支部,甲支部,\n\
         己支部,党支部,己支部,\n",
    );
    let o = d.by_operator(&["import", "orgs", "cycle.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "cycle.csv: 按 UTF-8 读取\n\
         cycle.csv:第7行: 上级党组织(C): 己支部: 写的是本组织自己 — 填它的上级党组织，或者留空\n\
         cycle.csv:第2行: 上级党组织(C): 乙支部: 本文件中的党组织互为上级党组织，形成循环：\
         甲支部 → 乙支部 → 甲支部\n\
         cycle.csv:第3行: 上级党组织(C): 甲支部: 本文件中的党组织互为上级党组织，形成循环：\
         乙支部 → 甲支部 → 乙支部\n\
         cycle.csv:第4行: 上级党组织(C): 丁党委: 它所在的行（第 5 行）未通过 — 请先更正那一行\n\
         cycle.csv:第5行: 所属街道(D): 柳港: 不是已登记的街道 — 是不是“柳巷街道”？\n\
         cycle.csv:第6行: 上级党组织(C): 甲支部: 其上级中，本文件的党组织互为上级党组织，形成循环：\
         甲支部 → 乙支部 → 甲支部\n\
         错误：cycle.csv: 共 6 行，其中 6 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 \
         --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM party_orgs"), 0);
}

#[test]
fn typed_add_update_cover_and_uncover() {
    let d = District::new().orgs().build();
    let sf = "顺丰速运迎泽区党支部";
    d.by_operator(&[
            "org",
            "add",
            "--name",
            sf,
            "--kind",
            "支部",
            "--parent",
            COMMITTEE,
            "--founded-on",
            "2025年7月1日",
            "--secretary",
            "郭建平",
            "--cover",
            "顺丰速运柳巷营业部",
            "货拉拉郝庄服务站",
        ],
    )
    .ok()
    .stderr_has(&[
        "已登记：顺丰速运迎泽区党支部（党支部），上级党组织 迎泽区快递物流行业党委\n顺丰速运柳巷营业部：自 2025-07-01 起由 柳巷街道快递物流联合党支部 改为 顺丰速运迎泽区党支部 覆盖\n货拉拉郝庄服务站：自 2025-07-01 起由 顺丰速运迎泽区党支部 覆盖\n",
    ]);
    let o = d
        .by_operator(&["org", "add", "--name", sf, "--kind", "党支部"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：顺丰速运迎泽区党支部 已经登记 — 修改请用 nuanfeng org update\n"
    );
    // Typed values are checked as a register row is, every problem at once.
    let o = d
        .by_operator(&[
            "org",
            "add",
            "--name",
            "申通快递党支部",
            "--kind",
            "党小组",
            "--founded-on",
            "2099-01-01",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        format!(
            "错误：--kind: 党小组: 不是可用的党组织类型 — 可填：行业党委、党支部、联合党支部、\
             功能型党支部\n--founded-on: 2099-01-01: 是将来的日期（2099-01-01 晚于今天 {}）\n",
            chrono::Local::now().date_naive()
        )
    );
    let o = d
        .by_operator(&[
            "org",
            "add",
            "--name",
            "申通快递党支部",
            "--kind",
            "党支部",
            "--parent",
            "迎泽区快递行业党委",
            "--cover",
            "申通快递文庙网点",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--parent: 迎泽区快递行业党委: 不是已登记的党组织 — 是不是“迎泽区快递物流行业党委”？\n--cover: 申通快递文庙网点: 不在站点台账中 — 是不是“中通快递文庙网点”？\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM party_orgs"), 5);

    // No --founded-on: covered from today; 菜鸟驿站 is found in the organization's street.
    let today = chrono::Local::now().date_naive().to_string();
    d.by_operator(&[
            "org",
            "add",
            "--name",
            "郝庄镇物流企业党支部",
            "--kind",
            "党支部",
            "--street",
            "郝庄",
            "--cover",
            "菜鸟驿站",
        ],
    )
    .ok()
    .stderr_has(&[&format!(
        "已登记：郝庄镇物流企业党支部（党支部）\n菜鸟驿站：自 {today} 起由 郝庄镇物流企业党支部 覆盖\n"
    )]);

    // update: the values given replace, the others stay.
    d.by_operator(&[
        "org",
        "update",
        sf,
        "--secretary",
        "李明",
        "--street",
        "柳巷",
    ])
    .ok()
    .stderr_has(&[
        "已更新：顺丰速运迎泽区党支部（用 nuanfeng org show 顺丰速运迎泽区党支部 查看）",
    ]);
    d.by_operator(&["org", "update", sf, "--secretary", "李明"])
        .ok()
        .stderr_has(&["顺丰速运迎泽区党支部：没有变化"]);
    assert_eq!(
        d.rows(&format!(
            "SELECT o.kind, p.name, s.name, o.founded_on, o.secretary FROM party_orgs o
             JOIN party_orgs p ON p.id = o.parent_id JOIN streets s ON s.id = o.street_id
             WHERE o.name = '{sf}'"
        )),
        rows(&[&[
            Some("branch"),
            Some(COMMITTEE),
            Some("柳巷街道"),
            Some("2025-07-01"),
            Some("李明"),
        ]])
    );
    let o = d
        .by_operator(&["org", "update", COMMITTEE, "--parent", sf])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--parent: 顺丰速运迎泽区党支部: 会形成循环：迎泽区快递物流行业党委 → 顺丰速运迎泽区党支部 → 迎泽区快递物流行业党委 — 党组织不能隶属于自己的下级党组织\n"
    );
    d.by_operator(&["org", "update", sf]).code(2);
    d.by_operator(&["org", "update", "顺丰迎泽党支部", "--secretary", "王强"])
        .code(1)
        .stderr_has(&["错误：没有叫 顺丰迎泽党支部 的党组织 — 是不是“顺丰速运迎泽区党支部”？"]);

    // cover: a station of two streets needs --street; all stations or none.
    let o = d
        .by_operator(&["org", "cover", RIDERS, "菜鸟驿站", "美团柳巷站"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：站点 菜鸟驿站：有几个站点都叫这个名称，分别在 文庙街道、郝庄镇 — 请指明街道（--street，或“街道”一列）\n没有覆盖任何站点\n"
    );
    d.by_operator(&[
            "org",
            "cover",
            WENMIAO,
            "韵达快递文庙网点",
            "中通快递文庙网点",
            "--date",
            "2025-08-01",
        ],
    )
    .ok()
    .stderr_has(&[
        "韵达快递文庙网点：自 2025-08-01 起由 文庙街道快递物流联合党支部 覆盖\n中通快递文庙网点：已经由 文庙街道快递物流联合党支部 覆盖（自 2024-04-12 起）；没有改动\n",
    ]);
    let o = d
        .by_operator(&[
            "org",
            "cover",
            sf,
            "宁化府社区暖蜂驿站",
            "--date",
            "2025-06-30",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：站点 宁化府社区暖蜂驿站：从 2025-06-30 起覆盖会早于该党组织的成立日期（2025-07-01）\n没有覆盖任何站点\n"
    );

    // uncover: the last day covered.
    d.by_operator(&["org", "uncover", "韵达快递文庙网点", "--date", "2025-08-31"],
    )
    .ok()
    .stderr_has(&[
        "韵达快递文庙网点：由 文庙街道快递物流联合党支部 覆盖，自 2025-08-01 起至 2025-08-31 止",
    ]);
    let o = d
        .by_operator(&["org", "uncover", "韵达快递文庙网点"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：韵达快递文庙网点 目前没有党组织覆盖 — 无需结束\n"
    );
    let o = d
        .by_operator(&[
            "org",
            "cover",
            RIDERS,
            "韵达快递文庙网点",
            "--date",
            "2025-08-20",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：站点 韵达快递文庙网点：到 2025-08-31 为止由 文庙街道快递物流联合党支部 覆盖，从 2025-08-20 起覆盖会与之重叠 — 请把日期定在 2025-08-31 之后\n没有覆盖任何站点\n"
    );
    let o = d
        .by_operator(&["org", "uncover", "美团柳巷站", "--date", "2022-03-14"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：美团柳巷站 自 2022-03-15 起才由 柳巷街道快递物流联合党支部 覆盖，覆盖的最后一天不能早于这一天\n"
    );
}

#[test]
fn a_station_moves_from_one_branch_to_another_mid_month() {
    let d = District::new().orgs().build();
    d.by_operator(&[
            "org",
            "cover",
            RIDERS,
            "美团柳巷站",
            "--date",
            "2025-07-16",
        ],
    )
    .ok()
    .stderr_has(&[
        "美团柳巷站：自 2025-07-16 起由 柳巷街道快递物流联合党支部 改为 迎泽区外卖骑手功能型党支部 覆盖\n",
    ]);
    let meituan = || {
        d.rows(
            "SELECT o.name, c.from_on, c.until_on FROM org_coverage c
             JOIN party_orgs o ON o.id = c.org_id JOIN stations st ON st.id = c.station_id
             WHERE st.name = '美团柳巷站' ORDER BY c.id",
        )
    };
    // The old coverage ends on the day before the move: 1–15 July under the joint branch, from
    // 16 July under the functional one.
    assert_eq!(
        meituan(),
        rows(&[
            &[Some(LIUXIANG), Some("2022-03-15"), Some("2025-07-15")],
            &[Some(RIDERS), Some("2025-07-16"), None],
        ])
    );
    // A move may not come before the coverage it ends; covering again changes nothing.
    let o = d
        .by_operator(&[
            "org",
            "cover",
            LIUXIANG,
            "美团柳巷站",
            "--date",
            "2025-07-10",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：站点 美团柳巷站：从 2025-07-16 起由 迎泽区外卖骑手功能型党支部 覆盖，日期为 2025-07-10 的调整会早于这一天 — 请把日期定在 2025-07-16 或之后\n没有覆盖任何站点\n"
    );
    d.by_operator(&["org", "cover", RIDERS, "美团柳巷站", "--date", "2025-07-20"])
        .ok()
        .stderr_has(&[
            "美团柳巷站：已经由 迎泽区外卖骑手功能型党支部 覆盖（自 2025-07-16 起）；没有改动",
        ]);
    // A move on the very day the current coverage began replaces it (no day of it remains).
    d.by_operator(&[
            "org",
            "cover",
            WENMIAO,
            "美团柳巷站",
            "--date",
            "2025-07-16",
        ],
    )
    .ok()
    .stderr_has(&[
        "美团柳巷站：自 2025-07-16 起由 迎泽区外卖骑手功能型党支部 改为 文庙街道快递物流联合党支部 覆盖（取代 迎泽区外卖骑手功能型党支部 当天开始的覆盖）",
    ]);
    d.by_operator(&["org", "cover", RIDERS, "美团柳巷站", "--date", "2025-07-16"])
        .ok();
    assert_eq!(
        meituan(),
        rows(&[
            &[Some(LIUXIANG), Some("2022-03-15"), Some("2025-07-15")],
            &[Some(RIDERS), Some("2025-07-16"), None],
        ])
    );
    // The month ends, and so does the coverage.
    d.by_operator(&["org", "uncover", "美团柳巷站", "--date", "2025-07-31"])
        .ok()
        .stderr_has(&[
            "美团柳巷站：由 迎泽区外卖骑手功能型党支部 覆盖，自 2025-07-16 起至 2025-07-31 止",
        ]);
    assert_eq!(
        meituan(),
        rows(&[
            &[Some(LIUXIANG), Some("2022-03-15"), Some("2025-07-15")],
            &[Some(RIDERS), Some("2025-07-16"), Some("2025-07-31")],
        ])
    );

    // Moving by import: a register gives no day per station, so a station it moves is covered
    // from the row's 成立日期 — refused when that is before the current coverage began — or,
    // with none, from the day of the import.
    d.write(
        "move.csv",
        "党组织名称,类型,成立日期,覆盖站点\n柳巷街道快递物流联合党支部,联合党支部,2022-03-15,饿了么柳巷站\n",
    );
    let o = d.by_operator(&["import", "orgs", "move.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "move.csv: 按 UTF-8 读取\n\
         move.csv:第2行: 覆盖站点(D): 饿了么柳巷站: 从 2023-08-25 起由 迎泽区外卖骑手功能型党支部 覆盖，\
         日期为 2022-03-15 的调整会早于这一天（台账中的一行从成立日期起覆盖所列站点，没有成立日期的从\
         导入当天起）— 请把该站点从名单中去掉，或用 nuanfeng org cover 党组织 站点 --date 日期 调整\n\
         错误：move.csv: 共 1 行，其中 1 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 \
         --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    d.write(
        "move.csv",
        "党组织名称,类型,成立日期,覆盖站点\n柳巷街道快递物流联合党支部,联合党支部,,饿了么柳巷站\n",
    );
    let today = chrono::Local::now().date_naive();
    d.by_operator(&["import", "orgs", "move.csv"])
        .ok()
        .stderr_has(&[&format!(
            "move.csv:第2行: 提示：饿了么柳巷站：自 {today} 起由 迎泽区外卖骑手功能型党支部 改为 \
             柳巷街道快递物流联合党支部 覆盖\n\
             move.csv: 共 1 行：新增 0，更新 1，未变 0\n"
        )]);
    assert_eq!(
        d.rows(
            "SELECT o.name, c.from_on, c.until_on FROM org_coverage c
             JOIN party_orgs o ON o.id = c.org_id JOIN stations st ON st.id = c.station_id
             WHERE st.name = '饿了么柳巷站' ORDER BY c.id",
        ),
        vec![
            vec![
                Some(RIDERS.to_string()),
                Some("2023-08-25".to_string()),
                today.pred_opt().map(|d| d.to_string()),
            ],
            vec![Some(LIUXIANG.to_string()), Some(today.to_string()), None],
        ]
    );
}

#[test]
fn org_list_json_holds_the_documented_keys_and_values() {
    let d = District::new().orgs().build();
    d.by_operator(&["org", "cover", RIDERS, "美团柳巷站", "--date", "2025-07-16"])
        .ok();
    let o = d.by_operator(&["org", "list", "--format", "json"]).ok();
    assert_eq!(o.stderr, "共 4 个党组织，覆盖 6 个站点\n");
    assert_eq!(
        o.json(),
        json!([
            {
                "id": 1, "name": COMMITTEE, "kind": "industry_committee", "parent": null,
                "street": null, "founded_on": "2021-06-18", "secretary": "韩卫东",
                "stations": [], "workers": 0,
                "children": [LIUXIANG, RIDERS, WENMIAO]
            },
            {
                "id": 2, "name": LIUXIANG, "kind": "joint_branch", "parent": COMMITTEE,
                "street": "柳巷街道", "founded_on": "2022-03-15", "secretary": "王建华",
                "stations": ["圆通速递柳巷网点", "顺丰速运柳巷营业部"], "workers": 1,
                "children": []
            },
            {
                "id": 3, "name": RIDERS, "kind": "functional_branch", "parent": COMMITTEE,
                "street": null, "founded_on": "2023-08-25", "secretary": "张海波",
                "stations": ["美团柳巷站", "饿了么柳巷站"], "workers": 2,
                "children": []
            },
            {
                "id": 4, "name": WENMIAO, "kind": "joint_branch", "parent": COMMITTEE,
                "street": "文庙街道", "founded_on": "2024-04-12", "secretary": "刘晓燕",
                "stations": ["中通快递文庙网点", "菜鸟驿站"], "workers": 1,
                "children": []
            }
        ])
    );
    // A street's organizations; the table has the Chinese headers.
    let o = d
        .by_operator(&["org", "list", "--street", "柳巷", "--format", "csv"])
        .ok();
    assert_eq!(
        util::bom_csv(o.raw_stdout.as_slice()),
        vec![
            vec![
                "名称",
                "类型",
                "上级党组织",
                "所属街道",
                "成立日期",
                "书记",
                "覆盖站点数"
            ],
            vec![
                LIUXIANG,
                "联合党支部",
                COMMITTEE,
                "柳巷街道",
                "2022-03-15",
                "王建华",
                "2"
            ],
        ]
    );
    assert_eq!(o.stderr, "共 1 个党组织，覆盖 2 个站点\n");
    // org show: the stations covered now with their first day, and every coverage.
    let show = d
        .by_operator(&["org", "show", RIDERS, "--format", "json"])
        .ok()
        .json();
    assert_eq!(
        show["stations"],
        json!([
            {"name": "美团柳巷站", "kind": "rider_hub", "street": "柳巷街道", "from_on": "2025-07-16", "workers": 2},
            {"name": "饿了么柳巷站", "kind": "rider_hub", "street": "柳巷街道", "from_on": "2023-08-25", "workers": 0}
        ])
    );
    assert_eq!(show["org"]["name"], RIDERS);
    let show = d
        .by_operator(&["org", "show", LIUXIANG, "--format", "json"])
        .ok()
        .json();
    assert_eq!(
        show["coverage"],
        json!([
            {"station": "圆通速递柳巷网点", "from_on": "2022-03-15", "until_on": null},
            {"station": "美团柳巷站", "from_on": "2022-03-15", "until_on": "2025-07-15"},
            {"station": "顺丰速运柳巷营业部", "from_on": "2022-03-15", "until_on": null}
        ])
    );
    let keys: Vec<&String> = show["history"][0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["at", "command", "field", "file", "new", "old", "operator"]
            .iter()
            .collect::<Vec<_>>()
    );
}

#[test]
fn every_change_to_an_organization_is_in_the_change_log() {
    let d = District::new().orgs().build();
    d.by_operator(&[
        "org",
        "update",
        LIUXIANG,
        "--secretary",
        "李明",
        "--kind",
        "党支部",
        "--founded-on",
        "2022-03-01",
    ])
    .ok();
    d.by_operator(&["org", "cover", RIDERS, "美团柳巷站", "--date", "2025-07-16"])
        .ok();
    d.by_operator(&["org", "uncover", "美团柳巷站", "--date", "2025-07-31"])
        .ok();
    let log = d.rows(
        "SELECT o.name, c.field, c.old, c.new, c.command, b.file_name, c.operator
         FROM change_log c JOIN party_orgs o ON o.id = CAST(c.entity_id AS INTEGER)
         LEFT JOIN import_batches b ON b.id = c.batch_id
         WHERE c.entity = 'org' ORDER BY c.id",
    );
    let import = |org: &str, field: &str, new: &str| -> Vec<Option<String>> {
        vec![
            Some(org.to_string()),
            Some(field.to_string()),
            None,
            Some(new.to_string()),
            Some("import orgs".to_string()),
            Some("orgs.csv".to_string()),
            Some("wangli".to_string()),
        ]
    };
    let typed = |org: &str, field: &str, old: Option<&str>, new: Option<&str>, command: &str| {
        vec![
            Some(org.to_string()),
            Some(field.to_string()),
            old.map(str::to_string),
            new.map(str::to_string),
            Some(command.to_string()),
            None,
            Some("wangli".to_string()),
        ]
    };
    assert_eq!(
        log,
        vec![
            import(COMMITTEE, "*", COMMITTEE),
            import(LIUXIANG, "*", LIUXIANG),
            import(LIUXIANG, "cover", "顺丰速运柳巷营业部 2022-03-15–"),
            import(LIUXIANG, "cover", "美团柳巷站 2022-03-15–"),
            import(LIUXIANG, "cover", "圆通速递柳巷网点 2022-03-15–"),
            import(RIDERS, "*", RIDERS),
            import(RIDERS, "cover", "饿了么柳巷站 2023-08-25–"),
            import(WENMIAO, "*", WENMIAO),
            import(WENMIAO, "cover", "中通快递文庙网点 2024-04-12–"),
            import(WENMIAO, "cover", "菜鸟驿站 2024-04-12–"),
            typed(
                LIUXIANG,
                "kind",
                Some("joint_branch"),
                Some("branch"),
                "org update"
            ),
            typed(
                LIUXIANG,
                "founded_on",
                Some("2022-03-15"),
                Some("2022-03-01"),
                "org update"
            ),
            typed(
                LIUXIANG,
                "secretary",
                Some("王建华"),
                Some("李明"),
                "org update"
            ),
            typed(
                LIUXIANG,
                "cover",
                Some("美团柳巷站 2022-03-15–"),
                Some("美团柳巷站 2022-03-15–2025-07-15"),
                "org cover"
            ),
            typed(
                RIDERS,
                "cover",
                None,
                Some("美团柳巷站 2025-07-16–"),
                "org cover"
            ),
            typed(
                RIDERS,
                "cover",
                Some("美团柳巷站 2025-07-16–"),
                Some("美团柳巷站 2025-07-16–2025-07-31"),
                "org uncover"
            ),
        ]
    );
    // org show prints the history with Chinese field names and labels.
    let o = d.by_operator(&["org", "show", LIUXIANG]).ok();
    o.stdout_has(&[
        "| 类型         党支部",
        "类型       联合党支部",
        "覆盖站点   美团柳巷站 2022-03-15–   美团柳巷站 2022-03-15–2025-07-15   org cover",
    ]);
    assert_eq!(o.stderr, "覆盖 2 个站点，共 8 条变更\n");
}

#[test]
fn covering_again_from_an_earlier_day_corrects_the_first_day() {
    let d = District::new().orgs().build();
    // 饿了么柳巷站 is covered by the riders' branch from its 成立日期 2023-08-25; the office
    // finds it was covered from 2023-09-01 — later: nothing changes — and from 2023-08-25…
    d.by_operator(&[
        "org",
        "cover",
        RIDERS,
        "饿了么柳巷站",
        "--date",
        "2023-09-01",
    ])
    .ok()
    .stderr_has(&[
        "饿了么柳巷站：已经由 迎泽区外卖骑手功能型党支部 覆盖（自 2023-08-25 起）；没有改动",
    ]);
    // …and a first day earlier than the organization's founding is refused.
    d.by_operator(&[
        "org",
        "cover",
        RIDERS,
        "饿了么柳巷站",
        "--date",
        "2023-08-01",
    ])
    .code(1)
    .stderr_has(&["从 2023-08-01 起覆盖会早于该党组织的成立日期（2023-08-25）"]);
    // The founding was earlier: correct it, then the coverage's first day.
    d.by_operator(&["org", "update", RIDERS, "--founded-on", "2023-06-01"])
        .ok();
    d.by_operator(&[
        "org",
        "cover",
        RIDERS,
        "饿了么柳巷站",
        "--date",
        "2023-06-01",
    ])
    .ok()
    .stderr_has(&[
        "饿了么柳巷站：自 2023-06-01 起由 迎泽区外卖骑手功能型党支部 覆盖（原为自 2023-08-25 起）",
    ]);
    let c = coverage(&d);
    assert!(
        c.contains(
            &rows(&[&[
                Some(RIDERS),
                Some("饿了么柳巷站"),
                Some("柳巷街道"),
                Some("2023-06-01"),
                None
            ]])[0]
        ),
        "{c:?}"
    );
}
