//! Components, callouts, citations, glossary and review metadata, on the
//! fixture site tests/fixtures/components/all (and broken copies of it).

use crate::common::{self, Site};
use docent::Kind;

/// The fixture, built once for every test here that only reads it (tests
/// that change files take their own copy).
fn built() -> &'static Site {
    static BUILT: std::sync::OnceLock<Site> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let site = Site::fixture_shared("components/all");
        let mut opts = site.opts();
        opts.today = Some("2025-10-01".into());
        let report = docent::build(&opts).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        site
    })
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"));
    let rest = &html[from..];
    &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
}

fn jsonld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| {
            serde_json::from_str(s.split("</script>").next().unwrap()).expect("JSON-LD parses")
        })
        .collect()
}

#[test]
fn table_component_renders_a_real_table_from_yaml() {
    let site = built();
    let html = site.read("evidence/index.html");
    let table = between(&html, "<div class=\"data-table ", "</table>");
    // Sized by its column count (it stacks into labelled rows when narrow).
    assert!(
        table.starts_with("<div class=\"data-table cols-8 size-l\">"),
        "{table}"
    );
    assert!(table.contains("<caption id=\"table-"), "{table}");
    assert!(table.contains("Phase 3 trials of MDMA-assisted therapy</caption>"));
    assert!(table.contains("<th scope=\"col\" class=\"align-right\">People randomised</th>"));
    assert!(table.contains("<th scope=\"col\" class=\"align-right\">CAPS-5 change (points)</th>"));
    // Row headers, number formats, sort by -n (MAPP2 first), citations and Markdown cells.
    assert!(table.contains("<th scope=\"row\" class=\"align-left\">MAPP2</th>"));
    assert!(table.find("MAPP2").unwrap() < table.find("MAPP1").unwrap());
    // Each value cell carries its column's heading for the stacked layout.
    assert!(
        table.contains("<td class=\"align-right\" data-label=\"MDMA\">71.2%</td>"),
        "{table}"
    );
    assert!(
        table
            .contains("<td class=\"align-right\" data-label=\"CAPS-5 change (points)\">-24.4</td>")
    );
    assert!(table.contains(
        "<a class=\"citation\" href=\"#ref-mitchell2021\">(Mitchell &amp; Bogenschutz, 2021)</a>"
    ));
    assert!(table.contains("<em>no longer met</em> criteria"));
    // The second block: column subset, filter, caption override.
    let second = between(&html, "MAPP1 only</caption>", "</table>");
    assert!(second.contains("<th scope=\"col\" class=\"align-right\">MDMA</th></tr>"));
    assert!(!second.contains("MAPP2"));
    assert!(!second.contains("People randomised"));
}

#[test]
fn chart_is_accessible_text_with_numbers_as_a_table() {
    let site = built();
    let html = site.read("evidence/index.html");
    let chart = between(&html, "<figure class=\"chart\">", "</figure>");
    // One image to assistive technology, named by the caption and
    // described by a summary of every value.
    assert!(
        chart.contains("role=\"img\" aria-labelledby=\"chart-"),
        "{chart}"
    );
    assert!(chart.contains("<p class=\"visually-hidden\" id=\"chart-"));
    assert!(chart.contains("MAPP1: MDMA 67%, Placebo 32%"), "{chart}");
    // Series labelled directly beside the bars, as text (wraps, never
    // clipped), not by colour alone.
    assert!(chart.contains(">MDMA: 67%</span>") && chart.contains(">Placebo: 32%</span>"));
    // Bars are lengths on a 0-100 scale (percent columns: of 100%), drawn
    // by stretched SVGs that scale with the container.
    assert_eq!(chart.matches("<rect class=\"chart-bar").count(), 4);
    assert!(chart.contains("viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\""));
    assert!(
        chart.contains("<rect class=\"chart-bar series-0\" width=\"67\" height=\"10\">"),
        "{chart}"
    );
    assert!(chart.contains("<summary>Show the numbers</summary>"));
    assert!(chart.contains("<td class=\"align-right\">47.6%</td>"));
    assert!(!chart.contains("<script"));
}

#[test]
fn a_testimonial_dates_its_age_and_says_what_kind_of_source_it_is() {
    let site = Site::fixture("components/all");
    let html = site
        .write(
            "content/voices.md",
            "---\ntitle: Voices\n---\n\n```{testimonial}\nquote: I felt more open.\nname: A participant\nage: 63\nyear: 2023\nsource: https://example.org/news\nsource_note: the press office of a trial site\n```\n",
        )
        .build_ok_then()
        .read("voices/index.html");
    assert!(
        html.contains("— A participant, age 63 at the time (2023). Source: <cite><a href=\"https://example.org/news\">example.org</a></cite> (the press office of a trial site)</figcaption>"),
        "{html}"
    );
    // An unknown field is still a located error.
    site.write(
        "content/voices.md",
        "---\ntitle: Voices\n---\n\n```{testimonial}\nquote: Q\nname: N\nsource: https://example.org/\nsource_kind: x\n```\n",
    );
    let errors = site.build().unwrap_err().to_string();
    assert!(errors.contains("content/voices.md:"), "{errors}");
    assert!(errors.contains("source_kind"), "{errors}");
}

#[test]
fn testimonials_faq_takeaways_figure_and_newsletter() {
    let site = built();
    let html = site.read("evidence/index.html");
    let t = between(&html, "<figure class=\"testimonial\">", "</figure>");
    assert!(t.contains("<blockquote>\n<p>I could look at memories I had avoided for years.</p>"));
    assert!(t.contains("— A trial participant, 36, veteran. Source: <cite><a href=\"https://example.org/interview\">example.org</a></cite>"), "{t}");
    assert!(html.contains(
        "— Another participant, 52. Source: <a class=\"citation\" href=\"#ref-mitchell2023\">"
    ));

    let faq = between(&html, "<div class=\"faq\">", "</div>\n</details>\n</div>");
    assert!(faq.contains(
        "<summary><h2 id=\"is-it-approved\" class=\"faq-question\">Is it approved?</h2></summary>"
    ));
    // Citations inside component Markdown link to the page's references,
    // and stay out of the FAQ's structured data.
    assert!(
        faq.contains("<strong>2024</strong> <a class=\"citation\" href=\"#ref-mitchell2023\">"),
        "{faq}"
    );
    let ld = jsonld(&html);
    let answer = ld
        .iter()
        .find(|v| v["@type"] == "FAQPage")
        .map(|v| v["mainEntity"][0]["acceptedAnswer"]["text"].clone())
        .unwrap();
    assert_eq!(answer, "No. The FDA declined in 2024.");
    let toc = between(&html, "<details class=\"toc\"", "</details>");
    assert!(
        toc.contains("href=\"#is-it-approved\"") && toc.contains("href=\"#is-it-safe\""),
        "{toc}"
    );
    assert!(toc.contains("href=\"#references\""));

    assert!(html.contains("<aside class=\"takeaways\" aria-label=\"In short\">"));
    assert!(html.contains(
        "<img src=\"/evidence/timeline.svg\" alt=\"A blue bar standing for the study timeline\""
    ));
    assert!(html.contains("<figcaption>The study timeline. <span class=\"credit\">Drawn for this fixture.</span></figcaption>"));
    assert!(site.public().join("evidence/timeline.svg").is_file());

    let home = site.read("index.html");
    assert!(home.contains("<aside class=\"takeaways\" aria-label=\"Key takeaways\">"));
    assert!(home.contains("<li>Two <strong>phase 3</strong> trials found benefits.</li>"));
    assert!(
        home.contains("id=\"newsletter-inline-"),
        "inline {{newsletter}} block"
    );
    assert_eq!(
        home.matches("<form class=\"newsletter-form\"").count(),
        2,
        "footer form and inline form"
    );
}

#[test]
fn callouts_have_a_label_and_an_accessible_name() {
    let site = built();
    let home = site.read("index.html");
    for (class, label) in [
        ("note", "Note"),
        ("tip", "Tip"),
        ("important", "Important"),
        ("warning", "Warning"),
        ("caution", "Caution"),
    ] {
        let expected = format!(
            "<aside class=\"callout callout-{class}\" aria-label=\"{label}\">\n<p class=\"callout-label\">{label}</p>"
        );
        assert!(home.contains(&expected), "{class}");
    }
}

#[test]
fn the_generated_pages_lists_are_templates_a_site_can_replace() {
    let site = Site::fixture("components/all");
    site.write(
        "templates/generated/glossary.html",
        "<ul class=\"terms\">{% for t in terms %}<li id=\"{{ t.id }}\">{{ t.term }}: {{ t.definition | safe }}</li>{% endfor %}</ul>\n",
    )
    .write(
        "templates/generated/references.html",
        "<ul>{% for r in references %}<li id=\"{{ r.id }}\">{{ r.html | safe }} ({{ r.cited_on | length }} pages){% if r.retracted %} RETRACTED{% endif %}</li>{% endfor %}</ul>\n",
    )
    .write(
        "templates/generated/search.html",
        "<form action=\"{{ search.url }}\"></form><p>{{ search.pages | length }} pages</p>\n",
    )
    .build_ok();
    let glossary = site.read("glossary/index.html");
    assert!(
        glossary.contains("<ul class=\"terms\"><li id=\"term-phase-3\">Phase 3: ")
            && glossary.contains("<li id=\"term-placebo\">Placebo: <p>An inactive treatment"),
        "{glossary}"
    );
    let references = site.read("references/index.html");
    assert!(
        references.contains("<li id=\"ref-jerome2020\">"),
        "{references}"
    );
    assert!(references.contains(" RETRACTED</li>"), "{references}");
    assert!(
        references.contains("(0 pages)"),
        "an uncited reference: {references}"
    );
    let search = site.read("search/index.html");
    assert!(
        search.contains("<form action=\"/search/\"></form><p>"),
        "{search}"
    );
    // Citations on pages still point at the references' ids.
    assert!(
        site.read("evidence/index.html")
            .contains("href=\"#ref-mitchell2023\"")
    );
    // A page's own reference list is a template too.
    site.write(
        "templates/references.html",
        "<section aria-labelledby=\"{{ id }}\"><h2 id=\"{{ id }}\">Sources</h2>{% for r in references %}<p id=\"{{ r.id }}\">{{ r.html | safe }}</p>{% endfor %}</section>\n",
    )
    .build_ok();
    let evidence = site.read("evidence/index.html");
    assert!(
        evidence.contains("<h2 id=\"references\">Sources</h2><p id=\"ref-"),
        "{evidence}"
    );
    // A broken one is a located template error.
    site.write("templates/generated/glossary.html", "{% for t in %}");
    let text: String = site.build_err().iter().map(|d| d.render("error")).collect();
    assert!(
        text.contains("templates/generated/glossary.html:1:"),
        "{text}"
    );
}

#[test]
fn broken_generated_and_search_templates_are_reported_in_one_build() {
    // Both are rendered after every page: one build names both, so an
    // editor does not fix one and only then meet the other.
    let site = Site::fixture("components/all");
    site.write(
        "templates/generated/references.html",
        "{{ references.missing.field }}",
    )
    .write(
        "templates/generated/search.html",
        "{{ search.nope.deeper }}",
    );
    let text: String = site.build_err().iter().map(|d| d.render("error")).collect();
    assert!(
        text.contains("templates/generated/references.html:1:"),
        "{text}"
    );
    assert!(
        text.contains("templates/generated/search.html:1:"),
        "{text}"
    );
}

#[test]
fn headings_come_from_heading_html_and_its_fast_path_matches_it() {
    // docent writes the built-in heading.html in Rust for speed; a site
    // with that very template must get the same bytes everywhere.
    const BUILT_IN: &str = include_str!("../../src/render/builtin/heading.html");
    let page = "---\ntitle: Heads\n---\n\n## Plain heading\n\n## With `code` and *em*\n\n\
                ## See [the FDA](https://www.fda.gov/)\n\n### Classes {#custom .a .b data-x=a&b}\n\n\
                ## Quotes \"and\" <b>tags</b> & ampersands\n\n#### Deep é heading\n\n## Plain heading\n";
    let fast = Site::fixture("components/all");
    fast.write("content/heads.md", page).build_ok();
    let templated = Site::fixture("components/all");
    templated
        .write("content/heads.md", page)
        .write("templates/heading.html", BUILT_IN)
        .build_ok();
    let mut compared = 0;
    for (rel, bytes, _) in common::snapshot_tree(&fast.public()) {
        let rel = rel.to_string_lossy().to_string();
        if rel.starts_with(".docent") || !rel.ends_with(".html") {
            continue;
        }
        let other = std::fs::read(templated.public().join(&rel)).unwrap();
        assert!(
            bytes == other,
            "{rel} differs between the fast path and the template"
        );
        compared += 1;
    }
    assert!(compared > 5, "{compared} pages compared");
    let heads = fast.read("heads/index.html");
    assert!(
        heads.contains("<h3 id=\"custom\" class=\"a b\" data-x=\"a&amp;b\">"),
        "{heads}"
    );
    assert!(
        heads.contains("<div class=\"heading\"><h2 id=\"see-the-fda\">"),
        "{heads}"
    );

    // A theme of its own changes every heading.
    let own = Site::fixture("components/all");
    own.write(
        "templates/heading.html",
        "<h{{ level }} id=\"{{ id }}\">{{ body | safe }} <a href=\"#{{ id }}\">¶</a></h{{ level }}>\n",
    )
    .build_ok();
    let home = own.read("index.html");
    assert!(home.contains("<a href=\"#"), "{home}");
    assert!(!home.contains("class=\"heading-link\""), "{home}");
}

#[test]
fn a_site_can_restyle_callouts_with_its_own_template() {
    let site = Site::fixture("components/all");
    let home = site
        .write(
            "templates/callout.html",
            "<div class=\"box {{ kind }}\" role=\"note\"><strong>{{ label }}:</strong>\n{{ body | safe }}</div>\n",
        )
        .build_ok_then()
        .read("index.html");
    assert!(
        home.contains("<div class=\"box warning\" role=\"note\"><strong>Warning:</strong>"),
        "{home}"
    );
    assert!(!home.contains("class=\"callout "), "{home}");
    // A wrapper that forgets its body is a clear error.
    site.write("templates/callout.html", "<div>{{ label }}</div>\n");
    let text: String = site.build_err().iter().map(|d| d.render("error")).collect();
    assert!(
        text.contains("must print `{{ body | safe }}` exactly once"),
        "{text}"
    );
    assert!(text.contains("callout at line"), "{text}");
}

#[test]
fn citations_link_to_the_page_references_and_never_expand_in_code() {
    let site = built();
    let html = site.read("evidence/index.html");
    assert!(html.contains("<a class=\"citation\" href=\"#ref-mitchell2023\">(Mitchell &amp; Ot&#39;alora G., 2023, p. 2475)</a>"));
    assert!(html.contains("<a class=\"citation\" href=\"#references\">(Mitchell &amp; Bogenschutz, 2021; Mitchell &amp; Ot&#39;alora G., 2023)</a>"));
    assert!(html.contains("<code>[@notakey]</code>"));
    assert!(html.contains("[@alsonotakey] placebo\n</code></pre>"));
    let refs = between(&html, "<section class=\"references\"", "</section>");
    assert_eq!(
        refs.matches("<li id=\"ref-").count(),
        3,
        "only works cited on this page: {refs}"
    );
    assert!(!refs.contains("uncited2011"));
    assert!(refs.contains("https://doi.org/10.1038/s41591-021-01336-3"));
    // A retracted work is marked where cited and in the list.
    assert!(html.contains(
        "(Jerome &amp; Feduccia, 2020)</a> <span class=\"retracted-flag\">(retracted)</span>"
    ));
    assert!(
        refs.contains("<li id=\"ref-jerome2020\"><strong class=\"retracted\">Retracted.</strong>")
    );
    // The bibliography is data, not published.
    assert!(!site.public().join("references.yaml").exists());
}

#[test]
fn generated_bibliography_lists_every_reference_and_its_pages() {
    let site = built();
    let html = site.read("references/index.html");
    assert_eq!(html.matches("<li id=\"ref-").count(), 4);
    assert!(html.contains("Cited on: <a href=\"/evidence/\">Evidence</a>."));
    assert!(
        html.contains("<li id=\"ref-uncited2011\">") && html.contains("Not cited on any page.")
    );
}

#[test]
fn glossary_links_first_use_only_outside_headings_links_and_code() {
    let site = built();
    let home = site.read("index.html");
    assert_eq!(
        home.matches("class=\"glossary-term\"").count(),
        1,
        "PTSD linked once"
    );
    assert!(home.contains("<a class=\"glossary-term\" href=\"/glossary/#term-ptsd\" aria-describedby=\"gl-1\">PTSD</a><span class=\"glossary-tip\" role=\"tooltip\" id=\"gl-1\" data-search-ignore>A mental health condition that can follow a traumatic event.</span>"));
    let evidence = site.read("evidence/index.html");
    assert!(evidence.contains("A <a class=\"glossary-term\" href=\"/glossary/#term-placebo\""));
    assert!(!evidence.contains("<code>[@notakey]</code> and <a class=\"glossary-term\""));
    let glossary = site.read("glossary/index.html");
    assert!(glossary.contains("<dt id=\"term-ptsd\"><dfn>PTSD</dfn> <span class=\"aliases\">(also: post-traumatic stress disorder)</span></dt>"));
    assert!(glossary.contains("<dd><p>A mental health condition that can follow a <strong>traumatic</strong> event.</p></dd>"));

    // Not in headings or links: a term there is left alone, and the first
    // use in prose is linked (on a copy: the built fixture is shared).
    let site = Site::fixture("components/all");
    let page = std::fs::read_to_string(site.root().join("content/_index.md")).unwrap();
    site.write(
        "content/_index.md",
        &page.replacen(
            "A page about PTSD",
            "## PTSD in a heading\n\nSee [PTSD](https://example.org/ptsd) then PTSD",
            1,
        ),
    );
    docent::build(&site.opts()).unwrap();
    let home = site.read("index.html");
    assert!(
        home.contains("<h2 id=\"ptsd-in-a-heading\"><a class=\"heading-link\" href=\"#ptsd-in-a-heading\">PTSD in a heading</a></h2>"),
        "{home}"
    );
    assert!(
        home.contains(
            "<a href=\"https://example.org/ptsd\">PTSD</a> then <a class=\"glossary-term\""
        )
    );
    site.write("content/_index.md", &page);

    // glossary: false turns it off for a page.
    let page = std::fs::read_to_string(site.root().join("content/_index.md")).unwrap();
    site.write(
        "content/_index.md",
        &page.replacen("takeaways:", "glossary: false\ntakeaways:", 1),
    );
    docent::build(&site.opts()).unwrap();
    assert!(!site.read("index.html").contains("class=\"glossary-term\""));
}

#[test]
fn review_metadata_and_json_ld() {
    let site = built();
    let html = site.read("evidence/index.html");
    // Each field on its own line, so the date never reads as part of the
    // credentials.
    assert!(html.contains("<p>Page last reviewed: <time datetime=\"2025-09-04\">September 4, 2025</time></p>\n<p>Reviewed by: Dr Jane Example (MD, psychiatrist)</p>\n"), "{html}");
    assert!(
        html.contains(
            "<p>Next review due: <time datetime=\"2026-09-04\">September 4, 2026</time></p>"
        ),
        "interval_days: 365"
    );
    let blocks = jsonld(&html);
    let types: Vec<&str> = blocks
        .iter()
        .map(|b| b["@type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["MedicalWebPage", "BreadcrumbList", "FAQPage"]);
    let page = &blocks[0];
    assert_eq!(page["lastReviewed"], "2025-09-04");
    assert_eq!(
        page["reviewedBy"]["name"],
        "Dr Jane Example, MD, psychiatrist"
    );
    assert_eq!(page["medicalAudience"]["audienceType"], "Patient");
    assert_eq!(page["url"], "https://example.org/evidence/");
    let crumbs = &blocks[1]["itemListElement"];
    assert_eq!(crumbs[0]["item"], "https://example.org/");
    assert_eq!(crumbs[1]["name"], "Evidence");
    assert_eq!(crumbs[1]["position"], 2);
    let faq = &blocks[2];
    assert_eq!(faq["mainEntity"][0]["name"], "Is it approved?");
    assert_eq!(
        faq["mainEntity"][0]["acceptedAnswer"]["text"],
        "No. The FDA declined in 2024."
    );
    // Pages without review metadata carry no MedicalWebPage; the home page is the WebSite.
    let home = jsonld(&site.read("index.html"));
    assert_eq!(home.len(), 1);
    assert_eq!(home[0]["@type"], "WebSite");
    assert_eq!(home[0]["url"], "https://example.org/");
}

#[test]
fn overdue_review_warns_and_strict_fails_without_writing() {
    let site = Site::fixture("components/all");
    let mut opts = site.opts();
    opts.today = Some("2026-10-01".into());
    let report = docent::build(&opts).unwrap();
    assert_eq!(report.warnings.len(), 1);
    let w = &report.warnings[0];
    assert!(w.message.contains("due for review on 2026-09-04"), "{w}");
    assert_eq!(
        w.path.as_deref(),
        Some(std::path::Path::new("content/evidence/index.md"))
    );
    assert_eq!(w.line, 7);
    std::fs::remove_dir_all(site.public()).unwrap();
    opts.strict = true;
    assert!(docent::build(&opts).is_err());
    assert!(!site.public().exists());
}

#[test]
fn ama_style_numbers_citations() {
    let site = Site::fixture("components/all");
    let cfg = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &cfg.replace(
            "citation_style: apa",
            "citation_style: american-medical-association",
        ),
    );
    let mut opts = site.opts();
    opts.today = Some("2025-10-01".into());
    docent::build(&opts).unwrap();
    let html = site.read("evidence/index.html");
    assert!(
        html.contains("<a class=\"citation\" href=\"#ref-mitchell2021\"><sup>1</sup></a>"),
        "{}",
        between(&html, "MAPP1 found", "</p>")
    );
    let refs = between(&html, "<section class=\"references\"", "</section>");
    assert!(refs.contains("Mitchell JM, Bogenschutz M."), "{refs}");
}

// ---- errors, each naming the file and line ----

fn docent_fixture_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn broken(edit: impl FnOnce(&Site)) -> Vec<docent::Diagnostic> {
    let site = Site::fixture("components/all");
    edit(&site);
    site.build_err()
}

fn replace_in(site: &Site, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.root().join(rel)).unwrap();
    assert!(text.contains(from), "{from} not in {rel}");
    site.write(rel, &text.replacen(from, to, 1));
}

#[test]
fn missing_data_file() {
    let d = broken(|s| {
        replace_in(
            s,
            "content/evidence/index.md",
            "data: studies.yaml\nsort: -n",
            "data: nope.yaml\nsort: -n",
        )
    });
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message.contains("data file `nope.yaml` not found"),
        "{}",
        d[0]
    );
    assert_eq!(
        d[0].path.as_deref(),
        Some(std::path::Path::new("content/evidence/index.md"))
    );
    assert_eq!(d[0].line, 32);
}

#[test]
fn bad_column_type_points_at_the_yaml_row() {
    let d = broken(|s| {
        replace_in(
            s,
            "content/evidence/studies.yaml",
            "    n: 104",
            "    n: lots",
        )
    });
    assert_eq!(d[0].kind, Kind::InvalidValue);
    assert!(
        d[0].message.contains("row 2: `n` should be an integer"),
        "{}",
        d[0]
    );
    assert_eq!(
        d[0].path.as_deref(),
        Some(std::path::Path::new("content/evidence/studies.yaml"))
    );
    assert_eq!((d[0].line, d[0].column), (23, 5));
}

#[test]
fn row_key_not_in_columns() {
    let d = broken(|s| {
        replace_in(
            s,
            "content/evidence/studies.yaml",
            "    placebo: 32\n",
            "    placebo: 32\n    placbo: 1\n",
        )
    });
    assert_eq!(d[0].kind, Kind::UnknownKey);
    assert!(d[0].message.contains("`placbo`"));
    assert!(
        d[0].hint
            .as_deref()
            .unwrap()
            .contains("did you mean `placebo`")
    );
    assert_eq!(d[0].line, 18);
}

#[test]
fn unknown_citation_key_suggests_the_closest() {
    let d = broken(|s| {
        replace_in(
            s,
            "content/evidence/index.md",
            "[@mitchell2021], and",
            "[@mitchel2021], and",
        )
    });
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("unknown citation key `@mitchel2021`"));
    assert!(
        d[0].hint
            .as_deref()
            .unwrap()
            .contains("did you mean `@mitchell2021`"),
        "{}",
        d[0]
    );
    assert_eq!((d[0].line, d[0].column), (11, 29));
}

#[test]
fn unknown_citation_key_in_a_component_is_located_in_the_page() {
    let d = broken(|s| {
        replace_in(
            s,
            "content/evidence/index.md",
            "[@mitchell2023, p. 2]",
            "[@mitchel2023]",
        )
    });
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("unknown citation key `@mitchel2023`"));
    assert!(d[0].path.as_ref().unwrap().ends_with("evidence/index.md"));
    let line = std::fs::read_to_string(
        docent_fixture_path("components/all").join("content/evidence/index.md"),
    )
    .unwrap()
    .lines()
    .position(|l| l.contains("[@mitchell2023, p. 2]"))
    .unwrap()
        + 1;
    assert_eq!(d[0].line, line, "{}", d[0]);
}

#[test]
fn citations_in_front_matter_takeaways_are_a_located_error() {
    let d = broken(|s| {
        let text = std::fs::read_to_string(s.root().join("content/_index.md")).unwrap();
        let (_, item) = text
            .lines()
            .skip_while(|l| !l.starts_with("takeaways:"))
            .find_map(|l| l.trim_start().strip_prefix("- ").map(|i| (l, i)))
            .expect("the home page has front-matter takeaways");
        replace_in(
            s,
            "content/_index.md",
            item,
            &format!("{item} [@mitchell2021]"),
        );
    });
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message.contains("citation `[@mitchell2021]`"),
        "{}",
        d[0]
    );
    assert!(d[0].line > 1);
}

#[test]
fn unknown_component_lists_known_ones() {
    let d = broken(|s| {
        replace_in(
            s,
            "content/evidence/index.md",
            "```{takeaways}",
            "```{takeaway}",
        )
    });
    assert_eq!(d[0].kind, Kind::UnknownTemplate);
    assert!(d[0].message.contains("unknown component `{takeaway}`"));
    let hint = d[0].hint.as_deref().unwrap();
    assert!(
        hint.contains("did you mean `{takeaways}`") && hint.contains("chart, faq, figure"),
        "{hint}"
    );
    assert_eq!(d[0].line, 22);
}

#[test]
fn images_need_alt_text() {
    let d = broken(|s| {
        replace_in(
            s,
            "content/evidence/index.md",
            "alt: A blue bar standing for the study timeline\n",
            "",
        )
    });
    assert!(d[0].message.contains("has no alt text"), "{}", d[0]);
    assert_eq!(d[0].line, 69);
    let d = broken(|s| {
        replace_in(
            s,
            "content/_index.md",
            "A page about",
            "![](x.png) A page about",
        )
    });
    assert!(d[0].message.contains("image without alt text"));
    assert_eq!((d[0].line, d[0].column), (9, 1));
}

#[test]
fn bad_yaml_in_a_component_is_located_in_the_page() {
    let d = broken(|s| {
        replace_in(
            s,
            "content/evidence/index.md",
            "data: studies.yaml\nsort: -n",
            "data: studies.yaml\nsort: [-n",
        )
    });
    assert_eq!(
        d[0].path.as_deref(),
        Some(std::path::Path::new("content/evidence/index.md"))
    );
    assert_eq!((d[0].line, d[0].column), (33, 7), "{}", d[0]);
    assert!(d[0].notes.iter().any(|n| n.contains("{table}")));
}

#[test]
fn a_site_can_add_its_own_component() {
    let site = Site::fixture("components/all");
    site.write(
        "templates/components/dose.html",
        "<p class=\"dose\">{{ amount }} mg</p>\n",
    );
    replace_in(
        &site,
        "content/_index.md",
        "## Callouts",
        "```{dose}\namount: 120\n```\n\n## Callouts",
    );
    docent::build(&site.opts()).unwrap();
    assert!(
        site.read("index.html")
            .contains("<p class=\"dose\">120 mg</p>")
    );
}

/// A small site written inline.
fn inline_site(files: &[(&str, &str)]) -> Site {
    let s = Site::bare();
    s.write("site.yaml", "title: Cards\nsearch: false\n");
    for (p, t) in files {
        s.write(p, t);
    }
    s
}

const CARDS: &str = "crisis:\n  kind: emergency\n  title: If you might act on thoughts of suicide\n  items:\n    - you have a plan\n  text: |\n    Call your **local emergency number** now.\npoison:\n  title: If you feel unwell after taking it\n  text: Get help soon.\n";

#[test]
fn urgent_cards_from_a_block_by_name_and_from_front_matter() {
    let s = inline_site(&[
        ("content/_data/urgent.yaml", CARDS),
        (
            "content/_index.md",
            "---\ntitle: Home\nurgent: crisis\n---\n\nText.\n\n```{urgent}\nref: poison\n```\n\n```{urgent}\ntitle: Written here\ntext: Do this.\n```\n",
        ),
        (
            "content/other.md",
            "---\ntitle: Other\nurgent: [poison, crisis]\n---\n\nText.\n",
        ),
    ]);
    s.build_ok();
    let home = s.read("index.html");
    // Front matter cards come first, at the top of the page.
    let top = home.find("care-card-emergency").unwrap();
    assert!(top < home.find("<p>Text.</p>").unwrap());
    let card = between(
        &home,
        "<section class=\"care-card care-card-emergency\"",
        "</section>",
    );
    assert!(card.contains("aria-label=\"Emergency: If you might act on thoughts of suicide\""));
    assert!(card.contains("<span class=\"care-card-label\">Emergency:</span>"));
    assert!(card.contains("<li>you have a plan</li>"));
    assert!(card.contains("<strong>local emergency number</strong>"));
    // A named card in a block, and one written in the block; kind urgent by default.
    assert!(home.contains("aria-label=\"Urgent advice: If you feel unwell after taking it\""));
    assert!(home.contains("aria-label=\"Urgent advice: Written here\""));
    let other = s.read("other/index.html");
    let (poison, crisis) = (
        other.find("unwell").unwrap(),
        other.find("suicide").unwrap(),
    );
    assert!(poison < crisis, "in the order named");
}

#[test]
fn a_missing_card_or_kind_is_a_located_error() {
    let s = inline_site(&[
        ("content/_data/urgent.yaml", CARDS),
        ("content/_index.md", "---\ntitle: Home\n---\n\nText.\n"),
        (
            "content/a.md",
            "---\ntitle: A\nurgent: crisiss\n---\n\nText.\n",
        ),
        (
            "content/b.md",
            "---\ntitle: B\n---\n\n```{urgent}\nref: poisson\n```\n",
        ),
        (
            "content/c.md",
            "---\ntitle: C\n---\n\n```{urgent}\nkind: severe\ntitle: T\ntext: x\n```\n",
        ),
        (
            "content/d.md",
            "---\ntitle: D\n---\n\n```{urgent}\ntitle: Nothing to do\n```\n",
        ),
    ]);
    let errors: Vec<String> = s.build_err().iter().map(|d| d.to_string()).collect();
    let find = |needle: &str| {
        errors
            .iter()
            .find(|e| e.contains(needle))
            .unwrap_or_else(|| panic!("no error with {needle}: {errors:#?}"))
            .clone()
    };
    let a = find("crisiss");
    assert!(
        a.contains("content/a.md:3:") && a.contains("did you mean `crisis`"),
        "{a}"
    );
    let b = find("poisson");
    assert!(
        b.contains("content/b.md:6:") && b.contains("did you mean `poison`"),
        "{b}"
    );
    let c = find("severe");
    assert!(
        c.contains("content/c.md:6:") && c.contains("kind: emergency"),
        "{c}"
    );
    let d = find("what to do");
    assert!(d.contains("content/d.md"), "{d}");
}

#[test]
fn the_review_line_reads_right_with_any_of_its_fields() {
    let site = Site::fixture("content/basic");
    let page = |front: &str| format!("---\ntitle: P\n{front}---\n\nText.\n");
    site.write(
        "content/a.md",
        &page("reviewed_by: {name: Dr A, credentials: \"MD; not a clinical review\"}\n"),
    )
    .write("content/b.md", &page("last_reviewed: 2026-11-22\n"))
    .write(
        "content/c.md",
        &page("reviewed_by: {name: Dr C}\nlast_reviewed: 2026-11-22\nnext_review: 2027-11-22\n"),
    )
    .build_ok_then();
    let foot = |rel: &str| {
        let html = site.read(rel);
        let from = html
            .find("<footer class=\"review\">")
            .unwrap_or_else(|| panic!("{html}"));
        let rest = &html[from..];
        rest[..rest.find("</footer>").unwrap()].to_string()
    };
    assert_eq!(
        foot("a/index.html"),
        "<footer class=\"review\">\n<p>Reviewed by: Dr A (MD; not a clinical review)</p>\n"
    );
    assert!(
        foot("b/index.html").starts_with("<footer class=\"review\">\n<p>Page last reviewed: <time datetime=\"2026-11-22\">22 November 2026</time></p>\n"),
        "{}",
        foot("b/index.html")
    );
    assert!(!foot("b/index.html").contains("Reviewed by"));
    assert_eq!(
        foot("c/index.html"),
        "<footer class=\"review\">\n<p>Page last reviewed: <time datetime=\"2026-11-22\">22 November 2026</time></p>\n<p>Reviewed by: Dr C</p>\n<p>Next review due: <time datetime=\"2027-11-22\">22 November 2027</time></p>\n"
    );
}

/// Footnotes in a component's Markdown (an FAQ answer) have ids like the
/// body's: valid (`[^a b]` has a space), and never one the body or
/// another answer took (each answer restarts pulldown-cmark's labels).
#[test]
fn footnotes_in_answers_get_ids_of_their_own() {
    let site = Site::bare();
    site.write("site.yaml", "title: T\n");
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\nBody note[^a b] and[^1].\n\n[^a b]: Body.\n[^1]: One.\n\n\
         ```{faq}\n- q: Question?\n  a: \"A note[^a b] and[^1].\\n\\n[^a b]: In the answer.\\n\\n[^1]: Also.\"\n\
         - q: Another?\n  a: \"Another[^1].\\n\\n[^1]: Second answer.\"\n```\n",
    );
    site.build_ok();
    let html = site.read("index.html");
    let values = |attr: &str| -> Vec<String> {
        html.split(attr)
            .skip(1)
            .map(|r| r.split('"').next().unwrap_or("").to_string())
            .collect()
    };
    let ids = values(" id=\"");
    assert_eq!(html.matches("class=\"footnote-definition\"").count(), 5);
    for id in &ids {
        assert!(!id.contains(' '), "id `{id}`");
        assert_eq!(ids.iter().filter(|i| *i == id).count(), 1, "`{id}` twice");
    }
    for href in values(" href=\"#") {
        assert!(ids.contains(&href), "`#{href}` leads nowhere: {ids:?}");
    }
}

/// A link without text in a component's Markdown shows what it leads to,
/// as one in the body does: the page's title, or its address with a
/// warning at its line.
#[test]
fn a_link_without_text_in_an_answer_shows_what_it_leads_to() {
    let site = Site::bare();
    site.write("site.yaml", "title: T\n");
    site.write("content/safety.md", "---\ntitle: Safety\n---\n\nText.\n");
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\n```{faq}\n- q: Question?\n  a: \"See [](safety.md) and [](https://example.org/x).\"\n```\n",
    );
    let report = site.build_ok();
    let html = site.read("index.html");
    assert!(html.contains(r#"<a href="/safety/">Safety</a>"#), "{html}");
    assert!(
        html.contains(r#"<a href="https://example.org/x">https://example.org/x</a>"#),
        "{html}"
    );
    let found = common::located(&report.warnings);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].0.starts_with("content/_index.md:7:"), "{found:#?}");
    assert!(found[0].1.contains("no text"), "{found:#?}");
}
