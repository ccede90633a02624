//! Splitting a Markdown file into its YAML front matter and its body, and
//! the title of a page that does not set one.
//!
//! Offsets are kept so that errors in the YAML point at the file's own line
//! numbers, whatever the line endings (LF or CRLF) and with or without a BOM.
//!
//! Content from other tools (MkDocs, mdBook, Jupyter Book) often has no
//! front matter: its title is the `# heading` it starts with. Unless the
//! site requires front matter, a page without a `title` takes it from that
//! heading (which then leaves the body, so it is not shown twice) or else
//! from its file name.

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
    /// The file starts with a `+++` line: TOML front matter (Hugo, Zola),
    /// which docent does not read.
    Toml,
}

/// Find the front matter delimited by `---` lines at the top of `text`
/// (after blank lines, if any).
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = LineIter { text, pos: 0 };
    // Blank lines before the opening fence are skipped.
    let first = lines.by_ref().find(|(_, line)| !line.trim().is_empty());
    match first {
        Some((_, line)) if is_fence(line) => {}
        Some((_, line)) if line.trim_end() == "+++" => return Err(SplitError::Toml),
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

/// The `# heading` a body starts with (after blank lines): its title text
/// and the offset just past its line, measured from the start of `text`.
pub fn leading_heading(text: &str, from: usize) -> Option<(String, usize)> {
    let lines = LineIter { text, pos: from };
    for (start, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let title = heading_text(line)?;
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        return Some((title, end));
    }
    None
}

/// The text of an ATX level-1 heading line (`# The *big* picture {#id}` →
/// `The big picture`), or `None` for any other line.
fn heading_text(line: &str) -> Option<String> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line[indent..].strip_prefix('#')?;
    if indent > 3 || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    use pulldown_cmark::{Event, Options, Parser};
    let mut title = String::new();
    let opts = Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_SMART_PUNCTUATION;
    for ev in Parser::new_ext(line, opts) {
        match ev {
            Event::Text(t) | Event::Code(t) => title.push_str(&t),
            Event::SoftBreak | Event::HardBreak => title.push(' '),
            _ => {}
        }
    }
    let title = title.trim().to_string();
    (!title.is_empty()).then_some(title)
}

/// The text before the body (front matter and a leading heading) when a
/// page's title came from its heading: that heading's title.
pub fn title_in_front(front: &str) -> Option<String> {
    let last = front.lines().rev().find(|l| !l.trim().is_empty())?;
    heading_text(last.trim_end_matches('\r'))
}

/// A title made from a content-relative file name: `guide/getting-started.md`
/// → `Getting started`; an index file is named after its folder; the home
/// page's file gives `None` (it takes the site's title).
pub fn title_from_file_name(rel: &str) -> Option<String> {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let mut parts = stem.rsplit('/');
    let mut name = parts.next().unwrap_or("");
    if name == "index" || name == "_index" {
        name = parts.next()?;
    }
    title_from_stem(name)
}

/// A title from a file name without its extension: words split at `-`,
/// `_`, spaces and characters no HTML page may hold (a file name can have
/// control characters), the first letter capitalised (`side-effects` →
/// `Side effects`); `None` when no word is left.
pub fn title_from_stem(stem: &str) -> Option<String> {
    let words: Vec<&str> = stem
        .split(|c| matches!(c, '-' | '_' | ' ') || crate::text::forbidden(c))
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
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
    fn empty_front_matter_and_no_body() {
        let t = "---\n---";
        let s = split(t).unwrap();
        assert_eq!(s.yaml_start, s.yaml_end);
        assert_eq!(&t[s.body_start..], "");
    }

    #[test]
    fn a_leading_heading_is_a_title() {
        let t = "\n\n# The *big* `picture` {#top}\n\nBody\n";
        let (title, end) = leading_heading(t, 0).unwrap();
        assert_eq!(title, "The big picture");
        assert_eq!(&t[end..], "\nBody\n");
        assert_eq!(
            title_in_front(&t[..end]).as_deref(),
            Some("The big picture")
        );
        assert_eq!(leading_heading("Text\n# Later\n", 0), None);
        assert_eq!(leading_heading("## Two\n", 0), None);
        assert_eq!(leading_heading("#hashtag\n", 0), None);
        assert_eq!(leading_heading("    # code\n", 0), None);
        assert_eq!(leading_heading("# é\r\nx", 0), Some(("é".into(), 6)));
        assert_eq!(title_in_front("---\ntitle: x\n---\n"), None);
    }

    #[test]
    fn titles_from_file_names() {
        assert_eq!(
            title_from_file_name("getting-started.md").as_deref(),
            Some("Getting started")
        );
        assert_eq!(
            title_from_file_name("a/b_c/index.md").as_deref(),
            Some("B c")
        );
        assert_eq!(title_from_file_name("s/_index.md").as_deref(), Some("S"));
        assert_eq!(title_from_file_name("été.md").as_deref(), Some("Été"));
        // Characters no HTML page may hold separate words too.
        assert_eq!(
            title_from_file_name("bad\u{1}name\u{7f}\u{85}.md").as_deref(),
            Some("Bad name")
        );
        assert_eq!(title_from_file_name("index.md"), None);
        assert_eq!(title_from_file_name("_index.md"), None);
    }

    #[test]
    fn missing_and_unterminated() {
        assert_eq!(split("# Hi\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unterminated));
        // A thematic break later in the body is not front matter.
        assert_eq!(split("Text\n---\n"), Err(SplitError::Missing));
        let t = "\n \r\n---\ntitle: A\n---\nBody\n";
        let s = split(t).unwrap();
        assert_eq!(&t[s.yaml_start..s.yaml_end], "title: A\n");
        assert_eq!(&t[s.body_start..], "Body\n");
        assert_eq!(split("\n\n"), Err(SplitError::Missing));
        assert_eq!(split("+++\ntitle = \"A\"\n+++\n"), Err(SplitError::Toml));
    }
}
