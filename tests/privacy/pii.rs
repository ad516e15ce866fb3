//! PII discipline (PIPL): whatever the input, no full 身份证号 or 手机号 that occurs in it
//! comes back out unless `--show-pii` is given. Every bad input the suite knows (the refused
//! and partly rejected fixtures, the damaged example, and cases invented here) is imported
//! refused, dry run, and skipping invalid rows into a rejects file; then the workers are
//! looked up by every number the inputs hold. Every stdout, stderr and rejects file is
//! searched for those numbers in clear, full-width digits folded.

use nuanfeng::internals::model::id_check_char;

use crate::util::{self, Dir, Output};

/// 身份证号 (18 characters: 17 digits and a digit or X) and 手机号 (11 digits, 1[3-9]…) in
/// `text`, after full-width digits and X are folded to ASCII: the runs of digits of exactly
/// those shapes.
fn numbers_in(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut found = Vec::new();
    let mut run = String::new();
    for c in folded.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        let id = run.len() == 18 || (run.len() == 17 && c == 'X');
        let phone = run.len() == 11 && run.starts_with('1') && !run[1..2].contains(['0', '1', '2']);
        if id {
            found.push(if run.len() == 17 {
                format!("{run}X")
            } else {
                run.clone()
            });
        } else if phone {
            found.push(run.clone());
        }
        run.clear();
    }
    found
}

/// Full-width digits and X as ASCII, x as X.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'Ｘ' | 'ｘ' | 'x' => 'X',
            _ => c,
        })
        .collect()
}

/// Register bytes as text: UTF-8 (BOM or not) as is; anything else decoded as GBK as far as
/// numbers go (ASCII, and full-width digits `A3 B0`…`A3 B9`, X `A3 D8`, x `A3 F8`).
fn text_of(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            out.push(b as char);
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        out.push(match (b, next) {
            (0xA3, 0xB0..=0xB9) => char::from(b'0' + (next - 0xB0)),
            (0xA3, 0xD8 | 0xF8) => 'X',
            _ => '·',
        });
        i += 2;
    }
    out
}

/// A register to import: its kind, a file name, and its bytes.
struct Register {
    kind: &'static str,
    name: String,
    bytes: Vec<u8>,
}

fn fixture(kind: &'static str, rel: &str) -> Register {
    Register {
        kind,
        name: rel.replace('/', "-"),
        bytes: util::fixture_bytes(rel),
    }
}

fn example(kind: &'static str, name: &str) -> Register {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    Register {
        kind,
        name: name.to_string(),
        bytes: std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
}

fn written(kind: &'static str, name: &str, text: &str) -> Register {
    Register {
        kind,
        name: name.to_string(),
        bytes: text.as_bytes().to_vec(),
    }
}

/// A case: registers that land first (the workers the bad rows refer to), then the bad ones.
struct Case {
    name: &'static str,
    good: Vec<Register>,
    bad: Vec<Register>,
}

/// A valid 身份证号 with the first 17 characters given (GB 11643-1999 check character).
fn valid_id(first17: &str) -> String {
    let check = id_check_char(first17.as_bytes()) as char;
    format!("{first17}{check}")
}

/// The same number with a wrong check character.
fn wrong_check(first17: &str) -> String {
    let right = id_check_char(first17.as_bytes());
    let wrong = if right == b'0' { '1' } else { '0' };
    format!("{first17}{wrong}")
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            'X' => 'Ｘ',
            _ => c,
        })
        .collect()
}

fn cases() -> Vec<Case> {
    let workers_11 = || fixture("workers", "11-unknown-worker/workers.csv");
    let workers_12 = || fixture("workers", "12-overdraw/workers.csv");
    let (id_a, id_b) = (valid_id("14010619900101123"), valid_id("14010619851231456"));
    let (phone_a, phone_b) = ("13623510001", "15903510002");
    let two = written(
        "workers",
        "two.csv",
        &format!(
            "姓名,性别,手机号,身份证号,从业类型,所属街道\n\
             甲乙,男,{phone_a},{id_a},快递员,柳巷街道\n\
             丙丁,女,{phone_b},{id_b},外卖员,柳巷街道\n"
        ),
    );
    let two_again = || {
        written(
            "workers",
            "two.csv",
            &String::from_utf8(two.bytes.clone()).expect("UTF-8"),
        )
    };
    let bad_id = wrong_check("14010619920202345");
    let fw_id = valid_id("14010619930303567");
    vec![
        Case {
            name: "04-excel-damage",
            good: vec![],
            bad: vec![fixture("workers", "04-excel-damage/workers.csv")],
        },
        Case {
            name: "07-unknown-value",
            good: vec![],
            bad: vec![fixture("workers", "07-synonyms/workers-unknown-value.csv")],
        },
        Case {
            name: "08-duplicate-field",
            good: vec![],
            bad: vec![fixture("workers", "08-duplicate-field/workers.csv")],
        },
        Case {
            name: "11-unknown-worker",
            good: vec![workers_11()],
            bad: vec![fixture("checkins", "11-unknown-worker/checkins.csv")],
        },
        Case {
            name: "12-overdraw",
            good: vec![workers_12()],
            bad: vec![fixture("points", "12-overdraw/points.csv")],
        },
        Case {
            name: "membership-bad",
            good: vec![],
            bad: vec![fixture("workers", "membership/workers-bad.csv")],
        },
        Case {
            name: "workers-damaged",
            good: vec![],
            bad: vec![example("workers", "workers-damaged.csv")],
        },
        Case {
            name: "phone-conflict",
            good: vec![two_again()],
            bad: vec![written(
                "workers",
                "clash.csv",
                // A's ID with B's phone; a new ID with A's phone.
                &format!(
                    "姓名,性别,手机号,身份证号,从业类型,所属街道\n\
                     甲乙,男,{phone_b},{id_a},快递员,柳巷街道\n\
                     戊己,男,{phone_a},{},快递员,柳巷街道\n",
                    valid_id("14010620000101789")
                ),
            )],
        },
        Case {
            name: "unknown-phone-and-misnamed",
            good: vec![two_again()],
            bad: vec![written(
                "checkins",
                "checkins.csv",
                &format!(
                    "姓名,手机号,身份证号,报到日期,报到街道\n\
                     路人乙,13912345678,,2025-07-02,柳巷街道\n\
                     路人丙,,{},2025-07-02,柳巷街道\n\
                     甲丙,{phone_a},,2025-07-02,柳巷街道\n\
                     丙丁,{phone_b},{id_a},2025-07-02,柳巷街道\n",
                    valid_id("14010619770707777")
                ),
            )],
        },
        Case {
            name: "overdraw",
            good: vec![two_again()],
            bad: vec![written(
                "points",
                "points.csv",
                &format!(
                    "姓名,手机号,日期,类别,积分,说明\n\
                     甲乙,{phone_a},2025-07-01,志愿服务,5,值守\n\
                     甲乙,{phone_a},2025-07-02,积分兑换,-50,兑换保温杯\n\
                     丙丁,,2025-07-02,积分兑换,-1,兑换\n"
                ),
            )],
        },
        Case {
            name: "malformed-numbers",
            good: vec![],
            bad: vec![written(
                "workers",
                "malformed.csv",
                &format!(
                    "姓名,性别,手机号,身份证号,从业类型,所属街道,备注\n\
                     张一,男,13800001111,{bad_id},快递员,柳巷街道,\n\
                     张二,男,{},{},快递员,不存在街道,\n\
                     张三,男,1380000222,{},骑车,柳巷街道,又名电话13800003333\n\
                     13800004444,男,,{},快递员,柳巷街道,\n\
                     张五,男,13800005555 13800006666,,快递员,柳巷街道,\n\
                     张六,男,13800007777,{}0,快递员,柳巷街道,\n",
                    full_width("13800002222"),
                    full_width(&fw_id),
                    valid_id("14010619940404678"),
                    valid_id("14010619950505789"),
                    valid_id("14010619960606890"),
                ),
            )],
        },
        Case {
            name: "numbers-in-other-columns",
            good: vec![],
            bad: vec![written(
                "workers",
                "other-columns.csv",
                &format!(
                    "姓名,性别,手机号,身份证号,从业类型,所属街道,入职日期\n\
                     李一,男,13800008888,,快递员,13800009999,{}\n\
                     {},男,13800010000,,快递员,柳巷街道,\n",
                    valid_id("14010619970707901"),
                    valid_id("14010619980808012"),
                ),
            )],
        },
        Case {
            // A number where a header should be: warned about as an unknown column.
            name: "number-as-header",
            good: vec![],
            bad: vec![written(
                "workers",
                "number-header.csv",
                &format!(
                    "姓名,手机号,身份证号,从业类型,所属街道,13912340000,{}\n\
                     王二,13800012222,,快递员,柳巷街道,x,y\n\
                     王三,13800013333,,厨师,柳巷街道,,\n",
                    valid_id("14010619880808234")
                ),
            )],
        },
        Case {
            // A known worker's number changed: the import's notes name the worker.
            name: "changed-numbers",
            good: vec![two_again()],
            bad: vec![written(
                "workers",
                "changed.csv",
                &format!(
                    "姓名,性别,手机号,身份证号,从业类型,所属街道\n\
                     甲乙,男,13623519999,{id_a},快递员,柳巷街道\n\
                     丙丁,女,{phone_b},{},外卖员,柳巷街道\n\
                     丙丁,女,{phone_b},,外卖员,不存在街道\n",
                    valid_id("14010619851231457")
                ),
            )],
        },
        Case {
            name: "no-header",
            good: vec![],
            bad: vec![written(
                "workers",
                "no-header.csv",
                &format!(
                    "王一,男,13800011111,{},快递员,柳巷街道\n",
                    valid_id("14010619990909123")
                ),
            )],
        },
    ]
}

/// Everything the commands of one case printed or wrote, labelled.
#[derive(Default)]
struct Seen {
    outputs: Vec<(String, String)>,
    /// Look-ups by number that found a worker (and so printed one, masked).
    found: usize,
}

impl Seen {
    fn add(&mut self, label: String, o: &Output) {
        self.outputs
            .push((format!("{label} (stdout)"), o.stdout.clone()));
        self.outputs
            .push((format!("{label} (stderr)"), o.stderr.clone()));
    }

    fn add_file(&mut self, d: &Dir, name: &str) {
        if d.exists(name) {
            let text = String::from_utf8_lossy(&d.read(name)).into_owned();
            self.outputs.push((format!("rejects file {name}"), text));
        }
    }
}

fn run_case(case: &Case) -> (Vec<String>, Seen) {
    let d = Dir::new();
    d.init();
    let mut secrets = Vec::new();
    let mut seen = Seen::default();
    for r in case.good.iter().chain(&case.bad) {
        d.write(&r.name, &r.bytes);
        secrets.extend(numbers_in(&text_of(&r.bytes)));
    }
    for r in &case.good {
        d.nf(&["import", r.kind, &r.name]).ok();
    }
    for (n, r) in case.bad.iter().enumerate() {
        let rejects = format!("r{n}.csv");
        let dry_rejects = format!("r{n}-dry.csv");
        let runs: Vec<Vec<&str>> = vec![
            vec!["import", r.kind, &r.name],
            vec!["import", r.kind, &r.name, "--dry-run"],
            vec![
                "import",
                r.kind,
                &r.name,
                "--skip-invalid",
                "--dry-run",
                "--rejects",
                &dry_rejects,
            ],
            vec![
                "import",
                r.kind,
                &r.name,
                "--skip-invalid",
                "--rejects",
                &rejects,
            ],
            // Without --rejects: NAME.rejects.csv in the current folder.
            vec!["import", r.kind, &r.name, "--skip-invalid"],
        ];
        for args in runs {
            let o = d.nf(&args).run();
            seen.add(args.join(" "), &o);
        }
        seen.add_file(&d, &rejects);
        seen.add_file(&d, &dry_rejects);
        let stem = r.name.trim_end_matches(".csv");
        seen.add_file(&d, &format!("{stem}.rejects.csv"));
    }
    secrets.sort();
    secrets.dedup();
    for format in ["table", "json", "csv"] {
        let args = ["worker", "list", "--format", format];
        seen.add(args.join(" "), &d.nf(&args).run());
    }
    for s in &secrets {
        for args in [
            vec!["worker", "show", s.as_str()],
            vec!["worker", "show", s.as_str(), "--format", "json"],
            vec!["points", "statement", s.as_str()],
            vec!["points", "statement", s.as_str(), "--format", "json"],
            vec!["report", "worker", s.as_str()],
            vec!["report", "worker", s.as_str(), "--format", "json"],
        ] {
            let o = d.nf(&args).run();
            if o.code == Some(0) {
                seen.found += 1;
            }
            seen.add(args.join(" "), &o);
        }
    }
    (secrets, seen)
}

#[test]
fn no_full_id_number_or_phone_of_any_bad_input_is_ever_shown() {
    let mut leaks = Vec::new();
    let (mut checked, mut found) = (0, 0);
    for case in cases() {
        let (secrets, seen) = run_case(&case);
        assert!(
            !secrets.is_empty() || case.name == "08-duplicate-field",
            "{}: no numbers found in the inputs",
            case.name
        );
        checked += secrets.len();
        found += seen.found;
        // `PII_DUMP=1 cargo test --test pii -- --nocapture` shows what was searched.
        if std::env::var_os("PII_DUMP").is_some() {
            eprintln!("== {}: {secrets:?}", case.name);
            for (label, text) in &seen.outputs {
                eprintln!("-- {label}\n{text}");
            }
        }
        for (label, text) in &seen.outputs {
            let text = fold(text);
            for s in &secrets {
                if text.contains(s.as_str()) {
                    leaks.push(format!("{}: {label}: {s}\n{text}", case.name));
                }
            }
        }
    }
    assert!(checked > 30, "only {checked} numbers checked");
    assert!(found > 30, "only {found} look-ups found a worker");
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n---\n")
    );
}

#[test]
fn the_number_finder_finds_ids_and_phones_in_any_width() {
    let id = valid_id("14010619900101123");
    let text = format!(
        "a,{},{}x,13912345678,1391234567,139123456789,12345678901,{}",
        id,
        &id[..17],
        full_width("15903510002")
    );
    assert_eq!(
        numbers_in(&text),
        [
            id.clone(),
            format!("{}X", &id[..17]),
            "13912345678".into(),
            "15903510002".into()
        ]
    );
    // GBK full-width digits.
    let gbk: Vec<u8> = "13912345678"
        .bytes()
        .flat_map(|b| [0xA3, 0xB0 + (b - b'0')])
        .collect();
    assert_eq!(numbers_in(&text_of(&gbk)), ["13912345678"]);
}

#[test]
fn a_panic_shows_where_it_happened_but_not_its_message() {
    let d = Dir::new();
    let secret = "身份证号 140106199001011234 手机号 13912345678";
    let o = d
        .bare()
        .args(&["--version"])
        .env("NUANFENG_TEST_PANIC", secret)
        .env("RUST_BACKTRACE", "1")
        .code(101);
    o.stderr_has(&["error: internal error at src/main.rs:", "please report it"])
        .hides(&["140106199001011234", "13912345678"]);
    assert_eq!(o.stdout, "");
}
