//! 柳巷街道 of 迎泽区 over two months, as its office and the platform send them: the people,
//! stations and events the test makes up, and the files written from them — the office's
//! registers (.xlsx with a title row, a two-row merged header, a 合计 row and the usual
//! Excel damage; the volunteer-service register as a CSV saved from Excel), the platform's
//! check-in export (GBK CSV, one row per check-in, several a day) and points export (.xlsx).
//!
//! What changes between July and August is data here, not code: [`PHONE_CHANGED`] has a new
//! 手机号 in August, [`GONE`] is absent from August's register, [`NEW`] appears in it; the
//! platform's August exports start on [`AUGUST_EXPORT_FROM`], so they hold July's last days
//! again, with the new 手机号 of the person who changed it.

use encoding_rs::GB18030;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::util::Dir;

/// The street whose registers these are.
pub const STREET: &str = "柳巷街道";

/// A street next door, where a few events happen.
pub const NEIGHBOUR: &str = "文庙街道";

/// The community of [`NEIGHBOUR`] where they happen.
pub const NEIGHBOUR_COMMUNITY: &str = "文庙社区居委会";

/// One station of the street.
pub struct Station {
    /// 站点名称.
    pub name: &'static str,
    /// 站点类型 as the office writes it.
    pub kind: &'static str,
    /// 所属企业 (none for a rest station).
    pub enterprise: &'static str,
    /// 所属社区.
    pub community: &'static str,
    /// 地址.
    pub address: &'static str,
    /// 联系人.
    pub contact: &'static str,
    /// 联系电话.
    pub contact_phone: &'static str,
    /// 服务设施.
    pub facilities: &'static str,
}

/// The stations register of the street: two courier stations, a logistics firm, a rider hub
/// and a rest station.
pub const STATIONS: [Station; 5] = [
    Station {
        name: "顺丰速运柳巷营业部",
        kind: "快递站点",
        enterprise: "顺丰速运",
        community: "察院后社区居委会",
        address: "太原市迎泽区柳巷南路58号",
        contact: "郭建军",
        contact_phone: "13935110258",
        facilities: "",
    },
    Station {
        name: "中通快递柳巷网点",
        kind: "快递站点",
        enterprise: "中通快递",
        community: "宁化府社区居委会",
        address: "太原市迎泽区宁化府街12号",
        contact: "杜晓明",
        contact_phone: "15035170319",
        facilities: "",
    },
    Station {
        name: "德邦物流柳巷营业部",
        kind: "物流企业",
        enterprise: "德邦物流",
        community: "海子边西街社区居委会",
        address: "太原市迎泽区海子边街31号",
        contact: "乔卫平",
        contact_phone: "0351-4048216",
        facilities: "",
    },
    Station {
        name: "美团柳巷站",
        kind: "外卖员集合点",
        enterprise: "美团",
        community: "柴市巷社区居委会",
        address: "太原市迎泽区柴市巷7号",
        contact: "田磊",
        contact_phone: "18603518842",
        facilities: "饮水、充电",
    },
    Station {
        name: "察院后社区暖蜂驿站",
        kind: "暖蜂驿站",
        enterprise: "",
        community: "察院后社区居委会",
        address: "太原市迎泽区察院后街22号",
        contact: "白丽",
        contact_phone: "0351-4061733",
        facilities: "饮水、充电、微波炉、休息座椅",
    },
];

/// One person of the workers register.
pub struct Person {
    /// 姓名 (as the person is called; the register may add a stray space).
    pub name: &'static str,
    /// 性别.
    pub gender: &'static str,
    /// The first 17 characters of the 身份证号; [`id_number`] adds the check character.
    pub id17: &'static str,
    /// 手机号 in July (or on joining).
    pub phone: &'static str,
    /// 政治面貌 as the office writes it.
    pub status: &'static str,
    /// 从业类型 as the office writes it.
    pub occupation: &'static str,
    /// 所属企业.
    pub enterprise: &'static str,
    /// 所属站点, an index into [`STATIONS`].
    pub station: Option<usize>,
    /// 所属社区.
    pub community: &'static str,
    /// 入职日期, `YYYY-MM-DD`.
    pub joined: &'static str,
    /// 备注.
    pub note: &'static str,
}

/// One person: (姓名, 性别, first 17 characters of the 身份证号, 手机号), (政治面貌, 从业类型,
/// 所属企业, 所属站点), (所属社区, 入职日期); no 备注.
const fn person(
    (name, gender, id17, phone): (&'static str, &'static str, &'static str, &'static str),
    (status, occupation, enterprise, station): (
        &'static str,
        &'static str,
        &'static str,
        Option<usize>,
    ),
    (community, joined): (&'static str, &'static str),
) -> Person {
    Person {
        name,
        gender,
        id17,
        phone,
        status,
        occupation,
        enterprise,
        station,
        community,
        joined,
        note: "",
    }
}

/// Everyone of both months: the twelve of July's register, then [`NEW`].
#[rustfmt::skip]
pub const PEOPLE: [Person; 13] = [
    person(("贺新宇", "男", "14010619900307217", "13935112001"), ("中共党员", "快递员", "顺丰速运", Some(0)), ("察院后社区居委会", "2023-04-10")),
    person(("郝晓峰", "男", "14010519940708621", "15835127342"), ("群众", "快递员", "顺丰速运", Some(0)), ("察院后社区居委会", "2024-02-01")),
    person(("李春燕", "女", "14010719970221640", "18636045517"), ("预备党员", "快递员", "中通快递", Some(1)), ("宁化府社区居委会", "2022-09-15")),
    person(("王建斌", "男", "14010620010915659", "13703518826"), ("群众", "快递员", "中通快递", Some(1)), ("宁化府社区居委会", "2024-06-03")),
    person(("张丽娟", "女", "14010519980430676", "15110337985"), ("团员", "外卖骑手", "美团", Some(3)), ("柴市巷社区居委会", "2023-11-20")),
    person(("赵鹏", "男", "14010719860118697", "13834570216"), ("党员", "外卖员", "美团", Some(3)), ("柴市巷社区居委会", "2021-05-06")),
    person(("刘志强", "男", "14072119950327695", "18234129067"), ("群众", "外卖员", "美团", Some(3)), ("校蔚营社区居委会", "2025-03-01")),
    person(("孙浩然", "男", "14010919880104531", "13513653048"), ("群众", "货车司机", "德邦物流", Some(2)), ("海子边西街社区居委会", "2020-08-18")),
    Person { note: "党员先锋岗", ..person(("周敏", "女", "14010619900603716", "15903459871"), ("中共党员", "货车司机", "德邦物流", Some(2)), ("海子边东街社区居委会", "2019-10-09")) },
    person(("吴俊杰", "男", "14010519880827735", "17835094126"), ("群众", "网约车司机", "滴滴出行", None), ("开化寺街南社区居委会", "2024-12-12")),
    person(("韩雪", "女", "14262219960512202", "13994261538"), ("共青团员", "外卖员", "饿了么", None), ("铁匠巷社区居委会", "2025-01-15")),
    person(("马卫东", "男", "14010719790915613", "18903516627"), ("中共党员", "快递员", "京东物流", None), ("起凤街社区居委会", "2022-03-28")),
    person(("贺文静", "女", "14010620030714228", "15536170984"), ("共青团员", "快递员", "顺丰速运", Some(0)), ("察院后社区居委会", "2025-08-04")),
];

/// The person whose 手机号 changes in August, and the new number.
pub const PHONE_CHANGED: (usize, &str) = (3, "19935160472");

/// The person absent from August's register: gone, recorded as left on [`LEFT_ON`].
pub const GONE: usize = 6;

/// The day [`GONE`] is recorded as left.
pub const LEFT_ON: &str = "2025-08-31";

/// The person first in August's register.
pub const NEW: usize = 12;

/// The first day of the platform's August exports: July's last week again.
pub const AUGUST_EXPORT_FROM: &str = "2025-07-25";

/// Excel damage in the workers register: whose 手机号 is a number cell, whose 姓名 and whose
/// 所属站点 carry a trailing space, whose 身份证号 ends in a lower-case x, whose 入职日期 is text
/// rather than a date cell.
const PHONE_AS_NUMBER: usize = 5;
const NAME_WITH_SPACE: usize = 9;
const STATION_WITH_SPACE: usize = 4;
const LOWER_X: usize = 0;
const JOINED_AS_TEXT: usize = 3;

/// The people of a month's register, in its row order: July's twelve; August's without
/// [`GONE`], [`NEW`] added at the bottom.
pub fn register(month: u32) -> Vec<usize> {
    match month {
        7 => (0..12).collect(),
        _ => (0..12).filter(|&i| i != GONE).chain([NEW]).collect(),
    }
}

/// A person's 手机号 in `month`.
pub fn phone(who: usize, month: u32) -> &'static str {
    match PHONE_CHANGED {
        (p, new) if p == who && month >= 8 => new,
        _ => PEOPLE[who].phone,
    }
}

/// A person's 身份证号: the 17 characters and the check character of GB 11643-1999 (weights
/// 2^(17-i) mod 11; the remainder of the weighted sum picks from `10X98765432`).
pub fn id_number(who: usize) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let base = PEOPLE[who].id17;
    let sum: u32 = base
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("a digit") * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{base}{check}")
}

/// Where an event happened: the person's own community, or [`NEIGHBOUR`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The person's community, in [`STREET`].
    Home,
    /// [`NEIGHBOUR_COMMUNITY`] in [`NEIGHBOUR`].
    Neighbour,
}

impl Place {
    /// The street and community of the place for `who`.
    pub fn of(self, who: usize) -> (&'static str, &'static str) {
        match self {
            Place::Home => (STREET, PEOPLE[who].community),
            Place::Neighbour => (NEIGHBOUR, NEIGHBOUR_COMMUNITY),
        }
    }
}

/// One check-in (报到): who, day (`YYYY-MM-DD`), where, 事项.
pub struct Checkin {
    /// The person, an index into [`PEOPLE`].
    pub who: usize,
    /// `YYYY-MM-DD`.
    pub date: &'static str,
    /// Where.
    pub place: Place,
    /// 报到事项.
    pub purpose: &'static str,
}

const fn checkin(who: usize, date: &'static str) -> Checkin {
    Checkin {
        who,
        date,
        place: Place::Home,
        purpose: "日常报到",
    }
}

/// Every check-in of July and August, as the platform knows them. Two rows of one person on
/// one day with the same 事项 are two check-ins (morning and evening).
pub const CHECKINS: &[Checkin] = &[
    checkin(0, "2025-07-03"),
    checkin(0, "2025-07-15"),
    checkin(0, "2025-07-28"),
    checkin(0, "2025-07-28"),
    checkin(1, "2025-07-10"),
    checkin(2, "2025-07-04"),
    checkin(2, "2025-07-18"),
    Checkin {
        place: Place::Neighbour,
        ..checkin(2, "2025-07-22")
    },
    checkin(2, "2025-07-29"),
    checkin(3, "2025-07-08"),
    checkin(3, "2025-07-27"),
    checkin(3, "2025-07-30"),
    checkin(4, "2025-07-12"),
    checkin(5, "2025-07-05"),
    checkin(5, "2025-07-19"),
    checkin(5, "2025-07-26"),
    checkin(6, "2025-07-09"),
    checkin(6, "2025-07-26"),
    checkin(8, "2025-07-02"),
    checkin(8, "2025-07-16"),
    checkin(8, "2025-07-31"),
    checkin(9, "2025-07-21"),
    checkin(11, "2025-07-07"),
    checkin(11, "2025-07-25"),
    Checkin {
        purpose: "志愿服务报到",
        ..checkin(11, "2025-07-25")
    },
    checkin(0, "2025-08-04"),
    checkin(0, "2025-08-18"),
    checkin(1, "2025-08-11"),
    checkin(2, "2025-08-05"),
    checkin(2, "2025-08-19"),
    checkin(2, "2025-08-19"),
    checkin(3, "2025-08-06"),
    checkin(3, "2025-08-20"),
    checkin(4, "2025-08-13"),
    checkin(5, "2025-08-07"),
    Checkin {
        place: Place::Neighbour,
        ..checkin(5, "2025-08-14")
    },
    checkin(5, "2025-08-21"),
    checkin(8, "2025-08-01"),
    checkin(8, "2025-08-15"),
    checkin(8, "2025-08-29"),
    checkin(9, "2025-08-22"),
    checkin(11, "2025-08-08"),
    checkin(11, "2025-08-25"),
    checkin(12, "2025-08-05"),
    checkin(12, "2025-08-26"),
];

/// One row of the points export: who, day, 类别, 积分 as the platform writes it (a
/// redemption negative), 说明.
pub struct PointRow {
    /// The person, an index into [`PEOPLE`].
    pub who: usize,
    /// `YYYY-MM-DD`.
    pub date: &'static str,
    /// 积分类别 as the platform writes it.
    pub category: &'static str,
    /// Points, a redemption negative.
    pub points: i64,
    /// 说明.
    pub reason: &'static str,
}

const fn pts(
    who: usize,
    date: &'static str,
    category: &'static str,
    points: i64,
    reason: &'static str,
) -> PointRow {
    PointRow {
        who,
        date,
        category,
        points,
        reason,
    }
}

/// Every row of the platform's points of July and August. Two identical rows are two
/// entries (two reports of the same kind on one day).
pub const POINTS: &[PointRow] = &[
    pts(0, "2025-07-03", "随手拍", 2, "随手拍上报井盖破损"),
    pts(0, "2025-07-15", "志愿服务", 5, "参加助老送餐"),
    pts(0, "2025-07-28", "积分兑换", -5, "兑换雨衣"),
    pts(2, "2025-07-18", "意见建议", 3, "建议增设电动车充电桩"),
    pts(3, "2025-07-08", "随手拍", 2, "随手拍上报道路积水"),
    pts(3, "2025-07-27", "随手拍", 2, "随手拍上报占道经营"),
    pts(3, "2025-07-30", "积分兑换", -3, "兑换洗衣液"),
    pts(5, "2025-07-19", "随手拍", 2, "随手拍上报乱堆乱放"),
    pts(5, "2025-07-19", "随手拍", 2, "随手拍上报乱堆乱放"),
    pts(6, "2025-07-09", "志愿服务", 5, "参加文明交通劝导"),
    pts(6, "2025-07-26", "积分兑换", -5, "兑换理发券"),
    pts(8, "2025-07-16", "意见建议", 3, "建议错峰派送"),
    pts(8, "2025-07-31", "随手拍", 2, "随手拍上报路灯不亮"),
    pts(11, "2025-07-25", "志愿服务", 5, "参加助老送餐"),
    pts(0, "2025-08-18", "随手拍", 2, "随手拍上报共享单车乱停"),
    pts(3, "2025-08-06", "随手拍", 2, "随手拍上报井盖松动"),
    pts(3, "2025-08-20", "积分兑换", -2, "兑换毛巾"),
    pts(5, "2025-08-07", "意见建议", 3, "建议设置骑手休息点"),
    pts(8, "2025-08-29", "积分兑换", -5, "兑换保温杯"),
    pts(11, "2025-08-25", "随手拍", 2, "随手拍上报垃圾满溢"),
    pts(12, "2025-08-26", "随手拍", 2, "随手拍上报占道经营"),
];

/// One volunteer service: who, day, 活动名称, minutes, where.
pub struct Service {
    /// The person, an index into [`PEOPLE`].
    pub who: usize,
    /// `YYYY-MM-DD`.
    pub date: &'static str,
    /// 活动名称.
    pub activity: &'static str,
    /// 服务时长, in minutes.
    pub minutes: i64,
    /// Where.
    pub place: Place,
}

const fn service(who: usize, date: &'static str, activity: &'static str, minutes: i64) -> Service {
    Service {
        who,
        date,
        activity,
        minutes,
        place: Place::Home,
    }
}

/// The volunteer-service register of each month (the office keeps one a month).
pub const SERVICES: &[Service] = &[
    service(0, "2025-07-15", "助老送餐", 90),
    service(5, "2025-07-19", "文明交通劝导", 120),
    service(6, "2025-07-09", "文明交通劝导", 90),
    service(8, "2025-07-16", "社区环境清洁", 45),
    service(11, "2025-07-25", "助老送餐", 60),
    service(0, "2025-08-18", "社区环境清洁", 60),
    service(2, "2025-08-19", "助老送餐", 120),
    Service {
        place: Place::Neighbour,
        ..service(5, "2025-08-14", "文明交通劝导", 90)
    },
    service(12, "2025-08-26", "文明交通劝导", 45),
];

/// The first and last day of a month of 2025.
pub fn month_days(month: u32) -> (String, String) {
    let last = match month {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (
        format!("2025-{month:02}-01"),
        format!("2025-{month:02}-{last}"),
    )
}

/// The days a platform export of `month` covers: the month, from [`AUGUST_EXPORT_FROM`] for
/// August.
pub fn export_days(month: u32) -> (String, String) {
    let (from, to) = month_days(month);
    if month == 8 {
        (AUGUST_EXPORT_FROM.to_string(), to)
    } else {
        (from, to)
    }
}

fn within(date: &str, (from, to): &(String, String)) -> bool {
    from.as_str() <= date && date <= to.as_str()
}

/// A minutes length as the office types it: `1小时30分`, `2小时`, `45分钟`.
fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}分钟"),
        (h, 0) => format!("{h}小时"),
        (h, m) => format!("{h}小时{m}分"),
    }
}

/// The workbook formats a street office uses: a bold centred title, bordered header cells,
/// bordered data cells, a date format.
struct Formats {
    title: Format,
    header: Format,
    cell: Format,
    date: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        Self {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            header: cell.clone().set_bold(),
            date: cell.clone().set_num_format("yyyy-mm-dd"),
            cell,
        }
    }
}

/// A header of two rows at rows 2–3 (0-based 1–2): each entry is a column on its own (merged
/// down both rows) or a group over its sub-headers (the group merged across, the sub-headers
/// below it).
enum Head {
    One(&'static str),
    Group(&'static str, &'static [&'static str]),
}

/// Writes the title (row 1, merged across) and the two-row header; returns the number of
/// columns.
fn title_and_header(ws: &mut Worksheet, f: &Formats, title: &str, head: &[Head]) -> u16 {
    let columns: u16 = head
        .iter()
        .map(|h| match h {
            Head::One(_) => 1,
            Head::Group(_, subs) => subs.len() as u16,
        })
        .sum();
    ws.merge_range(0, 0, 0, columns - 1, title, &f.title)
        .expect("title");
    ws.set_row_height(0, 30).expect("row height");
    let mut col = 0;
    for h in head {
        match h {
            Head::One(name) => {
                ws.merge_range(1, col, 2, col, name, &f.header)
                    .expect("header cell");
                col += 1;
            }
            Head::Group(name, subs) => {
                let last = col + subs.len() as u16 - 1;
                ws.merge_range(1, col, 1, last, name, &f.header)
                    .expect("group cell");
                for (i, s) in subs.iter().enumerate() {
                    ws.write_string_with_format(2, col + i as u16, *s, &f.header)
                        .expect("sub-header");
                }
                col = last + 1;
            }
        }
    }
    for c in 0..columns {
        ws.set_column_width(c, 14).expect("width");
    }
    columns
}

/// The 合计 row and the footer below the data (row `row`, 0-based): `合计` across the columns
/// before `at`, `total` in column `at`; then who filled the form in, at the end of `month`.
fn footer(
    ws: &mut Worksheet,
    f: &Formats,
    row: u32,
    columns: u16,
    at: u16,
    total: &str,
    month: u32,
) {
    ws.merge_range(row, 0, row, at - 1, "合计", &f.header)
        .expect("合计");
    ws.write_string_with_format(row, at, total, &f.header)
        .expect("total");
    ws.merge_range(
        row + 2,
        0,
        row + 2,
        columns - 1,
        &format!(
            "填表人：王丽        联系电话：0351-4046123        填报日期：2025年{month}月{}日",
            &month_days(month).1[8..]
        ),
        &Format::new(),
    )
    .expect("footer");
}

fn text(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, value: &str) {
    if value.is_empty() {
        ws.write_blank(row, col, &f.cell).expect("blank cell");
    } else {
        ws.write_string_with_format(row, col, value, &f.cell)
            .expect("cell");
    }
}

fn date_cell(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, ymd: &str) {
    let n: Vec<u16> = ymd
        .split('-')
        .map(|p| p.parse::<u16>().expect("a date"))
        .collect();
    let d = ExcelDateTime::from_ymd(n[0], n[1] as u8, n[2] as u8).expect("a date");
    ws.write_datetime_with_format(row, col, &d, &f.date)
        .expect("date cell");
}

/// The stations register of the street (`柳巷街道站点台账（2025年7月）`), under a two-row header
/// whose groups are 所在位置 (所属街道 | 所属社区 | 地址) and 联系方式 (联系人 | 联系电话).
pub fn write_stations_register(d: &Dir, file: &str) {
    let f = Formats::new();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("站点台账").expect("sheet name");
    let head = [
        Head::One("序号"),
        Head::One("站点名称"),
        Head::One("站点类型"),
        Head::One("所属企业"),
        Head::Group("所在位置", &["所属街道", "所属社区", "地址"]),
        Head::Group("联系方式", &["联系人", "联系电话"]),
        Head::One("从业人数"),
        Head::One("服务设施"),
    ];
    let columns = title_and_header(ws, &f, "迎泽区柳巷街道快递物流站点台账（2025年7月）", &head);
    let mut declared = 0;
    for (i, s) in STATIONS.iter().enumerate() {
        let row = 3 + i as u32;
        let workers = register(7)
            .into_iter()
            .filter(|&p| PEOPLE[p].station == Some(i))
            .count();
        declared += workers;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.cell)
            .expect("序号");
        for (col, value) in [
            s.name,
            s.kind,
            s.enterprise,
            STREET,
            s.community,
            s.address,
            s.contact,
            s.contact_phone,
        ]
        .into_iter()
        .enumerate()
        {
            text(ws, &f, row, col as u16 + 1, value);
        }
        ws.write_number_with_format(row, 9, workers as f64, &f.cell)
            .expect("从业人数");
        text(ws, &f, row, 10, s.facilities);
    }
    footer(
        ws,
        &f,
        3 + STATIONS.len() as u32,
        columns,
        9,
        &declared.to_string(),
        7,
    );
    book.save(d.join(file)).expect("save the stations register");
}

/// The workers register of `month` (`迎泽区柳巷街道新就业群体从业人员台账（2025年7月）`): the
/// people of [`register`] under a two-row header whose groups are 身份信息 (身份证号 |
/// 手机号码), 从业信息 (从业类型 | 所属企业 | 所属站点) and 所在地 (所属街道 | 所属社区), with
/// the damage Excel and typing leave.
pub fn write_workers_register(d: &Dir, file: &str, month: u32) {
    let f = Formats::new();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("从业人员台账").expect("sheet name");
    let head = [
        Head::One("序号"),
        Head::One("姓名"),
        Head::One("性别"),
        Head::Group("身份信息", &["身份证号", "手机号码"]),
        Head::One("政治面貌"),
        Head::Group("从业信息", &["从业类型", "所属企业", "所属站点"]),
        Head::Group("所在地", &["所属街道", "所属社区"]),
        Head::One("入职日期"),
        Head::One("备注"),
    ];
    let columns = title_and_header(
        ws,
        &f,
        &format!("迎泽区柳巷街道新就业群体从业人员台账（2025年{month}月）"),
        &head,
    );
    let people = register(month);
    for (i, &who) in people.iter().enumerate() {
        let p = &PEOPLE[who];
        let row = 3 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.cell)
            .expect("序号");
        let name = if who == NAME_WITH_SPACE {
            format!("{} ", p.name)
        } else {
            p.name.to_string()
        };
        text(ws, &f, row, 1, &name);
        text(ws, &f, row, 2, p.gender);
        let id = id_number(who);
        let id = if who == LOWER_X {
            id.to_lowercase()
        } else {
            id
        };
        text(ws, &f, row, 3, &id);
        let phone = phone(who, month);
        if who == PHONE_AS_NUMBER {
            ws.write_number_with_format(row, 4, phone.parse::<f64>().expect("digits"), &f.cell)
                .expect("手机号码");
        } else {
            text(ws, &f, row, 4, phone);
        }
        text(ws, &f, row, 5, p.status);
        text(ws, &f, row, 6, p.occupation);
        text(ws, &f, row, 7, p.enterprise);
        let station = p.station.map_or(String::new(), |s| {
            if who == STATION_WITH_SPACE {
                format!("{} ", STATIONS[s].name)
            } else {
                STATIONS[s].name.to_string()
            }
        });
        text(ws, &f, row, 8, &station);
        text(ws, &f, row, 9, STREET);
        text(ws, &f, row, 10, p.community);
        if who == JOINED_AS_TEXT {
            let n: Vec<u32> = p.joined.split('-').map(|x| x.parse().unwrap()).collect();
            text(ws, &f, row, 11, &format!("{}/{}/{}", n[0], n[1], n[2]));
        } else {
            date_cell(ws, &f, row, 11, p.joined);
        }
        text(ws, &f, row, 12, p.note);
    }
    footer(
        ws,
        &f,
        3 + people.len() as u32,
        columns,
        2,
        &format!("{}人", people.len()),
        month,
    );
    book.save(d.join(file)).expect("save the workers register");
}

/// The check-ins of `month`'s export, in the order the platform lists them (by time).
pub fn checkins_exported(month: u32) -> Vec<&'static Checkin> {
    let days = export_days(month);
    let mut rows: Vec<&Checkin> = CHECKINS.iter().filter(|c| within(c.date, &days)).collect();
    rows.sort_by_key(|c| c.date);
    rows
}

/// The platform's check-in export of `month`, saved as GBK (GB18030) CSV: 序号, 姓名, 手机号码
/// (the number the person has at export time), 报到时间 (date and time), 报到街道, 报到社区 (the
/// short form, without 居委会), 报到事项.
pub fn write_checkins_export(d: &Dir, file: &str, month: u32) {
    let mut out = String::from("序号,姓名,手机号码,报到时间,报到街道,报到社区,报到事项\r\n");
    for (i, c) in checkins_exported(month).into_iter().enumerate() {
        let (street, community) = c.place.of(c.who);
        out.push_str(&format!(
            "{},{},{},{} {:02}:{:02}:{:02},{},{},{}\r\n",
            i + 1,
            PEOPLE[c.who].name,
            phone(c.who, month),
            c.date,
            8 + i % 11,
            (i * 7) % 60,
            (i * 13) % 60,
            street,
            community.trim_end_matches("居委会"),
            c.purpose
        ));
    }
    let (bytes, _, unmappable) = GB18030.encode(&out);
    assert!(!unmappable, "every character has a GB18030 code");
    d.write(file, bytes);
}

/// The points rows of `month`'s export.
pub fn points_exported(month: u32) -> Vec<&'static PointRow> {
    let days = export_days(month);
    let mut rows: Vec<&PointRow> = POINTS.iter().filter(|p| within(p.date, &days)).collect();
    rows.sort_by_key(|p| p.date);
    rows
}

/// The platform's points export of `month` (.xlsx, one header row, 积分 as numbers):
/// 序号, 姓名, 手机号码, 积分日期, 积分类别, 积分, 说明.
pub fn write_points_export(d: &Dir, file: &str, month: u32) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (col, h) in [
        "序号",
        "姓名",
        "手机号码",
        "积分日期",
        "积分类别",
        "积分",
        "说明",
    ]
    .into_iter()
    .enumerate()
    {
        ws.write_string(0, col as u16, h).expect("header");
    }
    for (i, p) in points_exported(month).into_iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64).expect("序号");
        ws.write_string(row, 1, PEOPLE[p.who].name).expect("姓名");
        ws.write_string(row, 2, phone(p.who, month))
            .expect("手机号码");
        ws.write_string(row, 3, p.date).expect("积分日期");
        ws.write_string(row, 4, p.category).expect("积分类别");
        ws.write_number(row, 5, p.points as f64).expect("积分");
        ws.write_string(row, 6, p.reason).expect("说明");
    }
    book.save(d.join(file)).expect("save the points export");
}

/// The services of `month`'s register.
pub fn services_of(month: u32) -> Vec<&'static Service> {
    let days = month_days(month);
    SERVICES.iter().filter(|s| within(s.date, &days)).collect()
}

/// The office's volunteer-service register of `month`, saved from Excel as CSV UTF-8 (with a
/// BOM): 序号, 姓名, 手机号, 服务日期, 活动名称, 服务时长, 服务街道, 服务社区.
pub fn write_services_register(d: &Dir, file: &str, month: u32) {
    let mut out =
        String::from("\u{feff}序号,姓名,手机号,服务日期,活动名称,服务时长,服务街道,服务社区\r\n");
    for (i, s) in services_of(month).into_iter().enumerate() {
        let (street, community) = s.place.of(s.who);
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\r\n",
            i + 1,
            PEOPLE[s.who].name,
            phone(s.who, month),
            s.date,
            s.activity,
            duration(s.minutes),
            street,
            community
        ));
    }
    d.write(file, out);
}
