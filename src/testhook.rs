//! Test hook, not a feature: `NUANFENG_KILL_AT=<point>` makes the process kill itself
//! (SIGKILL on unix, so no destructor, no rollback and no flush runs) when it reaches that
//! point, so the crash tests (`tests/reliability/crash.rs`) can stop an import at a known place and show
//! that the registry file survives. The variable is read once; without it every point is a
//! comparison and nothing else. Users never set it, and it is not in `--help`.
//!
//! Points:
//! - `import:after-batch-recorded`: the `import_batches` row is inserted, no rows yet;
//! - `import:rows:N`: the Nth data row of the file has been stored (N counts from 1); an
//!   identical re-import answered from the registry stores no row and never reaches it;
//! - `import:before-commit`: every row, the rollup and the batch's counts are written, the
//!   transaction is not committed;
//! - `import:after-commit`: committed, before the summary is printed;
//! - `purge:after-commit`: `worker purge` committed (its erasure recorded as pending), before
//!   its VACUUM; `purge:after-vacuum`: the VACUUM done, the pending erasure not yet cleared;
//! - `backup:after-step`: the first step of a backup's copy (only a registry larger than one
//!   step reaches it); `backup:before-rename`: the copy whole and checked, under its
//!   temporary name;
//! - `restore:after-copy`: the backup copied beside the registry under a temporary name;
//!   `restore:after-kept`: the registry's `before-restore` copy made, before the rename;
//! - `upgrade:before-backup-rename`: the `.vN.bak` copy whole under its temporary name;
//!   `upgrade:after-backup`: the copy named, the migrations not begun;
//!   `upgrade:before-commit`: the migrations run, not committed;
//! - `files:before-rename`: any file written through `outfile::PendingFile` (a backup, a
//!   restore's copies, an upgrade copy, an export, a rejects file), flushed under its
//!   temporary name, the first time one reaches its rename.

use std::sync::OnceLock;

/// The environment variable naming the point to die at.
pub const KILL_AT_VAR: &str = "NUANFENG_KILL_AT";

/// Where to die, as read from [`KILL_AT_VAR`].
#[derive(Debug, PartialEq, Eq)]
enum KillAt {
    /// A named point.
    Point(String),
    /// After the Nth row of an import.
    Row(u64),
}

fn kill_at() -> Option<&'static KillAt> {
    static AT: OnceLock<Option<KillAt>> = OnceLock::new();
    AT.get_or_init(|| {
        let v = std::env::var(KILL_AT_VAR).ok()?;
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        Some(
            match v.strip_prefix("import:rows:").map(str::parse::<u64>) {
                Some(Ok(n)) => KillAt::Row(n),
                _ => KillAt::Point(v.to_string()),
            },
        )
    })
    .as_ref()
}

/// Dies here when [`KILL_AT_VAR`] names `point`.
pub fn kill_point(point: &str) {
    if let Some(KillAt::Point(p)) = kill_at()
        && p == point
    {
        die();
    }
}

/// Dies here when [`KILL_AT_VAR`] is `import:rows:N` and `row` is N.
pub fn kill_after_row(row: u64) {
    if let Some(KillAt::Row(n)) = kill_at()
        && *n == row
    {
        die();
    }
}

/// Ends the process at once, as a power cut or `kill -9` would: SIGKILL on unix, an abort
/// elsewhere (no destructor or exit handler runs in either case).
fn die() -> ! {
    #[cfg(unix)]
    {
        use rustix::process::{Signal, getpid, kill_process};
        let _ = kill_process(getpid(), Signal::KILL);
    }
    std::process::abort()
}
