//! Regressions, each test named after what broke. Most were found by a user review (the
//! rejects file, unclosed quotes, dry runs, a closed stderr, year-last dates, empty files
//! given as the registry, numbers of other shapes); the rest while writing the first tests
//! (points files out of date order, IDs with impossible birth dates, the rejects file's
//! problem column).

mod import;
mod output;
mod points;
mod registry;
mod rejects;

/// The runs of ASCII digits in `text` that are as long as a 手机号 (11) or a 身份证号 (18, or
/// 17 and a final X): numbers in clear.
fn clear_numbers(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        if run.len() == 11 || run.len() == 18 || (run.len() == 17 && matches!(c, 'X' | 'x')) {
            found.push(run.clone());
        }
        run.clear();
    }
    found
}
