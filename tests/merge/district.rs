//! Two street files merged into a district file: 柳巷街道's registry (July, kept as a backup
//! copy, then August) and 文庙街道's, three people on both registers (one known to 文庙 only by
//! the 手机号 he had in July), the platform's check-in and points exports imported in both.
//! Every figure of the district's `report streets` is checked against the street files' own
//! rows; merging again changes nothing; a later copy of a street file brings what changed;
//! conflicts are listed and nothing lands; a merge killed midway leaves the district file as
//! it was.

use serde_json::{Value, json};

use super::wenmiao::{self, OWN, SHARED};
use crate::cycle::liuxiang::{self, PEOPLE};
use crate::util::{Dir, TestCommand};

const LIUXIANG_JULY: &str = "柳巷街道-7月.db";
const LIUXIANG: &str = "柳巷街道.db";
const WENMIAO: &str = "文庙街道.db";
const DISTRICT: &str = "迎泽区.db";

/// `nuanfeng --db DB ARGS` in `d`.
fn nf(d: &Dir, db: &str, args: &[&str]) -> TestCommand {
    let mut c = d.bare();
    c.args(&["--db", db]).args(args);
    c
}

/// 柳巷街道's registry: July's registers and exports, a backup of it ([`LIUXIANG_JULY`]),
/// then August's (one 手机号 changed, one person gone, one new).
fn liuxiang_registry(d: &Dir) {
    nf(d, LIUXIANG, &["init", "--district", "140106"]).ok();
    liuxiang::write_stations_register(d, "柳巷站点.xlsx");
    liuxiang::write_workers_register(d, "柳巷人员7月.xlsx", 7);
    liuxiang::write_workers_register(d, "柳巷人员8月.xlsx", 8);
    for month in [7, 8] {
        liuxiang::write_checkins_export(d, &format!("报到导出{month}月.csv"), month);
        liuxiang::write_points_export(d, &format!("积分导出{month}月.xlsx"), month);
        liuxiang::write_services_register(d, &format!("柳巷志愿服务{month}月.csv"), month);
    }
    nf(d, LIUXIANG, &["import", "stations", "柳巷站点.xlsx"]).ok();
    nf(d, LIUXIANG, &["import", "workers", "柳巷人员7月.xlsx"]).ok();
    for file in ["报到导出7月.csv", "积分导出7月.xlsx", "柳巷志愿服务7月.csv"] {
        let kind = kind_of(file);
        nf(d, LIUXIANG, &["import", kind, file]).ok();
    }
    nf(d, LIUXIANG, &["backup", LIUXIANG_JULY]).ok();
    nf(
        d,
        LIUXIANG,
        &[
            "import",
            "workers",
            "柳巷人员8月.xlsx",
            "--missing",
            "left",
            "--date",
            liuxiang::LEFT_ON,
        ],
    )
    .ok();
    for file in ["报到导出8月.csv", "积分导出8月.xlsx", "柳巷志愿服务8月.csv"] {
        let kind = kind_of(file);
        nf(d, LIUXIANG, &["import", kind, file]).ok();
    }
}

fn kind_of(file: &str) -> &'static str {
    if file.contains("报到") {
        "checkins"
    } else if file.contains("积分") {
        "points"
    } else {
        "services"
    }
}

/// 文庙街道's registry: its registers, its own exports, and the platform's exports of both
/// months, keeping the rows of the people on its register (the rest are written to a rejects
/// file: they are 柳巷's).
fn wenmiao_registry(d: &Dir) {
    nf(d, WENMIAO, &["init", "--district", "140106"]).ok();
    wenmiao::write_stations(d, "文庙站点.csv");
    wenmiao::write_workers(d, "文庙人员7月.csv");
    wenmiao::write_own_checkins(d, "文庙报到7月.csv");
    wenmiao::write_own_points(d, "文庙积分7月.csv");
    wenmiao::write_own_services(d, "文庙志愿服务7月.csv");
    nf(d, WENMIAO, &["import", "stations", "文庙站点.csv"]).ok();
    let o = nf(d, WENMIAO, &["import", "workers", "文庙人员7月.csv"]).ok();
    assert!(
        o.stderr
            .contains(&format!("新增 {}", OWN.len() + SHARED.len())),
        "{}",
        o.stderr
    );
    nf(d, WENMIAO, &["import", "checkins", "文庙报到7月.csv"]).ok();
    nf(d, WENMIAO, &["import", "points", "文庙积分7月.csv"]).ok();
    nf(d, WENMIAO, &["import", "services", "文庙志愿服务7月.csv"]).ok();
    for file in [
        "报到导出7月.csv",
        "积分导出7月.xlsx",
        "报到导出8月.csv",
        "积分导出8月.xlsx",
    ] {
        let kind = kind_of(file);
        nf(
            d,
            WENMIAO,
            &[
                "import",
                kind,
                file,
                "--skip-invalid",
                "--rejects",
                &format!("不是本街道-{file}.csv"),
            ],
        )
        .ok();
    }
}

/// `report streets --month 2025-MM --format json` of registry `db`: the street rows by name,
/// and the total.
fn streets(d: &Dir, db: &str, month: u32) -> (serde_json::Map<String, Value>, Value) {
    let v = nf(
        d,
        db,
        &[
            "report",
            "streets",
            "--month",
            &format!("2025-{month:02}"),
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    let rows = v["streets"]
        .as_array()
        .expect("streets")
        .iter()
        .map(|r| (r["street"].as_str().unwrap().to_string(), r.clone()))
        .collect();
    (rows, v["total"].clone())
}

/// A file's bytes, to tell "nothing written".
fn sha(d: &Dir, name: &str) -> Vec<u8> {
    d.read(name)
}

/// Row counts of the tables a merge writes, to tell "nothing changed".
fn counts(d: &Dir, db: &str) -> Vec<(String, i64)> {
    [
        "workers",
        "worker_numbers",
        "worker_postings",
        "stations",
        "checkins",
        "checkin_months",
        "services",
        "tips",
        "point_entries",
        "record_streets",
        "change_log",
        "memberships",
        "instructor_stations",
    ]
    .iter()
    .map(|t| {
        (
            t.to_string(),
            d.int_in(db, &format!("SELECT count(*) FROM {t}")),
        )
    })
    .collect()
}

/// The figures of a row that are not the street's name and code.
fn figures(row: &Value) -> Value {
    let mut r = row.clone();
    let o = r.as_object_mut().unwrap();
    o.remove("street");
    o.remove("street_code");
    r
}

/// Each of `names`' rows of the district equals the same street's row of its own file.
fn rows_equal(
    district: &serde_json::Map<String, Value>,
    own: &[(&str, &serde_json::Map<String, Value>)],
) {
    for (street, rows) in own {
        assert_eq!(
            figures(&district[*street]),
            figures(&rows[*street]),
            "{street}: the district's row and the street's own"
        );
    }
}

/// The number of a kind in a merge's JSON counts.
fn merged(v: &Value, source: usize, kind: &str) -> Value {
    v["sources"][source]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == kind)
        .map(|c| c[1].clone())
        .unwrap_or_else(|| panic!("no {kind} in {v}"))
}

/// The street files, and a district file with both merged (柳巷's July copy first).
fn merged_district(d: &Dir) -> Value {
    liuxiang_registry(d);
    wenmiao_registry(d);
    nf(d, DISTRICT, &["init", "--district", "140106"]).ok();
    nf(
        d,
        DISTRICT,
        &["merge", LIUXIANG_JULY, WENMIAO, "--format", "json"],
    )
    .ok()
    .json()
}

#[test]
fn two_street_files_make_a_district_file_whose_rows_are_the_streets_own() {
    let d = Dir::new();
    let v = merged_district(&d);
    assert_eq!(v["landed"], true);
    assert_eq!(v["conflicts"], json!([]));
    // 柳巷's July register: twelve people, all new; 文庙's: four of its own new, three of
    // 柳巷's found again — by 身份证号, and 王建斌 by his July 手机号 — and posted there.
    assert_eq!(
        merged(&v, 0, "workers"),
        json!({"new": 12, "same": 0, "updated": 0})
    );
    assert_eq!(
        merged(&v, 1, "workers"),
        json!({"new": OWN.len(), "same": SHARED.len(), "updated": 0})
    );
    assert_eq!(
        merged(&v, 1, "postings"),
        json!({"new": 3, "same": 0, "updated": 0})
    );
    // The platform's July check-ins of 柳巷's people: in 柳巷's file all of them, in 文庙's
    // those of the three it shares; none is counted twice.
    let july = liuxiang::checkins_exported(7);
    let shared_july = july
        .iter()
        .filter(|c| SHARED.iter().any(|(w, _)| *w == c.who))
        .count() as u64;
    assert_eq!(
        merged(&v, 0, "checkins"),
        json!({"new": july.len(), "same": 0, "updated": 0})
    );
    // 文庙 holds its own, and the July and August rows of the people it shares that the
    // platform's exports gave under numbers it knows: those of July are already here.
    let wenmiao_checkins = d.int_in(WENMIAO, "SELECT count(*) FROM checkins") as u64;
    assert_eq!(
        merged(&v, 1, "checkins"),
        json!({"new": wenmiao_checkins - shared_july, "same": shared_july, "updated": 0})
    );
    assert_eq!(
        d.int_in(DISTRICT, "SELECT count(*) FROM checkins") as u64,
        july.len() as u64 + wenmiao_checkins - shared_july
    );
    // The person whose 手机号 is unknown to 文庙 is one worker, with his July number.
    assert_eq!(
        d.int_in(
            DISTRICT,
            &format!(
                "SELECT count(*) FROM workers WHERE name = '{}'",
                PEOPLE[3].name
            )
        ),
        1
    );

    let (district, total) = streets(&d, DISTRICT, 7);
    let (liuxiang_rows, liuxiang_total) = streets(&d, LIUXIANG_JULY, 7);
    let (wenmiao_rows, wenmiao_total) = streets(&d, WENMIAO, 7);
    rows_equal(
        &district,
        &[("柳巷街道", &liuxiang_rows), ("文庙街道", &wenmiao_rows)],
    );
    // The district counts each person once: twelve and seven people, three on both.
    assert_eq!(liuxiang_total["workers"], 12);
    assert_eq!(wenmiao_total["workers"], 7);
    assert_eq!(total["workers"], 16);
    assert_eq!(district["柳巷街道"]["workers"], 12);
    assert_eq!(district["文庙街道"]["workers"], 7);
    // Check-ins: every one once; the people who checked in, each once.
    assert_eq!(
        total["checkins"],
        (july.len() + wenmiao::OWN_CHECKINS.len()) as i64
    );
    let mut people: Vec<String> = july
        .iter()
        .map(|c| PEOPLE[c.who].name.to_string())
        .collect();
    people.extend(
        wenmiao::OWN_CHECKINS
            .iter()
            .map(|(w, _, _)| w.map_or(PEOPLE[2].name, |o| OWN[o].0).to_string()),
    );
    people.sort();
    people.dedup();
    assert_eq!(total["checkin_workers"], people.len() as i64);
    // A points entry both files hold (the platform's, of a person on both registers) counts
    // in both streets' rows, once in the district's.
    let both: i64 = liuxiang::points_exported(7)
        .iter()
        .filter(|p| SHARED.iter().any(|(w, _)| *w == p.who) && p.points > 0)
        .map(|p| p.points)
        .sum();
    assert!(both > 0);
    assert_eq!(
        total["points_earned"].as_i64().unwrap(),
        liuxiang_total["points_earned"].as_i64().unwrap()
            + wenmiao_total["points_earned"].as_i64().unwrap()
            - both
    );
    // Every other street: nothing, as in both files.
    for (street, row) in &district {
        if street != "柳巷街道" && street != "文庙街道" {
            assert_eq!(figures(row), figures(&liuxiang_rows[street]), "{street}");
        }
    }
    // 文庙's list in the district holds its people, those posted there from 柳巷 too, each
    // with the station they have there.
    let listed = nf(
        &d,
        DISTRICT,
        &["worker", "list", "--street", "文庙街道", "--format", "json"],
    )
    .ok()
    .json_array();
    assert_eq!(listed.len(), OWN.len() + SHARED.len());
    let li = crate::util::find(&listed, "name", PEOPLE[2].name);
    assert_eq!(li["street"], "文庙街道");
    assert_eq!(li["station"], wenmiao::STATIONS[1].0);
    assert_eq!(li["enterprise"], wenmiao::STATIONS[1].2);
    assert_eq!(li["community"], wenmiao::STATIONS[1].3);
    // The ledger is sealed in the district's chain, and the whole file passes its checks.
    nf(&d, DISTRICT, &["points", "check"])
        .ok()
        .stderr_has(&["积分台账无误"]);
    nf(&d, DISTRICT, &["check"]).ok();
    // The history keeps its origin.
    assert_eq!(
        d.int_in(
            DISTRICT,
            "SELECT count(*) FROM import_batches WHERE origin_id IS NULL"
        ),
        0
    );
    assert_eq!(
        d.int_in(
            DISTRICT,
            "SELECT count(*) FROM change_log WHERE origin_id IS NULL"
        ),
        0
    );
}

#[test]
fn merging_again_changes_nothing_and_a_later_copy_brings_what_changed() {
    let d = Dir::new();
    merged_district(&d);
    let before = counts(&d, DISTRICT);
    let (july_rows, july_total) = streets(&d, DISTRICT, 7);
    let o = nf(&d, DISTRICT, &["merge", LIUXIANG_JULY, WENMIAO]).ok();
    assert!(
        o.stderr.starts_with(&format!(
            "已把 2 个台账合并进 {DISTRICT}：新增 0 条，更新 0 条，已有 "
        )),
        "{}",
        o.stderr
    );
    assert_eq!(counts(&d, DISTRICT), before);
    assert_eq!(
        streets(&d, DISTRICT, 7),
        (july_rows.clone(), july_total.clone())
    );

    // 柳巷's August file is the same registry, later: it brings the new 手机号, the person gone,
    // the person new and August's events.
    let v = nf(&d, DISTRICT, &["merge", LIUXIANG, "--format", "json"])
        .ok()
        .json();
    assert_eq!(v["sources"][0]["merged_before"], true);
    assert_eq!(
        merged(&v, 0, "workers"),
        json!({"new": 1, "same": 10, "updated": 2})
    );
    let (who, new_phone) = liuxiang::PHONE_CHANGED;
    assert_eq!(
        d.rows_in(
            DISTRICT,
            &format!(
                "SELECT phone FROM workers WHERE name = '{}'",
                PEOPLE[who].name
            )
        ),
        vec![vec![Some(new_phone.to_string())]]
    );
    assert_eq!(
        d.rows_in(DISTRICT,
            &format!(
                "SELECT n.number FROM worker_numbers n JOIN workers w ON w.id = n.worker_id WHERE w.name = '{}'",
                PEOPLE[who].name
            )
        ),
        vec![vec![Some(PEOPLE[who].phone.to_string())]]
    );
    let (august, total) = streets(&d, DISTRICT, 8);
    let (liuxiang_rows, _) = streets(&d, LIUXIANG, 8);
    let (wenmiao_rows, _) = streets(&d, WENMIAO, 8);
    rows_equal(&august, &[("柳巷街道", &liuxiang_rows)]);
    // 文庙's row: its own file's, and the one volunteer service 柳巷's register records in
    // 文庙 (赵鹏 on 08-14), which 文庙's file does not hold.
    let mut expected = figures(&wenmiao_rows["文庙街道"]);
    let neighbour: Vec<_> = liuxiang::services_of(8)
        .into_iter()
        .filter(|s| s.place == liuxiang::Place::Neighbour)
        .collect();
    assert_eq!(neighbour.len(), 1);
    let e = expected.as_object_mut().unwrap();
    e["services"] = json!(e["services"].as_i64().unwrap() + 1);
    e["service_workers"] = json!(e["service_workers"].as_i64().unwrap() + 1);
    e["service_minutes"] = json!(e["service_minutes"].as_i64().unwrap() + neighbour[0].minutes);
    e["service_hours"] =
        json!((e["service_minutes"].as_i64().unwrap() as f64 / 60.0 * 10.0).round() / 10.0);
    assert_eq!(figures(&august["文庙街道"]), expected);
    assert_eq!(total["workers"], 17, "16 of July and the one new in August");
    // July's figures did not move.
    assert_eq!(streets(&d, DISTRICT, 7), (july_rows, july_total));
    // And once more: nothing.
    let before = counts(&d, DISTRICT);
    nf(&d, DISTRICT, &["merge", LIUXIANG, WENMIAO]).ok();
    assert_eq!(counts(&d, DISTRICT), before);
    // July's copy again, after August's: older, refused whole (it would undo August).
    let o = nf(&d, DISTRICT, &["merge", WENMIAO, LIUXIANG_JULY]).code(1);
    assert!(
        o.stderr.starts_with(&format!(
            "错误：{LIUXIANG_JULY} 是这个台账较早的一份副本：它比 "
        )),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .ends_with(" 合并进来的那份旧 — 没有合并任何内容；把街道最新的备份拿来再合并\n")
    );
    assert_eq!(counts(&d, DISTRICT), before);
}

#[test]
fn either_order_gives_the_same_report() {
    let d = Dir::new();
    liuxiang_registry(&d);
    wenmiao_registry(&d);
    for (db, files) in [
        ("甲.db", [LIUXIANG, WENMIAO]),
        ("乙.db", [WENMIAO, LIUXIANG]),
    ] {
        nf(&d, db, &["init", "--district", "140106"]).ok();
        nf(&d, db, &["merge", files[0], files[1]]).ok();
    }
    for month in [7, 8] {
        assert_eq!(
            streets(&d, "甲.db", month),
            streets(&d, "乙.db", month),
            "2025-{month:02}"
        );
    }
}

/// A third street's registry, 庙前街道, whose register has 柳巷's first person under another
/// name (the same 身份证号) and someone else with 柳巷's second person's 手机号.
fn miaoqian_registry(d: &Dir) {
    let db = "庙前街道.db";
    nf(d, db, &["init", "--district", "140106"]).ok();
    d.write(
        "庙前人员.csv",
        format!(
            "姓名,性别,身份证号,手机号,从业类型,所属街道\n\
             贺新雨,男,{},{},快递员,庙前街道\n\
             石磊,男,{},{},外卖员,庙前街道\n",
            liuxiang::id_number(0),
            PEOPLE[0].phone,
            wenmiao::with_check("14010619850303111"),
            PEOPLE[1].phone
        ),
    );
    nf(d, db, &["import", "workers", "庙前人员.csv"]).ok();
}

#[test]
fn conflicts_are_listed_and_nothing_lands_unless_ours_are_kept() {
    let d = Dir::new();
    merged_district(&d);
    miaoqian_registry(&d);
    let before = sha(&d, DISTRICT);
    nf(&d, DISTRICT, &["merge", "庙前街道.db", "--dry-run"])
        .code(1)
        .stderr_has(&[
            "错误：试运行：1 个台账，",
            "冲突 2 处（见上表）— 没有写入任何内容",
        ]);
    let o = nf(&d, DISTRICT, &["merge", "庙前街道.db"]).code(1);
    assert_eq!(
        o.stderr,
        format!(
            "错误：发现 2 处冲突（见上表），{DISTRICT} 没有合并任何内容 — 在街道台账或本台账里改正后再合并；\
             或者加 --keep-ours，保留本台账的值，合并其余内容\n"
        ),
        "{}",
        o.stdout
    );
    let id = liuxiang::id_number(0);
    let masked_id = format!("{}********{}", &id[..6], &id[14..]);
    o.stdout_has(&[
        "同一身份证号，两个姓名",
        &format!("贺新雨（{masked_id}）"),
        "贺新宇",
        "同一号码，两个人",
    ]);
    o.hides(&[&id, PEOPLE[1].phone]);
    assert_eq!(sha(&d, DISTRICT), before, "nothing landed");

    let v = nf(
        &d,
        DISTRICT,
        &["merge", "庙前街道.db", "--keep-ours", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(v["landed"], true);
    let kinds: Vec<&str> = v["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["id_two_names", "number_two_people"]);
    // Ours kept: the name here, the 手机号 with the person who has it here; 石磊 is a new
    // person without it.
    assert_eq!(
        d.rows_in(
            DISTRICT,
            &format!("SELECT name FROM workers WHERE id_number = '{id}'")
        ),
        vec![vec![Some(PEOPLE[0].name.to_string())]]
    );
    assert_eq!(
        d.rows_in(DISTRICT, "SELECT phone FROM workers WHERE name = '石磊'"),
        vec![vec![None]]
    );
    assert_eq!(
        d.rows_in(
            DISTRICT,
            &format!(
                "SELECT name FROM workers WHERE phone = '{}'",
                PEOPLE[1].phone
            )
        ),
        vec![vec![Some(PEOPLE[1].name.to_string())]]
    );
}

#[test]
fn a_field_changed_on_both_sides_is_a_conflict_one_changed_there_is_brought() {
    let d = Dir::new();
    merged_district(&d);
    // 文庙 changes a station's contact, and so does the district, differently; 文庙 alone
    // changes another's address.
    nf(
        &d,
        WENMIAO,
        &[
            "station",
            "update",
            "美团文庙站",
            "--contact-phone",
            "13803510001",
        ],
    )
    .ok();
    nf(
        &d,
        WENMIAO,
        &[
            "station",
            "update",
            "京东物流文庙营业部",
            "--address",
            "文庙街12号",
        ],
    )
    .ok();
    nf(
        &d,
        DISTRICT,
        &[
            "station",
            "update",
            "美团文庙站",
            "--contact-phone",
            "13803510002",
        ],
    )
    .ok();
    let o = nf(&d, DISTRICT, &["merge", WENMIAO]).code(1);
    o.stdout_has(&["两边不一致", "美团文庙站", "138****0002", "138****0001"]);
    let v = nf(
        &d,
        DISTRICT,
        &["merge", WENMIAO, "--keep-ours", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(
        merged(&v, 0, "stations"),
        json!({"new": 0, "same": 1, "updated": 1})
    );
    assert_eq!(
        d.rows_in(
            DISTRICT,
            "SELECT contact_phone, address FROM stations WHERE name LIKE '%文庙%' ORDER BY name"
        ),
        vec![
            vec![None, Some("文庙街12号".to_string())],
            vec![Some("13803510002".to_string()), None],
        ]
    );
}

#[test]
fn a_dry_run_shows_the_counts_and_writes_nothing() {
    let d = Dir::new();
    liuxiang_registry(&d);
    nf(&d, DISTRICT, &["init", "--district", "140106"]).ok();
    let before = sha(&d, DISTRICT);
    let o = nf(&d, DISTRICT, &["merge", LIUXIANG, "--dry-run"]).ok();
    assert!(
        o.stderr.starts_with("试运行：1 个台账，新增 "),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.ends_with("冲突 0 处 — 没有写入任何内容\n"),
        "{}",
        o.stderr
    );
    o.stdout_has(&["从业人员", "报到", "积分记录"]);
    assert_eq!(sha(&d, DISTRICT), before);
}

#[cfg(unix)]
#[test]
fn a_merge_killed_midway_leaves_the_district_file_as_it_was() {
    use std::os::unix::process::ExitStatusExt;

    let d = Dir::new();
    liuxiang_registry(&d);
    wenmiao_registry(&d);
    nf(&d, DISTRICT, &["init", "--district", "140106"]).ok();
    nf(&d, DISTRICT, &["merge", LIUXIANG_JULY]).ok();
    let before = counts(&d, DISTRICT);
    let report = streets(&d, DISTRICT, 7);
    for point in ["merge:workers", "merge:before-commit"] {
        let o = std::process::Command::new(crate::util::BIN)
            .current_dir(d.path())
            .env_remove("NUANFENG_DB")
            .env("NUANFENG_KILL_AT", point)
            .args(["--db", DISTRICT, "merge", WENMIAO])
            .output()
            .expect("run nuanfeng");
        assert_eq!(o.status.signal(), Some(9), "killed at {point}");
        assert_eq!(counts(&d, DISTRICT), before, "after a kill at {point}");
        assert_eq!(streets(&d, DISTRICT, 7), report);
    }
    nf(&d, DISTRICT, &["check"]).ok();
    // And the merge then runs whole.
    nf(&d, DISTRICT, &["merge", WENMIAO]).ok();
    assert_eq!(
        d.int_in(DISTRICT, "SELECT count(*) FROM worker_postings"),
        SHARED.len() as i64
    );
}

#[test]
fn a_file_that_is_not_a_registry_or_is_this_one_is_refused() {
    let d = Dir::new();
    nf(&d, DISTRICT, &["init", "--district", "140106"]).ok();
    d.write("人员.csv", "姓名,手机号\n张三,13903510001\n");
    nf(&d, DISTRICT, &["merge", "人员.csv"])
        .code(1)
        .stderr_has(&["人员.csv 不是暖蜂台账（或已损坏）", "台账要用 import 导入"]);
    nf(&d, DISTRICT, &["merge", "没有.db"])
        .code(1)
        .stderr_has(&["找不到要合并的台账 没有.db"]);
    nf(&d, DISTRICT, &["backup", "副本.db"]).ok();
    nf(&d, DISTRICT, &["merge", "副本.db"])
        .code(1)
        .stderr_has(&["副本.db 就是这个台账本身（或它的副本）"]);
    nf(&d, "街道.db", &["init", "--district", "140106"]).ok();
    nf(&d, "街道.db", &["backup", "街道副本.db"]).ok();
    nf(&d, DISTRICT, &["merge", "街道.db", "街道副本.db"])
        .code(1)
        .stderr_has(&["街道副本.db 和 街道.db 是同一个台账"]);
    // A copy whose middle is damaged, and one with an interrupted write beside it.
    let mut bytes = d.read("街道副本.db");
    let page = 4096;
    bytes[3 * page..4 * page].fill(0);
    d.write("坏.db", &bytes);
    nf(&d, DISTRICT, &["merge", "坏.db"]).code(1).stderr_has(&[
        "坏.db 已损坏（SQLite 的完整性检查没有通过）— 没有合并任何内容；请街道重新 backup 一份发来",
    ]);
    nf(&d, "中断.db", &["init", "--district", "140106"]).ok();
    let mut journal = vec![0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
    journal.resize(512, 0);
    d.write("中断.db-journal", &journal);
    nf(&d, DISTRICT, &["merge", "中断.db"])
        .code(1)
        .stderr_has(&["中断.db 旁边有 中断.db-journal：街道那边上次写入台账时被中断了"]);
}

#[test]
fn district_files_make_a_city_file_spanning_districts() {
    let d = Dir::new();
    merged_district(&d);
    // 小店区's file, with two people of its own and one of 柳巷's registered there too.
    let xiaodian = "小店区.db";
    nf(&d, xiaodian, &["init", "--district", "140105"]).ok();
    let street = d.rows_in(xiaodian, "SELECT name FROM streets ORDER BY code LIMIT 1")[0][0]
        .clone()
        .unwrap();
    d.write(
        "小店人员.csv",
        format!(
            "姓名,性别,身份证号,手机号,政治面貌,从业类型,所属街道\n\
             白雪,女,{},13903519001,群众,外卖员,{street}\n\
             牛强,男,{},13903519002,群众,快递员,{street}\n\
             {},{},{},{},{},{},{street}\n",
            wenmiao::with_check("14010519960101222"),
            wenmiao::with_check("14010519930202111"),
            PEOPLE[0].name,
            PEOPLE[0].gender,
            liuxiang::id_number(0),
            PEOPLE[0].phone,
            PEOPLE[0].status,
            PEOPLE[0].occupation,
        ),
    );
    nf(&d, xiaodian, &["import", "workers", "小店人员.csv"]).ok();
    d.write(
        "小店报到.csv",
        format!(
            "手机号,报到日期,报到街道,事项\n\
             13903519001,2025-07-08,{street},日常报到\n\
             {},2025-07-09,{street},日常报到\n",
            PEOPLE[0].phone
        ),
    );
    nf(&d, xiaodian, &["import", "checkins", "小店报到.csv"]).ok();

    // 迎泽区's file takes 小店区's only once told to cover it too.
    let o = nf(&d, DISTRICT, &["merge", xiaodian]).code(1);
    assert_eq!(
        o.stderr,
        "错误：小店区.db 里有 小店区（140105）的街道，这个台账只管 迎泽区 — 没有合并任何内容；\
         要让这个台账也管 小店区，先运行 init --district 140105 --multi-district，再合并\
         （汇总全市用一个不带 --district 新建的台账）\n"
    );
    let city = "太原市.db";
    nf(&d, city, &["init"]).ok();
    nf(&d, city, &["merge", DISTRICT, xiaodian]).ok();
    let (rows, total) = streets(&d, city, 7);
    let (yingze, yingze_total) = streets(&d, DISTRICT, 7);
    let (xd, xd_total) = streets(&d, xiaodian, 7);
    assert_eq!(
        rows.len(),
        yingze.len() + xd.len(),
        "every street of both districts"
    );
    for (name, row) in yingze.iter().chain(xd.iter()) {
        assert_eq!(figures(&rows[name]), figures(row), "{name}");
    }
    // 贺新宇 is on registers of both districts: once in the city.
    assert_eq!(
        total["workers"].as_i64().unwrap(),
        yingze_total["workers"].as_i64().unwrap() + xd_total["workers"].as_i64().unwrap() - 1
    );
    assert_eq!(
        total["checkins"].as_i64().unwrap(),
        yingze_total["checkins"].as_i64().unwrap() + 2
    );
    // The same district file again: nothing new, nothing updated.
    let v = nf(&d, city, &["merge", DISTRICT, "--format", "json"])
        .ok()
        .json();
    for c in v["sources"][0]["counts"].as_array().unwrap() {
        assert_eq!(
            (c[1]["new"].as_u64(), c[1]["updated"].as_u64()),
            (Some(0), Some(0)),
            "{c}"
        );
    }
    // 柳巷's own file came in within 迎泽区's: not merged into the city a second way.
    nf(&d, city, &["merge", LIUXIANG_JULY])
        .code(1)
        .stderr_has(&[&format!(
            "{LIUXIANG_JULY} 已经包含在合并进来的 {DISTRICT} 里 — 没有合并任何内容"
        )]);
    // Merging the district file again, after it took 柳巷's August file, brings August.
    nf(&d, DISTRICT, &["merge", LIUXIANG]).ok();
    nf(&d, city, &["merge", DISTRICT]).ok();
    let (rows, _) = streets(&d, city, 8);
    let (yingze, _) = streets(&d, DISTRICT, 8);
    for (name, row) in &yingze {
        assert_eq!(figures(&rows[name]), figures(row), "{name} in August");
    }
}

/// An encrypted street file is read with its own key (`NUANFENG_SOURCE_KEY`), the district's
/// with `NUANFENG_KEY`.
#[cfg(feature = "sqlcipher")]
#[test]
fn an_encrypted_street_file_is_read_with_its_key() {
    let d = Dir::new();
    d.write(
        "人员.csv",
        "姓名,手机号,从业类型,所属街道\n张三,13903510001,快递员,柳巷街道\n",
    );
    let street = |args: &[&str]| {
        let mut c = nf(&d, "街道.db", args);
        c.env("NUANFENG_KEY", "街道的密钥");
        c
    };
    street(&["init", "--district", "140106"]).ok();
    street(&["import", "workers", "人员.csv"]).ok();
    let district = |args: &[&str], source: &str| {
        let mut c = nf(&d, DISTRICT, args);
        c.env("NUANFENG_KEY", "区里的密钥")
            .env("NUANFENG_SOURCE_KEY", source);
        c
    };
    district(&["init", "--district", "140106"], "").ok();
    district(&["merge", "街道.db"], "不对")
        .code(1)
        .stderr_has(&["街道.db：密钥（NUANFENG_SOURCE_KEY）不对"]);
    district(&["merge", "街道.db"], "街道的密钥").ok();
    assert_eq!(
        district(&["worker", "list", "--format", "json"], "")
            .ok()
            .json_array()
            .len(),
        1
    );
}

#[test]
fn a_redemption_that_overdraws_once_two_ledgers_meet_is_a_conflict() {
    let d = Dir::new();
    let id = wenmiao::with_check("14010619900101777");
    d.write(
        "人员.csv",
        format!("姓名,身份证号,手机号,从业类型,所属街道\n张三,{id},13903517777,快递员,柳巷街道\n"),
    );
    // The same earning in both files (the platform's), a different redemption in each.
    for (db, redemption) in [
        ("甲街道.db", "2025-07-02,积分兑换,-8,兑换雨衣"),
        ("乙街道.db", "2025-07-03,积分兑换,-8,兑换毛巾"),
    ] {
        nf(&d, db, &["init", "--district", "140106"]).ok();
        nf(&d, db, &["import", "workers", "人员.csv"]).ok();
        d.write(
            "积分.csv",
            format!("手机号,日期,类别,积分,说明\n13903517777,2025-07-01,随手拍,10,随手拍上报积水\n13903517777,{redemption}\n"),
        );
        nf(&d, db, &["import", "points", "积分.csv"]).ok();
    }
    nf(&d, DISTRICT, &["init", "--district", "140106"]).ok();
    let o = nf(
        &d,
        DISTRICT,
        &["merge", "甲街道.db", "乙街道.db", "--format", "json"],
    )
    .code(1);
    let v = o.json();
    assert_eq!(v["landed"], false);
    assert_eq!(
        v["conflicts"],
        json!([{
            "source": "乙街道.db",
            "kind": "overdraw",
            "record": format!("张三（{}********{}）", &id[..6], &id[14..]),
            "field": "2025-07-03",
            "here": "兑换前余额 2 分",
            "there": "兑换 8 分",
        }])
    );
    assert_eq!(d.int_in(DISTRICT, "SELECT count(*) FROM point_entries"), 0);
    // Ours kept: the redemption that overdraws is left out; the ledger holds.
    nf(
        &d,
        DISTRICT,
        &["merge", "甲街道.db", "乙街道.db", "--keep-ours"],
    )
    .ok();
    assert_eq!(
        d.rows_in(
            DISTRICT,
            "SELECT date, points FROM point_entries ORDER BY date"
        ),
        vec![
            vec![Some("2025-07-01".to_string()), Some("10".to_string())],
            vec![Some("2025-07-02".to_string()), Some("-8".to_string())],
        ]
    );
    nf(&d, DISTRICT, &["points", "check"]).ok();
    // 乙 reverses its redemption: merged again into a fresh district file, nothing conflicts
    // and neither the redemption nor its reversal is carried.
    nf(
        &d,
        "乙街道.db",
        &[
            "points",
            "reverse",
            "2",
            "--reason",
            "与甲街道重复兑换",
            "--date",
            "2025-07-31",
        ],
    )
    .ok();
    nf(&d, "新区.db", &["init", "--district", "140106"]).ok();
    nf(&d, "新区.db", &["merge", "甲街道.db", "乙街道.db"]).ok();
    assert_eq!(d.int_in("新区.db", "SELECT count(*) FROM point_entries"), 2);
    nf(&d, "新区.db", &["points", "check"]).ok();
}

#[test]
fn a_person_a_street_purged_is_erased_here_unless_another_street_knows_them() {
    let d = Dir::new();
    merged_district(&d);
    // 文庙 records 薛婷 (its own) and 赵鹏 (also 柳巷's) as left, and purges both.
    for phone in [OWN[3].3, PEOPLE[5].phone] {
        nf(
            &d,
            WENMIAO,
            &["worker", "leave", phone, "--date", "2025-08-31"],
        )
        .ok();
    }
    nf(
        &d,
        WENMIAO,
        &["worker", "purge", "--left-before", "2025-09-01"],
    )
    .ok();
    let o = nf(&d, DISTRICT, &["merge", WENMIAO]).ok();
    assert!(
        o.stderr
            .ends_with("；来源台账已清除（worker purge）的 1 人，在这里也抹去了姓名和号码\n"),
        "{}",
        o.stderr
    );
    let id = wenmiao::with_check(OWN[3].2);
    assert_eq!(
        d.int_in(
            DISTRICT,
            &format!(
                "SELECT count(*) FROM workers WHERE phone = '{}' OR id_number = '{id}'",
                OWN[3].3
            )
        ),
        0
    );
    assert_eq!(
        d.int_in(
            DISTRICT,
            "SELECT count(*) FROM workers WHERE purged_on IS NOT NULL"
        ),
        1
    );
    // The day 薛婷 left 文庙 is kept with the erasure (she no longer counts in September), and
    // 赵鹏's posting in 文庙 ends that day while 柳巷 still has him.
    assert_eq!(
        d.rows_in(
            DISTRICT,
            "SELECT left_on FROM workers WHERE purged_on IS NOT NULL"
        ),
        vec![vec![Some("2025-08-31".to_string())]]
    );
    assert_eq!(
        d.rows_in(
            DISTRICT,
            &format!(
                "SELECT p.left_on, w.left_on FROM worker_postings p JOIN workers w ON w.id = p.worker_id
                 WHERE w.phone = '{}'",
                PEOPLE[5].phone
            )
        ),
        vec![vec![Some("2025-08-31".to_string()), None]]
    );
    // 赵鹏 is 柳巷's too: kept whole here.
    assert_eq!(
        d.int_in(
            DISTRICT,
            &format!(
                "SELECT count(*) FROM workers WHERE phone = '{}' AND purged_on IS NULL",
                PEOPLE[5].phone
            )
        ),
        1
    );
    // The erased numbers are not in the file's bytes, and nothing is left pending.
    let bytes = d.read(DISTRICT);
    assert!(!bytes.windows(11).any(|w| w == OWN[3].3.as_bytes()));
    assert_eq!(
        d.int_in(DISTRICT, "SELECT count(*) FROM pending_erasures"),
        0
    );
    nf(&d, DISTRICT, &["check"]).ok();
}

#[test]
fn a_number_a_street_corrected_is_not_two_people() {
    let d = Dir::new();
    let (a, b) = (
        wenmiao::with_check("14080219920525307"),
        wenmiao::with_check("14010619880303123"),
    );
    nf(&d, "柳巷.db", &["init", "--district", "140106"]).ok();
    nf(&d, "庙前.db", &["init", "--district", "140106"]).ok();
    nf(
        &d,
        "柳巷.db",
        &[
            "worker",
            "add",
            "--name",
            "邵涛斌",
            "--id-number",
            &a,
            "--phone",
            "13948281489",
            "--street",
            "柳巷街道",
            "--occupation",
            "快递员",
        ],
    )
    .ok();
    // 庙前 typed 邵涛斌's number for 石磊, then corrected it: it stays as his former number.
    nf(
        &d,
        "庙前.db",
        &[
            "worker",
            "add",
            "--name",
            "石磊",
            "--id-number",
            &b,
            "--phone",
            "13948281489",
            "--street",
            "庙前街道",
            "--occupation",
            "外卖员",
        ],
    )
    .ok();
    nf(
        &d,
        "庙前.db",
        &["worker", "update", "石磊", "--phone", "13600000009"],
    )
    .ok();
    nf(&d, DISTRICT, &["init", "--district", "140106"]).ok();
    let v = nf(
        &d,
        DISTRICT,
        &["merge", "柳巷.db", "庙前.db", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(v["conflicts"], json!([]));
    assert_eq!(
        d.rows_in(DISTRICT, "SELECT name, phone FROM workers ORDER BY id"),
        vec![
            vec![Some("邵涛斌".to_string()), Some("13948281489".to_string())],
            vec![Some("石磊".to_string()), Some("13600000009".to_string())],
        ]
    );
}

#[test]
fn a_conflict_shows_coded_values_in_words() {
    let d = Dir::new();
    let id = wenmiao::with_check("14010619910909111");
    for (db, occupation, street) in [
        ("柳巷.db", "快递员", "柳巷街道"),
        ("庙前.db", "外卖员", "庙前街道"),
    ] {
        nf(&d, db, &["init", "--district", "140106"]).ok();
        nf(
            &d,
            db,
            &[
                "worker",
                "add",
                "--name",
                "王宁",
                "--id-number",
                &id,
                "--street",
                street,
                "--occupation",
                occupation,
            ],
        )
        .ok();
    }
    nf(&d, DISTRICT, &["init", "--district", "140106"]).ok();
    let v = nf(
        &d,
        DISTRICT,
        &["merge", "柳巷.db", "庙前.db", "--format", "json"],
    )
    .code(1)
    .json();
    assert_eq!(
        v["conflicts"],
        json!([{
            "source": "庙前.db",
            "kind": "field",
            "record": format!("王宁（{}********{}）", &id[..6], &id[14..]),
            "field": "从业类型",
            "here": "快递员",
            "there": "外卖员",
        }])
    );
}

#[test]
fn two_streets_gifts_of_one_name_stay_two_gifts() {
    let d = Dir::new();
    for (db, street, price, stock) in [
        ("柳巷.db", "柳巷街道", "3", "10"),
        ("文庙.db", "文庙街道", "5", "4"),
    ] {
        nf(&d, db, &["init", "--district", "140106"]).ok();
        nf(
            &d,
            db,
            &[
                "gift",
                "add",
                "保温杯",
                "--price",
                price,
                "--stock",
                stock,
                "--street",
                street,
            ],
        )
        .ok();
    }
    nf(&d, DISTRICT, &["init", "--district", "140106"]).ok();
    let v = nf(
        &d,
        DISTRICT,
        &["merge", "柳巷.db", "文庙.db", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(v["conflicts"], json!([]));
    assert_eq!(
        d.rows_in(DISTRICT, "SELECT name, price, stock FROM gifts ORDER BY id"),
        vec![
            vec![
                Some("保温杯".to_string()),
                Some("3".to_string()),
                Some("10".to_string())
            ],
            vec![
                Some("保温杯（文庙街道）".to_string()),
                Some("5".to_string()),
                Some("4".to_string())
            ],
        ]
    );
    // Again, after 文庙 restocked: the same two, 文庙's with its new stock.
    nf(&d, "文庙.db", &["gift", "update", "保温杯", "--stock", "9"]).ok();
    let v = nf(
        &d,
        DISTRICT,
        &["merge", "柳巷.db", "文庙.db", "--format", "json"],
    )
    .ok()
    .json();
    assert_eq!(v["conflicts"], json!([]));
    assert_eq!(
        d.rows_in(DISTRICT, "SELECT name, stock FROM gifts ORDER BY id"),
        vec![
            vec![Some("保温杯".to_string()), Some("10".to_string())],
            vec![
                Some("保温杯（文庙街道）".to_string()),
                Some("9".to_string())
            ],
        ]
    );
}
