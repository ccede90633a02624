//! Heading ids: slugs of heading text, de-duplicated per page.

use rustc_hash::FxHashMap;

pub(crate) use crate::url::slugify;

/// Ids the page templates use around the body (the default theme's, listed
/// in docs/templates.md): a heading "Main" gets `main-1`, so the skip link
/// and the TOC label keep pointing where they should.
pub const TEMPLATE_IDS: &[&str] = &[
    "main",
    "toc-title",
    "listing-title",
    "newsletter-title",
    "newsletter-email",
];

/// Prefixes of the ids docent writes into page bodies itself: reference
/// list items (`ref-smith2020`), glossary tooltips (`gl-3`) and glossary
/// entries (`term-placebo`). A heading whose slug starts with one gets
/// `h-` in front (`## Gl 3` → `h-gl-3`), so headings never take them.
pub const GENERATED_PREFIXES: &[&str] = &["ref-", "gl-", "term-"];

/// Fixed ids of the lists docent appends to generated pages (the search
/// page's form and list of every page).
pub const GENERATED_IDS: &[&str] = &["search-input", "search-help", "search-results", "all-pages"];

/// Hands out unique ids on one page: `x`, `x-1`, `x-2`, …
#[derive(Debug, Default)]
pub struct IdSet {
    used: FxHashMap<String, usize>,
}

impl IdSet {
    /// An id set for a page body: the templates' ids are taken already.
    pub fn for_page() -> Self {
        let mut ids = Self::default();
        for id in TEMPLATE_IDS.iter().chain(GENERATED_IDS) {
            ids.reserve(id);
        }
        ids
    }

    /// Reserve ids given explicitly (`{#id}`) so generated ones avoid them.
    pub fn reserve(&mut self, id: &str) {
        self.used.entry(id.to_string()).or_insert(0);
    }

    /// Whether `id` is taken on the page.
    pub fn contains(&self, id: &str) -> bool {
        self.used.contains_key(id)
    }

    /// A unique id based on `base`, for headings and other ids made from
    /// text: never one of docent's generated ids ([`GENERATED_PREFIXES`]).
    pub fn unique(&mut self, base: &str) -> String {
        if GENERATED_PREFIXES.iter().any(|p| base.starts_with(p)) {
            return self.unique_raw(&format!("h-{base}"));
        }
        self.unique_raw(base)
    }

    /// A unique id based on `base`, as it is.
    pub fn unique_raw(&mut self, base: &str) -> String {
        match self.used.get(base) {
            None => {
                self.used.insert(base.to_string(), 0);
                base.to_string()
            }
            Some(&n) => {
                let mut n = n;
                let candidate = loop {
                    n += 1;
                    let candidate = format!("{base}-{n}");
                    if !self.used.contains_key(&candidate) {
                        break candidate;
                    }
                };
                self.used.insert(base.to_string(), n);
                self.used.insert(candidate.clone(), 0);
                candidate
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_never_take_the_ids_docent_generates() {
        let mut ids = IdSet::for_page();
        assert_eq!(ids.unique("ref-smith2020"), "h-ref-smith2020");
        assert_eq!(ids.unique("gl-1"), "h-gl-1");
        assert_eq!(ids.unique("gl-1"), "h-gl-1-1");
        assert_eq!(ids.unique("glossary"), "glossary");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("What is MDMA-assisted therapy?"),
            "what-is-mdma-assisted-therapy"
        );
        assert_eq!(slugify("  Safety & risks  "), "safety-risks");
        assert_eq!(slugify("What's next"), "whats-next");
        assert_eq!(slugify("Étude 2 — Résultats"), "étude-2-résultats");
        assert_eq!(slugify("???"), "section");
    }

    #[test]
    fn dedup() {
        let mut ids = IdSet::default();
        assert_eq!(ids.unique("faq"), "faq");
        assert_eq!(ids.unique("faq"), "faq-1");
        assert_eq!(ids.unique("faq"), "faq-2");
        ids.reserve("x-1");
        assert_eq!(ids.unique("x"), "x");
        assert_eq!(ids.unique("x"), "x-2");
    }

    #[test]
    fn template_ids_are_taken() {
        let mut ids = IdSet::for_page();
        assert_eq!(ids.unique("main"), "main-1");
        assert_eq!(ids.unique("toc-title"), "toc-title-1");
        assert_eq!(ids.unique("risks"), "risks");
    }
}
