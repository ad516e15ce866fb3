//! Where a register's bad rows go: their problems to stderr (the first hundred), and, when
//! asked, the rows themselves with their reasons to a rejects file (CSV with a BOM, readable
//! by its owner only, numbers that may be an ID or a phone masked).

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use indicatif::ProgressBar;
use rust_i18n::t;

use super::header::HeaderMap;
use super::read::RawRow;
use crate::model::CellError;
use crate::outfile::PendingFile;

/// How many row problems are printed to stderr; the rest go to the rejects file.
pub(crate) const MAX_PRINTED: u64 = 100;

/// Writes row problems to stderr and, when asked, to the rejects file.
pub(crate) struct Rejects<'a> {
    /// The file as messages name it.
    pub file: String,
    /// Where problems and warnings are printed.
    pub out: &'a mut dyn Write,
    /// The rejects file, under its temporary name until [`Rejects::finish`].
    pub writer: Option<csv::Writer<PendingFile>>,
    /// Problems printed so far.
    pub printed: u64,
    /// The progress bar, cleared while a problem is printed and drawn again after.
    pub progress: Option<ProgressBar>,
}

impl Rejects<'_> {
    /// Writes the rejects file's header: where the row was, what is wrong, then the file's
    /// own headers.
    pub fn start(&mut self, map: &HeaderMap) -> Result<()> {
        if let Some(w) = &mut self.writer {
            let mut head: Vec<String> = vec![
                t!("import.rejects.head.line").into_owned(),
                t!("import.rejects.head.row").into_owned(),
                t!("import.rejects.head.columns").into_owned(),
                t!("import.rejects.head.problems").into_owned(),
            ];
            head.extend(map.names().iter().cloned());
            w.write_record(&head)?;
        }
        Ok(())
    }

    /// A line of stderr or of the rejects file.
    pub fn print(&mut self, line: &str) {
        let out = &mut self.out;
        match &self.progress {
            Some(bar) => bar.suspend(|| writeln!(out, "{line}")),
            None => writeln!(out, "{line}"),
        }
        .ok();
    }

    /// Reports a bad row: each problem printed (up to [`MAX_PRINTED`]), the row written to
    /// the rejects file.
    pub fn add(&mut self, row: &RawRow, map: &HeaderMap, errors: &[CellError]) -> Result<()> {
        let at = if row.line == row.row {
            t!("import.at.line", file = &self.file, line = row.line)
        } else {
            t!(
                "import.at.line_row",
                file = &self.file,
                line = row.line,
                row = row.row
            )
        };
        for e in errors {
            if self.printed < MAX_PRINTED {
                let value = if e.shown.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", e.shown)
                };
                let line = format!("{at}: {}: {value}{}", map.column_label(e.field), e.problem);
                self.print(&line);
            }
            self.printed += 1;
        }
        if let Some(w) = &mut self.writer {
            let mut columns: Vec<String> = errors.iter().map(|e| map.header_of(e.field)).collect();
            columns.dedup();
            let problems: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", map.column_label(e.field), e.problem))
                .collect();
            let mut rec = vec![
                row.line.to_string(),
                row.row.to_string(),
                columns.join("、"),
                problems.join(&t!("import.problem_separator")),
            ];
            // The row as written, but no number that may be an ID or a phone in clear, in
            // any column (ignored ones included), and control characters as code points.
            for (i, cell) in row.cells.iter().enumerate() {
                rec.push(match map.field_at(i) {
                    Some(f) if f.is_personal() => crate::model::shown_in_rejects(f, cell),
                    _ => crate::model::mask_numbers(&crate::model::normalize::escape_refused(cell)),
                });
            }
            w.write_record(&rec)?;
        }
        Ok(())
    }

    /// Says how many problems were not printed, and flushes the rejects file to disk and gives
    /// it its name (until then it is a temporary beside it: an import killed halfway leaves
    /// no partial rejects file).
    pub fn finish(&mut self) -> Result<()> {
        if self.printed > MAX_PRINTED {
            let count = super::limits::grouped(self.printed - MAX_PRINTED);
            let line = match &self.writer {
                Some(w) => t!(
                    "import.rejects.more_in_file",
                    file = &self.file,
                    count = count,
                    rejects = crate::model::for_message(&w.get_ref().dest().display().to_string())
                ),
                None => t!("import.rejects.more", file = &self.file, count = count),
            };
            let _ = writeln!(self.out, "{line}");
        }
        if let Some(w) = self.writer.take() {
            let pending = w.into_inner().map_err(|e| e.into_error())?;
            let shown = pending.dest().display().to_string();
            pending
                .commit(true)
                .with_context(|| t!("import.rejects.cannot_write", file = shown).into_owned())?;
        }
        Ok(())
    }
}

/// The first bytes of every rejects file: a BOM and the first headers, in Chinese or in
/// English (`--lang en`).
const REJECTS_HEADS: [&str; 2] = ["\u{feff}行号,表格行号,", "\u{feff}line,row,"];

/// Opens the rejects file for writing (readable by its owner only: it holds rows of people),
/// under a temporary name ([`PendingFile`]) until [`Rejects::finish`]. Refuses to overwrite
/// the register being imported, the registry (`sink`, when the records go to a file), a
/// symbolic link, or any existing file that is not an earlier rejects file.
pub(crate) fn create_rejects(
    p: &Path,
    input: &Path,
    sink: Option<&Path>,
) -> Result<csv::Writer<PendingFile>> {
    if same_file(p, input) {
        bail!("{}", t!("import.rejects.is_input", file = p.display()));
    }
    if sink.is_some_and(|db| same_file(p, db)) {
        bail!("{}", t!("import.rejects.is_registry", file = p.display()));
    }
    crate::outfile::refuse_symlink(p)?;
    if p.exists() {
        let longest = REJECTS_HEADS.iter().map(|h| h.len()).max().unwrap_or(0);
        let mut head = vec![0u8; longest];
        let n = File::open(p)
            .and_then(|mut f| read_up_to(&mut f, &mut head))
            .unwrap_or(0);
        let is_rejects = REJECTS_HEADS
            .iter()
            .any(|h| head[..n].starts_with(h.as_bytes()));
        if n == 0 && std::fs::metadata(p).is_ok_and(|m| m.is_dir()) || !is_rejects {
            bail!("{}", t!("import.rejects.exists", file = p.display()));
        }
    }
    let mut f = PendingFile::create(p).map_err(|e| {
        if e.is::<io::Error>() {
            e.context(t!("import.rejects.cannot_write", file = p.display()).into_owned())
        } else {
            e
        }
    })?;
    f.write_all("\u{feff}".as_bytes())?;
    Ok(csv::WriterBuilder::new().flexible(true).from_writer(f))
}

/// True when two paths name one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Reads until `buf` is full or the reader ends; returns the bytes read.
pub(crate) fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
