//! `nuanfeng man`: manual pages in roff (clap_mangen), made from the same text as `--help` —
//! the root command's page on stdout, or one page per command written to a folder. It needs
//! no registry.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;

use super::{Ctx, UsageError};

/// `man`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng man | man -l -
  nuanfeng man -o /usr/local/share/man/man1

With -o, the folder (which must exist) gets one page per command: nuanfeng.1,
nuanfeng-import.1, nuanfeng-worker.1, nuanfeng-worker-list.1 …; pages already there are
replaced.")]
pub struct ManArgs {
    /// Write one page per command into this folder instead of the root page to stdout
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// Prints the root page of `cmd` (the whole command line, as the dispatcher passes it), or
/// writes every page to the folder `-o` names.
///
/// Errors: the folder does not exist or cannot be written.
pub fn run(ctx: &Ctx, a: ManArgs, cmd: clap::Command, out: &mut dyn Write) -> Result<()> {
    let Some(dir) = a.output else {
        clap_mangen::Man::new(cmd).render(out)?;
        return Ok(());
    };
    if !dir.is_dir() {
        return Err(UsageError(format!(
            "-o {}: no such folder — create it first",
            dir.display()
        ))
        .into());
    }
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let n = write_pages(&cmd, &dir)?;
    ctx.note(format!("wrote {n} man pages to {}", dir.display()));
    Ok(())
}

/// Writes the page of `cmd` and of each of its subcommands, depth first; returns how many.
fn write_pages(cmd: &clap::Command, dir: &Path) -> Result<usize> {
    let mut n = 0;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        n += write_pages(sub, dir)?;
    }
    // The footer names the program, not the subcommand ("purge 0.1.0" otherwise).
    let man = clap_mangen::Man::new(cmd.clone())
        .source(format!("nuanfeng {}", env!("CARGO_PKG_VERSION")));
    let path = dir.join(man.get_filename());
    man.generate_to(dir)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(n + 1)
}
