//! Rewriting relative links and images into the target's URL: a `.md`
//! file becomes its page's URL (an error when there is no such page), and
//! another file under `content/` (an image, a PDF) becomes its URL, so
//! that `pic.png` written on `guide/page.md` (published at `/guide/page/`)
//! still finds `guide/pic.png`. A `.md` path starting with `/` is read
//! from the top of `content/` (`/guide/page.md`).

/// What a link destination is.
#[derive(Debug, PartialEq, Eq)]
pub enum LinkTarget<'a> {
    /// Leave it alone (absolute URL, root path, fragment, non-Markdown file).
    External,
    /// A relative link to a Markdown file (or one from the top of
    /// content/): the content-relative path it resolves to, and the
    /// `#fragment`/`?query` suffix to keep.
    Markdown { source: String, suffix: &'a str },
    /// A relative link to another file: the content-relative path it
    /// resolves to (which may not exist: it is then left as written).
    File { source: String, suffix: &'a str },
    /// A relative Markdown link that climbs above `content/`.
    Escapes,
}

/// Classify `dest` as written on the page at content-relative `page_rel`.
pub fn classify<'a>(dest: &'a str, page_rel: &str) -> LinkTarget<'a> {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || has_scheme(dest) {
        return LinkTarget::External;
    }
    let cut = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(cut);
    if path.is_empty() {
        return LinkTarget::External;
    }
    let markdown = path
        .as_bytes()
        .rsplit(|&b| b == b'.')
        .next()
        .is_some_and(|ext| ext.eq_ignore_ascii_case(b"md") && path.len() > 3);
    // `/guide/x.md` is from the top of content/; other paths from `/` are
    // URLs the author wrote.
    let (base, path) = match path.strip_prefix('/') {
        Some(rest) if markdown => ("", rest),
        Some(_) => return LinkTarget::External,
        None => (page_rel.rsplit_once('/').map_or("", |(d, _)| d), path),
    };
    let decoded = crate::url::decode(path);
    match join_relative(base, &decoded) {
        Some(source) if markdown => LinkTarget::Markdown { source, suffix },
        Some(source) => LinkTarget::File { source, suffix },
        None if markdown => LinkTarget::Escapes,
        // `../../elsewhere/` is a URL the reader's browser resolves.
        None => LinkTarget::External,
    }
}

/// What a link written without text (`[](#label)`, `[](safety.md)`)
/// shows: the MyST label's title, or the linked page's; `None` for any
/// other link (it shows its address, with a warning).
pub fn title_for_empty(site: &crate::site::Site, page_rel: &str, written: &str) -> Option<String> {
    let (path, fragment) = written.split_once('#').unwrap_or((written, ""));
    if let Some((_, label, _)) = super::directives::target(site, fragment) {
        return Some(label.title.clone());
    }
    if path.is_empty() {
        return None;
    }
    match classify(written, page_rel) {
        LinkTarget::Markdown { source, .. } => site
            .by_source
            .get(&source)
            .map(|&i| site.pages[i].title.clone()),
        _ => None,
    }
}

/// Rewrite a link or image destination written on the page at
/// content-relative `page_rel`: a relative path becomes its target's URL
/// (through `resolve`, which maps a content-relative source path to the URL
/// of the page or file there); other destinations are kept. `Err(reason)`
/// when a `.md` target does not exist or the path leaves `content/`; a
/// missing file of another kind is left as written (`docent check` reports
/// missing images).
pub fn rewrite<'a>(
    dest: pulldown_cmark::CowStr<'a>,
    page_rel: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> Result<pulldown_cmark::CowStr<'a>, String> {
    let rewritten = match classify(&dest, page_rel) {
        LinkTarget::External => dest,
        LinkTarget::Markdown { source, suffix } => match resolve(&source) {
            Some(url) => format!("{url}{suffix}").into(),
            None => return Err(format!("no page content/{source}")),
        },
        LinkTarget::File { source, suffix } => match resolve(&source) {
            Some(url) => format!("{url}{suffix}").into(),
            None => dest,
        },
        LinkTarget::Escapes => return Err("the path leads outside content/".into()),
    };
    // What the author wrote, made a valid URL (`^1` → `%5E1`).
    Ok(match crate::url::valid_href(&rewritten) {
        std::borrow::Cow::Borrowed(_) => rewritten,
        std::borrow::Cow::Owned(valid) => valid.into(),
    })
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
            "//cdn.example.org/a.md",
            "/abs/",
            "/img.png",
            "#top",
            "mailto:a@b",
            "?q=1",
            "../../../up/",
            "",
        ] {
            assert_eq!(classify(d, "a/b.md"), LinkTarget::External, "{d}");
        }
        // A Markdown file from the top of content/.
        assert_eq!(
            classify("/guide/x%20y.md#part", "a/b.md"),
            LinkTarget::Markdown {
                source: "guide/x y.md".into(),
                suffix: "#part"
            }
        );
        assert_eq!(classify("/../x.md", "a/b.md"), LinkTarget::Escapes);
    }

    #[test]
    fn other_relative_files_resolve_from_the_source_folder() {
        let file = |source: &str, suffix: &'static str| LinkTarget::File {
            source: source.into(),
            suffix,
        };
        assert_eq!(
            classify("pic.png", "guide/page.md"),
            file("guide/pic.png", "")
        );
        assert_eq!(
            classify("../a%20b.pdf#p2", "guide/page.md"),
            file("a b.pdf", "#p2")
        );
        let resolve = |s: &str| (s == "guide/pic.png").then(|| "/guide/pic.png".to_string());
        let r = |d: &'static str| {
            rewrite(d.into(), "guide/page.md", &resolve)
                .unwrap()
                .to_string()
        };
        assert_eq!(r("pic.png"), "/guide/pic.png");
        assert_eq!(r("./pic.png?v=2"), "/guide/pic.png?v=2");
        // Not a file docent knows: left for the browser (and for check).
        assert_eq!(r("missing.png"), "missing.png");
        assert_eq!(r("subdir/"), "subdir/");
    }

    /// `[x](Other.MD)` was a plain relative link, to a file that is not
    /// there: the build said nothing. It is a link to a page, checked (and
    /// a missing one offered the `.md` file of that name).
    #[test]
    fn a_markdown_extension_in_any_case_is_a_page_link() {
        assert_eq!(classify("other.MD#x", "a/m.md"), md("a/other.MD", "#x"));
        assert_eq!(classify("other.Md", "m.md"), md("other.Md", ""));
        // Never a slice inside a character.
        assert!(matches!(classify("ünï", "m.md"), LinkTarget::File { .. }));
        assert!(matches!(classify("a.mdx", "m.md"), LinkTarget::File { .. }));
    }

    #[test]
    fn detects_escape() {
        assert_eq!(classify("../../x.md", "a/b.md"), LinkTarget::Escapes);
    }
}
