//! The `nuanfeng` binary: parse the command line, run it, and map the outcome to an exit
//! code: 0 success, 1 refused input or failure, 2 usage error.

use std::process::ExitCode;

use clap::Parser;
use nuanfeng::cli::Cli;
use nuanfeng::commands::{self, Silent, UsageError};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            if e.is::<Silent>() {
                return ExitCode::from(1);
            }
            eprintln!("error: {e:#}");
            if e.is::<UsageError>() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
