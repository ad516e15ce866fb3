//! The physical references of the import benchmark (`bench/bench.py`): the least work a program
//! must do to load a register, run as whole processes beside `nuanfeng`.
//!
//! ```text
//! reference loop REGISTRY CHECKINS.csv   the minimal check-in loop
//! reference xlsx BOOK.xlsx               the bare calamine read
//! ```
//!
//! * `loop`: reads the workers' phone numbers and ids of the registry (a nuanfeng file) into a
//!   `HashMap`, creates the plain table `loop_checkins` (worker id and the four text columns,
//!   no index, no constraint beyond NOT NULL) and inserts every row of the check-in CSV
//!   (`手机号,报到日期,报到街道,报到社区,事项`, found by their header) in one transaction through
//!   one prepared INSERT. A row whose phone number is not on file is counted and skipped.
//!   Prints `rows N unknown M` on stdout.
//! * `xlsx`: opens the workbook and streams every cell of its first sheet, counting the cells
//!   and the bytes of their text. Prints `cells N bytes M` on stdout.
//!
//! Without arguments (as `cargo test --all-targets` runs every bench target, and `cargo bench`
//! passes only `--bench`) it prints its usage and succeeds. Exit status 2 on other usage errors,
//! 1 when the file cannot be read or written.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use calamine::{DataRef, Reader, Xlsx, open_workbook};
use rusqlite::{Connection, params};

/// What one reference reports: the two counts it prints.
type Counts = (u64, u64);

/// The errors of a reference, shown as they are (the benchmark reads only the exit status).
type Error = Box<dyn std::error::Error>;

/// How the references are run.
const USAGE: &str = "usage: reference loop REGISTRY CHECKINS.csv | reference xlsx BOOK.xlsx";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["loop", registry, csv] => minimal_loop(Path::new(registry), Path::new(csv))
            .map(|(rows, unknown)| format!("rows {rows} unknown {unknown}")),
        ["xlsx", book] => {
            bare_read(Path::new(book)).map(|(cells, bytes)| format!("cells {cells} bytes {bytes}"))
        }
        [] | ["--bench"] => {
            eprintln!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("reference: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The column of `header` whose name contains `part`.
///
/// # Errors
/// When no column does.
fn column(header: &csv::StringRecord, part: &str) -> Result<usize, Error> {
    header
        .iter()
        .position(|h| h.contains(part))
        .ok_or_else(|| format!("no column {part} in the header").into())
}

/// Inserts the check-ins of `csv` into the plain table `loop_checkins` of `registry`, each
/// row's worker looked up by phone number in a map loaded from the registry's `workers`.
///
/// Returns (rows inserted, rows whose phone number is not on file).
///
/// # Errors
/// When the files cannot be read, a row is not valid UTF-8, or SQLite fails.
fn minimal_loop(registry: &Path, csv: &Path) -> Result<Counts, Error> {
    let mut conn = Connection::open(registry)?;
    let workers: HashMap<String, i64> = conn
        .prepare("SELECT phone, id FROM workers WHERE phone IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut reader = csv::Reader::from_path(csv)?;
    let header = reader.headers()?.clone();
    let (phone, date, street, community, purpose) = (
        column(&header, "手机号")?,
        column(&header, "日期")?,
        column(&header, "街道")?,
        column(&header, "社区")?,
        column(&header, "事项")?,
    );
    let tx = conn.transaction()?;
    tx.execute_batch(
        "CREATE TABLE loop_checkins (
             worker_id INTEGER NOT NULL,
             date      TEXT NOT NULL,
             street    TEXT NOT NULL,
             community TEXT NOT NULL,
             purpose   TEXT NOT NULL
         )",
    )?;
    let (mut rows, mut unknown) = (0, 0);
    {
        let mut insert = tx.prepare("INSERT INTO loop_checkins VALUES (?1, ?2, ?3, ?4, ?5)")?;
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record)? {
            let Some(&worker) = workers.get(&record[phone]) else {
                unknown += 1;
                continue;
            };
            insert.execute(params![
                worker,
                &record[date],
                &record[street],
                &record[community],
                &record[purpose]
            ])?;
            rows += 1;
        }
    }
    tx.commit()?;
    Ok((rows, unknown))
}

/// Streams every cell of the first sheet of the workbook `book`.
///
/// Returns (cells read, bytes of their text).
///
/// # Errors
/// When the file is not a readable .xlsx workbook or has no sheet.
fn bare_read(book: &Path) -> Result<Counts, Error> {
    let mut wb: Xlsx<_> = open_workbook(book)?;
    let first = wb
        .sheet_names()
        .into_iter()
        .next()
        .ok_or("the workbook has no sheet")?;
    let mut cells = wb.worksheet_cells_reader(&first)?;
    let (mut n, mut bytes) = (0, 0);
    while let Some(cell) = cells.next_cell()? {
        n += 1;
        bytes += match cell.get_value() {
            DataRef::String(s) => s.len(),
            DataRef::SharedString(s) => s.len(),
            _ => 0,
        } as u64;
    }
    Ok((n, bytes))
}
