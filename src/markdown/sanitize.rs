//! What Markdown may put into a page: the one place that applies
//! `markdown.raw_html` and judges link and image URLs, for page bodies and
//! for every fragment of Markdown inside components, data files, front
//! matter and the glossary alike.
//!
//! Trust model: the site's editors write Markdown, YAML and (if the site has
//! them) templates. Templates are trusted code. With `raw_html: true` (the
//! default) editors are trusted too: raw HTML passes, and script URLs
//! (`javascript:`, `vbscript:`, `data:` other than images) and event
//! handlers in heading attributes (`## Title {onclick=…}`) are only warned
//! about. With `raw_html: false`, nothing an editor writes in Markdown can
//! run script: raw HTML is shown as text, script URLs are removed (the link
//! or image becomes its text) and handlers are dropped from headings, each
//! with a warning naming the place.
//!
//! A link or image whose URL no browser can follow (`http://localhost:port`)
//! becomes its text in either mode, with a warning: its href would be
//! invalid HTML and the link dead. So does an inline tag naming no HTML,
//! SVG, MathML or custom element (`mkfs.<type>`): shown as written. Each
//! finding is a [`Found`], the form a link without text is reported in
//! too (`Carrier::NoText`).

use pulldown_cmark::{CowStr, Event};

// Which URLs run script is decided in `url`; shown here, where Markdown is judged.
pub use crate::url::script_url;

/// Raw HTML as text unless the site allows it. Allowed or not, an inline
/// tag naming no element a browser knows (`mkfs.<type>`, `Vec<T>`: text
/// CommonMark reads as a tag) is text too, added to `found`. Allowed,
/// an embed without a name ([`unnamed_embeds`]) is added to `found`.
pub fn html_event<'a>(ev: Event<'a>, raw_html: bool, found: &mut Vec<Found>) -> Event<'a> {
    if raw_html && let Event::Html(h) | Event::InlineHtml(h) = &ev {
        found.extend(unnamed_embeds(h));
    }
    match ev {
        Event::Html(h) | Event::InlineHtml(h) if !raw_html => Event::Text(h),
        // kramdown's and Python-Markdown's `markdown="1"` is no HTML.
        Event::Html(h) if h.contains(" markdown") => match without_markdown_attr(&h) {
            Some(clean) => Event::Html(clean.into()),
            None => Event::Html(h),
        },
        Event::InlineHtml(h) if h.contains(" markdown") && !unknown_element(&h) => {
            match without_markdown_attr(&h) {
                Some(clean) => Event::InlineHtml(clean.into()),
                None => Event::InlineHtml(h),
            }
        }
        Event::InlineHtml(h) if unknown_element(&h) => {
            found.push(Found {
                carrier: Carrier::NotElement(h.to_string()),
                verdict: Verdict::Remove,
            });
            Event::Text(h)
        }
        other => other,
    }
}

/// The values of the `id` attributes of the tags in `html` (raw HTML an
/// author wrote), so that ids docent makes avoid them. Attribute values
/// and comments are skipped as such: `title="id=x"` holds no id.
pub fn html_ids(html: &str) -> Vec<&str> {
    start_tags(html)
        .into_iter()
        .flat_map(|t| t.attrs)
        .filter(|(name, value)| {
            name.eq_ignore_ascii_case("id") && value.is_some_and(|v| !v.is_empty())
        })
        .filter_map(|(_, value)| value)
        .collect()
}

/// A start tag of raw HTML: its name and attributes as written (a value
/// unquoted), and whether its `>` is in the same text.
struct StartTag<'a> {
    name: &'a str,
    attrs: Vec<(&'a str, Option<&'a str>)>,
    complete: bool,
}

impl StartTag<'_> {
    fn attr(&self, name: &str) -> Option<Option<&str>> {
        self.attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// The start tags of `html`, comments skipped.
fn start_tags(html: &str) -> Vec<StartTag<'_>> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let mut tag = StartTag {
            name: &rest[..name_end],
            attrs: Vec::new(),
            complete: false,
        };
        rest = &rest[name_end..];
        // Attributes up to the tag's end.
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() {
                break;
            }
            if rest.starts_with('>') {
                tag.complete = true;
                break;
            }
            let name_len = rest
                .find(|c: char| c.is_ascii_whitespace() || "=>/".contains(c))
                .unwrap_or(rest.len())
                .max(1);
            let name = &rest[..name_len.min(rest.len())];
            rest = rest[name.len()..].trim_start_matches(|c: char| c.is_ascii_whitespace());
            let Some(after) = rest.strip_prefix('=') else {
                tag.attrs.push((name, None));
                continue;
            };
            let after = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
            let (value, next) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                    Some(e) => (&after[1..1 + e], &after[e + 2..]),
                    None => (&after[1..], ""),
                },
                _ => {
                    let e = after
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..e], &after[e..])
                }
            };
            tag.attrs.push((name, Some(value)));
            rest = next;
        }
        tags.push(tag);
    }
    tags
}

/// Embedded things in raw HTML that assistive technology cannot name: an
/// `<iframe>` without a title (announced only as "frame") and an `<img>`
/// without `alt` (read as its file name), each as a [`Found`] to warn of.
pub fn unnamed_embeds(html: &str) -> Vec<Found> {
    if !html.contains('<') {
        return Vec::new();
    }
    start_tags(html)
        .into_iter()
        .filter(|t| t.complete)
        .filter_map(|t| {
            let named = |attr: &str| t.attr(attr).flatten().is_some_and(|v| !v.trim().is_empty());
            let unnamed = if t.name.eq_ignore_ascii_case("iframe") {
                !named("title") && !named("aria-label") && !named("aria-labelledby")
            } else if t.name.eq_ignore_ascii_case("img") {
                t.attr("alt").is_none() && !named("aria-label") && !named("aria-labelledby")
            } else {
                false
            };
            unnamed.then(|| Found {
                carrier: Carrier::Unnamed(format!("<{}", t.name)),
                verdict: Verdict::Keep,
            })
        })
        .collect()
}

/// `line` without the `markdown` attribute of its HTML start tags
/// (Python-Markdown's md_in_html: `<div class="grid" markdown>`, kramdown's
/// `markdown="1"`), which is not HTML; `None` when it has none. CommonMark reads the Markdown inside
/// such a block anyway when blank lines set it apart.
pub fn without_markdown_attr(line: &str) -> Option<String> {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut changed = false;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let tag_on = &rest[lt..];
        let Some(end) = tag_on.find('>').map(|e| e + 1) else {
            break;
        };
        let tag = &tag_on[..end];
        let cleaned = if tag[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            drop_attr(tag, "markdown")
        } else {
            None
        };
        changed |= cleaned.is_some();
        out.push_str(cleaned.as_deref().unwrap_or(tag));
        rest = &tag_on[end..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Start tag `tag` without its attribute `name` (and its value), if it
/// has it outside quoted values.
fn drop_attr(tag: &str, name: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    let mut quote = None;
    for at in 1..bytes.len() {
        match (quote, bytes[at]) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, q @ (b'"' | b'\'')) => quote = Some(q),
            (None, _) => {
                let after = bytes.get(at + name.len()).copied().unwrap_or(b'>');
                if !bytes[at - 1].is_ascii_whitespace()
                    || !bytes[at..].starts_with(name.as_bytes())
                    || !matches!(after, b'=' | b'>' | b'/' | b' ' | b'\t')
                {
                    continue;
                }
                let mut end = at + name.len();
                if after == b'=' {
                    end += 1;
                    end = match bytes.get(end) {
                        Some(&q @ (b'"' | b'\'')) => tag[end + 1..]
                            .find(q as char)
                            .map_or(tag.len() - 1, |e| end + 1 + e + 1),
                        _ => tag[end..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(tag.len() - 1, |e| end + e),
                    };
                }
                // The attribute and the space before it.
                let start = tag[..at].trim_end().len();
                return Some(format!("{}{}", &tag[..start], &tag[end..]));
            }
        }
    }
    None
}

/// Whether `tag` (`<name …>` or `</name>`) names no HTML, SVG or MathML
/// element and no custom element (those hold a `-`). Comments,
/// declarations and processing instructions are not tags.
fn unknown_element(tag: &str) -> bool {
    let rest = tag.strip_prefix('<').unwrap_or(tag);
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name = rest
        .split(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .next()
        .unwrap_or("");
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) || name.contains('-')
    {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    ELEMENTS.binary_search(&lower.as_str()).is_err()
}

/// Element names browsers know, sorted: HTML's (obsolete ones too: an
/// author writing `<center>` means HTML), SVG's and MathML's, lower-case.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "animate",
    "animatemotion",
    "animatetransform",
    "annotation",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "big",
    "blink",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "circle",
    "cite",
    "clippath",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "defs",
    "del",
    "desc",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "ellipse",
    "em",
    "embed",
    "feblend",
    "fecolormatrix",
    "fecomponenttransfer",
    "fecomposite",
    "feconvolvematrix",
    "fediffuselighting",
    "fedisplacementmap",
    "fedistantlight",
    "fedropshadow",
    "feflood",
    "fefunca",
    "fefuncb",
    "fefuncg",
    "fefuncr",
    "fegaussianblur",
    "feimage",
    "femerge",
    "femergenode",
    "femorphology",
    "feoffset",
    "fepointlight",
    "fespecularlighting",
    "fespotlight",
    "fetile",
    "feturbulence",
    "fieldset",
    "figcaption",
    "figure",
    "filter",
    "font",
    "footer",
    "foreignobject",
    "form",
    "frame",
    "frameset",
    "g",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "image",
    "img",
    "input",
    "ins",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "line",
    "lineargradient",
    "link",
    "main",
    "map",
    "mark",
    "marker",
    "marquee",
    "mask",
    "math",
    "menclose",
    "menu",
    "menuitem",
    "merror",
    "meta",
    "metadata",
    "meter",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mpath",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "nav",
    "nobr",
    "noembed",
    "noframes",
    "none",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "path",
    "pattern",
    "picture",
    "plaintext",
    "polygon",
    "polyline",
    "pre",
    "progress",
    "q",
    "radialgradient",
    "rb",
    "rect",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "semantics",
    "set",
    "slot",
    "small",
    "source",
    "span",
    "stop",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "switch",
    "symbol",
    "table",
    "tbody",
    "td",
    "template",
    "text",
    "textarea",
    "textpath",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tspan",
    "tt",
    "u",
    "ul",
    "use",
    "var",
    "video",
    "view",
    "wbr",
    "xmp",
];

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
    verdict(script_url(url), raw_html)
}

fn verdict(script: bool, raw_html: bool) -> Verdict {
    match (script, raw_html) {
        (false, _) => Verdict::Keep,
        (true, true) => Verdict::Warn,
        (true, false) => Verdict::Remove,
    }
}

/// Whether an attribute named `name` runs script: an event handler
/// (`onclick`, `ONFOCUS`: `on…` in any case, as HTML reads names).
pub fn handler_attr(name: &str) -> bool {
    name.len() > 2 && name.as_bytes()[..2].eq_ignore_ascii_case(b"on")
}

/// Script (or a URL no browser follows) found in Markdown, and what was
/// done with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub carrier: Carrier,
    pub verdict: Verdict,
}

/// What carried the script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carrier {
    /// A link's or image's URL.
    Url(String),
    /// A heading attribute (`{onclick=…}`), by name.
    Handler(String),
    /// A link's or image's URL that is no URL (`http://localhost:port`),
    /// and why ([`crate::url::unreachable`]).
    Unreachable(String, String),
    /// An inline tag naming no element (`<type>`), as written.
    NotElement(String),
    /// A link written without text, shown as its address (as written).
    NoText(String),
    /// An `<iframe` or `<img` of raw HTML without a name for assistive
    /// technology (as written: `<iframe`).
    Unnamed(String),
}

impl Found {
    /// The text that locates it in the source (the URL or the attribute's
    /// name as written).
    pub fn needle(&self) -> &str {
        match &self.carrier {
            Carrier::Url(s)
            | Carrier::Handler(s)
            | Carrier::Unreachable(s, _)
            | Carrier::NotElement(s)
            | Carrier::NoText(s)
            | Carrier::Unnamed(s) => s,
        }
    }

    pub fn kind(&self) -> crate::error::Kind {
        match self.carrier {
            Carrier::Url(_) => crate::error::Kind::ScriptUrl,
            Carrier::Handler(_) => crate::error::Kind::ScriptHandler,
            Carrier::Unreachable(..) => crate::error::Kind::BrokenLink,
            Carrier::NotElement(_) => crate::error::Kind::InvalidValue,
            Carrier::NoText(_) | Carrier::Unnamed(_) => crate::error::Kind::MissingField,
        }
    }

    /// Its warning message and hint.
    pub fn message(&self) -> (String, &'static str) {
        let remove = self.verdict == Verdict::Remove;
        match &self.carrier {
            Carrier::Unnamed(tag) if tag[1..].eq_ignore_ascii_case("img") => (
                "an <img> in raw HTML has no alt text: screen readers read its file name".into(),
                "add alt=\"What the image shows\" to the tag (alt=\"\" when it only decorates)",
            ),
            Carrier::Unnamed(_) => (
                "an <iframe> has no title: screen readers announce it only as a frame".into(),
                "add title=\"What it shows\" to the tag (a video's name, a map's place)",
            ),
            Carrier::NoText(url) => (
                format!(
                    "link to `{}` has no text: shown as its address",
                    crate::util::shorten(url, 60)
                ),
                "write what the link leads to between the brackets: [the safety page](safety.md)",
            ),
            Carrier::NotElement(tag) => (
                format!(
                    "`{}` is not an HTML element: shown as written",
                    crate::util::shorten(tag, 40)
                ),
                "to show angle brackets, put the text in code (`` `mkfs.<type>` ``) or escape the bracket (`\\<type>`); a custom element's name holds a hyphen (`<my-widget>`)",
            ),
            Carrier::Unreachable(url, why) => (
                format!(
                    "`{}` is not an address a browser can follow ({why}): shown as text",
                    crate::util::shorten(url, 60)
                ),
                "write the address in full (`http://localhost:8080/`); show a placeholder address as code instead (`` `http://localhost:PORT` ``)",
            ),
            Carrier::Url(url) => {
                let shown = crate::util::shorten(url, 60);
                if remove {
                    (
                        format!("script URL `{shown}` removed (raw_html is false)"),
                        "link to a page or an https:// address; script URLs never run on this site",
                    )
                } else {
                    (
                        format!("script URL `{shown}`: it runs script when followed"),
                        "link to a page or an https:// address, or set `markdown.raw_html: false` to remove such links",
                    )
                }
            }
            Carrier::Handler(name) => {
                let shown = crate::util::shorten(name, 40);
                if remove {
                    (
                        format!(
                            "event handler `{shown}` removed from a heading (raw_html is false)"
                        ),
                        "keep `{#id .class}` in heading attributes; script in Markdown never runs on this site",
                    )
                } else {
                    (
                        format!("event handler `{shown}` on a heading: it runs script"),
                        "put script in the theme's templates, or set `markdown.raw_html: false` to remove such handlers",
                    )
                }
            }
        }
    }
}

/// A script URL's verdict as a [`Found`] when it is one; a URL no
/// browser can follow is always removed.
pub fn screen_url(url: &CowStr<'_>, raw_html: bool) -> Option<Found> {
    match judge(url, raw_html) {
        Verdict::Keep => crate::url::unreachable(url).map(|why| Found {
            carrier: Carrier::Unreachable(url.to_string(), why),
            verdict: Verdict::Remove,
        }),
        verdict => Some(Found {
            carrier: Carrier::Url(url.to_string()),
            verdict,
        }),
    }
}

/// A heading's `{key=value}` attributes without the event handlers when
/// raw HTML is off; each handler is added to `found`.
pub fn screen_attrs<T: AsRef<str>>(
    attrs: Vec<(T, Option<T>)>,
    raw_html: bool,
    found: &mut Vec<Found>,
) -> Vec<(T, Option<T>)> {
    attrs
        .into_iter()
        .filter(|(name, _)| {
            let verdict = verdict(handler_attr(name.as_ref()), raw_html);
            if verdict != Verdict::Keep {
                found.push(Found {
                    carrier: Carrier::Handler(name.as_ref().to_string()),
                    verdict,
                });
            }
            verdict != Verdict::Remove
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md_in_html_markdown_attributes_are_dropped_and_nothing_else() {
        for (line, want) in [
            (
                "<div class=\"grid\" markdown>\n",
                Some("<div class=\"grid\">\n"),
            ),
            (
                "<div markdown=\"1\" class=\"x\">",
                Some("<div class=\"x\">"),
            ),
            (
                "a <span markdown='span'>b</span> c",
                Some("a <span>b</span> c"),
            ),
            ("<figure markdown=block>", Some("<figure>")),
            ("<div title=\"a markdown b\">", None),
            ("<div data-markdown class=\"markdown\">", None),
            ("Write markdown in <b>files</b>", None),
            ("x < markdown >", None),
            // Attributes are separated by ASCII spaces only.
            ("<div title=é\u{2003}markdown>", None),
            ("<div title=é markdown>", Some("<div title=é>")),
            ("<p title=\"été\" lang=é>", None),
        ] {
            assert_eq!(without_markdown_attr(line).as_deref(), want, "{line}");
        }
    }

    #[test]
    fn ids_are_read_from_tags_only() {
        assert_eq!(
            html_ids("<a id=\"c\"></a><div ID='p q' class=x><img id=bare />"),
            ["c", "p q", "bare"]
        );
        assert!(
            html_ids("<span title=\"id=java\" data-id=\"go\" hidden>id=\"x\"</span>").is_empty()
        );
        assert!(html_ids("<!-- <a id=\"gone\"> --> a < b id=1").is_empty());
        // Any text: never a panic.
        for s in [
            "<",
            "<a",
            "<a id",
            "<a id=",
            "<a id='",
            "<a é=é id=\"ü\"",
            "<a/id=x>",
        ] {
            let _ = html_ids(s);
        }
        assert_eq!(html_ids("<a é=é id=\"ü\">"), ["ü"]);
    }

    #[test]
    fn handlers_are_removed_from_heading_attributes_only_without_raw_html() {
        let attrs = || {
            vec![
                ("onclick", Some("alert(1)")),
                ("ONFOCUS", Some("alert(2)")),
                ("title", Some("kept")),
                ("on", None),
                ("one-more", None),
                ("é", None),
            ]
        };
        let mut found = Vec::new();
        let kept = screen_attrs(attrs(), false, &mut found);
        let names: Vec<&str> = kept.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["title", "on", "é"]);
        let handlers: Vec<(&str, &Verdict)> =
            found.iter().map(|f| (f.needle(), &f.verdict)).collect();
        assert_eq!(
            handlers,
            [
                ("onclick", &Verdict::Remove),
                ("ONFOCUS", &Verdict::Remove),
                ("one-more", &Verdict::Remove)
            ]
        );
        // Trusted editors keep them, warned.
        let mut found = Vec::new();
        assert_eq!(screen_attrs(attrs(), true, &mut found).len(), 6);
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|f| f.verdict == Verdict::Warn));
        assert!(found[0].message().0.contains("`onclick`"));
    }
}
