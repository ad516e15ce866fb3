//! The monthly report as an Excel workbook.

use std::path::Path;

use anyhow::Result;

use super::StreetReport;
use super::render::{Lang, Table};

/// The bulletin sheet of the workbook: a title, the table of figures, and the bulletin's
/// sentences (one paragraph per element).
#[derive(Debug, Clone, Default)]
pub struct BulletinSheet {
    /// The title line, e.g. `迎泽区新就业群体党建工作简报（2025年7月）`.
    pub title: String,
    /// The bulletin's figures (item, this period, year to date).
    pub table: Table,
    /// The sentences, one paragraph per element.
    pub paragraphs: Vec<String>,
}

/// Writes the workbook of a per-street report to `path` (a new `.xlsx` file): the
/// per-street sheet, the bulletin sheet when given, and a chart of check-ins and reports per
/// street.
pub fn write_workbook(
    path: &Path,
    streets: &StreetReport,
    bulletin: Option<&BulletinSheet>,
    lang: Lang,
) -> Result<()> {
    let _ = (path, streets, bulletin, lang);
    anyhow::bail!("--format xlsx is not built yet")
}
