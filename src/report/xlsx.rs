//! The monthly report as an Excel workbook (`--format xlsx -o FILE`): the per-street sheet
//! (and the previous period's with `--compare`), the district bulletin's sheet when a caller
//! gives one, a chart of check-ins and 随手拍 reports per street, and the month-by-month
//! workbook of `report streets --monthly`.
//!
//! Figures are written as numbers with number formats (counts `#,##0`, hours `0.0`, rates as
//! fractions shown `0.0%`), never as the text the terminal table shows, so the workbook can be
//! summed and charted. Totals are numbers too, not formulas: readers other than Excel show a
//! formula's cached value, which rust_xlsxwriter writes as 0. This module computes no figure:
//! it lays out reports computed elsewhere, and it never overwrites a file.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use rust_i18n::t;
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartType, Color, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet,
};
use unicode_width::UnicodeWidthStr;

use super::catalogue::{Figure, Unit, street_columns};
use super::render::{Lang, Table};
use super::{MonthlyReport, StreetReport, StreetRow};

/// The bulletin sheet of the workbook: a title, the table of figures, and the bulletin's
/// sentences (one paragraph per element).
#[derive(Debug, Clone, Default)]
pub struct BulletinSheet {
    /// The title line, e.g. `迎泽区新就业群体党建工作简报（2025年7月）`.
    pub title: String,
    /// The bulletin's figures (item, this period, year to date).
    pub table: Table,
    /// The sentences, one paragraph per element.
    pub paragraphs: Vec<String>,
}

/// Writes the workbook of a per-street report to `path` (a new `.xlsx` file). Sheets, in
/// order ([`sheet_names`] lists them):
///
/// - `简报` (`Bulletin`), only when `bulletin` is given: its title, its table (figures as
///   numbers, `76.9%` as a percent number), then each paragraph in a merged, wrapped row;
/// - `各街道` (`Streets`): a title row with the period, the header row, one row per street and
///   the total (`合计`, bold), every figure of `report streets` as a number; panes frozen
///   below the header and right of the street name; an autofilter over the street rows;
/// - `上期` (`Previous`), when the report has a previous period (`--compare`): the same for
///   that period;
/// - `图表` (`Chart`), when there is at least one street: a clustered column chart named
///   `报到与随手拍` of check-ins and reports per street, drawn from the `各街道` sheet.
///
/// Every sheet's page footer carries the ledger digest `digest` ([`sign`]).
///
/// Errors name `path`: it exists already (never overwritten), or it cannot be written.
pub fn write_workbook(
    path: &Path,
    streets: &StreetReport,
    bulletin: Option<&BulletinSheet>,
    digest: &str,
    lang: Lang,
) -> Result<()> {
    refuse_existing(path)?;
    let mut book = streets_book(streets, bulletin, lang).with_context(|| {
        t!("report.workbook.cannot_lay_out", path = path.display()).into_owned()
    })?;
    sign(&mut book, digest, lang);
    save(&mut book, path)
}

/// Puts the ledger digest (`820:3f2a9b0c1d2e3f40`, `db::ledger::Digest`) at the left of the
/// page footer of every sheet of `book` (`账本摘要 820:3f2a9b0c1d2e3f40`), the page numbers
/// staying in the centre: every printed page of a report keeps the anchor of the ledger.
pub fn sign(book: &mut Workbook, digest: &str, lang: Lang) {
    let line = t!("ledger.digest.line", locale = lang.code(), digest = digest);
    // `&` starts a code in a header or footer; `&&` is the character itself.
    let footer = format!("&L{}&C&P / &N", line.replace('&', "&&"));
    for sheet in book.worksheets_mut() {
        sheet.set_footer(&footer);
    }
}

/// The workbook of [`write_workbook`], in memory.
fn streets_book(
    streets: &StreetReport,
    bulletin: Option<&BulletinSheet>,
    lang: Lang,
) -> Result<Workbook> {
    let f = Formats::new();
    let mut book = Workbook::new();
    let l = lang.code();
    if let Some(b) = bulletin {
        let sheet = book.add_worksheet();
        sheet.set_name(t!("report.sheet.bulletin", locale = l))?;
        write_bulletin(sheet, b, &f)?;
        print_setup(sheet, Page::Portrait, None, None)?;
    }
    let name = t!("report.sheet.streets", locale = l);
    let sheet = book.add_worksheet();
    sheet.set_name(&*name)?;
    let layout = write_streets(sheet, streets, lang, &f)?;
    print_setup(sheet, Page::Landscape, Some((0, 1)), Some((0, 0)))?;
    if let Some(before) = &streets.previous {
        let sheet = book.add_worksheet();
        sheet.set_name(t!("report.sheet.previous", locale = l))?;
        write_streets(sheet, before, lang, &f)?;
        print_setup(sheet, Page::Landscape, Some((0, 1)), Some((0, 0)))?;
    }
    if !streets.streets.is_empty() {
        let chart = street_chart(&name, &layout, lang);
        let sheet = book.add_worksheet();
        sheet.set_name(t!("report.sheet.chart", locale = l))?;
        sheet.insert_chart(1, 1, &chart)?;
        print_setup(sheet, Page::Whole, None, None)?;
    }
    Ok(book)
}

/// The names of the sheets [`write_workbook`] writes for this report, in order.
pub fn sheet_names(streets: &StreetReport, bulletin: bool, lang: Lang) -> Vec<String> {
    let l = lang.code();
    let mut names = Vec::new();
    if bulletin {
        names.push(t!("report.sheet.bulletin", locale = l));
    }
    names.push(t!("report.sheet.streets", locale = l));
    if streets.previous.is_some() {
        names.push(t!("report.sheet.previous", locale = l));
    }
    if !streets.streets.is_empty() {
        names.push(t!("report.sheet.chart", locale = l));
    }
    names.into_iter().map(|n| n.into_owned()).collect()
}

/// Writes the workbook of `report streets --monthly` to `path` (a new `.xlsx` file). Sheets
/// ([`monthly_sheet_names`]):
///
/// - `逐月` (`Monthly`): a title row, the header row, then for each month its streets and its
///   total (bold), with the month (`2025-07`) in the first column and every figure of
///   `report streets` as a number; panes frozen below the header and right of the street;
///   no autofilter (sorting would mix each month's total with the streets);
/// - `图表` (`Chart`): the district's check-ins and reports per month (a small table of
///   numbers) and a line chart of them named `各月报到与随手拍`.
///
/// Every sheet's page footer carries the ledger digest `digest` ([`sign`]).
///
/// Errors name `path`: it exists already (never overwritten), or it cannot be written.
pub fn write_monthly_workbook(
    path: &Path,
    report: &MonthlyReport,
    digest: &str,
    lang: Lang,
) -> Result<()> {
    refuse_existing(path)?;
    let mut book = monthly_book(report, lang).with_context(|| {
        t!("report.workbook.cannot_lay_out", path = path.display()).into_owned()
    })?;
    sign(&mut book, digest, lang);
    save(&mut book, path)
}

/// The workbook of [`write_monthly_workbook`], in memory.
fn monthly_book(report: &MonthlyReport, lang: Lang) -> Result<Workbook> {
    let f = Formats::new();
    let columns = street_columns(false);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let l = lang.code();
    sheet.set_name(t!("report.sheet.monthly", locale = l))?;
    let title = t!(
        "report.workbook.monthly_title",
        locale = l,
        from = report.period.from,
        to = report.period.to
    );
    sheet.write_string_with_format(0, 0, &*title, &f.title)?;
    sheet.set_row_height(0, 22.0)?;
    let mut headers = vec![t!("report.column.month", locale = l).into_owned()];
    headers.extend(street_headers(&columns, lang));
    let mut widths: Vec<usize> = headers.iter().map(|h| header_width(h)).collect();
    for (col, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, h, &f.head)?;
    }
    let mut row = 2u32;
    let mut totals = Vec::new();
    for m in &report.months {
        let month = crate::model::Month::of(m.period.from).to_string();
        for r in m.streets.iter().chain(std::iter::once(&m.total)) {
            let text = if r.is_total() { &f.total_text } else { &f.text };
            sheet.write_string_with_format(row, 0, &month, text)?;
            widths[0] = widths[0].max(month.width());
            write_street_row(sheet, row, 1, r, &columns, lang, &f, &mut widths[1..])?;
            row += 1;
        }
        totals.push((
            month.clone(),
            m.total.figures.checkins,
            m.total.figures.tips(),
        ));
    }
    finish_table(sheet, &headers, &widths, 2)?;
    sheet.set_freeze_panes(2, 2)?;
    print_setup(sheet, Page::Landscape, Some((0, 1)), Some((0, 1)))?;
    // No autofilter: each month's 合计 row sits among the streets, and sorting would mix them.

    let chart_sheet = t!("report.sheet.chart", locale = l);
    let chart_sheet: &str = &chart_sheet;
    let sheet = book.add_worksheet();
    sheet.set_name(chart_sheet)?;
    let heads = [
        t!("report.column.month", locale = l),
        t!("report.workbook.checkins", locale = l),
        t!("report.workbook.tips", locale = l),
    ];
    for (col, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, &**h, &f.head)?;
        sheet.set_column_width(col as u16, width_of(header_width(h)))?;
    }
    for (i, (month, checkins, tips)) in totals.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, month)?;
        sheet.write_number_with_format(row, 1, *checkins as f64, &f.count)?;
        sheet.write_number_with_format(row, 2, *tips as f64, &f.count)?;
    }
    if !totals.is_empty() {
        let last = totals.len() as u32;
        let mut chart = Chart::new(ChartType::Line);
        let name = t!("report.workbook.monthly_chart", locale = l);
        chart.set_name(&*name);
        chart.title().set_name(&*name);
        chart.set_width(720).set_height(400);
        chart.legend().set_position(ChartLegendPosition::Bottom);
        for col in [1, 2] {
            chart
                .add_series()
                .set_name((chart_sheet, 0, col))
                .set_categories((chart_sheet, 1, 0, last, 0))
                .set_values((chart_sheet, 1, col, last, col));
        }
        sheet.insert_chart(1, 4, &chart)?;
    }
    print_setup(sheet, Page::Whole, None, None)?;
    Ok(book)
}

/// The names of the sheets [`write_monthly_workbook`] writes, in order.
pub fn monthly_sheet_names(lang: Lang) -> Vec<String> {
    let l = lang.code();
    vec![
        t!("report.sheet.monthly", locale = l).into_owned(),
        t!("report.sheet.chart", locale = l).into_owned(),
    ]
}

/// Fails, naming `path`, when it exists (a report never overwrites a file) or when the folder
/// it names does not exist.
pub fn refuse_existing(path: &Path) -> Result<()> {
    if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty())
        && !folder.is_dir()
    {
        if folder.exists() {
            bail!(
                "{}",
                t!(
                    "report.workbook.not_a_folder",
                    path = path.display(),
                    folder = folder.display()
                )
            );
        }
        bail!(
            "{}",
            t!(
                "report.workbook.no_folder",
                path = path.display(),
                folder = folder.display()
            )
        );
    }
    if path.exists() {
        bail!("{}", t!("report.workbook.exists", path = path.display()));
    }
    Ok(())
}

/// How a sheet prints on A4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Page {
    /// Portrait, one page wide (the bulletin).
    Portrait,
    /// Landscape, one page wide, as many pages tall as the rows need (the tables).
    Landscape,
    /// Landscape, the whole sheet on one page (a chart with its figures).
    Whole,
}

/// A4 in Excel's paper codes.
const PAPER_A4: u8 = 9;

/// The page setup of a sheet: A4 in `page`'s orientation and fit, centred across the page,
/// page numbers in the footer, and the print titles: `rows` (first, last; 0-based) repeated
/// at the top of every page and `columns` at the left.
pub(crate) fn print_setup(
    sheet: &mut Worksheet,
    page: Page,
    rows: Option<(u32, u32)>,
    columns: Option<(u16, u16)>,
) -> Result<()> {
    sheet.set_paper_size(PAPER_A4);
    if page == Page::Portrait {
        sheet.set_portrait();
    } else {
        sheet.set_landscape();
    }
    let tall = if page == Page::Whole { 1 } else { 0 };
    sheet.set_print_fit_to_pages(1, tall);
    sheet.set_print_center_horizontally(true);
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    sheet.set_footer("&C&P / &N");
    if let Some((first, last)) = rows {
        sheet.set_repeat_rows(first, last)?;
    }
    if let Some((first, last)) = columns {
        sheet.set_repeat_columns(first, last)?;
    }
    Ok(())
}

/// The cell formats of every sheet.
struct Formats {
    title: Format,
    head: Format,
    text: Format,
    count: Format,
    hours: Format,
    rate: Format,
    total_text: Format,
    total_count: Format,
    total_hours: Format,
    total_rate: Format,
    paragraph: Format,
}

impl Formats {
    fn new() -> Self {
        let total = Format::new().set_bold().set_border_top(FormatBorder::Thin);
        Self {
            title: Format::new().set_bold().set_font_size(14),
            head: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0x00DD_EBF7)),
            text: Format::new(),
            count: Format::new().set_num_format("#,##0"),
            hours: Format::new().set_num_format("0.0"),
            rate: Format::new().set_num_format("0.0%"),
            total_count: total.clone().set_num_format("#,##0"),
            total_hours: total.clone().set_num_format("0.0"),
            total_rate: total.clone().set_num_format("0.0%"),
            total_text: total,
            paragraph: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
        }
    }
}

/// Where the per-street sheet put what the chart draws (0-based rows and columns).
struct StreetLayout {
    first_street: u32,
    last_street: u32,
    checkins: u16,
    tips: u16,
}

/// The headers of the per-street table: street, code, then every column.
fn street_headers(columns: &[&Figure], lang: Lang) -> Vec<String> {
    let mut h = vec![
        t!("report.column.street", locale = lang.code()).into_owned(),
        t!("report.column.code", locale = lang.code()).into_owned(),
    ];
    h.extend(columns.iter().map(|c| c.column_label(false).text(lang)));
    h
}

/// Writes one report's per-street table (title, header, streets, total) on `sheet`.
fn write_streets(
    sheet: &mut Worksheet,
    r: &StreetReport,
    lang: Lang,
    f: &Formats,
) -> Result<StreetLayout> {
    let columns = street_columns(false);
    let title = t!(
        "report.workbook.title",
        locale = lang.code(),
        from = r.period.from,
        to = r.period.to
    );
    sheet.write_string_with_format(0, 0, &*title, &f.title)?;
    sheet.set_row_height(0, 22.0)?;
    let headers = street_headers(&columns, lang);
    let mut widths: Vec<usize> = headers.iter().map(|h| header_width(h)).collect();
    for (col, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(1, col as u16, h, &f.head)?;
    }
    let mut row = 2u32;
    for s in &r.streets {
        write_street_row(sheet, row, 0, s, &columns, lang, f, &mut widths)?;
        row += 1;
    }
    write_street_row(sheet, row, 0, &r.total, &columns, lang, f, &mut widths)?;
    finish_table(sheet, &headers, &widths, 2)?;
    sheet.set_freeze_panes(2, 1)?;
    if !r.streets.is_empty() {
        // The total stays out of the filter's range: sorting never moves it among the streets.
        sheet.autofilter(1, 0, row - 1, headers.len() as u16 - 1)?;
    }
    let at = |key: &str| {
        columns
            .iter()
            .position(|c| c.key == key)
            .map_or(0, |i| i as u16 + 2)
    };
    Ok(StreetLayout {
        first_street: 2,
        last_street: row.saturating_sub(1),
        checkins: at("checkins"),
        tips: at("tips"),
    })
}

/// Writes one street (or the total, bold with a top border) from column `col0`: name, code,
/// then each column's number. Widens `widths` (display widths, from `col0`) to the cells'
/// text as the terminal table shows it.
#[allow(clippy::too_many_arguments)]
fn write_street_row(
    sheet: &mut Worksheet,
    row: u32,
    col0: u16,
    r: &StreetRow,
    columns: &[&Figure],
    lang: Lang,
    f: &Formats,
    widths: &mut [usize],
) -> Result<()> {
    let (text, count, hours, rate) = if r.is_total() {
        (&f.total_text, &f.total_count, &f.total_hours, &f.total_rate)
    } else {
        (&f.text, &f.count, &f.hours, &f.rate)
    };
    let name = r.name(lang);
    let code = r.code().unwrap_or("");
    sheet.write_string_with_format(row, col0, &name, text)?;
    sheet.write_string_with_format(row, col0 + 1, code, text)?;
    widths[0] = widths[0].max(name.width());
    widths[1] = widths[1].max(code.width());
    for (i, c) in columns.iter().enumerate() {
        let col = col0 + 2 + i as u16;
        let format = match c.unit {
            Unit::Count | Unit::Points | Unit::Minutes => count,
            Unit::Hours => hours,
            Unit::Rate => rate,
        };
        let value = (c.value)(&r.figures);
        match value.number() {
            Some(v) => sheet.write_number_with_format(row, col, v, format)?,
            None => sheet.write_blank(row, col, format)?,
        };
        // Thousands separators make a count up to a third wider than its digits.
        let shown = value.cell();
        widths[2 + i] = widths[2 + i].max(shown.width() + shown.len() / 3);
    }
    Ok(())
}

/// Sets the column widths and the height of the header row (`first_data - 1`) of a table.
fn finish_table(
    sheet: &mut Worksheet,
    headers: &[String],
    widths: &[usize],
    first_data: u32,
) -> Result<()> {
    let mut lines = 1;
    for (col, (h, w)) in headers.iter().zip(widths).enumerate() {
        let width = width_of(*w);
        sheet.set_column_width(col as u16, width)?;
        lines = lines.max(lines_of(h, width));
    }
    sheet.set_row_height(first_data - 1, 16.0 * lines as f64 + 4.0)?;
    Ok(())
}

/// The width a header asks of its column: wrapped headers may take two or three lines, so a
/// long one only asks for part of its width.
fn header_width(h: &str) -> usize {
    let w = h.width();
    if w <= 12 { w } else { w.div_ceil(2).max(12) }
}

/// Column width in Excel's units (about one Latin character; a Chinese character is two)
/// for text `w` display columns wide, with a margin. `autofit` under-sizes Chinese text.
fn width_of(w: usize) -> f64 {
    (w as f64 + 2.0).max(6.0)
}

/// How many lines `text` takes wrapped in a column (or merged cells) `width` units wide.
fn lines_of(text: &str, width: f64) -> usize {
    let room = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|l| ((l.width() as f64) / room).ceil().max(1.0) as usize)
        .sum()
}

/// The chart of check-ins and reports per street, from the per-street sheet `sheet`.
fn street_chart(sheet: &str, l: &StreetLayout, lang: Lang) -> Chart {
    let mut chart = Chart::new(ChartType::Column);
    let name = t!("report.workbook.chart", locale = lang.code());
    chart.set_name(&*name);
    chart.title().set_name(&*name);
    chart.set_width(720).set_height(400);
    chart.legend().set_position(ChartLegendPosition::Bottom);
    for col in [l.checkins, l.tips] {
        chart
            .add_series()
            .set_name((sheet, 1, col))
            .set_categories((sheet, l.first_street, 0, l.last_street, 0))
            .set_values((sheet, l.first_street, col, l.last_street, col));
    }
    chart
}

/// A bulletin cell read as a number: `262` and `1,234` as counts, `12.5` with its decimals,
/// `76.9%` as the fraction 0.769 shown as a percent, hours and minutes `39:15` as Excel's
/// duration (days: 39.25 / 24) shown `[h]:mm`, so that cells add up. Anything else stays text.
pub(crate) fn number_of(cell: &str) -> Option<(f64, String)> {
    let s = cell.trim();
    if let Some((h, m)) = s.split_once(':')
        && !h.is_empty()
        && h.chars().all(|c| c.is_ascii_digit())
        && m.len() == 2
        && m.chars().all(|c| c.is_ascii_digit())
    {
        let (h, m): (f64, f64) = (h.parse().ok()?, m.parse().ok()?);
        return (m < 60.0).then(|| ((h * 60.0 + m) / 1440.0, "[h]:mm".to_string()));
    }
    let (body, percent) = match s.strip_suffix('%') {
        Some(b) => (b.trim_end(), true),
        None => (s, false),
    };
    let plain: String = body.chars().filter(|c| *c != ',').collect();
    let digits = plain.strip_prefix(['+', '-']).unwrap_or(&plain);
    let mut parts = digits.split('.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let ok = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
        && parts.next().is_none();
    if !ok {
        return None;
    }
    let v: f64 = plain.parse().ok()?;
    let decimals = frac.map_or(0, str::len);
    let zeros = "0".repeat(decimals);
    let dot = if decimals > 0 { "." } else { "" };
    Some(if percent {
        (v / 100.0, format!("0{dot}{zeros}%"))
    } else if decimals == 0 {
        (v, "#,##0".to_string())
    } else {
        (v, format!("#,##0.{zeros}"))
    })
}

/// Writes the bulletin: title, table, then one merged, wrapped row per paragraph.
fn write_bulletin(sheet: &mut Worksheet, b: &BulletinSheet, f: &Formats) -> Result<()> {
    let t = &b.table;
    let ncols = t
        .headers
        .len()
        .max(t.rows.iter().map(Vec::len).max().unwrap_or(0))
        .max(1);
    sheet.write_string_with_format(0, 0, &b.title, &f.title)?;
    sheet.set_row_height(0, 24.0)?;
    let mut widths = vec![0usize; ncols];
    for (col, h) in t.headers.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16, h, &f.head)?;
        widths[col] = header_width(h);
    }
    let mut row = 3u32;
    for cells in &t.rows {
        for (col, c) in cells.iter().enumerate() {
            let at = col as u16;
            if let Some((v, num)) = number_of(c).filter(|_| col > 0) {
                sheet.write_number_with_format(row, at, v, &Format::new().set_num_format(num))?;
            } else if !c.is_empty() {
                sheet.write_string(row, at, c)?;
            }
            widths[col] = widths[col].max(c.width() + c.len() / 3 * usize::from(col > 0));
        }
        row += 1;
    }
    // The first column holds the items: wide enough to read; with the figures' columns at
    // least 12 wide, the paragraphs below get lines of a readable length even under a
    // narrow table.
    widths[0] = widths[0].max(20);
    for w in widths.iter_mut().skip(1) {
        *w = (*w).max(12);
    }
    let mut total = 0.0;
    for (col, w) in widths.iter().enumerate() {
        let w = width_of(*w);
        total += w;
        sheet.set_column_width(col as u16, w)?;
    }
    if !t.headers.is_empty() {
        let lines = t
            .headers
            .iter()
            .zip(&widths)
            .map(|(h, w)| lines_of(h, width_of(*w)))
            .max()
            .unwrap_or(1);
        sheet.set_row_height(2, 16.0 * lines as f64 + 4.0)?;
    }
    row += 1;
    for p in &b.paragraphs {
        if ncols > 1 {
            sheet.merge_range(row, 0, row, ncols as u16 - 1, p, &f.paragraph)?;
        } else {
            sheet.write_string_with_format(row, 0, p, &f.paragraph)?;
        }
        // Merged cells never grow to their text in Excel: the height is set from the width.
        sheet.set_row_height(row, 16.0 * lines_of(p, total) as f64 + 6.0)?;
        row += 1;
    }
    Ok(())
}

/// Saves the workbook as a new file at `path`, never replacing one (a file that appeared
/// since the check is refused too); a failed write leaves no partial file.
fn save(book: &mut Workbook, path: &Path) -> Result<()> {
    let bytes = book
        .save_to_buffer()
        .with_context(|| t!("report.workbook.cannot_build", path = path.display()).into_owned())?;
    save_bytes(&bytes, path)
}

/// Writes `bytes` as a new file at `path`, never replacing one (a file that appeared since
/// the check is refused too), through a temporary beside it renamed when whole: a failed or
/// killed write leaves no partial file under the name. A symbolic link at `path` is refused.
pub fn save_bytes(bytes: &[u8], path: &Path) -> Result<()> {
    let mut pending = crate::outfile::PendingFile::create(path).map_err(|e| {
        if e.is::<std::io::Error>() {
            e.context(t!("report.workbook.cannot_create", path = path.display()).into_owned())
        } else {
            e
        }
    })?;
    if let Err(e) = pending.write_all(bytes) {
        return Err(e).with_context(|| {
            t!("report.workbook.cannot_write", path = path.display()).into_owned()
        });
    }
    match pending.commit(false) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            refuse_existing(path)?;
            Err(e).with_context(|| {
                t!("report.workbook.cannot_create", path = path.display()).into_owned()
            })
        }
        Err(e) => Err(e).with_context(|| {
            t!("report.workbook.cannot_write", path = path.display()).into_owned()
        }),
    }
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, open_workbook_auto};

    use super::*;
    use crate::model::Period;

    fn row(place: super::super::Place, checkins: i64) -> StreetRow {
        let figures = crate::db::figures::Figures {
            checkins,
            ..Default::default()
        };
        StreetRow { place, figures }
    }

    fn report() -> StreetReport {
        StreetReport {
            period: Period {
                from: crate::model::period::stored_day("2025-07-01").unwrap(),
                to: crate::model::period::stored_day("2025-07-31").unwrap(),
            },
            streets: vec![row(
                super::super::Place::Street(crate::db::figures::Street {
                    id: 1,
                    name: "柳巷街道".into(),
                    code: Some("140106001".into()),
                }),
                3,
            )],
            total: row(super::super::Place::District, 3),
            previous: None,
        }
    }

    #[test]
    fn bulletin_cells_are_numbers_when_they_read_as_numbers() {
        assert_eq!(number_of("262"), Some((262.0, "#,##0".into())));
        assert_eq!(number_of("1,234"), Some((1234.0, "#,##0".into())));
        assert_eq!(number_of("12.5"), Some((12.5, "#,##0.0".into())));
        let (v, f) = number_of("76.9%").unwrap();
        assert!((v - 0.769).abs() < 1e-12 && f == "0.0%");
        assert_eq!(number_of("+5"), Some((5.0, "#,##0".into())));
        let (v, f) = number_of("39:15").unwrap();
        assert!((v - 39.25 / 24.0).abs() < 1e-12 && f == "[h]:mm");
        for text in [
            "1:5",
            ":15",
            "1:75",
            "",
            "柳巷街道",
            "38 (+5)",
            "inf",
            "NaN",
            "1.2.3",
            ".5",
            "-",
            "2025-07",
        ] {
            assert_eq!(number_of(text), None, "{text}");
        }
    }

    #[test]
    fn the_bulletin_sheet_holds_title_numbers_and_paragraphs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("简报.xlsx");
        let mut table = Table::new(&["项目", "本月", "本年累计"], &[false, true, true]);
        table
            .rows
            .push(vec!["报到人次".into(), "262".into(), "1,530".into()]);
        table
            .rows
            .push(vec!["组织覆盖率".into(), "76.9%".into(), String::new()]);
        table
            .rows
            .push(vec!["志愿服务时长".into(), "12.5".into(), "—".into()]);
        let long = "全区快递站点24个、从业人员457人，物流企业15家、从业人员63人；".repeat(4);
        let bulletin = BulletinSheet {
            title: "迎泽区新就业群体党建工作简报（2025年7月）".into(),
            table,
            paragraphs: vec![long.clone(), "本月报到262人次。".into()],
        };
        write_workbook(
            &path,
            &report(),
            Some(&bulletin),
            "7:00000000000000aa",
            Lang::Zh,
        )
        .unwrap();

        let mut book = open_workbook_auto(&path).unwrap();
        assert_eq!(book.sheet_names(), ["简报", "各街道", "图表"]);
        let s = book.worksheet_range("简报").unwrap();
        let at = |r: u32, c: u32| s.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(at(0, 0), Data::String(bulletin.title.clone()));
        assert_eq!(at(2, 0), Data::String("项目".into()));
        assert_eq!(at(2, 2), Data::String("本年累计".into()));
        assert_eq!(at(3, 0), Data::String("报到人次".into()));
        assert_eq!(at(3, 1), Data::Float(262.0));
        assert_eq!(at(3, 2), Data::Float(1530.0));
        match at(4, 1) {
            Data::Float(v) => assert!((v - 0.769).abs() < 1e-9, "{v}"),
            other => panic!("the rate is {other:?}"),
        }
        assert_eq!(at(4, 2), Data::Empty);
        assert_eq!(at(5, 1), Data::Float(12.5));
        assert_eq!(at(5, 2), Data::String("—".into()));
        assert_eq!(at(7, 0), Data::String(long));
        assert_eq!(at(8, 0), Data::String("本月报到262人次。".into()));
        let merged = book_merges(&path);
        assert!(
            merged.contains("A8:C8") && merged.contains("A9:C9"),
            "{merged}"
        );

        // Written once: the same path again is refused, the file left as it was.
        let before = std::fs::read(&path).unwrap();
        let err =
            write_workbook(&path, &report(), None, "7:00000000000000aa", Lang::Zh).unwrap_err();
        assert!(err.to_string().contains("简报.xlsx exists"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    /// The `<mergeCells>` element of the first sheet, as text.
    fn book_merges(path: &Path) -> String {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        xml.split("<mergeCells")
            .nth(1)
            .unwrap_or_default()
            .to_string()
    }
}
