//! Register upkeep at the terminal: `worker add|update|leave|show` and
//! `station add|update|show`, through the validation of imported rows, with every change in
//! the change log.

use crate::util::{self, Dir, district, find, some};

#[test]
fn worker_add_validates_like_an_imported_row() {
    let d = district();
    let o = d
        .nf(&[
            "worker",
            "add",
            "--name",
            "王磊",
            "--phone",
            "13623518847",
            "--occupation",
            "骑手",
            "--street",
            "柳巷",
            "--community",
            "宁化府社区",
        ])
        .ok();
    assert_eq!(o.stderr, "已登记：王磊\n");
    let w = d.workers();
    let wang = find(&w, "name", "王磊");
    assert_eq!(wang["occupation"], "delivery_rider");
    assert_eq!(wang["street"], "柳巷街道");
    assert_eq!(wang["community"], "宁化府社区居委会");

    // The same errors as an imported cell, named by flag.
    let o = d
        .nf(&[
            "worker",
            "add",
            "--name",
            "赵六",
            "--id-number",
            "1.40106E+17",
            "--occupation",
            "外卖员",
            "--street",
            "柳港",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--id-number: 1.40106E+17: 被存成了数字（显示为科学计数法），后几位已经丢失 — 在 Excel \
         里把这一列设为文本（设置单元格格式 → 文本），再重新输入号码\n"
    );

    // Somebody registered with the number is not added twice.
    let o = d
        .nf(&[
            "worker",
            "add",
            "--name",
            "郭志伟",
            "--phone",
            "13623517804",
            "--occupation",
            "快递员",
            "--street",
            "柳巷街道",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：郭志伟 已用这个号码登记 — 修改登记信息请用 nuanfeng worker update 号码 …\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM workers"), 9);
}

#[test]
fn worker_update_changes_given_fields_and_logs_them_masked() {
    let d = district();
    // 郭志伟 moves to 文庙街道 with a new phone: the old community is left behind.
    let o = d
        .nf(&[
            "worker",
            "update",
            "13623517804",
            "--phone",
            "13912345678",
            "--street",
            "文庙街道",
            "--station",
            "中通快递文庙网点",
        ])
        .ok();
    assert_eq!(o.stderr, "已更新：郭志伟（用 nuanfeng worker show 查看）\n");
    assert_eq!(
        d.rows(
            "SELECT w.phone, s.name, w.community_id, st.name FROM workers w
             JOIN streets s ON s.id = w.street_id JOIN stations st ON st.id = w.station_id
             WHERE w.name = '郭志伟'"
        ),
        [vec![
            Some("13912345678".into()),
            Some("文庙街道".into()),
            None,
            Some("中通快递文庙网点".into())
        ]]
    );
    assert_eq!(
        d.rows(
            "SELECT field, old, new, command, batch_id IS NULL FROM change_log
             WHERE entity = 'worker' AND command = 'worker update' ORDER BY id"
        ),
        [
            some(&["phone", "136****7804", "139****5678", "worker update", "1"]),
            some(&[
                "station",
                "顺丰速运柳巷营业部",
                "中通快递文庙网点",
                "worker update",
                "1"
            ]),
            some(&["street", "柳巷街道", "文庙街道", "worker update", "1"]),
            vec![
                Some("community".into()),
                Some("宁化府社区居委会".into()),
                None,
                Some("worker update".into()),
                Some("1".into())
            ],
        ]
    );
    // The full number never reaches the log.
    assert_eq!(
        d.int("SELECT count(*) FROM change_log WHERE old LIKE '%13623517804%' OR new LIKE '%13912345678%'"),
        0
    );

    // The same values again: nothing changes, nothing is logged.
    let o = d
        .nf(&[
            "worker",
            "update",
            "13912345678",
            "--street",
            "文庙街道",
            "--station",
            "中通快递文庙网点",
        ])
        .ok();
    assert_eq!(o.stderr, "郭志伟：没有变化\n");

    // A number of somebody else is refused.
    let o = d
        .nf(&["worker", "update", "13912345678", "--phone", "15903514426"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--phone: 159****4426: 属于另一名从业人员 李浩\n"
    );

    // Nothing to change is a usage error.
    d.nf(&["worker", "update", "13912345678"]).code(2);
}

#[test]
fn worker_show_prints_the_entry_and_its_history() {
    let d = district();
    d.nf(&[
        "worker",
        "update",
        "15903514426",
        "--political-status",
        "党员",
    ])
    .ok();
    let o = d
        .nf(&["worker", "show", "15903514426", "--format", "json"])
        .ok();
    let j = o.json();
    assert_eq!(j["worker"]["name"], "李浩");
    assert_eq!(j["worker"]["phone"], "159****4426");
    assert_eq!(j["worker"]["political_status"], "party_member");
    let history = j["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["field"], "*");
    assert_eq!(history[0]["command"], "import workers");
    assert_eq!(history[0]["file"], "workers.csv");
    assert_eq!(history[1]["field"], "political_status");
    assert_eq!(history[1]["old"], "masses");
    assert_eq!(history[1]["new"], "party_member");
    assert_eq!(history[1]["command"], "worker update");

    let o = d.nf(&["worker", "show", "15903514426"]).ok();
    o.stdout_has(&[
        "| 姓名       李浩",
        "政治面貌   中共党员",
        "政治面貌   masses   party_member   worker update",
    ])
    .hides(&["15903514426", "140105199407086213"]);
    assert_eq!(o.stderr, "共 2 条变更\n");
}

#[test]
fn worker_who_leaves_stops_counting_after_the_day_and_keeps_history() {
    let d = district();
    d.import("checkins", "district/checkins.csv");
    let july = |d: &Dir| {
        let o = d
            .nf(&[
                "report", "streets", "--month", "2025-07", "--format", "json",
            ])
            .ok();
        let j = o.json();
        let rows = j["streets"].as_array().unwrap().clone();
        find(&rows, "street", "柳巷街道")["workers"]
            .as_i64()
            .unwrap()
    };
    let before = july(&d);
    // Left on the last day of July: still counted in July.
    d.nf(&["worker", "leave", "15903514426", "--date", "2025-07-31"])
        .ok();
    assert_eq!(july(&d), before);
    // Corrected to the 15th: not counted at the end of July.
    let o = d
        .nf(&["worker", "leave", "15903514426", "--date", "2025-07-15"])
        .ok();
    assert_eq!(
        o.stderr,
        "李浩：离职日期由 2025-07-31 更正为 2025-07-15；这一天之后不再计入统计\n"
    );
    assert_eq!(july(&d), before - 1);
    // Not listed as a current worker; listed with --all; check-ins kept.
    let o = d.nf(&["worker", "list"]).ok();
    assert_eq!(
        o.stderr,
        "共 7 人（另有 1 人已离职，未列出：加 --all 可列出）\n"
    );
    assert_eq!(
        d.nf(&["worker", "list", "--all", "--format", "json"])
            .ok()
            .json_array()
            .len(),
        8
    );
    assert!(d.int("SELECT count(*) FROM checkins k JOIN workers w ON w.id = k.worker_id WHERE w.name = '李浩'") > 0);
    // A leaving date in the future is refused like an imported one.
    let o = d
        .nf(&["worker", "leave", "18636021759", "--date", "2999-01-01"])
        .code(1);
    assert!(
        o.stderr
            .starts_with("错误：--date: 2999-01-01: 是将来的日期"),
        "{}",
        o.stderr
    );
}

#[test]
fn station_add_update_show_with_history() {
    let d = district();
    let o = d
        .nf(&[
            "station",
            "add",
            "--name",
            "柳巷暖蜂驿站",
            "--kind",
            "爱心驿站",
            "--street",
            "柳巷",
            "--facilities",
            "饮水、充电、微波炉",
            "--contact-phone",
            "0351-4021234",
        ])
        .ok();
    assert_eq!(o.stderr, "已登记：柳巷暖蜂驿站\n");
    let o = d
        .nf(&[
            "station",
            "update",
            "柳巷暖蜂驿站",
            "--facilities",
            "饮水,充电,药箱",
            "--contact-name",
            "李芳",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "已更新：柳巷暖蜂驿站（用 nuanfeng station show 查看）\n"
    );
    let j = d
        .nf(&[
            "station",
            "show",
            "柳巷暖蜂驿站",
            "--format",
            "json",
            "--show-pii",
        ])
        .ok()
        .json();
    assert_eq!(j["station"]["kind"], "rest_station");
    assert_eq!(j["station"]["street"], "柳巷街道");
    assert_eq!(j["station"]["contact_phone"], "0351-4021234");
    assert_eq!(
        j["station"]["facilities"],
        serde_json::json!(["饮水", "充电", "药箱"])
    );
    let h: Vec<(String, String, String)> = j["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap().to_string(),
                c["new"].as_str().unwrap_or("").to_string(),
                c["command"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        h,
        [
            ("*".into(), "柳巷暖蜂驿站".into(), "station add".into()),
            (
                "contact_name".into(),
                "李芳".into(),
                "station update".into()
            ),
            (
                "facilities".into(),
                "饮水、充电、药箱".into(),
                "station update".into()
            ),
        ]
    );

    // Already registered; unknown station; a bad value named by its flag.
    d.nf(&[
        "station",
        "add",
        "--name",
        "柳巷暖蜂驿站",
        "--kind",
        "暖蜂驿站",
        "--street",
        "柳巷街道",
    ])
    .code(1)
    .stderr_has(&["柳巷暖蜂驿站 已在柳巷街道登记"]);
    d.nf(&["station", "update", "柳巷暖峰驿站", "--address", "x"])
        .code(1)
        .stderr_has(&["站点 柳巷暖峰驿站：不在站点台账中 — 是不是“柳巷暖蜂驿站”？"]);
    d.nf(&[
        "station",
        "update",
        "柳巷暖蜂驿站",
        "--contact-phone",
        "3514021234",
    ])
    .code(1)
    .stderr_has(&["--contact-phone: 351***1234: 像是开头的 0 被 Excel 去掉的座机号"]);
    // A number that is none of those accepted says which are.
    d.nf(&["station", "update", "柳巷暖蜂驿站", "--contact-phone", "0351-12"])
        .code(1)
        .stderr_has(&["--contact-phone: 0351-12: 不是手机号（11 位，13–19 开头）、带区号的座机号（如 0351-4021234）或 400/800 号码（如 400-812-3456）— 核对号码"]);
}

#[test]
fn station_import_changes_are_logged_with_their_batch() {
    let d = district();
    let csv = String::from_utf8(util::fixture_bytes("district/stations.csv"))
        .unwrap()
        .replacen("闫志刚", "闫志强", 1);
    d.write("stations-9月.csv", csv);
    d.nf(&["import", "stations", "stations-9月.csv"]).ok();
    assert_eq!(
        d.rows(
            "SELECT c.field, c.old, c.new, c.command, b.file_name FROM change_log c
             JOIN import_batches b ON b.id = c.batch_id
             WHERE c.entity = 'station' AND c.field <> '*'"
        ),
        [some(&[
            "contact_name",
            "闫志刚",
            "闫志强",
            "import stations",
            "stations-9月.csv"
        ])]
    );
}

#[test]
fn a_worker_who_left_earns_nothing_after_until_they_rejoin() {
    let d = district();
    d.nf(&["worker", "leave", "15903514426", "--date", "2025-08-31"])
        .ok();
    let o = d
        .nf(&["checkin", "add", "15903514426", "--date", "2025-10-15"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--date: 2025-10-15: 在 李浩 离职（离职日期 2025-08-31）之后 — 请更正日期；如果此人已回来工作：nuanfeng worker rejoin 号码\n"
    );
    d.write(
        "services.csv",
        "姓名,手机号,服务日期,活动名称,服务时长\n李浩,15903514426,2025-08-30,助老,2\n李浩,15903514426,2025-09-02,助老,2\n",
    );
    d.nf(&["import", "services", "services.csv"])
        .code(1)
        .stderr_has(&[
            "services.csv:第3行: 服务日期(C): 2025-09-02: 在 李浩 离职（离职日期 2025-08-31）之后",
        ]);
    // Spending what was earned stays possible.
    d.nf(&[
        "points",
        "earn",
        "15903514426",
        "5",
        "--date",
        "2025-08-01",
        "--reason",
        "x",
    ])
    .ok();
    d.nf(&[
        "points",
        "redeem",
        "15903514426",
        "5",
        "--date",
        "2025-09-10",
        "--reason",
        "礼包",
    ])
    .ok();
    let o = d.nf(&["worker", "rejoin", "15903514426"]).ok();
    assert_eq!(
        o.stderr,
        "李浩 重新上岗：离职日期 2025-08-31 已清除（台账中每人只记一段在职期，中间的月份也会计入）\n"
    );
    d.nf(&["checkin", "add", "15903514426", "--date", "2025-10-15"])
        .ok();
    assert_eq!(
        d.rows(
            "SELECT field, old, new, command FROM change_log WHERE field = 'left_on' ORDER BY id"
        ),
        [
            vec![
                Some("left_on".into()),
                None,
                Some("2025-08-31".into()),
                Some("worker leave".into())
            ],
            vec![
                Some("left_on".into()),
                Some("2025-08-31".into()),
                None,
                Some("worker rejoin".into())
            ],
        ]
    );
    // A leaving date typed blank is a usage error; a value kept from the register is named by
    // its column.
    d.nf(&["worker", "leave", "15903514426", "--date", ""])
        .code(2);
    // Not before the check-in of 2025-10-15, made after the rejoin.
    d.nf(&["worker", "leave", "15903514426", "--date", "2025-09-30"])
        .code(1)
        .stderr_has(&[
            "--date: 2025-09-30: 李浩 的离职日期 2025-09-30 早于其 2025-10-15 的报到（离职日期之后还有 1 \
             条记录：报到 1 条）",
        ]);
    d.nf(&["worker", "leave", "15903514426", "--date", "2025-10-31"])
        .ok();
    d.nf(&[
        "worker",
        "update",
        "15903514426",
        "--joined-on",
        "2025-11-01",
    ])
    .code(1)
    .stderr_has(&["离职日期（已登记）: 2025-10-31: 早于入职日期 2025-11-01"]);
}
