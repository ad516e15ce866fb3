//! The most common mistakes of a register — a damaged 身份证号, a short 手机号, a misspelt
//! street, a date without its year — as each language words them: Chinese by default, in the
//! form `文件:第N行: 列名(列): 值: 问题 — 怎么改`, and today's English with `--lang en`.

use crate::util::Dir;

fn register() -> Dir {
    let d = Dir::new();
    d.init();
    d.copy("15-common-mistakes/workers.csv");
    d
}

#[test]
fn common_mistakes_in_chinese() {
    let d = register();
    let o = d.nf(&["import", "workers", "workers.csv"]).code(1);
    let lines: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(lines[0], "workers.csv: 按 UTF-8 读取");
    assert_eq!(
        lines[1],
        "workers.csv:第3行: 身份证号(C): 140106*********1333: 有 19 位，应为 18 位 — 核对号码"
    );
    assert_eq!(
        lines[2],
        "workers.csv:第4行: 手机号(B): 159***1442: 不是手机号（11 位，13–19 开头）— 核对号码"
    );
    // The street's problem is worded by the registry; its place and value are the import's.
    assert!(
        lines[3].starts_with("workers.csv:第5行: 所属街道(E): 柳港街道: "),
        "{}",
        lines[3]
    );
    assert!(lines[3].contains("柳巷街道"), "{}", lines[3]);
    // The form of the fix is the cell with a place for the year: no year is guessed (a
    // register of last year would be recorded a year off).
    assert_eq!(
        lines[4],
        "workers.csv:第6行: 入职日期(F): 7月6日: 没有年份 — 写上四位年份：YYYY年7月6日（YYYY 换成年份）；年份不会替你猜"
    );
    assert_eq!(
        lines[5],
        "错误：workers.csv: 共 5 行，其中 4 行有问题（见上）；什么都没有导入 — 改正后再导入，或用 \
         --skip-invalid --rejects FILE 只导入没有问题的行"
    );
    assert_eq!(lines.len(), 6, "{}", o.stderr);
    for line in lines.iter().filter(|l| !l.contains("所属街道(E)")) {
        assert_eq!(crate::util::english_run(line), None, "{line}");
    }
    // Nothing landed, and no number was shown in full.
    assert_eq!(d.int("SELECT count(*) FROM workers"), 0);
    o.hides(&["1401061991102011333", "1590351442"]);

    // With --skip-invalid the good row lands; the summary and the rejects file are Chinese.
    let o = d
        .nf(&[
            "import",
            "workers",
            "workers.csv",
            "--skip-invalid",
            "--rejects",
            "R.csv",
        ])
        .ok();
    o.stderr_has(&[
        "workers.csv: 共 5 行：新增 1，更新 0，未变 0，有问题 4（问题行已写入 R.csv）\n",
    ]);
    let rows = crate::util::bom_csv(&d.read("R.csv"));
    assert_eq!(rows[0][..4], ["行号", "表格行号", "问题列", "问题"]);
    assert_eq!(rows[1][3], "身份证号(C): 有 19 位，应为 18 位 — 核对号码");
}

#[test]
fn common_mistakes_in_english() {
    let d = register();
    let o = d
        .nf(&["--lang", "en", "import", "workers", "workers.csv"])
        .code(1);
    assert_eq!(
        o.stderr,
        "workers.csv: read as UTF-8\n\
         workers.csv:3: 身份证号 (C): 140106*********1333: has 19 characters, not 18 — check the number\n\
         workers.csv:4: 手机号 (B): 159***1442: is not a mobile number (11 digits starting 13–19) — check the number\n\
         workers.csv:5: 所属街道 (E): 柳港街道: not a known street — did you mean 柳巷街道?\n\
         workers.csv:6: 入职日期 (F): 7月6日: has no year — write the four-digit year in: YYYY年7月6日 (YYYY being the year); a year is never guessed\n\
         error: workers.csv: 4 of 5 rows have problems (listed above); nothing was imported — correct them, or land the good rows with --skip-invalid --rejects FILE\n"
    );
    let o = d
        .nf(&[
            "import",
            "workers",
            "workers.csv",
            "--skip-invalid",
            "--rejects",
            "R.csv",
        ])
        .env("NUANFENG_LANG", "en")
        .ok();
    o.stderr_has(&[
        "workers.csv: 5 rows: 1 new, 0 updated, 0 unchanged, 4 rejected (written to R.csv)\n",
    ]);
    let rows = crate::util::bom_csv(&d.read("R.csv"));
    assert_eq!(rows[0][..4], ["line", "row", "columns", "problems"]);
    assert_eq!(
        rows[1][3],
        "身份证号 (C): has 19 characters, not 18 — check the number"
    );
    // An English rejects file is a rejects file: importing again may replace it.
    d.nf(&[
        "import",
        "workers",
        "workers.csv",
        "--skip-invalid",
        "--rejects",
        "R.csv",
    ])
    .ok();
}

#[test]
fn period_flags_in_both_languages() {
    let d = Dir::new();
    d.init();
    let o = d.nf(&["report", "streets", "--month", "2025-13"]).code(2);
    o.stderr_has(&["--month 2025-13: 不是月份 — 写成 2025-07 这样"]);
    let o = d
        .nf(&["--lang", "en", "report", "streets", "--month", "2025-13"])
        .code(2);
    o.stderr_has(&["--month 2025-13: not a month — write it as 2025-07"]);
}
