//! The message catalogue (`locales/*.yml`): every key said in both languages with the same
//! placeholders, no key unused and none missing (the source's `t!("…")` and the help of the
//! clap tree), the Chinese help free of English sentences and the English help free of the
//! Chinese frame, and the language chosen by `--lang` (anywhere on the line) or
//! `NUANFENG_LANG`.
//!
//! The catalogue is read through `nuanfeng::internals::catalogue`, the tree through
//! `Cli::command()` (its structure: which commands, arguments and values there are), and every
//! help page is rendered by the binary, so that nothing here sets the language of this process.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use clap::CommandFactory;
use nuanfeng::cli::Cli;
use nuanfeng::internals::catalogue;

use crate::util::Dir;

/// The catalogue in one language, by key.
fn texts(locale: &str) -> BTreeMap<String, String> {
    catalogue(locale).into_iter().collect()
}

/// The names of the `%{placeholders}` of a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("%{") {
        rest = &rest[at + 2..];
        if let Some(end) = rest.find('}') {
            names.insert(rest[..end].to_string());
            rest = &rest[end + 1..];
        }
    }
    names
}

/// Keys whose Chinese leaves out what the English must say: a range of days within one year
/// names the year once in Chinese (`2025年7月1日至7月31日`), in both days in English; the
/// bulletin's year to date is 年初以来 (it always starts on 1 January), "Year to date (from
/// 1 January 2025)" in English.
const CHINESE_SAYS_LESS: [&str; 3] = [
    "report.period.day_in_year",
    "report.period.days_in_year",
    "report.bulletin.since",
];

#[test]
fn every_key_is_said_in_both_languages_with_the_same_placeholders() {
    let zh = texts("zh");
    let en = texts("en");
    assert!(zh.len() > 400, "only {} keys in zh", zh.len());
    let mut wrong = Vec::new();
    for key in zh.keys().chain(en.keys()).collect::<BTreeSet<_>>() {
        match (zh.get(key), en.get(key)) {
            (Some(z), Some(e)) => {
                if z.trim().is_empty() || e.trim().is_empty() {
                    wrong.push(format!("{key}: an empty text"));
                } else if placeholders(z) != placeholders(e)
                    && !CHINESE_SAYS_LESS.contains(&key.as_str())
                {
                    wrong.push(format!(
                        "{key}: placeholders zh {:?}, en {:?}",
                        placeholders(z),
                        placeholders(e)
                    ));
                }
            }
            (None, _) => wrong.push(format!("{key}: no zh")),
            (_, None) => wrong.push(format!("{key}: no en")),
        }
    }
    assert!(wrong.is_empty(), "catalogue:\n{}", wrong.join("\n"));
}

/// The files of the catalogue, by name, with their text.
fn locale_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("locales/")
        .map(|e| e.expect("locales/").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("a catalogue file"))
        })
        .collect();
    files.sort();
    files
}

/// A key is defined once in all of `locales/`: the files are merged, and a second definition
/// would silently replace the first.
#[test]
fn no_key_is_defined_twice() {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut twice = Vec::new();
    for (file, text) in locale_files() {
        for line in text.lines() {
            let Some(key) = line.strip_suffix(':') else {
                continue;
            };
            if key.starts_with([' ', '#', '_']) || key.is_empty() {
                continue;
            }
            let key = key.trim_matches('"');
            if let Some(first) = seen.insert(key.to_string(), file.clone()) {
                twice.push(format!("{key}: in {first} and {file}"));
            }
        }
    }
    assert!(seen.len() > 400, "only {} keys read", seen.len());
    assert!(
        twice.is_empty(),
        "keys defined twice:\n{}",
        twice.join("\n")
    );
}

/// The text of every `.rs` file under `src/`, by path.
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("src/") {
            let path = entry.expect("src/").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                out.push((path.display().to_string(), text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

/// The keys named by `t!("literal"` in `text` (the macro's first argument, after any spaces or
/// line breaks).
fn t_literals(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("t!(") {
        // `t!(`, not `format!(` or `print!(`.
        let macro_t = !rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        rest = &rest[at + 3..];
        if !macro_t {
            continue;
        }
        let arg = rest.trim_start();
        if let Some(literal) = arg.strip_prefix('"')
            && let Some(end) = literal.find('"')
        {
            keys.push(literal[..end].to_string());
        }
    }
    keys
}

/// The catalogue keys the help of the clap tree looks up, as `src/cli/text.rs` walks it:
/// `(required, optional)`; the descriptions of possible values (`cli.values.ID.VALUE`) are
/// optional (a value without one is listed bare).
fn tree_keys() -> (BTreeSet<String>, BTreeSet<String>) {
    fn walk(
        cmd: &clap::Command,
        path: &str,
        parent: &str,
        required: &mut BTreeSet<String>,
        optional: &mut BTreeSet<String>,
    ) {
        if cmd.get_about().is_some() || path == "cli" {
            required.insert(format!("{path}.about"));
        }
        if cmd.get_long_about().is_some() {
            required.insert(format!("{path}.long_about"));
        }
        if cmd.get_after_help().is_some() {
            required.insert(format!("{path}.after_help"));
        }
        if cmd.get_after_long_help().is_some() {
            required.insert(format!("{path}.after_long_help"));
        }
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            let key = if arg.is_global_set() || id == "help" || id == "version" {
                format!("cli.args.{id}")
            } else {
                format!("{path}.args.{id}")
            };
            if arg.get_long_help().is_some() {
                required.insert(format!("{key}.long"));
            }
            required.insert(key);
            if arg.get_action().takes_values() && !arg.is_hide_possible_values_set() {
                for value in arg
                    .get_possible_values()
                    .iter()
                    .filter(|v| !v.is_hide_set())
                {
                    optional.insert(format!("cli.values.{id}.{}", value.get_name()));
                }
            }
        }
        for sub in cmd.get_subcommands() {
            let name = sub.get_name();
            let (sub_path, sub_parent) = if name == "help" {
                ("cli.help".to_string(), parent.to_string())
            } else {
                let p = format!("{parent}.{name}");
                (p.clone(), p)
            };
            walk(sub, &sub_path, &sub_parent, required, optional);
        }
    }
    let mut root = Cli::command();
    root.build();
    let (mut required, mut optional) = (BTreeSet::new(), BTreeSet::new());
    walk(&root, "cli", "cli", &mut required, &mut optional);
    (required, optional)
}

/// Every key is used: named as a string literal somewhere under `src/`, or looked up by the
/// help of the clap tree. And every key the tree looks up exists.
#[test]
fn no_key_is_unused_and_the_tree_finds_every_key() {
    let keys: BTreeSet<String> = texts("zh")
        .into_keys()
        .chain(texts("en").into_keys())
        .collect();
    let source: String = sources().into_iter().map(|(_, text)| text).collect();
    let (required, optional) = tree_keys();
    assert!(required.len() > 300, "only {} tree keys", required.len());
    let unused: Vec<&String> = keys
        .iter()
        .filter(|k| {
            !required.contains(*k)
                && !optional.contains(*k)
                && !source.contains(&format!("\"{k}\""))
        })
        .collect();
    let missing: Vec<&String> = required.iter().filter(|k| !keys.contains(*k)).collect();
    assert!(
        unused.is_empty() && missing.is_empty(),
        "keys no code uses ({}):\n{}\n\nkeys the command tree needs but the catalogue lacks ({}):\n{}",
        unused.len(),
        unused
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        missing.len(),
        missing
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A `t!("key")` whose key is not in the catalogue would print the key itself.
#[test]
fn every_key_in_the_source_exists() {
    let keys: BTreeSet<String> = texts("zh").into_keys().collect();
    let mut wrong = Vec::new();
    let mut found = 0;
    for (path, text) in sources() {
        for key in t_literals(&text) {
            found += 1;
            if !keys.contains(&key) {
                wrong.push(format!("{path}: t!(\"{key}\")"));
            }
        }
    }
    assert!(found > 30, "only {found} t!(\"…\") found");
    assert!(
        wrong.is_empty(),
        "keys not in the catalogue:\n{}",
        wrong.join("\n")
    );
}

/// Every `t!("key", name = value, …)` call in `text`: the key and the names it passes
/// (`locale = …` left out). A call whose key is not a literal is skipped.
fn t_calls(text: &str) -> Vec<(String, BTreeSet<String>)> {
    let mut calls = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("t!(") {
        let macro_t = !rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        rest = &rest[at + 3..];
        if !macro_t {
            continue;
        }
        // The arguments up to the matching parenthesis, split at top-level commas.
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        let mut args = vec![String::new()];
        for c in rest.chars() {
            if in_string {
                escaped = !escaped && c == '\\';
                if c == '"' && !escaped {
                    in_string = false;
                }
            } else {
                match c {
                    '"' => in_string = true,
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth == 0 => break,
                    ')' | ']' | '}' => depth -= 1,
                    ',' if depth == 0 => {
                        args.push(String::new());
                        continue;
                    }
                    _ => {}
                }
            }
            args.last_mut().expect("an argument").push(c);
        }
        let key = args[0].trim();
        let Some(key) = key.strip_prefix('"').and_then(|k| k.strip_suffix('"')) else {
            continue;
        };
        let names = args[1..]
            .iter()
            .filter_map(|a| a.split_once('=').map(|(n, _)| n.trim().to_string()))
            .filter(|n| !n.is_empty() && n != "locale")
            .collect();
        calls.push((key.to_string(), names));
    }
    calls
}

/// Every call passes exactly the placeholders its key's texts use: none printed raw as
/// `%{name}`, none passed for nothing.
#[test]
fn every_call_passes_the_placeholders_its_texts_use() {
    let zh = texts("zh");
    let en = texts("en");
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (file, text) in sources() {
        for (key, passed) in t_calls(&text) {
            let (Some(z), Some(e)) = (zh.get(&key), en.get(&key)) else {
                continue;
            };
            checked += 1;
            let used: BTreeSet<String> = placeholders(z).union(&placeholders(e)).cloned().collect();
            if used != passed {
                wrong.push(format!(
                    "{file}: {key}: passes {passed:?}, texts use {used:?}"
                ));
            }
        }
    }
    assert!(checked > 500, "only {checked} calls read");
    assert!(wrong.is_empty(), "calls:\n{}", wrong.join("\n"));
}

#[test]
fn t_literals_are_found_across_lines() {
    assert_eq!(
        t_literals("t!(\"a.b\", x = 1); rust_i18n::t!(\n    \"c.d\"\n); t!(key); format!(\"{x}\")"),
        ["a.b", "c.d"]
    );
}

/// Every command's path of names below the root (`["worker", "list"]`), the root first, the
/// commands clap copies under `help` left out.
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let mut p = path.to_vec();
            p.push(sub.get_name().to_string());
            out.push(p.clone());
            walk(sub, &p, out);
        }
    }
    let mut root = Cli::command();
    root.build();
    let mut out = vec![Vec::new()];
    walk(&root, &[], &mut out);
    out
}

/// The command names of the tree (`worker`, `list`, `access-log` …).
fn command_names() -> BTreeSet<String> {
    command_paths().into_iter().flatten().collect()
}

/// Whether `word` is a word of English (letters, with `'`, `-` or `_` inside).
fn is_english_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && word
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '\'' | '’' | '-' | '_'))
}

/// What of a help page is meant to be read as prose: the usage line, example command lines
/// (the commands; their comments stay), `code spans`, flags, `<PLACEHOLDERS>`, upper-case
/// names (`FILE`, `CSV`, `NUANFENG_DB`), file names, paths and command names removed.
fn prose(help: &str, names: &BTreeSet<String>) -> String {
    let mut out = String::new();
    let mut continued = false;
    for line in help.lines() {
        let trimmed = line.trim_start();
        let was_continued = continued;
        continued = line.trim_end().ends_with('\\');
        if trimmed.starts_with("用法") || trimmed.starts_with("Usage") {
            continue;
        }
        let rest = if was_continued || trimmed.starts_with("nuanfeng ") || trimmed == "nuanfeng" {
            // The comment after an example, past two spaces or more.
            match trimmed.find("  ") {
                Some(at) if !continued => trimmed[at..].to_string(),
                _ => String::new(),
            }
        } else {
            line.to_string()
        };
        // `code spans` as typed.
        let mut kept = String::new();
        for (i, part) in rest.split('`').enumerate() {
            if i % 2 == 0 {
                kept.push_str(part);
            }
            kept.push(' ');
        }
        let words: Vec<String> = kept
            .split(' ')
            .map(|w| {
                let bare = w.trim_matches(|c: char| {
                    matches!(
                        c,
                        ',' | '.' | ';' | ':' | '(' | ')' | '[' | ']' | '"' | '\''
                    )
                });
                let flag = w.starts_with('-')
                    && w.trim_start_matches('-')
                        .starts_with(|c: char| c.is_ascii_alphanumeric());
                let placeholder = w.contains('<') || w.contains('>');
                let upper = !bare.is_empty()
                    && bare.chars().all(|c| {
                        c.is_ascii_uppercase() || c.is_ascii_digit() || "_-$.".contains(c)
                    });
                let file = bare.contains('/')
                    || bare.contains('$')
                    || bare
                        .rsplit_once('.')
                        .is_some_and(|(a, b)| !a.is_empty() && is_english_word(b));
                if flag || placeholder || upper || file || names.contains(bare) {
                    String::new()
                } else {
                    w.to_string()
                }
            })
            .collect();
        out.push_str(&words.join(" "));
        out.push('\n');
    }
    out
}

/// The runs of `min` or more English words in `text`, words apart by spaces only (a comma, a
/// bracket or any other sign ends a run), each with its line.
pub(super) fn english_runs(text: &str, min: usize) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let mut run: Vec<&str> = Vec::new();
        let mut flush = |run: &mut Vec<&str>| {
            if run.len() >= min {
                found.push(format!("“{}” in: {}", run.join(" "), line.trim()));
            }
            run.clear();
        };
        for token in line.split(' ').filter(|t| !t.is_empty()) {
            let head = token.trim_start_matches(['(', '"', '\'', '“', '（']);
            if head.len() != token.len() {
                flush(&mut run);
            }
            let word =
                head.trim_end_matches([',', '.', ';', ':', ')', '"', '\'', '”', '）', '?', '!']);
            if is_english_word(word) {
                run.push(word);
                if word.len() != head.len() {
                    flush(&mut run);
                }
            } else {
                flush(&mut run);
            }
        }
        flush(&mut run);
    }
    found
}

#[test]
fn english_runs_are_found_and_code_is_not() {
    let names: BTreeSet<String> = ["worker", "list"].iter().map(|s| s.to_string()).collect();
    let help = "用法：nuanfeng worker list [OPTIONS]\n\n选项:\n      --street <STREET>\n          \
                只列这个街道的从业人员\n  nuanfeng worker list --all --format json > a.json  只检查，不写入\n\
                JSON：数组，每项为 {id, name, gender, phone}\n见 `nuanfeng points rule list` 和 FILE.vN.bak\n\
                Print only data and errors\n";
    let runs = english_runs(&prose(help, &names), 4);
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert!(
        runs[0].starts_with("“Print only data and errors”"),
        "{runs:?}"
    );
    assert!(english_runs("a (b c d e), f g h", 4).len() == 1);
    assert!(english_runs("a, b, c, d, e", 4).is_empty());
}

/// The help (`-h` and `--help`) of every command, in Chinese: no sentence of English left (no
/// run of four English words once the commands, flags, placeholders, file names and example
/// command lines are removed); and in English: none of the Chinese frame (用法, 默认值 …).
#[test]
fn the_help_of_every_command_is_chinese_and_english_when_asked() {
    let d = Dir::new();
    let names = command_names();
    let paths = command_paths();
    assert!(paths.len() > 60, "only {} commands", paths.len());
    let mut english_in_zh = Vec::new();
    let mut chinese_in_en = Vec::new();
    // The same look at the English help finds its sentences: the check sees what it should.
    let mut english_in_en = 0;
    for path in &paths {
        let shown = format!("nuanfeng {}", path.join(" "));
        for flag in ["-h", "--help"] {
            let mut args: Vec<&str> = path.iter().map(|s| s.as_str()).collect();
            args.push(flag);
            let zh = d.bare().args(&args).env("NUANFENG_LANG", "zh").ok();
            assert!(
                zh.stdout.contains("用法："),
                "{shown} {flag}:\n{}",
                zh.stdout
            );
            for run in english_runs(&prose(&zh.stdout, &names), 4) {
                english_in_zh.push(format!("{shown} {flag}: {run}"));
            }
            args.insert(0, "en");
            args.insert(0, "--lang");
            let en = d.bare().args(&args).ok();
            assert!(
                en.stdout.contains("Usage: "),
                "{shown} {flag}:\n{}",
                en.stdout
            );
            english_in_en += english_runs(&prose(&en.stdout, &names), 4).len();
            for line in en.stdout.lines() {
                let frame = ["用法", "默认值", "可选值", "示例："]
                    .iter()
                    .any(|w| line.contains(w))
                    || ["命令:", "选项:", "参数:"].contains(&line.trim());
                if frame {
                    chinese_in_en.push(format!("{shown} {flag}: {}", line.trim()));
                }
            }
        }
    }
    assert!(
        english_in_en > 500,
        "only {english_in_en} English sentences found in the English help"
    );
    english_in_zh.dedup();
    assert!(
        english_in_zh.is_empty() && chinese_in_en.is_empty(),
        "English left in the Chinese help ({}):\n{}\n\nthe Chinese frame in the English help ({}):\n{}",
        english_in_zh.len(),
        english_in_zh.join("\n"),
        chinese_in_en.len(),
        chinese_in_en.join("\n")
    );
}

/// `--lang en` (before or after the subcommand) and `NUANFENG_LANG=en` give the English help;
/// nothing gives the Chinese; `--lang` wins over the environment.
#[test]
fn the_language_is_chosen_by_flag_or_environment() {
    let d = Dir::new();
    let english = |o: &crate::util::Output| {
        assert!(o.stdout.contains("Usage: nuanfeng"), "{}", o.stdout);
        assert!(o.stdout.contains("Options:"), "{}", o.stdout);
        assert!(!o.stdout.contains("用法"), "{}", o.stdout);
    };
    let chinese = |o: &crate::util::Output| {
        assert!(o.stdout.contains("用法：nuanfeng"), "{}", o.stdout);
        assert!(o.stdout.contains("选项:"), "{}", o.stdout);
        assert!(!o.stdout.contains("Usage"), "{}", o.stdout);
        assert!(!o.stdout.contains("Options"), "{}", o.stdout);
    };

    let o = d.bare().args(&["--lang", "en", "--help"]).ok();
    english(&o);
    assert!(o.stdout.contains("Commands:"), "{}", o.stdout);
    assert!(
        o.stdout.contains("\nExamples:\n  nuanfeng "),
        "{}",
        o.stdout
    );
    english(&d.bare().args(&["--help"]).env("NUANFENG_LANG", "en").ok());
    english(&d.bare().args(&["--lang=en", "-h"]).ok());

    let o = d.bare().args(&["--help"]).ok();
    chinese(&o);
    assert!(o.stdout.contains("命令:"), "{}", o.stdout);
    assert!(o.stdout.contains("\n示例：\n  nuanfeng "), "{}", o.stdout);
    assert!(
        o.stdout.contains("打印帮助（用 -h 看摘要）"),
        "{}",
        o.stdout
    );
    chinese(&d.bare().args(&["-h"]).ok());
    chinese(
        &d.bare()
            .args(&["--lang", "zh", "--help"])
            .env("NUANFENG_LANG", "en")
            .ok(),
    );

    let o = d
        .bare()
        .args(&["worker", "list", "--lang", "en", "--help"])
        .ok();
    english(&o);
    assert!(
        o.stdout.contains("Usage: nuanfeng worker list"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("List workers"), "{}", o.stdout);
    let o = d.bare().args(&["worker", "list", "--help"]).ok();
    chinese(&o);
    assert!(o.stdout.contains("列出从业人员"), "{}", o.stdout);
    assert!(o.stdout.contains("[默认值：table]"), "{}", o.stdout);
    assert!(
        o.stdout.contains("- json：JSON，键名见说明"),
        "{}",
        o.stdout
    );
}
