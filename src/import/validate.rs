//! Validation: a mapped row becomes a typed record, or a list of cell problems (all of them,
//! not just the first). The same functions check what is typed at the terminal, so a value
//! is accepted or refused for the same reason everywhere. No database here: names of streets,
//! workers and stations are resolved by the loaders.

use chrono::NaiveDate;
use rust_i18n::t;

use super::header::HeaderMap;
use super::read::RawRow;
use crate::model::normalize;
use crate::model::{
    ActivityRecord, AwardRecord, CareKind, CellError, CheckinRecord, ContactNumber, DivisionRecord,
    Field, Gender, GiftRecord, IdNumber, InstructorRecord, MerchantKind, MerchantRecord,
    Occupation, OrgRecord, OrganizerKind, Participant, Phone, PointCategory, PointRecord, Points,
    PoliticalStatus, ServiceRecord, Stage, StationKind, StationRecord, TipCategory, TipRecord,
    TipStatus, Vocabulary, WishRecord, WorkerRecord, WorkerRef,
};

/// Reads the cells of one row through a [`HeaderMap`], collecting problems as it goes.
pub struct Cells<'a> {
    map: &'a HeaderMap,
    row: &'a RawRow,
    /// Problems found so far.
    pub errors: Vec<CellError>,
    /// Fields whose cell was refused as a whole ([`cell_problem`]): read as blank, and no
    /// further problem is reported for them.
    refused: Vec<Field>,
}

/// The limit of a field's cell, in characters: 姓名 [`normalize::MAX_NAME_CHARS`] (50), any
/// other [`normalize::MAX_CELL_CHARS`] (2,000).
pub fn cell_limit(f: Field) -> usize {
    if f == Field::Name {
        normalize::MAX_NAME_CHARS
    } else {
        normalize::MAX_CELL_CHARS
    }
}

/// The problem of a cell refused before its value is read (too long, or holding a control
/// character; see [`normalize::check_cell`]), worded without echoing the value: the first
/// characters and the length of a long one; a control character by its code point.
pub fn cell_problem(f: Field, raw: &str) -> Option<CellError> {
    let problem = normalize::check_cell(raw, cell_limit(f)).err()?;
    Some(match problem {
        normalize::CellProblem::TooLong { chars, limit } => {
            let start: String = raw.trim_start().chars().take(10).collect();
            CellError {
                field: f,
                shown: format!("{}…", crate::model::shown(f, &start)),
                problem: t!("inputs.cell.too_long", chars = chars, limit = limit).into_owned(),
            }
        }
        normalize::CellProblem::Control(c) => {
            let code = format!("U+{:04X}", c as u32);
            let problem = if matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069) {
                t!("inputs.cell.bidi", code = code)
            } else {
                t!("inputs.cell.control", code = code)
            };
            CellError::new(f, raw, problem)
        }
    })
}

impl<'a> Cells<'a> {
    /// Starts reading `row`: every mapped cell is checked first ([`cell_problem`]).
    pub fn new(map: &'a HeaderMap, row: &'a RawRow) -> Self {
        let mut errors = Vec::new();
        let mut refused = Vec::new();
        for i in 0..map.names().len() {
            if let Some(f) = map.field_at(i)
                && let Some(e) = cell_problem(f, row.cells.get(i).unwrap_or(""))
            {
                errors.push(e);
                refused.push(f);
            }
        }
        Self {
            map,
            row,
            errors,
            refused,
        }
    }

    /// The cell of `f` as written, inside Excel's `="…"` marker if it has one; blank when
    /// the cell was refused.
    fn raw(&self, f: Field) -> &'a str {
        if self.refused.contains(&f) {
            return "";
        }
        normalize::formula_text(self.map.get(self.row, f))
    }

    /// True when the cell of `f` holds anything (a refused cell does).
    fn written(&self, f: Field) -> bool {
        !normalize::is_blank(self.map.get(self.row, f))
    }

    fn fail(&mut self, f: Field, problem: impl Into<String>) {
        if self.refused.contains(&f) {
            return;
        }
        let raw = self.raw(f);
        self.errors.push(CellError::new(f, raw, problem));
    }

    /// Normalized text, `None` when blank.
    pub fn text(&mut self, f: Field) -> Option<String> {
        Some(normalize::text(self.raw(f))).filter(|s| !s.is_empty())
    }

    /// A name (inner padding spaces of Chinese names removed), `None` when blank.
    pub fn name(&mut self, f: Field) -> Option<String> {
        Some(normalize::name(self.raw(f))).filter(|s| !s.is_empty())
    }

    /// A required name or text; a problem when blank.
    pub fn required(&mut self, f: Field) -> String {
        match self.name(f) {
            Some(s) => s,
            None => {
                self.fail(f, t!("import.cell.missing"));
                String::new()
            }
        }
    }

    /// A person's 姓名 (required): refused when it holds a run of 7 or more digits, which is a
    /// 手机号 or 身份证号 typed into the name cell (`张伟13623518847`).
    pub fn person_name(&mut self, f: Field) -> String {
        let name = self.required(f);
        let longest = name
            .split(|c: char| !c.is_ascii_digit())
            .map(str::len)
            .max()
            .unwrap_or(0);
        if longest >= 7 {
            self.fail(f, t!("import.cell.name_holds_number"));
        }
        name
    }

    /// An enum value by code, label or alias; `None` when blank; a problem when unknown.
    pub fn vocab<V: Vocabulary>(&mut self, f: Field) -> Option<V> {
        let t = normalize::folded(self.raw(f));
        if t.is_empty() {
            return None;
        }
        let v = V::parse(&t).or_else(|| V::parse(&t.replace(' ', "")));
        if v.is_none() {
            self.fail(f, V::unknown());
        }
        v
    }

    /// A 身份证号, `None` when blank.
    pub fn id_number(&mut self, f: Field) -> Option<IdNumber> {
        let t = normalize::id_number(self.raw(f));
        if t.is_empty() {
            return None;
        }
        match IdNumber::parse(&t) {
            Ok(id) => Some(id),
            Err(e) => {
                self.fail(f, e.to_string());
                None
            }
        }
    }

    /// A mobile number, `None` when blank.
    pub fn phone(&mut self, f: Field) -> Option<Phone> {
        let t = normalize::phone(self.raw(f));
        if t.is_empty() {
            // Only punctuation (`(`, `-`): written, but not a number.
            if !normalize::is_blank(self.raw(f)) {
                self.fail(f, crate::model::PhoneError::Invalid.to_string());
            }
            return None;
        }
        match Phone::parse(&t) {
            Ok(p) => Some(p),
            Err(e) => {
                self.fail(f, e.to_string());
                None
            }
        }
    }

    /// A contact number (mobile or landline), `None` when blank.
    pub fn contact(&mut self, f: Field) -> Option<ContactNumber> {
        let t = normalize::phone(self.raw(f));
        if t.is_empty() {
            if !normalize::is_blank(self.raw(f)) {
                self.fail(f, crate::model::PhoneError::NotContact.to_string());
            }
            return None;
        }
        match ContactNumber::parse(&t) {
            Ok(p) => Some(p),
            Err(e) => {
                self.fail(f, e.to_string());
                None
            }
        }
    }

    /// A date, `None` when blank. `event` dates may not lie in the future nor before 2000.
    pub fn date(&mut self, f: Field, event: Option<NaiveDate>) -> Option<NaiveDate> {
        let raw = self.raw(f);
        if normalize::text(raw).is_empty() {
            return None;
        }
        // A value typed as a flag is no spreadsheet cell: a bare day number is refused.
        let r = match event {
            Some(today) if self.map.typed() => normalize::typed_event_date(raw, today),
            Some(today) => normalize::event_date(raw, today, self.map.serial_1904),
            None if self.map.typed() => normalize::typed_date(raw),
            None => normalize::date_in(raw, self.map.serial_1904),
        };
        match r {
            Ok(d) => Some(d),
            Err(e) => {
                self.fail(f, e.to_string());
                None
            }
        }
    }

    /// A whole number, `None` when blank. `12.0` (a number cell) is 12; `1.5` is refused.
    pub fn integer(&mut self, f: Field) -> Option<i64> {
        let t = normalize::folded(normalize::number_text(self.raw(f))).replace([' ', ','], "");
        if t.is_empty() {
            return None;
        }
        let t = t.strip_prefix('+').unwrap_or(&t);
        // A count or a score with its unit written in: 12人, 30分; a 年度 as 2025年.
        let t = t.strip_suffix(['人', '名', '个', '分']).unwrap_or(t);
        let t = if f == Field::Year {
            t.strip_suffix('年').unwrap_or(t)
        } else {
            t
        };
        let whole = t
            .strip_suffix(".0")
            .or_else(|| t.strip_suffix(".00"))
            .unwrap_or(t);
        let digits = whole.strip_prefix('-').unwrap_or(whole);
        match whole.parse::<i64>() {
            Ok(n) if n.unsigned_abs() < 1_000_000_000 => Some(n),
            _ if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                self.fail(f, t!("import.cell.too_large"));
                None
            }
            _ => {
                self.fail(f, t!("import.cell.not_whole"));
                None
            }
        }
    }

    /// A duration in minutes, `None` when blank; bare numbers are hours unless the header
    /// says 分钟.
    pub fn minutes(&mut self, f: Field) -> Option<i64> {
        let raw = self.raw(f);
        if normalize::is_blank(raw) {
            return None;
        }
        let bare_minutes = self.map.header_of(f).contains("分钟");
        match normalize::duration_minutes(raw, bare_minutes) {
            Ok(m) => Some(m),
            Err(e) => {
                self.fail(f, e.to_string());
                None
            }
        }
    }

    /// A required value: a problem when `v` is `None` and the cell is blank.
    pub fn need<T>(&mut self, f: Field, v: Option<T>) -> Option<T> {
        if v.is_none() && normalize::is_blank(self.raw(f)) {
            self.fail(f, t!("import.cell.missing"));
        }
        v
    }

    /// Who an event row names: 身份证号 and/or 手机号, and 姓名 if given.
    pub fn worker_ref(&mut self) -> WorkerRef {
        let name = self.name(Field::Name);
        let id_number = self.id_number(Field::IdNumber);
        let phone = self.phone(Field::Phone);
        if !self.written(Field::IdNumber) && !self.written(Field::Phone) {
            let f = if self.map.has(Field::Phone) {
                Field::Phone
            } else {
                Field::IdNumber
            };
            self.fail(f, t!("import.cell.missing_worker_ref"));
        }
        WorkerRef {
            name,
            id_number,
            phone,
        }
    }

    /// Ends the row: the record, or every problem found.
    pub fn finish<T>(self, record: T) -> Result<T, Vec<CellError>> {
        if self.errors.is_empty() {
            Ok(record)
        } else {
            Err(self.errors)
        }
    }
}

/// The error values Excel puts in a cell whose formula failed.
const EXCEL_ERRORS: &[&str] = &[
    "#N/A",
    "#DIV/0!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#REF!",
    "#VALUE!",
    "#DATA!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
];

/// Problems for every read column whose cell holds an Excel error value (`#N/A` from a failed
/// VLOOKUP …): never stored as a value.
pub fn excel_errors(map: &HeaderMap, row: &RawRow) -> Vec<CellError> {
    (0..map.names().len())
        .filter_map(|i| {
            let field = map.field_at(i)?;
            let cell = normalize::text(row.cells.get(i).unwrap_or(""));
            if cell == crate::import::workbook::UNCALCULATED {
                return Some(CellError::new(field, "", t!("import.cell.uncalculated")));
            }
            EXCEL_ERRORS
                .contains(&cell.as_str())
                .then(|| CellError::new(field, &cell, t!("import.cell.excel_error")))
        })
        .collect()
}

/// Validates a workers-register row; 入职日期 and 离职日期 may not lie after `today`.
pub fn worker(c: &mut Cells<'_>, today: NaiveDate) -> Option<WorkerRecord> {
    let name = c.person_name(Field::Name);
    let id_number = c.id_number(Field::IdNumber);
    let phone = c.phone(Field::Phone);
    if !c.written(Field::IdNumber) && !c.written(Field::Phone) {
        let f = if c.map.has(Field::IdNumber) {
            Field::IdNumber
        } else {
            Field::Phone
        };
        c.fail(f, t!("import.cell.worker_needs_id"));
    }
    let mut gender = c.vocab::<Gender>(Field::Gender);
    if let Some(id) = &id_number {
        match gender {
            Some(g) if g != id.gender() => c.fail(
                Field::Gender,
                t!("import.cell.gender_mismatch", gender = id.gender().label()),
            ),
            None => gender = Some(id.gender()),
            _ => {}
        }
    }
    // A stage of the pipeline before membership written as the 政治面貌 (入党积极分子): the
    // person is 群众, at that stage.
    let stage = Stage::parse(&normalize::folded(c.raw(Field::PoliticalStatus)).replace(' ', ""))
        .filter(|s| matches!(s, Stage::Applicant | Stage::Activist | Stage::Candidate));
    let political_status = match stage {
        Some(_) => Some(PoliticalStatus::Masses),
        None => c.vocab::<PoliticalStatus>(Field::PoliticalStatus),
    };
    let occupation = c.vocab::<Occupation>(Field::Occupation);
    if occupation.is_none() && normalize::text(c.raw(Field::Occupation)).is_empty() {
        c.fail(Field::Occupation, t!("import.cell.missing"));
    }
    let enterprise = c.name(Field::Enterprise);
    let station = c.name(Field::Station);
    // A worker's street follows their station: with a 所属站点, 所属街道 may be left blank
    // (empty here) and the loader takes the station's.
    let street = match c.name(Field::Street) {
        Some(street) => street,
        None if station.is_some() => String::new(),
        None => {
            let (field, problem) = if c.map.typed() {
                (Field::Street, t!("import.cell.street_or_station_typed"))
            } else if c.map.has(Field::Street) {
                (Field::Street, t!("import.cell.street_or_station"))
            } else {
                (Field::Station, t!("import.cell.station_for_street"))
            };
            c.fail(field, problem);
            String::new()
        }
    };
    let community = c.name(Field::Community);
    let joined_on = c.date(Field::JoinedOn, Some(today));
    let left_on = c.date(Field::LeftOn, Some(today));
    if let (Some(j), Some(l)) = (joined_on, left_on)
        && l < j
    {
        c.fail(
            Field::LeftOn,
            t!("import.cell.left_before_joined", date = j),
        );
    }
    let note = Some(c.raw(Field::Note).trim().to_string()).filter(|s| !s.is_empty());
    let membership_org = c.name(Field::MembershipOrg);
    let attached_org = c.name(Field::AttachedOrg);
    Some(WorkerRecord {
        name,
        gender,
        id_number,
        phone,
        political_status,
        occupation: occupation?,
        enterprise,
        station,
        street,
        community,
        joined_on,
        left_on,
        note,
        membership_org,
        attached_org,
        stage: stage.map(|s| (s, today)),
    })
}

/// Validates a check-ins row; `today` bounds the date.
pub fn checkin(c: &mut Cells<'_>, today: NaiveDate) -> Option<CheckinRecord> {
    let who = c.worker_ref();
    let date = c.date(Field::Date, Some(today));
    if date.is_none() && normalize::text(c.raw(Field::Date)).is_empty() {
        c.fail(Field::Date, t!("import.cell.missing"));
    }
    let street = c.name(Field::Street);
    let community = c.name(Field::Community);
    let purpose = c.text(Field::Purpose).unwrap_or_default();
    Some(CheckinRecord {
        who,
        date: date?,
        street,
        community,
        purpose,
    })
}

/// Validates a points row; `today` bounds the date. A 积分兑换 written as a positive number
/// is a redemption of that many points; a negative number without a category is a
/// redemption too.
pub fn points(c: &mut Cells<'_>, today: NaiveDate) -> Option<PointRecord> {
    let who = c.worker_ref();
    let date = c.date(Field::Date, Some(today));
    if date.is_none() && normalize::text(c.raw(Field::Date)).is_empty() {
        c.fail(Field::Date, t!("import.cell.missing"));
    }
    let category = c.vocab::<PointCategory>(Field::Category);
    let n = c.integer(Field::Points);
    if n.is_none() && normalize::text(c.raw(Field::Points)).is_empty() {
        c.fail(Field::Points, t!("import.cell.missing"));
    }
    let reason = c.text(Field::Reason).unwrap_or_default();
    let n = n?;
    let (category, points) = match (category, n) {
        (_, 0) => {
            c.fail(Field::Points, t!("import.cell.zero_points"));
            return None;
        }
        (Some(PointCategory::Redemption), n) => (PointCategory::Redemption, -n.abs()),
        (None, n) if n < 0 => (PointCategory::Redemption, n),
        (None, n) => (PointCategory::Other, n),
        (Some(cat), n) if n < 0 => {
            c.fail(
                Field::Points,
                t!("import.cell.negative_points", category = cat.label()),
            );
            return None;
        }
        (Some(cat), n) => (cat, n),
    };
    Some(PointRecord {
        who,
        date: date?,
        category,
        points: Points(points),
        reason,
    })
}

/// Validates a volunteer-service row; `today` bounds the date.
pub fn service(c: &mut Cells<'_>, today: NaiveDate) -> Option<ServiceRecord> {
    let who = c.worker_ref();
    let date = c.date(Field::Date, Some(today));
    let date = c.need(Field::Date, date);
    let activity = c.required(Field::Activity);
    let minutes = c.minutes(Field::Duration);
    let minutes = c.need(Field::Duration, minutes);
    let street = c.name(Field::Street);
    let community = c.name(Field::Community);
    Some(ServiceRecord {
        who,
        date: date?,
        activity,
        minutes: minutes?,
        street,
        community,
    })
}

/// Validates a 随手拍 row; `today` bounds the dates. A 办结日期 makes the report resolved.
pub fn tip(c: &mut Cells<'_>, today: NaiveDate) -> Option<TipRecord> {
    let who = c.worker_ref();
    let date = c.date(Field::Date, Some(today));
    let date = c.need(Field::Date, date);
    let category = c.vocab::<TipCategory>(Field::TipCategory);
    let category = c.need(Field::TipCategory, category);
    let content = c.required(Field::Content);
    let street = c.name(Field::Street);
    let community = c.name(Field::Community);
    let status = c.vocab::<TipStatus>(Field::Status);
    let resolved_on = c.date(Field::ResolvedOn, Some(today));
    if let (Some(d), Some(r)) = (date, resolved_on)
        && r < d
    {
        c.fail(
            Field::ResolvedOn,
            t!("import.cell.resolved_before_report", date = d),
        );
    }
    // A 办结日期 means resolved; beside a status that says otherwise, one of them is wrong.
    if let (Some(s), Some(r)) = (status, resolved_on)
        && s != TipStatus::Resolved
    {
        c.fail(
            Field::Status,
            t!(
                "import.cell.status_with_resolved",
                status = s.label(),
                date = r
            ),
        );
    }
    let status = match (status, resolved_on) {
        (_, Some(_)) => TipStatus::Resolved,
        (Some(s), None) => s,
        (None, None) => TipStatus::Pending,
    };
    Some(TipRecord {
        who,
        date: date?,
        category: category?,
        content,
        street,
        community,
        status,
        resolved_on,
    })
}

/// Validates a 微心愿 row.
pub fn wish(c: &mut Cells<'_>, today: NaiveDate) -> Option<WishRecord> {
    let who = c.worker_ref();
    let wish = c.required(Field::Wish);
    let date = c.date(Field::Date, Some(today));
    let date = c.need(Field::Date, date);
    let fulfilled_on = c.date(Field::FulfilledOn, Some(today));
    if let (Some(d), Some(f)) = (date, fulfilled_on)
        && f < d
    {
        c.fail(
            Field::FulfilledOn,
            t!("import.cell.fulfilled_before_wish", date = d),
        );
    }
    let fulfilled_by = c.name(Field::FulfilledBy);
    // A fulfilment names both when and by whom, as `wish fulfil` does (a 认领人 without a date
    // is a wish claimed and not yet fulfilled).
    if fulfilled_on.is_some() && fulfilled_by.is_none() {
        c.fail(Field::FulfilledBy, t!("import.cell.fulfilled_by_missing"));
    }
    Some(WishRecord {
        who,
        wish,
        date: date?,
        fulfilled_on,
        fulfilled_by,
    })
}

/// Validates an awards row (年度 from 2000 to the current year).
pub fn award(c: &mut Cells<'_>, today: NaiveDate) -> Option<AwardRecord> {
    use chrono::Datelike;
    let who = c.worker_ref();
    let title = c.required(Field::Title);
    let year = c.integer(Field::Year);
    let year = c.need(Field::Year, year);
    if year.is_some_and(|y| !(2000..=i64::from(today.year())).contains(&y)) {
        c.fail(
            Field::Year,
            t!("import.cell.award_year", year = today.year()),
        );
    }
    Some(AwardRecord {
        who,
        title,
        year: year?,
    })
}

/// Validates an instructors row: 手机号 is required (it identifies the instructor).
pub fn instructor(c: &mut Cells<'_>, today: NaiveDate) -> Option<InstructorRecord> {
    let name = c.person_name(Field::Name);
    let phone = c.phone(Field::Phone);
    let phone = c.need(Field::Phone, phone);
    let street = c.name(Field::Street);
    let unit = c.text(Field::Unit);
    let stations = normalize::text(c.raw(Field::Stations))
        .split(['、', ',', '，', ';', '；', '/', '|'])
        .map(normalize::name)
        .filter(|s| !s.is_empty())
        .collect();
    let assigned_on = c.date(Field::AssignedOn, Some(today));
    Some(InstructorRecord {
        name,
        phone: phone?,
        street,
        unit,
        stations,
        assigned_on,
    })
}

/// Validates a party-organizations row: 类型 is required; 成立日期 may not lie after
/// `today` (dates before 2000 are accepted: organizations are older than the registers); an
/// organization may not name itself as its 上级党组织. 覆盖站点 is a list separated by 、 , ，
/// ; or ；.
pub fn org(c: &mut Cells<'_>, today: NaiveDate) -> Option<OrgRecord> {
    let name = c.required(Field::OrgName);
    let kind = c.vocab::<crate::model::PartyOrgKind>(Field::OrgKind);
    let kind = c.need(Field::OrgKind, kind);
    let parent = c.name(Field::Parent);
    if parent.as_deref().is_some_and(|p| p == name) {
        c.fail(Field::Parent, t!("import.cell.parent_is_self"));
    }
    let street = c.name(Field::Street);
    let founded_on = c.date(Field::FoundedOn, None);
    if let Some(d) = founded_on
        && d > today
    {
        c.fail(
            Field::FoundedOn,
            normalize::DateError::Future(d, today).to_string(),
        );
    }
    let secretary = c.name(Field::Secretary);
    let mut stations: Vec<String> = Vec::new();
    for s in normalize::text(c.raw(Field::CoveredStations))
        .split(['、', ',', '，', ';', '；'])
        .map(normalize::name)
    {
        if !s.is_empty() && !stations.contains(&s) {
            stations.push(s);
        }
    }
    Some(OrgRecord {
        name,
        kind: kind?,
        parent,
        street,
        founded_on,
        secretary,
        stations,
    })
}

/// Validates a 关爱活动 row; `today` bounds its date. A street or a station must be given
/// (the street is then the station's); 参与人员 is a list of 手机号, 身份证号 or 姓名 (also
/// `姓名(手机号)`), separated by 、 , ， ; ； or spaces, a worker written twice counted once;
/// 其他参与人数 and 参与人数 are whole numbers, not negative; 发放物品 is a list of items, each
/// with its quantity (`绿豆汤礼包=50`, `冰糖×20`, `矿泉水30箱`), or one item whose quantity
/// is in 数量.
pub fn activity(c: &mut Cells<'_>, today: NaiveDate) -> Option<ActivityRecord> {
    let kind = c.vocab::<CareKind>(Field::CareKind);
    let kind = c.need(Field::CareKind, kind);
    let title = c.required(Field::Activity);
    let date = c.date(Field::Date, Some(today));
    let date = c.need(Field::Date, date);
    let street = c.name(Field::Street);
    let community = c.name(Field::Community);
    let station = c.name(Field::Venue);
    if street.is_none() && station.is_none() {
        c.fail(Field::Street, t!("import.cell.activity_place_missing"));
    }
    let organizer_kind = c.vocab::<OrganizerKind>(Field::OrganizerKind);
    let organizer = c.name(Field::Organizer);
    let participants = participants(c);
    let unnamed = c.integer(Field::Unnamed);
    if unnamed.is_some_and(|n| n < 0) {
        c.fail(Field::Unnamed, t!("import.cell.negative_count"));
    }
    let headcount = c.integer(Field::Headcount);
    if headcount.is_some_and(|n| n < 0) {
        c.fail(Field::Headcount, t!("import.cell.negative_count"));
    }
    let gifts = gifts(c);
    let note = c.text(Field::Note);
    Some(ActivityRecord {
        kind: kind?,
        title,
        date: date?,
        street,
        community,
        station,
        organizer_kind,
        organizer,
        participants,
        unnamed: unnamed.map(|n| n.max(0)),
        headcount: headcount.map(|n| n.max(0)),
        gifts: gifts?,
        note,
    })
}

/// The separators of the lists of an activity row: 、 , ， ; ； and line breaks.
const LIST_SEPARATORS: [char; 6] = ['、', ',', '，', ';', '；', '\n'];

/// The workers of a 参与人员 cell, each once, in the order written.
fn participants(c: &mut Cells<'_>) -> Vec<Participant> {
    let cell = normalize::folded(c.raw(Field::Participants));
    let mut out: Vec<Participant> = Vec::new();
    for token in cell
        .split(|ch: char| LIST_SEPARATORS.contains(&ch) || ch.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        // `张三(13800138000)`: a name with the number that finds the worker.
        let (name, number) = match token.split_once('(') {
            Some((n, rest)) => (
                Some(normalize::name(n)).filter(|n| !n.is_empty()),
                rest.trim_end_matches(')'),
            ),
            None => (None, token),
        };
        let p = if number.bytes().any(|b| b.is_ascii_digit()) {
            let phone = normalize::phone(number);
            let who = if phone.len() == 11 && phone.bytes().all(|b| b.is_ascii_digit()) {
                Phone::parse(&phone)
                    .map(|p| WorkerRef {
                        name,
                        id_number: None,
                        phone: Some(p),
                    })
                    .map_err(|e| e.to_string())
            } else {
                IdNumber::parse(&normalize::id_number(number))
                    .map(|i| WorkerRef {
                        name,
                        id_number: Some(i),
                        phone: None,
                    })
                    .map_err(|e| e.to_string())
            };
            match who {
                Ok(w) => Participant::Number(w),
                Err(e) => {
                    c.errors.push(CellError::new(
                        Field::Participants,
                        token,
                        t!("import.cell.participant_number", problem = e).into_owned(),
                    ));
                    continue;
                }
            }
        } else {
            Participant::Name(normalize::name(token))
        };
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The items of a 发放物品 cell with their quantities, each item once; `None` when one is
/// refused (the problem recorded).
fn gifts(c: &mut Cells<'_>) -> Option<Vec<(String, i64)>> {
    let cell = normalize::folded(c.raw(Field::Gifts));
    let quantity_cell = c.integer(Field::GiftQuantity);
    let items: Vec<&str> = cell
        .split(|ch: char| LIST_SEPARATORS.contains(&ch))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if items.is_empty() {
        if quantity_cell.is_some() {
            c.fail(Field::GiftQuantity, t!("import.cell.quantity_without_item"));
            return None;
        }
        return Some(Vec::new());
    }
    let mut out: Vec<(String, i64)> = Vec::new();
    let mut ok = true;
    for item in &items {
        let (name, quantity) = match split_quantity(item) {
            Some((n, q)) => (n, Some(q)),
            None => (item.to_string(), None),
        };
        let quantity = match (quantity, quantity_cell) {
            (Some(q), _) => q.parse::<i64>().ok(),
            (None, Some(q)) if items.len() == 1 => Some(q),
            (None, _) => {
                c.errors.push(CellError::new(
                    Field::Gifts,
                    item,
                    t!("import.cell.gift_quantity_missing").into_owned(),
                ));
                ok = false;
                continue;
            }
        };
        match quantity {
            Some(q) if q > 0 && q < 1_000_000_000 => {}
            _ => {
                c.errors.push(CellError::new(
                    Field::Gifts,
                    item,
                    t!("import.cell.gift_quantity_positive").into_owned(),
                ));
                ok = false;
                continue;
            }
        }
        let name = normalize::name(&name);
        if out.iter().any(|(n, _)| *n == name) {
            c.errors.push(CellError::new(
                Field::Gifts,
                item,
                t!("import.cell.gift_twice", item = &name).into_owned(),
            ));
            ok = false;
            continue;
        }
        out.push((name, quantity.expect("checked")));
    }
    ok.then_some(out)
}

/// `绿豆汤礼包=50`, `冰糖×20`, `冰糖*20`, `冰糖:20`, `矿泉水30箱` → the item and the quantity as
/// written (a sign kept, so that `=-5` is refused as not positive); `None` without one.
fn split_quantity(item: &str) -> Option<(String, String)> {
    let units = [
        '份', '个', '件', '箱', '袋', '盒', '瓶', '套', '包', '张', '斤',
    ];
    if let Some(at) = item.rfind(['=', '×', '*', ':', 'x', 'X']) {
        let (name, q) = (&item[..at], item[at..].chars().skip(1).collect::<String>());
        let q = q.trim().trim_end_matches(units).to_string();
        if !name.trim().is_empty()
            && !q.is_empty()
            && q.trim_start_matches(['-', '+'])
                .bytes()
                .all(|b| b.is_ascii_digit())
        {
            return Some((name.trim().to_string(), q));
        }
    }
    let body = item.trim_end_matches(units);
    let digits = body.len() - body.trim_end_matches(|ch: char| ch.is_ascii_digit()).len();
    if digits > 0 && digits < body.len() {
        let (name, q) = body.split_at(body.len() - digits);
        return Some((name.trim().to_string(), q.to_string()));
    }
    None
}

/// Splits a facilities cell (`饮水、充电；微波炉`) into a list.
pub fn facilities(s: &str) -> Vec<String> {
    normalize::text(s)
        .split(['、', ',', '，', ';', '；', '/', '|', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Validates a stations row.
pub fn station(c: &mut Cells<'_>) -> Option<StationRecord> {
    let name = c.required(Field::StationName);
    let kind = c.vocab::<StationKind>(Field::StationKind);
    if kind.is_none() && normalize::text(c.raw(Field::StationKind)).is_empty() {
        c.fail(Field::StationKind, t!("import.cell.missing"));
    }
    let enterprise = c.name(Field::Enterprise);
    let address = c.text(Field::Address);
    let street = c.required(Field::Street);
    let community = c.name(Field::Community);
    let declared_workers = c.integer(Field::DeclaredWorkers);
    if declared_workers.is_some_and(|n| n < 0) {
        c.fail(Field::DeclaredWorkers, t!("import.cell.negative"));
    }
    let contact_name = c.name(Field::ContactName);
    let contact_phone = c.contact(Field::ContactPhone);
    let facilities = facilities(c.raw(Field::Facilities));
    Some(StationRecord {
        name,
        kind: kind?,
        enterprise,
        address,
        street,
        community,
        declared_workers,
        contact_name,
        contact_phone,
        facilities,
    })
}

/// Validates a partner-merchants row: 商家名称, 类型 and 街道 are required; 截止日期 may not lie
/// before 签约日期 (the message names both). Dates are not bounded by today: a register states
/// agreements signed ahead and their end.
pub fn merchant(c: &mut Cells<'_>) -> Option<MerchantRecord> {
    let name = c.required(Field::MerchantName);
    let kind = c.vocab::<MerchantKind>(Field::MerchantKind);
    if kind.is_none() && normalize::text(c.raw(Field::MerchantKind)).is_empty() {
        c.fail(Field::MerchantKind, t!("import.cell.missing"));
    }
    let street = c.required(Field::Street);
    let community = c.name(Field::Community);
    let address = c.text(Field::Address);
    let offer = c.text(Field::Offer);
    let contact_name = c.name(Field::ContactName);
    let contact_phone = c.contact(Field::ContactPhone);
    let since_on = c.date(Field::SinceOn, None);
    let until_on = c.date(Field::UntilOn, None);
    if let (Some(since), Some(until)) = (since_on, until_on)
        && until < since
    {
        c.fail(
            Field::UntilOn,
            t!(
                "import.cell.until_before_since",
                until = until,
                since = since
            ),
        );
    }
    Some(MerchantRecord {
        name,
        kind: kind?,
        street,
        community,
        address,
        offer,
        contact_name,
        contact_phone,
        since_on,
        until_on,
    })
}

/// Validates a row of a gifts register (积分商城): a name, a price in points above zero, a
/// stock of zero or more, and optionally the donor and the street whose shop it is.
pub fn gift(c: &mut Cells<'_>) -> Option<GiftRecord> {
    let name = c.required(Field::GiftName);
    let price = c.integer(Field::Price);
    let price = c.need(Field::Price, price);
    if price.is_some_and(|p| p <= 0) {
        c.fail(Field::Price, t!("import.cell.gift_price"));
    }
    let stock = c.integer(Field::Stock);
    let stock = c.need(Field::Stock, stock);
    if stock.is_some_and(|n| n < 0) {
        c.fail(Field::Stock, t!("import.cell.gift_stock"));
    }
    let donor = c.name(Field::Donor);
    let street = c.name(Field::Street);
    Some(GiftRecord {
        name,
        price: price?,
        stock: stock?,
        donor,
        street,
    })
}

/// Validates a divisions row. Rows with codes other than 9 or 12 digits (the district's own
/// row, provinces) are skipped: `Ok(None)`. A row without a code whose 上级代码 is a street's
/// 9 digits is a community added by hand (code empty in the record).
pub fn division(c: &mut Cells<'_>) -> Option<Option<DivisionRecord>> {
    let code = normalize::id_number(c.raw(Field::Code));
    let name = c.required(Field::DivisionName);
    let parent = normalize::id_number(c.raw(Field::ParentCode));
    // A community on no official list (new since 2023): no code of its own, under the
    // 9-digit code of its street.
    if code.is_empty() && parent.len() == 9 && parent.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Some(DivisionRecord { code, name, parent }));
    }
    if code.is_empty() {
        c.fail(Field::Code, t!("import.cell.missing"));
        return None;
    }
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        c.fail(Field::Code, t!("import.cell.code_not_numeric"));
        return None;
    }
    match code.len() {
        9 | 12 => {}
        // Provinces, cities and districts are listed above their streets: not stored.
        2 | 4 | 6 => return Some(None),
        n => {
            c.fail(Field::Code, t!("import.cell.code_length", count = n));
            return None;
        }
    }
    let parent = if parent.is_empty() {
        code[..code.len() - 3].to_string()
    } else {
        parent
    };
    if !code.starts_with(&parent) || parent.len() != code.len() - 3 {
        c.fail(
            Field::ParentCode,
            t!("import.cell.code_parent", parent = &parent, code = &code),
        );
        return None;
    }
    Some(Some(DivisionRecord { code, name, parent }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RegisterKind;

    fn map(kind: RegisterKind, header: &[&str]) -> HeaderMap {
        let rows = vec![RawRow::new(1, 1, header)];
        HeaderMap::detect(kind, &rows, None, &[]).unwrap().0
    }

    fn row(cells: &[&str]) -> RawRow {
        RawRow::new(2, 2, cells)
    }

    const WH: &[&str] = &[
        "姓名",
        "性别",
        "手机号",
        "身份证号",
        "政治面貌",
        "从业类型",
        "所属企业",
        "所属站点",
        "所属街道",
        "所属社区",
        "备注",
    ];

    #[test]
    fn a_clean_worker() {
        let m = map(RegisterKind::Workers, WH);
        let r = row(&[
            "刘　超",
            "",
            "13800138000",
            "14010619900307129x",
            "党员",
            "骑手",
            "美团",
            "",
            "柳巷",
            "",
            "",
        ]);
        let mut c = Cells::new(&m, &r);
        let w = worker(&mut c, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        assert_eq!(w.name, "刘超");
        assert_eq!(w.gender, Some(Gender::Male));
        assert_eq!(w.id_number.unwrap().as_str(), "14010619900307129X");
        assert_eq!(w.political_status, Some(PoliticalStatus::PartyMember));
        assert_eq!(w.occupation, Occupation::DeliveryRider);
    }

    #[test]
    fn every_problem_of_a_row_is_reported_and_masked() {
        let m = map(RegisterKind::Workers, WH);
        let r = row(&[
            "",
            "女",
            "1.95956E+10",
            "140106197304011000",
            "党外人士",
            "厨师",
            "",
            "",
            "",
            "",
            "",
        ]);
        let mut c = Cells::new(&m, &r);
        let _ = worker(&mut c, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        let fields: Vec<Field> = c.errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::Name,
                Field::IdNumber,
                Field::Phone,
                Field::PoliticalStatus,
                Field::Occupation,
                Field::Street
            ]
        );
        assert_eq!(c.errors[1].shown, "140106********1000");
        assert!(c.errors[1].problem.contains("Excel has cut it"));
    }

    #[test]
    fn redemption_signs() {
        let m = map(
            RegisterKind::Points,
            &["手机号", "日期", "类别", "积分", "说明"],
        );
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let c_row = row(&["13800138000", "2025-07-10", "积分兑换", "15", "雨衣"]);
        let mut c = Cells::new(&m, &c_row);
        assert_eq!(points(&mut c, today).unwrap().points, Points(-15));
        let c_row = row(&["13800138000", "2025-07-10", "志愿服务", "-5", "雨衣"]);
        let mut c = Cells::new(&m, &c_row);
        assert!(points(&mut c, today).is_none());
        assert_eq!(c.errors[0].field, Field::Points);
        let c_row = row(&["13800138000", "2025-07-10", "", "-5", "雨衣"]);
        let mut c = Cells::new(&m, &c_row);
        let p = points(&mut c, today).unwrap();
        assert_eq!(
            (p.category, p.points),
            (PointCategory::Redemption, Points(-5))
        );
    }

    #[test]
    fn divisions_skip_district_rows() {
        let m = map(RegisterKind::Streets, &["级别", "代码", "名称", "上级代码"]);
        let r = row(&["区县", "140106", "迎泽区", "1401"]);
        assert_eq!(division(&mut Cells::new(&m, &r)), Some(None));
        let r = row(&["社区", "140106001002", "宁化府社区居委会", "140106001"]);
        assert_eq!(
            division(&mut Cells::new(&m, &r)).unwrap().unwrap().parent,
            "140106001"
        );
    }
}
