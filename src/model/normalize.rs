//! Value normalization: the one place where a cell as people type it becomes the text that
//! validation sees. Every register and every command typed at the terminal goes through
//! these functions, so `刘　超` and `刘超`, `１５８…` and `158…` are the same value everywhere.
//!
//! Each function is idempotent (normalizing twice equals normalizing once) and total (it
//! never panics on any string).

use chrono::{Datelike, NaiveDate};
use rust_i18n::t;
use unicode_normalization::UnicodeNormalization;

/// Characters that take no space and carry no meaning in a register: zero-width space,
/// non-joiner, joiner, the left-to-right and right-to-left marks (which, unlike the
/// overrides of [`is_refused_char`], reorder nothing around them), word joiner, BOM, soft
/// hyphen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{00AD}'
    )
}

/// True when `s` holds no white space and no invisible character: no ASCII white space and
/// none of the UTF-8 lead bytes under which every non-ASCII space or invisible character
/// lies (C2: NBSP, soft hyphen; E1: U+1680, U+180E; E2: U+2000–U+2FFF; E3: U+3000; EF:
/// U+FEFF). Chinese text (lead bytes E4–E9) passes.
fn is_clean(s: &str) -> bool {
    !s.bytes().any(|b| {
        matches!(
            b,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF
        )
    })
}

/// The text inside Excel's formula-text marker, `="140106…"`: what people type (or a system
/// exports) so that Excel keeps a long number as text; the curly quotes of a Chinese input
/// method (`=“…”`) too. White space around the marker is ignored. Any other cell — a real
/// formula such as `="a"&"b"`, a value that merely starts with `=` — comes back as it is.
/// For every cell: Excel itself shows such a cell as the text inside.
pub fn formula_text(s: &str) -> &str {
    let t = s.trim();
    let Some(rest) = t.strip_prefix('=') else {
        return s;
    };
    let rest = rest.trim_start();
    let mut chars = rest.chars();
    let (Some(open), Some(close)) = (chars.next(), chars.next_back()) else {
        return s;
    };
    let inner = chars.as_str();
    let quote = |c: char| matches!(c, '"' | '“' | '”');
    if quote(open) && quote(close) && !inner.contains(quote) {
        inner
    } else {
        s
    }
}

/// A number or code cell without the marks people put before it so that Excel keeps it as
/// text: [`formula_text`], then a leading apostrophe (`'140106…`; also `‘`, `’`, `＇` or a
/// backquote, which input methods type for it) and the white space (tabs included) around it. For 身份证号,
/// 手机号, 联系电话, dates, codes and counts — never for names or notes, where an apostrophe
/// may be meant.
pub fn number_text(s: &str) -> &str {
    let t = formula_text(s).trim();
    match t.strip_prefix(['\'', '‘', '’', '＇', '`']) {
        Some(rest) => rest.trim(),
        None => t,
    }
}

/// A 身份证号 as validation reads it: [`number_text`], [`folded`] (full-width digits and `Ｘ`
/// become ASCII), all spaces removed.
pub fn id_number(s: &str) -> String {
    folded(number_text(s)).replace(' ', "")
}

/// The longest 姓名, in characters: longer than any real name (transliterated foreign names
/// included), short enough for a table column.
pub const MAX_NAME_CHARS: usize = 50;

/// The longest value of any other cell, in characters (a 备注 of a few paragraphs fits).
pub const MAX_CELL_CHARS: usize = 2000;

/// Why a cell was refused before its value was read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellProblem {
    /// More than `limit` characters: `chars` in all.
    TooLong {
        /// Characters in the cell.
        chars: usize,
        /// The limit of its column.
        limit: usize,
    },
    /// A control character (C0 other than tab and line breaks, DEL, C1) or a bidirectional
    /// embedding, override or isolate.
    Control(char),
}

/// True for the characters a cell may never hold, because they are invisible *and* change
/// what a terminal or a table shows (an ESC starts a terminal escape sequence; U+202E turns
/// the rest of a line right-to-left so that `abc` can read as `cba`):
/// - C0 controls U+0000–U+001F except tab (U+0009), line feed (U+000A) and carriage return
///   (U+000D), which are white space and cleaned like it (kept inside a 备注);
/// - DEL U+007F and the C1 controls U+0080–U+009F;
/// - the bidirectional embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069.
///
/// Harmless invisible characters are *cleaned*, not refused ([`text`]): zero-width space,
/// (non-)joiner and word joiner (U+200B–U+200D, U+2060), the left-to-right and right-to-left
/// marks (U+200E, U+200F), the BOM (U+FEFF), the soft hyphen
/// (U+00AD), and every Unicode space (NBSP U+00A0, U+3000 …), which is collapsed to one
/// space. They come from copying out of web pages and chat apps and change nothing a person
/// reads.
pub fn is_refused_char(c: char) -> bool {
    matches!(c as u32,
        0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F..=0x9F | 0x202A..=0x202E | 0x2066..=0x2069)
}

/// Checks a cell before its value is read: at most `limit` characters (see
/// [`MAX_NAME_CHARS`], [`MAX_CELL_CHARS`]), and no character of [`is_refused_char`]. The
/// count is of characters (a Chinese character is one), of the cell as written.
///
/// Errors: the first problem found — length first, so that a huge value is never scanned
/// twice.
pub fn check_cell(s: &str, limit: usize) -> Result<(), CellProblem> {
    // Every refused character is a byte below 0x20, 0x7F, or starts with C2 (C1) or E2
    // (U+2xxx): most cells are ruled out without decoding.
    let suspicious = s.bytes().any(|b| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F || b == 0xC2 || b == 0xE2
    });
    if s.len() > limit {
        let chars = s.chars().count();
        if chars > limit {
            return Err(CellProblem::TooLong { chars, limit });
        }
    }
    if suspicious && let Some(c) = s.chars().find(|c| is_refused_char(*c)) {
        return Err(CellProblem::Control(c));
    }
    Ok(())
}

/// `s` with every character of [`is_refused_char`] written as its code point (`<U+001B>`):
/// safe to print on a terminal.
pub fn escape_refused(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_refused_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if is_refused_char(c) {
                    format!("<U+{:04X}>", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// True when `s` holds nothing but white space and invisible characters.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Trims every kind of white space (ASCII, U+3000 ideographic, U+00A0 no-break, tabs),
/// removes invisible characters, and collapses inner runs of white space to one ASCII space.
pub fn text(s: &str) -> String {
    if is_clean(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// [`text`] after NFKC: full-width digits and Latin letters become ASCII (`１５８` → `158`,
/// `（` → `(`). For identifiers, numbers and dates; never for names (NFKC would also fold
/// some CJK compatibility ideographs).
pub fn folded(s: &str) -> String {
    if s.is_ascii() {
        return text(s);
    }
    text(&s.nfkc().collect::<String>())
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
        || c == '·'
        || c == '•'
}

/// A person's or place's name: [`text`], and when what is left is all Chinese, the inner
/// spaces registers use for padding (`刘　超`) are removed. Latin names keep their spaces.
pub fn name(s: &str) -> String {
    let t = text(s);
    if t.contains(' ') && t.chars().filter(|c| *c != ' ').all(is_cjk) {
        t.replace(' ', "")
    } else {
        t
    }
}

/// A phone or contact number: [`number_text`] (Excel's text markers), [`folded`], then a `+86`/`0086`/`86-` country code, spaces,
/// hyphens between mobile digit groups, brackets and a float tail (`17747126970.0`, Excel's
/// rendering of a number cell) are removed. Landline hyphens after an area code are kept
/// (`0351-1234567`). Scientific notation is left as it is, for validation to refuse.
pub fn phone(s: &str) -> String {
    if s.len() == 11 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.to_string();
    }
    let s = number_text(s);
    let t = folded(s);
    if crate::model::looks_scientific(&t) {
        return t.replace(' ', "");
    }
    let mut t: String = t.chars().filter(|c| *c != ' ').collect();
    for prefix in ["+86-", "+86", "0086-", "0086", "(+86)", "(86)"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.to_string();
            break;
        }
    }
    if let Some(rest) = t.strip_suffix(".0").or_else(|| t.strip_suffix(".00")) {
        t = rest.to_string();
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let only_separators = t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '-' | '(' | ')'));
    if !only_separators {
        return t;
    }
    if digits.len() == 13 && digits.starts_with("86") && digits.as_bytes()[2] == b'1' {
        return digits[2..].to_string();
    }
    if digits.starts_with('1') {
        return digits;
    }
    // A landline: keep one hyphen after the area code.
    if let Some(open) = t.strip_prefix('(')
        && let Some((area, local)) = open.split_once(')')
    {
        return format!("{area}-{}", local.replace('-', ""));
    }
    match t.split_once('-') {
        Some((area, local)) => format!("{area}-{}", local.replace('-', "")),
        None => digits,
    }
}

/// Why a date cell was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Month and day without a year; holds the cell as written with `YYYY` put in where
    /// the year goes, as the form of the fix (`7/6` → `YYYY/7/6`): no year is suggested,
    /// for a guessed one is as wrong as the missing one.
    NoYear(String),
    /// Day and month before the year with both 12 or less (`7/6/2025`): their order cannot
    /// be told. Holds both readings, month first then day first.
    YearLast(NaiveDate, NaiveDate),
    /// Day, month, year with the day first (`16/07/2025`, the first number over 12): one
    /// reading only, but not the order registers here use; holds that reading.
    DayFirst(NaiveDate),
    /// Not a format we read.
    Format,
    /// Day or month out of range (2025-02-30).
    Invalid,
    /// The time of a date-time that no day has (`2025-07-16T25:61:61`): an hour over 23,
    /// a minute or second over 59. Holds the time as written.
    Time(String),
    /// As [`DateError::Time`], written with `AM`/`PM`: an hour other than 1–12
    /// (`2025-07-16 13:00 PM`). Holds the time as written.
    Time12(String),
    /// A date-time whose zone is beyond UTC±14:00, the farthest any place keeps (Kiribati,
    /// UTC+14), or whose minutes pass 59 (`2025-07-16T12:00:00+25:00`). Holds the zone as
    /// written.
    Zone(String),
    /// An Excel serial number before 1900-03-01 (where Excel's calendar is wrong).
    EarlySerial,
    /// Later than today.
    Future(NaiveDate, NaiveDate),
    /// Before 2000: almost certainly a typing error for event dates.
    TooEarly,
    /// A bare number typed on the command line: an Excel day number is read only from a
    /// spreadsheet's cell, where Excel wrote it.
    Serial,
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            Self::NoYear(example) => t!("inputs.date.no_year", example = example),
            Self::YearLast(month_first, day_first) => t!(
                "inputs.date.year_last",
                month_first = month_first,
                day_first = day_first
            ),
            Self::DayFirst(date) => t!("inputs.date.day_first", date = date),
            Self::Format => t!("model.date.format"),
            Self::Invalid => t!("model.date.invalid"),
            Self::Time(time) => t!("model.date.time", time = time),
            Self::Time12(time) => t!("model.date.time12", time = time),
            Self::Zone(zone) => t!("model.date.zone", zone = zone),
            Self::EarlySerial => t!("model.date.early_serial"),
            Self::Future(date, today) => t!("model.date.future", date = date, today = today),
            Self::TooEarly => t!("model.date.too_early"),
            Self::Serial => t!("inputs.date.serial_typed"),
        })
    }
}

/// Reads a date as registers write it: `2025-07-16`, `2025/7/6`, `2025.07.06`, `20250706`,
/// `2025年7月16日`, ISO date-times (`2025-07-16 08:30`, `2025-07-16T08:30:00`) and Excel
/// serial numbers in the 1900 system (`45854` = 2025-07-16; serials before 61, i.e. before
/// 1900-03-01, are refused because Excel counts a 1900-02-29 that never was).
///
/// Errors: [`DateError`]. A date without a year (`7月6日`, `7/6`) is refused, never guessed.
pub fn date(s: &str) -> Result<NaiveDate, DateError> {
    date_in(s, false)
}

/// [`date`], with bare Excel day numbers counted in the 1904 date system when `serial_1904`
/// (workbooks saved by old Mac Excel).
pub fn date_in(s: &str, serial_1904: bool) -> Result<NaiveDate, DateError> {
    // The common case, ISO `2025-07-16`, without allocating.
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        return ymd(&s[..4], &s[5..7], &s[8..]);
    }
    let t = folded(number_text(s));
    // Date-times: keep the date part, once the time of day is a real one.
    let t = match t.find(['T', ' ']) {
        Some(p) if p >= 8 => {
            time_of_day(&t[p + 1..])?;
            t[..p].to_string()
        }
        _ => t,
    };
    let t = t.as_str();
    if t.is_empty() {
        return Err(DateError::Format);
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return match t.len() {
            8 => ymd(&t[..4], &t[4..6], &t[6..]),
            1..=5 if serial_1904 => excel_serial_1904(t.parse().map_err(|_| DateError::Format)?),
            1..=5 => excel_serial(t.parse().map_err(|_| DateError::Format)?),
            _ => Err(DateError::Format),
        };
    }
    // 2025年7月16日 / 2025年7月16号
    if let Some((y, rest)) = t.split_once('年') {
        let rest = rest.trim_end_matches(['日', '号']);
        let (m, d) = rest.split_once('月').ok_or(DateError::Format)?;
        return ymd(y, m, d);
    }
    if t.contains('月') {
        return Err(DateError::NoYear(format!("YYYY年{t}")));
    }
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => ymd(y, m, d),
        [a, b, y] if y.len() == 4 && a.len() <= 2 && b.len() <= 2 => month_day_year(a, b, y),
        [a, b] if a.len() <= 2 && b.len() <= 2 && is_num(a) && is_num(b) => {
            let sep = if t.contains('/') { '/' } else { '-' };
            Err(DateError::NoYear(format!("YYYY{sep}{a}{sep}{b}")))
        }
        _ => {
            // An Excel serial written with a decimal tail, e.g. `45854.0` or a date-time serial.
            if let Ok(f) = t.parse::<f64>()
                && f.is_finite()
                && (1.0..2_958_466.0).contains(&f)
            {
                return excel_serial(f.floor() as i64);
            }
            Err(DateError::Format)
        }
    }
}

/// `a/b/yyyy`, as US-locale Excel and some platforms export: month first when the day (the
/// middle number) is over 12 (`7/26/2025`), the only reading; both 12 or less (`7/6/2025`:
/// July 6th or June 7th?) is never guessed; a first number over 12 is a day first.
fn month_day_year(a: &str, b: &str, y: &str) -> Result<NaiveDate, DateError> {
    if !(is_num(a) && is_num(b) && is_num(y)) {
        return Err(DateError::Format);
    }
    let (x, z): (u32, u32) = (
        a.parse().map_err(|_| DateError::Format)?,
        b.parse().map_err(|_| DateError::Format)?,
    );
    let month_first = ymd(y, a, b);
    let day_first = ymd(y, b, a);
    match (x <= 12, z <= 12) {
        (true, false) => month_first,
        (true, true) => match (month_first, day_first) {
            (Ok(m), Ok(d)) if m != d => Err(DateError::YearLast(m, d)),
            (Ok(m), _) => Ok(m),
            (Err(e), _) => Err(e),
        },
        (false, true) => Err(DateError::DayFirst(day_first?)),
        (false, false) => Err(DateError::Invalid),
    }
}

/// Checks the time of a date-time (what follows the `T` or the space): `H:MM`, `H:MM:SS` or
/// `H:MM:SS.fff`, the hour 0–23 (1–12 before `AM`/`PM`), minutes and seconds 0–59, then
/// optionally a zone (`Z`, `+08:00`, `+0800`) or ` AM`/` PM`, as ISO 8601 and Excel's text
/// of a date-time write them.
///
/// Errors: [`DateError::Time`] for a time of that shape that no day has (`25:61:61`),
/// [`DateError::Format`] for anything else.
fn time_of_day(s: &str) -> Result<(), DateError> {
    let s = s.trim();
    let upper = s.to_ascii_uppercase();
    let (clock, twelve) = match upper
        .strip_suffix("AM")
        .or_else(|| upper.strip_suffix("PM"))
    {
        Some(c) => (c.trim_end(), true),
        None => (upper.as_str(), false),
    };
    // The zone: `Z`, or a sign after the clock's first character.
    let clock = clock.strip_suffix('Z').unwrap_or(clock);
    let (clock, zone, signed) = match clock.get(1..).and_then(|c| c.find(['+', '-'])) {
        Some(i) => (&clock[..=i], Some(&clock[i + 2..]), &s[i + 1..]),
        None => (clock, None, ""),
    };
    let mut parts = clock.split(':');
    let (h, m, sec) = (parts.next(), parts.next(), parts.next());
    let (Some(h), Some(m)) = (h, m) else {
        return Err(DateError::Format);
    };
    let sec = sec.map(|x| {
        x.split_once('.').map_or(
            x,
            |(whole, fraction)| {
                if is_num(fraction) { whole } else { "" }
            },
        )
    });
    let two = |x: &str| is_num(x) && x.len() == 2;
    let shaped = parts.next().is_none()
        && is_num(h)
        && h.len() <= 2
        && two(m)
        && sec.is_none_or(two)
        && zone.is_none_or(|z| {
            let z = z.replace(':', "");
            is_num(&z) && (z.len() == 2 || z.len() == 4) && !twelve
        });
    if !shaped {
        return Err(DateError::Format);
    }
    let n = |x: &str| x.parse::<u32>().unwrap_or(u32::MAX);
    let hours = if twelve { 1..=12 } else { 0..=23 };
    if !(hours.contains(&n(h)) && n(m) <= 59 && sec.is_none_or(|x| n(x) <= 59)) {
        return Err(if twelve {
            DateError::Time12(s.to_string())
        } else {
            DateError::Time(s.to_string())
        });
    }
    // The zone's hours and minutes: within ±14:00, minutes 0–59.
    if let Some(z) = zone {
        let z = z.replace(':', "");
        let (zh, zm) = (n(&z[..2]), z.get(2..).map_or(0, n));
        if zm > 59 || zh * 60 + zm > 14 * 60 {
            return Err(DateError::Zone(signed.to_string()));
        }
    }
    Ok(())
}

fn is_num(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn ymd(y: &str, m: &str, d: &str) -> Result<NaiveDate, DateError> {
    if !(is_num(y) && is_num(m) && is_num(d)) || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return Err(DateError::Format);
    }
    let (y, m, d) = (
        y.parse().map_err(|_| DateError::Format)?,
        m.parse().map_err(|_| DateError::Format)?,
        d.parse().map_err(|_| DateError::Format)?,
    );
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::Invalid)
}

/// True when `s` is a bare number — an Excel day number such as `45846` or `45846.5` —
/// rather than a written date (`20250708`, eight digits, is a date).
fn is_serial(s: &str) -> bool {
    let t = folded(number_text(s));
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut parts = t.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    is_num(whole) && parts.next().is_none_or(|f| f.is_empty() || is_num(f))
}

/// [`date`] for a date typed on the command line (`--date`, `--from`, `--left-before` …): a
/// bare number is refused ([`DateError::Serial`]). Excel writes a day number into a cell,
/// where [`date`] reads it; typed, `45846` is a slip, not 2025-07-08.
///
/// Errors: [`DateError`].
pub fn typed_date(s: &str) -> Result<NaiveDate, DateError> {
    if is_serial(s) {
        return Err(DateError::Serial);
    }
    date(s)
}

/// [`event_date`] for a date typed on the command line: as [`typed_date`], and no later than
/// `today` nor before 2000.
///
/// Errors: [`DateError`].
pub fn typed_event_date(s: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    if is_serial(s) {
        return Err(DateError::Serial);
    }
    event_date(s, today, false)
}

/// An Excel serial day number in the 1900 date system (day 1 = 1900-01-01, with Excel's
/// phantom 1900-02-29 at 60). Serials before 61 are refused.
pub fn excel_serial(n: i64) -> Result<NaiveDate, DateError> {
    if n < 61 {
        return Err(DateError::EarlySerial);
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    base.checked_add_days(chrono::Days::new(n as u64))
        .ok_or(DateError::Invalid)
}

/// An Excel serial day number in the 1904 date system (Mac workbooks; day 0 = 1904-01-01).
pub fn excel_serial_1904(n: i64) -> Result<NaiveDate, DateError> {
    if n < 0 {
        return Err(DateError::Invalid);
    }
    let base = NaiveDate::from_ymd_opt(1904, 1, 1).expect("valid date");
    base.checked_add_days(chrono::Days::new(n as u64))
        .ok_or(DateError::Invalid)
}

/// An event date (check-in, points): [`date_in`], and no later than `today` nor before 2000.
pub fn event_date(s: &str, today: NaiveDate, serial_1904: bool) -> Result<NaiveDate, DateError> {
    let d = date_in(s, serial_1904)?;
    if d > today {
        return Err(DateError::Future(d, today));
    }
    if d.year() < 2000 {
        return Err(DateError::TooEarly);
    }
    Ok(d)
}

/// Why a duration cell was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Not a duration we read.
    Format,
    /// Zero, negative, or more than a day.
    Range,
}

impl std::fmt::Display for DurationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&match self {
            Self::Format => t!("model.duration.format"),
            Self::Range => t!("model.duration.range"),
        })
    }
}

/// A volunteer service's length in minutes, from hours (`1.5`, `2小时`, `1.5h`), hours and
/// minutes (`1小时30分`, `1时30分钟`) or minutes (`90分钟`, `90min`). A bare number is hours,
/// or minutes when `bare_minutes` (the column's header says 分钟).
///
/// Errors: [`DurationError`]; at most 24 hours.
pub fn duration_minutes(s: &str, bare_minutes: bool) -> Result<i64, DurationError> {
    let t: String = folded(s)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return Err(DurationError::Format);
    }
    let number = |x: &str| -> Result<f64, DurationError> {
        let v: f64 = x.parse().map_err(|_| DurationError::Format)?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(DurationError::Format)
        }
    };
    // `1:30` (a time-formatted cell, or typed so): hours and minutes.
    let clock = t.split_once(':').and_then(|(h, m)| {
        (!h.is_empty() && m.len() == 2 && (h.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit()))
            .then(|| (h.parse::<f64>().ok(), m.parse::<f64>().ok()))
    });
    let (hours, minutes) = if let Some((Some(h), Some(m))) = clock {
        if m >= 60.0 {
            return Err(DurationError::Format);
        }
        (h, m)
    } else if let Some(p) = t.find(['小', '时', 'h']) {
        let h = number(&t[..p])?;
        let rest = t[p..]
            .trim_start_matches("小时")
            .trim_start_matches('时')
            .trim_start_matches("hours")
            .trim_start_matches("hour")
            .trim_start_matches('h');
        let rest = rest
            .trim_end_matches("分钟")
            .trim_end_matches('分')
            .trim_end_matches("min")
            .trim_end_matches('m');
        let m = if rest.is_empty() { 0.0 } else { number(rest)? };
        (h, m)
    } else if let Some(x) = t
        .strip_suffix("分钟")
        .or_else(|| t.strip_suffix('分'))
        .or_else(|| t.strip_suffix("min"))
    {
        (0.0, number(x)?)
    } else if bare_minutes {
        (0.0, number(&t)?)
    } else {
        (number(&t)?, 0.0)
    };
    let total = (hours * 60.0 + minutes).round();
    if total <= 0.0 || total > 24.0 * 60.0 {
        return Err(DurationError::Range);
    }
    Ok(total as i64)
}

/// A header cell, made comparable: [`folded`], all spaces removed, a leading or trailing `*`
/// (the "required" mark) and a trailing `(必填)`/`(选填)` removed.
pub fn header(s: &str) -> String {
    let mut t: String = folded(s).chars().filter(|c| *c != ' ').collect();
    for suffix in ["(必填)", "(选填)", "(可选)", "*"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.to_string();
        }
    }
    t.trim_start_matches('*').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        date(s)
            .map(|d| d.to_string())
            .unwrap_or_else(|e| format!("{e:?}"))
    }

    #[test]
    fn date_formats_of_case_05() {
        assert_eq!(d("2025-07-16"), "2025-07-16");
        assert_eq!(d("2025/7/6"), "2025-07-06");
        assert_eq!(d("2025年7月16日"), "2025-07-16");
        assert_eq!(d("2025.07.06"), "2025-07-06");
        assert_eq!(d("20250706"), "2025-07-06");
        assert_eq!(d("45854"), "2025-07-16");
        assert!(d("7月6日").starts_with("NoYear(\""), "{}", d("7月6日"));
        assert_eq!(d("7月6日"), "NoYear(\"YYYY年7月6日\")");
        // Typed on the command line, a day number is refused; a written date is not.
        assert_eq!(typed_date("45846"), Err(DateError::Serial));
        assert_eq!(typed_date(" 45846.0 "), Err(DateError::Serial));
        assert_eq!(typed_date("20250708").unwrap().to_string(), "2025-07-08");
        assert_eq!(typed_date("2025.07.08").unwrap().to_string(), "2025-07-08");
        assert_eq!(d("7/6"), "NoYear(\"YYYY/7/6\")");
        assert_eq!(d("2025-07-16 08:30:00"), "2025-07-16");
        assert_eq!(d("2025-07-16T08:30"), "2025-07-16");
        assert_eq!(d("２０２５－０７－１６"), "2025-07-16");
        assert_eq!(d("2025-02-30"), "Invalid");
        assert_eq!(d("59"), "EarlySerial");
        assert_eq!(d("45854.0"), "2025-07-16");
        assert_eq!(d("昨天"), "Format");
        assert_eq!(d("6/7/2025"), "YearLast(2025-06-07, 2025-07-06)");
        assert_eq!(d("7/26/2025"), "2025-07-26");
        assert_eq!(d("07/26/2025"), "2025-07-26");
        assert_eq!(d("7/7/2025"), "2025-07-07");
        assert_eq!(d("16/07/2025"), "DayFirst(2025-07-16)");
        assert_eq!(d("13/13/2025"), "Invalid");
        assert_eq!(d("2/30/2025"), "Invalid");
    }

    #[test]
    fn a_date_time_has_a_real_time_of_day() {
        for good in [
            "2025-07-16T08:30",
            "2025-07-16T00:00:00",
            "2025-07-16 23:59:59",
            "2025-07-16 8:05",
            "2025-07-16T08:30:00.250",
            "2025-07-16T08:30:00Z",
            "2025-07-16T08:30:00+08:00",
            "2025-07-16T08:30:00-0500",
            "2025/7/16 8:30:00 PM",
            "2025年7月16日 08:30",
            "２０２５－０７－１６　０８：３０",
        ] {
            assert_eq!(d(good), "2025-07-16", "{good}");
        }
        for (bad, time) in [
            ("2025-07-16T25:61:61", "25:61:61"),
            ("2025-07-16T24:00", "24:00"),
            ("2025-07-16 23:60", "23:60"),
            ("2025-07-16 23:59:60", "23:59:60"),
        ] {
            assert_eq!(date(bad), Err(DateError::Time(time.into())), "{bad}");
        }
        for (bad, time) in [
            ("2025/7/16 13:00 PM", "13:00 PM"),
            ("2025/7/16 0:30 AM", "0:30 AM"),
        ] {
            assert_eq!(date(bad), Err(DateError::Time12(time.into())), "{bad}");
        }
        for (bad, zone) in [
            ("2025-07-16T12:00:00+25:00", "+25:00"),
            ("2025-07-16T12:00:00-1401", "-1401"),
            ("2025-07-16T12:00+08:60", "+08:60"),
        ] {
            assert_eq!(date(bad), Err(DateError::Zone(zone.into())), "{bad}");
        }
        assert_eq!(d("2025-07-16T12:00+14:00"), "2025-07-16");
        assert_eq!(d("2025-07-16T12:00-12:00"), "2025-07-16");
        for bad in [
            "2025-07-16T",
            "2025-07-16 星期三",
            "2025-07-16T8",
            "2025-07-16T08:3",
            "2025-07-16T08:30:00:00",
            "2025-07-16T08:30:0x",
            "2025-07-16T08:30+8",
        ] {
            assert_eq!(date(bad), Err(DateError::Format), "{bad}");
        }
        // The calendar still counts: a real time on a day that is not.
        assert_eq!(d("2025-02-30T08:30"), "Invalid");
    }

    #[test]
    fn excel_1904() {
        assert_eq!(excel_serial_1904(0).unwrap().to_string(), "1904-01-01");
        // The same day is 1462 days apart in the two systems.
        assert_eq!(
            excel_serial_1904(45854 - 1462).unwrap(),
            excel_serial(45854).unwrap()
        );
    }

    #[test]
    fn names_and_text() {
        assert_eq!(name("刘　超"), "刘超");
        assert_eq!(name(" 王 超 "), "王超");
        assert_eq!(name("Ali Hassan"), "Ali Hassan");
        assert_eq!(text("桥东街道\u{a0}"), "桥东街道");
        assert_eq!(text("手机号\u{200b}"), "手机号");
        assert_eq!(text("\t a \u{3000} b "), "a b");
    }

    #[test]
    fn phone_cleaning() {
        assert_eq!(phone("１５８８７７１６５６３"), "15887716563");
        assert_eq!(phone("187 9269-8124"), "18792698124");
        assert_eq!(phone("17747126970.0"), "17747126970");
        assert_eq!(phone("+86 138 0013 8000"), "13800138000");
        assert_eq!(phone("8613800138000"), "13800138000");
        assert_eq!(phone("0351-1234567"), "0351-1234567");
        assert_eq!(phone("(0351)1234567"), "0351-1234567");
        assert_eq!(phone("1.95956E+10"), "1.95956E+10");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_minutes("1.5", false), Ok(90));
        assert_eq!(duration_minutes("2", false), Ok(120));
        assert_eq!(duration_minutes("1小时30分", false), Ok(90));
        assert_eq!(duration_minutes("1时30分钟", false), Ok(90));
        assert_eq!(duration_minutes("1:30", false), Ok(90));
        assert_eq!(duration_minutes("０:４５", false), Ok(45));
        assert_eq!(duration_minutes("1:75", false), Err(DurationError::Format));
        assert_eq!(duration_minutes("2小时", false), Ok(120));
        assert_eq!(duration_minutes("90分钟", false), Ok(90));
        assert_eq!(duration_minutes("45", true), Ok(45));
        assert_eq!(duration_minutes("１.５", false), Ok(90));
        assert_eq!(duration_minutes("0", false), Err(DurationError::Range));
        assert_eq!(duration_minutes("30小时", false), Err(DurationError::Range));
        assert_eq!(duration_minutes("半天", false), Err(DurationError::Format));
    }

    #[test]
    fn headers() {
        assert_eq!(header("手机号\u{200b}"), "手机号");
        assert_eq!(header("*姓名"), "姓名");
        assert_eq!(header("街道（乡镇）"), "街道(乡镇)");
        assert_eq!(header("\u{feff}姓名"), "姓名");
    }
}
