//! The names of what a register holds: the kinds of register `import` takes and the fields
//! their columns can hold. Shared by the reader (which maps headers to fields), the validator
//! (which reports a problem against a field) and the database (which stores records of a kind).
//! How headers are spelled in registers is `import::header`'s business, not this file's.

use std::fmt;

use rust_i18n::t;

/// The kind of register being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum RegisterKind {
    /// Streets and communities with their official codes (级别,代码,名称,上级代码).
    #[value(help = rust_i18n::t!("cli.values.kind.streets").into_owned())]
    Streets,
    /// Stations: courier stations, logistics firms, rider hubs, rest stations.
    #[value(help = rust_i18n::t!("cli.values.kind.stations").into_owned())]
    Stations,
    /// Workers (从业人员台账).
    #[value(help = rust_i18n::t!("cli.values.kind.workers").into_owned())]
    Workers,
    /// Check-ins (报到台账).
    #[value(help = rust_i18n::t!("cli.values.kind.checkins").into_owned())]
    Checkins,
    /// Points earned and redeemed (积分台账).
    #[value(help = rust_i18n::t!("cli.values.kind.points").into_owned())]
    Points,
    /// Volunteer service (志愿服务台账).
    #[value(help = rust_i18n::t!("cli.values.kind.services").into_owned())]
    Services,
    /// 随手拍 reports.
    #[value(help = rust_i18n::t!("cli.values.kind.tips").into_owned())]
    Tips,
    /// 微心愿.
    #[value(help = rust_i18n::t!("cli.values.kind.wishes").into_owned())]
    Wishes,
    /// Titles given (评选).
    #[value(help = rust_i18n::t!("cli.values.kind.awards").into_owned())]
    Awards,
    /// 党建工作指导员 and the stations they are assigned to.
    #[value(help = rust_i18n::t!("cli.values.kind.instructors").into_owned())]
    Instructors,
    /// Party organizations (党组织) and the stations they cover.
    #[value(help = rust_i18n::t!("cli.values.kind.orgs").into_owned())]
    Orgs,
    /// Gifts of the points shop (积分商城礼品).
    #[value(help = rust_i18n::t!("cli.values.kind.gifts").into_owned())]
    Gifts,
    /// 爱心商家/合作单位: partner merchants.
    #[value(help = rust_i18n::t!("cli.values.kind.merchants").into_owned())]
    Merchants,
    /// 关爱活动: activities held for the workers.
    #[value(help = rust_i18n::t!("cli.values.kind.activities").into_owned())]
    Activities,
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
            Self::Gifts => "gifts",
            Self::Services => "services",
            Self::Tips => "tips",
            Self::Wishes => "wishes",
            Self::Merchants => "merchants",
            Self::Awards => "awards",
            Self::Instructors => "instructors",
            Self::Orgs => "orgs",
            Self::Activities => "activities",
        }
    }

    /// The register's name in a sentence, in the language of the run: `从业人员台账` /
    /// `workers register`.
    pub fn register_name(self) -> std::borrow::Cow<'static, str> {
        match self {
            Self::Streets => t!("model.register.streets"),
            Self::Stations => t!("model.register.stations"),
            Self::Workers => t!("model.register.workers"),
            Self::Gifts => t!("model.register.gifts"),
            Self::Checkins => t!("model.register.checkins"),
            Self::Points => t!("model.register.points"),
            Self::Services => t!("model.register.services"),
            Self::Tips => t!("model.register.tips"),
            Self::Merchants => t!("model.register.merchants"),
            Self::Wishes => t!("model.register.wishes"),
            Self::Awards => t!("model.register.awards"),
            Self::Instructors => t!("model.register.instructors"),
            Self::Orgs => t!("model.register.orgs"),
            Self::Activities => t!("model.register.activities"),
        }
    }

    /// The register's name in Chinese, for template sheets: `从业人员台账` …
    pub fn title(self) -> &'static str {
        match self {
            Self::Streets => "街道社区",
            Self::Gifts => "积分商城礼品台账",
            Self::Stations => "站点台账",
            Self::Workers => "从业人员台账",
            Self::Checkins => "报到台账",
            Self::Points => "积分台账",
            Self::Services => "志愿服务台账",
            Self::Merchants => "爱心商家台账",
            Self::Tips => "随手拍台账",
            Self::Wishes => "微心愿台账",
            Self::Awards => "评选台账",
            Self::Instructors => "指导员台账",
            Self::Orgs => "党组织台账",
            Self::Activities => "关爱活动台账",
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
    /// 礼品名称 of the points shop.
    GiftName,
    /// 所需积分: a gift's price in points per item.
    Price,
    /// 库存: items of a gift left.
    Stock,
    /// 捐赠单位: who donated a gift.
    Donor,
    FoundedOn,
    /// 选派日期: the day an instructor was assigned to the stations of the row.
    AssignedOn,
    /// 书记 of a party organization.
    Secretary,
    /// 覆盖站点: the stations a party organization covers (a list).
    /// 商家名称 of a partner merchant.
    MerchantName,
    /// 类型 of a partner merchant (理发, 餐饮 …).
    MerchantKind,
    /// 优惠内容: what a partner merchant offers the workers.
    Offer,
    /// 签约日期: a partner merchant's first day.
    SinceOn,
    /// 截止日期: a partner merchant's last day.
    UntilOn,
    CoveredStations,
    /// 组织关系所在党组织: where a party member's membership is registered — one of our party
    /// organizations, or the home organization elsewhere (a mobile member, 流动党员).
    MembershipOrg,
    /// 所在党组织: our party organization a member takes part in (a mobile member's 流入党组织).
    AttachedOrg,
    /// 活动类型 of a 关爱活动.
    CareKind,
    /// 地点/驿站 of a 关爱活动: a 暖蜂驿站.
    Venue,
    /// 组织单位类型 of a 关爱活动.
    OrganizerKind,
    /// 组织单位 of a 关爱活动 (a name).
    Organizer,
    /// 参与人员: the workers of a 关爱活动 (a list of numbers or names).
    Participants,
    /// 其他参与人数: people taking part in a 关爱活动 who are not named.
    Unnamed,
    /// 参与人数: everyone taking part in a 关爱活动, named or not.
    Headcount,
    /// 发放物品: items handed out at a 关爱活动, with how many (a list).
    Gifts,
    /// 数量 of the one item of 发放物品.
    GiftQuantity,
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
            Self::GiftName => "gift_name",
            Self::Price => "price",
            Self::Stock => "stock",
            Self::Donor => "donor",
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
            Self::MerchantName => "merchant_name",
            Self::MerchantKind => "merchant_kind",
            Self::Offer => "offer",
            Self::SinceOn => "since_on",
            Self::UntilOn => "until_on",
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
            Self::CareKind => "care_kind",
            Self::Venue => "venue",
            Self::OrganizerKind => "organizer_kind",
            Self::Organizer => "organizer",
            Self::Participants => "participants",
            Self::Unnamed => "unnamed",
            Self::Headcount => "headcount",
            Self::Gifts => "gifts",
            Self::GiftQuantity => "gift_quantity",
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
            CareKind, Gender, MerchantKind, Occupation, OrganizerKind, PartyOrgKind, PointCategory,
            PoliticalStatus, StationKind, TipCategory, TipStatus, Vocabulary,
        };
        match self {
            Self::Name => t!("model.help.name"),
            Self::Gender => t!("model.help.gender", accepted = Gender::accepted()),
            Self::Phone => t!("model.help.phone"),
            Self::IdNumber => t!("model.help.id_number"),
            Self::GiftName => t!("model.help.gift_name"),
            Self::Price => t!("model.help.price"),
            Self::Stock => t!("model.help.stock"),
            Self::Donor => t!("model.help.donor"),
            Self::PoliticalStatus => t!(
                "model.help.political_status",
                accepted = PoliticalStatus::accepted()
            ),
            Self::Occupation => t!("model.help.occupation", accepted = Occupation::accepted()),
            Self::Enterprise => t!("model.help.enterprise"),
            Self::Station => t!("model.help.station"),
            Self::Street => t!("model.help.street"),
            Self::Community => t!("model.help.community"),
            Self::Note => t!("model.help.note"),
            Self::JoinedOn | Self::LeftOn => t!("model.help.joined_on"),
            Self::Date => t!("model.help.date"),
            Self::Purpose => t!("model.help.purpose"),
            Self::Category => t!("model.help.category", accepted = PointCategory::accepted()),
            Self::Points => t!("model.help.points"),
            Self::Reason => t!("model.help.reason"),
            Self::StationName => t!("model.help.station_name"),
            Self::StationKind => t!(
                "model.help.station_kind",
                accepted = StationKind::accepted()
            ),
            Self::Address => t!("model.help.address"),
            Self::MerchantName => t!("model.help.merchant_name"),
            Self::MerchantKind => t!(
                "model.help.merchant_kind",
                accepted = MerchantKind::accepted()
            ),
            Self::Offer => t!("model.help.offer"),
            Self::SinceOn => t!("model.help.since_on"),
            Self::UntilOn => t!("model.help.until_on"),
            Self::ContactName => t!("model.help.contact_name"),
            Self::ContactPhone => t!("model.help.contact_phone"),
            Self::Facilities => t!("model.help.facilities"),
            Self::DeclaredWorkers => t!("model.help.declared_workers"),
            Self::Level => t!("model.help.level"),
            Self::Code => t!("model.help.code"),
            Self::DivisionName => t!("model.help.division_name"),
            Self::ParentCode => t!("model.help.parent_code"),
            Self::Activity => t!("model.help.activity"),
            Self::Duration => t!("model.help.duration"),
            Self::TipCategory => t!(
                "model.help.tip_category",
                accepted = TipCategory::accepted()
            ),
            Self::Content => t!("model.help.content"),
            Self::Status => t!("model.help.status", accepted = TipStatus::accepted()),
            Self::ResolvedOn => t!("model.help.resolved_on"),
            Self::Wish => t!("model.help.wish"),
            Self::FulfilledOn => t!("model.help.fulfilled_on"),
            Self::FulfilledBy => t!("model.help.fulfilled_by"),
            Self::Title => t!("model.help.title"),
            Self::Year => t!("model.help.year"),
            Self::Unit => t!("model.help.unit"),
            Self::Stations => t!("model.help.stations"),
            Self::OrgName => t!("model.help.org_name"),
            Self::OrgKind => t!("model.help.org_kind", accepted = PartyOrgKind::accepted()),
            Self::Parent => t!("model.help.parent"),
            Self::FoundedOn => t!("model.help.founded_on"),
            Self::AssignedOn => t!("model.help.assigned_on"),
            Self::Secretary => t!("model.help.secretary"),
            Self::CoveredStations => t!("model.help.covered_stations"),
            Self::MembershipOrg => t!("model.help.membership_org"),
            Self::AttachedOrg => t!("model.help.attached_org"),
            Self::CareKind => t!("model.help.care_kind", accepted = CareKind::accepted()),
            Self::Venue => t!("model.help.venue"),
            Self::OrganizerKind => t!(
                "model.help.organizer_kind",
                accepted = OrganizerKind::accepted()
            ),
            Self::Organizer => t!("model.help.organizer"),
            Self::Participants => t!("model.help.participants"),
            Self::Unnamed => t!("model.help.unnamed"),
            Self::Headcount => t!("model.help.headcount"),
            Self::Gifts => t!("model.help.gifts"),
            Self::GiftQuantity => t!("model.help.gift_quantity"),
        }
        .into_owned()
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
