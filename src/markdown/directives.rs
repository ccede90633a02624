//! MyST directives and roles on a page (their syntax is `crate::myst`):
//! admonitions render as docent's callouts, `{figure} path` as the figure
//! component, `{glossary}` as a definition list of terms that also join the
//! site's glossary, `(label)=` targets become ids, and `{ref}`,
//! `{numref}`, `{doc}`, `{term}`, `{download}` and `{cite:p}`/`{cite:t}`
//! become links and citations, checked like docent's own (an unknown
//! target is a located error).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::{Input, Pass, slug};
use crate::error::{Diagnostic, Kind};
use crate::myst::{self, Directive};

/// Marks the citation text after it as narrative (`{cite:t}`): an event
/// only this module makes (private-use characters around a name).
pub(super) const NARRATIVE: &str = "\u{E004}docent-narrative\u{E005}";

/// How deep directives may nest (each level is a fence inside a fence).
const MAX_DEPTH: usize = 16;

type Ev<'a> = (Event<'a>, Range<usize>);

/// Whether the events hold MyST targets or roles (most pages do not, and
/// keep their events as they are).
fn has_myst(events: &[Ev<'_>]) -> bool {
    // Byte checks first: this runs over every event of every page.
    events.iter().enumerate().any(|(i, (ev, _))| match ev {
        Event::Text(t) => {
            (t.as_bytes().last() == Some(&b'}')
                && matches!(events.get(i + 1), Some((Event::Code(_), _)))
                && myst::trailing_role(t).is_some())
                || (t.trim_start().starts_with('(')
                    && myst::label_line(t.lines().next().unwrap_or("")).is_some())
        }
        Event::DisplayMath(_) => matches!(
            events.get(i + 1),
            Some((Event::Text(t), _)) if myst::dollar_label(t).is_some()
        ),
        _ => false,
    })
}

/// `(label)=` targets and roles in a page's (merged) events: a target
/// becomes the id of the heading after it (whose position goes into
/// `labelled`: that heading claims the label's id, see
/// `slug::IdSet::claim`) or an empty anchor, a role becomes a link or a
/// citation. Unknown targets are errors.
pub(super) fn expand<'a>(
    input: &Input<'_>,
    events: Vec<Ev<'a>>,
    errors: &mut Vec<Diagnostic>,
    labelled: &mut Vec<usize>,
) -> Vec<Ev<'a>> {
    if !has_myst(&events) {
        return events;
    }
    let mut out: Vec<Ev<'a>> = Vec::with_capacity(events.len());
    let mut pending: Option<String> = None;
    let mut it = events.into_iter().peekable();
    while let Some((ev, range)) = it.next() {
        if let Some(label) = pending.take() {
            match ev {
                Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }) => {
                    labelled.push(range.start);
                    out.push((
                        Event::Start(Tag::Heading {
                            level,
                            id: Some(slug::label_id(&label).into_owned().into()),
                            classes,
                            attrs,
                        }),
                        range,
                    ));
                    continue;
                }
                ev => {
                    let anchor = format!("<span id=\"{}\"></span>", label_id(&label));
                    out.push((Event::Html(anchor.into()), range.clone()));
                    // Not consumed: handled below.
                    expand_event(&mut out, ev, range, &mut it, input, errors, &mut pending);
                    continue;
                }
            }
        }
        expand_event(&mut out, ev, range, &mut it, input, errors, &mut pending);
    }
    if let Some(label) = pending {
        let anchor = format!("<span id=\"{}\"></span>", label_id(&label));
        out.push((Event::Html(anchor.into()), 0..0));
    }
    out
}

/// One event of [`expand`]: a paragraph that is only a `(label)=` line is
/// taken out (its label waits for the next block), a role is replaced.
fn expand_event<'a>(
    out: &mut Vec<Ev<'a>>,
    ev: Event<'a>,
    range: Range<usize>,
    it: &mut std::iter::Peekable<std::vec::IntoIter<Ev<'a>>>,
    input: &Input<'_>,
    errors: &mut Vec<Diagnostic>,
    pending: &mut Option<String>,
) {
    match ev {
        Event::Start(Tag::Paragraph) => {
            let label = match it.peek() {
                Some((Event::Text(t), _)) => myst::label_line(t).map(str::to_string),
                _ => None,
            };
            if let Some(label) = label {
                let text = it.next();
                if matches!(it.peek(), Some((Event::End(TagEnd::Paragraph), _))) {
                    it.next();
                    *pending = Some(label);
                    return;
                }
                out.push((Event::Start(Tag::Paragraph), range));
                if let Some(t) = text {
                    out.push(t);
                }
                return;
            }
            out.push((Event::Start(Tag::Paragraph), range));
        }
        // `$$ … $$ (name)`: the label after the `$$` is the equation's.
        Event::DisplayMath(latex) => {
            let label = match it.peek() {
                Some((Event::Text(t), _)) => myst::dollar_label(t).map(|(l, n)| (l.to_string(), n)),
                _ => None,
            };
            let Some((label, taken)) = label else {
                out.push((Event::DisplayMath(latex), range));
                return;
            };
            out.push((
                Event::DisplayMath(format!("\\label{{{label}}}\n{latex}").into()),
                range,
            ));
            if let Some((Event::Text(t), r)) = it.next() {
                let rest = &t[taken..];
                if !rest.trim().is_empty() {
                    out.push((Event::Text(rest.to_string().into()), r));
                }
            }
        }
        Event::Text(t) => {
            let role = if matches!(it.peek(), Some((Event::Code(_), _))) {
                myst::trailing_role(&t)
            } else {
                None
            };
            let Some((at, name)) = role else {
                out.push((Event::Text(t), range));
                return;
            };
            if at > 0 {
                out.push((Event::Text(t[..at].to_string().into()), range));
            }
            let Some((Event::Code(content), code_range)) = it.next() else {
                return;
            };
            // Errors point at the role's `{`.
            let role_at = code_range.start.saturating_sub(name.len() + 2);
            match role_events(input, name, &content, role_at) {
                Ok(events) => out.extend(events.into_iter().map(|e| (e, code_range.clone()))),
                Err(d) => {
                    errors.push(d);
                    out.push((Event::Code(content), code_range));
                }
            }
        }
        ev => out.push((ev, range)),
    }
}

/// Whether the body of a `{figure}` fence without an argument is MyST's
/// (options such as `:label:` first, or Markdown images, and no `src:`
/// key) rather than docent's YAML figure.
fn myst_figure_body(body: &str) -> bool {
    let mut lines = body.lines().map(str::trim_start).filter(|l| !l.is_empty());
    let first_option = lines.clone().next().is_some_and(|l| l.starts_with(':'));
    let yaml_src = body.lines().any(|l| l.starts_with("src:"));
    !yaml_src && (first_option || lines.any(|l| l.starts_with("![")))
}

/// A MyST label (`(label)=`, `:name:`) as the id attribute's value: the
/// id its `{ref}` links reach ([`slug::label_id`]), escaped.
fn label_id(label: &str) -> String {
    crate::util::escape_html(&slug::label_id(label))
}

/// The id of the `{prf:…}` directive labelled `name` on the page whose
/// labels are `scan`: the label's id, or `prf-` and it when a section or
/// figure on the page has the same label (Sphinx keeps the two name
/// spaces apart; a page has one set of ids).
pub(crate) fn proof_id(scan: &myst::Scan, name: &str) -> String {
    let id = slug::label_id(name);
    if scan.labels.iter().any(|l| l.name == name) {
        format!("prf-{id}")
    } else {
        id.into_owned()
    }
}

/// The ids of everything a page labels (sections, figures, proofs),
/// reserved before it renders so ids made from text avoid them.
pub(super) fn label_ids(scan: &myst::Scan) -> impl Iterator<Item = String> + '_ {
    let labels = scan
        .labels
        .iter()
        .map(|l| slug::label_id(&l.name).into_owned());
    let proofs = scan.proofs.iter().map(|l| proof_id(scan, &l.name));
    labels.chain(proofs)
}

/// What a cross-reference to `name` reaches (`{ref}`, `{numref}`,
/// `[](#name)`): a section or figure label, or else a labelled equation,
/// or else a `{prf:…}` directive (mystmd reads them all from one name
/// space; Sphinx keeps them apart, so they may share a name): its page,
/// its label
/// (whose title is what the reference shows) and the id to link to.
pub(crate) fn target<'s>(
    site: &'s crate::site::Site,
    name: &str,
) -> Option<(usize, &'s crate::myst::Label, String)> {
    if let Some((page, label)) = site.label(name) {
        return Some((page, label, slug::label_id(name).into_owned()));
    }
    equation(site, name).or_else(|| proof(site, name))
}

/// The equation labelled `name`: its page, label and id.
fn equation<'s>(
    site: &'s crate::site::Site,
    name: &str,
) -> Option<(usize, &'s crate::myst::Label, String)> {
    site.equation(name)
        .map(|(page, label)| (page, label, super::math::equation_id(name)))
}

/// The `{prf:…}` directive labelled `name`: its page, label and id.
fn proof<'s>(
    site: &'s crate::site::Site,
    name: &str,
) -> Option<(usize, &'s crate::myst::Label, String)> {
    let (page, label) = site.proof(name)?;
    let id = site.pages[page].myst.as_ref().map_or_else(
        || slug::label_id(name).into_owned(),
        |scan| proof_id(scan, name),
    );
    Some((page, label, id))
}

/// What a role stands for.
pub(crate) enum Resolved {
    /// `{index}`: its text (docent makes no index).
    Text(String),
    /// `{cite:p}`: these bibliography keys.
    Cite(Vec<String>),
    /// A link: URL and the text shown.
    Link(String, String),
}

/// Resolve role `role` with `content` on the page at content-relative
/// `rel_path`; `Err((message, hint))` when its target does not exist.
pub(crate) fn resolve_role(
    site: &crate::site::Site,
    rel_path: &str,
    role: &str,
    content: &str,
) -> Result<Resolved, (String, String)> {
    let (text, target) = myst::role_target(content);
    if role.starts_with("cite") {
        let keys = content
            .split([',', ';'])
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .collect();
        return Ok(Resolved::Cite(keys));
    }
    if role == "index" {
        return Ok(Resolved::Text(text.unwrap_or(target).to_string()));
    }
    let (url, shown) = match role {
        "ref" | "numref" | "eq" | "prf:ref" => {
            let found = match role {
                "eq" => equation(site, target),
                "prf:ref" => proof(site, target).or_else(|| self::target(site, target)),
                _ => self::target(site, target),
            };
            let Some((page, label, id)) = found else {
                return Err(unknown_target(site, role, target));
            };
            let url = if site.pages[page].rel_path == rel_path {
                format!("#{id}")
            } else {
                format!("{}#{id}", site.url(&site.pages[page]))
            };
            let shown = match text {
                Some(t) => t
                    .replace("{number}", &label.title)
                    .replace("%s", &label.title),
                None => label.title.clone(),
            };
            (url, shown)
        }
        "doc" => {
            let Some(page) = doc_page(site, rel_path, target) else {
                return Err((
                    format!("no page `{target}` for {{doc}}"),
                    "name a page's file relative to this page (without .md), or from content/ with a leading /".into(),
                ));
            };
            let page = &site.pages[page];
            (
                site.url(page),
                text.map_or_else(|| page.title.clone(), str::to_string),
            )
        }
        "term" => {
            let Some(term) = site.glossary.as_ref().and_then(|g| g.lookup(target)) else {
                return Err((
                    format!("no glossary term `{target}`"),
                    "add it to a {glossary} block or to content/_data/glossary.yaml".into(),
                ));
            };
            let url = format!(
                "{}#{}",
                site.generated_url(crate::site::Generated::Glossary),
                term.id
            );
            (url, text.unwrap_or(target).to_string())
        }
        // `{download}`: a file, resolved and checked like any relative link.
        _ => {
            let name = target.rsplit('/').next().unwrap_or(target);
            (target.to_string(), text.unwrap_or(name).to_string())
        }
    };
    Ok(Resolved::Link(url, shown))
}

/// Roles in a Markdown fragment (a caption, an answer, a definition)
/// written as the Markdown they stand for, so the fragment renders them
/// like the page body does. `Err` names the first unknown target.
pub(crate) fn roles_as_markdown<'t>(
    site: &crate::site::Site,
    rel_path: &str,
    text: &'t str,
) -> Result<std::borrow::Cow<'t, str>, (String, String)> {
    let mut failed = None;
    let out = myst::rewrite_roles(text, &mut |role, content| match resolve_role(
        site, rel_path, role, content,
    ) {
        Ok(Resolved::Cite(keys)) => Some(format!("[@{}]", keys.join("; @"))),
        Ok(Resolved::Text(text)) => Some(crate::myst::escape_markdown(&text)),
        Ok(Resolved::Link(url, shown)) => Some(format!(
            "[{}](<{}>)",
            crate::myst::escape_markdown(&shown),
            url.replace('>', "%3E")
        )),
        Err(e) => {
            failed.get_or_insert(e);
            None
        }
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// The events a role becomes.
fn role_events<'a>(
    input: &Input<'_>,
    role: &str,
    content: &str,
    at: usize,
) -> Result<Vec<Event<'a>>, Diagnostic> {
    let site = match input.env {
        Some(env) => env.site,
        None if role.starts_with("cite") => {
            return Ok(vec![Event::Text(
                format!("[@{}]", content.replace(',', "; @")).into(),
            )]);
        }
        None => return Ok(vec![Event::Code(content.to_string().into())]),
    };
    let resolved =
        resolve_role(site, input.rel_path, role, content).map_err(|(message, hint)| {
            Diagnostic::new(Kind::BrokenLink, message)
                .at_offset(input.shown_path, input.text, input.body_offset + at)
                .hint(hint)
        })?;
    Ok(match resolved {
        // `{cite:t}`, `{cite:ts}`, `{cite:alt}`: "Walker (2017)".
        Resolved::Cite(keys) if role.ends_with('t') => vec![
            Event::InlineHtml(CowStr::Borrowed(NARRATIVE)),
            Event::Text(format!("[@{}]", keys.join("; @")).into()),
        ],
        Resolved::Cite(keys) => vec![Event::Text(format!("[@{}]", keys.join("; @")).into())],
        Resolved::Text(text) => vec![Event::Text(text.into())],
        Resolved::Link(url, shown) => vec![
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: url.into(),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }),
            Event::Text(shown.into()),
            Event::End(TagEnd::Link),
        ],
    })
}

/// The error for a `{ref}`, `{numref}` or `{eq}` whose label no page
/// defines: (message, hint naming the closest label of that kind).
fn unknown_target(site: &crate::site::Site, role: &str, target: &str) -> (String, String) {
    let (known, what, define) = if role == "eq" {
        (
            &site.equations,
            "equation labelled",
            "label a display equation: `$$ … $$ (name)`, `\\label{name}` inside it, or `:label:` on a {math} block",
        )
    } else {
        (
            &site.labels,
            "label",
            "define it with a `(label)=` line before a heading, or `:name:` on a figure",
        )
    };
    let hint = match crate::util::closest(target, known.keys().map(String::as_str)) {
        Some(c) => format!("did you mean `{c}`?"),
        None => define.into(),
    };
    (format!("no {what} `{target}` in the site"), hint)
}

/// The page a `{doc}` target names: relative to the page, or from
/// content/ with a leading `/`, with or without `.md`.
fn doc_page(site: &crate::site::Site, rel_path: &str, target: &str) -> Option<usize> {
    let path = target.split('#').next().unwrap_or(target);
    let joined = match path.strip_prefix('/') {
        Some(root) => super::links::join_relative("", root)?,
        None => {
            let dir = rel_path.rsplit_once('/').map_or("", |(d, _)| d);
            super::links::join_relative(dir, path)?
        }
    };
    let stem = joined
        .strip_suffix(".md")
        .or_else(|| joined.strip_suffix(".ipynb"))
        .unwrap_or(&joined);
    [
        format!("{stem}.md"),
        format!("{stem}/index.md"),
        format!("{stem}/_index.md"),
    ]
    .iter()
    .find_map(|s| site.by_source.get(s).copied())
}

impl<'i> Pass<'i> {
    /// Whether a fenced block is a MyST directive docent renders itself (a
    /// site's own component of that name wins; `{figure}` is MyST's when
    /// its fence names the image, docent's YAML one otherwise; `{image}`
    /// likewise, and `{table}` when its fence gives a caption; a `{figure}`
    /// whose `body` holds options or Markdown images and no `src:` is
    /// MyST's too: a figure of several images).
    pub(super) fn is_directive(&self, name: &str, arg: &str, body: &str) -> bool {
        let Some(env) = self.input.env else {
            return false;
        };
        match name {
            "figure" if arg.is_empty() => myst_figure_body(body),
            "figure" | "image" | "table" => !arg.is_empty(),
            _ if env.templates.has(&format!("components/{name}.html")) => false,
            _ => myst::renders_directive(name),
        }
    }

    /// Where the text of a directive whose fence starts at `start` starts
    /// in the body (exact unless the fence is indented).
    fn text_start(&self, start: usize) -> usize {
        start
            + self.body[start.min(self.body.len())..]
                .find('\n')
                .map_or(0, |n| n + 1)
    }

    /// Render the directive `name` whose fence starts at `start` (a byte
    /// offset in the body) and whose text is `text`.
    pub(super) fn directive(&mut self, name: &str, arg: &str, text: &str, start: usize) {
        let d = Directive::parse(text);
        let base = self.text_start(start);
        let read: &[&str] = match name {
            "figure" | "image" => &["alt", "name", "label", "width", "height"],
            "list-table" => &["header-rows", "name", "label"],
            "table" => &["name", "label"],
            "glossary" => &[],
            "math" => &["label", "name"],
            "index" | "only" | "raw" => &[],
            "div" | "tab-set" | "grid" | "tab-item" | "card" | "grid-item-card" | "grid-item" => {
                &["class", "name", "label"]
            }
            _ if myst::CODE_DIRECTIVES.contains(&name) => &["caption", "filename", "name", "label"],
            _ => &["class", "name", "label"],
        };
        for (key, _, at) in d.options.iter().filter(|o| !read.contains(&o.0)) {
            let hint = match read {
                [] => format!("{{{name}}} takes no options here; remove it"),
                _ => format!(
                    "docent reads {} on {{{name}}}; remove it",
                    read.iter()
                        .map(|k| format!("`:{k}:`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.rendered.warnings.push(
                Diagnostic::new(
                    Kind::InvalidValue,
                    format!("option `:{key}:` of the MyST {{{name}}} directive is ignored"),
                )
                .at_offset(
                    self.input.shown_path,
                    self.input.text,
                    self.input.body_offset + base + at,
                )
                .hint(hint),
            );
        }
        match name {
            "figure" if arg.is_empty() => self.myst_figure_group(&d, base, start),
            "figure" | "image" => self.myst_figure(name, arg, &d, base, start),
            "glossary" => self.myst_glossary(&d, base),
            "math" => self.myst_math(&d, base),
            // docent makes no index: Sphinx's entries show nothing.
            "index" => {}
            "only" if myst::only_html(arg) => self.nested(d.body, base + d.body_at, start),
            "only" => {}
            "raw" => self.myst_raw(arg, &d, start),
            "epigraph" | "pull-quote" | "highlights" => {
                let open = format!("<blockquote class=\"{name}\">\n");
                self.out.push(Event::Html(open.into()));
                self.nested(d.body, base + d.body_at, start);
                self.out.push(Event::Html("</blockquote>\n".into()));
            }
            "list-table" => self.myst_list_table(arg, &d, base, start),
            "table" => self.myst_table(arg, &d, base, start),
            _ if myst::CODE_DIRECTIVES.contains(&name) => self.myst_code(name, arg, &d),
            "div" => self.div(d.option("class").unwrap_or(""), None, &d, base, start),
            "tab-set" | "grid" => {
                let class = format!("{name} {}", d.option("class").unwrap_or(""));
                self.div(&class, None, &d, base, start);
            }
            "tab-item" | "card" | "grid-item-card" | "grid-item" => {
                self.labelled_div(name, arg, &d, base, start);
            }
            _ => self.admonition(name, arg, None, &d, base, start),
        }
    }

    /// A container written without braces (`:::tip Title`, `::: warning`,
    /// `::: {.callout-note}`, `::: challenge`; see `myst::fence_directive`),
    /// named `word` where it is written: a callout titled by the text after
    /// its name (a collapsible one by its name when it has none), or a
    /// `<div>` of class `word`. Its body is all Markdown (no options: a
    /// `---` line in it is a rule).
    pub(super) fn container(
        &mut self,
        name: &str,
        title: &str,
        word: &str,
        text: &str,
        start: usize,
    ) {
        let base = self.text_start(start);
        if name == "div" {
            let d = Directive {
                body: text,
                ..Directive::default()
            };
            self.div(word, None, &d, base, start);
            return;
        }
        // Untitled, a heading first in the body is the title (Quarto's
        // `## Tip with Caption`, as mystmd reads it too).
        let (title, body_at) = match (title, first_heading(text)) {
            ("", Some((heading, after))) => (heading, after),
            _ => (title, 0),
        };
        let d = Directive {
            body: &text[body_at..],
            body_at,
            ..Directive::default()
        };
        let named = capitalized(word);
        let title = match title {
            "" if name == "dropdown" => Some(named.as_str()),
            "" => None,
            t => Some(t),
        };
        self.admonition(name, "", title, &d, base, start);
    }

    /// A tab of a `{tab-set}`, a `{card}` or a grid item (sphinx-design's
    /// and mystmd's): its body in a `<div>` (class `tab-item`, `card` or
    /// `grid-item`), under its label (the argument, inline Markdown) when
    /// it has one. Without script every tab is shown, in order.
    fn labelled_div(
        &mut self,
        name: &str,
        arg: &str,
        d: &Directive<'_>,
        base: usize,
        start: usize,
    ) {
        let kind = match name {
            "tab-item" => "tab",
            "grid-item" => "grid-item",
            _ => "card",
        };
        let class = match kind {
            "tab" => "tab-item",
            other => other,
        };
        let class = format!("{class} {}", d.option("class").unwrap_or(""));
        let label = Some((kind, arg.trim())).filter(|(_, text)| !text.is_empty());
        self.div(&class, label, d, base, start);
    }

    /// `{div}` (mystmd's generic container, and Pandoc's `::: name`): its
    /// body in a `<div>` of the `class` given, as far as it is a list of
    /// class names, under `label` when given (`(kind, inline Markdown)`: a
    /// `<p class="{kind}-label">`).
    fn div(
        &mut self,
        class: &str,
        label: Option<(&str, &str)>,
        d: &Directive<'_>,
        base: usize,
        start: usize,
    ) {
        let classes = class_list(class);
        let named = self.open_label(d, class);
        let open = if classes.is_empty() {
            "<div>\n".to_string()
        } else {
            format!("<div class=\"{classes}\">\n")
        };
        self.out.push(Event::Html(open.into()));
        if let Some((kind, text)) = label {
            self.out
                .push(Event::Html(format!("<p class=\"{kind}-label\">").into()));
            self.inline(text, start);
            self.out.push(Event::Html("</p>\n".into()));
        }
        self.nested(d.body, base + d.body_at, start);
        self.out.push(Event::Html("</div>\n".into()));
        self.close_label(named);
    }

    /// `{code-block} python`: code as a fence of that language shows it;
    /// `:caption:` (Markdown) above it, `:name:` its id.
    fn myst_code(&mut self, name: &str, arg: &str, d: &Directive<'_>) {
        let lang = match name {
            "mermaid" => "mermaid",
            _ => arg.split_whitespace().next().unwrap_or(""),
        };
        let mut html = super::code_block(
            lang,
            d.body,
            self.highlight_on,
            &mut self.rendered.highlighted,
        );
        let caption = match (d.option("caption"), d.option("filename")) {
            (Some(caption), _) if !caption.is_empty() => {
                let mut safety = super::components::Safety::new(self.raw_html);
                let html = super::components::markdown_inline(caption, &mut safety);
                self.rendered
                    .warnings
                    .extend(safety.warnings(self.input.shown_path, self.input.text));
                Some(html)
            }
            // mystmd's file name above the code.
            (_, Some(file)) if !file.is_empty() => {
                Some(format!("<code>{}</code>", crate::util::escape_html(file)))
            }
            _ => None,
        };
        if let Some(caption) = caption {
            html = format!(
                "<figure class=\"figure code-figure\"><figcaption>{}</figcaption>\n{html}</figure>\n",
                caption.trim_end()
            );
        }
        if let Some(id) = self.claim_label(d, "code") {
            html = format!("<div id=\"{id}\">\n{html}</div>\n");
        }
        self.out.push(Event::Html(html.into()));
    }

    /// `{raw} html`: the author's HTML, under the same rule as any raw
    /// HTML (with `raw_html` off it is left out, with a warning); raw text
    /// for any other format (`latex`, `jupyter`) is not for a web page.
    fn myst_raw(&mut self, format: &str, d: &Directive<'_>, start: usize) {
        if !format.split_whitespace().any(|f| f == "html") {
            return;
        }
        if self.raw_html {
            self.event(Event::Html(d.body.to_string().into()), start..start);
            return;
        }
        self.rendered.warnings.push(
            Diagnostic::new(
                Kind::InvalidValue,
                "{raw} html left out: this site does not allow raw HTML",
            )
            .at_offset(
                self.input.shown_path,
                self.input.text,
                self.input.body_offset + start,
            )
            .hint("write it in Markdown, or set `markdown: {raw_html: true}` in site.yaml if you trust every author"),
        );
    }

    /// `{math}`: display math, numbered when it has a `:label:` (which
    /// `myst::equations` counted with the page's other labelled equations).
    fn myst_math(&mut self, d: &Directive<'_>, base: usize) {
        let at = base + d.body_at;
        // Its `:label:` (or `:name:`) is an equation's: the equation's id.
        match d.name() {
            Some(label) => self.math(&format!("\\label{{{label}}}\n{}", d.body), at..at, true),
            None => self.math(d.body, at..at, true),
        }
        self.out.push(Event::Html("\n".into()));
    }

    /// A Markdown text inside a directive, through this same pass (its
    /// citations, glossary terms, links and nested directives are the
    /// page's). `base`: where the text starts in the body.
    fn nested(&mut self, text: &str, base: usize, at: usize) {
        if self.depth >= MAX_DEPTH {
            self.errors.push(
                Diagnostic::new(
                    Kind::InvalidValue,
                    format!("directives nested more than {MAX_DEPTH} deep"),
                )
                .at_offset(
                    self.input.shown_path,
                    self.input.text,
                    self.input.body_offset + at,
                )
                .hint("flatten the directives inside each other"),
            );
            return;
        }
        self.depth += 1;
        let events = self.parse_at(text, base);
        for (ev, range) in events {
            self.event(ev, range);
        }
        self.depth -= 1;
    }

    /// `{note}`, `{warning}`, … and `{admonition} Title`: a callout
    /// (`title` gives any of them its title).
    fn admonition(
        &mut self,
        name: &str,
        arg: &str,
        title: Option<&str>,
        d: &Directive<'_>,
        base: usize,
        start: usize,
    ) {
        let input = self.input;
        let Some(env) = input.env else { return };
        let classes = d.option("class").unwrap_or("");
        let collapsible = matches!(name, "dropdown" | "solution")
            || classes.split_whitespace().any(|c| c == "dropdown");
        let kind = classes
            .split_whitespace()
            .find_map(myst::admonition_kind)
            .or_else(|| myst::admonition_kind(name))
            .unwrap_or("note");
        let titled = matches!(name, "admonition" | "dropdown" | "exercise");
        let label = match title {
            Some(title) => title.to_string(),
            None if titled && !arg.is_empty() => arg.to_string(),
            // sphinx-exercise's are named for what they are (a solution's
            // argument is its exercise's label, not a title).
            None if matches!(name, "exercise" | "solution") => {
                input.strings().get(name).to_string()
            }
            None if let Some(proof) = name.strip_prefix("prf:") => {
                let kind = input.strings().get(&format!("prf_{proof}")).to_string();
                if arg.is_empty() {
                    kind
                } else {
                    format!("{kind} ({arg})")
                }
            }
            None => input.strings().get(kind).to_string(),
        };
        let mut context = tera::Context::new();
        context.insert("kind", kind);
        context.insert("label", &label);
        context.insert("collapsible", &collapsible);
        let (open, close) =
            match env
                .templates
                .wrap("callout.html", &context, input.shown_path, input.lang)
            {
                Ok(pair) => pair,
                Err(e) => {
                    let (line, _) = crate::error::line_col(input.text, input.body_offset + start);
                    self.errors
                        .push(e.note(format!("in the {{{name}}} directive at line {line}")));
                    return;
                }
            };
        // `:name:` is a label (`{ref}` links to it): the callout's id.
        let named = self.open_label(d, name);
        self.out.push(Event::Html(open.into()));
        if !titled && !arg.is_empty() && name != "solution" && !myst::is_proof(name) {
            // `{note} Text`: the argument is the first line of the body.
            self.nested(arg, start, start);
        }
        self.nested(d.body, base + d.body_at, start);
        self.out.push(Event::Html(close.into()));
        self.close_label(named);
    }

    /// `{figure}` with its images in its body (MyST's subfigures): the
    /// body, Markdown, inside one `<figure>`; `:name:` is its id.
    fn myst_figure_group(&mut self, d: &Directive<'_>, base: usize, start: usize) {
        let id = match self.claim_label(d, "figure") {
            Some(id) => format!(" id=\"{id}\""),
            None => String::new(),
        };
        self.out.push(Event::Html(
            format!("<figure class=\"figure figure-group\"{id}>\n").into(),
        ));
        self.nested(d.body, base + d.body_at, start);
        self.out.push(Event::Html("</figure>\n".into()));
    }

    /// `{list-table} Caption`: rows given as a list of lists of cells
    /// (list_table.rs), written as a Markdown pipe table is (so it scrolls
    /// and stacks the same way) with the argument as its caption; the
    /// first row is the head when `:header-rows:` is 1; `:name:` is a label.
    fn myst_list_table(&mut self, arg: &str, d: &Directive<'_>, base: usize, start: usize) {
        let input = self.input;
        let error = |message: String, at: usize, hint: &str| {
            Diagnostic::new(Kind::InvalidValue, message)
                .at_offset(input.shown_path, input.text, input.body_offset + at)
                .hint(hint)
        };
        let head = match d.options.iter().find(|o| o.0 == "header-rows") {
            None => 0,
            Some((_, v, at)) => match v.trim().parse::<usize>() {
                Ok(n) => n,
                Err(_) => {
                    self.errors.push(error(
                        format!("`:header-rows:` of a {{list-table}} must be a number of rows, not `{}`", v.trim()),
                        base + at,
                        "write `:header-rows: 1` for a table whose first row names its columns",
                    ));
                    return;
                }
            },
        };
        let body_at = base + d.body_at;
        let events = self.parse_at(d.body, body_at);
        let rows = match super::list_table::rows(events, body_at) {
            Ok(rows) => rows,
            Err(e) => {
                self.errors.push(error(
                    e.message,
                    e.at,
                    "write each row as `* - first cell` with its other cells as `  - cell` lines below",
                ));
                return;
            }
        };
        if head > 1 {
            self.rendered.warnings.push(
                Diagnostic::new(
                    Kind::InvalidValue,
                    format!(
                        "a {{list-table}} shows one header row; the other {} are body rows",
                        head - 1
                    ),
                )
                .at_offset(input.shown_path, input.text, input.body_offset + start)
                .hint("use `:header-rows: 1`"),
            );
        }
        if head > rows.len() {
            self.errors.push(error(
                format!(
                    "`:header-rows: {head}` but the {{list-table}} has {} rows",
                    rows.len()
                ),
                start,
                "give the number of rows that name the columns: 0 or 1",
            ));
            return;
        }
        let named = self.open_label(d, "list-table");
        let columns = rows.first().map_or(0, |r| r.cells.len());
        let at = start..start;
        self.event(
            Event::Start(Tag::Table(vec![pulldown_cmark::Alignment::None; columns])),
            at.clone(),
        );
        self.caption(arg, start);
        if head == 0 {
            // pulldown-cmark opens <tbody> when a head ends.
            self.out.push(Event::Html("<tbody>\n".into()));
        }
        for (i, row) in rows.into_iter().enumerate() {
            let (open, close) = if i == 0 && head > 0 {
                (Tag::TableHead, TagEnd::TableHead)
            } else {
                (Tag::TableRow, TagEnd::TableRow)
            };
            self.event(Event::Start(open), row.at..row.at);
            for cell in row.cells {
                self.event(Event::Start(Tag::TableCell), row.at..row.at);
                for (ev, range) in cell {
                    self.event(ev, range);
                }
                self.event(Event::End(TagEnd::TableCell), row.at..row.at);
            }
            self.event(Event::End(close), row.at..row.at);
        }
        self.event(Event::End(TagEnd::Table), at);
        self.close_label(named);
    }

    /// `{table} Caption`: the Markdown table of its body with that caption
    /// (a fence without an argument is docent's YAML `{table}`); `:name:`
    /// is a label.
    fn myst_table(&mut self, arg: &str, d: &Directive<'_>, base: usize, start: usize) {
        let input = self.input;
        let body_at = base + d.body_at;
        let events = self.parse_at(d.body, body_at);
        // One table and nothing else: depth counts the table's own events.
        let mut depth = 0usize;
        let mut tables = 0;
        let stray = events.iter().find_map(|(ev, range)| {
            let outside = depth == 0;
            match ev {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            if outside && matches!(ev, Event::Start(Tag::Table(_))) {
                tables += 1;
                return (tables > 1).then_some(range.start);
            }
            outside.then_some(range.start)
        });
        if stray.is_some() || tables == 0 {
            self.errors.push(
                Diagnostic::new(
                    Kind::InvalidValue,
                    "a {table} with a caption holds one Markdown table and nothing else",
                )
                .at_offset(
                    input.shown_path,
                    input.text,
                    input.body_offset + stray.unwrap_or(start),
                )
                .hint("write the table as `| a | b |` lines under a `|---|---|` line; put other text outside the directive"),
            );
            return;
        }
        let named = self.open_label(d, "table");
        for (ev, range) in events {
            let opens = matches!(ev, Event::Start(Tag::Table(_)));
            self.event(ev, range);
            if opens {
                self.caption(arg, start);
            }
        }
        self.close_label(named);
    }

    /// The events of Markdown `text` that starts at byte `at` of the body,
    /// ranges in the body, text merged and MyST targets and roles expanded.
    fn parse_at(&mut self, text: &str, at: usize) -> Vec<Ev<'static>> {
        let end = self.body.len();
        let (events, unused) = super::parse(text);
        for u in &unused {
            self.unused_image_attrs(u, at);
        }
        let events: Vec<Ev<'static>> = events
            .into_iter()
            .map(|(ev, r)| {
                let s = (r.start + at).min(end);
                (ev.into_static(), s..(r.end + at).min(end).max(s))
            })
            .collect();
        let events = super::merge_text(events);
        let mut errors = Vec::new();
        let events = expand(self.input, events, &mut errors, &mut self.labelled);
        self.errors.append(&mut errors);
        events
    }

    /// A table's `<caption>`, from the directive's argument (inline
    /// Markdown at byte `at` of the body), unless it is empty.
    fn caption(&mut self, arg: &str, at: usize) {
        if arg.trim().is_empty() {
            return;
        }
        self.out.push(Event::Html("<caption>".into()));
        self.inline(arg.trim(), at);
        self.out.push(Event::Html("</caption>\n".into()));
    }

    /// Inline Markdown (a caption) at byte `at` of the body: its events
    /// without the paragraph around them.
    fn inline(&mut self, text: &str, at: usize) {
        let events: Vec<Ev<'static>> = pulldown_cmark::Parser::new_ext(text, super::options())
            .map(|ev| (ev.into_static(), at..at))
            .filter(|(ev, _)| {
                !matches!(
                    ev,
                    Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
                )
            })
            .collect();
        for (ev, range) in super::merge_text(events) {
            self.event(ev, range);
        }
    }

    /// A directive's `:name:` (a label `{ref}` links to): reserved, and a
    /// `<div>` with that id opened around what the directive writes.
    /// Whether one was opened, for [`Pass::close_label`].
    fn open_label(&mut self, d: &Directive<'_>, directive: &str) -> bool {
        let Some(id) = self.claim_label(d, directive) else {
            return false;
        };
        self.out
            .push(Event::Html(format!("<div id=\"{id}\">\n").into()));
        true
    }

    /// The id of what directive `directive` labels (`:name:`, `:label:`),
    /// escaped: reserved for it before the page was rendered, claimed now
    /// (`slug::IdSet::claim`); a proof's when it shares its label with a
    /// section ([`crate::myst::Scan::proof_id`]).
    fn claim_label(&mut self, d: &Directive<'_>, directive: &str) -> Option<String> {
        let name = d.name()?;
        let id = match self.input.myst {
            Some(scan) if myst::is_proof(directive) => proof_id(scan, name),
            _ => slug::label_id(name).into_owned(),
        };
        Some(crate::util::escape_html(&self.ids.claim(&id)))
    }

    /// Close what [`Pass::open_label`] opened.
    fn close_label(&mut self, opened: bool) {
        if opened {
            self.out.push(Event::Html("</div>\n".into()));
        }
    }

    /// `{glossary}`: its terms as a definition list (they join the site's
    /// glossary when the site is loaded).
    fn myst_glossary(&mut self, d: &Directive<'_>, base: usize) {
        self.out
            .push(Event::Html("<dl class=\"glossary-terms\">\n".into()));
        let body_base = base + d.body_at;
        let first_line = 1;
        for entry in myst::glossary_entries(d.body, first_line) {
            let id = self
                .ids
                .unique(&format!("term-{}", super::slug::slugify(&entry.term)));
            let mut dt = format!("<dt id=\"{id}\">");
            crate::util::escape_html_into(&entry.term, &mut dt);
            for alias in &entry.aliases {
                dt.push_str("<br>");
                crate::util::escape_html_into(alias, &mut dt);
            }
            dt.push_str("</dt>\n<dd>");
            self.out.push(Event::Html(dt.into()));
            // The definition's place: its term's line in the body.
            let at = d
                .body
                .split_inclusive('\n')
                .take(entry.line - first_line)
                .map(str::len)
                .sum::<usize>();
            self.nested(&entry.definition, body_base + at, body_base + at);
            self.out.push(Event::Html("</dd>\n".into()));
        }
        self.out.push(Event::Html("</dl>\n".into()));
    }

    /// `{figure} path` with `:alt:`, `:name:`, `:width:` and its caption:
    /// docent's `{figure}` component, checked the same way.
    fn myst_figure(&mut self, name: &str, arg: &str, d: &Directive<'_>, base: usize, start: usize) {
        let input = self.input;
        let Some(env) = input.env else { return };
        let mut yaml = String::new();
        let mut field = |k: &str, v: &str| {
            yaml.push_str(k);
            yaml.push_str(": ");
            yaml.push_str(&serde_json::Value::String(v.to_string()).to_string());
            yaml.push('\n');
        };
        field("src", arg);
        if let Some(alt) = d.option("alt") {
            field("alt", alt);
        }
        let caption = d.body.trim();
        if !caption.is_empty() {
            field("caption", caption);
            if name == "image" {
                // MyST takes no content in an image; nothing is dropped.
                let at = input.body_offset
                    + base
                    + d.body_at
                    + (d.body.len() - d.body.trim_start().len());
                self.rendered.warnings.push(
                    Diagnostic::new(
                        Kind::InvalidValue,
                        "{image} takes no text; it is shown as a caption",
                    )
                    .at_offset(input.shown_path, input.text, at)
                    .hint("use {figure} for an image with a caption, or remove the text"),
                );
            }
        }
        for key in ["width", "height"] {
            let px = d
                .option(key)
                .map(|v| v.trim_end_matches("px").trim())
                .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()));
            if let Some(px) = px {
                yaml.push_str(&format!("{key}: {px}\n"));
            }
        }
        let (fence_line, _) = crate::error::line_col(input.text, input.body_offset + start);
        let block = super::components::Block {
            name: "figure",
            body: &yaml,
            shown_path: input.shown_path,
            file_text: input.text,
            // `src` (the first line) is on the fence's line.
            fence_line: fence_line.saturating_sub(1),
            page_rel: input.rel_path,
            lang: input.lang,
        };
        match self.component(&block, env) {
            Ok(html) => {
                let html = match self.claim_label(d, "figure") {
                    Some(id) => format!("<div id=\"{id}\" class=\"figure-target\">{html}</div>\n"),
                    None => format!("{html}\n"),
                };
                self.out.push(Event::Html(html.into()));
            }
            Err(mut e) => {
                // Errors of the whole block belong on the fence, not above
                // it; one about the image, on the image as written there.
                if e.line + 1 == fence_line {
                    e = e.at(input.shown_path, fence_line, 1, Some(input.text));
                } else if e.line == fence_line {
                    let fence = &self.body[start.min(self.body.len())..];
                    let fence = &fence[..fence.find('\n').unwrap_or(fence.len())];
                    if let Some(at) = fence.find(arg).filter(|_| !arg.is_empty()) {
                        let (path, text) = (input.shown_path, input.text);
                        e = e.at_offset(path, text, input.body_offset + start + at);
                    }
                }
                // The fields are options here: `alt:` is `:alt:`.
                e.hint = e.hint.map(|h| h.replace("`alt:`", "`:alt:`"));
                if name == "image" {
                    e.message = e.message.replacen("{figure}", "{image}", 1).replacen(
                        "figure image",
                        "image",
                        1,
                    );
                }
                self.errors
                    .push(e.note(format!("in a MyST {{{name}}} directive")));
            }
        }
    }
}

/// `word` with its first letter in capitals (a container's name as its
/// title: `solution` → "Solution").
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The class names in `class` (letters, digits, `-` and `_` only), one
/// space apart.
fn class_list(class: &str) -> String {
    class
        .split_whitespace()
        .filter(|c| {
            c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of an ATX heading (`## Title`) that is the first line of
/// `text` with words on it, and where the text after that line starts.
fn first_heading(text: &str) -> Option<(&str, usize)> {
    let lead = text.len() - text.trim_start_matches(['\n', '\r', ' ']).len();
    let line_end = text[lead..].find('\n').map_or(text.len(), |n| lead + n + 1);
    let line = text[lead..line_end].trim();
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) || !line[hashes..].starts_with([' ', '\t']) {
        return None;
    }
    let title = line[hashes..].trim().trim_end_matches('#').trim_end();
    (!title.is_empty()).then_some((title, line_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_on_the_first_line_is_found() {
        assert_eq!(
            first_heading("\n## Tip with Caption ##\nBody."),
            Some(("Tip with Caption", 24))
        );
        assert_eq!(first_heading("# T"), Some(("T", 3)));
        for none in [
            "Body.\n## Later",
            "#hashtag",
            "####### seven",
            "## ",
            "",
            "é",
        ] {
            assert_eq!(first_heading(none), None, "{none}");
        }
    }
}
