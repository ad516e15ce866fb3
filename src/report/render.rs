//! Rendering: one computed result, written as an aligned terminal table, CSV (with a BOM, so
//! Excel opens it as UTF-8), JSON or Markdown. Everything written here goes to stdout.

use std::io::Write;

use anyhow::Result;
use comfy_table::{CellAlignment, ContentArrangement, Table as Grid, presets};
use serde::Serialize;

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// An aligned table for the terminal (CJK text by display width).
    #[default]
    Table,
    /// CSV with a UTF-8 BOM, for Excel.
    Csv,
    /// JSON, with the documented keys.
    Json,
    /// A Markdown table.
    Md,
}

/// Rows of text with headers: what the table, CSV and Markdown forms show.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows of cells, as many as headers.
    pub rows: Vec<Vec<String>>,
    /// Columns to right-align (numbers).
    pub numeric: Vec<bool>,
}

impl Table {
    /// A table with these headers; `numeric` marks number columns.
    pub fn new(headers: &[&str], numeric: &[bool]) -> Self {
        Self {
            headers: headers.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            numeric: numeric.to_vec(),
        }
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
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(&table.headers)?;
            for r in &table.rows {
                w.write_record(r)?;
            }
            w.flush()?;
        }
        Format::Table | Format::Md => {
            let mut grid = Grid::new();
            grid.load_style(if format == Format::Md {
                presets::ASCII_MARKDOWN
            } else {
                presets::ASCII_BORDERS_ONLY_CONDENSED
            })
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(&table.headers);
            for r in &table.rows {
                grid.add_row(r);
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

/// An optional value as table text: `-` when absent.
pub fn or_dash(v: Option<&str>) -> String {
    v.filter(|s| !s.is_empty()).unwrap_or("-").to_string()
}
