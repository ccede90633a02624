//! URL paths from file names: the one place that percent-encodes what
//! docent writes into a URL and decodes what it reads from one; and which
//! URLs run script (what `markdown::sanitize` and the bibliography act on).
//!
//! File names may hold anything the file system allows (`%`, spaces, `[`,
//! `é`); the URLs built from them must be valid everywhere docent writes
//! one (links, navigation, sitemap, feed, search index, canonical links),
//! so each path segment is percent-encoded (`common/%` → `/common/%25/`).
//! Output files keep the names as they are: a server decodes the URL back
//! to the same name. URLs authors write are made valid the same way
//! ([`valid_href`]).

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// Bytes encoded in a path segment: everything but the URL standard's
/// unreserved characters and the sub-delimiters that are valid in a path
/// and mean nothing special to HTML or XML (`&` is escaped by templates).
/// Non-ASCII characters are always encoded (as UTF-8 bytes).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// `url` as written by an author, made a valid URL string for a page (the
/// Nu Html Checker's test): outside the authority (`//host:port`, which
/// may hold `[::1]`), a character a URL may not hold (a space, `"<>\\^`
/// and backquote, `{|}`, `[]`, a control) is percent-encoded, as a browser
/// encodes it when following the link, and so is a `%` not followed by two
/// hex digits and any `#` after the first. Valid escapes and non-ASCII
/// characters stay; a valid URL comes back as it is.
pub(crate) fn valid_href(url: &str) -> std::borrow::Cow<'_, str> {
    let bytes = url.as_bytes();
    let authority_end = authority_end(url);
    let mut out: Option<String> = None;
    let mut seen_hash = false;
    for (i, c) in url.char_indices() {
        let keep = if i < authority_end {
            true
        } else {
            match c {
                '%' => bytes
                    .get(i + 1..i + 3)
                    .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
                '#' => !std::mem::replace(&mut seen_hash, true),
                c if !c.is_ascii() => true,
                c => c.is_ascii_alphanumeric() || "!$&'()*+,-./:;=?@_~".contains(c),
            }
        };
        match (&mut out, keep) {
            (None, true) => {}
            (None, false) => {
                let mut s = String::with_capacity(url.len() + 8);
                s.push_str(&url[..i]);
                push_escaped(&mut s, c);
                out = Some(s);
            }
            (Some(s), true) => s.push(c),
            (Some(s), false) => push_escaped(s, c),
        }
    }
    match out {
        Some(s) => std::borrow::Cow::Owned(s),
        None => std::borrow::Cow::Borrowed(url),
    }
}

/// `raw` (an id an author wrote: `{#id}`, a footnote label) as an id that a
/// link's fragment reaches: what [`valid_href`] makes of `#raw`, without
/// the `#`. Ids may not hold whitespace and fragments may not hold a
/// space, `"<>`, a second `#` or a lone `%`: those are percent-encoded, so
/// the id and the `href="#…"` docent writes for it are the same string
/// (`Smith 2020` → `Smith%202020`). Anything else comes back as it is.
pub(crate) fn fragment_id(raw: &str) -> std::borrow::Cow<'_, str> {
    match valid_href(&format!("#{raw}")) {
        std::borrow::Cow::Borrowed(_) => std::borrow::Cow::Borrowed(raw),
        std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(s[1..].to_string()),
    }
}

/// Why no browser can follow `url` when its host or port is not one
/// (`http://localhost:port`, `http://my host/`): percent-encoding cannot
/// mend those, so the link is dead and its href invalid. `None` for any
/// URL without an authority and for every well-formed one (`user@host`,
/// `[::1]:8080`, an international host name).
pub(crate) fn unreachable(url: &str) -> Option<String> {
    let end = authority_end(url);
    let start = url.find("//").filter(|&i| i < end)? + 2;
    let authority = &url[start..end];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.strip_prefix('[') {
        // An IP literal: its brackets hold it whole.
        Some(rest) => match rest.split_once(']') {
            Some((_, after)) => ("", after.strip_prefix(':').unwrap_or(after)),
            None => return Some("its `[` is not closed".into()),
        },
        None => host_port.rsplit_once(':').unwrap_or((host_port, "")),
    };
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "its port `{}` is not a number",
            crate::util::shorten(port, 40)
        ));
    }
    if let Some(c) = host
        .chars()
        .find(|c| c.is_ascii_whitespace() || c.is_ascii_control() || "<>[]^|\\\"`{}".contains(*c))
    {
        return Some(format!("its host name holds {}", shown_char(c)));
    }
    None
}

/// A character as a message names it: `<`, or "a space".
fn shown_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

/// Where the authority of `url` ends (`https://host:1/p` → before `/p`), or
/// 0 when it has none.
fn authority_end(url: &str) -> usize {
    let scheme = url
        .find(':')
        .filter(|&i| {
            i > 0
                && url[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
        .map_or(0, |i| i + 1);
    match url[scheme..].strip_prefix("//") {
        Some(rest) => scheme + 2 + rest.find(['/', '?', '#']).unwrap_or(rest.len()),
        None => 0,
    }
}

fn push_escaped(out: &mut String, c: char) {
    let mut buf = [0; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        let _ = std::fmt::Write::write_fmt(out, format_args!("%{b:02X}"));
    }
}

/// A `/`-separated path with each segment percent-encoded; the slashes
/// stay. `common/%` → `common/%25`, `a b/é` → `a%20b/%C3%A9`.
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.extend(utf8_percent_encode(segment, SEGMENT));
    }
    out
}

/// `%20` → space. Invalid escapes stay as written; bytes that do not
/// decode to UTF-8 leave the whole string as written.
pub(crate) fn decode(s: &str) -> String {
    percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), std::borrow::Cow::into_owned)
}

/// A slug for an id or a URL segment (heading ids, taxonomy terms):
/// lower-case, letters and digits kept (any script), runs of anything else
/// become one `-`. Empty input gives `section`.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            // "What's" → "whats", not "what-s".
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_urls_become_valid_and_valid_ones_stay() {
        for (written, valid) in [
            ("https://docs.rs/mio/^1", "https://docs.rs/mio/%5E1"),
            ("https://m.to/#/#room:x.org", "https://m.to/#/%23room:x.org"),
            (
                "https://x.org/?q=branch%master",
                "https://x.org/?q=branch%25master",
            ),
            (
                "https://x.org/?a[]=1&b={x}|y",
                "https://x.org/?a%5B%5D=1&b=%7Bx%7D%7Cy",
            ),
            (
                "mailto:a@b.org?subject=hi there",
                "mailto:a@b.org?subject=hi%20there",
            ),
            ("page.md#a b", "page.md#a%20b"),
            ("https://x.org/a\"b<c>", "https://x.org/a%22b%3Cc%3E"),
            ("x%", "x%25"),
        ] {
            assert_eq!(valid_href(written), valid, "{written}");
            // Encoding twice changes nothing.
            assert_eq!(valid_href(valid), valid, "{valid}");
        }
        for ok in [
            "https://x.org/caf%C3%A9/été?q=%20ok#part",
            "https://[::1]:8080/p",
            "//cdn.example.org/a.js",
            "/guide/safety/#risks",
            "#top",
            "../safety/",
            "tel:+15551234",
            "",
        ] {
            assert!(
                matches!(valid_href(ok), std::borrow::Cow::Borrowed(_)),
                "{ok}"
            );
        }
    }

    #[test]
    fn author_ids_become_ids_a_fragment_reaches() {
        for (raw, id) in [
            ("Smith 2020", "Smith%202020"),
            ("a\"b<c>", "a%22b%3Cc%3E"),
            ("x#y", "x%23y"),
            ("%zz", "%25zz"),
            ("tab\there", "tab%09here"),
        ] {
            assert_eq!(fragment_id(raw), id, "{raw}");
            // The link docent writes to it is that string, valid as it is.
            let href = format!("#{id}");
            assert_eq!(valid_href(&href), href);
            assert_eq!(valid_href(&format!("#{raw}")), href);
        }
        for ok in ["dose", "1", "über", "a.b:c_d-e", "x%20y"] {
            assert!(
                matches!(fragment_id(ok), std::borrow::Cow::Borrowed(_)),
                "{ok}"
            );
        }
    }

    #[test]
    fn urls_whose_host_or_port_no_browser_reads_are_told_apart() {
        for (url, why) in [
            ("http://localhost:port", "port `port`"),
            ("http://localhost:port/path", "port `port`"),
            ("https://my host/x", "a space"),
            ("https://a<b>.org/", "`<`"),
            ("https://[::1/", "`[` is not closed"),
            ("https://[::1]:x/", "port `x`"),
            ("//cdn.example.org:80a/x.js", "port `80a`"),
        ] {
            let found = unreachable(url);
            assert!(
                found.as_deref().is_some_and(|f| f.contains(why)),
                "{url}: {found:?}"
            );
        }
        for ok in [
            "http://localhost:8080/x",
            "https://[::1]:8443/",
            "https://user:pw@x.org/",
            "https://münchen.de/",
            "http://x.org:/",
            "https://x.org/a b:c",
            "mailto:a@b.org",
            "/guide/a:b/",
            "#a:b",
            "page.md",
            "",
        ] {
            assert_eq!(unreachable(ok), None, "{ok}");
        }
    }

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

    #[test]
    fn encodes_each_segment_and_keeps_slashes() {
        assert_eq!(encode_path("common/%"), "common/%25");
        assert_eq!(encode_path("a b/[x]{y}^z"), "a%20b/%5Bx%5D%7By%7D%5Ez");
        assert_eq!(encode_path("café/naïve"), "caf%C3%A9/na%C3%AFve");
        assert_eq!(encode_path("q?#\"<>|`\\"), "q%3F%23%22%3C%3E%7C%60%5C");
        // Characters valid in a path stay readable.
        assert_eq!(
            encode_path("a-b_c.d~e!$&'()*+,;=:@"),
            "a-b_c.d~e!$&'()*+,;=:@"
        );
    }

    #[test]
    fn decoding_reverses_encoding() {
        for name in ["common/%", "a b/[x]", "café", "100%/x?y#z"] {
            assert_eq!(decode(&encode_path(name)), name);
        }
        assert_eq!(decode("%aé"), "%aé");
        assert_eq!(decode("%ff"), "%ff");
    }
}
