//! The `nuanfeng` binary: parse the command line, run it, and map the outcome to an exit
//! code: 0 success, 1 refused input or failure, 2 usage error.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use nuanfeng::cli::Cli;
use nuanfeng::commands::{self, Silent, UsageError};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A reader that stops early (`| head`) is not a failure.
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) || e.to_string().contains("Broken pipe");
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            if e.is::<Silent>() {
                return ExitCode::from(1);
            }
            // stderr may itself be a closed pipe: never panic over a message.
            let _ = writeln!(std::io::stderr(), "error: {e:#}");
            if e.is::<UsageError>() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// mimalloc: the import's reader thread allocates what the writer thread frees, a pattern
/// the system allocator handles slowly.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
