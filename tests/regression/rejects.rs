//! The rejects file: never over another file, no number in clear in any column, private, one
//! per register, written by a dry run only when asked, its columns the file's own.

use super::clear_numbers;
use crate::util::{Dir, District, bom_csv, sorted};

#[test]
fn rejects_file_does_not_overwrite_the_registry_the_register_or_another_file() {
    let d = Dir::new();
    d.init();
    d.copy("13-street-names/workers.csv");
    d.write("notes.txt", "今天的工作记录\n");
    // Another register with a BOM: a BOM alone does not make a rejects file.
    d.copy_as("01-utf8-bom/workers.csv", "register.csv");
    let registry = d.read("nf.db");
    let register = d.read("workers.csv");
    let notes = d.read("notes.txt");
    let other = d.read("register.csv");
    for (target, message) in [
        (
            "nf.db",
            "错误：--rejects nf.db 就是台账库本身 — 给问题行另起一个文件名\n",
        ),
        (
            "./nf.db",
            "错误：--rejects ./nf.db 就是台账库本身 — 给问题行另起一个文件名\n",
        ),
        (
            "workers.csv",
            "错误：--rejects workers.csv 就是正在导入的文件 — 给问题行另起一个文件名\n",
        ),
        (
            "notes.txt",
            "错误：问题行文件 notes.txt 已经存在，而且不是问题行文件 — 它不会被覆盖；用 --rejects FILE 另起一个文件名\n",
        ),
        (
            "register.csv",
            "错误：问题行文件 register.csv 已经存在，而且不是问题行文件 — 它不会被覆盖；用 --rejects FILE 另起一个文件名\n",
        ),
    ] {
        let o = d
            .nf(&[
                "import",
                "workers",
                "--skip-invalid",
                "--rejects",
                target,
                "workers.csv",
            ])
            .code(1);
        assert_eq!(
            o.stderr,
            format!("workers.csv: 按 UTF-8 读取\n{message}"),
            "--rejects {target}"
        );
    }
    // The registry is the registry however NUANFENG_DB names it.
    d.bare()
        .args(&[
            "import",
            "workers",
            "--skip-invalid",
            "--rejects",
            "nf.db",
            "workers.csv",
        ])
        .env("NUANFENG_DB", "nf.db")
        .code(1)
        .stderr_has(&["错误：--rejects nf.db 就是台账库本身"]);
    // The default NAME.rejects.csv is not overwritten either when it is something else.
    d.write("workers.rejects.csv", "我自己的文件\n");
    d.nf(&["import", "workers", "--skip-invalid", "workers.csv"])
        .code(1)
        .stderr_has(&["问题行文件 workers.rejects.csv 已经存在，而且不是问题行文件"]);
    assert_eq!(d.read("workers.rejects.csv"), "我自己的文件\n".as_bytes());
    // Byte for byte as they were, and nothing imported.
    assert_eq!(d.read("nf.db"), registry, "the registry was changed");
    assert_eq!(d.read("workers.csv"), register);
    assert_eq!(d.read("notes.txt"), notes);
    assert_eq!(d.read("register.csv"), other);
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);

    // An earlier rejects file may be overwritten: it then holds the new file's rows only.
    d.nf(&[
        "import",
        "workers",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "workers.csv",
    ])
    .ok();
    let rows = bom_csv(&d.read("R.csv"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][4], "史红霞");
    assert!(
        d.read("R.csv")
            .starts_with("\u{FEFF}行号,表格行号,".as_bytes())
    );
    d.copy("04-excel-damage/workers.csv");
    d.nf(&[
        "import",
        "workers",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "workers.csv",
    ])
    .ok()
    .stderr_has(&["有问题 3（问题行已写入 R.csv）"]);
    let rows = bom_csv(&d.read("R.csv"));
    let lines: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(lines, ["3", "4", "5"]);
    assert!(rows.iter().all(|r| r[4] != "史红霞"), "{rows:?}");
}

#[test]
fn rejects_file_does_not_show_numbers_of_other_columns_or_let_others_read_it() {
    let d = Dir::new();
    d.init();
    d.write(
        "workers.csv",
        "姓名,性别,手机号,联系电话,身份证号,从业类型,所属街道,紧急联系人电话,备注\n魏东,男,13835261147,13912345678,140106198305068016,外卖员,柳港街道,15800001111,电话13612345678 证号14010620010314499X\n吕静,女,15035418863,13712345678,140106199108208088,外卖员,老军营街道,15800002222,\n",
    );
    let o = d
        .nf(&[
            "import",
            "workers",
            "--map",
            "联系电话=-",
            "--skip-invalid",
            "--rejects",
            "R.csv",
            "workers.csv",
        ])
        .ok();
    o.stderr_has(&[
        "workers.csv: 注意：这些列没有导入：紧急联系人电话（",
        "workers.csv:第2行: 所属街道(G): 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？\n",
        "workers.csv: 共 2 行：新增 1，更新 0，未变 0，有问题 1（问题行已写入 R.csv）\n",
    ]);
    assert!(clear_numbers(&o.stderr).is_empty(), "{}", o.stderr);
    // The worker that landed has the 手机号 column's number, not the ignored one.
    assert_eq!(d.workers()[0]["phone"], "15035418863");

    let bytes = d.read("R.csv");
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert_eq!(clear_numbers(&text), Vec::<String>::new(), "{text}");
    let rows = bom_csv(&bytes);
    assert_eq!(
        rows[0][4..],
        [
            "姓名",
            "性别",
            "手机号",
            "联系电话",
            "身份证号",
            "从业类型",
            "所属街道",
            "紧急联系人电话",
            "备注"
        ]
        .map(String::from)
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        rows[1][4..],
        [
            "魏东",
            "男",
            "138****1147",
            "139****5678",
            "140106********8016",
            "外卖员",
            "柳港街道",
            "158****1111",
            "电话136****5678 证号140106********499X",
        ]
        .map(String::from)
    );
    #[cfg(unix)]
    assert_eq!(d.mode("R.csv"), 0o600);

    // The default NAME.rejects.csv is private too.
    d.copy("13-street-names/workers.csv");
    d.nf(&["import", "workers", "--skip-invalid", "workers.csv"])
        .ok();
    #[cfg(unix)]
    assert_eq!(d.mode("workers.rejects.csv"), 0o600);
    let text = String::from_utf8(d.read("workers.rejects.csv")).unwrap();
    assert_eq!(clear_numbers(&text), Vec::<String>::new(), "{text}");
}

#[test]
fn rejects_file_does_not_show_full_width_numbers_of_unknown_columns() {
    let d = Dir::new();
    d.init();
    // Full-width digits are digits (the 手机号 column folds them to ASCII): a phone typed
    // with them in a remark is still a phone.
    d.write(
        "workers.csv",
        "姓名,手机号,从业类型,所属街道,备注\n魏东,13835261147,外卖员,柳港街道,电话１３６１２３４５６７８\n",
    );
    d.nf(&[
        "import",
        "workers",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "workers.csv",
    ])
    .ok();
    let folded: String = String::from_utf8(d.read("R.csv"))
        .unwrap()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            _ => c,
        })
        .collect();
    assert_eq!(clear_numbers(&folded), Vec::<String>::new(), "{folded}");
}

#[test]
fn rejects_file_does_not_mask_dates_or_division_codes() {
    let d = District::new().without_init().checkins().points().build();
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道,事项\n13623517804,20250706,柳港街道,日常报到\n",
    );
    d.nf(&[
        "import",
        "checkins",
        "--skip-invalid",
        "--rejects",
        "R1.csv",
        "checkins.csv",
    ])
    .ok();
    let rows = bom_csv(&d.read("R1.csv"));
    assert_eq!(
        rows[1][4..],
        ["136****7804", "20250706", "柳港街道", "日常报到"]
    );
    d.write(
        "streets.csv",
        "级别,代码,名称,上级代码\n社区,14010600,宁化府社区居委会,140106001\n",
    );
    d.nf(&[
        "import",
        "streets",
        "--skip-invalid",
        "--rejects",
        "R2.csv",
        "streets.csv",
    ])
    .ok();
    let rows = bom_csv(&d.read("R2.csv"));
    assert_eq!(rows[1][7], "140106001", "{:?}", rows[1]);
}

#[test]
fn two_registers_with_one_name_do_not_share_a_rejects_file() {
    let d = Dir::new();
    d.init();
    std::fs::create_dir(d.join("a")).unwrap();
    std::fs::create_dir(d.join("b")).unwrap();
    d.write(
        "a/workers.csv",
        "姓名,手机号,从业类型,所属街道\n甲,18600001111,快递员,柳巷街道\n乙,18600001112,快递员,柳港街道\n",
    );
    d.write(
        "b/workers.csv",
        "姓名,手机号,从业类型,所属街道\n丙,18600002221,快递员,桥东街道\n丁,18600002222,快递员,桥西街道\n戊,18600002223,快递员,郝庄\n",
    );
    d.nf(&[
        "import",
        "workers",
        "a/workers.csv",
        "b/workers.csv",
        "--skip-invalid",
    ])
    .ok()
    .stderr_has(&[
        "a/workers.csv: 共 2 行：新增 1，更新 0，未变 0，有问题 1（问题行已写入 workers.rejects.csv）\n",
        "b/workers.csv: 共 3 行：新增 2，更新 0，未变 0，有问题 1（问题行已写入 workers-2.rejects.csv）\n",
    ]);
    let a = bom_csv(&d.read("workers.rejects.csv"));
    assert_eq!(a.len(), 2, "{a:?}");
    assert_eq!(a[1][..2], ["3", "3"].map(String::from));
    assert_eq!(a[1][4], "乙");
    assert_eq!(a[1][7], "柳港街道");
    let b = bom_csv(&d.read("workers-2.rejects.csv"));
    assert_eq!(b.len(), 2, "{b:?}");
    assert_eq!(b[1][..2], ["3", "3"].map(String::from));
    assert_eq!(b[1][4], "丁");
    assert_eq!(b[1][7], "桥西街道");
    assert_eq!(sorted(&d.workers(), "name"), ["丙", "戊", "甲"]);
}

#[test]
fn dry_run_does_not_create_a_registry_or_an_unasked_rejects_file() {
    let d = Dir::new();
    d.copy("13-street-names/workers.csv");
    for extra in [&[][..], &["--skip-invalid"][..]] {
        let mut args = vec!["--db", "missing.db", "import", "workers", "--dry-run"];
        args.extend_from_slice(extra);
        args.push("workers.csv");
        let o = d.bare().args(&args).code(1);
        assert_eq!(
            o.stderr,
            "错误：找不到台账文件 missing.db — 先运行 nuanfeng init 新建：nuanfeng --db missing.db init \
             --district 140106（或导入一份台账），或用 --db 或 NUANFENG_DB 指定已有的文件\n",
            "{extra:?}"
        );
        assert!(!d.exists("missing.db"), "{extra:?} created the registry");
    }
    assert!(!d.exists("workers.rejects.csv"));

    d.init();
    let o = d
        .nf(&[
            "import",
            "workers",
            "--dry-run",
            "--skip-invalid",
            "workers.csv",
        ])
        .ok();
    assert_eq!(
        o.stderr,
        "workers.csv: 按 UTF-8 读取\nworkers.csv:第5行: 所属街道(I): 柳港街道: 不是已登记的街道 — 是不是“柳巷街道”？\nworkers.csv: 共 4 行：新增 3，更新 0，未变 0，有问题 1 — 试运行：台账库没有改动\n"
    );
    assert!(!d.exists("workers.rejects.csv"));
    // Asked for, the rejects file is written; the registry still is not.
    d.nf(&[
        "import",
        "workers",
        "--dry-run",
        "--skip-invalid",
        "--rejects",
        "R.csv",
        "workers.csv",
    ])
    .ok()
    .stderr_has(&[
        "workers.csv: 共 4 行：新增 3，更新 0，未变 0，有问题 1（问题行已写入 R.csv） — 试运行：台账库没有改动\n",
    ]);
    let rows = bom_csv(&d.read("R.csv"));
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "5");
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    assert_eq!(d.int("SELECT count(*) FROM import_batches"), 0);
}

#[test]
fn rejects_problem_column_is_not_a_header_the_file_lacks() {
    let d = Dir::new();
    d.init();
    d.import("workers", "12-overdraw/workers.csv");
    d.write(
        "checkins.csv",
        "手机号,报到日期,报到街道,报到社区,事项\n13453429918,2025-07-06,柳港街道,,日常报到\n",
    );
    d.nf(&[
        "import",
        "checkins",
        "--skip-invalid",
        "--rejects",
        "R1.csv",
        "checkins.csv",
    ])
    .ok()
    .stderr_has(&["checkins.csv:第2行: 报到街道(C): 柳港街道: 不是已登记的街道"]);
    let rows = bom_csv(&d.read("R1.csv"));
    assert_eq!(rows[1][2], "报到街道", "{:?}", rows[1]);
    d.write(
        "points.csv",
        "手机号,日期,类别,积分,说明\n13453429918,7月6日,志愿服务,5,参加防汛值守\n",
    );
    d.nf(&[
        "import",
        "points",
        "--skip-invalid",
        "--rejects",
        "R2.csv",
        "points.csv",
    ])
    .ok()
    .stderr_has(&["points.csv:第2行: 日期(B): 7月6日: 没有年份"]);
    let rows = bom_csv(&d.read("R2.csv"));
    assert_eq!(rows[1][2], "日期", "{:?}", rows[1]);
}
