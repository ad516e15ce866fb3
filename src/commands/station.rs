//! `nuanfeng station …`: the stations register.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::{Ctx, shown_phone, street_filter};
use crate::cli::OutputArgs;
use crate::db::queries;
use crate::model::{StationKind, Vocabulary};
use crate::report::render::{Table, count, or_dash, render};

/// Station commands.
#[derive(Debug, Subcommand)]
pub enum StationCommand {
    /// List stations (contact numbers masked unless --show-pii)
    #[command(after_long_help = "Examples:
  nuanfeng station list
  nuanfeng station list --street 郝庄镇 --format csv > 郝庄站点.csv

JSON: an array of {name, kind, enterprise, street, community, address, contact_name,
contact_phone, facilities, declared_workers, workers}; kind is courier_station,
logistics_firm, rider_hub or rest_station; facilities a list; workers counts the registered
workers of the station who have not left.")]
    List(ListArgs),
}

/// `station list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only stations of this street
    #[arg(long)]
    pub street: Option<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// One station in `station list --format json`.
#[derive(Debug, Serialize)]
pub struct StationJson {
    /// 站点名称.
    pub name: String,
    /// Kind code.
    pub kind: String,
    /// 所属企业.
    pub enterprise: Option<String>,
    /// 所属街道.
    pub street: String,
    /// 所属社区.
    pub community: Option<String>,
    /// 地址.
    pub address: Option<String>,
    /// 联系人.
    pub contact_name: Option<String>,
    /// 联系电话 (masked unless `--show-pii`).
    pub contact_phone: Option<String>,
    /// 服务设施.
    pub facilities: Vec<String>,
    /// 从业人数 as the register states it.
    pub declared_workers: Option<i64>,
    /// Registered workers who have not left.
    pub workers: i64,
}

/// Runs a station command.
pub fn run(ctx: &Ctx, cmd: StationCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        StationCommand::List(a) => {
            let db = ctx.open()?;
            let street = street_filter(&db, a.street.as_deref())?;
            let json: Vec<StationJson> = queries::stations(&db.conn, street)?
                .into_iter()
                .map(|r| StationJson {
                    contact_phone: shown_phone(r.contact_phone.as_deref(), a.output.show_pii),
                    name: r.name,
                    kind: r.kind,
                    enterprise: r.enterprise,
                    street: r.street,
                    community: r.community,
                    address: r.address,
                    contact_name: r.contact_name,
                    facilities: r.facilities,
                    declared_workers: r.declared_workers,
                    workers: r.workers,
                })
                .collect();
            let mut t = Table::new(
                &[
                    "站点名称",
                    "站点类型",
                    "所属企业",
                    "所属街道",
                    "所属社区",
                    "联系人",
                    "联系电话",
                    "服务设施",
                    "从业人员",
                ],
                &[false, false, false, false, false, false, false, false, true],
            );
            for j in &json {
                t.rows.push(vec![
                    j.name.clone(),
                    StationKind::from_code(&j.kind)
                        .map_or(j.kind.clone(), |k| k.label().to_string()),
                    or_dash(j.enterprise.as_deref()),
                    j.street.clone(),
                    or_dash(j.community.as_deref()),
                    or_dash(j.contact_name.as_deref()),
                    or_dash(j.contact_phone.as_deref()),
                    j.facilities.join("、"),
                    j.workers.to_string(),
                ]);
            }
            render(out, a.output.format, &json, &t)?;
            ctx.note(count(json.len() as u64, "station", "stations"));
            Ok(())
        }
    }
}
