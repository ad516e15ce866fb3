//! The command line: the root `Cli`, the `Command` enum, and the dispatch (one `match`) that
//! runs a parsed command line. Each subcommand's own arguments and `run()` live in its file
//! under `commands/`, the flag groups several share in `commands/args.rs`; nothing under
//! `commands/` names this module.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand};

use crate::commands::{self, Ctx};

mod text;

pub use text::usage_error;

/// The command line's definition, with every text a person reads in the language of the run
/// (set by [`crate::i18n::set`] before this is called).
///
/// Only the commands named on this process's command line are described in full (with the
/// others' one-line descriptions, for the lists): the rest cannot be reached by this run, and
/// skipping them keeps start-up short (`bench/startup.py`).
pub fn command() -> clap::Command {
    let words: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    text::localize(Cli::command(), Some(&words))
}

/// The whole command line described, every command in full: for completions and man pages.
pub fn full_command() -> clap::Command {
    text::localize(Cli::command(), None)
}

/// 暖蜂 nuanfeng — the registry of courier stations, delivery workers, check-ins (报到) and
/// volunteer points that party-building instructors (党建工作指导员) keep, in one local file.
#[derive(Debug, Parser)]
#[command(
    name = "nuanfeng",
    version,
    propagate_version = true,
    after_long_help = "Examples:
  nuanfeng demo                                   build a sample district and print its report
  nuanfeng init --district 140106                 a new registry with 迎泽区's official streets
  nuanfeng import workers 从业人员台账.xlsx         a workbook, or CSV in GBK or UTF-8
  nuanfeng report streets --month 2025-07         per-street figures of a month

The database is --db FILE, else $NUANFENG_DB, else ./nuanfeng.db."
)]
pub struct Cli {
    /// The registry file [default: $NUANFENG_DB, else ./nuanfeng.db]
    #[arg(long, global = true, value_name = "FILE")]
    pub db: Option<PathBuf>,

    /// Print only data and errors: no counts, warnings or notes on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Language of the labels in reports and tables
    #[arg(long, global = true, value_enum)]
    pub lang: Option<crate::i18n::Lang>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Every subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a registry file, optionally with a district's official streets
    Init(commands::init::InitArgs),
    /// Import registers: Excel/WPS workbooks (.xlsx .xls .ods) or CSV (GBK or UTF-8)
    Import(commands::import::ImportArgs),
    /// Write a blank register (.xlsx with an explanation sheet, or CSV) to fill in
    Template(commands::template::TemplateArgs),
    /// Workers (从业人员): list, show with history, add, update, leave, purge
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng worker list --street 柳巷 --month 2025-07
  nuanfeng worker show 15135296642
  nuanfeng worker add --name 李浩 --phone 13912345678 --occupation 外卖员 --street 柳巷街道
  nuanfeng worker leave 15135296642 --date 2025-08-31
  nuanfeng worker purge --left-before 2024-01-01 --dry-run"
    )]
    Worker(commands::worker::WorkerCommand),
    /// Stations (站点): list, show with history, add, update
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng station list --street 柳巷
  nuanfeng station show 美团柳巷站"
    )]
    Station(commands::station::StationCommand),
    /// Check-ins (报到): add one, list
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng checkin add 15935170288 --date 2025-07-16 --purpose 党员报到
  nuanfeng checkin list --street 柳巷 --month 2025-07
  nuanfeng checkin list --quarter 2025Q3"
    )]
    Checkin(commands::checkin::CheckinCommand),
    /// Volunteer service (志愿服务): add one (grants its points), list
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng service add 15935170288 --date 2025-07-20 --duration 2 --activity 夏日送清凉
  nuanfeng service list --year 2025"
    )]
    Service(commands::service::ServiceCommand),
    /// 关爱活动 (care activities for the workers): add one, list, show, delete
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng activity add --kind 送清凉 --title 夏日送清凉 --street 柳巷 --worker 15935170288 --unnamed 30
  nuanfeng activity list --month 2025-07
  nuanfeng activity show 3"
    )]
    Activity(commands::activity::ActivityCommand),
    /// 随手拍 reports: add, list, approve (grants points once), resolve
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng tip list --status pending
  nuanfeng tip approve 43"
    )]
    Tip(commands::tip::TipCommand),
    /// 微心愿 (small wishes): add, fulfil, list
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng wish list
  nuanfeng wish fulfil 5 --date 2025-08-01 --by 柳巷街道党工委"
    )]
    Wish(commands::wish::WishCommand),
    /// The gift shop for points (积分商城): add, update, list
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng gift add 绿豆礼包 --price 15 --stock 40
  nuanfeng gift list --month 2025-07
  nuanfeng points redeem 13800138000 --gift 绿豆礼包"
    )]
    Gift(commands::gift::GiftCommand),
    /// Awards (评选, 最美快递员 …): add, list
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng award list --year 2025"
    )]
    Award(commands::award::AwardCommand),
    /// Instructors (党建工作指导员): add, list, assign and unassign stations
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng instructor list
  nuanfeng instructor assign 孙立新 美团老军营站"
    )]
    Instructor(commands::instructor::InstructorCommand),
    /// Party organizations (党组织) and the stations they cover: add, update, list, show, cover
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng org list
  nuanfeng org show 迎泽区快递物流行业党委"
    )]
    Org(commands::org::OrgCommand),
    /// Partner merchants (爱心商家/合作单位): list by street, add, update, end
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng merchant list --street 庙前街道
  nuanfeng merchant end 柳巷法律援助工作站 --date 2025-09-30"
    )]
    Merchant(commands::merchant::MerchantCommand),
    /// Points (积分): earn, redeem, reverse, adjust, balances, statements, check, rules
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng points balance 15935170288
  nuanfeng points earn 15935170288 10 --category 志愿服务 --reason 夏日送清凉
  nuanfeng points check"
    )]
    Points(commands::points::PointsCommand),
    /// Reports: per-street figures
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng report streets --month 2025-07
  nuanfeng report district --month 2025-07 --format xlsx -o 2025年7月报表.xlsx
  nuanfeng report worker 15935170288"
    )]
    Report(commands::report::ReportCommand),
    /// Check the whole registry: file integrity, foreign keys, ledger, duplicate people, rollup
    Check(commands::check::CheckArgs),
    /// Copy the registry to a new file while it is in use (SQLite's online backup)
    Backup(commands::backup::BackupArgs),
    /// Bring other registries (street files) into this one (the district's or a city's)
    Merge(commands::merge::MergeArgs),
    /// Replace the registry with a backup, keeping the current file beside it
    Restore(commands::restore::RestoreArgs),
    /// Build a sample district from the bundled examples and print its report
    Demo(commands::demo::DemoArgs),
    /// Who saw full 身份证号 and 手机号: every command run with --show-pii
    AccessLog(commands::access_log::AccessLogArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(commands::completions::CompletionsArgs),
    /// Print the man page, or write one page per command to a folder
    Man(commands::man::ManArgs),
    /// Write an encrypted copy of a plaintext registry (key from NUANFENG_KEY or the terminal)
    #[cfg(feature = "sqlcipher")]
    Encrypt(commands::encrypt::EncryptArgs),
}

impl Cli {
    /// Runs the parsed command line: its command's output on stdout, notes on stderr.
    ///
    /// Errors: whatever the command returns, with SQLite's "database is locked" or a
    /// read-only file said so that the user knows what to do
    /// ([`Ctx::explain`](crate::commands::Ctx::explain)); a failed write to stdout.
    pub fn run(self) -> Result<()> {
        let ctx = Ctx::new(
            self.db_path(),
            self.quiet,
            // The language `main` chose from this flag or NUANFENG_LANG before parsing.
            crate::i18n::Lang::current(),
            commands::pii_command_line(std::env::args_os()),
        );
        // The demo never touches the registry NUANFENG_DB names: only --db moves it.
        let demo_db = self.db;
        let stdout = std::io::stdout();
        let terminal = std::io::IsTerminal::is_terminal(&stdout);
        crate::report::render::set_table_width(crate::report::render::table_width(
            terminal,
            std::env::var("NUANFENG_WIDTH").ok().as_deref(),
            std::env::var("COLUMNS").ok().as_deref(),
            || comfy_table::Table::new().width(),
        ));
        // On a terminal, whatever a command prints has its control characters escaped (tables
        // are escaped wherever they go); piped output keeps the data's bytes.
        let mut out: Box<dyn Write> = if terminal {
            Box::new(crate::model::TerminalSafe(stdout.lock()))
        } else {
            Box::new(stdout.lock())
        };
        self.command
            .run(&ctx, demo_db, &mut out)
            .map_err(|e| ctx.explain(e))?;
        out.flush()?;
        Ok(())
    }

    /// The registry path by the rules: `--db`, then `NUANFENG_DB` (when set and not empty),
    /// then `./nuanfeng.db`.
    pub fn db_path(&self) -> PathBuf {
        self.explicit_db()
            .unwrap_or_else(|| PathBuf::from("nuanfeng.db"))
    }

    /// The registry path the user chose (`--db` or `NUANFENG_DB`), if any.
    pub fn explicit_db(&self) -> Option<PathBuf> {
        self.db.clone().or_else(|| {
            std::env::var_os("NUANFENG_DB")
                .filter(|v| !v.to_string_lossy().trim().is_empty())
                .map(PathBuf::from)
        })
    }
}

impl Command {
    /// Runs one command with `ctx`, writing its data to `out`. `demo_db` is `--db` as typed
    /// (the demo's own default is not the registry's).
    fn run(self, ctx: &Ctx, demo_db: Option<PathBuf>, out: &mut dyn Write) -> Result<()> {
        match self {
            Command::Init(a) => commands::init::run(ctx, a),
            Command::Import(a) => commands::import::run(ctx, a),
            Command::Worker(c) => commands::worker::run(ctx, c, out),
            Command::Station(c) => commands::station::run(ctx, c, out),
            Command::Template(a) => commands::template::run(ctx, a, out),
            Command::Checkin(c) => commands::checkin::run(ctx, c, out),
            Command::Service(c) => commands::service::run(ctx, c, out),
            Command::Activity(c) => commands::activity::run(ctx, c, out),
            Command::Tip(c) => commands::tip::run(ctx, c, out),
            Command::Wish(c) => commands::wish::run(ctx, c, out),
            Command::Gift(c) => commands::gift::run(ctx, c, out),
            Command::Award(c) => commands::award::run(ctx, c, out),
            Command::Instructor(c) => commands::instructor::run(ctx, c, out),
            Command::Org(c) => commands::org::run(ctx, c, out),
            Command::Merchant(c) => commands::merchant::run(ctx, c, out),
            Command::Points(c) => commands::points::run(ctx, c, out),
            Command::Report(c) => commands::report::run(ctx, c, out),
            Command::Check(a) => commands::check::run(ctx, a, out),
            Command::Backup(a) => commands::backup::run(ctx, a),
            Command::Restore(a) => commands::restore::run(ctx, a),
            Command::AccessLog(a) => commands::access_log::run(ctx, a, out),
            Command::Merge(a) => commands::merge::run(ctx, a, out),
            Command::Completions(a) => commands::completions::run(a, full_command(), out),
            Command::Man(a) => commands::man::run(ctx, a, full_command(), out),
            Command::Demo(a) => commands::demo::run(ctx, demo_db, a, out),
            #[cfg(feature = "sqlcipher")]
            Command::Encrypt(a) => commands::encrypt::run(ctx, a),
        }
    }
}
