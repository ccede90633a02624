//! The `docent` binary: commands, exit codes and output, run as a process.

use crate::common;

use std::process::Command;

fn docent() -> Command {
    Command::new(env!("CARGO_BIN_EXE_docent"))
}

/// `docent build --root ROOT`, run from the current folder.
fn build_at(root: &std::path::Path) -> std::process::Output {
    docent()
        .args(["build", "--root"])
        .arg(root)
        .output()
        .unwrap()
}

#[test]
fn init_then_build_from_another_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let site = tmp.path().join("new-site");
    let out = docent()
        .arg("init")
        .arg(&site)
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.join("site.yaml").is_file());
    assert!(site.join("content/_index.md").is_file());
    assert!(
        !site.join("themes").exists(),
        "init sites use the built-in theme"
    );

    let out = docent()
        .args(["build", "--root"])
        .arg(&site)
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("Built 2 pages, 1 section in "),
        "{stdout}"
    );
    let page = std::fs::read_to_string(site.join("public/getting-started/index.html")).unwrap();
    assert!(page.contains("<details class=\"toc\">"));
    assert!(site.join("public/style.css").is_file());
    assert!(
        !elsewhere.path().join("public").exists(),
        "nothing written outside the site's public/"
    );
    // A rebuild after an edit prepares the output beside public/; the
    // .gitignore `init` wrote covers everything builds add to the site.
    std::fs::write(
        site.join("content/getting-started.md"),
        "# Edited\n\nText.\n",
    )
    .unwrap();
    let out = docent()
        .args(["build", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success());
    let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    for e in std::fs::read_dir(&site).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if !["site.yaml", "content", ".gitignore"].contains(&name.as_str()) {
            assert!(
                ignored.lines().any(|l| l == format!("/{name}")),
                "{name}: {ignored}"
            );
        }
    }
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let out = docent().arg("init").arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("keep.txt")).unwrap(),
        "mine"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
}

#[test]
fn content_errors_exit_1_with_located_message() {
    let site = common::Site::fixture("errors/unknown-key");
    let out = build_at(site.root());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--> content/_index.md:3:1"), "{stderr}");
    assert!(stderr.contains("build failed: 1 error"), "{stderr}");
    assert!(!site.public().exists());
}

#[test]
fn usage_errors_exit_2() {
    let out = docent().args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = docent().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn quiet_prints_nothing_on_success_and_output_flag_works() {
    let site = common::Site::fixture("content/basic");
    let out_dir = tempfile::tempdir().unwrap();
    let out = docent()
        .args([
            "build",
            "--quiet",
            "--drafts",
            "--base-url",
            "/docs/",
            "--root",
        ])
        .arg(site.root())
        .arg("--output")
        .arg(out_dir.path().join("o"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let home = std::fs::read_to_string(out_dir.path().join("o/index.html")).unwrap();
    assert!(home.contains("href=\"/docs/safety/#risks\""));
    assert!(out_dir.path().join("o/draft/index.html").is_file());
}

#[test]
fn missing_site_yaml_explains_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_at(tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("site.yaml") && stderr.contains("docent init"),
        "{stderr}"
    );
}

#[test]
fn new_creates_a_draft_page_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    assert!(
        docent()
            .arg("init")
            .arg(&site)
            .output()
            .unwrap()
            .status
            .success()
    );
    let out = docent()
        .args(["new", "safety/side-effects.md", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(site.join("content/safety/side-effects.md")).unwrap();
    assert!(text.starts_with("---\ntitle: Side effects\n"), "{text}");
    assert!(text.contains("\ndraft: true\n"));
    let date = text.lines().find_map(|l| l.strip_prefix("date: ")).unwrap();
    assert_eq!(date, docent::review::today());
    // A draft is skipped by default and built with --drafts.
    assert!(build_at(&site).status.success());
    assert!(!site.join("public/safety/side-effects").exists());

    // Never overwrite.
    std::fs::write(site.join("content/safety/side-effects.md"), "mine").unwrap();
    let out = docent()
        .args(["new", "safety/side-effects.md", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(site.join("content/safety/side-effects.md")).unwrap(),
        "mine"
    );

    // Sections, and paths that would leave content/.
    let out = docent()
        .args(["new", "evidence", "--section", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(site.join("content/evidence/_index.md"))
            .unwrap()
            .contains("title: Evidence\n")
    );
    let out = docent()
        .args(["new", "../escape.md", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!tmp.path().join("escape.md").exists());

    // A page the build would skip (a name starting with `.`, or `_` in
    // any part but a section's own `_index.md`) is refused, saying why.
    for skipped in [".hidden.md", "_drafts/page.md", "safety/_notes"] {
        let out = docent()
            .args(["new", skipped, "--root"])
            .arg(&site)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{skipped}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("would not be published"),
            "{skipped}: {stderr}"
        );
    }
    assert!(!site.join("content/.hidden.md").exists());
    assert!(!site.join("content/_drafts").exists());
    assert!(!site.join("content/safety/_notes.md").exists());
}

#[test]
fn verbose_prints_stage_timings_and_output_has_no_colour_when_piped() {
    let site = common::Site::fixture("content/basic");
    let out = docent()
        .args(["build", "-v", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for stage in ["load", "templates", "pages", "generated", "search", "write"] {
        assert!(
            stderr.contains(&format!("  {stage}")),
            "{stage} in {stderr}"
        );
    }
    let broken = common::Site::fixture("errors/unknown-key");
    let out = docent()
        .args(["build", "--root"])
        .arg(broken.root())
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains('\x1b'),
        "no escape codes when piped"
    );
    // --quiet is accepted by every command.
    for args in [vec!["check", "--quiet"], vec!["--quiet", "build"]] {
        let out = docent()
            .args(&args)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap();
        assert!(
            out.stdout.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    // `docent check --format json | head -1`: the pipe closes before docent
    // writes. That is not a panic (exit 101); the exit code is check's own.
    let tmp = tempfile::tempdir().unwrap();
    assert!(
        docent()
            .arg("init")
            .arg(tmp.path().join("s"))
            .status()
            .unwrap()
            .success()
    );
    for args in [
        &["check", "--format", "json", "--root"][..],
        &["build", "--root"][..],
    ] {
        let mut child = docent()
            .args(args)
            .arg(tmp.path().join("s"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn quiet_prints_warnings_and_errors_only() {
    // A link without text is a warning; `--quiet` leaves out the progress
    // and summary lines of every command, never a finding a person must
    // act on.
    let site = common::Site::empty();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\nSee [](https://example.org/).\n",
    );
    let run = |args: &[&str]| {
        let out = docent()
            .args(args)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap();
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (stdout, stderr) = run(&["build", "--quiet"]);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("warning:") && stderr.contains("_index.md:5"),
        "{stderr}"
    );
    assert!(!stderr.contains("Built"), "{stderr}");
    let (stdout, stderr) = run(&["check", "--quiet"]);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("warning:") && stderr.contains("_index.md:5"),
        "{stderr}"
    );
    assert!(!stderr.contains("Checked"), "{stderr}");
    // Without --quiet the summaries are there.
    assert!(run(&["build"]).0.contains("Built"));
    assert!(run(&["check"]).1.contains("Checked "));
    let help = docent().args(["build", "--help"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&help.stdout).contains("Print only warnings and errors"),
        "the help says what --quiet does"
    );
}
