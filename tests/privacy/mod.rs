//! Privacy (PIPL): 身份证号 and 手机号 masked in every output unless `--show-pii`, never shown
//! for any bad input, the access log of `--show-pii`, and `worker purge`.

mod access_log;
mod masking;
mod pii;
mod purge;

use crate::util::Dir;

fn accesses(d: &Dir) -> Vec<Vec<Option<String>>> {
    d.rows("SELECT command, operator, length(at) FROM pii_access ORDER BY id")
}
