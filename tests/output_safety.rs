//! The output folder loses nothing docent did not write (issue 17): paths
//! that one output needs as a file and another as a folder are located
//! errors naming both, hand-made files survive, and nothing is written or
//! deleted through a symbolic link.

mod common;

use common::Site;

fn site(files: &[(&str, &str)]) -> Site {
    let s = Site {
        dir: tempfile::tempdir().unwrap(),
    };
    s.write("site.yaml", "title: Out\nsearch: false\n");
    for (p, t) in files {
        s.write(p, t);
    }
    s
}

fn page(title: &str) -> String {
    format!("---\ntitle: {title}\n---\n\nText.\n")
}

fn messages(s: &Site) -> Vec<String> {
    s.build_err().iter().map(|d| d.to_string()).collect()
}

#[test]
fn a_page_named_like_a_file_is_an_error_naming_both_sources() {
    let s = site(&[
        ("content/_index.md", &page("Home")),
        ("content/index.html.md", &page("Oops")),
    ]);
    let m = messages(&s);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert!(
        m[0].contains("content/_index.md") && m[0].contains("content/index.html.md"),
        "{}",
        m[0]
    );
    assert!(m[0].contains("--> content/index.html.md"), "{}", m[0]);
    assert!(!s.public().join("index.html").exists(), "nothing published");
}

#[test]
fn a_page_named_like_the_theme_stylesheet_or_an_asset_is_an_error() {
    let s = site(&[("content/style.css.md", &page("Style"))]);
    let m = messages(&s);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert!(
        m[0].contains("style.css") && m[0].contains("content/style.css.md"),
        "{}",
        m[0]
    );

    let s = site(&[("content/x.md", &page("X")), ("content/x", "an asset")]);
    let m = messages(&s);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert!(
        m[0].contains("content/x ") && m[0].contains("content/x.md"),
        "{}",
        m[0]
    );
}

#[test]
fn an_update_build_keeps_the_home_page_and_stylesheet() {
    let s = site(&[("content/_index.md", &page("Home"))]);
    s.build_ok();
    let before = common::snapshot_tree(&s.public());
    s.write("content/index.html.md", &page("Oops"));
    s.build_err();
    assert_eq!(common::snapshot_tree(&s.public()), before);
}

#[test]
fn hand_made_files_in_the_output_survive_builds_that_want_their_paths() {
    let s = site(&[("content/_index.md", &page("Home"))]);
    s.build_ok();
    std::fs::create_dir_all(s.public().join("downloads")).unwrap();
    std::fs::write(s.public().join("downloads/report.pdf"), "mine").unwrap();
    std::fs::write(s.public().join("google123"), "verification").unwrap();
    s.write("content/downloads/report.pdf", "docent's");
    s.write("content/google123.md", &page("Google"));
    let err = s.build().unwrap_err().to_string();
    assert!(err.contains("was not written by docent"), "{err}");
    assert_eq!(
        std::fs::read_to_string(s.public().join("downloads/report.pdf")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read_to_string(s.public().join("google123")).unwrap(),
        "verification"
    );
    // Once the hand-made files are moved away, the build goes through, and
    // hand-made files elsewhere are still kept.
    std::fs::write(s.public().join("notes.txt"), "keep me").unwrap();
    std::fs::remove_file(s.public().join("downloads/report.pdf")).unwrap();
    std::fs::remove_file(s.public().join("google123")).unwrap();
    s.build_ok();
    s.build_ok();
    assert_eq!(
        std::fs::read_to_string(s.public().join("notes.txt")).unwrap(),
        "keep me"
    );
}

#[cfg(unix)]
#[test]
fn nothing_is_written_or_deleted_through_a_link_in_the_output() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("index.html"), "outside").unwrap();
    let s = site(&[
        ("content/_index.md", &page("Home")),
        ("content/a.md", &page("A")),
    ]);
    s.build_ok();
    // Replace the page's folder with a link to a folder outside the site.
    std::fs::remove_dir_all(s.public().join("a")).unwrap();
    std::os::unix::fs::symlink(outside.path(), s.public().join("a")).unwrap();
    s.write("content/a.md", &page("A, edited"));
    let err = s.build().unwrap_err().to_string();
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(
        std::fs::read_to_string(outside.path().join("index.html")).unwrap(),
        "outside"
    );
    // A removed page whose folder became a link: its old file is not deleted
    // through the link either.
    std::fs::remove_file(s.root().join("content/a.md")).unwrap();
    let _ = s.build();
    assert_eq!(
        std::fs::read_to_string(outside.path().join("index.html")).unwrap(),
        "outside"
    );
}
