//! The repository's own site (content/ + themes/default) builds, and the
//! properties the seed article lacked hold: a rendered TOC, real tables.

use std::path::Path;

#[test]
fn flagship_site_builds_with_nested_toc_and_real_tables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let mut opts = docent::BuildOptions::new(root);
    opts.output = Some(out.path().join("public"));
    let report = docent::build(&opts).unwrap_or_else(|e| panic!("flagship build failed:\n{e}"));
    assert!(report.pages >= 2);

    let read = |rel: &str| std::fs::read_to_string(out.path().join("public").join(rel)).unwrap();
    let home = read("index.html");
    // A nested TOC: an entry with its own list of children.
    let toc = home
        .split("<nav class=\"toc toc-sidebar\"")
        .nth(1)
        .expect("home has a TOC");
    assert!(
        toc.contains("<a href=\"#key-points\">Key points</a>\n<ol>"),
        "{toc}"
    );

    for entry in walkdir::WalkDir::new(out.path())
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                !html.contains("Add a header to begin generating"),
                "{}",
                entry.path().display()
            );
        }
    }
    let evidence = read("evidence/index.html");
    assert!(evidence.contains("<table>") && evidence.contains("<td>Mitchell 2021 (MAPP1)</td>"));
    let reg = read("regulatory-status/index.html");
    assert!(reg.contains("9 August 2024"));
    assert!(!root.join("content/public").exists());
}
