//! `nuanfeng report district`.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use crate::cli::PeriodArgs;
use crate::commands::Ctx;

/// `report district`.
#[derive(Debug, Args)]
pub struct DistrictArgs {
    /// The period.
    #[command(flatten)]
    pub period: PeriodArgs,
}

/// Runs `report district`.
pub fn run(_ctx: &Ctx, _a: DistrictArgs, _out: &mut dyn Write) -> Result<()> {
    anyhow::bail!("report district is not built yet")
}
