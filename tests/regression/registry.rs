//! Files given as the registry that are not one: empty, or text.

use crate::util::Dir;

#[test]
fn empty_file_is_not_taken_for_a_registry_until_init() {
    let d = Dir::new();
    d.write("empty.db", "");
    let commands: [&[&str]; 7] = [
        &["worker", "list"],
        &["station", "list"],
        &["checkin", "list"],
        &["checkin", "add", "13623517804", "--date", "2025-07-01"],
        &["points", "balance"],
        &["points", "earn", "13623517804", "5", "--date", "2025-07-01"],
        &["report", "streets", "--month", "2025-07"],
    ];
    for args in commands {
        let mut all = vec!["--db", "empty.db"];
        all.extend_from_slice(args);
        let o = d.bare().args(&all).code(1);
        assert_eq!(
            o.stderr,
            "error: empty.db cannot be used: it is empty, not a nuanfeng registry — create one \
             with `nuanfeng --db empty.db init`\n",
            "{args:?}"
        );
        assert_eq!(o.stdout, "", "{args:?}");
        assert_eq!(d.read("empty.db").len(), 0, "{args:?} wrote to the file");
    }
    d.bare().args(&["--db", "empty.db", "init"]).ok();
    #[cfg(unix)]
    assert_eq!(d.mode("empty.db"), 0o600);
    assert_eq!(d.int_in("empty.db", "PRAGMA user_version"), 10);
    assert_eq!(d.int_in("empty.db", "PRAGMA application_id"), 0x4E46_4E47);
    let o = d
        .bare()
        .args(&["--db", "empty.db", "worker", "list", "--format", "json"])
        .ok();
    assert_eq!(o.json_array().len(), 0);
}

#[test]
fn init_on_an_empty_file_does_not_call_it_a_registry_already() {
    let d = Dir::new();
    d.write("empty.db", "");
    let o = d.bare().args(&["--db", "empty.db", "init"]).ok();
    assert!(!o.stderr.contains("already a registry"), "{}", o.stderr);
    o.stderr_has(&["empty.db"]);
}

#[test]
fn text_file_as_registry_is_not_written_to() {
    let d = Dir::new();
    d.write("text.db", "姓名,手机号\n这不是数据库\n");
    let before = d.read("text.db");
    for args in [&["worker", "list"][..], &["init"][..]] {
        let mut all = vec!["--db", "text.db"];
        all.extend_from_slice(args);
        let o = d.bare().args(&all).code(1);
        assert_eq!(
            o.stderr,
            "error: text.db cannot be used: it is not a SQLite database (nor a nuanfeng registry)\n",
            "{args:?}"
        );
    }
    assert_eq!(d.read("text.db"), before);
}
