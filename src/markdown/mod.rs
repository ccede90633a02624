//! Stage ②: a page body → [`Rendered`] HTML plus what later stages need
//! (headings, TOC, whether code was highlighted). One pass over
//! pulldown-cmark's events: heading ids and permalink anchors, relative
//! Markdown links rewritten to URLs, code blocks highlighted, raw HTML passed
//! or escaped per config.

pub mod highlight;
pub mod links;
pub mod slug;
pub mod toc;

use std::fmt::Write as _;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Kind};
use crate::site::{Page, Site};
use crate::util::{escape_html, escape_html_into};
pub use toc::{Heading, TocEntry};

/// The output of the markdown stage for one page.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub toc: Vec<TocEntry>,
    /// A code block was highlighted, so the page needs the syntax stylesheet.
    pub highlighted: bool,
    /// Words of prose (code excluded).
    pub word_count: usize,
}

/// Everything the pass needs to know about one page.
pub struct Input<'a> {
    /// The whole file (for locating errors) and where the body starts in it.
    pub text: &'a str,
    pub body_offset: usize,
    pub shown_path: &'a Path,
    /// Content-relative path of the page (`safety/risks.md`).
    pub rel_path: &'a str,
    pub config: &'a SiteConfig,
    /// Maps a content-relative Markdown path to its page URL.
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Whether this page wants a TOC (`toc: false` turns it off).
    pub toc: bool,
}

/// pulldown-cmark extensions docent enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
}

/// Render one page of the site.
pub fn render_page(site: &Site, page: &Page) -> Result<Rendered, Vec<Diagnostic>> {
    let resolve = |source: &str| {
        site.by_source
            .get(source)
            .map(|&i| site.url(&site.pages[i]))
    };
    render(&Input {
        text: &page.text,
        body_offset: page.body_offset,
        shown_path: &page.shown_path,
        rel_path: &page.rel_path,
        config: &site.config,
        resolve: &resolve,
        toc: page.meta.toc.unwrap_or(true),
    })
}

struct HeadingState {
    level: HeadingLevel,
    explicit_id: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, Option<String>)>,
    placeholder: usize,
    text: String,
}

/// Render a Markdown body.
pub fn render(input: &Input<'_>) -> Result<Rendered, Vec<Diagnostic>> {
    let body = &input.text[input.body_offset..];
    let parser = Parser::new_ext(body, options()).into_offset_iter();
    let raw_html = input.config.markdown.raw_html;
    let highlight_on = input.config.markdown.highlight;

    // Explicit ids are reserved first so generated ones never take them.
    let mut ids = slug::IdSet::default();
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = parser.collect();
    for (ev, _) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = ev {
            ids.reserve(id);
        }
    }

    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut rendered = Rendered::default();
    let mut errors = Vec::new();
    let mut heading: Option<HeadingState> = None;
    let mut code: Option<(String, String)> = None;

    for (ev, range) in events {
        if let Some((_, buf)) = code.as_mut() {
            match ev {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, buf) = code.take().unwrap_or_default();
                    let html = code_block(&lang, &buf, highlight_on, &mut rendered.highlighted);
                    out.push(Event::Html(html.into()));
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some(HeadingState {
                    level,
                    explicit_id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.as_ref().map(|v| v.to_string())))
                        .collect(),
                    placeholder: out.len(),
                    text: String::new(),
                });
                out.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    let title = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
                    let id = match h.explicit_id {
                        Some(id) => id,
                        None => ids.unique(&slug::slugify(&title)),
                    };
                    let level = h.level as u8;
                    out[h.placeholder] =
                        Event::Html(open_heading(level, &id, &h.classes, &h.attrs).into());
                    out.push(Event::Html(close_heading(level, &id, &title).into()));
                    rendered.headings.push(Heading { level, id, title });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split([' ', ',', '\t'])
                        .next()
                        .unwrap_or("")
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match links::classify(&dest_url, input.rel_path) {
                    links::LinkTarget::External => dest_url,
                    links::LinkTarget::Markdown { source, suffix } => {
                        match (input.resolve)(&source) {
                            Some(url) => format!("{url}{suffix}").into(),
                            None => {
                                errors.push(broken_link(
                                    input,
                                    range.start,
                                    &dest_url,
                                    &format!("no page content/{source}"),
                                ));
                                dest_url
                            }
                        }
                    }
                    links::LinkTarget::Escapes => {
                        errors.push(broken_link(
                            input,
                            range.start,
                            &dest_url,
                            "the path leads outside content/",
                        ));
                        dest_url
                    }
                };
                out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Text(t) => {
                rendered.word_count += t.split_whitespace().count();
                if let Some(h) = heading.as_mut() {
                    h.text.push_str(&t);
                }
                out.push(Event::Text(t));
            }
            Event::Code(t) => {
                rendered.word_count += t.split_whitespace().count();
                if let Some(h) = heading.as_mut() {
                    h.text.push_str(&t);
                }
                out.push(Event::Code(t));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = callout(kind);
                out.push(Event::Html(
                    format!("<aside class=\"callout callout-{class}\" aria-label=\"{label}\">\n<p class=\"callout-label\">{label}</p>\n").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                out.push(Event::Html(CowStr::Borrowed("</aside>\n")))
            }
            Event::Start(Tag::Table(align)) => {
                // Wide tables scroll inside their own box, never the page.
                out.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table\">\n",
                )));
                out.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Html(h) | Event::InlineHtml(h) if !raw_html => out.push(Event::Text(h)),
            other => out.push(other),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    rendered.html = html;
    if input.toc {
        rendered.toc = toc::build(
            &rendered.headings,
            input.config.toc.min_level,
            input.config.toc.max_level,
        );
    }
    Ok(rendered)
}

/// GFM alert kind → (CSS class, visible label).
fn callout(kind: pulldown_cmark::BlockQuoteKind) -> (&'static str, &'static str) {
    use pulldown_cmark::BlockQuoteKind as K;
    match kind {
        K::Note => ("note", "Note"),
        K::Tip => ("tip", "Tip"),
        K::Important => ("important", "Important"),
        K::Warning => ("warning", "Warning"),
        K::Caution => ("caution", "Caution"),
    }
}

fn broken_link(input: &Input<'_>, body_pos: usize, dest: &str, why: &str) -> Diagnostic {
    Diagnostic::new(Kind::BrokenLink, format!("broken link to `{dest}`: {why}"))
        .at_offset(input.shown_path, input.text, input.body_offset + body_pos)
        .hint("link to an existing .md file, relative to this one (e.g. `../safety.md#risks`)")
}

fn open_heading(
    level: u8,
    id: &str,
    classes: &[String],
    attrs: &[(String, Option<String>)],
) -> String {
    let mut s = String::from("<div class=\"heading\">");
    let _ = write!(s, "<h{level} id=\"{}\"", escape_html(id));
    if !classes.is_empty() {
        let _ = write!(s, " class=\"{}\"", escape_html(&classes.join(" ")));
    }
    for (k, v) in attrs {
        if !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            let _ = write!(s, " {}=\"{}\"", k, escape_html(v.as_deref().unwrap_or("")));
        }
    }
    s.push('>');
    s
}

/// Close the heading and add a permalink that is visible on hover or focus.
fn close_heading(level: u8, id: &str, title: &str) -> String {
    format!(
        "</h{level}><a class=\"heading-anchor\" href=\"#{}\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to the section “{}”</span></a></div>\n",
        escape_html(id),
        escape_html(title)
    )
}

fn code_block(lang: &str, code: &str, highlight_on: bool, highlighted: &mut bool) -> String {
    let mut s = String::with_capacity(code.len() * 2 + 64);
    s.push_str("<pre class=\"code\" tabindex=\"0\"><code");
    if !lang.is_empty() {
        let _ = write!(s, " class=\"language-{}", escape_html(lang));
    }
    let hl = if highlight_on && !lang.is_empty() && !lang.starts_with('{') {
        highlight::highlight(code, lang)
    } else {
        None
    };
    match hl {
        Some(h) => {
            *highlighted = true;
            s.push_str(" hl-code\">");
            s.push_str(&h);
        }
        None => {
            s.push_str(if lang.is_empty() { ">" } else { "\">" });
            escape_html_into(code, &mut s);
        }
    }
    s.push_str("</code></pre>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(extra: &str) -> SiteConfig {
        SiteConfig::parse(&format!("title: T\n{extra}"), Path::new("site.yaml")).unwrap()
    }

    fn run(body: &str, config: &SiteConfig) -> Result<Rendered, Vec<Diagnostic>> {
        let text = format!("---\ntitle: x\n---\n{body}");
        let resolve = |s: &str| match s {
            "safety.md" => Some("/safety/".to_string()),
            "therapy/_index.md" => Some("/therapy/".to_string()),
            _ => None,
        };
        render(&Input {
            text: &text,
            body_offset: 16,
            shown_path: Path::new("content/a/page.md"),
            rel_path: "a/page.md",
            config,
            resolve: &resolve,
            toc: true,
        })
    }

    #[test]
    fn headings_get_ids_and_anchors() {
        let r = run(
            "## Safety\n\n## Safety\n\n### Dose {#dose .big}\n",
            &cfg(""),
        )
        .unwrap();
        assert!(
            r.html.contains("<h2 id=\"safety\">Safety</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"safety-1\">"), "{}", r.html);
        assert!(
            r.html.contains("<h3 id=\"dose\" class=\"big\">Dose</h3>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"#safety-1\""));
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "dose");
    }

    #[test]
    fn relative_markdown_links_are_rewritten() {
        let r = run(
            "[s](../safety.md#risks) [t](../therapy/_index.md) [x](https://e.org/a.md)",
            &cfg(""),
        )
        .unwrap();
        assert!(r.html.contains("href=\"/safety/#risks\""), "{}", r.html);
        assert!(r.html.contains("href=\"/therapy/\""));
        assert!(r.html.contains("href=\"https://e.org/a.md\""));
    }

    #[test]
    fn broken_link_is_located_in_the_file() {
        let e = run("Intro\n\nSee [x](missing.md).\n", &cfg("")).unwrap_err();
        assert_eq!(e[0].kind, Kind::BrokenLink);
        assert_eq!((e[0].line, e[0].column), (6, 5));
        assert!(
            e[0].message.contains("content/a/missing.md"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn extensions_are_on() {
        let r = run(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ \"q\" [^1]\n\n- [x] done\n\nTerm\n: Def\n\n[^1]: note\n",
            &cfg(""),
        )
        .unwrap();
        for needle in [
            "<table>",
            "<del>",
            "“q”",
            "footnote-definition",
            "type=\"checkbox\"",
            "<dl>",
        ] {
            assert!(r.html.contains(needle), "{needle} missing in {}", r.html);
        }
    }

    #[test]
    fn code_blocks_highlight_or_escape() {
        let r = run(
            "```rust\nfn main() {}\n```\n\n```nosuchlang\n<b>\n```\n",
            &cfg(""),
        )
        .unwrap();
        assert!(r.highlighted);
        assert!(r.html.contains("hl-code"));
        assert!(
            r.html.contains("class=\"language-nosuchlang\">&lt;b&gt;"),
            "{}",
            r.html
        );
        let r = run("```\nplain\n```\n", &cfg("")).unwrap();
        assert!(!r.highlighted);
    }

    #[test]
    fn gfm_alerts_become_labelled_callouts() {
        let r = run(
            "> [!WARNING]\n> Do not mix with alcohol.\n\n> plain quote\n",
            &cfg(""),
        )
        .unwrap();
        assert!(
            r.html.contains("<aside class=\"callout callout-warning\" aria-label=\"Warning\">\n<p class=\"callout-label\">Warning</p>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("Do not mix with alcohol.</p>\n</aside>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<blockquote>\n<p>plain quote</p>\n</blockquote>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_passes_or_escapes() {
        let r = run("<span class=x>hi</span>\n", &cfg("")).unwrap();
        assert!(r.html.contains("<span class=x>"));
        let r = run(
            "<span class=x>hi</span>\n",
            &cfg("markdown:\n  raw_html: false\n"),
        )
        .unwrap();
        assert!(r.html.contains("&lt;span class=x&gt;"), "{}", r.html);
    }

    #[test]
    fn headings_in_code_are_not_headings() {
        let r = run("```md\n## Not a heading\n```\n", &cfg("")).unwrap();
        assert!(r.headings.is_empty());
    }
}
