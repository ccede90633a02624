//! Small pure helpers shared by several stages.

/// Edit distance between two short strings (keys, names): insertions,
/// deletions, substitutions and swaps of two neighbours (`titel`), one
/// each (optimal string alignment).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Rows i-2, i-1 and i of the table.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 0..a.len() {
        cur[0] = i + 1;
        for j in 0..b.len() {
            let cost = usize::from(a[i] != b[j]);
            let mut d = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                d = d.min(before[j - 1] + 1);
            }
            cur[j + 1] = d;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a typo.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Two edits from a word of five letters or fewer is another word
    // (`site` is not `title`); a swap of two letters is one edit.
    let len = word.chars().count();
    let limit = if len <= 5 { 1 } else { (len / 3).max(2) };
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `s` cut to at most `max` characters, with `…` when cut (for quoting
/// user values in messages; cuts between characters, never inside one).
pub(crate) fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// Words in `s`, split at ASCII whitespace. A byte loop: `split_whitespace`
/// decodes every char and was a tenth of the Markdown stage.
pub(crate) fn count_words(s: &str) -> usize {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return 0;
    };
    // A word starts at a non-space byte at the start or after a space;
    // summed over byte pairs without branches, into a u8 per 128-byte chunk
    // (cannot overflow), so the loop vectorises on bytes, not 64-bit lanes.
    // The byte-at-a-time version was a third of the Markdown pass's own
    // time; `windows(2)` summed into usize, 2.7x slower than this.
    let mut words = usize::from(!is_space(first));
    for (prev, next) in b[..b.len() - 1].chunks(128).zip(b[1..].chunks(128)) {
        let mut starts: u8 = 0;
        for (&p, &n) in prev.iter().zip(next) {
            starts += u8::from(is_space(p) & !is_space(n));
        }
        words += usize::from(starts);
    }
    words
}

/// ASCII whitespace as `u8::is_ascii_whitespace` defines it, branch-free.
#[inline]
fn is_space(c: u8) -> bool {
    (c == b' ') | (c == b'\t') | (c == b'\n') | (c == b'\r') | (c == 0x0c)
}

pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_html_into(s, &mut out);
    out
}

pub(crate) fn escape_html_into(s: &str, out: &mut String) {
    // Copies runs between special bytes whole instead of pushing char by
    // char (the special bytes are ASCII, so every cut is a char boundary).
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&s[plain..]);
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_html() {
        assert_eq!(super::escape_html(""), "");
        assert_eq!(super::escape_html("plain déjà"), "plain déjà");
        assert_eq!(
            super::escape_html("<a href=\"x\">Tom & 'Jerry'</a>é>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;é&gt;"
        );
        let mut out = String::from("kept ");
        super::escape_html_into("&&", &mut out);
        assert_eq!(out, "kept &amp;&amp;");
    }

    #[test]
    fn counts_words() {
        assert_eq!(super::count_words(""), 0);
        assert_eq!(super::count_words("  one  two\nthree\t"), 3);
        assert_eq!(super::count_words("déjà vu, naïve"), 3);
        assert_eq!(super::count_words("one"), 1);
        assert_eq!(super::count_words(" "), 0);
        assert_eq!(super::count_words("a\x0cb\rc"), 3);
        // Same as the obvious definition on a mixed sample.
        let text = "  Word,  word\tand\n\nmore\r\nwords\x0c; end ";
        assert_eq!(
            super::count_words(text),
            text.split_ascii_whitespace().count()
        );
        // Long texts: words straddle the 128-byte chunks the count sums in,
        // and one-letter words give the most word starts a chunk can hold.
        for (i, word) in ["a", "ab", "abcdefg", "abcdefghijklmnopq"]
            .iter()
            .enumerate()
        {
            for len in [127, 128, 129, 255, 256, 257, 1000] {
                let text: String = (0..len)
                    .map(|k| {
                        if k % (i + 2) == 0 {
                            ' '
                        } else {
                            word.as_bytes()[k % word.len()] as char
                        }
                    })
                    .collect();
                assert_eq!(
                    super::count_words(&text),
                    text.split_ascii_whitespace().count(),
                    "{text:?}"
                );
            }
        }
    }

    use super::*;

    #[test]
    fn closest_finds_typos_only() {
        let keys = ["title", "description", "weight"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("wieght", keys), Some("weight"));
        assert_eq!(closest("zzzzzz", keys), None);
        // A short word two letters away is another word, not a typo
        // (`{raw}` is not `{faq}`); one letter away still is.
        let components = ["faq", "chart", "table"];
        assert_eq!(closest("raw", components), None);
        assert_eq!(closest("fa", components), Some("faq"));
        assert_eq!(closest("tabel", components), Some("table"));
        // Carpentries' `site:` key is no typo of `title`.
        assert_eq!(closest("site", ["title", "description"]), None);
        assert_eq!(closest("tilte", ["title"]), Some("title"));
        assert_eq!(closest("descriptoin", ["description"]), Some("description"));
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("abc", "ca"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}

#[cfg(test)]
mod shorten_tests {
    #[test]
    fn cuts_between_characters() {
        assert_eq!(super::shorten("abc", 3), "abc");
        assert_eq!(super::shorten("abcd", 3), "abc…");
        assert_eq!(
            super::shorten(&"é".repeat(50), 40),
            format!("{}…", "é".repeat(40))
        );
    }
}
