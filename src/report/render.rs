//! Rendering: one computed result, written as an aligned terminal table, CSV (with a BOM, so
//! Excel opens it as UTF-8), JSON or Markdown. Everything written here goes to stdout.

use std::io::Write;

use anyhow::Result;
use comfy_table::{CellAlignment, ContentArrangement, Table as Grid, presets};
use rust_i18n::t;
use serde::Serialize;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// An aligned table for the terminal (CJK text by display width).
    #[default]
    #[value(help = rust_i18n::t!("cli.values.format.table").into_owned())]
    Table,
    /// CSV with a UTF-8 BOM, for Excel.
    #[value(help = rust_i18n::t!("cli.values.format.csv").into_owned())]
    Csv,
    /// JSON, with the documented keys.
    #[value(help = rust_i18n::t!("cli.values.format.json").into_owned())]
    Json,
    /// A Markdown table.
    #[value(help = rust_i18n::t!("cli.values.format.md").into_owned())]
    Md,
    /// An Excel workbook, written to the file `-o FILE` names (reports only).
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
        }
    }

    /// The same table with its period line.
    pub fn with_period(mut self, period: impl Into<String>) -> Self {
        self.period = Some(period.into());
        self
    }
}

/// Writes `value` as JSON, or its `table` in the other formats.
pub fn render(
    out: &mut dyn Write,
    format: Format,
    value: &impl Serialize,
    table: &Table,
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
                w.write_record(r.iter().map(|c| excel_safe(c).into_owned()))?;
            }
            w.flush()?;
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
            writeln!(out, "{grid}")?;
        }
    }
    Ok(())
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
