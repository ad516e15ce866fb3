//! Coherent registrations: a 离职日期 or 入职日期 that contradicts a worker's events is
//! refused at the terminal, an event outside the worker's working days too; a worker's street
//! follows their station; `check` lists both kinds of disagreement stored by other means.

use crate::util::{District, english_run, some};

/// 郭志伟 (柳巷街道, 顺丰速运柳巷营业部): check-ins on 2025-07-01, 07-15 and 07-20; points +10 on
/// 07-02 and -5 (a redemption) on 07-18.
const GUO: &str = "13623517804";
/// 杨丽 (迎泽街道, no station): a check-in on 2025-08-01.
const YANG: &str = "15135296642";

#[test]
fn a_leaving_date_before_the_workers_events_is_refused_naming_them() {
    let d = District::new().checkins().points().build();
    d.nf(&[
        "service",
        "add",
        GUO,
        "--date",
        "2025-07-12",
        "--activity",
        "助老送餐",
        "--duration",
        "2",
    ])
    .ok();
    let o = d
        .nf(&["worker", "leave", GUO, "--date", "2025-07-10"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--date: 2025-07-10: 郭志伟 的离职日期 2025-07-10 早于其 2025-07-20 的报到（离职日期之后\
         还有 3 条记录：报到 2 条、志愿服务 1 条）— 把离职日期改为 2025-07-20 或之后\n"
    );
    assert_eq!(english_run(&o.stderr), None, "{}", o.stderr);
    let o = d
        .nf(&[
            "--lang",
            "en",
            "worker",
            "leave",
            GUO,
            "--date",
            "2025-07-10",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: --date: 2025-07-10: 郭志伟's 离职日期 2025-07-10 is before their check-in of \
         2025-07-20 (3 records after it: 2 check-ins, 1 volunteer service) — make the 离职日期 \
         2025-07-20 or later\n"
    );
    // The redemption of 07-18 is no reason to stay: a worker who left may spend their points.
    let o = d
        .nf(&["worker", "leave", GUO, "--date", "2025-07-16"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--date: 2025-07-16: 郭志伟 的离职日期 2025-07-16 早于其 2025-07-20 的报到（离职日期之后\
         还有 1 条记录：报到 1 条）— 把离职日期改为 2025-07-20 或之后\n"
    );
    assert_eq!(
        d.rows(&format!(
            "SELECT left_on FROM workers WHERE phone = '{GUO}'"
        )),
        [vec![None]]
    );
    d.nf(&["worker", "leave", GUO, "--date", "2025-07-20"]).ok();
    // Moving the date later is always possible; earlier again is checked again.
    d.nf(&["worker", "leave", GUO, "--date", "2025-08-31"]).ok();
    d.nf(&["worker", "leave", GUO, "--date", "2025-07-19"])
        .code(1)
        .stderr_has(&["郭志伟 的离职日期 2025-07-19 早于其 2025-07-20 的报到"]);
    assert_eq!(
        d.rows(&format!(
            "SELECT left_on FROM workers WHERE phone = '{GUO}'"
        )),
        [some(&["2025-08-31"])]
    );
    d.nf(&["check"]).ok();
}

#[test]
fn a_joining_date_after_the_workers_events_is_refused_and_so_is_an_event_before_it() {
    let d = District::new().checkins().points().build();
    let o = d
        .nf(&["worker", "update", GUO, "--joined-on", "2025-07-16"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--joined-on: 2025-07-16: 郭志伟 的入职日期 2025-07-16 晚于其 2025-07-01 的报到（入职日期之前\
         已有 3 条记录：报到 2 条、积分获得 1 条）— 把入职日期改为 2025-07-01 或之前\n"
    );
    assert_eq!(english_run(&o.stderr), None, "{}", o.stderr);
    d.nf(&["worker", "update", GUO, "--joined-on", "2025-07-01"])
        .ok();

    // Events before the 入职日期, typed or imported, are refused.
    d.nf(&["worker", "update", YANG, "--joined-on", "2025-08-01"])
        .ok();
    let o = d
        .nf(&["checkin", "add", YANG, "--date", "2025-07-20"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--date: 2025-07-20: 在 杨丽 入职（入职日期 2025-08-01）之前 — 请更正日期；如果入职日期登记\
         错了，先改正它：nuanfeng worker update 号码 --joined-on 日期\n"
    );
    let o = d
        .nf(&[
            "--lang",
            "en",
            "checkin",
            "add",
            YANG,
            "--date",
            "2025-07-20",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: --date: 2025-07-20: before 杨丽 joined (入职日期 2025-08-01) — correct the date; if \
         the 入职日期 is wrong, correct it first: nuanfeng worker update NUMBER --joined-on DATE\n"
    );
    for args in [
        &[
            "service",
            "add",
            YANG,
            "--date",
            "2025-07-31",
            "--activity",
            "巡查",
            "--duration",
            "1",
        ][..],
        &[
            "tip",
            "add",
            YANG,
            "--date",
            "2025-07-31",
            "--category",
            "安全隐患",
            "--content",
            "井盖破损",
        ],
        &[
            "points",
            "earn",
            YANG,
            "5",
            "--date",
            "2025-07-31",
            "--reason",
            "x",
        ],
        &[
            "points",
            "redeem",
            YANG,
            "5",
            "--date",
            "2025-07-31",
            "--reason",
            "x",
        ],
    ] {
        d.nf(args)
            .code(1)
            .stderr_has(&["2025-07-31: 在 杨丽 入职（入职日期 2025-08-01）之前"]);
    }
    // A GBK check-in export, as the platform sends it: the row before 入职日期 is named, the
    // file lands not at all.
    let (gbk, _, _) = encoding_rs::GB18030.encode(
        "手机号,报到日期,报到街道,报到社区,事项\r\n\
         15135296642,2025-08-01,迎泽街道,青年路一社区居委会,领取慰问品\r\n\
         15135296642,2025-07-28,迎泽街道,青年路一社区居委会,日常报到\r\n\
         15135296642,2025-08-15,迎泽街道,青年路一社区居委会,日常报到\r\n",
    );
    d.write("报到导出.csv", &gbk);
    let o = d.nf(&["import", "checkins", "报到导出.csv"]).code(1);
    o.stderr_has(&[
        "报到导出.csv:第3行: 报到日期(B): 2025-07-28: 在 杨丽 入职（入职日期 2025-08-01）之前 — 请更正\
         日期；如果入职日期登记错了，先改正它：nuanfeng worker update 号码 --joined-on 日期",
    ]);
    assert_eq!(
        d.int(&format!(
            "SELECT count(*) FROM checkins c JOIN workers w ON w.id = c.worker_id WHERE w.phone = '{YANG}'"
        )),
        1
    );
    d.nf(&["check"]).ok();
}

#[test]
fn a_workers_street_follows_their_station() {
    let d = District::new().build();
    // 郭志伟 works at 顺丰速运柳巷营业部 (柳巷街道): another street alone is refused.
    let o = d
        .nf(&["worker", "update", GUO, "--street", "郝庄镇"])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：所属站点（已登记）: 顺丰速运柳巷营业部: 该站点属于柳巷街道，与所属街道 郝庄镇 不一致 — \
         人员的街道随其站点：改用郝庄镇的站点，或去掉站点（nuanfeng worker update 号码 --street 郝庄镇 \
         --no-station）\n"
    );
    assert_eq!(english_run(&o.stderr), None, "{}", o.stderr);
    let o = d
        .nf(&[
            "--lang",
            "en",
            "worker",
            "update",
            GUO,
            "--street",
            "郝庄镇",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: 所属站点 (registered): 顺丰速运柳巷营业部: this station is in 柳巷街道, not in the \
         所属街道 郝庄镇 — a worker's street follows their station: name a station of 郝庄镇, or \
         take the worker off the station (nuanfeng worker update NUMBER --street 郝庄镇 \
         --no-station)\n"
    );
    // A station of another street moves the worker there, and says so.
    let o = d
        .nf(&["worker", "update", GUO, "--station", "货拉拉郝庄服务站"])
        .ok();
    assert_eq!(
        o.stderr,
        "郭志伟 的所属街道随站点改为 郝庄镇（原为 柳巷街道）\n已更新：郭志伟（用 nuanfeng worker show 查看）\n"
    );
    let guo = || {
        d.rows(&format!(
            "SELECT s.name, st.name, w.community_id FROM workers w JOIN streets s ON s.id = w.street_id
             LEFT JOIN stations st ON st.id = w.station_id WHERE w.phone = '{GUO}'"
        ))
    };
    assert_eq!(
        guo(),
        [vec![
            Some("郝庄镇".into()),
            Some("货拉拉郝庄服务站".into()),
            None
        ]]
    );
    // Off the station, the worker keeps a street of their own.
    d.nf(&[
        "worker",
        "update",
        GUO,
        "--street",
        "桥东街道",
        "--no-station",
    ])
    .ok();
    assert_eq!(guo(), [vec![Some("桥东街道".into()), None, None]]);
    assert_eq!(
        d.rows(&format!(
            "SELECT field, old, new FROM change_log WHERE command = 'worker update'
               AND entity_id = (SELECT id FROM workers WHERE phone = '{GUO}') ORDER BY id"
        )),
        [
            some(&["station", "顺丰速运柳巷营业部", "货拉拉郝庄服务站"]),
            some(&["street", "柳巷街道", "郝庄镇"]),
            vec![
                Some("community".into()),
                Some("宁化府社区居委会".into()),
                None
            ],
            vec![
                Some("station".into()),
                Some("货拉拉郝庄服务站".into()),
                None
            ],
            some(&["street", "郝庄镇", "桥东街道"]),
        ]
    );
    // `worker add` with a station of another street is refused too.
    d.nf(&[
        "worker",
        "add",
        "--name",
        "贺新宇",
        "--phone",
        "13623518847",
        "--occupation",
        "快递员",
        "--station",
        "顺丰速运柳巷营业部",
        "--street",
        "郝庄镇",
    ])
    .code(1)
    .stderr_has(&["--station: 顺丰速运柳巷营业部: 该站点属于柳巷街道，与所属街道 郝庄镇 不一致"]);
    // `--station` alone names the street too.
    d.nf(&[
        "worker",
        "add",
        "--name",
        "贺新宇",
        "--phone",
        "13623518847",
        "--occupation",
        "快递员",
        "--station",
        "货拉拉郝庄服务站",
    ])
    .ok();
    assert_eq!(
        d.rows(
            "SELECT s.name, st.name FROM workers w JOIN streets s ON s.id = w.street_id
             JOIN stations st ON st.id = w.station_id WHERE w.phone = '13623518847'"
        ),
        [some(&["郝庄镇", "货拉拉郝庄服务站"])]
    );
    d.nf(&["check"]).ok();
}

#[test]
fn check_lists_dates_and_stations_that_disagree_in_a_registry_written_by_other_means() {
    let d = District::new().checkins().points().build();
    // What an older build let through: 郭志伟 recorded as left before his last check-ins, 杨丽
    // as joined after hers, 陈磊 (桥东街道) at a station of 柳巷街道.
    d.conn()
        .execute_batch(&format!(
            "UPDATE workers SET left_on = '2025-07-10' WHERE phone = '{GUO}';
             UPDATE workers SET joined_on = '2025-08-15' WHERE phone = '{YANG}';
             UPDATE workers SET station_id = (SELECT id FROM stations WHERE name = '美团柳巷站')
             WHERE name = '陈磊';"
        ))
        .unwrap();
    let o = d.nf(&["check"]).code(1);
    assert_eq!(
        o.stdout.lines().collect::<Vec<_>>(),
        [
            "日期：2 个问题 — 有记录早于人员的入职日期或晚于其离职日期（由旧版本或其他程序写入），这些月份的\
             统计因此对不上 — 入职日期用 nuanfeng worker update 号码 --joined-on 日期 改正，离职日期用 \
             nuanfeng worker leave 号码 --date 日期 改正（或 nuanfeng worker rejoin 号码）",
            "  郭志伟 (#1)：离职日期 2025-07-10 之后还有 2 条记录（报到 2 条），最晚是 2025-07-20 的报到",
            "  杨丽 (#7)：入职日期 2025-08-15 之前已有 1 条记录（报到 1 条），最早是 2025-08-01 的报到",
            "站点与街道：1 个问题 — 有人员的所属站点在另一个街道（由旧版本或其他程序写入），站点名单与街道\
             统计的从业人员数因此对不上 — 用 nuanfeng worker update 号码 --station 站点 改正站点（街道随之\
             改变），或用 --street 街道 --no-station 去掉站点",
            "  陈磊 (#8)：所属站点 美团柳巷站 在柳巷街道，所属街道却是桥东街道",
        ],
        "{}",
        o.stdout
    );
    assert_eq!(
        o.stderr,
        "错误：nf.db：3 个问题（日期、站点与街道，已在上面列出）；通过：结构、完整性、外键、积分账、人员、报到汇总、积分商城、文件\n"
    );
    let o = d.nf(&["--lang", "en", "check"]).code(1);
    assert_eq!(
        o.stdout.lines().collect::<Vec<_>>(),
        [
            "dates: 2 problems — records are dated before a worker's 入职日期 or after their 离职日期 \
             (written by an older version or another program), so the figures of those months \
             disagree — correct the 入职日期 with `nuanfeng worker update NUMBER --joined-on DATE`, \
             the 离职日期 with `nuanfeng worker leave NUMBER --date DATE` (or `nuanfeng worker \
             rejoin NUMBER`)",
            "  郭志伟 (#1): 2 records after the 离职日期 2025-07-10 (2 check-ins), the latest a \
             check-in on 2025-07-20",
            "  杨丽 (#7): 1 record before the 入职日期 2025-08-15 (1 check-in), the earliest a \
             check-in on 2025-08-01",
            "stations and streets: 1 problem — workers are at a station of another street than \
             their own (written by an older version or another program), so the station list and \
             the street figures count them differently — correct the station with `nuanfeng \
             worker update NUMBER --station STATION` (the street follows it), or take them off it \
             with `--street STREET --no-station`",
            "  陈磊 (#8): station 美团柳巷站 is in 柳巷街道, but the worker's street is 桥东街道",
        ],
        "{}",
        o.stdout
    );
    // The fixes the check names clear it.
    d.nf(&["worker", "leave", GUO, "--date", "2025-07-20"]).ok();
    d.nf(&["worker", "update", YANG, "--joined-on", "2025-08-01"])
        .ok();
    d.nf(&["worker", "update", "18834071935", "--station", "美团柳巷站"])
        .ok();
    d.nf(&["check"]).ok();
}
