//! The records a register row becomes once validated, and the problem a cell can have
//! ([`CellError`]). The reader makes them (`import::validate`), commands make them from typed
//! flags, and the database stores them: all three speak these types, so none of them needs
//! the others.

use chrono::NaiveDate;

use super::normalize;
use super::{
    ContactNumber, Field, Gender, IdNumber, MerchantKind, Occupation, Phone, PointCategory, Points,
    PoliticalStatus, StationKind, TipCategory, TipStatus, mask_id, mask_numbers, mask_phone,
};

/// One problem with one cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The field whose cell is wrong.
    pub field: Field,
    /// The value as shown in messages: masked when it may be an ID or phone number.
    pub shown: String,
    /// What is wrong and how to fix it.
    pub problem: String,
}

impl CellError {
    /// A problem with `raw` in `field`; `raw` is masked here if the field is personal.
    pub fn new(field: Field, raw: &str, problem: impl Into<String>) -> Self {
        Self {
            field,
            shown: shown(field, raw),
            problem: problem.into(),
        }
    }
}

/// The value of a cell as it may appear in messages: ID and phone columns masked, numbers
/// that may be one masked in any other column, control characters escaped as everything a
/// terminal shows escapes them (`\x1b`, `\u{202e}`: [`super::terminal::terminal_safe`]), and
/// long values cut to 40 characters.
pub fn shown(field: Field, raw: &str) -> String {
    // Control characters are never printed as they are (normalize::is_refused_char).
    cut_masked(field, &super::terminal::terminal_safe(raw))
}

/// [`shown`] for the rejects file, a CSV opened in Excel rather than shown on a terminal:
/// control characters written as their code points (`<U+001B>`), as in the rest of the row.
pub fn shown_in_rejects(field: Field, raw: &str) -> String {
    cut_masked(field, &normalize::escape_refused(raw))
}

/// `raw` (control characters already escaped) masked as its field is, cut to 40 characters.
fn cut_masked(field: Field, raw: &str) -> String {
    let v = match field {
        Field::IdNumber => mask_id(&normalize::folded(raw)),
        Field::Phone | Field::ContactPhone => mask_phone(&normalize::folded(raw)),
        _ => mask_numbers(&normalize::text(raw)),
    };
    if v.chars().count() > 40 {
        v.chars().take(39).chain(std::iter::once('…')).collect()
    } else {
        v
    }
}

/// How a worker is named in an event register: by 身份证号 or 手机号, with the 姓名 written
/// beside them for a cross-check.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkerRef {
    /// 姓名 as written, if any.
    pub name: Option<String>,
    /// A valid 身份证号, if given.
    pub id_number: Option<IdNumber>,
    /// A valid mobile number, if given.
    pub phone: Option<Phone>,
}

/// A row of a workers register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerRecord {
    /// 姓名.
    pub name: String,
    /// 性别, given or read from the 身份证号.
    pub gender: Option<Gender>,
    /// 身份证号.
    pub id_number: Option<IdNumber>,
    /// 手机号.
    pub phone: Option<Phone>,
    /// 政治面貌; `None` when the cell is blank (unknown).
    pub political_status: Option<PoliticalStatus>,
    /// 从业类型.
    pub occupation: Occupation,
    /// 所属企业 name.
    pub enterprise: Option<String>,
    /// 所属站点 name.
    pub station: Option<String>,
    /// 所属街道 as written (resolved by the loader); empty when left blank beside a
    /// 所属站点, whose street the worker then takes.
    pub street: String,
    /// 所属社区 as written.
    pub community: Option<String>,
    /// 入职日期.
    pub joined_on: Option<NaiveDate>,
    /// 离职日期.
    pub left_on: Option<NaiveDate>,
    /// 备注 (line breaks kept).
    pub note: Option<String>,
    /// 组织关系所在党组织 as written: one of our party organizations, or a home organization
    /// elsewhere (resolved by the loader). Party members only.
    pub membership_org: Option<String>,
    /// 所在党组织 as written: our organization the member takes part in. Party members only.
    pub attached_org: Option<String>,
    /// A stage of the membership pipeline written as the 政治面貌 (入党积极分子 → activist,
    /// with 政治面貌 群众), and the day it is known from (the import's day).
    pub stage: Option<(crate::model::Stage, NaiveDate)>,
}

/// A row of a check-ins register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinRecord {
    /// Who checked in.
    pub who: WorkerRef,
    /// 报到日期.
    pub date: NaiveDate,
    /// 报到街道 as written; `None`: the worker's own street.
    pub street: Option<String>,
    /// 报到社区 as written.
    pub community: Option<String>,
    /// 事项, free text (`''` when blank).
    pub purpose: String,
}

/// A row of a points register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointRecord {
    /// Whose points.
    pub who: WorkerRef,
    /// 日期.
    pub date: NaiveDate,
    /// 类别.
    pub category: PointCategory,
    /// Signed points: negative for a redemption.
    pub points: Points,
    /// 说明.
    pub reason: String,
}

/// A row of a stations register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationRecord {
    /// 站点名称.
    pub name: String,
    /// 站点类型.
    pub kind: StationKind,
    /// 所属企业.
    pub enterprise: Option<String>,
    /// 地址.
    pub address: Option<String>,
    /// 所属街道 as written.
    pub street: String,
    /// 所属社区 as written.
    pub community: Option<String>,
    /// 从业人数 as stated.
    pub declared_workers: Option<i64>,
    /// 联系人.
    pub contact_name: Option<String>,
    /// 联系电话 (mobile or landline).
    pub contact_phone: Option<ContactNumber>,
    /// 服务设施, split into a list.
    pub facilities: Vec<String>,
}

/// A row of a partner-merchants register (爱心商家/合作单位台账). A merchant is its name within
/// its street.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantRecord {
    /// 商家名称.
    pub name: String,
    /// 类型.
    pub kind: MerchantKind,
    /// 街道 as written.
    pub street: String,
    /// 社区 as written.
    pub community: Option<String>,
    /// 地址.
    pub address: Option<String>,
    /// 优惠内容: what the merchant offers the workers (八折, 免费法律咨询 …).
    pub offer: Option<String>,
    /// 联系人.
    pub contact_name: Option<String>,
    /// 联系电话 (mobile or landline).
    pub contact_phone: Option<ContactNumber>,
    /// 签约日期: in force from this day.
    pub since_on: Option<NaiveDate>,
    /// 截止日期: in force through this day.
    pub until_on: Option<NaiveDate>,
}

/// A row of a divisions list (`级别,代码,名称,上级代码`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DivisionRecord {
    /// 9 digits (street) or 12 digits (community); empty for a community on no official
    /// list, added by hand.
    pub code: String,
    /// Official name.
    pub name: String,
    /// The parent's code: the district (6 digits) of a street, the street (9) of a community.
    pub parent: String,
}

/// A row of a volunteer-service register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecord {
    /// Who served.
    pub who: WorkerRef,
    /// 服务日期.
    pub date: NaiveDate,
    /// 活动名称.
    pub activity: String,
    /// 时长, in minutes.
    pub minutes: i64,
    /// 街道 as written; `None`: the worker's own.
    pub street: Option<String>,
    /// 社区 as written.
    pub community: Option<String>,
}

/// A worker an activity names among its participants: by number (身份证号 or 手机号, current
/// or had before) or by a 姓名 no other worker has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Participant {
    /// By 身份证号 or 手机号 (one of the two set).
    Number(WorkerRef),
    /// By 姓名 (normalized).
    Name(String),
}

/// A row of a 关爱活动 register: an activity held for the workers on one day in a street
/// (identified by day, street and title).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    /// 活动类型.
    pub kind: crate::model::CareKind,
    /// 活动名称.
    pub title: String,
    /// 活动日期.
    pub date: NaiveDate,
    /// 街道 as written; `None`: the street of the station.
    pub street: Option<String>,
    /// 社区 as written.
    pub community: Option<String>,
    /// 地点/驿站: a 暖蜂驿站 (by name).
    pub station: Option<String>,
    /// 组织单位类型 as written; `None`: told from the organizer's name.
    pub organizer_kind: Option<crate::model::OrganizerKind>,
    /// 组织单位 (a name), if given.
    pub organizer: Option<String>,
    /// 参与人员: the workers named, in the order written (a worker written twice is one).
    pub participants: Vec<Participant>,
    /// 其他参与人数: people taking part who are not named.
    pub unnamed: Option<i64>,
    /// 参与人数: everyone taking part, named or not (the unnamed are the rest).
    pub headcount: Option<i64>,
    /// 发放物品: items handed out and how many, each item once.
    pub gifts: Vec<(String, i64)>,
    /// 备注.
    pub note: Option<String>,
}

/// A row of a 随手拍 register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipRecord {
    /// Who reported.
    pub who: WorkerRef,
    /// 上报日期.
    pub date: NaiveDate,
    /// 类别.
    pub category: TipCategory,
    /// 内容.
    pub content: String,
    /// 街道 as written; `None`: the worker's own.
    pub street: Option<String>,
    /// 社区 as written.
    pub community: Option<String>,
    /// 状态 (pending unless the register says otherwise; resolved when 办结日期 is given).
    pub status: TipStatus,
    /// 办结日期.
    pub resolved_on: Option<NaiveDate>,
}

/// A row of a 微心愿 register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishRecord {
    /// Whose wish.
    pub who: WorkerRef,
    /// 心愿内容.
    pub wish: String,
    /// 登记日期.
    pub date: NaiveDate,
    /// 实现日期.
    pub fulfilled_on: Option<NaiveDate>,
    /// 认领人.
    pub fulfilled_by: Option<String>,
}

/// A row of an awards register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardRecord {
    /// Who was named.
    pub who: WorkerRef,
    /// 荣誉称号.
    pub title: String,
    /// 年度.
    pub year: i64,
}

/// A row of an instructors register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstructorRecord {
    /// 姓名.
    pub name: String,
    /// 手机号 (identifies the instructor).
    pub phone: Phone,
    /// 所属街道 as written.
    pub street: Option<String>,
    /// 工作单位.
    pub unit: Option<String>,
    /// 负责站点 names.
    pub stations: Vec<String>,
    /// 选派日期: the stations count as having an instructor from this day.
    pub assigned_on: Option<NaiveDate>,
}

/// A row of a party-organizations register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRecord {
    /// 党组织名称 (identifies the organization).
    pub name: String,
    /// 类型.
    pub kind: crate::model::PartyOrgKind,
    /// 上级党组织 as written (resolved by the loader, which may find it later in the file).
    pub parent: Option<String>,
    /// 所属街道 as written.
    pub street: Option<String>,
    /// 成立日期.
    pub founded_on: Option<NaiveDate>,
    /// 书记.
    pub secretary: Option<String>,
    /// 覆盖站点 names, each once, in the order written.
    pub stations: Vec<String>,
}

/// A row of a gifts register (积分商城).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiftRecord {
    /// 礼品名称 (identifies the gift).
    pub name: String,
    /// 所需积分: points per item (positive).
    pub price: i64,
    /// 库存: items on the shelf (zero or more).
    pub stock: i64,
    /// 捐赠单位.
    pub donor: Option<String>,
    /// 街道 as written: a street's own shop; `None`: the district's.
    pub street: Option<String>,
}
