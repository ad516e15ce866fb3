//! `nuanfeng merchant …`: partner merchants (爱心商家/合作单位) — the list per street, and upkeep
//! at the terminal (add, update, end) through exactly the validation of an imported row.

use std::io::Write;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use rust_i18n::t;
use serde::Serialize;

use super::args::OutputArgs;
use super::{Ctx, UsageError, shown_phone, stored_errors, street_filter, typed_errors};
use crate::db::merchants::{
    self, MerchantFilter, MerchantLoader, MerchantRow, end_merchant, find_merchant,
};
use crate::i18n::Lang;
use crate::import::validate::{self, Cells};
use crate::model::normalize;
use crate::model::{Field, MerchantKind, Outcome, Vocabulary};
use crate::report::render::{Table, or_dash};

/// Partner-merchant commands.
#[derive(Debug, Subcommand)]
pub enum MerchantCommand {
    /// List partner merchants by street (contact numbers masked unless --show-pii)
    #[command(after_long_help = "Examples:
  nuanfeng merchant list --street 庙前街道 --kind 理发
  nuanfeng merchant list --on 2025-07-31
  nuanfeng merchant list --format csv > 爱心商家.csv

Listed by street, kind and name; standard error gives the count of each street and in all.
--on lists the merchants in force that day (no start or one on or before it, no end or one
on or after it).

JSON: an array of {id, name, kind, street, community, address, offer, contact_name,
contact_phone, since_on, until_on}; kind is barber, catering, repair, legal, medical or
other; dates YYYY-MM-DD; missing values are null; contact_phone masked unless --show-pii.")]
    List(ListArgs),
    /// Register one partner merchant (same rules as a row of the merchants register)
    #[command(after_long_help = "Examples:
  nuanfeng merchant add --name 庙前街鑫发理发店 --street 庙前街道 --kind 理发 \\
      --offer 凭暖蜂卡理发八折 --since 2025-05-01
  nuanfeng merchant add --name 山西晋阳律师事务所 --street 柳巷 --kind 律师事务所 \\
      --offer 每周三免费法律咨询 --contact-name 郭律师 --contact-phone 0351-4021234

Kinds: 理发, 餐饮, 维修, 法律服务, 医疗, 其他 (or the codes barber, catering, repair, legal,
medical, other, and usual names such as 理发店, 律师事务所, 诊所). A merchant is its name
within its street; one already registered there is refused: use merchant update. The end
(--until) may not be before the start (--since).")]
    Add(AddArgs),
    /// Change a merchant's entry: the values given replace the registered ones
    #[command(after_long_help = "Examples:
  nuanfeng merchant update 庙前街鑫发理发店 --offer 凭暖蜂卡理发七折
  nuanfeng merchant update 老王电动车维修 --street 郝庄镇 --contact-phone 13546021873

Values not given stay as they are. Name and street identify a merchant and are not changed
here.")]
    Update(UpdateArgs),
    /// End a merchant's agreement: its 截止日期
    #[command(after_long_help = "Examples:
  nuanfeng merchant end 柳巷法律援助工作站 --date 2025-09-30
  nuanfeng merchant end 鑫发理发店 --street 庙前街道 --date 2025-08-31

The date is the last day in force; it may lie ahead, not before the start. The reports
count the merchants in force on a period's last day.")]
    End(EndArgs),
}

/// `merchant list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only merchants of this street
    #[arg(long)]
    pub street: Option<String>,
    /// Only merchants of this kind (理发, 餐饮 … or its code)
    #[arg(long)]
    pub kind: Option<String>,
    /// Only merchants in force on this day
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The register fields a merchant command may set, as flags.
#[derive(Debug, Args, Default)]
pub struct MerchantFields {
    /// 类型: 理发, 餐饮, 维修, 法律服务, 医疗, 其他 (and their usual names)
    #[arg(long)]
    pub kind: Option<String>,
    /// 社区
    #[arg(long)]
    pub community: Option<String>,
    /// 地址
    #[arg(long)]
    pub address: Option<String>,
    /// 优惠内容: what the merchant offers the workers
    #[arg(long)]
    pub offer: Option<String>,
    /// 联系人
    #[arg(long)]
    pub contact_name: Option<String>,
    /// 联系电话: a mobile, a landline with its area code, or a 400/800 number
    #[arg(long)]
    pub contact_phone: Option<String>,
    /// 签约日期: in force from this day
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// 截止日期: in force through this day
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

/// `merchant add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// 商家名称
    #[arg(long)]
    pub name: String,
    /// 街道
    #[arg(long)]
    pub street: String,
    /// The other fields.
    #[command(flatten)]
    pub fields: MerchantFields,
}

/// `merchant update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// 商家名称
    pub merchant: String,
    /// The merchant's street, when several streets have a merchant of that name
    #[arg(long)]
    pub street: Option<String>,
    /// The fields to change.
    #[command(flatten)]
    pub fields: MerchantFields,
}

/// `merchant end`.
#[derive(Debug, Args)]
pub struct EndArgs {
    /// 商家名称
    pub merchant: String,
    /// The merchant's street, when several streets have a merchant of that name
    #[arg(long)]
    pub street: Option<String>,
    /// 截止日期: the last day the agreement is in force
    #[arg(long, value_name = "DATE")]
    pub date: String,
}

/// One merchant in `merchant list --format json`.
#[derive(Debug, Serialize)]
pub struct MerchantJson {
    /// Row id.
    pub id: i64,
    /// 商家名称.
    pub name: String,
    /// Kind code: `barber`, `catering`, `repair`, `legal`, `medical`, `other`.
    pub kind: String,
    /// 街道.
    pub street: String,
    /// 社区.
    pub community: Option<String>,
    /// 地址.
    pub address: Option<String>,
    /// 优惠内容.
    pub offer: Option<String>,
    /// 联系人.
    pub contact_name: Option<String>,
    /// 联系电话 (masked unless `--show-pii`).
    pub contact_phone: Option<String>,
    /// 签约日期, `YYYY-MM-DD`.
    pub since_on: Option<String>,
    /// 截止日期, `YYYY-MM-DD`.
    pub until_on: Option<String>,
}

impl MerchantJson {
    fn new(r: MerchantRow, pii: bool) -> Self {
        let some = |s: String| (!s.is_empty()).then_some(s);
        Self {
            contact_phone: shown_phone(r.contact_phone.as_deref(), pii),
            id: r.id,
            name: r.name,
            kind: r.kind,
            street: r.street,
            community: r.community,
            address: some(r.address),
            offer: some(r.offer),
            contact_name: r.contact_name,
            since_on: r.since_on,
            until_on: r.until_on,
        }
    }
}

/// Runs a partner-merchant command.
pub fn run(ctx: &Ctx, cmd: MerchantCommand, out: &mut dyn Write) -> Result<()> {
    match cmd {
        MerchantCommand::List(a) => list(ctx, a, out),
        MerchantCommand::Add(a) => add(ctx, a),
        MerchantCommand::Update(a) => update(ctx, a),
        MerchantCommand::End(a) => end(ctx, a),
    }
}

/// A day typed as `flag`, in any form an imported date takes but an Excel day number; not
/// bounded by today (an agreement may end, or start, ahead).
fn date_flag(flag: &str, value: &str) -> Result<String> {
    normalize::typed_date(value)
        .map(|d| d.to_string())
        .map_err(|e| UsageError(format!("{flag} {value}: {e}")).into())
}

fn list(ctx: &Ctx, a: ListArgs, out: &mut dyn Write) -> Result<()> {
    a.output.check()?;
    let kind = super::vocab_flag::<MerchantKind>("--kind", a.kind.as_deref())?;
    let on = a.on.as_deref().map(|d| date_flag("--on", d)).transpose()?;
    let db = ctx.open()?;
    let street = street_filter(&db, a.street.as_deref())?;
    let json: Vec<MerchantJson> = merchants::merchants(
        &db,
        &MerchantFilter {
            street,
            kind: kind.map(MerchantKind::code),
            on: on.as_deref(),
            id: None,
        },
    )?
    .into_iter()
    .map(|r| MerchantJson::new(r, a.output.show_pii))
    .collect();
    let mut t = Table::new(
        &[
            &t!("common.field.street"),
            &t!("records.col.merchant_name"),
            &t!("records.col.merchant_kind"),
            &t!("common.field.community"),
            &t!("common.field.address"),
            &t!("records.col.offer"),
            &t!("common.field.contact_name"),
            &t!("common.field.contact_phone"),
            &t!("records.col.since_on"),
            &t!("records.col.until_on"),
        ],
        &[],
    );
    for j in &json {
        t.rows.push(vec![
            j.street.clone(),
            j.name.clone(),
            MerchantKind::text_of(&j.kind, Lang::current()),
            or_dash(j.community.as_deref()),
            or_dash(j.address.as_deref()),
            or_dash(j.offer.as_deref()),
            or_dash(j.contact_name.as_deref()),
            or_dash(j.contact_phone.as_deref()),
            or_dash(j.since_on.as_deref()),
            or_dash(j.until_on.as_deref()),
        ]);
    }
    a.output.emit(out, &json, &t)?;
    ctx.note(by_street(&json));
    Ok(())
}

/// The count of a list, per street in the list's order and in all:
/// `庙前街道 24 家、文庙街道 3 家；共 27 家`.
fn by_street(json: &[MerchantJson]) -> String {
    let mut streets: Vec<(&str, usize)> = Vec::new();
    for j in json {
        match streets.last_mut() {
            Some((s, n)) if *s == j.street => *n += 1,
            _ => streets.push((&j.street, 1)),
        }
    }
    let parts: Vec<String> = streets
        .iter()
        .map(|(s, n)| t!("records.count.merchants_in_street", street = s, n = n).into_owned())
        .collect();
    if parts.len() < 2 {
        return t!("records.count.merchants", n = json.len()).into_owned();
    }
    t!(
        "records.count.merchants_by_street",
        streets = parts.join(&t!("model.list_separator")),
        n = json.len()
    )
    .into_owned()
}

/// Finds a merchant by name (and street, when given: then only there).
fn find(db: &crate::db::Db, name: &str, street: Option<&str>) -> Result<MerchantRow> {
    let street_id = street_filter(db, street)?;
    let name = normalize::name(name);
    let id = match find_merchant(db, &name, street_id) {
        Ok(id) => id,
        Err(e) => bail!(
            "{}",
            t!(
                "records.merchant.named",
                name = name,
                problem = e.problem()?
            )
        ),
    };
    merchants::merchants(
        db,
        &MerchantFilter {
            id: Some(id),
            ..MerchantFilter::default()
        },
    )?
    .into_iter()
    .next()
    .ok_or_else(|| anyhow::anyhow!("{}", t!("records.merchant.unknown", hint = "")))
}

/// Validates flags as a merchants-register row and loads it. `adding`: refuse a merchant
/// already registered in the street.
fn load(values: &[(Field, &str, Option<&str>)], ctx: &Ctx, adding: bool) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let (map, row) = super::typed_row(values);
    let mut c = Cells::new(&map, &row);
    let rec = validate::merchant(&mut c);
    let rec = match c.finish(rec) {
        Ok(r) => r.expect("a record when there are no errors"),
        Err(e) => return Err(typed_errors(&map, &e)),
    };
    let tx = db.begin_write()?;
    let outcome = {
        let mut loader = MerchantLoader::new(&tx, None)?;
        if adding
            && loader
                .existing(&rec.street, &rec.name)
                .map_err(|p| UsageError(format!("--street {}: {p}", rec.street)))?
                .is_some()
        {
            bail!(
                "{}",
                t!(
                    "records.merchant.registered_already",
                    name = rec.name,
                    street = rec.street
                )
            );
        }
        loader.load(&rec, 0).map_err(|e| stored_errors(&map, e))?
    };
    tx.commit()?;
    Ok(outcome)
}

fn fields(f: &MerchantFields) -> [(Field, &'static str, Option<&str>); 8] {
    [
        (Field::MerchantKind, "--kind", f.kind.as_deref()),
        (Field::Community, "--community", f.community.as_deref()),
        (Field::Address, "--address", f.address.as_deref()),
        (Field::Offer, "--offer", f.offer.as_deref()),
        (
            Field::ContactName,
            "--contact-name",
            f.contact_name.as_deref(),
        ),
        (
            Field::ContactPhone,
            "--contact-phone",
            f.contact_phone.as_deref(),
        ),
        (Field::SinceOn, "--since", f.since.as_deref()),
        (Field::UntilOn, "--until", f.until.as_deref()),
    ]
}

fn add(ctx: &Ctx, a: AddArgs) -> Result<()> {
    let mut values = vec![
        (Field::MerchantName, "--name", Some(a.name.as_str())),
        (Field::Street, "--street", Some(a.street.as_str())),
    ];
    values.extend(fields(&a.fields));
    load(&values, ctx, true)?;
    let name = normalize::name(&a.name);
    let db = ctx.open()?;
    let (street, others) = merchants::streets_of(&db, &name, &a.street)?;
    ctx.note(if others.is_empty() {
        t!("records.merchant.added", name = name, street = street)
    } else {
        t!(
            "records.merchant.added_same_name",
            name = name,
            street = street,
            others = others.join(&t!("model.list_separator"))
        )
    });
    Ok(())
}

fn update(ctx: &Ctx, a: UpdateArgs) -> Result<()> {
    let f = &a.fields;
    if fields(f).iter().all(|(_, _, v)| v.is_none()) {
        return Err(UsageError(t!("records.merchant.update_nothing_given").into_owned()).into());
    }
    let current = {
        let db = ctx.open()?;
        find(&db, &a.merchant, a.street.as_deref())?
    };
    // The registered values, overlaid with those given.
    let stored = [
        Some(current.kind.as_str()),
        current.community.as_deref(),
        Some(current.address.as_str()).filter(|s| !s.is_empty()),
        Some(current.offer.as_str()).filter(|s| !s.is_empty()),
        current.contact_name.as_deref(),
        current.contact_phone.as_deref(),
        current.since_on.as_deref(),
        current.until_on.as_deref(),
    ];
    // A start given alone after the stored end: the flag given is the one to blame.
    if let (Some(since), None, Some(until)) = (
        f.since.as_deref(),
        f.until.as_deref(),
        current.until_on.as_deref(),
    ) && let Ok(day) = normalize::typed_date(since)
        && day.to_string().as_str() > until
    {
        return Err(UsageError(format!(
            "--since: {since}: {}",
            t!("import.cell.until_before_since", until = until, since = day)
        ))
        .into());
    }
    let mut values = vec![
        (Field::MerchantName, "MERCHANT", Some(current.name.as_str())),
        (Field::Street, "--street", Some(current.street.as_str())),
    ];
    values.extend(
        fields(f)
            .into_iter()
            .zip(stored)
            .map(|((field, flag, given), stored)| (field, flag, given.or(stored))),
    );
    let outcome = load(&values, ctx, false)?;
    match outcome {
        Outcome::Unchanged => ctx.note(t!("records.unchanged", name = current.name)),
        _ => ctx.note(t!("records.merchant.updated", name = current.name)),
    }
    Ok(())
}

fn end(ctx: &Ctx, a: EndArgs) -> Result<()> {
    let date = date_flag("--date", &a.date)?;
    let mut db = ctx.open()?;
    let current = find(&db, &a.merchant, a.street.as_deref())?;
    let tx = db.begin_write()?;
    let outcome = end_merchant(&tx, current.id, &date)?;
    tx.commit()?;
    match outcome {
        Outcome::Unchanged => ctx.note(t!("records.unchanged", name = current.name)),
        _ => ctx.note(t!(
            "records.merchant.ended",
            name = current.name,
            street = current.street,
            date = date
        )),
    }
    Ok(())
}
