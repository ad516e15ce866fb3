//! Partner merchants (爱心商家/合作单位): the register (CSV in UTF-8 and GBK, a workbook with a
//! title, a merged two-row header and a 合计 row), its refusals, re-import and the next
//! month's version, `merchant list|add|update|end`, and the `partner_merchants` figure of
//! `report streets` and `report district`, each asserted against counts made from the test's
//! own input.

use rust_xlsxwriter::{Format, Workbook};
use serde_json::{Value, json};

use super::{keys, set};
use crate::util::{Dir, find, some};

const HEADER: &str = "商家名称,类型,街道,社区,地址,优惠内容,联系人,联系电话,签约日期,截止日期";

/// Shop names of 庙前街道's barbershops: 24 of them, as the district's report says.
const SHOPS: [&str; 24] = [
    "鑫发",
    "丽人坊",
    "剪艺",
    "顺心",
    "靓发",
    "时尚",
    "名剪",
    "新概念",
    "老街",
    "金剪刀",
    "发艺坊",
    "阿强",
    "美途",
    "尚品",
    "悦容",
    "雅韵",
    "匠心",
    "小杨",
    "伊美",
    "青丝",
    "恒美",
    "首席",
    "东方",
    "锦绣",
];

/// A register of `rows` under [`HEADER`].
fn register(rows: &[String]) -> String {
    let mut s = format!("{HEADER}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

/// 庙前街道's 24 barbershops (signed between March and June 2025), two law firms of 柳巷街道
/// (one whose agreement ended on 2025-07-20, one signed from 2025-08-01), a restaurant of
/// 文庙街道 without dates and an electric-bike repair shop of 郝庄镇.
fn july_rows() -> Vec<String> {
    let mut rows: Vec<String> = SHOPS
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "{s}理发店,{},庙前街道,{},太原市迎泽区庙前街{}号,理发八折,王师傅,1393412{:04},2025-0{}-01,",
                if i % 2 == 0 { "理发" } else { "理发店" },
                if i % 3 == 0 { "海边街社区" } else { "" },
                i + 1,
                5600 + i,
                3 + i % 4,
            )
        })
        .collect();
    rows.extend([
        "山西元亨律师事务所,律师事务所,柳巷街道,宁化府社区,太原市迎泽区柳巷南路12号,免费法律咨询,侯建军,0351-4181627,2025-03-15,2025-07-20".to_string(),
        "山西龙城律师事务所,法律援助,柳巷街道,,太原市迎泽区柳巷北路3号,免费法律咨询,田静,0351-4182246,2025-08-01,".to_string(),
        "老太原刀削面馆,餐饮,文庙街道,,太原市迎泽区上马街8号,就餐九折,韩永强,13546021873,,".to_string(),
        "老王电动车维修,电动车维修,郝庄镇,,太原市迎泽区郝庄镇正街8号,补胎免费,王宏伟,15235170288,2025-06-01,".to_string(),
    ]);
    rows
}

/// The figures of one street in `report streets ARGS --format json`.
fn street_row<'a>(rows: &'a [Value], street: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["street"] == street)
        .unwrap_or_else(|| panic!("no row for {street}"))
}

/// `report streets --month M --format json`: the street rows and the total.
fn streets_json(d: &Dir, month: &str) -> (Vec<Value>, Value) {
    let r = d
        .nf(&["report", "streets", "--month", month, "--format", "json"])
        .ok()
        .json();
    (
        r["streets"].as_array().expect("streets").clone(),
        r["total"].clone(),
    )
}

/// In force on `day`: 签约日期 blank or not after it, 截止日期 blank or not before it — the
/// rule worked out here on the register's own text, not by the program.
fn in_force(rows: &[String], street: &str, day: &str) -> i64 {
    rows.iter()
        .map(|r| r.split(',').collect::<Vec<_>>())
        .filter(|c| c[2] == street)
        .filter(|c| (c[8].is_empty() || c[8] <= day) && (c[9].is_empty() || c[9] >= day))
        .count() as i64
}

fn july() -> Dir {
    let d = Dir::new();
    d.init();
    d.write("爱心商家.csv", register(&july_rows()));
    d.nf(&["import", "merchants", "爱心商家.csv"]).ok();
    d
}

#[test]
fn twenty_four_barbershops_of_one_street_count_in_report_streets_and_the_tables() {
    let d = july();
    let rows = july_rows();
    let (streets, total) = streets_json(&d, "2025-07");
    for (street, want) in [
        ("庙前街道", 24),
        ("柳巷街道", 0),
        ("文庙街道", 1),
        ("郝庄镇", 1),
        ("迎泽街道", 0),
    ] {
        assert_eq!(in_force(&rows, street, "2025-07-31"), want, "{street}");
        assert_eq!(
            street_row(&streets, street)["partner_merchants"],
            want,
            "{street}"
        );
    }
    assert_eq!(total["partner_merchants"], 26);
    // In June, 柳巷's first law firm was in force, and so were all the barbershops (signed
    // from March to June).
    let (june, june_total) = streets_json(&d, "2025-06");
    assert_eq!(street_row(&june, "柳巷街道")["partner_merchants"], 1);
    assert_eq!(
        street_row(&june, "庙前街道")["partner_merchants"],
        in_force(&rows, "庙前街道", "2025-06-30")
    );
    assert_eq!(june_total["partner_merchants"], 24 + 1 + 1 + 1);
    // August: the second law firm counts, the first does not.
    let (august, _) = streets_json(&d, "2025-08");
    assert_eq!(street_row(&august, "柳巷街道")["partner_merchants"], 1);
    // In May only the barbershops signed by 05-31 count: i % 4 ∈ {0, 1, 2}.
    let (may, _) = streets_json(&d, "2025-05");
    assert_eq!(street_row(&may, "庙前街道")["partner_merchants"], 18);

    // The street table (CSV) has the column, with 庙前街道's 24.
    let csv = d
        .nf(&["report", "streets", "--month", "2025-07", "--format", "csv"])
        .ok()
        .stdout;
    let lines: Vec<Vec<&str>> = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(',').collect())
        .collect();
    // A line saying the period, then the header.
    let header = lines.iter().find(|l| l[0] == "街道").expect("the header");
    let col = header
        .iter()
        .position(|h| *h == "爱心商家")
        .expect("a column 爱心商家");
    let miaoqian = lines
        .iter()
        .find(|l| l[0] == "庙前街道")
        .expect("庙前街道's line");
    assert_eq!(miaoqian[col], "24");
    let sum = lines
        .iter()
        .find(|l| l[0] == "合计")
        .expect("the total line");
    assert_eq!(sum[col], "26");
    // The district table says it on its line, for the period and the year to date.
    let district = d
        .nf(&[
            "report", "district", "--month", "2025-07", "--format", "csv",
        ])
        .ok()
        .stdout;
    assert!(
        district.contains("爱心商家（期末有效）,26,26"),
        "{district}"
    );
}

#[test]
fn merchant_list_shows_each_street_with_its_count_and_masks_the_phone() {
    let d = july();
    let o = d.nf(&["merchant", "list", "--format", "json"]).ok();
    let list = o.json_array();
    assert_eq!(list.len(), 28);
    assert_eq!(
        keys(&list),
        set(&[
            "id",
            "name",
            "kind",
            "street",
            "community",
            "address",
            "offer",
            "contact_name",
            "contact_phone",
            "since_on",
            "until_on"
        ])
    );
    assert_eq!(
        o.stderr,
        "柳巷街道 2 家、文庙街道 1 家、庙前街道 24 家、郝庄镇 1 家；共 28 家爱心商家\n"
    );
    let lawyer = find(&list, "name", "山西元亨律师事务所");
    assert_eq!(
        lawyer,
        &json!({
            "id": lawyer["id"],
            "name": "山西元亨律师事务所",
            "kind": "legal",
            "street": "柳巷街道",
            "community": "宁化府社区居委会",
            "address": "太原市迎泽区柳巷南路12号",
            "offer": "免费法律咨询",
            "contact_name": "侯建军",
            "contact_phone": "035*****1627",
            "since_on": "2025-03-15",
            "until_on": "2025-07-20"
        })
    );
    assert_eq!(find(&list, "name", "鑫发理发店")["kind"], "barber");
    assert_eq!(
        find(&list, "name", "老太原刀削面馆")["since_on"],
        Value::Null
    );
    o.hides(&["13934125600", "0351-4181627"]);
    let full = d
        .nf(&[
            "merchant",
            "list",
            "--street",
            "柳巷",
            "--format",
            "json",
            "--show-pii",
        ])
        .ok();
    assert_eq!(
        find(&full.json_array(), "name", "山西元亨律师事务所")["contact_phone"],
        "0351-4181627"
    );
    assert_eq!(full.stderr, "共 2 家爱心商家\n");
    // In force on a day; of a kind.
    let on = d
        .nf(&["merchant", "list", "--on", "2025-07-31", "--format", "json"])
        .ok();
    assert_eq!(on.json_array().len(), 26);
    assert_eq!(
        on.stderr,
        "文庙街道 1 家、庙前街道 24 家、郝庄镇 1 家；共 26 家爱心商家\n"
    );
    let legal = d
        .nf(&[
            "merchant",
            "list",
            "--kind",
            "律师事务所",
            "--format",
            "json",
        ])
        .ok()
        .json_array();
    assert_eq!(legal.len(), 2);
    d.nf(&["merchant", "list", "--kind", "洗衣"])
        .code(2)
        .stderr_has(&[
            "--kind: 洗衣: 不是可用的商家类型 — 可填：理发、餐饮、维修、法律服务、医疗、其他",
        ]);
    // The table, by street.
    let table = d
        .nf(&["merchant", "list", "--street", "郝庄镇"])
        .ok()
        .stdout;
    assert!(table.contains("郝庄镇"), "{table}");
    assert!(table.contains("老王电动车维修"), "{table}");
    assert!(table.contains("维修"), "{table}");
    assert!(table.contains("152****0288"), "{table}");
}

#[test]
fn bad_rows_are_refused_with_their_place_and_nothing_lands() {
    let d = Dir::new();
    d.init();
    d.write(
        "商家.csv",
        register(&[
            "鑫发理发店,理发,庙前街道,海边街社区,,八折,,13934125671,2025-05-01,2025-04-30".into(),
            "老街理发店,洗衣,庙前街道,,,八折,,,2025-05-01,".into(),
            "丽人坊理发店,理发,庙前街到,,,八折,,,2025-05-01,".into(),
            "青丝理发店,理发,庙前街道,宁化府社区,,八折,,,2025-05-01,".into(),
            "剪艺理发店,理发,庙前街道,,,八折,,,2025-05-01,".into(),
            "剪艺理发店,美发,庙前街道,,,九折,,,2025-06-01,".into(),
            // The same name in another street is another merchant.
            "剪艺理发店,美发,柳巷街道,,,九折,,,2025-06-01,".into(),
        ]),
    );
    let o = d.nf(&["import", "merchants", "商家.csv"]).code(1);
    assert_eq!(
        o.stderr,
        "商家.csv: 按 UTF-8 读取\n\
         商家.csv:第2行: 截止日期(J): 2025-04-30: 截止日期 2025-04-30 早于签约日期 2025-05-01 — 核对两个日期，截止日期不能早于签约日期\n\
         商家.csv:第3行: 类型(B): 洗衣: 不是可用的商家类型 — 可填：理发、餐饮、维修、法律服务、医疗、其他\n\
         商家.csv:第4行: 街道(C): 庙前街到: 不是已登记的街道 — 是不是“庙前街道”？\n\
         商家.csv:第5行: 社区(D): 宁化府社区: 宁化府社区居委会属于柳巷街道，不是庙前街道的社区 — 请核对所属街道和所属社区\n\
         商家.csv:第7行: 商家名称(A): 剪艺理发店: 与第 6 行是庙前街道的同一个商家 — 同一街道的商家只留一行\n\
         错误：商家.csv: 共 7 行，其中 5 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 --skip-invalid --rejects FILE 只导入没有问题的行\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM merchants"), 0);
    // With --skip-invalid the good rows land and the bad ones go to the rejects file.
    let o = d
        .nf(&[
            "import",
            "merchants",
            "商家.csv",
            "--skip-invalid",
            "--rejects",
            "退回.csv",
        ])
        .ok();
    o.stderr_has(&["商家.csv: 共 7 行：新增 2，更新 0，未变 0，有问题 5（问题行已写入 退回.csv）"]);
    assert_eq!(
        d.rows("SELECT m.name, s.name, m.kind FROM merchants m JOIN streets s ON s.id = m.street_id ORDER BY m.id"),
        [
            some(&["剪艺理发店", "庙前街道", "barber"]),
            some(&["剪艺理发店", "柳巷街道", "barber"])
        ]
    );
    let rejects = crate::util::bom_csv(&d.read("退回.csv"));
    assert_eq!(rejects.len(), 6);
    assert_eq!(rejects[1][0], "2");
    assert_eq!(rejects[1][2], "截止日期");
    // The phone of a refused row is masked in the rejects file too.
    assert!(
        rejects[1].contains(&"139****5671".to_string()),
        "{:?}",
        rejects[1]
    );
    assert_eq!(rejects[5][0], "7");

    // English.
    let o = d
        .nf(&[
            "--lang",
            "en",
            "import",
            "merchants",
            "商家.csv",
            "--dry-run",
        ])
        .code(1);
    o.stderr_has(&[
        "商家.csv:2: 截止日期 (J): 2025-04-30: the end 2025-04-30 is before the start 2025-05-01 — check both dates: an agreement cannot end before it starts",
        "商家.csv:7: 商家名称 (A): 剪艺理发店: the same merchant of 庙前街道 as line 6 — keep one row per merchant and street",
    ]);
}

#[test]
fn a_register_imported_again_changes_nothing_and_next_month_s_version_updates() {
    let d = july();
    let before = d.rows("SELECT * FROM merchants ORDER BY id");
    let o = d.nf(&["import", "merchants", "爱心商家.csv"]).ok();
    o.stderr_has(&["爱心商家.csv: 共 28 行：新增 0，更新 0，未变 28"]);
    assert_eq!(d.rows("SELECT * FROM merchants ORDER BY id"), before);

    // August's register: 老太原刀削面馆 ended on 2025-08-15, two new merchants (a clinic of
    // 庙前街道, a repair shop of 桥东街道), and the same merchant typed with a blank cell
    // keeps its stored value.
    let mut rows: Vec<String> = july_rows()
        .into_iter()
        .map(|r| {
            if r.starts_with("老太原刀削面馆") {
                "老太原刀削面馆,餐饮,文庙街道,,,就餐九折,,,,2025-08-15".to_string()
            } else {
                r
            }
        })
        .collect();
    rows.push("海边街诊所,诊所,庙前街道,海边街社区,,免费量血压,,,2025-08-01,".into());
    rows.push("小李电动车维修,维修,桥东街道,东岗社区,,补胎免费,,,2025-08-10,".into());
    d.write("爱心商家8月.csv", register(&rows));
    d.nf(&["import", "merchants", "爱心商家8月.csv"])
        .ok()
        .stderr_has(&["爱心商家8月.csv: 共 30 行：新增 2，更新 1，未变 27"]);
    assert_eq!(
        d.rows(
            "SELECT address, contact_phone, until_on FROM merchants WHERE name = '老太原刀削面馆'"
        ),
        [some(&[
            "太原市迎泽区上马街8号",
            "13546021873",
            "2025-08-15"
        ])]
    );
    let (aug, aug_total) = streets_json(&d, "2025-08");
    let (sep, sep_total) = streets_json(&d, "2025-09");
    for street in ["庙前街道", "文庙街道", "桥东街道", "柳巷街道", "郝庄镇"] {
        assert_eq!(
            street_row(&aug, street)["partner_merchants"],
            in_force(&rows, street, "2025-08-31"),
            "{street}"
        );
        assert_eq!(
            street_row(&sep, street)["partner_merchants"],
            in_force(&rows, street, "2025-09-30"),
            "{street}"
        );
    }
    // 庙前 24 + the clinic; 柳巷's second law firm; 郝庄's repair shop; 桥东's new one; the
    // restaurant ended on 08-15.
    assert_eq!(street_row(&aug, "庙前街道")["partner_merchants"], 25);
    assert_eq!(street_row(&aug, "文庙街道")["partner_merchants"], 0);
    assert_eq!(aug_total["partner_merchants"], 28);
    assert_eq!(sep_total["partner_merchants"], 28);
    // July is as it was sent.
    let (_, july_total) = streets_json(&d, "2025-07");
    assert_eq!(july_total["partner_merchants"], 26);

    // A later register that would end a merchant before its stored start is refused.
    d.write(
        "更正.csv",
        register(&["山西龙城律师事务所,法律服务,柳巷街道,,,,,,,2025-07-01".into()]),
    );
    d.nf(&["import", "merchants", "更正.csv"]).code(1).stderr_has(&[
        "更正.csv:第2行: 截止日期(J): 2025-07-01: 截止日期 2025-07-01 早于签约日期 2025-08-01 — 核对两个日期，截止日期不能早于签约日期",
    ]);
}

#[test]
fn a_gbk_register_is_read() {
    let d = Dir::new();
    d.init();
    let text = register(&[
        "鑫发理发店,美发,庙前街道,水西关街一社区,水西关街5号,理发八折,郭建平,13934125671,2025年5月1日,".into(),
        "山西晋阳律师事务所,律所,庙前街道,,新建南路52号,每周三免费法律咨询,郭海峰,0351-4076215,2025/4/1,".into(),
    ]);
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    d.write("商家GBK.csv", gbk);
    let o = d.nf(&["import", "merchants", "商家GBK.csv"]).ok();
    assert_eq!(
        o.stderr,
        "商家GBK.csv: 按 GB18030 (GBK) 读取\n商家GBK.csv: 共 2 行：新增 2，更新 0，未变 0\n"
    );
    assert_eq!(
        d.rows("SELECT m.name, m.kind, c.name, m.since_on FROM merchants m LEFT JOIN communities c ON c.id = m.community_id ORDER BY m.id"),
        [
            some(&["鑫发理发店", "barber", "水西关街一社区居委会", "2025-05-01"]),
            vec![
                Some("山西晋阳律师事务所".into()),
                Some("legal".into()),
                None,
                Some("2025-04-01".into())
            ]
        ]
    );
}

/// 庙前街道's register as the street office builds it: the title merged across row 1; 序号,
/// 商家名称 and 类型 merged down rows 2–3; 经营信息 merged over 经营地址 | 优惠措施, 合作期限
/// over 加入日期 | 到期日期; three merchants and a 合计 row.
#[test]
fn a_workbook_with_a_title_a_merged_two_row_header_and_a_total_row_is_read() {
    let d = Dir::new();
    d.init();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("爱心商家").unwrap();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 7, "庙前街道爱心商家名单（2025年7月）", &f)
        .unwrap();
    for (c, h) in [(0, "序号"), (1, "商户名称"), (2, "行业"), (3, "街道")] {
        ws.merge_range(1, c, 2, c, h, &f).unwrap();
    }
    ws.merge_range(1, 4, 1, 5, "经营信息", &f).unwrap();
    ws.merge_range(1, 6, 1, 7, "合作期限", &f).unwrap();
    for (c, h) in [
        (4, "经营地址"),
        (5, "优惠措施"),
        (6, "加入日期"),
        (7, "到期日期"),
    ] {
        ws.write_string(2, c, h).unwrap();
    }
    let rows = [
        [
            "鑫发理发店",
            "理发",
            "庙前街道",
            "庙前街3号",
            "理发八折",
            "2025-05-01",
            "",
        ],
        [
            "丽人坊美发",
            "美发",
            "庙前街道",
            "海边街12号",
            "洗剪吹八折",
            "2025-05-01",
            "2025-12-31",
        ],
        [
            "仁和诊所",
            "诊所",
            "庙前街道",
            "南海街20号",
            "免费量血压",
            "2025-06-01",
            "",
        ],
    ];
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64).unwrap();
        for (c, v) in r.iter().enumerate() {
            ws.write_string(row, c as u16 + 1, *v).unwrap();
        }
    }
    ws.write_string(6, 0, "合计").unwrap();
    ws.write_string(6, 1, "3家").unwrap();
    book.save(d.join("庙前街道爱心商家.xlsx")).unwrap();
    let o = d.nf(&["import", "merchants", "庙前街道爱心商家.xlsx"]).ok();
    assert_eq!(
        o.stderr,
        "庙前街道爱心商家.xlsx: 按 工作表“爱心商家”（xlsx） 读取\n\
         庙前街道爱心商家.xlsx[爱心商家]: 共 3 行：新增 3，更新 0，未变 0\n"
    );
    assert_eq!(
        d.rows("SELECT name, kind, address, offer, since_on, until_on FROM merchants ORDER BY id"),
        [
            vec![
                Some("鑫发理发店".into()),
                Some("barber".into()),
                Some("庙前街3号".into()),
                Some("理发八折".into()),
                Some("2025-05-01".into()),
                None
            ],
            some(&[
                "丽人坊美发",
                "barber",
                "海边街12号",
                "洗剪吹八折",
                "2025-05-01",
                "2025-12-31"
            ]),
            vec![
                Some("仁和诊所".into()),
                Some("medical".into()),
                Some("南海街20号".into()),
                Some("免费量血压".into()),
                Some("2025-06-01".into()),
                None
            ],
        ]
    );
}

#[test]
fn merchant_add_update_and_end_at_the_terminal() {
    let d = Dir::new();
    d.init();
    let o = d
        .nf(&[
            "merchant",
            "add",
            "--name",
            "山西晋阳律师事务所",
            "--street",
            "庙前",
            "--kind",
            "律师事务所",
            "--offer",
            "每周三免费法律咨询",
            "--contact-phone",
            "0351-4076215",
            "--since",
            "2025-04-01",
        ])
        .ok();
    assert_eq!(o.stderr, "已登记爱心商家：庙前街道山西晋阳律师事务所\n");
    d.nf(&[
        "merchant",
        "add",
        "--name",
        "山西晋阳律师事务所",
        "--street",
        "庙前街道",
        "--kind",
        "法律服务",
    ])
    .code(1)
    .stderr_has(&["山西晋阳律师事务所 已在庙前街道登记 — 修改请用 nuanfeng merchant update"]);
    d.nf(&[
        "merchant", "add", "--name", "新店", "--street", "庙前街道", "--kind", "理发", "--since",
        "2025-05-01", "--until", "2025-04-01",
    ])
    .code(1)
    .stderr_has(&["--until: 2025-04-01: 截止日期 2025-04-01 早于签约日期 2025-05-01 — 核对两个日期，截止日期不能早于签约日期"]);
    d.nf(&[
        "merchant",
        "add",
        "--name",
        "新店",
        "--street",
        "庙前街道",
        "--kind",
        "洗衣",
    ])
    .code(1)
    .stderr_has(&[
        "--kind: 洗衣: 不是可用的商家类型 — 可填：理发、餐饮、维修、法律服务、医疗、其他",
    ]);
    assert_eq!(d.int("SELECT count(*) FROM merchants"), 1);

    d.nf(&[
        "merchant",
        "update",
        "山西晋阳律师事务所",
        "--offer",
        "每周三、周五免费法律咨询",
    ])
    .ok()
    .stderr_has(&["已更新：山西晋阳律师事务所"]);
    d.nf(&["merchant", "end", "山西晋阳律师事务所", "--date", "2025-03-01"])
        .code(1)
        .stderr_has(&["--date 2025-03-01: 截止日期 2025-03-01 早于签约日期 2025-04-01 — 核对两个日期，截止日期不能早于签约日期"]);
    d.nf(&[
        "merchant",
        "end",
        "山西晋阳律师事务所",
        "--date",
        "2025-09-30",
    ])
    .ok()
    .stderr_has(&["庙前街道山西晋阳律师事务所：合作截止到 2025-09-30"]);
    d.nf(&["merchant", "end", "晋阳律师事务所", "--date", "2025-09-30"])
        .code(1)
        .stderr_has(&["商家 晋阳律师事务所：不在爱心商家台账中"]);
    assert_eq!(
        d.rows("SELECT offer, contact_phone, since_on, until_on FROM merchants"),
        [some(&[
            "每周三、周五免费法律咨询",
            "0351-4076215",
            "2025-04-01",
            "2025-09-30"
        ])]
    );
    // In force in September, not in October.
    let (sep, _) = streets_json(&d, "2025-09");
    assert_eq!(street_row(&sep, "庙前街道")["partner_merchants"], 1);
    let (oct, _) = streets_json(&d, "2025-10");
    assert_eq!(street_row(&oct, "庙前街道")["partner_merchants"], 0);
}

#[test]
fn the_template_has_the_standard_headers_and_a_kind_drop_down() {
    let d = Dir::new();
    let o = d.nf(&["template", "merchants"]).ok();
    assert_eq!(
        o.stdout,
        "\u{feff}商家名称,类型,所属街道,所属社区,地址,优惠内容,联系人,联系电话,签约日期,截止日期\n"
    );
    d.nf(&["template", "merchants", "-o", "爱心商家台账.xlsx"])
        .ok();
    // The drop-down list of 类型 is in the sheet's data validations.
    let file = std::fs::File::open(d.join("爱心商家台账.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(
        sheet.contains("&quot;理发,餐饮,维修,法律服务,医疗,其他&quot;")
            || sheet.contains("\"理发,餐饮,维修,法律服务,医疗,其他\""),
        "{sheet}"
    );
}

#[test]
fn check_finds_a_merchant_written_around_the_rules() {
    let d = july();
    d.nf(&["check"]).ok();
    // Another program, with the CHECK constraints off, ends a merchant before its start.
    let conn = d.conn();
    conn.execute_batch(
        "PRAGMA ignore_check_constraints = ON;
         UPDATE merchants SET until_on = '2025-01-01' WHERE name = '鑫发理发店';",
    )
    .unwrap();
    drop(conn);
    d.nf(&["check"])
        .code(1)
        .stdout_has(&["CHECK constraint failed in merchants"]);
}

#[test]
fn a_merchant_renamed_in_next_month_s_register_is_listed_as_absent() {
    let d = july();
    let rows: Vec<String> = july_rows()
        .into_iter()
        .map(|r| r.replacen("鑫发理发店", "庙前街鑫发理发馆", 1))
        .filter(|r| r.contains("庙前街道"))
        .collect();
    d.write("爱心商家8月.csv", register(&rows));
    let before = d.rows("SELECT * FROM merchants ORDER BY id");
    let want = "爱心商家8月.csv: 本台账涵盖的街道（庙前街道）有 1 家仍在合作期内的爱心商家不在台账中：\n  \
         鑫发理发店（庙前街道）\n\
         这些商家照常计数，台账库没有改动；合作已结束（或商家已改名）的，请登记截止日期：nuanfeng merchant end 名称 --street 街道 --date 日期\n";
    let o = d
        .nf(&["import", "merchants", "爱心商家8月.csv", "--dry-run"])
        .ok();
    assert!(o.stderr.ends_with(want), "{}", o.stderr);
    assert_eq!(d.rows("SELECT * FROM merchants ORDER BY id"), before);
    let o = d.nf(&["import", "merchants", "爱心商家8月.csv"]).ok();
    o.stderr_has(&["爱心商家8月.csv: 共 24 行：新增 1，更新 0，未变 23"]);
    assert!(o.stderr.ends_with(want), "{}", o.stderr);
    // Only the streets the register covers: 柳巷, 文庙 and 郝庄 are not listed. In English.
    let o = d
        .nf(&["--lang", "en", "import", "merchants", "爱心商家8月.csv"])
        .ok();
    assert!(
        o.stderr.ends_with(
            "爱心商家8月.csv: 1 partner merchant in force in the streets this register covers (庙前街道) is not in it:\n  \
             鑫发理发店 (庙前街道)\n\
             These merchants keep counting; the registry is unchanged. Where an agreement has ended (or the merchant was renamed), record its end: nuanfeng merchant end NAME --street STREET --date DATE\n"
        ),
        "{}",
        o.stderr
    );
    // Once its end is recorded, it is no longer listed.
    d.nf(&[
        "merchant",
        "end",
        "鑫发理发店",
        "--street",
        "庙前街道",
        "--date",
        "2025-08-01",
    ])
    .ok();
    let o = d.nf(&["import", "merchants", "爱心商家8月.csv"]).ok();
    assert!(!o.stderr.contains("不在台账中"), "{}", o.stderr);
}

#[test]
fn terminal_mistakes_name_the_flag_given_and_what_is_accepted() {
    let d = Dir::new();
    d.init();
    d.nf(&[
        "merchant",
        "add",
        "--name",
        "晋阳大药房柳巷店",
        "--street",
        "柳巷街道",
        "--kind",
        "药店",
        "--since",
        "2026-01-01",
        "--until",
        "2026-06-14",
    ])
    .ok();
    // A start after the stored end blames --since, naming both days.
    let o = d
        .nf(&[
            "merchant",
            "update",
            "晋阳大药房柳巷店",
            "--since",
            "2026-07-01",
        ])
        .code(2);
    assert_eq!(
        o.stderr,
        "错误：--since: 2026-07-01: 截止日期 2026-06-14 早于签约日期 2026-07-01 — 核对两个日期，截止日期不能早于签约日期\n"
    );
    // An end before the stored start still blames --until.
    d.nf(&[
        "merchant",
        "update",
        "晋阳大药房柳巷店",
        "--until",
        "2025-12-31",
    ])
    .code(1)
    .stderr_has(&["--until: 2025-12-31: 截止日期 2025-12-31 早于签约日期 2026-01-01"]);

    // An unknown kind lists the kinds in the user's language.
    d.nf(&["merchant", "list", "--kind", "超市"])
        .code(2)
        .stderr_has(&[
            "错误：--kind: 超市: 不是可用的商家类型 — 可填：理发、餐饮、维修、法律服务、医疗、其他\n",
        ]);
    d.nf(&["--lang", "en", "merchant", "list", "--kind", "超市"])
        .code(2)
        .stderr_has(&[
            "--kind: 超市: not one of the values of 商家类型 — accepted: barber, catering, repair, legal, medical, other\n",
        ]);

    // A contact number that is none of those accepted says what is.
    for bad in ["0351-12", "12345"] {
        d.nf(&[
            "merchant", "add", "--name", "新店", "--street", "柳巷街道", "--kind", "其他",
            "--contact-phone", bad,
        ])
        .code(1)
        .stderr_has(&[&format!(
            "错误：--contact-phone: {bad}: 不是手机号（11 位，13–19 开头）、带区号的座机号（如 0351-4021234）或 400/800 号码（如 400-812-3456）— 核对号码\n"
        )]);
    }

    // The same name in another street is another merchant, and the message says so.
    let add = |street: &str| {
        d.nf(&[
            "merchant",
            "add",
            "--name",
            "柳巷爱心超市",
            "--street",
            street,
            "--kind",
            "其他",
        ])
        .ok()
        .stderr
    };
    assert_eq!(add("柳巷"), "已登记爱心商家：柳巷街道柳巷爱心超市\n");
    assert_eq!(
        add("文庙街道"),
        "已登记爱心商家：文庙街道柳巷爱心超市（柳巷街道也有叫这个名称的商家；商家以街道加名称区分，两者按不同商家登记）\n"
    );
    assert_eq!(
        d.rows("SELECT s.name FROM merchants m JOIN streets s ON s.id = m.street_id WHERE m.name = '柳巷爱心超市' ORDER BY s.name"),
        [some(&["文庙街道"]), some(&["柳巷街道"])]
    );
}
