//! Encryption at rest (feature `sqlcipher`): what lands on disk, and the messages about keys.
//! Without the feature this module is not compiled.

use crate::util::{self, DB, Dir, TestCommand};

const KEY: &str = "柳巷-correct horse 2025";

/// The binary with `--db nf.db`, `args` and `NUANFENG_KEY` set to `key` (empty: no key).
fn keyed(d: &Dir, key: &str, args: &[&str]) -> TestCommand {
    let mut c = d.nf(args);
    c.env("NUANFENG_KEY", key);
    c
}

/// True when `needle` occurs anywhere in `hay`.
fn holds(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A registry made with a key, holding the workers of fixture 01.
fn encrypted_registry() -> Dir {
    let d = Dir::new();
    keyed(&d, KEY, &["init", "--district", "140106"]).ok();
    let name = d.copy("01-utf8-bom/workers.csv");
    keyed(&d, KEY, &["import", "workers", &name]).ok();
    d
}

#[test]
fn a_registry_made_with_a_key_holds_no_plaintext() {
    let d = encrypted_registry();
    let bytes = d.read(DB);
    assert!(
        !bytes.starts_with(b"SQLite format 3"),
        "the file has a plaintext SQLite header"
    );
    for secret in [
        "石志刚",
        "13603517264",
        "140106196903142117",
        "文庙街道",
        "CREATE TABLE",
    ] {
        assert!(
            !holds(&bytes, secret.as_bytes()),
            "{secret:?} is readable in the file"
        );
    }
    // Nothing beside it: no journal, no temporary copy.
    let mut files: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["nf.db", "workers.csv"]);
}

#[test]
fn reopening_with_the_key_works() {
    let d = encrypted_registry();
    let list = keyed(
        &d,
        KEY,
        &["worker", "list", "--format", "json", "--show-pii"],
    )
    .ok()
    .json_array();
    let w = util::find(&list, "name", "石志刚");
    assert_eq!(w["phone"], "13603517264");
    keyed(&d, KEY, &["report", "streets", "--month", "2025-07"])
        .ok()
        .stdout_has(&["文庙街道"])
        .hides(&[KEY]);
}

#[test]
fn a_wrong_key_is_named_and_exits_1() {
    let d = encrypted_registry();
    let before = d.read(DB);
    let o = keyed(&d, "not the key", &["worker", "list"]).code(1);
    assert_eq!(
        o.stderr,
        "error: nf.db: wrong key (NUANFENG_KEY) — or not a nuanfeng registry\n"
    );
    assert_eq!(o.stdout, "");
    o.hides(&["not the key", KEY]);
    assert_eq!(d.read(DB), before, "a wrong key changed the file");
}

#[test]
fn no_key_and_no_terminal_is_named() {
    let d = encrypted_registry();
    // The harness gives the program no terminal on stdin.
    let o = keyed(&d, "", &["worker", "list"]).code(1);
    assert_eq!(
        o.stderr,
        "error: nf.db is encrypted: set NUANFENG_KEY or run in a terminal to be asked for its key\n"
    );
    // Nor is a new file created without one.
    let e = Dir::new();
    keyed(&e, "", &["init", "--district", "140106"])
        .code(1)
        .stderr_has(&["nf.db would be created encrypted: set NUANFENG_KEY"]);
    assert!(!e.exists(DB), "a refused init left a file behind");
}

#[test]
fn a_plaintext_registry_given_a_key_is_named_and_can_be_copied_encrypted() {
    let d = Dir::new();
    d.copy_as("schema-v1.db", DB);
    let plain = d.read(DB);
    keyed(&d, KEY, &["worker", "list"])
        .code(1)
        .stderr_has(&["nf.db is not encrypted: NUANFENG_KEY is set", "encrypt"])
        .hides(&[KEY]);
    assert_eq!(d.read(DB), plain, "the refused open changed the file");

    keyed(&d, KEY, &["encrypt", "enc.db"]).ok().hides(&[KEY]);
    assert_eq!(d.read(DB), plain, "encrypt changed the plaintext file");
    let enc = d.read("enc.db");
    assert!(!enc.starts_with(b"SQLite format 3"));
    // The copy is a version-1 registry: opening it with the key upgrades it, and the backup
    // copy made first is encrypted too.
    let mut c = d.bare();
    c.args(&[
        "--db",
        "enc.db",
        "worker",
        "list",
        "--format",
        "json",
        "--show-pii",
    ])
    .env("NUANFENG_KEY", KEY);
    let o = c.ok();
    o.stderr_has(&["已从数据库结构第 1 版升级", "enc.db.v1.bak"]);
    let workers = o.json_array();
    assert!(!workers.is_empty());
    let name = workers[0]["name"].as_str().unwrap().to_string();
    for file in ["enc.db", "enc.db.v1.bak"] {
        let bytes = d.read(file);
        assert!(
            !bytes.starts_with(b"SQLite format 3"),
            "{file} is plaintext"
        );
        assert!(!holds(&bytes, name.as_bytes()), "{file} shows {name}");
    }
    // A second copy of an encrypted file is refused.
    let mut c = d.bare();
    c.args(&["--db", "enc.db", "encrypt", "again.db"])
        .env("NUANFENG_KEY", KEY);
    c.code(1).stderr_has(&["enc.db is already encrypted"]);
}
