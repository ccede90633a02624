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
    if let Some(text) = utf16(&bytes) {
        let text = text.map_err(|line| {
            Diagnostic::new(
                Kind::Io,
                format!("{} is UTF-16 text with a broken character", shown.display()),
            )
            .at(shown, line, 1, None)
            .hint(
                "save the file as UTF-8 (an editor's \"encoding\" or \"save with encoding\" menu)",
            )
        })?;
        return Ok(scrub(lone_cr_to_lf(text)));
    }
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

/// Text in UTF-16 with a byte-order mark (Windows Notepad's "Unicode"),
/// without the mark; `Err` with the line of the first character that is
/// not UTF-16 (a lone surrogate, an odd byte at the end). `None` for
/// bytes without such a mark.
fn utf16(bytes: &[u8]) -> Option<Result<String, usize>> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks(2).map(|pair| match (pair, little) {
        ([a, b], true) => Some(u16::from_le_bytes([*a, *b])),
        ([a, b], false) => Some(u16::from_be_bytes([*a, *b])),
        _ => None,
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut line = 1;
    let mut decoded = char::decode_utf16(units.clone().map_while(|u| u));
    for c in decoded.by_ref() {
        match c {
            Ok(c) => {
                line += usize::from(c == '\n');
                text.push(c);
            }
            Err(_) => return Some(Err(line)),
        }
    }
    // An odd byte at the end.
    if units.into_iter().any(|u| u.is_none()) {
        return Some(Err(line));
    }
    Some(Ok(text))
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

    /// Windows Notepad's "Unicode" is UTF-16 with a byte-order mark: such a
    /// page was refused as "not UTF-8 text". It is read.
    #[test]
    fn utf16_with_a_byte_order_mark_is_read() {
        let text = "---\r\ntitle: Café\r\n---\r\n\r\nHello 👋\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [le, be] {
            assert_eq!(decode(bytes, Path::new("x")).unwrap(), text);
        }
        // A lone surrogate, or an odd byte at the end: a located error.
        for broken in [
            vec![0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x42, 0x00],
            vec![0xFF, 0xFE, 0x41, 0x00, 0x42],
        ] {
            let d = decode(broken, Path::new("content/x.md")).unwrap_err();
            assert!(d.message.contains("UTF-16"), "{d:?}");
            assert!(d.hint.as_deref().unwrap().contains("UTF-8"), "{d:?}");
        }
    }

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
