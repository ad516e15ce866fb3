//! 文庙街道, next door to 柳巷街道 (`crate::cycle::liuxiang`), as its office keeps its files:
//! a stations register and a workers register saved from Excel as GBK CSV (a title row above
//! the header, a 合计 row below), its own check-in, points and volunteer-service exports — and
//! the district platform's July and August exports of 柳巷's people, which it imports too,
//! keeping the rows of the people on its own register.
//!
//! Three people of 柳巷's register also work in 文庙 ([`SHARED`]): 李春燕 and 赵鹏 with the
//! same 身份证号 and 手机号, and 王建斌 under the 手机号 he had in July and no 身份证号 — in
//! August he changes his 手机号 in 柳巷's register, not in this one.

use encoding_rs::GB18030;

use crate::cycle::liuxiang::{self, PEOPLE};
use crate::util::Dir;

/// The street.
pub const STREET: &str = "文庙街道";

/// 文庙's own people: 姓名, 性别, the first 17 characters of the 身份证号, 手机号, 政治面貌,
/// 从业类型, 所属企业, station (index into [`STATIONS`]), 所属社区, 入职日期.
/// One person of [`OWN`].
pub type Own = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    usize,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
pub const OWN: [Own; 4] = [
    (
        "田志刚",
        "男",
        "14010619870512313",
        "13603510011",
        "中共党员",
        "外卖员",
        "美团",
        0,
        "文庙社区居委会",
        "2023-03-01",
    ),
    (
        "冯晓丽",
        "女",
        "14010619920823624",
        "13603510022",
        "群众",
        "快递员",
        "京东物流",
        1,
        "幸福社区居委会",
        "2024-05-10",
    ),
    (
        "曹磊",
        "男",
        "14010519900101335",
        "13603510033",
        "共青团员",
        "外卖员",
        "美团",
        0,
        "文庙社区居委会",
        "2022-11-15",
    ),
    (
        "薛婷",
        "女",
        "14010720000615442",
        "13603510044",
        "群众",
        "快递员",
        "京东物流",
        1,
        "幸福社区居委会",
        "2025-06-01",
    ),
];

/// The people of 柳巷's register on 文庙's too (indexes into `liuxiang::PEOPLE`), and the
/// station each works at here.
pub const SHARED: [(usize, usize); 3] = [(2, 1), (3, 0), (5, 0)];

/// Of [`SHARED`], the one 文庙 knows without 身份证号, by July's 手机号.
pub const WITHOUT_ID: usize = 3;

/// The stations: 站点名称, 站点类型, 所属企业, 所属社区.
pub const STATIONS: [(&str, &str, &str, &str); 2] = [
    ("美团文庙站", "外卖员集合点", "美团", "文庙社区居委会"),
    (
        "京东物流文庙营业部",
        "快递站点",
        "京东物流",
        "幸福社区居委会",
    ),
];

/// A 身份证号 with its check character (GB 11643-1999).
pub fn with_check(id17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = id17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("a digit") * w)
        .sum();
    format!("{id17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

fn gbk(d: &Dir, file: &str, text: &str) {
    let (bytes, _, unmappable) = GB18030.encode(text);
    assert!(!unmappable, "every character has a GB18030 code");
    d.write(file, bytes);
}

/// The stations register (GBK CSV, one header row).
pub fn write_stations(d: &Dir, file: &str) {
    let mut out = String::from("站点名称,站点类型,所属企业,所属街道,所属社区\r\n");
    for (name, kind, enterprise, community) in STATIONS {
        out.push_str(&format!(
            "{name},{kind},{enterprise},{STREET},{community}\r\n"
        ));
    }
    gbk(d, file, &out);
}

/// The workers register of July, as Excel saves it as CSV: a title row, the header, the
/// people (own, then those shared with 柳巷), a 合计 row.
pub fn write_workers(d: &Dir, file: &str) {
    let mut out = String::from("文庙街道新就业群体从业人员台账（2025年7月）,,,,,,,,,,,\r\n");
    out.push_str("序号,姓名,性别,身份证号,手机号,政治面貌,从业类型,所属企业,所属站点,所属街道,所属社区,入职日期\r\n");
    let mut n = 0;
    for (name, gender, id17, phone, status, occupation, enterprise, station, community, joined) in
        OWN
    {
        n += 1;
        out.push_str(&format!(
            "{n},{name},{gender},{},{phone},{status},{occupation},{enterprise},{},{STREET},{community},{joined}\r\n",
            with_check(id17),
            STATIONS[station].0
        ));
    }
    for (who, station) in SHARED {
        n += 1;
        let p = &PEOPLE[who];
        let id = if who == WITHOUT_ID {
            String::new()
        } else {
            liuxiang::id_number(who)
        };
        out.push_str(&format!(
            "{n},{},{},{id},{},{},{},{},{},{STREET},{},2025-05-01\r\n",
            p.name,
            p.gender,
            liuxiang::phone(who, 7),
            p.status,
            p.occupation,
            STATIONS[station].2,
            STATIONS[station].0,
            STATIONS[station].3
        ));
    }
    out.push_str(&format!("合计,{n}人,,,,,,,,,,\r\n"));
    gbk(d, file, &out);
}

/// 文庙's own check-ins of July (the platform's format, GBK): 姓名, 手机号 (index into
/// [`OWN`], or `None` for 李春燕 of 柳巷), day, community. Two on 07-15 of one person.
pub const OWN_CHECKINS: [(Option<usize>, &str, &str); 6] = [
    (Some(0), "2025-07-05", "文庙社区居委会"),
    (Some(0), "2025-07-20", "文庙社区居委会"),
    (Some(1), "2025-07-11", "幸福社区居委会"),
    (Some(2), "2025-07-15", "文庙社区居委会"),
    (Some(2), "2025-07-15", "文庙社区居委会"),
    (None, "2025-07-23", "幸福社区居委会"),
];

/// 文庙's check-in export of its own people for July.
pub fn write_own_checkins(d: &Dir, file: &str) {
    let mut out = String::from("序号,姓名,手机号码,报到时间,报到街道,报到社区,报到事项\r\n");
    for (i, (who, day, community)) in OWN_CHECKINS.iter().enumerate() {
        let (name, phone) = match who {
            Some(o) => (OWN[*o].0, OWN[*o].3),
            None => (PEOPLE[2].name, PEOPLE[2].phone),
        };
        out.push_str(&format!(
            "{},{name},{phone},{day} {:02}:30:00,{STREET},{},日常报到\r\n",
            i + 1,
            9 + i,
            community.trim_end_matches("居委会")
        ));
    }
    gbk(d, file, &out);
}

/// 文庙's own points of July (UTF-8 CSV): 手机号, 日期, 类别, 积分, 说明.
pub fn write_own_points(d: &Dir, file: &str) {
    let out = format!(
        "手机号,日期,类别,积分,说明\r\n\
         {},2025-07-05,随手拍,2,随手拍上报消防通道堵塞\r\n\
         {},2025-07-11,志愿服务,5,参加社区环境清洁\r\n\
         {},2025-07-23,随手拍,2,随手拍上报路面塌陷\r\n",
        OWN[0].3, OWN[1].3, PEOPLE[2].phone
    );
    d.write(file, out);
}

/// 文庙's volunteer-service register of July (UTF-8 CSV).
pub fn write_own_services(d: &Dir, file: &str) {
    let out = format!(
        "姓名,手机号,服务日期,活动名称,服务时长,服务街道,服务社区\r\n\
         {},{},2025-07-20,助老送餐,1小时,{STREET},文庙社区居委会\r\n",
        OWN[0].0, OWN[0].3
    );
    d.write(file, out);
}
