//! Taxonomies and pagination (issue 23): a list page per taxonomy, a page
//! and an Atom feed per term, terms shown on pages, long lists of sections
//! and terms split into pages, located errors, `check`'s typo warning, and
//! rebuilds that follow term changes. The browser tests check the fixture
//! (tests/fixtures/science/topics) for axe, the Nu Html Checker and layout.

use crate::common::Site;
use docent::Kind;

/// The fixture, built once for the tests that only read it.
fn topics() -> &'static Site {
    crate::common::topics_built()
}

#[test]
fn each_taxonomy_lists_its_terms_and_each_term_its_pages() {
    let site = topics();
    // The editor's introduction (content/topics/_index.md) stays, the
    // terms follow, by name, two to a page (`paginate: 2`).
    let list = format!(
        "{}{}",
        site.read("topics/index.html"),
        site.read("topics/page/2/index.html")
    );
    let intro = list
        .find("Pick a topic to see every page about it.")
        .unwrap();
    assert!(
        !site
            .read("topics/page/2/index.html")
            .contains(">Caffeine</a>")
    );
    let terms: Vec<usize> = ["Caffeine", "Heart rate", "Safety", "Sleep"]
        .iter()
        .map(|t| {
            list.find(&format!(">{t}</a>"))
                .unwrap_or_else(|| panic!("{t}: {list}"))
        })
        .collect();
    assert!(
        intro < terms[0] && terms.windows(2).all(|w| w[0] < w[1]),
        "{list}"
    );
    assert!(list.contains(
        "<a href=\"/learn/topics/safety/\">Safety</a> <span class=\"term-count\">(3 pages)</span>"
    ));
    assert!(list.contains("<span class=\"term-count\">(1 page)</span>"));

    // A term's page lists its pages in navigation order (weight), two to a page.
    let safety = site.read("topics/safety/index.html");
    assert!(
        safety.contains("<h1>Safety</h1>"),
        "written `Safety` twice, `safety` once"
    );
    let sleep = safety.find("/learn/guide/sleep/").unwrap();
    let heart = safety.find("/learn/guide/heart/").unwrap();
    assert!(sleep < heart);
    assert!(
        !safety.contains("href=\"/learn/guide/caffeine/\">"),
        "third page is on page 2"
    );
    assert!(
        safety.contains("Why sleep can be short for a night or two"),
        "description"
    );
    assert!(
        safety.contains("Last reviewed <time datetime=\"2026-11-01\">November 1, 2026</time>"),
        "review date"
    );
    assert!(safety.contains("<p>Showing 1 to 2 of 3.</p>"));
    assert!(safety.contains("<a href=\"/learn/topics/safety/page/2/\" rel=\"next\">Next</a>"));
    assert!(safety.contains(
        "<a href=\"https://example.org/learn/topics/safety/atom.xml\">Follow “Safety” (Atom feed)</a>"
    ));
    let page2 = site.read("topics/safety/page/2/index.html");
    assert!(page2.contains("href=\"/learn/guide/caffeine/\">Caffeine and other stimulants</a>"));
    assert!(page2.contains("<title>Safety (page 2 of 2) · Topics fixture</title>"));
    assert!(page2.contains("<a href=\"/learn/topics/safety/\" rel=\"prev\">Previous</a>"));
    assert!(page2.contains(
        "<link rel=\"canonical\" href=\"https://example.org/learn/topics/safety/page/2/\">"
    ));
    // Breadcrumbs: home, the taxonomy, the term.
    assert!(safety.contains("<li><a href=\"/learn/topics/\">Topics</a></li>"));
}

#[test]
fn pages_link_their_terms_and_term_urls_are_encoded() {
    let site = topics();
    let heart = site.read("guide/heart/index.html");
    assert!(heart.contains(
        "<p class=\"page-terms\"><a href=\"/learn/topics/\">Topics</a>: <a href=\"/learn/topics/heart-rate/\">Heart rate</a>, <a href=\"/learn/topics/safety/\">Safety</a></p>"
    ), "{heart}");
    assert!(heart.contains(
        "<a href=\"/learn/conditions/m%C3%A9ni%C3%A8res-disease/\">Ménière’s disease</a>"
    ));
    // The output file keeps the name; the URL is percent-encoded.
    let term = site.read("conditions/ménières-disease/index.html");
    assert!(term.contains("<h1>Ménière’s disease</h1>"));
    // The sitemap has the term pages.
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://example.org/learn/conditions/m%C3%A9ni%C3%A8res-disease/</loc>"
        )
    );
    assert!(sitemap.contains("<loc>https://example.org/learn/topics/</loc>"));
}

#[test]
fn each_term_has_a_feed_of_its_dated_pages_unless_turned_off() {
    let site = topics();
    let feed = site.read("topics/safety/atom.xml");
    assert!(
        feed.contains("<title>Topics fixture: Safety</title>"),
        "{feed}"
    );
    assert!(feed.contains(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/learn/topics/safety/atom.xml\"/>"
    ));
    assert_eq!(feed.matches("<entry>").count(), 3);
    // Newest first.
    let may = feed.find("guide/caffeine/").unwrap();
    let march = feed.find("guide/sleep/").unwrap();
    assert!(may < march);
    assert_eq!(
        site.read("topics/sleep/atom.xml")
            .matches("<entry>")
            .count(),
        1
    );
    // `feed: false` for conditions.
    assert!(!site.public().join("conditions/ptsd/atom.xml").exists());
    assert!(
        !site
            .read("conditions/ptsd/index.html")
            .contains("Atom feed")
    );
}

#[test]
fn without_an_absolute_base_url_there_are_no_term_feeds() {
    let site = Site::fixture("science/topics");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &yaml.replace("https://example.org/learn/", "/learn/"),
    )
    .build_ok();
    assert!(!site.public().join("topics/safety/atom.xml").exists());
    assert!(!site.read("topics/safety/index.html").contains("Atom feed"));
}

#[test]
fn a_long_section_is_split_into_pages() {
    let site = topics();
    let guide = site.read("guide/index.html");
    assert!(guide.contains("href=\"/learn/guide/sleep/\""));
    assert!(guide.contains("href=\"/learn/guide/heart/\""));
    assert!(!guide.contains("<a href=\"/learn/guide/caffeine/\">"));
    assert!(guide.contains("pages, in order."), "intro on page 1");
    let page2 = site.read("guide/page/2/index.html");
    assert!(page2.contains("<a href=\"/learn/guide/caffeine/\">Caffeine and other stimulants</a>"));
    assert!(page2.contains("<a href=\"/learn/guide/page/2/\" aria-current=\"page\">2</a>"));
    assert!(!page2.contains("pages, in order."), "intro only on page 1");
    assert!(!site.public().join("guide/page/3").exists());
}

#[test]
fn a_section_of_a_thousand_pages_is_not_one_huge_page() {
    let site = Site::empty();
    site.write("content/many/_index.md", "---\ntitle: Many\n---\n");
    for i in 0..1000 {
        site.write(
            &format!("content/many/p{i:04}.md"),
            &format!("---\ntitle: Page {i}\ndescription: A page about item {i} of a long list of things.\n---\nText.\n"),
        );
    }
    site.build_ok();
    let first = site.read("many/index.html");
    assert!(first.len() < 40_000, "{} bytes", first.len());
    // 50 a page by default: 20 pages, links to the first, neighbours and the last.
    assert!(first.contains("<p>Showing 1 to 50 of 1000.</p>"));
    assert!(first.contains("<a href=\"/many/page/20/\">20</a>"));
    assert!(first.contains("<li class=\"gap\" aria-hidden=\"true\">…</li>"));
    assert!(!first.contains("/many/page/10/"), "no link to every page");
    let last = site.read("many/page/20/index.html");
    assert!(last.contains("<p>Showing 951 to 1000 of 1000.</p>"));
    assert!(!site.public().join("many/page/21").exists());
    // `paginate: 0` puts every page on one.
    site.write("site.yaml", "title: T\npaginate: 0\n")
        .build_ok();
    assert!(!site.public().join("many/page/2").exists());
    assert!(site.read("many/index.html").contains("/many/p0999/"));
}

#[test]
fn tags_is_short_for_the_tags_taxonomy() {
    let site = Site::empty();
    site.write("site.yaml", "title: T\ntaxonomies: [tags]\n")
        .write("content/a.md", "---\ntitle: A\ntags: [Sleep]\n---\n")
        .write(
            "content/b.md",
            "---\ntitle: B\ntaxonomies:\n  tags: [sleep, Dreams]\n---\n",
        )
        .build_ok();
    let sleep = site.read("tags/sleep/index.html");
    assert!(sleep.contains("href=\"/a/\"") && sleep.contains("href=\"/b/\""));
    assert!(
        site.read("tags/index.html")
            .contains("href=\"/tags/dreams/\"")
    );
    // Without `taxonomies:` in site.yaml, `tags:` makes no pages (as
    // before taxonomies); `taxonomies: {tags: …}` is an error.
    site.write("site.yaml", "title: T\n");
    let errs = site.build_err();
    assert!(
        errs[0].message.contains("`tags` is not a taxonomy"),
        "{errs:?}"
    );
    std::fs::remove_file(site.root().join("content/b.md")).unwrap();
    site.build_ok();
    assert!(!site.public().join("tags").exists());
    assert!(!site.read("a/index.html").contains("page-terms"));
}

#[test]
fn unknown_taxonomies_and_bad_terms_are_located_errors() {
    let site = Site::fixture("science/topics");
    site.write(
        "content/bad.md",
        "---\ntitle: Bad\ntaxonomies:\n  topcis: [Sleep]\n  conditions: [\"!!\"]\n---\n",
    );
    let errs = site.build_err();
    let unknown = errs
        .iter()
        .find(|d| d.message.contains("`topcis` is not a taxonomy"))
        .unwrap_or_else(|| panic!("{errs:?}"));
    assert_eq!(unknown.kind, Kind::InvalidValue);
    assert_eq!(
        unknown.to_string().lines().nth(1).unwrap().trim(),
        "--> content/bad.md:4:3"
    );
    assert!(
        unknown
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `topics`?")
    );
    let bad = errs
        .iter()
        .find(|d| d.message.contains("has no letter or digit"))
        .unwrap_or_else(|| panic!("{errs:?}"));
    assert!(bad.to_string().contains("content/bad.md:5:3"), "{bad}");
    assert!(!site.public().exists(), "nothing written");
}

#[test]
fn a_taxonomy_written_as_a_top_level_key_says_where_its_terms_go() {
    let site = Site::fixture("science/topics");
    site.write(
        "content/guide/top.md",
        "---\ntitle: Top\nconditions: [PTSD]\n---\n",
    );
    let errs = site.build_err();
    let d = errs
        .iter()
        .find(|d| d.message == "unknown key `conditions`")
        .unwrap_or_else(|| panic!("{errs:?}"));
    assert!(d.to_string().contains("content/guide/top.md:3:1"), "{d}");
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("`taxonomies: {conditions: [term]}`"),
        "{d}"
    );
}

#[test]
fn taxonomy_names_in_site_yaml_are_checked() {
    let site = Site::empty();
    crate::common::assert_site_yaml_errors(
        &site,
        &[
            ("taxonomies: [Topics]", "is not a plain lowercase word"),
            ("taxonomies: [page]", "docent uses /page/ itself"),
            ("taxonomies: [tags, tags]", "declared twice"),
            ("taxonomies:\n  - {name: x, colour: red}", "colour"),
        ],
    );
}

#[test]
fn check_warns_about_a_term_that_looks_like_a_typo() {
    let site = Site::fixture("science/topics");
    site.write(
        "content/guide/typo.md",
        "---\ntitle: Typo\ntaxonomies:\n  topics: [Saftey, Dreams]\n---\nText.\n",
    );
    let report = docent::check::run_at(site.root());
    let typos: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.check == "term-typo")
        .collect();
    assert_eq!(typos.len(), 1, "{:?}", report.findings);
    let text = typos[0].diagnostic.to_string();
    assert!(
        text.contains("did you mean `Safety` (used on 3 pages)?"),
        "{text}"
    );
    assert!(text.contains("content/guide/typo.md:4:12"), "{text}");
}

#[test]
fn rebuilds_follow_term_changes_and_leave_listing_pages_alone_otherwise() {
    let site = Site::fixture("science/topics");
    site.build_ok();
    let stamp = |rel: &str| {
        std::fs::metadata(site.public().join(rel))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = stamp("topics/safety/page/2/index.html");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let r = site.build_ok();
    assert_eq!(r.files.written, 0, "{:?}", r.files);
    assert_eq!(stamp("topics/safety/page/2/index.html"), before);
    // A page takes a new term: its page, the term's page and the list follow.
    let heart = std::fs::read_to_string(site.root().join("content/guide/heart.md")).unwrap();
    site.write(
        "content/guide/heart.md",
        &heart.replace("[Heart rate, safety]", "[Heart rate, safety, Exercise]"),
    )
    .build_ok();
    assert!(
        site.read("topics/exercise/index.html")
            .contains("/learn/guide/heart/")
    );
    assert!(site.read("topics/index.html").contains(">Exercise</a>"));
    assert!(
        site.read("guide/heart/index.html")
            .contains("/learn/topics/exercise/")
    );
}

#[test]
fn a_theme_can_replace_the_term_list() {
    let site = Site::fixture("science/topics");
    site.write(
        "templates/generated/term.html",
        "<p class=\"mine\">{{ term.name }}: {% for p in term.pages %}{{ p.title }};{% endfor %}</p>\n",
    )
    .build_ok();
    let html = site.read("topics/safety/index.html");
    assert!(
        html.contains(
            "<p class=\"mine\">Safety: Sleep after a session;Heart rate and blood pressure;</p>"
        ),
        "{html}"
    );
}

#[test]
fn a_taxonomy_with_many_terms_lists_them_over_several_pages() {
    let site = Site::empty();
    site.write("site.yaml", "title: T\npaginate: 10\ntaxonomies: [tags]\n");
    for i in 0..25 {
        site.write(
            &format!("content/p{i:02}.md"),
            &format!("---\ntitle: P{i}\ntags: [Term {i:02}]\n---\n"),
        );
    }
    site.build_ok();
    let first = site.read("tags/index.html");
    assert_eq!(first.matches("class=\"term-count\"").count(), 10);
    assert!(first.contains(">Term 00</a>") && !first.contains(">Term 10</a>"));
    assert!(first.contains("<p>Showing 1 to 10 of 25.</p>"));
    let third = site.read("tags/page/3/index.html");
    assert!(third.contains(">Term 24</a>") && !third.contains(">Term 19</a>"));
    assert!(third.contains("<title>Tags (page 3 of 3) · T</title>"));
    assert!(!site.public().join("tags/page/4").exists());
}

#[test]
fn a_section_at_a_taxonomy_url_keeps_its_own_pages_on_its_first_page() {
    let site = Site::fixture("science/topics");
    site.write(
        "content/topics/how-we-choose.md",
        "---\ntitle: How we choose topics\n---\nText.\n",
    )
    .build_ok();
    // `paginate: 2` splits the four terms; the section's own page stays on page 1.
    let first = site.read("topics/index.html");
    assert!(
        first.contains("href=\"/learn/topics/how-we-choose/\""),
        "{first}"
    );
    assert!(first.contains(">Caffeine</a>") && !first.contains(">Safety</a>"));
    let second = site.read("topics/page/2/index.html");
    assert!(second.contains(">Safety</a>"));
    assert!(!second.contains("href=\"/learn/topics/how-we-choose/\">"));
}
