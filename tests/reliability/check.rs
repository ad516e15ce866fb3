//! `check` is one line on a sound registry and lists every kind of damage made behind the
//! program's back.

use super::damage_an_index;
use crate::util::{self, DB, Dir, District, english_run};

/// 郭志伟: 13623517804, 140106198503126010.
const GUO_PHONE: &str = "13623517804";
const GUO_ID: &str = "140106198503126010";

#[test]
fn a_clean_registry_passes_every_check_in_one_line() {
    let d = District::new().checkins().points().build();
    let o = d.nf(&["check"]).ok();
    assert_eq!(o.stdout, "");
    assert_eq!(
        o.stderr,
        "nf.db：全部检查通过（结构、完整性、外键、积分账、人员、报到汇总、日期、站点与街道、积分商城、文件）\n"
    );
    assert_eq!(english_run(&o.stderr), None, "{}", o.stderr);
    let o = d.nf(&["--lang", "en", "check"]).ok();
    assert_eq!(
        o.stderr,
        "nf.db: all checks passed (schema, integrity, foreign keys, ledger, people, rollup, dates, stations and streets, gift shop, files)\n"
    );
    let o = d.nf(&["-q", "check"]).ok();
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("", ""));
}

/// The district with damage of every kind made behind the program's back: an orphan
/// check-in and service, 郭志伟 registered twice more, a wrong rollup, a ledger seal removed.
fn damaged_district() -> Dir {
    let d = District::new().checkins().points().build();
    d.conn()
        .execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             -- A check-in of a worker who does not exist (its rollup row added too, so that
             -- only the foreign key is broken).
             INSERT INTO checkins (worker_id, date, street_id, purpose, event_key)
             VALUES (999, '2025-07-09', 1, '日常报到', 12345);
             INSERT INTO checkin_months (month, worker_id, street_id, checkins)
             VALUES (202507, 999, 1, 1);
             -- A volunteer service at a street that does not exist.
             INSERT INTO services (worker_id, date, activity, minutes, street_id, event_key, entered_at)
             VALUES (1, '2025-07-10', '巡查', 60, 77, 54321, '2025-07-10 10:00:00');
             -- 郭志伟 registered twice more: his 身份证号 with a space, his 手机号 with +86.
             PRAGMA ignore_check_constraints = ON;
             INSERT INTO workers (name, id_number, occupation, street_id)
             VALUES ('郭志伟', '140106 198503126010', 'courier', 1);
             INSERT INTO workers (name, phone, occupation, street_id)
             VALUES ('郭志伟', '+86 {GUO_PHONE}', 'courier', 1);
             -- One more check-in counted in the rollup than there are.
             UPDATE checkin_months SET checkins = checkins + 1
             WHERE month = 202507 AND worker_id = (SELECT id FROM workers WHERE phone = '{GUO_PHONE}')
               AND street_id = (SELECT id FROM streets WHERE name = '柳巷街道');
             -- A ledger seal removed.
             DROP TRIGGER ledger_seals_no_delete;
             DELETE FROM ledger_seals WHERE entry_id = 3;"
        ))
        .unwrap();
    d
}

#[test]
fn check_lists_orphans_duplicate_people_a_broken_ledger_and_a_wrong_rollup() {
    let d = damaged_district();
    let o = d.nf(&["--lang", "en", "check"]).code(1);
    o.hides(&[GUO_PHONE, GUO_ID]);
    let expected = [
        "schema: 1 problem — another program changed the registry's tables, indexes or \
         triggers, so its rules no longer hold (a missing unique index lets rows be stored \
         twice) — restore a backup made before the change",
        "  trigger ledger_seals_no_delete is missing",
        "integrity: 2 problems — the file is damaged (a disk fault, a copy taken while it was \
         written) or holds rows that break the schema's rules (written by another program with \
         the checks off) — restore the latest good backup with `nuanfeng restore FILE`",
        // The two rows written past the CHECK constraints.
        "  CHECK constraint failed in workers",
        "  CHECK constraint failed in workers",
        "foreign keys: 2 problems — rows point at a row that does not exist (another program \
         wrote with foreign keys off) — restore a backup made before, or add the missing row again",
        "  checkins row 11: worker_id 999 — no such row in workers",
        "  services row 1: street_id 77 — no such row in streets",
        "ledger: 2 problems — the points ledger was changed by another program — `nuanfeng \
         points check` explains each entry; restore a backup made before the change",
        "  the ledger's protecting triggers are gone (ledger_seals_no_delete): another program \
         changed the file's schema — restore it from a backup",
        "  entry 3 of 李浩: has no seal: it was added by another program",
        "people: 4 problems — one person is registered more than once, or a number is stored in \
         a form the lookups miss — keep one row, correct it with `nuanfeng worker update`, and \
         move or re-import the other's records",
        "  worker #9 郭志伟: 身份证号 stored as 140106*********6010, not as 140106********6010 — \
         lookups by 身份证号 miss it",
        "  worker #10 郭志伟: 手机号 stored as +86********7804, not as 136****7804 — lookups by \
         手机号 miss it",
        "  身份证号 140106********6010 is registered 2 times: #1 郭志伟 (as 140106********6010), \
         #9 郭志伟 (as 140106*********6010)",
        "  手机号 136****7804 is registered 2 times: #1 郭志伟 (as 136****7804), #10 郭志伟 (as \
         +86********7804)",
        "rollup: 1 problem — the monthly check-in counts behind 报到人数 disagree with the \
         check-ins (another program changed one of them) — restore a backup made before the change",
        "  2025-07, 郭志伟 (#1), 柳巷街道: checkin_months counts 3 check-ins, checkins holds 2",
    ];
    assert_eq!(
        o.stdout.lines().collect::<Vec<_>>(),
        expected,
        "{}",
        o.stdout
    );
    assert_eq!(
        o.stderr,
        "error: nf.db: 12 problems (schema, integrity, foreign keys, ledger, people, rollup listed above); passed: dates, stations and streets, gift shop, files\n"
    );
}

#[test]
fn check_lists_every_kind_of_damage_in_chinese() {
    let d = damaged_district();
    let o = d.nf(&["check"]).code(1);
    o.hides(&[GUO_PHONE, GUO_ID]);
    let lines: Vec<&str> = o.stdout.lines().collect();
    let expected = [
        "结构：1 个问题 — 有别的程序改动了台账的数据表、索引或触发器，台账的规则不再成立（少了唯一\
         索引，同一行就可能存两次）— 用改动之前的备份恢复",
        "  缺少触发器 ledger_seals_no_delete",
        "完整性：2 个问题 — 文件已损坏（磁盘故障，或在写入时复制了文件），或有违反台账规则的行\
         （别的程序关掉检查后写入的）— 用 nuanfeng restore FILE 恢复最近一份完好的备份",
        // SQLite's own report, quoted as it says it.
        "  CHECK constraint failed in workers",
        "  CHECK constraint failed in workers",
        "外键：2 个问题 — 有的行指向不存在的记录（别的程序在关掉外键检查时写入的）— 用之前的备份\
         恢复，或把缺的那一行补回来",
        "  checkins 第 11 行：worker_id 999 — workers 里没有这一行",
        "  services 第 1 行：street_id 77 — streets 里没有这一行",
        "积分账：2 个问题 — 积分账被别的程序改动过 — nuanfeng points check 会逐条说明；用改动之前\
         的备份恢复",
    ];
    assert_eq!(lines[..expected.len()], expected, "{}", o.stdout);
    // The ledger's own findings (worded by the ledger's check), the entry named in Chinese.
    assert!(
        lines[expected.len() + 1].starts_with("  分录 3（李浩）："),
        "{}",
        o.stdout
    );
    let expected_rest = [
        "人员：4 个问题 — 同一个人登记了不止一次，或号码的存法让查找找不到 — 保留一行，用 nuanfeng \
         worker update 改正，把另一行的记录移过来或重新导入",
        "  从业人员 #9 郭志伟：身份证号存成了 140106*********6010，而不是 140106********6010 — 按身份证号\
         查找会漏掉",
        "  从业人员 #10 郭志伟：手机号存成了 +86********7804，而不是 136****7804 — 按手机号查找会漏掉",
        "  身份证号 140106********6010 登记了 2 次：#1 郭志伟（存为 140106********6010）、#9 郭志伟\
         （存为 140106*********6010）",
        "  手机号 136****7804 登记了 2 次：#1 郭志伟（存为 136****7804）、#10 郭志伟（存为 \
         +86********7804）",
        "报到汇总：1 个问题 — 报到人数背后的每月报到汇总和报到记录对不上（别的程序改动了其中之一）\
         — 用改动之前的备份恢复",
        "  2025-07，郭志伟 (#1)，柳巷街道：checkin_months 记有 3 次报到，checkins 里有 2 次",
    ];
    assert_eq!(lines[expected.len() + 2..], expected_rest, "{}", o.stdout);
    assert_eq!(
        o.stderr,
        "错误：nf.db：12 个问题（结构、完整性、外键、积分账、人员、报到汇总，已在上面列出）；通过：日期、站点与街道、积分商城、文件\n"
    );
    // No English sentence, but for SQLite's own report and the ledger's findings.
    for l in lines
        .iter()
        .filter(|l| {
            !l.starts_with("  CHECK constraint")
                && !l.starts_with("  分录")
                && !l.starts_with("  the ledger")
        })
        .chain([&o.stderr.as_str()])
    {
        assert_eq!(english_run(l), None, "{l}");
    }
}

#[test]
fn check_finds_a_damaged_file() {
    let d = District::new().checkins().points().build();
    damage_an_index(&d.join(DB));
    let o = d.nf(&["check"]).code(1);
    assert!(
        o.stdout.starts_with(
            "完整性：1 个问题 — 文件已损坏（磁盘故障，或在写入时复制了文件），或有违反台账规则的行\
             （别的程序关掉检查后写入的）— 用 nuanfeng restore FILE 恢复最近一份完好的备份\n"
        ),
        "{}",
        o.stdout
    );
    o.stderr_has(&["错误：nf.db：", "完整性"]);
    assert_eq!(english_run(&o.stderr), None, "{}", o.stderr);
    assert_eq!(english_run(o.stdout.lines().next().unwrap()), None);
    let o = d.nf(&["--lang", "en", "check"]).code(1);
    assert!(
        o.stdout.starts_with(
            "integrity: 1 problem — the file is damaged (a disk fault, a copy taken while it was \
             written) or holds rows that break the schema's rules (written by another program \
             with the checks off) — restore the latest good backup with `nuanfeng restore FILE`\n"
        ),
        "{}",
        o.stdout
    );
    o.stderr_has(&["error: nf.db: ", "integrity"]);
}

/// A unique index dropped by another program would let a re-import store its rows twice:
/// `check` names it, and anything added that a registry does not have.
#[test]
fn check_names_a_dropped_index_and_an_added_one() {
    let d = Dir::new();
    d.init();
    let conn = rusqlite::Connection::open(d.join(util::DB)).unwrap();
    conn.execute_batch("DROP INDEX checkins_event; CREATE INDEX mine ON workers(name);")
        .unwrap();
    drop(conn);
    let o = d.nf(&["check"]).code(1);
    assert_eq!(
        o.stdout.lines().skip(1).collect::<Vec<_>>(),
        [
            "  缺少索引 checkins_event",
            "  索引 mine 不属于 nuanfeng 台账"
        ],
        "{}",
        o.stdout
    );
    assert_eq!(
        o.stderr,
        "错误：nf.db：2 个问题（结构，已在上面列出）；通过：完整性、外键、积分账、人员、报到汇总、日期、站点与街道、积分商城、文件\n"
    );
    let o = d.nf(&["--lang", "en", "check"]).code(1);
    assert_eq!(
        o.stdout.lines().skip(1).collect::<Vec<_>>(),
        [
            "  index checkins_event is missing",
            "  index mine is not part of a nuanfeng registry"
        ],
        "{}",
        o.stdout
    );
    assert_eq!(
        o.stderr,
        "error: nf.db: 2 problems (schema listed above); passed: integrity, foreign keys, \
         ledger, people, rollup, dates, stations and streets, gift shop, files\n"
    );
}
