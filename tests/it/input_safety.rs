//! What a site's files can make docent do (issue 17): the theme is a folder
//! of the site, only regular files are read, values reach the feed as
//! checked data, private-use characters are text, and `docent new` writes
//! front matter that reads back as written.

use crate::common::Site;
use docent::Kind;

fn site(files: &[(&str, &str)]) -> Site {
    let s = Site::bare();
    if !files.iter().any(|(p, _)| *p == "site.yaml") {
        s.write("site.yaml", "title: Input\n");
    }
    for (p, t) in files {
        s.write(p, t);
    }
    s
}

#[test]
fn a_theme_outside_the_site_is_a_located_error() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("templates")).unwrap();
    std::fs::write(outside.path().join("templates/page.html"), "STOLEN").unwrap();
    let s = site(&[
        (
            "site.yaml",
            "title: T\ntheme: ../../../../../../../../tmp/x\n",
        ),
        ("content/a.md", "---\ntitle: A\n---\n"),
    ]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        (diags[0].path.as_deref(), diags[0].line),
        (Some(std::path::Path::new("site.yaml")), 2)
    );
    assert!(!s.public().join("a").exists());
}

#[cfg(unix)]
#[test]
fn a_fifo_in_content_is_a_located_error_not_a_hang() {
    let s = site(&[("content/a.md", "---\ntitle: A\n---\n")]);
    for name in ["pipe.md", "pipe.bin"] {
        let path = s.root().join("content").join(name);
        // mkfifo(1) keeps the test free of unsafe code.
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&path)
                .status()
                .unwrap()
                .success()
        );
    }
    let diags = s.build_err();
    let mut shown: Vec<String> = diags.iter().map(|d| d.location()).collect();
    shown.sort();
    assert_eq!(shown, ["content/pipe.bin", "content/pipe.md"], "{diags:#?}");
    assert!(diags[0].message.contains("not a regular file"));
}

#[test]
fn private_use_characters_are_text_even_beside_citations() {
    let s = site(&[
        (
            "content/references.yaml",
            "smith2020:\n  type: article\n  title: A study\n  author: Smith, Jane\n  date: 2020\n",
        ),
        (
            "content/a.md",
            "---\ntitle: A\n---\n\nSee [@smith2020]. Odd text: \u{E000}0\u{E001} and \u{E000}.\n",
        ),
    ]);
    s.build_ok();
    let html = s.read("a/index.html");
    assert!(
        html.contains("Odd text: \u{E000}0\u{E001} and \u{E000}."),
        "{html}"
    );
    assert!(html.contains("class=\"citation\""));
}

#[test]
fn a_date_cannot_inject_into_the_feed() {
    let s = site(&[
        ("site.yaml", "title: Feed\nbase_url: https://example.org/\n"),
        (
            "content/a.md",
            "---\ntitle: A\ndate: \"2024-08-09T10:00:00Z</published><script>x</script>\"\n---\n",
        ),
    ]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].line, 3);
    assert!(!s.public().join("atom.xml").exists());
}

#[test]
fn docent_new_writes_titles_that_read_back_as_written() {
    let s = site(&[("content/a.md", "---\ntitle: A\n---\n")]);
    for name in ["null.md", "yes.md", "true.md", "1.0.md", "a: b.md"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_docent"))
            .args(["new", name, "--root"])
            .arg(s.root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut opts = s.opts();
    opts.drafts = true;
    docent::build(&opts).unwrap_or_else(|e| panic!("{e}"));
    assert!(s.read("null/index.html").contains("<h1>Null</h1>"));
    assert!(s.read("yes/index.html").contains("<h1>Yes</h1>"));
}

#[test]
fn huge_files_are_refused_with_their_size_not_read() {
    let s = site(&[("content/a.md", "---\ntitle: A\n---\n")]);
    // Sparse: the test writes no data, and docent must not read it either.
    let page = std::fs::File::create(s.root().join("content/big.md")).unwrap();
    page.set_len(33 * 1024 * 1024).unwrap();
    let asset = std::fs::File::create(s.root().join("content/huge.bin")).unwrap();
    asset.set_len(1100 * 1024 * 1024).unwrap();
    // Files found by the walk are checked first, pages when they are read.
    for expected in ["content/huge.bin", "content/big.md"] {
        let diags = s.build_err();
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].location(), expected);
        assert!(diags[0].message.contains("MiB, over the"), "{}", diags[0]);
        std::fs::remove_file(s.root().join(expected)).unwrap();
    }
    s.build_ok();
}

/// Links under content/ are judged once, the same way for pages, files
/// and data files (`_data/` included): a link that stays inside content/
/// is read, one that leads out is a located error in the site's terms, and
/// a link to a folder is called that (not "a FIFO, socket or device").
#[cfg(unix)]
#[test]
fn links_in_content_and_data_folders_are_judged_alike() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let table = "columns:\n  - {key: a, label: A, type: text}\nrows:\n  - {a: OUTSIDE-ROW}\n";
    std::fs::write(outside.path().join("d.yaml"), table).unwrap();
    std::fs::write(
        outside.path().join("p.md"),
        "---\ntitle: P\n---\nOUTSIDE-PAGE\n",
    )
    .unwrap();
    let s = site(&[
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\n```{table}\ndata: d.yaml\n```\n\n```{table}\ndata: inside.yaml\n```\n",
        ),
        (
            "content/_data/real.yaml",
            &table.replace("OUTSIDE", "INSIDE"),
        ),
    ]);
    let c = s.root().join("content");
    symlink(outside.path().join("d.yaml"), c.join("_data/d.yaml")).unwrap();
    symlink(outside.path().join("p.md"), c.join("linked.md")).unwrap();
    symlink(outside.path(), c.join("folder")).unwrap();
    // A link that stays inside content/ is followed, in _data/ too.
    symlink(c.join("_data/real.yaml"), c.join("_data/inside.yaml")).unwrap();
    let diags = s.build_err();
    let mut shown: Vec<(String, Kind)> = diags.iter().map(|d| (d.location(), d.kind)).collect();
    shown.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        shown,
        [
            ("content/_data/d.yaml".to_string(), Kind::PathEscape),
            ("content/folder".to_string(), Kind::PathEscape),
            ("content/linked.md".to_string(), Kind::PathEscape),
        ],
        "{diags:#?}"
    );
    for d in &diags {
        assert!(!d.message.contains("FIFO"), "{d}");
        assert!(d.message.starts_with("content/"), "{d}");
    }
    let folder = diags
        .iter()
        .find(|d| d.location() == "content/folder")
        .unwrap();
    assert!(folder.message.contains("folder"), "{folder}");
    // Without the links that lead out, the inside one is read.
    for name in ["_data/d.yaml", "linked.md", "folder"] {
        std::fs::remove_file(c.join(name)).unwrap();
    }
    s.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\n```{table}\ndata: inside.yaml\n```\n",
    );
    s.build_ok();
    let html = s.read("index.html");
    assert!(html.contains("INSIDE-ROW"), "{html}");
    assert!(!html.contains("OUTSIDE"), "{html}");
}

/// docent never reads outside the site: `site.yaml`, `content/` or a link
/// from the site's or the theme's folders (`themes/<name>`, `templates/`,
/// `static/`, `i18n/`) leading outside the site is a located error, as in
/// content/; a link that stays inside the site is followed.
#[cfg(unix)]
#[test]
fn links_out_of_the_site_from_theme_templates_static_and_i18n_are_errors() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let o = outside.path();
    std::fs::create_dir_all(o.join("theme/templates")).unwrap();
    std::fs::write(o.join("theme/templates/page.html"), "OUTSIDE").unwrap();
    std::fs::write(o.join("page.html"), "OUTSIDE").unwrap();
    std::fs::write(o.join("secret.txt"), "OUTSIDE").unwrap();
    std::fs::write(o.join("en.yaml"), "search: OUTSIDE\n").unwrap();
    let page = ("content/_index.md", "---\ntitle: Home\n---\n\nText.\n");
    std::fs::create_dir_all(o.join("content")).unwrap();
    std::fs::write(o.join("content/_index.md"), "---\ntitle: OUTSIDE\n---\n").unwrap();
    std::fs::write(o.join("site.yaml"), "title: OUTSIDE\n").unwrap();
    let cases: [(&str, &str, std::path::PathBuf); 6] = [
        ("content", "title: T\n", o.join("content")),
        ("site.yaml", "", o.join("site.yaml")),
        ("themes/evil", "title: T\ntheme: evil\n", o.join("theme")),
        ("templates/page.html", "title: T\n", o.join("page.html")),
        ("static/secret.txt", "title: T\n", o.join("secret.txt")),
        ("i18n/en.yaml", "title: T\n", o.join("en.yaml")),
    ];
    for (link, config, target) in cases {
        let s = site(&[("site.yaml", config), page]);
        let at = s.root().join(link);
        if matches!(link, "content" | "site.yaml") {
            let _ = std::fs::remove_dir_all(&at);
            let _ = std::fs::remove_file(&at);
        }
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        symlink(&target, &at).unwrap();
        let diags = s.build_err();
        assert!(
            diags.iter().any(|d| d.kind == Kind::PathEscape
                && d.message.starts_with(link)
                && d.message.contains("outside the site")),
            "{link}: {diags:#?}"
        );
        assert!(!s.public().exists(), "{link}");
    }
    // Inside the site, a link is followed.
    let s = site(&[page, ("content/notes.txt", "INSIDE")]);
    std::fs::create_dir_all(s.root().join("static")).unwrap();
    symlink(
        s.root().join("content/notes.txt"),
        s.root().join("static/copy.txt"),
    )
    .unwrap();
    s.build_ok();
    assert_eq!(s.read("copy.txt"), "INSIDE");
}

/// The bibliography and glossary named in site.yaml are files under
/// content/: a path that climbs out or is absolute is an error at its
/// line, and a `.bib` linked in from outside is never read.
#[test]
fn a_bibliography_or_glossary_path_out_of_content_is_an_error() {
    let outside = tempfile::tempdir().unwrap();
    let bib = outside.path().join("outside.bib");
    std::fs::write(
        &bib,
        "@article{x, title={OUTSIDE}, author={A, B}, year={2020}}\n",
    )
    .unwrap();
    let page = ("content/_index.md", "---\ntitle: H\n---\nA [@x].\n");
    for value in [
        "../outside.bib".to_string(),
        "sub/../../outside.bib".to_string(),
        bib.display().to_string(),
    ] {
        for key in ["bibliography", "glossary"] {
            let config = format!("title: T\n{key}: \"{value}\"\n");
            let s = site(&[("site.yaml", &config), page]);
            let diags = s.build_err();
            assert!(
                diags
                    .iter()
                    .any(|d| d.location() == "site.yaml:2:1" && d.message.contains(key)),
                "{key}: {value}: {diags:#?}"
            );
        }
    }
    #[cfg(unix)]
    {
        let s = site(&[("site.yaml", "title: T\nbibliography: _refs/r.bib\n"), page]);
        std::fs::create_dir_all(s.root().join("content/_refs")).unwrap();
        std::os::unix::fs::symlink(&bib, s.root().join("content/_refs/r.bib")).unwrap();
        let diags = s.build_err();
        assert!(
            diags
                .iter()
                .any(|d| d.kind == Kind::PathEscape && d.location() == "content/_refs/r.bib"),
            "{diags:#?}"
        );
    }
}
