//! The integration tests, one crate: the real `nuanfeng` binary run in a temporary folder on
//! the registers of `tests/fixtures/` (one folder per messy-register case, a small district
//! whose report figures are worked out by hand, overlapping check-in exports, …). Each test
//! asserts exit codes, the messages on stderr (file:line, column, masked values), the JSON on
//! stdout, and where useful the rows of the database file itself. A few call the library
//! directly (`nuanfeng::…`), each module listing those paths in its `use` lines.
//!
//! Organised by behaviour; `util` is the harness and the fixture builders. The tests run as
//! threads of one process: nothing here may change the process's environment or current
//! folder — a command's environment is set on that command ([`util::TestCommand::env`]).

// The expected report rows are `json!` literals of every figure, deeper than the default.
#![recursion_limit = "256"]

mod cli;
mod cycle;
mod import;
mod ledger;
mod merge;
mod privacy;
mod records;
mod regression;
mod reliability;
mod reports;
mod util;
