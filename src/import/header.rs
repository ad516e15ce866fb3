//! Header mapping: which column of a register holds which field. One table of synonyms per
//! register kind (the spellings offices use: 名字/姓名, 联系电话/手机号 …), detection of one-
//! and two-row headers below title rows (group labels such as 身份信息 over 身份证号 |
//! 手机号码, merged or not), `--header-row` and `--map` overrides, and the refusals that must
//! come before any row is read (no header — with the first rows shown — a required column
//! missing, two columns for one field). Sees rows of strings only, never a file.

use anyhow::{Result, bail};
use rust_i18n::t;

use super::read::{RawRow, column_letter};
use crate::model::normalize;
use crate::model::{Field, RegisterKind, for_message, mask_all_numbers, mask_numbers};

/// One field of a register: its standard header first, then the synonyms accepted.
pub struct FieldSpec {
    /// The field.
    pub field: Field,
    /// Accepted headers; the first is the standard one (used by `template` and messages).
    pub headers: &'static [&'static str],
    /// A row without a value here is rejected.
    pub required: bool,
}

const fn spec(field: Field, headers: &'static [&'static str], required: bool) -> FieldSpec {
    FieldSpec {
        field,
        headers,
        required,
    }
}

const NAME: &[&str] = &[
    "姓名",
    "名字",
    "人员姓名",
    "从业人员姓名",
    "员工姓名",
    "骑手姓名",
    "快递员姓名",
];
const PHONE: &[&str] = &[
    "手机号",
    "手机号码",
    "联系电话",
    "手机",
    "电话",
    "联系方式",
    "电话号码",
    "移动电话",
    "联系手机",
];
const ID_NUMBER: &[&str] = &[
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "证件号码",
    "身份证",
    "身份证件号码",
    "公民身份证号",
];
const STREET: &[&str] = &[
    "所属街道",
    "街道",
    "街道(乡镇)",
    "所在街道",
    "乡镇(街道)",
    "乡镇街道",
    "街道办",
    "所属街道(乡镇)",
    "街道/乡镇",
    "街镇",
];
const COMMUNITY: &[&str] = &[
    "所属社区",
    "社区",
    "社区(村)",
    "所在社区",
    "村(社区)",
    "所属社区(村)",
    "社区/村",
    "村居",
];
const ENTERPRISE: &[&str] = &[
    "所属企业",
    "所属平台",
    "所属公司",
    "企业",
    "平台",
    "企业名称",
    "公司",
    "品牌",
    "所属品牌",
    "企业(平台)",
    "平台(企业)",
];

const WORKERS: &[FieldSpec] = &[
    spec(Field::Name, NAME, true),
    spec(Field::Gender, &["性别"], false),
    spec(Field::Phone, PHONE, false),
    spec(Field::IdNumber, ID_NUMBER, false),
    spec(Field::PoliticalStatus, &["政治面貌"], false),
    spec(
        Field::Occupation,
        &[
            "从业类型",
            "工种",
            "岗位",
            "职业",
            "从业类别",
            "人员类别",
            "人员类型",
            "从业岗位",
            "类型",
        ],
        true,
    ),
    spec(Field::Enterprise, ENTERPRISE, false),
    spec(
        Field::Station,
        &[
            "所属站点",
            "站点",
            "网点",
            "所属网点",
            "站点名称",
            "工作站点",
        ],
        false,
    ),
    spec(Field::Street, STREET, true),
    spec(Field::Community, COMMUNITY, false),
    spec(Field::Note, &["备注", "说明"], false),
    spec(
        Field::JoinedOn,
        &["入职日期", "入职时间", "从业时间", "加入日期"],
        false,
    ),
    spec(Field::LeftOn, &["离职日期", "离职时间"], false),
    spec(
        Field::MembershipOrg,
        &[
            "组织关系所在党组织",
            "组织关系所在支部",
            "党组织关系所在地",
            "组织关系所在单位",
            "组织关系",
        ],
        false,
    ),
    spec(
        Field::AttachedOrg,
        &[
            "所在党组织",
            "参加组织生活的党组织",
            "所属党支部",
            "流入党组织",
        ],
        false,
    ),
];

const CHECKINS: &[FieldSpec] = &[
    spec(Field::Name, NAME, false),
    spec(Field::Phone, PHONE, false),
    spec(Field::IdNumber, ID_NUMBER, false),
    spec(Field::Date, &["报到日期", "日期", "报到时间", "时间"], true),
    spec(
        Field::Street,
        &["报到街道", "街道", "街道(乡镇)", "所在街道", "所属街道"],
        false,
    ),
    spec(
        Field::Community,
        &["报到社区", "社区", "社区(村)", "所在社区", "所属社区"],
        false,
    ),
    spec(
        Field::Purpose,
        &[
            "事项",
            "报到事项",
            "内容",
            "报到内容",
            "报到类型",
            "事由",
            "备注",
        ],
        false,
    ),
];

const POINTS: &[FieldSpec] = &[
    spec(Field::Name, NAME, false),
    spec(Field::Phone, PHONE, false),
    spec(Field::IdNumber, ID_NUMBER, false),
    spec(Field::Date, &["日期", "积分日期", "时间", "发生日期"], true),
    spec(
        Field::Category,
        &["类别", "积分类别", "类型", "项目", "积分项目"],
        false,
    ),
    spec(
        Field::Points,
        &["积分", "分值", "积分数", "分数", "积分变动", "积分(分)"],
        true,
    ),
    spec(
        Field::Reason,
        &["说明", "备注", "事由", "内容", "摘要"],
        false,
    ),
];

const STATIONS: &[FieldSpec] = &[
    spec(
        Field::StationName,
        &["站点名称", "名称", "站点", "网点名称", "驿站名称", "网点"],
        true,
    ),
    spec(
        Field::StationKind,
        &["站点类型", "类型", "站点类别", "类别"],
        true,
    ),
    spec(Field::Enterprise, ENTERPRISE, false),
    spec(Field::Address, &["地址", "详细地址", "站点地址"], false),
    spec(Field::Street, STREET, true),
    spec(Field::Community, COMMUNITY, false),
    spec(
        Field::DeclaredWorkers,
        &["从业人数", "人数", "员工人数", "从业人员数"],
        false,
    ),
    spec(Field::ContactName, &["联系人", "负责人", "站长"], false),
    spec(
        Field::ContactPhone,
        &["联系电话", "电话", "手机号", "联系方式", "负责人电话"],
        false,
    ),
    spec(
        Field::Facilities,
        &["服务设施", "设施", "配套设施", "服务内容"],
        false,
    ),
];

const SERVICES: &[FieldSpec] = &[
    spec(Field::Name, NAME, false),
    spec(Field::Phone, PHONE, false),
    spec(Field::IdNumber, ID_NUMBER, false),
    spec(Field::Date, &["服务日期", "日期", "活动日期", "时间"], true),
    spec(
        Field::Activity,
        &["活动名称", "服务内容", "活动", "服务项目", "志愿活动"],
        true,
    ),
    spec(
        Field::Duration,
        &[
            "服务时长",
            "时长",
            "时长(小时)",
            "服务时长(小时)",
            "小时数",
            "时长(分钟)",
        ],
        true,
    ),
    spec(
        Field::Street,
        &["服务街道", "街道", "街道(乡镇)", "所在街道", "所属街道"],
        false,
    ),
    spec(
        Field::Community,
        &["服务社区", "社区", "社区(村)", "所在社区", "所属社区"],
        false,
    ),
];

const TIPS: &[FieldSpec] = &[
    spec(Field::Name, NAME, false),
    spec(Field::Phone, PHONE, false),
    spec(Field::IdNumber, ID_NUMBER, false),
    spec(Field::Date, &["上报日期", "日期", "上报时间", "时间"], true),
    spec(
        Field::TipCategory,
        &["类别", "问题类别", "类型", "问题类型"],
        true,
    ),
    spec(
        Field::Content,
        &["内容", "问题描述", "反映内容", "描述", "事项"],
        true,
    ),
    spec(
        Field::Street,
        &["街道", "所在街道", "街道(乡镇)", "所属街道"],
        false,
    ),
    spec(
        Field::Community,
        &["社区", "所在社区", "社区(村)", "所属社区"],
        false,
    ),
    spec(Field::Status, &["状态", "处理状态", "办理状态"], false),
    spec(
        Field::ResolvedOn,
        &["办结日期", "办结时间", "解决日期"],
        false,
    ),
];

const WISHES: &[FieldSpec] = &[
    spec(Field::Name, NAME, false),
    spec(Field::Phone, PHONE, false),
    spec(Field::IdNumber, ID_NUMBER, false),
    spec(Field::Wish, &["心愿内容", "心愿", "微心愿", "内容"], true),
    spec(Field::Date, &["登记日期", "日期", "提出日期"], true),
    spec(
        Field::FulfilledOn,
        &["实现日期", "认领日期", "完成日期"],
        false,
    ),
    spec(Field::FulfilledBy, &["认领人", "认领单位", "实现人"], false),
];

const AWARDS: &[FieldSpec] = &[
    spec(Field::Name, NAME, false),
    spec(Field::Phone, PHONE, false),
    spec(Field::IdNumber, ID_NUMBER, false),
    spec(Field::Title, &["荣誉称号", "称号", "荣誉", "奖项"], true),
    spec(Field::Year, &["年度", "年份", "评选年度"], true),
];

const INSTRUCTORS: &[FieldSpec] = &[
    spec(Field::Name, &["姓名", "指导员姓名", "名字"], true),
    spec(
        Field::Phone,
        &["手机号", "手机号码", "联系电话", "电话"],
        true,
    ),
    spec(Field::Street, STREET, false),
    spec(Field::Unit, &["工作单位", "单位", "所在单位"], false),
    spec(
        Field::Stations,
        &["负责站点", "联系站点", "指导站点", "站点"],
        false,
    ),
    spec(
        Field::AssignedOn,
        &["选派日期", "选派时间", "任命日期", "聘任日期", "派驻日期"],
        false,
    ),
];

const ORGS: &[FieldSpec] = &[
    spec(Field::OrgName, &["党组织名称", "组织名称", "党组织"], true),
    spec(Field::OrgKind, &["类型", "组织类型", "党组织类型"], true),
    spec(Field::Parent, &["上级党组织", "上级组织"], false),
    spec(Field::Street, STREET, false),
    spec(Field::FoundedOn, &["成立日期", "成立时间"], false),
    spec(Field::Secretary, &["书记", "党组织书记", "负责人"], false),
    spec(
        Field::CoveredStations,
        &["覆盖站点", "覆盖单位", "所覆盖站点"],
        false,
    ),
];

const ACTIVITIES: &[FieldSpec] = &[
    spec(
        Field::CareKind,
        &[
            "活动类型",
            "活动类别",
            "类型",
            "类别",
            "关爱类型",
            "服务类型",
        ],
        true,
    ),
    spec(
        Field::Activity,
        &["活动名称", "活动主题", "活动", "名称", "主题", "活动内容"],
        true,
    ),
    spec(
        Field::Date,
        &["活动日期", "日期", "活动时间", "时间", "举办日期"],
        true,
    ),
    spec(Field::Street, STREET, false),
    spec(Field::Community, COMMUNITY, false),
    spec(
        Field::Venue,
        &[
            "地点",
            "驿站",
            "活动地点",
            "活动驿站",
            "暖蜂驿站",
            "举办地点",
        ],
        false,
    ),
    spec(
        Field::OrganizerKind,
        &["组织单位类型", "主办单位类型", "组织类型", "主办类型"],
        false,
    ),
    spec(
        Field::Organizer,
        &[
            "组织单位",
            "主办单位",
            "举办单位",
            "承办单位",
            "组织者",
            "主办方",
        ],
        false,
    ),
    spec(
        Field::Participants,
        &[
            "参与人员",
            "参加人员",
            "参与从业人员",
            "参加人",
            "参与人",
            "人员名单",
        ],
        false,
    ),
    spec(
        Field::Unnamed,
        &["其他参与人数", "其他人数", "未登记人数", "其他参加人数"],
        false,
    ),
    spec(
        Field::Headcount,
        &["参与人数", "参加人数", "服务人数", "受益人数", "人数"],
        false,
    ),
    spec(
        Field::Gifts,
        &["发放物品", "物品", "发放物资", "慰问品", "礼品"],
        false,
    ),
    spec(
        Field::GiftQuantity,
        &["数量", "发放数量", "物品数量", "份数"],
        false,
    ),
    spec(Field::Note, &["备注", "说明"], false),
];

const MERCHANTS: &[FieldSpec] = &[
    spec(
        Field::MerchantName,
        &[
            "商家名称",
            "单位名称",
            "商户名称",
            "名称",
            "商家",
            "商户",
            "合作单位",
            "爱心商家",
            "店名",
            "门店名称",
        ],
        true,
    ),
    spec(
        Field::MerchantKind,
        &[
            "类型",
            "行业",
            "商家类型",
            "单位类型",
            "行业类型",
            "类别",
            "经营类别",
        ],
        true,
    ),
    spec(Field::Street, STREET, true),
    spec(Field::Community, COMMUNITY, false),
    spec(
        Field::Address,
        &["地址", "经营地址", "详细地址", "门店地址", "商家地址"],
        false,
    ),
    spec(
        Field::Offer,
        &[
            "优惠内容",
            "服务内容",
            "优惠措施",
            "优惠",
            "优惠政策",
            "服务项目",
            "爱心服务内容",
            "折扣",
        ],
        false,
    ),
    spec(Field::ContactName, &["联系人", "负责人", "店长"], false),
    spec(
        Field::ContactPhone,
        &["联系电话", "电话", "手机号", "联系方式", "负责人电话"],
        false,
    ),
    spec(
        Field::SinceOn,
        &[
            "签约日期",
            "加入日期",
            "起始日期",
            "开始日期",
            "签约时间",
            "加入时间",
        ],
        false,
    ),
    spec(
        Field::UntilOn,
        &["截止日期", "到期日期", "结束日期", "截止时间", "到期时间"],
        false,
    ),
];

const GIFTS: &[FieldSpec] = &[
    spec(
        Field::GiftName,
        &["礼品名称", "物品名称", "商品名称", "礼品", "名称"],
        true,
    ),
    spec(
        Field::Price,
        &["所需积分", "兑换积分", "积分", "积分价格"],
        true,
    ),
    spec(Field::Stock, &["库存", "数量", "库存数量"], true),
    spec(
        Field::Donor,
        &["捐赠单位", "捐赠方", "提供单位", "捐赠人"],
        false,
    ),
    spec(Field::Street, &["街道", "所属街道", "所在街道"], false),
];

const STREETS: &[FieldSpec] = &[
    spec(Field::Level, &["级别", "层级"], false),
    spec(
        Field::Code,
        &["代码", "区划代码", "统计用区划代码", "编码"],
        true,
    ),
    spec(Field::DivisionName, &["名称", "名字", "单位名称"], true),
    spec(
        Field::ParentCode,
        &["上级代码", "上级区划代码", "父级代码"],
        false,
    ),
];

/// The fields of a register kind, standard header first.
pub fn specs(kind: RegisterKind) -> &'static [FieldSpec] {
    match kind {
        RegisterKind::Streets => STREETS,
        RegisterKind::Stations => STATIONS,
        RegisterKind::Workers => WORKERS,
        RegisterKind::Checkins => CHECKINS,
        RegisterKind::Points => POINTS,
        RegisterKind::Services => SERVICES,
        RegisterKind::Tips => TIPS,
        RegisterKind::Wishes => WISHES,
        RegisterKind::Awards => AWARDS,
        RegisterKind::Instructors => INSTRUCTORS,
        RegisterKind::Orgs => ORGS,
        RegisterKind::Gifts => GIFTS,
        RegisterKind::Merchants => MERCHANTS,
        RegisterKind::Activities => ACTIVITIES,
    }
}

/// Headers that are known not to be data and are dropped without a warning: serial numbers,
/// values derived from others.
const IGNORED: &[&str] = &[
    "序号",
    "编号",
    "行号",
    "no",
    "no.",
    "年龄",
    "出生日期",
    "出生年月",
];

/// Which column holds which field.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    /// The field of each column (`None`: ignored).
    columns: Vec<Option<Field>>,
    /// The header texts as written, but any number that may be a 手机号 or 身份证号 masked.
    names: Vec<String>,
    /// Field → column, as a short list: looked up for every cell of every row.
    index: Vec<(Field, usize)>,
    /// File line of the header row.
    pub line: u64,
    /// Headers not recognised (ignored, with a warning), numbers masked as in `names`.
    pub unknown: Vec<String>,
    /// Headers not recognised that hold a known header (`从业人员身份证号`), with the field
    /// they seem to name: ignored, with a warning that names the `--map` to read them.
    pub lookalikes: Vec<(String, Field)>,
    /// `--map` headers that no column has (a warning: the map does nothing).
    pub unused_maps: Vec<String>,
    /// Built from command-line flags: labels are the flag names, without column letters.
    typed: bool,
    /// Bare day numbers count from 1904 (a workbook of old Mac Excel), not from 1900.
    pub serial_1904: bool,
}

/// A `--map "表头=field"` override: the header as written and the field it holds (`None`
/// for `-`/`ignore`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapOverride {
    /// Header text, normalized.
    pub header: String,
    /// Target field code, or `None` to ignore the column.
    pub field: Option<String>,
}

impl std::str::FromStr for MapOverride {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (h, f) = s
            .split_once('=')
            .ok_or_else(|| t!("import.header.map_syntax", value = format!("{s:?}")).into_owned())?;
        let field = f.trim();
        Ok(Self {
            header: normalize::header(h),
            field: (!matches!(field, "-" | "ignore" | "")).then(|| field.to_string()),
        })
    }
}

/// Checks `--map` overrides before any file is opened: each names a header and a field of the
/// register kind, and no header is mapped twice.
///
/// Errors: a sentence naming the faulty `--map`.
pub fn check_overrides(kind: RegisterKind, overrides: &[MapOverride]) -> Result<(), String> {
    for (i, o) in overrides.iter().enumerate() {
        if o.header.is_empty() {
            return Err(t!("import.header.map_no_header").into_owned());
        }
        if let Some(f) = &o.field {
            resolve_override(kind, f).map_err(|e| e.to_string())?;
        }
        if overrides[..i].iter().any(|p| p.header == o.header) {
            return Err(t!("import.header.map_twice", column = &o.header).into_owned());
        }
    }
    Ok(())
}

/// How many leading rows are searched for the header (the first row of a two-row header
/// among them; its second row may be one further).
pub const HEADER_SEARCH_ROWS: usize = 10;

/// How many leading rows a reader hands to [`HeaderMap::detect`]: the rows searched and the
/// row below the last of them, which may be the second row of a two-row header.
pub const HEAD_ROWS: usize = HEADER_SEARCH_ROWS + 1;

/// How many rows a "no header found" message shows, as read.
const PREVIEW_ROWS: usize = 6;

/// How many cells of a row that message shows.
const PREVIEW_CELLS: usize = 8;

/// How many characters of a text cell that message shows.
const PREVIEW_CHARS: usize = 12;

/// Sub-headers (or group labels) that name a person other than the worker: in a two-row
/// header, the 姓名 and 电话 grouped with one of them are that person's (联系方式 over
/// 联系人 | 联系电话 is an emergency contact, not the worker's 手机号).
const CONTACT_PERSONS: &[&str] = &[
    "联系人",
    "联系人姓名",
    "紧急联系人",
    "紧急联系人姓名",
    "负责人",
    "负责人姓名",
    "站长",
    "家属",
    "监护人",
];

/// `--header-row`: the sheet row (or file line) of the header, 1-based, and whether the
/// header takes two rows (group labels on the first, sub-headers on the second).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderRows {
    /// The header's first (or only) row.
    pub first: u64,
    /// `Some(true)`: rows `first` and `first + 1` (`--header-row 2-3`); `Some(false)`: row
    /// `first` alone (`--header-row 2-2`); `None` (`--header-row 2`): two rows when `first`
    /// holds group labels over the sub-headers of the next, else one.
    pub two: Option<bool>,
}

impl HeaderRows {
    /// The last row the header may take.
    pub fn last(self) -> u64 {
        self.first + u64::from(self.two != Some(false))
    }
}

impl std::str::FromStr for HeaderRows {
    type Err = String;

    /// `N`, or `N-M` with `M = N + 1` (two rows) or `M = N` (one row, never two).
    ///
    /// Errors: a sentence with the form to use.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let number = |t: &str| match t.trim().parse::<u64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(t!("import.row_number").into_owned()),
        };
        match s.split_once(['-', '–', '~']) {
            None => Ok(Self {
                first: number(s)?,
                two: None,
            }),
            Some((a, b)) => {
                let (first, last) = (number(a)?, number(b)?);
                if last == first || last == first + 1 {
                    Ok(Self {
                        first,
                        two: Some(last > first),
                    })
                } else {
                    Err(t!(
                        "import.header.rows_adjacent",
                        first = first,
                        next = first + 1
                    )
                    .into_owned())
                }
            }
        }
    }
}

impl std::fmt::Display for HeaderRows {
    /// `2-3` for two rows, `2` otherwise.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.two == Some(true) {
            write!(f, "{}-{}", self.first, self.first + 1)
        } else {
            write!(f, "{}", self.first)
        }
    }
}

/// `header` (normalized by [`normalize::header`]) without a trailing note in brackets:
/// `身份证号码(18位)` → `身份证号码` (full-width brackets, and any space or line break before
/// them, are already folded away). `None` when there is no such note.
fn without_note(header: &str) -> Option<&str> {
    let rest = header.strip_suffix(')')?;
    let base = &rest[..rest.rfind('(')?];
    (!base.is_empty()).then_some(base)
}

/// The field whose headers hold `header` (normalized): as written, else without a trailing
/// note (`身份证号码（18位）`, `时长(小时)` when only `时长` is listed).
fn field_of(kind: RegisterKind, header: &str) -> Option<Field> {
    field_of_exact(kind, header)
        .or_else(|| without_note(header).and_then(|h| field_of_exact(kind, h)))
}

/// The field one of whose headers is `header` (normalized), note and all.
fn field_of_exact(kind: RegisterKind, header: &str) -> Option<Field> {
    if header.is_empty() {
        return None;
    }
    normalized_headers(kind)
        .iter()
        .find(|(_, h)| h == header)
        .map(|(f, _)| *f)
}

/// Every header of `kind`'s fields, normalized by [`normalize::header`], with its field, in
/// the order of [`specs`]: normalized once per run rather than once per column looked up (a
/// line of a million empty cells looked every synonym up a million times).
fn normalized_headers(kind: RegisterKind) -> &'static [(Field, String)] {
    type ByKind = std::collections::HashMap<RegisterKind, &'static [(Field, String)]>;
    static ALL: std::sync::OnceLock<std::sync::Mutex<ByKind>> = std::sync::OnceLock::new();
    let mut all = ALL
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    all.entry(kind).or_insert_with(|| {
        let list: Vec<(Field, String)> = specs(kind)
            .iter()
            .flat_map(|s| s.headers.iter().map(|h| (s.field, normalize::header(h))))
            .collect();
        Vec::leak(list)
    })
}

/// The field an unknown header (normalized) seems to name: the field of the longest header
/// of `kind` written inside it (`从业人员身份证号` → 身份证号), unless it names another person
/// (`紧急联系人电话`).
fn lookalike(kind: RegisterKind, header: &str) -> Option<Field> {
    if CONTACT_PERSONS.iter().any(|p| header.contains(p)) {
        return None;
    }
    if header.is_empty() {
        return None;
    }
    normalized_headers(kind)
        .iter()
        .filter(|(_, h)| header.contains(h.as_str()))
        .max_by_key(|(_, h)| h.chars().count())
        .map(|(f, _)| *f)
}

fn has_field(kind: RegisterKind, field: Field) -> bool {
    specs(kind).iter().any(|s| s.field == field)
}

fn listed(list: &[&str], header: &str) -> bool {
    if header.is_empty() {
        return false;
    }
    let has = |header: &str| list.iter().any(|h| normalize::header(h) == header);
    has(header) || without_note(header).is_some_and(has)
}

fn resolve_override(kind: RegisterKind, field: &str) -> Result<Field> {
    let norm = normalize::header(field);
    specs(kind)
        .iter()
        .find(|s| s.field.code() == field || s.headers.iter().any(|h| normalize::header(h) == norm))
        .map(|s| s.field)
        .ok_or_else(|| {
            let fields = specs(kind)
                .iter()
                .map(|s| {
                    t!(
                        "import.header.field_item",
                        code = s.field.code(),
                        header = s.headers[0]
                    )
                })
                .collect::<Vec<_>>()
                .join(&t!("model.list_separator"));
            anyhow::anyhow!(
                "{}",
                t!(
                    "import.header.map_unknown_field",
                    field = field,
                    register = kind.register_name(),
                    fields = fields
                )
            )
        })
}

/// The column names of a one- or two-row header, before they are mapped to fields.
struct Layout {
    /// Index in the rows of the header's first row, and how many rows it takes (1 or 2).
    at: usize,
    rows: usize,
    /// Each column's name: the sub-header where there is one, else the upper cell.
    names: Vec<String>,
    /// Each column's group label (the cell above its sub-header, merged or repeated over
    /// the group), if any.
    groups: Vec<Option<String>>,
}

impl Layout {
    fn single(rows: &[RawRow], at: usize) -> Self {
        let names: Vec<String> = rows[at].cells.iter().map(normalize::text).collect();
        Self {
            at,
            rows: 1,
            groups: vec![None; names.len()],
            names,
        }
    }

    /// Rows `at` and `at + 1` read as group labels above sub-headers. A label stands over
    /// the columns to its right whose upper cell is blank (a merged cell, or a CSV export
    /// of one) or repeats it; a label with nothing different below it (序号, 姓名 merged
    /// down, or blank below in CSV) names its column alone.
    fn pair(rows: &[RawRow], at: usize) -> Self {
        let (upper, lower) = (&rows[at], &rows[at + 1]);
        let width = upper.cells.len().max(lower.cells.len());
        let cell = |r: &RawRow, c: usize| normalize::text(r.cells.get(c).unwrap_or(""));
        let mut names = Vec::with_capacity(width);
        let mut groups = Vec::with_capacity(width);
        let mut group: Option<String> = None;
        for c in 0..width {
            let (u, l) = (cell(upper, c), cell(lower, c));
            let sub = !l.is_empty() && normalize::header(&l) != normalize::header(&u);
            if !u.is_empty()
                && group
                    .as_deref()
                    .is_none_or(|g| normalize::header(g) != normalize::header(&u))
            {
                group = sub.then(|| u.clone());
            }
            if sub {
                names.push(l);
                groups.push(group.clone());
            } else {
                names.push(if u.is_empty() { l } else { u });
                groups.push(None);
            }
        }
        Self {
            at,
            rows: 2,
            names,
            groups,
        }
    }
}

/// The `--map` overrides resolved to fields, and how they apply to a column.
struct Overrides(Vec<(String, Option<Field>)>);

impl Overrides {
    /// The override of column `i` named `name` (normalized): by header, else by letter.
    fn of(&self, i: usize, name: &str) -> Option<Option<Field>> {
        let letter = column_letter(i);
        self.0
            .iter()
            .find(|(h, _)| h == name)
            .or_else(|| self.0.iter().find(|(h, _)| h.eq_ignore_ascii_case(&letter)))
            .map(|(_, f)| *f)
    }
}

/// True when `text`, the header of column `i`, is one a register of `kind` may have: a
/// field's synonym, a `--map`ped header, a column dropped without a warning (序号), or a
/// person other than the worker (联系人).
fn known_label(kind: RegisterKind, overrides: &Overrides, i: usize, text: &str) -> bool {
    let h = normalize::header(text);
    !h.is_empty()
        && (overrides.of(i, &h).is_some()
            || field_of(kind, &h).is_some()
            || IGNORED.contains(&h.to_lowercase().as_str())
            || listed(CONTACT_PERSONS, &h))
}

/// True when rows `at` and `at + 1` look like a two-row header: the upper row has a known
/// header (序号, 姓名 …) with nothing different below it (merged down), at least one label
/// stands over sub-headers, and at least half the sub-headers are known headers (a data row
/// below a one-row header has none).
fn is_two_row(kind: RegisterKind, rows: &[RawRow], at: usize, overrides: &Overrides) -> bool {
    let Some(lower) = rows.get(at + 1) else {
        return false;
    };
    let upper = &rows[at];
    let known = |i: usize, text: &str| known_label(kind, overrides, i, text);
    let width = upper.cells.len().max(lower.cells.len());
    let cell = |r: &RawRow, c: usize| normalize::text(r.cells.get(c).unwrap_or(""));
    let (mut merged_down, mut subs, mut subs_known) = (false, 0, 0);
    for c in 0..width {
        let (u, l) = (cell(upper, c), cell(lower, c));
        let same = normalize::header(&u) == normalize::header(&l);
        if !u.is_empty() && (l.is_empty() || same) && known(c, &u) {
            merged_down = true;
        }
        if !l.is_empty() && !same {
            subs += 1;
            if known(c, &l) {
                subs_known += 1;
            }
        }
    }
    let layout = Layout::pair(rows, at);
    merged_down && layout.groups.iter().any(Option::is_some) && subs_known * 2 >= subs
}

/// One cell of the rows shown when no header is found: numbers masked, control characters
/// replaced, text cut to [`PREVIEW_CHARS`].
fn preview_cell(cell: &str) -> String {
    let text: String = mask_all_numbers(&normalize::text(cell))
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    // A masked 身份证号 or 手机号 is shown whole: cut, it would lose the digits kept.
    let number = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '*' | 'X' | 'x'));
    if !number && text.chars().count() > PREVIEW_CHARS {
        text.chars()
            .take(PREVIEW_CHARS)
            .chain(std::iter::once('…'))
            .collect()
    } else {
        text
    }
}

/// The first rows as read, one per line, for the "no header found" message.
fn preview(rows: &[RawRow]) -> String {
    rows.iter()
        .filter(|r| r.cells.iter().any(|c| !normalize::is_blank(c)))
        .take(PREVIEW_ROWS)
        .map(|r| {
            let cells: Vec<&str> = r.cells.iter().collect();
            let filled = cells
                .iter()
                .rposition(|c| !normalize::is_blank(c))
                .map_or(0, |i| i + 1);
            let mut cells: Vec<String> = cells
                .iter()
                .take(filled.min(PREVIEW_CELLS))
                .map(|c| preview_cell(c))
                .collect();
            if filled > PREVIEW_CELLS {
                cells.push("…".to_string());
            }
            t!(
                "import.header.preview_row",
                line = r.line,
                cells = cells.join(" | ")
            )
            .into_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl HeaderMap {
    /// Finds the header among the first rows ([`HEAD_ROWS`] of them are enough): the rows
    /// given by `header` (`--header-row`: a file line or sheet row, 1-based; one row or two),
    /// else the first of the first [`HEADER_SEARCH_ROWS`] rows that starts a header in which
    /// at least three cells (or every field the kind has, if fewer) are known headers and
    /// every required column is present. A header takes two rows when a row of group labels
    /// (身份信息 over 身份证号 | 手机号码) stands above sub-headers, merged or not; a column's
    /// name is then its sub-header, else the upper cell (序号, 姓名 merged down), and the 姓名
    /// and 电话 of a group that names another person (联系方式 over 联系人 | 联系电话) are that
    /// person's, never the worker's. Returns the map and the index, in `rows`, of the
    /// header's last row (the data start below it).
    ///
    /// Errors: no header found (the first rows shown as read, masked, with the
    /// `--header-row` to try); a required column missing; two columns for one field (both
    /// named, with the `--map` fix); a `--map` naming an unknown field.
    pub fn detect(
        kind: RegisterKind,
        rows: &[RawRow],
        header: Option<HeaderRows>,
        overrides: &[MapOverride],
    ) -> Result<(Self, usize)> {
        let mut resolved = Vec::new();
        for o in overrides {
            let f = match &o.field {
                Some(code) => Some(resolve_override(kind, code)?),
                None => None,
            };
            resolved.push((o.header.clone(), f));
        }
        let overrides = Overrides(resolved);
        if let Some(h) = header {
            let at = rows
                .iter()
                .position(|r| r.line == h.first || r.row == h.first)
                .ok_or_else(|| anyhow::anyhow!("{}", t!("import.header.no_row", n = h.first)))?;
            let two = match h.two {
                Some(true) if at + 1 >= rows.len() => {
                    bail!("{}", t!("import.header.no_row", n = h.last()))
                }
                Some(two) => two,
                None => is_two_row(kind, rows, at, &overrides),
            };
            let layout = if two {
                Layout::pair(rows, at)
            } else {
                Layout::single(rows, at)
            };
            let columns = map_layout(kind, &layout, &overrides);
            return Self::build(kind, rows, &layout, columns, &overrides).map_err(|e| {
                // One row of a two-row header given alone: the two rows are suggested.
                let two = [at.checked_sub(1), (!two).then_some(at)]
                    .into_iter()
                    .flatten()
                    .find(|&i| {
                        is_two_row(kind, rows, i, &overrides) && {
                            let pair = Layout::pair(rows, i);
                            let columns = map_layout(kind, &pair, &overrides);
                            Self::build(kind, rows, &pair, columns, &overrides).is_ok()
                        }
                    });
                match two {
                    Some(i) => anyhow::anyhow!(
                        "{}",
                        t!(
                            "import.header.try_two_rows",
                            problem = e,
                            rows_to_try = HeaderRows {
                                first: rows[i].line,
                                two: Some(true)
                            }
                            .to_string()
                        )
                    ),
                    _ => e,
                }
            });
        }
        let needed = specs(kind).len().min(3);
        let mut refused = None;
        // The best-looking rows, for the suggestion when no header is found.
        let mut best: Option<(usize, HeaderRows)> = None;
        for at in 0..rows.len().min(HEADER_SEARCH_ROWS) {
            let mut layouts = Vec::with_capacity(2);
            if is_two_row(kind, rows, at, &overrides) {
                layouts.push(Layout::pair(rows, at));
            }
            layouts.push(Layout::single(rows, at));
            for layout in layouts {
                let columns = map_layout(kind, &layout, &overrides);
                let count = columns.iter().flatten().count();
                let labels = layout
                    .names
                    .iter()
                    .enumerate()
                    .filter(|(i, n)| known_label(kind, &overrides, *i, n))
                    .count();
                if labels > best.map_or(0, |(n, _)| n) {
                    best = Some((
                        labels,
                        HeaderRows {
                            first: rows[at].line,
                            two: Some(layout.rows == 2),
                        },
                    ));
                }
                if count < needed {
                    continue;
                }
                match Self::build(kind, rows, &layout, columns, &overrides) {
                    Ok(found) => return Ok(found),
                    // A row of group labels may know enough headers yet lack a column that
                    // the sub-headers below it hold: the next rows are tried before the
                    // first refusal is reported.
                    Err(e) => {
                        refused.get_or_insert(e);
                    }
                }
            }
        }
        if let Some(e) = refused {
            return Err(e);
        }
        let expected = expected_headers(kind);
        let shown = preview(rows);
        let rows_searched = rows.len().min(HEADER_SEARCH_ROWS);
        match best {
            Some((_, try_rows)) => bail!(
                "{}",
                t!(
                    "import.header.not_found_try",
                    rows = rows_searched,
                    register = kind.register_name(),
                    headers = expected,
                    preview = shown,
                    rows_to_try = try_rows.to_string()
                )
            ),
            None => bail!(
                "{}",
                t!(
                    "import.header.not_found",
                    rows = rows_searched,
                    register = kind.register_name(),
                    headers = expected,
                    preview = shown
                )
            ),
        }
    }

    /// The map of the header laid out as `layout` in `rows`, its columns mapped to fields
    /// `columns`.
    ///
    /// Errors: as [`index_columns`].
    fn build(
        kind: RegisterKind,
        rows: &[RawRow],
        layout: &Layout,
        columns: Vec<Option<Field>>,
        overrides: &Overrides,
    ) -> Result<(Self, usize)> {
        let first = &rows[layout.at];
        let last = &rows[layout.at + layout.rows - 1];
        let lines = if layout.rows == 2 {
            format!("{}-{}", first.line, last.line)
        } else {
            first.line.to_string()
        };
        let names = &layout.names;
        let index = index_columns(kind, &lines, &columns, names)?;
        let mut unknown = Vec::new();
        let mut lookalikes = Vec::new();
        for (i, (f, (n, g))) in columns
            .iter()
            .zip(names.iter().zip(&layout.groups))
            .enumerate()
        {
            let h = normalize::header(n);
            if f.is_some()
                || n.is_empty()
                || IGNORED.contains(&h.to_lowercase().as_str())
                || overrides.of(i, &h).is_some()
            {
                continue;
            }
            // A header known but dropped (the 电话 of a contact person) is no lookalike.
            let like = match g {
                Some(g) if listed(CONTACT_PERSONS, &normalize::header(g)) => None,
                _ if field_of(kind, &h).is_some() => None,
                _ => lookalike(kind, &h),
            };
            match (like, g) {
                // Shown in warnings: escaped and cut (a header cell may hold 10 MB).
                (Some(field), _) => lookalikes.push((for_message(&mask_numbers(n)), field)),
                (None, Some(g)) => unknown.push(mask_numbers(&t!(
                    "import.header.grouped",
                    group = for_message(g),
                    header = for_message(n)
                ))),
                (None, None) => unknown.push(for_message(&mask_numbers(n))),
            }
        }
        let cells: Vec<String> = rows[layout.at..layout.at + layout.rows]
            .iter()
            .flat_map(|r| r.cells.iter().map(normalize::header))
            .collect();
        let width = names.len();
        let unused_maps = overrides
            .0
            .iter()
            .filter(|(h, _)| {
                !cells.iter().any(|c| c == h)
                    && !(0..width).any(|i| column_letter(i).eq_ignore_ascii_case(h))
            })
            .map(|(h, _)| for_message(h))
            .collect();
        // From here on the headers are only shown — in messages and the rejects file — and a
        // data row taken for the header (`--header-row` one too far) must not show its 手机号
        // or 身份证号 there.
        let names = names.iter().map(|n| mask_numbers(n)).collect();
        Ok((
            Self {
                columns,
                names,
                index,
                line: first.line,
                unknown,
                lookalikes,
                unused_maps,
                typed: false,
                serial_1904: false,
            },
            layout.at + layout.rows - 1,
        ))
    }

    /// A map for values typed as command-line flags: column `i` holds `fields[i].0`, and
    /// messages name it by its flag `fields[i].1` (`--date`). Values go through exactly the
    /// validation of imported cells.
    pub fn for_flags(fields: &[(Field, &str)]) -> Self {
        Self {
            columns: fields.iter().map(|(f, _)| Some(*f)).collect(),
            names: fields.iter().map(|(_, n)| n.to_string()).collect(),
            index: fields
                .iter()
                .enumerate()
                .map(|(i, (f, _))| (*f, i))
                .collect(),
            line: 0,
            unknown: Vec::new(),
            lookalikes: Vec::new(),
            unused_maps: Vec::new(),
            typed: true,
            serial_1904: false,
        }
    }

    /// The cell of `field` in `row`: empty when the column is absent or the row is short.
    pub fn get<'a>(&self, row: &'a RawRow, field: Field) -> &'a str {
        self.column(field)
            .and_then(|i| row.cells.get(i))
            .unwrap_or("")
    }

    /// The column index of `field`, for ordering messages; absent fields sort last.
    pub fn position(&self, field: Field) -> usize {
        self.column(field).unwrap_or(usize::MAX)
    }

    fn column(&self, field: Field) -> Option<usize> {
        self.index
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, i)| *i)
    }

    /// True when the values are typed as command-line flags ([`Self::for_flags`]), not read
    /// from a file.
    pub fn typed(&self) -> bool {
        self.typed
    }

    /// True when the register has a column for `field`.
    pub fn has(&self, field: Field) -> bool {
        self.column(field).is_some()
    }

    /// `所属街道 (I)`: the header as written and the column letter, for messages.
    pub fn column_label(&self, field: Field) -> String {
        match self.column(field) {
            Some(i) if self.typed => self.names[i].clone(),
            Some(i) => t!(
                "import.column_label",
                header = &self.names[i],
                letter = column_letter(i)
            )
            .into_owned(),
            None => specs_header(field),
        }
    }

    /// The header of `field` as written in the file (the standard header when absent).
    pub fn header_of(&self, field: Field) -> String {
        match self.column(field) {
            Some(i) => self.names[i].clone(),
            None => specs_header(field),
        }
    }

    /// The header texts as written, numbers that may be a 手机号 or 身份证号 masked.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The field of column `i`.
    pub fn field_at(&self, i: usize) -> Option<Field> {
        self.columns.get(i).copied().flatten()
    }
}

/// True for the kinds whose rows name a worker, found by 手机号 or 身份证号: a header needs one
/// of the two columns.
fn names_worker(kind: RegisterKind) -> bool {
    matches!(
        kind,
        RegisterKind::Workers
            | RegisterKind::Checkins
            | RegisterKind::Points
            | RegisterKind::Services
            | RegisterKind::Tips
            | RegisterKind::Wishes
            | RegisterKind::Awards
    )
}

/// The headers a register of `kind` must have, for the message when no header is found:
/// the required columns in their order, with `手机号或身份证号` where a worker is found by one
/// of them (`姓名、手机号或身份证号、从业类型、所属街道`); the optional ones are not listed.
fn expected_headers(kind: RegisterKind) -> String {
    specs(kind)
        .iter()
        .filter_map(|s| {
            if s.required {
                Some(s.headers[0].to_string())
            } else if s.field == Field::Phone && names_worker(kind) {
                Some(
                    t!(
                        "import.header.either",
                        first = s.headers[0],
                        second = specs_header(Field::IdNumber)
                    )
                    .into_owned(),
                )
            } else {
                None
            }
        })
        .collect::<Vec<_>>()
        .join(&t!("model.list_separator"))
}

/// The field of each column of `layout`: a `--map` first, else the synonyms of `kind`. In a
/// group that names another person (a [`CONTACT_PERSONS`] label or sub-header), a 姓名 or
/// 电话 column is that person's: the station's contact where the register has one, else
/// ignored.
fn map_layout(kind: RegisterKind, layout: &Layout, overrides: &Overrides) -> Vec<Option<Field>> {
    let contact_group = |g: &str| {
        listed(CONTACT_PERSONS, &normalize::header(g))
            || layout.names.iter().zip(&layout.groups).any(|(n, h)| {
                h.as_deref() == Some(g) && listed(CONTACT_PERSONS, &normalize::header(n))
            })
    };
    let mut columns: Vec<Option<Field>> = layout
        .names
        .iter()
        .zip(&layout.groups)
        .enumerate()
        .map(|(i, (name, group))| {
            let h = normalize::header(name);
            if let Some(f) = overrides.of(i, &h) {
                return f;
            }
            let f = field_of(kind, &h);
            match group {
                Some(g) if contact_group(g) => {
                    let person = |field: Field| has_field(kind, field).then_some(field);
                    if listed(NAME, &h) || f == Some(Field::Name) {
                        person(Field::ContactName)
                    } else if listed(PHONE, &h) || matches!(f, Some(Field::Phone)) {
                        person(Field::ContactPhone)
                    } else if f == Some(Field::IdNumber) {
                        None
                    } else {
                        f
                    }
                }
                _ => f,
            }
        })
        .collect();
    // A header known only once its note is dropped (`手机号(备用)`) gives way to a column
    // with the field's own header (`手机号`): it is ignored, as it was before notes were
    // dropped, instead of making two columns of one field.
    let by_note = |i: usize| {
        let h = normalize::header(&layout.names[i]);
        overrides.of(i, &h).is_none()
            && field_of_exact(kind, &h).is_none()
            && without_note(&h).is_some()
    };
    for i in 0..columns.len() {
        if let Some(f) = columns[i]
            && by_note(i)
            && (0..columns.len()).any(|j| j != i && columns[j] == Some(f) && !by_note(j))
        {
            columns[i] = None;
        }
    }
    columns
}

/// A header found whose columns cannot make the register: two columns for one field, a
/// required column missing, no column to find the worker by. `missing` holds the required
/// fields it lacks (empty for the other refusals), for the message that lists every sheet
/// of a workbook with such a header.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct HeaderRefused {
    /// The whole refusal, with its fix.
    pub message: String,
    /// The header's file lines: `2`, or `2-3` for two rows.
    pub line: String,
    /// The required fields without a column, in the kind's order.
    pub missing: Vec<Field>,
}

impl HeaderRefused {
    /// The refusal without its fix, for a list of sheets: `第2行: 没有“所属街道”列`.
    pub fn short(&self) -> String {
        if self.missing.is_empty() {
            return self.message.clone();
        }
        let headers = self
            .missing
            .iter()
            .map(|f| t!("import.header.quoted", header = specs_header(*f)).into_owned())
            .collect::<Vec<_>>()
            .join(&t!("model.list_separator"));
        t!(
            "import.header.missing_short",
            line = &self.line,
            headers = headers
        )
        .into_owned()
    }
}

/// Which column holds each field: `columns` are the fields of a header (on file lines
/// `line`: `2`, or `2-3` for two rows) whose column names are `names`. The 所属街道 of a
/// workers register may be left out when it has a 所属站点 column: a worker's street is then
/// their station's.
///
/// Errors ([`HeaderRefused`]): two columns for one field (both named, with the `--map` fix);
/// a required column missing; an event register without a 手机号 or 身份证号 column.
fn index_columns(
    kind: RegisterKind,
    line: &str,
    columns: &[Option<Field>],
    names: &[String],
) -> Result<Vec<(Field, usize)>> {
    let refused = |message: String, missing: Vec<Field>| HeaderRefused {
        message,
        line: line.to_string(),
        missing,
    };
    let mut index: Vec<(Field, usize)> = Vec::new();
    for (i, f) in columns.iter().enumerate() {
        let Some(f) = f else { continue };
        if let Some(&(_, j)) = index.iter().find(|(g, _)| g == f) {
            // Two columns of one header are told apart by their letters.
            let ignore = if normalize::header(&names[i]) == normalize::header(&names[j]) {
                column_letter(i)
            } else {
                mask_numbers(&names[i])
            };
            let message = t!(
                "import.header.two_columns",
                first = mask_numbers(&names[j]),
                first_letter = column_letter(j),
                second = mask_numbers(&names[i]),
                second_letter = column_letter(i),
                field = field_named(*f),
                ignore = ignore
            );
            return Err(refused(message.into_owned(), Vec::new()).into());
        }
        index.push((*f, i));
    }
    let has = |field: Field| index.iter().any(|(f, _)| *f == field);
    let missing: Vec<&FieldSpec> = specs(kind)
        .iter()
        .filter(|s| s.required && !has(s.field))
        .filter(|s| {
            !(kind == RegisterKind::Workers && s.field == Field::Street && has(Field::Station))
        })
        .collect();
    if let Some(s) = missing.first() {
        let key = if kind == RegisterKind::Workers && s.field == Field::Street {
            "import.header.street_missing"
        } else {
            "import.header.required_missing"
        };
        let message = t!(
            key,
            line = line,
            header = s.headers[0],
            register = kind.register_name(),
            headers = s.headers.join(&t!("model.list_separator")),
            field = s.field.code(),
            station = specs_header(Field::Station)
        );
        let fields = missing.iter().map(|s| s.field).collect();
        return Err(refused(message.into_owned(), fields).into());
    }
    if names_worker(kind) && !has(Field::Phone) && !has(Field::IdNumber) {
        let message = t!("import.header.no_worker_column", line = line);
        return Err(refused(message.into_owned(), Vec::new()).into());
    }
    Ok(index)
}

/// A field as a message names it: its standard header in Chinese ([`specs_header`]), its
/// English label in English where the catalogue has one (`姓名` → `Name`), never its code.
fn field_named(field: Field) -> String {
    let lang = crate::i18n::Lang::current();
    let code = field.code();
    match lang {
        crate::i18n::Lang::Zh => specs_header(field),
        _ => {
            let label = crate::db::changes::field_label(code, lang);
            if label == code {
                specs_header(field)
            } else {
                label
            }
        }
    }
}

/// The standard header of a field (the first spelling of any kind listing it).
pub fn specs_header(field: Field) -> String {
    [
        WORKERS,
        CHECKINS,
        POINTS,
        STATIONS,
        STREETS,
        SERVICES,
        TIPS,
        WISHES,
        AWARDS,
        GIFTS,
        INSTRUCTORS,
        MERCHANTS,
        ORGS,
        ACTIVITIES,
    ]
    .iter()
    .flat_map(|s| s.iter())
    .find(|s| s.field == field)
    .map_or_else(|| field.code().to_string(), |s| s.headers[0].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, cells: &[&str]) -> RawRow {
        RawRow::new(line, line, cells)
    }

    #[test]
    fn finds_header_below_title() {
        let rows = vec![
            row(1, &["柳巷街道新就业群体从业人员台账（2025年7月）", "", ""]),
            row(
                2,
                &["序号", "姓名", "手机号", "从业类型", "所属街道", "籍贯"],
            ),
        ];
        let (m, i) = HeaderMap::detect(RegisterKind::Workers, &rows, None, &[]).unwrap();
        assert_eq!(i, 1);
        assert_eq!(m.line, 2);
        assert_eq!(m.unknown, vec!["籍贯".to_string()]);
        assert_eq!(
            m.get(&row(3, &["1", "张三", "13800138000"]), Field::Phone),
            "13800138000"
        );
    }

    #[test]
    fn synonyms_of_case_07() {
        let rows = vec![row(
            1,
            &[
                "名字",
                "性别",
                "手机号码",
                "公民身份号码",
                "政治面貌",
                "工种",
                "所属平台",
                "站点",
                "街道(乡镇)",
                "社区(村)",
            ],
        )];
        let (m, _) = HeaderMap::detect(RegisterKind::Workers, &rows, None, &[]).unwrap();
        assert!(m.unknown.is_empty());
        for f in [
            Field::Name,
            Field::Phone,
            Field::IdNumber,
            Field::Occupation,
            Field::Enterprise,
            Field::Station,
            Field::Street,
            Field::Community,
        ] {
            assert!(m.has(f), "{f}");
        }
    }

    #[test]
    fn two_columns_for_one_field_are_refused() {
        let rows = vec![row(
            1,
            &["姓名", "手机号", "联系电话", "从业类型", "所属街道"],
        )];
        let err = HeaderMap::detect(RegisterKind::Workers, &rows, None, &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("手机号") && err.contains("联系电话") && err.contains("--map"),
            "{err}"
        );
        let fix: MapOverride = "联系电话=-".parse().unwrap();
        let (m, _) = HeaderMap::detect(RegisterKind::Workers, &rows, None, &[fix]).unwrap();
        assert_eq!(m.column_label(Field::Phone), "手机号 (B)");
    }

    #[test]
    fn header_rows_are_one_row_or_two_adjacent_ones() {
        let rows = |s: &str| s.parse::<HeaderRows>();
        assert_eq!(
            rows("3"),
            Ok(HeaderRows {
                first: 3,
                two: None
            })
        );
        assert_eq!(
            rows("2-3"),
            Ok(HeaderRows {
                first: 2,
                two: Some(true)
            })
        );
        assert_eq!(
            rows("2-2"),
            Ok(HeaderRows {
                first: 2,
                two: Some(false)
            })
        );
        assert!(rows("3-2").is_err() && rows("2-4").is_err() && rows("0-1").is_err());
        assert_eq!(rows("2-3").unwrap().to_string(), "2-3");
    }

    #[test]
    fn a_group_row_above_sub_headers_is_one_header_with_the_sub_headers_as_names() {
        let rows = vec![
            row(1, &["柳巷街道从业人员台账", "", "", "", "", "", ""]),
            row(
                2,
                &[
                    "序号",
                    "姓名",
                    "身份信息",
                    "",
                    "联系方式",
                    "",
                    "从业类型",
                    "所属街道",
                ],
            ),
            row(
                3,
                &["", "", "身份证号", "手机号码", "联系人", "联系电话", "", ""],
            ),
            row(
                4,
                &[
                    "1",
                    "张三",
                    "140106199004122159",
                    "18235106271",
                    "李四",
                    "13903517700",
                    "快递员",
                    "柳巷街道",
                ],
            ),
        ];
        let (m, at) = HeaderMap::detect(RegisterKind::Workers, &rows, None, &[]).unwrap();
        assert_eq!((m.line, at), (2, 2));
        assert_eq!(m.column_label(Field::Phone), "手机号码 (D)");
        assert_eq!(m.get(&rows[3], Field::Name), "张三");
        assert_eq!(m.unknown, ["联系方式/联系人", "联系方式/联系电话"]);
        // A data row below a one-row header is never taken for sub-headers.
        let rows = vec![
            row(1, &["姓名", "手机号", "从业类型", "所属街道", "备注"]),
            row(2, &["张三", "18235106271", "快递员", "柳巷街道", ""]),
        ];
        let (m, at) = HeaderMap::detect(RegisterKind::Workers, &rows, None, &[]).unwrap();
        assert_eq!((m.line, at), (1, 0));
    }

    #[test]
    fn missing_required_column_is_named() {
        let rows = vec![row(1, &["姓名", "手机号", "从业类型", "地址"])];
        let err = HeaderMap::detect(RegisterKind::Workers, &rows, None, &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("所属街道"), "{err}");
    }
}
