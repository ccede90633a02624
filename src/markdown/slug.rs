//! Heading ids: slugs of heading text, de-duplicated per page.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

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

/// The id of a MyST label (`(label)=`, `:name:`, `:label:`): its
/// fragment form ([`crate::url::fragment_id`]), with `label-` in front
/// when the theme or docent use that id themselves (`(main)=` is
/// `label-main`): a label's id is fixed by its name alone, so links from
/// any page reach it, and never has to give way on the page.
pub fn label_id(name: &str) -> Cow<'_, str> {
    let id = crate::url::fragment_id(name);
    let taken = TEMPLATE_IDS.iter().chain(GENERATED_IDS).any(|t| *t == id)
        || GENERATED_PREFIXES.iter().any(|p| id.starts_with(p));
    if taken {
        Cow::Owned(format!("label-{id}"))
    } else {
        id
    }
}

/// Hands out unique ids on one page: `x`, `x-1`, `x-2`, …
#[derive(Debug, Default)]
pub struct IdSet {
    used: FxHashMap<String, usize>,
    /// Ids of labels the page defines ([`IdSet::reserve_label`]), not yet
    /// given to what they label.
    labels: FxHashSet<String>,
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

    /// Reserve the id of a label the page defines (MyST's `(label)=`,
    /// `:name:`, `:label:`) before anything is rendered, so ids made from
    /// text avoid it wherever the label comes; [`IdSet::claim`] gives it
    /// to what it labels. An id taken already (the theme's) stays taken.
    pub fn reserve_label(&mut self, id: &str) {
        if !self.used.contains_key(id) {
            self.used.insert(id.to_string(), 0);
            self.labels.insert(id.to_string());
        }
    }

    /// The id of what a label labels: the label's own, reserved by
    /// [`IdSet::reserve_label`], once; a unique one based on it otherwise.
    pub fn claim(&mut self, id: &str) -> String {
        if self.labels.remove(id) {
            id.to_string()
        } else {
            self.unique_raw(id)
        }
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
    fn a_labels_id_never_is_one_the_theme_or_docent_uses() {
        assert_eq!(label_id("results"), "results");
        assert_eq!(label_id("Smith 2020"), "Smith%202020");
        assert_eq!(label_id("main"), "label-main");
        assert_eq!(label_id("search-results"), "label-search-results");
        assert_eq!(label_id("ref-smith"), "label-ref-smith");
    }

    #[test]
    fn a_label_is_claimed_once_and_text_ids_avoid_it() {
        let mut ids = IdSet::for_page();
        ids.reserve_label("small");
        ids.reserve_label("main");
        assert_eq!(ids.unique("small"), "small-1");
        assert_eq!(ids.claim("small"), "small");
        assert_eq!(ids.claim("small"), "small-2");
        // The theme's id is not the label's to claim.
        assert_eq!(ids.claim("main"), "main-1");
        // An id never reserved is made unique.
        assert_eq!(ids.claim("other"), "other");
        assert_eq!(ids.claim("other"), "other-1");
    }

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
