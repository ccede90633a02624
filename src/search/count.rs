//! Counting the words of a page's searchable text while [`extract::scan`]
//! reads its HTML, without building the text: each word is counted as a
//! slice of the HTML, and only a word that runs across an inline tag or an
//! entity (`para<em>graph</em>`, `caf&eacute;`) is copied. The counts are
//! those of [`super::words`] over [`extract::page_text`]'s body: the same
//! words, split and cut the same way (a test holds the two together).

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::MAX_TERM_CHARS;
use super::extract::{self, Sink};

/// A page's words with how often each occurs, and its headings' text.
///
/// Most words are a few ASCII letters and digits: those are lowercased and
/// counted as [`Short`] numbers (hashing and comparing one integer instead
/// of a string is most of what makes counting cheap); the others are
/// counted as written.
#[derive(Debug, Default)]
pub struct Counts<'a> {
    /// Words of at most [`SHORT`] ASCII letters and digits, lowercased.
    pub short: FxHashMap<Short, u32>,
    /// The other words, as written (not lowercased or folded).
    pub words: FxHashMap<Cow<'a, str>, u32>,
    /// The text of its headings, one space between them.
    pub headings: String,
}

/// Up to [`SHORT`] bytes packed big-endian into an integer, zero-padded:
/// integers order as the strings do (a term has no zero byte).
pub type Short = u128;
/// The most bytes a [`Short`] holds.
pub const SHORT: usize = 16;

/// The first [`SHORT`] bytes of `bytes` as a [`Short`], lowercased when
/// `lower` (ASCII letters only).
#[inline]
pub fn pack(bytes: &[u8], lower: bool) -> Short {
    let mut b = [0u8; SHORT];
    let n = bytes.len().min(SHORT);
    b[..n].copy_from_slice(&bytes[..n]);
    if lower {
        b.make_ascii_lowercase();
    }
    Short::from_be_bytes(b)
}

/// The key of a term (lowercase) when it is short and ASCII.
pub fn short(term: &str) -> Option<Short> {
    (term.len() <= SHORT && term.is_ascii()).then(|| pack(term.as_bytes(), false))
}

/// [`pack`] of the ASCII word `bytes[at..at + len]` (`len` at most
/// [`SHORT`]), lowercased: one load and a mask when the bytes after it are
/// there to load.
#[inline]
fn pack_at(bytes: &[u8], at: usize, len: usize) -> Short {
    match bytes.get(at..at + SHORT) {
        Some(b) => {
            let mut word = [0u8; SHORT];
            word.copy_from_slice(b);
            let v = Short::from_be_bytes(word);
            let v = v & (Short::MAX << (8 * (SHORT - len)));
            lower_ascii(v)
        }
        None => pack(&bytes[at..at + len], true),
    }
}

const ONES: u128 = u128::MAX / 255;

/// ASCII bytes `A`-`Z` of `v` (all bytes ASCII) as `a`-`z`.
#[inline]
fn lower_ascii(v: u128) -> u128 {
    // The high bit of a byte is set by adding when it is at least `A`, and
    // at least `Z` + 1; bytes below 0x80 never carry into the next.
    let ge_a = v + ONES * (0x80 - u128::from(b'A'));
    let gt_z = v + ONES * (0x80 - u128::from(b'Z') - 1);
    let upper = ge_a & !gt_z & (ONES * 0x80);
    v | (upper >> 2)
}

/// Bit `i` set when byte `i` of `x` (eight bytes, the first in the low
/// byte) is a letter or a digit; past a byte that is not ASCII the bits may
/// be wrong (its sum carries into the next byte).
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline]
fn alnum_bits(x: u64) -> u64 {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    // As in `lower_ascii`: ranges by the high bit after adding.
    let add = |v: u64, k: u64| v.wrapping_add(ONES * k);
    let lower = x | (ONES * 0x20);
    let letter = add(lower, 0x80 - 0x61) & !add(lower, 0x80 - 0x7b);
    let digit = add(x, 0x80 - 0x30) & !add(x, 0x80 - 0x3a);
    let high = (letter | digit) & HIGH;
    // Each byte's high bit gathered into one byte of bits.
    ((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// How many bytes a [`Short`] holds.
pub fn short_len(short: Short) -> usize {
    SHORT - (short.trailing_zeros() / 8) as usize
}

/// The bytes a [`Short`] holds, without the padding.
pub fn unpack(short: Short, buf: &mut [u8; SHORT]) -> &str {
    *buf = short.to_be_bytes();
    let len = short_len(short);
    // Packed from whole words of a str: complete characters.
    std::str::from_utf8(&buf[..len]).unwrap_or_default()
}

impl<'a> Counts<'a> {
    fn with_capacity(words: usize) -> Counts<'a> {
        Counts {
            short: FxHashMap::with_capacity_and_hasher(words, Default::default()),
            words: FxHashMap::default(),
            headings: String::new(),
        }
    }

    /// Count one word (whole, at least two characters, cut).
    #[inline]
    fn add(&mut self, word: Cow<'a, str>) {
        if word.len() <= SHORT && word.is_ascii() {
            *self.short.entry(pack(word.as_bytes(), true)).or_default() += 1;
        } else {
            *self.words.entry(word).or_default() += 1;
        }
    }

    /// The words of `text` (already extracted).
    pub fn of_text(text: &'a str, headings: &str) -> Counts<'a> {
        let mut counts = Counts::with_capacity(text.len() / 40);
        for w in super::words(text) {
            counts.add(Cow::Borrowed(w));
        }
        counts.headings = headings.to_string();
        counts
    }

    /// The words of the searchable text of `html` (see [`extract`]).
    pub fn of_html(html: &'a str) -> Counts<'a> {
        let mut counter = Counter {
            html: html.as_bytes(),
            counts: Counts::with_capacity(html.len() / 80),
            pending: Pending::None,
            heading: None,
        };
        extract::scan(html, &mut counter);
        counter.flush();
        counter.counts
    }
}

/// The word the last run of text ended in: it may go on in the next run.
enum Pending<'a> {
    None,
    /// Letters and digits, all ASCII.
    Ascii(&'a str),
    Borrowed(&'a str),
    Owned(String),
}

struct Counter<'a> {
    /// The page: the runs of text are slices of it.
    html: &'a [u8],
    counts: Counts<'a>,
    pending: Pending<'a>,
    /// The text of the heading being read, whitespace collapsed.
    heading: Option<String>,
}

impl<'a> Counter<'a> {
    fn flush(&mut self) {
        match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::None => {}
            Pending::Ascii(w) => self.count_ascii(w),
            Pending::Borrowed(w) => self.count(Cow::Borrowed(w)),
            Pending::Owned(w) => self.count(Cow::Owned(w)),
        }
    }

    /// Extend the pending word with `more` (letters and digits).
    fn extend(&mut self, more: &'a str) {
        self.pending = match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::None => Pending::Borrowed(more),
            Pending::Ascii(w) | Pending::Borrowed(w) => Pending::Owned([w, more].concat()),
            Pending::Owned(mut w) => {
                w.push_str(more);
                Pending::Owned(w)
            }
        };
    }

    /// The word the last run ended in goes on with the letters and digits
    /// at byte `at` of `s`, and is counted unless they reach the end of the
    /// run (the end of `s`, a `<` or a `&`: it may go on after those).
    /// Returns where the run's other words start.
    fn go_on(&mut self, s: &'a str, at: usize) -> usize {
        if matches!(self.pending, Pending::None) {
            return at;
        }
        let end = word_end(s, at);
        if end > at {
            self.extend(&s[at..end]);
        }
        if !matches!(s.as_bytes().get(end), Some(b'<' | b'&') | None) {
            self.flush();
        }
        end
    }

    /// Count a whole word: at least two characters, cut at
    /// [`MAX_TERM_CHARS`] (by [`cut`], as [`super::words`] cuts too).
    fn count(&mut self, word: Cow<'a, str>) {
        let word = match cut(&word) {
            None => return,
            Some(n) if n == word.len() => word,
            Some(n) => match word {
                Cow::Borrowed(w) => Cow::Borrowed(&w[..n]),
                Cow::Owned(mut w) => {
                    w.truncate(n);
                    Cow::Owned(w)
                }
            },
        };
        self.counts.add(word);
    }

    /// Count a word of ASCII letters and digits, a slice of the page: a
    /// short one packed straight from the page's bytes.
    #[inline]
    fn count_ascii(&mut self, w: &'a str) {
        let len = w.len();
        if len < 2 {
            return;
        }
        if len <= SHORT {
            // Where the word is in the page (runs are slices of it).
            let at = (w.as_ptr() as usize).wrapping_sub(self.html.as_ptr() as usize);
            let key = if at
                .checked_add(len)
                .is_some_and(|end| end <= self.html.len())
            {
                pack_at(self.html, at, len)
            } else {
                pack(w.as_bytes(), true)
            };
            *self.counts.short.entry(key).or_default() += 1;
        } else {
            *self
                .counts
                .words
                .entry(Cow::Borrowed(&w[..MAX_TERM_CHARS.min(len)]))
                .or_default() += 1;
        }
    }

    fn in_heading(&mut self, f: impl FnOnce(&mut String)) {
        if let Some(h) = &mut self.heading {
            f(h);
        }
    }
}

/// How many bytes of `word` make its term: `None` when it has fewer than
/// two characters, else all of it or its first [`MAX_TERM_CHARS`] characters.
pub(super) fn cut(word: &str) -> Option<usize> {
    let bytes = word.len();
    if bytes < 2 {
        return None;
    }
    // Two bytes or more and at most the limit in bytes: the only words to
    // look at closer are a single multi-byte character.
    if bytes <= MAX_TERM_CHARS {
        return (bytes > 4 || word.chars().nth(1).is_some()).then_some(bytes);
    }
    Some(
        word.char_indices()
            .nth(MAX_TERM_CHARS)
            .map_or(bytes, |(i, _)| i),
    )
}

/// Whether `c` (the character at byte `at` of `s`) is part of a word, and its
/// length in bytes.
#[inline]
fn word_char(s: &str, at: usize) -> (bool, usize) {
    let b = s.as_bytes()[at];
    if b < 0x80 {
        return (b.is_ascii_alphanumeric(), 1);
    }
    s[at..]
        .chars()
        .next()
        .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
}

/// The end of the run of word characters starting at `at`.
#[inline]
pub(super) fn word_end(s: &str, at: usize) -> usize {
    run_end(s, at, true)
}

/// The start of the next word at or after `at` (`s.len()` when none).
#[inline]
pub(super) fn word_start(s: &str, at: usize) -> usize {
    run_end(s, at, false)
}

/// The end of the run, from `at`, of characters that are (`word`) or are
/// not part of a word.
#[inline]
fn run_end(s: &str, mut at: usize, word: bool) -> usize {
    let bytes = s.as_bytes();
    while at < bytes.len() {
        let b = bytes[at];
        if b < 0x80 {
            if b.is_ascii_alphanumeric() != word {
                break;
            }
            at += 1;
        } else {
            match word_char(s, at) {
                (is_word, len) if is_word == word => at += len,
                _ => break,
            }
        }
    }
    at
}

impl<'a> Counter<'a> {
    /// [`Sink::read_text`] 64 bytes at a time: one pass over a block finds
    /// its letters and digits and where the run stops (`<`, `&`, a byte
    /// that is not ASCII, the end), and the words before the stop are
    /// counted from the bit masks. A page's text comes in a few hundred
    /// short runs between tags: finding each run's end first and then
    /// splitting it cost more than the words. A run with other characters
    /// goes on from the first of them by [`Sink::text`], as does a heading.
    fn read_block_text(&mut self, html: &'a str, mut at: usize) -> usize {
        let bytes = html.as_bytes();
        if self.heading.is_some() {
            return extract::read_run(self, html, at);
        }
        at = self.go_on(html, at);
        // Where the word still open at the block's end started.
        let mut open: Option<usize> = None;
        let mut base = at;
        loop {
            let (alnum, stops) = match bytes[base..].first_chunk::<64>() {
                Some(block) => block_masks(block),
                None => {
                    let rest = bytes.len() - base;
                    let mut block = [0u8; 64];
                    block[..rest].copy_from_slice(&bytes[base..]);
                    let (alnum, stops) = block_masks(&block);
                    // The end of the page stops the run too.
                    (alnum, stops | (1 << rest))
                }
            };
            let stop = stops.trailing_zeros() as usize;
            let before = if stop == 64 {
                u64::MAX
            } else {
                (1u64 << stop) - 1
            };
            let mask = alnum & before;
            // A bit where a byte's class differs from the one before it,
            // taken two at a time (a word's start and end): no branch per
            // byte. A word reaching the stop stays open.
            let mut edges = (mask ^ ((mask << 1) | u64::from(open.is_some()))) & before;
            if let Some(a) = open
                && edges != 0
            {
                self.count_ascii(&html[a..base + edges.trailing_zeros() as usize]);
                edges &= edges - 1;
                open = None;
            }
            while edges != 0 {
                let a = base + edges.trailing_zeros() as usize;
                edges &= edges - 1;
                if edges == 0 {
                    open = Some(a);
                    break;
                }
                self.count_ascii(&html[a..base + edges.trailing_zeros() as usize]);
                edges &= edges - 1;
            }
            if stop == 64 {
                base += 64;
                continue;
            }
            let end = base + stop;
            if end < bytes.len() && !bytes[end].is_ascii() {
                // Bytes before `end` are ASCII: it starts a character.
                let from = open.unwrap_or(end);
                return extract::read_run(self, html, from);
            }
            if let Some(a) = open {
                self.pending = Pending::Ascii(&html[a..end]);
            }
            return end;
        }
    }
}

/// Of a block of 64 bytes: bit `i` set in the first mask when byte `i` is
/// an ASCII letter or digit, and in the second when it is `<`, `&` or not
/// ASCII.
#[cfg(target_arch = "x86_64")]
#[inline]
fn block_masks(block: &[u8; 64]) -> (u64, u64) {
    use std::arch::x86_64::*;
    let (mut alnum, mut stops) = (0u64, 0u64);
    for (k, sixteen) in block.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of x86_64; the load reads the 16 bytes of
        // `sixteen` (unaligned loads allowed).
        let (a, s) = unsafe {
            let v = _mm_loadu_si128(sixteen.as_ptr().cast());
            // Bytes as signed: 0x80 and up are negative, below any ASCII.
            let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
            let letter = _mm_and_si128(
                _mm_cmpgt_epi8(lower, _mm_set1_epi8(b'a' as i8 - 1)),
                _mm_cmplt_epi8(lower, _mm_set1_epi8(b'z' as i8 + 1)),
            );
            let digit = _mm_and_si128(
                _mm_cmpgt_epi8(v, _mm_set1_epi8(b'0' as i8 - 1)),
                _mm_cmplt_epi8(v, _mm_set1_epi8(b'9' as i8 + 1)),
            );
            let special = _mm_or_si128(
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b'<' as i8)),
                _mm_cmpeq_epi8(v, _mm_set1_epi8(b'&' as i8)),
            );
            (
                _mm_movemask_epi8(_mm_or_si128(letter, digit)) as u16,
                _mm_movemask_epi8(_mm_or_si128(special, v)) as u16,
            )
        };
        alnum |= u64::from(a) << (16 * k);
        stops |= u64::from(s) << (16 * k);
    }
    (alnum, stops)
}

/// [`block_masks`] where SSE2 is not at hand.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn block_masks(block: &[u8; 64]) -> (u64, u64) {
    block_masks_swar(block)
}

/// [`block_masks`] eight bytes at a time in integer arithmetic, except that
/// a letter or digit bit past the first byte that is not ASCII may be
/// wrong (the arithmetic carries): no bit past a stop is read.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline]
fn block_masks_swar(block: &[u8; 64]) -> (u64, u64) {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES * 0x80;
    const LOW: u64 = ONES * 0x7f;
    /// The high bit of each byte of `x` that equals `c`.
    fn equal(x: u64, c: u8) -> u64 {
        let t = x ^ (ONES * u64::from(c));
        !(((t & LOW) + LOW) | t) & HIGH
    }
    let (mut alnum, mut stops) = (0, 0);
    for (k, chunk) in block.chunks_exact(8).enumerate() {
        let eight: [u8; 8] = chunk.try_into().unwrap_or_default();
        let x = u64::from_le_bytes(eight);
        alnum |= alnum_bits(x) << (8 * k);
        let high = (equal(x, b'<') | equal(x, b'&') | x) & HIGH;
        stops |= (((high >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56) << (8 * k);
    }
    (alnum, stops)
}

impl<'a> Sink<'a> for Counter<'a> {
    fn read_text(&mut self, html: &'a str, at: usize) -> usize {
        self.read_block_text(html, at)
    }

    fn text(&mut self, s: &'a str) {
        self.in_heading(|h| extract::push_spaced(h, s));
        let mut i = self.go_on(s, 0);
        loop {
            i = word_start(s, i);
            if i == s.len() {
                return;
            }
            let end = word_end(s, i);
            if end == s.len() {
                self.pending = Pending::Borrowed(&s[i..]);
                return;
            }
            self.count(Cow::Borrowed(&s[i..end]));
            i = end;
        }
    }

    fn char(&mut self, c: char) {
        let mut buf = [0; 4];
        let s = c.encode_utf8(&mut buf);
        self.in_heading(|h| extract::push_spaced(h, s));
        if c.is_alphanumeric() {
            let owned = match std::mem::replace(&mut self.pending, Pending::None) {
                Pending::None => String::new(),
                Pending::Ascii(w) | Pending::Borrowed(w) => w.to_string(),
                Pending::Owned(w) => w,
            };
            let mut owned = owned;
            owned.push(c);
            self.pending = Pending::Owned(owned);
        } else {
            self.flush();
        }
    }

    fn gap(&mut self) {
        self.flush();
        self.in_heading(|h| {
            if !h.ends_with(' ') && !h.is_empty() {
                h.push(' ');
            }
        });
    }

    fn heading_open(&mut self) {
        self.heading = Some(String::new());
    }

    fn heading_close(&mut self) {
        if let Some(h) = self.heading.take() {
            extract::add_heading(&mut self.counts.headings, h.trim());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word, ASCII ones lowercased, with its count.
    fn sorted(counts: &Counts) -> std::collections::BTreeMap<String, u32> {
        let mut all = std::collections::BTreeMap::new();
        let mut buf = [0; SHORT];
        for (w, n) in &counts.short {
            *all.entry(unpack(*w, &mut buf).to_string()).or_default() += n;
        }
        for (w, n) in &counts.words {
            let w = if w.is_ascii() {
                w.to_ascii_lowercase()
            } else {
                w.to_string()
            };
            *all.entry(w).or_default() += n;
        }
        all
    }

    /// The counts from the HTML equal the counts of the extracted text.
    fn assert_same(html: &str) {
        let text = extract::page_text(html);
        let expected = Counts::of_text(&text.body, &text.headings);
        let got = Counts::of_html(html);
        assert_eq!(sorted(&got), sorted(&expected), "words of {html:?}");
        assert_eq!(got.headings, expected.headings, "headings of {html:?}");
    }

    #[test]
    fn words_across_inline_tags_and_entities_are_joined_like_the_text() {
        for html in [
            "<main><p>First <em>para</em>graph. Nested &amp; decoded&nbsp;text &#8212; caf&eacute; caf&#233;s</p></main>",
            "<main><p>a<b>b</b>c d<i>é</i> <span>x</span>y</p><p>z</p>w</main>",
            "<div data-search-body><h2 id=\"a\"><a href=\"#a\">Side <em>eff</em>ects</a></h2><p>Text</p>\
             <h3>Heart &amp; body</h3><div data-search-ignore><h4>Tip</h4></div>x<span data-search-ignore>y</span>z</div>",
            "<main>trailing word",
            "<main><p>é</p><p>ab</p><p>aé</p><p>éé</p><p>x&#x301;</p></main>",
            "<main><p>Dose <math><mi>D</mi><mo>=</mo><mn>15</mn><annotation>\\frac</annotation></math> now</p></main>",
        ] {
            assert_same(html);
        }
    }

    #[test]
    fn long_words_are_cut_and_one_letter_words_dropped() {
        let long = "a".repeat(40);
        let wide = "é".repeat(40);
        let html = format!("<main><p>{long} {wide} x é 1 ab {long}<em>b</em> é&#233;</p></main>");
        assert_same(&html);
        let got = sorted(&Counts::of_html(&html));
        assert_eq!(got.get(&long[..32]), Some(&2));
        assert_eq!(got.get(&"é".repeat(32)), Some(&1));
        assert!(!got.contains_key("x"));
        assert_eq!(got.get("éé"), Some(&1));
    }

    #[test]
    fn short_words_pack_into_integers_that_order_as_the_strings() {
        let mut buf = [0; SHORT];
        assert_eq!(unpack(pack(b"MDMA", true), &mut buf), "mdma");
        assert_eq!(
            unpack(pack(b"abcdefghijklmnopqrst", false), &mut buf),
            "abcdefghijklmnop"
        );
        let mut words = ["b", "ab", "a", "abc", "a1", "zz", "abcdefghijklmnop", "abd"];
        let mut packed: Vec<Short> = words.iter().map(|w| pack(w.as_bytes(), false)).collect();
        words.sort();
        packed.sort();
        let back: Vec<String> = packed
            .iter()
            .map(|p| unpack(*p, &mut buf).to_string())
            .collect();
        assert_eq!(back, words);
    }

    #[test]
    fn words_packed_from_the_page_are_lowercased_as_pack_does() {
        let all: Vec<u8> = (0u8..0x80).collect();
        for len in 1..=SHORT {
            let text: Vec<u8> = (0..40u8)
                .map(|i| all[(i as usize * 7 + len) % 0x80])
                .collect();
            let text: Vec<u8> = text.into_iter().map(|b| b.max(1)).collect();
            for at in 0..text.len() - len {
                assert_eq!(pack_at(&text, at, len), pack(&text[at..at + len], true));
            }
        }
    }

    #[test]
    fn block_masks_find_letters_digits_and_where_a_run_stops() {
        // Every byte value, in each of the 64 places of a block.
        for shift in 0..64 {
            for bytes in (0u8..=255).collect::<Vec<u8>>().chunks(64) {
                let mut block = [b' '; 64];
                for (i, b) in bytes.iter().enumerate() {
                    block[(i + shift) % 64] = *b;
                }
                for (exact, (alnum, stops)) in [
                    (cfg!(target_arch = "x86_64"), block_masks(&block)),
                    (false, block_masks_swar(&block)),
                ] {
                    // The integer version may be wrong past the first stop.
                    let first = stops.trailing_zeros() as usize;
                    for (i, b) in block.iter().enumerate() {
                        let stop = *b == b'<' || *b == b'&' || !b.is_ascii();
                        assert_eq!(stops >> i & 1 == 1, stop, "byte {b:#x} at {i}");
                        if exact || i < first {
                            let word = b.is_ascii_alphanumeric();
                            assert_eq!(alnum >> i & 1 == 1, word, "byte {b:#x} at {i}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn random_html_counts_as_its_extracted_text() {
        // Pieces that meet at every kind of boundary the scanner knows.
        let pieces = [
            "word",
            " ",
            "é",
            "Ü",
            "<em>",
            "</em>",
            "<p>",
            "</p>",
            "&amp;",
            "&#233;",
            "&nbsp;",
            "&bogus;",
            "<",
            "&",
            "<h2>",
            "</h2>",
            "<br>",
            "<span data-search-ignore>",
            "</span>",
            "<!-- c -->",
            "<script>x</script>",
            "12",
            "-",
            "\n",
            "日本",
            "x",
            "abcdefghijklmnopqrstuvwxyz0123456789",
            "<math><annotation>t</annotation></math>",
            "The Quick brown fox, jumps over 12 lazy DOGS; again and again and again. ",
            "ABCDEFGHIJKLMNOPQ",
            "a1 b2 c3 d4 e5 f6 g7 h8 i9 j10 k11 l12 m13 n14 o15 p16 q17 r18 s19",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let mut html = String::from("<main>");
            for _ in 0..(seed % 24) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                html.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            // Some pages end in their text: the end of the page stops a
            // run as a tag does.
            if seed % 3 != 0 {
                html.push_str("</main>");
            }
            assert_same(&html);
        }
    }
}
