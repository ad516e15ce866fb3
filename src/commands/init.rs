//! `nuanfeng init`: create the registry file, optionally seeded with the official streets and
//! communities (村/社区) of one county-level district from the built-in NBS 统计用区划代码 list.
//! A registry is one district's: a second district is refused unless `--multi-district` says
//! the registry is meant to span several.

use anyhow::Result;
use clap::Args;
use rust_i18n::t;

use super::Ctx;
use crate::db::{Db, places};
use crate::divisions;

/// Create a registry file (readable by its owner only) and seed streets.
#[derive(Debug, Args)]
#[command(after_long_help = "Examples:
  nuanfeng init --district 140106           山西省太原市迎泽区: its 7 streets and 112 communities with their codes
  nuanfeng init --district 太原市迎泽区       the same, by name
  nuanfeng --db 台账/2025.db init           an empty registry; add streets with `import streets`
  nuanfeng init --district 140105 --multi-district
                                            add 小店区 to a registry of 迎泽区

Running init on an existing registry only adds what is missing.")]
pub struct InitArgs {
    /// A county-level district whose official streets (9-digit codes) and communities
    /// (12-digit codes) to add: its 6-digit code (140106) or its name (迎泽区); a name shared
    /// by several districts is refused with the list of their codes
    #[arg(long, value_name = "CODE|NAME")]
    pub district: Option<String>,

    /// The registry is meant to span several districts: add the district given with
    /// --district beside the one already there (without it, a second district is refused)
    #[arg(long, requires = "district")]
    pub multi_district: bool,
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
        // A registry other users can read (copied, or made by an older build's umask) is
        // made private; an upgrade on opening may have done it already.
        if db.tightened().is_none() {
            db.tighten()?;
            if let Some(mode) = db.tightened() {
                ctx.note(t!(
                    "files.mode.tightened",
                    path = ctx.db_path.display(),
                    mode = format_args!("{mode:o}")
                ));
            }
        }
    }
    let seeded = match district
        .map(|d| seed(&mut db, &d, args.multi_district).map(|n| (d, n)))
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
    if let Some((d, s)) = seeded {
        ctx.note(t!(
            "places.init.seeded",
            district = d.full_name(),
            code = d.code,
            streets = s.streets,
            new = s.new_streets,
            communities = s.communities,
            new_communities = s.new_communities
        ));
    }
    Ok(())
}

/// What seeding a district did: how many streets and communities it has, how many were new.
struct Seeded {
    streets: usize,
    new_streets: u64,
    communities: usize,
    new_communities: u64,
}

/// Adds the official streets and communities of `d` to the registry, in one transaction.
/// Communities first typed in a register (no code) get the official code and name of the
/// one they match (`宁化府社区` → 宁化府社区居委会, 140106001002).
///
/// Errors: the registry holds streets of other districts only and `multi` is false (nothing
/// is written); the database failed.
fn seed(db: &mut Db, d: &divisions::District, multi: bool) -> Result<Seeded> {
    let streets: Vec<(String, String)> = divisions::streets_of(&d.code)
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    let codes: Vec<&str> = streets.iter().map(|(c, _)| c.as_str()).collect();
    let communities = divisions::communities_of(&codes)?;
    let tx = db.begin_write()?;
    let present = places::district_codes(&tx)?;
    let others: Vec<divisions::District> = present
        .iter()
        .filter(|c| **c != d.code)
        .filter_map(|c| divisions::district(c))
        .collect();
    // The registry's own district again is harmless: it only adds what is missing.
    if !others.is_empty() && !present.contains(&d.code) && !multi {
        let registry: Vec<String> = others
            .iter()
            .map(|o| {
                t!(
                    "places.district_with_code",
                    name = o.full_name(),
                    code = o.code
                )
                .into_owned()
            })
            .collect();
        anyhow::bail!(
            "{}",
            t!(
                "places.init.another_district",
                registry = registry.join(&t!("records.list_separator")),
                district = d.full_name(),
                code = d.code,
                name = d.name
            )
        );
    }
    let new_streets = places::seed_streets(&tx, &d.code, &streets)?;
    let new_communities = places::seed_communities(&tx, &communities)?;
    tx.commit()?;
    Ok(Seeded {
        streets: streets.len(),
        new_streets,
        communities: communities.len(),
        new_communities,
    })
}
