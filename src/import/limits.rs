//! The bounds of what is read, taken from Excel's own limits (Microsoft, "Excel specifications
//! and limits": 1,048,576 rows by 16,384 columns a sheet, 32,767 characters a cell) and, where
//! Excel has none, from what a register can be: a line of a CSV file, a part of a workbook once
//! inflated. A file beyond them is refused early, with the limit named, in time and memory
//! proportional to what was read up to the limit — never read whole first: a 1 MB .xlsx whose
//! one cell inflates to 1 GiB, a line of a million commas, `/dev/zero`. Also: only regular
//! files are read (or standard input, `-`). Reads metadata only; no database.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rust_i18n::t;

/// The most characters a cell holds: Excel's limit. Longer cells are refused, whatever their
/// column (the columns a register knows have lower limits of their own, checked on
/// validation).
pub const MAX_CELL_CHARS: usize = 32_767;

/// The most rows a sheet has: Excel's limit (2^20). A sheet row beyond it is refused as soon
/// as it is met, so a sheet of 21.9 million rows is not read past it.
pub const MAX_ROWS: u64 = 1_048_576;

/// The most columns a row has: Excel's limit (2^14, column XFD).
pub const MAX_COLUMNS: usize = 16_384;

/// The most bytes of one row of a CSV file, in UTF-8, line breaks inside quoted cells
/// included: 1 MiB, thirty times a row of sixteen columns each of 2,000 Chinese characters
/// (the longest cell a register column takes). A longer row is refused before the CSV reader
/// holds it.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The most bytes one part of an .xlsx or .ods (a sheet's XML, `sharedStrings.xml`,
/// `content.xml`) may inflate to: 256 MiB, well above the sheet XML of a register of 100,000
/// rows and twenty columns (about 100 MiB). Checked against the sizes the zip declares and
/// against the bytes actually inflated, before the workbook is parsed.
pub const MAX_PART_BYTES: u64 = 256 << 20;

/// The most bytes all the parts of an .xlsx or .ods may inflate to together: 1 GiB, so that
/// many parts each under [`MAX_PART_BYTES`] do not make the time of reading unbounded.
pub const MAX_BOOK_INFLATED_BYTES: u64 = 1 << 30;

/// The most bytes of text between two marks of markup (`<`, `>`) in a part holding cells: a
/// cell of [`MAX_CELL_CHARS`] characters written as numeric character references
/// (`&#x4E2D;`, 8 bytes each) fits. A longer run is a cell far beyond Excel's limit, refused
/// before the workbook is parsed (the XML reader would hold it whole).
pub const MAX_TEXT_RUN_BYTES: usize = 8 * MAX_CELL_CHARS + 1024;

/// The most cells an .ods sheet may spread over once its repeated rows and columns are
/// expanded, counted as the rectangle from the first cell to the last row and the last column
/// that hold something (a value, text or a note): 20,000,000, a register of 100,000 rows by two
/// hundred columns. calamine allocates that rectangle whole (a few dozen bytes a cell), so
/// `table:number-rows-repeated="1000000"` over a cell repeated 99 times (99,000,000 cells, under
/// calamine's own cap of 100,000,000) would take gigabytes. Empty rows and cells repeated to
/// the sheet's end, which LibreOffice writes in every file, are not counted.
pub const MAX_ODS_CELLS: u64 = 20_000_000;

/// The most strings the shared strings table of an .xlsx (`xl/sharedStrings.xml`, counted as
/// its `<si>` elements) may hold: 8,388,608 (2^23), eight times the rows of a full sheet.
/// calamine holds the table whole, some thirty bytes a string even when empty.
pub const MAX_SHARED_STRINGS: u64 = 1 << 23;

/// The most cell formats (`<xf>` in `<cellXfs>` of `xl/styles.xml`) an .xlsx may declare:
/// 65,536; Excel allows at most 64,000 ("Excel specifications and limits"). calamine holds
/// every format, about a hundred bytes each.
pub const MAX_CELL_FORMATS: u64 = 65_536;

/// The most bytes of a workbook file (.xlsx, .xls, .ods), as stored: 256 MiB. An .xls is read
/// whole to check its structure, and a workbook given on standard input is held in memory;
/// a zipped workbook of that size would inflate far beyond [`MAX_PART_BYTES`] anyway.
pub const MAX_WORKBOOK_BYTES: u64 = 256 << 20;

/// Refuses a workbook file of `size` bytes beyond [`MAX_WORKBOOK_BYTES`] (for standard input,
/// one byte past it: reading stops there).
///
/// Errors: the file is too large (its size and the limit named).
pub fn workbook_size(name: &str, size: u64) -> Result<()> {
    if size > MAX_WORKBOOK_BYTES {
        bail!(
            "{}",
            t!(
                "limits.workbook_too_large",
                file = name,
                limit = self::size(MAX_WORKBOOK_BYTES)
            )
        );
    }
    Ok(())
}

/// `n` with its digits grouped by three (`1,048,576`): how limits and counts are written in
/// messages, which also keeps a count from being masked as if it were a 手机号.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A size in bytes as messages write it: `256 MiB`, `1 MiB`, else in bytes.
pub fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", grouped(bytes >> 20))
    } else {
        t!("limits.bytes", n = grouped(bytes)).into_owned()
    }
}

/// Refuses anything but a regular file (a symbolic link is followed to what it names): a
/// directory, a device (`/dev/zero`, which never ends), a named pipe (which would block until
/// a writer comes, so it is never opened), a socket. Looks at the metadata only.
///
/// Errors: the file does not exist or cannot be looked at (the system's reason); it is not a
/// regular file (what it is, and to give a file or `-`).
pub fn regular_file(path: &Path, name: &str) -> Result<()> {
    let meta = std::fs::metadata(path)
        .map_err(crate::db::worded_io)
        .with_context(|| t!("import.cannot_open", file = name).into_owned())?;
    if meta.is_file() {
        return Ok(());
    }
    let what = crate::outfile::kind_of(&meta.file_type());
    bail!("{}", t!("limits.not_a_file", file = name, what = what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(32_767), "32,767");
        assert_eq!(grouped(1_048_576), "1,048,576");
        assert_eq!(grouped(17_179_869_184), "17,179,869,184");
        assert_eq!(size(256 << 20), "256 MiB");
    }
}
