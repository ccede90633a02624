//! The output folder loses nothing docent did not write (issue 17): paths
//! that one output needs as a file and another as a folder are located
//! errors naming both, hand-made files survive, and nothing is written or
//! deleted through a symbolic link.

use crate::common;

use crate::common::Site;

fn site(files: &[(&str, &str)]) -> Site {
    let s = Site::bare();
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

/// Run the docent executable with `args` (and the shell prelude `limits`).
#[cfg(unix)]
fn docent_cmd(limits: &str, args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new("sh");
    c.arg("-c")
        .arg(format!("{limits} exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_docent"))
        .args(args);
    c
}

#[cfg(unix)]
#[test]
fn a_write_failure_mid_build_leaves_the_output_byte_identical() {
    let s = site(&[("content/_index.md", &page("Home"))]);
    for j in 0..60 {
        s.write(&format!("content/p{j}.md"), &page(&format!("Page {j}")));
    }
    s.write("content/files/big.bin", &"a".repeat(1 << 20));
    s.build_ok();
    std::fs::write(s.public().join("mine.txt"), "hand-made").unwrap();
    let before = common::snapshot_tree(&s.public());
    // Every page changes (the site title) and the big file too; the file
    // cannot be written past 256 KiB (a full disk, as far as docent sees),
    // so the build fails after some pages were prepared.
    s.write("site.yaml", "title: Changed\nsearch: false\n");
    s.write("content/files/big.bin", &"b".repeat(1 << 20));
    let root = s.root().to_str().unwrap();
    let out = docent_cmd("ulimit -f 512; trap '' XFSZ;", &["build", "--root", root])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("too large"), "{stderr}");
    assert!(
        common::snapshot_tree(&s.public()) == before,
        "the output changed after a failed write"
    );
    // The next build that can write publishes everything.
    s.build_ok();
    assert!(s.read("p7/index.html").contains("Changed"));
    assert_eq!(s.read("mine.txt"), "hand-made");
}

/// The version a published output shows (`VersionN` in the site title),
/// checking every page shows the same one, that the page added with it is
/// there (and the one of the version before is not), and that the
/// hand-made file is still there.
#[cfg(unix)]
fn published_version(public: &std::path::Path, pages: usize) -> usize {
    let version_in = |rel: &str| -> usize {
        let html =
            std::fs::read_to_string(public.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let at = html
            .find("Version")
            .unwrap_or_else(|| panic!("{rel}: no version"));
        html[at + 7..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    };
    let v = version_in("index.html");
    for j in 0..pages {
        let rel = format!("p{j}/index.html");
        assert_eq!(
            version_in(&rel),
            v,
            "{rel} is from another build than index.html"
        );
    }
    assert!(
        public.join(format!("extra{v}/index.html")).is_file(),
        "extra{v}"
    );
    assert!(!public.join(format!("extra{}", v.wrapping_sub(1))).exists());
    assert_eq!(
        std::fs::read_to_string(public.join("mine.txt")).unwrap(),
        "mine"
    );
    v
}

#[cfg(unix)]
#[test]
fn a_killed_rebuild_leaves_the_output_wholly_old_or_wholly_new() {
    use std::time::{Duration, Instant};
    const PAGES: usize = 300;
    let s = site(&[("content/_index.md", &page("Home"))]);
    let text = "Some words of a page. ".repeat(200);
    for j in 0..PAGES {
        s.write(
            &format!("content/p{j}.md"),
            &format!("---\ntitle: Page {j}\n---\n\n## Part\n\n{text}\n"),
        );
    }
    let set_version = |v: usize| {
        s.write("site.yaml", &format!("title: Version{v}\nsearch: false\n"));
        let _ = std::fs::remove_file(
            s.root()
                .join(format!("content/extra{}.md", v.wrapping_sub(1))),
        );
        s.write(&format!("content/extra{v}.md"), &page("Extra"));
    };
    let root = s.root().to_str().unwrap().to_string();
    let build = || docent_cmd("", &["build", "--quiet", "--root", &root]);
    set_version(0);
    assert!(build().status().unwrap().success());
    std::fs::write(s.public().join("mine.txt"), "mine").unwrap();
    set_version(1);
    let t = Instant::now();
    assert!(build().status().unwrap().success());
    let full = t.elapsed();
    let mut published = published_version(&s.public(), PAGES);
    assert_eq!(published, 1);
    let (mut old, mut new) = (0, 0);
    // Kills from the start of a build to 1.4 times the measured build,
    // then, while none has landed after the swap (builds run slower when
    // the machine is busy with other tests), at 2, 3, ... 8 times it.
    let mut waits: Vec<f64> = (0..=14).map(|tenths| tenths as f64 / 10.0).collect();
    let mut next = 1;
    let mut k = 0;
    while k < waits.len() {
        if k == waits.len() - 1 && new == 0 && waits.len() < 22 {
            waits.push(waits.len() as f64 - 13.0);
        }
        let factor = waits[k];
        next += 1;
        set_version(next);
        let mut child = build().spawn().unwrap();
        std::thread::sleep(full.mul_f64(factor) + Duration::from_millis(3 * k as u64));
        k += 1;
        let _ = child.kill();
        child.wait().unwrap();
        let v = published_version(&s.public(), PAGES);
        assert!(
            v == published || v == next,
            "version {v} after a kill (old {published}, new {next})"
        );
        if v == next {
            new += 1;
        } else {
            old += 1;
        }
        published = v;
    }
    // The kills landed both before and after the swap.
    assert!(old > 0 && new > 0, "old {old}, new {new}");
    // The next build completes the update and leaves no temporary file.
    assert!(build().status().unwrap().success());
    assert_eq!(published_version(&s.public(), PAGES), next);
    let stray: Vec<_> = walkdir::WalkDir::new(s.root())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_string_lossy().into_owned())
        .filter(|p| p.contains("docent-tmp") || p.ends_with(".tmp") || p.contains("docent-old"))
        .collect();
    assert!(stray.is_empty(), "{stray:#?}");
}

#[cfg(unix)]
#[test]
fn a_build_waits_for_another_build_of_the_same_output() {
    use std::io::BufRead;
    let s = site(&[("content/_index.md", &page("Home"))]);
    s.build_ok();
    // Another build holds the lock (on the output's parent folder) until
    // it is told to stop.
    let mut other = std::process::Command::new("flock")
        .arg(s.root())
        .args(["-c", "echo locked; read line"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("flock (util-linux) runs");
    let mut line = String::new();
    std::io::BufReader::new(other.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "locked\n");
    s.write("content/_index.md", &page("Home, edited"));
    let root = s.root().to_str().unwrap();
    let mut build = docent_cmd("", &["build", "--root", root])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The build says it waits, and does not publish while it does.
    let mut stderr = std::io::BufReader::new(build.stderr.take().unwrap());
    let mut said = String::new();
    stderr.read_line(&mut said).unwrap();
    assert!(said.contains("waiting for another docent build"), "{said}");
    assert!(!s.read("index.html").contains("edited"));
    drop(other.stdin.take());
    other.wait().unwrap();
    // Once the other build is done, this one publishes.
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(build.wait().unwrap().success(), "{rest}");
    assert!(s.read("index.html").contains("edited"));
}
