//! Shell completions and man pages: generated without a registry.

use crate::util::{self, Dir};

#[test]
fn completions_and_man_pages_need_no_registry() {
    let d = Dir::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = d.nf(&["completions", shell]).ok();
        assert!(
            o.stdout.contains("purge") && o.stdout.contains("access-log"),
            "{shell}: {}",
            &o.stdout[..o.stdout.len().min(400)]
        );
        assert_eq!(o.stderr, "");
    }
    d.nf(&["completions", "tcsh"]).code(2);

    let o = d.nf(&["man"]).ok();
    assert!(o.stdout.contains(".TH nuanfeng 1"), "{}", o.stdout);
    assert!(o.stdout.contains("Examples:"), "{}", o.stdout);

    std::fs::create_dir(d.join("man1")).unwrap();
    let o = d.nf(&["man", "-o", "man1"]).ok();
    assert!(o.stderr.starts_with("wrote ") && o.stderr.ends_with(" man pages to man1\n"));
    for page in [
        "nuanfeng.1",
        "nuanfeng-import.1",
        "nuanfeng-worker.1",
        "nuanfeng-worker-purge.1",
        "nuanfeng-report-district.1",
    ] {
        assert!(d.exists(&format!("man1/{page}")), "no {page}");
    }
    let page = String::from_utf8(d.read("man1/nuanfeng-worker-purge.1")).unwrap();
    assert!(
        page.contains(".TH nuanfeng-worker-purge 1  \"nuanfeng 0.1.0\""),
        "{page}"
    );
    let o = d.nf(&["man", "-o", "nowhere"]).code(2);
    assert_eq!(
        o.stderr,
        "error: -o nowhere: no such folder — create it first\n"
    );
    assert!(!d.exists(util::DB));
}
