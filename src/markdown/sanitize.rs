//! What Markdown may put into a page: the one place that applies
//! `markdown.raw_html` and judges link and image URLs, for page bodies and
//! for every fragment of Markdown inside components, data files, front
//! matter and the glossary alike.
//!
//! Trust model: the site's editors write Markdown, YAML and (if the site has
//! them) templates. Templates are trusted code. With `raw_html: true` (the
//! default) editors are trusted too: raw HTML passes, and script URLs
//! (`javascript:`, `vbscript:`, `data:` other than images) are only warned
//! about. With `raw_html: false`, nothing an editor writes in Markdown can
//! run script: raw HTML is shown as text and script URLs are removed (the
//! link or image becomes its text), each with a warning naming the place.

use pulldown_cmark::{CowStr, Event};

/// Whether `url` would run script when followed or loaded: `javascript:`,
/// `vbscript:` or a `data:` URL other than an image, read the way browsers
/// read a scheme (ASCII case-insensitive, ignoring leading spaces and control
/// characters and any tab or newline inside).
pub fn script_url(url: &str) -> bool {
    // Most URLs on a page are paths or fragments: no scheme, nothing to
    // judge, no allocation.
    if !url.as_bytes().iter().take(48).any(|&b| b == b':') {
        return false;
    }
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(32)
        .collect::<String>()
        .to_ascii_lowercase();
    if cleaned.starts_with("javascript:") || cleaned.starts_with("vbscript:") {
        return true;
    }
    match cleaned.strip_prefix("data:") {
        Some(rest) => ![
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "image/avif",
        ]
        .iter()
        .any(|t| rest.starts_with(t)),
        None => false,
    }
}

/// Raw HTML as text unless the site allows it.
pub fn html_event(ev: Event<'_>, raw_html: bool) -> Event<'_> {
    match ev {
        Event::Html(h) | Event::InlineHtml(h) if !raw_html => Event::Text(h),
        other => other,
    }
}

/// What to do with a link or image whose URL is `url`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// An ordinary URL.
    Keep,
    /// A script URL kept because the site allows raw HTML (warn).
    Warn,
    /// A script URL removed: the link or image becomes its text (warn).
    Remove,
}

pub fn judge(url: &CowStr<'_>, raw_html: bool) -> Verdict {
    match (script_url(url), raw_html) {
        (false, _) => Verdict::Keep,
        (true, true) => Verdict::Warn,
        (true, false) => Verdict::Remove,
    }
}

/// The message for a script URL found in Markdown.
pub fn message(url: &str, verdict: Verdict) -> (String, &'static str) {
    let shown = crate::util::shorten(url, 60);
    match verdict {
        Verdict::Remove => (
            format!("script URL `{shown}` removed (raw_html is false)"),
            "link to a page or an https:// address; script URLs never run on this site",
        ),
        _ => (
            format!("script URL `{shown}`: it runs script when followed"),
            "link to a page or an https:// address, or set `markdown.raw_html: false` to remove such links",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls_are_recognised_as_browsers_read_them() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "  javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "DATA:text/html;base64,PHNjcmlwdD4=",
            "data:image/svg+xml,<svg onload=alert(1)>",
        ] {
            assert!(script_url(bad), "{bad:?}");
        }
        for ok in [
            "https://example.org/",
            "/safety/",
            "safety.md#risks",
            "#top",
            "mailto:a@b.org",
            "data:image/png;base64,iVBORw0KGgo=",
            "javascript-guide.md",
            "./javascript:x",
        ] {
            assert!(!script_url(ok), "{ok:?}");
        }
    }
}
