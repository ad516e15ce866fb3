//! The district bulletin (简报) as a Word document (`report district --format docx -o FILE`),
//! laid out the way offices print one: the title in 黑体, centred; a line with the issuing
//! district and the date; the bulletin's paragraphs in 仿宋 with a first-line indent of two
//! characters; the table of figures (本期, 年初至今) and the per-street table in 宋体. A4
//! portrait with Word's normal margins (2.54 cm top and bottom, 3.18 cm left and right).
//!
//! The Chinese fonts are named as the east-Asian font of every run (`w:eastAsia`), Latin text
//! in Times New Roman: a reader without 黑体 or 仿宋 substitutes its own CJK font. This module
//! computes no figure and, like the workbooks, never overwrites a file.

use std::path::Path;

use anyhow::{Context, Result};
use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run,
    RunFonts, SpecialIndentType, Table as DocTable, TableAlignmentType, TableCell,
    TableCellMargins, TableRow, VAlignType, WidthType,
};
use rust_i18n::t;

use super::district::{DistrictReport, day_words};
use super::render::{Lang, Table};

/// A4 in twentieths of a point (210 × 297 mm).
pub const A4: (u32, u32) = (11_906, 16_838);
/// Word's normal margins: 1440 twips (2.54 cm) top and bottom, 1800 (3.18 cm) left and right.
const MARGIN_TOP: i32 = 1440;
const MARGIN_SIDE: i32 = 1800;
/// The width between the margins.
const TEXT_WIDTH: usize = A4.0 as usize - 2 * MARGIN_SIDE as usize;

/// The font of the title and the section headings.
pub const HEADING_FONT: &str = "黑体";
/// The font of the paragraphs.
pub const BODY_FONT: &str = "仿宋";
/// The font of the tables.
pub const TABLE_FONT: &str = "宋体";
/// The font of Latin letters and digits.
const LATIN_FONT: &str = "Times New Roman";

/// Sizes in half-points: 小二 (18 pt) title, 三号 (16 pt) text, 五号 (10.5 pt) and 小五 (9 pt)
/// tables (the headers of the table by street at 8 pt).
const TITLE_SIZE: usize = 36;
const BODY_SIZE: usize = 32;
const TABLE_SIZE: usize = 21;
const STREET_TABLE_SIZE: usize = 18;

/// Writes the bulletin of `r` to `path`, a new `.docx` file, in `lang`; `issued` is the date
/// on the issuing line (today, for the command).
///
/// Every page's footer carries the ledger digest `digest` (`账本摘要 820:3f2a9b0c1d2e3f40`,
/// `db::ledger::Digest`), in 小五.
///
/// Errors name `path`: it exists already (never overwritten), its folder is missing, or it
/// cannot be written.
pub fn write_bulletin(
    path: &Path,
    r: &DistrictReport,
    issued: chrono::NaiveDate,
    digest: &str,
    lang: Lang,
) -> Result<()> {
    super::xlsx::refuse_existing(path)?;
    let line = t!("ledger.digest.line", locale = lang.code(), digest = digest);
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .add_run(text_run(&line, BODY_FONT, STREET_TABLE_SIZE))
            .align(AlignmentType::Center),
    );
    let doc = bulletin_doc(r, issued, lang).footer(footer);
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .with_context(|| t!("report.workbook.cannot_build", path = path.display()).into_owned())?;
    super::xlsx::save_bytes(&bytes.into_inner(), path)
}

/// The document of [`write_bulletin`], in memory.
fn bulletin_doc(r: &DistrictReport, issued: chrono::NaiveDate, lang: Lang) -> Docx {
    let l = lang.code();
    let place = r.district.shown(lang);
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_TOP)
                .left(MARGIN_SIDE)
                .right(MARGIN_SIDE)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(BODY_SIZE)
        .add_paragraph(
            Paragraph::new()
                .add_run(text_run(&r.title, HEADING_FONT, TITLE_SIZE))
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(0).after(240)),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(text_run(
                    &t!(
                        "report.docx.issued",
                        locale = l,
                        place = place,
                        date = day_words(issued, lang)
                    ),
                    BODY_FONT,
                    BODY_SIZE,
                ))
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().after(240)),
        );
    for p in &r.bulletin {
        doc = doc.add_paragraph(body(p));
    }
    doc = doc.add_paragraph(heading(&t!("report.docx.figures", locale = l)));
    doc = doc.add_table(table(
        &r.table(lang),
        &[TEXT_WIDTH - 4000, 2000, 2000],
        TABLE_SIZE,
        TABLE_SIZE,
    ));
    doc = doc.add_paragraph(heading(&t!("report.docx.streets", locale = l)));
    let streets = without_codes(r.per_street.table(lang), lang);
    let n = streets.headers.len().max(1);
    let first = 1500.min(TEXT_WIDTH / n * 2);
    let rest = (TEXT_WIDTH - first) / (n - 1).max(1);
    let mut widths = vec![first];
    widths.extend(std::iter::repeat_n(rest, n - 1));
    doc.add_table(table(
        &streets,
        &widths,
        STREET_TABLE_SIZE,
        STREET_TABLE_SIZE - 2,
    ))
}

/// The per-street table without its column of division codes, which a printed bulletin does
/// not need (and which would squeeze the figures).
fn without_codes(mut t: Table, lang: Lang) -> Table {
    let code = t!("report.column.code", locale = lang.code());
    if let Some(i) = t.headers.iter().position(|h| *h == code) {
        t.headers.remove(i);
        for r in &mut t.rows {
            if i < r.len() {
                r.remove(i);
            }
        }
        if i < t.numeric.len() {
            t.numeric.remove(i);
        }
    }
    t
}

/// The fonts of a run: `east_asia` for Chinese, Times New Roman for Latin letters and digits.
fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
}

/// A run of `text` in `font` at `size` half-points.
fn text_run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

/// A paragraph of the bulletin: 仿宋 三号, first line indented two characters, lines 28 pt
/// apart (the spacing of official documents).
fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(text_run(text, BODY_FONT, BODY_SIZE))
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(2 * 10 * BODY_SIZE as i32)),
            None,
            None,
        )
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(560),
        )
}

/// A section heading: 黑体 三号.
fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(text_run(text, HEADING_FONT, BODY_SIZE))
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(2 * 10 * BODY_SIZE as i32)),
            None,
            None,
        )
        .line_spacing(LineSpacing::new().before(240).after(120))
        .keep_next(true)
}

/// A bordered table of `t` in 宋体 at `size` half-points: the header row bold and centred (at
/// `head_size`, so that narrow columns keep their words whole), number columns right-aligned,
/// `widths` in twips.
fn table(t: &Table, widths: &[usize], size: usize, head_size: usize) -> DocTable {
    let cell = |text: &str, col: usize, bold: bool, align: AlignmentType| {
        let mut run = text_run(text, TABLE_FONT, if bold { head_size } else { size });
        if bold {
            run = run.bold();
        }
        TableCell::new()
            .add_paragraph(Paragraph::new().add_run(run).align(align))
            .width(widths.get(col).copied().unwrap_or(1000), WidthType::Dxa)
            .vertical_align(VAlignType::Center)
    };
    let mut rows = vec![TableRow::new(
        t.headers
            .iter()
            .enumerate()
            .map(|(i, h)| cell(h, i, true, AlignmentType::Center))
            .collect(),
    )];
    for r in &t.rows {
        rows.push(TableRow::new(
            r.iter()
                .enumerate()
                .map(|(i, c)| {
                    let numeric = t.numeric.get(i).copied().unwrap_or(false);
                    let text = if c.is_empty() { "-" } else { c.as_str() };
                    let align = if numeric {
                        AlignmentType::Right
                    } else {
                        AlignmentType::Left
                    };
                    cell(text, i, false, align)
                })
                .collect(),
        ));
    }
    DocTable::new(rows)
        .set_grid(widths.to_vec())
        .width(widths.iter().sum(), WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .margins(TableCellMargins::new().margin(40, 60, 40, 60))
}
