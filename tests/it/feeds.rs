//! Reader features: Atom feed, sitemap, robots.txt, page metadata, search
//! index files, `search: false`, and minification.

use crate::common::Site;

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.tag_name().name() == name)
}

fn parse(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).expect("well-formed XML")
}

#[test]
fn atom_feed_has_the_required_elements_and_absolute_urls() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let xml = site.read("atom.xml");
    let doc = parse(&xml);
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    for required in ["id", "title", "updated", "author"] {
        assert!(child(feed, required).is_some(), "feed/{required}");
    }
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 1, "only dated pages");
    let e = entries[0];
    for required in ["id", "title", "updated", "link"] {
        assert!(child(e, required).is_some(), "entry/{required}");
    }
    assert_eq!(
        child(e, "id").unwrap().text(),
        Some("https://example.org/guide/safety/")
    );
    assert_eq!(
        child(e, "link").unwrap().attribute("href"),
        Some("https://example.org/guide/safety/")
    );
    assert_eq!(
        child(e, "updated").unwrap().text(),
        Some("2025-09-04T00:00:00Z")
    );
    let self_link = feed
        .children()
        .find(|c| c.attribute("rel") == Some("self"))
        .unwrap();
    assert_eq!(
        self_link.attribute("href"),
        Some("https://example.org/guide/atom.xml")
    );
}

#[test]
fn sitemap_lists_every_page_with_lastmod_and_robots_points_at_it() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let xml = site.read("sitemap.xml");
    let doc = parse(&xml);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let urls: Vec<_> = root
        .children()
        .filter(|c| c.tag_name().name() == "url")
        .collect();
    assert_eq!(
        urls.len(),
        8,
        "every page and section except the search page"
    );
    let locs: Vec<&str> = urls
        .iter()
        .map(|u| {
            u.children()
                .find(|c| c.tag_name().name() == "loc")
                .unwrap()
                .text()
                .unwrap()
        })
        .collect();
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://example.org/guide/")),
        "{locs:?}"
    );
    assert!(locs.contains(&"https://example.org/guide/treatment/preparation/"));
    let safety = urls
        .iter()
        .find(|u| {
            u.children()
                .any(|c| c.text() == Some("https://example.org/guide/safety/"))
        })
        .unwrap();
    let lastmod = safety
        .children()
        .find(|c| c.tag_name().name() == "lastmod")
        .unwrap()
        .text();
    assert_eq!(lastmod, Some("2025-09-04"), "from `updated`");
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/guide/sitemap.xml\n"
    );
}

#[test]
fn relative_base_url_gets_no_feed_or_sitemap() {
    let site = Site::fixture("templates/override");
    site.build_ok();
    assert!(!site.public().join("atom.xml").exists());
    assert!(!site.public().join("sitemap.xml").exists());
    assert_eq!(site.read("robots.txt"), "User-agent: *\nAllow: /\n");
    assert!(!site.read("index.html").contains("application/atom+xml"));
}

#[test]
fn feeds_and_crawler_files_are_templates_a_site_or_theme_can_replace() {
    let site = Site::fixture("content/basic");
    // The site replaces robots.txt and the sitemap's entries; the feed
    // keeps the built-in template.
    site.write(
        "templates/robots.txt",
        "User-agent: *\nDisallow: /drafts/\n{% if sitemap %}Sitemap: {{ sitemap }}\n{% endif %}",
    );
    site.write(
        "templates/sitemap.xml",
        "<urlset>{% for e in entries %}<url><loc>{{ e.loc }}</loc></url>{% endfor %}<!-- {{ site.title }} --></urlset>\n",
    );
    site.build_ok();
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nDisallow: /drafts/\nSitemap: https://example.org/guide/sitemap.xml\n"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<url><loc>https://example.org/guide/safety/</loc></url>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<!-- Basic fixture -->"), "{sitemap}");
    assert!(
        site.read("atom.xml")
            .contains("<generator>docent</generator>")
    );

    // A theme of its own, without any of these templates, still gets them.
    let themed = Site::fixture("content/basic");
    std::fs::create_dir_all(themed.root().join("themes/plain/templates")).unwrap();
    for name in ["page.html", "section.html", "index.html"] {
        themed.write(
            &format!("themes/plain/templates/{name}"),
            "<!DOCTYPE html><html lang=\"en\"><title>{{ page.title }}</title>{{ page.content | safe }}</html>\n",
        );
    }
    let config = std::fs::read_to_string(themed.root().join("site.yaml")).unwrap();
    themed.write("site.yaml", &format!("{config}theme: plain\n"));
    themed.build_ok();
    parse(&themed.read("atom.xml"));
    parse(&themed.read("sitemap.xml"));
    assert!(themed.read("robots.txt").contains("Sitemap: "));

    // A broken feed template is a located error in that template.
    site.write("templates/atom.xml", "{% for x in %}\n");
    let errors = site.build_err();
    let text: String = errors.iter().map(|d| d.render("error")).collect();
    assert!(text.contains("templates/atom.xml:1:"), "{text}");
}

#[test]
fn pages_carry_social_and_structured_metadata() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let html = site.read("safety/index.html");
    for tag in [
        "<link rel=\"canonical\" href=\"https://example.org/guide/safety/\">",
        "<meta name=\"description\" content=\"Side effects and who should not take part.\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:title\" content=\"Safety\">",
        "<meta property=\"og:url\" content=\"https://example.org/guide/safety/\">",
        "<meta property=\"og:description\" content=\"Side effects and who should not take part.\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Basic fixture\" href=\"/guide/atom.xml\">",
    ] {
        assert!(html.contains(tag), "{tag}");
    }
    let ld: Vec<serde_json::Value> = html
        .split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| serde_json::from_str(s.split("</script>").next().unwrap()).unwrap())
        .collect();
    assert_eq!(ld[0]["@type"], "BreadcrumbList");
    let home = site.read("index.html");
    let website: serde_json::Value = serde_json::from_str(
        home.split("<script type=\"application/ld+json\">")
            .nth(1)
            .unwrap()
            .split("</script>")
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(website["@type"], "WebSite");
    assert_eq!(website["url"], "https://example.org/guide/");
}

/// A term's pages in the built index, as (URL, weight), decoded the way
/// search.js decodes them.
fn index_lookup(site: &Site, term: &str) -> Vec<(String, u64)> {
    let meta: serde_json::Value =
        serde_json::from_str(&site.read("search/index/meta.json")).unwrap();
    let chunk = meta["chunk"].as_u64().unwrap();
    let shards: Vec<&str> = meta["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let Some(name) = docent::search::shard_for(&shards, term) else {
        return Vec::new();
    };
    let shard: serde_json::Value =
        serde_json::from_str(&site.read(&format!("search/index/terms/{name}.json"))).unwrap();
    let Some(list) = shard[term].as_array() else {
        return Vec::new();
    };
    let mut page = 0;
    list.chunks(2)
        .map(|p| {
            page += p[0].as_u64().unwrap();
            let rows: serde_json::Value = serde_json::from_str(
                &site.read(&format!("search/index/pages/{}.json", page / chunk)),
            )
            .unwrap();
            let url = rows[(page % chunk) as usize][0]
                .as_str()
                .unwrap()
                .to_string();
            (url, p[1].as_u64().unwrap())
        })
        .collect()
}

#[test]
fn search_index_is_built_from_article_text_and_can_be_turned_off() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    // A word only the safety page's body has; URLs carry the base path.
    let once = u64::from(docent::search::weight(1.0));
    assert_eq!(
        index_lookup(&site, "clenching"),
        [("/guide/safety/".to_string(), once)]
    );
    // Title and heading words weigh more.
    let dosing = index_lookup(&site, "dosing");
    let (_, weight) = dosing
        .iter()
        .find(|(u, _)| u == "/guide/treatment/dosing/")
        .expect("the dosing page is indexed");
    let title = u64::from(docent::search::weight(docent::search::TITLE_WEIGHT));
    assert!(*weight >= title, "{dosing:?}");
    assert_eq!(
        index_lookup(&site, "pressure"),
        [(
            "/guide/safety/".to_string(),
            u64::from(docent::search::weight(1.0 + docent::search::HEADING_WEIGHT))
        )]
    );
    // Heading anchors' hidden text and the search page are not indexed:
    // "section" is only in the home and treatment pages' text.
    let section: Vec<String> = index_lookup(&site, "section")
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    assert_eq!(section, ["/guide/", "/guide/treatment/"]);
    assert!(
        index_lookup(&site, "search")
            .iter()
            .all(|(u, _)| u != "/guide/search/")
    );
    let search = site.read("search/index.html");
    assert!(search.contains("data-search-index=\"/guide/search/index/\""));
    assert!(search.contains("<noscript><p class=\"search-nojs\">Search needs JavaScript."));
    assert!(
        search.contains("<a href=\"/guide/treatment/dosing/\">Dosing sessions</a>"),
        "site index fallback"
    );
    // Every page has a search box that submits to the search page.
    assert!(site.read("safety/index.html").contains(
        "<form class=\"site-search\" role=\"search\" action=\"/guide/search/\" method=\"get\" \
         data-search-index=\"/guide/search/index/\" data-search-script=\"/guide/search/search.js\" \
         data-search-strings=\"{&quot;lang&quot;:&quot;en-GB&quot;}\">"
    ));
    // The English messages travel once, in the script, not on every page.
    let script = site.read("search/search.js");
    assert!(script.contains(r#""none":"No results for “{query}”""#));
    // Only the article body is indexed.
    assert!(
        site.read("safety/index.html")
            .contains("<div class=\"prose\" data-search-body>")
    );

    let cfg = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{cfg}search: false\n"));
    site.build_ok();
    assert!(
        !site.public().join("search").exists(),
        "the search page and the index files of the earlier build are removed"
    );
    assert!(!site.read("index.html").contains("site-search"));
}

#[cfg(feature = "minify")]
#[test]
fn minify_shrinks_pages_and_keeps_their_content() {
    let site = Site::fixture("content/basic");
    site.build_ok();
    let plain = site.read("safety/index.html");
    let cfg = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{cfg}minify: true\n"));
    let report = site.build_ok();
    // (The fixture's content/.hidden.md is reported, as it should be.)
    assert!(
        report
            .warnings
            .iter()
            .all(|w| w.message.contains("starts with a dot")),
        "{:#?}",
        report.warnings
    );
    let min = site.read("safety/index.html");
    assert!(min.len() < plain.len(), "{} vs {}", min.len(), plain.len());
    assert!(
        min.matches(">\n<").count() * 10 < plain.matches(">\n<").count(),
        "whitespace between tags is gone (outside <pre>)"
    );
    assert!(
        min.contains("<h2 id=risks><a class=heading-link href=#risks>Risks</a></h2>"),
        "{min}"
    );
    assert!(min.contains("</html>"), "closing tags are kept");
}

#[test]
fn a_sites_own_robots_txt_is_published_instead_of_docents() {
    // Found importing Zola and Hugo sites (issue 25), whose static/ folders
    // hold one: docent's generated file silently replaced it.
    let site = Site::empty();
    site.write("site.yaml", "title: T\nbase_url: https://example.org/\n");
    site.write("content/robots.txt", "User-agent: *\nDisallow: /drafts/\n");
    site.build_ok();
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nDisallow: /drafts/\n"
    );
    // In static/ too.
    std::fs::remove_file(site.root().join("content/robots.txt")).unwrap();
    site.write("static/robots.txt", "User-agent: *\n");
    site.build_ok();
    assert_eq!(site.read("robots.txt"), "User-agent: *\n");
    // Without one, docent's points at the sitemap.
    std::fs::remove_file(site.root().join("static/robots.txt")).unwrap();
    site.build_ok();
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn a_sites_own_files_win_over_the_ones_docent_generates() {
    // A site's own 404 page, sitemap, feed or highlighting stylesheet (an
    // imported Hugo or Zola site's static/ often has them) was silently
    // replaced by docent's generated file of the same name.
    let site = Site::empty();
    site.write("site.yaml", "title: T\nbase_url: https://example.org/\n");
    site.write(
        "content/index.md",
        "---\ntitle: Home\ndate: 2025-01-02\n---\n\n## Code\n\n```rust\nfn main() {}\n```\n",
    );
    let own = [
        (
            "content/404.html",
            "404.html",
            "<!doctype html><title>Lost</title>",
        ),
        ("content/sitemap.xml", "sitemap.xml", "<urlset>own</urlset>"),
        ("static/atom.xml", "atom.xml", "<feed>own</feed>"),
        ("static/syntax.css", "syntax.css", "/* own */"),
    ];
    // Without them, docent writes its own.
    site.build_ok();
    for (_, out, text) in own {
        assert_ne!(site.read(out), text, "{out} is generated");
    }
    for (src, _, text) in own {
        site.write(src, text);
    }
    site.build_ok();
    for (src, out, text) in own {
        assert_eq!(site.read(out), text, "{src} is published as {out}");
    }
    // The pages still link the feed.
    assert!(site.read("index.html").contains("href=\"/atom.xml\""));
}
