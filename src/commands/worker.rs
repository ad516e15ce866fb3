//! `nuanfeng worker …`: the people of the register.

use std::io::Write;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::{Ctx, period, shown_id, shown_phone, street_filter};
use crate::cli::OutputArgs;
use crate::db::queries;
use crate::model::{Gender, Occupation, PoliticalStatus, Vocabulary};
use crate::report::render::{Table, count, or_dash, render};

/// Worker commands.
#[derive(Debug, Subcommand)]
pub enum WorkerCommand {
    /// List workers (身份证号 and 手机号 masked unless --show-pii)
    #[command(after_long_help = "Examples:
  nuanfeng worker list
  nuanfeng worker list --street 柳巷街道 --month 2025-07
  nuanfeng worker list --format json --show-pii > workers.json

JSON: an array of {name, gender, phone, id_number, political_status, occupation,
enterprise, station, street, community}; enum values are English codes
(party_member, courier …); missing values are null.")]
    List(ListArgs),
}

/// `worker list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only workers of this street (any common spelling: 柳巷, 柳巷街道办事处 …)
    #[arg(long)]
    pub street: Option<String>,

    /// Only workers working at the end of this month (YYYY-MM)
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,

    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// One worker in `worker list --format json`.
#[derive(Debug, Serialize)]
pub struct WorkerJson {
    /// 姓名.
    pub name: String,
    /// `male` / `female`.
    pub gender: Option<String>,
    /// 手机号, masked unless `--show-pii`.
    pub phone: Option<String>,
    /// 身份证号, masked unless `--show-pii`.
    pub id_number: Option<String>,
    /// Code of 政治面貌.
    pub political_status: Option<String>,
    /// Code of 从业类型.
    pub occupation: String,
    /// 所属企业.
    pub enterprise: Option<String>,
    /// 所属站点.
    pub station: Option<String>,
    /// 所属街道.
    pub street: String,
    /// 所属社区.
    pub community: Option<String>,
}

fn label<V: Vocabulary>(code: Option<&str>) -> String {
    or_dash(code.and_then(V::from_code).map(|v| v.label()))
}

/// Runs a worker command.
pub fn run(ctx: &Ctx, cmd: WorkerCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        WorkerCommand::List(a) => {
            let on = period(a.month.as_deref(), None, None)?.map(|p| p.to);
            let db = ctx.open()?;
            let street = street_filter(&db, a.street.as_deref())?;
            let rows = queries::workers(&db.conn, street, on.as_deref())?;
            let pii = a.output.show_pii;
            let json: Vec<WorkerJson> = rows
                .iter()
                .map(|r| WorkerJson {
                    name: r.name.clone(),
                    gender: r.gender.clone(),
                    phone: shown_phone(r.phone.as_deref(), pii),
                    id_number: shown_id(r.id_number.as_deref(), pii),
                    political_status: r.political_status.clone(),
                    occupation: r.occupation.clone(),
                    enterprise: r.enterprise.clone(),
                    station: r.station.clone(),
                    street: r.street.clone(),
                    community: r.community.clone(),
                })
                .collect();
            let mut t = Table::new(
                &[
                    "姓名",
                    "性别",
                    "手机号",
                    "身份证号",
                    "政治面貌",
                    "从业类型",
                    "所属企业",
                    "所属站点",
                    "所属街道",
                    "所属社区",
                ],
                &[],
            );
            for (r, j) in rows.iter().zip(&json) {
                t.rows.push(vec![
                    r.name.clone(),
                    label::<Gender>(r.gender.as_deref()),
                    or_dash(j.phone.as_deref()),
                    or_dash(j.id_number.as_deref()),
                    label::<PoliticalStatus>(r.political_status.as_deref()),
                    label::<Occupation>(Some(&r.occupation)),
                    or_dash(r.enterprise.as_deref()),
                    or_dash(r.station.as_deref()),
                    r.street.clone(),
                    or_dash(r.community.as_deref()),
                ]);
            }
            render(out, a.output.format, &json, &t)?;
            ctx.note(count(rows.len() as u64, "worker", "workers"));
            Ok(())
        }
    }
}
