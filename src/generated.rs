//! Generated page content: the site-wide bibliography (every reference and
//! the pages that cite it), the glossary, the search page's list of pages,
//! each taxonomy's list of terms and each term's list of pages. Runs after
//! the markdown stage, because it needs to know which page cites what. The
//! markup is in the built-in templates `generated/references.html`,
//! `generated/glossary.html`, `generated/search.html`,
//! `generated/taxonomy.html` and `generated/term.html`
//! (`src/render/builtin/`), which a theme or site can replace; this module
//! builds what they see.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest};
use serde::Serialize;

use crate::error::Diagnostic;
use crate::markdown::Rendered;
use crate::markdown::citations::to_html;
use crate::render::Templates;
use crate::site::{Generated, Site};

/// Append generated lists to the pages that carry them, except the
/// search pages' ([`search`], rendered while the search index is made).
pub(crate) fn fill(
    site: &Site,
    rendered: &mut [Rendered],
    templates: &Templates,
) -> Result<(), Diagnostic> {
    for (i, page) in site.pages.iter().enumerate() {
        let html = match page.generated {
            Some(Generated::References) => references(site, rendered, templates)?,
            Some(Generated::Glossary) => glossary(site, templates)?,
            Some(Generated::Taxonomy(t)) => taxonomy(site, templates, i, t, 1)?,
            Some(Generated::Term(t, k)) => term(site, templates, i, t, k, 1)?,
            Some(Generated::Search) | None => continue,
        };
        rendered[i].html.push_str(&html);
    }
    Ok(())
}

/// Render `generated/<name>.html` (built in, or the theme's or site's)
/// with `value` as the variable `var`.
fn render(
    templates: &Templates,
    name: &str,
    var: &'static str,
    value: &impl Serialize,
) -> Result<String, Diagnostic> {
    templates.render_with(&format!("generated/{name}.html"), var, value)
}

/// A link to a page, as the templates get it.
#[derive(Serialize)]
struct PageLink {
    title: String,
    url: String,
}

/// One reference on the references page: the entry as a page's own list
/// has it, and the pages that cite it (in site order).
#[derive(Serialize)]
struct Reference {
    #[serde(flatten)]
    entry: crate::markdown::citations::Reference,
    cited_on: Vec<PageLink>,
}

fn references(
    site: &Site,
    rendered: &[Rendered],
    templates: &Templates,
) -> Result<String, Diagnostic> {
    let Some(bib) = &site.bibliography else {
        return Ok(String::new());
    };
    let mut cited_by: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in rendered.iter().enumerate() {
        for key in &r.cited {
            cited_by.entry(key.as_str()).or_default().push(i);
        }
    }
    let entries = formatted_entries(bib);
    let references: Vec<Reference> = entries
        .iter()
        .map(|(key, content)| Reference {
            entry: crate::markdown::citations::Reference::new(bib, key, content.clone()),
            cited_on: cited_by
                .get(key.as_str())
                .map(|pages| {
                    pages
                        .iter()
                        .map(|&p| PageLink {
                            title: site.pages[p].title.clone(),
                            url: site.url(&site.pages[p]),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    render(templates, "references", "references", &references)
}

/// Formatted bibliography entries: (key, HTML).
type Entries = Arc<Vec<(String, String)>>;

/// Every entry of the bibliography formatted in its style, as (key, HTML),
/// in the style's order. Formatting is most of a small site's rebuild in
/// `docent serve`, so the last result is kept while the bibliography, style
/// and language stay the same.
fn formatted_entries(bib: &crate::site::Bibliography) -> Entries {
    static LAST: Mutex<Option<(u64, Entries)>> = Mutex::new(None);
    if let Some((hash, entries)) = &*LAST.lock().unwrap_or_else(|p| p.into_inner())
        && *hash == bib.hash
    {
        return entries.clone();
    }
    let mut driver = BibliographyDriver::new();
    let items = bib
        .keys
        .iter()
        .filter_map(|k| bib.library.get(k))
        .map(|e| CitationItem::new(e, None, None, true, None))
        .collect();
    driver.citation(CitationRequest::from_items(items, &bib.style, &bib.locales));
    let result = driver.finish(BibliographyRequest {
        style: &bib.style,
        locale: None,
        locale_files: &bib.locales,
    });
    let entries: Entries = Arc::new(
        result
            .bibliography
            .map(|b| b.items)
            .unwrap_or_default()
            .into_iter()
            .map(|item| (item.key, to_html(&item.content)))
            .collect(),
    );
    *LAST.lock().unwrap_or_else(|p| p.into_inner()) = Some((bib.hash, entries.clone()));
    entries
}

/// One term on the glossary page.
#[derive(Serialize)]
struct Term<'a> {
    id: &'a str,
    term: &'a str,
    /// Its other names, as matched in text (lower case).
    aliases: Vec<&'a str>,
    /// The definition (HTML).
    definition: &'a str,
}

fn glossary(site: &Site, templates: &Templates) -> Result<String, Diagnostic> {
    let Some(g) = &site.glossary else {
        return Ok(String::new());
    };
    let terms: Vec<Term> = g
        .terms
        .iter()
        .map(|t| {
            let own = t.term.to_lowercase();
            Term {
                id: &t.id,
                term: &t.term,
                aliases: t
                    .forms
                    .iter()
                    .filter(|f| **f != own)
                    .map(String::as_str)
                    .collect(),
                definition: t.definition_html.trim(),
            }
        })
        .collect();
    render(templates, "glossary", "terms", &terms)
}

/// What the search page's template gets.
#[derive(Serialize)]
struct SearchPage {
    /// The search page's URL (the form's target; the index is under it).
    url: String,
    /// The search script's URL.
    script: String,
    /// Every page but the search page, for readers without JavaScript.
    pages: Vec<PageLink>,
}

/// The search page `i`: a form that works as a plain link target without
/// JavaScript, a live results list with it, and a list of every page in
/// its language.
pub(crate) fn search(site: &Site, templates: &Templates, i: usize) -> Result<String, Diagnostic> {
    let lang = site.pages[i].lang;
    let page = SearchPage {
        url: site.url(&site.pages[i]),
        script: format!("{}{}", site.config.base_path(), crate::search::SCRIPT_PATH),
        pages: site
            .pages
            .iter()
            .filter(|p| p.generated != Some(Generated::Search) && p.lang == lang)
            .map(|p| PageLink {
                title: p.title.clone(),
                url: site.url(p),
            })
            .collect(),
    };
    templates.render_in("generated/search.html", "search", &page, lang)
}

/// One term on a taxonomy's list page.
#[derive(Serialize)]
struct TermLink<'a> {
    name: &'a str,
    url: String,
    /// How many pages use it, and that number written for the site's
    /// language.
    count: usize,
    count_text: String,
}

/// What `generated/taxonomy.html` gets.
#[derive(Serialize)]
struct TaxonomyList<'a> {
    name: &'a str,
    title: &'a str,
    /// This listing page's share of the terms.
    terms: Vec<TermLink<'a>>,
    paginator: Option<crate::render::context::Paginator>,
}

/// The list of taxonomy `t`'s terms (on page `i`), listing page `n`.
pub(crate) fn taxonomy(
    site: &Site,
    templates: &Templates,
    i: usize,
    t: usize,
    n: usize,
) -> Result<String, Diagnostic> {
    let tax = &site.taxonomies[t];
    let (paginator, range) = crate::render::context::paginator(site, i, n);
    let list = TaxonomyList {
        name: &tax.config.name,
        title: &tax.config.title,
        paginator,
        terms: tax
            .terms
            .get(range)
            .unwrap_or(&[])
            .iter()
            .map(|term| TermLink {
                name: &term.name,
                url: site.url(&site.pages[term.page]),
                count: term.pages.len(),
                count_text: crate::markdown::components::numbers::format_number(
                    term.pages.len() as f64,
                    &site.config.language,
                ),
            })
            .collect(),
    };
    render(templates, "taxonomy", "taxonomy", &list)
}

/// A page in a term's list.
#[derive(Serialize)]
struct TermPage<'a> {
    title: &'a str,
    url: String,
    description: Option<&'a str>,
    date: Option<&'a str>,
    /// When a health page was last reviewed (`YYYY-MM-DD`).
    last_reviewed: Option<&'a str>,
}

/// What `generated/term.html` gets.
#[derive(Serialize)]
struct TermList<'a> {
    name: &'a str,
    /// The taxonomy's name and title, and its list page.
    taxonomy: &'a str,
    taxonomy_title: &'a str,
    taxonomy_url: String,
    /// The term's Atom feed, when the site has feeds.
    feed: Option<String>,
    /// Pages using the term, in navigation order: this listing page's share.
    pages: Vec<TermPage<'a>>,
    paginator: Option<crate::render::context::Paginator>,
}

/// The list of pages with term `k` of taxonomy `t` (on page `i`), listing
/// page `n`.
pub(crate) fn term(
    site: &Site,
    templates: &Templates,
    i: usize,
    t: usize,
    k: usize,
    n: usize,
) -> Result<String, Diagnostic> {
    let tax = &site.taxonomies[t];
    let term = &tax.terms[k];
    let (paginator, range) = crate::render::context::paginator(site, i, n);
    let list = TermList {
        name: &term.name,
        taxonomy: &tax.config.name,
        taxonomy_title: &tax.config.title,
        taxonomy_url: site.url(&site.pages[tax.page]),
        feed: crate::feeds::term_feed_url(site, t, k),
        pages: term
            .pages
            .get(range)
            .unwrap_or(&[])
            .iter()
            .map(|&p| {
                let page = &site.pages[p];
                TermPage {
                    title: &page.title,
                    url: site.url(page),
                    description: page.meta.description.as_deref(),
                    date: page.meta.date.as_deref(),
                    last_reviewed: page.meta.last_reviewed.as_deref(),
                }
            })
            .collect(),
        paginator,
    };
    render(templates, "term", "term", &list)
}
