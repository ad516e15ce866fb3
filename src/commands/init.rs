//! `nuanfeng init`: create the registry file, optionally seeded with the official streets of
//! one county-level district from the built-in NBS 统计用区划代码 list.

use anyhow::Result;
use clap::Args;
use rust_i18n::t;

use super::Ctx;
use crate::db::{Db, places};
use crate::divisions;

/// Create a registry file (readable by its owner only) and seed streets.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng init --district 140106           山西省太原市迎泽区: its 7 streets with their codes
  nuanfeng init --district 太原市迎泽区       the same, by name
  nuanfeng --db 台账/2025.db init           an empty registry; add streets with `import streets`

Running init on an existing registry only adds what is missing.")]
pub struct InitArgs {
    /// A county-level district whose official streets (9-digit codes) to add: its 6-digit
    /// code (140106) or its name (迎泽区); a name shared by several districts is refused
    /// with the list of their codes
    #[arg(long, value_name = "CODE|NAME")]
    pub district: Option<String>,
}

/// Runs `init`. A registry file this run created is removed again when seeding it fails (a
/// full disk), so that the error's "nothing was changed" holds.
pub fn run(ctx: &Ctx, args: InitArgs) -> Result<()> {
    // Find the district before creating anything, so a typo leaves no file behind.
    let district = args
        .district
        .as_deref()
        .map(divisions::find_district)
        .transpose()?;
    // An empty file (made by `touch`, or by a program that gave up) is not a registry yet.
    let existed = std::fs::metadata(&ctx.db_path).is_ok_and(|m| m.len() > 0);
    let mut db = ctx.open_or_create()?;
    if existed {
        ctx.note(t!("db.init.exists", path = ctx.db_path.display()));
    }
    let seeded = match district
        .map(|d| seed(&mut db, &d).map(|n| (d, n)))
        .transpose()
    {
        Ok(seeded) => seeded,
        Err(e) => {
            // Explained while the file is still there to be looked at (read-only, full …).
            let e = ctx.explain(e);
            let _ = db.remove_if_created();
            return Err(e);
        }
    };
    // A new file is announced once it holds what was asked: a failed init removes it.
    if !existed {
        ctx.note(t!("db.init.created", path = ctx.db_path.display()));
    }
    if let Some((d, (streets, new))) = seeded {
        ctx.note(t!(
            "db.init.seeded",
            district = d.full_name(),
            code = d.code,
            streets = streets,
            new = new
        ));
    }
    Ok(())
}

/// Adds the official streets of `d` to the registry, in one transaction; returns how many
/// streets `d` has and how many of them were new.
fn seed(db: &mut Db, d: &divisions::District) -> Result<(usize, u64)> {
    let streets: Vec<(String, String)> = divisions::streets_of(&d.code)
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    let tx = db.begin_write()?;
    let new = places::seed_streets(&tx, &d.code, &streets)?;
    tx.commit()?;
    Ok((streets.len(), new))
}
