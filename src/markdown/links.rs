//! Rewriting relative links to Markdown files into the target page's URL.

/// What a link destination is.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkTarget<'a> {
    /// Leave it alone (absolute URL, root path, fragment, non-Markdown file).
    External,
    /// A relative link to a Markdown file: the content-relative path it
    /// resolves to, and the `#fragment`/`?query` suffix to keep.
    Markdown { source: String, suffix: &'a str },
    /// A relative Markdown link that climbs above `content/`.
    Escapes,
}

/// Classify `dest` as written on the page at content-relative `page_rel`.
pub fn classify<'a>(dest: &'a str, page_rel: &str) -> LinkTarget<'a> {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with('/') || has_scheme(dest) {
        return LinkTarget::External;
    }
    let cut = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(cut);
    if !path.ends_with(".md") {
        return LinkTarget::External;
    }
    let path = percent_decode(path);
    let base = page_rel.rsplit_once('/').map_or("", |(d, _)| d);
    match join_relative(base, &path) {
        Some(source) => LinkTarget::Markdown { source, suffix },
        None => LinkTarget::Escapes,
    }
}

/// Rewrite a link destination written on the page at content-relative
/// `page_rel`: a relative `.md` link becomes its page's URL (through
/// `resolve`, which maps a content-relative source path to a URL); other
/// links are kept. `Err(reason)` when the target page does not exist or the
/// path leaves `content/`.
pub fn rewrite<'a>(
    dest: pulldown_cmark::CowStr<'a>,
    page_rel: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Result<pulldown_cmark::CowStr<'a>, String> {
    match classify(&dest, page_rel) {
        LinkTarget::External => Ok(dest),
        LinkTarget::Markdown { source, suffix } => match resolve(&source) {
            Some(url) => Ok(format!("{url}{suffix}").into()),
            None => Err(format!("no page content/{source}")),
        },
        LinkTarget::Escapes => Err("the path leads outside content/".into()),
    }
}

/// Join a relative path onto a content-relative folder; `None` if it climbs
/// above `content/`.
pub fn join_relative(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) => {
            s[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && i > 0
        }
        None => false,
    }
}

/// `%20` → space. Invalid escapes stay as written; bytes that do not
/// decode to UTF-8 leave the whole path as written (it then names no page).
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), std::borrow::Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(source: &str, suffix: &'static str) -> LinkTarget<'static> {
        LinkTarget::Markdown {
            source: source.into(),
            suffix,
        }
    }

    #[test]
    fn resolves_relative_markdown_links() {
        assert_eq!(classify("safety.md", "index.md"), md("safety.md", ""));
        assert_eq!(
            classify("../safety.md#risks", "therapy/process.md"),
            md("safety.md", "#risks")
        );
        assert_eq!(classify("./b.md?x=1", "a/a.md"), md("a/b.md", "?x=1"));
        assert_eq!(
            classify("sub/_index.md", "_index.md"),
            md("sub/_index.md", "")
        );
        assert_eq!(classify("my%20page.md", "x.md"), md("my page.md", ""));
        // Invalid escapes, even before multi-byte text, stay as written.
        assert_eq!(classify("%aé.md", "x.md"), md("%aé.md", ""));
        assert_eq!(classify("%é.md", "x.md"), md("%é.md", ""));
        assert_eq!(classify("%ff.md", "x.md"), md("%ff.md", ""));
    }

    #[test]
    fn leaves_other_links_alone() {
        for d in [
            "https://x.org/a.md",
            "/abs.md",
            "#top",
            "mailto:a@b",
            "img.png",
            "",
        ] {
            assert_eq!(classify(d, "a/b.md"), LinkTarget::External, "{d}");
        }
    }

    #[test]
    fn detects_escape() {
        assert_eq!(classify("../../x.md", "a/b.md"), LinkTarget::Escapes);
    }
}
