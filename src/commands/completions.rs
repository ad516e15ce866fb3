//! `nuanfeng completions SHELL`: the shell completion script (clap_complete) on stdout. It
//! needs no registry.

use std::io::Write;

use anyhow::Result;
use clap::Args;

/// `completions`.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng completions bash > ~/.local/share/bash-completion/completions/nuanfeng
  nuanfeng completions zsh > ~/.zfunc/_nuanfeng
  nuanfeng completions fish > ~/.config/fish/completions/nuanfeng.fish
  nuanfeng completions powershell >> $PROFILE

The script completes commands, subcommands and flags (and the values of flags with a fixed
list, such as --format); open a new shell after installing it.")]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the completion script of `shell` for `cmd` (the whole command line, as the
/// dispatcher passes it) to `out`.
pub fn run(a: CompletionsArgs, mut cmd: clap::Command, out: &mut dyn Write) -> Result<()> {
    // clap_complete panics when its writer fails: it writes to memory, and a closed pipe
    // (`| head`) is then an ordinary error of ours.
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "nuanfeng", &mut script);
    out.write_all(&script)?;
    Ok(())
}
