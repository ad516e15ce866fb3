//! The message catalogue: every sentence a person reads is a key in `locales/*.yml`, with a
//! Chinese (`zh`, the default) and an English (`en`) text and named `%{placeholders}`,
//! looked up with [`rust_i18n::t!`]. The language is chosen once, before the command line
//! is parsed ([`choose`]), so that clap's help is built in it too.
//!
//! The catalogue is split by area (`locales/cli.yml` for the help, `locales/import.yml` for
//! the register pipeline, …); every file holds both languages side by side, so a key without
//! its translation is seen at once (and `tests/cli/catalogue.rs` refuses it).

use std::ffi::OsString;

/// `--lang`: the language of everything a person reads (the data, JSON keys and command
/// names do not change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// 中文 (the default).
    #[default]
    #[value(help = rust_i18n::t!("cli.values.lang.zh").into_owned())]
    Zh,
    /// English.
    #[value(help = rust_i18n::t!("cli.values.lang.en").into_owned())]
    En,
}

impl Lang {
    /// The catalogue's code of the language: `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The language of a value of `--lang` or `NUANFENG_LANG`: `zh`, `zh_CN`, `zh-CN.UTF-8`,
    /// `en`, `en_US` … (case-insensitive, by the part before `_`, `-` or `.`); `None` for
    /// anything else.
    pub fn parse(value: &str) -> Option<Lang> {
        let base = value
            .split(['_', '-', '.'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match base.as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language in use (set by [`set`]).
    pub fn current() -> Lang {
        if &*rust_i18n::locale() == "en" {
            Lang::En
        } else {
            Lang::Zh
        }
    }
}

/// The language of this run, known before the command line is parsed: the value of the last
/// `--lang X` or `--lang=X` among `args` (before a `--`), else `NUANFENG_LANG`, else Chinese.
/// A value that names no language is left to clap to refuse, in the default language.
///
/// `args` are the process's arguments without the program name.
pub fn choose(args: impl IntoIterator<Item = OsString>, env: Option<OsString>) -> Lang {
    from_args(args)
        .or_else(|| {
            env.as_deref()
                .and_then(|v| v.to_str())
                .and_then(Lang::parse)
        })
        .unwrap_or_default()
}

/// The language `--lang` names among `args` (the last one, before a `--`), if any.
pub fn from_args(args: impl IntoIterator<Item = OsString>) -> Option<Lang> {
    let mut chosen = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let Some(arg) = arg.to_str() else { continue };
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            if let Some(value) = args.next() {
                chosen = value.to_str().and_then(Lang::parse).or(chosen);
            }
        } else if let Some(value) = arg.strip_prefix("--lang=") {
            chosen = Lang::parse(value).or(chosen);
        }
    }
    chosen
}

/// The warning for a `NUANFENG_LANG` that names no language (`fr`): said in the language
/// chosen, since the variable is then ignored; `None` when it is unset, empty or known.
pub fn unknown_env_warning(env: Option<&std::ffi::OsStr>) -> Option<String> {
    let value = env?.to_string_lossy();
    if value.trim().is_empty() || Lang::parse(&value).is_some() {
        return None;
    }
    // The value is the user's, and printed: escaped and cut.
    let value = crate::model::for_message(&value);
    Some(rust_i18n::t!("main.unknown_lang_env", value = value).into_owned())
}

/// Makes `lang` the language of every message of this process.
pub fn set(lang: Lang) {
    rust_i18n::set_locale(lang.code());
}

/// One error as printed: `错误：message` (`error: message` in English), its control
/// characters escaped (see [`crate::model::terminal_safe`]): it goes to a terminal.
pub fn error_line(message: &str) -> String {
    format!(
        "{}{}",
        rust_i18n::t!("common.error"),
        crate::model::terminal_safe(message)
    )
}

/// The message of a panic: where it happened (`file:line`, when known), never what it said
/// (the text may quote a cell holding a 身份证号 or 手机号).
pub fn internal_error(at: Option<String>) -> String {
    let at = at.unwrap_or_else(|| rust_i18n::t!("main.unknown_place").into_owned());
    error_line(&rust_i18n::t!("main.internal_error", at = at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn flag_wins_over_environment() {
        let env = Some(OsString::from("zh_CN.UTF-8"));
        assert_eq!(
            choose(args(&["--lang", "en", "demo"]), env.clone()),
            Lang::En
        );
        assert_eq!(choose(args(&["demo", "--lang=en"]), env.clone()), Lang::En);
        assert_eq!(choose(args(&["demo"]), Some("en_US".into())), Lang::En);
        assert_eq!(choose(args(&["demo"]), env), Lang::Zh);
        assert_eq!(choose(args(&["demo"]), None), Lang::Zh);
    }

    #[test]
    fn after_double_dash_is_data() {
        assert_eq!(choose(args(&["--", "--lang", "en"]), None), Lang::Zh);
        assert_eq!(choose(args(&["--lang", "xx"]), None), Lang::Zh);
        assert_eq!(choose(args(&["--lang"]), Some("en".into())), Lang::En);
    }
}
