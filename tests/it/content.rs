//! Integration tests: the content model, URLs, TOC, templates and output on
//! fixture sites under tests/fixtures/.

use crate::common::{Site, snapshot_tree};

#[test]
fn maps_files_to_urls_and_copies_bundle_files() {
    let site = Site::fixture("content/basic");
    let report = site.build_ok();
    for f in [
        "index.html",
        "safety/index.html",
        "treatment/index.html",
        "treatment/dosing/index.html",
        "treatment/preparation/index.html",
        "treatment/preparation/diagram.svg",
        "treatment/aftercare/index.html",
        "escaping/index.html",
        "404.html",
        "style.css",
        "syntax.css",
    ] {
        assert!(site.public().join(f).is_file(), "{f} missing");
    }
    // Drafts, `_` files and hidden files are not pages.
    assert!(!site.public().join("draft").exists());
    assert!(!site.public().join("_notes").exists());
    assert!(!site.public().join(".hidden").exists());
    assert_eq!(
        (report.pages, report.sections),
        (7, 2),
        "6 pages and the search page"
    );
    assert!(
        report
            .summary()
            .starts_with("Built 7 pages, 2 sections in "),
        "{}",
        report.summary()
    );
}

#[test]
fn drafts_flag_includes_drafts() {
    let site = Site::fixture("content/basic");
    let mut opts = site.opts();
    opts.drafts = true;
    docent::build(&opts).unwrap();
    assert!(site.read("draft/index.html").contains("Unfinished"));
}

#[test]
fn nested_toc_is_rendered_from_headings() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let html = site.read("safety/index.html");
    // h1 in the body and h4 are outside the default 2..3 range.
    let toc = html
        .split("<details class=\"toc\">")
        .nth(1)
        .unwrap()
        .split("</details>")
        .next()
        .unwrap();
    assert!(
        toc.contains(
            "<a href=\"#risks\">Risks</a>\n<ol>\n<li><a href=\"#heart-and-blood-pressure\">"
        ),
        "{toc}"
    );
    assert!(toc.contains("href=\"#risks-1\""), "{toc}");
    assert!(!toc.contains("deep-detail"), "{toc}");
    assert!(!toc.contains("an-h1-in-the-body"), "{toc}");
    // The heading ids exist on the page.
    for id in [
        "risks",
        "risks-1",
        "heart-and-blood-pressure",
        "deep-detail",
    ] {
        assert!(html.contains(&format!(" id=\"{id}\"")), "{id}");
    }
    // One table of contents per page (the theme lays it out per screen width).
    assert_eq!(html.matches("class=\"toc\"").count(), 1, "{html}");
}

#[test]
fn no_toc_block_for_short_pages_or_toc_false() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    for page in [
        "treatment/dosing/index.html",
        "treatment/preparation/index.html",
        "treatment/aftercare/index.html",
    ] {
        let html = site.read(page);
        assert!(!html.contains("class=\"toc"), "{page} has a TOC block");
        assert!(!html.contains("On this page"), "{page}");
        assert!(!html.contains("Add a header to begin generating"), "{page}");
    }
}

#[test]
fn toc_levels_come_from_config() {
    let site = Site::fixture("markdown/raw-html-off");
    site.build_ok();
    let html = site.read("index.html");
    assert!(
        html.contains("<li><a href=\"#a\">A</a>\n<ol>\n<li><a href=\"#deep-under-a\">"),
        "{html}"
    );
}

#[test]
fn links_are_rewritten_with_base_path() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let home = site.read("index.html");
    assert!(home.contains("href=\"/guide/safety/#risks\""), "{home}");
    assert!(home.contains("href=\"/guide/treatment/\""));
    assert!(home.contains("href=\"/guide/style.css\""));
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.org/guide/\">"));
    let after = site.read("treatment/aftercare/index.html");
    assert!(after.contains("href=\"/guide/treatment/dosing/\""));
    assert!(after.contains("href=\"/guide/safety/\""));
}

#[test]
fn base_url_flag_overrides_config() {
    let site = Site::fixture("content/basic");
    let mut opts = site.opts();
    opts.base_url = Some("https://docs.example.com".into());
    docent::build(&opts).unwrap();
    let home = site.read("index.html");
    assert!(home.contains("href=\"/safety/#risks\""), "{home}");
    assert!(home.contains("href=\"https://docs.example.com/\""));
}

#[test]
fn sections_list_pages_by_weight_then_title() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let html = site.read("treatment/index.html");
    let pos = |s: &str| {
        html.find(s)
            .unwrap_or_else(|| panic!("{s} not in section page"))
    };
    assert!(pos(">Preparation<") < pos(">Dosing sessions<"));
    assert!(pos(">Dosing sessions<") < pos(">Aftercare<"));
    // Previous/next follow the same order.
    let dosing = site.read("treatment/dosing/index.html");
    assert!(dosing.contains("rel=\"prev\""));
    assert!(dosing.contains("href=\"/guide/treatment/preparation/\" rel=\"prev\""));
    assert!(dosing.contains("href=\"/guide/treatment/aftercare/\" rel=\"next\""));
    // Breadcrumbs and nav.
    assert!(dosing.contains("<li><a href=\"/guide/treatment/\">Treatment</a></li>"));
    assert!(dosing.contains("href=\"/guide/treatment/\" aria-current=\"true\""));
}

#[test]
fn titles_are_escaped_but_raw_html_in_markdown_passes() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let html = site.read("escaping/index.html");
    assert!(!html.contains("<script>alert(1)</script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("Fish &amp; chips &lt;b&gt;bold&lt;"),
        "{html}"
    );
    assert!(html.contains("<em class=\"x\">HTML</em>"));
}

#[test]
fn raw_html_can_be_escaped_by_config() {
    let site = Site::fixture("markdown/raw-html-off");
    site.build_ok();
    let html = site.read("index.html");
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
}

#[test]
fn highlighting_uses_classes_and_a_generated_stylesheet() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let html = site.read("safety/index.html");
    assert!(
        html.contains("<code class=\"language-rust hl-code\">"),
        "{html}"
    );
    assert!(html.contains("class=\"language-unknownlang\">&lt;not highlighted&gt;"));
    // The default theme inlines the rules (first paint needs one
    // stylesheet); syntax.css is still written for themes that link it.
    let css = site.read("syntax.css");
    assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
    assert!(html.contains(&format!("<style>{css}</style>")));
    // Pages without code carry none of it.
    assert!(!site.read("index.html").contains(".hl-code"));
}

#[test]
fn tables_are_real_tables_in_a_scroll_container() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let html = site.read("safety/index.html");
    // Sized by column count, so the theme can stack it into labelled rows.
    assert!(
        html.contains(
            "<div class=\"data-table md-table cols-3 size-s\">\n<div class=\"table-wrap\""
        )
    );
    assert!(
        html.contains("<th style=\"text-align: right\">MDMA</th>"),
        "{html}"
    );
    // Each body cell carries its column's heading.
    assert!(html.contains(
        "<tr><td data-label=\"Effect\">Jaw clenching</td><td style=\"text-align: right\" data-label=\"MDMA\">58%</td>"
    ), "{html}");
}

#[test]
fn pipe_table_labels_are_plain_escaped_text_of_their_heading() {
    let site = Site::fixture("content/basic");
    let html = site
        .write(
            "content/wide.md",
            "---\ntitle: Wide\n---\n\n| A *b* `c` | \"q\" <x> | | d | e | f | g | h | i |\n|---|:-:|---|---|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 |\n| only one |\n",
        )
        .build_ok_then()
        .read("wide/index.html");
    assert!(
        html.contains("<div class=\"data-table md-table cols-9 size-xl\">"),
        "{html}"
    );
    assert!(html.contains("<td data-label=\"A b c\">1</td>"), "{html}");
    assert!(
        html.contains("<td style=\"text-align: center\" data-label=\"“q”\">2</td>"),
        "{html}"
    );
    // An empty heading: an empty label (the theme shows none).
    assert!(html.contains("<td data-label=\"\">3</td>"), "{html}");
    assert!(html.contains("<td data-label=\"i\">9</td>"), "{html}");
    // A short row is padded by the parser, never mislabelled.
    assert!(
        html.contains("<tr><td data-label=\"A b c\">only one</td>"),
        "{html}"
    );
}

#[test]
fn site_templates_override_and_extend_the_theme() {
    let site = Site::fixture("templates/override");
    site.build_ok();
    let page = site.read("page/index.html");
    assert!(page.contains("<meta name=\"x-site-override\" content=\"yes\">"));
    // The rest of the theme's page template is still there.
    assert!(page.contains("<details class=\"toc\">"));
    assert!(!site.read("index.html").contains("x-site-override"));
}

#[test]
fn rebuild_without_changes_rewrites_nothing() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let before = snapshot_tree(&site.public());
    std::thread::sleep(std::time::Duration::from_millis(20));
    let report = site.build_ok();
    assert_eq!(report.files.written, 0);
    assert_eq!(
        snapshot_tree(&site.public()),
        before,
        "bytes and mtimes unchanged"
    );
}

#[test]
fn removed_pages_disappear_from_the_output() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    std::fs::remove_file(site.root().join("content/treatment/aftercare.md")).unwrap();
    std::fs::write(site.public().join("keep-me.txt"), "not docent's").unwrap();
    let report = site.build_ok();
    assert!(
        report.files.removed >= 1,
        "the page (and search index files that changed)"
    );
    assert!(!site.public().join("treatment/aftercare").exists());
    assert!(
        site.public().join("keep-me.txt").exists(),
        "files docent did not write are kept"
    );
}

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let before = snapshot_tree(&site.public());
    // Break one page; also change another so a partial write would show.
    site.write(
        "content/safety.md",
        "---\ntitle: Safety\ntags: [oops\n---\n",
    );
    site.write(
        "content/treatment/dosing.md",
        "---\ntitle: Dosing changed\n---\n\nNew text.\n",
    );
    assert!(site.build().is_err());
    assert_eq!(snapshot_tree(&site.public()), before);
    // A template error (render stage) also leaves it alone.
    site.write("content/safety.md", "---\ntitle: Safety\n---\n");
    site.write("templates/page.html", "{{ page.missing_thing }}");
    assert!(site.build().is_err());
    assert_eq!(snapshot_tree(&site.public()), before);
}

#[test]
fn a_failed_first_build_leaves_no_output_behind() {
    // Pages stream into a missing or empty output folder as they render; a
    // build that then fails must take them away again.
    let site = Site::fixture("content/basic");
    site.write(
        "content/safety.md",
        "---\ntitle: Safety\n---\n\nSee [nowhere](missing.md).\n",
    );
    assert!(site.build().is_err());
    assert!(
        !site.public().exists(),
        "a missing output folder stays missing"
    );

    std::fs::create_dir(site.public()).unwrap();
    assert!(site.build().is_err());
    assert!(site.public().is_dir(), "an empty output folder is kept");
    assert_eq!(
        std::fs::read_dir(site.public()).unwrap().count(),
        0,
        "and left empty"
    );

    // Pages past their review date under --strict fail before any page is
    // written, with the review warnings as the errors.
    let site = Site::fixture("components/all");
    let mut opts = site.opts();
    opts.today = Some("2099-01-01".into());
    opts.strict = true;
    let err = docent::build(&opts).unwrap_err();
    assert!(
        err.diagnostics()
            .iter()
            .all(|d| d.message.contains("review")),
        "{err}"
    );
    assert!(!site.public().exists());
    // Without --strict the same build succeeds and streams every page.
    opts.strict = false;
    let report = docent::build(&opts).unwrap();
    assert!(!report.warnings.is_empty());
    assert!(site.public().join("evidence/index.html").is_file());
}

#[test]
fn refuses_output_folders_that_hold_the_sources() {
    let site = Site::fixture("content/basic");
    for out in [
        site.root().to_path_buf(),
        site.root().join("content"),
        site.root().join("content/x"),
        site.root().join("themes"),
    ] {
        let mut opts = site.opts();
        opts.output = Some(out.clone());
        let err = docent::build(&opts).unwrap_err();
        assert_eq!(err.exit_code(), 2, "{}", out.display());
    }
    assert!(site.root().join("content/_index.md").exists());
}

#[test]
fn custom_output_folder() {
    let site = Site::fixture("content/basic");
    let out = tempfile::tempdir().unwrap();
    let mut opts = site.opts();
    opts.output = Some(out.path().join("site"));
    docent::build(&opts).unwrap();
    assert!(out.path().join("site/index.html").is_file());
    assert!(!site.public().exists());
}

/// The page's `<main>` only: what Markdown and the page template make of a
/// page, without the theme's head and footer (which every page shares and
/// other tests check), so a theme change does not churn the snapshot.
#[test]
fn rendered_page_snapshot() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let html = site.read("safety/index.html");
    let start = html.find("<main").expect("a <main> element");
    let end = html.find("</main>").expect("a </main> end tag") + "</main>".len();
    insta::assert_snapshot!("safety_page_main", &html[start..end]);
}

#[test]
fn newsletter_form_posts_out_with_configured_fields() {
    let site = Site::fixture("theme/newsletter");
    site.build_ok();
    for page in ["index.html", "privacy/index.html", "404.html"] {
        let html = site.read(page);
        assert!(html.contains("<form class=\"newsletter-form\" action=\"https://newsletter.example.net/subscribe\" method=\"post\">"), "{page}: {html}");
        assert!(html.contains("<input type=\"email\" id=\"newsletter-email\" name=\"EMAIL\" autocomplete=\"email\" required>"));
        assert!(html.contains("<label for=\"newsletter-email\">Email address</label>"));
        assert!(html.contains("<input type=\"hidden\" name=\"list\" value=\"explainer-updates\">"));
        assert!(html.contains("<input type=\"hidden\" name=\"source\" value=\"footer\">"));
        assert!(html.contains("<button type=\"submit\">Sign up</button>"));
        assert!(
            html.contains("href=\"/sub/privacy/\""),
            "privacy link under the base path"
        );
        assert!(html.contains("Educational information only, not medical advice."));
        // No provider script: the only script with a src is the theme's own.
        assert_eq!(html.matches("<script src=").count(), 1);
        let ld = html
            .matches("<script type=\"application/ld+json\">")
            .count();
        assert_eq!(html.matches("<script").count() - ld, 1);
        assert!(html.contains("<script src=\"/sub/docent.js\" defer></script>"));
    }
    assert!(
        site.read("index.html")
            .contains("Last updated <time datetime=\"2025-09-04\">September 4, 2025</time>")
    );
}

#[test]
fn no_newsletter_config_means_no_form() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let html = site.read("index.html");
    assert!(!html.contains("newsletter"));
    // The header's search form is the page's only form.
    assert_eq!(html.matches("<form").count(), 1);
    assert!(html.contains("<form class=\"site-search\""));
}

#[test]
fn newsletter_action_must_be_https() {
    let site = Site::fixture("theme/newsletter");
    let cfg = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &cfg.replace(
            "https://newsletter.example.net",
            "http://newsletter.example.net",
        ),
    );
    let diags = site.build_err();
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0].message.contains("newsletter.action"),
        "{}",
        diags[0]
    );
    assert_eq!((diags[0].line, diags[0].column), (6, 3));
}

#[test]
fn theme_assets_stay_small() {
    let site = Site::fixture("theme/newsletter");
    site.build_ok();
    let js = std::fs::metadata(site.public().join("docent.js"))
        .unwrap()
        .len();
    let css = std::fs::metadata(site.public().join("style.css"))
        .unwrap()
        .len();
    assert!(js < 5 * 1024, "docent.js is {js} bytes; the budget is 5 KB");
    // Loaded by the search page, and by other pages only when a search box
    // is used. Commented source, not minified: typo tolerance, sections
    // read from result pages and the results panel took it from 8 KB to
    // about 22 KB (7 KB compressed); its messages in the page's language,
    // with English ones for themes that pass none, to 26 KB (9 KB).
    let search = std::fs::metadata(site.public().join(docent::search::SCRIPT_PATH))
        .unwrap()
        .len();
    assert!(
        search < 28 * 1024,
        "search.js is {search} bytes; the budget is 28 KB"
    );
    assert!(
        css < 30 * 1024,
        "style.css is {css} bytes; the budget is 30 KB"
    );
}

#[test]
fn lean_loading_reads_bodies_again_and_notices_edits_during_the_build() {
    let site = Site::fixture("content/basic");
    let opts = docent::load::LoadOptions {
        drafts: false,
        base_url: None,
        lean: true,
        prior: None,
    };
    let loaded = docent::load::load(site.root(), &opts).unwrap();
    let page = loaded
        .pages
        .iter()
        .find(|p| p.rel_path == "safety.md")
        .unwrap();
    assert_eq!(page.text.len(), page.body_offset, "the body is not kept");
    let original = std::fs::read_to_string(site.root().join("content/safety.md")).unwrap();
    assert_eq!(
        page.full_text().unwrap(),
        original.trim_start_matches('\u{feff}')
    );
    site.write(
        "content/safety.md",
        &original.replace("---\n\n", "---\n\nEdited. "),
    );
    let e = page.full_text().unwrap_err();
    assert!(e.message.contains("changed during the build"), "{e}");
}

#[test]
fn header_nav_is_capped_but_keeps_the_current_section() {
    let site = Site::fixture("content/basic");
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{config}nav_limit: 1\n"));
    site.build_ok();
    let nav = |rel: &str| {
        let html = site.read(rel);
        let start = html.find("<nav class=\"site-nav\"").unwrap();
        let end = start + html[start..].find("</nav>").unwrap();
        html[start..end].to_string()
    };
    let home = nav("index.html");
    assert_eq!(home.matches("<li>").count(), 2, "{home}");
    assert!(home.contains("href=\"/guide/treatment/\""));
    assert!(home.contains("<a href=\"/guide/#listing-title\">All topics</a>"));
    let safety = nav("safety/index.html");
    assert!(
        safety.contains("<a href=\"/guide/safety/\" aria-current=\"page\">Safety</a>"),
        "{safety}"
    );
    assert_eq!(safety.matches("<li>").count(), 3, "{safety}");
    // The listing the link points to exists on the home page.
    assert!(site.read("index.html").contains("id=\"listing-title\""));
}

#[test]
fn the_theme_ships_icons_a_site_can_replace() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let html = site.read("safety/index.html");
    assert!(
        html.contains("<link rel=\"icon\" href=\"/guide/favicon.svg\" type=\"image/svg+xml\">")
    );
    assert!(html.contains("<link rel=\"apple-touch-icon\" href=\"/guide/apple-touch-icon.png\">"));
    assert!(
        site.read("favicon.svg")
            .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")
    );
    let png = std::fs::read(site.public().join("apple-touch-icon.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // 180 x 180, the size iOS asks for.
    assert_eq!(&png[16..24], &[0, 0, 0, 180, 0, 0, 0, 180]);
    // The site's own icon wins over the theme's.
    site.write(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>mine</title></svg>",
    )
    .build_ok_then();
    assert!(site.read("favicon.svg").contains("<title>mine</title>"));
}

#[test]
fn aliases_keep_old_urls_working() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/guide/\nlanguage: en\n",
    );
    site.write(
        "content/safety.md",
        "---\ntitle: Staying safe\naliases: [/old/safety/, /risks.html, /percent%20path/]\n---\n\nText.\n",
    );
    site.build_ok();
    for file in [
        "old/safety/index.html",
        "risks.html",
        "percent path/index.html",
    ] {
        let html = site.read(file);
        assert!(
            html.contains("<html lang=\"en\" dir=\"ltr\">"),
            "{file}: {html}"
        );
        assert!(html.contains("<title>Staying safe</title>"));
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"0; url=/guide/safety/\">"));
        assert!(
            html.contains("<link rel=\"canonical\" href=\"https://example.org/guide/safety/\">")
        );
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(html.contains("This page has moved to <a href=\"/guide/safety/\">"));
    }
    // Not pages: not in the sitemap.
    assert!(!site.read("sitemap.xml").contains("old/safety"));
    // An alias taken away: its file goes on the next build.
    site.write(
        "content/safety.md",
        "---\ntitle: Staying safe\naliases: [/risks.html]\n---\n\nText.\n",
    );
    site.build_ok();
    assert!(!site.public().join("old/safety/index.html").exists());
    assert!(site.public().join("risks.html").exists());
}

#[test]
fn a_bad_or_clashing_alias_is_a_located_error() {
    let site = Site::empty();
    site.write("content/a.md", "---\ntitle: A\naliases:\n  - old/a/\n---\n");
    let errs = site.build_err();
    assert_eq!(
        errs[0].message,
        "alias `old/a/`: an alias is a path from the site's root: start it with /"
    );
    assert_eq!(errs[0].line, 3);
    site.write("content/a.md", "---\ntitle: A\naliases: [/../x/]\n---\n");
    assert!(site.build_err()[0].message.contains("cannot climb"));
    // `//host/path` names another site (a browser reads it so), not a path.
    site.write(
        "content/a.md",
        "---\ntitle: A\naliases: [//evil.example/x/]\n---\n",
    );
    assert!(
        site.build_err()[0]
            .message
            .contains("no query, fragment or host")
    );
    site.write("content/a.md", "---\ntitle: A\naliases: [/b/]\n---\n");
    site.write("content/b.md", "---\ntitle: B\n---\n");
    let errs = site.build_err();
    assert_eq!(
        errs[0].message,
        "alias `/b/` would overwrite b/index.html, written for content/b.md"
    );
    assert_eq!((errs[0].line, errs[0].column), (3, 1));
    std::fs::remove_file(site.root().join("content/b.md")).unwrap();
    site.write("content/c.md", "---\ntitle: C\naliases: [/b/]\n---\n");
    let errs = site.build_err();
    assert!(
        errs[0].message.starts_with(
            "alias `/b/` would overwrite b/index.html, written for the alias `/b/` of content/"
        ),
        "{errs:?}"
    );
}
