//! The repository's own site (content/ + themes/default): every required
//! page exists, TOCs render, tables are real tables, citations resolve,
//! internal links and anchors resolve, and the build has no warnings.

use crate::common;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

struct Built {
    out: PathBuf,
    report: docent::BuildReport,
}

/// The flagship, built once for every test here (it only reads the
/// output), into Cargo's scratch folder for integration tests.
fn build() -> &'static Built {
    static BUILT: std::sync::OnceLock<Built> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("flagship-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let mut opts = docent::BuildOptions::new(root);
        opts.output = Some(out.clone());
        // Review dates are checked against the date the content was last
        // reviewed, so the suite does not start failing on a calendar date.
        opts.today = Some("2026-11-22".into());
        let report = docent::build(&opts).unwrap_or_else(|e| panic!("flagship build failed:\n{e}"));
        Built { out, report }
    })
}

fn pages(out: &Path) -> HashMap<String, String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn every_required_page_exists_and_the_build_is_clean() {
    let b = build();
    assert!(b.report.warnings.is_empty(), "{:?}", b.report.warnings);
    for page in [
        "index.html",
        "therapy/index.html",
        "therapy/treatment/index.html",
        "evidence/ptsd/index.html",
        "evidence/other-conditions/index.html",
        "safety/index.html",
        "regulatory-status/index.html",
        "testimonials/index.html",
        "faq/index.html",
        "getting-help/index.html",
        "glossary/index.html",
        "references/index.html",
        "about/index.html",
        "about/privacy/index.html",
    ] {
        assert!(b.out.join(page).is_file(), "{page} missing");
    }
}

#[test]
fn pages_with_two_headings_have_a_toc_and_tables_are_tables() {
    let b = build();
    for (path, html) in pages(&b.out) {
        assert!(!html.contains("Add a header to begin generating"), "{path}");
        let article = html.split("<div class=\"prose\"").nth(1).unwrap_or("");
        let article = article.split("\n</article>").next().unwrap_or("");
        let headings = article.matches("<h2 ").count() + article.matches("<h3 ").count();
        let has_toc = html.contains("<details class=\"toc\">");
        if headings >= 2 {
            assert!(has_toc, "{path} has {headings} headings but no TOC");
        } else {
            assert!(!has_toc, "{path} has a TOC with {headings} headings");
        }
        // Every table is a real table with rows and cells, never run-on text.
        for table in article.split("<table>").skip(1) {
            let table = table.split("</table>").next().unwrap();
            assert!(
                table.contains("<tr>") && (table.contains("<td") || table.contains("<th")),
                "{path}"
            );
        }
    }
    let evidence = std::fs::read_to_string(b.out.join("evidence/ptsd/index.html")).unwrap();
    assert!(evidence.matches("<table>").count() >= 2);
    assert!(evidence.contains("role=\"img\""), "the phase 3 chart");
}

#[test]
fn every_study_row_citation_resolves_to_a_reference_with_a_doi() {
    let b = build();
    let html = std::fs::read_to_string(b.out.join("evidence/ptsd/index.html")).unwrap();
    let table = html
        .split("Randomised trials of MDMA-assisted therapy for PTSD</caption>")
        .nth(1)
        .unwrap();
    let table = table.split("</table>").next().unwrap();
    let targets: Vec<&str> = table
        .split("class=\"citation\" href=\"#")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(targets.len(), 5, "one citation per study row");
    let page_ids = common::ids(&html);
    for t in targets {
        assert!(page_ids.contains(&t), "#{t} has no reference on the page");
        let li = html
            .split(&format!("<li id=\"{t}\">"))
            .nth(1)
            .unwrap()
            .split("</li>")
            .next()
            .unwrap();
        assert!(
            li.contains("https://doi.org/10."),
            "{t} has no DOI link: {li}"
        );
    }
    // The retracted pooled analysis is shown as retracted.
    assert!(html.contains("<strong class=\"retracted\">Retracted.</strong> Jerome"));
}

#[test]
fn regulatory_page_states_the_2024_fda_decision() {
    let b = build();
    let html = std::fs::read_to_string(b.out.join("regulatory-status/index.html")).unwrap();
    assert!(html.contains("9 August 2024"));
    assert!(html.contains("declined to approve"));
    assert!(
        html.contains("1 July 2023"),
        "Australia's authorised-prescriber scheme"
    );
    // Brought to late 2026: the independent appraisal, the 2026 order and
    // vouchers, and a plain statement that nothing was resubmitted.
    for needed in [
        "14 to 1",
        "15 to 0",
        "Executive Order 14401",
        "None went to MDMA",
        "no approval in any country",
    ] {
        assert!(html.contains(needed), "regulatory page lacks {needed:?}");
    }

    // The page says what its facts are current to, and that is the latest
    // event in its timeline.
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/regulatory-status.md"),
    )
    .unwrap();
    let current_to = source
        .lines()
        .find_map(|l| l.strip_prefix("current_to: "))
        .expect("the regulatory page has `current_to`")
        .trim();
    let latest = source
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| timeline_day(l.split(" |").next()?))
        .max()
        .expect("timeline rows with dates");
    assert_eq!(
        current_to, latest,
        "current_to is not the latest timeline date"
    );
    assert!(
        html.contains(&format!(
            "Information current to <time datetime=\"{current_to}\">"
        )),
        "the current-to date is not shown"
    );
}

/// `27 June 2024` as `2024-06-27` (rows giving only a month are no day).
fn timeline_day(cell: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut words = cell.split_whitespace();
    let day: u32 = words.next()?.parse().ok()?;
    let name = words.next()?;
    let month = MONTHS.iter().position(|m| *m == name)? + 1;
    let year: u32 = words.next()?.parse().ok()?;
    Some(format!("{year}-{month:02}-{day:02}"))
}

#[test]
fn every_regulatory_timeline_row_cites_a_linked_source() {
    let b = build();
    let html = std::fs::read_to_string(b.out.join("regulatory-status/index.html")).unwrap();
    let table = html.split("<tbody>").nth(1).unwrap();
    let table = table.split("</tbody>").next().unwrap();
    let rows: Vec<&str> = table.split("<tr>").skip(1).collect();
    assert!(rows.len() >= 7, "the timeline has {} rows", rows.len());
    let page_ids = common::ids(&html);
    for row in rows {
        let target = row
            .split("class=\"citation\" href=\"#")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("timeline row without a citation: {row}"));
        assert!(page_ids.contains(&target), "#{target} has no reference");
        let li = html
            .split(&format!("<li id=\"{target}\">"))
            .nth(1)
            .unwrap()
            .split("</li>")
            .next()
            .unwrap();
        assert!(li.contains("href=\"https://"), "{target} has no link: {li}");
    }
}

#[test]
fn every_journal_article_in_the_bibliography_has_a_doi() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let yaml = std::fs::read_to_string(root.join("content/references.yaml")).unwrap();
    let entries: Vec<&str> = yaml.split("\n").collect();
    let mut key = "";
    let mut article = false;
    let mut doi = false;
    let mut checked = 0;
    let mut finish = |key: &str, article: bool, doi: bool| {
        if article {
            checked += 1;
            assert!(doi, "the article `{key}` in references.yaml has no DOI");
        }
    };
    for line in entries {
        if !line.starts_with(' ') && !line.starts_with('#') && line.ends_with(':') {
            finish(key, article, doi);
            key = line.trim_end_matches(':');
            article = false;
            doi = false;
        } else if line.trim() == "type: article" {
            article = true;
        } else if line.contains("doi:") {
            doi = true;
        }
    }
    finish(key, article, doi);
    assert!(checked >= 10, "only {checked} articles found");
    // Every entry formats cleanly (a year-only date on a web page printed "(2023,)").
    let b = build();
    let refs = std::fs::read_to_string(b.out.join("references/index.html")).unwrap();
    assert!(!refs.contains(",)"), "a malformed date in the references");
}

#[test]
fn faq_answers_the_questions_readers_ask() {
    let b = build();
    let html = std::fs::read_to_string(b.out.join("faq/index.html")).unwrap();
    assert!(html.matches("<details class=\"faq-item\">").count() >= 8);
    for q in [
        "Is it approved?",
        "Is it safe?",
        "Can I get it?",
        "How long does it take?",
    ] {
        assert!(html.contains(&format!("{q}</h2>")), "{q}");
    }
    let ld = html
        .split("<script type=\"application/ld+json\">")
        .filter(|s| s.contains("FAQPage"))
        .count();
    assert_eq!(ld, 1);
}

#[test]
fn internal_links_and_anchors_resolve() {
    let b = build();
    let all = pages(&b.out);
    let mut broken = Vec::new();
    for (path, html) in &all {
        for href in html
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            if href.starts_with("http") || href.starts_with("mailto:") {
                continue;
            }
            let (target, anchor) = href.split_once('#').unwrap_or((href, ""));
            let target_html = if target.is_empty() {
                Some(html)
            } else {
                let file = target.trim_start_matches('/');
                let file = if file.is_empty() || file.ends_with('/') {
                    format!("{file}index.html")
                } else {
                    file.to_string()
                };
                if !b.out.join(&file).exists() {
                    broken.push(format!("{path}: {href} (no file)"));
                    continue;
                }
                all.get(&file)
            };
            if !anchor.is_empty()
                && let Some(t) = target_html
                && !common::ids(t).contains(&anchor)
            {
                broken.push(format!("{path}: {href} (no anchor)"));
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn testimonials_are_attributed_and_labelled_as_individual_experiences() {
    let b = build();
    let html = std::fs::read_to_string(b.out.join("testimonials/index.html")).unwrap();
    assert!(html.contains("These are individual experiences. They are not evidence"));
    // Each quote is traced to where it first appeared (the untraced one
    // is gone), ages are dated, and a press office is named as such.
    let quotes = html.matches("<figure class=\"testimonial\">").count();
    assert_eq!(quotes, 2);
    assert_eq!(
        html.matches("Source: <a class=\"citation\"").count(),
        quotes
    );
    assert!(!html.contains("McCourry"), "an untraced quote");
    assert!(html.contains("age 63 at the time (2023)"));
    assert!(html.contains("not an independent source"));
    // Balance: harms and worries, linked to the evidence.
    assert!(html.contains("Not everyone does well"));
    assert!(html.contains("side effects") && html.contains("href=\"/safety/\""));
}

/// The errors the November 2026 fact check found (issue 20) stay fixed.
#[test]
fn the_fact_check_corrections_hold() {
    let b = build();
    let all = pages(&b.out);
    for (path, html) in &all {
        // It implies approval somewhere; no country has approved it.
        assert!(!html.contains("most of the world"), "{path}");
    }
    let safety = &all["safety/index.html"];
    // An odds ratio, said as one, with the absolute shares per group.
    assert!(safety.contains("odds ratio was 3.51"), "odds ratio");
    assert!(safety.contains("2.76 to 4.46"));
    assert!(!safety.contains("times as likely"));
    assert!(safety.contains("Muscle tightness"));
    assert!(safety.contains("63%") && safety.contains("11%"));
    // The vital-sign shares are of people, not sessions, and the source's
    // thresholds are not called safe limits.
    assert!(safety.contains("Share of people") && safety.contains("166 healthy volunteers"));
    assert!(!safety.contains("of sessions") && !safety.contains("safe limits"));

    // Other medicines: SSRIs blunt MDMA, MAOIs are the dangerous mix, and
    // each claim is cited; the help page points there.
    let section = |html: &str, id: &str| -> String {
        let start = html
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no #{id}"));
        let rest = &html[start..];
        let end = rest[1..].find("<h2").map_or(rest.len(), |e| e + 1);
        rest[..end].to_string()
    };
    let medicines = section(safety, "mdma-and-other-medicines");
    for needed in [
        "SSRI",
        "citalopram",
        "MAOI",
        "serotonin toxicity",
        "Talk to your doctor",
    ] {
        assert!(
            medicines.contains(needed),
            "other medicines lacks {needed:?}"
        );
    }
    assert!(
        medicines.matches("class=\"citation\"").count() >= 3,
        "{medicines}"
    );
    assert!(all["getting-help/index.html"].contains("/safety/#mdma-and-other-medicines"));
    // Harm reduction for people who use street ecstasy anyway, sourced.
    let harm = section(safety, "if-you-use-street-ecstasy-anyway");
    for needed in [
        "We do not advise",
        "Cool down",
        "not too much",
        "emergency number",
    ] {
        assert!(harm.contains(needed), "harm reduction lacks {needed:?}");
    }
    assert!(harm.contains("class=\"citation\""), "{harm}");

    // Onset, peak and half-life are not cited to a paper that gives only
    // the duration.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["content/therapy/treatment.md", "content/faq.md"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        for sentence in text.split(". ") {
            let pk = [
                "half-life",
                "peak at",
                "Effects begin",
                "come from studies of how",
            ]
            .iter()
            .any(|w| sentence.contains(w));
            if pk {
                assert!(sentence.contains("@freye2009"), "{file}: {sentence}");
                // Vizeli & Liechti only for how long felt effects last.
                assert!(
                    !sentence.contains("@vizeli2017") || sentence.contains("effects last"),
                    "{file}: {sentence}"
                );
            }
        }
    }

    // Full author lists where they are confirmed; Colcott's first name.
    let yaml: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(root.join("content/references.yaml")).unwrap(),
    )
    .unwrap();
    let authors = |key: &str| -> Vec<String> {
        yaml[key]["author"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap_or_default().to_string())
            .collect()
    };
    let mapp1 = authors("mitchell2021");
    assert_eq!(mapp1.len(), 38, "MAPP1's authors");
    assert!(
        mapp1.iter().any(|a| a == "Doblin, Rick"),
        "the sponsor's founder is an author"
    );
    let colcott = authors("colcott2024");
    assert_eq!(colcott[0], "Colcott, Julia");
    assert_eq!(colcott.len(), 5);
}

/// Readers with PTSD are at raised risk of suicide: every page written for
/// patients carries the crisis card (issue 20), from one shared definition.
#[test]
fn every_patient_page_carries_the_crisis_card() {
    let b = build();
    let all = pages(&b.out);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for e in walkdir::WalkDir::new(root.join("content")) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "md") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let front = text.split("\n---\n").next().unwrap_or_default();
        if !front.lines().any(|l| l.starts_with("audience:")) {
            continue;
        }
        let rel = e.path().strip_prefix(root.join("content")).unwrap();
        let url = rel.with_extension("").to_string_lossy().replace('\\', "/");
        let url = url.trim_end_matches("/_index").trim_end_matches("/index");
        let html = &all[&format!("{url}/index.html")];
        // In the page's language: content/es/ pages carry the Spanish card.
        let (suicide, emergency) = if rel.starts_with("es") {
            ("piensas en el suicidio", "número de emergencias")
        } else {
            ("thinking about suicide", "local emergency number")
        };
        let card = html
            .split("<section class=\"care-card care-card-emergency\"")
            .find(|c| c.contains(suicide))
            .unwrap_or_else(|| panic!("{} has no crisis card", rel.display()));
        assert!(card.contains("988") && card.contains(emergency));
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} patient pages");
    // The drug emergency card leads on the safety page.
    let safety = &all["safety/index.html"];
    assert!(
        safety.find("unwell after taking MDMA").unwrap()
            < safety.find("thinking about suicide").unwrap()
    );
}

/// What a person with PTSD needs today (issue 20): treatments that work
/// now, how to find a real trial and spot a false one.
#[test]
fn the_getting_help_page_covers_what_patients_need_now() {
    let b = build();
    let html = std::fs::read_to_string(b.out.join("getting-help/index.html")).unwrap();
    for needle in [
        "Treatments that work now",
        "prolonged exposure",
        "sertraline",
        "paroxetine",
        "ClinicalTrials.gov",
        "ANZCTR",
        "registration number",
        "pay a fee",
        "Never stop a medicine on your own",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    let home = std::fs::read_to_string(b.out.join("index.html")).unwrap();
    assert!(
        home.contains("href=\"/getting-help/\""),
        "linked from the home page"
    );
}

/// The evidence page says whose trials these are and whom MAPP1's
/// percentages count (issue 20).
#[test]
fn the_evidence_page_names_the_sponsor_and_the_completers() {
    let b = build();
    let html = std::fs::read_to_string(b.out.join("evidence/ptsd/index.html")).unwrap();
    assert!(html.contains("79 people who finished"));
    assert!(html.contains("Who ran and paid for the trials"));
    assert!(html.contains("Lykos Therapeutics"));
    // What reviewers independent of the trials concluded, cited.
    let appraisals = html
        .split("id=\"what-independent-reviewers-concluded\"")
        .nth(1)
        .expect("an appraisals section")
        .split("<h2")
        .next()
        .unwrap();
    for needed in [
        "ICER",
        "14 to 1",
        "low to very low",
        "ref-yong2025",
        "ref-icer2024",
    ] {
        assert!(appraisals.contains(needed), "appraisals lack {needed:?}");
    }
}

/// The FDA letter's own reasons are told apart from the advisers' worries,
/// and the page says when it was last checked (issue 20).
#[test]
fn the_regulatory_page_separates_the_letter_from_the_advisers() {
    let b = build();
    let html = std::fs::read_to_string(b.out.join("regulatory-status/index.html")).unwrap();
    let advisers = html.find("id=\"what-the-advisers-worried-about\"").unwrap();
    let letter = html.find("id=\"the-fdas-own-reasons\"").unwrap();
    assert!(advisers < letter);
    let after = html[letter..]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for reason in ["Missing safety data", "effect lasts", "taken MDMA before"] {
        assert!(after.contains(reason), "{reason}");
    }
    let flat = html.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("30 November 2026"));
    assert!(flat.contains("no country has approved"));
}

/// Every page says when it was first published (and updated), so a reader
/// who follows the feed hears when a page changes (issue 20).
#[test]
fn every_page_is_dated_and_in_the_feed_of_an_absolute_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    for p in &pages {
        let text = std::fs::read_to_string(p).unwrap();
        let front = text.split("\n---\n").next().unwrap();
        assert!(
            front.lines().any(|l| l.starts_with("date: ")),
            "{} has no date",
            p.display()
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let mut opts = docent::BuildOptions::new(root);
    opts.output = Some(dir.path().join("public"));
    opts.base_url = Some("https://example.org/".into());
    opts.today = Some("2026-11-22".into());
    docent::build(&opts).unwrap_or_else(|e| panic!("{e}"));
    // One feed per language, each with every page of its language.
    let spanish = pages
        .iter()
        .filter(|p| p.strip_prefix(root.join("content/es")).is_ok())
        .count();
    let feed_es = std::fs::read_to_string(dir.path().join("public/es/atom.xml")).unwrap();
    assert!(spanish >= 2);
    assert_eq!(feed_es.matches("<entry>").count(), spanish, "{feed_es}");
    let feed = std::fs::read_to_string(dir.path().join("public/atom.xml")).unwrap();
    assert_eq!(
        feed.matches("<entry>").count(),
        pages.len() - spanish,
        "{feed}"
    );
    assert!(
        feed.contains("<updated>2026-11-30T00:00:00Z</updated>"),
        "{feed}"
    );
}

#[test]
fn topic_pages_group_the_explainer_pages() {
    let b = build();
    let all = pages(&b.out);
    let list = &all["topics/index.html"];
    for (slug, min) in [
        ("ptsd-treatment", 4),
        ("safety", 3),
        ("clinical-trials", 3),
        ("regulation-and-access", 3),
    ] {
        assert!(
            list.contains(&format!("href=\"/topics/{slug}/\"")),
            "{slug}"
        );
        let term = &all[&format!("topics/{slug}/index.html")];
        let listed = term.matches("<li class=\"card\">").count();
        assert!(listed >= min, "{slug}: {listed} pages");
        assert!(term.contains("<meta name=\"description\""), "{slug}");
    }
    // Every explainer page but the about pages, the references and the
    // testimonials names at least one topic, shown under its text.
    for page in [
        "safety/index.html",
        "regulatory-status/index.html",
        "getting-help/index.html",
        "faq/index.html",
        "therapy/treatment/index.html",
        "evidence/ptsd/index.html",
        "evidence/other-conditions/index.html",
    ] {
        assert!(
            all[page].contains("<p class=\"page-terms\"><a href=\"/topics/\">Topics</a>: "),
            "{page}"
        );
    }
}

#[test]
fn the_flagship_defines_its_effect_sizes_as_equations_and_draws_the_course() {
    let b = build();
    let all = pages(&b.out);
    let evidence = &all["evidence/ptsd/index.html"];
    assert!(
        evidence.contains("<span class=\"equation\" id=\"eq-cohen-d\""),
        "Cohen's d as an equation"
    );
    assert!(evidence.contains("<mfrac>"));
    assert!(
        all["safety/index.html"].contains("<math"),
        "the odds ratio's definition"
    );
    let treatment = &all["therapy/treatment/index.html"];
    assert!(treatment.contains(
        "<img src=\"/therapy/timeline.svg\" alt=\"A course of treatment, from first to last:"
    ));
    assert!(
        treatment.contains("width=\"360\" height=\"544\""),
        "space reserved"
    );
    assert!(b.out.join("therapy/timeline.svg").is_file());
}

#[test]
fn the_home_page_and_faq_are_in_spanish_too() {
    let b = build();
    let read = |rel: &str| std::fs::read_to_string(b.out.join(rel)).unwrap();
    let home = read("es/index.html");
    let faq = read("es/faq/index.html");
    for html in [&home, &faq] {
        assert!(html.contains("<html lang=\"es\" dir=\"ltr\">"));
        // Linked both ways with the English page.
        assert!(html.contains(
            "<nav class=\"language-switcher\" aria-label=\"Leer esta página en otro idioma\">"
        ));
    }
    assert!(home.contains("<h1>La terapia asistida con MDMA para el TEPT</h1>"));
    assert!(
        home.contains("ningún país lo ha\naprobado como medicamento")
            || home.contains("ningún país lo ha aprobado como medicamento")
    );
    // The FAQ answers the same questions as the English one, with the same
    // sources, and links to English pages say so.
    let count = |html: &str| html.matches("<details class=\"faq-item\">").count();
    let en = read("faq/index.html");
    assert_eq!(count(&faq), count(&en));
    assert!(count(&faq) >= 10);
    for key in [
        "lykos2024crl",
        "tga2023",
        "mitchell2021",
        "mitchell2023",
        "retraction2024",
        "freye2009",
    ] {
        assert!(faq.contains(&format!("<li id=\"ref-{key}\">")), "{key}");
    }
    assert!(faq.contains("<h2 id=\"references\"><a class=\"heading-link\" href=\"#references\">Referencias</a></h2>") || faq.contains(">Referencias</a></h2>"));
    assert!(faq.contains("(en inglés)"));
    // The footer's disclaimer and the TOC's reference entry in Spanish.
    assert!(faq.contains("<p class=\"disclaimer\">Información educativa, no consejo médico"));
    assert!(faq.contains("<li><a href=\"#references\">Referencias</a></li>"));
    // Its reference list is written with CSL's Spanish terms.
    assert!(faq.contains("Medthority. (2024, agosto)."), "{faq}");
    assert!(en.contains("Medthority. (2024, August)."));
    // The English pages offer the Spanish version.
    assert!(
        en.contains("<a href=\"/es/faq/\" hreflang=\"es\" lang=\"es\" dir=\"ltr\">Español</a>")
    );
    // Review dates are written in Spanish.
    assert!(faq.contains(
        "Última revisión de la página: <time datetime=\"2026-12-01\">1 de diciembre de 2026</time>"
    ));
}

#[test]
fn retractions_are_cited_to_the_notices_and_name_all_three_papers() {
    let b = build();
    for page in ["regulatory-status/index.html", "evidence/ptsd/index.html"] {
        let html = std::fs::read_to_string(b.out.join(page)).unwrap();
        // The retraction is sourced to the journal's notes, never to a
        // retracted paper.
        assert!(html.contains("href=\"#ref-retraction2024\""), "{page}");
        // All three retracted papers are named, and listed as retracted.
        for key in ["mithoefer2019", "jerome2020", "feduccia2021"] {
            assert!(
                html.contains(&format!("href=\"#ref-{key}\"")),
                "{page} cites {key}"
            );
            let li = listed_reference(&html, key);
            assert!(
                li.contains("<strong class=\"retracted\">Retracted.</strong>"),
                "{page} {key}: {li}"
            );
        }
    }
    let regulatory = std::fs::read_to_string(b.out.join("regulatory-status/index.html")).unwrap();
    let row = timeline_row(&regulatory, "10 August 2024");
    assert!(
        row.contains("#ref-retraction2024") && !row.contains("#ref-jerome2020"),
        "{row}"
    );
    // The FAQ's answer too.
    let faq = std::fs::read_to_string(b.out.join("faq/index.html")).unwrap();
    let answer = faq
        .split("Why were some studies retracted?</h2></summary>")
        .nth(1)
        .unwrap();
    let answer = &answer[..answer.find("</details>").unwrap_or(answer.len())];
    assert!(answer.contains("#ref-retraction2024") && !answer.contains("#ref-jerome2020"));
    // Full author lists for the retracted papers (not "Jerome, L." alone).
    assert!(
        regulatory.contains("Jerome, L., Feduccia, A. A., Wang, J. B."),
        "full authors"
    );
}

#[test]
fn the_advisers_meeting_is_cited_to_the_federal_register_notice() {
    let b = build();
    let html = std::fs::read_to_string(b.out.join("regulatory-status/index.html")).unwrap();
    let row = timeline_row(&html, "8 May 2024");
    assert!(row.contains("#ref-fr2024pdac"), "{row}");
    let li = listed_reference(&html, "fr2024pdac");
    assert!(
        li.contains("Federal Register, vol. 89")
            && li.contains("https://www.federalregister.gov/d/2024-10053"),
        "{li}"
    );
}

#[test]
fn the_va_trial_is_cited_to_the_va_and_the_trial_register() {
    // Issue 20: the VA trial, with its register number confirmed, and its
    // start date (news reports only) said to be unconfirmed.
    let b = build();
    let html = std::fs::read_to_string(b.out.join("regulatory-status/index.html")).unwrap();
    let row = timeline_row(&html, "3 December 2024");
    assert!(row.contains("#ref-va2024study"), "{row}");
    let text = html.split("id=\"what-has-happened-since\"").nth(1).unwrap();
    let para = text
        .split("<p>")
        .find(|p| p.contains("NCT07118839"))
        .expect("the trial's register number is given");
    assert!(para.contains("#ref-va2026registry"), "{para}");
    assert!(
        text.contains("we could not find its start date"),
        "the May 2026 start is reported, not confirmed"
    );
    for (key, url) in [
        (
            "va2024study",
            "https://news.va.gov/press-room/va-funds-first-study-on-psychedelic-assisted-therapy-for-veterans",
        ),
        (
            "va2026registry",
            "https://clinicaltrials.gov/study/NCT07118839",
        ),
    ] {
        let li = listed_reference(&html, key);
        assert!(li.contains(url), "{li}");
    }
}

/// The row of a page's timeline table that holds `date`.
#[track_caller]
fn timeline_row<'a>(html: &'a str, date: &str) -> &'a str {
    html.split("<tr>")
        .find(|r| r.contains(date))
        .unwrap_or_else(|| panic!("no timeline row for {date}"))
}

/// The entry for `key` in a page's list of references.
#[track_caller]
fn listed_reference<'a>(html: &'a str, key: &str) -> &'a str {
    html.split(&format!("<li id=\"ref-{key}\">"))
        .nth(1)
        .unwrap_or_else(|| panic!("{key} is not listed"))
        .split("</li>")
        .next()
        .unwrap_or_default()
}
