//! Feeds and crawler files: an Atom feed of dated pages (`/atom.xml`) and
//! one per taxonomy term (`/tags/safety/atom.xml`), a sitemap (`/sitemap.xml`) with `lastmod` from `updated`/`last_reviewed`,
//! and `robots.txt` pointing at it. Feeds and sitemaps need absolute URLs,
//! so they are made only when `base_url` is absolute.

use serde::Serialize;

use crate::date::PageDate;
use crate::error::Diagnostic;
use crate::render::Templates;
use crate::site::{Generated, Page, Site, join_url};
use crate::write::{Content, OutputFile};

/// Most entries in the feed.
pub(crate) const FEED_LIMIT: usize = 50;

/// `robots.txt`, and with an absolute `base_url` the sitemap and the Atom
/// feed, each from its template (built in, see `render::theme::BUILT_IN`;
/// a theme or site may replace it).
pub(crate) fn files(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut out = Vec::new();
    let abs = site.config.has_absolute_base();
    if abs {
        out.extend(sitemaps(site, templates, SITEMAP_LIMIT)?);
        for (k, language) in site.languages.iter().enumerate() {
            // One feed per language: a reader never gets pages in another.
            let (url, out_path) = site.feed_path(k);
            let mut feed = atom(
                site,
                site.pages.iter().filter(|p| p.lang == k),
                language.title.clone(),
                &url,
            );
            feed.language = language.code.clone();
            feed.subtitle = Some(language.description.clone()).filter(|d| !d.is_empty());
            feed.id = site.permalink(&site.pages[language.home]);
            feed.author = language.title.clone();
            out.push(file(
                &out_path,
                templates.render_with("atom.xml", "feed", &feed)?,
            ));
        }
        for (t, tax) in site.taxonomies.iter().enumerate() {
            for (k, term) in tax.terms.iter().enumerate() {
                if term_feed_url(site, t, k).is_none() {
                    continue;
                }
                let (url, out_path) = term_feed_path(site, t, k);
                let feed = atom(
                    site,
                    term.pages.iter().map(|&i| &site.pages[i]),
                    format!("{}: {}", site.config.title, term.name),
                    &url,
                );
                out.push(file(
                    &out_path,
                    templates.render_with("atom.xml", "feed", &feed)?,
                ));
            }
        }
    }
    // A site's own robots.txt (content/ or static/) wins: see
    // `output_files` in lib.rs.
    let sitemap = abs.then(|| join_url(&site.config.base_url, "/sitemap.xml"));
    out.push(file(
        "robots.txt",
        templates.render_with("robots.txt", "sitemap", &sitemap)?,
    ));
    Ok(out)
}

/// The site-relative URL and output file of term `k` of taxonomy `t`'s feed.
fn term_feed_path(site: &Site, t: usize, k: usize) -> (String, String) {
    let page = &site.pages[site.taxonomies[t].terms[k].page];
    let dir = page
        .out_path
        .strip_suffix("index.html")
        .unwrap_or(&page.out_path);
    (
        format!("{}atom.xml", page.url_path),
        format!("{dir}atom.xml"),
    )
}

/// The absolute URL of term `k` of taxonomy `t`'s feed, when it has one
/// (`base_url` absolute, the taxonomy's `feed` not turned off).
pub(crate) fn term_feed_url(site: &Site, t: usize, k: usize) -> Option<String> {
    (site.config.has_absolute_base() && site.taxonomies[t].config.feed)
        .then(|| join_url(&site.config.base_url, &term_feed_path(site, t, k).0))
}

fn file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.into(),
        content: Content::Bytes(text.into_bytes()),
    }
}

/// The most recent date a page carries, for `lastmod` and `updated`.
/// (Front-matter dates were checked when the page was loaded.)
pub(crate) fn last_modified(page: &Page) -> Option<PageDate> {
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
pub(crate) const SITEMAP_LIMIT: usize = 50_000;

/// One URL of the sitemap, as `sitemap.xml` gets it.
#[derive(Serialize)]
struct SitemapEntry {
    /// The page's absolute URL.
    loc: String,
    /// `YYYY-MM-DD` of its latest date, if it has one.
    lastmod: Option<String>,
    /// On a multilingual site, the page in each language it exists in
    /// (itself included): `(hreflang, absolute URL)`.
    alternates: Vec<(String, String)>,
}

/// `sitemap.xml`, or past `limit` URLs a sitemap index so named
/// (`sitemap_index.xml`) that points at `sitemap-1.xml`, `sitemap-2.xml`,
/// … of `limit` URLs each.
fn sitemaps(
    site: &Site,
    templates: &Templates,
    limit: usize,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let entries: Vec<SitemapEntry> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.generated != Some(Generated::Search))
        .map(|(i, page)| SitemapEntry {
            loc: site.permalink(page),
            lastmod: last_modified(page).map(|d| d.ymd()),
            alternates: alternates(site, i),
        })
        .collect();
    if entries.len() <= limit {
        let xml = templates.render_with("sitemap.xml", "entries", &entries)?;
        return Ok(vec![file("sitemap.xml", xml)]);
    }
    let mut out = Vec::new();
    let mut index = Vec::new();
    for (i, part) in entries.chunks(limit).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push(join_url(&site.config.base_url, &format!("/{name}")));
        out.push(file(
            &name,
            templates.render_with("sitemap.xml", "entries", &part)?,
        ));
    }
    let xml = templates.render_with("sitemap_index.xml", "sitemaps", &index)?;
    out.push(file("sitemap.xml", xml));
    Ok(out)
}

/// Page `i` in every language it exists in, when that is more than one.
fn alternates(site: &Site, i: usize) -> Vec<(String, String)> {
    if !site.is_multilingual() {
        return Vec::new();
    }
    let found: Vec<(String, String)> = (0..site.languages.len())
        .filter_map(|l| {
            let j = site.translation(i, l)?;
            Some((
                site.languages[l].code.clone(),
                site.permalink(&site.pages[j]),
            ))
        })
        .collect();
    if found.len() > 1 { found } else { Vec::new() }
}

/// The feed as `atom.xml` gets it.
#[derive(Serialize)]
struct Feed {
    language: String,
    title: String,
    /// The site's description, when it has one.
    subtitle: Option<String>,
    /// The home page's absolute URL (the feed's id and link).
    id: String,
    self_url: String,
    /// RFC 3339: the latest date of any page (or today).
    updated: String,
    author: String,
    /// The most recent dated pages, newest first.
    entries: Vec<FeedEntry>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    published: String,
    updated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
}

/// The feed of the dated pages among `pages`, titled `title`, found at
/// site-relative `self_path`.
fn atom<'a>(
    site: &'a Site,
    pages: impl Iterator<Item = &'a Page> + Clone,
    title: String,
    self_path: &str,
) -> Feed {
    let mut dated: Vec<(&Page, PageDate)> = pages
        .clone()
        .filter_map(|p| published(p).map(|d| (p, d)))
        .collect();
    dated.sort_by(|(a, da), (b, db)| db.key().cmp(&da.key()).then_with(|| a.title.cmp(&b.title)));
    dated.truncate(FEED_LIMIT);
    let updated = pages
        .filter_map(last_modified)
        .max_by_key(PageDate::key)
        .or_else(|| crate::date::parse(&crate::date::today()).ok())
        .map(|d| d.rfc3339())
        .unwrap_or_default();
    let entries = dated
        .into_iter()
        .map(|(page, date)| {
            let published = date.rfc3339();
            FeedEntry {
                title: page.title.clone(),
                url: site.permalink(page),
                updated: last_modified(page)
                    .map(|d| d.rfc3339())
                    .unwrap_or_else(|| published.clone()),
                published,
                summary: page.meta.description.clone(),
            }
        })
        .collect();
    Feed {
        language: site.config.language.clone(),
        title,
        subtitle: Some(site.config.description.clone()).filter(|d| !d.is_empty()),
        id: join_url(&site.config.base_url, "/"),
        self_url: join_url(&site.config.base_url, self_path),
        updated,
        author: site.config.title.clone(),
        entries,
    }
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
        let templates = crate::render::theme::load(&site).unwrap();
        // Home and 7 pages in files of 3.
        let files = sitemaps(&site, &templates, 3).unwrap();
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
        assert_eq!(
            sitemaps(&site, &templates, 8).unwrap().len(),
            1,
            "at the limit: one file"
        );
    }
}
