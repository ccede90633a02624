//! Glossary terms: `content/_data/glossary.yaml` lists terms with aliases and
//! a short Markdown definition. The first use of a term on a page (outside
//! headings, links, image text and code) links to the generated glossary page
//! with an accessible tooltip.

use serde::Deserialize;

use crate::error::{Diagnostic, Kind};
use crate::load::data::DataFile;
use crate::markdown::components::{markdown_fragment, markdown_plain};
use crate::markdown::slug::slugify;

#[derive(Debug, Clone)]
pub struct Term {
    pub term: String,
    /// Other names, as written in the glossary file.
    pub aliases: Vec<String>,
    /// Lower-case forms matched in text: the term and its aliases.
    pub forms: Vec<String>,
    pub id: String,
    pub definition_html: String,
    pub definition_text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Glossary {
    pub terms: Vec<Term>,
    pub shown_path: std::path::PathBuf,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    term: String,
    #[serde(default)]
    aliases: Vec<String>,
    definition: String,
}

impl Glossary {
    /// Parse the glossary data file.
    pub fn from_data(file: &DataFile) -> Result<Glossary, Vec<Diagnostic>> {
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
        for (i, v) in list.iter().enumerate() {
            match serde_json::from_value::<Raw>(v.clone()) {
                Ok(r) => {
                    let mut forms: Vec<String> = std::iter::once(&r.term)
                        .chain(&r.aliases)
                        .map(|s| s.trim().to_lowercase())
                        .filter(|s| !s.is_empty())
                        .collect();
                    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
                    terms.push(Term {
                        id: format!("term-{}", slugify(&r.term)),
                        definition_text: markdown_plain(&r.definition),
                        definition_html: markdown_fragment(&r.definition),
                        term: r.term,
                        aliases: r.aliases,
                        forms,
                    });
                }
                Err(e) => {
                    let (l, c) = crate::yaml::locate_item(
                        &format!("terms:\n{}", file.text),
                        "terms",
                        i,
                        None,
                    )
                    .map_or((1, 1), |(l, c)| (l - 1, c));
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
        // Terms whose names slug alike (`Phase 3`, `phase-3`) get distinct
        // ids, so every link to the glossary page lands on its own term.
        let mut ids = crate::markdown::slug::IdSet::default();
        for t in &mut terms {
            t.id = ids.unique_raw(&t.id);
        }
        terms.sort_by_key(|t| t.term.to_lowercase());
        Ok(Glossary {
            terms,
            shown_path: file.shown_path.clone(),
        })
    }

    /// The earliest whole-word match of a term not yet used on this page:
    /// (byte start, byte end, term index). Matching ignores ASCII case.
    pub fn find(&self, text: &str, used: &[bool]) -> Option<(usize, usize, usize)> {
        let bytes = text.as_bytes();
        let mut best: Option<(usize, usize, usize)> = None;
        for (ti, term) in self.terms.iter().enumerate() {
            if used.get(ti).copied().unwrap_or(false) {
                continue;
            }
            for form in &term.forms {
                if let Some(start) = find_word(bytes, form.as_bytes()) {
                    let end = start + form.len();
                    let better = match best {
                        None => true,
                        Some((s, e, _)) => start < s || (start == s && end > e),
                    };
                    if better {
                        best = Some((start, end, ti));
                    }
                }
            }
        }
        best
    }
}

fn find_word(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    (0..=hay.len() - needle.len()).find(|&i| {
        hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
            && (i == 0 || !is_word(hay[i - 1]))
            && (i + needle.len() == hay.len() || !is_word(hay[i + needle.len()]))
    })
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
        }
    }

    #[test]
    fn finds_earliest_whole_word_match() {
        let g = glossary();
        let t = "A placebo-controlled phase 3 trial in PTSD.";
        let (s, e, ti) = g.find(t, &[false; 3]).unwrap();
        assert_eq!((&t[s..e], ti), ("placebo", 2));
        let (s, e, _) = g.find(t, &[false, false, true]).unwrap();
        assert_eq!(&t[s..e], "phase 3");
        assert!(
            g.find("PTSDs and placebos", &[false, true, false])
                .is_none()
        );
        let t = "post-traumatic stress disorder (PTSD)";
        let (s, e, _) = g.find(t, &[false; 3]).unwrap();
        assert_eq!(&t[s..e], "post-traumatic stress disorder");
    }
}
