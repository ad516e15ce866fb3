//! Reading workbooks (.xlsx, .xls, .ods) with calamine: cells become the text a CSV export of
//! the same sheet would hold, so that everything after the reader treats workbooks and CSV
//! alike. Numbers become their digits (`17747126970`, not `17747126970.0`); a number too long
//! for Excel's 15 significant digits (an 18-digit 身份证号 typed into a General cell) becomes
//! Excel's scientific display (`1.40106E+17`), which validation refuses with the fix; date
//! cells become `YYYY-MM-DD` (both the 1900 and the 1904 date system); a date cell before
//! 1900-03-01 stays a day number, which validation refuses.
//!
//! `.xlsx` sheets are streamed row by row (a reader thread sends batches of rows through a
//! bounded channel); `.xls` and `.ods` sheets are read whole, as calamine reads them. Readers
//! never see the database.

use std::collections::VecDeque;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::{Receiver, sync_channel};

use anyhow::{Context, Result, bail};
use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsx};

use super::read::RawRow;

/// The kinds of workbook calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookKind {
    /// Office Open XML (Excel 2007 and later, WPS).
    Xlsx,
    /// Excel 97–2003 binary.
    Xls,
    /// OpenDocument spreadsheet (LibreOffice, WPS).
    Ods,
}

impl WorkbookKind {
    /// Recognizes a workbook by its first bytes and file name: a zip (`PK`) named `.ods` is
    /// OpenDocument, any other zip is taken for `.xlsx`; the OLE header (`D0 CF 11 E0`) is
    /// `.xls`. `None` for anything else (text).
    pub fn sniff(name: &str, magic: &[u8]) -> Option<Self> {
        let lower = name.to_lowercase();
        if magic.starts_with(b"PK\x03\x04") {
            Some(if lower.ends_with(".ods") {
                Self::Ods
            } else {
                Self::Xlsx
            })
        } else if magic.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            Some(Self::Xls)
        } else {
            None
        }
    }

    /// Short name stored with the import batch.
    pub fn code(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Xls => "xls",
            Self::Ods => "ods",
        }
    }
}

/// Rows of one sheet of a workbook.
pub struct WorkbookRows {
    /// The sheet read.
    pub sheet: String,
    /// True when the workbook counts days from 1904 (old Mac Excel): bare day numbers in it
    /// are read in that system.
    pub date1904: bool,
    /// The workbook's kind.
    pub kind: WorkbookKind,
    source: RowSource,
}

enum RowSource {
    /// A reader thread sends batches of rows.
    Stream {
        rx: Receiver<Result<Vec<RawRow>>>,
        buf: VecDeque<RawRow>,
    },
    /// A whole sheet, read.
    Loaded(std::vec::IntoIter<RawRow>),
}

impl Iterator for WorkbookRows {
    type Item = Result<RawRow>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.source {
            RowSource::Loaded(rows) => rows.next().map(Ok),
            RowSource::Stream { rx, buf } => loop {
                if let Some(r) = buf.pop_front() {
                    return Some(Ok(r));
                }
                match rx.recv() {
                    Ok(Ok(batch)) => buf.extend(batch),
                    Ok(Err(e)) => return Some(Err(e)),
                    Err(_) => return None,
                }
            },
        }
    }
}

/// Rows sent from the sheet reader at a time.
const BATCH: usize = 1024;

/// How many rows of each sheet are looked at to find the register's header (more when
/// `--header-row` points further down).
const PROBE_ROWS: usize = 10;

/// Opens a sheet of a workbook. `sheet` is a name or a 1-based position; without it, the
/// only sheet, or the sheet whose first `probe_rows` rows `recognised` accepts (a header of
/// the register being imported).
///
/// Errors: the file cannot be read as a workbook; the named sheet does not exist (the sheets
/// are listed); no sheet, or several, hold a recognised header (listed, with `--sheet`).
pub fn open(
    path: &Path,
    kind: WorkbookKind,
    sheet: Option<&str>,
    probe_rows: usize,
    recognised: &dyn Fn(&[RawRow]) -> bool,
) -> Result<WorkbookRows> {
    let probe_rows = probe_rows.max(PROBE_ROWS);
    let file = || {
        File::open(path)
            .map(BufReader::new)
            .with_context(|| format!("cannot open {}", path.display()))
    };
    let unreadable = |e: &dyn std::fmt::Display| {
        anyhow::anyhow!(
            "{} cannot be read as an {} workbook ({e}) — open it in Excel or WPS and save it again",
            path.display(),
            kind.code()
        )
    };
    match kind {
        WorkbookKind::Xlsx => {
            let mut wb: Xlsx<_> = match Xlsx::new(file()?) {
                Ok(wb) => wb,
                // An OpenDocument file named .xlsx: read it as what it is.
                Err(e) => {
                    return match Ods::new(file()?) {
                        Ok(_) => open(path, WorkbookKind::Ods, sheet, probe_rows, recognised),
                        Err(_) => Err(unreadable(&e)),
                    };
                }
            };
            let names = visible_first(wb.sheets_metadata());
            let date1904 = wb.has_1904_epoch();
            let merges = |wb: &mut Xlsx<_>, name: &str| -> Vec<calamine::Dimensions> {
                wb.merge_cells_by_sheet_name(name).unwrap_or_default()
            };
            let chosen = choose(
                path,
                &names,
                sheet,
                &mut |name| {
                    let mut rows = Vec::new();
                    let m = merges(&mut wb, name);
                    let mut cells = wb
                        .worksheet_cells_reader(name)
                        .map_err(|e| unreadable(&e))?;
                    collect_rows(&mut cells, date1904, &m, Some(probe_rows), &mut |r| {
                        rows.push(r);
                        Ok(true)
                    })?;
                    Ok(rows)
                },
                recognised,
            )?;
            let (tx, rx) = sync_channel::<Result<Vec<RawRow>>>(4);
            let sheet_name = chosen.clone();
            let sheet_merges = merges(&mut wb, &chosen);
            std::thread::Builder::new()
                .name("nuanfeng-sheet".into())
                .spawn(move || {
                    let mut cells = match wb.worksheet_cells_reader(&sheet_name) {
                        Ok(c) => c,
                        Err(e) => {
                            let _ = tx.send(Err(damaged(e)));
                            return;
                        }
                    };
                    let mut batch = Vec::with_capacity(BATCH);
                    let done = collect_rows(&mut cells, date1904, &sheet_merges, None, &mut |r| {
                        batch.push(r);
                        if batch.len() == BATCH {
                            // A closed channel: the importer stopped; so does this reader.
                            return Ok(tx.send(Ok(std::mem::take(&mut batch))).is_ok());
                        }
                        Ok(true)
                    });
                    match done {
                        Ok(()) => {
                            if !batch.is_empty() {
                                let _ = tx.send(Ok(batch));
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e));
                        }
                    }
                })
                .context("cannot start the workbook reader")?;
            Ok(WorkbookRows {
                sheet: chosen,
                date1904,
                kind,
                source: RowSource::Stream {
                    rx,
                    buf: VecDeque::new(),
                },
            })
        }
        WorkbookKind::Xls | WorkbookKind::Ods => {
            type Loaded = (calamine::Range<Data>, Vec<calamine::Dimensions>);
            let ranges = |wbk: &mut dyn FnMut(&str) -> Result<Loaded>,
                          names: Vec<(String, bool)>|
             -> Result<WorkbookRows> {
                let mut loaded: Vec<(String, Vec<RawRow>)> = Vec::new();
                let chosen = choose(
                    path,
                    &names,
                    sheet,
                    &mut |name| {
                        let (range, merges) = wbk(name)?;
                        let rows = range_rows(&range, &merges);
                        let probe = rows.iter().take(probe_rows).cloned().collect();
                        loaded.push((name.to_string(), rows));
                        Ok(probe)
                    },
                    recognised,
                )?;
                let rows = loaded
                    .into_iter()
                    .find(|(n, _)| *n == chosen)
                    .map(|(_, r)| r)
                    .unwrap_or_default();
                Ok(WorkbookRows {
                    sheet: chosen,
                    date1904: false,
                    kind,
                    source: RowSource::Loaded(rows.into_iter()),
                })
            };
            if kind == WorkbookKind::Xls {
                let mut wb: Xls<_> = Xls::new(file()?).map_err(|e| {
                    if e.to_string().contains("Workbook stream") {
                        // An encrypted .xlsx is an OLE file without a workbook stream.
                        anyhow::anyhow!(
                            "{} is protected by a password — open it in Excel, remove the password \
                             (文件 → 信息 → 保护工作簿 → 用密码进行加密), save, and import that",
                            path.display()
                        )
                    } else {
                        unreadable(&e)
                    }
                })?;
                let names = visible_first(wb.sheets_metadata());
                ranges(
                    &mut |n| {
                        let merges = wb.merge_cells_by_sheet_name(n).unwrap_or_default();
                        Ok((wb.worksheet_range(n).map_err(|e| unreadable(&e))?, merges))
                    },
                    names,
                )
            } else {
                let mut wb: Ods<_> = Ods::new(file()?).map_err(|e| unreadable(&e))?;
                let names = visible_first(wb.sheets_metadata());
                ranges(
                    &mut |n| {
                        Ok((
                            wb.worksheet_range(n).map_err(|e| unreadable(&e))?,
                            Vec::new(),
                        ))
                    },
                    names,
                )
            }
        }
    }
}

/// The sheets, each with whether it is visible (hidden sheets are only read when named).
fn visible_first(sheets: &[calamine::Sheet]) -> Vec<(String, bool)> {
    sheets
        .iter()
        .map(|s| (s.name.clone(), s.visible == calamine::SheetVisible::Visible))
        .collect()
}

/// Picks the sheet: the one `--sheet` names (by name or 1-based position), else the only sheet,
/// else the only visible sheet whose first rows hold a recognised header (a hidden one only
/// when no visible one does).
fn choose(
    path: &Path,
    sheets: &[(String, bool)],
    sheet: Option<&str>,
    probe: &mut dyn FnMut(&str) -> Result<Vec<RawRow>>,
    recognised: &dyn Fn(&[RawRow]) -> bool,
) -> Result<String> {
    let listed = || {
        sheets
            .iter()
            .map(|(n, v)| {
                if *v {
                    n.clone()
                } else {
                    format!("{n} (hidden)")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if sheet.is_none() && sheets.len() == 1 {
        // The only sheet is the register, whatever its first rows say (the header check that
        // follows names any problem precisely).
        probe(&sheets[0].0)?;
        return Ok(sheets[0].0.clone());
    }
    if let Some(want) = sheet {
        // Sheet names keep stray spaces (`9月 `); so may what is typed.
        let by_name = sheets
            .iter()
            .find(|(n, _)| n.as_str() == want)
            .or_else(|| sheets.iter().find(|(n, _)| n.trim() == want.trim()));
        let by_position = want
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| sheets.get(i));
        return match by_name.or(by_position) {
            Some((n, _)) => {
                probe(n)?;
                Ok(n.clone())
            }
            None => bail!(
                "{} has no sheet {want} — its sheets: {} (--sheet takes a name or a position from 1)",
                path.display(),
                listed()
            ),
        };
    }
    let mut found = Vec::new();
    for (name, visible) in sheets {
        if recognised(&probe(name)?) {
            found.push((name.clone(), *visible));
        }
    }
    let visible: Vec<&(String, bool)> = found.iter().filter(|(_, v)| *v).collect();
    match (visible.len(), found.len()) {
        (1, _) => Ok(visible[0].0.clone()),
        (0, 1) => Ok(found[0].0.clone()),
        (_, 0) => bail!(
            "{}: no sheet has the headers of this register in its first {PROBE_ROWS} rows (sheets: {}) — \
             name the sheet with --sheet and the header row with --header-row",
            path.display(),
            listed()
        ),
        _ => bail!(
            "{}: several sheets hold this register ({}) — choose one with --sheet NAME",
            path.display(),
            found
                .iter()
                .map(|(n, v)| if *v {
                    n.clone()
                } else {
                    format!("{n} (hidden)")
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Reads cells row by row and hands each row (in sheet order) to `row`; stops after `limit`
/// rows, or when `row` returns false.
fn collect_rows<RS: std::io::Read + std::io::Seek>(
    cells: &mut calamine::XlsxCellReader<'_, RS>,
    date1904: bool,
    merges: &[calamine::Dimensions],
    limit: Option<usize>,
    row: &mut dyn FnMut(RawRow) -> Result<bool>,
) -> Result<()> {
    let mut current: Option<(u32, Vec<String>)> = None;
    let mut sent = 0;
    // Values of cells merged down over several rows (a street written once for a group of
    // rows): (column, last row, text), filled into the rows below.
    let mut fills: Vec<(u32, u32, String)> = Vec::new();
    let flush = |current: &mut Option<(u32, Vec<String>)>,
                 fills: &mut Vec<(u32, u32, String)>,
                 row: &mut dyn FnMut(RawRow) -> Result<bool>|
     -> Result<bool> {
        let Some((r, mut cells)) = current.take() else {
            return Ok(true);
        };
        fills.retain(|(_, last, _)| *last >= r);
        for (c, _, text) in fills.iter() {
            let c = *c as usize;
            if cells.len() <= c {
                cells.resize(c + 1, String::new());
            }
            if cells[c].is_empty() {
                cells[c] = text.clone();
            }
        }
        row(RawRow::new(u64::from(r) + 1, u64::from(r) + 1, &cells))
    };
    while let Some(cell) = cells.next_cell_with_formula().map_err(damaged)? {
        let (r, c) = cell.pos;
        if current.as_ref().is_some_and(|(cr, _)| *cr != r) {
            if !flush(&mut current, &mut fills, row)? {
                return Ok(());
            }
            sent += 1;
            if limit.is_some_and(|l| sent >= l) {
                return Ok(());
            }
        }
        let mut text = ref_text(&cell.value, date1904);
        // A formula saved without its value (written by a program, never opened in Excel):
        // there is nothing to read, and saying so beats reading it as empty.
        if text.is_empty() && cell.formula.as_deref().is_some_and(|f| !f.is_empty()) {
            text = UNCALCULATED.to_string();
        }
        if !text.is_empty()
            && let Some(m) = merges.iter().find(|m| m.start == (r, c) && m.end.0 > r)
        {
            fills.push((c, m.end.0, text.clone()));
        }
        let entry = current.get_or_insert_with(|| (r, Vec::new()));
        let c = c as usize;
        if text.is_empty() {
            continue;
        }
        if entry.1.len() <= c {
            entry.1.resize(c + 1, String::new());
        }
        entry.1[c] = text;
    }
    flush(&mut current, &mut fills, row)?;
    Ok(())
}

/// Stands in a cell whose formula has no saved value; validation refuses it with the fix.
pub const UNCALCULATED: &str = "#UNCALCULATED";

/// A damaged sheet, as one readable sentence (calamine's errors repeat their causes).
fn damaged(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!(
        "the sheet cannot be read ({e}) — the workbook is damaged; open it in Excel or WPS, save it again, and import that"
    )
}

/// The rows of a whole sheet, numbered as the spreadsheet shows them; values of cells merged
/// down over several rows are filled into the rows below.
fn range_rows(range: &calamine::Range<Data>, merges: &[calamine::Dimensions]) -> Vec<RawRow> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<(u32, Vec<String>)> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut texts: Vec<String> = vec![String::new(); c0 as usize];
            texts.extend(cells.iter().map(data_text));
            (r0 + i as u32, texts)
        })
        .collect();
    for m in merges.iter().filter(|m| m.end.0 > m.start.0) {
        let (top, col) = (m.start.0, m.start.1 as usize);
        let Some(text) = rows
            .iter()
            .find(|(r, _)| *r == top)
            .and_then(|(_, cells)| cells.get(col).cloned())
            .filter(|t| !t.is_empty())
        else {
            continue;
        };
        for (_, cells) in rows.iter_mut().filter(|(r, _)| *r > top && *r <= m.end.0) {
            if cells.len() <= col {
                cells.resize(col + 1, String::new());
            }
            if cells[col].is_empty() {
                cells[col] = text.clone();
            }
        }
    }
    rows.into_iter()
        .map(|(r, texts)| RawRow::new(u64::from(r) + 1, u64::from(r) + 1, &texts))
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .collect()
}

fn ref_text(v: &DataRef<'_>, date1904: bool) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => bool_text(*b),
        DataRef::DateTime(d) => date_text(d, date1904),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn data_text(v: &Data) -> String {
    match v {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => bool_text(*b),
        Data::DateTime(d) => date_text(d, false),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

/// A number cell as Excel shows it in a General cell: whole numbers as their digits; whole
/// numbers beyond Excel's 15 significant digits (already damaged in the file) in scientific
/// notation, so that validation can say so; other numbers in their shortest form.
pub fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 {
        if f.abs() < 1e15 {
            return format!("{f:.0}");
        }
        // Excel's General display keeps 6 significant digits: 1.40106E+17.
        let exp = f.abs().log10().floor() as i32;
        let mantissa = f / 10f64.powi(exp);
        let m = format!("{mantissa:.5}");
        let m = m.trim_end_matches('0').trim_end_matches('.');
        return format!("{m}E+{exp}");
    }
    f.to_string()
}

/// A date cell as `YYYY-MM-DD` (the time of day is dropped). A serial before 1900-03-01 in
/// the 1900 system (where Excel counts a 1900-02-29 that never was) stays a day number, for
/// validation to refuse.
fn date_text(d: &calamine::ExcelDateTime, date1904: bool) -> String {
    if d.is_duration() {
        return number_text(d.as_f64());
    }
    // A time without a day (a cell formatted as 1:30): hours and minutes, for durations.
    if (0.0..1.0).contains(&d.as_f64()) && d.as_f64() > 0.0 {
        let minutes = (d.as_f64() * 24.0 * 60.0).round() as i64;
        return format!("{}:{:02}", minutes / 60, minutes % 60);
    }
    if !date1904 && d.as_f64() < 61.0 {
        return number_text(d.as_f64().floor());
    }
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    format!("{y:04}-{m:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(17747126970.0), "17747126970");
        assert_eq!(number_text(140106199110201133.0), "1.40106E+17");
        assert_eq!(number_text(12.5), "12.5");
        assert_eq!(number_text(-15.0), "-15");
        assert_eq!(number_text(45854.0), "45854");
    }

    #[test]
    fn date_cells_in_both_systems() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let d = ExcelDateTime::new(45854.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&d, false), "2025-07-16");
        let d = ExcelDateTime::new(45854.0 - 1462.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(date_text(&d, true), "2025-07-16");
        let d = ExcelDateTime::new(59.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&d, false), "59");
        // A time-of-day cell: 1:30 is 0.0625 of a day.
        let d = ExcelDateTime::new(0.0625, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&d, false), "1:30");
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            WorkbookKind::sniff("a.xlsx", b"PK\x03\x04"),
            Some(WorkbookKind::Xlsx)
        );
        assert_eq!(
            WorkbookKind::sniff("a.ODS", b"PK\x03\x04"),
            Some(WorkbookKind::Ods)
        );
        assert_eq!(
            WorkbookKind::sniff("a.xls", &[0xD0, 0xCF, 0x11, 0xE0]),
            Some(WorkbookKind::Xls)
        );
        assert_eq!(WorkbookKind::sniff("a.csv", b"name,"), None);
    }
}
