//! The program as a command line: `init` and the registry file it makes, usage errors, the
//! demo, `--help`, completions and man pages.

mod completions;
mod demo;
mod help;
mod init;
mod mistakes;
mod usage;
