//! `docent check`: one fixture page per finding kind
//! (tests/fixtures/check/findings), the JSON output, exit codes, and the
//! flagship passing `--strict`.

use crate::common;

use std::process::Command;

use docent::check::{Report, Severity};

fn report() -> Report {
    let site = common::Site::fixture("check/findings");
    docent::check::run_at(site.root())
}

fn find<'a>(r: &'a Report, check: &str) -> Vec<&'a docent::check::Finding> {
    r.findings.iter().filter(|f| f.check == check).collect()
}

fn loc(f: &docent::check::Finding) -> String {
    f.diagnostic.location()
}

#[test]
fn each_finding_kind_is_reported_with_its_location() {
    let r = report();
    let expect = [
        ("broken-link", Severity::Error, "content/_index.md:5:8"),
        ("broken-anchor", Severity::Error, "content/_index.md:5:24"),
        ("missing-image", Severity::Error, "content/images.md:5:1"),
        ("external-image", Severity::Warning, "content/images.md:7:1"),
        ("multiple-h1", Severity::Warning, "content/headings.md:5:1"),
        ("heading-skip", Severity::Warning, "content/headings.md:9:1"),
        (
            "review-overdue",
            Severity::Warning,
            "content/overdue.md:5:1",
        ),
        (
            "review-missing",
            Severity::Warning,
            "content/unreviewed.md:1:1",
        ),
        (
            "retracted-without-note",
            Severity::Warning,
            "content/retracted.md:9:12",
        ),
        ("readability", Severity::Warning, "content/dense.md"),
        ("long-page-no-toc", Severity::Warning, "content/long.md"),
        (
            "uncited-reference",
            Severity::Info,
            "content/references.yaml:8:1",
        ),
        (
            "press-source-for-figure",
            Severity::Warning,
            "content/press.md:5:35",
        ),
        (
            "reference-unfindable",
            Severity::Warning,
            "content/references.yaml:21:1",
        ),
    ];
    for (check, severity, location) in expect {
        let found = find(&r, check);
        assert_eq!(
            found.len(),
            1,
            "{check}: {:#?}",
            r.findings
                .iter()
                .map(|f| (f.check, loc(f)))
                .collect::<Vec<_>>()
        );
        assert_eq!(found[0].severity, severity, "{check}");
        assert_eq!(loc(found[0]), location, "{check}");
    }
    // The good anchor, the external link and the relative directory link pass.
    assert_eq!(
        find(&r, "broken-link").len() + find(&r, "broken-anchor").len(),
        2
    );
    assert!(
        find(&r, "broken-anchor")[0]
            .diagnostic
            .message
            .contains("no-such-heading")
    );
}

#[test]
fn readability_figures_are_per_page() {
    let r = report();
    let dense = r
        .pages
        .iter()
        .find(|p| p.path == "content/dense.md")
        .unwrap();
    assert!(dense.figures.grade.unwrap() > 15.0);
    let long = r
        .pages
        .iter()
        .find(|p| p.path == "content/long.md")
        .unwrap();
    assert!(long.figures.grade.unwrap() < 6.0, "{:?}", long.figures);
    assert_eq!(long.figures.words, 1320);
}

#[test]
fn json_output_and_exit_codes() {
    let site = common::Site::fixture("check/findings");
    let out = Command::new(env!("CARGO_BIN_EXE_docent"))
        .args(["check", "--format", "json", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "errors exit 1");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["summary"]["errors"], 3);
    assert_eq!(v["summary"]["warnings"], 10);
    assert_eq!(v["summary"]["infos"], 1);
    let first = &v["findings"][0];
    for key in [
        "severity", "check", "message", "path", "line", "column", "hint",
    ] {
        assert!(first.get(key).is_some(), "{key}");
    }
    let dense = v["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "content/dense.md")
        .unwrap();
    assert!(dense["grade"].as_f64().unwrap() > 15.0);
    assert!(dense["words"].as_u64().unwrap() > 50);
    assert!(!site.public().exists(), "check writes nothing");
}

#[test]
fn warnings_fail_only_with_strict() {
    let site = common::Site::fixture("check/findings");
    // Keep only a warning: remove the pages with errors.
    for f in ["_index.md", "images.md"] {
        std::fs::remove_file(site.root().join("content").join(f)).unwrap();
    }
    let run = |strict: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_docent"));
        c.args(["check", "--root"]).arg(site.root());
        if strict {
            c.arg("--strict");
        }
        c.output().unwrap()
    };
    let out = run(false);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("warning: heading level jumps from h2 to h4"),
        "{text}"
    );
    assert!(text.contains("0 errors"), "{text}");
    assert_eq!(run(true).status.code(), Some(1));
}

#[test]
fn build_errors_are_check_errors() {
    let site = common::Site::fixture("errors/unknown-key");
    let r = docent::check::run_at(site.root());
    assert_eq!(r.count(Severity::Error), 1);
    assert_eq!(r.findings[0].check, "unknown-key");
    assert_eq!(r.exit_code(false), 1);
}

#[test]
fn the_flagship_site_passes_strict() {
    let mut opts = docent::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    opts.today = Some("2026-11-22".into());
    opts.analyze = true;
    let rendered = docent::render_site(&opts).unwrap();
    let r = docent::check::inspect(&rendered);
    let problems: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| f.diagnostic.render(f.severity.label()))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for p in &r.pages {
        if let Some(g) = p.figures.grade {
            assert!(g <= 8.0, "{} reads at grade {g}", p.path);
        }
    }
}

/// Each warning the build gives is reported under a name for what it is:
/// a MyST option docent ignores is not a "review-overdue". A heading
/// `{#id}` taken twice is renamed by the build (valid HTML) and stays an
/// error in `check`: a link to it lands on the first.
#[test]
fn build_warnings_keep_names_of_their_own() {
    let site = common::Site::bare();
    site.write("site.yaml", "title: T\n");
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\n\n## One {#same}\n\nText.\n\n## Two {#same}\n\n:::{note}\n:icon: false\nText.\n:::\n",
    );
    let r = docent::check::run_at(site.root());
    let found: Vec<(&str, Severity, String)> = r
        .findings
        .iter()
        .map(|f| (f.check, f.severity, loc(f)))
        .collect();
    assert!(
        found.contains(&("duplicate-id", Severity::Error, "content/a.md:9:1".into())),
        "{found:#?}"
    );
    assert!(
        found.contains(&(
            "invalid-value",
            Severity::Warning,
            "content/a.md:12:1".into()
        )),
        "{found:#?}"
    );
    assert!(!found.iter().any(|f| f.0 == "review-overdue"), "{found:#?}");
    assert_eq!(find(&r, "duplicate-id").len(), 1, "{found:#?}");
}
