//! Component blocks: a fenced block whose info string is `{name}` holds YAML
//! that is validated here and rendered by the theme template
//! `components/<name>.html`. Built-in components get typed, located
//! validation; a site adds its own by adding a template, which then receives
//! the block's YAML as its variables.

mod chart;
mod faq;
pub(crate) mod numbers;
mod simple;
pub(crate) mod table;
pub mod urgent;

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value;
use tera::Context;

use super::slug::IdSet;
use super::toc::Heading;
use crate::error::{Diagnostic, Kind};
use crate::site::Site;
use crate::yaml;

/// Built-in components, validated in Rust before their template runs.
pub const BUILT_IN: &[&str] = &[
    "chart",
    "faq",
    "figure",
    "newsletter",
    "table",
    "takeaways",
    "testimonial",
    "urgent",
];

/// What components need of the theme: its component templates
/// (`components/<name>.html`). `render::Templates` implements it, so the
/// Markdown stage does not depend on the render stage.
pub trait ComponentTemplates: Sync {
    /// The names of the component templates the theme and site have
    /// (`<name>` of `components/<name>.html`).
    fn component_names(&self) -> Vec<String>;
    /// Whether the template `name` exists.
    fn has(&self, name: &str) -> bool;
    /// Whether `name` is docent's built-in template (neither the theme nor
    /// the site replaced it), so a caller may use its Rust fast path.
    fn is_builtin(&self, name: &str) -> bool;
    /// Render the template `name` for a page in language `lang` (index
    /// into `site.languages`: the template sees that language's `site`
    /// and `t`); an error is located in the template, with `page` as the
    /// page it was rendering for.
    fn render(
        &self,
        name: &str,
        context: &Context,
        page: &Path,
        lang: usize,
    ) -> Result<String, Diagnostic>;

    /// The markup template `name` puts before and after `{{ body | safe }}`
    /// (a wrapper such as `callout.html`, whose body is the Markdown
    /// between its start and end).
    fn wrap(
        &self,
        name: &str,
        context: &Context,
        page: &Path,
        lang: usize,
    ) -> Result<(String, String), Diagnostic> {
        const BODY: &str = "\u{E002}docent-body\u{E003}";
        let mut context = context.clone();
        context.insert("body", BODY);
        let html = self.render(name, &context, page, lang)?;
        match html.split_once(BODY) {
            Some((open, close)) if !close.contains(BODY) => Ok((open.into(), close.into())),
            _ => Err(Diagnostic::new(
                Kind::TemplateRuntime,
                format!("the template `{name}` must print `{{{{ body | safe }}}}` exactly once"),
            )
            .file(page)
            .hint("print the wrapped content once, where it belongs")),
        }
    }
}

/// What components can read: the loaded site and the templates.
pub struct Env<'a> {
    pub site: &'a Site,
    pub templates: &'a dyn ComponentTemplates,
    /// Collect what `docent check` analyses (prose for reading figures).
    pub analyze: bool,
    /// Responsive images of this build (none: images are shown as they are).
    pub(crate) images: Option<&'a crate::images::Images>,
}

/// A component body written as a bare list, or as a map.
pub enum ListOr<L, M> {
    List(Vec<L>),
    Map(M),
}

/// One component block as written on a page.
pub struct Block<'a> {
    /// The page's language (index into `site.languages`).
    pub lang: usize,
    pub name: &'a str,
    /// The YAML between the fences.
    pub body: &'a str,
    pub shown_path: &'a Path,
    /// The whole page file, for locating errors.
    pub file_text: &'a str,
    /// 1-based line of the opening fence.
    pub fence_line: usize,
    /// Content-relative path of the page (`safety/risks.md`).
    pub page_rel: &'a str,
}

impl Block<'_> {
    /// Byte offset in the page file of `needle` in the block's body (of
    /// the body's start when it is not there, or 0 when the body is not
    /// part of the page file).
    pub fn offset_of(&self, needle: &str) -> usize {
        let (file, body) = (
            self.file_text.as_ptr() as usize,
            self.body.as_ptr() as usize,
        );
        let inside = body >= file && body + self.body.len() <= file + self.file_text.len();
        let start = if inside { body - file } else { 0 };
        start + self.body.find(needle).unwrap_or(0)
    }

    /// Parse the block's YAML into `T`, with errors located in the page file.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        yaml::parse(
            self.body,
            yaml::Origin {
                path: self.shown_path,
                file_text: self.file_text,
                line_offset: self.fence_line,
            },
        )
        .map_err(|d| d.note(format!("in the {{{}}} component", self.name)))
    }

    /// Parse a body that is either a bare list of `L` or a map `M` (which
    /// holds such a list): errors speak of the shape the editor wrote.
    pub fn parse_list_or<L: DeserializeOwned, M: DeserializeOwned>(
        &self,
    ) -> Result<ListOr<L, M>, Diagnostic> {
        if yaml::is_list(self.body) {
            self.parse().map(ListOr::List)
        } else {
            self.parse().map(ListOr::Map)
        }
    }

    /// An error at the block's fence line.
    pub fn error(
        &self,
        kind: Kind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(kind, message)
            .at(self.shown_path, self.fence_line, 1, Some(self.file_text))
            .hint(hint)
    }

    /// Error at `needle` written as (part of) the value of the block's
    /// top-level `key` (`y: [n, nn]`: key `y`, needle `nn`), else at the
    /// key's line, else at the fence. Other keys' lines are not searched, so
    /// `x: study` is never blamed for `y: study`.
    pub fn error_at_key(
        &self,
        key: &str,
        needle: &str,
        kind: Kind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        let lines: Vec<&str> = self.body.lines().collect();
        let Some((key_line, _)) = yaml::key_line(self.body, &[], key) else {
            return self.error_at(needle, kind, message, hint);
        };
        let first = key_line - 1;
        // The key's line and the more indented lines under it.
        let last = (first + 1..lines.len())
            .find(|&i| {
                let l = lines[i];
                !l.trim().is_empty() && !l.starts_with([' ', '\t', '-'])
            })
            .unwrap_or(lines.len());
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80;
        let found = (first..last).find_map(|i| {
            let line = lines[i];
            // On the key's own line, look after the colon.
            let from = if i == first {
                line.find(':').map_or(0, |c| c + 1)
            } else {
                0
            };
            line[from..]
                .match_indices(needle)
                .map(|(p, _)| from + p)
                .find(|&p| {
                    let b = line.as_bytes();
                    (p == 0 || !is_word(b[p - 1]))
                        && b.get(p + needle.len()).is_none_or(|&c| !is_word(c))
                })
                .map(|p| (i, line[..p].chars().count() + 1))
        });
        let (i, col) = found.unwrap_or((first, 1));
        self.at_body_line(i, col, kind, message, hint)
    }

    /// An error at line `i` (0-based, of the block's body), column `col`.
    fn at_body_line(
        &self,
        i: usize,
        col: usize,
        kind: Kind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(kind, message)
            .at(
                self.shown_path,
                self.fence_line + 1 + i,
                col,
                Some(self.file_text),
            )
            .hint(hint)
    }

    /// Error at the first line of the block that contains `needle`, else at the fence.
    pub fn error_at(
        &self,
        needle: &str,
        kind: Kind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        match self.body.lines().position(|l| l.contains(needle)) {
            Some(i) => {
                let line_text = self.body.lines().nth(i).unwrap_or("");
                let col = line_text
                    .find(needle)
                    .map_or(1, |c| line_text[..c].chars().count() + 1);
                self.at_body_line(i, col, kind, message, hint)
            }
            None => self.error(kind, message, hint),
        }
    }

    /// Markdown from the block (or its data) as HTML, with links resolved
    /// and `[@key]` citations recorded on the page like those in its body.
    pub fn md(&self, env: &Env<'_>, sink: &mut Sink<'_>, text: &str) -> Result<String, Diagnostic> {
        let cites = &mut *sink.cites;
        let mut cite = |group: super::citations::Group| {
            let refs = group
                .into_iter()
                .map(|(key, locator)| super::citations::CiteRef {
                    at: self.error_at(&format!("@{key}"), Kind::MissingField, "", ""),
                    offset: self.offset_of(&format!("@{key}")),
                    narrative: false,
                    key,
                    locator,
                })
                .collect();
            record_cite(cites, refs)
        };
        let mut safety = Safety::new(env.site.config.markdown.raw_html);
        let html = md_with(
            text,
            self.page_rel,
            Some(env.site),
            Some(&mut cite),
            &mut safety,
            Some(&mut *sink.ids),
        );
        for found in &safety.found {
            let (message, hint) = found.message();
            sink.warnings
                .push(self.error_at(found.needle(), found.kind(), message, hint));
        }
        html.map_err(|e| match e {
            FragmentError::BrokenLink(dest) => self.error_at(
                &dest,
                Kind::BrokenLink,
                format!("broken link to `{dest}` in the {{{}}} component", self.name),
                "link to an existing .md file, relative to this page",
            ),
            FragmentError::Citation(c) => self.error_at(
                &c,
                Kind::InvalidValue,
                format!("citation `{c}` where citations are not supported"),
                "cite in the page body instead",
            ),
            FragmentError::Role(message, hint) => self.error(
                Kind::BrokenLink,
                format!("{message} in the {{{}}} component", self.name),
                hint,
            ),
        })
    }

    /// Like [`Block::md`], without the `<p>` wrapper of a single paragraph.
    pub fn md_inline(
        &self,
        env: &Env<'_>,
        sink: &mut Sink<'_>,
        text: &str,
    ) -> Result<String, Diagnostic> {
        self.md(env, sink, text).map(|h| strip_paragraph(&h))
    }

    /// Directory of the page, content-relative (`safety` for `safety/risks.md`).
    pub fn page_dir(&self) -> &str {
        let rel = self.page_rel;
        rel.rsplit_once('/').map_or("", |(d, _)| d)
    }
}

/// Where components put what the page needs besides their HTML.
pub struct Sink<'s> {
    pub ids: &'s mut IdSet,
    pub headings: &'s mut Vec<Heading>,
    pub jsonld: &'s mut Vec<Value>,
    pub cites: &'s mut Vec<Vec<super::citations::CiteRef>>,
    /// Prose for readability figures (answers, takeaways).
    pub prose: &'s mut String,
    /// Problems that do not stop the build (script URLs).
    pub warnings: &'s mut Vec<Diagnostic>,
    /// Images shown so far on the page (the first is not lazy-loaded).
    pub images_shown: &'s mut usize,
    /// Resized image files the page points at.
    pub variants: &'s mut Vec<String>,
}

impl Sink<'_> {
    /// Record a citation group; returns the placeholder the final HTML
    /// replaces with the formatted citation.
    pub fn cite(&mut self, refs: Vec<super::citations::CiteRef>) -> String {
        record_cite(self.cites, refs)
    }
}

/// Add a citation group to the page's and return its placeholder.
fn record_cite(
    cites: &mut Vec<Vec<super::citations::CiteRef>>,
    refs: Vec<super::citations::CiteRef>,
) -> String {
    cites.push(refs);
    super::citations::placeholder(cites.len() - 1)
}

/// Names of every component available to this site, sorted.
pub fn known(templates: &dyn ComponentTemplates) -> Vec<String> {
    let mut names = templates.component_names();
    names.extend(BUILT_IN.iter().map(|s| s.to_string()));
    names.sort();
    names.dedup();
    names
}

/// Render one component block to HTML.
pub fn render(block: &Block<'_>, env: &Env<'_>, sink: &mut Sink<'_>) -> Result<String, Diagnostic> {
    let template = format!("components/{}.html", block.name);
    if !env.templates.has(&template) {
        let names = known(env.templates);
        let code = super::highlight::is_language(block.name);
        let hint = match crate::util::closest(block.name, names.iter().map(String::as_str)) {
            // A code cell as Quarto and R Markdown write it.
            _ if code => format!(
                "to show {0} code, write ```{0} (without braces); known components: {1}",
                block.name,
                names.join(", ")
            ),
            Some(c) => format!(
                "did you mean `{{{c}}}`? Known components: {}",
                names.join(", ")
            ),
            None => format!(
                "known components: {}; a site adds one with templates/components/<name>.html",
                names.join(", ")
            ),
        };
        return Err(block.error(
            Kind::UnknownTemplate,
            format!("unknown component `{{{}}}`", block.name),
            hint,
        ));
    }
    let ctx = match block.name {
        "takeaways" => simple::takeaways(block, env, sink)?,
        "testimonial" => simple::testimonial(block, env, sink)?,
        "figure" => simple::figure(block, env, sink)?,
        "newsletter" => simple::newsletter(block, env)?,
        "faq" => faq::faq(block, env, sink)?,
        "table" => table::table(block, env, sink)?,
        "chart" => chart::chart(block, env, sink)?,
        "urgent" => urgent::urgent(block, env, sink)?,
        _ => {
            let v: Value = block.parse()?;
            if v.is_object() {
                v
            } else {
                serde_json::json!({ "body": v })
            }
        }
    };
    render_template(env, &template, &ctx, block)
}

fn render_template(
    env: &Env<'_>,
    template: &str,
    ctx: &Value,
    block: &Block<'_>,
) -> Result<String, Diagnostic> {
    let context = Context::from_serialize(ctx).map_err(|e| {
        block.error(
            Kind::TemplateRuntime,
            e.to_string(),
            "report this as a docent bug",
        )
    })?;
    env.templates
        .render(template, &context, block.shown_path, block.lang)
        .map_err(|e| {
            e.note(format!(
                "in the {{{}}} component at line {}",
                block.name, block.fence_line
            ))
        })
}

/// Render a Markdown fragment (answers, quotes, takeaways) to HTML.
pub fn markdown_fragment(text: &str, safety: &mut Safety) -> String {
    md_with(text, "", None, None, safety, None).unwrap_or_default()
}

/// Render a one-paragraph Markdown fragment without the `<p>` wrapper.
pub fn markdown_inline(text: &str, safety: &mut Safety) -> String {
    strip_paragraph(&markdown_fragment(text, safety))
}

/// What a Markdown fragment may contain (`markdown.raw_html`), and the
/// script (URLs, heading handlers) it held, for the caller to report where
/// it knows the place.
#[derive(Debug, Default)]
pub struct Safety {
    pub raw_html: bool,
    pub found: Vec<super::sanitize::Found>,
}

impl Safety {
    pub fn new(raw_html: bool) -> Safety {
        Safety {
            raw_html,
            found: Vec::new(),
        }
    }

    /// One warning per script URL or handler found, located at its first
    /// occurrence in `text` (the file the fragment came from).
    pub fn warnings(&self, shown: &Path, text: &str) -> Vec<Diagnostic> {
        self.found
            .iter()
            .map(|found| {
                let (message, hint) = found.message();
                let d = Diagnostic::new(found.kind(), message).hint(hint);
                match text.find(found.needle()) {
                    Some(at) => d.at_offset(shown, text, at),
                    None => d.file(shown),
                }
            })
            .collect()
    }
}

/// Why a Markdown fragment could not be rendered.
#[derive(Debug, PartialEq)]
pub enum FragmentError {
    /// A relative link whose target does not exist (as written).
    BrokenLink(String),
    /// A `[@key]` citation where the caller cannot record citations.
    Citation(String),
    /// A MyST role whose target does not exist: what is wrong, and how to
    /// fix it.
    Role(String, String),
}

impl FragmentError {
    /// What went wrong, in a sentence.
    pub fn message(&self) -> String {
        match self {
            FragmentError::BrokenLink(d) => format!("broken link to `{d}`"),
            FragmentError::Citation(c) => format!("citation `{c}`"),
            FragmentError::Role(m, _) => m.clone(),
        }
    }
}

/// A link with nothing inside gets text, as in a page's body: the label's
/// or page's title (`links::title_for_empty`), or else its address, with
/// a warning. `written`: each link's destination as written, in order.
fn fill_empty_links<'e>(
    events: Vec<(pulldown_cmark::Event<'e>, std::ops::Range<usize>)>,
    written: &[String],
    site: Option<&Site>,
    page_rel: &str,
    safety: &mut Safety,
) -> Vec<(pulldown_cmark::Event<'e>, std::ops::Range<usize>)> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut out = Vec::with_capacity(events.len());
    let mut links = written.iter();
    let mut it = events.into_iter().peekable();
    while let Some((ev, range)) = it.next() {
        let link = matches!(ev, Event::Start(Tag::Link { .. }));
        out.push((ev, range.clone()));
        let Some(dest) = link.then(|| links.next()).flatten() else {
            continue;
        };
        if !matches!(it.peek(), Some((Event::End(TagEnd::Link), _))) {
            continue;
        }
        let text = site
            .and_then(|s| super::links::title_for_empty(s, page_rel, dest))
            .unwrap_or_else(|| {
                safety.found.push(super::sanitize::Found {
                    carrier: super::sanitize::Carrier::NoText(dest.clone()),
                    verdict: super::sanitize::Verdict::Keep,
                });
                dest.clone()
            });
        out.push((Event::Text(text.into()), range));
    }
    out
}

/// The ids of one fragment's footnotes, by label.
#[derive(Default)]
struct FootnoteIds(rustc_hash::FxHashMap<String, String>);

impl FootnoteIds {
    fn id(&mut self, label: &str, ids: Option<&mut IdSet>) -> String {
        if let Some(id) = self.0.get(label) {
            return id.clone();
        }
        let wanted = crate::url::fragment_id(label);
        let id = match ids {
            Some(ids) => ids.unique(&wanted),
            None => wanted.into_owned(),
        };
        self.0.insert(label.to_string(), id.clone());
        id
    }
}

/// Records a citation group and returns the placeholder to put in the HTML.
pub type CiteHook<'h> = &'h mut dyn FnMut(super::citations::Group) -> String;

/// Render a Markdown fragment, rewriting relative `.md` links (relative to
/// the page at content-relative `page_rel`) to page URLs. With a `cite`
/// hook, `[@key]` groups become citation placeholders; without one they are
/// an error when a site is given (and left as text otherwise).
pub fn md_with(
    text: &str,
    page_rel: &str,
    site: Option<&Site>,
    mut cite: Option<CiteHook<'_>>,
    safety: &mut Safety,
    mut ids: Option<&mut IdSet>,
) -> Result<String, FragmentError> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    // MyST roles, as the Markdown they stand for.
    let text: &str = &match site {
        Some(site) => super::directives::roles_as_markdown(site, page_rel, text)
            .map_err(|(m, h)| FragmentError::Role(m, h))?,
        None => std::borrow::Cow::Borrowed(text),
    };
    let mut broken: Option<String> = None;
    let raw_html = safety.raw_html;
    // Whether each open link or image was removed (a script URL).
    let mut removed: Vec<bool> = Vec::new();
    let mut notes = FootnoteIds::default();
    // Each link's destination as written, in order.
    let mut written: Vec<String> = Vec::new();
    let events: Vec<_> = Parser::new_ext(text, super::options())
        .into_offset_iter()
        .filter_map(|(ev, range)| {
            // Script URLs: reported; with raw_html off, the link or image
            // becomes its text.
            let dest = match &ev {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    Some(dest_url.clone())
                }
                _ => None,
            };
            if let Some(dest) = dest {
                let found = super::sanitize::screen_url(&dest, raw_html);
                let drop = found
                    .as_ref()
                    .is_some_and(|f| f.verdict == super::sanitize::Verdict::Remove);
                safety.found.extend(found);
                removed.push(drop);
                if drop {
                    return None;
                }
            }
            if matches!(ev, Event::End(TagEnd::Link | TagEnd::Image)) && removed.pop() == Some(true)
            {
                return None;
            }
            let ev = super::sanitize::html_event(ev, raw_html, &mut safety.found);
            let ev = match ev {
                // Footnote labels as ids a link reaches, unique on the
                // page when its ids are known (each fragment restarts
                // the labels: two answers' `[^1]`).
                Event::FootnoteReference(label) => {
                    Event::FootnoteReference(notes.id(&label, ids.as_deref_mut()).into())
                }
                Event::Start(Tag::FootnoteDefinition(label)) => Event::Start(
                    Tag::FootnoteDefinition(notes.id(&label, ids.as_deref_mut()).into()),
                ),
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    written.push(dest_url.to_string());
                    let resolve = |source: &str| site.and_then(|s| s.resolve(source));
                    let dest_url = match super::links::rewrite(dest_url.clone(), page_rel, &resolve)
                    {
                        Ok(url) => url,
                        // Without a site (plain fragments), links are left as written.
                        Err(_) if site.is_none() => dest_url,
                        Err(_) => {
                            broken.get_or_insert_with(|| dest_url.to_string());
                            dest_url
                        }
                    };
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                }
                // Event handlers among a heading's `{key=value}` attributes.
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs: super::sanitize::screen_attrs(attrs, raw_html, &mut safety.found),
                }),
                other => other,
            };
            Some((ev, range))
        })
        .collect();
    if let Some(dest) = broken {
        return Err(FragmentError::BrokenLink(dest));
    }
    let mut out = Vec::with_capacity(events.len());
    let events = fill_empty_links(events, &written, site, page_rel, safety);
    for (ev, _) in super::merge_text(events) {
        let Event::Text(t) = ev else {
            out.push(ev);
            continue;
        };
        let groups = if t.contains("[@") {
            super::citations::find_groups(&t)
        } else {
            Vec::new()
        };
        if groups.is_empty() {
            out.push(Event::Text(t));
            continue;
        }
        let Some(hook) = cite.as_mut() else {
            if site.is_some() {
                let (s, e, _) = &groups[0];
                return Err(FragmentError::Citation(t[*s..*e].to_string()));
            }
            out.push(Event::Text(t));
            continue;
        };
        let mut pos = 0;
        for (start, end, group) in groups {
            if start > pos {
                out.push(Event::Text(t[pos..start].to_string().into()));
            }
            out.push(Event::Html(hook(group).into()));
            pos = end;
        }
        if pos < t.len() {
            out.push(Event::Text(t[pos..].to_string().into()));
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    Ok(html)
}

/// The inner HTML of a single paragraph (other HTML unchanged).
pub fn strip_paragraph(html: &str) -> String {
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|r| r.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => t.to_string(),
    }
}

/// Plain text of a Markdown fragment (for JSON-LD and tooltips).
pub fn markdown_plain(text: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for ev in Parser::new_ext(text, super::options()) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell,
            ) => out.push(' '),
            _ => {}
        }
    }
    // Citations are links on the page; in plain text they would be noise.
    for (start, end, _) in super::citations::find_groups(&out.clone())
        .into_iter()
        .rev()
    {
        out.replace_range(start..end, "");
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" .", ".")
        .replace(" ,", ",")
}

/// Resolve a data file named in a block: relative to the page, else under `_data/`.
pub fn data_file<'e>(
    block: &Block<'_>,
    env: &'e Env<'_>,
    path: &str,
) -> Result<(String, &'e crate::site::DataFile), Diagnostic> {
    let rel = super::links::join_relative(block.page_dir(), path).ok_or_else(|| {
        block.error_at(
            path,
            Kind::PathEscape,
            format!("data path `{path}` leads outside content/"),
            "name a file inside content/",
        )
    })?;
    if let Some(f) = env.site.data.get(&rel) {
        return Ok((rel, f));
    }
    // Under `_data/`: the page's language's own version first.
    if let Some(found) = super::links::join_relative("_data", path)
        .and_then(|under_data| env.site.data_in(block.lang, &under_data))
    {
        return Ok(found);
    }
    Err(block.error_at(
        path,
        Kind::MissingField,
        format!("data file `{path}` not found (looked beside the page and in content/_data/)"),
        "check the file name; data files are YAML under content/",
    ))
}
