//! The `nuanfeng` binary: parse the command line, run it, and map the outcome to an exit
//! code: 0 success, 1 refused input or failure, 2 usage error.

use std::io::Write;
use std::process::ExitCode;

use clap::FromArgMatches;
use nuanfeng::cli::Cli;
use nuanfeng::exit::{Silent, UsageError};
use nuanfeng::i18n;

fn main() -> ExitCode {
    // Memory in 4 KiB pages rather than 2 MiB ones: with transparent huge pages a little
    // heap touched here and there counts as whole 2 MiB pages, and an import's peak memory
    // would grow by a third. Where the system refuses, nothing changes.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    // The default hook prints the panic's message, and a message may quote a cell (a string
    // sliced at the wrong place prints the string): a 身份证号 or 手机号 must not reach the
    // terminal that way. Only where it happened is shown.
    std::panic::set_hook(Box::new(|info| {
        // calamine's panics on a damaged workbook are caught and reported as such.
        if nuanfeng::exit::reading_workbook() {
            return;
        }
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()));
        let _ = writeln!(std::io::stderr(), "{}", i18n::internal_error(at));
    }));
    // For the test suite (tests/privacy/pii.rs): proves the hook by panicking with this text.
    if let Some(text) = std::env::var_os("NUANFENG_TEST_PANIC") {
        panic!("{}", text.to_string_lossy());
    }
    // The language is known before parsing, so that the help is built in it.
    let env_lang = std::env::var_os("NUANFENG_LANG");
    i18n::set(i18n::choose(std::env::args_os().skip(1), env_lang.clone()));
    let by_flag = i18n::from_args(std::env::args_os().skip(1)).is_some();
    if let Some(warning) = i18n::unknown_env_warning(env_lang.as_deref()).filter(|_| !by_flag) {
        let _ = writeln!(std::io::stderr(), "{warning}");
    }
    let parsed = nuanfeng::cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        // Help and version go to stdout as they are. An error repeats the argument clap could
        // not place, which may be a 手机号 or 身份证号: its numbers are masked.
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = write!(std::io::stderr(), "{}", e.render());
            return ExitCode::from(2);
        }
        Err(e) => {
            // Escaped too: an argument may hold control characters.
            let text = nuanfeng::exit::mask_all_numbers(&nuanfeng::cli::usage_error(&e));
            let text = nuanfeng::exit::terminal_safe(&text);
            let _ = write!(std::io::stderr(), "{text}");
            return ExitCode::from(2);
        }
    };
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A reader that stops early (`| head`) is not a failure: told by the I/O error's
            // kind, wherever it is in the chain (the CSV and JSON writers wrap it).
            let broken_pipe = e
                .chain()
                .any(|c| nuanfeng::exit::io_error_kind(c) == Some(std::io::ErrorKind::BrokenPipe));
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            if e.is::<Silent>() {
                return ExitCode::from(1);
            }
            // stderr may itself be a closed pipe: never panic over a message.
            // No error message shows a full 手机号 or 身份证号, whatever its source.
            let message = nuanfeng::exit::mask_numbers(&format!("{e:#}"));
            let _ = writeln!(std::io::stderr(), "{}", i18n::error_line(&message));
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
