//! `nuanfeng import KIND FILE…`: load registers. Each file is one transaction.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use super::{Ctx, UsageError};
use crate::import::header::{HeaderRows, MapOverride, check_overrides};
use crate::import::missing::{self, Asked};
use crate::import::read::EncodingChoice;
use crate::import::{ImportOptions, ImportSummary, import_file};
use crate::model::RegisterKind;
use crate::model::today;
use rust_i18n::t;

/// Import registers from Excel/WPS workbooks or CSV files.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Files are Excel/WPS workbooks (.xlsx, .xls, .ods: the sheet holding the register is
found by itself) or CSV (GBK, GB18030 or UTF-8, detected). Headers are matched by name, with
the synonyms offices use (名字/姓名, 手机号码/联系电话, 公民身份号码/身份证号 …); title rows above
the header and 填表人/合计 lines below the data are skipped. Workers are matched by 身份证号,
else 手机号: importing a register again updates what changed and adds nobody twice.

A file lands whole or not at all: with a bad row nothing is imported, and the first 100
problems are listed (file:line: column: what is wrong — how to fix it). With --skip-invalid
the good rows land and every bad row goes to the rejects file with its reasons.

Field codes for --map are listed by a --map with an unknown code, and in the 填写说明 sheet
of `nuanfeng template KIND -o FILE.xlsx`.

Examples:
  nuanfeng import streets yingze-divisions.csv
  nuanfeng import stations stations.xlsx
  nuanfeng import workers 从业人员台账.xlsx --sheet 8月          a sheet by name (or --sheet 2)
  nuanfeng import workers workers.csv --dry-run                 check only, write nothing
  nuanfeng import workers workers.csv --skip-invalid --rejects bad-rows.csv
  nuanfeng import checkins 报到台账.csv --encoding gb18030
  nuanfeng import workers 台账.csv --header-row 4                the headers are on line 4
  nuanfeng import workers 台账.csv --map \"联系电话=-\"           ignore a second phone column
  nuanfeng import workers 台账.csv --map \"D=-\"                 ignore column D
  nuanfeng import workers 台账.csv --map \"电话=phone\"          read 电话 as the 手机号"
)]
pub struct ImportArgs {
    /// What the files hold
    #[arg(value_enum)]
    pub kind: RegisterKind,

    /// Register files: Excel/WPS workbooks (.xlsx, .xls, .ods) or CSV (GBK or UTF-8); - reads
    /// standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The sheet of a workbook to read: its name or position (1 = first) [default: the sheet
    /// whose first rows hold this register's headers]
    #[arg(long, value_name = "NAME|N")]
    pub sheet: Option<String>,

    /// Text encoding of CSV files [default: detected]
    #[arg(long, value_enum, default_value_t = EncodingChoice::Auto)]
    pub encoding: EncodingChoice,

    /// The line of a CSV file, or row of a sheet, that holds the headers (when it cannot be
    /// found by itself); N-M, e.g. 2-3, for a header on two rows (groups above the column
    /// headers)
    #[arg(long, value_name = "N", value_parser = header_rows)]
    pub header_row: Option<HeaderRows>,

    /// Say which field a column holds: "表头=field" or "D=field" (a header or a column letter;
    /// a field code such as phone, or its standard header 手机号); "表头=-" ignores the
    /// column. Repeatable
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub maps: Vec<MapOverride>,

    /// Land the good rows even if some rows are bad; the bad ones go to the rejects file
    #[arg(long)]
    pub skip_invalid: bool,

    /// Write bad rows, with line numbers and reasons, to this CSV [default with
    /// --skip-invalid: NAME.rejects.csv in the current folder]
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,

    /// Check the files and report what would happen; write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// The workers (stations) on record in the streets a workers (stations) register covers
    /// that it does not name: keep them and list them, or record the workers as left on
    /// --date
    #[arg(long, value_enum, default_value_t = MissingChoice::Keep)]
    pub missing: MissingChoice,

    /// With --missing left: the 离职日期 of the workers absent from the register
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

/// What `import` does with the records a snapshot register leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MissingChoice {
    /// List them; they stay on record and keep counting
    Keep,
    /// Record the absent workers as left on --date, in the same transaction as the import
    Left,
}

/// Runs `import`. When it creates the registry (a new `--db`) it says so, and when any file
/// then fails, removes the new registry again, naming the nearest existing one.
pub fn run(ctx: &Ctx, args: ImportArgs) -> Result<()> {
    if args.rejects.is_some() && args.files.len() > 1 {
        return Err(UsageError(t!("import.rejects_one_file").into_owned()).into());
    }
    if let Err(e) = check_overrides(args.kind, &args.maps) {
        return Err(UsageError(e).into());
    }
    let missing_left_on = missing_flags(&args)?;
    // A dry run writes nothing, so it needs a registry to check against.
    let mut db = if args.dry_run {
        ctx.open()?
    } else {
        ctx.open_or_create()?
    };
    // A mistyped --db makes a new registry: said before any row, so that the problems that
    // follow (no streets, no workers) are read against it.
    if db.created() {
        ctx.note(t!("import.created_registry", path = ctx.db_path.display()));
    }
    let mut opts = ImportOptions {
        encoding: args.encoding,
        sheet: args.sheet.clone(),
        header_row: args.header_row,
        maps: args.maps.clone(),
        skip_invalid: args.skip_invalid,
        rejects: None,
        dry_run: args.dry_run,
        today: today(),
        quiet: ctx.quiet,
        missing_left_on,
    };
    let mut used = Vec::new();
    let mut failed = false;
    for file in &args.files {
        // Rejected rows go where --rejects says; with --skip-invalid alone, to
        // NAME.rejects.csv in the current folder (NAME-2.rejects.csv … when two files share
        // a name). A dry run writes a rejects file only when asked to.
        opts.rejects = match (&args.rejects, args.skip_invalid && !args.dry_run) {
            (Some(r), _) => Some(r.clone()),
            (None, true) => Some(default_rejects(file, &mut used)),
            (None, false) => None,
        };
        // Row problems and warnings quote cells: their control characters are escaped.
        let mut err = crate::model::TerminalSafe(std::io::stderr());
        match import_file(&mut db, args.kind, file, &opts, &mut err) {
            Ok(s) => {
                report(ctx, &s);
                report_missing(ctx, &args, &s);
            }
            Err(e) => {
                // A failure of the registry or its disk (locked, read-only, full) is said so,
                // naming the file not imported.
                let e = ctx.explain(e);
                let e = if crate::db::is_failure(&e) {
                    e.context(t!("import.nothing_imported", file = file.display()).into_owned())
                } else {
                    e
                };
                let message = crate::model::mask_numbers(&format!("{e:#}"));
                let _ = writeln!(std::io::stderr(), "{}", crate::i18n::error_line(&message));
                failed = true;
            }
        }
    }
    if !failed {
        return Ok(());
    }
    if db.created() {
        let removed = db.remove_if_created();
        let _ = writeln!(
            crate::model::TerminalSafe(std::io::stderr()),
            "{}",
            removed_line(&ctx.db_path, removed)
        );
    }
    // The error has been printed; exit 1 without printing it again.
    Err(super::Silent.into())
}

/// Checks `--missing` and `--date` against each other and the register kind: the 离职日期 to
/// give the workers absent from a workers register, `None` when they are only listed.
///
/// Errors ([`UsageError`]): `--missing left` without `--date`, or for any register but
/// workers (stations have no closed state); `--missing` for a register that is not a snapshot;
/// `--date` without `--missing left`; a date that cannot be read, in the future, or before
/// 2000.
fn missing_flags(args: &ImportArgs) -> Result<Option<chrono::NaiveDate>> {
    let usage = |key: std::borrow::Cow<'_, str>| Err(UsageError(key.into_owned()).into());
    let snapshot = matches!(args.kind, RegisterKind::Workers | RegisterKind::Stations);
    match (args.missing, &args.date) {
        (MissingChoice::Left, _) if args.kind == RegisterKind::Stations => {
            usage(t!("snapshot.left_for_stations"))
        }
        (MissingChoice::Left, _) if !snapshot => usage(t!("snapshot.missing_other_kind")),
        (MissingChoice::Left, None) => usage(t!("snapshot.missing_needs_date")),
        (MissingChoice::Left, Some(d)) => Ok(Some(super::day_flag("--date", Some(d))?)),
        (MissingChoice::Keep, Some(_)) => usage(t!("snapshot.date_needs_left")),
        (MissingChoice::Keep, None) => Ok(None),
    }
}

/// After the summary of a workers or stations register: who (which stations) of the streets
/// it covers is on record but absent from it, and who was marked as left; then the workers
/// recorded as left whom its rows named without a 离职日期 (they stay left). The workers
/// marked are said even with `-q`: a change to the register is never made unseen.
fn report_missing(ctx: &Ctx, args: &ImportArgs, s: &ImportSummary) {
    let Some(m) = &s.missing else { return };
    let asked = Asked {
        left: args.missing == MissingChoice::Left,
        dry_run: args.dry_run,
        rejected: s.counts.rejected,
    };
    let marked = m.left_on.is_some() && !m.absent.is_empty();
    let mut lines = Vec::new();
    if !ctx.quiet || marked {
        lines = missing::lines(args.kind, &s.file, m, asked);
    }
    if !ctx.quiet {
        lines.extend(missing::departed_lines(&s.file, &m.departed));
    }
    let mut err = crate::model::TerminalSafe(std::io::stderr().lock());
    for line in lines {
        let _ = writeln!(err, "{line}");
    }
}

/// The last line of an import that created the registry at `path` and failed: the new file
/// was `removed` (or could not be), and the registry in the same folder whose name is
/// closest, if there is one, as the `--db` that was probably meant.
fn removed_line(path: &Path, removed: std::io::Result<()>) -> String {
    let mut line = match removed {
        Ok(_) => t!("import.registry_removed", path = path.display()).into_owned(),
        Err(e) => t!(
            "import.registry_not_removed",
            path = path.display(),
            reason = e
        )
        .into_owned(),
    };
    if let Some(other) = crate::db::nearest_registry(path) {
        line.push_str(&crate::model::did_you_mean(&format!(
            "--db {}",
            other.display()
        )));
    }
    line
}

/// A row number, 1 or more.
fn header_rows(s: &str) -> Result<HeaderRows, String> {
    s.parse()
}

/// `NAME.rejects.csv` for `dir/NAME.csv`, unique among the names already `used`.
fn default_rejects(file: &std::path::Path, used: &mut Vec<PathBuf>) -> PathBuf {
    let stem = if file == std::path::Path::new(crate::import::STDIN) {
        Some(std::ffi::OsStr::new("stdin"))
    } else {
        file.file_stem()
    };
    let stem = stem.map_or_else(
        || "import".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let mut n = 1;
    loop {
        let name = if n == 1 {
            PathBuf::from(format!("{stem}.rejects.csv"))
        } else {
            PathBuf::from(format!("{stem}-{n}.rejects.csv"))
        };
        if !used.contains(&name) {
            used.push(name.clone());
            return name;
        }
        n += 1;
    }
}

fn report(ctx: &Ctx, s: &ImportSummary) {
    let c = &s.counts;
    let mut line = if c.read == 1 {
        t!(
            "import.summary_one",
            file = &s.file,
            total = c.read,
            new = c.new,
            updated = c.updated,
            unchanged = c.unchanged
        )
    } else {
        t!(
            "import.summary",
            file = &s.file,
            total = c.read,
            new = c.new,
            updated = c.updated,
            unchanged = c.unchanged
        )
    }
    .into_owned();
    if c.rejected > 0 {
        line.push_str(&t!("import.summary.rejected", rejected = c.rejected));
    }
    if let Some(r) = &s.rejects
        && c.rejected > 0
    {
        line.push_str(&t!("import.summary.rejects_file", file = r.display()));
    }
    if !s.committed {
        line.push_str(&t!("import.summary.dry_run"));
    }
    ctx.note(line);
    // Workers marked as left (or to be, in a dry run) are a change even when every row was
    // stored already: "nothing changed" would contradict the list that follows.
    let marked = s
        .missing
        .as_ref()
        .is_some_and(|m| m.left_on.is_some() && !m.absent.is_empty());
    if let Some((name, at)) = &s.previous
        && !marked
    {
        let note = if c.new + c.updated == 0 {
            t!(
                "import.previous.unchanged",
                file = &s.file,
                at = at,
                name = name
            )
        } else {
            t!(
                "import.previous.applied",
                file = &s.file,
                at = at,
                name = name
            )
        };
        ctx.note(note);
    }
}
