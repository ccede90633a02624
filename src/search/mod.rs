//! Full-text search: docent's own static index, built from the text of the
//! pages rendered in the same build and queried in the browser by the
//! theme's script (`docent.js`): no server, no WebAssembly, no network.
//!
//! The index lives under `search/index/` in the output:
//! - `meta.json`: `{"version":3,"pages":N,"chunk":C,"shards":[…]}`, the
//!   last listing the term files that exist (so a query never asks for a
//!   missing one).
//! - `terms/<hex>.json`: every term that starts with the same two characters
//!   (the file is named by their UTF-8 bytes in hex), mapping the term to its
//!   postings `[page delta, weight, page delta, weight, …]`: page numbers
//!   ascending and stored as differences, weight = occurrences in the body
//!   (a quarter of them, rounded up, on a generated listing page such as
//!   the references or the glossary, so that content pages come first) plus
//!   [`HEADING_WEIGHT`] when the term is in a heading and [`TITLE_WEIGHT`]
//!   when it is in the title. A query fetches only the files of its terms'
//!   prefixes.
//! - `text/<k>.json`: `[[url, title, text, headings, listing, sections],
//!   …]` for pages `k*C .. k*C+C`, for titles and excerpts of the few
//!   results shown (and for incremental builds, which reuse the text of
//!   unchanged pages). `sections` is `[{"id", "heading", "word"}, …]`: the
//!   page's headings with ids and the word of `text` each starts at, so the
//!   browser links a result to the section where its words are.
//!
//! `search/search.js` (this folder's `search.js`) reads it; docent writes it
//! with the index, so search works with any theme.
//!
//! Terms are runs of letters and digits, lowercased, cut at 32 characters,
//! at least two characters long, then folded (`café` is `cafe`: NFKD with
//! the combining marks removed); the browser splits and folds queries the
//! same way and matches whole words and word prefixes.
//!
//! Word forms: each term file also maps Snowball stems (for the site's
//! language, with `rust-stemmers`) to the words of that file that share
//! them, under the key `"~"` (`{"retract": ["retracted", "retracts"]}`),
//! leaving out a word that is its own stem and shares it with no other.
//! The browser needs no stemmer: a query word that starts with a stem
//! (`retraction`) matches that stem's words, and one that starts with an
//! indexed word (`offers`, `offer`) matches that word. Languages without a
//! Snowball stemmer get prefix matching only.

pub mod extract;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use crate::write::{Content, OutputFile};

/// Format version of the files under `search/index/`, read by `docent.js`.
pub const VERSION: u32 = 3;
/// Where the index goes, relative to the output root.
pub const DIR: &str = "search/index";
/// Pages per text file.
pub const CHUNK: usize = 8;
/// Added to a term's weight on a page whose title contains it.
pub const TITLE_WEIGHT: u32 = 10;
/// Added to a term's weight on a page with a heading that contains it.
pub const HEADING_WEIGHT: u32 = 5;
/// The browser side, written to [`SCRIPT_PATH`].
pub const SCRIPT: &str = include_str!("search.js");
/// Where the script goes, relative to the output root.
pub const SCRIPT_PATH: &str = "search/search.js";
/// Longer terms are cut to this many characters (the browser does the same).
pub const MAX_TERM_CHARS: usize = 32;

/// One searchable page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The page's URL including the site's base path (`/guide/safety/`).
    pub url: String,
    pub title: String,
    /// Body text, whitespace collapsed ([`extract::page_text`]).
    pub text: String,
    /// The text of the body's headings.
    pub headings: String,
    /// A generated listing (references, glossary): ranked below content.
    pub listing: bool,
    /// Where its sections start in `text`.
    pub sections: Vec<extract::Section>,
}

/// The terms of `text`, in order, as the browser splits a query.
pub fn terms(text: &str) -> Vec<String> {
    words(&text.to_lowercase())
        .map(|w| fold(w).into_owned())
        .collect()
}

/// A lowercased word without its diacritics (`café` → `cafe`), as the
/// browser folds it (`normalize("NFKD")`, marks removed).
pub fn fold(word: &str) -> Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    let folded: String = word.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    if folded == word {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(folded)
    }
}

/// The Snowball stemmer for a site language (`es`, `de-AT`), if there is one.
pub fn stemmer(lang: &str) -> Option<rust_stemmers::Stemmer> {
    use rust_stemmers::Algorithm::*;
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let algorithm = match primary.as_str() {
        "ar" => Arabic,
        "da" => Danish,
        "nl" => Dutch,
        "en" => English,
        "fi" => Finnish,
        "fr" => French,
        "de" => German,
        "el" => Greek,
        "hu" => Hungarian,
        "it" => Italian,
        "no" | "nb" | "nn" => Norwegian,
        "pt" => Portuguese,
        "ro" => Romanian,
        "ru" => Russian,
        "es" => Spanish,
        "sv" => Swedish,
        "ta" => Tamil,
        "tr" => Turkish,
        _ => return None,
    };
    Some(rust_stemmers::Stemmer::create(algorithm))
}

/// The words of (lowercased) `text` that make terms, cut to [`MAX_TERM_CHARS`].
fn words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            // Skip separators.
            while i < bytes.len() {
                if bytes[i].is_ascii() {
                    if bytes[i].is_ascii_alphanumeric() {
                        break;
                    }
                    i += 1;
                } else {
                    let c = text[i..].chars().next()?;
                    if c.is_alphanumeric() {
                        break;
                    }
                    i += c.len_utf8();
                }
            }
            if i >= bytes.len() {
                return None;
            }
            let start = i;
            let mut chars = 0;
            let mut cut = None;
            while i < bytes.len() {
                let len = if bytes[i].is_ascii() {
                    if !bytes[i].is_ascii_alphanumeric() {
                        break;
                    }
                    1
                } else {
                    let c = text[i..].chars().next()?;
                    if !c.is_alphanumeric() {
                        break;
                    }
                    c.len_utf8()
                };
                if chars == MAX_TERM_CHARS {
                    cut.get_or_insert(i);
                }
                chars += 1;
                i += len;
            }
            if chars >= 2 {
                return Some(&text[start..cut.unwrap_or(i)]);
            }
        }
    })
}

/// The index files for `docs` in a site of language `lang`, in a stable
/// order (pages sorted by URL), so the same pages always give the same bytes.
pub fn index(mut docs: Vec<Doc>, lang: &str) -> Vec<OutputFile> {
    docs.retain(|d| !d.text.is_empty() || !d.title.is_empty());
    docs.par_sort_by(|a, b| a.url.cmp(&b.url));
    let postings = postings(&docs);
    let stemmer = stemmer(lang);

    // Group terms by the file they go to; BTreeMaps keep the output stable.
    let mut shards: BTreeMap<String, Vec<Term>> = BTreeMap::new();
    for (term, list) in &postings {
        shards
            .entry(shard_name(term))
            .or_default()
            .push((term.as_str(), list.as_slice()));
    }
    let names: Vec<&str> = shards.keys().map(String::as_str).collect();
    let meta = json(&serde_json::json!({
        "version": VERSION,
        "pages": docs.len(),
        "chunk": CHUNK,
        "shards": names,
    }));
    let mut files: Vec<OutputFile> = shards
        .into_par_iter()
        .map(|(name, mut terms)| {
            terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let stems = stem_groups(&terms, stemmer.as_ref());
            OutputFile {
                path: format!("{DIR}/terms/{name}.json"),
                content: Content::Bytes(shard_json(&terms, &stems).into_bytes()),
            }
        })
        .collect();
    files.extend(
        docs.par_chunks(CHUNK)
            .enumerate()
            .map(|(k, chunk)| {
                let rows: Vec<Row> = chunk
                    .iter()
                    .map(|d| {
                        (
                            d.url.as_str(),
                            d.title.as_str(),
                            d.text.as_str(),
                            d.headings.as_str(),
                            d.listing,
                            d.sections.as_slice(),
                        )
                    })
                    .collect();
                OutputFile {
                    path: format!("{DIR}/text/{k}.json"),
                    content: Content::Bytes(json(&rows)),
                }
            })
            .collect::<Vec<_>>(),
    );
    files.push(OutputFile {
        path: SCRIPT_PATH.into(),
        content: Content::Bytes(SCRIPT.as_bytes().to_vec()),
    });
    files.push(OutputFile {
        path: format!("{DIR}/meta.json"),
        content: Content::Bytes(meta),
    });
    files
}

/// The pages of an earlier build's index, by URL, read with `read` (a path
/// relative to the output root → its bytes). Incremental builds take the
/// text of pages they reuse from here instead of extracting it again.
/// Empty when there is no index or it is of another version.
pub fn previous(read: impl Fn(&str) -> Option<Vec<u8>> + Sync) -> FxHashMap<String, Doc> {
    #[derive(serde::Deserialize)]
    struct Meta {
        version: u32,
        pages: usize,
        chunk: usize,
    }
    let Some(meta) = read(&format!("{DIR}/meta.json"))
        .and_then(|b| serde_json::from_slice::<Meta>(&b).ok())
        .filter(|m| m.version == VERSION && m.chunk > 0)
    else {
        return FxHashMap::default();
    };
    (0..meta.pages.div_ceil(meta.chunk))
        .into_par_iter()
        .flat_map_iter(|k| {
            read(&format!("{DIR}/text/{k}.json"))
                .and_then(|b| serde_json::from_slice::<Vec<OwnedRow>>(&b).ok())
                .unwrap_or_default()
        })
        .map(|(url, title, text, headings, listing, sections)| {
            let doc = Doc {
                url: url.clone(),
                title,
                text,
                headings,
                listing,
                sections,
            };
            (url, doc)
        })
        .collect()
}

/// A page in a text file: url, title, text, headings, listing, sections.
type Row<'d> = (
    &'d str,
    &'d str,
    &'d str,
    &'d str,
    bool,
    &'d [extract::Section],
);
type OwnedRow = (String, String, String, String, bool, Vec<extract::Section>);

/// Stem → the words of one term file that share it (sorted), leaving out a
/// word that is its own stem and shares it with no other word.
fn stem_groups<'t>(
    terms: &[Term<'t>],
    stemmer: Option<&rust_stemmers::Stemmer>,
) -> BTreeMap<String, Vec<&'t str>> {
    let mut groups: BTreeMap<String, Vec<&'t str>> = BTreeMap::new();
    let Some(stemmer) = stemmer else {
        return groups;
    };
    for (word, _) in terms {
        groups
            .entry(stemmer.stem(word).into_owned())
            .or_default()
            .push(word);
    }
    groups.retain(|stem, words| words.len() > 1 || words[0] != stem.as_str());
    groups
}

type Postings = FxHashMap<String, Vec<(u32, u32)>>;
/// A term and its `(page, weight)` postings.
type Term<'a> = (&'a str, &'a [(u32, u32)]);

/// Term → `(page, weight)` with pages ascending. Pages are counted in
/// parallel and merged per term.
fn postings(docs: &[Doc]) -> Postings {
    let mut merged = docs
        .par_iter()
        .enumerate()
        .fold(Postings::default, |mut acc, (page, doc)| {
            // Lowercase once per page; words are then slices of it.
            let text = doc.text.to_lowercase();
            let title = doc.title.to_lowercase();
            let headings = doc.headings.to_lowercase();
            // Counted as written, then folded once per distinct word.
            let mut raw = FxHashMap::<&str, u32>::default();
            for w in words(&text) {
                *raw.entry(w).or_default() += 1;
            }
            let mut counts =
                FxHashMap::<Cow<str>, u32>::with_capacity_and_hasher(raw.len(), Default::default());
            for (w, n) in raw {
                *counts.entry(fold(w)).or_default() += n;
            }
            if doc.listing {
                for n in counts.values_mut() {
                    *n = n.div_ceil(4);
                }
            }
            // A field's bonus counts once per word, however often it
            // occurs; the title's replaces a heading's.
            let mut fields = FxHashMap::<Cow<str>, u32>::default();
            for w in words(&headings) {
                fields.insert(fold(w), HEADING_WEIGHT);
            }
            for w in words(&title) {
                let f = fields.entry(fold(w)).or_default();
                *f = (*f).max(TITLE_WEIGHT);
            }
            for (w, extra) in fields {
                *counts.entry(w).or_default() += extra;
            }
            for (w, n) in counts {
                match acc.get_mut(w.as_ref()) {
                    Some(list) => list.push((page as u32, n)),
                    None => {
                        acc.insert(w.into_owned(), vec![(page as u32, n)]);
                    }
                }
            }
            acc
        })
        .reduce(Postings::default, |mut a, b| {
            let (mut big, small) = if a.len() >= b.len() {
                (std::mem::take(&mut a), b)
            } else {
                (b, std::mem::take(&mut a))
            };
            for (t, mut list) in small {
                match big.get_mut(&t) {
                    Some(l) => l.append(&mut list),
                    None => {
                        big.insert(t, list);
                    }
                }
            }
            big
        });
    merged
        .par_iter_mut()
        .for_each(|(_, list)| list.sort_unstable());
    merged
}

/// The file a term goes to: its first two characters' UTF-8 bytes in hex.
pub fn shard_name(term: &str) -> String {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    term.as_bytes()[..end]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn shard_json(terms: &[Term], stems: &BTreeMap<String, Vec<&str>>) -> String {
    use std::fmt::Write;
    let mut s = String::from("{");
    if !stems.is_empty() {
        s.push_str("\"~\":");
        s.push_str(&serde_json::to_string(stems).unwrap_or_else(|_| "{}".into()));
        if !terms.is_empty() {
            s.push(',');
        }
    }
    for (i, (term, list)) in terms.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&serde_json::to_string(term).unwrap_or_default());
        s.push_str(":[");
        let mut prev = 0;
        for (j, (page, weight)) in list.iter().enumerate() {
            if j > 0 {
                s.push(',');
            }
            let _ = write!(s, "{},{weight}", page - prev);
            prev = *page;
        }
        s.push(']');
    }
    s.push('}');
    s
}

fn json(value: &impl serde::Serialize) -> Vec<u8> {
    // Serializing strings, numbers and arrays cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, title: &str, text: &str) -> Doc {
        Doc {
            url: url.into(),
            title: title.into(),
            text: text.into(),
            headings: String::new(),
            listing: false,
            sections: Vec::new(),
        }
    }

    fn file(files: &[OutputFile], path: &str) -> serde_json::Value {
        let f = files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"));
        match &f.content {
            Content::Bytes(b) => serde_json::from_slice(b).unwrap(),
            _ => panic!("{path} is not in memory"),
        }
    }

    /// Decode a term's postings back to (page, weight).
    fn postings_of(files: &[OutputFile], term: &str) -> Vec<(u64, u64)> {
        let shard = file(files, &format!("{DIR}/terms/{}.json", shard_name(term)));
        let list = shard[term].as_array().unwrap();
        let mut page = 0;
        list.chunks(2)
            .map(|p| {
                page += p[0].as_u64().unwrap();
                (page, p[1].as_u64().unwrap())
            })
            .collect()
    }

    #[test]
    fn terms_split_on_non_letters_and_are_lowercased_and_folded() {
        let t = terms("MDMA-assisted therapy: 3,4-methylenedioxy Phase 3 Ürün a");
        assert_eq!(
            t,
            [
                "mdma",
                "assisted",
                "therapy",
                "methylenedioxy",
                "phase",
                "urun"
            ]
        );
        assert_eq!(
            terms("naïve—RÉSUMÉ\u{a0}ab 日本語"),
            ["naive", "resume", "ab", "日本語"]
        );
        let long = "x".repeat(40);
        assert_eq!(terms(&long)[0].len(), MAX_TERM_CHARS);
    }

    #[test]
    fn shards_are_named_by_the_first_two_characters() {
        assert_eq!(shard_name("therapy"), "7468");
        assert_eq!(shard_name("ürün"), "c3bc72");
        assert_eq!(shard_name("ab"), "6162");
    }

    #[test]
    fn postings_list_pages_in_url_order_with_weights() {
        let files = index(
            vec![
                doc("/b/", "Safety", "Nausea and nausea again."),
                doc("/a/", "Effects", "Jaw clenching and nausea."),
                doc("/c/", "", ""),
            ],
            "en",
        );
        // Pages sorted by URL: /a/ = 0, /b/ = 1; the empty page is left out.
        assert_eq!(postings_of(&files, "nausea"), [(0, 1), (1, 2)]);
        assert_eq!(postings_of(&files, "safety"), [(1, TITLE_WEIGHT as u64)]);
        assert_eq!(postings_of(&files, "clenching"), [(0, 1)]);
        assert_eq!(
            file(&files, &format!("{DIR}/meta.json")),
            serde_json::json!({
                "version": VERSION,
                "pages": 2,
                "chunk": CHUNK,
                "shards": ["6167", "616e", "636c", "6566", "6a61", "6e61", "7361"],
            })
        );
        assert_eq!(
            file(&files, &format!("{DIR}/text/0.json")),
            serde_json::json!([
                ["/a/", "Effects", "Jaw clenching and nausea.", "", false, []],
                ["/b/", "Safety", "Nausea and nausea again.", "", false, []]
            ])
        );
    }

    #[test]
    fn folding_removes_diacritics_like_the_browser() {
        assert_eq!(fold("café"), "cafe");
        assert_eq!(fold("naïve"), "naive");
        assert_eq!(fold("ﬁnal"), "final");
        assert_eq!(fold("straße"), "straße");
        assert_eq!(fold("mdma"), "mdma");
        assert!(matches!(fold("plain"), Cow::Borrowed(_)));
        // Decomposed input folds the same as composed input.
        assert_eq!(fold("cafe\u{301}"), "cafe");
        // A café in the text is found by "cafe" and by "café".
        let files = index(vec![doc("/a/", "", "Un café, por favor.")], "es");
        assert_eq!(postings_of(&files, "cafe"), [(0, 1)]);
        assert_eq!(terms("CAFÉ"), ["cafe"]);
    }

    #[test]
    fn stems_group_word_forms_for_the_site_language() {
        let text = "Retracted papers. The journal retracts a paper. Offer and offers. Therapy.";
        let files = index(vec![doc("/a/", "", text)], "en");
        let shard = |w: &str| file(&files, &format!("{DIR}/terms/{}.json", shard_name(w)));
        assert_eq!(
            shard("retracted")["~"]["retract"],
            serde_json::json!(["retracted", "retracts"])
        );
        assert_eq!(
            shard("paper")["~"]["paper"],
            serde_json::json!(["paper", "papers"])
        );
        assert_eq!(
            shard("offer")["~"]["offer"],
            serde_json::json!(["offer", "offers"])
        );
        // A word that is its own stem, alone: left out (the browser matches
        // it by prefix). "therapy" stems to "therapi": kept.
        assert!(
            shard("journal")
                .get("~")
                .is_none_or(|g| g.get("journal").is_none())
        );
        assert_eq!(
            shard("therapy")["~"]["therapi"],
            serde_json::json!(["therapy"])
        );
        // Spanish stems with the Spanish algorithm.
        let files = index(vec![doc("/a/", "", "efectos secundarios, efecto")], "es-MX");
        let shard = file(
            &files,
            &format!("{DIR}/terms/{}.json", shard_name("efecto")),
        );
        assert_eq!(
            shard["~"]["efect"],
            serde_json::json!(["efecto", "efectos"])
        );
        // No stemmer for the language: no groups, prefix search only.
        let files = index(vec![doc("/a/", "", "papers paper")], "xx");
        let shard = file(&files, &format!("{DIR}/terms/{}.json", shard_name("paper")));
        assert!(shard.get("~").is_none());
        assert!(stemmer("ja").is_none() && stemmer("de-CH").is_some());
    }

    #[test]
    fn headings_weigh_more_and_listings_less() {
        let mut listing = doc(
            "/refs/",
            "References",
            "Nausea nausea nausea nausea nausea.",
        );
        listing.listing = true;
        let mut content = doc("/safety/", "Safety", "Side effects. Nausea in the trials.");
        content.headings = "Side effects".into();
        content.sections = vec![extract::Section {
            id: "side-effects".into(),
            heading: "Side effects".into(),
            word: 0,
        }];
        let files = index(vec![listing, content], "en");
        // /refs/ = 0, /safety/ = 1. Five mentions on a listing count as two.
        assert_eq!(postings_of(&files, "nausea"), [(0, 2), (1, 1)]);
        // A heading word: its body count plus the heading bonus, once.
        assert_eq!(
            postings_of(&files, "effects"),
            [(1, 1 + HEADING_WEIGHT as u64)]
        );
        // The title's bonus, not added to a heading's.
        assert_eq!(postings_of(&files, "safety"), [(1, TITLE_WEIGHT as u64)]);
        // Incremental builds read the fields back.
        let text = file(&files, &format!("{DIR}/text/0.json"));
        assert_eq!(text[0][4], true);
        assert_eq!(text[1][3], "Side effects");
        let back = previous(|f| {
            files
                .iter()
                .find(|o| o.path == f)
                .and_then(|o| match &o.content {
                    Content::Bytes(b) => Some(b.clone()),
                    _ => None,
                })
        });
        assert!(back["/refs/"].listing);
        assert_eq!(back["/safety/"].headings, "Side effects");
        assert_eq!(back["/safety/"].sections[0].id, "side-effects");
        assert_eq!(text[1][5][0]["word"], 0);
    }

    #[test]
    fn an_index_reads_back_as_its_pages() {
        let docs: Vec<Doc> = (0..(CHUNK * 2 + 1))
            .map(|i| {
                doc(
                    &format!("/p{i}/"),
                    &format!("Page {i}"),
                    &format!("text \"{i}\""),
                )
            })
            .collect();
        let files = index(docs.clone(), "en");
        let read = |path: &str| {
            files
                .iter()
                .find(|f| f.path == path)
                .map(|f| match &f.content {
                    Content::Bytes(b) => b.clone(),
                    _ => unreachable!(),
                })
        };
        let back = previous(read);
        assert_eq!(back.len(), docs.len());
        for d in &docs {
            assert_eq!(&back[&d.url], d);
        }
        assert!(previous(|_| None).is_empty());
        assert!(
            previous(|p: &str| p
                .ends_with("meta.json")
                .then(|| b"{\"version\":0,\"pages\":1,\"chunk\":8}".to_vec()))
            .is_empty()
        );
    }

    #[test]
    fn page_numbers_are_delta_encoded_across_chunks() {
        let docs: Vec<Doc> = (0..(CHUNK * 2 + 3))
            .map(|i| doc(&format!("/p{i:03}/"), &format!("Page {i}"), "common word"))
            .collect();
        let files = index(docs, "en");
        let raw = file(
            &files,
            &format!("{DIR}/terms/{}.json", shard_name("common")),
        );
        let raw = raw["common"].as_array().unwrap();
        assert!(raw.chunks(2).skip(1).all(|p| p[0] == 1), "deltas of 1");
        let list = postings_of(&files, "common");
        assert_eq!(list.len(), CHUNK * 2 + 3);
        assert_eq!(list.last().unwrap().0, (CHUNK * 2 + 2) as u64);
        assert!(files.iter().any(|f| f.path == format!("{DIR}/text/2.json")));
    }

    #[test]
    fn the_same_pages_in_any_order_give_the_same_bytes() {
        let docs: Vec<Doc> = (0..200)
            .map(|i| {
                doc(
                    &format!("/p{i}/"),
                    &format!("Title {i}"),
                    &format!("word{} text {} more{}", i % 7, i, i % 13),
                )
            })
            .collect();
        let bytes = |files: Vec<OutputFile>| -> Vec<(String, Vec<u8>)> {
            files
                .into_iter()
                .map(|f| match f.content {
                    Content::Bytes(b) => (f.path, b),
                    _ => unreachable!(),
                })
                .collect()
        };
        let mut reversed = docs.clone();
        reversed.reverse();
        assert_eq!(bytes(index(docs, "en")), bytes(index(reversed, "en")));
    }
}
