//! What reaches a terminal: text from the registry, a file or the command line is shown with
//! its control characters escaped (`\x1b`, `\u{202e}`), so that a 姓名 holding `ESC[2J` or a
//! header cell holding `ESC]0;…BEL` prints as those characters' names instead of clearing the
//! screen or retitling the window. Escaping is done on display only — the data keeps its bytes —
//! in the few places output leaves the program: the table renderer, the error line, and the
//! writer that carries messages and warnings to stderr ([`TerminalSafe`]). Values echoed in
//! a message are also cut ([`for_message`]), so that a 10 MB header cell is not printed whole.

use std::borrow::Cow;
use std::io::{self, Write};

use super::normalize::is_refused_char;

/// The most characters of one value a message quotes ([`for_message`]); more are cut, `…`
/// marking the cut.
pub const MESSAGE_VALUE_CHARS: usize = 60;

/// True for a character that a terminal may act on instead of showing: every character of
/// [`is_refused_char`] (C0 controls but tab and line feed, DEL, C1 controls, bidirectional
/// embeddings, overrides and isolates) and the carriage return, which moves the cursor back
/// over what a line already shows.
pub fn is_unsafe_char(c: char) -> bool {
    c == '\r' || is_refused_char(c)
}

/// `s` with every character of [`is_unsafe_char`] written as an escape: `\x1b` for a code
/// point up to U+00FF, `\u{202e}` above. Borrowed when there is nothing to escape.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_unsafe_char(c) {
            out.push(c);
        } else if (c as u32) <= 0xFF {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// A value as a message quotes it: escaped ([`terminal_safe`]) and cut to
/// [`MESSAGE_VALUE_CHARS`] characters, the last of them `…`.
pub fn for_message(s: &str) -> String {
    let cut: String = if s.chars().nth(MESSAGE_VALUE_CHARS).is_some() {
        s.chars()
            .take(MESSAGE_VALUE_CHARS - 1)
            .chain(std::iter::once('…'))
            .collect()
    } else {
        s.to_string()
    };
    terminal_safe(&cut).into_owned()
}

/// A writer to a terminal (stderr, as a rule) that escapes what it carries
/// ([`terminal_safe`]): messages, warnings and row problems pass through it whole, whatever
/// values they quote. Text that is not UTF-8 has its C0 controls (but tab and line feed) and
/// DEL escaped byte by byte.
pub struct TerminalSafe<W>(pub W);

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(s) => self.0.write_all(terminal_safe(s).as_bytes())?,
            Err(_) => {
                let mut out = Vec::with_capacity(buf.len());
                for &b in buf {
                    if (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7F {
                        out.extend_from_slice(format!("\\x{b:02x}").as_bytes());
                    } else {
                        out.push(b);
                    }
                }
                self.0.write_all(&out)?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_text_kept() {
        assert_eq!(terminal_safe("郭志伟"), "郭志伟");
        assert_eq!(terminal_safe("a\u{1b}[2Jb"), "a\\x1b[2Jb");
        assert_eq!(terminal_safe("\u{1b}]0;x\u{7}"), "\\x1b]0;x\\x07");
        assert_eq!(terminal_safe("r\rl\n\t"), "r\\x0dl\n\t");
        assert_eq!(terminal_safe("\u{9b}\u{7f}"), "\\x9b\\x7f");
        assert_eq!(terminal_safe("abc\u{202e}def"), "abc\\u{202e}def");
    }

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "街".repeat(100);
        let shown = for_message(&long);
        assert_eq!(shown.chars().count(), MESSAGE_VALUE_CHARS);
        assert!(shown.ends_with('…'));
        assert_eq!(for_message("柳巷街道"), "柳巷街道");
    }

    #[test]
    fn the_writer_escapes_what_passes() {
        let mut out = TerminalSafe(Vec::new());
        let name = "x";
        writeln!(out, "{name}: \u{1b}[31m").unwrap();
        out.write_all(b"\xff\x1b").unwrap();
        assert_eq!(out.0, b"x: \\x1b[31m\n\xff\\x1b".to_vec());
    }
}
