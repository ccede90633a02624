//! Reading a text file from the site (pages, data files, site.yaml): the
//! one place that decides what counts as text. UTF-8 only, located at the
//! first bad byte when it is not; a byte order mark is dropped; lone
//! carriage returns (old Mac line endings) become line feeds, so every
//! error is located on the line an editor shows; and code points no HTML
//! page may hold (control characters other than whitespace, often pasted
//! from a PDF or a word processor, and noncharacters) become spaces, so
//! every page docent writes stays valid HTML (`docent check` reports where
//! they were). Both keep the text's length, so offsets into it stay
//! offsets into the file.

use std::path::Path;

use crate::error::{Diagnostic, Kind};

/// The text of a file read as `bytes`, shown in messages as `shown`.
pub(crate) fn decode(bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // Point at the first byte that is not UTF-8.
            let valid = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            let (line, col) = crate::error::line_col(&before, valid);
            return Err(Diagnostic::new(
                Kind::Io,
                format!("{} is not UTF-8 text", shown.display()),
            )
            .at(shown, line, col, Some(&before))
            .hint(
                "save the file as UTF-8 (an editor's \"encoding\" or \"save with encoding\" menu)",
            ));
        }
    };
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut text = text;
    text.drain(..bom);
    Ok(scrub(lone_cr_to_lf(text)))
}

/// Whether `c` may not appear in an HTML document: a control character
/// other than ASCII whitespace (tab, line feed, form feed, carriage
/// return), or a noncharacter (U+FDD0-U+FDEF, U+FFFE and U+FFFF of every
/// plane).
pub(crate) fn forbidden(c: char) -> bool {
    let u = u32::from(c);
    (u < 0x20 && !matches!(u, 0x09 | 0x0A | 0x0C | 0x0D))
        || (0x7F..=0x9F).contains(&u)
        || (0xFDD0..=0xFDEF).contains(&u)
        || u & 0xFFFE == 0xFFFE
}

/// The first forbidden code point of `text` and its byte offset.
pub(crate) fn first_forbidden(text: &str) -> Option<(usize, char)> {
    // 64 bytes at a time without an early exit, which the compiler turns
    // into vector compares: a page's text is read at memory speed.
    let suspect = text.as_bytes().chunks(64).any(|chunk| {
        chunk
            .iter()
            .fold(false, |acc, &b| acc | may_start_forbidden(b))
    });
    if !suspect {
        return None;
    }
    text.char_indices().find(|(_, c)| forbidden(*c))
}

/// Whether byte `b` is, or starts, a code point [`forbidden`] may hold:
/// most text has none, and is not looked at character by character.
fn may_start_forbidden(b: u8) -> bool {
    (b < 0x20 && !matches!(b, 0x09 | 0x0A | 0x0C | 0x0D))
        || b == 0x7F
        || b == 0xC2
        || b == 0xEF
        || b >= 0xF0
}

/// [`forbidden`] code points as spaces, one per byte.
fn scrub(text: String) -> String {
    if first_forbidden(&text).is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if forbidden(c) {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// Read and decode a file.
pub(crate) fn read(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::new(Kind::Io, format!("cannot read {}: {e}", shown.display())).file(shown)
    })?;
    decode(bytes, shown)
}

/// `\r` not followed by `\n` becomes `\n`, in place.
fn lone_cr_to_lf(text: String) -> String {
    if !text.as_bytes().contains(&b'\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // Replacing one ASCII byte with another keeps the text UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        let t = decode(b"a\rb\r\nc\r".to_vec(), Path::new("x")).unwrap();
        assert_eq!(t, "a\nb\r\nc\n");
        assert_eq!(
            decode(b"\xef\xbb\xbfok".to_vec(), Path::new("x")).unwrap(),
            "ok"
        );
    }

    #[test]
    fn code_points_html_forbids_become_spaces_of_the_same_length() {
        let raw =
            "a\u{1}b\u{8}c\u{1f}d\u{7f}e\u{85}f\u{9b}g\u{fdd0}h\u{fffe}i\u{1fffe}j\u{10ffff}k";
        let t = decode(raw.as_bytes().to_vec(), Path::new("x")).unwrap();
        assert_eq!(t.len(), raw.len());
        assert!(!t.chars().any(forbidden), "{t:?}");
        assert_eq!(t.split_whitespace().collect::<String>(), "abcdefghijk");
        // Whitespace, the replacement character and ordinary non-ASCII
        // text stay as they are.
        let ok = "tab\there\nff\u{c}cr\r\n\u{a0}é€\u{fffd}\u{1f600}\u{fdcf}\u{fdf0}";
        assert_eq!(decode(ok.as_bytes().to_vec(), Path::new("x")).unwrap(), ok);
        assert_eq!(first_forbidden(ok), None);
        assert_eq!(first_forbidden("ab\u{7}c"), Some((2, '\u{7}')));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        let d = decode(
            b"key: ok\nname: Caf\xe9\n".to_vec(),
            Path::new("content/d.yaml"),
        )
        .unwrap_err();
        assert_eq!((d.line, d.column), (2, 10));
        assert!(d.message.contains("content/d.yaml is not UTF-8"));
    }
}
