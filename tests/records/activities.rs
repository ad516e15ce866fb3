//! 关爱活动 (care activities): `activity add|list|show`, the activities register (CSV, GBK,
//! a workbook with a title row and a two-row header), its refusals, re-imports, the report
//! figures `care_activities`, `care_participants` and `care_workers` per street and for the
//! district, and a worker's history — on the district fixture plus four workers of
//! [`EXTRA_WORKERS`] (two named 张伟, one who left, one who joined in July).

use rust_xlsxwriter::Workbook;
use serde_json::Value;

use super::{GUO_ZHIWEI, YANG_LI};
use crate::util::{Dir, district};

/// Two workers named 张伟 (柳巷 from 2025-03-01, 庙前), 孙红 (庙前, left on 2025-06-30) and 周强
/// (迎泽, joined on 2025-07-01); valid 身份证号 (GB 11643 check characters).
const EXTRA_WORKERS: &str = "姓名,手机号,身份证号,从业类型,所属街道,入职日期,离职日期
张伟,13912340001,140106199203150013,快递员,柳巷街道,2025-03-01,
张伟,13912340002,140105198805200021,外卖员,庙前街道,,
孙红,13912340003,140107199508110035,外卖员,庙前街道,2024-01-01,2025-06-30
周强,13912340004,140106200001010042,快递员,迎泽街道,2025-07-01,
";

/// The district fixture with the workers of [`EXTRA_WORKERS`].
fn care_district() -> Dir {
    let d = district();
    d.write("extra.csv", EXTRA_WORKERS);
    d.nf(&["import", "workers", "extra.csv"])
        .ok()
        .stderr_has(&["extra.csv: 共 4 行：新增 4"]);
    d
}

fn activities(d: &Dir) -> i64 {
    d.int("SELECT count(*) FROM care_activities")
}

#[test]
fn activity_add_counts_a_worker_once_and_records_the_gifts() {
    let d = care_district();
    // 郭志伟 by name and by number: one person.
    let o = d
        .nf(&[
            "activity",
            "add",
            "--kind",
            "夏日送清凉",
            "--title",
            "夏日送清凉",
            "--date",
            "2025-07-16",
            "--street",
            "柳巷",
            "--station",
            "宁化府社区暖蜂驿站",
            "--worker",
            "郭志伟",
            "--worker",
            GUO_ZHIWEI,
            "--worker",
            "15903514426",
            "--unnamed",
            "30",
            "--gift",
            "绿豆汤礼包=50",
            "--gift",
            "冰糖=20",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "已记录：关爱活动 1：2025-07-16 柳巷街道 送清凉/送温暖“夏日送清凉”，列名从业人员 2 人，其他 30 人\n"
    );
    assert_eq!(
        d.rows(
            "SELECT a.kind, s.name, st.name, a.organizer_kind, a.unnamed, a.batch_id
             FROM care_activities a JOIN streets s ON s.id = a.street_id
             JOIN stations st ON st.id = a.station_id"
        ),
        [vec![
            Some("seasonal_care".to_string()),
            Some("柳巷街道".to_string()),
            Some("宁化府社区暖蜂驿站".to_string()),
            Some("street".to_string()),
            Some("30".to_string()),
            None
        ]]
    );
    assert_eq!(
        d.rows(
            "SELECT w.name FROM care_participants p JOIN workers w ON w.id = p.worker_id
             ORDER BY w.name"
        ),
        [[Some("李浩".to_string())], [Some("郭志伟".to_string())]]
    );
    assert_eq!(
        d.rows("SELECT item, quantity FROM care_gifts ORDER BY item"),
        [
            [Some("冰糖".to_string()), Some("20".to_string())],
            [Some("绿豆汤礼包".to_string()), Some("50".to_string())]
        ]
    );

    // The same day, street and title again: refused, nothing added.
    let o = d
        .nf(&[
            "activity",
            "add",
            "--kind",
            "送清凉",
            "--title",
            "夏日送清凉",
            "--date",
            "2025-07-16",
            "--street",
            "柳巷街道",
            "--worker",
            "张敏",
        ])
        .code(1);
    assert_eq!(
        o.stderr,
        "错误：--title: 夏日送清凉: 这一天这个街道已有同名活动（编号 1）— 没有重复添加；查看：nuanfeng activity show 1\n"
    );
    assert_eq!(activities(&d), 1);

    // show: the workers by name, numbers masked.
    let o = d.nf(&["activity", "show", "1", "--format", "json"]).ok();
    let j = o.json();
    assert_eq!(j["participants"], 32);
    assert_eq!(j["named"], 2);
    assert_eq!(j["workers"][0]["name"], "李浩");
    assert_eq!(j["workers"][0]["phone"], "159****4426");
    o.hides(&["15903514426", GUO_ZHIWEI]);
}

#[test]
fn activity_add_refuses_bad_values_with_every_problem_and_nothing_lands() {
    let d = care_district();
    let add = |extra: &[&str]| {
        let mut args = vec![
            "activity",
            "add",
            "--title",
            "测试活动",
            "--date",
            "2025-07-16",
        ];
        args.extend_from_slice(extra);
        d.nf(&args).code(1).stderr
    };
    assert_eq!(
        add(&[
            "--kind",
            "送冰棍",
            "--street",
            "柳巷",
            "--unnamed",
            "-3",
            "--gift",
            "绿豆汤礼包=0",
            "--gift",
            "冰糖",
        ]),
        "错误：--kind: 送冰棍: 不是可用的活动类型 — 可填：困难帮扶、法律援助、心理咨询、联谊交友、子女托管、送清凉/送温暖、健康体检、技能培训、其他\n\
         --unnamed: -3: 人数不能为负数 — 请填 0 或正整数\n\
         --gift: 绿豆汤礼包=0: 数量须是大于 0 的整数 — 请更正数量，或删去这项物品\n\
         --gift: 冰糖: 没有数量 — 写成 物品=数量，如 绿豆汤礼包=50\n"
    );
    // Unknown and ambiguous workers, a worker who had left, a station of another street.
    assert_eq!(
        add(&[
            "--kind",
            "心理咨询",
            "--street",
            "文庙",
            "--station",
            "宁化府社区暖蜂驿站",
            "--worker",
            "张伟",
            "--worker",
            "孙红",
            "--worker",
            "王五",
            "--worker",
            "13900000000",
        ]),
        "错误：--station: 宁化府社区暖蜂驿站: 这个驿站在柳巷街道，不在文庙街道 — 请更正街道或驿站\n\
         --worker: 张伟: 有 2 名从业人员叫这个名字（139****0001，柳巷街道、139****0002，庙前街道）— 请改写手机号或身份证号，如 张伟(手机号)\n\
         --date: 2025-07-16: 在 孙红 离职（离职日期 2025-06-30）之后 — 请更正日期；如果此人已回来工作：nuanfeng worker rejoin 号码\n\
         --worker: 王五: 没有叫 王五 的从业人员 — 请核对姓名，或写其手机号或身份证号\n\
         --worker: 139****0000: 没有这个手机号的从业人员 — 先用 nuanfeng worker list 查找，或先导入、用 worker add 登记该从业人员\n"
    );
    // A station that is no 暖蜂驿站; an unknown street with the nearest one.
    assert_eq!(
        add(&[
            "--kind",
            "义诊",
            "--street",
            "柳巷",
            "--station",
            "顺丰速运柳巷营业部",
        ]),
        "错误：--station: 顺丰速运柳巷营业部: 这是快递站点，不是暖蜂驿站 — 活动地点只能是暖蜂驿站；其他地点请写在备注里\n"
    );
    assert_eq!(
        add(&["--kind", "义诊", "--street", "柳港"]),
        "错误：--street: 柳港: 不是已登记的街道 — 是不是“柳巷街道”？\n"
    );
    // Before 周强 joined; 张伟 told apart by his number.
    assert_eq!(
        d.nf(&[
            "activity",
            "add",
            "--kind",
            "义诊",
            "--title",
            "免费体检",
            "--date",
            "2025-06-20",
            "--street",
            "迎泽",
            "--worker",
            "张伟(13912340001)",
            "--worker",
            "周强",
        ])
        .code(1)
        .stderr,
        "错误：--date: 2025-06-20: 在 周强 入职（入职日期 2025-07-01）之前 — 请更正日期；如果入职日期登记错了，先改正它：nuanfeng worker update 号码 --joined-on 日期\n"
    );
    assert_eq!(activities(&d), 0);
    assert_eq!(d.int("SELECT count(*) FROM care_participants"), 0);
}

/// The activities register of [`register_rows`] as CSV text.
const REGISTER: &str = "活动类别,活动主题,活动日期,街道,社区,驿站,主办单位,参与人员,其他参与人数,发放物品
暑期托管,暑期爱心托管班,2025-07-08,柳巷街道,宁化府社区居委会,宁化府社区暖蜂驿站,宁化府社区居委会,郭志伟、张敏,12,文具礼包=10
法律援助,劳动权益法律咨询,2025-07-10,庙前街道,,,山西晋阳律师事务所,张伟(13912340002) 17735240683,5,
夏日送清凉,送清凉进驿站,2025-07-12,文庙街道,,,,17735240683，13935187026,0,绿豆汤礼包×40、藿香正气水×40
联谊交友,快递小哥联谊会,2025-06-28,桥东街道,,,迎泽区快递行业党委,18834071935,20,
";

/// The register's figures for July 2025, counted from its rows: per street (activities,
/// person-times, distinct workers).
const JULY: [(&str, i64, i64, i64); 3] = [
    ("柳巷街道", 1, 2 + 12, 2),
    ("庙前街道", 1, 2 + 5, 2),
    ("文庙街道", 1, 2, 2),
];

fn street_row<'a>(report: &'a Value, street: &str) -> &'a Value {
    report["streets"]
        .as_array()
        .expect("streets")
        .iter()
        .find(|r| r["street"] == street)
        .expect("the street")
}

#[test]
fn an_activities_register_imports_once_and_counts_in_the_reports() {
    let d = care_district();
    d.write("活动.csv", REGISTER);
    let o = d.nf(&["import", "activities", "活动.csv"]).ok();
    assert_eq!(
        o.stderr,
        "活动.csv: 按 UTF-8 读取\n活动.csv: 共 4 行：新增 4，更新 0，未变 0\n"
    );
    assert_eq!(
        d.rows(
            "SELECT a.title, a.kind, a.organizer_kind, a.unnamed,
                    (SELECT count(*) FROM care_participants p WHERE p.activity_id = a.id)
             FROM care_activities a ORDER BY a.date"
        ),
        [
            ["快递小哥联谊会", "social", "industry_committee", "20", "1"],
            ["暑期爱心托管班", "childcare", "community", "12", "2"],
            ["劳动权益法律咨询", "legal_aid", "partner", "5", "2"],
            ["送清凉进驿站", "seasonal_care", "street", "0", "2"],
        ]
        .map(|r| r.map(|c| Some(c.to_string())).to_vec())
    );

    // The same file again changes nothing.
    let o = d.nf(&["import", "activities", "活动.csv"]).ok();
    o.stderr_has(&["活动.csv: 共 4 行：新增 0，更新 0，未变 4"]);
    assert_eq!(activities(&d), 4);

    // A worker in two activities (王宇, 17735240683), counted once per street and once in
    // the district; the figures per street and for the district, from the rows above.
    let r = d
        .nf(&[
            "report", "streets", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    for (street, n, people, workers) in JULY {
        let row = street_row(&r, street);
        assert_eq!(row["care_activities"], n, "{street}");
        assert_eq!(row["care_participants"], people, "{street}");
        assert_eq!(row["care_workers"], workers, "{street}");
    }
    let total = &r["total"];
    assert_eq!(total["care_activities"], 3);
    assert_eq!(total["care_participants"], 14 + 7 + 2);
    // 郭志伟, 张敏, 张伟 (庙前), 王宇, 赵海峰: 王宇 is in 庙前 and 文庙, once in the district.
    assert_eq!(total["care_workers"], 5);
    assert_eq!(street_row(&r, "桥东街道")["care_activities"], 0);
    let june = d
        .nf(&[
            "report", "streets", "--month", "2025-06", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(street_row(&june, "桥东街道")["care_participants"], 21);

    // 王宇's history shows both activities.
    let o = d
        .nf(&["report", "worker", "17735240683", "--format", "json"])
        .ok()
        .json();
    let attended: Vec<&str> = o["timeline"]
        .as_array()
        .expect("a timeline")
        .iter()
        .filter(|e| e["kind"] == "activity")
        .map(|e| e["detail"].as_str().expect("text"))
        .collect();
    assert_eq!(
        attended,
        [
            "法律援助“劳动权益法律咨询”（庙前街道）",
            "送清凉/送温暖“送清凉进驿站”（文庙街道）"
        ]
    );

    // A register that now lists other participants updates the activity.
    d.write(
        "活动.csv",
        REGISTER.replace("郭志伟、张敏,12", "郭志伟、张敏、李浩,11"),
    );
    d.nf(&["import", "activities", "活动.csv"])
        .ok()
        .stderr_has(&["活动.csv: 共 4 行：新增 0，更新 1，未变 3"]);
    assert_eq!(activities(&d), 4);
    assert_eq!(
        d.int(
            "SELECT count(*) FROM care_participants p JOIN care_activities a ON a.id = p.activity_id
             WHERE a.title = '暑期爱心托管班'"
        ),
        3
    );

    // A 离职日期 before an activity the worker took part in is refused, as for any event.
    d.nf(&["worker", "leave", "18834071935", "--date", "2025-06-01"])
        .code(1)
        .stderr_has(&["关爱活动 1 场"]);
}

#[test]
fn a_bad_register_lands_nothing_and_skip_invalid_keeps_the_good_rows() {
    let d = care_district();
    d.write(
        "活动.csv",
        "活动类型,活动名称,活动日期,街道,参与人员,参与人数,发放物品,数量
子女托管,暑期托管,2025-07-08,柳巷街道,郭志伟,12,文具礼包,10
法律援助,法律咨询,2025-07-10,庙前街道,孙红,1,,
送清凉,送清凉,2025-07-12,文庙街道,17735240683,1,绿豆汤=-5,
送清凉,送清凉,2025-07-12,文庙街道,17735240683,0,,
",
    );
    let o = d.nf(&["import", "activities", "活动.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "活动.csv: 按 UTF-8 读取\n\
         活动.csv:第3行: 活动日期(C): 2025-07-10: 在 孙红 离职（离职日期 2025-06-30）之后 — 请更正日期；如果此人已回来工作：nuanfeng worker rejoin 号码\n\
         活动.csv:第4行: 发放物品(G): 绿豆汤=-5: 数量须是大于 0 的整数 — 请更正数量，或删去这项物品\n\
         活动.csv:第5行: 参与人数(F): 0: 参与人数少于列名的 1 名从业人员 — 请更正参与人数\n\
         错误：活动.csv: 共 4 行，其中 3 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(activities(&d), 0);
    d.nf(&["import", "activities", "活动.csv", "--skip-invalid"])
        .ok()
        .stderr_has(&["活动.csv: 共 4 行：新增 1，更新 0，未变 0，有问题 3"]);
    // 参与人数 12 with one worker named: 11 not named; 数量 is the one item's quantity.
    assert_eq!(
        d.rows(
            "SELECT a.unnamed, g.item, g.quantity FROM care_activities a
             JOIN care_gifts g ON g.activity_id = a.id"
        ),
        [[
            Some("11".to_string()),
            Some("文具礼包".to_string()),
            Some("10".to_string())
        ]]
    );
}

#[test]
fn a_gbk_register_and_a_workbook_with_a_title_and_a_two_row_header_are_read() {
    let d = care_district();
    let (gbk, _, _) = encoding_rs::GBK.encode(
        "活动类型,活动名称,活动日期,街道,参与人员,其他参与人数
心理咨询,骑手心理疏导沙龙,2025-07-05,迎泽街道,杨丽 周强,8
",
    );
    d.write("gbk.csv", gbk);
    d.nf(&["import", "activities", "gbk.csv"])
        .ok()
        .stderr_has(&["gbk.csv: 按 GB18030 (GBK) 读取", "共 1 行：新增 1"]);
    assert_eq!(
        d.int("SELECT count(*) FROM care_participants"),
        2,
        "杨丽 and 周强"
    );

    // A title row, then 活动信息 over 类型 | 名称 | 日期 and 参与情况 over 参与人员 | 其他人数.
    let rows: [&[&str]; 4] = [
        &["柳巷街道关爱活动台账（2025年7月）"],
        &[
            "序号",
            "活动信息",
            "",
            "",
            "街道",
            "参与情况",
            "",
            "发放物品",
        ],
        &[
            "",
            "活动类型",
            "活动名称",
            "活动日期",
            "",
            "参与人员",
            "其他参与人数",
            "",
        ],
        &[
            "1",
            "健康体检",
            "新就业群体义诊",
            "2025-07-20",
            "柳巷街道",
            &format!("{GUO_ZHIWEI}、{YANG_LI}"),
            "25",
            "体检套餐=2",
        ],
    ];
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(r as u32, c as u16, *cell).expect("a cell");
            }
        }
    }
    book.save(d.join("台账.xlsx")).expect("the workbook");
    d.nf(&["import", "activities", "台账.xlsx"])
        .ok()
        .stderr_has(&["共 1 行：新增 1，更新 0，未变 0"]);
    assert_eq!(
        d.rows(
            "SELECT a.kind, a.unnamed, count(p.worker_id) FROM care_activities a
             JOIN care_participants p ON p.activity_id = a.id WHERE a.title = '新就业群体义诊'"
        ),
        [["health_check", "25", "2"].map(|c| Some(c.to_string()))]
    );
}

#[test]
fn activity_list_filters_by_street_kind_and_period() {
    let d = care_district();
    d.write("活动.csv", REGISTER);
    d.nf(&["import", "activities", "活动.csv"]).ok();
    let o = d
        .nf(&[
            "activity",
            "list",
            "--month",
            "2025-07",
            "--kind",
            "送清凉",
            "--format",
            "json",
        ])
        .ok();
    assert_eq!(o.stderr, "共 1 场活动，服务 2 人次\n");
    let list = o.json_array();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["title"], "送清凉进驿站");
    assert_eq!(list[0]["gifts"][0]["item"], "绿豆汤礼包");
    assert_eq!(list[0]["gifts"][0]["quantity"], 40);
    let o = d.nf(&["activity", "list", "--street", "庙前"]).ok();
    o.stdout_has(&["劳动权益法律咨询", "山西晋阳律师事务所"]);
    assert_eq!(o.stderr, "共 1 场活动，服务 7 人次\n");
}

#[test]
fn a_partner_organizer_is_linked_to_the_merchant_of_that_name() {
    let d = care_district();
    // The merchant as `merchant add` records it (a row of schema 13's `merchants`).
    d.conn()
        .execute_batch(
            "INSERT INTO merchants (name, kind, street_id, offer, entered_at)
             SELECT '晋阳律师事务所', 'legal', id, '免费法律咨询', '2025-07-01 09:00:00'
             FROM streets WHERE name = '庙前街道';",
        )
        .unwrap();
    d.nf(&[
        "activity",
        "add",
        "--kind",
        "法律援助",
        "--title",
        "劳动权益法律咨询",
        "--date",
        "2025-07-10",
        "--street",
        "庙前",
        "--organizer",
        "晋阳律师事务所",
        "--unnamed",
        "9",
    ])
    .ok();
    assert_eq!(
        d.rows(
            "SELECT a.organizer_kind, m.name FROM care_activities a
             JOIN merchants m ON m.id = a.merchant_id"
        ),
        [["partner", "晋阳律师事务所"].map(|c| Some(c.to_string()))]
    );
}

#[test]
fn check_finds_an_activity_at_a_station_that_is_not_a_rest_station_of_its_street() {
    let d = care_district();
    d.nf(&[
        "activity",
        "add",
        "--kind",
        "送清凉",
        "--title",
        "夏日送清凉",
        "--date",
        "2025-07-16",
        "--station",
        "宁化府社区暖蜂驿站",
        "--worker",
        GUO_ZHIWEI,
    ])
    .ok();
    d.nf(&["check"]).ok();
    // Written by other means: the activity moved to a courier station, 郭志伟 left before it.
    d.conn()
        .execute_batch(&format!(
            "UPDATE care_activities SET station_id =
                 (SELECT id FROM stations WHERE name = '顺丰速运柳巷营业部');
             UPDATE workers SET left_on = '2025-07-01' WHERE phone = '{GUO_ZHIWEI}';"
        ))
        .unwrap();
    let o = d.nf(&["check"]).code(1);
    o.stdout_has(&[
        "关爱活动 1（夏日送清凉）：地点 顺丰速运柳巷营业部 不是本街道的暖蜂驿站",
        "关爱活动 1 场",
    ]);
}

#[test]
fn the_template_has_drop_downs_for_the_kind_and_the_organizer_kind() {
    let d = Dir::new();
    d.nf(&["template", "activities", "-o", "关爱活动台账.xlsx"])
        .ok();
    let file = std::fs::File::open(d.join("关爱活动台账.xlsx")).expect("the workbook");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").expect("the sheet"),
        &mut xml,
    )
    .expect("XML");
    assert!(
        xml.contains(
            "困难帮扶,法律援助,心理咨询,联谊交友,子女托管,送清凉/送温暖,健康体检,技能培训,其他"
        ),
        "{xml}"
    );
    assert!(xml.contains("街道,社区,行业党委,合作单位,其他"), "{xml}");
}

/// The register of [`REGISTER`] with a 困难职工走访 in 柳巷 on `date`.
fn register_with_visit(date: &str) -> String {
    format!("{REGISTER}困难帮扶,困难职工走访,{date},柳巷街道,,,,张敏,6,\n")
}

fn july_people(d: &Dir) -> Value {
    d.nf(&[
        "report", "streets", "--month", "2025-07", "--format", "json",
    ])
    .ok()
    .json()["total"]["care_participants"]
        .clone()
}

#[test]
fn a_corrected_date_is_noted_and_the_old_activity_can_be_deleted() {
    let d = care_district();
    d.write("活动.csv", register_with_visit("2025-07-22"));
    d.nf(&["import", "activities", "活动.csv"])
        .ok()
        .stderr_has(&["活动.csv: 共 5 行：新增 5，更新 0，未变 0"]);
    assert_eq!(july_people(&d), 14 + 7 + 2 + 7);

    // Next month's register has the date corrected: a second activity, with a note.
    d.write("活动.csv", register_with_visit("2025-07-23"));
    let o = d.nf(&["import", "activities", "活动.csv"]).ok();
    assert_eq!(
        o.stderr,
        "活动.csv: 按 UTF-8 读取\n\
         活动.csv:第6行: 提示：关爱活动“困难职工走访”（柳巷街道）已有 2025-07-22 的一场（编号 5）；\
         若是更正日期，请用 nuanfeng activity delete 5 删除旧的\n\
         活动.csv: 共 5 行：新增 1，更新 0，未变 4\n"
    );
    assert_eq!(activities(&d), 6);
    assert_eq!(july_people(&d), 14 + 7 + 2 + 7 + 7);

    // Typed at the terminal, the same note.
    let o = d
        .nf(&[
            "activity",
            "add",
            "--kind",
            "困难帮扶",
            "--title",
            "困难职工走访",
            "--date",
            "2025-07-28",
            "--street",
            "柳巷",
            "--worker",
            "张敏",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "已记录：关爱活动 7：2025-07-28 柳巷街道 困难帮扶“困难职工走访”，列名从业人员 1 人，其他 0 人\n\
         提示：关爱活动“困难职工走访”（柳巷街道）已有 2025-07-23 的一场（编号 6）；\
         若是更正日期，请用 nuanfeng activity delete 6 删除旧的\n"
    );
    d.nf(&["activity", "delete", "7"]).ok();

    // Delete: a dry run changes nothing; an unknown number is refused.
    let o = d.nf(&["activity", "delete", "5", "--dry-run"]).ok();
    assert_eq!(
        o.stderr,
        "将删除（试运行，未做任何修改）：关爱活动 5：2025-07-22 柳巷街道 困难帮扶“困难职工走访”，\
         连同列名从业人员 1 人（其他 6 人）和发放物品 0 件\n"
    );
    assert_eq!(activities(&d), 6);
    let o = d.nf(&["activity", "delete", "99"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：没有编号为 99 的关爱活动 — 用 nuanfeng activity list 查找编号\n"
    );
    let o = d.nf(&["activity", "delete", "5"]).ok();
    assert_eq!(
        o.stderr,
        "已删除：关爱活动 5：2025-07-22 柳巷街道 困难帮扶“困难职工走访”，\
         连同列名从业人员 1 人（其他 6 人）和发放物品 0 件\n"
    );
    assert_eq!(activities(&d), 5);
    assert_eq!(july_people(&d), 14 + 7 + 2 + 7);
    assert_eq!(
        d.int("SELECT count(*) FROM care_participants WHERE activity_id = 5")
            + d.int("SELECT count(*) FROM care_gifts WHERE activity_id = 5"),
        0
    );
    d.nf(&["activity", "show", "5"]).code(1);
    // The corrected register again changes nothing and notes nothing.
    let o = d.nf(&["import", "activities", "活动.csv"]).ok();
    o.stderr_has(&["活动.csv: 共 5 行：新增 0，更新 0，未变 5\n"]);
    assert!(!o.stderr.contains("提示"), "{}", o.stderr);
}

#[test]
fn an_activity_of_the_street_names_the_street_as_its_organizer() {
    let d = care_district();
    d.write("活动.csv", REGISTER);
    d.nf(&["import", "activities", "活动.csv"]).ok();
    let o = d.nf(&["activity", "list", "--street", "文庙"]).ok();
    o.stdout_has(&["   文庙街道   -      文庙街道（街道）          2 "]);
    let o = d.nf(&["activity", "show", "3"]).ok();
    o.stdout_has(&["| 组织单位   文庙街道（街道）    "]);
    let o = d.nf(&["--lang", "en", "activity", "show", "3"]).ok();
    o.stdout_has(&["文庙街道 (street)"]);
    // Organized by the community, without a name: the community.
    d.nf(&[
        "activity",
        "add",
        "--kind",
        "联谊交友",
        "--title",
        "邻里茶话会",
        "--date",
        "2025-07-20",
        "--street",
        "柳巷",
        "--community",
        "宁化府社区居委会",
        "--organizer-kind",
        "社区",
        "--unnamed",
        "8",
    ])
    .ok();
    let o = d.nf(&["activity", "show", "5"]).ok();
    o.stdout_has(&["| 组织单位   宁化府社区居委会（社区）"]);
    // Written, the organizer's name is shown as it is.
    let o = d.nf(&["activity", "list", "--street", "庙前"]).ok();
    o.stdout_has(&["  山西晋阳律师事务所  "]);
}
