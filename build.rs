//! Rebuilds the crate when the message catalogue changes: `rust_i18n::i18n!` reads
//! `locales/*.yml` at compile time, and cargo does not see those files otherwise.

fn main() {
    println!("cargo:rerun-if-changed=locales");
}
