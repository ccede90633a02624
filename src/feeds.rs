//! Feeds and crawler files: an Atom feed of dated pages (`/atom.xml`), a
//! sitemap (`/sitemap.xml`) with `lastmod` from `updated`/`last_reviewed`,
//! and `robots.txt` pointing at it. Feeds and sitemaps need absolute URLs,
//! so they are made only when `base_url` is absolute.

use std::fmt::Write as _;

use crate::markdown::Rendered;
use crate::site::{Generated, Page, Site, join_url};
use crate::util::escape_html;
use crate::write::{Content, OutputFile};

/// Most entries in the feed.
pub const FEED_LIMIT: usize = 50;

pub fn files(site: &Site, _rendered: &[Rendered]) -> Vec<OutputFile> {
    let mut out = Vec::new();
    let abs = site.config.has_absolute_base();
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if abs {
        let _ = writeln!(
            robots,
            "Sitemap: {}",
            join_url(&site.config.base_url, "/sitemap.xml")
        );
        out.push(file("sitemap.xml", sitemap(site)));
        out.push(file("atom.xml", atom(site)));
    }
    out.push(file("robots.txt", robots));
    out
}

fn file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.into(),
        content: Content::Bytes(text.into_bytes()),
    }
}

/// The most recent date a page carries, for `lastmod` and `updated`.
pub fn last_modified(page: &Page) -> Option<&str> {
    [
        &page.meta.updated,
        &page.meta.last_reviewed,
        &page.meta.date,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .max()
}

fn sitemap(site: &Site) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in site
        .pages
        .iter()
        .filter(|p| p.generated != Some(Generated::Search))
    {
        let _ = write!(
            s,
            "  <url>\n    <loc>{}</loc>\n",
            escape_html(&site.permalink(page))
        );
        if let Some(d) = last_modified(page) {
            let _ = writeln!(s, "    <lastmod>{}</lastmod>", &d[..10]);
        }
        s.push_str("  </url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

fn rfc3339(date: &str) -> String {
    if date.len() == 10 {
        format!("{date}T00:00:00Z")
    } else {
        date.replace(' ', "T")
    }
}

fn atom(site: &Site) -> String {
    let mut dated: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| p.meta.date.is_some())
        .collect();
    dated.sort_by(|a, b| {
        b.meta
            .date
            .cmp(&a.meta.date)
            .then_with(|| a.title.cmp(&b.title))
    });
    dated.truncate(FEED_LIMIT);
    let home = join_url(&site.config.base_url, "/");
    let updated = site
        .pages
        .iter()
        .filter_map(last_modified)
        .max()
        .map(rfc3339)
        .unwrap_or_else(|| rfc3339(&crate::review::today()));
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        s,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        escape_html(&site.config.language),
        escape_html(&site.config.title)
    );
    if !site.config.description.is_empty() {
        let _ = writeln!(
            s,
            "  <subtitle>{}</subtitle>",
            escape_html(&site.config.description)
        );
    }
    let _ = write!(
        s,
        "  <id>{home}</id>\n  <link href=\"{home}\"/>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n  <generator>docent</generator>\n",
        escape_html(&join_url(&site.config.base_url, "/atom.xml")),
        escape_html(&site.config.title),
        home = escape_html(&home),
    );
    for page in dated {
        let url = escape_html(&site.permalink(page));
        let published = rfc3339(page.meta.date.as_deref().unwrap_or_default());
        let updated = last_modified(page)
            .map(rfc3339)
            .unwrap_or_else(|| published.clone());
        let _ = write!(
            s,
            "  <entry>\n    <title>{}</title>\n    <link href=\"{url}\"/>\n    <id>{url}</id>\n    <published>{published}</published>\n    <updated>{updated}</updated>\n",
            escape_html(&page.title)
        );
        if let Some(d) = &page.meta.description {
            let _ = writeln!(s, "    <summary>{}</summary>", escape_html(d));
        }
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}
