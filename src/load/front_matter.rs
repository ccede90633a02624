//! Splitting a Markdown file into its YAML front matter and its body.
//!
//! Offsets are kept so that errors in the YAML point at the file's own line
//! numbers, whatever the line endings (LF or CRLF) and with or without a BOM.

/// Where the parts of a file are, as byte offsets into the (BOM-free) text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Start of the YAML (the line after the opening `---`).
    pub yaml_start: usize,
    /// End of the YAML (start of the closing `---` line).
    pub yaml_end: usize,
    /// Start of the body (the line after the closing `---`).
    pub body_start: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` has no closing `---`.
    Unterminated,
}

/// Remove a leading UTF-8 byte order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Remove a leading byte order mark from a file just read, in place (no
/// copy of the whole text).
pub fn strip_bom_owned(mut text: String) -> String {
    let bom = text.len() - strip_bom(&text).len();
    text.drain(..bom);
    text
}

/// Find the front matter delimited by `---` lines at the top of `text`.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = LineIter { text, pos: 0 };
    match lines.next() {
        Some((_, line)) if is_fence(line) => {}
        _ => return Err(SplitError::Missing),
    }
    let yaml_start = lines.pos;
    for (start, line) in lines.by_ref() {
        if is_fence(line) || line.trim_end() == "..." {
            return Ok(Split {
                yaml_start,
                yaml_end: start,
                body_start: lines.pos,
            });
        }
    }
    Err(SplitError::Unterminated)
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Lines with their start offsets; the line excludes `\n` and `\r\n`.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf() {
        let t = "---\ntitle: A\n---\nBody\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.yaml_start..s.yaml_end], "title: A\n");
        assert_eq!(&t[s.body_start..], "Body\n");
    }

    #[test]
    fn splits_crlf() {
        let t = "---\r\ntitle: A\r\n---\r\nBody\r\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.yaml_start..s.yaml_end], "title: A\r\n");
        assert_eq!(&t[s.body_start..], "Body\r\n");
    }

    #[test]
    fn strips_bom_before_split() {
        let t = strip_bom("\u{feff}---\ntitle: A\n---\nB");
        let s = split(t).unwrap();
        assert_eq!(&t[s.body_start..], "B");
        assert_eq!(strip_bom_owned("\u{feff}é\u{feff}".into()), "é\u{feff}");
        assert_eq!(strip_bom_owned("---\n".into()), "---\n");
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let t = "---\n---";
        let s = split(t).unwrap();
        assert_eq!(s.yaml_start, s.yaml_end);
        assert_eq!(&t[s.body_start..], "");
    }

    #[test]
    fn missing_and_unterminated() {
        assert_eq!(split("# Hi\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unterminated));
        // A thematic break later in the body is not front matter.
        assert_eq!(split("Text\n---\n"), Err(SplitError::Missing));
    }
}
