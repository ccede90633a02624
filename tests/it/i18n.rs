//! Multilingual sites (issue 24): the English, Spanish and Arabic fixture
//! (tests/fixtures/i18n/clinic) gets each page's `lang`, `dir`, `hreflang`
//! links and language switcher right, per-language navigation, feeds,
//! sitemap alternates and search indexes, theme strings and dates in the
//! page's language; translations behind their source are reported by
//! `check` and marked on the page; `docent new --lang` writes the stub.
//! The browser tests run axe and the Nu Html Checker on the same fixture.

use std::process::Command;

use crate::common::Site;
use docent::Kind;

fn clinic() -> Site {
    let site = Site::fixture("i18n/clinic");
    site.build_ok();
    site
}

/// The value of attribute `name` on the first `<tag ` element of `html`.
fn attr<'a>(html: &'a str, tag: &str, name: &str) -> &'a str {
    let start = html
        .find(&format!("<{tag} "))
        .unwrap_or_else(|| panic!("no <{tag}>"));
    let el = &html[start..start + html[start..].find('>').unwrap()];
    let at = el
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {el}"));
    let v = &el[at + name.len() + 3..];
    &v[..v.find('"').unwrap()]
}

#[test]
fn every_page_has_its_language_direction_and_alternates() {
    let site = clinic();
    for (file, lang, dir) in [
        ("index.html", "en-GB", "ltr"),
        ("safety/index.html", "en-GB", "ltr"),
        ("about/index.html", "en-GB", "ltr"),
        ("es/index.html", "es", "ltr"),
        ("es/safety/index.html", "es", "ltr"),
        ("es/treatment/sessions/index.html", "es", "ltr"),
        ("es/search/index.html", "es", "ltr"),
        ("ar/index.html", "ar", "rtl"),
        ("ar/safety/index.html", "ar", "rtl"),
        ("ar/search/index.html", "ar", "rtl"),
    ] {
        let html = site.read(file);
        assert_eq!(attr(&html, "html", "lang"), lang, "{file}");
        assert_eq!(attr(&html, "html", "dir"), dir, "{file}");
    }
    // hreflang: absolute, every language the page exists in, itself too,
    // and the default language's version as `x-default`.
    let alternates = |html: &str| -> Vec<String> {
        html.match_indices("<link rel=\"alternate\" hreflang=")
            .map(|(i, _)| html[i..i + html[i..].find('>').unwrap()].to_string())
            .collect()
    };
    let expected = [
        "<link rel=\"alternate\" hreflang=\"en-GB\" href=\"https://clinic.example/clinic/safety/\"",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://clinic.example/clinic/safety/\"",
        "<link rel=\"alternate\" hreflang=\"es\" href=\"https://clinic.example/clinic/es/safety/\"",
        "<link rel=\"alternate\" hreflang=\"ar\" href=\"https://clinic.example/clinic/ar/safety/\"",
    ];
    for file in [
        "safety/index.html",
        "es/safety/index.html",
        "ar/safety/index.html",
    ] {
        assert_eq!(alternates(&site.read(file)), expected, "{file}");
    }
    // Sessions exist in English and Spanish only; About in English only.
    assert_eq!(
        alternates(&site.read("treatment/sessions/index.html")).len(),
        3
    );
    assert!(alternates(&site.read("about/index.html")).is_empty());
}

#[test]
fn the_switcher_goes_to_the_same_page_or_the_languages_home() {
    let site = clinic();
    let switcher = |file: &str| -> String {
        let html = site.read(file);
        let start = html.find("<nav class=\"language-switcher\"").expect(file);
        html[start..start + html[start..].find("</nav>").unwrap()].to_string()
    };
    let es = switcher("es/treatment/sessions/index.html");
    assert!(
        es.contains("aria-label=\"Leer esta página en otro idioma\""),
        "{es}"
    );
    assert!(es.contains("<a href=\"/clinic/treatment/sessions/\" hreflang=\"en-GB\" lang=\"en-GB\" dir=\"ltr\">English</a>"), "{es}");
    assert!(es.contains("<a href=\"/clinic/es/treatment/sessions/\" hreflang=\"es\" lang=\"es\" dir=\"ltr\" aria-current=\"page\">Español</a>"), "{es}");
    // No Arabic version: the Arabic home.
    assert!(
        es.contains("<a href=\"/clinic/ar/\" hreflang=\"ar\" lang=\"ar\" dir=\"rtl\">العربية</a>"),
        "{es}"
    );
    let about = switcher("about/index.html");
    assert!(about.contains("<a href=\"/clinic/es/\""), "{about}");
    // Search pages switch to each other.
    assert!(switcher("ar/search/index.html").contains("<a href=\"/clinic/es/search/\""));
}

#[test]
fn navigation_feeds_and_search_stay_within_one_language() {
    let site = clinic();
    let nav = |file: &str| -> String {
        let html = site.read(file);
        let start = html.find("<nav class=\"site-nav\"").expect(file);
        html[start..start + html[start..].find("</nav>").unwrap()].to_string()
    };
    let en = nav("safety/index.html");
    assert!(
        en.contains("/clinic/treatment/") && en.contains("/clinic/about/"),
        "{en}"
    );
    assert!(
        !en.contains("/clinic/es/") && !en.contains("/clinic/ar/"),
        "{en}"
    );
    let es = nav("es/safety/index.html");
    assert!(es.contains("aria-label=\"Principal\""), "{es}");
    assert!(
        es.contains("<a href=\"/clinic/es/treatment/\">Tratamiento</a>"),
        "{es}"
    );
    assert!(
        !es.contains("/clinic/treatment/") && !es.contains("/clinic/about/"),
        "{es}"
    );
    // The breadcrumb and the site title lead to the language's home.
    let es_page = site.read("es/treatment/sessions/index.html");
    assert!(
        es_page.contains("<a class=\"site-title\" href=\"/clinic/es/\">Guía de la clínica</a>")
    );
    assert!(es_page.contains("<li><a href=\"/clinic/es/\">Guía de la clínica</a></li>\n<li><a href=\"/clinic/es/treatment/\">Tratamiento</a></li>"));

    // One feed per language, linked from its pages, with only its pages.
    let feed_es = site.read("es/atom.xml");
    assert!(feed_es.contains("xml:lang=\"es\""));
    assert!(feed_es.contains("<title>Seguridad</title>"));
    assert!(!feed_es.contains("<title>Safety</title>") && !feed_es.contains("السلامة"));
    let feed_en = site.read("atom.xml");
    assert!(feed_en.contains("<title>Safety</title>") && !feed_en.contains("Seguridad"));
    assert!(site.read("ar/atom.xml").contains("<title>السلامة</title>"));
    assert!(es_page.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Guía de la clínica\" href=\"/clinic/es/atom.xml\">"));

    // The sitemap lists every page with its alternates.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let entry = sitemap
        .split("<url>")
        .find(|u| u.contains("<loc>https://clinic.example/clinic/es/safety/</loc>"))
        .unwrap();
    for (lang, url) in [
        ("en-GB", "safety/"),
        ("es", "es/safety/"),
        ("ar", "ar/safety/"),
    ] {
        assert!(
            entry.contains(&format!("<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"https://clinic.example/clinic/{url}\"/>")),
            "{entry}"
        );
    }

    // One search index per language: each lists only its own pages, and
    // each page's search box uses its language's index and messages.
    let pages = |dir: &str| site.read(&format!("{dir}/pages/0.json"));
    let en_pages = pages("search/index");
    let es_pages = pages("es/search/index");
    let ar_pages = pages("ar/search/index");
    assert!(en_pages.contains("/clinic/safety/") && !en_pages.contains("/clinic/es/"));
    assert!(es_pages.contains("/clinic/es/safety/") && !es_pages.contains("\"/clinic/safety/\""));
    assert!(ar_pages.contains("/clinic/ar/safety/") && !ar_pages.contains("/clinic/es/"));
    assert!(es_page.contains("action=\"/clinic/es/search/\" method=\"get\" data-search-index=\"/clinic/es/search/index/\" data-search-script=\"/clinic/search/search.js\""));
    assert!(es_page.contains("&quot;none&quot;:&quot;No hay resultados para «{query}»&quot;"));
    // The Spanish search page lists Spanish pages for readers without JS.
    let es_search = site.read("es/search/index.html");
    assert!(es_search.contains("<a href=\"/clinic/es/safety/\">Seguridad</a>"));
    assert!(!es_search.contains("<a href=\"/clinic/safety/\">"));
}

#[test]
fn theme_strings_and_dates_are_in_the_pages_language() {
    let site = clinic();
    let es = site.read("es/safety/index.html");
    for s in [
        "<a class=\"skip-link\" href=\"#main\">Ir al contenido principal</a>",
        "<summary>En esta página</summary>",
        "<p class=\"takeaways-title\">Puntos clave</p>",
        "<p class=\"callout-label\">Advertencia</p>",
        "<p>Última revisión de la página: <time datetime=\"2026-11-20\">20 de noviembre de 2026</time></p>",
        "<p>Revisado por: Dra. Ana Ruiz, MD</p>",
        "<p>Última actualización: <time datetime=\"2026-11-20\">20 de noviembre de 2026</time></p>",
        "<p>Próxima revisión: <time datetime=\"2027-11-20\">20 de noviembre de 2027</time></p>",
        ">Tema oscuro</button>",
    ] {
        assert!(es.contains(s), "missing {s}");
    }
    let ar = site.read("ar/safety/index.html");
    for s in [
        "<summary>في هذه الصفحة</summary>",
        "<p class=\"callout-label\">تحذير</p>",
        "<p class=\"takeaways-title\">النقاط الرئيسية</p>",
    ] {
        assert!(ar.contains(s), "missing {s}");
    }
    // Arabic dates from CLDR: the Arabic month name.
    assert!(
        ar.contains("<time datetime=\"2026-11-20\">20 نوفمبر 2026</time>"),
        "{ar}"
    );
    // English (en-GB): day first.
    let en = site.read("safety/index.html");
    assert!(en.contains(
        "<p>Page last reviewed: <time datetime=\"2026-11-20\">20 November 2026</time></p>"
    ));
    assert!(en.contains("<p class=\"callout-label\">Warning</p>"));
    // The 404 page is the default language's.
    assert!(site.read("404.html").contains("<h1>Page not found</h1>"));
}

#[test]
fn a_site_overrides_theme_strings_and_is_told_what_a_language_lacks() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: T\nlanguages:\n  - code: de\n    title: Leitfaden\n",
    )
    .write("content/a.md", "# A\n\n## One\n\n## Two\n")
    .write("content/de/a.md", "# A\n\n## Eins\n\n## Zwei\n")
    .write("i18n/de.yaml", "on_this_page: Auf dieser Seite\n")
    .write("i18n/en.yaml", "on_this_page: Contents\n");
    let report = site.build_ok();
    assert!(
        site.read("de/a/index.html")
            .contains("<summary>Auf dieser Seite</summary>")
    );
    // English elsewhere, with a warning naming the language.
    assert!(
        site.read("de/a/index.html")
            .contains("<p class=\"takeaways-title\">")
            || site.read("de/a/index.html").contains(">Search<")
    );
    assert!(
        site.read("a/index.html")
            .contains("<summary>Contents</summary>")
    );
    let warned: Vec<String> = report.warnings.iter().map(|d| d.message.clone()).collect();
    assert!(
        warned
            .iter()
            .any(|m| m.contains("have no `de` translation") && m.contains("shown in English")),
        "{warned:?}"
    );
    // A language without its own name is called by its tag in the
    // switcher, never "English".
    let switcher = site.read("a/index.html");
    assert!(
        switcher.contains("hreflang=\"de\" lang=\"de\" dir=\"ltr\">de</a>"),
        "{switcher}"
    );
    // (A rebuild follows an edited strings file: they are part of what
    // every page's HTML is made from.)
    site.write(
        "i18n/de.yaml",
        "on_this_page: Auf dieser Seite\nlanguage_name: Deutsch\n",
    )
    .build_ok();
    assert!(
        site.read("a/index.html")
            .contains("dir=\"ltr\">Deutsch</a>")
    );
    // A strings file that is not a map of texts is a located error.
    site.write("i18n/de.yaml", "on_this_page: [a, b]\n");
    let errs = site.build_err();
    assert_eq!(
        errs[0].path.as_deref(),
        Some(std::path::Path::new("i18n/de.yaml"))
    );
    assert_eq!((errs[0].line, errs[0].column), (1, 15), "{:?}", errs[0]);
    // A broken file read for two languages (en.yaml for en-GB's strings and
    // for the English fallback) is one error.
    site.write("i18n/de.yaml", "on_this_page: Auf dieser Seite\n")
        .write("i18n/en.yaml", "on_this_page: [a]\n")
        .write(
            "site.yaml",
            "title: T\nlanguage: en-GB\nlanguages:\n  - code: de\n",
        );
    let errs = site.build_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
}

#[test]
fn languages_in_site_yaml_are_checked() {
    let site = Site::empty();
    crate::common::assert_site_yaml_errors(
        &site,
        &[
            (
                "languages:\n  - code: es\n  - code: es\n",
                "language `es` is listed twice",
            ),
            (
                "language: en\nlanguages:\n  - code: en\n",
                "language `en` is listed twice",
            ),
            ("languages:\n  - code: \"e s\"\n", "is not a language tag"),
            (
                "languages:\n  - code: es\n    path: /a/../b/\n",
                "is not a URL folder",
            ),
            (
                "languages:\n  - code: es\n  - code: fr\n    path: /es/\n",
                "two languages use the URL path /es/",
            ),
            ("languages:\n  - code: es\n    colour: red\n", "colour"),
            (
                "languages:\n  - code: es\n    path: /español/\n",
                "is not a URL folder",
            ),
            (
                "taxonomies: [tags]\nlanguages:\n  - code: es\n    path: /tags/\n",
                "where docent puts its own pages",
            ),
            (
                "languages:\n  - code: search\n",
                "where docent puts its own pages",
            ),
        ],
    );
}

#[test]
fn a_language_can_live_under_another_path_and_without_a_home_file() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Guide\nlanguages:\n  - code: es\n    path: /espanol/\n    title: Guía\n",
    )
    .write("content/a.md", "# A\n")
    .write("content/es/a.md", "# A es\n")
    .build_ok();
    let html = site.read("espanol/a/index.html");
    assert!(html.contains("<html lang=\"es\" dir=\"ltr\">"));
    // hreflang links need absolute addresses: none with a path base URL,
    // but the switcher links the versions.
    assert!(!html.contains("<link rel=\"alternate\" hreflang="));
    assert!(html.contains("<a href=\"/a/\" hreflang=\"en\" lang=\"en\" dir=\"ltr\">English</a>"));
    // The Spanish home is made when content/es/_index.md is missing.
    let home = site.read("espanol/index.html");
    assert!(home.contains("<title>Guía</title>"), "{home}");
    assert!(!site.public().join("es").exists());
    // content/es/index.md is the home when there is no _index.md (as for
    // the default language).
    site.write("content/es/index.md", "# Inicio\n\nHola.\n")
        .build_ok();
    let home = site.read("espanol/index.html");
    assert!(
        home.contains("<h1>Inicio</h1>") && home.contains("Hola."),
        "{home}"
    );
    // ... and the English pages stay under the English home.
    let a = site.read("a/index.html");
    assert!(a.contains("<li><a href=\"/\">Guide</a></li>"), "{a}");
    assert!(
        !home.contains("href=\"/a/\">A</a></li>\n</ul>\n</nav>"),
        "{home}"
    );
}

#[test]
fn a_translation_beside_its_source_is_refused_with_the_folder_to_use() {
    let site = Site::empty();
    site.write("site.yaml", "title: T\nlanguages:\n  - code: es\n")
        .write("content/guide/a.md", "# A\n")
        .write("content/guide/a.es.md", "# A\n");
    let errs = site.build_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].kind, Kind::InvalidValue);
    assert!(
        errs[0]
            .message
            .contains("content/guide/a.es.md looks like a `es` translation")
    );
    assert!(
        errs[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("move it to content/es/guide/a.md"),
        "{:?}",
        errs[0].hint
    );
}

#[test]
fn an_edited_source_makes_its_translation_stale_until_its_record_is_updated() {
    let site = clinic();
    assert!(
        !site
            .read("es/safety/index.html")
            .contains("translation-notice")
    );
    let clean = docent::check::run_at(site.root());
    assert!(
        clean
            .findings
            .iter()
            .all(|f| !f.check.starts_with("translation")),
        "{:?}",
        clean.findings
    );

    // Edit the English page's body.
    let path = site.root().join("content/safety.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace(
            "usually\npass within a day.",
            "usually\npass within a day or two.",
        ),
    )
    .unwrap();
    let r = docent::check::run_at(site.root());
    let stale: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.check == "translation-stale")
        .collect();
    assert_eq!(stale.len(), 2, "Spanish and Arabic: {:?}", r.findings);
    let es = stale
        .iter()
        .find(|f| f.diagnostic.location().starts_with("content/es/safety.md"))
        .unwrap();
    assert_eq!(es.severity, docent::check::Severity::Warning);
    assert!(
        es.diagnostic.message.contains("content/es/safety.md may be out of date: content/safety.md changed since it was translated (body)"),
        "{}",
        es.diagnostic.message
    );
    let hint = es.diagnostic.hint.clone().unwrap();
    let record = hint
        .split("`source_hash: ")
        .nth(1)
        .and_then(|s| s.split('`').next())
        .unwrap()
        .to_string();
    // `--strict` fails on it.
    let strict = Command::new(env!("CARGO_BIN_EXE_docent"))
        .args(["check", "--strict", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(!strict.status.success());

    // The rebuilt page tells readers, linking the source.
    site.build_ok();
    let page = site.read("es/safety/index.html");
    assert!(page.contains("<p class=\"translation-notice\" role=\"note\">Puede que esta traducción no esté al día: el original (English) ha cambiado desde que se tradujo. <a href=\"/clinic/safety/\">Leer el original (English)</a></p>"), "{page}");
    assert!(!site.read("es/index.html").contains("translation-notice"));

    // A title change is named as such.
    std::fs::write(
        &path,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace("title: Safety", "title: Safety and side effects"),
    )
    .unwrap();
    let r = docent::check::run_at(site.root());
    let msg = &r
        .findings
        .iter()
        .find(|f| {
            f.check == "translation-stale" && f.diagnostic.location().starts_with("content/es/")
        })
        .unwrap()
        .diagnostic
        .message;
    assert!(msg.ends_with("(title, body)"), "{msg}");

    // Updating the translation's record clears the warning and the notice.
    let record = docent::check::run_at(site.root())
        .findings
        .iter()
        .find(|f| {
            f.check == "translation-stale" && f.diagnostic.location().starts_with("content/es/")
        })
        .and_then(|f| f.diagnostic.hint.clone())
        .and_then(|h| {
            h.split("`source_hash: ")
                .nth(1)
                .and_then(|s| s.split('`').next())
                .map(str::to_string)
        })
        .unwrap_or(record);
    let es_path = site.root().join("content/es/safety.md");
    let es_text = std::fs::read_to_string(&es_path).unwrap();
    let old = es_text
        .lines()
        .find(|l| l.trim_start().starts_with("source_hash:"))
        .unwrap()
        .to_string();
    std::fs::write(
        &es_path,
        es_text.replace(&old, &format!("  source_hash: {record}")),
    )
    .unwrap();
    let r = docent::check::run_at(site.root());
    assert!(
        r.findings.iter().all(|f| !(f.check == "translation-stale"
            && f.diagnostic.location().starts_with("content/es/"))),
        "{:?}",
        r.findings
    );
    site.build_ok();
    assert!(
        !site
            .read("es/safety/index.html")
            .contains("translation-notice")
    );
    assert!(
        site.read("ar/safety/index.html")
            .contains("translation-notice")
    );
}

#[test]
fn an_updated_date_record_is_stale_when_the_source_is_updated_later() {
    let site = Site::empty();
    site.write("site.yaml", "title: T\nlanguages:\n  - code: es\n")
        .write(
            "content/a.md",
            "---\ntitle: A\nupdated: 2026-05-01\n---\nText.\n",
        )
        .write(
            "content/es/a.md",
            "---\ntitle: A es\ntranslates:\n  updated: 2026-05-01\n---\nTexto.\n",
        )
        .build_ok();
    assert!(!site.read("es/a/index.html").contains("translation-notice"));
    site.write(
        "content/a.md",
        "---\ntitle: A\nupdated: 2026-06-01\n---\nText.\n",
    )
    .build_ok();
    assert!(site.read("es/a/index.html").contains("translation-notice"));
    let r = docent::check::run_at(site.root());
    assert!(
        r.findings
            .iter()
            .any(|f| f.check == "translation-stale" && f.diagnostic.message.ends_with("(updated)"))
    );
    // A record that is not docent's is a located error.
    site.write(
        "content/es/a.md",
        "---\ntitle: A es\ntranslates:\n  source_hash: nonsense\n---\nTexto.\n",
    );
    let r = docent::check::run_at(site.root());
    let bad = r
        .findings
        .iter()
        .find(|f| f.check == "translation-record")
        .unwrap();
    assert_eq!(bad.diagnostic.location(), "content/es/a.md:4:3");
}

#[test]
fn new_lang_writes_a_draft_translation_with_its_record() {
    let site = clinic();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_docent"))
            .args(args)
            .arg("--root")
            .arg(site.root())
            .output()
            .unwrap()
    };
    let out = run(&["new", "--lang", "ar", "treatment/sessions.md"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text =
        std::fs::read_to_string(site.root().join("content/ar/treatment/sessions.md")).unwrap();
    assert!(
        text.starts_with("---\ntitle: Sessions\ndate: 2026-01-12\ntranslates:\n  source_hash: "),
        "{text}"
    );
    assert!(
        text.contains("\ndraft: true\n---\n## Before a session\n"),
        "{text}"
    );
    // The record is the source's as it is: check finds nothing stale.
    let r = docent::check::run_at(site.root());
    assert!(
        r.findings
            .iter()
            .all(|f| !f.check.starts_with("translation")),
        "{:?}",
        r.findings
    );
    // Never overwrites; unknown language and page are clear errors.
    let again = run(&["new", "--lang", "ar", "treatment/sessions.md"]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let fr = run(&["new", "--lang", "fr", "safety.md"]);
    assert!(
        String::from_utf8_lossy(&fr.stderr)
            .contains("`fr` is not one of the site's other languages (es, ar)")
    );
    let missing = run(&["new", "--lang", "es", "nope.md"]);
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .contains("content/nope.md is not a page of the default language")
    );
}

#[test]
fn a_single_language_site_has_no_switcher_or_alternates() {
    let site = Site::empty();
    site.write("site.yaml", "title: T\nbase_url: https://e.org/\n")
        .write("content/a.md", "# A\n")
        .build_ok();
    let html = site.read("a/index.html");
    assert!(!html.contains("language-switcher") && !html.contains("hreflang"));
    assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(site.read("sitemap.xml").matches("xhtml:link").count() == 0);
}

#[test]
fn the_english_reading_grade_is_not_applied_to_other_languages() {
    let site = Site::empty();
    // Long words and one long sentence: a high grade by Flesch–Kincaid.
    let dense = "Pharmacological considerations notwithstanding, interdisciplinary \
        psychotherapeutic interventions necessitate comprehensive individualized \
        assessment procedures, multidimensional outcome evaluation methodologies, \
        longitudinal observational verification, institutional authorization, \
        documentation requirements, standardized administration protocols, \
        regulatory communication responsibilities and considerable organizational \
        coordination capabilities throughout implementation periods everywhere.\n";
    site.write("site.yaml", "title: T\nlanguages:\n  - code: es\n")
        .write("content/a.md", &format!("# A\n\n{dense}\n{dense}"))
        .write("content/es/a.md", &format!("# A\n\n{dense}\n{dense}"));
    let r = docent::check::run_at(site.root());
    let flagged: Vec<String> = r
        .findings
        .iter()
        .filter(|f| f.check == "readability")
        .map(|f| f.diagnostic.location())
        .collect();
    assert_eq!(flagged, ["content/a.md"]);
    let es = r.pages.iter().find(|p| p.path.contains("es/a.md")).unwrap();
    assert_eq!(es.figures.grade, None);
}

#[test]
fn the_newsletter_form_speaks_each_pages_language() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: T\nlanguages:\n  - code: es\n  - code: ar\nnewsletter:\n  action: https://news.example/subscribe\n  heading: Hear when the evidence changes\n  blurb: One email a month.\n  button: Sign me up\n",
    )
    .write("content/a.md", "# A\n")
    .write("content/es/a.md", "# A\n")
    .write("content/ar/a.md", "# A\n")
    .write("i18n/es.yaml", "newsletter_blurb: Un correo al mes.\n")
    .build_ok();
    let en = site.read("a/index.html");
    assert!(
        en.contains(">Hear when the evidence changes</h2>")
            && en.contains("<p>One email a month.</p>")
    );
    assert!(en.contains(">Sign me up</button>") && en.contains(">Email address</label>"));
    let es = site.read("es/a/index.html");
    assert!(es.contains(">Recibe novedades por correo</h2>"), "{es}");
    assert!(es.contains("<p>Un correo al mes.</p>") && es.contains(">Suscribirme</button>"));
    assert!(es.contains(">Correo electrónico</label>"));
    // No Arabic blurb: none rather than the English one.
    let ar = site.read("ar/a/index.html");
    assert!(ar.contains(">اشترك</button>") && !ar.contains("One email a month."));
    // The form still posts to the one provider.
    assert!(ar.contains("action=\"https://news.example/subscribe\""));
}

#[test]
fn tables_write_numbers_as_each_pages_language_does() {
    let site = Site::empty();
    let table = "# T\n\n```{table}\ndata: n.yaml\n```\n";
    site.write("site.yaml", "title: T\nlanguage: en-GB\nlanguages:\n  - code: es\n")
        .write(
            "content/_data/n.yaml",
            "caption: Counts\ncolumns:\n  - {key: what, label: What, type: text}\n  - {key: n, label: People, type: number}\n  - {key: p, label: Share, type: percent}\nrows:\n  - {what: a, n: 12345.5, p: 12.5}\n",
        )
        .write("content/t.md", table)
        .write("content/es/t.md", table)
        .build_ok();
    let en = site.read("t/index.html");
    assert!(en.contains(">12,345.5<") && en.contains(">12.5%<"), "{en}");
    let es = site.read("es/t/index.html");
    assert!(
        es.contains(">12.345,5<") && es.contains(">12,5\u{a0}%<"),
        "{es}"
    );
}

#[test]
fn topic_pages_list_the_default_languages_pages_and_translations_terms_are_reported() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: T\ntaxonomies: [tags]\nlanguages:\n  - code: es\n",
    )
    .write(
        "content/a.md",
        "---\ntitle: Heart\ntags: [Safety]\n---\nText.\n",
    )
    .write(
        "content/es/a.md",
        "---\ntitle: Corazón\ntags: [Safety]\n---\nTexto.\n",
    );
    let report = site.build_ok();
    let term = site.read("tags/safety/index.html");
    assert!(
        term.contains(">Heart</a>") && !term.contains("Corazón"),
        "{term}"
    );
    // The translation links to no English topic page.
    assert!(!site.read("es/a/index.html").contains("/tags/safety/"));
    let w = report
        .warnings
        .iter()
        .find(|d| {
            d.message
                .contains("topic terms are listed for pages of the default language only")
        })
        .unwrap_or_else(|| panic!("{:?}", report.warnings));
    assert_eq!(w.location(), "content/es/a.md:3:1");
}
