//! The data templates see: `site`, `page` and (on sections) `section`.
//! Documented in docs/templates.md; keep the two in step.

use serde::Serialize;

use crate::markdown::{Rendered, TocEntry};
use crate::site::{Page, PageKind, Site};

#[derive(Debug, Serialize)]
pub(crate) struct SiteCtx<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    /// Path part of base_url: prefix for theme assets (`{{ site.base_path }}style.css`).
    pub base_path: &'a str,
    /// The language of the pages rendered with it (BCP 47), and which way
    /// its text runs (`ltr`, `rtl`).
    pub language: &'a str,
    pub dir: &'static str,
    /// The site's default language (`language:` in site.yaml).
    pub default_language: &'a str,
    /// The home page of this language.
    pub home_url: String,
    /// This language's Atom feed (with the base path), when the site has
    /// feeds.
    pub feed_url: Option<String>,
    /// Every language of the site with its home (empty when it has one).
    pub languages: Vec<LanguageLink<'a>>,
    /// The search box's messages in this language, as JSON (for
    /// `data-search-strings`).
    pub search_strings: String,
    pub extra: &'a serde_json::Value,
    pub disclaimer: Option<&'a str>,
    /// The site has an Atom feed and sitemap (base_url is absolute).
    pub feeds: bool,
    /// URL of the search page, when search is on.
    pub search_url: Option<String>,
    /// The newsletter form settings, or none when the site has no newsletter.
    pub newsletter: Option<crate::config::NewsletterConfig>,
    /// Top-level sections and pages, for the main navigation.
    pub nav: Vec<Link>,
    /// `nav_limit` from site.yaml (0: no limit).
    pub nav_limit: usize,
    pub generator: &'static str,
}

/// A language of the site and where its version of something is.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LanguageLink<'a> {
    pub code: &'a str,
    /// Its own name for itself (`Español`).
    pub name: &'a str,
    pub dir: &'static str,
    pub url: String,
    /// Whether it is the language being rendered.
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct PageCtx<'a> {
    /// `home`, `section` or `page`.
    pub kind: &'static str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub permalink: String,
    /// Source file relative to the site root.
    pub source: String,
    pub date: Option<&'a str>,
    pub updated: Option<&'a str>,
    pub weight: Option<i64>,
    pub tags: &'a [String],
    pub extra: &'a serde_json::Value,
    /// Nested `{level, id, title, children}`; empty when the page has fewer
    /// than two headings in range or `toc: false`.
    pub toc: &'a [TocEntry],
    /// The rendered body HTML (print with `| safe`).
    pub content: &'a str,
    pub word_count: usize,
    /// Minutes at 200 words a minute, at least 1.
    pub reading_time: usize,
    /// The page needs the syntax highlighting stylesheet.
    pub highlighted: bool,
    /// Home and sections above this page, outermost first.
    pub ancestors: Vec<Link>,
    /// Neighbours in the parent section's order.
    pub previous: Option<Link>,
    pub next: Option<Link>,
    /// Front matter `takeaways`, rendered to HTML.
    pub takeaways: Vec<String>,
    /// Front matter `urgent` cards, rendered to HTML.
    pub urgent: Vec<String>,
    /// Medical review metadata, when the page has any.
    pub review: Option<ReviewCtx<'a>>,
    /// Front matter `current_to` (`YYYY-MM-DD`): the facts are current to
    /// this date.
    pub current_to: Option<&'a str>,
    /// JSON-LD blocks for `<head>` (already serialized, safe inside `<script>`).
    pub jsonld: Vec<String>,
    /// The page's terms in each taxonomy that it uses, as links.
    pub terms: Vec<PageTerms<'a>>,
    /// On a multilingual site: every language with this page's version in
    /// it, or that language's home when it has none (the switcher).
    pub translations: Vec<LanguageLink<'a>>,
    /// The languages this page exists in, itself included (for
    /// `hreflang` links); empty when it exists in one only.
    pub alternates: Vec<LanguageLink<'a>>,
    /// Set while this translation is older than its source: the source
    /// page's language name and URL.
    pub stale: Option<StaleCtx<'a>>,
}

/// A translation whose source changed after it was translated.
#[derive(Debug, Serialize)]
pub(crate) struct StaleCtx<'a> {
    /// The source's language, by its own name (`English`).
    pub language: &'a str,
    pub url: String,
    /// What changed: `title`, `body`, `data`, `updated`.
    pub changed: Vec<&'static str>,
}

/// A page's terms in one taxonomy.
#[derive(Debug, Serialize)]
pub(crate) struct PageTerms<'a> {
    /// The taxonomy's name (`tags`) and title (`Tags`), and its list page.
    pub name: &'a str,
    pub title: &'a str,
    pub url: String,
    /// Each term's name and page.
    pub items: Vec<Link>,
}

/// Where a listing page stands among the pages of one list (a section's
/// pages, a term's pages), for templates: only on lists longer than one
/// page.
#[derive(Debug, Serialize)]
pub(crate) struct Paginator {
    /// This page's number (1-based) and how many there are.
    pub current: usize,
    pub total: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Numbered links: the first page, the pages around this one (two
    /// each side) and the last, with a gap (no number) where pages are
    /// left out.
    pub links: Vec<PagerLink>,
    /// Items in the whole list, and the 1-based range of those shown here.
    pub items: usize,
    pub from: usize,
    pub to: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct PagerLink {
    /// None for a gap.
    pub number: Option<usize>,
    pub url: String,
    pub current: bool,
}

/// The paginator of listing page `n` of page `i`, and the range of its
/// items shown there; no paginator when the list fits on one page.
pub(crate) fn paginator(
    site: &Site,
    i: usize,
    n: usize,
) -> (Option<Paginator>, std::ops::Range<usize>) {
    let Some((items, per)) = site.listing(i) else {
        return (None, 0..0);
    };
    let total = site.listing_pages(i);
    if total <= 1 || per == 0 {
        return (None, 0..items);
    }
    let n = n.clamp(1, total);
    let page = &site.pages[i];
    let url = |k: usize| {
        crate::site::join_url(
            site.config.base_path(),
            &crate::site::pager_path(&page.url_path, &page.out_path, k).0,
        )
    };
    let range = (n - 1) * per..(n * per).min(items);
    let mut links: Vec<PagerLink> = Vec::new();
    let mut last = 0;
    let near = n.saturating_sub(2).max(1)..=(n + 2).min(total);
    for k in std::iter::once(1).chain(near).chain(std::iter::once(total)) {
        if k <= last {
            continue;
        }
        if k > last + 1 {
            links.push(PagerLink {
                number: None,
                url: String::new(),
                current: false,
            });
        }
        links.push(PagerLink {
            number: Some(k),
            url: url(k),
            current: k == n,
        });
        last = k;
    }
    let pager = Paginator {
        current: n,
        total,
        first: url(1),
        last: url(total),
        previous: (n > 1).then(|| url(n - 1)),
        next: (n < total).then(|| url(n + 1)),
        links,
        items,
        from: range.start + 1,
        to: range.end,
    };
    (Some(pager), range)
}

/// The page's terms, as links, per taxonomy (in site.yaml's order).
fn page_terms<'a>(site: &'a Site, page: &Page) -> Vec<PageTerms<'a>> {
    let mut out = Vec::new();
    if page.lang > 0 {
        // Topic pages list the default language's pages only.
        return out;
    }
    for tax in &site.taxonomies {
        let mut items: Vec<Link> = Vec::new();
        let mut seen = Vec::new();
        for name in page.meta.terms(&tax.config.name) {
            let slug = crate::url::slugify(name.trim());
            if let Some(&k) = tax.by_slug.get(&slug)
                && !seen.contains(&k)
            {
                seen.push(k);
                items.push(link(site, tax.terms[k].page));
            }
        }
        if !items.is_empty() {
            out.push(PageTerms {
                name: &tax.config.name,
                title: &tax.config.title,
                url: site.url(&site.pages[tax.page]),
                items,
            });
        }
    }
    out
}

#[derive(Debug, Serialize)]
pub(crate) struct ReviewCtx<'a> {
    pub reviewed_by: Option<&'a crate::site::Reviewer>,
    pub last_reviewed: Option<&'a str>,
    pub next_review: Option<String>,
    pub audience: Option<crate::site::Audience>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SectionCtx<'a> {
    pub title: &'a str,
    pub url: String,
    pub pages: Vec<Summary<'a>>,
    pub subsections: Vec<Summary<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Summary<'a> {
    pub title: &'a str,
    pub url: String,
    pub description: Option<&'a str>,
    pub date: Option<&'a str>,
}

static EMPTY_MAP: std::sync::LazyLock<serde_json::Value> =
    std::sync::LazyLock::new(|| serde_json::Value::Object(Default::default()));

/// The site as templates see it in language `lang` (index into
/// `site.languages`).
pub(crate) fn site_ctx(site: &Site, lang: usize) -> SiteCtx<'_> {
    let language = &site.languages[lang];
    let home = &site.pages[language.home];
    let nav = home
        .subsections
        .iter()
        .chain(home.children.iter())
        .map(|&i| link(site, i))
        .collect();
    let feeds = site.config.has_absolute_base();
    SiteCtx {
        title: &language.title,
        description: &language.description,
        base_url: &site.config.base_url,
        base_path: site.config.base_path(),
        language: &language.code,
        dir: language.dir.as_str(),
        default_language: &site.config.language,
        home_url: site.url(home),
        feed_url: feeds
            .then(|| crate::site::join_url(site.config.base_path(), &site.feed_path(lang).0)),
        languages: if site.is_multilingual() {
            language_links(site, lang, |l| Some(site.languages[l].home))
        } else {
            Vec::new()
        },
        search_strings: language.strings.js_json(),
        extra: &site.config.extra,
        disclaimer: lang
            .checked_sub(1)
            .and_then(|k| site.config.languages[k].disclaimer.as_deref())
            .or(site.config.disclaimer.as_deref()),
        feeds,
        search_url: language.search.map(|i| site.url(&site.pages[i])),
        newsletter: site.newsletter(lang),
        nav,
        nav_limit: site.config.nav_limit,
        generator: concat!("docent ", env!("CARGO_PKG_VERSION")),
    }
}

/// Each language of the site with the page `target` gives for it (its
/// version of something, or its home when it has none).
fn language_links(
    site: &Site,
    current: usize,
    target: impl Fn(usize) -> Option<usize>,
) -> Vec<LanguageLink<'_>> {
    links_to(site, current, target, |p| site.url(p))
}

/// [`language_links`] with URLs made by `url`.
fn links_to<'a>(
    site: &'a Site,
    current: usize,
    target: impl Fn(usize) -> Option<usize>,
    url: impl Fn(&Page) -> String,
) -> Vec<LanguageLink<'a>> {
    site.languages
        .iter()
        .enumerate()
        .map(|(k, l)| LanguageLink {
            code: &l.code,
            name: l.strings.language_name(),
            dir: l.dir.as_str(),
            url: url(&site.pages[target(k).unwrap_or(l.home)]),
            current: k == current,
        })
        .collect()
}

/// The versions of page `i` in the site's languages, for the language
/// switcher and `hreflang` links: each language's own version, or its home
/// (marked `exists: false` by leaving it out of `alternates`).
fn translations(site: &Site, i: usize) -> (Vec<LanguageLink<'_>>, Vec<LanguageLink<'_>>) {
    if !site.is_multilingual() {
        return (Vec::new(), Vec::new());
    }
    let page = &site.pages[i];
    let switcher = language_links(site, page.lang, |l| site.translation(i, l));
    let alternates = links_to(
        site,
        page.lang,
        |l| site.translation(i, l),
        |p| site.permalink(p),
    )
    .into_iter()
    .enumerate()
    .filter(|(l, _)| site.translation(i, *l).is_some())
    .map(|(_, link)| link)
    .collect::<Vec<_>>();
    // A page in one language only has no alternates; nor has a site
    // without an absolute base URL (hreflang needs absolute addresses).
    let alternates = if alternates.len() > 1 && site.config.has_absolute_base() {
        alternates
    } else {
        Vec::new()
    };
    (switcher, alternates)
}

fn link(site: &Site, i: usize) -> Link {
    let p = &site.pages[i];
    Link {
        title: p.title.clone(),
        url: site.url(p),
    }
}

pub(crate) fn page_ctx<'a>(site: &'a Site, index: usize, rendered: &'a Rendered) -> PageCtx<'a> {
    let page = &site.pages[index];
    let mut ancestors = Vec::new();
    let mut up = page.parent;
    while let Some(i) = up {
        ancestors.push(link(site, i));
        up = site.pages[i].parent;
    }
    ancestors.reverse();
    let (previous, next) = match (page.kind, page.parent) {
        (PageKind::Page, Some(parent)) => {
            let siblings = &site.pages[parent].children;
            let pos = Some(page.position).filter(|&p| siblings.get(p) == Some(&index));
            let prev = pos
                .and_then(|p| p.checked_sub(1))
                .map(|p| link(site, siblings[p]));
            let next = pos
                .and_then(|p| siblings.get(p + 1))
                .map(|&n| link(site, n));
            (prev, next)
        }
        _ => (None, None),
    };
    let (switcher, alternates) = translations(site, index);
    PageCtx {
        kind: page.kind.as_str(),
        title: &page.title,
        description: page.meta.description.as_deref(),
        url: site.url(page),
        permalink: site.permalink(page),
        source: page.shown_path.display().to_string(),
        date: page.meta.date.as_deref(),
        updated: page.meta.updated.as_deref(),
        weight: page.meta.weight,
        tags: &page.meta.tags,
        extra: page.meta.extra.as_ref().unwrap_or(&EMPTY_MAP),
        toc: &rendered.toc,
        content: &rendered.html,
        word_count: rendered.word_count,
        reading_time: rendered.word_count.div_ceil(200).max(1),
        highlighted: rendered.highlighted,
        takeaways: rendered.takeaways.clone(),
        urgent: rendered.urgent.clone(),
        review: crate::review::is_medical(page).then(|| ReviewCtx {
            reviewed_by: page.meta.reviewed_by.as_ref(),
            last_reviewed: page.meta.last_reviewed.as_deref(),
            next_review: crate::review::next_review(site, page),
            audience: page.meta.audience,
        }),
        current_to: page.meta.current_to.as_deref(),
        jsonld: jsonld(site, index, rendered),
        terms: page_terms(site, page),
        translations: switcher,
        alternates,
        stale: crate::translation::stale(site, index)
            .ok()
            .flatten()
            .map(|st| {
                let source = &site.pages[st.source];
                StaleCtx {
                    language: site.lang(source).strings.language_name(),
                    url: site.url(source),
                    changed: st.changed,
                }
            }),
        ancestors,
        previous,
        next,
    }
}

/// Serialize JSON-LD so it cannot close its `<script>` element.
pub(crate) fn script_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn jsonld(site: &Site, index: usize, rendered: &Rendered) -> Vec<String> {
    use serde_json::json;
    let page = &site.pages[index];
    let abs = |url: &str| {
        if site.config.has_absolute_base() {
            crate::site::join_url(
                &site.config.base_url,
                url.strip_prefix(site.config.base_path().trim_end_matches('/'))
                    .unwrap_or(url),
            )
        } else {
            url.to_string()
        }
    };
    let mut out = Vec::new();
    if crate::review::is_medical(page) {
        let mut v = json!({
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": page.title,
            "url": abs(&site.url(page)),
            "inLanguage": site.lang(page).code,
        });
        if let Some(d) = &page.meta.description {
            v["description"] = json!(d);
        }
        if let Some(d) = &page.meta.last_reviewed {
            v["lastReviewed"] = json!(d);
        }
        if let Some(r) = &page.meta.reviewed_by {
            let name = match &r.credentials {
                Some(c) => format!("{}, {c}", r.name),
                None => r.name.clone(),
            };
            v["reviewedBy"] = json!({ "@type": "Person", "name": name });
        }
        if let Some(a) = page.meta.audience {
            v["medicalAudience"] =
                json!({ "@type": "MedicalAudience", "audienceType": a.schema_type() });
        }
        out.push(script_json(&v));
    }
    if page.kind == crate::site::PageKind::Home {
        out.push(script_json(&json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": site.lang(page).title,
            "description": site.lang(page).description,
            "url": abs(&site.url(page)),
            "inLanguage": site.lang(page).code,
        })));
    } else {
        let mut items = Vec::new();
        let mut up = page.parent;
        let mut chain = vec![index];
        while let Some(i) = up {
            chain.push(i);
            up = site.pages[i].parent;
        }
        chain.reverse();
        for (pos, &i) in chain.iter().enumerate() {
            let p = &site.pages[i];
            items.push(json!({
                "@type": "ListItem",
                "position": pos + 1,
                "name": p.title,
                "item": abs(&site.url(p)),
            }));
        }
        out.push(script_json(&json!({
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": items,
        })));
    }
    out.extend(rendered.jsonld.iter().map(script_json));
    out
}

/// A section's listing: `range` of its pages (all of them when the
/// section is not paginated), and its subsections on the first page.
pub(crate) fn section_ctx<'a>(
    site: &'a Site,
    page: &'a Page,
    range: std::ops::Range<usize>,
) -> SectionCtx<'a> {
    let summary = |&i: &usize| {
        let p = &site.pages[i];
        Summary {
            title: &p.title,
            url: site.url(p),
            description: p.meta.description.as_deref(),
            date: p.meta.date.as_deref(),
        }
    };
    SectionCtx {
        title: &page.title,
        url: site.url(page),
        pages: page
            .children
            .get(range.clone())
            .unwrap_or(&[])
            .iter()
            .map(summary)
            .collect(),
        subsections: if range.start == 0 {
            page.subsections.iter().map(summary).collect()
        } else {
            Vec::new()
        },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The field names docs/templates.md lists in the table under the
    /// heading `## \`name\`` (first cell: one or more backticked names).
    fn documented(name: &str) -> BTreeSet<String> {
        let doc =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/templates.md"))
                .unwrap();
        let heading = format!("## `{name}`");
        let section = doc
            .split("\n## ")
            .find(|s| format!("## {s}").starts_with(&heading))
            .unwrap_or_else(|| panic!("docs/templates.md has no {heading}"));
        section
            .lines()
            .filter(|l| l.starts_with("| `"))
            .flat_map(|l| {
                let cell = l.split('|').nth(1).unwrap_or("");
                cell.split(',')
                    .map(|n| n.trim().trim_matches('`').to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn fields(v: serde_json::Value) -> BTreeSet<String> {
        v.as_object().unwrap().keys().cloned().collect()
    }

    #[test]
    fn docs_templates_md_lists_every_field_templates_see() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("site.yaml"), "title: T\npaginate: 1\n").unwrap();
        std::fs::write(
            dir.path().join("content/p.md"),
            "---\ntitle: P\naudience: patient\n---\n## A\n## B\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("content/q.md"), "# Q\n").unwrap();
        let site = crate::load::load(dir.path(), &Default::default()).unwrap();
        let i = site.by_source["p.md"];
        let rendered = Rendered::default();
        let checks = [
            (
                "site",
                fields(serde_json::to_value(site_ctx(&site, 0)).unwrap()),
            ),
            (
                "page",
                fields(serde_json::to_value(page_ctx(&site, i, &rendered)).unwrap()),
            ),
            (
                "section",
                fields(serde_json::to_value(section_ctx(&site, site.home(), 0..0)).unwrap()),
            ),
            (
                "paginator",
                fields(serde_json::to_value(paginator(&site, 0, 1).0.unwrap()).unwrap()),
            ),
        ];
        for (name, fields) in checks {
            let docs = documented(name);
            let undocumented: Vec<_> = fields.difference(&docs).collect();
            let gone: Vec<_> = docs.difference(&fields).collect();
            assert!(
                undocumented.is_empty() && gone.is_empty(),
                "docs/templates.md `{name}`: not documented {undocumented:?}; documented but not in the context {gone:?}"
            );
        }
    }
}
