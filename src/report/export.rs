//! Where a list or report goes with `-o FILE`: a new file (an existing one only with
//! `--force`), and the one-sheet workbook `--format xlsx` writes of any [`Table`]. Text
//! columns are written as text cells (format `@`), so a 身份证号 or 手机号 keeps every digit
//! however Excel or LibreOffice open and save it; number columns as numbers. This module
//! computes nothing: it lays out tables made elsewhere.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use rust_i18n::t;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};
use unicode_width::UnicodeWidthStr;

use super::render::Table;

/// Refuses `path` before anything is computed: its folder must exist, and the file must not,
/// unless `force`; even with `force`, only a regular file is replaced (never a symbolic link,
/// folder, pipe, device or socket: [`crate::outfile::refuse_special`]).
///
/// Errors: the folder is missing or not a folder; a link or a file that is not a regular one
/// is there; the file exists (without `force`), with the fix (`--force`, or another name).
pub fn check_target(path: &Path, force: bool) -> Result<()> {
    check_folder(path)?;
    crate::outfile::refuse_symlink(path)?;
    if path.is_dir() {
        bail!("{}", t!("export.is_folder", path = path.display()));
    }
    crate::outfile::refuse_special(path)?;
    if !force && path.exists() {
        bail!("{}", t!("export.exists", path = path.display()));
    }
    if is_database(path) {
        bail!("{}", t!("export.is_database", path = path.display()));
    }
    Ok(())
}

/// Refuses `path` when the folder it names does not exist or is not a folder.
///
/// Errors: the folder is missing (`-o nodir/x.csv：文件夹 nodir 不存在 — …`) or not a folder.
pub fn check_folder(path: &Path) -> Result<()> {
    if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty())
        && !folder.is_dir()
    {
        let key = if folder.exists() {
            "report.workbook.not_a_folder"
        } else {
            "report.workbook.no_folder"
        };
        bail!(
            "{}",
            t!(key, path = path.display(), folder = folder.display())
        );
    }
    Ok(())
}

/// True when `path` is an SQLite database, as the import's sniffing tells one by its first
/// bytes: the registry, or any other, which an export never replaces. Only a regular file is
/// opened to look (a named pipe would block until a writer came).
fn is_database(path: &Path) -> bool {
    use crate::import::sniff::{MAGIC_BYTES, NotRegister, by_magic};
    use std::io::Read;
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::with_capacity(MAGIC_BYTES);
    File::open(path)
        .and_then(|f| f.take(MAGIC_BYTES as u64).read_to_end(&mut head))
        .is_ok_and(|_| matches!(by_magic(&head), Some(NotRegister::Sqlite(_))))
}

/// Writes `bytes` to `path`: a new file (readable by its owner only, on Unix), or (with
/// `force`) over an existing one, through a temporary beside it renamed when whole: a failed
/// or killed write leaves no partial file under the name.
///
/// Errors: [`check_target`]'s; a symbolic link at `path`; the file cannot be created or
/// written.
pub fn write_file(path: &Path, force: bool, bytes: &[u8]) -> Result<()> {
    check_target(path, force)?;
    // Owner-only, as the registry is: a list may hold every 身份证号 (`--show-pii`); written
    // under a temporary name and renamed when whole.
    let mut pending = crate::outfile::PendingFile::create(path).map_err(|e| {
        if e.is::<std::io::Error>() {
            e.context(t!("export.cannot_create", path = path.display()).into_owned())
        } else {
            e
        }
    })?;
    if let Err(e) = pending.write_all(bytes) {
        return Err(e)
            .with_context(|| t!("export.cannot_write", path = path.display()).into_owned());
    }
    match pending.commit(force) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("{}", t!("export.exists", path = path.display()))
        }
        Err(e) => {
            Err(e).with_context(|| t!("export.cannot_write", path = path.display()).into_owned())
        }
    }
}

/// The ledger digest of the registry the command opened, for the workbooks [`book`] writes
/// (set once by the command's context when it opens the registry; `None` before then, and
/// for commands that open none).
static LEDGER_DIGEST: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Records the ledger digest (`820:3f2a9b0c1d2e3f40`, `db::ledger::Digest`) of the registry
/// this run opened: every workbook [`book`] writes then carries it in its page footer, as
/// reports do. The first call wins (a run opens one registry).
pub fn set_ledger_digest(digest: String) {
    let _ = LEDGER_DIGEST.set(digest);
}

/// The workbook of one table, on a sheet named `sheet`; see [`book`].
///
/// Errors: rust_xlsxwriter refuses the layout (it should not).
pub fn table_book(table: &Table, sheet: &str) -> Result<Vec<u8>> {
    book(&[(sheet, table)])
}

/// The workbook of these tables, one sheet each, named as given (cut to Excel's 31
/// characters, without the characters Excel refuses): bold headers frozen at the top, text
/// cells for text columns and numbers for number columns, read as the bulletin sheet reads
/// them (`1,234` a count, `76.9%` the fraction 0.769 shown as a percent; a cell that is not a
/// number, such as `-`, stays text). Each sheet's page footer carries the ledger digest: the
/// table's own, else the one of the registry opened ([`set_ledger_digest`]).
///
/// Errors: rust_xlsxwriter refuses the layout (it should not).
pub fn book(sheets: &[(&str, &Table)]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    for (sheet, table) in sheets {
        add_sheet(&mut book, sheet, table)?;
    }
    Ok(book.save_to_buffer()?)
}

fn add_sheet(book: &mut Workbook, sheet: &str, table: &Table) -> Result<()> {
    let ws = book.add_worksheet();
    let name: String = sheet
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    let name = name.trim_matches('\'');
    if !name.is_empty() {
        ws.set_name(name)?;
    }
    let bold = Format::new().set_bold().set_align(FormatAlign::Center);
    let text = Format::new().set_num_format("@");
    let number = Format::new().set_num_format("General");
    let mut widths: Vec<usize> = table.headers.iter().map(|h| h.width()).collect();
    for (c, h) in table.headers.iter().enumerate() {
        ws.write_string_with_format(0, col(c), h, &bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let numeric = table.numeric.get(c).copied().unwrap_or(false);
            match super::xlsx::number_of(cell).filter(|_| numeric) {
                Some((v, shown)) => {
                    let format = Format::new().set_num_format(shown);
                    ws.write_number_with_format(r, col(c), v, &format)?
                }
                None => ws.write_string_with_format(r, col(c), cell, &text)?,
            };
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(cell.width());
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let numeric = table.numeric.get(c).copied().unwrap_or(false);
        let format = if numeric { &number } else { &text };
        ws.set_column_width(col(c), (*w as f64 + 2.0).clamp(6.0, 60.0))?;
        ws.set_column_format(col(c), format)?;
    }
    ws.set_freeze_panes(1, 0)?;
    if let Some(d) = table.digest.as_ref().or(LEDGER_DIGEST.get()) {
        let line = t!("ledger.digest.line", digest = d);
        ws.set_footer(format!("&L{}", line.replace('&', "&&")));
    }
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// The sheet name a workbook at `path` gets: its file name without `.xlsx`.
pub fn sheet_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};

    use super::*;

    #[test]
    fn long_numbers_are_text_and_counts_are_numbers() {
        let mut t = Table::new(&["姓名", "身份证号", "积分"], &[false, false, true]);
        t.rows.push(vec![
            "侯永国".into(),
            "140106198512172270".into(),
            "25".into(),
        ]);
        let bytes = table_book(&t, "从业人员").unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("从业人员").unwrap();
        assert_eq!(
            range.get((1, 1)),
            Some(&Data::String("140106198512172270".into()))
        );
        assert_eq!(range.get((1, 2)), Some(&Data::Float(25.0)));
        let mut t = Table::new(&["街道", "组织覆盖率"], &[false, true]);
        t.rows.push(vec!["柳巷街道".into(), "76.9%".into()]);
        let bytes = table_book(&t, "覆盖").unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("覆盖").unwrap();
        assert_eq!(range.get((1, 1)), Some(&Data::Float(0.769)));
    }
}
