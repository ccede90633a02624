//! Content nobody on the team wrote: regression tests for the panics, wrong
//! URLs and misleading errors found by building public Markdown trees
//! (issue 16). Each site is written inline so the shape under test is in
//! the test itself.

use crate::common;

use crate::common::Site;
use docent::Kind;

/// A site in a temp folder with `site.yaml` (title only, unless given) and
/// the files listed.
fn site(files: &[(&str, &str)]) -> Site {
    let site = Site::bare();
    if !files.iter().any(|(p, _)| *p == "site.yaml") {
        site.write("site.yaml", "title: Real world\n");
    }
    for (path, text) in files {
        site.write(path, text);
    }
    site
}

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n\n{body}\n")
}

// ---- panics -------------------------------------------------------------

#[test]
fn an_entity_before_multibyte_text_does_not_panic_the_search_extractor() {
    let s = site(&[
        ("content/tom.md", &page("Tom", "Tom & Jerr → cartoon.")),
        ("content/amp.md", &page("Amp", "a &amp;éééé and &#x;ü")),
    ]);
    s.build_ok();
    let meta = std::fs::read_to_string(s.public().join("search/index/meta.json")).unwrap();
    // Shards are named by the hex of their words' first two letters: "to".
    assert!(meta.contains("\"746f\""), "{meta}");
}

#[test]
fn non_ascii_text_in_raw_script_and_style_does_not_panic() {
    let s = site(&[(
        "content/raw.md",
        &page(
            "Raw",
            "<script>var s = \"<éééé\"; // <ü</script>\n\n<style>p::after { content: \"<é\" }</style>\n\nAfter é.",
        ),
    )]);
    s.build_ok();
    assert!(s.read("raw/index.html").contains("After é."));
}

#[test]
fn a_link_with_a_percent_before_multibyte_text_is_a_broken_link_not_a_panic() {
    let s = site(&[("content/a.md", &page("A", "[x](%aé.md) and [y](%é.md)"))]);
    let diags = s.build_err();
    assert!(
        diags.iter().all(|d| d.kind == Kind::BrokenLink),
        "{diags:#?}"
    );
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert!(diags[0].line == 5 && diags[0].column > 0, "{}", diags[0]);
}

#[test]
fn a_long_non_ascii_value_of_the_wrong_type_is_reported_not_a_panic() {
    let long = "é".repeat(60);
    let s = site(&[
        (
            "content/studies.yaml",
            &format!(
                "columns:\n  - {{key: n, label: N, type: integer}}\nrows:\n  - {{n: \"{long}\"}}\n"
            ),
        ),
        (
            "content/t.md",
            &page("T", "```{table}\ndata: studies.yaml\ncaption: Studies\n```"),
        ),
    ]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = &diags[0];
    assert!(d.message.contains('…') && d.message.contains("éé"), "{d}");
    assert_eq!(
        d.path.as_deref(),
        Some(std::path::Path::new("content/studies.yaml"))
    );
    assert_eq!(d.line, 4, "{d}");
}

// ---- panic isolation ----------------------------------------------------

/// `docent build` as a process, with the debug-only probe that makes the
/// page `panic_page` panic while rendering.
fn build_with_panic(site: &Site, panic_page: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_docent"))
        .args(["build", "--quiet", "--root"])
        .arg(site.root())
        .env("DOCENT_TEST_PANIC_PAGE", panic_page)
        .output()
        .unwrap()
}

#[test]
fn a_panic_in_one_page_is_a_located_internal_error_and_other_errors_still_show() {
    let s = site(&[
        ("content/boom.md", &page("Boom", "Text.")),
        ("content/broken.md", &page("Broken", "[gone](missing.md)")),
        ("content/fine.md", &page("Fine", "Fine.")),
    ]);
    let out = build_with_panic(&s, "boom.md");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        !stderr.contains("panicked at"),
        "the panic is not printed raw: {stderr}"
    );
    assert!(
        stderr.contains("internal error in docent while rendering this page"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/boom.md"), "{stderr}");
    assert!(
        stderr.contains("content/broken.md:5:"),
        "other errors still reported: {stderr}"
    );
    // A fresh output folder is left missing or empty, as the README promises.
    let left: Vec<_> = std::fs::read_dir(s.public())
        .map(|d| d.collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "partial output left: {left:?}");
}

#[test]
fn a_panic_leaves_an_existing_output_byte_identical() {
    let s = site(&[
        ("content/boom.md", &page("Boom", "Text.")),
        ("content/fine.md", &page("Fine", "Fine.")),
    ]);
    s.build_ok();
    let before = common::snapshot_tree(&s.public());
    s.write("content/fine.md", &page("Fine, edited", "Edited."));
    s.write("site.yaml", "title: A new title\n");
    let out = build_with_panic(&s, "boom.md");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(common::snapshot_tree(&s.public()), before);
}

// ---- flat folders -------------------------------------------------------

/// Links inside the page's main navigation.
fn nav_links(html: &str) -> Vec<String> {
    let nav = html
        .split("aria-label=\"Main\"")
        .nth(1)
        .and_then(|s| s.split("</nav>").next())
        .expect("a main navigation");
    nav.split("<a href=\"")
        .skip(1)
        .map(|a| a.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_flat_folder_gets_a_cut_navigation_and_pager_links_on_every_page() {
    // 60 pages in folders without `_index.md`: all are top-level items.
    let mut files = Vec::new();
    for i in 0..60 {
        files.push((
            format!(
                "content/{}/p{i:02}.md",
                if i % 2 == 0 { "even" } else { "odd" }
            ),
            page(&format!("Page {i:02}"), "Text."),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let s = site(&refs);
    s.build_ok();
    let last = s.read("odd/p59/index.html");
    let links = nav_links(&last);
    // The first ten, the page itself, and "All topics".
    assert_eq!(links.len(), 12, "{links:?}");
    assert_eq!(links[10], "/odd/p59/");
    assert!(
        last.contains("<a href=\"/odd/p59/\" aria-current=\"page\">"),
        "{last}"
    );
    assert!(links[11].ends_with("#listing-title"), "{links:?}");
    let first = s.read("even/p00/index.html");
    assert_eq!(
        nav_links(&first).len(),
        11,
        "no extra item when the page is shown anyway"
    );
    // Previous/next follow the home page's order (by title).
    let middle = s.read("even/p30/index.html");
    assert!(
        middle.contains("href=\"/odd/p29/\" rel=\"prev\""),
        "{middle}"
    );
    assert!(
        middle.contains("href=\"/odd/p31/\" rel=\"next\""),
        "{middle}"
    );
}

// ---- URLs from any file name --------------------------------------------

/// Every `href="…"` and `src="…"` value in `html`.
fn urls_in(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        for part in html.split(attr).skip(1) {
            out.push(part.split('"').next().unwrap().replace("&amp;", "&"));
        }
    }
    out
}

/// A URL (path, query, fragment) that a strict server and the URL standard
/// accept as written: no character that must be percent-encoded, and every
/// `%` starts a valid escape.
fn is_valid_url(u: &str) -> bool {
    let b = u.as_bytes();
    b.iter().enumerate().all(|(i, &c)| match c {
        b'%' => b.len() > i + 2 && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit(),
        c if c.is_ascii_alphanumeric() => true,
        c => b"-._~!$&'()*+,;=:@/?#".contains(&c),
    })
}

fn odd_names_site() -> Site {
    site(&[
        (
            "site.yaml",
            "title: Odd names\nbase_url: https://example.org/guide/\n",
        ),
        (
            "content/_index.md",
            &page(
                "Home",
                "[pct](common/%.md) [space](a%20b.md) [brackets](x/[1].md) \
                 [braces]({y}^.md) [accent](café.md) [guide](guide/page.md)",
            ),
        ),
        ("content/common/%.md", &page("Percent", "100% sure.")),
        ("content/a b.md", &page("Space", "Text.")),
        ("content/x/[1].md", &page("Brackets", "Text.")),
        ("content/{y}^.md", &page("Braces", "Text.")),
        ("content/café.md", &page("Accent", "Text.")),
        (
            "content/guide/page.md",
            &page(
                "Guide",
                "![A picture](pic.gif)\n\n[The report](files/my%20report.pdf) and \
                 [again](<./files/my report.pdf>)",
            ),
        ),
        (
            "content/guide/pic.gif",
            // A GIF's header (docent reads its size, and copies it as it is).
            "GIF89a\x10\x00\x08\x00 and the rest",
        ),
        ("content/guide/files/my report.pdf", "%PDF"),
    ])
}

#[test]
fn urls_from_any_file_name_are_percent_encoded_everywhere() {
    let s = odd_names_site();
    s.build_ok();
    let home = s.read("index.html");
    for want in [
        "/guide/common/%25/",
        "/guide/a%20b/",
        "/guide/x/%5B1%5D/",
        "/guide/%7By%7D%5E/",
        "/guide/caf%C3%A9/",
    ] {
        assert!(
            home.contains(&format!("href=\"{want}\"")),
            "{want} in {home}"
        );
    }
    // Output files keep the names as they are.
    for f in [
        "common/%/index.html",
        "a b/index.html",
        "x/[1]/index.html",
        "café/index.html",
    ] {
        assert!(s.public().join(f).is_file(), "{f}");
    }
    for entry in walkdir::WalkDir::new(s.public()) {
        let entry = entry.unwrap();
        let name = entry.path().to_string_lossy().to_string();
        if name.ends_with(".html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            for u in urls_in(&html) {
                assert!(is_valid_url(&u), "invalid URL {u:?} in {name}");
            }
        }
    }
    let sitemap = s.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/guide/common/%25/</loc>"),
        "{sitemap}"
    );
    for loc in sitemap.split("<loc>").skip(1) {
        let u = loc.split("</loc>").next().unwrap();
        assert!(is_valid_url(u.trim_start_matches("https:")), "{u}");
    }
    let canonical = s.read("x/[1]/index.html");
    assert!(
        canonical.contains("rel=\"canonical\" href=\"https://example.org/guide/x/%5B1%5D/\""),
        "{canonical}"
    );
}

#[test]
fn images_and_files_beside_a_plain_page_resolve_in_build_and_check() {
    let s = odd_names_site();
    s.build_ok();
    let html = s.read("guide/page/index.html");
    assert!(html.contains("src=\"/guide/guide/pic.gif\""), "{html}");
    assert_eq!(
        html.matches("href=\"/guide/guide/files/my%20report.pdf\"")
            .count(),
        2,
        "{html}"
    );
    assert!(s.public().join("guide/pic.gif").is_file());
    let report = docent::check::run_at(s.root());
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity == docent::check::Severity::Error)
        .map(|f| f.diagnostic.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn a_missing_image_beside_a_plain_page_is_reported_by_check_at_its_line() {
    let s = site(&[(
        "content/guide/page.md",
        &page("Guide", "Text.\n\n![Gone](gone.png)"),
    )]);
    s.build_ok();
    let report = docent::check::run_at(s.root());
    let missing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.check == "missing-image")
        .collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].diagnostic.line, 7);
    assert!(missing[0].diagnostic.message.contains("gone.png"));
}

// ---- content trees from other tools -------------------------------------

#[test]
fn an_mkdocs_style_tree_builds_without_front_matter() {
    let s = site(&[
        (
            "content/index.md",
            "# Welcome to the *handbook*\n\nStart here.\n",
        ),
        (
            "content/guide/install.md",
            "\n# Installing it\n\nSteps.\n\n## Linux\n\nText.\n\n## Mac\n\nText.\n",
        ),
        ("content/guide/no-heading_here.md", "Just text.\n"),
        (
            "content/guide/front.md",
            "---\ndescription: front matter without a title\n---\n\n# From the heading\n\nBody.\n",
        ),
    ]);
    s.build_ok();
    let home = s.read("index.html");
    assert!(home.contains("<h1>Welcome to the handbook</h1>"), "{home}");
    assert!(home.contains("Start here."));
    assert_eq!(home.matches("</h1>").count(), 1, "not repeated: {home}");
    let install = s.read("guide/install/index.html");
    assert!(
        install.contains("<h1>Installing it</h1>") || install.contains(">Installing it</h1>"),
        "{install}"
    );
    assert_eq!(install.matches("</h1>").count(), 1, "{install}");
    assert!(
        s.read("guide/no-heading_here/index.html")
            .contains("<title>No heading here · Real world</title>")
    );
    assert!(
        s.read("guide/front/index.html")
            .contains("<title>From the heading · Real world</title>")
    );
    // A rebuild that takes unchanged pages from the last build's record
    // gives the same titles.
    let before = common::snapshot_tree(&s.public());
    s.build_ok();
    assert_eq!(common::snapshot_tree(&s.public()), before);
}

#[test]
fn content_index_md_is_the_home_page_when_there_is_no_index_section_file() {
    let s = site(&[
        ("content/index.md", &page("Home from index.md", "Hello.")),
        ("content/a.md", &page("A", "Text.")),
    ]);
    s.build_ok();
    assert!(s.read("index.html").contains("Home from index.md"));
    assert!(
        s.read("index.html").contains("href=\"/a/\""),
        "lists its pages"
    );
    // With both, they still collide, and the message names both real files.
    s.write("content/_index.md", &page("Home", "x"));
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(
        diags[0].message.contains("content/_index.md")
            && diags[0].message.contains("content/index.md")
    );
}

#[test]
fn every_unknown_front_matter_key_is_reported_at_once_with_a_hint_about_extra() {
    let s = site(&[(
        "content/a.md",
        "---\ntitle: A\nauthor: Me\nlinkTitle: a\nweigth: 2\nlayout: post\nslug: aa\n---\n",
    )]);
    let diags = s.build_err();
    let found: Vec<(usize, &str)> = diags.iter().map(|d| (d.line, d.message.as_str())).collect();
    assert_eq!(
        found,
        [
            (3, "unknown key `author`"),
            (4, "unknown key `linkTitle`"),
            (5, "unknown key `weigth`"),
            (6, "unknown key `layout`"),
            (7, "unknown key `slug`"),
        ]
    );
    assert!(diags.iter().all(|d| d.kind == Kind::UnknownKey));
    assert!(
        diags[2]
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `weight`")
    );
    assert!(diags[0].hint.as_deref().unwrap().contains("under `extra:`"));
}

// ---- errors that lead to the fix ----------------------------------------

/// No Rust type name in anything shown to a person.
fn assert_no_rust_words(shown: &str) {
    for rust in [
        "struct ",
        "enum ",
        "untagged",
        "variant",
        " u8",
        " i64",
        " f64",
        "sequence",
        "Full",
        "TakeawaysBody",
    ] {
        assert!(!shown.contains(rust), "{rust:?} in {shown}");
    }
}

#[test]
fn a_faq_mistake_is_located_at_the_item_in_yaml_terms() {
    let s = site(&[(
        "content/faq.md",
        &page(
            "FAQ",
            "```{faq}\n- q: Is it legal?\n  a: No.\n- q: Is it approved?\n  answer: No.\n```",
        ),
    )]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let shown = diags[0].to_string();
    assert_no_rust_words(&shown);
    assert!(shown.contains("answer"), "{shown}");
    assert_eq!(diags[0].line, 9, "{shown}");
    assert!(shown.contains("in item 2 of the list"), "{shown}");
}

#[test]
fn a_takeaway_with_a_colon_gets_a_quoting_hint_not_a_type_name() {
    let s = site(&[(
        "content/t.md",
        &page(
            "T",
            "```{takeaways}\n- One point.\n- Note: this one has a colon.\n```",
        ),
    )]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let shown = diags[0].to_string();
    assert_no_rust_words(&shown);
    assert!(shown.contains("expected text, found a map"), "{shown}");
    assert!(
        diags[0].hint.as_deref().unwrap().contains("quotes"),
        "{shown}"
    );
    assert_eq!(diags[0].line, 7, "{shown}");
}

#[test]
fn a_data_file_used_by_a_table_and_a_chart_is_reported_once() {
    let s = site(&[
        (
            "content/d/studies.yaml",
            "caption: Trials\ncolumns:\n  - {key: study, label: Study, type: text}\n  - {key: n, label: N, type: integer}\nrows:\n  - {study: A, n: lots}\n",
        ),
        (
            "content/d/index.md",
            &page(
                "D",
                "```{table}\ndata: studies.yaml\n```\n\n```{chart}\ndata: studies.yaml\nx: study\ny: n\nlabel: people\n```",
            ),
        ),
        (
            "content/e.md",
            &page("E", "```{table}\ndata: d/studies.yaml\n```"),
        ),
    ]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        diags[0].path.as_deref(),
        Some(std::path::Path::new("content/d/studies.yaml"))
    );
    assert_eq!(diags[0].line, 6);
}

#[test]
fn a_reviewer_written_as_plain_text_is_accepted() {
    let s = site(&[(
        "content/r.md",
        "---\ntitle: R\nreviewed_by: \"Dr Jane Example, MD\"\nlast_reviewed: 2025-01-01\naudience: patient\n---\n\nText.\n",
    )]);
    s.build_ok();
    assert!(s.read("r/index.html").contains("Dr Jane Example, MD"));
    // The map form still rejects a typo in its keys.
    s.write(
        "content/r.md",
        "---\ntitle: R\nreviewed_by: {name: Dr X, credentails: MD}\n---\n",
    );
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(diags[0].to_string().contains("credentails"));
}

#[test]
fn citing_a_source_does_not_make_a_page_a_health_page() {
    let s = site(&[
        (
            "content/references.yaml",
            "smith2020:\n  type: article\n  title: A study\n  author: Smith, Jane\n  date: 2020\n",
        ),
        (
            "content/cites.md",
            &page("Cites", "A finding [@smith2020]."),
        ),
        (
            "content/health.md",
            "---\ntitle: Health\naudience: patient\n---\n\nAdvice.\n",
        ),
    ]);
    let report = docent::check::run_at(s.root());
    let flagged: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.check == "review-missing")
        .map(|f| f.diagnostic.location())
        .collect();
    assert_eq!(flagged, ["content/health.md:1:1"]);
}

#[test]
fn many_errors_of_one_kind_print_with_a_summary() {
    let mut files: Vec<(String, String)> = (0..60)
        .map(|i| {
            (
                format!("content/p{i}.md"),
                page(&format!("P{i}"), "[x](gone.md)"),
            )
        })
        .collect();
    files.push((
        "content/q.md".into(),
        page("Q", "```{faq}\nlevel: 9\nitems:\n  - {q: A?, a: B.}\n```"),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let s = site(&refs);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_docent"))
        .args(["build", "--quiet", "--root"])
        .arg(s.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr.matches("error: link to").count() + stderr.matches("error: broken").count(),
        20,
        "{stderr}"
    );
    assert!(
        stderr.contains("… and 40 more broken link errors like those above"),
        "{stderr}"
    );
    assert!(
        stderr.contains("build failed: 61 errors (60 broken link, 1 invalid value)"),
        "{stderr}"
    );
}

#[test]
fn links_and_images_that_differ_only_in_case_get_a_did_you_mean() {
    let s = site(&[
        ("content/guide/Safety.md", &page("Safety", "Text.")),
        ("content/guide/Photo.PNG", "png"),
        (
            "content/guide/page.md",
            &page("Guide", "[s](safety.md)\n\n![A photo](photo.png)"),
        ),
    ]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert!(
        diags[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean content/guide/Safety.md?"),
        "{}",
        diags[0]
    );
    s.write(
        "content/guide/page.md",
        &page("Guide", "![A photo](photo.png)"),
    );
    s.build_ok();
    let report = docent::check::run_at(s.root());
    let missing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.check == "missing-image")
        .collect();
    assert_eq!(missing.len(), 1);
    assert!(
        missing[0]
            .diagnostic
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean content/guide/Photo.PNG?"),
        "{}",
        missing[0].diagnostic
    );
}

// ---- dates --------------------------------------------------------------

#[test]
fn an_impossible_date_is_a_located_error() {
    let s = site(&[(
        "content/a.md",
        "---\ntitle: A\nupdated: 2024-08-09\ndate: 2024-02-31\n---\n",
    )]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!((diags[0].line, diags[0].column), (4, 1));
    assert!(
        diags[0]
            .message
            .contains("2024-02-31 is not a calendar date"),
        "{}",
        diags[0]
    );
}

#[test]
fn dates_with_times_reach_the_feed_as_valid_rfc3339() {
    let s = site(&[
        ("site.yaml", "title: Feed\nbase_url: https://example.org/\n"),
        (
            "content/a.md",
            "---\ntitle: A\ndate: 2024-08-09 10:00\n---\n",
        ),
        (
            "content/b.md",
            "---\ntitle: B\ndate: 2024-08-10T08:30:00+02:00\nupdated: 2024-09-01\n---\n",
        ),
    ]);
    s.build_ok();
    let atom = s.read("atom.xml");
    roxmltree::Document::parse(&atom).expect("well-formed Atom");
    assert!(
        atom.contains("<published>2024-08-09T10:00:00Z</published>"),
        "{atom}"
    );
    assert!(
        atom.contains("<published>2024-08-10T08:30:00+02:00</published>"),
        "{atom}"
    );
    assert!(
        atom.contains("<updated>2024-09-01T00:00:00Z</updated>"),
        "{atom}"
    );
    // Newest first.
    assert!(atom.find("<title>B</title>") < atom.find("<title>A</title>"));
    let sitemap = s.read("sitemap.xml");
    assert!(
        sitemap.contains("<lastmod>2024-09-01</lastmod>"),
        "{sitemap}"
    );
}

// ---- one id set per page ------------------------------------------------

#[test]
fn a_page_heading_called_references_and_a_cited_list_get_distinct_ids() {
    let s = site(&[
        (
            "content/references.yaml",
            "smith2020:\n  type: article\n  title: A study\n  author: Smith, Jane\n  date: 2020\njones2021:\n  type: article\n  title: Another\n  author: Jones, Sam\n  date: 2021\n",
        ),
        (
            "content/_data/glossary.yaml",
            "- term: Phase 3\n  definition: A late trial.\n- term: phase-3\n  definition: The same, spelled otherwise.\n",
        ),
        (
            "content/a.md",
            &page(
                "A",
                "## References\n\nOur own list.\n\n## Gl 1\n\nA finding [@smith2020; @jones2021] in phase 3.[^1]\n\n## 1\n\nText.\n\n[^1]: A note.",
            ),
        ),
    ]);
    s.build_ok();
    let html = s.read("a/index.html");
    common::assert_unique_ids(&html);
    // The TOC links to both References headings, each to its own id.
    assert!(html.contains("href=\"#references\""), "{html}");
    assert!(html.contains("href=\"#references-1\""), "{html}");
    assert!(html.contains("<h2 id=\"references-1\">"), "{html}");
    // A citation of two works links to the generated list.
    assert!(
        html.contains("class=\"citation\" href=\"#references-1\""),
        "{html}"
    );
    let glossary = s.read("glossary/index.html");
    common::assert_unique_ids(&glossary);
    assert!(glossary.contains("id=\"term-phase-3\"") && glossary.contains("id=\"term-phase-3-1\""));
    let report = docent::check::run_at(s.root());
    let dups: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.check == "duplicate-id")
        .collect();
    assert!(
        dups.is_empty(),
        "{:?}",
        dups.iter()
            .map(|f| f.diagnostic.to_string())
            .collect::<Vec<_>>()
    );
}

#[test]
fn ids_in_raw_html_are_not_given_to_headings() {
    // free-programming-books writes `### <a id="c"></a>C` (anchors for
    // old links); docent gave the heading the id `c` as well: the page
    // had the id twice (Nu: "Duplicate ID"). The author's ids stay; the
    // headings' are made around them.
    let s = site(&[(
        "content/a.md",
        &page(
            "A",
            "### <a id=\"c\"></a>C\n\nText.\n\n<div ID='python' class=x>Block</div>\n\n\
             ## Python\n\nText <span title=\"id=java\" data-id=\"go\">x</span>.\n\n\
             ## Java\n\n## Go\n",
        ),
    )]);
    s.build_ok();
    let html = s.read("a/index.html");
    common::assert_unique_ids(&html);
    assert!(
        html.contains("<h3 id=\"c-1\"><a id=\"c\"></a>C</h3>"),
        "{html}"
    );
    assert!(html.contains("href=\"#c-1\""), "{html}");
    assert!(html.contains("<h2 id=\"python-1\">"), "{html}");
    // Not ids: an attribute's text, `data-id`.
    assert!(
        html.contains("<h2 id=\"java\">") && html.contains("<h2 id=\"go\">"),
        "{html}"
    );
    // With raw HTML off the tags are text: no id is taken.
    s.write(
        "site.yaml",
        "title: Real world\nmarkdown:\n  raw_html: false\n",
    );
    s.build_ok();
    let html = s.read("a/index.html");
    assert!(html.contains("<h3 id=\"c\">"), "{html}");
}

#[test]
fn the_markdown_attribute_of_raw_html_is_not_written() {
    // kramdown and Python-Markdown read `<div markdown="1">` as "Markdown
    // inside"; it is no HTML attribute (Nu: not allowed on div), and
    // free-programming-books has 89 of them. CommonMark reads the Markdown
    // set apart by blank lines anyway; the attribute is dropped.
    let s = site(&[(
        "content/a.md",
        &page(
            "A",
            "<div align=\"center\" markdown=\"1\">\n\n**Bold**\n\n</div>\n\n\
             <details markdown>\n<summary>More</summary>\n\nText <span markdown='span' title='markdown=1'>x</span>.\n\n</details>\n",
        ),
    )]);
    s.build_ok();
    let html = s.read("a/index.html");
    assert!(
        html.contains("<div align=\"center\">\n<p><strong>Bold</strong></p>\n</div>"),
        "{html}"
    );
    assert!(
        html.contains("<details>\n<summary>More</summary>"),
        "{html}"
    );
    assert!(html.contains("<span title='markdown=1'>x</span>"), "{html}");
}

#[test]
fn check_reports_an_id_used_twice_on_a_page() {
    let s = site(&[(
        "content/a.md",
        &page("A", "## One {#same}\n\nText.\n\n## Two {#same}\n\nText."),
    )]);
    let report = docent::check::run_at(s.root());
    let dups: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.check == "duplicate-id")
        .collect();
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0].severity, docent::check::Severity::Error);
    assert!(dups[0].diagnostic.message.contains("`same`"));
    // At the heading whose id the build changed (to `same-1`: the page
    // stays valid HTML); the first keeps its id.
    assert_eq!(dups[0].diagnostic.location(), "content/a.md:9:1");
    s.build_ok();
    let html = s.read("a/index.html");
    assert!(html.contains("id=\"same\"") && html.contains("id=\"same-1\""));
}

// ---- superlinear inputs -------------------------------------------------

#[test]
fn a_deeply_nested_yaml_value_is_refused_at_once_with_its_location() {
    let n = 100_000;
    let deep = format!("x: {}{}\n", "[".repeat(n), "]".repeat(n));
    let s = site(&[
        ("content/data.yaml", deep.as_str()),
        ("content/a.md", &page("A", "Text.")),
    ]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        diags[0].path.as_deref(),
        Some(std::path::Path::new("content/data.yaml"))
    );
    assert!(diags[0].message.contains("nested more than 64 levels"));
    assert!(
        diags[0].to_string().len() < 1000,
        "the shown line is cut around the column"
    );
}

// ---- text that is not quite text ----------------------------------------

#[test]
fn lone_carriage_returns_locate_errors_on_the_lines_an_editor_shows() {
    let s = site(&[(
        "content/mac.md",
        "---\rtitle: Mac\rwieght: 2\r---\r\rBody.\r",
    )]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!((diags[0].line, diags[0].column), (3, 1), "{}", diags[0]);
    s.write("content/mac.md", "---\rtitle: Mac\r---\r\r[x](gone.md)\r");
    let diags = s.build_err();
    assert_eq!(diags[0].line, 5, "{}", diags[0]);
    // Without errors, the page builds, and a rebuild re-reads it alike.
    s.write("content/mac.md", "---\rtitle: Mac\r---\r\rBody.\r\rMore.\r");
    s.build_ok();
    assert!(s.read("mac/index.html").contains("<p>More.</p>"));
    let mut opts = s.opts();
    opts.cache = false;
    docent::build(&opts).unwrap();
}

#[test]
fn a_data_file_that_is_not_utf8_is_located_at_the_bad_byte() {
    let s = site(&[("content/a.md", &page("A", "Text."))]);
    std::fs::write(s.root().join("content/d.yaml"), b"ok: 1\nname: Caf\xe9\n").unwrap();
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        diags[0].path.as_deref(),
        Some(std::path::Path::new("content/d.yaml"))
    );
    assert_eq!((diags[0].line, diags[0].column), (2, 10));
    assert!(diags[0].hint.as_deref().unwrap().contains("UTF-8"));
}

#[test]
fn a_page_whose_name_starts_with_a_dot_is_reported_not_silently_dropped() {
    let s = site(&[
        ("content/.intro.md", &page("Intro", "Text.")),
        ("content/.#lock.md", "editor lock file"),
        ("content/a.md", &page("A", "Text.")),
    ]);
    let report = s.build_ok();
    let hidden: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.message.contains("starts with a dot"))
        .collect();
    assert_eq!(hidden.len(), 1, "{:#?}", report.warnings);
    assert_eq!(
        hidden[0].path.as_deref(),
        Some(std::path::Path::new("content/.intro.md"))
    );
    assert!(!s.public().join(".intro").exists());
    let check = docent::check::run_at(s.root());
    assert_eq!(
        check
            .findings
            .iter()
            .filter(|f| f.check == "hidden-page")
            .count(),
        1
    );
    // --strict treats it like any warning.
    let mut opts = s.opts();
    opts.strict = true;
    assert!(docent::build(&opts).is_err());
}

#[test]
fn bibliography_and_chart_errors_point_at_the_offending_value() {
    let s = site(&[
        (
            "content/references.yaml",
            "title:\n  type: article\n  title: Named like a field\n  author: Doe, J\n  date: 2019\njones2021:\n  type: article\n  title: Another\n  author: Jones, Sam\n  date: last year\n",
        ),
        ("content/a.md", &page("A", "See [@jones2021].")),
    ]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!((diags[0].line, diags[0].column), (10, 3), "{}", diags[0]);
    assert!(diags[0].message.contains("`date`"), "{}", diags[0]);

    s.write(
        "content/references.yaml",
        "jones2021:\n  type: article\n  title: Another\n  author: Jones, Sam\n  date: 2021\n  parent:\n    type: periodical\n    title: J\n    volume: [1, 2]\n",
    );
    let diags = s.build_err();
    assert_eq!((diags[0].line, diags[0].column), (9, 5), "{}", diags[0]);

    s.write(
        "content/references.yaml",
        "jones2021:\n  type: article\n  title: Another\n  author: Jones, Sam\n  date: 2021\n",
    );
    s.write(
        "content/studies.yaml",
        "caption: T\ncolumns:\n  - {key: study, label: Study, type: text}\n  - {key: n, label: N, type: integer}\nrows:\n  - {study: A, n: 5}\n",
    );
    s.write(
        "content/a.md",
        &page(
            "A",
            "```{chart}\ndata: studies.yaml\nx: study\ny: study\nlabel: people\n```",
        ),
    );
    let diags = s.build_err();
    assert_eq!(
        (diags[0].line, diags[0].column),
        (8, 4),
        "y, not x: {}",
        diags[0]
    );
}

// ---- the stress site ----------------------------------------------------

/// Build the stress site and check it: no error, and `docent check` finds
/// no broken link, missing image or repeated id; every URL is valid.
fn build_and_check_stress(pages: usize, layout: docent::stress::Layout) {
    let s = Site::bare();
    docent::stress::write_site(s.root(), pages, layout).unwrap();
    let report = s.build_ok();
    // The pages, the home page (content/index.md), the search, references
    // and glossary pages, and the folders' sections.
    let sections = if layout == docent::stress::Layout::Sections {
        11
    } else {
        0
    };
    assert_eq!(
        report.pages + report.sections,
        pages + 1 + 3 + sections,
        "{}",
        report.summary()
    );
    let check = docent::check::run_at(s.root());
    let errors: Vec<String> = check
        .findings
        .iter()
        .filter(|f| f.severity == docent::check::Severity::Error)
        .map(|f| f.diagnostic.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors, first: {:#?}",
        errors.len(),
        &errors[..errors.len().min(3)]
    );
    for entry in walkdir::WalkDir::new(s.public()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            for u in urls_in(&html) {
                assert!(
                    is_valid_url(&u),
                    "invalid URL {u:?} in {}",
                    entry.path().display()
                );
            }
            common::assert_unique_ids(&html);
        }
    }
}

#[test]
fn the_stress_site_builds_flat_with_valid_links_and_urls() {
    // 100 pages in each of 11 folders (scripts/bench times 3,000 and more).
    build_and_check_stress(1100, docent::stress::Layout::Flat);
}

#[test]
fn the_stress_site_builds_in_sections_with_valid_links_and_urls() {
    build_and_check_stress(300, docent::stress::Layout::Sections);
}

#[test]
fn the_navigation_template_gets_only_the_items_it_shows() {
    // The cost of a flat site was every item handed to the template for
    // every page: a site's own partials/nav.html shows what it receives.
    let mut files: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                format!("content/f{}/p{i:02}.md", i % 4),
                page(&format!("P{i:02}"), "x"),
            )
        })
        .collect();
    files.push((
        "templates/partials/nav.html".into(),
        "<nav aria-label=\"Main\"><p>items={{ nav | length }} hidden={{ nav_hidden }}</p></nav>"
            .into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let s = site(&refs);
    s.build_ok();
    // The first ten items and the page itself, of 40.
    assert!(s.read("f3/p39/index.html").contains("items=11 hidden=29"));
    assert!(s.read("f0/p00/index.html").contains("items=10 hidden=30"));
}

/// Whether HTML forbids code point `c`: a control character other than
/// ASCII whitespace, or a noncharacter (the Nu Html Checker's "Forbidden
/// code point").
fn forbidden_in_html(c: char) -> bool {
    let u = u32::from(c);
    (u < 0x20 && !matches!(u, 0x09 | 0x0A | 0x0C | 0x0D))
        || (0x7F..=0x9F).contains(&u)
        || (0xFDD0..=0xFDEF).contains(&u)
        || u & 0xFFFE == 0xFFFE
}

/// Text pasted from a PDF or a word processor can hold invisible control
/// characters (U+0008, U+001F, C1 controls) and noncharacters: they
/// never reach the output, which stays valid HTML, in the body, headings,
/// code, tables, front matter and data files alike; `docent check`
/// reports where they were so an editor can delete them.
#[test]
fn pasted_control_characters_never_reach_the_output_and_check_reports_them() {
    let s = Site::empty();
    s.write(
        "content/_index.md",
        "---\ntitle: \"Pasted\u{7} page\"\ndescription: \"From a PDF\u{3}\"\n---\n\n## Dose\u{1} and timing\n\nBack\u{8}space, unit\u{1f}sep, c1\u{85}, \u{9b}, nonchar\u{fffe} \u{fdd0} \u{1fffe}.\n\n| a\u{2} | b |\n|---|---|\n| c\u{4} | d |\n\n`code\u{5}`\n\n```\nblock\u{6}\n```\n\n```{table}\ndata: t.yaml\n```\n\n## Second\n\nText.\n",
    );
    s.write(
        "content/_data/t.yaml",
        "columns:\n  - {key: a, label: \"A\u{e}\", type: text}\nrows:\n  - {a: \"cell\u{10}\"}\n",
    );
    s.build_ok();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(s.public()) {
        let entry = entry.unwrap();
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        checked += 1;
        let bad: Vec<String> = text
            .chars()
            .filter(|c| forbidden_in_html(*c))
            .map(|c| format!("U+{:04X}", u32::from(c)))
            .collect();
        assert!(bad.is_empty(), "{}: {bad:?}", entry.path().display());
    }
    assert!(checked > 5);
    let html = s.read("index.html");
    assert!(html.contains("Dose  and timing"), "{html}");
    let report = docent::check::run_at(s.root());
    let found: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.check == "invisible-character")
        .map(|f| format!("{} {}", f.diagnostic.location(), f.diagnostic.message))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with("content/_data/t.yaml:2:")
            || found[1].starts_with("content/_data/t.yaml:2:"),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("content/_index.md:2:15 ") && f.contains("U+0007")),
        "{found:#?}"
    );
}

/// Hugo and Zola pages start with TOML front matter between `+++` lines:
/// docent does not read TOML, and showing it as the page's first paragraph
/// (with the title taken from the file name) hid the mistake. It is an
/// error at line 1 that says what to do.
#[test]
fn toml_front_matter_is_a_located_error_not_body_text() {
    let s = site(&[
        ("content/_index.md", &page("Home", "Text.")),
        (
            "content/hugo.md",
            "+++\ntitle = \"From Hugo\"\ndate = 2024-01-01\n+++\n\nBody.\n",
        ),
    ]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].location(), "content/hugo.md:1:1");
    assert!(diags[0].message.contains("TOML"), "{}", diags[0]);
    assert!(
        diags[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("---") && h.contains("docent import")),
        "{}",
        diags[0]
    );
}

/// A link to a Markdown file from the top of content/ (`/guide/other.md`,
/// as GitHub and most editors read it) goes to that page, with the site's
/// base path, and a missing one is a broken link at build time; it was
/// kept as written (`/guide/other.md`, a dead link on every site).
#[test]
fn a_link_to_a_markdown_file_from_the_top_of_content_goes_to_its_page() {
    let s = site(&[
        (
            "site.yaml",
            "title: T\nbase_url: https://example.org/docs/\n",
        ),
        ("content/_index.md", &page("Home", "Text.")),
        ("content/guide/other.md", &page("Other", "## Part\n\nText.")),
        (
            "content/guide/deep/page.md",
            &page(
                "Deep",
                "[abs](/guide/other.md#part) and [enc](/guide/other.md?x=1)",
            ),
        ),
    ]);
    s.build_ok();
    let html = s.read("guide/deep/page/index.html");
    assert!(html.contains(r#"href="/docs/guide/other/#part""#), "{html}");
    assert!(html.contains(r#"href="/docs/guide/other/?x=1""#), "{html}");
    s.write(
        "content/guide/deep/page.md",
        &page("Deep", "[gone](/guide/nope.md)"),
    );
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].kind, Kind::BrokenLink);
    assert_eq!(diags[0].location(), "content/guide/deep/page.md:5:1");
}

/// Quarto and R Markdown write code cells as ```` ```{python} ````: not a
/// component, and the error says how to show the code.
#[test]
fn a_code_cell_in_braces_is_an_unknown_component_whose_hint_shows_the_code_fence() {
    let s = site(&[(
        "content/_index.md",
        &page("Home", "```{python}\nprint(1)\n```"),
    )]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let hint = diags[0].hint.as_deref().unwrap_or_default();
    assert!(hint.contains("```python"), "{}", diags[0]);
}

/// Links written by authors with characters a URL may not hold (found in
/// crates' READMEs: `^` in a version, a second `#`, `%` before text, `[]`
/// in a query, a space in a mailto subject) are written percent-encoded,
/// as a browser would send them: the page stays valid HTML and the links
/// go where they went. Valid escapes and non-ASCII text stay as written.
#[test]
fn author_urls_with_characters_urls_may_not_hold_are_written_encoded() {
    let s = site(&[(
        "content/_index.md",
        &page(
            "Home",
            "[a](https://docs.rs/mio/^1) [b](https://matrix.to/#/#rust-url:mozilla.org) \
             [c](https://github.com/x/y/actions?query=branch%master) [d](https://e.org/?a[]=1&b={x}|y) \
             [e](<mailto:a@b.org?subject=hi there>) [f](https://e.org/caf%C3%A9/été?q=%20ok#part) \
             ![i](https://e.org/i.png?v=`1`)",
        ),
    )]);
    s.build_ok();
    let html = s.read("index.html");
    for href in [
        r#"href="https://docs.rs/mio/%5E1""#,
        r#"href="https://matrix.to/#/%23rust-url:mozilla.org""#,
        r#"href="https://github.com/x/y/actions?query=branch%25master""#,
        r#"href="https://e.org/?a%5B%5D=1&amp;b=%7Bx%7D%7Cy""#,
        r#"href="mailto:a@b.org?subject=hi%20there""#,
        r#"href="https://e.org/caf%C3%A9/%C3%A9t%C3%A9?q=%20ok#part""#,
        r#"src="https://e.org/i.png?v=%601%60""#,
    ] {
        assert!(html.contains(href), "{href} not in {html}");
    }
}

/// The same for the URLs of a bibliography (hayagriva keeps `^`, `|` and a
/// lone `%`) and a testimonial's source: written encoded on the
/// references page and on every page citing the entry.
#[test]
fn bibliography_and_testimonial_urls_are_written_valid() {
    let s = site(&[
        (
            "site.yaml",
            "title: Real world\nbibliography: references.yaml\n",
        ),
        (
            "content/references.yaml",
            "a1:\n  type: web\n  title: B\n  author: [\"B, B.\"]\n  date: 2021\n  url: \"https://x.org/a^c%zz|d\"\n",
        ),
        (
            "content/_index.md",
            &page(
                "Home",
                "A claim [@a1].\n\n```{testimonial}\nquote: Helped.\nname: A\nsource: https://x.org/t^1\n```",
            ),
        ),
    ]);
    s.build_ok();
    for file in ["index.html", "references/index.html"] {
        let html = s.read(file);
        assert!(
            html.contains(r#"href="https://x.org/a%5Ec%25zz%7Cd""#),
            "{file}: {html}"
        );
    }
    assert!(
        s.read("index.html")
            .contains(r#"href="https://x.org/t%5E1""#)
    );
}

/// A testimonial's source that no browser can follow (a word for a port)
/// is an error at its line, as a source that is no URL at all is.
#[test]
fn a_testimonial_source_no_browser_can_follow_is_a_located_error() {
    let s = site(&[(
        "content/_index.md",
        &page(
            "Home",
            "```{testimonial}\nquote: Helped.\nname: A\nsource: http://localhost:port/t\n```",
        ),
    )]);
    let diags = s.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].location(), "content/_index.md:8:9", "{diags:#?}");
    assert!(diags[0].message.contains("`port`"), "{}", diags[0]);
}

/// Front matter after blank lines (an editor or a script left them) is
/// front matter: it was read as body text, the `---` fences as a rule and
/// a heading underline, and the page titled after its file name.
#[test]
fn front_matter_after_blank_lines_is_read() {
    let s = site(&[
        ("content/_index.md", &page("Home", "Text.")),
        (
            "content/p.md",
            "\n \n---\ntitle: Leading blank\n---\n\nBody.\n",
        ),
    ]);
    s.build_ok();
    let html = s.read("p/index.html");
    assert!(html.contains("<title>Leading blank"), "{html}");
    assert!(!html.contains("title: Leading"), "{html}");
    // Its errors are still on the lines an editor shows.
    s.write("content/p.md", "\n\n---\ntitle: [unclosed\n---\n");
    let diags = s.build_err();
    assert_eq!(diags[0].location(), "content/p.md:4:8", "{diags:#?}");
}

#[test]
fn attribute_lists_after_images_give_alt_text_and_are_not_shown() {
    // The Carpentries' lessons (Pandoc) write alt text as an attribute:
    // `![](fig/x.svg){alt='…'}`; Quarto `{fig-alt="…"}`; MkDocs' attr_list
    // `{ width="300" }`. docent said "image without alt text" and would
    // have shown `{alt='…'}` as text after the image.
    let s = site(&[
        (
            "content/fig/tree.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        (
            "content/lesson.md",
            &page(
                "Lesson",
                "![](fig/tree.svg){alt='The file system: a root folder holding bin, data and \"users\"'}\n\n\
                 ![A tree](fig/tree.svg){fig-alt=\"Folders in a tree\" .wide}\n\n\
                 ![Root and\nbranches](fig/tree.svg){#fig-tree alt=\"Root, then\nbranches\" width=\"300\"} after.\n\n\
                 Text {alt=no} after [a link](lesson.md){alt=x} and ![x](fig/tree.svg) {not=attached}.\n\n\
                 ![Kept](fig/tree.svg){this is not a list}\n\n\
                 ![](fig/tree.svg){alt='cp $f orig-$f, <b>bold</b>, `code` and pnas\\_final'}\n",
            ),
        ),
    ]);
    let report = s.build_ok();
    let html = s.read("lesson/index.html");
    assert!(
        html.contains(
            "<img src=\"/fig/tree.svg\" alt=\"The file system: a root folder holding bin, data and &quot;users&quot;\" loading=\"eager\" decoding=\"async\">"
        ),
        "{html}"
    );
    // Text in the brackets with an alt attribute is the image's title.
    assert!(
        html.contains("<img src=\"/fig/tree.svg\" alt=\"Folders in a tree\" title=\"A tree\" loading=\"lazy\" decoding=\"async\">"),
        "{html}"
    );
    assert!(
        html.contains("alt=\"Root, then\nbranches\" title=\"Root and\nbranches\" loading=\"lazy\" decoding=\"async\"> after."),
        "{html}"
    );
    assert!(!html.contains("{alt='") && !html.contains("{fig-alt") && !html.contains("{#fig"));
    // What the list holds is text, read from the source: math, markup
    // and code spans in it are not drawn; Markdown escapes are undone.
    assert!(
        html.contains("alt=\"cp $f orig-$f, &lt;b&gt;bold&lt;/b&gt;, `code` and pnas_final\" loading=\"lazy\" decoding=\"async\">"),
        "{html}"
    );
    // Not right after an image, or not an attribute list: text as written.
    assert!(html.contains("Text {alt=no} after"), "{html}");
    assert!(html.contains("</a>{alt=x}"), "{html}");
    assert!(
        html.contains("alt=\"x\" loading=\"lazy\" decoding=\"async\"> {not=attached}."),
        "{html}"
    );
    assert!(
        html.contains("alt=\"Kept\" loading=\"lazy\" decoding=\"async\">{this is not a list}"),
        "{html}"
    );
    // What docent does not use is named, where it is written.
    let unused: Vec<_> = common::located(&report.warnings)
        .into_iter()
        .filter(|(_, m)| m.contains("not used"))
        .collect();
    assert_eq!(
        unused,
        [
            (
                "content/lesson.md:7:1".to_string(),
                "image attribute `.wide` is not used".to_string()
            ),
            (
                "content/lesson.md:9:1".to_string(),
                "image attributes `#fig-tree`, `width` are not used".to_string()
            ),
        ]
    );
}

#[test]
fn attribute_lists_after_images_work_inside_directives_and_divs() {
    // The Carpentries put figures inside `::: challenge` divs: the list
    // was applied to a page's own Markdown only, so those were "image
    // without alt text".
    let s = site(&[
        (
            "content/fig/tree.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
        (
            "content/lesson.md",
            &page(
                "Lesson",
                "::: challenge\n## Try\n\n![](fig/tree.svg){alt='A tree' .big}\n:::\n\n\
                 ```{note}\n![](fig/tree.svg){alt=\"In a note\"}\n```\n",
            ),
        ),
    ]);
    let report = s.build_ok();
    let html = s.read("lesson/index.html");
    assert!(html.contains("alt=\"A tree\""), "{html}");
    assert!(html.contains("alt=\"In a note\""), "{html}");
    assert_eq!(
        common::located(&report.warnings)
            .into_iter()
            .filter(|(_, m)| m.contains("not used"))
            .collect::<Vec<_>>(),
        [(
            "content/lesson.md:8:1".to_string(),
            "image attribute `.big` is not used".to_string()
        )]
    );
}

/// Pandoc's citation keys hold internal punctuation (`:.#$%&-+?<>~/`), and
/// `@{…}` holds any key: `[@c&d]` was "unknown citation key `@c`", and a
/// key with `%` or `#` made a link to an id no browser finds.
#[test]
fn citation_keys_with_punctuation_are_cited_and_linked() {
    let s = site(&[
        (
            "content/references.yaml",
            "\"smith&jones:2020\":\n  type: article\n  title: Ampersand\n  author: Smith, Jane\n  date: 2020\n\
             \"who%report#2\":\n  type: report\n  title: Percent\n  author: WHO\n  date: 2021\n\
             \"Doe 2022\":\n  type: article\n  title: Braces\n  author: Doe, Sam\n  date: 2022\n",
        ),
        (
            "content/p.md",
            &page(
                "P",
                "One [@smith&jones:2020]. Two [@who%report#2, p. 4]. Three [@{Doe 2022}]. \
                 Four [@smith&jones:2020; @{Doe 2022}, p. 2].",
            ),
        ),
    ]);
    let report = s.build_ok();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = s.read("p/index.html");
    common::assert_unique_ids(&html);
    // Every citation links to an id on the page, written the same way.
    let hrefs: Vec<&str> = html
        .split("class=\"citation\" href=\"#")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(hrefs.len(), 4, "{html}");
    let ids = common::ids(&html);
    for href in &hrefs {
        assert!(!href.contains(['#', ' ', '<', '>']), "{href}");
        let id = href.replace("&amp;", "&");
        assert!(
            ids.iter().any(|i| i.replace("&amp;", "&") == id),
            "#{href} in {ids:?}"
        );
    }
    for title in ["Ampersand", "Percent", "Braces"] {
        assert!(html.contains(title), "{title}: {html}");
    }
}

/// A page saved as `about.markdown` (Jekyll's and Hugo's other extension),
/// `Notes.MD` or `intro.mdx` was copied into the site as a file: no page,
/// no word said, and the raw Markdown served. Each is a warning naming
/// the file and the rename that makes it a page.
#[test]
fn markdown_files_docent_does_not_build_are_reported() {
    let s = site(&[
        ("content/about.markdown", &page("About", "Text.")),
        ("content/Notes.MD", &page("Notes", "Text.")),
        ("content/intro.mdx", &page("Intro", "Text.")),
        ("content/guide.md", &page("Guide", "Text.")),
        ("content/data.txt", "plain file"),
    ]);
    let report = s.build_ok();
    let mut found: Vec<(String, String)> = report
        .warnings
        .iter()
        .map(|w| {
            (
                w.path
                    .as_ref()
                    .map(|f| f.display().to_string())
                    .unwrap_or_default(),
                format!("{} / {}", w.message, w.hint.as_deref().unwrap_or("")),
            )
        })
        .collect();
    found.sort();
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!(found[0].0, "content/Notes.MD");
    assert!(found[0].1.contains("rename it `Notes.md`"), "{found:#?}");
    assert_eq!(found[1].0, "content/about.markdown");
    assert!(found[1].1.contains("rename it `about.md`"), "{found:#?}");
    assert_eq!(found[2].0, "content/intro.mdx");
    assert!(found[2].1.contains("JSX"), "{found:#?}");
    assert!(report.warnings.iter().all(|w| w.kind == Kind::NotPublished));
    // The files are still copied (a download may be meant), the .md built.
    assert!(s.public().join("about.markdown").exists());
    assert!(s.public().join("guide/index.html").exists());
}

/// A key written twice in a YAML file: YAML forbids it, and serde's map
/// kept the last silently. Two works filed under one citation key lost
/// the first (its citations showed the other paper), a field given twice
/// lost a value, and a front matter key given twice was reported at the
/// file's first key. Each is an error at the second, naming the first.
#[test]
fn a_key_written_twice_in_yaml_is_an_error_at_the_second() {
    let s = site(&[
        (
            "content/references.yaml",
            "smith2020:\n  type: article\n  title: First paper\n  author: Smith, Jane\n  date: 2020\n\
             jones2021:\n  type: article\n  title: Other\n  title: Other again\n  author: Jones, Sam\n  date: 2021\n\
             smith2020:\n  type: article\n  title: Second paper\n  author: Smith, John\n  date: 2020\n",
        ),
        ("content/p.md", &page("P", "See [@smith2020].")),
    ]);
    let errs = s.build_err();
    let found = common::located(&errs);
    assert!(
        found
            .iter()
            .any(|(at, m)| at == "content/references.yaml:9:3"
                && m.contains("`title` is written twice (first at line 8)")),
        "{found:#?}"
    );
    // With that mended, the citation key given twice.
    s.write(
        "content/references.yaml",
        &s.source("content/references.yaml")
            .replace("  title: Other again\n", ""),
    );
    let found = common::located(&s.build_err());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "content/references.yaml:11:1", "{found:#?}");
    assert!(
        found[0]
            .1
            .contains("`smith2020` is written twice (first at line 1)"),
        "{found:#?}"
    );
    // Front matter: at the second `title`.
    let s = site(&[(
        "content/p.md",
        "---\ntitle: One\ndescription: D\ntitle: Two\n---\n\nText.\n",
    )]);
    let found = common::located(&s.build_err());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "content/p.md:4:1", "{found:#?}");
    assert!(
        found[0]
            .1
            .contains("`title` is written twice (first at line 2)"),
        "{found:#?}"
    );
}

/// Pandoc's `[see @key, p. 4]` (words before the key) and `[-@key]` (the
/// author left out) were shown as written, the citation silently missing:
/// docent reads `[@key]` forms only. Each is now a located warning when
/// the key is one of the bibliography's (so `[mail @support]` is not).
#[test]
fn citations_docent_does_not_read_are_warned_of() {
    let s = site(&[
        (
            "content/references.yaml",
            "smith2020:\n  type: article\n  title: A study\n  author: Smith, Jane\n  date: 2020\n",
        ),
        (
            "content/p.md",
            &page(
                "P",
                "As shown [see @smith2020, p. 4]. Smith says [-@smith2020].\n\n\
                 Write to [our team @support] or [@smith2020].",
            ),
        ),
    ]);
    let report = s.build_ok();
    let found = common::located(&report.warnings);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].0, "content/p.md:5:15", "{found:#?}");
    assert!(
        found[0]
            .1
            .contains("`@smith2020` is not read as a citation"),
        "{found:#?}"
    );
    assert_eq!(found[1].0, "content/p.md:5:47", "{found:#?}");
    // The one docent reads is a citation.
    assert!(s.read("p/index.html").contains("class=\"citation\""));
}
