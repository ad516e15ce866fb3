//! Domain types: the enums of the field (with their stable English codes, Chinese labels and
//! the aliases people type), validated identifiers with masked display, points and dates.
//!
//! Nothing here touches files or the database. Every rule that decides whether a value is
//! acceptable lives here or in [`normalize`], so that import and the commands typed at
//! the terminal accept exactly the same values. The register kinds and their fields
//! ([`field`]), the validated records and the row problem ([`record`]), and the sink a
//! register's records go to ([`sink`]) are here too: the reader and the database both speak
//! them, and neither knows the other.

pub mod absent;
pub mod field;
pub mod normalize;
pub mod period;
pub mod record;
pub mod sink;
pub mod terminal;

use std::fmt;

use rust_i18n::t;

pub use absent::{Absent, Departed, Missing};
pub use field::{Field, RegisterKind};
pub use period::{Period, PeriodFlags, today};
pub use record::{
    ActivityRecord, AwardRecord, CellError, CheckinRecord, DivisionRecord, GiftRecord,
    InstructorRecord, MerchantRecord, OrgRecord, Participant, PointRecord, ServiceRecord,
    StationRecord, TipRecord, WishRecord, WorkerRecord, WorkerRef, shown, shown_in_rejects,
};
pub use sink::{
    AsIs, BatchEnd, BatchStart, Counts, Loads, Outcome, Previous, Registry, Resolve, Sink, Store,
    StoreError, Stored, row_outcome,
};
pub use terminal::{TerminalSafe, for_message, terminal_safe};

/// The kind of I/O failure behind `e`, if it is one: a [`std::io::Error`], or the CSV or JSON
/// writer's error wrapping one (neither gives its I/O error as its source). Tells a closed
/// pipe or a full disk by its kind, never by the message's text.
pub fn io_error_kind(e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        return Some(io.kind());
    }
    if let Some(c) = e.downcast_ref::<csv::Error>()
        && let csv::ErrorKind::Io(io) = c.kind()
    {
        return Some(io.kind());
    }
    e.downcast_ref::<serde_json::Error>()
        .and_then(serde_json::Error::io_error_kind)
}

/// A mistake in how a command was called (exit code 2), found after parsing: a malformed or
/// contradictory flag value. The text says which flag and how to write it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

use chrono::{Datelike, NaiveDate};

/// An enum of the field: stored as [`code`](Self::code), shown as [`label`](Self::label),
/// parsed from any of its [`aliases`](Self::aliases).
pub trait Vocabulary: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// The column label used in messages, e.g. `政治面貌`.
    const WHAT: &'static str;
    /// Stable English code stored in the database and printed in JSON.
    fn code(self) -> &'static str;
    /// Chinese label shown to people.
    fn label(self) -> &'static str;
    /// Spellings accepted on import besides the code and the label.
    fn aliases(self) -> &'static [&'static str];

    /// Parses a code, label or alias (already normalized: trimmed, NFKC). Case-insensitive for
    /// the English codes.
    fn parse(s: &str) -> Option<Self> {
        let lower = s.to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.code() == lower || v.label() == s || v.aliases().contains(&s))
    }

    /// Parses a stored code; `None` for anything else.
    fn from_code(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == s)
    }

    /// The value as a person reads it in `lang`: the Chinese [`label`](Self::label), or in
    /// English the code in words (`delivery_rider` → `delivery rider`).
    fn text(self, lang: crate::i18n::Lang) -> String {
        match lang {
            crate::i18n::Lang::Zh => self.label().to_string(),
            crate::i18n::Lang::En => self.code().replace('_', " "),
        }
    }

    /// The [`text`](Self::text) of a stored code in `lang`; a code that is none of the values
    /// in words, as it is (`other_kind` → `other kind`).
    fn text_of(code: &str, lang: crate::i18n::Lang) -> String {
        Self::from_code(code).map_or_else(|| code.replace('_', " "), |v| v.text(lang))
    }

    /// The accepted labels, for error messages: `中共党员、中共预备党员、…` (`, ` between them
    /// in English).
    fn accepted() -> String {
        Self::ALL
            .iter()
            .map(|v| v.label())
            .collect::<Vec<_>>()
            .join(&t!("model.list_separator"))
    }

    /// The refusal of a value that is none of these: `不是可用的政治面貌 — 可填：中共党员、…`.
    fn unknown() -> String {
        t!(
            "model.vocab.unknown",
            what = Self::WHAT,
            accepted = Self::accepted()
        )
        .into_owned()
    }
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $what:literal, {
        $($(#[$vdoc:meta])* $variant:ident => $code:literal, $label:literal, [$($alias:literal),* $(,)?];)+
    }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl Vocabulary for $name {
            const ALL: &'static [Self] = &[$(Self::$variant,)+];
            const WHAT: &'static str = $what;
            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)+ }
            }
            fn label(self) -> &'static str {
                match self { $(Self::$variant => $label,)+ }
            }
            fn aliases(self) -> &'static [&'static str] {
                match self { $(Self::$variant => &[$($alias,)*],)+ }
            }
        }
    };
}

vocabulary!(
    /// 政治面貌, after GB/T 4762-1984 (codes 01–13). The eight democratic parties (04–11)
    /// are one value here: the registry reports on Communist Party membership only.
    PoliticalStatus, "政治面貌", {
        /// 中国共产党党员 (GB/T 4762 code 01).
        PartyMember => "party_member", "中共党员",
            ["党员", "中国共产党党员", "中国共产党员", "共产党员", "正式党员", "中共正式党员"];
        /// 中国共产党预备党员 (code 02).
        ProbationaryMember => "probationary_member", "中共预备党员",
            ["预备党员", "中国共产党预备党员"];
        /// 中国共产主义青年团团员 (code 03).
        LeagueMember => "league_member", "共青团员",
            ["团员", "中国共产主义青年团团员", "共青团团员"];
        /// Members of the democratic parties (codes 04–11).
        DemocraticParty => "democratic_party", "民主党派",
            ["民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员", "致公党党员",
             "九三学社社员", "台盟盟员", "民主党派成员"];
        /// 无党派民主人士 (code 12).
        NonPartisan => "non_partisan", "无党派人士", ["无党派民主人士", "无党派"];
        /// 群众 (code 13).
        Masses => "masses", "群众", ["无", "普通群众", "一般群众"];
    }
);

impl PoliticalStatus {
    /// True for members of the Communist Party, full or probationary: the "party members"
    /// counted in reports.
    pub fn is_party_member(self) -> bool {
        matches!(self, Self::PartyMember | Self::ProbationaryMember)
    }
}

vocabulary!(
    /// 从业类型: what a worker of the new employment groups does.
    Occupation, "从业类型", {
        /// 快递员.
        Courier => "courier", "快递员",
            ["快递小哥", "快递", "快递配送员", "快递业务员", "揽投员", "快递派送员"];
        /// 外卖员 (food-delivery rider).
        DeliveryRider => "delivery_rider", "外卖员",
            ["外卖骑手", "骑手", "外卖送餐员", "送餐员", "外卖配送员", "外卖小哥", "外卖"];
        /// 网约车司机.
        RideHailingDriver => "ride_hailing_driver", "网约车司机",
            ["网约车", "网约车驾驶员", "网约车驾驶人", "专车司机", "快车司机"];
        /// 货车司机.
        TruckDriver => "truck_driver", "货车司机",
            ["货车驾驶员", "货运司机", "卡车司机", "货车"];
        /// 同城配送员: instant delivery of parcels across a city (闪送, 跑腿).
        InstantDelivery => "instant_delivery", "同城配送员",
            ["同城配送", "闪送", "闪送员", "跑腿", "跑腿员", "跑腿小哥", "同城即时配送", "即时配送员"];
        /// 其他: any other work of the new employment groups.
        Other => "other", "其他", ["其它"];
    }
);

vocabulary!(
    /// 性别. GB 11643-1999 encodes it in the 17th character of the 身份证号 (odd = male).
    Gender, "性别", {
        /// 男.
        Male => "male", "男", ["男性", "m"];
        /// 女.
        Female => "female", "女", ["女性", "f"];
    }
);

vocabulary!(
    /// 站点类型: the kind of place a station is.
    StationKind, "站点类型", {
        /// 快递站点: a courier company's station or outlet.
        CourierStation => "courier_station", "快递站点",
            ["快递网点", "快递驿站", "菜鸟驿站", "快递营业部", "快递站", "网点", "快递服务站"];
        /// 物流企业.
        LogisticsFirm => "logistics_firm", "物流企业", ["物流公司", "物流园", "物流"];
        /// 外卖员集合点: where riders of a platform gather (站点 of 美团, 饿了么).
        RiderHub => "rider_hub", "外卖员集合点",
            ["骑手之家", "外卖站点", "骑手站点", "外卖站", "骑手驿站"];
        /// 暖蜂驿站: a rest station with water, charging and a microwave.
        RestStation => "rest_station", "暖蜂驿站",
            ["爱心驿站", "暖心驿站", "户外劳动者驿站", "服务驿站", "休息驿站"];
    }
);

vocabulary!(
    /// 积分类别: why points were entered. Redemptions are the only spending category.
    PointCategory, "类别", {
        /// 志愿服务: volunteer service.
        VolunteerService => "volunteer_service", "志愿服务", ["志愿活动", "志愿者服务", "志愿"];
        /// 随手拍: a governance report.
        Tip => "tip", "随手拍", ["随手拍上报"];
        /// 意见建议: a suggestion.
        Suggestion => "suggestion", "意见建议", ["建议", "合理化建议"];
        /// 积分兑换: points spent on a gift.
        Redemption => "redemption", "积分兑换", ["兑换", "积分消费", "兑换礼品"];
        /// 其他: anything else.
        Other => "other", "其他", ["其它"];
    }
);

vocabulary!(
    /// 爱心商家/合作单位的类型: what kind of partner a merchant is (庙前街道's barbershops that
    /// give the workers a discount, the law firms that give free legal advice …).
    MerchantKind, "商家类型", {
        /// 理发: barbershops and hair salons.
        Barber => "barber", "理发",
            ["理发店", "美发", "美发店", "理发美发", "美容美发", "发廊", "理发馆", "美发沙龙", "理发服务"];
        /// 餐饮: restaurants, canteens, snack shops.
        Catering => "catering", "餐饮",
            ["餐馆", "饭店", "餐厅", "快餐", "快餐店", "小吃", "面馆", "食堂", "爱心餐", "餐饮服务"];
        /// 维修: repair of electric bikes, phones, vehicles.
        Repair => "repair", "维修",
            ["电动车维修", "电瓶车维修", "车辆维修", "修车", "手机维修", "维修服务", "汽车维修"];
        /// 法律服务: law firms, legal aid.
        Legal => "legal", "法律服务",
            ["律师事务所", "律所", "法律援助", "法律咨询", "律师", "法律"];
        /// 医疗: clinics, pharmacies, health centres.
        Medical => "medical", "医疗",
            ["诊所", "药店", "药房", "医院", "卫生服务站", "社区卫生服务中心", "医疗服务", "体检"];
        /// 其他: any other partner.
        Other => "other", "其他", ["其它"];
    }
);

vocabulary!(
    /// The kind of a ledger entry: earnings are positive, redemptions negative; a reversal is
    /// the opposite of the entry it reverses; an adjustment carries either sign and a reason.
    EntryKind, "类型", {
        /// Points granted.
        Earn => "earn", "获得", [];
        /// Points spent on a gift (stored negative).
        Redeem => "redeem", "兑换", [];
        /// The opposite of an earlier entry, which it names.
        Reverse => "reverse", "冲正", ["冲销"];
        /// A correction by hand, with a reason.
        Adjust => "adjust", "调整", [];
    }
);

vocabulary!(
    /// 积分规则: what a record grants. Defaults from practice: 1 point per volunteer hour, 1 per
    /// approved 随手拍 report, 1 per adopted suggestion.
    RuleCode, "积分规则", {
        /// Points per hour of volunteer service.
        VolunteerHour => "volunteer_hour", "志愿服务每小时", ["志愿服务"];
        /// Points per approved 随手拍 report.
        TipApproved => "tip_approved", "随手拍审核通过", ["随手拍"];
        /// Points per adopted suggestion (a 随手拍 of category 意见建议).
        SuggestionAdopted => "suggestion_adopted", "意见建议被采纳", ["意见建议"];
    }
);

vocabulary!(
    /// 随手拍 categories. 意见建议 (suggestion) is counted on its own in reports.
    TipCategory, "随手拍类别", {
        /// 安全隐患.
        SafetyHazard => "safety_hazard", "安全隐患", ["隐患", "安全"];
        /// 卫生死角.
        Sanitation => "sanitation", "卫生死角", ["环境卫生", "卫生"];
        /// 矛盾纠纷.
        Dispute => "dispute", "矛盾纠纷", ["纠纷"];
        /// 不文明现象.
        Incivility => "incivility", "不文明现象", ["不文明行为", "不文明"];
        /// 占道经营.
        StreetVending => "street_vending", "占道经营", ["乱摆摊", "占道"];
        /// 意见建议.
        Suggestion => "suggestion", "意见建议", ["建议", "合理化建议"];
        /// 其他.
        Other => "other", "其他", ["其它"];
    }
);

vocabulary!(
    /// The state of a 随手拍 report.
    TipStatus, "状态", {
        /// 待审核: received.
        Pending => "pending", "待审核", ["待处理", "未审核", "已上报", "审核中", "待核实"];
        /// 已审核: accepted (points granted).
        Approved => "approved", "已审核", ["已通过", "已采纳", "审核通过", "通过", "采纳"];
        /// 已办结: the problem is solved.
        Resolved => "resolved", "已办结", ["已解决", "已处理", "办结"];
    }
);

vocabulary!(
    /// 关爱活动 kinds: what the district does for the workers (the report of 迎泽区, July 2025,
    /// lists 困难帮扶, 法律援助, 心理咨询, 联谊交友, 暑期托管 and 夏日送清凉).
    CareKind, "活动类型", {
        /// 困难帮扶: help for workers in hardship.
        HardshipAid => "hardship_aid", "困难帮扶", ["帮扶", "困难救助", "困难慰问", "走访慰问", "慰问帮扶"];
        /// 法律援助: free legal advice.
        LegalAid => "legal_aid", "法律援助", ["法律咨询", "普法", "法律服务", "维权服务", "法律宣讲"];
        /// 心理咨询: counseling.
        Counseling => "counseling", "心理咨询", ["心理疏导", "心理健康", "心理辅导", "心理关爱"];
        /// 联谊交友: social gatherings.
        Social => "social", "联谊交友", ["联谊", "交友", "联谊活动", "交友联谊", "相亲联谊"];
        /// 子女托管: care of the workers' children (暑期托管).
        Childcare => "childcare", "子女托管", ["暑期托管", "托管", "爱心托管", "寒假托管", "四点半课堂"];
        /// 送清凉/送温暖: seasonal gift packs (夏日送清凉, 冬日送温暖).
        SeasonalCare => "seasonal_care", "送清凉/送温暖",
            ["送清凉", "送温暖", "夏日送清凉", "冬日送温暖", "送清凉送温暖", "节日慰问"];
        /// 健康体检: health checks (义诊).
        HealthCheck => "health_check", "健康体检", ["体检", "义诊", "免费体检", "健康义诊", "健康检查"];
        /// 技能培训: skills training.
        SkillsTraining => "skills_training", "技能培训", ["培训", "职业技能培训", "技能提升", "岗位培训"];
        /// 其他.
        Other => "other", "其他", ["其它"];
    }
);

vocabulary!(
    /// Who organized a 关爱活动.
    OrganizerKind, "组织单位类型", {
        /// 街道 (街道办事处, 街道党工委).
        Street => "street", "街道", ["街道办", "街道办事处", "街道党工委"];
        /// 社区 (社区居委会, 社区党委).
        Community => "community", "社区", ["社区居委会", "居委会", "社区党委", "社区党组织"];
        /// 行业党委.
        IndustryCommittee => "industry_committee", "行业党委", ["行业党工委", "综合党委"];
        /// A partner: a merchant or unit (爱心商家, 合作单位, a law firm …).
        Partner => "partner", "合作单位", ["爱心商家", "商家", "合作商家", "共建单位", "爱心企业"];
        /// 其他.
        Other => "other", "其他", ["其它"];
    }
);

vocabulary!(
    /// Kinds of party organization (党组织).
    PartyOrgKind, "党组织类型", {
        /// 行业党委: the industry committee (e.g. of courier and logistics).
        IndustryCommittee => "industry_committee", "行业党委", ["行业党工委", "综合党委"];
        /// 党支部: a branch.
        Branch => "branch", "党支部", ["支部", "独立党支部"];
        /// 联合党支部: a joint branch covering several small units.
        JointBranch => "joint_branch", "联合党支部", ["联合支部"];
        /// 功能型党支部: a functional branch (e.g. of mobile members).
        FunctionalBranch => "functional_branch", "功能型党支部", ["功能型支部", "流动党员党支部"];
    }
);

vocabulary!(
    /// Stages of the membership pipeline (入党程序), in order; a stage is reached on a date
    /// and stages only move forward.
    Stage, "入党阶段", {
        /// 入党申请人: has applied.
        Applicant => "applicant", "入党申请人", ["申请人", "递交入党申请书"];
        /// 入党积极分子: being trained.
        Activist => "activist", "入党积极分子", ["积极分子"];
        /// 发展对象: candidate for admission.
        Candidate => "candidate", "发展对象", [];
        /// 预备党员: admitted, on probation (中共预备党员).
        Probationary => "probationary", "预备党员", ["中共预备党员"];
        /// 正式党员: full member (中共党员).
        FullMember => "full_member", "正式党员", ["转正", "中共党员"];
    }
);

impl Stage {
    /// The stages in order.
    pub const ORDER: [Stage; 5] = [
        Stage::Applicant,
        Stage::Activist,
        Stage::Candidate,
        Stage::Probationary,
        Stage::FullMember,
    ];

    /// The stage that must come after this one, if any.
    pub fn next(self) -> Option<Stage> {
        let i = Self::ORDER.iter().position(|s| *s == self)?;
        Self::ORDER.get(i + 1).copied()
    }
}

/// A signed whole number of points. Floats never hold points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(pub i64);

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Weights of the first 17 characters of a 身份证号 (GB 11643-1999, ISO 7064 MOD 11-2).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder mod 11 (GB 11643-1999).
const ID_CHECK: [u8; 11] = *b"10X98765432";

/// A 公民身份号码 that passed the GB 11643-1999 checks: 18 characters, 17 digits then a digit
/// or `X`, a real birth date, and the ISO 7064 MOD 11-2 check character. `Display` masks it
/// (`140106********1234`); [`as_str`](Self::as_str) gives the full number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

/// Why a string is not a valid 身份证号. Messages are sentences that end in the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// Excel stored the number as a number (shown in scientific notation): digits are gone.
    Scientific,
    /// Not 18 characters.
    Length(usize),
    /// A character other than digits (and a final X).
    Characters,
    /// The birth date part (characters 7–14) is not a date. The digits are not repeated in
    /// the message: with the masked value beside it they would spell the whole number.
    BirthDate,
    /// The check character does not match.
    CheckCharacter,
}

impl fmt::Display for IdNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&match self {
            Self::Scientific => t!("model.id.scientific"),
            Self::Length(n) => t!("model.id.length", count = n),
            Self::Characters => t!("model.id.characters"),
            Self::BirthDate => t!("model.id.birth_date"),
            Self::CheckCharacter => t!("model.id.check_character"),
        })
    }
}

impl IdNumber {
    /// Validates a normalized string (NFKC, no spaces). A trailing `x` becomes `X`.
    ///
    /// Errors: [`IdNumberError`] saying what is wrong and how to fix it.
    pub fn parse(s: &str) -> Result<Self, IdNumberError> {
        if looks_scientific(s) {
            return Err(IdNumberError::Scientific);
        }
        let upper = s.to_ascii_uppercase();
        let b = upper.as_bytes();
        if upper.chars().count() != 18 {
            return Err(IdNumberError::Length(upper.chars().count()));
        }
        if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
            return Err(IdNumberError::Characters);
        }
        let date = NaiveDate::parse_from_str(&upper[6..14], "%Y%m%d")
            .ok()
            .filter(|d| d.year() >= 1900);
        if date.is_none() {
            return Err(IdNumberError::BirthDate);
        }
        if id_check_char(&b[..17]) != b[17] {
            return Err(IdNumberError::CheckCharacter);
        }
        Ok(Self(upper))
    }

    /// The full number; print it only when the user asked for personal data.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Gender from the sequence code (17th character): odd is male (GB 11643-1999 §5.4).
    pub fn gender(&self) -> Gender {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask_id(&self.0))
    }
}

/// The GB 11643-1999 check character for 17 ASCII digits.
pub fn id_check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    ID_CHECK[(sum % 11) as usize]
}

/// A mainland mobile number: 11 digits starting `1[3-9]`. `Display` masks it
/// (`138****5678`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

/// Why a string is not a mobile number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Scientific notation: digits lost.
    Scientific,
    /// A landline where a mobile is required.
    Landline,
    /// Anything else.
    Invalid,
    /// A landline whose leading 0 was dropped when Excel stored it as a number.
    LostZero,
    /// Neither a mobile, a landline with its area code nor a 400/800 number (a contact
    /// number).
    NotContact,
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&match self {
            Self::Scientific => t!("model.phone.scientific"),
            Self::Landline => t!("model.phone.landline"),
            Self::Invalid => t!("model.phone.invalid"),
            Self::LostZero => t!("model.phone.lost_zero"),
            Self::NotContact => t!("model.phone.not_contact"),
        })
    }
}

impl Phone {
    /// Validates a string already cleaned by `import::normalize::phone` (digits only, a
    /// float tail `.0` removed).
    pub fn parse(s: &str) -> Result<Self, PhoneError> {
        if looks_scientific(s) {
            return Err(PhoneError::Scientific);
        }
        let b = s.as_bytes();
        if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && is_digits(s) {
            return Ok(Self(s.to_string()));
        }
        if is_landline(s) {
            return Err(PhoneError::Landline);
        }
        Err(PhoneError::Invalid)
    }

    /// The full number; print it only when the user asked for personal data.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask_phone(&self.0))
    }
}

/// A contact number for a station: a mobile, a landline with its area code (`0351-1234567`:
/// a 3–4 digit area code starting 0, a 7–8 digit number; stored with the hyphen), or a
/// 400/800 service number (10 digits). Masked like a phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactNumber(pub String);

impl ContactNumber {
    /// Accepts a mobile (cleaned digits) or a landline (digits with one hyphen after the
    /// area code, or bare digits starting 0).
    pub fn parse(s: &str) -> Result<Self, PhoneError> {
        let digits = s.replace('-', "");
        if digits.len() == 10
            && (digits.starts_with("400") || digits.starts_with("800"))
            && is_digits(&digits)
        {
            return Ok(Self(digits));
        }
        if is_digits(&digits)
            && !digits.starts_with(['0', '1'])
            && is_landline(&format!("0{digits}"))
        {
            return Err(PhoneError::LostZero);
        }
        match Phone::parse(&digits) {
            Ok(p) => Ok(Self(p.0)),
            Err(PhoneError::Landline) => Ok(Self(with_area_code(s))),
            Err(PhoneError::Invalid) => Err(PhoneError::NotContact),
            Err(e) => Err(e),
        }
    }
}

/// A landline written as digits only (`03517654321`) gets the hyphen after its area code:
/// 3 digits for the 01x/02x areas (Beijing, Shanghai …), 4 elsewhere.
fn with_area_code(s: &str) -> String {
    if s.contains('-') {
        return s.to_string();
    }
    let area = if s.starts_with("01") || s.starts_with("02") {
        3
    } else {
        4
    };
    format!("{}-{}", &s[..area], &s[area..])
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A landline with area code: `0351-1234567`, `03511234567`, `010-12345678`.
fn is_landline(s: &str) -> bool {
    let (area, local) = match s.split_once('-') {
        Some((a, l)) => (a.to_string(), l.to_string()),
        None if s.starts_with('0') && is_digits(s) && (10..=12).contains(&s.len()) => {
            return true;
        }
        None => return false,
    };
    area.starts_with('0')
        && (3..=4).contains(&area.len())
        && is_digits(&area)
        && (7..=8).contains(&local.len())
        && is_digits(&local)
}

/// True for `1.95956E+10` and the like: what Excel writes for long numbers in a General cell.
pub fn looks_scientific(s: &str) -> bool {
    let Some(pos) = s.find(['e', 'E']) else {
        return false;
    };
    let (mantissa, exp) = (&s[..pos], &s[pos + 1..]);
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && is_digits(exp)
}

/// Masks anything that may be a 身份证号: keeps the 6-digit region code and the last 4
/// characters (`140106********1234`). A shorter string with 7 or more digits (a mistyped
/// number) is masked like a phone; anything else, and Excel's scientific notation (which has
/// lost its digits), is shown as it is.
pub fn mask_id(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if looks_scientific(s) {
        return s.to_string();
    }
    if chars.len() < 15 {
        return mask_phone(s);
    }
    let n = chars.len();
    let mut out: String = chars[..6].iter().collect();
    out.extend(std::iter::repeat_n('*', n - 10));
    out.extend(&chars[n - 4..]);
    out
}

/// Masks a number of a worker's by its kind as stored in `worker_numbers` and the change
/// log: `phone` (and `contact_phone`) with [`mask_phone`], anything else (`id_number`) with
/// [`mask_id`].
pub fn mask_number(kind: &str, number: &str) -> String {
    match kind {
        "phone" | "contact_phone" => mask_phone(number),
        _ => mask_id(number),
    }
}

/// Masks anything that may be a phone number: keeps the first 3 and last 4 digits
/// (`138****5678`). Strings with fewer than 7 digits are shown as they are.
pub fn mask_phone(s: &str) -> String {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if digits < 7 || looks_scientific(s) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let mut out: String = chars[..3].iter().collect();
    out.extend(std::iter::repeat_n('*', n.saturating_sub(7)));
    out.extend(&chars[n - 4..]);
    out
}

/// Masks every number inside free text that may be a phone or an ID, for cells that are not
/// ID or phone columns but may hold one anyway (`紧急联系人电话`, `备注: 电话13612345678`):
/// a run of digits (ASCII or full-width, groups joined by single hyphens or spaces, as in
/// `138-3526-1147`) is masked when it has 11 digits starting with 1 (a mobile) or 15 to 18
/// characters (an ID, the last may be X). Dates (`20250706`), division codes (9 and 12
/// digits) and other numbers are left as they are.
pub fn mask_numbers(text: &str) -> String {
    mask_runs(text, false)
}

/// Masks every run of 7 or more digits in `text` (ID-like runs of 15 or more as an ID, the
/// rest as a phone), for text that should hold no personal number at all: a command line
/// recorded in the access log, a usage error that repeats an argument. `131562709111`, a phone
/// with a stray digit, is `131*****9111`.
pub fn mask_all_numbers(text: &str) -> String {
    mask_runs(text, true)
}

fn mask_runs(text: &str, every: bool) -> String {
    fn digit(c: char) -> Option<char> {
        match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // A run: digits, with single separators between digit groups.
        let start = i;
        let mut digits = String::new();
        let mut end = i;
        while i < chars.len() {
            if let Some(d) = digit(chars[i]) {
                digits.push(d);
                i += 1;
                end = i;
            } else if matches!(chars[i], '-' | ' ')
                && chars.get(i + 1).and_then(|c| digit(*c)).is_some()
            {
                i += 1;
            } else {
                break;
            }
        }
        if digits.len() == 17 && matches!(chars.get(end), Some('X' | 'x' | 'Ｘ' | 'ｘ')) {
            digits.push('X');
            end += 1;
        }
        i = end;
        let phone = digits.len() == 11 && digits.starts_with('1')
            || every && (7..15).contains(&digits.len());
        let id = (15..=18).contains(&digits.len()) || every && digits.len() > 18;
        if phone {
            out.push_str(&mask_phone(&digits));
        } else if id {
            out.push_str(&mask_id(&digits));
        } else {
            out.extend(&chars[start..end]);
        }
    }
    out
}

/// The candidate most like `needle` (Levenshtein over characters), if it is close: at least
/// half of it the same. The one "did you mean" of the program: streets, stations,
/// organizations, registry files.
pub fn nearest<'a>(needle: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_levenshtein(needle, c), c))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The hint after a name that is not known, naming the nearest one: ` — 是不是“柳巷街道”？`
/// (` — did you mean 柳巷街道?`).
pub fn did_you_mean(name: &str) -> String {
    t!("model.did_you_mean", name = name).into_owned()
}

/// A calendar month `YYYY-MM`, the period of `report streets --month`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    /// Four-digit year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    /// Parses `2025-07` (also `2025-7`, `2025/07`, `202507`, `2025年7月`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (y, m) = if let Some(rest) = s.strip_suffix('月') {
            rest.split_once('年')?
        } else if let Some(p) = s.find(['-', '/', '.']) {
            (&s[..p], &s[p + 1..])
        } else if s.len() == 6 && is_digits(s) {
            (&s[..4], &s[4..])
        } else {
            return None;
        };
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        (y.len() == 4 && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// The month's first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("month is 1-12")
    }

    /// The month's last day.
    pub fn last_day(self) -> NaiveDate {
        let (y, m) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1).expect("month is 1-12") - chrono::Days::new(1)
    }

    /// The month containing a date.
    pub fn of(d: NaiveDate) -> Self {
        Self {
            year: d.year(),
            month: d.month(),
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_number_check_character() {
        assert_eq!(
            IdNumber::parse("140106199110201133").unwrap().as_str(),
            "140106199110201133"
        );
        assert_eq!(
            IdNumber::parse("14010619900307129x").unwrap().as_str(),
            "14010619900307129X"
        );
        assert_eq!(
            IdNumber::parse("140106197304011000"),
            Err(IdNumberError::CheckCharacter)
        );
        assert_eq!(
            IdNumber::parse("1.40106E+17"),
            Err(IdNumberError::Scientific)
        );
        assert_eq!(
            IdNumber::parse("140106199102301133"),
            Err(IdNumberError::BirthDate)
        );
        assert_eq!(
            IdNumber::parse("14010619911020113"),
            Err(IdNumberError::Length(17))
        );
    }

    #[test]
    fn id_number_gender_and_mask() {
        let id = IdNumber::parse("140106199110201133").unwrap();
        assert_eq!(id.gender(), Gender::Male);
        assert_eq!(id.to_string(), "140106********1133");
        let id = IdNumber::parse("140106198609031060").unwrap();
        assert_eq!(id.gender(), Gender::Female);
    }

    #[test]
    fn phones() {
        assert_eq!(
            Phone::parse("13800138000").unwrap().to_string(),
            "138****8000"
        );
        assert_eq!(Phone::parse("1.95956E+10"), Err(PhoneError::Scientific));
        assert_eq!(Phone::parse("0351-1234567"), Err(PhoneError::Landline));
        assert_eq!(Phone::parse("12800138000"), Err(PhoneError::Invalid));
        assert_eq!(Phone::parse("1380013800"), Err(PhoneError::Invalid));
        assert_eq!(
            ContactNumber::parse("0351-1234567").unwrap().0,
            "0351-1234567"
        );
        assert_eq!(
            ContactNumber::parse("03517654321").unwrap().0,
            "0351-7654321"
        );
        assert_eq!(
            ContactNumber::parse("01012345678").unwrap().0,
            "010-12345678"
        );
        // 0351-7654321 stored as a number: 3517654321.
        assert_eq!(
            ContactNumber::parse("3517654321"),
            Err(PhoneError::LostZero)
        );
        assert_eq!(ContactNumber::parse("4008123456").unwrap().0, "4008123456");
    }

    #[test]
    fn vocabulary_aliases() {
        assert_eq!(
            PoliticalStatus::parse("党员"),
            Some(PoliticalStatus::PartyMember)
        );
        assert_eq!(
            PoliticalStatus::parse("中国共产党党员"),
            Some(PoliticalStatus::PartyMember)
        );
        assert_eq!(PoliticalStatus::parse("无"), Some(PoliticalStatus::Masses));
        assert_eq!(
            PoliticalStatus::parse("party_member"),
            Some(PoliticalStatus::PartyMember)
        );
        assert_eq!(Occupation::parse("骑手"), Some(Occupation::DeliveryRider));
        assert_eq!(Occupation::parse("快递小哥"), Some(Occupation::Courier));
        assert_eq!(Occupation::parse("厨师"), None);
        assert_eq!(
            StationKind::parse("菜鸟驿站"),
            Some(StationKind::CourierStation)
        );
    }

    #[test]
    fn merchant_kinds_read_the_names_offices_write() {
        for (typed, kind) in [
            ("理发店", MerchantKind::Barber),
            ("美发", MerchantKind::Barber),
            ("爱心餐", MerchantKind::Catering),
            ("电动车维修", MerchantKind::Repair),
            ("律师事务所", MerchantKind::Legal),
            ("法律援助", MerchantKind::Legal),
            ("诊所", MerchantKind::Medical),
            ("药店", MerchantKind::Medical),
            ("其它", MerchantKind::Other),
            ("legal", MerchantKind::Legal),
        ] {
            assert_eq!(MerchantKind::parse(typed), Some(kind), "{typed}");
        }
        assert_eq!(MerchantKind::parse("洗衣"), None);
        // No spelling names two kinds.
        let mut seen = std::collections::HashSet::new();
        for k in MerchantKind::ALL {
            for s in k.aliases().iter().chain([&k.label(), &k.code()]) {
                assert!(seen.insert(*s), "{s} names two kinds");
            }
        }
    }

    #[test]
    fn months() {
        let m = Month::parse("2025-02").unwrap();
        assert_eq!(m.last_day().to_string(), "2025-02-28");
        assert_eq!(
            Month::parse("2025年12月").unwrap().last_day().to_string(),
            "2025-12-31"
        );
        assert_eq!(Month::parse("2025-13"), None);
        assert_eq!(Month::parse("July"), None);
    }

    #[test]
    fn numbers_inside_text_are_masked() {
        assert_eq!(
            mask_numbers("电话13612345678，住3楼"),
            "电话136****5678，住3楼"
        );
        assert_eq!(
            mask_numbers("证 11010519491231001X 号"),
            "证 110105********001X 号"
        );
        assert_eq!(mask_numbers("2025年7月 共 12 人"), "2025年7月 共 12 人");
    }

    #[test]
    fn mistyped_numbers_are_masked_too() {
        assert_eq!(mask_id("136235178041"), "136*****8041");
        assert_eq!(mask_id("1401"), "1401");
        let err = IdNumber::parse("140106199102301133")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("19910230"), "{err}");
    }

    #[test]
    fn masks() {
        assert_eq!(mask_phone("17797186948"), "177****6948");
        assert_eq!(mask_id("140106197304011000"), "140106********1000");
        assert_eq!(mask_id("1.40106E+17"), "1.40106E+17");
        assert_eq!(mask_phone("1.95956E+10"), "1.95956E+10");
    }
}
