//! Glossary terms: `content/_data/glossary.yaml` lists terms with aliases and
//! a short Markdown definition. The first use of a term on a page (outside
//! headings, links, image text and code) links to the generated glossary page
//! with an accessible tooltip. Terms of MyST `{glossary}` blocks in pages
//! join the same glossary.

use serde::Deserialize;

use crate::error::{Diagnostic, Kind};
use crate::markdown::components::{markdown_fragment, markdown_plain};
use crate::markdown::slug::slugify;
use crate::site::{DataFile, Site};
pub use crate::site::{Glossary, Term};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    term: String,
    #[serde(default)]
    aliases: Vec<String>,
    definition: String,
}

/// Parse the glossary file named in site.yaml, if the site has one, into
/// `site.glossary` (its definitions are Markdown, rendered here); what the
/// definitions hold that does not stop the build joins `site.warnings`.
pub fn attach(site: &mut Site) -> Result<(), Vec<Diagnostic>> {
    let raw_html = site.config.markdown.raw_html;
    let mut glossary = match site.data.get(&site.config.glossary) {
        Some(file) => Some(Glossary::from_data(file, raw_html)?),
        None => None,
    };
    let mut safety = crate::markdown::components::Safety::new(raw_html);
    for page in &site.pages {
        let Some(scan) = &page.myst else { continue };
        for e in &scan.glossary {
            let g = glossary.get_or_insert_with(|| Glossary {
                shown_path: page.shown_path.clone(),
                ..Glossary::default()
            });
            // Roles show as their text in tooltips and on the glossary
            // page (their links are on the page with the block).
            let definition = crate::myst::rewrite_roles(&e.definition, &mut |role, content| {
                Some(crate::myst::escape_markdown(&crate::myst::plain_roles(
                    &format!("{{{role}}}`{content}`"),
                )))
            });
            g.terms
                .push(Term::new(&e.term, &e.aliases, &definition, &mut safety));
            let front_lines = page.text[..page.body_offset.min(page.text.len())]
                .matches('\n')
                .count();
            g.warnings.extend(safety.found.drain(..).map(|found| {
                let (message, hint) = found.message();
                Diagnostic::new(found.kind(), message)
                    .at(&page.shown_path, front_lines + e.line, 1, None)
                    .hint(hint)
            }));
        }
    }
    if let Some(g) = &mut glossary {
        g.finish();
        site.warnings.extend(g.warnings.iter().cloned());
    }
    site.glossary = glossary;
    Ok(())
}

impl Term {
    /// A term with its aliases and Markdown definition.
    fn new(
        term: &str,
        aliases: &[String],
        definition: &str,
        safety: &mut crate::markdown::components::Safety,
    ) -> Term {
        let mut forms: Vec<String> = std::iter::once(term)
            .chain(aliases.iter().map(String::as_str))
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        Term {
            id: format!("term-{}", slugify(term)),
            definition_text: markdown_plain(definition),
            definition_html: markdown_fragment(definition, safety),
            term: term.to_string(),
            aliases: aliases.to_vec(),
            forms,
        }
    }
}

impl Glossary {
    /// Parse the glossary data file.
    pub fn from_data(file: &DataFile, raw_html: bool) -> Result<Glossary, Vec<Diagnostic>> {
        let mut safety = crate::markdown::components::Safety::new(raw_html);
        let list = file.value.as_array().ok_or_else(|| {
            vec![
                Diagnostic::new(Kind::InvalidValue, "the glossary must be a list of terms")
                    .at(&file.shown_path, 1, 1, Some(&file.text))
                    .hint(
                        "write each entry as `- term: …` with `aliases: […]` and `definition: …`",
                    ),
            ]
        })?;
        let mut terms = Vec::with_capacity(list.len());
        let mut errors = Vec::new();
        // Built on the first error: where each entry starts in the file.
        let items = std::cell::OnceCell::new();
        for (i, v) in list.iter().enumerate() {
            match serde_json::from_value::<Raw>(v.clone()) {
                Ok(r) => terms.push(Term::new(&r.term, &r.aliases, &r.definition, &mut safety)),
                Err(e) => {
                    let (l, c) = items
                        .get_or_init(|| crate::yaml::Items::new(&file.text, None))
                        .locate(i, None)
                        .unwrap_or((1, 1));
                    errors.push(
                        Diagnostic::new(
                            Kind::InvalidValue,
                            format!(
                                "glossary entry {}: {}",
                                i + 1,
                                crate::yaml::humanize(&e.to_string())
                            ),
                        )
                        .at(&file.shown_path, l, c, Some(&file.text))
                        .hint("each entry has term, optional aliases and definition"),
                    );
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut g = Glossary {
            terms,
            shown_path: file.shown_path.clone(),
            warnings: safety.warnings(&file.shown_path, &file.text),
            matcher: Default::default(),
        };
        g.finish();
        Ok(g)
    }

    /// Distinct ids and alphabetical order, once every term is in.
    fn finish(&mut self) {
        // Terms whose names slug alike (`Phase 3`, `phase-3`) get distinct
        // ids, so every link to the glossary page lands on its own term.
        let mut ids = crate::markdown::slug::IdSet::default();
        for t in &mut self.terms {
            t.id = ids.unique_raw(&format!("term-{}", slugify(&t.term)));
        }
        self.terms.sort_by_key(|t| t.term.to_lowercase());
    }

    /// The term named `name` (or one of its aliases), in any letter case.
    pub fn lookup(&self, name: &str) -> Option<&Term> {
        let name = name.trim().to_lowercase();
        let i = *self.matcher().by_form.get(&name)?;
        self.terms.get(i)
    }

    fn matcher(&self) -> &crate::site::GlossaryMatcher {
        self.matcher.get_or_init(|| {
            let mut patterns = Vec::new();
            let mut term_of = Vec::new();
            let mut by_form = rustc_hash::FxHashMap::default();
            for (ti, t) in self.terms.iter().enumerate() {
                for form in t.forms.iter().filter(|f| !f.is_empty()) {
                    patterns.push(form.as_str());
                    term_of.push(ti);
                    // A form two terms share names the first.
                    by_form.entry(form.clone()).or_insert(ti);
                }
            }
            let automaton = aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&patterns)
                .unwrap_or_else(|_| {
                    aho_corasick::AhoCorasick::new([""; 0]).expect("empty automaton")
                });
            crate::site::GlossaryMatcher {
                automaton,
                term_of,
                by_form,
            }
        })
    }

    /// The term uses to link in `text`, left to right: at each place the
    /// longest whole-word match of a term not yet `used` on this page, not
    /// overlapping an earlier one. Marks the terms it returns as used.
    pub fn find_all(&self, text: &str, used: &mut [bool]) -> Vec<(usize, usize, usize)> {
        let m = self.matcher();
        let bytes = text.as_bytes();
        let mut candidates: Vec<(usize, usize, usize)> = m
            .automaton
            .find_overlapping_iter(text)
            .map(|hit| (hit.start(), hit.end(), m.term_of[hit.pattern().as_usize()]))
            .filter(|&(s, e, ti)| {
                !used.get(ti).copied().unwrap_or(true) && is_whole_word(bytes, s, e)
            })
            .collect();
        candidates.sort_unstable_by_key(|&(s, e, ti)| (s, std::cmp::Reverse(e), ti));
        let mut out = Vec::new();
        let mut end = 0;
        for (s, e, ti) in candidates {
            if s < end || used[ti] {
                continue;
            }
            used[ti] = true;
            out.push((s, e, ti));
            end = e;
        }
        out
    }
}

/// Whether `hay[s..e]` stands as a word: no letter, digit or `_` right
/// before or after it (bytes of multi-byte characters count as letters).
fn is_whole_word(hay: &[u8], s: usize, e: usize) -> bool {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    (s == 0 || !is_word(hay[s - 1])) && (e == hay.len() || !is_word(hay[e]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        let mk = |t: &str, a: &[&str]| Term {
            term: t.into(),
            aliases: Vec::new(),
            forms: {
                let mut f: Vec<String> = std::iter::once(t)
                    .chain(a.iter().copied())
                    .map(str::to_lowercase)
                    .collect();
                f.sort_by_key(|s| std::cmp::Reverse(s.len()));
                f
            },
            id: format!("term-{}", slugify(t)),
            definition_html: String::new(),
            definition_text: String::new(),
        };
        Glossary {
            terms: vec![
                mk("PTSD", &["post-traumatic stress disorder"]),
                mk("Phase 3", &["phase III"]),
                mk("placebo", &[]),
            ],
            shown_path: Default::default(),
            warnings: Vec::new(),
            matcher: Default::default(),
        }
    }

    #[test]
    fn lookup_finds_a_term_by_any_form_in_any_case() {
        let mut g = glossary();
        let name = |t: Option<&Term>| t.map(|t| t.term.clone());
        assert_eq!(name(g.lookup("ptsd")), Some("PTSD".into()));
        assert_eq!(
            name(g.lookup("  Post-Traumatic Stress Disorder ")),
            Some("PTSD".into())
        );
        assert_eq!(name(g.lookup("PHASE III")), Some("Phase 3".into()));
        assert_eq!(name(g.lookup("placebos")), None);
        assert_eq!(name(g.lookup("")), None);
        // A form two terms share names the first of them.
        g.terms[2].forms.push("phase iii".into());
        g.matcher = Default::default();
        assert_eq!(name(g.lookup("phase iii")), Some("Phase 3".into()));
    }

    #[test]
    fn finds_each_unused_term_once_longest_first() {
        let g = glossary();
        let t = "A placebo-controlled phase 3 trial in PTSD, placebo again.";
        let found = |t: &str, used: &mut [bool]| -> Vec<(String, usize)> {
            g.find_all(t, used)
                .into_iter()
                .map(|(s, e, ti)| (t[s..e].to_string(), ti))
                .collect()
        };
        let mut used = [false; 3];
        assert_eq!(
            found(t, &mut used),
            [
                ("placebo".into(), 2),
                ("phase 3".into(), 1),
                ("PTSD".into(), 0)
            ]
        );
        assert_eq!(used, [true; 3]);
        assert!(found("PTSD again", &mut used).is_empty(), "once per page");
        let mut used = [false, true, false];
        assert!(
            found("PTSDs and placebos", &mut used).is_empty(),
            "whole words only"
        );
        let mut used = [false; 3];
        assert_eq!(
            found("post-traumatic stress disorder (PTSD)", &mut used),
            [("post-traumatic stress disorder".into(), 0)]
        );
        let mut used = [false; 3];
        assert_eq!(found("PHASE III é", &mut used), [("PHASE III".into(), 1)]);
    }

    #[test]
    fn thousands_of_terms_are_one_scan() {
        let terms: Vec<Term> = (0..3000)
            .map(|i| Term {
                term: format!("term{i}"),
                aliases: Vec::new(),
                forms: vec![format!("term{i}")],
                id: format!("term-term{i}"),
                definition_html: String::new(),
                definition_text: String::new(),
            })
            .collect();
        let g = Glossary {
            terms,
            ..Glossary::default()
        };
        let text: String = (0..3000).map(|i| format!("term{i} and ")).collect();
        let mut used = vec![false; 3000];
        assert_eq!(g.find_all(&text, &mut used).len(), 3000);
    }
}
