//! `nuanfeng template KIND`: a blank register with the standard headers, as CSV or as an
//! Excel workbook whose ID and phone columns are already text (so Excel cannot damage them)
//! and whose second sheet explains every column and its allowed values.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use rust_i18n::t;
use rust_xlsxwriter::{
    Color, DataValidation, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
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
    crate::report::export::check_folder(path)?;
    if path.exists() {
        bail!("{}", t!("import.template.exists", file = path.display()));
    }
    crate::outfile::refuse_symlink(path)?;
    if ext == "csv" {
        let mut bytes = Vec::new();
        write_csv(&mut bytes, &headers)?;
        crate::outfile::write_whole(path, &bytes, false).map_err(|e| {
            e.context(t!("import.template.cannot_create", file = path.display()).into_owned())
        })?;
    } else {
        write_xlsx(args.kind, path, &registry_streets(ctx))?;
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

/// The streets of the registry `--db` names, when it exists and can be read: the choices of
/// the 所属街道 drop-down list. Without a registry the template has no such list.
fn registry_streets(ctx: &Ctx) -> Vec<String> {
    if !ctx.db_path.is_file() {
        return Vec::new();
    }
    let Ok(db) = crate::db::Db::open(&ctx.db_path, crate::db::OpenMode::Existing) else {
        return Vec::new();
    };
    crate::db::places::Places::load(&db)
        .map(|p| p.street_names().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The rows of the register sheet that get borders and drop-down lists (below the header).
const FORM_ROWS: u32 = 500;

/// The drop-down list of a column, if it has one: 性别, 政治面貌, 从业类型, 活动类型 and
/// 组织单位类型 from their vocabularies, 所属街道 from the registry's streets (when the list fits Excel's 255
/// characters).
fn choices(field: Field, streets: &[String]) -> Option<Vec<String>> {
    use crate::model::{
        CareKind, Gender, MerchantKind, Occupation, OrganizerKind, PoliticalStatus, Vocabulary,
    };
    fn labels<V: Vocabulary>() -> Vec<String> {
        V::ALL.iter().map(|v| v.label().to_string()).collect()
    }
    let list = match field {
        Field::Gender => labels::<Gender>(),
        Field::PoliticalStatus => labels::<PoliticalStatus>(),
        Field::Occupation => labels::<Occupation>(),
        Field::MerchantKind => labels::<MerchantKind>(),
        Field::CareKind => labels::<CareKind>(),
        Field::OrganizerKind => labels::<OrganizerKind>(),
        Field::Street if !streets.is_empty() => streets.to_vec(),
        _ => return None,
    };
    let chars: usize = list.iter().map(|s| s.chars().count() + 1).sum();
    (chars <= 255).then_some(list)
}

fn write_xlsx(kind: RegisterKind, path: &Path, streets: &[String]) -> Result<()> {
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x00DD_EBF7))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let text = Format::new()
        .set_num_format("@")
        .set_border(FormatBorder::Thin);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let top = cell.clone().set_align(FormatAlign::Top);
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
        let is_text = matches!(
            spec.field,
            Field::IdNumber | Field::Phone | Field::ContactPhone | Field::Code | Field::ParentCode
        );
        if is_text {
            sheet.set_column_format(col, &text)?;
        }
        // The rows to fill in have borders (and identifier cells stay text).
        for row in 1..=FORM_ROWS {
            sheet.write_blank(row, col, if is_text { &text } else { &cell })?;
        }
        if let Some(list) = choices(spec.field, streets) {
            let v = DataValidation::new()
                .allow_list_strings(&list)?
                .set_error_title(spec.headers[0])?
                .set_error_message(t!("import.template.pick_from_list"))?;
            sheet.add_data_validation(1, col, FORM_ROWS, col, &v)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_row_height(0, 20.0)?;
    report_print_setup(sheet)?;

    let help = book.add_worksheet();
    help.set_name(t!("import.template.help_sheet"))?;
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    for (col, (title, w)) in [
        (t!("import.template.head.header"), 14.0),
        (t!("import.template.head.required"), 14.0),
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
            (_, Field::Street) if kind == RegisterKind::Activities => {
                t!("import.template.required.unless_venue")
            }
            (true, _) => t!("import.template.required.yes"),
            (false, Field::Phone | Field::IdNumber) if kind != RegisterKind::Streets => {
                t!("import.template.required.either")
            }
            _ => "".into(),
        };
        help.write_string_with_format(row, 0, spec.headers[0], &top)?;
        help.write_string_with_format(row, 1, required.as_ref(), &top)?;
        let field_help = if street_from_station {
            t!("import.template.worker_street", help = spec.field.help()).into_owned()
        } else {
            spec.field.help()
        };
        let synonyms = spec.headers[1..].join("、");
        // Wrapped text does not make its row taller by itself: the height is set from the
        // number of lines the longer of the two wrapped cells takes.
        let lines = lines_of(&field_help, 70.0).max(lines_of(&synonyms, 40.0));
        help.write_string_with_format(row, 2, field_help, &wrap)?;
        help.write_string_with_format(row, 3, synonyms, &wrap)?;
        help.set_row_height(row, 15.0 * lines as f64 + 4.0)?;
    }
    help.set_freeze_panes(1, 0)?;
    report_print_setup(help)?;
    let bytes = book
        .save_to_buffer()
        .with_context(|| t!("import.template.cannot_write", file = path.display()).into_owned())?;
    crate::outfile::write_whole(path, &bytes, false).map_err(|e| {
        e.context(t!("import.template.cannot_write", file = path.display()).into_owned())
    })?;
    Ok(())
}

/// How many lines `text` takes wrapped in a column `width` units wide (a Chinese character
/// is two units).
fn lines_of(text: &str, width: f64) -> usize {
    let room = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|l| ((UnicodeWidthStr::width(l) as f64) / room).ceil().max(1.0) as usize)
        .sum()
}

/// A4 landscape, one page wide, the header row repeated on every page.
fn report_print_setup(sheet: &mut Worksheet) -> Result<()> {
    crate::report::xlsx::print_setup(
        sheet,
        crate::report::xlsx::Page::Landscape,
        Some((0, 0)),
        None,
    )
}
