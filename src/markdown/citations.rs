//! Citations: `[@key]`, `[@key, p. 4]`, `[@a; @b]` in text (never in code)
//! become links to a "References" list appended to the page, formatted by
//! hayagriva in the site's CSL style. Retracted works are marked wherever
//! they are cited.

use std::fmt::Write as _;

use hayagriva::citationberg::LocaleCode;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, LocatorPayload, SpecificLocator,
};

use crate::error::{Diagnostic, Kind};
use crate::site::Bibliography;
use crate::util::escape_html;

/// One cited work, with where it was cited (for errors).
#[derive(Debug, Clone)]
pub struct CiteRef {
    pub key: String,
    /// `p. 4`, `chap. 2`, … as written.
    pub locator: Option<String>,
    /// A diagnostic already located at the citation; its message is filled in on error.
    pub at: Diagnostic,
    /// Byte offset of the citation in the page file.
    pub offset: usize,
    /// Written into the sentence (MyST's `{cite:t}`: "Walker (2017)"),
    /// not in parentheses.
    pub narrative: bool,
}

const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// A number drawn once per process and written into every placeholder:
/// text that happens to hold U+E000 (a private-use character, which an
/// editor can type) is never taken for a placeholder, since it cannot
/// guess this number.
static NONCE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use std::hash::BuildHasher;
    format!(
        "{:016x}:",
        std::collections::hash_map::RandomState::new().hash_one(0x646f_6365_6e74_u64)
    )
});

/// The placeholder for citation group `i`, replaced once the page is formatted.
pub fn placeholder(i: usize) -> String {
    format!("{OPEN}{}{i}{CLOSE}", *NONCE)
}

/// A parsed citation group: (key, locator) pairs.
pub type Group = Vec<(String, Option<String>)>;

/// Parse the inside of `[...]` as a citation group: `@a; @b, p. 4`.
/// `None` when it is not a citation (no leading `@`).
pub fn parse_group(inner: &str) -> Option<Group> {
    let mut out = Vec::new();
    for part in inner.split(';') {
        let rest = part.trim().strip_prefix('@')?;
        let (key, len) = citation_key(rest)?;
        let after = rest[len..].trim_start_matches([',', ' ']).trim();
        out.push((
            key.to_string(),
            (!after.is_empty()).then(|| after.to_string()),
        ));
    }
    (!out.is_empty()).then_some(out)
}

/// The citation key at the start of `text` (after its `@`) and the bytes
/// it takes, as Pandoc reads one: a letter, digit or `_`, then those and
/// internal punctuation (`:.#$%&-+?<>~/` followed by a letter, digit or
/// `_`: `[@smith2020.]` cites `smith2020`; `:` or `/` before a `/`, as in
/// a URL); or anything in braces (`@{Doe 2022}`).
fn citation_key(text: &str) -> Option<(&str, usize)> {
    if let Some(braced) = text.strip_prefix('{') {
        let end = braced.find('}')?;
        let key = braced[..end].trim();
        return (!key.is_empty()).then_some((key, end + 2));
    }
    let regular = |c: char| c.is_alphanumeric() || c == '_';
    let mut chars = text.char_indices().peekable();
    let mut end = 0;
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, next)| next);
        let internal = end > 0
            && ((":.#$%&-+?<>~/".contains(c) && next.is_some_and(regular))
                || (matches!(c, ':' | '/') && next == Some('/')));
        if !(regular(c) || internal) {
            break;
        }
        end = at + c.len_utf8();
    }
    (end > 0).then(|| (&text[..end], end))
}

/// Pandoc citations docent does not read, in a text run: a key after
/// words (`[see @key, p. 4]`) or with its author left out (`[-@key]`),
/// each as the byte offset of its `@` and the key. (Whether the key is a
/// work's decides whether it is worth a word: `[mail @support]` is not.)
pub fn unread(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|i| i + from) {
        let Some(close) = text[open..].find(']').map(|i| i + open) else {
            break;
        };
        from = close + 1;
        let inner = &text[open + 1..close];
        if inner.trim_start().starts_with('@') {
            continue;
        }
        for (i, _) in inner.match_indices('@') {
            let before = inner[..i].chars().next_back();
            let spaced = match before {
                None => false,
                Some('-') => inner[..i - 1]
                    .chars()
                    .next_back()
                    .is_none_or(|c| c.is_whitespace() || c == ';'),
                Some(c) => c.is_whitespace(),
            };
            if let Some((key, _)) = citation_key(&inner[i + 1..]).filter(|_| spaced) {
                found.push((open + 1 + i, key));
            }
        }
    }
    found
}

/// Find citation groups in a text run: (byte start, byte end, parsed group).
pub fn find_groups(text: &str) -> Vec<(usize, usize, Group)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("[@").map(|i| i + from) {
        let Some(close) = text[open..].find(']').map(|i| i + open) else {
            break;
        };
        if let Some(group) = parse_group(&text[open + 1..close]) {
            found.push((open, close + 1, group));
        }
        from = close + 1;
    }
    found
}

fn locator(s: &str) -> (Locator, &str) {
    let table: &[(&str, Locator)] = &[
        ("pp.", Locator::Page),
        ("p.", Locator::Page),
        ("chap.", Locator::Chapter),
        ("ch.", Locator::Chapter),
        ("sec.", Locator::Section),
        ("§", Locator::Section),
        ("fig.", Locator::Figure),
        ("tab.", Locator::Table),
        ("para.", Locator::Paragraph),
    ];
    for (prefix, loc) in table {
        if let Some(rest) = s.strip_prefix(prefix) {
            return (*loc, rest.trim());
        }
    }
    (Locator::Page, s)
}

/// The formatted output for one page.
pub struct Formatted {
    /// HTML of each citation group, by index.
    pub citations: Vec<String>,
    /// The page's reference list, in the style's order (empty when nothing
    /// is cited), for the `references.html` template.
    pub references: Vec<Reference>,
    /// Keys cited on the page, in first-cited order.
    pub keys: Vec<String>,
}

/// Format every citation group of a page, or report unknown keys.
/// `locale` is the language to format in (a BCP 47 tag), or none for the
/// style's own.
pub fn format(
    groups: &[Vec<CiteRef>],
    bib: Option<&Bibliography>,
    references_id: &str,
    locale: Option<&str>,
) -> Result<Formatted, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    for r in groups.iter().flatten() {
        let known = bib.is_some_and(|b| b.library.get(&r.key).is_some());
        if !known {
            let mut d = r.at.clone();
            d.kind = Kind::MissingField;
            d.message = format!("unknown citation key `@{}`", r.key);
            d.hint = Some(match bib {
                None => "add the work to content/references.yaml (hayagriva format), or set `bibliography:` in site.yaml".into(),
                Some(b) => match crate::util::closest(&r.key, b.keys.iter().map(String::as_str)) {
                    Some(c) => format!("did you mean `@{c}`? Keys are defined in {}", b.shown_path.display()),
                    None => format!("add `{}:` to {}", r.key, b.shown_path.display()),
                },
            });
            errors.push(d);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(bib) = bib else {
        return Ok(Formatted {
            citations: Vec::new(),
            references: Vec::new(),
            keys: Vec::new(),
        });
    };
    let mut driver = BibliographyDriver::new();
    for group in groups {
        let items = group
            .iter()
            .map(|r| {
                let entry = bib.library.get(&r.key).expect("checked above");
                let loc = r.locator.as_deref().map(|l| {
                    let (kind, value) = locator(l);
                    SpecificLocator(kind, LocatorPayload::Str(value))
                });
                let mut item = CitationItem::with_locator(entry, loc);
                if r.narrative {
                    item.purpose = Some(hayagriva::CitePurpose::Prose);
                }
                item
            })
            .collect();
        driver.citation(CitationRequest::new(
            items,
            &bib.style,
            locale.map(|l| LocaleCode(l.to_string())),
            &bib.locales,
            None,
        ));
    }
    let rendered = driver.finish(BibliographyRequest {
        style: &bib.style,
        locale: locale.map(|l| LocaleCode(l.to_string())),
        locale_files: &bib.locales,
    });
    let mut keys: Vec<String> = Vec::new();
    for r in groups.iter().flatten() {
        if !keys.contains(&r.key) {
            keys.push(r.key.clone());
        }
    }
    let citations = rendered
        .citations
        .iter()
        .zip(groups)
        .map(|(c, group)| {
            let text = to_html(&c.citation);
            let target = if group.len() == 1 {
                format!("#{}", reference_id(&group[0].key))
            } else {
                format!("#{references_id}")
            };
            let mut s = format!(
                "<a class=\"citation\" href=\"{}\">{}</a>",
                escape_html(&target),
                text
            );
            for r in group.iter().filter(|r| bib.is_retracted(&r.key)) {
                if group.len() == 1 {
                    s.push_str(" <span class=\"retracted-flag\">(retracted)</span>");
                } else {
                    let _ = write!(
                        s,
                        " <span class=\"retracted-flag\">({} is retracted)</span>",
                        escape_html(&r.key)
                    );
                }
            }
            s
        })
        .collect();
    let references = rendered
        .bibliography
        .map(|b| {
            b.items
                .iter()
                .map(|item| Reference::new(bib, &item.key, to_html(&item.content)))
                .collect()
        })
        .unwrap_or_default();
    Ok(Formatted {
        citations,
        references,
        keys,
    })
}

/// One entry of a reference list, as the `references.html` (a page's own
/// list) and `generated/references.html` templates get it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reference {
    pub key: String,
    /// Its id on the page (`ref-<key>`), the target of citations.
    pub id: String,
    pub retracted: bool,
    /// The entry formatted in the site's citation style (HTML).
    pub html: String,
    /// Its DOI, when the formatted entry does not already show it.
    pub doi: Option<String>,
    pub doi_url: Option<String>,
}

impl Reference {
    pub fn new(bib: &Bibliography, key: &str, html: String) -> Reference {
        let doi = bib
            .doi(key)
            .filter(|d| !html.contains(d))
            .map(str::to_string);
        Reference {
            key: key.to_string(),
            id: reference_id(key),
            retracted: bib.is_retracted(key),
            doi_url: doi.as_ref().map(|d| format!("https://doi.org/{d}")),
            doi,
            html,
        }
    }
}

/// The id of the entry for `key` in a reference list, which its
/// citations link to: `ref-` and the key, percent-encoded where a link's
/// fragment must be (`who%report#2` → `ref-who%25report%232`).
pub fn reference_id(key: &str) -> String {
    format!("ref-{}", crate::url::fragment_id(key))
}

/// Replace citation placeholders in `html` with the formatted citations.
pub fn substitute(html: &str, citations: &[String]) -> String {
    if !html.contains(OPEN) {
        return html.to_string();
    }
    let mut out =
        String::with_capacity(html.len() + citations.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len_utf8()..];
        let ours = after
            .strip_prefix(NONCE.as_str())
            .and_then(|a| a.find(CLOSE).map(|j| (a, j)))
            .and_then(|(a, j)| a[..j].parse::<usize>().ok().map(|idx| (a, j, idx)));
        match ours {
            Some((a, j, idx)) => {
                out.push_str(citations.get(idx).map_or("", String::as_str));
                rest = &a[j + CLOSE.len_utf8()..];
            }
            None => {
                // The editor's own U+E000: kept as written.
                out.push(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// hayagriva's formatted output as escaped HTML (its own HTML writer does
/// not escape text).
pub fn to_html(children: &ElemChildren) -> String {
    let mut s = String::new();
    for child in &children.0 {
        write_child(child, &mut s);
    }
    s
}

fn write_child(child: &ElemChild, s: &mut String) {
    use hayagriva::citationberg::{FontStyle, FontWeight, VerticalAlign};
    let text = |t: &hayagriva::Formatted, s: &mut String| {
        let f = &t.formatting;
        let mut close = Vec::new();
        if f.font_style == FontStyle::Italic {
            s.push_str("<i>");
            close.push("</i>");
        }
        if f.font_weight == FontWeight::Bold {
            s.push_str("<b>");
            close.push("</b>");
        }
        match f.vertical_align {
            VerticalAlign::Sup => {
                s.push_str("<sup>");
                close.push("</sup>");
            }
            VerticalAlign::Sub => {
                s.push_str("<sub>");
                close.push("</sub>");
            }
            _ => {}
        }
        s.push_str(&escape_html(&t.text));
        for c in close.iter().rev() {
            s.push_str(c);
        }
    };
    match child {
        ElemChild::Text(t) => text(t, s),
        ElemChild::Elem(e) => {
            for c in &e.children.0 {
                write_child(c, s);
            }
        }
        ElemChild::Markup(m) => s.push_str(&escape_html(m)),
        // A bibliography's script URL is shown, never linked (loading
        // warned about it).
        ElemChild::Link { text: t, url } if crate::url::script_url(url) => text(t, s),
        ElemChild::Link { text: t, url } => {
            let _ = write!(
                s,
                "<a href=\"{}\">",
                escape_html(&crate::url::valid_href(url))
            );
            text(t, s);
            s.push_str("</a>");
        }
        ElemChild::Transparent { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_groups() {
        assert_eq!(parse_group("@a"), Some(vec![("a".into(), None)]));
        assert_eq!(
            parse_group("@mitchell2021, p. 4"),
            Some(vec![("mitchell2021".into(), Some("p. 4".into()))])
        );
        assert_eq!(
            parse_group("@a; @b-c, pp. 4-5"),
            Some(vec![
                ("a".into(), None),
                ("b-c".into(), Some("pp. 4-5".into()))
            ])
        );
        assert_eq!(parse_group("not a cite"), None);
        assert_eq!(parse_group("@"), None);
        assert_eq!(parse_group("@{}"), None);
        assert_eq!(parse_group("@-a"), None);
    }

    #[test]
    fn pandoc_citations_docent_does_not_read_are_found() {
        fn keys(t: &str) -> Vec<&str> {
            unread(t).into_iter().map(|(_, k)| k).collect()
        }
        assert_eq!(
            keys("[see @a, p. 4] and [-@b] and [@c] and [e; -@d]"),
            ["a", "b", "d"]
        );
        // An address or a handle glued to a word is no citation.
        assert_eq!(
            keys("[mail me@example.org] [x-@y] [@ a]"),
            Vec::<&str>::new()
        );
        assert_eq!(keys("[unclosed @a"), Vec::<&str>::new());
        assert_eq!(unread("[see @é]"), [(5, "é")]);
    }

    #[test]
    fn keys_hold_pandocs_internal_punctuation_and_anything_in_braces() {
        let key = |g: &str| parse_group(g).map(|g| g[0].0.clone());
        assert_eq!(
            key("@smith&jones:2020").as_deref(),
            Some("smith&jones:2020")
        );
        assert_eq!(key("@who%report#2, p. 4").as_deref(), Some("who%report#2"));
        assert_eq!(key("@a+b?c~d<e>f/g$h").as_deref(), Some("a+b?c~d<e>f/g$h"));
        // Punctuation at the end, or before more punctuation, is not the key's.
        assert_eq!(key("@smith2020.").as_deref(), Some("smith2020"));
        assert_eq!(key("@doi:10.1/x:").as_deref(), Some("doi:10.1/x"));
        assert_eq!(key("@a--b").as_deref(), Some("a"));
        assert_eq!(key("@https://x.org/a").as_deref(), Some("https://x.org/a"));
        assert_eq!(key("@Müller_2019").as_deref(), Some("Müller_2019"));
        assert_eq!(
            parse_group("@{Doe 2022}, p. 2"),
            Some(vec![("Doe 2022".into(), Some("p. 2".into()))])
        );
    }

    #[test]
    fn groups_may_span_lines() {
        let t = "both [@a;\n@b] here";
        let g = find_groups(t);
        assert_eq!(g.len(), 1);
        assert_eq!(
            g[0].2,
            vec![("a".to_string(), None), ("b".to_string(), None)]
        );
    }

    #[test]
    fn finds_groups_in_text() {
        let t = "As shown [@a] and [see this] and [@b; @c].";
        let g = find_groups(t);
        assert_eq!(g.len(), 2);
        assert_eq!(&t[g[0].0..g[0].1], "[@a]");
        assert_eq!(&t[g[1].0..g[1].1], "[@b; @c]");
    }

    #[test]
    fn substitutes_placeholders() {
        let html = format!("x {} y {}", placeholder(0), placeholder(1));
        assert_eq!(substitute(&html, &["A".into(), "B".into()]), "x A y B");
    }

    #[test]
    fn private_use_characters_in_text_are_not_placeholders() {
        let text = "a \u{E000}0\u{E001} b \u{E000} c \u{E001}";
        let html = format!("{text} {}", placeholder(0));
        assert_eq!(substitute(&html, &["A".into()]), format!("{text} A"));
    }
}
