//! `nuanfeng template KIND`: a blank register with the standard headers, as CSV or as an
//! Excel workbook whose ID and phone columns are already text (so Excel cannot damage them)
//! and whose second sheet explains every column and its allowed values.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use rust_i18n::t;
use rust_xlsxwriter::{Color, Format, Workbook};
use unicode_width::UnicodeWidthStr;

use super::{Ctx, UsageError};
use crate::import::header::specs;
use crate::model::{Field, RegisterKind};

/// Write a blank register to fill in.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng template workers -o 从业人员台账.xlsx     a workbook: 从业人员台账 + 填写说明 sheets
  nuanfeng template checkins -o 报到台账.csv         the headers as CSV (UTF-8 with BOM)
  nuanfeng template points                          the CSV headers on stdout

The headers are the standard ones that import reads; required columns are marked in the
填写说明 sheet. An existing file is never overwritten.")]
pub struct TemplateArgs {
    /// The register
    #[arg(value_enum)]
    pub kind: RegisterKind,

    /// Write to this file: .xlsx for a workbook, .csv for CSV [default: CSV on stdout]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `template`.
pub fn run(ctx: &Ctx, args: TemplateArgs, out: &mut dyn Write) -> Result<()> {
    let headers: Vec<&str> = specs(args.kind).iter().map(|s| s.headers[0]).collect();
    let Some(path) = &args.output else {
        write_csv(out, &headers)?;
        return Ok(());
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext != "xlsx" && ext != "csv" {
        return Err(UsageError(
            t!("import.template.bad_extension", file = path.display()).into_owned(),
        )
        .into());
    }
    if path.exists() {
        bail!("{}", t!("import.template.exists", file = path.display()));
    }
    if ext == "csv" {
        let mut f = std::fs::File::create_new(path).with_context(|| {
            t!("import.template.cannot_create", file = path.display()).into_owned()
        })?;
        write_csv(&mut f, &headers)?;
    } else {
        write_xlsx(args.kind, path)?;
    }
    ctx.note(t!("import.template.wrote", file = path.display()));
    Ok(())
}

fn write_csv(out: &mut dyn Write, headers: &[&str]) -> Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(headers)?;
    w.flush()?;
    Ok(())
}

/// Column width for text of mixed Chinese and Latin characters: Excel's width unit is about
/// one Latin character, a Chinese character takes two.
fn width(text: &str) -> f64 {
    (UnicodeWidthStr::width(text) as f64 + 2.0).max(8.0)
}

fn write_xlsx(kind: RegisterKind, path: &Path) -> Result<()> {
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x00DD_EBF7));
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name(kind.title())?;
    for (col, spec) in specs(kind).iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, spec.headers[0], &head)?;
        let w = if matches!(spec.field, Field::IdNumber) {
            22.0
        } else {
            width(spec.headers[0]).max(14.0)
        };
        sheet.set_column_width(col, w)?;
        // Identifier columns are text before anything is typed: Excel keeps every digit.
        if matches!(
            spec.field,
            Field::IdNumber | Field::Phone | Field::ContactPhone | Field::Code | Field::ParentCode
        ) {
            sheet.set_column_format(col, &text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;

    let help = book.add_worksheet();
    help.set_name(t!("import.template.help_sheet"))?;
    let wrap = Format::new().set_text_wrap();
    for (col, (title, w)) in [
        (t!("import.template.head.header"), 14.0),
        (t!("import.template.head.required"), 8.0),
        (t!("import.template.head.help"), 70.0),
        (t!("import.template.head.synonyms"), 40.0),
    ]
    .into_iter()
    .enumerate()
    {
        help.write_string_with_format(0, col as u16, title.as_ref(), &head)?;
        help.set_column_width(col as u16, w)?;
    }
    for (row, spec) in specs(kind).iter().enumerate() {
        let row = row as u32 + 1;
        let street_from_station = kind == RegisterKind::Workers && spec.field == Field::Street;
        let required = match (spec.required, spec.field) {
            // A worker's street may be left to their station.
            _ if street_from_station => t!("import.template.required.unless_station"),
            (true, _) => t!("import.template.required.yes"),
            (false, Field::Phone | Field::IdNumber) if kind != RegisterKind::Streets => {
                t!("import.template.required.either")
            }
            _ => "".into(),
        };
        help.write_string(row, 0, spec.headers[0])?;
        help.write_string(row, 1, required.as_ref())?;
        let field_help = if street_from_station {
            t!("import.template.worker_street", help = spec.field.help()).into_owned()
        } else {
            spec.field.help()
        };
        help.write_string_with_format(row, 2, field_help, &wrap)?;
        help.write_string_with_format(row, 3, spec.headers[1..].join("、"), &wrap)?;
    }
    help.set_freeze_panes(1, 0)?;
    book.save(path)
        .with_context(|| t!("import.template.cannot_write", file = path.display()).into_owned())?;
    Ok(())
}
