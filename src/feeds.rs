//! Feeds and crawler files: an Atom feed of dated pages (`/atom.xml`), a
//! sitemap (`/sitemap.xml`) with `lastmod` from `updated`/`last_reviewed`,
//! and `robots.txt` pointing at it. Feeds and sitemaps need absolute URLs,
//! so they are made only when `base_url` is absolute.

use std::fmt::Write as _;

use crate::date::PageDate;
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
        out.extend(sitemaps(site, SITEMAP_LIMIT));
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
/// (Front-matter dates were checked when the page was loaded.)
pub fn last_modified(page: &Page) -> Option<PageDate> {
    [
        &page.meta.updated,
        &page.meta.last_reviewed,
        &page.meta.date,
    ]
    .into_iter()
    .flatten()
    .filter_map(|d| crate::date::parse(d).ok())
    .max_by_key(PageDate::key)
}

/// A page's `date`, checked.
fn published(page: &Page) -> Option<PageDate> {
    page.meta
        .date
        .as_deref()
        .and_then(|d| crate::date::parse(d).ok())
}

/// Most URLs in one sitemap file (the sitemap protocol's limit).
pub const SITEMAP_LIMIT: usize = 50_000;

/// `sitemap.xml`, or past `limit` URLs a sitemap index named so that
/// points at `sitemap-1.xml`, `sitemap-2.xml`, … of `limit` URLs each.
fn sitemaps(site: &Site, limit: usize) -> Vec<OutputFile> {
    let entries: Vec<String> = site
        .pages
        .iter()
        .filter(|p| p.generated != Some(Generated::Search))
        .map(|page| {
            let mut e = format!(
                "  <url>\n    <loc>{}</loc>\n",
                escape_html(&site.permalink(page))
            );
            if let Some(d) = last_modified(page) {
                let _ = writeln!(e, "    <lastmod>{}</lastmod>", d.ymd());
            }
            e.push_str("  </url>\n");
            e
        })
        .collect();
    let urlset = |part: &[String]| {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        s.extend(part.iter().map(String::as_str));
        s.push_str("</urlset>\n");
        s
    };
    if entries.len() <= limit {
        return vec![file("sitemap.xml", urlset(&entries))];
    }
    let mut out = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, part) in entries.chunks(limit).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let _ = write!(
            index,
            "  <sitemap>\n    <loc>{}</loc>\n  </sitemap>\n",
            escape_html(&join_url(&site.config.base_url, &format!("/{name}")))
        );
        out.push(file(&name, urlset(part)));
    }
    index.push_str("</sitemapindex>\n");
    out.push(file("sitemap.xml", index));
    out
}

fn atom(site: &Site) -> String {
    let mut dated: Vec<(&Page, PageDate)> = site
        .pages
        .iter()
        .filter_map(|p| published(p).map(|d| (p, d)))
        .collect();
    dated.sort_by(|(a, da), (b, db)| db.key().cmp(&da.key()).then_with(|| a.title.cmp(&b.title)));
    dated.truncate(FEED_LIMIT);
    let home = join_url(&site.config.base_url, "/");
    let updated = site
        .pages
        .iter()
        .filter_map(last_modified)
        .max_by_key(PageDate::key)
        .or_else(|| crate::date::parse(&crate::date::today()).ok())
        .map(|d| d.rfc3339())
        .unwrap_or_default();
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
    for (page, date) in dated {
        let url = escape_html(&site.permalink(page));
        let published = date.rfc3339();
        let updated = last_modified(page)
            .map(|d| d.rfc3339())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_site_gets_a_sitemap_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(
            root.join("site.yaml"),
            "title: T\nbase_url: https://example.org/g/\nsearch: false\n",
        )
        .unwrap();
        for i in 0..7 {
            std::fs::write(
                root.join(format!("content/p{i}.md")),
                format!("---\ntitle: P{i}\nupdated: 2024-01-0{}\n---\n", i + 1),
            )
            .unwrap();
        }
        let site = crate::load::load(root, &Default::default()).unwrap();
        // Home and 7 pages in files of 3.
        let files = sitemaps(&site, 3);
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let text = |f: &OutputFile| match &f.content {
            Content::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
            _ => unreachable!(),
        };
        let index = text(&files[3]);
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(
            index.contains("<loc>https://example.org/g/sitemap-3.xml</loc>"),
            "{index}"
        );
        let urls: usize = files[..3]
            .iter()
            .map(|f| text(f).matches("<url>").count())
            .sum();
        assert_eq!(urls, 8);
        assert!(text(&files[2]).contains("<lastmod>2024-01-07</lastmod>"));
        assert_eq!(sitemaps(&site, 8).len(), 1, "at the limit: one file");
    }
}
