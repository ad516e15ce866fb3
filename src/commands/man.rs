//! `nuanfeng man`: manual pages in roff (clap_mangen), made from the same text as `--help` —
//! the root command's page on stdout, or one page per command written to a folder. It needs
//! no registry.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use rust_i18n::t;

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

/// Prints the root page of `cmd` (the whole command line in the language of the run, as the
/// dispatcher passes it), or writes every page to the folder `-o` names.
///
/// Errors: the folder does not exist or cannot be written.
pub fn run(ctx: &Ctx, a: ManArgs, cmd: clap::Command, out: &mut dyn Write) -> Result<()> {
    let Some(dir) = a.output else {
        out.write_all(render(clap_mangen::Man::new(cmd))?.as_bytes())?;
        return Ok(());
    };
    if !dir.is_dir() {
        return Err(UsageError(t!("man.no_folder", dir = dir.display()).into_owned()).into());
    }
    // The `help` subcommands get no page of their own and are not listed on the others.
    let cmd = hide_help(cmd);
    let n = write_pages(&cmd, &dir)?;
    ctx.note(t!("man.wrote", count = n, dir = dir.display()).into_owned());
    Ok(())
}

/// `cmd` (built) with its `help` subcommand, and those of its subcommands, hidden.
fn hide_help(mut cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        cmd = if name == "help" {
            cmd.mut_subcommand(&name, |help| help.hide(true))
        } else {
            cmd.mut_subcommand(&name, hide_help)
        };
    }
    cmd
}

/// The page of `man` in roff, its section titles in the language of the run: clap_mangen
/// writes them in English (NAME, SYNOPSIS …) or as clap's headings (the subcommands' and the
/// arguments' headings, which the command's help already names in the run's language).
fn render(man: clap_mangen::Man) -> Result<String> {
    let mut roff = Vec::new();
    man.render(&mut roff)?;
    let roff = String::from_utf8_lossy(&roff);
    let commands = t!("cli.heading.commands");
    let options = t!("cli.heading.options").to_uppercase();
    let arguments = t!("cli.heading.arguments").to_uppercase();
    let mut page = String::with_capacity(roff.len());
    for line in roff.split_inclusive('\n') {
        let Some(title) = line.strip_prefix(".SH ") else {
            page.push_str(line);
            continue;
        };
        let title = title.trim_end().trim_matches('"');
        let said = match title {
            "NAME" => t!("man.section.name"),
            "SYNOPSIS" => t!("man.section.synopsis"),
            "DESCRIPTION" => t!("man.section.description"),
            "OPTIONS" => t!("man.section.options"),
            "SUBCOMMANDS" => t!("man.section.subcommands"),
            "EXTRA" => t!("man.section.extra"),
            "VERSION" => t!("man.section.version"),
            "AUTHORS" => t!("man.section.authors"),
            t if t == commands => t!("man.section.subcommands"),
            t if t == options => t!("man.section.options"),
            t if t == arguments => t!("man.section.arguments"),
            t => t.to_string().into(),
        };
        if said.contains(' ') {
            page.push_str(&format!(".SH \"{said}\"\n"));
        } else {
            page.push_str(&format!(".SH {said}\n"));
        }
    }
    Ok(page)
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
    // Written whole and never through a link; readable by all, as man pages are.
    let written = crate::outfile::PendingFile::create_with_mode(&path, 0o644).and_then(|mut f| {
        f.write_all(render(man)?.as_bytes())?;
        f.commit(true)?;
        Ok(())
    });
    written.with_context(|| t!("man.cannot_write", path = path.display()).into_owned())?;
    Ok(n + 1)
}
