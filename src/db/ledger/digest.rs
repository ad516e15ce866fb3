//! The ledger's digest: the anchor of the seal chain outside the file. The chain alone can be
//! recomputed by anyone who changes the file (its seals have no key), so a change that is
//! resealed, or the newest entries cut off, passes the check of the seals. A digest names how
//! many entries it covers and the head of the chain after them (`820:3f2a9b0c1d2e3f40`); it
//! is printed at the foot of every report and written into every workbook and document, so
//! copies of it live outside the file. [`verify`] recomputes the chain over that many entries
//! from their columns (never trusting a stored seal) and says whether the ledger up to there
//! is the one the digest was taken of, however many entries were appended since.
//!
//! This module must not write: a digest is read, never stored by the ledger itself.

use std::fmt;
use std::str::FromStr;

use anyhow::Result;
use rusqlite::types::ValueRef;

use super::seal::{SEALED_COLUMNS, seal_of};
use crate::db::Reader;

/// How many hex digits of the head seal a digest keeps: 64 bits, so a forged ledger with the
/// same digest takes about 2⁶⁴ tries, while the digest stays short enough to copy by hand.
pub const HEAD_HEX: usize = 16;

/// The digest of the ledger's first `entries` entries (in the order of their numbers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// How many entries it covers.
    pub entries: u64,
    /// The first [`HEAD_HEX`] hex digits (lower case) of the seal of the last entry covered;
    /// all zeros for an empty ledger.
    pub head: String,
}

impl fmt::Display for Digest {
    /// `ENTRIES:HEAD`, e.g. `820:3f2a9b0c1d2e3f40`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.entries, self.head)
    }
}

/// A text that is not a digest (`--digest` names it in its usage error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADigest;

impl FromStr for Digest {
    type Err = NotADigest;

    /// `ENTRIES:HEAD` as [`Display`](fmt::Display) writes it, or the whole footer line
    /// (`账本摘要 820:3f2a9b0c1d2e3f40`: the last word is read); the head in either case.
    fn from_str(s: &str) -> Result<Self, NotADigest> {
        let word = s.split_whitespace().last().ok_or(NotADigest)?;
        let (entries, head) = word.split_once(':').ok_or(NotADigest)?;
        let entries_ok = !entries.is_empty() && entries.bytes().all(|b| b.is_ascii_digit());
        let head_ok = head.len() == HEAD_HEX && head.bytes().all(|b| b.is_ascii_hexdigit());
        if !(entries_ok && head_ok) {
            return Err(NotADigest);
        }
        Ok(Self {
            entries: entries.parse().map_err(|_| NotADigest)?,
            head: head.to_ascii_lowercase(),
        })
    }
}

impl Digest {
    /// The digest of `entries` entries whose last seal is `seal` (`None` for none).
    fn of(entries: u64, seal: Option<&str>) -> Self {
        let head = match seal {
            Some(s) => s.chars().take(HEAD_HEX).collect(),
            None => "0".repeat(HEAD_HEX),
        };
        Self { entries, head }
    }
}

/// The digest of the whole ledger as it is now: its number of entries and the stored seal of
/// the newest one (the chain is recomputed only when that entry has no seal, which
/// `points check` reports).
///
/// The number is read from the ends of the entries' numbers (`max(id) - min(id) + 1`, two
/// seeks), not counted: entries are never deleted (the `point_entries_no_delete` trigger) and
/// each takes the next number, so the numbers have no gaps. A gap made around nuanfeng breaks
/// the seal chain, which `points check` names, and a digest taken of such a file does not
/// verify. Counting would read the whole of an index on every command that opens the
/// registry (24 ms warm, 270 ms cold at 1,000,000 entries).
///
/// Errors: database errors.
pub fn digest(db: &impl Reader) -> Result<Digest> {
    let conn = db.conn().0;
    let (span, seal): (i64, Option<String>) = conn.query_row(
        "SELECT coalesce((SELECT max(id) FROM point_entries)
                         - (SELECT min(id) FROM point_entries) + 1, 0),
                (SELECT seal FROM ledger_seals
                 WHERE entry_id = (SELECT max(id) FROM point_entries))",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let count = u64::try_from(span).unwrap_or(0);
    match seal {
        Some(s) => Ok(Digest::of(count, Some(&s))),
        None if count == 0 => Ok(Digest::of(0, None)),
        None => Ok(recompute(db, count)?.unwrap_or_else(|| Digest::of(0, None))),
    }
}

/// The chain recomputed from the columns of the first `entries` entries, in the order of
/// their numbers; `None` when the ledger holds fewer.
fn recompute(db: &impl Reader, entries: u64) -> Result<Option<Digest>> {
    let conn = db.conn().0;
    let mut stmt = conn.prepare(&format!(
        "SELECT {SEALED_COLUMNS} FROM point_entries ORDER BY id LIMIT ?1"
    ))?;
    let mut rows = stmt.query([i64::try_from(entries).unwrap_or(i64::MAX)])?;
    let mut previous: Option<String> = None;
    let mut seen = 0u64;
    while let Some(r) = rows.next()? {
        let values: Vec<ValueRef<'_>> = (0..17).map(|i| r.get_ref(i)).collect::<Result<_, _>>()?;
        previous = Some(seal_of(previous.as_deref(), &values));
        seen += 1;
    }
    if seen < entries {
        return Ok(None);
    }
    Ok(Some(Digest::of(entries, previous.as_deref())))
}

/// What [`verify`] found when the ledger is not the one a digest was taken of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The ledger holds fewer entries than the digest covers (entries were removed).
    Short {
        /// The entries it holds.
        holds: u64,
    },
    /// The first entries recompute to another head: one of them was changed, removed or
    /// inserted (which one cannot be known from a digest).
    Differs {
        /// The head they recompute to.
        head: String,
    },
}

/// Checks that the ledger's first `d.entries` entries are the ones `d` was taken of:
/// recomputes their chain from their columns, ignoring the stored seals, and compares the
/// head. Entries appended after the digest was taken are not read. `None` when they match.
///
/// Errors: database errors.
pub fn verify(db: &impl Reader, d: &Digest) -> Result<Option<Mismatch>> {
    if d.entries == 0 {
        let empty = Digest::of(0, None);
        return Ok((d.head != empty.head).then_some(Mismatch::Differs { head: empty.head }));
    }
    match recompute(db, d.entries)? {
        None => {
            let conn = db.conn().0;
            let holds: i64 =
                conn.query_row("SELECT count(*) FROM point_entries", [], |r| r.get(0))?;
            Ok(Some(Mismatch::Short {
                holds: u64::try_from(holds).unwrap_or(0),
            }))
        }
        Some(now) if now.head == d.head => Ok(None),
        Some(now) => Ok(Some(Mismatch::Differs { head: now.head })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_reads_back_from_its_text_and_its_footer_line() {
        let d = Digest {
            entries: 820,
            head: "3f2a9b0c1d2e3f40".into(),
        };
        assert_eq!(d.to_string(), "820:3f2a9b0c1d2e3f40");
        assert_eq!("820:3f2a9b0c1d2e3f40".parse(), Ok(d.clone()));
        assert_eq!("账本摘要 820:3F2A9B0C1D2E3F40\n".parse(), Ok(d.clone()));
        assert_eq!("ledger digest 820:3f2a9b0c1d2e3f40".parse(), Ok(d));
        for bad in [
            "",
            "820",
            "820:3f2a",
            ":3f2a9b0c1d2e3f40",
            "-1:3f2a9b0c1d2e3f40",
            "820:3f2a9b0c1d2e3f4g",
            "820:3f2a9b0c1d2e3f40aa",
        ] {
            assert_eq!(bad.parse::<Digest>(), Err(NotADigest), "{bad}");
        }
    }
}
