//! Taxonomies: the terms pages give themselves (`tags:` and
//! `taxonomies: {conditions: [PTSD]}` in front matter), checked against the
//! taxonomies site.yaml declares and gathered into `Site::taxonomies`, with
//! a list page per taxonomy (`/tags/`) and a page per term
//! (`/tags/safety/`). An existing page at one of those URLs gets the list
//! appended instead, so editors can write an introduction.

use std::collections::HashMap;

use super::{add_or_mark, urls};
use crate::config::SiteConfig;
use crate::error::{Diagnostic, Kind};
use crate::site::{Generated, Page, Site, Taxonomy, TaxonomyTerm};

/// Every page's `taxonomies:` keys name a declared taxonomy, and every term
/// has a letter or digit to make its URL from.
pub(crate) fn check_front_matter(pages: &[Page], config: &SiteConfig) -> Vec<Diagnostic> {
    let declared: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
    let mut errors = Vec::new();
    for page in pages {
        let at = |key: &str, msg: String, hint: String| {
            let (line, col) = page.key_position(key);
            Diagnostic::new(Kind::InvalidValue, msg)
                .at(&page.shown_path, line, col, Some(&page.text))
                .hint(hint)
        };
        for name in page.meta.taxonomies.keys() {
            if !declared.contains(&name.as_str()) {
                let hint = match crate::util::closest(name, declared.iter().copied()) {
                    Some(c) => format!(
                        "did you mean `{c}`? Declared taxonomies: {}",
                        declared.join(", ")
                    ),
                    None if declared.is_empty() => {
                        format!("declare it in site.yaml: `taxonomies: [{name}]`")
                    }
                    None => format!(
                        "declare it in site.yaml under `taxonomies:` (declared: {})",
                        declared.join(", ")
                    ),
                };
                errors.push(at(
                    name,
                    format!("`{name}` is not a taxonomy of this site"),
                    hint,
                ));
            }
        }
        for name in declared.iter().copied() {
            for term in page.meta.terms(name) {
                if !term.chars().any(char::is_alphanumeric) {
                    let key = if page.meta.taxonomies.contains_key(name) {
                        name
                    } else {
                        "tags"
                    };
                    errors.push(at(
                        key,
                        format!(
                            "{name} term `{}` has no letter or digit to make its URL from",
                            crate::util::shorten(term, 40)
                        ),
                        "write the term as a word, e.g. `safety`".into(),
                    ));
                }
            }
        }
    }
    errors
}

/// An unknown front-matter key that names a declared taxonomy (`conditions:
/// [PTSD]` at the top) gets a hint saying where its terms go.
pub(crate) fn explain_unknown_keys(errors: &mut [Diagnostic], config: &SiteConfig) {
    for e in errors.iter_mut().filter(|e| e.kind == Kind::UnknownKey) {
        let Some(key) = e
            .message
            .strip_prefix("unknown key `")
            .and_then(|k| k.strip_suffix('`'))
        else {
            continue;
        };
        if config.taxonomies.iter().any(|t| t.name == key) {
            e.hint = Some(format!(
                "`{key}` is a taxonomy of this site: its terms go under `taxonomies:`, as in `taxonomies: {{{key}: [term]}}` (only `tags` may stand on its own)"
            ));
        }
    }
}

/// A list page for each declared taxonomy (or the existing page at its
/// URL), added before pages are linked into sections so it is listed
/// like any top-level page. Returns each taxonomy's list page index.
pub(crate) fn add_list_pages(
    pages: &mut Vec<Page>,
    config: &SiteConfig,
    strings: &crate::i18n::Strings,
) -> Vec<usize> {
    let mut at = urls(pages);
    config
        .taxonomies
        .iter()
        .enumerate()
        .map(|(t, tax)| {
            let i = add_or_mark(
                pages,
                &mut at,
                Generated::Taxonomy(t),
                crate::site::taxonomy_path(&tax.name, None),
                format!("{}.md", tax.name),
                tax.title.clone(),
                None,
            );
            if pages[i].hash.is_empty() {
                // Added by docent: say what the page is (search results,
                // link previews, the meta description).
                pages[i].meta.description =
                    Some(strings.fill("taxonomy_description", &[("taxonomy", &tax.title)]));
            }
            i
        })
        .collect()
}

/// Gather every declared taxonomy's terms from the pages, in navigation
/// order, and give each term its page (parent: the taxonomy's list page).
pub(crate) fn attach(site: &mut Site, list_pages: &[usize]) {
    let rank = site.nav_order();
    // Topic pages list the default language's pages: a term page in one
    // language listing pages in several would mix them. Terms written on
    // other languages' pages are reported, not listed.
    let mut warnings = Vec::new();
    for page in site.pages.iter().filter(|p| p.lang > 0) {
        let named = site
            .config
            .taxonomies
            .iter()
            .find(|t| page.meta.terms(&t.name).next().is_some());
        if let Some(t) = named {
            let key = if t.name == "tags" && !page.meta.tags.is_empty() {
                "tags"
            } else {
                "taxonomies"
            };
            let (line, col) = page.key_position(key);
            warnings.push(
                Diagnostic::new(
                    Kind::NotPublished,
                    format!(
                        "{}: topic terms are listed for pages of the default language only; this page's are not shown",
                        page.shown_path.display()
                    ),
                )
                .at(&page.shown_path, line, col, Some(&page.text))
                .hint("remove the terms from this translation; its source page's terms list the topic"),
            );
        }
    }
    site.warnings.extend(warnings);
    let mut order: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].lang == 0)
        .collect();
    order.sort_by_key(|&i| rank[i]);
    let configs = site.config.taxonomies.clone();
    let mut at = urls(&site.pages);
    let mut taxonomies = Vec::with_capacity(configs.len());
    for (t, config) in configs.into_iter().enumerate() {
        let mut terms: Vec<TaxonomyTerm> = Vec::new();
        let mut by_slug: HashMap<String, usize> = HashMap::new();
        // Each term's spellings with how many pages use them.
        let mut spellings: Vec<Vec<(&str, usize)>> = Vec::new();
        for &i in &order {
            let page = &site.pages[i];
            for name in page.meta.terms(&config.name) {
                let name = name.trim();
                if !name.chars().any(char::is_alphanumeric) {
                    continue;
                }
                let slug = crate::url::slugify(name);
                let k = *by_slug.entry(slug.clone()).or_insert_with(|| {
                    terms.push(TaxonomyTerm {
                        name: String::new(),
                        slug,
                        pages: Vec::new(),
                        page: usize::MAX,
                    });
                    spellings.push(Vec::new());
                    terms.len() - 1
                });
                if terms[k].pages.last() != Some(&i) {
                    terms[k].pages.push(i);
                }
                match spellings[k].iter_mut().find(|(s, _)| *s == name) {
                    Some((_, n)) => *n += 1,
                    None => spellings[k].push((name, 1)),
                }
            }
        }
        // A term is named as most pages spell it (the first such in
        // navigation order on a tie).
        for (term, names) in terms.iter_mut().zip(&spellings) {
            let mut best = ("", 0);
            for &(name, n) in names {
                if n > best.1 {
                    best = (name, n);
                }
            }
            term.name = best.0.to_string();
        }
        // Sorted by name, case-insensitively; by_slug follows.
        terms.sort_by_cached_key(|term| (term.name.to_lowercase(), term.slug.clone()));
        for (k, term) in terms.iter().enumerate() {
            by_slug.insert(term.slug.clone(), k);
        }
        let paginate = config.paginate.unwrap_or(site.config.paginate);
        taxonomies.push(Taxonomy {
            config,
            paginate,
            terms,
            by_slug,
            page: list_pages[t],
        });
    }
    let strings = site.languages.first().map(|l| l.strings.clone());
    for (t, tax) in taxonomies.iter_mut().enumerate() {
        for (k, term) in tax.terms.iter_mut().enumerate() {
            let before = site.pages.len();
            term.page = add_or_mark(
                &mut site.pages,
                &mut at,
                Generated::Term(t, k),
                crate::site::taxonomy_path(&tax.config.name, Some(&term.slug)),
                format!("{}/{}.md", tax.config.name, term.slug),
                term.name.clone(),
                Some(tax.page),
            );
            if site.pages.len() > before {
                let p = &mut site.pages[term.page];
                p.meta.description = strings
                    .as_ref()
                    .map(|s| s.fill("term_description", &[("term", &term.name)]));
                site.by_source.insert(p.rel_path.clone(), term.page);
            }
        }
    }
    site.taxonomies = taxonomies;
}
