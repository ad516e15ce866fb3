//! CHECK constraints written without constant `IN` lists.
//!
//! SQLite evaluates `col IN ('a', 'b', 'c')` with three or more constants by building a
//! temporary index of the constants each time the statement runs (`sqlite3FindInIndex` in
//! sqlite3.c: a list of one or two constants is compared inline). In a CHECK constraint that is
//! once per row written: an ephemeral b-tree, its page memory allocated and freed, for every
//! INSERT. The same constraint written as `(col = 'a' OR col = 'b' OR col = 'c')` accepts and
//! refuses exactly the same values (both compare with the column's affinity and collation, and
//! both are NULL, so pass, for a NULL) and costs a few comparisons. `schema.sql` is written that
//! way; schema version 16 rewrites the tables of older files with [`expand_in_lists`].

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

/// `sql` with every `name IN (c1, c2, c3, …)` whose list holds three or more constants (quoted
/// strings or integers) written as `(name = c1 OR name = c2 OR name = c3 …)`, keeping the line
/// breaks between the constants. `NOT IN`, lists holding anything but constants, and text inside
/// string literals or `--` comments are left as they are. Idempotent: a text without such lists
/// comes back unchanged.
pub fn expand_in_lists(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + sql.len() / 4);
    // The identifier just copied (its start in `out` and its text), while only whitespace
    // followed it.
    let mut last_ident: Option<(usize, &str)> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\'' {
            let end = string_end(b, i);
            out.push_str(&sql[i..end]);
            i = end;
            last_ident = None;
        } else if c == b'-' && b.get(i + 1) == Some(&b'-') {
            let end = sql[i..].find('\n').map_or(b.len(), |n| i + n);
            out.push_str(&sql[i..end]);
            i = end;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let word = &sql[start..i];
            if word.eq_ignore_ascii_case("IN")
                && let Some((at, name)) = last_ident
                && !name.eq_ignore_ascii_case("NOT")
                && let Some((items, seps, end)) = constant_list(sql, i)
                && items.len() >= 3
            {
                out.truncate(at);
                out.push('(');
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        let ws = seps[k - 1];
                        out.push_str(" OR");
                        out.push_str(if ws.is_empty() { " " } else { ws });
                    }
                    out.push_str(name);
                    out.push_str(" = ");
                    out.push_str(item);
                }
                out.push(')');
                i = end;
                last_ident = None;
                continue;
            }
            last_ident = Some((out.len(), word));
            out.push_str(word);
        } else {
            if !c.is_ascii_whitespace() {
                last_ident = None;
            }
            let len = sql[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&sql[i..i + len]);
            i += len;
        }
    }
    out
}

/// The end (exclusive) of the string literal opening at `start` (`''` is a quote inside it).
fn string_end(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        if b[i] == b'\'' {
            if b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// After `IN` at `from`: `(c1, c2, …)` of constants. Returns the constants, the whitespace
/// after each comma, and the end of the closing parenthesis; `None` for anything else.
fn constant_list(sql: &str, from: usize) -> Option<(Vec<&str>, Vec<&str>, usize)> {
    let b = sql.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let mut i = skip_ws(from);
    if b.get(i) != Some(&b'(') {
        return None;
    }
    i = skip_ws(i + 1);
    let (mut items, mut seps) = (Vec::new(), Vec::new());
    loop {
        let start = i;
        if b.get(i) == Some(&b'\'') {
            i = string_end(b, i);
            if b.get(i - 1) != Some(&b'\'') || i - start < 2 {
                return None;
            }
        } else {
            if b.get(i) == Some(&b'-') {
                i += 1;
            }
            let digits = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == digits {
                return None;
            }
        }
        items.push(&sql[start..i]);
        i = skip_ws(i);
        match b.get(i) {
            Some(b',') => {
                let ws = i + 1;
                i = skip_ws(ws);
                seps.push(&sql[ws..i]);
            }
            Some(b')') => return Some((items, seps, i + 1)),
            _ => return None,
        }
    }
}

/// Registers `expand_in_lists(sql)` as a SQL function on `conn`, for the upgrade to schema
/// version 16 (`migrations/0015-to-v16.sql`).
pub fn register_function(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "expand_in_lists",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let sql: Option<String> = ctx.get(0)?;
            Ok(sql.map(|s| expand_in_lists(&s)))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_of_three_or_more_constants_become_or_chains() {
        assert_eq!(
            expand_in_lists("kind TEXT CHECK (kind IN ('a', 'b', 'c'))"),
            "kind TEXT CHECK ((kind = 'a' OR kind = 'b' OR kind = 'c'))"
        );
        assert_eq!(
            expand_in_lists("x INTEGER CHECK (x IN (1,2, -3))"),
            "x INTEGER CHECK ((x = 1 OR x = 2 OR x = -3))"
        );
        assert_eq!(
            expand_in_lists("CHECK (s IN ('it''s', 'b',\n        'c'))"),
            "CHECK ((s = 'it''s' OR s = 'b' OR\n        s = 'c'))"
        );
    }

    #[test]
    fn short_lists_not_in_subqueries_strings_and_comments_stay() {
        for sql in [
            "CHECK (x IN (0, 1))",
            "CHECK (x NOT IN ('a', 'b', 'c'))",
            "WHERE x IN (SELECT y FROM t)",
            "CHECK (x IN ('a', y, 'c'))",
            "DEFAULT 'k IN (''a'', ''b'', ''c'')'",
            "-- k IN ('a', 'b', 'c')\nx",
        ] {
            assert_eq!(expand_in_lists(sql), sql);
        }
    }

    #[test]
    fn the_schema_has_no_constant_in_list_left() {
        assert_eq!(
            expand_in_lists(super::super::SCHEMA_SQL),
            super::super::SCHEMA_SQL
        );
    }
}
