//! Reading a text file from the site (pages, data files, site.yaml): the
//! one place that decides what counts as text. UTF-8 only, located at the
//! first bad byte when it is not; a byte order mark is dropped; lone
//! carriage returns (old Mac line endings) become line feeds, so every
//! error is located on the line an editor shows (the text keeps its
//! length, so offsets into it stay offsets into the file).

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
    Ok(lone_cr_to_lf(text))
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
