//! Taxonomy terms that look like typos: a term only one page uses that is
//! one edit (a letter added, dropped or changed, or two swapped) away from
//! a term other pages use ("saftey" beside "safety", "side effect" beside
//! "side effects"). Found through each used term's single-letter
//! deletions, so the cost grows with the number of terms, not its square.

use std::collections::HashMap;

use crate::error::{Diagnostic, Kind};
use crate::site::{Site, Taxonomy};

/// A warning for each term used once that is likely a typo of another.
pub(super) fn likely_typos(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for tax in &site.taxonomies {
        let variants = deletion_index(tax);
        for term in tax.terms.iter().filter(|t| t.pages.len() == 1) {
            if term.slug.chars().count() < 3 {
                continue;
            }
            let Some(other) = neighbours(&term.slug)
                .filter_map(|v| variants.get(v.as_str()))
                .flatten()
                .map(|&k| &tax.terms[k])
                .filter(|o| o.slug != term.slug)
                .max_by_key(|o| o.pages.len())
            else {
                continue;
            };
            let page = &site.pages[term.pages[0]];
            out.push(
                Diagnostic::new(
                    Kind::InvalidValue,
                    format!(
                        "`{}` ({}) is used on this page only; did you mean `{}` (used on {} pages)?",
                        term.name,
                        tax.config.name,
                        other.name,
                        other.pages.len()
                    ),
                )
                .at_offset(&page.shown_path, &page.text, term_offset(site, tax, term.pages[0], &term.name))
                .hint(format!(
                    "write `{}` if it is the same topic; each spelling gets its own page",
                    other.name
                )),
            );
        }
    }
    out
}

/// Each term used on more than one page, by its slug and by every slug one
/// letter shorter.
fn deletion_index(tax: &Taxonomy) -> HashMap<String, Vec<usize>> {
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, term) in tax.terms.iter().enumerate() {
        if term.pages.len() < 2 {
            continue;
        }
        for v in neighbours(&term.slug) {
            index.entry(v).or_default().push(k);
        }
    }
    index
}

/// `slug` and every string made by deleting one of its characters: two
/// slugs one edit apart share one of these.
fn neighbours(slug: &str) -> impl Iterator<Item = String> + '_ {
    std::iter::once(slug.to_string()).chain(slug.char_indices().map(move |(i, c)| {
        let mut s = String::with_capacity(slug.len());
        s.push_str(&slug[..i]);
        s.push_str(&slug[i + c.len_utf8()..]);
        s
    }))
}

/// Where page `i` writes term `name` of `tax` in its front matter (the
/// key's line when the term is not found after it).
fn term_offset(site: &Site, tax: &Taxonomy, i: usize, name: &str) -> usize {
    let page = &site.pages[i];
    let yaml = page
        .text
        .get(page.front_matter_offset..page.body_offset)
        .unwrap_or("");
    let key = if page.meta.taxonomies.contains_key(&tax.config.name) {
        tax.config.name.as_str()
    } else {
        "tags"
    };
    let from = yaml.find(&format!("{key}:")).unwrap_or(0);
    let at = yaml[from..].find(name).map_or(from, |o| from + o);
    page.front_matter_offset + at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_are_the_slug_and_its_one_letter_deletions() {
        let n: Vec<String> = neighbours("café").collect();
        assert_eq!(n, ["café", "afé", "cfé", "caé", "caf"]);
        // One edit apart share a neighbour: a swap, a change, an extra letter.
        let share = |a: &str, b: &str| {
            let na: Vec<String> = neighbours(a).collect();
            neighbours(b).any(|v| na.contains(&v))
        };
        assert!(share("safety", "saftey"));
        assert!(share("safety", "safexy"));
        assert!(share("side-effect", "side-effects"));
        assert!(!share("safety", "sanity"));
    }
}
