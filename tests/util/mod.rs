//! Test harness for the integration tests: a temporary working folder, the real `nuanfeng`
//! binary run inside it (with `--db nf.db`), and what it printed. In the style of ripgrep's
//! `tests/util.rs`: every test gets a fresh folder, copies in the fixtures it needs, and
//! asserts on exit codes, stdout, stderr and the database file itself. The registries tests
//! start from are built in the `fixture` module.

mod fixture;

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::types::ValueRef;

pub use fixture::{
    DISTRICT_WORKERS, District, YINGZE, coverage_district, district, district_secrets,
    membership_district,
};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_nuanfeng");

/// The registry file every test uses, relative to its folder.
pub const DB: &str = "nf.db";

/// The operator [`Dir::by_operator`] runs the binary as: recorded on every ledger entry, in
/// the change log, and the default of `--by`.
pub const OPERATOR: &str = "wangli";

/// The path of a file under `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The bytes of a file under `tests/fixtures/`.
pub fn fixture_bytes(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap_or_else(|e| panic!("read fixture {rel}: {e}"))
}

/// A temporary working folder, removed when dropped.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    /// A new empty folder.
    pub fn new() -> Self {
        Self {
            tmp: tempfile::Builder::new()
                .prefix("nuanfeng-test-")
                .tempdir()
                .expect("temporary folder"),
        }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// A path inside the folder.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }

    /// True when `name` exists in the folder.
    pub fn exists(&self, name: &str) -> bool {
        self.join(name).exists()
    }

    /// Copies a fixture into the folder under its own file name; returns that name.
    pub fn copy(&self, rel: &str) -> String {
        let name = Path::new(rel)
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        self.copy_as(rel, &name);
        name
    }

    /// Copies a fixture into the folder as `name`.
    pub fn copy_as(&self, rel: &str, name: &str) {
        std::fs::copy(fixture(rel), self.join(name))
            .unwrap_or_else(|e| panic!("copy fixture {rel}: {e}"));
    }

    /// Writes a file into the folder.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) {
        std::fs::write(self.join(name), contents).expect("write file");
    }

    /// The permission bits of a file in the folder.
    #[cfg(unix)]
    pub fn mode(&self, name: &str) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(self.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .permissions()
            .mode()
            & 0o777
    }

    /// The bytes of a file in the folder.
    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    /// The binary, run in the folder, with no `--db` (and no `NUANFENG_DB` inherited).
    pub fn bare(&self) -> TestCommand {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(self.path())
            .env("RUST_BACKTRACE", "0")
            .env_remove("NUANFENG_DB");
        TestCommand {
            cmd,
            shown: "nuanfeng".to_string(),
            input: None,
        }
    }

    /// The binary with `--db nf.db` and `args`.
    pub fn nf(&self, args: &[&str]) -> TestCommand {
        let mut c = self.bare();
        c.args(&["--db", DB]).args(args);
        c
    }

    /// The binary with `--db nf.db` and `args`, run by [`OPERATOR`].
    pub fn by_operator(&self, args: &[&str]) -> TestCommand {
        let mut c = self.nf(args);
        c.env("USER", OPERATOR).env("USERNAME", OPERATOR);
        c
    }

    /// `init --district 140106`, which must succeed.
    pub fn init(&self) {
        self.nf(&["init", "--district", "140106"]).ok();
    }

    /// Copies a fixture in and imports it as `kind`; the import must succeed.
    pub fn import(&self, kind: &str, rel: &str) -> Output {
        let name = self.copy(rel);
        self.nf(&["import", kind, &name]).ok()
    }

    /// The registry file, opened directly.
    pub fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.join(DB)).expect("open the registry")
    }

    /// The single integer an SQL query on the registry returns.
    pub fn int(&self, sql: &str) -> i64 {
        self.int_in(DB, sql)
    }

    /// The single integer an SQL query on the database file `name` returns.
    pub fn int_in(&self, name: &str, sql: &str) -> i64 {
        rusqlite::Connection::open(self.join(name))
            .expect("open the database")
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Every row of a query, each value as text (NULL as `None`).
    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        self.rows_in(DB, sql)
    }

    /// Every row of a query on the database file `name`, each value as text (NULL as `None`).
    pub fn rows_in(&self, name: &str, sql: &str) -> Vec<Vec<Option<String>>> {
        let conn = rusqlite::Connection::open(self.join(name)).expect("open the database");
        let mut stmt = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            (0..n)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        ValueRef::Null => None,
                        ValueRef::Integer(v) => Some(v.to_string()),
                        ValueRef::Real(v) => Some(v.to_string()),
                        ValueRef::Text(t) | ValueRef::Blob(t) => {
                            Some(String::from_utf8_lossy(t).into_owned())
                        }
                    })
                })
                .collect()
        })
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .collect::<rusqlite::Result<_>>()
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// `worker list --format json --show-pii`.
    pub fn workers(&self) -> Vec<serde_json::Value> {
        self.nf(&["worker", "list", "--format", "json", "--show-pii"])
            .ok()
            .json_array()
    }
}

/// The first English sentence in `text` — four or more English words in a row — once what
/// is typed rather than read is set aside: example command lines (from `nuanfeng` to the end
/// of the line or a full-width stop), flags (`--street`), placeholders (`<FILE>`), and words
/// holding a dot, slash, digit, `_`, `$` or `=` (file names, paths, field codes, variables).
/// A number between words neither counts nor ends the run (`3 rows: 2 new, 0 updated` is a
/// sentence); a Chinese character ends it. `None` when there is none.
pub fn english_run(text: &str) -> Option<String> {
    for line in text.lines() {
        // An example command runs to the end of the line or a full-width stop.
        let line = match line.find("nuanfeng ") {
            Some(i) => {
                let rest = &line[i..];
                let end = rest
                    .char_indices()
                    .find(|&(_, c)| "，。；：）」”".contains(c))
                    .map_or(rest.len(), |(j, _)| j);
                format!("{} | {}", &line[..i], &rest[end..])
            }
            None => line.to_string(),
        };
        let mut run: Vec<&str> = Vec::new();
        // Tokens are split at whitespace and at every non-ASCII character, which also ends
        // a run (a Chinese word between English ones makes them no sentence).
        let mut start = None;
        let mut tokens: Vec<Option<&str>> = Vec::new();
        for (i, c) in line.char_indices() {
            let boundary = c.is_whitespace() || !c.is_ascii();
            match (boundary, start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    tokens.push(Some(&line[s..i]));
                    start = None;
                }
                _ => {}
            }
            if !c.is_ascii() {
                tokens.push(None);
            }
        }
        if let Some(s) = start {
            tokens.push(Some(&line[s..]));
        }
        for token in tokens {
            let number = token
                .map(|t| t.trim_matches(|c: char| ",;:!?()[]'\"`".contains(c)))
                .is_some_and(|t| {
                    t.chars().any(|c| c.is_ascii_digit())
                        && t.chars().all(|c| c.is_ascii_digit() || ".%+-".contains(c))
                });
            if number {
                continue;
            }
            let word = token
                .map(|t| t.trim_matches(|c: char| ",;:!?()[]'\"`".contains(c)))
                .filter(|t| {
                    !t.is_empty()
                        && !t.starts_with('-')
                        && t.chars()
                            .all(|c| c.is_ascii_alphabetic() || c == '\'' || c == '-')
                });
            match word {
                Some(w) => {
                    run.push(w);
                    if run.len() == 4 {
                        return Some(run.join(" "));
                    }
                }
                None => run.clear(),
            }
        }
    }
    None
}

/// The address space the binary may map under [`TestCommand::run_limited`], in KiB: 1 GiB.
pub const MEMORY_LIMIT_KIB: u64 = 1 << 20;

/// How long the binary may run under [`TestCommand::run_limited`] before it is killed and the
/// test fails: a hang caught, not a speed measured.
pub const TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// A command about to run.
pub struct TestCommand {
    cmd: Command,
    shown: String,
    input: Option<Vec<u8>>,
}

impl TestCommand {
    /// Adds arguments.
    pub fn args(&mut self, args: &[&str]) -> &mut Self {
        for a in args {
            self.cmd.arg(a);
            self.shown.push(' ');
            self.shown.push_str(a);
        }
        self
    }

    /// Sets an environment variable.
    pub fn env(&mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> &mut Self {
        self.cmd.env(key, value);
        self
    }

    /// Removes an environment variable.
    pub fn env_remove(&mut self, key: &str) -> &mut Self {
        self.cmd.env_remove(key);
        self
    }

    /// Gives it `bytes` on standard input (else it reads nothing there).
    pub fn stdin(&mut self, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.input = Some(bytes.into());
        self
    }

    /// Runs it, whatever the exit code.
    pub fn run(&mut self) -> Output {
        use std::io::Write;
        use std::process::Stdio;
        let o = match self.input.take() {
            None => self.cmd.output(),
            Some(bytes) => self
                .cmd
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .and_then(|mut child| {
                    let mut pipe = child.stdin.take().expect("a piped stdin");
                    // Written from a thread: the child may fill its stdout before reading all.
                    let writer = std::thread::spawn(move || pipe.write_all(&bytes));
                    let o = child.wait_with_output();
                    let _ = writer.join();
                    o
                }),
        }
        .unwrap_or_else(|e| panic!("run {}: {e}", self.shown));
        Output {
            command: self.shown.clone(),
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            raw_stdout: o.stdout,
        }
    }

    /// Runs it as [`run`](Self::run) does, but bounded: under an address-space limit of
    /// [`MEMORY_LIMIT_KIB`] (`ulimit -v` in the shell that `exec`s it, as the crate forbids the
    /// `unsafe` of a `pre_exec`), so that a blow-up fails the test instead of the machine, and
    /// killed after [`TIME_LIMIT`], so that a hang fails the test instead of CI. Neither
    /// limit measures speed: they are far above what any input should take.
    pub fn run_limited(&mut self) -> Output {
        use std::io::{Read, Write};
        use std::process::Stdio;
        let mut sh = Command::new("/bin/sh");
        sh.arg("-c")
            .arg(format!(
                "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
            ))
            .arg(self.cmd.get_program())
            .args(self.cmd.get_args());
        for (key, value) in self.cmd.get_envs() {
            match value {
                Some(v) => sh.env(key, v),
                None => sh.env_remove(key),
            };
        }
        if let Some(dir) = self.cmd.get_current_dir() {
            sh.current_dir(dir);
        }
        let input = self.input.take();
        sh.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = sh
            .spawn()
            .unwrap_or_else(|e| panic!("run {}: {e}", self.shown));
        let writer = input.map(|bytes| {
            let mut pipe = child.stdin.take().expect("a piped stdin");
            std::thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            })
        });
        let drain = |mut r: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut v = Vec::new();
                let _ = r.read_to_end(&mut v);
                v
            })
        };
        let stdout = drain(Box::new(child.stdout.take().expect("a piped stdout")));
        let stderr = drain(Box::new(child.stderr.take().expect("a piped stderr")));
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("the child's status") {
                break status;
            }
            if started.elapsed() > TIME_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "`{}` ran longer than {TIME_LIMIT:?} and was killed",
                    self.shown
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        if let Some(w) = writer {
            let _ = w.join();
        }
        let stdout = stdout.join().expect("stdout read");
        let stderr = stderr.join().expect("stderr read");
        Output {
            command: self.shown.clone(),
            code: status.code(),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            raw_stdout: stdout,
        }
    }

    /// Runs it bounded ([`run_limited`](Self::run_limited)); it must exit with `code`.
    pub fn code_limited(&mut self, code: i32) -> Output {
        let o = self.run_limited();
        assert_eq!(
            o.code,
            Some(code),
            "`{}` exited {:?}, expected {code}\n--- stdout\n{}\n--- stderr\n{}",
            o.command,
            o.code,
            o.stdout,
            o.stderr
        );
        o
    }

    /// Runs it; it must exit 0.
    pub fn ok(&mut self) -> Output {
        self.code(0)
    }

    /// Runs it; it must exit with `code`.
    pub fn code(&mut self, code: i32) -> Output {
        let o = self.run();
        assert_eq!(
            o.code,
            Some(code),
            "`{}` exited {:?}, expected {code}\n--- stdout\n{}\n--- stderr\n{}",
            o.command,
            o.code,
            o.stdout,
            o.stderr
        );
        o
    }
}

/// What a command printed.
pub struct Output {
    /// The command line, for messages.
    pub command: String,
    /// Exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Standard output, as text.
    pub stdout: String,
    /// Standard error, as text.
    pub stderr: String,
    /// Standard output, as bytes.
    pub raw_stdout: Vec<u8>,
}

impl Output {
    /// Standard output parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("`{}` printed no JSON ({e}):\n{}", self.command, self.stdout)
        })
    }

    /// Standard output parsed as a JSON array.
    pub fn json_array(&self) -> Vec<serde_json::Value> {
        match self.json() {
            serde_json::Value::Array(a) => a,
            other => panic!("`{}` printed no JSON array: {other}", self.command),
        }
    }

    /// Asserts that stderr holds every one of `parts`.
    pub fn stderr_has(&self, parts: &[&str]) -> &Self {
        for p in parts {
            assert!(
                self.stderr.contains(p),
                "stderr of `{}` lacks {p:?}:\n{}",
                self.command,
                self.stderr
            );
        }
        self
    }

    /// Asserts that stdout holds every one of `parts`.
    pub fn stdout_has(&self, parts: &[&str]) -> &Self {
        for p in parts {
            assert!(
                self.stdout.contains(p),
                "stdout of `{}` lacks {p:?}:\n{}",
                self.command,
                self.stdout
            );
        }
        self
    }

    /// Asserts that neither stdout nor stderr holds any of `secrets`.
    pub fn hides(&self, secrets: &[&str]) -> &Self {
        for s in secrets {
            assert!(
                !self.stdout.contains(s) && !self.stderr.contains(s),
                "`{}` shows {s:?}\n--- stdout\n{}\n--- stderr\n{}",
                self.command,
                self.stdout,
                self.stderr
            );
        }
        self
    }
}

/// The element of a JSON array whose `key` is `value`.
pub fn find<'a>(list: &'a [serde_json::Value], key: &str, value: &str) -> &'a serde_json::Value {
    list.iter()
        .find(|v| v[key] == value)
        .unwrap_or_else(|| panic!("no element with {key} = {value} in {list:#?}"))
}

/// The values of `key` in a JSON array, sorted.
pub fn sorted(list: &[serde_json::Value], key: &str) -> Vec<String> {
    let mut v: Vec<String> = list
        .iter()
        .map(|x| match &x[key] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    v.sort();
    v
}

/// proptest's configuration for `cases` cases, with failures kept next to the module that
/// defines the properties (`tests/…/properties.rs` → `tests/…/properties.proptest-regressions`).
/// proptest's default would put them under `proptest-regressions/` beside `tests/`: it looks
/// up from the source file for a `main.rs`, and finds `tests/main.rs`.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..proptest::test_runner::Config::with_cases(cases)
    }
}

/// Rows of a CSV file written for Excel: it must start with a UTF-8 BOM.
pub fn bom_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "no UTF-8 BOM at the start: {:?}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(40)])
    );
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.expect("CSV record").iter().map(str::to_string).collect())
        .collect()
}

/// A row of text values, for comparing with [`Dir::rows`].
pub fn some(values: &[&str]) -> Vec<Option<String>> {
    values.iter().map(|v| Some(v.to_string())).collect()
}
