//! Registers are snapshots: a workers or stations register lists who (which stations) a street
//! office has as it stands, so the people (stations) on record in the streets a file covers
//! that no row of it names have most likely gone. The sink finds them after the last row of a
//! file ([`Store::missing`](super::Store::missing)) and, when asked, records the workers among
//! them as left; these types carry what it found to the layer that says so.

use chrono::NaiveDate;

/// A worker or station on record, current, in a street the register covers, that no row of
/// the register names. Numbers are in full: whoever shows them masks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absent {
    /// Row id of the worker or station.
    pub id: i64,
    /// 姓名, or the station's name.
    pub name: String,
    /// 身份证号 in full (workers).
    pub id_number: Option<String>,
    /// 手机号 in full (workers).
    pub phone: Option<String>,
    /// 所属站点 (workers).
    pub station: Option<String>,
    /// 所属街道.
    pub street: String,
    /// Current workers on record at the station (stations): those without a 离职日期.
    pub workers: Option<u64>,
}

/// What [`Store::missing`](super::Store::missing) found after the last row of a register.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Missing {
    /// The streets the register covers — the streets its stored rows name — by name, in the
    /// order of their official codes.
    pub streets: Vec<String>,
    /// Who (which stations) of those streets is on record and current but named by no row,
    /// ordered by street and name. Current: a worker with no 离职日期 and not purged.
    pub absent: Vec<Absent>,
    /// The 离职日期 the absent workers were given in the file's batch, when the user asked;
    /// `None`: listed only.
    pub left_on: Option<NaiveDate>,
    /// The absent workers who could not be given that 离职日期, as indexes into `absent`
    /// with the problem (a check-in after it …). When any is here nobody was marked, and the
    /// import must not land.
    pub refused: Vec<(usize, String)>,
    /// The workers recorded as left whom a row without a 离职日期 named (workers registers):
    /// the row's other values were taken, the 离职日期 stays — said after the summary, never
    /// changed unseen. In the order of the rows.
    pub departed: Vec<Departed>,
}

/// A worker recorded as left whom a register row without a 离职日期 named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departed {
    /// The worker as stored after the row: 姓名, numbers in full, station and street.
    pub who: Absent,
    /// The 离职日期 on record, `YYYY-MM-DD`.
    pub left_on: String,
    /// The 姓名 alone names this worker to `worker rejoin` (no other worker who left has it):
    /// the hint may give the name rather than a number.
    pub by_name: bool,
}
