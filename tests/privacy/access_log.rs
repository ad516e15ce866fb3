//! The access log of `--show-pii` (`access-log`): every command that shows full numbers is
//! recorded, with the numbers typed in it masked; numbers typed or written in notes are
//! masked everywhere but with `--show-pii`.

use nuanfeng::internals::pii_command_line;

use super::accesses;
use crate::util::District;

#[test]
fn show_pii_is_recorded_once_with_the_numbers_in_the_command_masked() {
    let d = District::new().checkins().points().build();
    assert!(accesses(&d).is_empty());

    // Without --show-pii: nothing recorded.
    d.nf(&["worker", "list"]).ok();
    d.nf(&["worker", "show", "15135296642"]).ok();
    assert!(accesses(&d).is_empty());

    // With it: one row, the number typed masked, --db left out.
    d.nf(&["worker", "show", "15135296642", "--show-pii"])
        .ok()
        .stdout_has(&["15135296642"]);
    let rows = accesses(&d);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0][0].as_deref(),
        Some("worker show 151****6642 --show-pii")
    );
    assert!(rows[0][1].as_deref().is_some_and(|o| !o.is_empty()));
    assert_eq!(rows[0][2].as_deref(), Some("19"));

    // Recorded even when the command shows nothing, and numbers inside flags are masked.
    d.nf(&[
        "worker",
        "list",
        "--street",
        "柳巷",
        "--month",
        "2020-01",
        "--show-pii",
        "--format",
        "json",
    ])
    .ok();
    d.nf(&["report", "worker", "140106199006037169", "--show-pii"])
        .run();
    let rows = accesses(&d);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(
        rows[1][0].as_deref(),
        Some("worker list --street 柳巷 --month 2020-01 --show-pii --format json")
    );
    assert_eq!(
        rows[2][0].as_deref(),
        Some("report worker 140106********7169 --show-pii")
    );

    // Not recorded when the registry cannot be opened.
    d.bare()
        .args(&["--db", "missing.db", "worker", "list", "--show-pii"])
        .code(1);
    assert_eq!(accesses(&d).len(), 3);

    // The listing shows it, masked, and is not itself an access.
    let o = d.nf(&["access-log", "--format", "json"]).ok();
    let list = o.json_array();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["command"], "worker show 151****6642 --show-pii");
    assert!(list[0]["at"].as_str().is_some_and(|a| a.len() == 19));
    // Each access keeps the ledger digest of its moment.
    assert!(
        list[0]["ledger_digest"]
            .as_str()
            .is_some_and(|d| d.starts_with("8:") && d.len() == 18),
        "{}",
        list[0]
    );
    o.hides(&["15135296642", "140106199006037169"]);
    assert_eq!(o.stderr, "共 3 次查看\n");
    d.nf(&["access-log"]).ok().stdout_has(&[
        "worker show 151****6642 --show-pii",
        "时间",
        "操作人",
        "命令",
    ]);
    let o = d
        .nf(&["--lang", "en", "access-log", "--format", "csv"])
        .ok();
    assert_eq!(o.stderr, "3 accesses\n");
    assert_eq!(
        crate::util::bom_csv(&o.raw_stdout)[0],
        ["time", "operator", "command", "ledger digest"]
    );
    assert_eq!(accesses(&d).len(), 3);
}

#[test]
fn pii_command_line_masks_numbers_however_typed() {
    let line = |args: &[&str]| {
        pii_command_line(
            std::iter::once("nuanfeng")
                .chain(args.iter().copied())
                .map(Into::into),
        )
    };
    assert_eq!(line(&["worker", "list"]), None);
    assert_eq!(line(&["worker", "show", "--", "--show-pii"]), None);
    assert_eq!(
        line(&[
            "--db",
            "x.db",
            "worker",
            "update",
            "+86 136-2351-8847",
            "--phone=13912345678",
            "--note",
            "电话 13623518847, 证 14010619900603716x",
            "--show-pii",
        ])
        .as_deref(),
        Some(
            "worker update 136****8847 --phone=139****5678 --note \"电话 136****8847, 证 140106********716X\" \
             --show-pii"
        )
    );
}

/// Usage errors and refusals repeat what was typed; 备注 is free text: neither shows a full
/// 手机号 or 身份证号 without `--show-pii`, and the access log masks any long number.
#[test]
fn numbers_typed_or_written_in_notes_are_masked_everywhere_but_with_show_pii() {
    let d = District::new().checkins().points().build();
    let (phone, id) = ("15135296642", "140106199207071371");
    for args in [
        vec!["worker", "show", phone, "13912340002"],
        vec!["points", "balance", phone, id],
        vec!["checkin", phone],
        vec!["worker", "list", "--street", "13912340002"],
    ] {
        let out = d.nf(&args).run();
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(!out.stderr.is_empty(), "{args:?} says why it refused");
        for n in ["13912340002", id] {
            assert!(!all.contains(n), "{args:?} shows {n}:\n{all}");
        }
    }
    d.nf(&[
        "worker",
        "update",
        phone,
        "--note",
        "新号 13156270911 身份证140106198808024592",
    ])
    .ok();
    for args in [
        vec!["worker", "show", phone],
        vec!["worker", "list", "--format", "json"],
    ] {
        let out = d.nf(&args).ok();
        assert!(
            out.stdout.contains("131****0911") && out.stdout.contains("140106********4592"),
            "{}",
            out.stdout
        );
        assert!(!out.stdout.contains("13156270911") && !out.stdout.contains("198808024592"));
    }
    let mut shown = args_with_pii(&["worker", "show", phone]);
    let out = d.nf(&shown).ok();
    assert!(out.stdout.contains("13156270911"), "{}", out.stdout);
    // A phone with a stray digit typed as an argument is still masked in the log.
    shown = args_with_pii(&["worker", "show", "131562709111"]);
    d.nf(&shown).run();
    let logged = accesses(&d);
    let last = logged.last().unwrap()[0].clone().unwrap();
    assert_eq!(last, "worker show 131*****9111 --show-pii");
}

fn args_with_pii<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut v = args.to_vec();
    v.push("--show-pii");
    v
}
