//! Generated page content: the site-wide bibliography (every reference and
//! the pages that cite it) and the glossary. Runs after the markdown stage,
//! because it needs to know which page cites what.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest};

use crate::markdown::Rendered;
use crate::markdown::citations::{reference_item, to_html};
use crate::site::{Generated, Site};
use crate::util::escape_html;

/// Append generated lists to the pages that carry them.
pub fn fill(site: &Site, rendered: &mut [Rendered]) {
    for (i, page) in site.pages.iter().enumerate() {
        let html = match page.generated {
            Some(Generated::References) => references(site, rendered),
            Some(Generated::Glossary) => glossary(site),
            Some(Generated::Search) => search(site),
            None => continue,
        };
        rendered[i].html.push_str(&html);
    }
}

fn references(site: &Site, rendered: &[Rendered]) -> String {
    let Some(bib) = &site.bibliography else {
        return String::new();
    };
    let mut cited_by: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in rendered.iter().enumerate() {
        for key in &r.cited {
            cited_by.entry(key.as_str()).or_default().push(i);
        }
    }
    let mut s = String::from("<ol class=\"reference-list reference-list-all\">\n");
    for (key, content) in formatted_entries(bib).iter() {
        let mut li = reference_item(bib, key, content);
        let pages = cited_by.get(key.as_str()).cloned().unwrap_or_default();
        let mut cited = String::from(" <span class=\"cited-on\">");
        if pages.is_empty() {
            cited.push_str("Not cited on any page.");
        } else {
            cited.push_str("Cited on: ");
            let links: Vec<String> = pages
                .iter()
                .map(|&p| {
                    format!(
                        "<a href=\"{}\">{}</a>",
                        escape_html(&site.url(&site.pages[p])),
                        escape_html(&site.pages[p].title)
                    )
                })
                .collect();
            cited.push_str(&links.join(", "));
            cited.push('.');
        }
        cited.push_str("</span>");
        li.insert_str(li.len() - "</li>\n".len(), &cited);
        s.push_str(&li);
    }
    s.push_str("</ol>\n");
    s
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

fn glossary(site: &Site) -> String {
    let Some(g) = &site.glossary else {
        return String::new();
    };
    let mut s = String::from("<dl class=\"glossary\">\n");
    for t in &g.terms {
        let _ = write!(
            s,
            "<dt id=\"{}\"><dfn>{}</dfn>",
            escape_html(&t.id),
            escape_html(&t.term)
        );
        let aliases: Vec<&String> = t
            .forms
            .iter()
            .filter(|f| **f != t.term.to_lowercase())
            .collect();
        if !aliases.is_empty() {
            let list: Vec<String> = aliases.iter().map(|a| escape_html(a)).collect();
            let _ = write!(
                s,
                " <span class=\"aliases\">(also: {})</span>",
                list.join(", ")
            );
        }
        let _ = writeln!(s, "</dt>\n<dd>{}</dd>", t.definition_html.trim());
    }
    s.push_str("</dl>\n");
    s
}

/// The search page: a form that works as a plain link target without
/// JavaScript, a live results list with it, and a list of every page.
fn search(site: &Site) -> String {
    let base = site.config.base_path();
    let page = escape_html(&site.generated_url(Generated::Search));
    let mut s = format!(
        "<div class=\"search\" data-search-ignore>\n<form class=\"search-form\" role=\"search\" action=\"{page}\" method=\"get\" data-search-index=\"{page}index/\">\n<label for=\"search-input\">Search this site</label>\n<div class=\"search-row\"><input type=\"search\" id=\"search-input\" name=\"q\" autocomplete=\"off\" aria-describedby=\"search-help\"><button type=\"submit\">Search</button></div>\n<p id=\"search-help\" class=\"search-help\">Results appear as you type. Use the down arrow to move to them.</p>\n</form>\n<p class=\"search-status\" role=\"status\" aria-live=\"polite\"></p>\n<ol class=\"search-results\" id=\"search-results\"></ol>\n<noscript><p class=\"search-nojs\">Search needs JavaScript. Every page of the site is listed below instead.</p></noscript>\n<script src=\"{base}{script}\" defer></script>\n",
        base = escape_html(base),
        script = crate::search::SCRIPT_PATH,
    );
    s.push_str("<h2 id=\"all-pages\">All pages</h2>\n<ul class=\"site-index\">\n");
    for p in site
        .pages
        .iter()
        .filter(|p| p.generated != Some(Generated::Search))
    {
        let _ = writeln!(
            s,
            "<li><a href=\"{}\">{}</a></li>",
            escape_html(&site.url(p)),
            escape_html(&p.title)
        );
    }
    s.push_str("</ul>\n</div>\n");
    s
}
