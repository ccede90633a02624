//! Attribute lists written right after an image, as Pandoc, Quarto,
//! kramdown and MkDocs' attr_list spell them:
//! `![](fig/tree.svg){alt='The folders' width=300}`. The Carpentries'
//! lessons give every figure its alt text this way. `alt` (or Quarto's
//! `fig-alt`) becomes the image's alt text, and then text in its brackets
//! (Pandoc's caption) its title; `title` is its title. The list itself is
//! not shown. docent sizes, places and styles images itself, so any other
//! attribute (`width`, `.class`, `#id`) is left out and named in a warning.
//!
//! Runs on the parser's events before text is merged: each text event is
//! then a span of the source, so the list is found in the source after the
//! image's end and the events it covers are dropped.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

type Spanned<'a> = (Event<'a>, Range<usize>);

/// Attributes of an image that docent does not use, and where the image
/// starts in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unused {
    pub(super) at: usize,
    pub(super) names: Vec<String>,
}

impl Unused {
    pub(super) fn message(&self) -> String {
        let names: Vec<String> = self.names.iter().map(|n| format!("`{n}`")).collect();
        if names.len() == 1 {
            format!("image attribute {} is not used", names[0])
        } else {
            format!("image attributes {} are not used", names.join(", "))
        }
    }
}

/// Whether `body` may hold an attribute list after an image (a quick test
/// before the events are walked).
pub(crate) fn may_apply(body: &str) -> bool {
    body.contains("){")
}

/// The events of `body` with each image's attribute list applied and
/// removed, and the attributes left out.
pub(crate) fn apply<'a>(
    body: &'a str,
    events: Vec<Spanned<'a>>,
) -> (Vec<Spanned<'a>>, Vec<Unused>) {
    let mut out: Vec<Spanned<'a>> = Vec::with_capacity(events.len());
    let mut unused = Vec::new();
    let mut image_at: Option<usize> = None;
    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Image { .. }) => image_at = Some(out.len()),
            Event::End(TagEnd::Image) => {
                if let Some(start) = image_at.take()
                    && let Some((len, attrs)) = body.get(range.end..).and_then(parse)
                    && let Some((skip, rest)) =
                        covered(body, &events[i + 1..], range.end, range.end + len)
                {
                    out.push(events[i].clone());
                    let names = set(&mut out, start, &attrs);
                    if !names.is_empty() {
                        unused.push(Unused {
                            at: out[start].1.start,
                            names,
                        });
                    }
                    out.extend(rest);
                    i += 1 + skip;
                    continue;
                }
            }
            _ => {}
        }
        out.push(events[i].clone());
        i += 1;
    }
    (out, unused)
}

/// Of the events after an image (which ends at body offset `from`), how
/// many lie wholly inside its attribute list (ending at `end`), and what
/// is left of a text the list ends inside; `None` when the list's end
/// falls inside anything else (a link or code span that goes on after
/// the `}`). What is inside is dropped whatever it is: the list's values
/// are read from the source as text.
fn covered<'a>(
    body: &'a str,
    after: &[Spanned<'a>],
    from: usize,
    end: usize,
) -> Option<(usize, Option<Spanned<'a>>)> {
    let mut n = 0;
    let mut to = from;
    for (ev, range) in after {
        if range.start >= from && range.end <= end {
            to = to.max(range.end);
            n += 1;
            continue;
        }
        if to < end
            && range.start == to
            && let Event::Text(t) = ev
            && body.get(range.clone()) == Some(t.as_ref())
        {
            // The list ends inside this text: what follows it stays.
            let rest = body.get(end..range.end)?;
            return Some((
                n + 1,
                Some((Event::Text(CowStr::Borrowed(rest)), end..range.end)),
            ));
        }
        break;
    }
    (to == end).then_some((n, None))
}

/// Apply `attrs` to the image whose events start at `out[start]` (and end
/// at the last event); returns the names of those not used.
fn set(out: &mut Vec<Spanned<'_>>, start: usize, attrs: &[Attr<'_>]) -> Vec<String> {
    let mut alt: Option<String> = None;
    let mut title: Option<String> = None;
    let mut names = Vec::new();
    for a in attrs {
        match a {
            Attr::Pair("alt" | "fig-alt", v) => alt = Some(v.to_string()),
            Attr::Pair("title", v) => title = Some(v.to_string()),
            Attr::Pair(k, _) => names.push((*k).to_string()),
            Attr::Id(id) => names.push(format!("#{id}")),
            Attr::Class(c) => names.push(format!(".{c}")),
        }
    }
    let end = out.len() - 1;
    if let Some(alt) = alt {
        let written: String = out[start + 1..end]
            .iter()
            .map(|(ev, _)| match ev {
                Event::Text(t) | Event::Code(t) => t.as_ref(),
                Event::SoftBreak | Event::HardBreak => "\n",
                _ => "",
            })
            .collect();
        let span = out[start].1.clone();
        out.splice(start + 1..end, [(Event::Text(alt.into()), span)]);
        if title.is_none() && !written.trim().is_empty() {
            title = Some(written);
        }
    }
    if let Some(new) = title
        && let (Event::Start(Tag::Image { title, .. }), _) = &mut out[start]
    {
        *title = new.into();
    }
    names
}

/// One attribute of a list.
#[derive(Debug, PartialEq, Eq)]
enum Attr<'a> {
    Id(&'a str),
    Class(&'a str),
    Pair(&'a str, Cow<'a, str>),
}

/// An attribute list at the start of `s`: its length and attributes;
/// `None` when `s` does not start with one (`{` then `#id`, `.class` or
/// `key=value` items, values bare or in quotes, then `}`; kramdown's
/// leading `:` allowed).
fn parse(s: &str) -> Option<(usize, Vec<Attr<'_>>)> {
    let inner = s.strip_prefix('{')?;
    let mut at = 1 + skip_space(inner);
    if s[at..].starts_with(':') {
        at += 1;
    }
    let mut attrs = Vec::new();
    loop {
        at += skip_space(&s[at..]);
        let rest = &s[at..];
        if rest.starts_with('}') {
            return (!attrs.is_empty()).then_some((at + 1, attrs));
        }
        let (attr, len) = item(rest)?;
        attrs.push(attr);
        at += len;
        // Items are apart, or the list ends.
        if !s[at..].starts_with(|c: char| c.is_whitespace() || c == '}') {
            return None;
        }
    }
}

fn skip_space(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// One item at the start of `s` and its length.
fn item(s: &str) -> Option<(Attr<'_>, usize)> {
    let name_len = |t: &str| {
        t.find(|c: char| c.is_whitespace() || "{}'\"=".contains(c))
            .unwrap_or(t.len())
    };
    if let Some(rest) = s.strip_prefix('#') {
        let n = name_len(rest);
        return (n > 0).then(|| (Attr::Id(&rest[..n]), n + 1));
    }
    if let Some(rest) = s.strip_prefix('.') {
        let n = name_len(rest);
        return (n > 0).then(|| (Attr::Class(&rest[..n]), n + 1));
    }
    let key_len = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_:.".contains(c)))
        .unwrap_or(s.len());
    if key_len == 0 || !s[..1].chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let key = &s[..key_len];
    let after = s[key_len..].strip_prefix('=')?;
    let (value, len) = match after.chars().next()? {
        q @ ('"' | '\'') => {
            let (value, n) = quoted(&after[1..], q)?;
            (value, n + 2)
        }
        _ => {
            let n = after
                .find(|c: char| c.is_whitespace() || "{}'\"".contains(c))
                .unwrap_or(after.len());
            (n > 0).then_some(())?;
            (Cow::Borrowed(&after[..n]), n)
        }
    };
    Some((Attr::Pair(key, value), key_len + 1 + len))
}

/// A quoted value up to its closing `q`, with Markdown's backslash
/// escapes of punctuation undone (`pnas\_final`, `\'`), and its length
/// in `s` (without the closing quote).
fn quoted(s: &str, q: char) -> Option<(Cow<'_, str>, usize)> {
    let mut value: Option<String> = None;
    let mut from = 0;
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == q {
            let text = match value {
                Some(mut v) => {
                    v.push_str(&s[from..i]);
                    Cow::Owned(v)
                }
                None => Cow::Borrowed(&s[..i]),
            };
            return Some((text, i));
        }
        if c == '\\'
            && let Some(&next) = s.as_bytes().get(i + 1)
            && next.is_ascii_punctuation()
        {
            let v = value.get_or_insert_with(String::new);
            v.push_str(&s[from..i]);
            from = i + 1;
            chars.next();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(body: &str) -> (Vec<Event<'_>>, Vec<Unused>) {
        let events = pulldown_cmark::Parser::new_ext(body, crate::markdown::options())
            .into_offset_iter()
            .collect();
        let (events, unused) = apply(body, events);
        (events.into_iter().map(|(e, _)| e).collect(), unused)
    }

    #[test]
    fn the_list_sets_alt_and_title_and_goes() {
        let (events, unused) =
            applied("![Root and\nbranches](t.svg){#f alt=\"Root,\nthen\" width=3} after.\n");
        assert_eq!(
            events,
            [
                Event::Start(Tag::Paragraph),
                Event::Start(Tag::Image {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url: "t.svg".into(),
                    title: "Root and\nbranches".into(),
                    id: "".into(),
                }),
                Event::Text("Root,\nthen".into()),
                Event::End(TagEnd::Image),
                Event::Text(" after.".into()),
                Event::End(TagEnd::Paragraph),
            ]
        );
        assert_eq!(
            unused,
            [Unused {
                at: 0,
                names: vec!["#f".into(), "width".into()]
            }]
        );
    }

    #[test]
    fn attribute_lists_parse_as_pandoc_kramdown_and_attr_list_write_them() {
        assert_eq!(
            parse("{alt='A tree' width=300 .wide #t} after"),
            Some((
                33,
                vec![
                    Attr::Pair("alt", "A tree".into()),
                    Attr::Pair("width", "300".into()),
                    Attr::Class("wide"),
                    Attr::Id("t"),
                ]
            ))
        );
        assert_eq!(
            parse("{: fig-alt=\"x}y\" }"),
            Some((18, vec![Attr::Pair("fig-alt", "x}y".into())]))
        );
        assert_eq!(
            parse("{ width=\"300\" }"),
            Some((15, vec![Attr::Pair("width", "300".into())]))
        );
        // Markdown escapes in a quoted value are undone.
        assert_eq!(
            parse(r"{alt='pnas\_final, \*.pdb, it\'s \a'}"),
            Some((
                37,
                vec![Attr::Pair("alt", r"pnas_final, *.pdb, it's \a".into())]
            ))
        );
        for not in [
            "{}",
            "{ }",
            "{this is text}",
            "{alt='open",
            "{alt=}",
            "{=x}",
            "{alt='a'b}",
            "{#}",
            "{1x=2}",
            "no brace",
            "{alt=x",
        ] {
            assert_eq!(parse(not), None, "{not}");
        }
        // Any text: never a panic, a length inside the text.
        for s in ["{é=é}", "{a=\"é", "{.é}", "{#é x='ü'}", "{:", "{"] {
            if let Some((n, _)) = parse(s) {
                assert!(s.is_char_boundary(n) && n <= s.len());
            }
        }
    }
}
