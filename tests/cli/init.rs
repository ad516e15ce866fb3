//! `init` and the database file: the streets it seeds, where the registry is (`--db`,
//! `NUANFENG_DB`), and who may read it.

use crate::util::{Dir, YINGZE};

#[test]
fn init_without_district_makes_an_empty_registry() {
    let d = Dir::new();
    let o = d.nf(&["init"]).ok();
    assert_eq!(o.stderr.trim(), "已创建 nf.db");
    assert_eq!(o.stdout, "");
    assert_eq!(d.int("SELECT count(*) FROM streets"), 0);
    assert_eq!(d.int("PRAGMA user_version"), 19);
    // "NFNG": a stray SQLite file is not taken for a registry.
    assert_eq!(d.int("PRAGMA application_id"), 0x4E46_4E47);
    // Importing workers into a registry without streets says how to add them.
    d.copy("01-utf8-bom/workers.csv");
    d.nf(&["import", "workers", "workers.csv"])
        .code(1)
        .stderr_has(&[
            "workers.csv:第2行: 所属街道(I): 文庙街道: 还没有登记任何街道 — 先用 nuanfeng init --district 140106（本区的区划代码）",
        ]);
}

#[test]
fn init_with_district_code_seeds_the_seven_official_streets() {
    let d = Dir::new();
    let o = d.nf(&["init", "--district", "140106"]).ok();
    assert_eq!(
        o.stderr,
        "已创建 nf.db\n山西省太原市迎泽区（140106）：7 个街道，新增 7 个；112 个社区和村，新增 112 个\n"
    );
    let rows = d.rows("SELECT code, name, district_code FROM streets ORDER BY code");
    let expected: Vec<Vec<Option<String>>> = YINGZE
        .iter()
        .map(|(c, n)| {
            vec![
                Some(c.to_string()),
                Some(n.to_string()),
                Some("140106".to_string()),
            ]
        })
        .collect();
    assert_eq!(rows, expected);
    // And every official community of its streets, as the NBS list of 迎泽区 has them.
    let official = yingze_communities();
    assert_eq!(official.len(), 112);
    assert_eq!(
        d.rows(
            "SELECT c.code, c.name, s.code FROM communities c JOIN streets s ON s.id = c.street_id \
             ORDER BY c.code"
        ),
        official
    );
}

/// The communities of 迎泽区 in the NBS list of the district fixture (`级别,代码,名称,上级代码`):
/// code, name, street code, in code order.
fn yingze_communities() -> Vec<Vec<Option<String>>> {
    let text = String::from_utf8(crate::util::fixture_bytes("district/streets.csv")).unwrap();
    let mut rows: Vec<Vec<Option<String>>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[1].len() == 12)
        .map(|f| vec![Some(f[1].into()), Some(f[2].into()), Some(f[3].into())])
        .collect();
    rows.sort();
    rows
}

/// The streets of a district in the built-in NBS list (`src/data/divisions-2023.csv`).
fn streets_in_list(district: &str) -> usize {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/data/divisions-2023.csv");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| {
            l.split(',').nth(3) == Some(district)
                && l.split(',').nth(1).is_some_and(|c| c.len() == 9)
        })
        .count()
}

#[test]
fn a_second_district_is_refused_naming_the_first() {
    let d = Dir::new();
    d.init();
    let o = d.nf(&["init", "--district", "140105"]).code(1);
    assert_eq!(
        o.stderr,
        "nf.db 已经是台账\n错误：这本台账是山西省太原市迎泽区（140106）的，山西省太原市小店区（140105）是另一个区 — \
         给它另建一本台账：nuanfeng --db 小店区.db init --district 140105；一本台账确实要管几个区时，加上 \
         --multi-district\n"
    );
    let o = d
        .nf(&["--lang", "en", "init", "--district", "小店区"])
        .code(1);
    assert_eq!(
        o.stderr,
        "nf.db is already a registry\nerror: this registry belongs to 山西省太原市迎泽区 (140106); \
         山西省太原市小店区 (140105) is another district — give it a registry of its own: \
         `nuanfeng --db 小店区.db init --district 140105`; to keep several districts in one \
         registry, add --multi-district\n"
    );
    // Nothing of 小店区 was added.
    assert_eq!(d.int("SELECT count(*) FROM streets"), 7);
    assert_eq!(d.int("SELECT count(*) FROM communities"), 112);
    assert_eq!(
        d.int("SELECT count(*) FROM streets WHERE district_code <> '140106'"),
        0
    );
}

#[test]
fn a_registry_meant_to_span_districts_takes_the_second_and_its_bulletin_names_both() {
    let d = Dir::new();
    d.init();
    let xiaodian = streets_in_list("140105");
    assert!(xiaodian > 0);
    d.nf(&["init", "--district", "140105", "--multi-district"])
        .ok()
        .stderr_has(&[&format!(
            "山西省太原市小店区（140105）：{xiaodian} 个街道，新增 {xiaodian} 个；"
        )]);
    assert_eq!(d.int("SELECT count(*) FROM streets"), 7 + xiaodian as i64);
    assert_eq!(
        d.int("SELECT count(*) FROM streets WHERE district_code = '140105'"),
        xiaodian as i64
    );
    // 小店街道 is now a street of the registry.
    d.nf(&["worker", "list", "--street", "小店街道"]).ok();
    let r = d
        .nf(&[
            "report", "district", "--month", "2025-07", "--format", "json",
        ])
        .ok()
        .json();
    assert_eq!(
        r["title"],
        "小店区、迎泽区新就业群体党建工作简报（2025年7月）"
    );
    assert_eq!(r["district"]["name"], "小店区、迎泽区");
    assert_eq!(r["district"]["code"], serde_json::Value::Null);
    // A third district needs the flag again; the same one again is harmless.
    d.nf(&["init", "--district", "140107"])
        .code(1)
        .stderr_has(&["这本台账是山西省太原市小店区（140105）、山西省太原市迎泽区（140106）的"]);
    d.nf(&["init", "--district", "140105"])
        .ok()
        .stderr_has(&[&format!("{xiaodian} 个街道，新增 0 个；")]);
}

#[test]
fn init_again_seeds_the_communities_of_an_older_registry_keeping_those_typed_by_hand() {
    let d = Dir::new();
    d.init();
    // A registry of an older build: streets only, communities as registers typed them.
    d.conn().execute("DELETE FROM communities", []).unwrap();
    d.import("workers", "places/street-forms.csv");
    d.copy("places/wrong-communities.csv");
    d.nf(&[
        "import",
        "workers",
        "--skip-invalid",
        "--rejects",
        "r.csv",
        "wrong-communities.csv",
    ])
    .ok();
    let typed: Vec<String> = d
        .rows("SELECT name FROM communities ORDER BY id")
        .into_iter()
        .map(|r| r[0].clone().unwrap())
        .collect();
    // (宁化府社区居委会 a second time: the one written under 文庙街道.)
    assert_eq!(
        typed,
        [
            "宁化府社区居委会",
            "铁匠巷社区",
            "宁化付社区",
            "宁化府社区居委会",
            "新建社区"
        ]
    );
    d.nf(&["init", "--district", "140106"]).ok().stderr_has(&[
        "山西省太原市迎泽区（140106）：7 个街道，新增 0 个；112 个社区和村，新增 110 个",
    ]);
    // The typed ones matching an official community of their street took its code and name;
    // the others stay as typed.
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        d.rows(
            "SELECT s.name, c.name, c.code FROM communities c JOIN streets s ON s.id = c.street_id \
             WHERE c.id <= 5 ORDER BY c.id"
        ),
        [
            vec![
                some("柳巷街道"),
                some("宁化府社区居委会"),
                some("140106001002")
            ],
            vec![
                some("柳巷街道"),
                some("铁匠巷社区居委会"),
                some("140106001008")
            ],
            vec![some("柳巷街道"), some("宁化付社区"), None],
            vec![some("文庙街道"), some("宁化府社区居委会"), None],
            vec![some("柳巷街道"), some("新建社区"), None],
        ]
    );
    assert_eq!(d.int("SELECT count(*) FROM communities"), 115);
    // Workers keep their community.
    assert_eq!(
        d.int("SELECT count(*) FROM workers WHERE community_id IS NOT NULL"),
        8
    );
}

#[test]
fn init_with_district_name_seeds_the_same_streets_as_the_code() {
    for name in ["迎泽区", "太原市迎泽区", "山西省太原市迎泽区"] {
        let d = Dir::new();
        d.nf(&["init", "--district", name])
            .ok()
            .stderr_has(&["山西省太原市迎泽区（140106）：7 个街道，新增 7 个"]);
        let names: Vec<String> = d
            .rows("SELECT name FROM streets ORDER BY code")
            .into_iter()
            .map(|r| r[0].clone().unwrap())
            .collect();
        assert_eq!(names, YINGZE.map(|(_, n)| n.to_string()), "{name}");
    }
}

#[test]
fn init_on_an_existing_registry_adds_only_what_is_missing() {
    let d = Dir::new();
    d.nf(&["init"]).ok();
    d.nf(&["init", "--district", "140106"])
        .ok()
        .stderr_has(&["nf.db 已经是台账", "7 个街道，新增 7 个"]);
    let o = d.nf(&["init", "--district", "140106"]).ok();
    assert_eq!(
        o.stderr,
        "nf.db 已经是台账\n山西省太原市迎泽区（140106）：7 个街道，新增 0 个；112 个社区和村，新增 0 个\n"
    );
    assert_eq!(d.int("SELECT count(*) FROM streets"), 7);
    assert_eq!(d.int("SELECT count(*) FROM communities"), 112);
}

#[test]
fn init_with_an_ambiguous_district_name_lists_the_codes_and_creates_nothing() {
    let d = Dir::new();
    let o = d.nf(&["init", "--district", "新城区"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：有 2 个区县叫“新城区”，是哪一个？请用 --district 写它的代码：\n  \
         150102  内蒙古自治区呼和浩特市新城区\n  610102  陕西省西安市新城区\n"
    );
    assert!(!d.exists("nf.db"), "a refused init left a file behind");
    let o = d
        .nf(&["--lang", "en", "init", "--district", "新城区"])
        .code(1);
    assert_eq!(
        o.stderr,
        "error: 新城区 names 2 districts; which one? Pass its code with --district:\n  \
         150102  内蒙古自治区呼和浩特市新城区\n  610102  陕西省西安市新城区\n"
    );
    assert!(!d.exists("nf.db"), "a refused init left a file behind");
}

#[test]
fn init_with_an_unknown_district_creates_nothing() {
    let d = Dir::new();
    let o = d.nf(&["init", "--district", "不存在区"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：2023 年国家统计局区划代码里没有叫“不存在区”的区县 — 请改用 6 位代码，例如 \
         --district 140106\n"
    );
    assert_eq!(crate::util::english_run(&o.stderr), None);
    let o = d.nf(&["init", "--district", "999999"]).code(1);
    assert_eq!(
        o.stderr,
        "错误：999999 不是 2023 年国家统计局区划代码里的县级区划代码 — 请核对代码\n"
    );
    assert_eq!(crate::util::english_run(&o.stderr), None);
    // In English, as before.
    d.nf(&["--lang", "en", "init", "--district", "不存在区"])
        .code(1)
        .stderr_has(&[
            "error: no county-level district is named 不存在区 in the 2023 NBS list — give its \
             6-digit code, e.g. --district 140106\n",
        ]);
    d.nf(&["init", "--district", "999999"])
        .env("NUANFENG_LANG", "en")
        .code(1)
        .stderr_has(&["error: 999999 is not a county-level district code"]);
    assert!(!d.exists("nf.db"));
}

#[test]
fn commands_on_a_missing_database_name_it_and_create_nothing() {
    let d = Dir::new();
    let commands: [&[&str]; 6] = [
        &["worker", "list"],
        &["checkin", "list"],
        &["checkin", "add", "13623517804", "--date", "2025-07-01"],
        &["points", "balance"],
        &["points", "earn", "13623517804", "5"],
        &["report", "streets", "--month", "2025-07"],
    ];
    for args in commands {
        let mut all = vec!["--db", "missing.db"];
        all.extend_from_slice(args);
        let o = d.bare().args(&all).code(1);
        assert_eq!(
            o.stderr,
            "错误：找不到台账文件 missing.db — 先运行 nuanfeng init 新建：nuanfeng --db missing.db init \
             --district 140106（或导入一份台账），或用 --db 或 NUANFENG_DB 指定已有的文件\n",
            "{args:?}"
        );
        assert_eq!(o.stdout, "");
        assert!(!d.exists("missing.db"), "{args:?} created the file");
    }
    // The default location is ./nuanfeng.db.
    d.bare()
        .args(&["worker", "list"])
        .code(1)
        .stderr_has(&["找不到台账文件 nuanfeng.db"]);
    assert!(!d.exists("nuanfeng.db"));
}

#[cfg(unix)]
#[test]
fn database_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    let mode = |name: &str| {
        std::fs::metadata(d.join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    d.nf(&["init"]).ok();
    assert_eq!(mode("nf.db"), 0o600, "init");
    d.copy("district/streets.csv");
    // import may create the file too.
    d.bare()
        .args(&["--db", "imported.db", "import", "streets", "streets.csv"])
        .ok();
    assert_eq!(mode("imported.db"), 0o600, "import");
    d.bare().args(&["--db", "demo.db", "demo"]).ok();
    assert_eq!(mode("demo.db"), 0o600, "demo");
}

#[test]
fn nuanfeng_db_environment_variable_names_the_registry() {
    let d = Dir::new();
    d.bare()
        .args(&["init", "--district", "140106"])
        .env("NUANFENG_DB", "env.db")
        .ok()
        .stderr_has(&["已创建 env.db"]);
    assert!(d.exists("env.db"));
    assert!(!d.exists("nuanfeng.db"));
    // --db wins over the variable.
    d.bare()
        .args(&["--db", "flag.db", "init"])
        .env("NUANFENG_DB", "env.db")
        .ok()
        .stderr_has(&["已创建 flag.db"]);
    assert!(d.exists("flag.db"));
    // An empty variable is no choice: ./nuanfeng.db.
    d.bare()
        .args(&["init"])
        .env("NUANFENG_DB", "")
        .ok()
        .stderr_has(&["已创建 nuanfeng.db"]);
    assert!(d.exists("nuanfeng.db"));
}

#[test]
fn chinese_folder_and_file_names_work() {
    let d = Dir::new();
    std::fs::create_dir(d.join("台账")).unwrap();
    d.copy_as("02-gbk/workers.csv", "台账/从业人员台账.csv");
    d.bare()
        .args(&["--db", "台账/2025.db", "init", "--district", "迎泽区"])
        .ok()
        .stderr_has(&["已创建 台账/2025.db"]);
    d.bare()
        .args(&[
            "--db",
            "台账/2025.db",
            "import",
            "workers",
            "台账/从业人员台账.csv",
        ])
        .ok()
        .stderr_has(&["台账/从业人员台账.csv: 共 4 行：新增 4，更新 0，未变 0"]);
    // A folder that does not exist is named.
    d.bare()
        .args(&["--db", "没有/x.db", "init"])
        .code(1)
        .stderr_has(&["无法创建 没有/x.db：文件夹 没有 不存在"]);
}
