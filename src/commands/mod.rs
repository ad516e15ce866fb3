//! Subcommands, one file each: its clap arguments and a `run()`. This module holds only what
//! the commands share: the context they run in (opening the registry), typed flags read as
//! register cells or days, and masking for output. The dispatch is `cli.rs`'s; nothing here
//! names it.

pub mod access_log;
pub mod activity;
pub mod args;
pub mod award;
pub mod backup;
pub mod check;
pub mod checkin;
pub mod completions;
pub mod demo;
#[cfg(feature = "sqlcipher")]
pub mod encrypt;
pub mod gift;
pub mod import;
pub mod init;
pub mod instructor;
pub mod man;
pub mod merchant;
pub mod merge;
pub mod org;
pub mod points;
pub mod report;
pub mod restore;
pub mod service;
pub mod station;
pub mod template;
pub mod tip;
pub mod wish;
pub mod worker;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

use crate::db::{Db, OpenMode};
use crate::import::header::HeaderMap;
use crate::import::read::RawRow;
use crate::model::CellError;
use crate::model::Field;
use crate::model::{mask_id, mask_phone};

pub use crate::model::UsageError;

/// A failure whose messages have already been printed: exit 1 without another line.
#[derive(Debug, thiserror::Error)]
#[error("{}", rust_i18n::t!("cmd.failed"))]
pub struct Silent;

/// What every command gets: where the registry is and whether to be quiet.
pub struct Ctx {
    /// The registry file.
    pub db_path: PathBuf,
    /// `-q`: no notes on stderr.
    pub quiet: bool,
    /// `--lang`: labels in reports and tables.
    pub lang: crate::report::render::Lang,
    /// The masked command line when `--show-pii` was given: recorded in the access log
    /// (`pii_access`) as soon as the registry is open, once per run.
    pub pii_command: Option<String>,
    /// Whether this run's `--show-pii` is recorded already.
    pub pii_recorded: std::cell::Cell<bool>,
}

impl Ctx {
    /// The context of one run: the registry at `db_path`, `-q`, `--lang`, and the masked
    /// command line to record in the access log when it asks for full numbers
    /// ([`pii_command_line`]).
    pub fn new(
        db_path: PathBuf,
        quiet: bool,
        lang: crate::report::render::Lang,
        pii_command: Option<String>,
    ) -> Self {
        Self {
            db_path,
            quiet,
            lang,
            pii_command,
            pii_recorded: std::cell::Cell::new(false),
        }
    }

    /// A command's failure as the user should read it: SQLite's "database is locked" from
    /// any statement (a commit, a report's read while another program writes) or a file that
    /// cannot be written says so, naming the registry, so that the user knows what to close
    /// or fix; any other error is returned as it is.
    pub fn explain(&self, e: anyhow::Error) -> anyhow::Error {
        crate::db::explain(e, &self.db_path)
    }

    /// Opens the registry; a missing file is an error naming it. An erasure a `worker purge`
    /// left unfinished is finished first (see [`Ctx::opened`]).
    pub fn open(&self) -> Result<Db> {
        self.opened(Db::open(&self.db_path, OpenMode::Existing)?, true)
    }

    /// Opens the registry as it is found, an unfinished erasure left for the command to name
    /// (`check`, which never repairs).
    pub fn open_as_found(&self) -> Result<Db> {
        self.opened(Db::open(&self.db_path, OpenMode::Existing)?, false)
    }

    /// Opens the registry, creating it when missing (init, import, demo).
    pub fn open_or_create(&self) -> Result<Db> {
        self.opened(Db::open(&self.db_path, OpenMode::Create)?, true)
    }

    /// Notes the ledger digest for the workbooks this run writes
    /// (`report::export::set_ledger_digest`); says so when opening brought the file up to this
    /// build's schema or tightened its permissions; with `finish`, finishes an erasure a killed or failed `worker purge` left
    /// pending and says so (a failure to finish it is a warning: the command goes on, and
    /// `check` names it); and records a use of
    /// `--show-pii` in the access log: every command that shows full numbers opens the
    /// registry through here, so this is the one place that records them, before anything
    /// is shown — whether the command then prints anything or fails.
    fn opened(&self, mut db: Db, finish: bool) -> Result<Db> {
        // The anchor of the ledger, for every workbook this run writes. A registry whose
        // ledger cannot be read fails the command where it reads it, not here.
        if let Ok(d) = crate::db::ledger::digest(&db) {
            crate::report::export::set_ledger_digest(d.to_string());
        }
        if let Some(mode) = db.tightened() {
            self.note(rust_i18n::t!(
                "files.mode.tightened",
                path = self.db_path.display(),
                mode = format_args!("{mode:o}")
            ));
        }
        if finish {
            // A restore or an upgrade killed halfway leaves a whole copy of the registry
            // beside it.
            crate::outfile::remove_stale_beside(&self.db_path);
            // A journal a writer killed before its first sync left (SQLite leaves it): it
            // may hold pages of the file as they were.
            db.remove_idle_journal();
            match crate::db::purge::finish(&mut db) {
                Ok(None) => {}
                Ok(Some(p)) => self.note(rust_i18n::t!(
                    "files.erasure.finished",
                    path = self.db_path.display(),
                    at = p.at,
                    n = p.workers
                )),
                Err(e) => {
                    let at = crate::db::purge::pending(&db)
                        .ok()
                        .flatten()
                        .map(|p| p.at)
                        .unwrap_or_default();
                    let _ = writeln!(
                        std::io::stderr(),
                        "{}",
                        rust_i18n::t!(
                            "files.erasure.cannot_finish",
                            path = self.db_path.display(),
                            at = at,
                            error = format_args!("{:#}", self.explain(e))
                        )
                    );
                }
            }
        }
        if let Some(command) = &self.pii_command
            && !self.pii_recorded.get()
        {
            crate::db::access::record(&db, command)?;
            self.pii_recorded.set(true);
        }
        if let Some((from, backup)) = db.upgraded() {
            self.note(rust_i18n::t!(
                "db.upgrade.done",
                path = self.db_path.display(),
                from = from,
                to = crate::db::SCHEMA_VERSION,
                backup = backup.display()
            ));
        }
        Ok(db)
    }

    /// A note on stderr, unless `-q`; control characters in it are escaped.
    pub fn note(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            let _ = writeln!(crate::model::TerminalSafe(std::io::stderr()), "{msg}");
        }
    }
}

/// The command line to record in the access log when it asks for full numbers
/// (`--show-pii`), else `None`. `args` is the process's arguments, program name first.
///
/// The flag is found by scanning the arguments rather than the parsed command: it lives in
/// the output options flattened into many commands (and `report worker` has its own), and
/// clap accepts it only as the exact word `--show-pii` (no abbreviations, no `=value`), so
/// the scan sees exactly what clap saw. Words after `--` are values, not flags.
///
/// The line is what follows `nuanfeng`, with `--db FILE` left out (the log is inside that
/// file), words joined by spaces (quoted when they hold a space), and every number that may be
/// a 手机号 or 身份证号 masked (`worker show 151****6642 --show-pii`).
pub fn pii_command_line(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<String> {
    let args: Vec<String> = args
        .into_iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let flags_end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    if !args[..flags_end].iter().any(|a| a == "--show-pii") {
        return None;
    }
    let mut words = Vec::with_capacity(args.len());
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if i < flags_end && a == "--db" {
            i += 2;
            continue;
        }
        if i < flags_end && a.starts_with("--db=") {
            i += 1;
            continue;
        }
        let masked = masked_word(a);
        words.push(
            if masked.is_empty() || masked.contains(char::is_whitespace) {
                format!("\"{masked}\"")
            } else {
                masked
            },
        );
        i += 1;
    }
    Some(words.join(" "))
}

/// One word of a command line with its numbers masked: a whole word (or the value of
/// `--flag=value`) that is a 手机号 however typed (`+86 136-2351-8847`), else every number
/// inside it of 7 digits or more ([`crate::model::mask_all_numbers`]).
fn masked_word(word: &str) -> String {
    let whole = |v: &str| -> Option<String> {
        let p = crate::model::normalize::phone(v);
        (p.len() == 11 && p.starts_with('1') && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| mask_phone(&p))
    };
    if let Some(m) = whole(word) {
        return m;
    }
    if let Some((flag, value)) = word.split_once('=')
        && flag.starts_with("--")
        && let Some(m) = whole(value)
    {
        return format!("{flag}={m}");
    }
    crate::model::mask_all_numbers(word)
}

/// A phone for output: full with `--show-pii`, else masked.
pub fn shown_phone(p: Option<&str>, show_pii: bool) -> Option<String> {
    p.map(|p| {
        if show_pii {
            p.to_string()
        } else {
            mask_phone(p)
        }
    })
}

/// A 身份证号 for output: full with `--show-pii`, else masked.
pub fn shown_id(i: Option<&str>, show_pii: bool) -> Option<String> {
    i.map(|i| if show_pii { i.to_string() } else { mask_id(i) })
}

/// A day typed as `flag` (`--date`) for an event: today ([`crate::model::today`]) when
/// absent, else read in every form an imported date takes but an Excel day number
/// ([`crate::model::normalize::typed_event_date`]), not in the future nor before 2000.
///
/// Errors ([`UsageError`]): `"{flag} {value}: {problem}"` for a date that cannot be read (a
/// bare number among them), in the future, or before 2000.
pub fn day_flag(flag: &str, value: Option<&str>) -> Result<chrono::NaiveDate> {
    let today = crate::model::today();
    match value {
        None => Ok(today),
        Some(d) => Ok(crate::model::normalize::typed_event_date(d, today)
            .map_err(|e| UsageError(format!("{flag} {d}: {e}")))?),
    }
}

/// Reads a vocabulary flag of a list filter (`--kind 理发店`, `--status 待审核`) as an imported
/// cell is read (code, label or alias, after folding); `None` when absent.
///
/// Errors ([`UsageError`]): `"{flag}: {value}: 不是可用的{what} — 可填：{accepted}"`, the
/// accepted values in the user's language (the labels; in English the codes in words).
pub fn vocab_flag<V: crate::model::Vocabulary>(
    flag: &str,
    value: Option<&str>,
) -> Result<Option<V>> {
    let Some(v) = value else { return Ok(None) };
    V::parse(&crate::model::normalize::folded(v))
        .map(Some)
        .ok_or_else(|| {
            let lang = crate::i18n::Lang::current();
            let accepted: Vec<String> = V::ALL.iter().map(|x| x.text(lang)).collect();
            UsageError(
                rust_i18n::t!(
                    "cmd.vocab_flag_unknown",
                    flag = flag,
                    value = v,
                    what = V::WHAT,
                    accepted = accepted.join(&rust_i18n::t!("model.list_separator"))
                )
                .into_owned(),
            )
            .into()
        })
}

/// Resolves `--street` through the same spellings imports accept.
pub fn street_filter(db: &Db, street: Option<&str>) -> Result<Option<i64>> {
    let Some(s) = street else { return Ok(None) };
    let places = crate::db::places::Places::load(db)?;
    let norm = crate::model::normalize::name(s);
    places
        .street(&norm)
        .map(Some)
        .map_err(|p| UsageError(format!("--street {s}: {p}")).into())
}

/// Values typed as flags, laid out as one register row so that they go through exactly the
/// validation of imported cells. Each entry: the field, its flag name, the value.
pub fn typed_row(values: &[(Field, &str, Option<&str>)]) -> (HeaderMap, RawRow) {
    let fields: Vec<(Field, &str)> = values.iter().map(|(f, n, _)| (*f, *n)).collect();
    let cells: Vec<&str> = values.iter().map(|(_, _, v)| v.unwrap_or("")).collect();
    let row = RawRow::new(0, 0, &cells);
    (HeaderMap::for_flags(&fields), row)
}

/// The field a worker typed as a number names: 手机号 when it looks like a mobile, else
/// 身份证号.
pub fn worker_field(number: &str) -> Field {
    let p = crate::model::normalize::phone(number);
    if p.len() == 11 && p.bytes().all(|b| b.is_ascii_digit()) {
        Field::Phone
    } else {
        Field::IdNumber
    }
}

/// Turns what storing a typed record failed with into one error: its row problems as
/// [`typed_errors`] words them, a failure of the database as it is (worded by its code when
/// the command ends, see [`crate::db::explain`]).
pub fn stored_errors(map: &HeaderMap, e: crate::model::StoreError) -> anyhow::Error {
    e.into_error(|problems| typed_errors(map, &problems))
}

/// Turns row problems found in typed values into one error: a line per problem.
pub fn typed_errors(map: &HeaderMap, errors: &[CellError]) -> anyhow::Error {
    let lines: Vec<String> = errors
        .iter()
        .map(|e| {
            if e.shown.is_empty() {
                format!("{}: {}", map.column_label(e.field), e.problem)
            } else {
                format!("{}: {}: {}", map.column_label(e.field), e.shown, e.problem)
            }
        })
        .collect();
    anyhow::anyhow!(lines.join("\n"))
}

/// Finds the worker a command names by `typed` — a 手机号 or 身份证号, current or had before,
/// or a 姓名 held by one worker working today (else by one who left) — and says so on stderr
/// when it was a former number or the name of a worker who left. Returns the id and
/// registered name.
///
/// Errors: as [`crate::db::workers::find_worker`]: unknown number or name, a name several
/// workers share (the candidates listed, numbers masked).
pub fn find_worker(ctx: &Ctx, db: &impl crate::db::Reader, typed: &str) -> Result<(i64, String)> {
    found(
        ctx,
        crate::db::workers::find_worker(db, typed, crate::db::workers::Scope::Working)?,
    )
}

/// [`find_worker`] for a command about a worker who left (`worker rejoin`): a 姓名 means
/// those who left first.
///
/// Errors: as [`find_worker`].
pub fn find_departed_worker(
    ctx: &Ctx,
    db: &impl crate::db::Reader,
    typed: &str,
) -> Result<(i64, String)> {
    found(
        ctx,
        crate::db::workers::find_worker(db, typed, crate::db::workers::Scope::Departed)?,
    )
}

fn found(ctx: &Ctx, f: crate::db::workers::Found) -> Result<(i64, String)> {
    if let Some(note) = &f.note {
        ctx.note(note);
    }
    Ok((f.id, f.name))
}

/// The worker cell of a register row typed at the terminal (`checkin add 贺新宇 …`): for a
/// 姓名 (no digit), the registered number of the one worker with that name ([`find_worker`]);
/// for a number a worker had before, their current one, with the note that says so; any
/// other number as typed, validated like an imported cell.
///
/// Errors: a name as [`find_worker`]; the registry cannot be opened for a name.
pub fn worker_cell(ctx: &Ctx, typed: &str) -> Result<String> {
    if crate::model::normalize::is_blank(typed) {
        return Ok(typed.to_string());
    }
    crate::db::workers::refuse_masked(typed)?;
    let is_number = crate::model::normalize::folded(typed)
        .bytes()
        .any(|b| b.is_ascii_digit());
    if is_number {
        // Only a number given up is replaced; a failure here is the row's to word.
        let Ok(db) = ctx.open() else {
            return Ok(typed.to_string());
        };
        return Ok(
            match crate::db::workers::find_worker(&db, typed, crate::db::workers::Scope::Working) {
                Ok(f) if f.note.is_some() => {
                    found(ctx, f.clone())?;
                    crate::db::workers::number_of(&db, f.id)?.unwrap_or_else(|| typed.to_string())
                }
                _ => typed.to_string(),
            },
        );
    }
    let db = ctx.open()?;
    let (id, _) = find_worker(ctx, &db, typed)?;
    Ok(crate::db::workers::number_of(&db, id)?.unwrap_or_default())
}
