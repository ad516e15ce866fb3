//! Rendering: one computed result, written as an aligned terminal table, CSV (with a BOM, so
//! Excel opens it as UTF-8), JSON or Markdown, to stdout or the file `-o` names. A terminal
//! table is fitted to the terminal's width; piped output is written as wide as its content.

use std::io::Write;

use anyhow::Result;
use std::sync::atomic::{AtomicU16, Ordering};

use comfy_table::{
    CellAlignment, ColumnConstraint, ContentArrangement, Table as Grid, Width, presets,
};
use rust_i18n::t;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// An aligned table for the terminal (CJK text by display width).
    #[default]
    #[value(help = rust_i18n::t!("cli.values.format.table").into_owned())]
    Table,
    /// CSV with a UTF-8 BOM, for Excel (long numbers written `="…"`).
    #[value(help = rust_i18n::t!("cli.values.format.csv").into_owned())]
    Csv,
    /// JSON, with the documented keys.
    #[value(help = rust_i18n::t!("cli.values.format.json").into_owned())]
    Json,
    /// A Markdown table.
    #[value(help = rust_i18n::t!("cli.values.format.md").into_owned())]
    Md,
    /// An Excel workbook, written to the file `-o FILE` names (身份证号 and 手机号 as text).
    #[value(help = rust_i18n::t!("cli.values.format.xlsx").into_owned())]
    Xlsx,
    /// A Word document, written to the file `-o FILE` names (`report district` only).
    #[value(help = rust_i18n::t!("cli.values.format.docx").into_owned())]
    Docx,
}

pub use crate::i18n::Lang;

/// Rows of text with headers: what the table, CSV and Markdown forms show.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows of cells, as many as headers.
    pub rows: Vec<Vec<String>>,
    /// Columns to right-align (numbers).
    pub numeric: Vec<bool>,
    /// The period the rows are of, as the reports' note says it (`2025-07-01 – 2025-07-31`):
    /// CSV writes it as a first record (`期间`, the period) and Markdown as a line above the
    /// table, so that a file passed on says what it counts; the terminal table leaves it to
    /// the note on stderr, and its piped output keeps its shape.
    pub period: Option<String>,
    /// The ledger digest (`820:3f2a9b0c1d2e3f40`, `db::ledger::Digest`) a report ends with:
    /// a line below the terminal and Markdown table and a last record of CSV
    /// ([`write_digest`]), so that every copy of a report keeps the anchor of the ledger.
    pub digest: Option<String>,
}

impl Table {
    /// A table with these headers; `numeric` marks number columns.
    pub fn new(headers: &[&str], numeric: &[bool]) -> Self {
        Self::of(headers.iter().map(|s| s.to_string()).collect(), numeric)
    }

    /// A table with these headers (texts of the catalogue); `numeric` marks number columns.
    pub fn of(headers: Vec<String>, numeric: &[bool]) -> Self {
        Self {
            headers,
            rows: Vec::new(),
            numeric: numeric.to_vec(),
            period: None,
            digest: None,
        }
    }

    /// The same table with its period line.
    pub fn with_period(mut self, period: impl Into<String>) -> Self {
        self.period = Some(period.into());
        self
    }

    /// The same table ending with the ledger digest `digest`.
    pub fn with_digest(mut self, digest: impl Into<String>) -> Self {
        self.digest = Some(digest.into());
        self
    }
}

/// Writes the ledger digest's footer in `format`: `账本摘要 820:3f2a9b0c1d2e3f40` after a blank
/// line for the terminal table and Markdown, a record (`账本摘要`, the digest) for CSV,
/// nothing for JSON.
///
/// Errors: writing fails.
pub fn write_digest(out: &mut dyn Write, format: Format, digest: &str) -> Result<()> {
    match format {
        Format::Table | Format::Md => {
            writeln!(out, "\n{}", t!("ledger.digest.line", digest = digest))?;
        }
        Format::Csv => {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(&mut *out);
            w.write_record([t!("report.column.digest").as_ref(), digest])?;
            w.flush()?;
        }
        _ => {}
    }
    Ok(())
}

/// The width terminal tables are fitted to; 0 when they are not (output that is not a
/// terminal). Set once at start-up by [`set_table_width`].
static TABLE_WIDTH: AtomicU16 = AtomicU16::new(0);

/// Fits every terminal table written to stdout from now on to `width` columns (`None`: as
/// wide as its content, the form piped output keeps).
pub fn set_table_width(width: Option<u16>) {
    TABLE_WIDTH.store(width.unwrap_or(0), Ordering::Relaxed);
}

/// Runs `f` with terminal tables not fitted (its output goes to a file).
pub fn without_width<T>(f: impl FnOnce() -> T) -> T {
    let width = TABLE_WIDTH.swap(0, Ordering::Relaxed);
    let result = f();
    TABLE_WIDTH.store(width, Ordering::Relaxed);
    result
}

/// The width to fit terminal tables to, from how stdout is connected and the environment:
/// `NUANFENG_WIDTH` when it is a number (even for piped output: for tests, and for
/// `| less`), else, for a terminal, `COLUMNS` when it is a number, else `terminal` (its
/// size, asked of the terminal). Piped output without `NUANFENG_WIDTH` is never fitted.
pub fn table_width(
    is_terminal: bool,
    forced: Option<&str>,
    columns: Option<&str>,
    terminal: impl FnOnce() -> Option<u16>,
) -> Option<u16> {
    let number = |v: Option<&str>| {
        v.and_then(|v| v.trim().parse::<u16>().ok())
            .filter(|w| *w > 0)
    };
    if let Some(w) = number(forced) {
        return Some(w);
    }
    if !is_terminal {
        return None;
    }
    number(columns).or_else(terminal)
}

/// Writes `value` as JSON, or its `table` in the other formats; a terminal table is fitted
/// to the width [`set_table_width`] set.
pub fn render(
    out: &mut dyn Write,
    format: Format,
    value: &impl Serialize,
    table: &Table,
) -> Result<()> {
    let width = TABLE_WIDTH.load(Ordering::Relaxed);
    render_to(out, format, value, table, (width > 0).then_some(width))
}

/// [`render`] with the width of a terminal table given: `None` for a file.
pub fn render_to(
    out: &mut dyn Write,
    format: Format,
    value: &impl Serialize,
    table: &Table,
    width: Option<u16>,
) -> Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, value)?;
            writeln!(out)?;
        }
        Format::Csv => {
            out.write_all("\u{feff}".as_bytes())?;
            // Flexible: the period's record is two cells wide, whatever the table's width.
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(&mut *out);
            if let Some(p) = &table.period {
                w.write_record([t!("report.column.period").as_ref(), p.as_str()])?;
            }
            w.write_record(&table.headers)?;
            for r in &table.rows {
                w.write_record(r.iter().enumerate().map(|(i, c)| {
                    let numeric = table.numeric.get(i).copied().unwrap_or(false);
                    if !numeric && keeps_digits_as_text(c) {
                        format!("=\"{c}\"")
                    } else {
                        excel_safe(c).into_owned()
                    }
                }))?;
            }
            w.flush()?;
            drop(w);
            if let Some(d) = &table.digest {
                write_digest(out, format, d)?;
            }
        }
        Format::Xlsx => {
            return Err(
                crate::model::UsageError(t!("report.error.xlsx_elsewhere").into_owned()).into(),
            );
        }
        Format::Docx => {
            return Err(
                crate::model::UsageError(t!("report.error.docx_elsewhere").into_owned()).into(),
            );
        }
        Format::Table | Format::Md => {
            if format == Format::Md
                && let Some(p) = &table.period
            {
                writeln!(out, "{}\n", t!("report.note.period_line", period = p))?;
            }
            // What a terminal shows: control characters in the data escaped (`\x1b`),
            // before the widths are measured.
            let safe = terminal_table(table);
            let table = safe.as_ref().unwrap_or(table);
            let fitted = width
                .filter(|_| format == Format::Table)
                .map(|w| fit(table, w));
            let (table, left_out) = match &fitted {
                Some((t, left_out)) => (t, left_out.as_slice()),
                None => (table, &[][..]),
            };
            let mut grid = Grid::new();
            grid.load_style(if format == Format::Md {
                presets::ASCII_MARKDOWN
            } else {
                presets::ASCII_BORDERS_ONLY_CONDENSED
            })
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(&table.headers);
            for r in &table.rows {
                grid.add_row(r.iter().map(|c| {
                    if c.is_empty() {
                        "-".to_string()
                    } else if format == Format::Md {
                        c.replace('|', "\\|")
                    } else {
                        c.clone()
                    }
                }));
            }
            for (i, numeric) in table.numeric.iter().enumerate() {
                if *numeric && let Some(col) = grid.column_mut(i) {
                    col.set_cell_alignment(CellAlignment::Right);
                }
            }
            if let Some(width) = width.filter(|_| format == Format::Table) {
                grid.set_content_arrangement(ContentArrangement::Dynamic)
                    .set_width(width);
                for (i, least) in least_widths(table).into_iter().enumerate() {
                    if let Some(col) = grid.column_mut(i) {
                        col.set_constraint(match least {
                            Least::Whole => ColumnConstraint::ContentWidth,
                            // comfy-table's boundaries count the padding on both sides.
                            Least::Cols(n) => {
                                ColumnConstraint::LowerBoundary(Width::Fixed(n.saturating_add(2)))
                            }
                        });
                    }
                }
            }
            writeln!(out, "{grid}")?;
            if !left_out.is_empty() {
                writeln!(
                    out,
                    "{}",
                    t!(
                        "report.note.columns_left_out",
                        columns = left_out.join(&t!("model.list_separator"))
                    )
                )?;
            }
            if let Some(d) = &table.digest {
                write_digest(out, format, d)?;
            }
        }
    }
    Ok(())
}

/// `table` with the control characters of its headers and cells escaped
/// ([`crate::model::terminal_safe`]); `None` when it has none (the usual case: no copy).
fn terminal_table(table: &Table) -> Option<Table> {
    let unsafe_text = |s: &String| s.chars().any(crate::model::terminal::is_unsafe_char);
    let any = table.headers.iter().any(unsafe_text)
        || table.rows.iter().flatten().any(unsafe_text)
        || table.period.as_ref().is_some_and(unsafe_text);
    if !any {
        return None;
    }
    let safe = |s: &String| crate::model::terminal_safe(s).into_owned();
    Some(Table {
        headers: table.headers.iter().map(safe).collect(),
        rows: table
            .rows
            .iter()
            .map(|r| r.iter().map(safe).collect())
            .collect(),
        numeric: table.numeric.clone(),
        period: table.period.as_ref().map(safe),
        digest: table.digest.clone(),
    })
}

/// How narrow a column of a fitted table may get.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Least {
    /// As wide as its widest cell and header: unbreakable values (dates, 手机号, 身份证号,
    /// codes: ASCII without spaces), never split across lines.
    Whole,
    /// Text that may wrap, but not narrower than this (four Chinese characters, or its
    /// widest cell when narrower); a number column, not narrower than its widest figure.
    Cols(u16),
}

/// The narrowest each column of `table` may be.
fn least_widths(table: &Table) -> Vec<Least> {
    (0..table.headers.len())
        .map(|i| {
            let numeric = table.numeric.get(i).copied().unwrap_or(false);
            let cells = table.rows.iter().filter_map(|r| r.get(i));
            let widest = cells.clone().map(|c| c.width()).max().unwrap_or(1).max(1);
            let unbreakable = cells
                .clone()
                .all(|c| c.chars().all(|ch| ch.is_ascii_graphic()));
            if numeric {
                // The header may wrap (报到/人次), the figures may not.
                Least::Cols(u16::try_from(widest.max(NUMBER_HEADER_LEAST)).unwrap_or(u16::MAX))
            } else if unbreakable {
                Least::Whole
            } else {
                Least::Cols(u16::try_from(widest.min(TEXT_LEAST)).unwrap_or(1))
            }
        })
        .collect()
}

/// The narrowest a text column of a fitted table gets: four Chinese characters.
const TEXT_LEAST: usize = 8;

/// The narrowest a number column's header gets: two Chinese characters a line.
const NUMBER_HEADER_LEAST: usize = 4;

/// `table` cut to fit `width` terminal columns: while the columns at their narrowest
/// ([`least_widths`]) and the borders take more than `width`, the last column of wrapping
/// text is left out, then the last of unbreakable values (a 手机号 says more than a
/// 所属社区); never the first column, which names the row, and never a figure: a table of
/// figures too wide for the terminal stays whole and overflows. Returns the table and the headers of
/// the columns left out, in their order. comfy-table then wraps the text columns kept.
fn fit(table: &Table, width: u16) -> (Table, Vec<String>) {
    let least = least_widths(table);
    let need = |i: usize| -> usize {
        let header = table.headers[i].width();
        let body = match least[i] {
            Least::Whole => table
                .rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.width())
                .max()
                .unwrap_or(1)
                .max(header.min(TEXT_LEAST)),
            Least::Cols(n) => n as usize,
        };
        // Padding on both sides and the separator.
        body + 3
    };
    let mut kept: Vec<usize> = (0..table.headers.len()).collect();
    let total = |kept: &[usize]| kept.iter().map(|&i| need(i)).sum::<usize>() + 1;
    while total(&kept) > width as usize {
        let numeric = |i: usize| table.numeric.get(i).copied().unwrap_or(false);
        let text = kept
            .iter()
            .rposition(|&i| i > 0 && !numeric(i) && least[i] != Least::Whole);
        let Some(pos) = text.or_else(|| kept.iter().rposition(|&i| i > 0 && !numeric(i))) else {
            break;
        };
        kept.remove(pos);
    }
    let left_out = (0..table.headers.len())
        .filter(|i| !kept.contains(i))
        .map(|i| table.headers[i].clone())
        .collect();
    let pick = |row: &Vec<String>| {
        kept.iter()
            .map(|&i| row.get(i).cloned().unwrap_or_default())
            .collect()
    };
    let fitted = Table {
        headers: pick(&table.headers),
        rows: table.rows.iter().map(pick).collect(),
        numeric: kept
            .iter()
            .map(|&i| table.numeric.get(i).copied().unwrap_or(false))
            .collect(),
        period: table.period.clone(),
        digest: table.digest.clone(),
    };
    (fitted, left_out)
}

/// Whether a CSV cell of a text column is a number Excel would damage when it opens the file:
/// 11 digits or more (a 手机号, a 身份证号 without X: Excel keeps 15 significant digits and
/// shows more as 1.40106E+17) or digits with a leading zero. Such a cell is written as
/// `="…"`, which Excel and LibreOffice both read as the text inside, and save back as plain
/// digits; nuanfeng's import reads either form.
fn keeps_digits_as_text(cell: &str) -> bool {
    let digits = !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit());
    digits && (cell.len() >= 11 || (cell.len() >= 2 && cell.starts_with('0')))
}

/// `1 row`, `2 rows`: a count with its noun.
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An optional value as a cell: empty when absent (the table shows `-`, CSV an empty cell).
pub fn or_dash(v: Option<&str>) -> String {
    v.unwrap_or("").to_string()
}

/// A CSV cell Excel will not run as a formula: text starting with `=`, `+`, `-` or `@` gets
/// a leading apostrophe (numbers are left alone).
fn excel_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_never_become_formulas() {
        assert_eq!(excel_safe("=1+1"), "'=1+1");
        assert_eq!(excel_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(excel_safe("-15"), "-15");
        assert_eq!(excel_safe("柳巷街道"), "柳巷街道");
    }

    #[test]
    fn the_width_is_forced_or_the_terminal_s_and_never_for_pipes() {
        let never = || -> Option<u16> { panic!("a pipe has no terminal size") };
        assert_eq!(table_width(false, None, Some("80"), never), None);
        assert_eq!(table_width(false, Some("72"), Some("80"), never), Some(72));
        assert_eq!(table_width(true, None, Some("100"), never), Some(100));
        assert_eq!(table_width(true, None, Some("wide"), || Some(90)), Some(90));
        assert_eq!(table_width(true, Some("0"), None, || None), None);
    }

    #[test]
    fn a_fitted_table_leaves_out_text_columns_from_the_right_never_figures() {
        let mut t = Table::new(
            &["街道", "所属社区", "站点", "手机号"],
            &[false, false, true, false],
        );
        t.rows.push(vec![
            "柳巷街道".into(),
            "海子边东街社区居委会".into(),
            "11".into(),
            "15786030952".into(),
        ]);
        let mut wide = Vec::new();
        render_to(&mut wide, Format::Table, &(), &t, None).unwrap();
        let mut fitted = Vec::new();
        render_to(&mut fitted, Format::Table, &(), &t, Some(200)).unwrap();
        assert_eq!(wide, fitted, "a table that fits is left as it is");
        let mut narrow = Vec::new();
        render_to(&mut narrow, Format::Table, &(), &t, Some(40)).unwrap();
        let narrow = String::from_utf8(narrow).unwrap();
        assert!(
            narrow.contains("| 柳巷街道     11   15786030952 |"),
            "{narrow}"
        );
        assert!(narrow.contains("所属社区"), "the note names it: {narrow}");
        assert!(!narrow.contains("海子边"), "{narrow}");
    }

    #[test]
    fn csv_keeps_long_digits_of_text_columns_as_text() {
        assert!(keeps_digits_as_text("140106198512172270"));
        assert!(keeps_digits_as_text("15786030952"));
        assert!(keeps_digits_as_text("030001"));
        assert!(!keeps_digits_as_text("14010619851217227X"));
        assert!(!keeps_digits_as_text("2025"));
        assert!(!keeps_digits_as_text("0"));
        let mut t = Table::new(&["手机号", "积分"], &[false, true]);
        t.rows
            .push(vec!["15786030952".into(), "12345678901".into()]);
        let mut csv = Vec::new();
        render(&mut csv, Format::Csv, &(), &t).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "\u{feff}手机号,积分\n\"=\"\"15786030952\"\"\",12345678901\n"
        );
    }

    #[test]
    fn empty_cells_show_a_dash_in_tables_and_nothing_in_csv() {
        let mut t = Table::new(&["a", "b"], &[]);
        t.rows.push(vec!["x|y".into(), String::new()]);
        let mut md = Vec::new();
        render(&mut md, Format::Md, &(), &t).unwrap();
        let md = String::from_utf8(md).unwrap();
        assert!(md.contains("x\\|y") && md.contains(" - "), "{md}");
        let mut csv = Vec::new();
        render(&mut csv, Format::Csv, &(), &t).unwrap();
        assert_eq!(String::from_utf8(csv).unwrap(), "\u{feff}a,b\nx|y,\n");
    }

    #[test]
    fn the_period_line_opens_csv_and_markdown_and_not_the_terminal_table() {
        // The words (期间, Period) are the catalogue's in the current language, which other
        // tests may set: the exact text is the integration tests' (tests/reports/past.rs).
        let mut t = Table::new(&["a", "b", "c"], &[]).with_period("2025-07-01 – 2025-07-31");
        t.rows.push(vec!["1".into(), "2".into(), "3".into()]);
        let text = |f: Format| {
            let mut v = Vec::new();
            render(&mut v, f, &(), &t).unwrap();
            String::from_utf8(v).unwrap()
        };
        let csv = text(Format::Csv);
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].ends_with(",2025-07-01 – 2025-07-31"), "{csv}");
        assert_eq!(lines[1..], ["a,b,c", "1,2,3"]);
        let md = text(Format::Md);
        let lines: Vec<&str> = md.lines().collect();
        assert!(lines[0].ends_with("2025-07-01 – 2025-07-31"), "{md}");
        assert_eq!(lines[1], "");
        assert!(lines[2].starts_with("| a "), "{md}");
        let table = text(Format::Table);
        assert!(table.starts_with("+-"), "{table}");
    }
}
