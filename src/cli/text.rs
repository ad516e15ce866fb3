//! The command line in the language of the run: clap's definition with every help text taken
//! from the catalogue (`locales/cli.yml`), and clap's errors worded from their kind and
//! context rather than in clap's own English.
//!
//! Keys follow the tree: `cli.about` for the program, `cli.<command path>.about` for a
//! command (`cli.worker.list.about`), `cli.<path>.args.<id>` for an argument's help, with
//! `.long` for the longer text `--help` shows, `.after_help` and `.after_long_help` for a
//! command's examples, and `cli.values.<id>.<value>` for one possible value of an argument.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};
use rust_i18n::t;

/// `cmd`, built (help and version flags added, global arguments propagated), with every
/// text a person reads taken from the catalogue in the current language.
///
/// With `words` (the arguments of the run), a subcommand whose name is not among them gets
/// only its one-line description (what its parent's list shows); the others, all of it.
/// Without, every command is described in full.
pub fn localize(mut cmd: Command, words: Option<&[String]>) -> Command {
    if let Some(words) = words {
        cmd = prune(cmd, "cli", words);
    }
    cmd.build();
    localize_command(cmd, "cli", "cli", words)
}

/// `cmd` with every subcommand not named in `words` replaced by its name and one-line
/// description: all its parent's list shows, and all this run can reach. Building and
/// describing the rest of the tree would only cost start-up time.
fn prune(mut cmd: Command, path: &str, words: &[String]) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = format!("{path}.{name}");
        cmd = cmd.mut_subcommand(&name, |sub| {
            if words.contains(&name) {
                prune(sub, &sub_path, words)
            } else {
                let order = sub.get_display_order();
                Command::new(name.clone())
                    .about(text(&format!("{sub_path}.about")))
                    .display_order(order)
                    .hide(sub.is_hide_set())
            }
        });
    }
    cmd
}

/// The catalogue's text for `key`, or `None` when the catalogue has none.
fn lookup(key: &str) -> Option<String> {
    crate::_rust_i18n_try_translate(&rust_i18n::locale(), key).map(|s| s.into_owned())
}

/// The text for `key`; a missing key shows itself (the catalogue test refuses that).
fn text(key: &str) -> String {
    lookup(key).unwrap_or_else(|| key.to_string())
}

/// Localizes `cmd`, whose texts are under `path`; `parent` is the path its subcommands' keys
/// start from: `path` itself, except in the tree clap copies under a `help` subcommand
/// (`nuanfeng worker help list`), whose commands are described by the real ones' keys.
fn localize_command(
    mut cmd: Command,
    path: &str,
    parent: &str,
    words: Option<&[String]>,
) -> Command {
    cmd = cmd
        .help_template(t!("cli.template").into_owned())
        .subcommand_help_heading(t!("cli.heading.commands").into_owned());
    if cmd.get_about().is_some() || path == "cli" {
        cmd = cmd.about(text(&format!("{path}.about")));
    }
    if cmd.get_long_about().is_some() {
        cmd = cmd.long_about(text(&format!("{path}.long_about")));
    }
    if cmd.get_after_help().is_some() {
        cmd = cmd.after_help(text(&format!("{path}.after_help")));
    }
    if cmd.get_after_long_help().is_some() {
        cmd = cmd.after_long_help(text(&format!("{path}.after_long_help")));
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().as_str().to_string())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(&id, |arg| localize_arg(arg, path));
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        let (sub_path, sub_parent) = if name == "help" {
            ("cli.help".to_string(), parent.to_string())
        } else {
            let sub_path = format!("{parent}.{name}");
            (sub_path.clone(), sub_path)
        };
        let named = words.is_none_or(|w| w.contains(&name));
        cmd = if named {
            cmd.mut_subcommand(&name, |sub| {
                localize_command(sub, &sub_path, &sub_parent, words)
            })
        } else {
            cmd.mut_subcommand(&name, |sub| {
                let about = text(&format!("{sub_path}.about"));
                sub.about(about)
            })
        };
    }
    cmd
}

/// The key of an argument's help: global arguments and the help and version flags are
/// described once, at the program's level.
fn arg_key(arg: &Arg, path: &str) -> String {
    let id = arg.get_id().as_str();
    if arg.is_global_set() || id == "help" || id == "version" {
        format!("cli.args.{id}")
    } else {
        format!("{path}.args.{id}")
    }
}

fn localize_arg(arg: Arg, path: &str) -> Arg {
    let key = arg_key(&arg, path);
    let id = arg.get_id().as_str().to_string();
    let mut help = text(&key);
    let mut long = arg
        .get_long_help()
        .is_some()
        .then(|| text(&format!("{key}.long")));
    let heading = if arg.is_positional() {
        t!("cli.heading.arguments")
    } else {
        t!("cli.heading.options")
    };
    // Under a heading of their own, clap would list positional arguments by name: keep
    // them in the order they are typed, as the usage line shows them.
    let order = arg.is_positional().then(|| arg.get_index()).flatten();
    let mut arg = arg.help_heading(heading.into_owned());
    if let Some(order) = order {
        arg = arg.display_order(order);
    }
    // What clap would add in English ([default: …], [possible values: …]) is said here.
    let mut short_notes = Vec::new();
    let mut long_notes = Vec::new();
    if !arg.is_hide_default_value_set()
        && !arg.get_default_values().is_empty()
        && arg.get_action().takes_values()
    {
        let values: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let said = t!("cli.default", value = values.join(" ")).into_owned();
        short_notes.push(said.clone());
        long_notes.push(said);
        arg = arg.hide_default_value(true);
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && !arg.is_hide_possible_values_set() && arg.get_action().takes_values() {
        let list = values.join(&*t!("cli.list_separator"));
        short_notes.push(t!("cli.possible", values = list).into_owned());
        let lines: Vec<String> = values
            .iter()
            .map(|v| match lookup(&format!("cli.values.{id}.{v}")) {
                Some(said) => format!("  - {v}{}{said}", t!("cli.value_colon")),
                None => format!("  - {v}"),
            })
            .collect();
        long_notes.push(format!("{}\n{}", t!("cli.possible_long"), lines.join("\n")));
        arg = arg.hide_possible_values(true);
    }
    if !short_notes.is_empty() {
        help = format!("{help} {}", short_notes.join(" "));
    }
    if !long_notes.is_empty() || long.is_some() {
        let first = long.unwrap_or_else(|| text(&key));
        let mut paragraphs = vec![first];
        paragraphs.extend(long_notes);
        long = Some(paragraphs.join("\n\n"));
    }
    let arg = arg.help(help);
    match long {
        Some(long) => arg.long_help(long),
        None => arg,
    }
}

/// The message of a usage error (exit code 2) in the current language: what was wrong, a
/// suggestion when clap has one, the usage line and where to read more.
///
/// The argument clap could not place is quoted as typed; `main` masks its numbers.
pub fn usage_error(e: &clap::Error) -> String {
    let get = |kind: ContextKind| -> Option<String> {
        match e.get(kind)? {
            ContextValue::String(s) => Some(s.clone()),
            ContextValue::Strings(v) => Some(v.join(&*t!("cli.list_separator"))),
            ContextValue::StyledStr(s) => Some(s.to_string()),
            ContextValue::Number(n) => Some(n.to_string()),
            ContextValue::Bool(b) => Some(b.to_string()),
            ContextValue::StyledStrs(v) => Some(
                v.iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join(&*t!("cli.list_separator")),
            ),
            _ => None,
        }
    };
    let arg = get(ContextKind::InvalidArg).unwrap_or_default();
    let value = get(ContextKind::InvalidValue).unwrap_or_default();
    let mut lines = vec![
        match e.kind() {
            ErrorKind::InvalidValue => {
                match get(ContextKind::ValidValue).filter(|valid| !valid.is_empty()) {
                    None if value.is_empty() => t!("cli.error.missing_value", arg = arg),
                    Some(valid) if !value.is_empty() => {
                        t!(
                            "cli.error.invalid_value",
                            arg = arg,
                            value = value,
                            valid = valid
                        )
                    }
                    Some(valid) => t!("cli.error.empty_value", arg = arg, valid = valid),
                    None => t!("cli.error.invalid_value_plain", arg = arg, value = value),
                }
            }
            ErrorKind::UnknownArgument => t!("cli.error.unknown_argument", arg = arg),
            ErrorKind::InvalidSubcommand => {
                let command = get(ContextKind::InvalidSubcommand).unwrap_or_default();
                t!("cli.error.unknown_command", command = command)
            }
            ErrorKind::NoEquals => t!("cli.error.no_equals", arg = arg),
            ErrorKind::ValueValidation => {
                let reason = std::error::Error::source(e)
                    .map(parse_reason)
                    .unwrap_or_default();
                t!(
                    "cli.error.value_validation",
                    arg = arg,
                    value = value,
                    reason = reason
                )
            }
            ErrorKind::TooManyValues => t!("cli.error.too_many_values", arg = arg, value = value),
            ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
                t!("cli.error.wrong_number_of_values", arg = arg)
            }
            ErrorKind::ArgumentConflict => {
                let prior = get(ContextKind::PriorArg).unwrap_or_default();
                t!("cli.error.conflict", arg = arg, other = prior)
            }
            ErrorKind::MissingRequiredArgument => t!("cli.error.missing_argument", args = arg),
            ErrorKind::MissingSubcommand => {
                let command = get(ContextKind::InvalidSubcommand).unwrap_or_default();
                t!("cli.error.missing_command", command = command)
            }
            ErrorKind::InvalidUtf8 => t!("cli.error.invalid_utf8"),
            _ => t!("cli.error.other"),
        }
        .into_owned(),
    ];
    if let Some(suggested) = get(ContextKind::SuggestedSubcommand) {
        lines.push(t!("cli.error.did_you_mean_command", command = suggested).into_owned());
    }
    if let Some(suggested) = get(ContextKind::SuggestedArg) {
        lines.push(t!("cli.error.did_you_mean", arg = suggested).into_owned());
    }
    if let Some(suggested) = get(ContextKind::SuggestedValue) {
        lines.push(t!("cli.error.did_you_mean", arg = suggested).into_owned());
    }
    if let Some(trailing) = get(ContextKind::TrailingArg) {
        lines.push(t!("cli.error.trailing", arg = trailing).into_owned());
    }
    let mut message = format!("{}{}\n", t!("common.error"), lines.join("\n"));
    if let Some(usage) = get(ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        message.push_str(&format!("\n{}\n", t!("cli.error.usage", usage = usage)));
        message.push_str(&format!("\n{}\n", t!("cli.error.more")));
    }
    message
}

/// The reason a value was refused, in the user's language: Rust's own number parse errors
/// (which would print in English) through the catalogue; any other reason as it is.
fn parse_reason(source: &(dyn std::error::Error + 'static)) -> String {
    use std::num::IntErrorKind;
    if let Some(e) = source.downcast_ref::<std::num::ParseIntError>() {
        return match e.kind() {
            IntErrorKind::Empty => t!("cli.error.int_empty"),
            IntErrorKind::PosOverflow => t!("cli.error.int_too_large"),
            IntErrorKind::NegOverflow => t!("cli.error.int_too_small"),
            IntErrorKind::Zero => t!("cli.error.int_zero"),
            _ => t!("cli.error.int_invalid"),
        }
        .into_owned();
    }
    if source.is::<std::num::ParseFloatError>() {
        return t!("cli.error.float_invalid").into_owned();
    }
    source.to_string()
}
