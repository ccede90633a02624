//! Stage ②: a page body → [`Rendered`] HTML plus what later stages need
//! (headings, TOC, JSON-LD, cited works). One pass over pulldown-cmark's
//! events: heading ids and permalink anchors, relative Markdown links
//! rewritten to URLs, component blocks, citations, glossary terms, code
//! highlighting, raw HTML passed or escaped per config.

pub mod citations;
pub mod components;
mod directives;
pub mod glossary;
pub mod highlight;
mod image_attrs;
pub mod links;
mod list_table;
pub mod math;
pub mod sanitize;
pub mod slug;
pub(crate) mod tables;
pub mod toc;

use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rustc_hash::FxHashMap;

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
    /// JSON-LD objects the page's components contribute (FAQPage).
    pub jsonld: Vec<serde_json::Value>,
    /// Bibliography keys cited on the page, in first-cited order.
    pub cited: Vec<String>,
    /// Front matter `takeaways` as HTML.
    pub takeaways: Vec<String>,
    /// Front matter `urgent` cards as HTML.
    pub urgent: Vec<String>,
    /// Links written in the body, for `docent check`.
    pub links: Vec<SourceRef>,
    /// Images written in the body, for `docent check`.
    pub images: Vec<SourceRef>,
    /// Resized image files the page's HTML points at (`crate::images`).
    pub variants: Vec<String>,
    /// Taken from the rebuild cache: not rendered, its output file is kept.
    pub cached: bool,
    /// Every citation in the body, as (key, byte offset in the page file),
    /// for `docent check`.
    pub citations: Vec<(String, usize)>,
    /// Prose of the body (no code, tables or headings), one sentence end per
    /// paragraph or list item, for readability figures.
    pub prose: String,
    /// Problems that do not stop the build (script URLs, see [`sanitize`]).
    pub warnings: Vec<Diagnostic>,
}

/// A link or image as written, with its final URL and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    /// The destination as written.
    pub written: String,
    /// The destination after `.md` links were rewritten.
    pub url: String,
    /// Byte offset in the page file (line and column are worked out only
    /// when a finding needs them: counting lines per link would be quadratic).
    pub offset: usize,
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
    /// The existing source path that differs from a missing one only in
    /// letter case, for "did you mean".
    pub case_match: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Whether this page wants a TOC (`toc: false` turns it off).
    pub toc: bool,
    /// Components, bibliography and glossary; `None` renders component
    /// blocks as plain code (used by unit tests of the bare pass).
    pub env: Option<&'a components::Env<'a>>,
    /// Link glossary terms (front matter `glossary: false` turns it off).
    pub glossary: bool,
    /// Collect the prose for readability figures (`docent check`).
    pub prose: bool,
    /// The page's language (index into `site.languages`).
    pub lang: usize,
    /// The labels the page defines, read when the site was loaded
    /// (`crate::myst::scan`): their ids are reserved before the page is
    /// rendered.
    pub myst: Option<&'a crate::myst::Scan>,
}

/// English strings, for a pass with no site (unit tests of the bare pass).
static ENGLISH: std::sync::LazyLock<crate::i18n::Strings> =
    std::sync::LazyLock::new(crate::i18n::Strings::english);

impl Input<'_> {
    /// The theme strings of the page's language.
    fn strings(&self) -> &crate::i18n::Strings {
        self.env
            .and_then(|e| e.site.languages.get(self.lang))
            .map_or(&*ENGLISH, |l| &*l.strings)
    }
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
        | Options::ENABLE_MATH
}

/// Render one page of the site.
pub fn render_page(
    site: &Site,
    page: &Page,
    env: &components::Env<'_>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let resolve = |source: &str| site.resolve(source);
    let case_match = |source: &str| site.case_match(source).map(str::to_string);
    crate::isolate::test_probe(&page.rel_path);
    let text = page.full_text().map_err(|d| vec![d])?;
    let mut rendered = render(&Input {
        text: &text,
        body_offset: page.body_offset,
        shown_path: &page.shown_path,
        rel_path: &page.rel_path,
        config: &site.config,
        resolve: &resolve,
        case_match: &case_match,
        toc: page.meta.toc.unwrap_or(true),
        env: Some(env),
        glossary: page.meta.glossary.unwrap_or(true),
        prose: env.analyze,
        lang: page.lang,
        myst: page.myst.as_deref(),
    })?;
    rendered.urgent = front_matter_cards(site, page, env)?;
    for item in &page.meta.takeaways {
        let mut safety = components::Safety::new(site.config.markdown.raw_html);
        let html = components::md_with(item, &page.rel_path, Some(site), None, &mut safety, None);
        rendered
            .warnings
            .extend(safety.warnings(&page.shown_path, &page.text));
        let (kind, message, hint) = match html {
            Ok(html) => {
                rendered.takeaways.push(components::strip_paragraph(&html));
                continue;
            }
            Err(components::FragmentError::Citation(c)) => (
                Kind::InvalidValue,
                format!("citation `{c}` in the takeaways front matter"),
                "takeaways summarise the page: cite the figures in the body, or use a {takeaways} block in the body",
            ),
            Err(components::FragmentError::BrokenLink(dest)) => (
                Kind::BrokenLink,
                format!("broken link to `{dest}` in takeaways"),
                "link to an existing .md file, relative to this page",
            ),
            Err(e @ components::FragmentError::Role(..)) => (
                Kind::BrokenLink,
                format!("{} in takeaways", e.message()),
                "point the role at a label, page or term that exists",
            ),
        };
        let (line, col) = page.key_position("takeaways");
        return Err(vec![
            Diagnostic::new(kind, message)
                .at(&page.shown_path, line, col, Some(&page.text))
                .hint(hint),
        ]);
    }
    Ok(rendered)
}

/// Merge runs of adjacent text events (pulldown-cmark splits text at
/// brackets and entities), so `[@key]` arrives as one piece.
pub(crate) fn merge_text<'a>(
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    let mut out: Vec<(Event<'a>, std::ops::Range<usize>)> = Vec::with_capacity(events.len());
    // A run of text being joined: its first piece stays borrowed until a
    // second piece arrives, so single pieces (the common case) never copy.
    let mut run: Option<(CowStr<'a>, Option<String>, std::ops::Range<usize>)> = None;
    let flush = |run: &mut Option<(CowStr<'a>, Option<String>, std::ops::Range<usize>)>,
                 out: &mut Vec<(Event<'a>, std::ops::Range<usize>)>| {
        if let Some((first, joined, range)) = run.take() {
            let text = match joined {
                Some(s) => CowStr::from(s),
                None => first,
            };
            out.push((Event::Text(text), range));
        }
    };
    for (ev, range) in events {
        // A soft line break renders as "\n" either way; as text it lets a
        // citation span lines.
        let ev = match ev {
            Event::SoftBreak => Event::Text("\n".into()),
            other => other,
        };
        match ev {
            Event::Text(t) => match run.as_mut() {
                Some((first, joined, r)) => {
                    joined.get_or_insert_with(|| first.to_string()).push_str(&t);
                    r.end = range.end;
                }
                None => run = Some((t, None, range)),
            },
            other => {
                flush(&mut run, &mut out);
                out.push((other, range));
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Ids authors name: a heading's `{#id}` and a footnote's label (`[^1]`
/// → `1`). Assigned before the pass, in page order, so ids made from
/// heading text never take them; each is made one a link reaches
/// ([`crate::url::fragment_id`]: `[^Smith 2020]` → `Smith%202020`) and
/// unique on the page (the theme's ids included).
#[derive(Default)]
struct AuthoredIds {
    /// A heading's id by where the heading starts in the body.
    headings: FxHashMap<usize, String>,
    /// A footnote's id by its label.
    footnotes: FxHashMap<String, String>,
    /// Headings whose `{#id}` was taken already.
    renamed: Vec<Renamed>,
}

/// The value of a heading's `{ id=x }` attribute (MkDocs writes ids so),
/// without the quotes around it.
fn attr_id<'a>(attrs: &'a [(CowStr<'_>, Option<CowStr<'_>>)]) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("id"))
        .and_then(|(_, v)| v.as_deref())
        .map(unquote)
        .filter(|v| !v.is_empty())
}

/// A heading's classes (`.a` and `class=b`) and its other attributes,
/// each name once, values without the quotes authors put around them
/// (pulldown-cmark keeps them). `id` is the heading's own ([`attr_id`]).
fn heading_attrs(
    classes: &[CowStr<'_>],
    attrs: &[(CowStr<'_>, Option<CowStr<'_>>)],
) -> (Vec<String>, Vec<(String, Option<String>)>) {
    let mut all: Vec<String> = classes.iter().map(|c| c.to_string()).collect();
    let mut rest: Vec<(String, Option<String>)> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    for (k, v) in attrs {
        let v = v.as_deref().map(unquote);
        if k.eq_ignore_ascii_case("id") {
            continue;
        }
        if k.eq_ignore_ascii_case("class") {
            all.extend(v.unwrap_or("").split_whitespace().map(str::to_string));
        } else if seen.insert(k.to_ascii_lowercase()) {
            rest.push((k.to_string(), v.map(str::to_string)));
        }
    }
    (all, rest)
}

/// `"x"` or `'x'` → `x`.
fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// A link being written: where its start is in the output, as written,
/// where it is in the body.
struct OpenLink {
    at: usize,
    written: String,
    body_pos: usize,
}

/// A link to `#label` where the label is on another page: its start
/// event, its [`SourceRef`], the id, and the URL on that page.
struct LabelLink {
    out_at: usize,
    link_at: usize,
    fragment: String,
    url: String,
}

/// A heading `{#id}` that was taken already on its page.
struct Renamed {
    body_pos: usize,
    wanted: String,
    given: String,
}

impl AuthoredIds {
    /// The ids authors gave: headings' `{#id}` and footnotes' labels
    /// (made unique), and, when raw HTML is kept, the `id`s in it
    /// (reserved as they are, so headings' ids avoid them).
    /// A heading at a position in `labelled` has a MyST label's id: it
    /// claims the id reserved for it.
    fn assign(
        ids: &mut slug::IdSet,
        events: &[(Event<'_>, Range<usize>)],
        raw_html: bool,
        labelled: &[usize],
    ) -> AuthoredIds {
        let mut authored = AuthoredIds::default();
        for (ev, range) in events {
            match ev {
                Event::Html(html) | Event::InlineHtml(html) if raw_html => {
                    for id in sanitize::html_ids(html) {
                        ids.reserve(id);
                    }
                }
                Event::Start(Tag::Heading { id, attrs, .. })
                    if let Some(id) = id.as_deref().or_else(|| attr_id(attrs)) =>
                {
                    let wanted = crate::url::fragment_id(id);
                    let given = if labelled.contains(&range.start) {
                        ids.claim(&wanted)
                    } else {
                        ids.unique(&wanted)
                    };
                    if given != wanted {
                        authored.renamed.push(Renamed {
                            body_pos: range.start,
                            wanted: wanted.into_owned(),
                            given: given.clone(),
                        });
                    }
                    authored.headings.insert(range.start, given);
                }
                Event::Start(Tag::FootnoteDefinition(label))
                    if !authored.footnotes.contains_key(label.as_ref()) =>
                {
                    let given = ids.unique_raw(&crate::url::fragment_id(label));
                    authored.footnotes.insert(label.to_string(), given);
                }
                _ => {}
            }
        }
        authored
    }

    /// The id of the heading `{#raw}` at `body_pos`; one inside a
    /// directive's body (not among the page's own events) gets its id here.
    fn heading(
        &mut self,
        ids: &mut slug::IdSet,
        body_pos: usize,
        raw: &str,
        labelled: bool,
    ) -> String {
        self.headings.remove(&body_pos).unwrap_or_else(|| {
            let wanted = crate::url::fragment_id(raw);
            if labelled {
                ids.claim(&wanted)
            } else {
                ids.unique(&wanted)
            }
        })
    }

    /// The id of footnote `label` (a reference to a label without a note
    /// still gets a valid link).
    fn footnote(&self, label: &str) -> String {
        self.footnotes
            .get(label)
            .cloned()
            .unwrap_or_else(|| crate::url::fragment_id(label).into_owned())
    }
}

impl Renamed {
    fn warning(&self, input: &Input<'_>) -> Diagnostic {
        let theirs = slug::TEMPLATE_IDS
            .iter()
            .chain(slug::GENERATED_IDS)
            .any(|t| *t == self.wanted);
        let docents = slug::GENERATED_PREFIXES
            .iter()
            .find(|p| self.wanted.starts_with(*p));
        let why = match docents {
            Some(p) => {
                format!("starts with `{p}`, as the ids of docent's reference lists and glossary do")
            }
            None if theirs => "is one the page template uses".into(),
            None => "is taken already on this page".into(),
        };
        Diagnostic::new(
            Kind::DuplicateId,
            format!(
                "the id `{}` {why}: this heading gets `{}`",
                self.wanted, self.given
            ),
        )
        .at_offset(
            input.shown_path,
            input.text,
            input.body_offset + self.body_pos,
        )
        .hint(format!(
            "give the heading an id of its own (`{{#…}}`); the theme's ids are {}",
            slug::TEMPLATE_IDS.join(", ")
        ))
    }
}

struct HeadingState {
    level: HeadingLevel,
    explicit_id: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, Option<String>)>,
    placeholder: usize,
    text: String,
    /// The heading holds a link or raw HTML, so its text cannot become the
    /// self-link (links do not nest).
    nested: bool,
    /// Where it starts in the body.
    body_pos: usize,
}

/// Render a Markdown body: one pass over pulldown-cmark's events (see
/// [`Pass`]), then the citations, the reference list and the TOC.
pub fn render(input: &Input<'_>) -> Result<Rendered, Vec<Diagnostic>> {
    // MyST colon fences read as tilde fences (same offsets).
    let body = crate::myst::colon_fences(&input.text[input.body_offset..]);
    let body: &str = &body;
    let (events, unused_attrs) = parse(body);
    let events = merge_text(events);
    let mut errors = Vec::new();
    let mut labelled = Vec::new();
    let events = directives::expand(input, events, &mut errors, &mut labelled);
    let mut pass = Pass::new(input, body, &events, labelled);
    pass.errors.append(&mut errors);
    for unused in unused_attrs {
        pass.unused_image_attrs(&unused, 0);
    }
    for (ev, range) in events {
        pass.event(ev, range);
    }
    pass.finish()
}

/// The parser's events of Markdown `text` (a page body or a directive's),
/// with the attribute lists after its images applied (`image_attrs`), and
/// the attributes those left out.
fn parse(text: &str) -> (Vec<(Event<'_>, Range<usize>)>, Vec<image_attrs::Unused>) {
    let events: Vec<_> = Parser::new_ext(text, options())
        .into_offset_iter()
        .collect();
    if image_attrs::may_apply(text) {
        image_attrs::apply(text, events)
    } else {
        (events, Vec::new())
    }
}

/// The state of one page's pass over its events.
struct Pass<'i> {
    input: &'i Input<'i>,
    body: &'i str,
    raw_html: bool,
    highlight_on: bool,
    /// The page's ids (explicit ones reserved first, so generated ones never
    /// take them).
    ids: slug::IdSet,
    /// The ids of the headings' `{#id}`s and the footnotes.
    authored: AuthoredIds,
    /// Where the headings with a MyST label's id start in the body
    /// (`directives::expand`).
    labelled: Vec<usize>,
    out: Vec<Event<'i>>,
    rendered: Rendered,
    errors: Vec<Diagnostic>,
    heading: Option<HeadingState>,
    /// A code block being collected: language, text, where it starts.
    code: Option<(String, String, usize)>,
    cites: Vec<Vec<citations::CiteRef>>,
    in_link: usize,
    /// Whether each open link was removed (a script URL with raw_html off).
    removed: Vec<bool>,
    /// The links open (not removed), innermost last.
    open_links: Vec<OpenLink>,
    /// Links to `#label` that may lead to another page.
    label_links: Vec<LabelLink>,
    removed_image: bool,
    in_table: usize,
    /// The Markdown table being written (labels for stacked rows).
    pipe: Option<tables::PipeTable>,
    image: Option<ImageState>,
    /// Images shown so far on the page (the first is not lazy-loaded).
    images_shown: usize,
    glossary: Option<&'i glossary::Glossary>,
    glossary_used: Vec<bool>,
    tips: usize,
    /// The closing markup of each open callout (`None`: a plain blockquote).
    callouts: Vec<Option<String>>,
    /// A theme's or site's heading.html (`None`: docent's own, in Rust).
    heading_template: Option<&'i components::Env<'i>>,
    /// The page's labelled equations.
    equations: math::Equations<'i>,
    /// How many MyST directives the current event is inside.
    depth: usize,
    /// The next text's citations are narrative (`directives::NARRATIVE`).
    narrative: bool,
}

/// An image whose alt text is being collected.
struct ImageState {
    /// Where it starts in the body.
    start: usize,
    alt: String,
    /// Where its events start in the output.
    out_at: usize,
    /// The site's file it shows, if any.
    asset: Option<usize>,
    src: String,
    title: String,
}

impl<'i> Pass<'i> {
    fn new(
        input: &'i Input<'i>,
        body: &'i str,
        events: &[(Event<'i>, Range<usize>)],
        labelled: Vec<usize>,
    ) -> Pass<'i> {
        let mut ids = slug::IdSet::for_page();
        for id in input.myst.into_iter().flat_map(directives::label_ids) {
            ids.reserve_label(&id);
        }
        let authored =
            AuthoredIds::assign(&mut ids, events, input.config.markdown.raw_html, &labelled);
        let labels = crate::myst::equations(body);
        let (equations, twice) = math::Equations::scan(
            labels.iter().map(|(label, at)| (label.as_str(), *at)),
            |label| ids.unique_raw(&math::equation_id(label)),
        );
        let equations = equations.with_macros(&input.config.markdown.math_macros);
        let errors = twice
            .into_iter()
            .map(|(at, label)| {
                Diagnostic::new(
                    Kind::InvalidValue,
                    format!("two equations on this page are labelled `{label}`"),
                )
                .at_offset(input.shown_path, input.text, input.body_offset + at)
                .hint("give each \\label{…} a name of its own")
            })
            .collect();
        let glossary = input
            .env
            .and_then(|e| e.site.glossary.as_ref())
            .filter(|_| input.glossary);
        let mut rendered = Rendered::default();
        rendered
            .warnings
            .extend(authored.renamed.iter().map(|r| r.warning(input)));
        Pass {
            input,
            body,
            raw_html: input.config.markdown.raw_html,
            highlight_on: input.config.markdown.highlight,
            ids,
            out: Vec::with_capacity(events.len()),
            rendered,
            authored,
            labelled,
            errors,
            heading: None,
            code: None,
            cites: Vec::new(),
            in_link: 0,
            removed: Vec::new(),
            open_links: Vec::new(),
            label_links: Vec::new(),
            removed_image: false,
            in_table: 0,
            pipe: None,
            image: None,
            images_shown: 0,
            glossary,
            glossary_used: vec![false; glossary.map_or(0, |g| g.terms.len())],
            tips: 0,
            callouts: Vec::new(),
            heading_template: input
                .env
                .filter(|e| !e.templates.is_builtin("heading.html")),
            equations,
            depth: 0,
            narrative: false,
        }
    }

    /// One event of the body.
    fn event(&mut self, ev: Event<'i>, range: Range<usize>) {
        if let Some(h) = self.heading.as_mut()
            && matches!(
                (&ev, self.raw_html),
                (
                    Event::Start(Tag::Link { .. }) | Event::FootnoteReference(_),
                    _
                ) | (Event::Html(_) | Event::InlineHtml(_), true)
            )
        {
            h.nested = true;
        }
        if self.code.is_some() {
            self.code_event(ev);
            return;
        }
        match ev {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => self.heading_start(level, id, &classes, attrs, range.start),
            Event::End(TagEnd::Heading(_)) => self.heading_end(),
            Event::Start(Tag::CodeBlock(kind)) => {
                // The whole info string: a MyST directive's argument follows its name.
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((info, String::new(), range.start));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link_start(link_type, dest_url, title, id, range),
            Event::End(TagEnd::Link) => self.link_end(range),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => self.image_start(link_type, dest_url, title, id, range),
            Event::End(TagEnd::Image) if self.removed_image => self.removed_image = false,
            Event::End(TagEnd::Image) => self.image_end(),
            Event::Text(t) => {
                if let Some(p) = self.pipe.as_mut() {
                    p.text(&t);
                }
                self.text(t, range)
            }
            Event::Code(t) => {
                if let Some(p) = self.pipe.as_mut() {
                    p.text(&t);
                }
                self.inline_code(t)
            }
            // A GFM task: a checkbox named for what it shows (axe wants
            // every form element named), in the page's language.
            Event::TaskListMarker(done) => {
                let (checked, name) = if done {
                    (" checked", "task_done")
                } else {
                    ("", "task_open")
                };
                let name = crate::util::escape_html(self.input.strings().get(name));
                self.out.push(Event::InlineHtml(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{name}\"> ")
                        .into(),
                ));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => self.callout_start(kind, range),
            Event::End(TagEnd::BlockQuote(Some(_))) => match self.callouts.pop().flatten() {
                Some(close) => self.out.push(Event::Html(close.into())),
                None => self.out.push(Event::End(TagEnd::BlockQuote(None))),
            },
            end @ (Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item)) => {
                if !self.rendered.prose.ends_with('\n') {
                    self.rendered.prose.push('\n');
                }
                self.out.push(end);
            }
            Event::Start(Tag::Table(align)) => {
                self.in_table += 1;
                // Wide tables scroll inside their own box, never the page,
                // and stack into labelled rows where their columns do not
                // fit (tables.rs).
                let (open, pipe) = tables::PipeTable::open(&align);
                self.pipe = Some(pipe);
                self.out.push(Event::Html(open.into()));
                self.out.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                self.in_table = self.in_table.saturating_sub(1);
                self.pipe = None;
                self.out.push(Event::End(TagEnd::Table));
                self.out
                    .push(Event::Html(CowStr::Borrowed(tables::PipeTable::CLOSE)));
            }
            ev @ (Event::Start(Tag::TableHead) | Event::End(TagEnd::TableHead)) => {
                if let Some(p) = self.pipe.as_mut() {
                    p.head(matches!(ev, Event::Start(_)));
                }
                self.out.push(ev);
            }
            ev @ Event::Start(Tag::TableRow) => {
                if let Some(p) = self.pipe.as_mut() {
                    p.row_start();
                }
                self.out.push(ev);
            }
            ev @ Event::Start(Tag::TableCell) => match self.pipe.as_mut() {
                Some(p) => self.out.push(p.cell_start(ev)),
                None => self.out.push(ev),
            },
            ev @ Event::End(TagEnd::TableCell) => match self.pipe.as_mut() {
                Some(p) => self.out.push(p.cell_end(ev)),
                None => self.out.push(ev),
            },
            Event::InlineHtml(ref mark) if mark.as_ref() == directives::NARRATIVE => {
                self.narrative = true;
            }
            ev @ (Event::Html(_) | Event::InlineHtml(_)) => {
                let mut found = Vec::new();
                self.out
                    .push(sanitize::html_event(ev, self.raw_html, &mut found));
                for f in &found {
                    warn_found(self.input, &mut self.rendered, range.start, f);
                }
            }
            Event::FootnoteReference(label) => {
                let id = self.authored.footnote(&label);
                self.out.push(Event::FootnoteReference(id.into()));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let id = self.authored.footnote(&label);
                self.out
                    .push(Event::Start(Tag::FootnoteDefinition(id.into())));
            }
            Event::InlineMath(latex) if self.dollar_before_digit(&range) => {
                self.out.push(Event::Text(format!("${latex}$").into()));
            }
            Event::InlineMath(latex) => self.math(&latex, range, false),
            Event::DisplayMath(latex) => self.math(&latex, range, true),
            other => self.out.push(other),
        }
    }

    /// Whether the inline math at `range` ends in a `$` followed by a
    /// digit, as in "$5-$10": then it is prose, as Pandoc reads it (its
    /// closing `$` must not be followed by a digit), and stays text.
    fn dollar_before_digit(&self, range: &Range<usize>) -> bool {
        let bytes = self.body.as_bytes();
        range.end > 0
            && bytes.get(range.end - 1) == Some(&b'$')
            && bytes.get(range.end).is_some_and(u8::is_ascii_digit)
    }

    /// A warning for an image's attributes docent does not use, found in
    /// text at byte `at` of the body.
    fn unused_image_attrs(&mut self, unused: &image_attrs::Unused, at: usize) {
        let input = self.input;
        self.rendered.warnings.push(
            Diagnostic::new(Kind::UnknownKey, unused.message())
                .at_offset(
                    input.shown_path,
                    input.text,
                    input.body_offset + at + unused.at,
                )
                .hint("remove it from the braces: docent sizes, places and styles images itself"),
        );
    }

    /// `$…$` or `$$…$$`: MathML (math.rs), or a located error.
    fn math(&mut self, latex: &str, range: Range<usize>, display: bool) {
        // Part of a heading's title (the table of contents, its id): the
        // LaTeX as written, so "Dose of $x^2$ mg" keeps its middle.
        if let Some(h) = self.heading.as_mut() {
            h.text.push_str(latex.trim());
        }
        let html = if display {
            self.equations.display(latex)
        } else {
            self.equations.inline(latex)
        };
        match html {
            Ok(html) => self.out.push(Event::InlineHtml(html.into())),
            Err(e) => self.errors.push(
                Diagnostic::new(Kind::InvalidValue, e.message)
                    .at_offset(
                        self.input.shown_path,
                        self.input.text,
                        self.input.body_offset + range.start,
                    )
                    .hint(e.hint),
            ),
        }
    }

    /// An event inside a code block: its text is collected, and at its end
    /// it becomes a component (```` ```{name} ````) or highlighted code.
    fn code_event(&mut self, ev: Event<'i>) {
        let input = self.input;
        match ev {
            Event::Text(t) => {
                if let Some((_, buf, _)) = self.code.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let (info, buf, start) = self.code.take().unwrap_or_default();
                // A colon fence (`:::`), written as tildes for the parser.
                let colon = input
                    .text
                    .get(input.body_offset + start..)
                    .is_some_and(|t| t.trim_start_matches([' ', '\t', '>']).starts_with(':'));
                if let Some(d) = crate::myst::fence_directive(&info, colon)
                    && self.is_directive(d.name, d.arg, &buf)
                {
                    if let Some(word) = d.container {
                        self.container(d.name, d.arg, word, &buf, start);
                    } else {
                        self.directive(d.name, d.arg, &buf, start);
                    }
                    return;
                }
                let lang = crate::myst::pandoc_code_language(&info)
                    .unwrap_or_else(|| info.split([' ', ',', '\t']).next().unwrap_or(""));
                let component = lang.strip_prefix('{').and_then(|l| l.strip_suffix('}'));
                match (component, input.env) {
                    (Some(name), Some(env)) => {
                        let (fence_line, _) =
                            crate::error::line_col(input.text, input.body_offset + start);
                        let block = components::Block {
                            name,
                            body: &buf,
                            shown_path: input.shown_path,
                            file_text: input.text,
                            fence_line,
                            page_rel: input.rel_path,
                            lang: input.lang,
                        };
                        match self.component(&block, env) {
                            Ok(html) => self.out.push(Event::Html(format!("{html}\n").into())),
                            Err(d) => self.errors.push(d),
                        }
                    }
                    _ => {
                        let html = code_block(
                            lang,
                            &buf,
                            self.highlight_on,
                            &mut self.rendered.highlighted,
                        );
                        self.out.push(Event::Html(html.into()));
                    }
                }
            }
            _ => {}
        }
    }

    /// A component block, rendered with what the page collects (ids,
    /// headings, JSON-LD, citations, prose, warnings, images).
    fn component(
        &mut self,
        block: &components::Block<'_>,
        env: &components::Env<'_>,
    ) -> Result<String, Diagnostic> {
        let mut sink = components::Sink {
            ids: &mut self.ids,
            headings: &mut self.rendered.headings,
            jsonld: &mut self.rendered.jsonld,
            cites: &mut self.cites,
            prose: &mut self.rendered.prose,
            warnings: &mut self.rendered.warnings,
            images_shown: &mut self.images_shown,
            variants: &mut self.rendered.variants,
        };
        components::render(block, env, &mut sink)
    }

    /// The start of a heading: its content is collected until its end, when
    /// its id is known and its opening markup replaces a placeholder.
    fn heading_start(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'i>>,
        classes: &[CowStr<'i>],
        attrs: Vec<(CowStr<'i>, Option<CowStr<'i>>)>,
        body_pos: usize,
    ) {
        let mut found = Vec::new();
        let attrs = sanitize::screen_attrs(attrs, self.raw_html, &mut found);
        for f in &found {
            warn_found(self.input, &mut self.rendered, body_pos, f);
        }
        let explicit_id = id.as_deref().or_else(|| attr_id(&attrs)).map(|raw| {
            let labelled = self.labelled.contains(&body_pos);
            self.authored
                .heading(&mut self.ids, body_pos, raw, labelled)
        });
        let (classes, attrs) = heading_attrs(classes, &attrs);
        self.heading = Some(HeadingState {
            level,
            explicit_id,
            classes,
            attrs,
            placeholder: self.out.len(),
            text: String::new(),
            nested: false,
            body_pos,
        });
        self.out.push(Event::Html(CowStr::Borrowed("")));
    }

    /// A heading without text (`##` alone, a placeholder): no heading for
    /// readers (an empty one, whose self-link has no name, fails axe), an
    /// anchor when it has an id (`## {#x}`), and a warning.
    fn empty_heading(&mut self, h: HeadingState) {
        self.out.truncate(h.placeholder);
        if let Some(id) = &h.explicit_id {
            let id = crate::util::escape_html(id);
            self.out
                .push(Event::Html(format!("<span id=\"{id}\"></span>\n").into()));
        }
        self.rendered.warnings.push(
            Diagnostic::new(Kind::InvalidValue, "a heading without text is left out")
                .at_offset(
                    self.input.shown_path,
                    self.input.text,
                    self.input.body_offset + h.body_pos,
                )
                .hint("write its text after the #s, or delete the line"),
        );
    }

    /// The end of a heading: its id, and the markup around its content.
    fn heading_end(&mut self) {
        let Some(h) = self.heading.take() else {
            return;
        };
        let title = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() && !h.nested {
            self.empty_heading(h);
            return;
        }
        let id = match h.explicit_id.clone() {
            Some(id) => id,
            None => self.ids.unique(&slug::slugify(&title)),
        };
        let level = h.level as u8;
        let (open, close) = match self.heading_template {
            // A theme's or site's heading.html.
            Some(env) => heading_from_template(env, self.input, &h, level, &id, &title)
                .unwrap_or_else(|d| {
                    self.errors.push(d);
                    (String::new(), String::new())
                }),
            // The built-in heading.html, written in Rust for speed (a test
            // keeps the two byte-identical).
            None => (
                open_heading(level, &id, &h.classes, &h.attrs, !h.nested),
                close_heading(
                    level,
                    &id,
                    &title,
                    !h.nested,
                    self.input.strings().get("heading_link"),
                ),
            ),
        };
        self.out[h.placeholder] = Event::Html(open.into());
        self.out.push(Event::Html(close.into()));
        self.rendered.headings.push(Heading { level, id, title });
    }

    /// A link: `.md` targets become page URLs (a missing one is an error),
    /// script URLs are judged, and what `check` needs is recorded.
    fn link_start(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'i>,
        title: CowStr<'i>,
        id: CowStr<'i>,
        range: Range<usize>,
    ) {
        let input = self.input;
        let mut written = dest_url.to_string();
        // myst-parser's `[](name)`: a label, when no file has the name.
        let dest_url = if self.is_bare_label(&written) {
            written.insert(0, '#');
            CowStr::from(written.clone())
        } else {
            dest_url
        };
        let dest_url = match links::rewrite(dest_url.clone(), input.rel_path, input.resolve) {
            Ok(url) => url,
            Err(why) => {
                self.errors
                    .push(broken_link(input, range.start, &dest_url, &why));
                dest_url
            }
        };
        if screen_url(
            input,
            &mut self.rendered,
            range.start,
            &dest_url,
            self.raw_html,
        ) {
            // The link becomes its text.
            self.removed.push(true);
            return;
        }
        self.removed.push(false);
        if let Some((fragment, url)) = self.label_elsewhere(&written) {
            self.label_links.push(LabelLink {
                out_at: self.out.len(),
                link_at: self.rendered.links.len(),
                fragment,
                url,
            });
        }
        self.open_links.push(OpenLink {
            at: self.out.len(),
            written: written.clone(),
            body_pos: range.start,
        });
        self.rendered.links.push(SourceRef {
            written,
            url: dest_url.to_string(),
            offset: input.body_offset + range.start,
        });
        self.in_link += 1;
        self.out.push(Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }));
    }

    /// The end of a link (nothing, for a link that was removed). A link
    /// with nothing inside gets text ([`Pass::text_for_empty_link`]).
    fn link_end(&mut self, range: Range<usize>) {
        if self.removed.pop() == Some(true) {
            return;
        }
        if let Some(open) = self.open_links.pop()
            && self.out.len() == open.at + 1
        {
            let text = self.text_for_empty_link(&open);
            self.text(text.into(), range);
        }
        self.in_link = self.in_link.saturating_sub(1);
        self.out.push(Event::End(TagEnd::Link));
    }

    /// Whether a link's destination is only the name of a MyST label and
    /// of no file beside the page (`[](motion_law)`, as myst-parser reads
    /// it).
    fn is_bare_label(&self, written: &str) -> bool {
        let input = self.input;
        let bare =
            !written.is_empty() && !written.contains(['/', '.', '#', ':', '?', ' ', '\\', '%']);
        let Some(env) = input.env.filter(|_| bare) else {
            return false;
        };
        let no_file = match links::classify(written, input.rel_path) {
            links::LinkTarget::File { source, .. } => (input.resolve)(&source).is_none(),
            _ => false,
        };
        no_file && directives::target(env.site, written).is_some()
    }

    /// `[](#label)` (mystmd's cross-reference) to a MyST label on another
    /// page: the id it names and that page's URL with it (labels are
    /// site-wide). [`Pass::finish`] links there unless this page has an
    /// element with that id.
    fn label_elsewhere(&self, written: &str) -> Option<(String, String)> {
        let name = written.strip_prefix('#')?;
        let site = self.input.env?.site;
        let (page, _, id) = directives::target(site, name)?;
        let page = &site.pages[page];
        if page.rel_path != self.input.rel_path {
            return Some((
                crate::url::fragment_id(name).into_owned(),
                format!("{}#{id}", site.url(page)),
            ));
        }
        // An equation on this page: its id is not the label's.
        (id != crate::url::fragment_id(name))
            .then(|| (crate::url::fragment_id(name).into_owned(), format!("#{id}")))
    }

    /// Links to a label on another page go there when no element of this
    /// page has its id (now that every id is known).
    fn link_labels_elsewhere(&mut self) {
        for l in std::mem::take(&mut self.label_links) {
            if self.ids.contains(&l.fragment) {
                continue;
            }
            if let Some(Event::Start(Tag::Link { dest_url, .. })) = self.out.get_mut(l.out_at) {
                *dest_url = l.url.clone().into();
            }
            if let Some(link) = self.rendered.links.get_mut(l.link_at) {
                link.url = l.url;
            }
        }
    }

    /// The text of a link written without any (`[](#label)`, `[](x.md)`):
    /// the label's title, or the page's; otherwise its address, with a
    /// warning (a link screen readers cannot name).
    fn text_for_empty_link(&mut self, open: &OpenLink) -> String {
        let input = self.input;
        let written = open.written.as_str();
        if let Some(site) = input.env.map(|e| e.site) {
            let (path, fragment) = written.split_once('#').unwrap_or((written, ""));
            if let Some((_, label, _)) = directives::target(site, fragment) {
                return label.title.clone();
            }
            if !path.is_empty()
                && let links::LinkTarget::Markdown { source, .. } =
                    links::classify(written, input.rel_path)
                && let Some(&i) = site.by_source.get(&source)
            {
                return site.pages[i].title.clone();
            }
        }
        self.rendered.warnings.push(
            Diagnostic::new(
                Kind::MissingField,
                format!(
                    "link to `{}` has no text: shown as its address",
                    crate::util::shorten(written, 60)
                ),
            )
            .at_offset(
                input.shown_path,
                input.text,
                input.body_offset + open.body_pos,
            )
            .hint(
                "write what the link leads to between the brackets: [the safety page](safety.md)",
            ),
        );
        written.to_string()
    }

    /// Inline code: counted, and part of a heading's title.
    fn inline_code(&mut self, t: CowStr<'i>) {
        self.rendered.word_count += crate::util::count_words(&t);
        if let Some(h) = self.heading.as_mut() {
            h.text.push_str(&t);
        }
        self.out.push(Event::Code(t));
    }

    /// An image: its file resolved from the page's folder, script URLs
    /// judged, its alt text collected until its end.
    fn image_start(
        &mut self,
        link_type: pulldown_cmark::LinkType,
        dest_url: CowStr<'i>,
        title: CowStr<'i>,
        id: CowStr<'i>,
        range: Range<usize>,
    ) {
        let input = self.input;
        let written = dest_url.to_string();
        let mut asset = None;
        // An image is a file, never a page: `.md` is no special case.
        let dest_url = match links::classify(&dest_url, input.rel_path) {
            links::LinkTarget::File { source, suffix }
            | links::LinkTarget::Markdown { source, suffix } => match (input.resolve)(&source) {
                Some(url) => {
                    if suffix.is_empty() {
                        asset = input
                            .env
                            .and_then(|e| e.site.by_asset.get(source.as_str()).copied());
                    }
                    format!("{url}{suffix}").into()
                }
                None => dest_url,
            },
            _ => dest_url,
        };
        if screen_url(
            input,
            &mut self.rendered,
            range.start,
            &dest_url,
            self.raw_html,
        ) {
            // The image becomes its alt text.
            self.removed_image = true;
            return;
        }
        self.rendered.images.push(SourceRef {
            written,
            url: dest_url.to_string(),
            offset: input.body_offset + range.start,
        });
        self.image = Some(ImageState {
            start: range.start,
            alt: String::new(),
            out_at: self.out.len(),
            asset,
            src: dest_url.to_string(),
            title: title.to_string(),
        });
        self.out.push(Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }));
    }

    /// The end of an image: one without alt text is an error. A JPEG, PNG
    /// or WebP file of the site is written by `image.html` with its size
    /// and resized variants (see `crate::images`).
    fn image_end(&mut self) {
        let input = self.input;
        let Some(state) = self.image.take() else {
            self.out.push(Event::End(TagEnd::Image));
            return;
        };
        if state.alt.trim().is_empty() {
            self.errors.push(
                Diagnostic::new(Kind::MissingField, "image without alt text")
                    .at_offset(input.shown_path, input.text, input.body_offset + state.start)
                    .hint("describe the image between the brackets: ![What the image shows](file.png)"),
            );
        }
        let first = self.images_shown == 0;
        self.images_shown += 1;
        match self.responsive_image(&state, first) {
            Some(Ok(html)) => {
                self.out.truncate(state.out_at);
                self.out.push(Event::InlineHtml(html.into()));
            }
            Some(Err(d)) => {
                self.errors.push(d);
                self.out.push(Event::End(TagEnd::Image));
            }
            None => self.out.push(Event::End(TagEnd::Image)),
        }
    }

    /// Record the files of `plan` the page's HTML points at.
    fn variants_used(&mut self, plan: &crate::images::Plan) {
        self.rendered
            .variants
            .extend(plan.variants.iter().map(|v| v.out_path.clone()));
    }

    /// The markup of a resized image, or `None` when the image is not one
    /// docent resizes (another host, SVG, GIF, images turned off).
    fn responsive_image(
        &mut self,
        state: &ImageState,
        first: bool,
    ) -> Option<Result<String, Diagnostic>> {
        let input = self.input;
        let env = input.env?;
        let images = env.images?;
        let asset = state.asset?;
        let at = || {
            Diagnostic::new(Kind::InvalidValue, "").at_offset(
                input.shown_path,
                input.text,
                input.body_offset + state.start,
            )
        };
        let plan = match images.plan(env.site, asset, at)? {
            Ok(plan) => plan,
            Err(why) => {
                let rel = &env.site.assets[asset].out_path;
                return Some(Err(crate::images::image_error(at(), rel, &why)));
            }
        };
        self.variants_used(&plan);
        let ctx = images.context(
            env.site,
            Some(&plan),
            state.src.clone(),
            state.alt.clone(),
            Some(state.title.clone()).filter(|t| !t.is_empty()),
            first,
        );
        let mut context = tera::Context::new();
        context.insert("image", &ctx);
        Some(
            env.templates
                .render("image.html", &context, input.shown_path, input.lang)
                .map(|h| h.trim_end().to_string()),
        )
    }

    /// Text: counted, collected for headings, alt text and prose, and
    /// scanned for citations and glossary terms.
    fn text(&mut self, t: CowStr<'i>, range: Range<usize>) {
        self.rendered.word_count += crate::util::count_words(&t);
        // An image's alt text, in a heading too (where it is also the
        // heading's text).
        if let Some(ImageState { alt, .. }) = self.image.as_mut() {
            alt.push_str(&t);
        }
        if let Some(h) = self.heading.as_mut() {
            h.text.push_str(&t);
        }
        if self.image.is_some() || self.heading.is_some() {
            self.out.push(Event::Text(t));
            return;
        }
        if self.in_table == 0 && self.input.prose {
            // Soft line breaks are not sentence ends.
            self.rendered.prose.push_str(&t.replace('\n', " "));
        }
        self.unread_citations(&t, &range);
        let term_here = self.in_link == 0
            && self
                .glossary
                .is_some_and(|_| self.glossary_used.iter().any(|u| !u));
        if !term_here && !may_cite(&t) {
            // Nothing to rewrite: keep the parser's text as is.
            self.out.push(Event::Text(t));
            return;
        }
        // (A directive's text may not be where its ranges say when its
        // fence is indented: then citations are located at the text's start.)
        let source = self.body.get(range.clone()).unwrap_or("");
        let mut ctx = TextCtx {
            input: self.input,
            source,
            source_offset: range.start,
            cites: &mut self.cites,
            glossary: if self.in_link == 0 {
                self.glossary
            } else {
                None
            },
            used: &mut self.glossary_used,
            tips: &mut self.tips,
            narrative: std::mem::take(&mut self.narrative),
        };
        text_events(&t, &mut ctx, &mut self.out);
    }

    /// A warning for each Pandoc citation of a work of the bibliography
    /// that docent does not read (`[see @key]`, `[-@key]`): shown as
    /// written, the citation would be missing without a word.
    fn unread_citations(&mut self, t: &str, range: &Range<usize>) {
        let Some(bib) = self.input.env.and_then(|e| e.site.bibliography.as_ref()) else {
            return;
        };
        if !t.contains('@') || !t.contains('[') {
            return;
        }
        let source = self.body.get(range.clone()).unwrap_or("");
        // Found in order: each is looked for after the one before.
        let mut from = 0;
        for (_, key) in citations::unread(t) {
            let needle = format!("@{key}");
            let here = source
                .get(from..)
                .and_then(|s| s.find(&needle))
                .map(|i| from + i);
            if let Some(i) = here {
                from = i + needle.len();
            }
            if bib.library.get(key).is_none() {
                continue;
            }
            let at = range.start + here.unwrap_or(0);
            self.rendered.warnings.push(
                Diagnostic::new(
                    Kind::InvalidValue,
                    format!("`@{key}` is not read as a citation: it is shown as written"),
                )
                .at_offset(self.input.shown_path, self.input.text, self.input.body_offset + at)
                .hint(format!(
                    "docent reads [@{key}], [@{key}, p. 4] and [@a; @b]: put other words outside the brackets (see [@{key}, p. 4])"
                )),
            );
        }
    }

    /// A GFM alert: the theme's `callout.html` (built in) wraps its
    /// Markdown; the bare pass keeps a plain blockquote.
    fn callout_start(&mut self, kind: pulldown_cmark::BlockQuoteKind, range: Range<usize>) {
        let input = self.input;
        let Some(env) = input.env else {
            self.callouts.push(None);
            self.out.push(Event::Start(Tag::BlockQuote(None)));
            return;
        };
        let class = callout(kind);
        let label = input.strings().get(class);
        let mut context = tera::Context::new();
        context.insert("kind", class);
        context.insert("label", label);
        match env
            .templates
            .wrap("callout.html", &context, input.shown_path, input.lang)
        {
            Ok((open, close)) => {
                self.out.push(Event::Html(open.into()));
                self.callouts.push(Some(close));
            }
            Err(d) => {
                let line = input.text[..input.body_offset + range.start]
                    .matches('\n')
                    .count()
                    + 1;
                self.errors.push(d.note(format!(
                    "in the [!{}] callout at line {line}",
                    label.to_uppercase()
                )));
                self.callouts.push(Some(String::new()));
            }
        }
    }

    /// After the last event: citations formatted, the reference list, the
    /// HTML and the TOC.
    fn finish(mut self) -> Result<Rendered, Vec<Diagnostic>> {
        self.link_labels_elsewhere();
        let input = self.input;
        if input.prose {
            self.rendered.citations = self
                .cites
                .iter()
                .flatten()
                .map(|c| (c.key.clone(), c.offset))
                .collect();
        }
        let bib = input.env.and_then(|e| e.site.bibliography.as_ref());
        // The reference list's heading id, taken now so a heading of the
        // page's own called "References" keeps `references`.
        let references_id = if self.cites.is_empty() {
            String::new()
        } else {
            self.ids.unique("references")
        };
        let formatted = if self.cites.is_empty() {
            None
        } else {
            // Pages in another language than the default cite in theirs
            // (CSL's terms: `s. f.`, `Recuperado de`).
            let locale = self
                .input
                .env
                .filter(|_| self.input.lang > 0)
                .and_then(|e| e.site.languages.get(self.input.lang))
                .map(|l| l.code.as_str());
            match citations::format(&self.cites, bib, &references_id, locale) {
                Ok(f) => Some(f),
                Err(mut e) => {
                    self.errors.append(&mut e);
                    None
                }
            }
        };
        let reference_list = self.reference_list(formatted.as_ref(), &references_id);
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let mut rendered = self.rendered;
        let mut html = String::with_capacity(self.body.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, self.out.into_iter());
        if let Some(f) = formatted {
            html = citations::substitute(&html, &f.citations);
            if !reference_list.is_empty() {
                html.push_str(&reference_list);
                rendered.headings.push(Heading {
                    level: 2,
                    id: references_id,
                    title: self.input.strings().get("references").to_string(),
                });
            }
            rendered.cited = f.keys;
        }
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

    /// The page's reference list, from the theme's `references.html`.
    fn reference_list(&mut self, formatted: Option<&citations::Formatted>, id: &str) -> String {
        let (Some(f), Some(env)) = (formatted, self.input.env) else {
            return String::new();
        };
        if f.references.is_empty() {
            return String::new();
        }
        let mut context = tera::Context::new();
        context.insert("id", id);
        context.insert("references", &f.references);
        match env.templates.render(
            "references.html",
            &context,
            self.input.shown_path,
            self.input.lang,
        ) {
            Ok(list) => list,
            Err(d) => {
                self.errors.push(d.note("in the page's reference list"));
                String::new()
            }
        }
    }
}

/// What the text handler needs besides the text.
struct TextCtx<'i, 's> {
    input: &'i Input<'i>,
    /// The Markdown source of this text run, and where it starts in the body.
    source: &'s str,
    source_offset: usize,
    cites: &'s mut Vec<Vec<citations::CiteRef>>,
    glossary: Option<&'i glossary::Glossary>,
    used: &'s mut Vec<bool>,
    tips: &'s mut usize,
    /// The text's citations are narrative (from MyST's `{cite:t}`).
    narrative: bool,
}

/// Emit a text run, turning `[@key]` groups into citation placeholders and
/// the first use of each glossary term into a linked term.
fn text_events<'a>(text: &str, ctx: &mut TextCtx<'_, '_>, out: &mut Vec<Event<'a>>) {
    let groups = citations::find_groups(text);
    let mut pos = 0;
    for (start, end, group) in groups {
        glossary_events(&text[pos..start], ctx, out);
        let refs = group
            .into_iter()
            .map(|(key, locator)| {
                let needle = format!("@{key}");
                let at = ctx
                    .source
                    .find(&needle)
                    .map_or(ctx.source_offset, |i| ctx.source_offset + i);
                citations::CiteRef {
                    key,
                    locator,
                    at: Diagnostic::new(Kind::MissingField, "").at_offset(
                        ctx.input.shown_path,
                        ctx.input.text,
                        ctx.input.body_offset + at,
                    ),
                    offset: ctx.input.body_offset + at,
                    narrative: ctx.narrative,
                }
            })
            .collect();
        ctx.cites.push(refs);
        out.push(Event::Html(
            citations::placeholder(ctx.cites.len() - 1).into(),
        ));
        pos = end;
    }
    glossary_events(&text[pos..], ctx, out);
}

fn glossary_events<'a>(text: &str, ctx: &mut TextCtx<'_, '_>, out: &mut Vec<Event<'a>>) {
    let Some(g) = ctx.glossary else {
        if !text.is_empty() {
            out.push(Event::Text(text.to_string().into()));
        }
        return;
    };
    let mut pos = 0;
    for (s, e, ti) in g.find_all(text, ctx.used) {
        *ctx.tips += 1;
        if s > pos {
            out.push(Event::Text(text[pos..s].to_string().into()));
        }
        let term = &g.terms[ti];
        let url = ctx
            .input
            .env
            .map(|env| env.site.generated_url(crate::site::Generated::Glossary))
            .unwrap_or_default();
        let tip = format!("gl-{}", ctx.tips);
        out.push(Event::Html(
            format!(
                "<a class=\"glossary-term\" href=\"{}#{}\" aria-describedby=\"{tip}\">{}</a><span class=\"glossary-tip\" role=\"tooltip\" id=\"{tip}\" data-search-ignore>{}</span>",
                escape_html(&url),
                escape_html(&term.id),
                escape_html(&text[s..e]),
                escape_html(&term.definition_text),
            )
            .into(),
        ));
        pos = e;
    }
    let rest = &text[pos..];
    if !rest.is_empty() {
        out.push(Event::Text(rest.to_string().into()));
    }
}

/// GFM alert kind → its CSS class, which is also the key of its visible
/// label in the theme strings.
fn callout(kind: pulldown_cmark::BlockQuoteKind) -> &'static str {
    use pulldown_cmark::BlockQuoteKind as K;
    match kind {
        K::Note => "note",
        K::Tip => "tip",
        K::Important => "important",
        K::Warning => "warning",
        K::Caution => "caution",
    }
}

/// Judge a link or image URL (see [`sanitize`]): a script URL is a located
/// warning; true when it must be removed (raw HTML is off).
fn screen_url(
    input: &Input<'_>,
    rendered: &mut Rendered,
    body_pos: usize,
    url: &str,
    raw_html: bool,
) -> bool {
    let Some(found) = sanitize::screen_url(&url.into(), raw_html) else {
        return false;
    };
    warn_found(input, rendered, body_pos, &found);
    found.verdict == sanitize::Verdict::Remove
}

/// The located warning for what `sanitize` found in the body at `body_pos`.
fn warn_found(
    input: &Input<'_>,
    rendered: &mut Rendered,
    body_pos: usize,
    found: &sanitize::Found,
) {
    let (message, hint) = found.message();
    rendered.warnings.push(
        Diagnostic::new(found.kind(), message)
            .at_offset(input.shown_path, input.text, input.body_offset + body_pos)
            .hint(hint),
    );
}

fn broken_link(input: &Input<'_>, body_pos: usize, dest: &str, why: &str) -> Diagnostic {
    let similar = match links::classify(dest, input.rel_path) {
        links::LinkTarget::Markdown { source, .. } => (input.case_match)(&source),
        _ => None,
    };
    let hint = match similar {
        Some(found) => format!(
            "did you mean content/{found}? The names differ only in letter case, \
             which web servers treat as different files"
        ),
        None => "link to an existing .md file, relative to this one (e.g. `../safety.md#risks`)"
            .to_string(),
    };
    Diagnostic::new(Kind::BrokenLink, format!("broken link to `{dest}`: {why}"))
        .at_offset(input.shown_path, input.text, input.body_offset + body_pos)
        .hint(hint)
}

/// Open a heading. Its text becomes a link to itself (`self_link`), as on
/// GitHub Docs and MDN: one tab stop named by the heading, no hidden text.
fn open_heading(
    level: u8,
    id: &str,
    classes: &[String],
    attrs: &[(String, Option<String>)],
    self_link: bool,
) -> String {
    let mut s = String::new();
    if !self_link {
        s.push_str("<div class=\"heading\">");
    }
    let _ = write!(s, "<h{level} id=\"{}\"", escape_html(id));
    if !classes.is_empty() {
        let _ = write!(s, " class=\"{}\"", escape_html(&classes.join(" ")));
    }
    for (k, v) in attrs {
        if is_attr_name(k) {
            let _ = write!(s, " {}=\"{}\"", k, escape_html(v.as_deref().unwrap_or("")));
        }
    }
    s.push('>');
    if self_link {
        let _ = write!(
            s,
            "<a class=\"heading-link\" href=\"#{}\">",
            escape_html(id)
        );
    }
    s
}

/// What a theme's or site's `heading.html` puts around a heading's
/// content.
fn heading_from_template(
    env: &components::Env<'_>,
    input: &Input<'_>,
    h: &HeadingState,
    level: u8,
    id: &str,
    title: &str,
) -> Result<(String, String), Diagnostic> {
    #[derive(serde::Serialize)]
    struct Attr<'a> {
        name: &'a str,
        value: &'a str,
    }
    let attrs: Vec<Attr> = h
        .attrs
        .iter()
        .filter(|(k, _)| is_attr_name(k))
        .map(|(k, v)| Attr {
            name: k,
            value: v.as_deref().unwrap_or(""),
        })
        .collect();
    let mut context = tera::Context::new();
    context.insert("level", &level);
    context.insert("id", id);
    context.insert("title", title);
    context.insert("classes", &h.classes.join(" "));
    context.insert("attrs", &attrs);
    context.insert("self_link", &!h.nested);
    env.templates
        .wrap("heading.html", &context, input.shown_path, input.lang)
        .map_err(|d| d.note(format!("for the heading “{title}”")))
}

/// An attribute name a heading may carry (`{#id .class key=value}`).
fn is_attr_name(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Close the heading. A heading that holds a link of its own gets a
/// separate permalink after it instead, visible on hover or focus.
/// The end of a heading from docent's built-in `heading.html`;
/// `link_text` is the theme string for the anchor's text, with `{title}`.
fn close_heading(level: u8, id: &str, title: &str, self_link: bool, link_text: &str) -> String {
    if self_link {
        return format!("</a></h{level}>\n");
    }
    format!(
        "</h{level}><a class=\"heading-anchor\" data-search-ignore href=\"#{}\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">{}</span></a></div>\n",
        escape_html(id),
        escape_html(link_text).replace("{title}", &escape_html(title))
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

/// Whether a text event may hold a citation (`[@key]`): a `[` followed by
/// `@`. Asked of every text event; memchr, as `str::contains` set up a
/// substring searcher per call (1% of a build).
fn may_cite(t: &str) -> bool {
    let b = t.as_bytes();
    memchr::memchr_iter(b'[', b).any(|i| b.get(i + 1) == Some(&b'@'))
}

/// The urgent-help cards named in a page's front matter (`urgent:`),
/// rendered by the theme's `components/urgent.html`.
fn front_matter_cards(
    site: &Site,
    page: &Page,
    env: &components::Env<'_>,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    if page.meta.urgent.is_empty() {
        return Ok(Vec::new());
    }
    let at = |message: String, hint: String| {
        let (line, col) = page.key_position("urgent");
        vec![
            Diagnostic::new(Kind::InvalidValue, message)
                .at(&page.shown_path, line, col, Some(&page.text))
                .hint(hint),
        ]
    };
    let file = format!("_data/{}", components::urgent::CARDS);
    let Some((_, data)) = site.data_in(page.lang, &file) else {
        return Err(at(
            format!("urgent: no content/{file} to take the cards from"),
            "define each card there: `crisis: {title: …, text: …}`".into(),
        ));
    };
    let mut out = Vec::new();
    for name in &page.meta.urgent {
        let card = components::urgent::lookup(&data.value, name)
            .map_err(|m| at(format!("urgent: {}", m.message), m.hint))?;
        let label = card.label().map_err(|k| {
            at(
                format!("card `{name}`: unknown kind `{k}`"),
                "use `kind: urgent` or `kind: emergency`".into(),
            )
        })?;
        let label = site.lang(page).strings.get(label);
        let mut safety = components::Safety::new(site.config.markdown.raw_html);
        let mut md = |text: &str| {
            components::md_with(text, &page.rel_path, Some(site), None, &mut safety, None).map_err(
                |e| {
                    at(
                        format!("card `{name}`: {}", e.message()),
                        "cards hold plain Markdown: no citations, links to existing pages only"
                            .into(),
                    )
                },
            )
        };
        let items = card
            .items
            .iter()
            .map(|i| md(i).map(|h| components::strip_paragraph(&h)))
            .collect::<Result<Vec<_>, _>>()?;
        let text = card.text.as_deref().map(&mut md).transpose()?;
        let ctx = components::urgent::context(&card, label, items, text);
        let context =
            tera::Context::from_serialize(&ctx).map_err(|e| at(e.to_string(), String::new()))?;
        let html = env
            .templates
            .render(
                "components/urgent.html",
                &context,
                &page.shown_path,
                page.lang,
            )
            .map_err(|e| vec![e.note(format!("in the `urgent: {name}` card of this page"))])?;
        out.push(html);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(extra: &str) -> SiteConfig {
        SiteConfig::parse(&format!("title: T\n{extra}"), Path::new("site.yaml")).unwrap()
    }

    fn run(body: &str, config: &SiteConfig) -> Result<Rendered, Vec<Diagnostic>> {
        let text = format!("---\ntitle: x\n---\n{body}");
        let scan = crate::myst::scan(body);
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
            case_match: &|s: &str| (s == "a/Missing.md").then(|| "a/missing.md".to_string()),
            toc: true,
            env: None,
            glossary: true,
            prose: true,
            lang: 0,
            myst: scan.as_ref(),
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
            r.html.contains(
                "<h2 id=\"safety\"><a class=\"heading-link\" href=\"#safety\">Safety</a></h2>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<h2 id=\"safety-1\"><a class=\"heading-link\" href=\"#safety-1\">"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(
                "<h3 id=\"dose\" class=\"big\"><a class=\"heading-link\" href=\"#dose\">Dose</a></h3>"
            ),
            "{}",
            r.html
        );
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "dose");
    }

    /// GFM task lists wrote checkboxes without a name, which axe reports
    /// as form elements without labels (critical): each says whether
    /// the task is done, in the page's language.
    #[test]
    fn task_list_checkboxes_have_a_name() {
        let r = run(
            "- [ ] Bring your medicines\n- [x] Book the visit\n",
            &cfg(""),
        )
        .unwrap();
        assert!(
            r.html.contains(
                "<input type=\"checkbox\" disabled aria-label=\"Not done\"> Bring your medicines"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<input type=\"checkbox\" disabled checked aria-label=\"Done\"> Book"),
            "{}",
            r.html
        );
    }

    /// Raw HTML's `<iframe>` without a title (axe: frames must have an
    /// accessible name, serious) and `<img>` without alt were passed on
    /// silently; Markdown's own images need alt text.
    #[test]
    fn raw_embeds_without_a_name_are_warned_of() {
        let r = run(
            "<iframe src=\"https://v.example/1\"></iframe>\n\n\
             <iframe title=\"Map of the clinic\" src=\"https://m.example/\"></iframe>\n\n\
             Inline <img src=\"a.png\"> and <IMG SRC=\"b.png\" alt=\"\"> and <!-- <img src=c.png> -->.\n",
            &cfg(""),
        )
        .unwrap();
        let found: Vec<(usize, &str)> = r
            .warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].0, 4);
        assert!(found[0].1.contains("<iframe> has no title"), "{found:#?}");
        assert_eq!(found[1].0, 8);
        assert!(
            found[1].1.contains("<img> in raw HTML has no alt"),
            "{found:#?}"
        );
        // With raw HTML off it is text, and nothing to warn of.
        let r = run(
            "<iframe src=\"x\"></iframe>\n",
            &cfg("markdown:\n  raw_html: false\n"),
        )
        .unwrap();
        assert!(r.warnings.is_empty(), "{:#?}", r.warnings);
    }

    /// `##` alone made an empty heading whose self-link had no name (axe:
    /// links must have discernible text).
    #[test]
    fn a_heading_without_text_is_left_out_with_a_warning() {
        let r = run(
            "Intro.\n\n##\n\nText.\n\n### {#anchor}\n\nMore.\n",
            &cfg(""),
        )
        .unwrap();
        assert!(!r.html.contains("<h2"), "{}", r.html);
        assert!(!r.html.contains("<h3"), "{}", r.html);
        assert!(r.html.contains("<span id=\"anchor\"></span>"), "{}", r.html);
        assert!(r.headings.is_empty());
        let lines: Vec<usize> = r.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [6, 10], "{:#?}", r.warnings);
        assert!(r.warnings[0].message.contains("heading without text"));
    }

    /// A heading's math was left out of its title: "## Dose of $x^2$ mg"
    /// was "Dose of mg" in the table of contents. Its LaTeX stands there.
    #[test]
    fn math_in_a_heading_is_part_of_its_title() {
        let r = run("## Dose of $x^2$ mg\n\n## Rate $\\alpha$\n", &cfg("")).unwrap();
        let titles: Vec<&str> = r.headings.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(titles, ["Dose of x^2 mg", "Rate \\alpha"]);
        assert_eq!(r.toc[0].title, "Dose of x^2 mg");
        assert!(r.html.contains("<msup>"), "{}", r.html);
    }

    #[test]
    fn headings_holding_a_link_get_a_separate_anchor() {
        let r = run(
            "## See [the FDA](https://www.fda.gov/)\n\n## Dose[^1]\n\n## Plain `code` *and* emphasis\n\n[^1]: Note.\n",
            &cfg(""),
        )
        .unwrap();
        // Links never nest: the heading keeps its own link and gets a
        // permalink with an accessible name beside it.
        assert!(
            r.html.contains("<div class=\"heading\"><h2 id=\"see-the-fda\">See <a href=\"https://www.fda.gov/\">the FDA</a></h2><a class=\"heading-anchor\" data-search-ignore href=\"#see-the-fda\">"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("Link to the section “See the FDA”"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<div class=\"heading\"><h2 id=\"dose\">"),
            "{}",
            r.html
        );
        // Inline formatting stays inside the self-link.
        assert!(
            r.html.contains("<a class=\"heading-link\" href=\"#plain-code-and-emphasis\">Plain <code>code</code> <em>and</em> emphasis</a></h2>"),
            "{}",
            r.html
        );
        for part in r.html.split("<a ").skip(1) {
            let inner = part.split("</a>").next().unwrap();
            assert!(!inner.contains("<a "), "nested link in {}", r.html);
        }
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
    fn without_templates_gfm_alerts_stay_plain_quotes() {
        // The theme's callout.html makes them callouts (see the components
        // integration tests); the bare pass has no theme.
        let r = run(
            "> [!WARNING]\n> Do not mix with alcohol.\n\n> plain quote\n",
            &cfg(""),
        )
        .unwrap();
        assert!(
            r.html
                .contains("<blockquote>\n<p>Do not mix with alcohol.</p>\n</blockquote>"),
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
    fn soft_breaks_survive_text_merging() {
        let r = run("one\ntwo [link](https://e.org) three\nfour\n", &cfg("")).unwrap();
        assert!(
            r.html
                .contains("<p>one\ntwo <a href=\"https://e.org\">link</a> three\nfour</p>"),
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

    /// The values of every `id="…"` and every `href="#…"` in `html`, the
    /// HTML entities the writers use undone.
    fn ids_and_fragments(html: &str) -> (Vec<String>, Vec<String>) {
        let values = |attr: &str| {
            html.split(attr)
                .skip(1)
                .map(|rest| {
                    rest.split('"')
                        .next()
                        .unwrap_or("")
                        .replace("&quot;", "\"")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&#39;", "'")
                        .replace("&amp;", "&")
                })
                .collect::<Vec<_>>()
        };
        (values(" id=\""), values(" href=\"#"))
    }

    #[test]
    fn footnote_labels_become_valid_ids_that_their_links_reach() {
        // Labels are free text: a space, a quote, a second `#`, a `%` that
        // starts no escape; and one equal to a heading's id.
        let r = run(
            "## Intro {#x}\n\nA[^Smith 2020] b[^a\"b] c[^x#y] d[^%zz] e[^x] f[^main].\n\n\
             [^Smith 2020]: One.\n[^a\"b]: Two.\n[^x#y]: Three.\n[^%zz]: Four.\n[^x]: Five.\n\
             [^main]: Six.\n",
            &cfg(""),
        )
        .unwrap();
        let (ids, fragments) = ids_and_fragments(&r.html);
        assert_eq!(ids.len(), 7, "{}", r.html);
        for id in &ids {
            assert!(
                !id.is_empty() && !id.contains(char::is_whitespace),
                "invalid id `{id}` in {}",
                r.html
            );
            assert_eq!(ids.iter().filter(|i| *i == id).count(), 1, "`{id}` twice");
            assert!(
                !slug::TEMPLATE_IDS.contains(&id.as_str()),
                "template id `{id}`"
            );
        }
        // Every footnote link is a valid URL and reaches its note, as a
        // browser matches a fragment (as written, then decoded).
        assert_eq!(fragments.len(), 7, "{}", r.html);
        for f in &fragments {
            let href = format!("#{f}");
            assert_eq!(crate::url::valid_href(&href), href, "invalid href");
            assert!(
                ids.contains(f) || ids.contains(&crate::url::decode(f)),
                "`#{f}` leads nowhere in {}",
                r.html
            );
        }
        assert!(r.html.contains("<h2 id=\"x\""), "{}", r.html);
    }

    #[test]
    fn explicit_ids_taken_twice_are_made_unique_with_a_warning() {
        let r = run(
            "## One {#x}\n\n## Two {#x}\n\n## Three {#main}\n\n## Four {#a%zz}\n\n## Five {#ref-smith2020}\n",
            &cfg(""),
        )
        .unwrap();
        let (ids, _) = ids_and_fragments(&r.html);
        let heading_ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        // `ref-…` is the reference list's (and `gl-`, `term-` the glossary's).
        assert_eq!(
            heading_ids,
            ["x", "x-1", "main-1", "a%25zz", "h-ref-smith2020"]
        );
        for id in heading_ids {
            assert_eq!(ids.iter().filter(|i| *i == id).count(), 1, "{}", r.html);
            let href = format!("#{id}");
            assert_eq!(crate::url::valid_href(&href), href);
            assert!(r.html.contains(&format!("href=\"#{id}\"")), "{}", r.html);
        }
        // The author hears of each renamed one, at its line.
        let lines: Vec<(usize, &str)> = r
            .warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert_eq!(lines[0].0, 6, "{lines:?}");
        assert!(lines[0].1.contains("`x`") && lines[0].1.contains("`x-1`"));
        assert_eq!(lines[1].0, 8, "{lines:?}");
        assert!(lines[1].1.contains("`main`"), "{lines:?}");
        assert_eq!(lines[2].0, 12, "{lines:?}");
        assert!(lines[2].1.contains("`ref-`"), "{lines:?}");
    }

    /// A URL no browser can follow (a word for a port, a space in the
    /// host) would be an invalid href and a dead link: the link becomes
    /// its text, with a warning at its line.
    #[test]
    fn a_link_whose_host_or_port_is_not_a_url_becomes_text() {
        let r = run(
            "Open <http://localhost:port> or [the box](<http://my host/x>).\n\n\
             Kept: [a](http://localhost:8080/x) [b](https://[::1]:8443/) [c](https://user@x.org/)\n",
            &cfg(""),
        )
        .unwrap();
        assert!(
            !r.html.contains("href=\"http://localhost:port"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("my host"), "{}", r.html);
        assert!(r.html.contains("the box"), "{}", r.html);
        // (The IPv6 one is linked too; pulldown-cmark writes its brackets
        // percent-encoded.)
        for kept in ["http://localhost:8080/x", "https://user@x.org/"] {
            assert!(r.html.contains(&format!("href=\"{kept}\"")), "{kept}");
        }
        let found: Vec<(usize, usize, &str)> = r
            .warnings
            .iter()
            .map(|w| (w.line, w.column, w.message.as_str()))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (4, 6), "{found:?}");
        assert!(found[0].2.contains("`port`"), "{found:?}");
        assert_eq!((found[1].0, found[1].1), (4, 33), "{found:?}");
        assert!(found[1].2.contains("host"), "{found:?}");
    }

    /// `mkfs.<type>` or `Vec<T>` in prose (tldr-pages' translations) is
    /// inline HTML to CommonMark: an element no browser knows, left open,
    /// its text swallowed. Shown as written, with a warning at its place;
    /// real elements (any case), custom ones, SVG and MathML pass.
    #[test]
    fn a_tag_that_is_no_html_element_is_shown_as_written() {
        let r = run(
            "Use mkfs.<type> and Vec<T>, then </type>.\n\n\
             Kept: <kbd>Ctrl</kbd> <B>b</B> <my-widget>w</my-widget> <abbr title=\"x\">x</abbr> <!-- c -->\n",
            &cfg(""),
        )
        .unwrap();
        assert!(
            r.html
                .contains("Use mkfs.&lt;type&gt; and Vec&lt;T&gt;, then &lt;/type&gt;."),
            "{}",
            r.html
        );
        for kept in [
            "<kbd>Ctrl</kbd>",
            "<B>b</B>",
            "<my-widget>w</my-widget>",
            "<abbr title=\"x\">",
            "<!-- c -->",
        ] {
            assert!(r.html.contains(kept), "{kept} in {}", r.html);
        }
        let found: Vec<(usize, usize, &str)> = r
            .warnings
            .iter()
            .map(|w| (w.line, w.column, w.message.as_str()))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (4, 10), "{found:?}");
        assert!(found[0].2.contains("`<type>`"), "{found:?}");
        assert_eq!((found[2].0, found[2].1), (4, 34), "{found:?}");
        // With raw HTML off every tag is text already: nothing to say.
        let r = run("mkfs.<type>\n", &cfg("markdown:\n  raw_html: false\n")).unwrap();
        assert!(r.html.contains("mkfs.&lt;type&gt;") && r.warnings.is_empty());
    }

    /// `{ id=x }` (MkDocs' attr_list way, all over Material for MkDocs'
    /// docs) is pulldown-cmark's generic attribute `id`: it was written
    /// beside docent's own id (`id="slug" id="x"`, invalid HTML, the
    /// author's id ignored by browsers). It is the heading's id; `class=`
    /// joins the classes; a name given twice is written once; quotes
    /// around a value are the author's, not part of it.
    #[test]
    fn heading_attributes_id_and_class_are_the_headings_own() {
        let r = run(
            "### Navigation path { id=navigation-path }\n\n### 9.7.6 { id=\"9.7.6\" }\n\n\
             ## X { .a class=b data-x=1 data-x=2 title='t' }\n\nSee [x](#navigation-path).\n",
            &cfg(""),
        )
        .unwrap();
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["navigation-path", "9.7.6", "x"]);
        assert!(
            r.html.contains(r#"<h3 id="navigation-path"><a"#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"<h3 id="9.7.6"><a"#), "{}", r.html);
        assert!(
            r.html
                .contains(r#"<h2 id="x" class="a b" data-x="1" title="t"><a"#),
            "{}",
            r.html
        );
    }

    #[test]
    fn headings_in_code_are_not_headings() {
        let r = run("```md\n## Not a heading\n```\n", &cfg("")).unwrap();
        assert!(r.headings.is_empty());
    }
}
