//! `docent import` (issue 25): a fixture project per tool (MkDocs, Jupyter
//! Book, mdBook, Hugo, Zola) imports, then builds with no error and no
//! broken link (`docent check`), and the report lists exactly what was not
//! converted. The browser tests validate the imported sites' HTML and run
//! axe on them (tests/browser/helpers.mjs, `importFrom`).

use std::path::{Path, PathBuf};

use docent::import::{Finding, Report, Tool, import};

use crate::common::{Site, copy_dir, snapshot_tree};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// Import fixture `name` into a new site, build it and check it.
#[track_caller]
fn imported(tool: Tool, name: &str) -> (Site, Report) {
    let site = Site::bare();
    let dest = site.root().join("site");
    let report =
        import(tool, &fixture(name), &dest).unwrap_or_else(|e| panic!("import failed: {e}"));
    let site = site.moved_to(&dest);
    site.build_ok();
    let checked = docent::check::run_at(&dest);
    let errors: Vec<_> = checked
        .findings
        .iter()
        .filter(|f| f.severity == docent::check::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "docent check: {errors:#?}");
    (site, report)
}

/// Import the project in `src` into a new site and build it.
#[track_caller]
fn import_and_build(tool: Tool, src: &Site) -> (Site, Report) {
    let out = Site::bare();
    let dest = out.root().join("site");
    let report = import(tool, src.root(), &dest).unwrap();
    let site = out.moved_to(&dest);
    site.build_ok();
    (site, report)
}

fn not_converted(report: &Report) -> Vec<(String, usize, String)> {
    report
        .not_converted
        .iter()
        .map(|Finding { file, line, what }| (file.clone(), *line, what.clone()))
        .collect()
}

fn s(file: &str, line: usize, what: &str) -> (String, usize, String) {
    (file.into(), line, what.into())
}

#[test]
fn mkdocs_project_imports_and_builds() {
    let (site, report) = imported(Tool::Mkdocs, "mkdocs");
    assert_eq!(
        not_converted(&report),
        [s(
            "mkdocs.yml",
            0,
            "MkDocs plugin `git-revision-date-localized` (docent has no plugins)"
        )]
    );
    assert_eq!(report.pages, 5);
    let yaml = site.source("site.yaml");
    assert!(yaml.contains("title: Clinic handbook\ndescription: How our clinic works, for new staff.\nbase_url: https://example.org/handbook/\nlanguage: en\n"), "{yaml}");
    // nav order → weight; the section's landing page takes the section's place.
    let start = site.source("content/getting-started.md");
    assert!(start.starts_with("---\ntitle: Getting started\ndescription: Your first week.\nweight: 20\nextra:\n  status: new\n---\n"), "{start}");
    assert!(
        site.source("content/guides/_index.md")
            .starts_with("---\nweight: 30\n---\n")
    );
    // Admonitions, nested and collapsible, as MyST directives.
    assert!(start.contains("::::{admonition} Before your first shift\n:class: note\n\nAsk for a badge at reception.\n\n:::{warning}\nBadges expire after a year.\n:::\n::::\n"), "{start}");
    assert!(start.contains(":::{admonition} Where to park\n:class: tip dropdown\n"));
    // md_in_html's `markdown` attribute (not HTML) is dropped; the
    // Markdown inside is read anyway.
    assert!(start.contains("<div class=\"grid\">\n"), "{start}");
    // Links written for MkDocs' URLs now name the pages.
    assert!(start.contains("See [visits](guides/visits.md) and [safety](guides/safety.md)."));
    let html = site.read("getting-started/index.html");
    assert!(
        html.contains(
            "<aside class=\"callout callout-note\" aria-label=\"Before your first shift\">"
        )
    );
    assert!(html.contains("<details class=\"callout callout-tip\">"));
    assert!(html.contains("href=\"/handbook/guides/visits/\""));
    // `hide: [toc]` → `toc: false`.
    assert!(
        site.source("content/guides/visits.md")
            .contains("toc: false")
    );
    // The report counts what it converted.
    assert_eq!(report.mapped["navigation order → `weight`"], 5);
    assert_eq!(
        report.mapped["MkDocs collapsible admonition (???) → MyST dropdown"],
        1
    );
    assert_eq!(
        report.mapped["`markdown` attribute of an HTML tag (md_in_html) → left out"],
        1
    );
    assert!(html.contains("<div class=\"grid\">"), "{html}");
    assert!(html.contains("<strong>badge</strong>"), "{html}");
    let printed = report.render();
    assert!(
        printed.contains("Not converted (1): edit these by hand:\n  mkdocs.yml: MkDocs plugin")
    );
    assert!(printed.contains("Next: docent build --root "));
}

#[test]
fn jupyter_book_imports_and_builds() {
    let (site, report) = imported(Tool::JupyterBook, "jupyter-book");
    assert_eq!(
        not_converted(&report),
        [
            s(
                "chapters/practice.ipynb",
                0,
                "Jupyter notebook: copied as a file, not converted to a page"
            ),
            s(
                "chapters/sleep.md",
                12,
                "directive {margin}: its content kept as plain Markdown"
            ),
        ]
    );
    // The root of _toc.yml is the home page; the BibTeX file is the bibliography.
    let yaml = site.source("site.yaml");
    assert!(yaml.contains("bibliography: references.bib"), "{yaml}");
    assert!(site.source("content/_index.md").contains("# Sleep course"));
    let html = site.read("chapters/sleep/index.html");
    assert!(html.contains("<a class=\"citation\" href=\"#ref-walker2017\">"));
    assert!(html.contains("<aside class=\"callout callout-note\""));
    assert!(
        html.contains("<p>A side note.</p>"),
        "the unknown directive's text stays"
    );
    // `{code-block}` and `{math}` are kept as written and shown as code
    // and as numbered display math.
    assert!(
        site.source("content/chapters/sleep.md")
            .contains("```{code-block} python\n")
    );
    assert!(
        html.contains("<figcaption>Weekly sleep, in hours</figcaption>"),
        "{html}"
    );
    assert!(html.contains("<code class=\"language-python"), "{html}");
    assert!(
        html.contains("id=\"eq-debt\"") && html.contains("href=\"#eq-debt\">(1)</a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"#code-week\">Weekly sleep, in hours</a>"),
        "{html}"
    );
    let stages = site.read("chapters/stages/index.html");
    assert!(stages.contains("href=\"/course/chapters/sleep/#why-sleep\">Sleep and memory</a>"));
    assert!(stages.contains("href=\"/course/glossary/#term-rem\">REM</a>"));
    // MyST's {image} is kept as written and shown.
    assert!(
        stages.contains("alt=\"The sleep cycle, small\""),
        "{stages}"
    );
}

#[test]
fn mdbook_imports_and_builds() {
    let (site, report) = imported(Tool::Mdbook, "mdbook");
    assert_eq!(
        not_converted(&report),
        [
            s(
                "src/SUMMARY.md",
                7,
                "draft chapter `Draft chapter` (no file): left out"
            ),
            s(
                "src/start/install.md",
                9,
                "`{{#playground ../../listings/hello.rs}}`: not converted"
            ),
        ]
    );
    // README.md is the home page; SUMMARY.md is navigation, not a page.
    assert!(
        site.source("content/_index.md")
            .starts_with("---\nweight: 10\n---\n\n# Introduction")
    );
    assert!(!site.root().join("content/SUMMARY.md").exists());
    // Includes: an anchor, and a line range.
    let start = site.source("content/start.md");
    assert!(
        start.contains("```rust\nfn main() {\n    println!(\"Hello\");\n}\n```"),
        "{start}"
    );
    assert!(start.contains("Then [install](start/install.md) the tools."));
    let install = site.source("content/start/install.md");
    assert!(
        install.contains("```rust\n// An example program.\n// ANCHOR: main\n```"),
        "{install}"
    );
    assert!(install.contains("[introduction](../_index.md)"));
    assert_eq!(
        site.source("site.yaml")
            .matches("base_url: /notes/")
            .count(),
        1
    );
    // mdBook's URLs (`start/install.html`) keep working.
    assert!(
        install.contains("aliases:\n- /start/install.html\n"),
        "{install}"
    );
    assert!(
        site.read("start/install.html")
            .contains("url=/notes/start/install/")
    );
    assert!(
        !site.source("content/_index.md").contains("aliases"),
        "index.html is the home page's own"
    );
}

#[test]
fn hugo_site_imports_and_builds() {
    let (site, report) = imported(Tool::Hugo, "hugo");
    assert_eq!(
        not_converted(&report),
        [
            s(
                "content/posts/first.md",
                16,
                "shortcode `{{< map lat=51.5 lon=-0.1 >}}`: left as text"
            ),
            s(
                "layouts/",
                0,
                "templates (layouts/): write docent templates (docs/templates.md)"
            ),
        ]
    );
    let first = site.source("content/posts/first.md");
    assert!(first.starts_with("---\ntitle: First visit\ndate: 2024-03-05\nupdated: 2024-04-01\nweight: 1\ndraft: false\ntags:\n- visits\ntaxonomies:\n  categories:\n  - fieldwork\naliases:\n- /old/first/\nextra:\n"), "{first}");
    // The old URL sends readers to the page.
    let moved = site.read("old/first/index.html");
    assert!(
        moved.contains("<link rel=\"canonical\" href=\"https://example.org/notes/posts/first/\">"),
        "{moved}"
    );
    assert!(first.contains(
        "```{figure} ../images/map.png\n:alt: A map of the site\n\nThe site we visited.\n```"
    ));
    assert!(
        first.contains("[the second visit](second.md), also at [/notes/posts/second/](second.md).")
    );
    // `../first/` is relative to the page's URL.
    assert!(
        site.source("content/posts/second.md")
            .contains("[first visit](first.md)")
    );
    assert!(
        site.source("site.yaml")
            .contains("language: en-US\ntaxonomies:\n- tags\n- categories\n")
    );
    let html = site.read("posts/first/index.html");
    assert!(html.contains("<figcaption>The site we visited.</figcaption>"));
    // static/ files are published at the same URLs.
    assert!(site.public().join("images/map.png").is_file());
    assert!(
        site.read("categories/fieldwork/index.html")
            .contains("First visit")
    );
}

#[test]
fn zola_site_imports_and_builds() {
    let (site, report) = imported(Tool::Zola, "zola");
    assert_eq!(
        not_converted(&report),
        [
            s(
                "content/plants/tomato.md",
                16,
                "shortcode `{{ youtube(id=\"abc123\") }}`: left as text"
            ),
            s(
                "templates/",
                0,
                "templates (templates/): write docent templates (docs/templates.md)"
            ),
        ]
    );
    let tomato = site.source("content/plants/tomato.md");
    assert!(tomato.contains("tags:\n- vegetables\ntaxonomies:\n  categories:\n  - summer\nextra:\n  difficulty: easy\n"), "{tomato}");
    assert!(tomato.contains("beside [basil](basil.md)."), "@/ links");
    assert!(
        site.source("content/_index.md")
            .contains("[plants](plants/_index.md)")
    );
    // A `slug` gave the page another URL: it becomes an alias.
    assert!(
        site.source("content/plants/basil.md")
            .contains("aliases:\n- /plants/basil-herb/\n")
    );
    assert!(
        site.read("plants/basil-herb/index.html")
            .contains("url=/plants/basil/")
    );
    // The site's own robots.txt is published, not docent's.
    assert_eq!(site.read("robots.txt"), "User-agent: *\n");
}

#[test]
fn import_refuses_a_non_empty_destination_and_never_writes_into_the_source() {
    let site = Site::bare();
    let dest = site.root().join("taken");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("keep.txt"), "mine").unwrap();
    let err = import(Tool::Mkdocs, &fixture("mkdocs"), &dest).unwrap_err();
    assert!(err.to_string().contains("is not empty"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dest.join("keep.txt")).unwrap(),
        "mine"
    );
    // A copy of a project imported into a folder inside it: the source's
    // files are unchanged, and the new site is not copied into itself.
    let src = site.root().join("src");
    copy_dir(&fixture("zola"), &src);
    let before = snapshot_tree(&src);
    let dest = src.join("docent-site");
    import(Tool::Zola, &src, &dest).unwrap();
    let after = snapshot_tree(&src);
    let changed: Vec<_> = after
        .iter()
        .filter(|(p, _, _)| !p.starts_with("docent-site"))
        .filter(|f| !before.contains(f))
        .collect();
    assert!(changed.is_empty(), "{changed:?}");
    assert!(!dest.join("content/docent-site").exists());
    // A pages folder outside the project is not read.
    let outside = site.root().join("outside");
    std::fs::create_dir_all(outside.join("docs")).unwrap();
    std::fs::write(outside.join("docs/secret.md"), "# Secret\n").unwrap();
    let proj = site.root().join("proj");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::write(
        proj.join("mkdocs.yml"),
        "site_name: X\ndocs_dir: ../outside/docs\n",
    )
    .unwrap();
    let err = import(Tool::Mkdocs, &proj, &site.root().join("y")).unwrap_err();
    assert!(
        err.to_string().contains("reads only inside the project"),
        "{err}"
    );
    assert!(!site.root().join("y/content/secret.md").exists());
    // Nor is a `static` link to a folder outside it.
    #[cfg(unix)]
    {
        let zola = site.root().join("zola-linked");
        copy_dir(&fixture("zola"), &zola);
        std::fs::remove_dir_all(zola.join("static")).unwrap();
        std::os::unix::fs::symlink(outside.join("docs"), zola.join("static")).unwrap();
        let report = import(Tool::Zola, &zola, &site.root().join("z")).unwrap();
        assert!(!site.root().join("z/content/secret.md").exists());
        assert!(
            report
                .not_converted
                .iter()
                .any(|f| f.file == "static/" && f.what.contains("outside the project"))
        );
    }
    // Not a project of that tool: a clear error.
    let err = import(Tool::Mdbook, &fixture("zola"), &site.root().join("x")).unwrap_err();
    assert!(err.to_string().contains("no book.toml in"), "{err}");
}

#[test]
fn links_to_pages_that_are_not_there_are_reported_at_their_line() {
    let site = Site::bare();
    let src = site.root().join("proj");
    std::fs::create_dir_all(src.join("docs")).unwrap();
    std::fs::write(src.join("mkdocs.yml"), "site_name: X\n").unwrap();
    std::fs::write(
        src.join("docs/index.md"),
        // A footnote's definition (`[^1]: The …`) is not a link to `The`.
        "# X\n\nSee [gone](gone.md) and [old](/old/page/).[^1]\n\n[ref]: missing.html\n\n\
         [^1]: The note.\n",
    )
    .unwrap();
    let report = import(Tool::Mkdocs, &src, &site.root().join("out")).unwrap();
    assert_eq!(
        not_converted(&report),
        [
            s(
                "docs/index.md",
                3,
                "link to `/old/page/`: no such page or file in the project"
            ),
            s(
                "docs/index.md",
                3,
                "link to `gone.md`: no such page or file in the project"
            ),
            s(
                "docs/index.md",
                5,
                "link to `missing.html`: no such page or file in the project"
            ),
        ]
    );
}

#[test]
fn an_include_outside_the_project_is_not_read() {
    let site = Site::bare();
    let src = site.root().join("book");
    std::fs::create_dir_all(src.join("src")).unwrap();
    std::fs::write(site.root().join("secret.txt"), "secret").unwrap();
    std::fs::write(src.join("book.toml"), "[book]\ntitle = \"B\"\n").unwrap();
    std::fs::write(src.join("src/SUMMARY.md"), "- [A](a.md)\n").unwrap();
    std::fs::write(
        src.join("src/a.md"),
        "# A\n\n{{#include ../../secret.txt}}\n",
    )
    .unwrap();
    let dest = site.root().join("out");
    let report = import(Tool::Mdbook, &src, &dest).unwrap();
    assert_eq!(
        not_converted(&report),
        [s(
            "src/a.md",
            3,
            "`{{#include ../../secret.txt}}`: ../../secret.txt is outside the project (not read)"
        )]
    );
    assert!(
        !std::fs::read_to_string(dest.join("content/a.md"))
            .unwrap()
            .contains("secret\n")
    );
}

/// Front matter as Zola and Hugo also accept it: after blank lines and
/// with spaces after the closing fence (as Zola's own theme pages have
/// them), and with Windows line endings. They were copied through as
/// TOML, which the build then refused.
#[test]
fn front_matter_after_blank_lines_or_with_crlf_is_converted() {
    let src = Site::bare();
    copy_dir(&fixture("zola"), src.root());
    src.write(
        "content/plants/leading.md",
        "\n\n+++\ntitle = \"Leading blank\"\n+++    \n\nBody one.\n",
    );
    src.write(
        "content/plants/crlf.md",
        "+++\r\ntitle = \"Windows\"\r\n[taxonomies]\r\ntags = [\"x\"]\r\n+++\r\n\r\nBody two.\r\n",
    );
    let (site, _) = import_and_build(Tool::Zola, &src);
    let leading = site.source("content/plants/leading.md");
    assert!(
        leading.starts_with("---\ntitle: Leading blank\n"),
        "{leading}"
    );
    assert!(leading.contains("Body one."), "{leading}");
    let crlf = site.source("content/plants/crlf.md");
    assert!(crlf.starts_with("---\ntitle: Windows\n"), "{crlf:?}");
    assert!(crlf.contains("Body two."), "{crlf:?}");
    assert!(!crlf.contains("+++"), "{crlf:?}");
}

#[test]
fn a_readme_beside_an_index_is_a_page_of_its_own() {
    // mystmd's own docs folder has index.md and README.md: index.md is the
    // landing page, README.md a page at README.html. Its old URL is not
    // the folder's index, which the import gave it as an alias, so the
    // site would not build ("alias /index.html would overwrite index.html").
    let src = Site::bare();
    copy_dir(&fixture("jupyter-book"), src.root());
    src.write("README.md", "# About these notes\n\nHow to edit them.\n");
    src.write("chapters/README.md", "# Chapters\n\nWhat is here.\n");
    let (site, _) = import_and_build(Tool::JupyterBook, &src);
    let readme = site.source("content/README.md");
    assert!(readme.contains("- /README.html"), "{readme}");
    assert!(!readme.contains("/index.html"), "{readme}");
    // A README that is its folder's landing page is at the index's old
    // URL already: no alias.
    let chapters = site.source("content/chapters/_index.md");
    assert!(!chapters.contains("aliases"), "{chapters}");
    assert!(site.read("chapters/index.html").contains("What is here."));
}

/// The Hugo fixture with its pages moved from content/ to `folder`, and
/// `top` (top-level keys) and `tables` added to its hugo.toml.
fn hugo_with_pages_in(folder: &str, top: &str, tables: &str) -> Site {
    let src = Site::bare();
    copy_dir(&fixture("hugo"), src.root());
    let moved = src.root().join(folder);
    std::fs::rename(src.root().join("content"), src.root().join("pages-tmp")).unwrap();
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(src.root().join("pages-tmp"), &moved).unwrap();
    let config = src.source("hugo.toml");
    src.write("hugo.toml", &format!("{top}\n{config}\n{tables}\n"));
    src
}

#[test]
fn a_hugo_sites_pages_in_another_folder_keep_their_urls() {
    // Hugo's own docs keep their pages in content/en, mounted as the
    // content folder by `[[module.mounts]]`; other sites name the folder
    // with `contentDir`, for the site or for its default language. The
    // import read content/ whatever the configuration said: every page got
    // /en/ in its URL and every link to /posts/… was reported broken.
    let mount = "[[module.mounts]]\nsource = \"assets\"\ntarget = \"assets\"\n\
                 [[module.mounts]]\nsource = \"content/en\"\ntarget = \"content\"\n\
                 [module.mounts.sites.matrix]\nlanguages = [\"en\"]\n";
    let language = "[languages.en]\ncontentDir = \"content/en\"\nweight = 1\n";
    for (folder, top, tables) in [
        ("content/en", "", mount),
        ("content/en", "defaultContentLanguage = \"en\"", language),
        ("pages", "contentDir = \"pages\"", ""),
    ] {
        let src = hugo_with_pages_in(folder, top, tables);
        let (site, report) = import_and_build(Tool::Hugo, &src);
        let shortcode = format!("{folder}/posts/first.md");
        let mut findings = not_converted(&report);
        findings.sort();
        let mut expected = vec![
            s(
                "layouts/",
                0,
                "templates (layouts/): write docent templates (docs/templates.md)",
            ),
            s(
                &shortcode,
                16,
                "shortcode `{{< map lat=51.5 lon=-0.1 >}}`: left as text",
            ),
        ];
        expected.sort();
        assert_eq!(findings, expected, "{folder} with {top} {tables}");
        assert!(
            site.source("content/posts/first.md")
                .contains("[the second visit](second.md)")
        );
        assert!(site.read("posts/first/index.html").contains("First visit"));
    }
}

#[test]
fn a_hugo_sites_other_languages_are_reported_not_imported() {
    // Each language's pages in their own folder: the default language's
    // are the site's pages; the others are named in the report, not mixed
    // in as pages of the default language.
    let src = hugo_with_pages_in(
        "content/en",
        "defaultContentLanguage = \"en\"",
        "[languages.en]\ncontentDir = \"content/en\"\n\
         [languages.fr]\ncontentDir = \"content/fr\"\nlanguageName = \"Français\"\n",
    );
    src.write(
        "content/fr/_index.md",
        "---\ntitle: Notes\n---\n\nBonjour.\n",
    );
    let (site, report) = import_and_build(Tool::Hugo, &src);
    assert!(
        not_converted(&report).contains(&s(
            "content/fr/",
            0,
            "pages in the language `fr`: not imported (docent keeps a language's pages in content/fr/ of the new site: move them there)"
        )),
        "{:#?}",
        not_converted(&report)
    );
    assert!(!site.root().join("content/fr").exists());
}

#[test]
fn hugo_pages_named_with_capitals_keep_their_lowercase_urls() {
    // Hugo publishes `methods/page/RegularPages.md` at
    // /methods/page/regularpages/ (unless `disablePathToLower`), and pages
    // link to it that way: more than half of Hugo's own docs. The import
    // kept the name, so the page moved to a new URL and every link to it
    // was reported as a link to no page.
    let src = Site::bare();
    copy_dir(&fixture("hugo"), src.root());
    src.write(
        "content/posts/Third-Visit.md",
        "---\ntitle: Third visit\n---\n\nBack to the [first](/notes/posts/first/).\n",
    );
    src.write(
        "content/posts/Links.md",
        "---\ntitle: Links\n---\n\nSee the [third visit](/notes/posts/third-visit/) \
         and [again](../third-visit/#top).\n",
    );
    // A folder's name keeps its case (its pages' files link to files
    // beside them): reported, once, at the outermost folder.
    src.write("content/Guides/Deep/a.md", "---\ntitle: A\n---\n\nA.\n");
    src.write("content/Guides/b.md", "---\ntitle: B\n---\n\nB.\n");
    let (site, report) = import_and_build(Tool::Hugo, &src);
    assert!(
        !not_converted(&report)
            .iter()
            .any(|(_, _, what)| what.contains("no such page")),
        "{:#?}",
        not_converted(&report)
    );
    let folders: Vec<_> = not_converted(&report)
        .into_iter()
        .filter(|(_, _, what)| what.contains("capitals"))
        .collect();
    assert_eq!(
        folders,
        [s(
            "content/Guides/",
            0,
            "folder name with capitals: Hugo published its pages under `guides/`; docent keeps the name, so their URLs change (rename the folder to keep them)"
        )]
    );
    assert!(
        site.source("content/posts/links.md")
            .contains("See the [third visit](third-visit.md) and [again](third-visit.md#top).")
    );
    assert!(
        site.read("posts/third-visit/index.html")
            .contains("Third visit")
    );
    assert!(!site.root().join("content/posts/Third-Visit.md").exists());

    // With `disablePathToLower`, names keep their case, as Hugo's URLs do.
    let config = src.source("hugo.toml");
    src.write("hugo.toml", &format!("disablePathToLower = true\n{config}"));
    src.write(
        "content/posts/Links.md",
        "---\ntitle: Links\n---\n\nSee the [third visit](/notes/posts/Third-Visit/).\n",
    );
    let (site, _) = import_and_build(Tool::Hugo, &src);
    assert!(
        site.source("content/posts/Links.md")
            .contains("See the [third visit](Third-Visit.md).")
    );
}

#[test]
fn aliases_that_clash_are_left_out_and_reported() {
    // Hugo's own docs give two pages the alias /content/sections/ and a
    // page the URL of its section (/functions/time): Hugo, with aliases
    // off there, never wrote them; docent refused to build the import.
    let src = Site::bare();
    copy_dir(&fixture("hugo"), src.root());
    src.write(
        "content/posts/a.md",
        "---\ntitle: A\naliases: [/old/shared/, /old/a/]\n---\n\nA.\n",
    );
    src.write(
        "content/posts/b.md",
        "---\ntitle: B\naliases: [/old/shared/, /posts]\n---\n\nB.\n",
    );
    let (site, report) = import_and_build(Tool::Hugo, &src);
    let aliases: Vec<_> = not_converted(&report)
        .into_iter()
        .filter(|(_, _, what)| what.starts_with("alias"))
        .collect();
    assert_eq!(
        aliases,
        [
            s(
                "content/posts/b.md",
                0,
                "alias `/old/shared/`: already an alias of content/posts/a.md: left out"
            ),
            s(
                "content/posts/b.md",
                0,
                "alias `/posts`: the URL of content/posts/_index.md: left out"
            ),
        ]
    );
    assert!(
        site.source("content/posts/a.md")
            .contains("- /old/shared/\n- /old/a/\n")
    );
    assert!(!site.source("content/posts/b.md").contains("aliases"));
    assert!(site.read("old/shared/index.html").contains("posts/a/"));
}

#[test]
fn hugos_highlight_shortcode_becomes_a_code_block() {
    // Hugo's built-in `highlight` wraps code; left as text, the code was
    // read as Markdown: `$…$` became math (or a LaTeX error), `<tags>` and
    // `*` markup.
    let src = Site::bare();
    copy_dir(&fixture("hugo"), src.root());
    src.write(
        "content/posts/code.md",
        "---\ntitle: Code\n---\n\nBefore.\n\n\
         {{< highlight go \"linenos=table,hl_lines=2\" >}}\n\
         price := \"$5\" + \"$x$\" // <b>*not*</b>\n\
         ```\n\
         {{< /highlight >}}\n\n\
         {{% highlight toml %}}\n\
         pattern = '^.+\\.(png|jpg)$'\n\
         {{% /highlight %}}\n\nAfter.\n",
    );
    let (site, report) = import_and_build(Tool::Hugo, &src);
    assert!(
        !not_converted(&report)
            .iter()
            .any(|(file, _, _)| file.ends_with("code.md")),
        "{:#?}",
        not_converted(&report)
    );
    assert_eq!(
        report.mapped.get("Hugo highlight shortcode → code block"),
        Some(&2)
    );
    let page = site.source("content/posts/code.md");
    assert!(
        page.contains(
            "Before.\n\n````go\nprice := \"$5\" + \"$x$\" // <b>*not*</b>\n```\n````\n\n\
             ```toml\npattern = '^.+\\.(png|jpg)$'\n```\n\nAfter.\n"
        ),
        "{page}"
    );
    let html = site.read("posts/code/index.html");
    assert!(!html.contains("<math"), "{html}");
}

#[test]
fn hugos_video_and_details_shortcodes_become_links_and_dropdowns() {
    // Hugo's built-in `youtube` and `vimeo` embed a player (a third-party
    // frame, script and cookies); `details` is a collapsible block. The
    // import left them as text. A video becomes a link to it; details a
    // MyST dropdown.
    let src = Site::bare();
    copy_dir(&fixture("hugo"), src.root());
    src.write(
        "content/posts/media.md",
        "---\ntitle: Media\n---\n\n\
         {{< youtube 0RKpf3rK57I >}}\n\n\
         {{< youtube id=\"w7Ft2ymGmfc\" title=\"A walk in the woods\" >}}\n\n\
         {{< vimeo 55073825 >}}\n\n\
         {{< details summary=\"See the **answer**\" >}}\nIt is *42*.\n{{< /details >}}\n",
    );
    let (site, report) = import_and_build(Tool::Hugo, &src);
    let findings: Vec<_> = not_converted(&report)
        .into_iter()
        .filter(|(file, _, _)| file.ends_with("media.md"))
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    let page = site.source("content/posts/media.md");
    assert!(
        page.contains("[Video on YouTube](https://www.youtube.com/watch?v=0RKpf3rK57I)"),
        "{page}"
    );
    assert!(
        page.contains(
            "[A walk in the woods (video on YouTube)](https://www.youtube.com/watch?v=w7Ft2ymGmfc)"
        ),
        "{page}"
    );
    assert!(
        page.contains("[Video on Vimeo](https://vimeo.com/55073825)"),
        "{page}"
    );
    assert!(
        page.contains(":::{dropdown} See the **answer**\nIt is *42*.\n:::\n"),
        "{page}"
    );
    let html = site.read("posts/media/index.html");
    assert!(html.contains("<summary class=\"callout-label\">"), "{html}");
    assert!(!html.contains("<iframe"), "{html}");
}

#[test]
fn a_myst_demo_becomes_its_source_in_a_code_block() {
    // mystmd's docs show syntax with `{myst}` (the source beside its
    // rendering). The import unwrapped it, so each example's labels became
    // real ones and clashed with the page's own ("label defined twice").
    let src = Site::bare();
    copy_dir(&fixture("jupyter-book"), src.root());
    src.write(
        "demo.md",
        "# Demo\n\n(real)=\n## Real\n\n````{myst}\n(real)=\n## An example\n\n```{note}\nInside.\n```\n````\n\nAfter.\n",
    );
    let (site, report) = import_and_build(Tool::JupyterBook, &src);
    let page = site.source("content/demo.md");
    assert!(
        page.contains(
            "````markdown\n(real)=\n## An example\n\n```{note}\nInside.\n```\n````\n\nAfter."
        ),
        "{page}"
    );
    assert_eq!(
        report
            .mapped
            .get("{myst} demo → its source as a Markdown code block"),
        Some(&1)
    );
    assert!(site.read("demo/index.html").contains("language-markdown"));
}

#[test]
fn gated_exercises_and_solutions_become_one_directive_each() {
    // sphinx-exercise's gated syntax (`{exercise-start}` … `{exercise-end}`,
    // so code cells can sit inside): 290 pairs in QuantEcon's lectures.
    // The import removed the fences and left their options as text: the
    // exercises' labels were lost ("no label `networks_ex2`").
    let src = Site::bare();
    copy_dir(&fixture("jupyter-book"), src.root());
    src.write(
        "gated.md",
        "# Gated\n\n```{exercise-start}\n:label: ex1\n```\n\nSolve it.\n\n```{code-cell} python\nx = 1\n```\n\n\
         ```{exercise-end}\n```\n\n```{solution-start} ex1\n:class: dropdown\n```\n\n:::{note}\nA note.\n:::\n\n\
         ```{solution-end}\n```\n\nSee {ref}`ex1`.\n\n```{exercise-end}\n```\n",
    );
    let (site, report) = import_and_build(Tool::JupyterBook, &src);
    let page = site.source("content/gated.md");
    assert!(
        page.contains(
            ":::{exercise}\n:label: ex1\n\nSolve it.\n\n```{code-cell} python\nx = 1\n```\n\n:::\n"
        ),
        "{page}"
    );
    assert!(
        page.contains("::::{solution} ex1\n:class: dropdown\n\n:::{note}\nA note.\n:::\n\n::::\n"),
        "{page}"
    );
    assert_eq!(
        report
            .mapped
            .get("{exercise-start} … {exercise-end} → {exercise}"),
        Some(&1),
        "{:?}",
        report.mapped
    );
    assert_eq!(
        report
            .mapped
            .get("{solution-start} … {solution-end} → {solution}"),
        Some(&1)
    );
    // An end without a start is reported, as any directive docent lacks.
    let findings = not_converted(&report);
    assert!(
        findings.contains(&s(
            "gated.md",
            29,
            "directive {exercise-end}: its content kept as plain Markdown"
        )),
        "{findings:?}"
    );
    let html = site.read("gated/index.html");
    assert!(html.contains("href=\"#ex1\""), "{html}");
    assert!(html.contains("<details"), "{html}");
}

#[test]
fn doc_links_to_other_projects_use_the_intersphinx_mapping() {
    // QuantEcon's lectures link to their sister projects with
    // `{doc}`dynam:samuelson`` (Sphinx's intersphinx, configured in
    // _config.yml): after the import, 8 "no page" errors.
    let src = Site::bare();
    copy_dir(&fixture("jupyter-book"), src.root());
    let config = src.source("_config.yml").replace(
        "    language: en\n",
        "    language: en\n    intersphinx_mapping:\n      dynam:\n        - https://dynamics.example.org/\n        - null\n      py: [\"https://docs.example.org/3\", null]\n",
    );
    src.write("_config.yml", &config);
    src.write(
        "links.md",
        "# Links\n\nSee {doc}`dynam:samuelson`, {doc}`the tutorial <py:tutorial/index>` and {doc}`intro`.\n\n\
         ```text\n{doc}`dynam:samuelson`\n```\n\nAnd {doc}`nowhere:page`.\n\n\
         ```{note}\nIn a note: {doc}`dynam:lss`.\n```\n",
    );
    // Not built: `nowhere:page` stays a broken {doc}, an error to fix.
    let out = Site::bare();
    let dest = out.root().join("site");
    let report = import(Tool::JupyterBook, src.root(), &dest).unwrap();
    let site = out.moved_to(&dest);
    let page = site.source("content/links.md");
    assert!(
        page.contains(
            "See [samuelson](https://dynamics.example.org/samuelson.html), \
             [the tutorial](https://docs.example.org/3/tutorial/index.html) and {doc}`intro`."
        ),
        "{page}"
    );
    // Code is not rewritten; a name the mapping lacks is reported.
    assert!(
        page.contains("```text\n{doc}`dynam:samuelson`\n```"),
        "{page}"
    );
    assert_eq!(
        report
            .mapped
            .get("{doc} to another Sphinx project (intersphinx) → a link to its page"),
        Some(&3)
    );
    // In a directive's Markdown body too (a fenced block to CommonMark).
    assert!(
        page.contains("In a note: [lss](https://dynamics.example.org/lss.html)."),
        "{page}"
    );
    let findings = not_converted(&report);
    assert!(
        findings.contains(&s(
            "links.md",
            9,
            "{doc} `nowhere:page`: `nowhere` is not in intersphinx_mapping"
        )),
        "{findings:?}"
    );
}

#[test]
fn links_to_bare_label_names_are_not_reported_missing() {
    // `[](motion_law)`: myst-parser's reference to a label (the build
    // resolves it). The import reported each as "no such page or file".
    let src = Site::bare();
    copy_dir(&fixture("jupyter-book"), src.root());
    src.write(
        "laws.md",
        "# Laws\n\n$$ k' = g(k) $$ (motion_law)\n\nBy [](motion_law) and [](sec-laws); [](gone) is not there.\n\n(sec-laws)=\n## Laws\n",
    );
    let out = Site::bare();
    let dest = out.root().join("site");
    let report = import(Tool::JupyterBook, src.root(), &dest).unwrap();
    let findings = not_converted(&report);
    let about_laws: Vec<_> = findings.iter().filter(|f| f.0 == "laws.md").collect();
    assert_eq!(
        about_laws,
        [&s(
            "laws.md",
            5,
            "link to `gone`: no such page or file in the project"
        )],
        "{findings:?}"
    );
}

#[test]
fn myst_includes_become_the_files_text() {
    // `{include}` (docutils'): 24 pages of QuantEcon's intermediate
    // lectures start with one; the import kept the fence's argument as
    // text, the file's content was lost.
    let src = Site::bare();
    copy_dir(&fixture("jupyter-book"), src.root());
    src.write(
        "_admonition/gpu.md",
        "```{admonition} GPU\n:class: warning\n\nThis lecture was built on a GPU.\n```\n",
    );
    src.write(
        "snippets/code.py",
        "import math\n# start\nx = 1\n# end\ny = 2\n",
    );
    src.write(
        "chapters/inc.md",
        "# Included\n\n```{include} ../_admonition/gpu.md\n```\n\n\
         ```{include} /snippets/code.py\n:literal:\n:start-after: # start\n:end-before: # end\n:code: python\n```\n\n\
         ```{include} ../../../outside.md\n```\n\nAfter.\n",
    );
    let out = Site::bare();
    let dest = out.root().join("site");
    let report = import(Tool::JupyterBook, src.root(), &dest).unwrap();
    let site = out.moved_to(&dest);
    let page = site.source("content/chapters/inc.md");
    assert!(
        page.contains("# Included\n\n```{admonition} GPU\n:class: warning\n\nThis lecture was built on a GPU.\n```\n\n```python\nx = 1\n```\n"),
        "{page}"
    );
    assert_eq!(report.mapped.get("{include} → the file's text"), Some(&2));
    let findings = not_converted(&report);
    assert!(
        findings.contains(&s(
            "chapters/inc.md",
            13,
            "{include} ../../../outside.md: no such file in the project (not read)"
        )),
        "{findings:?}"
    );
    assert!(page.contains("After."), "{page}");
}

#[test]
fn mathjax_macros_become_the_sites_math_macros() {
    // QuantEcon defines `\EE` and `\argmax` once, under
    // sphinx.config.mathjax3_config.tex.macros; every page using them
    // failed to build after the import.
    let src = Site::bare();
    copy_dir(&fixture("jupyter-book"), src.root());
    let config = src.source("_config.yml").replace(
        "    language: en\n",
        "    language: en\n    mathjax3_config:\n      tex:\n        macros:\n          \"argmax\" : [\"\\\\operatorname*{argmax}\", 0]\n          \"EE\" : \"\\\\mathbb{E}\"\n          \"pair\": [\"\\\\langle #1, #2 \\\\rangle\", 2, \"x\"]\n",
    );
    src.write("_config.yml", &config);
    src.write(
        "expect.md",
        "# Expect\n\n$\\EE[X] = \\argmax_x \\pair{a}{b}$\n",
    );
    let (site, report) = import_and_build(Tool::JupyterBook, &src);
    let yaml = site.source("site.yaml");
    assert!(yaml.contains("math_macros:"), "{yaml}");
    assert_eq!(
        report.mapped.get("MathJax macros → markdown.math_macros"),
        Some(&1),
        "{:?}",
        report.mapped
    );
    let html = site.read("expect/index.html");
    assert!(html.contains("𝔼"), "{html}");
    // MathJax's optional-argument default is not read: said.
    assert!(
        not_converted(&report)
            .iter()
            .any(|f| f.0 == "_config.yml" && f.2.contains("`pair`") && f.2.contains("default")),
        "{:?}",
        report.not_converted
    );
}
