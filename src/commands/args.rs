//! The flag groups several commands flatten into their arguments: output options and the one
//! period. They live here, below both `cli.rs` and the commands, so that neither imports the
//! other; a group holds flags only, and each command decides what its values mean.

use clap::Args;

use crate::model::Period;
use crate::report::render::Format;

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

/// The period of a report or a list: one of `--month`, `--quarter`, `--year`, or
/// `--from`/`--to`. Flattened into every command that takes a period, so each accepts the
/// same five flags with the same rules.
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
    /// [`PeriodFlags::period`](crate::model::PeriodFlags::period) for the rules (`--to`
    /// defaults to today, [`crate::model::today`]).
    ///
    /// Errors ([`UsageError`](crate::model::UsageError)): malformed or contradictory values.
    pub fn period(&self) -> anyhow::Result<Option<Period>> {
        let flags = crate::model::PeriodFlags {
            month: self.month.as_deref(),
            quarter: self.quarter.as_deref(),
            year: self.year.as_deref(),
            from: self.from.as_deref(),
            to: self.to.as_deref(),
        };
        Ok(flags.period(crate::model::today())?)
    }

    /// The names of the five flags, for a flag that excludes any period (`worker list --all`).
    pub const FLAGS: [&'static str; 5] = ["month", "quarter", "year", "from", "to"];
}
