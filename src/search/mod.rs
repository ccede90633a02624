//! Full-text search: docent's own static index, built from the text of the
//! pages rendered in the same build and queried in the browser by
//! `search.js` (written beside the index, so search works with any theme):
//! no server, no WebAssembly, no network.
//!
//! The index lives under `search/index/` in the output:
//! - `meta.json`: `{"version":4,"pages":N,"chunk":C,"shards":[…]}`, the
//!   last listing the term files that exist (so a query never asks for a
//!   missing one).
//! - `terms/<hex>.json`: the terms that start with one prefix (the file is
//!   named by the prefix's UTF-8 bytes in hex), each mapped to its postings
//!   `[page delta, weight, page delta, weight, …]`: page numbers ascending,
//!   stored as differences. A prefix is a term's first two characters; a
//!   file that would pass [`SHARD_BYTES`] is split by one more character
//!   (recursively), keeping the terms exactly as long as the prefix under
//!   the prefix's own name, so the browser fetches the file of the longest
//!   listed prefix of a query word and never a whole large group.
//! - `pages/<k>.json`: `[[url, title], …]` for pages `k*C .. k*C+C`.
//!
//! Pages are numbered in navigation order ([`Doc::rank`]), so results that
//! score the same come in the order a reader meets them in the menu.
//!
//! A weight is BM25's term-frequency factor times [`SCALE`], rounded: the
//! term's count in the page's text (a quarter of it on a generated listing
//! such as the references, so content pages come first), plus
//! [`HEADING_WEIGHT`] when a heading has it and [`TITLE_WEIGHT`] when the
//! title has it (BM25F: fields weighted before saturation; no length
//! normalisation, see [`K1`]). A page's weights depend on that page alone,
//! so an incremental build writes the bytes a full build writes. The
//! browser multiplies by the term's inverse document frequency.
//!
//! No page text is stored: for the few results it shows, the browser
//! fetches the pages themselves (the reader is likely to open one of them
//! next), finds the section whose heading and text match best, links to it
//! and shows an excerpt from it. So the index stays a fraction of the site,
//! and a build keeps each page's terms (packed) rather than its text.
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

pub mod count;
pub mod extract;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use crate::write::{Content, OutputFile};

/// Format version of the files under `search/index/`, read by `search.js`.
pub const VERSION: u32 = 4;
/// Where the index goes, relative to the output root.
pub const DIR: &str = "search/index";
/// Pages per `pages/` file.
pub const CHUNK: usize = 64;
/// A term file larger than this (bytes of JSON, estimated) is split.
pub const SHARD_BYTES: usize = 32 * 1024;
/// Added to a term's count on a page whose title contains it.
pub const TITLE_WEIGHT: f64 = 10.0;
/// Added to a term's count on a page with a heading that contains it.
pub const HEADING_WEIGHT: f64 = 5.0;
/// A listing page's counts are divided by this.
pub const LISTING_DIVISOR: f64 = 4.0;
/// BM25's saturation: how fast more occurrences stop adding weight.
/// There is no length normalisation (BM25's b = 0): on explainer sites the
/// long page is the thorough one, not a padded one. Measured on the
/// flagship's labelled queries (tests/browser/data/search-queries.json),
/// right page first: 44 of 48 with b = 0, 41 with 0.1 or 0.3, 39 with
/// the usual 0.75; k1 from 1.2 to 5 changed it by at most one.
pub const K1: f64 = 2.0;
/// Weights are stored as BM25's term-frequency factor (0 to K1 + 1) times this.
pub const SCALE: f64 = 20.0;
/// The browser side, written to [`SCRIPT_PATH`].
pub const SCRIPT: &str = include_str!("search.js");
/// Where the script goes, relative to the output root.
pub const SCRIPT_PATH: &str = "search/search.js";
/// Longer terms are cut to this many characters (the browser does the same).
pub const MAX_TERM_CHARS: usize = 32;

/// One searchable page: what the index needs of it, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The page's URL including the site's base path (`/guide/safety/`).
    pub url: String,
    pub title: String,
    /// Its place in the site's navigation (pages are numbered by it).
    pub rank: usize,
    /// Its distinct terms with their weights.
    pub terms: Terms,
}

/// A page's distinct terms and their weights, packed: the terms one after
/// another, and a byte each of length and of weight. In no particular
/// order (the index sorts what it writes): two are equal when they hold
/// the same terms with the same weights.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    words: String,
    /// Each term's length in bytes (at most [`MAX_TERM_CHARS`] characters
    /// of four bytes: it fits).
    lens: Vec<u8>,
    weights: Vec<u8>,
}

impl PartialEq for Terms {
    fn eq(&self, other: &Terms) -> bool {
        fn sorted(t: &Terms) -> Vec<(&str, u8)> {
            let mut v: Vec<(&str, u8)> = t.iter().collect();
            v.sort_unstable();
            v
        }
        self.len() == other.len() && sorted(self) == sorted(other)
    }
}

impl Eq for Terms {}

impl Terms {
    fn with_capacity(terms: usize, bytes: usize) -> Terms {
        Terms {
            words: String::with_capacity(bytes),
            lens: Vec::with_capacity(terms),
            weights: Vec::with_capacity(terms),
        }
    }

    fn push(&mut self, term: &str, weight: u8) {
        // Terms are cut to MAX_TERM_CHARS characters (128 bytes at most);
        // one from elsewhere (an earlier index) is cut to fit.
        let mut len = term.len().min(usize::from(u8::MAX));
        while !term.is_char_boundary(len) {
            len -= 1;
        }
        self.words.push_str(&term[..len]);
        self.lens.push(len as u8);
        self.weights.push(weight);
    }

    /// [`Terms::push`] of a short term as packed.
    fn push_short(&mut self, key: count::Short, weight: u8) {
        let mut buf = [0; count::SHORT];
        self.push(count::unpack(key, &mut buf), weight);
    }

    /// Each term with its weight.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        let mut at = 0;
        self.lens
            .iter()
            .zip(&self.weights)
            .map(move |(len, weight)| {
                let end = at + usize::from(*len);
                let term = &self.words[at..end];
                at = end;
                (term, *weight)
            })
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    pub fn len(&self) -> usize {
        self.weights.len()
    }
}

impl Doc {
    /// A page's entry: the weight of each term of its text, headings and
    /// title (see the module documentation). `listing` marks a generated
    /// listing (references, glossary), ranked below content.
    pub fn new(
        url: String,
        title: String,
        rank: usize,
        listing: bool,
        text: &extract::PageText,
    ) -> Doc {
        let counts = count::Counts::of_text(&text.body, &text.headings);
        Doc::from_counts(url, title, rank, listing, counts)
    }

    /// [`Doc::new`] for a rendered page, its text read from its HTML (see
    /// [`extract`]) and counted as it is read.
    pub fn from_html(url: String, title: String, rank: usize, listing: bool, html: &str) -> Doc {
        let counts = count::Counts::of_html(html);
        Doc::from_counts(url, title, rank, listing, counts)
    }

    fn from_counts(
        url: String,
        title: String,
        rank: usize,
        listing: bool,
        counts: count::Counts,
    ) -> Doc {
        let count::Counts {
            mut short,
            words: written,
            headings,
        } = counts;
        // Words counted as written (long or not ASCII) are lowercased and
        // folded once per distinct word: a page has a few hundred words
        // among a few thousand. A folded word may be a short one (`café`).
        let mut long = FxHashMap::<Cow<str>, u32>::default();
        for (w, n) in written {
            if w.is_ascii() {
                let term = if w.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(w.to_ascii_lowercase())
                } else {
                    w
                };
                *long.entry(term).or_default() += n;
            } else {
                // Lowercased first, as the browser does: lowercasing can
                // split a word (`İ` gains a combining mark).
                for t in terms(&w) {
                    match count::short(&t) {
                        Some(key) => *short.entry(key).or_default() += n,
                        None => *long.entry(Cow::Owned(t)).or_default() += n,
                    }
                }
            }
        }
        // A field's bonus counts once per word, however often it occurs.
        let mut bonus = Bonus::default();
        for w in words(&headings.to_lowercase()) {
            bonus.set(&fold(w), HEADING_WEIGHT);
        }
        for w in words(&title.to_lowercase()) {
            bonus.add(&fold(w), TITLE_WEIGHT);
        }
        let divisor = if listing { LISTING_DIVISOR } else { 1.0 };
        let tf = |n: u32| f64::from(n) / divisor;
        // Terms with a field bonus first, each merged with its count; the
        // rest (most) then weigh what their count alone gives.
        let fielded_short: Vec<(count::Short, u8)> = bonus
            .short
            .into_iter()
            .map(|(key, extra)| {
                let n = short.remove(&key).unwrap_or(0);
                (key, weight(tf(n) + extra))
            })
            .collect();
        let fielded_long: Vec<(String, u8)> = bonus
            .long
            .into_iter()
            .map(|(t, extra)| {
                let n = long.remove(t.as_str()).unwrap_or(0);
                (t, weight(tf(n) + extra))
            })
            .collect();
        // Allocated at its size: a build keeps every page's terms.
        let count = short.len() + fielded_short.len() + long.len() + fielded_long.len();
        let bytes: usize = short
            .keys()
            .chain(fielded_short.iter().map(|(k, _)| k))
            .map(|k| count::short_len(*k))
            .sum::<usize>()
            + long.keys().map(|t| t.len()).sum::<usize>()
            + fielded_long.iter().map(|(t, _)| t.len()).sum::<usize>();
        let mut terms = Terms::with_capacity(count, bytes);
        for (key, w) in fielded_short {
            terms.push_short(key, w);
        }
        for (t, w) in &fielded_long {
            terms.push(t, w.to_owned());
        }
        let weigh = |n: u32| count_weight(n, listing);
        for (key, n) in short {
            terms.push_short(key, weigh(n));
        }
        for (t, n) in long {
            terms.push(&t, weigh(n));
        }
        Doc {
            url,
            title,
            rank,
            terms,
        }
    }
}

/// The field bonuses of a page's terms (headings, title), by term.
#[derive(Default)]
struct Bonus {
    short: FxHashMap<count::Short, f64>,
    long: FxHashMap<String, f64>,
}

impl Bonus {
    fn entry(&mut self, term: &str) -> &mut f64 {
        match count::short(term) {
            Some(key) => self.short.entry(key).or_default(),
            None => self.long.entry(term.to_string()).or_default(),
        }
    }

    fn set(&mut self, term: &str, value: f64) {
        *self.entry(term) = value;
    }

    fn add(&mut self, term: &str, value: f64) {
        *self.entry(term) += value;
    }
}

/// [`weight`] of a term that occurs `n` times in a page's text and in no
/// heading or title: looked up for the small counts nearly all terms have.
fn count_weight(n: u32, listing: bool) -> u8 {
    const SMALL: usize = 64;
    static TABLE: std::sync::LazyLock<[[u8; SMALL]; 2]> = std::sync::LazyLock::new(|| {
        let mut table = [[0; SMALL]; 2];
        for (n, w) in table[0].iter_mut().enumerate() {
            *w = weight(n as f64);
        }
        for (n, w) in table[1].iter_mut().enumerate() {
            *w = weight(n as f64 / LISTING_DIVISOR);
        }
        table
    });
    let divisor = if listing { LISTING_DIVISOR } else { 1.0 };
    TABLE[usize::from(listing)]
        .get(n as usize)
        .copied()
        .unwrap_or_else(|| weight(f64::from(n) / divisor))
}

/// BM25's term-frequency factor for a (field-weighted) count `tf`, times
/// [`SCALE`], rounded, at least 1.
pub fn weight(tf: f64) -> u8 {
    let w = tf * (K1 + 1.0) / (tf + K1);
    ((w * SCALE).round() as u8).max(1)
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

/// The words of `text` that make terms, cut to [`MAX_TERM_CHARS`]: runs of
/// letters and digits (see [`count`], which counts them the same way
/// without the text) of two characters or more.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let start = count::word_start(text, at);
            if start >= text.len() {
                return None;
            }
            at = count::word_end(text, start);
            if let Some(n) = count::cut(&text[start..at]) {
                return Some(&text[start..start + n]);
            }
        }
    })
}

/// The index files for `docs` in a site of language `lang`, in a stable
/// order: pages numbered by navigation rank, then URL, so the same pages
/// always give the same bytes.
pub fn index(docs: Vec<Doc>, lang: &str) -> Vec<OutputFile> {
    let mut files = index_in(docs, lang, DIR);
    files.push(script_file());
    files
}

/// The search script, shared by every language's index, with the
/// built-in English strings it shows where a page has none of its own.
pub fn script_file() -> OutputFile {
    OutputFile {
        path: SCRIPT_PATH.into(),
        content: Content::Bytes(script().into_bytes()),
    }
}

/// Where [`SCRIPT`] takes the English strings.
const ENGLISH_SLOT: &str = "__DOCENT_ENGLISH__";

/// The search script as written.
fn script() -> String {
    SCRIPT.replacen(ENGLISH_SLOT, &crate::i18n::english_js_json(), 1)
}

/// The index files for `docs` (pages of one language, `lang`) under the
/// output folder `dir` (`search/index`, `es/search/index`), without the
/// script.
pub fn index_in(mut docs: Vec<Doc>, lang: &str, dir: &str) -> Vec<OutputFile> {
    docs.retain(|d| !d.terms.is_empty());
    docs.par_sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.url.cmp(&b.url)));
    let postings = Postings::new(&mut docs);
    let stemmer = stemmer(lang);
    let terms = postings.terms();
    let mut groups = Vec::new();
    for run in runs(&terms, 2) {
        split(run, 2, &mut groups);
    }
    let names: Vec<String> = groups.iter().map(|(p, _)| hex(p)).collect();
    let meta = json(&serde_json::json!({
        "version": VERSION,
        "pages": docs.len(),
        "chunk": CHUNK,
        "shards": names,
    }));
    let mut files: Vec<OutputFile> = groups
        .into_par_iter()
        .zip(names)
        .map(|((_, terms), name)| {
            let stems = stem_groups(terms, stemmer.as_ref());
            OutputFile {
                path: format!("{dir}/terms/{name}.json"),
                content: Content::Bytes(shard_json(terms, &stems).into_bytes()),
            }
        })
        .collect();
    files.extend(docs.chunks(CHUNK).enumerate().map(|(k, chunk)| {
        let rows: Vec<(&str, &str)> = chunk
            .iter()
            .map(|d| (d.url.as_str(), d.title.as_str()))
            .collect();
        OutputFile {
            path: format!("{dir}/pages/{k}.json"),
            content: Content::Bytes(json(&rows)),
        }
    }));
    files.push(OutputFile {
        path: format!("{dir}/meta.json"),
        content: Content::Bytes(meta),
    });
    files
}

/// The pages of an earlier build's index, by URL, read with `read` (a path
/// relative to the output root → its bytes), with rank 0 (the caller knows
/// the navigation). Incremental builds take the terms of pages they reuse
/// from here instead of extracting them again. Empty when there is no index
/// or it is of another version.
pub fn previous(read: impl Fn(&str) -> Option<Vec<u8>> + Sync) -> FxHashMap<String, Doc> {
    previous_in(read, DIR)
}

/// [`previous`] for the index under `dir`.
pub fn previous_in(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
) -> FxHashMap<String, Doc> {
    #[derive(serde::Deserialize)]
    struct Meta {
        version: u32,
        pages: usize,
        chunk: usize,
        shards: Vec<String>,
    }
    let Some(meta) = read(&format!("{dir}/meta.json"))
        .and_then(|b| serde_json::from_slice::<Meta>(&b).ok())
        .filter(|m| m.version == VERSION && m.chunk > 0)
    else {
        return FxHashMap::default();
    };
    let pages: Vec<(String, String)> = (0..meta.pages.div_ceil(meta.chunk))
        .into_par_iter()
        .flat_map_iter(|k| {
            read(&format!("{dir}/pages/{k}.json"))
                .and_then(|b| serde_json::from_slice::<Vec<(String, String)>>(&b).ok())
                .unwrap_or_default()
        })
        .collect();
    if pages.len() != meta.pages {
        return FxHashMap::default();
    }
    // Each shard's (term, page, weight) triples, then spread over pages.
    let shards: Vec<Vec<(String, u32, u8)>> = meta
        .shards
        .par_iter()
        .map(|name| {
            read(&format!("{dir}/terms/{name}.json"))
                .and_then(|b| {
                    serde_json::from_slice::<BTreeMap<String, serde_json::Value>>(&b).ok()
                })
                .map(|shard| decode_shard(shard, pages.len()))
                .unwrap_or_default()
        })
        .collect();
    let mut terms = vec![Terms::default(); pages.len()];
    for (term, page, weight) in shards.iter().flatten() {
        terms[*page as usize].push(term, *weight);
    }
    pages
        .into_iter()
        .zip(terms)
        .map(|((url, title), terms)| {
            let doc = Doc {
                url: url.clone(),
                title,
                rank: 0,
                terms,
            };
            (url, doc)
        })
        .collect()
}

/// A term file's postings as (term, page, weight), pages below `pages`.
fn decode_shard(
    shard: BTreeMap<String, serde_json::Value>,
    pages: usize,
) -> Vec<(String, u32, u8)> {
    let mut out = Vec::new();
    for (term, list) in shard {
        let Some(list) = list.as_array().filter(|_| term != "~") else {
            continue;
        };
        let mut page = 0u64;
        for pair in list.chunks_exact(2) {
            let (Some(delta), Some(weight)) = (pair[0].as_u64(), pair[1].as_u64()) else {
                break;
            };
            page += delta;
            if page as usize >= pages {
                break;
            }
            out.push((term.clone(), page as u32, weight.min(255) as u8));
        }
    }
    out
}

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
    for term in terms {
        groups
            .entry(stemmer.stem(term.text).into_owned())
            .or_default()
            .push(term.text);
    }
    groups.retain(|stem, words| words.len() > 1 || words[0] != stem.as_str());
    groups
}

/// A term and the pages that have it (ascending), with its weight on each:
/// the lists of the runs of pages that have it, in page order.
struct Term<'a> {
    text: &'a str,
    /// How many pages have it.
    count: usize,
    pieces: Vec<(&'a [u32], &'a [u8])>,
}

impl Term<'_> {
    /// Each page that has the term, ascending, with the term's weight there.
    fn postings(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        self.pieces
            .iter()
            .flat_map(|(pages, weights)| pages.iter().copied().zip(weights.iter().copied()))
    }
}

/// Every term of a set of pages, sorted, with the pages that have it: each
/// run of pages' lists (see [`Placed`]), which [`Postings::terms`] joins.
struct Postings {
    terms: Vec<String>,
    placed: Vec<Placed>,
}

/// A run of pages' terms numbered in the order the run meets them, and
/// each page's terms as those numbers, with their weights.
struct Part {
    terms: Vec<String>,
    numbered: Numbered,
}

/// A run's pages' terms as the run's numbers.
struct Numbered {
    /// How many of the run's pages have each term.
    counts: Vec<u32>,
    ids: Vec<u32>,
    weights: Vec<u8>,
    /// Where each page's terms end in `ids` and `weights`.
    ends: Vec<usize>,
}

impl Part {
    /// The run's terms, taken out of its pages one page at a time (they
    /// are not needed again, and a large site's terms take megabytes).
    fn new(docs: &mut [Doc]) -> Part {
        let mut ids = FxHashMap::<Box<str>, u32>::default();
        let mut counts: Vec<u32> = Vec::new();
        let size = docs.iter().map(|d| d.terms.len()).sum();
        let (mut numbers, mut weights) = (Vec::with_capacity(size), Vec::with_capacity(size));
        let mut ends = Vec::with_capacity(docs.len());
        for doc in docs {
            let page = std::mem::take(&mut doc.terms);
            for (term, weight) in page.iter() {
                let id = match ids.get(term) {
                    Some(id) => *id,
                    None => {
                        let id = counts.len() as u32;
                        ids.insert(term.into(), id);
                        counts.push(0);
                        id
                    }
                };
                counts[id as usize] += 1;
                numbers.push(id);
                weights.push(weight);
            }
            ends.push(numbers.len());
        }
        let mut terms = vec![String::new(); counts.len()];
        for (term, id) in ids {
            terms[id as usize] = term.into_string();
        }
        Part {
            terms,
            numbered: Numbered {
                counts,
                ids: numbers,
                weights,
                ends,
            },
        }
    }
}

/// A run's postings sorted by the site-wide order of terms: its terms'
/// site-wide numbers, ascending, and each one's pages (numbered site-wide)
/// and weights in `pages` and `weights` from `bounds[i]` to `bounds[i + 1]`.
struct Placed {
    global: Vec<u32>,
    bounds: Vec<usize>,
    pages: Vec<u32>,
    weights: Vec<u8>,
}

impl Placed {
    /// The postings of a run with `terms`, numbered as `part`, in
    /// site-wide term order, its first page being page `first` of the
    /// site; `rank` numbers every term.
    fn new(terms: &[String], part: Numbered, first: u32, rank: &FxHashMap<&str, u32>) -> Placed {
        let global: Vec<u32> = terms.iter().map(|t| rank[t.as_str()]).collect();
        // Its local numbers in site-wide order, and where each one's list starts.
        let mut order: Vec<u32> = (0..global.len() as u32).collect();
        order.sort_unstable_by_key(|l| global[*l as usize]);
        let mut cursor = vec![0usize; global.len()];
        let mut bounds = Vec::with_capacity(global.len() + 1);
        let mut at = 0;
        for l in &order {
            bounds.push(at);
            cursor[*l as usize] = at;
            at += part.counts[*l as usize] as usize;
        }
        bounds.push(at);
        let (mut pages, mut weights) = (vec![0u32; at], vec![0u8; at]);
        let mut from = 0;
        for (k, &end) in part.ends.iter().enumerate() {
            for (local, weight) in part.ids[from..end].iter().zip(&part.weights[from..end]) {
                let c = &mut cursor[*local as usize];
                pages[*c] = first + k as u32;
                weights[*c] = *weight;
                *c += 1;
            }
            from = end;
        }
        Placed {
            global: order.iter().map(|l| global[*l as usize]).collect(),
            bounds,
            pages,
            weights,
        }
    }
}

impl Postings {
    /// The postings of `docs` (in page order), numbering pages from 0.
    /// The pages' terms are taken out of them as they are read. Runs of
    /// pages are read in parallel, each numbering its own terms (one hash
    /// lookup per term of a page, the bulk of the work); the runs' terms
    /// are then numbered in sorted order, and each run sorts its own
    /// postings into that order, in parallel (the term files read each
    /// term's lists from the runs one after another).
    fn new(docs: &mut [Doc]) -> Postings {
        let run = docs.len().div_ceil(rayon::current_num_threads() * 4).max(1);
        let (terms_of, numbered): (Vec<Vec<String>>, Vec<Numbered>) = docs
            .par_chunks_mut(run)
            .map(Part::new)
            .map(|p| (p.terms, p.numbered))
            .unzip();
        // Every distinct term, sorted, and each run's numbers in that order.
        let mut all: Vec<&str> = terms_of
            .iter()
            .flat_map(|t| t.iter().map(String::as_str))
            .collect();
        all.par_sort_unstable();
        all.dedup();
        let rank: FxHashMap<&str, u32> = all
            .iter()
            .enumerate()
            .map(|(i, t)| (*t, i as u32))
            .collect();
        // Each run's first page.
        let firsts: Vec<u32> = numbered
            .iter()
            .scan(0u32, |first, n| {
                let this = *first;
                *first += n.ends.len() as u32;
                Some(this)
            })
            .collect();
        let placed: Vec<Placed> = numbered
            .into_par_iter()
            .zip(&terms_of)
            .zip(firsts)
            .map(|((n, terms), first)| Placed::new(terms, n, first, &rank))
            .collect();
        let terms: Vec<String> = all.into_iter().map(String::from).collect();
        Postings { terms, placed }
    }

    /// Every term with its pages: each run's list of it, term by term,
    /// from each run's terms in site-wide order.
    fn terms(&self) -> Vec<Term<'_>> {
        let mut at = vec![0usize; self.placed.len()];
        self.terms
            .iter()
            .enumerate()
            .map(|(g, text)| {
                let mut term = Term {
                    text,
                    count: 0,
                    pieces: Vec::new(),
                };
                for (p, i) in self.placed.iter().zip(at.iter_mut()) {
                    if p.global.get(*i) != Some(&(g as u32)) {
                        continue;
                    }
                    let range = p.bounds[*i]..p.bounds[*i + 1];
                    term.count += range.len();
                    term.pieces
                        .push((&p.pages[range.clone()], &p.weights[range]));
                    *i += 1;
                }
                term
            })
            .collect()
    }
}

/// The first `chars` characters of `term` (all of it when shorter).
fn prefix(term: &str, chars: usize) -> &str {
    term.char_indices()
        .nth(chars)
        .map_or(term, |(i, _)| &term[..i])
}

/// Sorted `terms` in runs that share their first `chars` characters.
fn runs<'a, 't>(terms: &'a [Term<'t>], chars: usize) -> impl Iterator<Item = &'a [Term<'t>]> {
    terms.chunk_by(move |a, b| prefix(a.text, chars) == prefix(b.text, chars))
}

/// Bytes a term file of `terms` takes, roughly.
fn estimate(terms: &[Term]) -> usize {
    terms.iter().map(|t| t.text.len() + 4 + t.count * 5).sum()
}

/// The term files for a run of terms sharing their first `chars`
/// characters: one file when small enough; otherwise the terms exactly
/// that long under the prefix and the rest split by one more character.
fn split<'a, 't>(run: &'a [Term<'t>], chars: usize, out: &mut Vec<(&'t str, &'a [Term<'t>])>) {
    let name = prefix(run[0].text, chars);
    if estimate(run) <= SHARD_BYTES || run.iter().all(|t| t.text.chars().count() <= chars) {
        out.push((name, run));
        return;
    }
    // Sorted, the terms of exactly `chars` characters (a prefix of the
    // others) come first.
    let exact = run
        .iter()
        .take_while(|t| t.text.chars().count() == chars)
        .count();
    if exact > 0 {
        out.push((name, &run[..exact]));
    }
    for sub in runs(&run[exact..], chars + 1) {
        split(sub, chars + 1, out);
    }
}

/// A prefix's file name: its UTF-8 bytes in hex.
pub fn hex(prefix: &str) -> String {
    prefix.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The term file the browser fetches for `term`: the longest of its
/// prefixes of two characters or more that `shards` (meta.json's list of
/// term files) has.
pub fn shard_for(shards: &[impl AsRef<str>], term: &str) -> Option<String> {
    (2..=term.chars().count())
        .rev()
        .map(|n| hex(prefix(term, n)))
        .find(|h| shards.iter().any(|s| s.as_ref() == h))
}

/// The file a term goes to when its group is not split: its first two
/// characters in hex.
pub fn shard_name(term: &str) -> String {
    hex(prefix(term, 2))
}

fn shard_json(terms: &[Term], stems: &BTreeMap<String, Vec<&str>>) -> String {
    let mut s = String::with_capacity(estimate(terms) + 64);
    s.push('{');
    if !stems.is_empty() {
        s.push_str("\"~\":");
        s.push_str(&serde_json::to_string(stems).unwrap_or_else(|_| "{}".into()));
        if !terms.is_empty() {
            s.push(',');
        }
    }
    // Millions of numbers at 10,000 pages: written with itoa, not fmt.
    let mut number = itoa::Buffer::new();
    for (i, term) in terms.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&serde_json::to_string(term.text).unwrap_or_default());
        s.push_str(":[");
        let mut prev = 0;
        for (j, (page, weight)) in term.postings().enumerate() {
            if j > 0 {
                s.push(',');
            }
            s.push_str(number.format(page - prev));
            s.push(',');
            s.push_str(number.format(weight));
            prev = page;
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

    fn text(body: &str, headings: &str) -> extract::PageText {
        extract::PageText {
            body: body.into(),
            headings: headings.into(),
        }
    }

    fn doc(url: &str, title: &str, body: &str) -> Doc {
        Doc::new(url.into(), title.into(), 0, false, &text(body, ""))
    }

    #[test]
    fn packed_terms_give_back_each_term_and_weight() {
        let mut terms = Terms::default();
        assert_eq!(terms.iter().count(), 0);
        terms.push("ab", 3);
        terms.push("café", 20);
        terms.push("", 1);
        // Longer than any term docent cuts (an earlier index's file can
        // hold anything): cut at a character boundary, never split one.
        let long = "é".repeat(200);
        terms.push(&long, 7);
        let got: Vec<(&str, u8)> = terms.iter().collect();
        assert_eq!(got[..3], [("ab", 3), ("café", 20), ("", 1)]);
        assert_eq!(got[3], (&long[..254], 7));
        assert_eq!(terms.len(), 4);
    }

    #[test]
    fn the_written_script_carries_the_built_in_english_strings() {
        assert_eq!(SCRIPT.matches(ENGLISH_SLOT).count(), 1);
        let script = script();
        assert!(!script.contains(ENGLISH_SLOT));
        assert!(
            script.contains(
                r#"var ENGLISH = {"also":"Also: {heading}","did_you_mean":"Did you mean “{suggestion}”?","#
            ),
            "{script}"
        );
        assert!(
            script.contains(
                r#""unavailable":"Search is unavailable: its index could not be loaded.""#
            )
        );
    }

    fn bytes_of(files: &[OutputFile], path: &str) -> Option<Vec<u8>> {
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| match &f.content {
                Content::Bytes(b) => b.clone(),
                _ => panic!("{path} is not in memory"),
            })
    }

    fn file(files: &[OutputFile], path: &str) -> serde_json::Value {
        let b = bytes_of(files, path).unwrap_or_else(|| panic!("no {path}"));
        serde_json::from_slice(&b).unwrap()
    }

    /// The name of the term file the browser would fetch for `term`: its
    /// longest prefix listed in meta.json.
    fn shard_of(files: &[OutputFile], term: &str) -> String {
        let meta = file(files, &format!("{DIR}/meta.json"));
        let names: Vec<&str> = meta["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        shard_for(&names, term).unwrap_or_else(|| panic!("no term file for {term}"))
    }

    /// Decode a term's postings back to (page, weight).
    fn postings_of(files: &[OutputFile], term: &str) -> Vec<(u64, u64)> {
        let shard = file(
            files,
            &format!("{DIR}/terms/{}.json", shard_of(files, term)),
        );
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
    fn weights_are_bm25_term_frequency_factors_that_saturate() {
        // One occurrence: the factor is 1.
        assert_eq!(weight(1.0), SCALE as u8);
        // More occurrences add less and less, up to K1 + 1.
        let w: Vec<u8> = [1.0, 2.0, 4.0, 8.0, 1000.0]
            .iter()
            .map(|&tf| weight(tf))
            .collect();
        assert!(w.windows(2).all(|p| p[0] < p[1]), "{w:?}");
        assert!(w[3] - w[2] < w[1] - w[0]);
        assert_eq!(w[4], ((K1 + 1.0) * SCALE).round() as u8);
        assert!(weight(0.01) >= 1);
    }

    #[test]
    fn postings_list_pages_in_navigation_order_with_weights() {
        let mut b = doc("/b/", "Safety", "Nausea and nausea again.");
        b.rank = 1;
        let mut a = doc("/a/", "Effects", "Jaw clenching and nausea.");
        a.rank = 2;
        let mut c = doc("/c/", "", "");
        c.rank = 0;
        let files = index(vec![a.clone(), b.clone(), c], "en");
        // Pages by rank: /b/ = 0, /a/ = 1; the empty page is left out.
        let nausea = postings_of(&files, "nausea");
        assert_eq!(nausea.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(nausea[0].1, u64::from(weight(2.0)));
        assert_eq!(nausea[1].1, u64::from(weight(1.0)));
        assert_eq!(
            postings_of(&files, "safety"),
            [(0, u64::from(weight(TITLE_WEIGHT)))]
        );
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
            file(&files, &format!("{DIR}/pages/0.json")),
            serde_json::json!([["/b/", "Safety"], ["/a/", "Effects"]])
        );
        // Same rank: by URL.
        a.rank = 1;
        let files = index(vec![a, b], "en");
        assert_eq!(
            file(&files, &format!("{DIR}/pages/0.json")),
            serde_json::json!([["/a/", "Effects"], ["/b/", "Safety"]])
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
        assert_eq!(postings_of(&files, "cafe").len(), 1);
        assert_eq!(terms("CAFÉ"), ["cafe"]);
    }

    #[test]
    fn stems_group_word_forms_for_the_site_language() {
        let text = "Retracted papers. The journal retracts a paper. Offer and offers. Therapy.";
        let files = index(vec![doc("/a/", "", text)], "en");
        let shard = |w: &str| file(&files, &format!("{DIR}/terms/{}.json", shard_of(&files, w)));
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
            &format!("{DIR}/terms/{}.json", shard_of(&files, "efecto")),
        );
        assert_eq!(
            shard["~"]["efect"],
            serde_json::json!(["efecto", "efectos"])
        );
        // No stemmer for the language: no groups, prefix search only.
        let files = index(vec![doc("/a/", "", "papers paper")], "xx");
        let shard = file(
            &files,
            &format!("{DIR}/terms/{}.json", shard_of(&files, "paper")),
        );
        assert!(shard.get("~").is_none());
        assert!(stemmer("ja").is_none() && stemmer("de-CH").is_some());
    }

    #[test]
    fn headings_and_titles_weigh_more_and_listings_less() {
        let listing = Doc::new(
            "/refs/".into(),
            "References".into(),
            0,
            true,
            &text("Nausea nausea nausea nausea nausea.", ""),
        );
        let content = Doc::new(
            "/safety/".into(),
            "Safety".into(),
            1,
            false,
            &text("Side effects. Nausea in the trials.", "Side effects"),
        );
        let files = index(vec![listing, content], "en");
        // /refs/ = 0, /safety/ = 1. Five mentions on a listing count as 1.25.
        assert_eq!(
            postings_of(&files, "nausea"),
            [(0, u64::from(weight(1.25))), (1, u64::from(weight(1.0)))]
        );
        // A heading word: its count plus the heading bonus, once.
        assert_eq!(
            postings_of(&files, "effects"),
            [(1, u64::from(weight(1.0 + HEADING_WEIGHT)))]
        );
        // The title's bonus.
        assert_eq!(
            postings_of(&files, "safety"),
            [(1, u64::from(weight(TITLE_WEIGHT)))]
        );
        assert!(weight(TITLE_WEIGHT) > weight(1.0 + HEADING_WEIGHT));
    }

    #[test]
    fn an_index_reads_back_as_its_pages() {
        let docs: Vec<Doc> = (0..(CHUNK * 2 + 1))
            .map(|i| {
                let mut d = doc(
                    &format!("/p{i}/"),
                    &format!("Page {i}"),
                    &format!("text \"{i}\" café {}", "x".repeat(i % 5 + 2)),
                );
                d.rank = i;
                d
            })
            .collect();
        let files = index(docs.clone(), "en");
        let back = previous(|path| bytes_of(&files, path));
        assert_eq!(back.len(), docs.len());
        for d in &docs {
            let mut got = back[&d.url].clone();
            got.rank = d.rank;
            assert_eq!(&got, d);
        }
        // Read back and indexed again: the same bytes.
        let again = index(
            docs.iter()
                .map(|d| {
                    let mut b = back[&d.url].clone();
                    b.rank = d.rank;
                    b
                })
                .collect(),
            "en",
        );
        assert_eq!(bytes(again), bytes(files));
        assert!(previous(|_| None).is_empty());
        assert!(
            previous(|p: &str| p
                .ends_with("meta.json")
                .then(|| b"{\"version\":3,\"pages\":1,\"chunk\":8,\"shards\":[]}".to_vec()))
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
            &format!("{DIR}/terms/{}.json", shard_of(&files, "common")),
        );
        let raw = raw["common"].as_array().unwrap();
        assert!(raw.chunks(2).skip(1).all(|p| p[0] == 1), "deltas of 1");
        let list = postings_of(&files, "common");
        assert_eq!(list.len(), CHUNK * 2 + 3);
        assert_eq!(list.last().unwrap().0, (CHUNK * 2 + 2) as u64);
        assert!(
            files
                .iter()
                .any(|f| f.path == format!("{DIR}/pages/2.json"))
        );
    }

    #[test]
    fn a_large_group_of_terms_is_split_by_longer_prefixes() {
        // 3,000 pages sharing words that start with "th": too much for one file.
        let docs: Vec<Doc> = (0..3000)
            .map(|i| {
                doc(
                    &format!("/p{i:04}/"),
                    "",
                    &format!("th the then there therapy therapist thorn{} tea", i % 50),
                )
            })
            .collect();
        let files = index(docs, "en");
        let sizes: Vec<usize> = files
            .iter()
            .filter(|f| f.path.contains("/terms/"))
            .map(|f| bytes_of(&files, &f.path).unwrap().len())
            .collect();
        // Every file small, unless one term alone is larger.
        let largest_term = 3000 * 4 + 20;
        assert!(
            sizes
                .iter()
                .all(|&s| s <= SHARD_BYTES.max(largest_term) * 2),
            "{sizes:?}"
        );
        // Each word is found in the file of its longest listed prefix, and
        // every page is listed for it.
        for w in [
            "th",
            "the",
            "then",
            "there",
            "therapy",
            "therapist",
            "thorn7",
            "tea",
        ] {
            let n = postings_of(&files, w).len();
            assert!(n == 3000 || (w == "thorn7" && n == 60), "{w}: {n}");
        }
        // "th" and "the" are split off; "tea" stays in its two-letter file.
        assert_ne!(shard_of(&files, "the"), shard_name("the"));
        assert_ne!(shard_of(&files, "therapy"), shard_of(&files, "there"));
        assert_eq!(shard_of(&files, "tea"), shard_name("tea"));
        // Read back whole.
        let back = previous(|path| bytes_of(&files, path));
        assert_eq!(back.len(), 3000);
        assert_eq!(back["/p0007/"].terms.len(), 8);
    }

    fn bytes(files: Vec<OutputFile>) -> Vec<(String, Vec<u8>)> {
        files
            .into_iter()
            .map(|f| match f.content {
                Content::Bytes(b) => (f.path, b),
                _ => unreachable!(),
            })
            .collect()
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
        let mut reversed = docs.clone();
        reversed.reverse();
        assert_eq!(bytes(index(docs, "en")), bytes(index(reversed, "en")));
    }
}
