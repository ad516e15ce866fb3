//! `nuanfeng report worker`.

use std::io::Write;

use anyhow::Result;
use clap::Args;

use crate::commands::Ctx;

/// `report worker`.
#[derive(Debug, Args)]
pub struct WorkerReportArgs {
    /// The worker: 身份证号, 手机号 or register number
    pub worker: String,
}

/// Runs `report worker`.
pub fn run(_ctx: &Ctx, _a: WorkerReportArgs, _out: &mut dyn Write) -> Result<()> {
    anyhow::bail!("report worker is not built yet")
}
