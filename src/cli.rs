//! The command line: the root `Cli`, the `Command` enum, and the flag groups several
//! commands share (output options). Each subcommand's own arguments live in its file under
//! `commands/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands;
use crate::report::render::Format;

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
    #[arg(long, global = true, value_enum, default_value_t = crate::report::render::Lang::Zh)]
    pub lang: crate::report::render::Lang,

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
  nuanfeng checkin list --street 柳巷 --month 2025-07"
    )]
    Checkin(commands::checkin::CheckinCommand),
    /// Volunteer service (志愿服务): add one (grants its points), list
    #[command(
        subcommand,
        after_long_help = "Examples:
  nuanfeng service add 15935170288 --date 2025-07-20 --duration 2 --activity 夏日送清凉
  nuanfeng service list --month 2025-07"
    )]
    Service(commands::service::ServiceCommand),
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

/// Output options shared by every command that prints records.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Show full 身份证号 and 手机号 (masked otherwise)
    #[arg(long)]
    pub show_pii: bool,
}

impl Cli {
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

/// The period of a report: one of `--month`, `--quarter`, `--year`, or `--from`/`--to`.
#[derive(Debug, Clone, Args, Default)]
pub struct PeriodArgs {
    /// A month: 2025-07
    #[arg(long, value_name = "YYYY-MM", group = "period")]
    pub month: Option<String>,
    /// A quarter: 2025Q3
    #[arg(long, value_name = "YYYYQn", group = "period")]
    pub quarter: Option<String>,
    /// A year: 2025
    #[arg(long, value_name = "YYYY", group = "period")]
    pub year: Option<String>,
    /// First day of the period (periods lie within 2000-01-01..=2099-12-31)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of the period, with --from [default: today]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
}

impl PeriodArgs {
    /// The period asked for, or `None` when none was given; see
    /// [`PeriodFlags::period`](crate::model::PeriodFlags::period) for the rules.
    ///
    /// Errors ([`UsageError`](crate::model::UsageError)): malformed or contradictory values.
    pub fn period(&self) -> anyhow::Result<Option<crate::model::Period>> {
        let flags = crate::model::PeriodFlags {
            month: self.month.as_deref(),
            quarter: self.quarter.as_deref(),
            year: self.year.as_deref(),
            from: self.from.as_deref(),
            to: self.to.as_deref(),
        };
        Ok(flags.period(crate::model::today())?)
    }
}
