//! `--help` is the first manual: every command of the tree has a one-line about, every
//! command's long help ends with an Examples block (示例 in Chinese), and README.md names
//! every command of the first two levels (`nuanfeng import`, `worker purge` …). Walks the clap
//! command tree itself (`Cli::command()`), so a new command cannot slip through; the help
//! itself is rendered by the binary, in each language.

use clap::{CommandFactory, Parser};
use nuanfeng::cli::Cli;

use crate::util::Dir;

/// The long help (`--help`) of the command at `path`, in `lang` (`zh` or `en`).
fn long_help(d: &Dir, path: &[String], lang: &str) -> String {
    let mut args: Vec<&str> = vec!["--lang", lang];
    args.extend(path.iter().map(|s| s.as_str()));
    args.push("--help");
    d.bare().args(&args).ok().stdout
}

/// The heading of the examples block in `lang`.
fn examples_heading(lang: &str) -> &'static str {
    if lang == "zh" {
        "\n示例：\n"
    } else {
        "\nExamples:\n"
    }
}

/// Every command below the root, with its path of names (`["worker", "list"]`).
fn commands() -> Vec<(Vec<String>, clap::Command)> {
    fn walk(cmd: &clap::Command, path: &[String], out: &mut Vec<(Vec<String>, clap::Command)>) {
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let mut p = path.to_vec();
            p.push(sub.get_name().to_string());
            out.push((p.clone(), sub.clone()));
            walk(sub, &p, out);
        }
    }
    let mut root = Cli::command();
    root.build();
    let mut out = Vec::new();
    walk(&root, &[], &mut out);
    out
}

#[test]
fn every_command_has_an_about_line() {
    let missing: Vec<String> = commands()
        .into_iter()
        .filter(|(_, c)| {
            c.get_about()
                .or(c.get_long_about())
                .is_none_or(|a| a.to_string().trim().is_empty())
        })
        .map(|(p, _)| p.join(" "))
        .collect();
    assert!(
        missing.is_empty(),
        "commands without an about line: {missing:?}"
    );
}

#[test]
fn every_command_ends_its_long_help_with_examples() {
    let d = Dir::new();
    let mut missing = Vec::new();
    for (p, _) in commands() {
        for lang in ["zh", "en"] {
            let help = long_help(&d, &p, lang);
            if !help.contains(&format!("{}  nuanfeng ", examples_heading(lang))) {
                missing.push(format!("{lang}: {}", p.join(" ")));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "commands whose long help has no Examples block: {missing:?}"
    );
}

#[test]
fn readme_names_every_command_of_the_first_two_levels() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let missing: Vec<String> = commands()
        .into_iter()
        .filter(|(p, _)| p.len() <= 2)
        .map(|(p, _)| p.join(" "))
        .filter(|name| {
            !readme.contains(&format!("nuanfeng {name}")) && !readme.contains(&format!("`{name}"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "README.md does not name these commands (as `nuanfeng NAME` or `NAME`): {missing:?}"
    );
}

#[test]
fn every_flag_and_argument_has_a_help_line() {
    let mut missing = Vec::new();
    for (p, c) in commands() {
        for a in c.get_arguments() {
            if a.get_help().is_none_or(|h| h.to_string().trim().is_empty()) {
                missing.push(format!("{} {}", p.join(" "), a.get_id()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "arguments without a help line: {missing:?}"
    );
}

/// The words of one example line, as a shell would split them (double quotes group), without
/// its trailing comment (after two spaces) or what follows a redirection or a pipe.
fn example_words(line: &str) -> Vec<String> {
    let line = line.trim_start();
    let command = line.split("  ").next().unwrap_or("");
    let mut words = Vec::new();
    let (mut word, mut quoted, mut any) = (String::new(), false, false);
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            _ => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    let end = words
        .iter()
        .position(|w| matches!(w.as_str(), ">" | "|" | "<" | ">>"))
        .unwrap_or(words.len());
    words.truncate(end);
    words
}

/// Every example of every command's help, in either language, parses: the flags and values
/// it shows exist.
#[test]
fn every_example_in_the_help_parses() {
    let d = Dir::new();
    let mut all = vec![Vec::new()];
    all.extend(commands().into_iter().map(|(p, _)| p));
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (path, lang) in all.iter().flat_map(|p| [(p, "zh"), (p, "en")]) {
        let help = long_help(&d, path, lang);
        let Some((_, examples)) = help.split_once(examples_heading(lang)) else {
            continue;
        };
        // An example may go on over lines ending in `\`.
        let mut lines: Vec<String> = Vec::new();
        let mut joined = String::new();
        for l in examples.lines() {
            if joined.is_empty() && !l.starts_with("  nuanfeng ") {
                break;
            }
            match l.trim_end().strip_suffix('\\') {
                Some(part) => joined.push_str(part),
                None => {
                    joined.push_str(l.trim_start_matches(' ').trim_end());
                    lines.push(std::mem::take(&mut joined));
                }
            }
        }
        for line in &lines {
            let words = example_words(line);
            checked += 1;
            if let Err(e) = Cli::try_parse_from(&words) {
                wrong.push(format!("{lang}: {} — {line}: {}", path.join(" "), e.kind()));
            }
        }
    }
    assert!(checked > 200, "only {checked} examples found");
    assert!(
        wrong.is_empty(),
        "examples that do not parse:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn example_lines_split_like_a_shell() {
    assert_eq!(
        example_words(r#"  nuanfeng import workers a.csv --map "电话号码=phone"   a comment"#),
        [
            "nuanfeng",
            "import",
            "workers",
            "a.csv",
            "--map",
            "电话号码=phone"
        ]
    );
    assert_eq!(
        example_words("  nuanfeng report streets --format csv > 2025.csv"),
        ["nuanfeng", "report", "streets", "--format", "csv"]
    );
}
