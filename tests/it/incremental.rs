//! The rebuild cache: after every edit in a sequence, an incremental
//! rebuild of the output folder must be byte-identical to a full build from
//! scratch, and a rebuild with nothing changed must render and write nothing.

use crate::common;

use std::path::Path;

use crate::common::{Site, snapshot_tree};

fn files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    snapshot_tree(dir)
        .into_iter()
        .filter(|(p, _, _)| !p.to_string_lossy().starts_with(".docent"))
        .map(|(p, b, _)| (p, b))
        .collect()
}

/// Build incrementally into public/, and fully into a fresh folder; compare.
fn assert_same_as_full(site: &Site, step: &str) -> docent::BuildReport {
    let mut opts = site.opts();
    opts.today = Some("2025-10-01".into());
    let report = docent::build(&opts).unwrap_or_else(|e| panic!("{step}: {e}"));
    let full = tempfile::tempdir().unwrap();
    let mut fopts = opts.clone();
    fopts.output = Some(full.path().join("out"));
    fopts.cache = false;
    docent::build(&fopts).unwrap();
    let a = files(&site.public());
    let b = files(&full.path().join("out"));
    let names =
        |v: &[(std::path::PathBuf, Vec<u8>)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "{step}: different files");
    for ((p, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{step}: {} differs from a full build", p.display());
    }
    report
}

fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let path = site.root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from} not in {rel}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn incremental_rebuilds_match_full_builds() {
    edit_sequence(true);
}

/// Without search, pages rendered into an existing output are compared with
/// it as they render and held compressed: the same sequence must still give
/// byte-identical output.
#[test]
fn incremental_rebuilds_match_full_builds_without_search() {
    edit_sequence(false);
}

fn edit_sequence(search: bool) {
    let site = Site::fixture("components/all");
    if !search {
        let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
        site.write("site.yaml", &format!("{config}search: false\n"));
    }
    let first = assert_same_as_full(&site, "first build");
    assert_eq!(first.reused, 0);

    // Nothing changed: every content page is reused and no file is written.
    let before = snapshot_tree(&site.public());
    let r = assert_same_as_full(&site, "no change");
    assert_eq!(r.reused, 2, "both content pages reused");
    assert_eq!(r.files.written, 0);
    let after = snapshot_tree(&site.public());
    let touched: Vec<_> = after
        .iter()
        .filter(|f| !before.contains(f))
        .map(|f| f.0.display().to_string())
        .collect();
    assert!(
        touched.is_empty() && before.len() == after.len(),
        "a no-op rebuild touched {touched:?}"
    );

    // A body edit re-renders that page only.
    edit(
        &site,
        "content/evidence/index.md",
        "MAPP1 found a large effect",
        "MAPP1 found a big effect",
    );
    let r = assert_same_as_full(&site, "body edit");
    assert_eq!(r.reused, 1);

    // A title change alters navigation everywhere: full render.
    edit(
        &site,
        "content/evidence/index.md",
        "title: Evidence",
        "title: The evidence",
    );
    let r = assert_same_as_full(&site, "title edit");
    assert_eq!(r.reused, 0);

    // A data file read but not changed; then edits every page depends on.
    assert_same_as_full(&site, "data file untouched");
    for &(step, rel, from, to) in common::SITE_WIDE_EDITS {
        edit(&site, rel, from, to);
        let r = assert_same_as_full(&site, step);
        assert_eq!(r.reused, 0, "{step} is site-wide");
    }

    // A site template.
    site.write("templates/page.html", "{% extends \"theme/page.html\" %}\n{% block head %}<meta name=\"x\" content=\"1\">{% endblock head %}\n");
    assert_same_as_full(&site, "template added");

    // New and deleted pages.
    site.write(
        "content/extra.md",
        "---\ntitle: Extra\n---\n\nMore placebo words.\n",
    );
    assert_same_as_full(&site, "page added");
    std::fs::remove_file(site.root().join("content/extra.md")).unwrap();
    assert_same_as_full(&site, "page deleted");

    // An output file deleted by hand is written again, not trusted to the cache.
    std::fs::remove_file(site.public().join("evidence/index.html")).unwrap();
    let r = assert_same_as_full(&site, "output deleted");
    assert_eq!(r.reused, 1);
    assert!(site.public().join("evidence/index.html").is_file());

    // --no-cache renders everything, and rewrites nothing that is the same.
    let mut opts = site.opts();
    opts.today = Some("2025-10-01".into());
    opts.cache = false;
    let r = docent::build(&opts).unwrap();
    assert_eq!(r.reused, 0);
    assert_eq!(r.files.written, 0, "{:?}", r.files);
    // A template change re-renders every page; each is written.
    site.write("templates/page.html", "{% extends \"theme/page.html\" %}\n{% block head %}<meta name=\"x\" content=\"2\">{% endblock head %}\n");
    let r = assert_same_as_full(&site, "template changed");
    assert!(r.files.written >= 2, "{:?}", r.files);
}

/// Page files that have not changed since the last build (and had settled
/// before it read them) are loaded from the rebuild cache without being
/// read or parsed; any change to one is still seen, even one that keeps
/// the file's size, and an unreadable cache only costs the shortcut.
#[test]
fn settled_pages_load_from_the_cache_unread_and_edits_are_still_seen() {
    let site = Site::fixture("components/all");
    let md = walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    // A file modified within RACY_SECS of being read gets no stamp (it
    // could change again within the same clock tick): let the copies settle.
    std::thread::sleep(
        std::time::Duration::from_secs(docent::load::stamp::RACY_SECS)
            + std::time::Duration::from_millis(300),
    );
    let first = assert_same_as_full(&site, "first build");
    assert_eq!(first.unread, 0, "nothing to load from yet");

    let r = assert_same_as_full(&site, "no change");
    assert_eq!(r.unread, md, "every page loaded from the cache");
    assert_eq!(r.files.written, 0);

    // Same size, new title: the stamp (times, inode) no longer matches.
    edit(
        &site,
        "content/evidence/index.md",
        "title: Evidence",
        "title: Evidenze",
    );
    let r = assert_same_as_full(&site, "same-size title edit");
    assert_eq!(r.unread, md - 1);
    assert!(site.read("evidence/index.html").contains("<h1>Evidenze"));
    // Edited just now, so not trusted to a stamp yet: read again.
    let r = assert_same_as_full(&site, "right after the edit");
    assert_eq!(r.unread, md - 1);

    // A damaged sources file costs only the unread load; a damaged cache,
    // the reuse of rendered pages. Output is the same either way.
    site.write("public/.docent-sources", "not a sources file");
    let r = assert_same_as_full(&site, "damaged sources file");
    assert_eq!((r.unread, r.reused), (0, 2));
    site.write("public/.docent-cache", "not a cache");
    let r = assert_same_as_full(&site, "damaged cache");
    assert_eq!(r.reused, 0);
}

/// A page kept from the last build still reports its warnings: a second
/// `docent build` with nothing fixed said nothing, as if the problems
/// were gone.
#[test]
fn a_kept_page_reports_its_warnings_again() {
    let site = Site::bare();
    site.write("site.yaml", "title: T\nsearch: false\n");
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\n\n## One {#same}\n\n## Two {#same}\n\nSee [](https://example.org/).\n",
    );
    let shown = |r: &docent::BuildReport| -> Vec<String> {
        let mut w: Vec<String> = r.warnings.iter().map(|d| d.to_string()).collect();
        w.sort();
        w
    };
    let first = docent::build(&site.opts()).unwrap();
    assert_eq!(first.warnings.len(), 2, "{:#?}", first.warnings);
    let again = docent::build(&site.opts()).unwrap();
    assert!(again.reused >= 1, "the page is kept");
    assert_eq!(shown(&again), shown(&first));
}
