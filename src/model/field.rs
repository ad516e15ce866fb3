//! The names of what a register holds: the kinds of register `import` takes and the fields
//! their columns can hold. Shared by the reader (which maps headers to fields), the validator
//! (which reports a problem against a field) and the database (which stores records of a kind).
//! How headers are spelled in registers is `import::header`'s business, not this file's.

use std::fmt;

/// The kind of register being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum RegisterKind {
    /// Streets and communities with their official codes (级别,代码,名称,上级代码).
    Streets,
    /// Stations: courier stations, logistics firms, rider hubs, rest stations.
    Stations,
    /// Workers (从业人员台账).
    Workers,
    /// Check-ins (报到台账).
    Checkins,
    /// Points earned and redeemed (积分台账).
    Points,
    /// Volunteer service (志愿服务台账).
    Services,
    /// 随手拍 reports.
    Tips,
    /// 微心愿.
    Wishes,
    /// Titles given (评选).
    Awards,
    /// 党建工作指导员 and the stations they are assigned to.
    Instructors,
    /// Party organizations (党组织) and the stations they cover.
    Orgs,
}

impl RegisterKind {
    /// Stable code stored with the import batch.
    pub fn code(self) -> &'static str {
        match self {
            Self::Streets => "streets",
            Self::Stations => "stations",
            Self::Workers => "workers",
            Self::Checkins => "checkins",
            Self::Points => "points",
            Self::Services => "services",
            Self::Tips => "tips",
            Self::Wishes => "wishes",
            Self::Awards => "awards",
            Self::Instructors => "instructors",
            Self::Orgs => "orgs",
        }
    }

    /// The register's name in Chinese, for template sheets: `从业人员台账` …
    pub fn title(self) -> &'static str {
        match self {
            Self::Streets => "街道社区",
            Self::Stations => "站点台账",
            Self::Workers => "从业人员台账",
            Self::Checkins => "报到台账",
            Self::Points => "积分台账",
            Self::Services => "志愿服务台账",
            Self::Tips => "随手拍台账",
            Self::Wishes => "微心愿台账",
            Self::Awards => "评选台账",
            Self::Instructors => "指导员台账",
            Self::Orgs => "党组织台账",
        }
    }

    /// What one row is, for messages: `worker`, `check-in` …
    pub fn noun(self) -> &'static str {
        match self {
            Self::Streets => "division",
            Self::Stations => "station",
            Self::Workers => "worker",
            Self::Checkins => "check-in",
            Self::Points => "points entry",
            Self::Services => "service record",
            Self::Tips => "report",
            Self::Wishes => "wish",
            Self::Awards => "award",
            Self::Instructors => "instructor",
            Self::Orgs => "party organization",
        }
    }
}

/// A field a register column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// 姓名.
    Name,
    /// 性别.
    Gender,
    /// 手机号 (a mobile number identifying a worker).
    Phone,
    /// 身份证号.
    IdNumber,
    /// 政治面貌.
    PoliticalStatus,
    /// 从业类型.
    Occupation,
    /// 所属企业.
    Enterprise,
    /// 所属站点 (of a worker).
    Station,
    /// 街道.
    Street,
    /// 社区.
    Community,
    /// 备注.
    Note,
    /// 入职日期.
    JoinedOn,
    /// 离职日期.
    LeftOn,
    /// The date of an event (报到日期, 日期).
    Date,
    /// 事项 of a check-in.
    Purpose,
    /// 类别 of a points entry.
    Category,
    /// 积分 (signed whole points).
    Points,
    /// 说明 of a points entry.
    Reason,
    /// 站点名称.
    StationName,
    /// 站点类型.
    StationKind,
    /// 地址.
    Address,
    /// 联系人.
    ContactName,
    /// 联系电话 of a station (mobile or landline).
    ContactPhone,
    /// 服务设施 (a list).
    Facilities,
    /// 从业人数 as a station register states it.
    DeclaredWorkers,
    /// 级别 of a division (街道, 社区 …).
    Level,
    /// 代码: a 9- or 12-digit NBS code.
    Code,
    /// 名称 of a division.
    DivisionName,
    /// 上级代码.
    ParentCode,
    /// 活动名称 of a volunteer service.
    Activity,
    /// 服务时长 (hours, `1.5`, `1小时30分`, or minutes `90分钟`).
    Duration,
    /// 类别 of a 随手拍 report.
    TipCategory,
    /// 内容 of a 随手拍 report.
    Content,
    /// 状态 of a 随手拍 report.
    Status,
    /// 办结日期 of a 随手拍 report.
    ResolvedOn,
    /// 心愿内容.
    Wish,
    /// 实现日期 of a wish.
    FulfilledOn,
    /// 认领人: who fulfilled a wish.
    FulfilledBy,
    /// 荣誉称号.
    Title,
    /// 年度.
    Year,
    /// 工作单位 of an instructor.
    Unit,
    /// 负责站点: the stations an instructor is assigned to (a list).
    Stations,
    /// 党组织名称.
    OrgName,
    /// 类型 of a party organization (行业党委, 党支部 …).
    OrgKind,
    /// 上级党组织 (by name).
    Parent,
    /// 成立日期 of a party organization.
    FoundedOn,
    /// 选派日期: the day an instructor was assigned to the stations of the row.
    AssignedOn,
    /// 书记 of a party organization.
    Secretary,
    /// 覆盖站点: the stations a party organization covers (a list).
    CoveredStations,
    /// 组织关系所在党组织: where a party member's membership is registered — one of our party
    /// organizations, or the home organization elsewhere (a mobile member, 流动党员).
    MembershipOrg,
    /// 所在党组织: our party organization a member takes part in (a mobile member's 流入党组织).
    AttachedOrg,
}

impl Field {
    /// English code accepted by `--map` and printed in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Gender => "gender",
            Self::Phone => "phone",
            Self::IdNumber => "id_number",
            Self::PoliticalStatus => "political_status",
            Self::Occupation => "occupation",
            Self::Enterprise => "enterprise",
            Self::Station => "station",
            Self::Street => "street",
            Self::Community => "community",
            Self::Note => "note",
            Self::JoinedOn => "joined_on",
            Self::LeftOn => "left_on",
            Self::Date => "date",
            Self::Purpose => "purpose",
            Self::Category => "category",
            Self::Points => "points",
            Self::Reason => "reason",
            Self::StationName => "station_name",
            Self::StationKind => "kind",
            Self::Address => "address",
            Self::ContactName => "contact_name",
            Self::ContactPhone => "contact_phone",
            Self::Facilities => "facilities",
            Self::DeclaredWorkers => "declared_workers",
            Self::Level => "level",
            Self::Code => "code",
            Self::DivisionName => "division_name",
            Self::ParentCode => "parent_code",
            Self::Activity => "activity",
            Self::Duration => "duration",
            Self::TipCategory => "tip_category",
            Self::Content => "content",
            Self::Status => "status",
            Self::ResolvedOn => "resolved_on",
            Self::Wish => "wish",
            Self::FulfilledOn => "fulfilled_on",
            Self::FulfilledBy => "fulfilled_by",
            Self::Title => "title",
            Self::Year => "year",
            Self::Unit => "unit",
            Self::Stations => "stations",
            Self::OrgName => "org_name",
            Self::OrgKind => "org_kind",
            Self::Parent => "parent",
            Self::FoundedOn => "founded_on",
            Self::AssignedOn => "assigned_on",
            Self::Secretary => "secretary",
            Self::CoveredStations => "covered_stations",
            Self::MembershipOrg => "membership_org",
            Self::AttachedOrg => "attached_org",
        }
    }

    /// True for fields holding 身份证号 or phone numbers: masked in every message and
    /// rejects file.
    pub fn is_personal(self) -> bool {
        matches!(self, Self::Phone | Self::IdNumber | Self::ContactPhone)
    }
}

impl Field {
    /// What the column holds and how to fill it in, for the explanation sheet of `template`.
    pub fn help(self) -> String {
        use crate::model::{
            Gender, Occupation, PointCategory, PoliticalStatus, StationKind, Vocabulary,
        };
        match self {
            Self::Name => "姓名，与身份证一致".into(),
            Self::Gender => format!("{}；不填时按身份证号第 17 位认定", Gender::accepted()),
            Self::Phone => "11 位手机号（13–19 开头）。请先把本列设为“文本”格式，Excel 才不会改成科学计数法".into(),
            Self::IdNumber => "18 位公民身份号码（GB 11643-1999），末位 X 可大写或小写。请先把本列设为“文本”格式，否则 Excel 会把后三位变成 000".into(),
            Self::PoliticalStatus => format!("{}（GB/T 4762）；也认“党员”“团员”“无”等写法；不知道可留空", PoliticalStatus::accepted()),
            Self::Occupation => format!("{}；也认“快递小哥”“骑手”“网约车”等写法", Occupation::accepted()),
            Self::Enterprise => "品牌或平台，如 顺丰速运、美团、滴滴出行".into(),
            Self::Station => "所属站点的名称，须已在站点台账中".into(),
            Self::Street => "街道或乡镇的正式名称，如 柳巷街道；“柳巷”“柳巷街道办事处”也认".into(),
            Self::Community => "社区或村，如 宁化府社区居委会；可省去“居委会”".into(),
            Self::Note => "任意说明，可换行".into(),
            Self::JoinedOn | Self::LeftOn => "日期，如 2025-07-16、2025/7/16、2025年7月16日；不能晚于今天".into(),
            Self::Date => "日期，如 2025-07-16、2025/7/16、2025年7月16日，须有年份；不能晚于今天".into(),
            Self::Purpose => "事项，如 党员报到、日常报到、参加志愿服务".into(),
            Self::Category => format!("{}；积分兑换填正数也按兑换扣分", PointCategory::accepted()),
            Self::Points => "整数积分；获得为正，兑换可写负数或在“积分兑换”类别下写正数".into(),
            Self::Reason => "说明，如 夏日送清凉、兑换雨衣".into(),
            Self::StationName => "站点名称，在所属街道内唯一".into(),
            Self::StationKind => format!("{}；也认“快递网点”“菜鸟驿站”“骑手之家”“爱心驿站”等写法", StationKind::accepted()),
            Self::Address => "详细地址".into(),
            Self::ContactName => "联系人或负责人".into(),
            Self::ContactPhone => "手机号、带区号的座机（0351-1234567）或 400/800 号码".into(),
            Self::Facilities => "服务设施，用顿号分隔，如 饮水、充电、微波炉".into(),
            Self::DeclaredWorkers => "从业人数，整数".into(),
            Self::Level => "级别：街道、乡镇、社区、村".into(),
            Self::Code => "统计用区划代码：街道 9 位，社区 12 位".into(),
            Self::DivisionName => "正式名称".into(),
            Self::ParentCode => "上级代码：街道填区县 6 位代码，社区填街道 9 位代码".into(),
            Self::Activity => "活动名称，如 文明交通劝导".into(),
            Self::Duration => "服务时长：小时数（1.5）、1小时30分、或 90分钟".into(),
            Self::TipCategory => crate::model::TipCategory::accepted(),
            Self::Content => "反映的问题或建议".into(),
            Self::Status => format!("{}；不填为待审核；已审核、已办结的按规则计积分", crate::model::TipStatus::accepted()),
            Self::ResolvedOn => "办结日期；填了即为已办结".into(),
            Self::Wish => "心愿内容".into(),
            Self::FulfilledOn => "实现日期；未实现留空".into(),
            Self::FulfilledBy => "认领人或认领单位".into(),
            Self::Title => "荣誉称号，如 最美快递员".into(),
            Self::Year => "年度，如 2025".into(),
            Self::Unit => "工作单位".into(),
            Self::Stations => "负责的站点名称，多个用顿号分隔".into(),
            Self::OrgName => "党组织全称，如 迎泽区快递物流行业党委；名称唯一".into(),
            Self::OrgKind => format!(
                "{}；也认“支部”“联合支部”“功能型支部”等写法",
                crate::model::PartyOrgKind::accepted()
            ),
            Self::Parent => "上级党组织的名称；须已登记，或在本表其他行中（顺序不限）".into(),
            Self::FoundedOn => "成立日期，如 2023-07-01；不能晚于今天。所列站点从这一天起算覆盖，不填则从导入当天起".into(),
            Self::AssignedOn => "选派日期，如 2024-03-01；不能晚于今天。负责站点从这一天起算工作覆盖，不填则从导入当天起".into(),
            Self::Secretary => "党组织书记姓名".into(),
            Self::CoveredStations => "所覆盖站点的名称，须已在站点台账中；多个用顿号、逗号或分号分隔。一个站点同时只属于一个党组织，已属其他党组织的站点转入本组织".into(),
            Self::MembershipOrg => "仅党员（中共党员、中共预备党员）填写：组织关系所在的党组织全称。是本区已登记的党组织时按其登记；否则视为外地党组织，本人登记为流动党员".into(),
            Self::AttachedOrg => "仅党员填写：参加组织生活的本区党组织全称（流动党员的流入党组织），须已在党组织台账中".into(),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
