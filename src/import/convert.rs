//! One page of an imported project, converted: its front matter (YAML,
//! or Hugo's and Zola's TOML) mapped to docent's keys (the rest under
//! `extra:`); links written for the old tool rewritten to the imported
//! pages; MkDocs admonitions as MyST directives; mdBook includes inlined;
//! Hugo's `figure`, `ref` and `relref` shortcodes converted. Passes keep
//! the body's line count until the last one, so every finding names the
//! line of the original file.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::project::{Project, Tool};
use super::{Finding, Report};
use crate::error::{Error, Result};
use crate::markdown::links::join_relative;

/// What converting a page needs to know of the project.
pub(super) struct Ctx<'a> {
    pub tool: Tool,
    pub src_root: &'a Path,
    pub project: &'a Project,
    /// Every page's path (relative to the content folder) → its new path.
    pub moved: &'a HashMap<String, String>,
    /// The same by lowercased path, for tools whose URLs are lowercase
    /// (Hugo); empty for others.
    pub moved_lower: &'a HashMap<String, String>,
    /// Every page's output path → the page (as the report names it).
    pub page_outs: &'a HashMap<String, String>,
    /// The MyST labels the project's pages define (Jupyter Book).
    pub labels: &'a std::collections::HashSet<String>,
}

/// How deep MkDocs admonitions and mdBook includes may nest.
const MAX_DEPTH: usize = 8;

/// The page at `rel` (relative to the content folder) as the text of the
/// docent page at `new_rel`.
pub(super) fn page(ctx: &Ctx<'_>, rel: &str, new_rel: &str, report: &mut Report) -> Result<String> {
    let path = ctx.project.content_root.join(rel);
    let bytes = std::fs::read(&path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    let shown = shown(ctx, rel);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            report.not_converted.push(Finding {
                file: shown.clone(),
                line: 0,
                what: "not UTF-8: invalid bytes replaced with �".into(),
            });
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    let (front, body, body_line) = split_front_matter(&text, &shown, report);
    let starts_with_heading = body.trim_start().starts_with("# ");
    let fm = front_matter(ctx, rel, new_rel, front, starts_with_heading, report);
    let mut page = Page {
        ctx,
        rel,
        new_rel,
        shown: &shown,
        report,
    };
    let body = page.hugo_refs(body, body_line);
    let body = page.links(&body, body_line);
    let body = page.intersphinx(&body, body_line);
    let body = page.directives(&body, body_line);
    let body = page.lines(&body, body_line, 0);
    let mut out = String::new();
    if !fm.is_empty() {
        out.push_str("---\n");
        out.push_str(&ordered_yaml(fm));
        out.push_str("---\n\n");
    }
    out.push_str(body.trim_start_matches('\n'));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// A path relative to SRC, as findings name it.
fn shown(ctx: &Ctx<'_>, rel: &str) -> String {
    let full = ctx.project.content_root.join(rel);
    full.strip_prefix(ctx.src_root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| rel.to_string())
}

/// Front matter (parsed), the body, and the body's first line number.
fn split_front_matter<'t>(
    text: &'t str,
    shown: &str,
    report: &mut Report,
) -> (Map<String, Value>, &'t str, usize) {
    // Blank lines may come first, and lines may end in CRLF (Zola and
    // Hugo read both).
    let newline = |s: &'t str| s.strip_prefix("\r\n").or_else(|| s.strip_prefix('\n'));
    let lead = text.len() - text.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    for (fence, toml) in [("---", false), ("+++", true)] {
        let Some(rest) = text[lead..].strip_prefix(fence).and_then(newline) else {
            continue;
        };
        // The closing fence: a line that is the fence alone.
        let mut at = 0;
        let mut end = None;
        for line in rest.split_inclusive('\n') {
            if line.trim_end() == fence {
                end = Some(at);
                break;
            }
            at += line.len();
        }
        let Some(end) = end else { break };
        let inner = &rest[..end];
        let after = &rest[end + fence.len()..];
        let body = newline(after).unwrap_or(after);
        let body_line = text[..text.len() - body.len()].matches('\n').count() + 1;
        let parsed = if toml {
            toml::from_str::<toml::Table>(inner)
                .map(|t| super::project::toml_to_json(toml::Value::Table(t)))
                .map_err(|e| e.message().to_string())
        } else {
            crate::yaml::parse_loose(inner)
        };
        return match parsed {
            Ok(Value::Object(m)) => (m, body, body_line),
            Ok(Value::Null) => (Map::new(), body, body_line),
            Ok(_) | Err(_) => {
                let why = parsed.err().unwrap_or_else(|| "not a map of keys".into());
                report.not_converted.push(Finding {
                    file: shown.into(),
                    line: 2,
                    what: format!("front matter could not be read ({why}): left out"),
                });
                (Map::new(), body, body_line)
            }
        };
    }
    (Map::new(), text, 1)
}

/// The keys docent knows, from the page's front matter and the
/// navigation; everything else under `extra:`.
fn front_matter(
    ctx: &Ctx<'_>,
    rel: &str,
    new_rel: &str,
    mut old: Map<String, Value>,
    starts_with_heading: bool,
    report: &mut Report,
) -> Map<String, Value> {
    let mut fm = Map::new();
    let mut extra = match old.remove("extra") {
        Some(Value::Object(m)) => m,
        Some(other) => Map::from_iter([("extra".to_string(), other)]),
        None => Map::new(),
    };
    // A section's landing page takes the section's place in the navigation.
    let section = new_rel
        .strip_suffix("_index.md")
        .map(|d| d.trim_end_matches('/'))
        .and_then(|d| ctx.project.sections.get(d));
    let (nav_weight, nav_title) = match section {
        Some((title, weight)) => (*weight, Some(title.clone())),
        None => ctx
            .project
            .nav
            .get(rel)
            .cloned()
            .map_or((None, None), |(w, t)| (Some(w), t)),
    };
    let mapped = |report: &mut Report, from: &str, to: &str| {
        report.map(format!("front matter `{from}` → `{to}`"));
    };
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let mut aliases: Vec<String> = Vec::new();
    let mut old_urls: Vec<(String, String)> = Vec::new();
    let keys: Vec<String> = old.keys().cloned().collect();
    for key in keys {
        let v = old.remove(&key).unwrap_or(Value::Null);
        let to = match key.as_str() {
            "title" | "description" => text(&v).map(|t| (key.as_str(), Value::String(t))),
            "summary" if !old.contains_key("description") && !fm.contains_key("description") => {
                text(&v).map(|t| ("description", Value::String(t)))
            }
            "date" | "lastmod" | "updated" => date(&v).map(|d| {
                (
                    if key == "date" { "date" } else { "updated" },
                    Value::String(d),
                )
            }),
            "weight" => v.as_i64().map(|w| ("weight", w.into())),
            "draft" => v.as_bool().map(|b| ("draft", b.into())),
            "tags" => terms(&v).map(|t| ("tags", t)),
            "toc" => v.as_bool().map(|b| ("toc", b.into())),
            "hide" => {
                // MkDocs: `hide: [toc, navigation]`.
                let hides_toc = v.as_array().is_some_and(|a| a.iter().any(|x| x == "toc"));
                hides_toc.then_some(("toc", Value::Bool(false)))
            }
            "taxonomies" => {
                // Zola: `[taxonomies] tags = […]`.
                if let Value::Object(m) = &v {
                    for (name, terms_value) in m {
                        if let Some(t) = terms(terms_value) {
                            add_terms(&mut fm, name, t, report);
                            mapped(report, &format!("taxonomies.{name}"), &taxonomy_key(name));
                        }
                    }
                    continue;
                }
                None
            }
            "categories" | "series" | "topics" => {
                if let Some(t) = terms(&v) {
                    add_terms(&mut fm, &key, t, report);
                    mapped(report, &key, &format!("taxonomies.{key}"));
                    continue;
                }
                None
            }
            "aliases" => {
                aliases.extend(terms(&v).into_iter().flat_map(|t| {
                    t.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                }));
                mapped(report, "aliases", "aliases");
                continue;
            }
            // The page's old URL, which the new one does not keep.
            "url" | "path" | "slug" => match v.as_str() {
                Some(s) => {
                    old_urls.push((key.clone(), s.to_string()));
                    extra.insert(key, v);
                    continue;
                }
                None => None,
            },
            _ => None,
        };
        match to {
            Some((name, value)) => {
                if name != key {
                    mapped(report, &key, name);
                }
                fm.insert(name.to_string(), value);
                if key == "hide" {
                    // `hide: [navigation]` has no counterpart: kept.
                    extra.insert(key.clone(), v);
                }
            }
            None => {
                mapped(report, &key, &format!("extra.{key}"));
                extra.insert(key, v);
            }
        }
    }
    // The navigation's title, unless the page has one (or starts with its heading).
    if !fm.contains_key("title")
        && !starts_with_heading
        && let Some(t) = nav_title
    {
        fm.insert("title".into(), t.into());
        report.map("navigation title → `title`");
    }
    if !fm.contains_key("weight")
        && let Some(w) = nav_weight
    {
        fm.insert("weight".into(), w.into());
        report.map("navigation order → `weight`");
    }
    // Old URLs keep working: the tool's own (`page.html`), a custom
    // `url`/`slug`/`path`, and `aliases` (relative ones from the page's
    // section, as Hugo reads them), each an alias unless it is the new URL.
    let (_, new_out) = crate::load::walk::url_for(new_rel);
    let section_dir = rel
        .rsplit_once('/')
        .map_or(String::new(), |(d, _)| format!("{d}/"));
    for (key, value) in &old_urls {
        let value = value.trim();
        let alias = match key.as_str() {
            "slug" => format!("/{section_dir}{}/", value.trim_matches('/')),
            _ if value.starts_with('/') => value.to_string(),
            _ => format!("/{}", value),
        };
        report.map(format!(
            "front matter `{key}` → an alias (the old URL keeps working)"
        ));
        aliases.push(alias);
    }
    for a in &mut aliases {
        if !a.starts_with('/') {
            *a = format!("/{section_dir}{a}");
        }
    }
    if let Some(old) = tool_url(ctx, rel) {
        aliases.push(old);
    }
    aliases.retain(|a| crate::site::alias_out_path(a).is_ok_and(|out| out != new_out));
    aliases.dedup();
    let shown = shown(ctx, rel);
    aliases.retain(|a| keep_alias(ctx, a, &shown, report));
    if !aliases.is_empty() {
        fm.insert(
            "aliases".into(),
            aliases
                .into_iter()
                .map(Value::String)
                .collect::<Vec<_>>()
                .into(),
        );
    }
    if !extra.is_empty() {
        fm.insert("extra".into(), Value::Object(extra));
    }
    fm
}

/// Whether the alias `alias` of the page `shown` can be kept: not when
/// it is another page's URL or an earlier page's alias (reported).
fn keep_alias(ctx: &Ctx<'_>, alias: &str, shown: &str, report: &mut Report) -> bool {
    let Ok(out) = crate::site::alias_out_path(alias) else {
        return false;
    };
    let taken = match ctx.page_outs.get(&out) {
        Some(page) => format!("the URL of {page}"),
        None => match report.aliases.get(&out) {
            Some(page) if page != shown => format!("already an alias of {page}"),
            Some(_) => return false,
            None => {
                report.aliases.insert(out, shown.to_string());
                return true;
            }
        },
    };
    report.not_converted.push(Finding {
        file: shown.to_string(),
        line: 0,
        what: format!("alias `{alias}`: {taken}: left out"),
    });
    false
}

/// The page's URL in the old tool, when docent's differs: mdBook's and
/// Jupyter Book's `chapter.html` (MkDocs' too with `use_directory_urls:
/// false`).
fn tool_url(ctx: &Ctx<'_>, rel: &str) -> Option<String> {
    let html = match ctx.tool {
        Tool::Mdbook | Tool::JupyterBook => true,
        Tool::Mkdocs => !ctx.project.directory_urls,
        Tool::Hugo | Tool::Zola => false,
    };
    if !html {
        return None;
    }
    let stem = rel
        .strip_suffix(".md")
        .or_else(|| rel.strip_suffix(".markdown"))
        .unwrap_or(rel);
    // A README is its folder's index.html only where it became the
    // folder's landing page (no index.md beside it).
    let landing = ctx
        .moved
        .get(rel)
        .is_some_and(|to| to.ends_with("_index.md"));
    let stem = match stem.rsplit_once('/') {
        Some((dir, "README" | "readme")) if landing => format!("{dir}/index"),
        None if landing && matches!(stem, "README" | "readme") => "index".to_string(),
        _ => stem.to_string(),
    };
    Some(format!(
        "/{}",
        crate::url::encode_path(&format!("{stem}.html"))
    ))
}

/// Keys as YAML in docent's order (title first, extra last).
pub(super) fn ordered_yaml(mut map: Map<String, Value>) -> String {
    let order = [
        "title",
        "description",
        "base_url",
        "language",
        "date",
        "updated",
        "weight",
        "draft",
        "toc",
        "tags",
        "taxonomies",
        "aliases",
        "bibliography",
    ];
    let mut out = String::new();
    let mut one = |k: &str, v: Value| {
        let mut single = Map::new();
        single.insert(k.to_string(), v);
        out.push_str(&crate::yaml::to_string(&Value::Object(single)));
    };
    for k in order {
        if let Some(v) = map.remove(k) {
            one(k, v);
        }
    }
    let extra = map.remove("extra");
    for (k, v) in map {
        one(&k, v);
    }
    if let Some(v) = extra {
        one("extra", v);
    }
    out
}

fn taxonomy_key(name: &str) -> String {
    if name == "tags" {
        "tags".into()
    } else {
        format!("taxonomies.{name}")
    }
}

/// Terms of a taxonomy into the front matter (`tags` is docent's own key).
fn add_terms(fm: &mut Map<String, Value>, name: &str, terms: Value, report: &mut Report) {
    if name == "tags" {
        fm.insert("tags".into(), terms);
        return;
    }
    report.taxonomies.insert(name.to_string());
    let entry = fm
        .entry("taxonomies")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(m) = entry {
        m.insert(name.to_string(), terms);
    }
}

/// A list of terms (one term alone is a list of one).
fn terms(v: &Value) -> Option<Value> {
    match v {
        Value::String(s) => Some(Value::Array(vec![s.clone().into()])),
        Value::Array(a) => Some(
            a.iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(Value::String(s.clone())),
                    Value::Number(n) => Some(Value::String(n.to_string())),
                    _ => None,
                })
                .collect::<Vec<Value>>()
                .into(),
        ),
        _ => None,
    }
}

/// A date's day (`2024-03-05T10:00:00Z` → `2024-03-05`), if it is one.
fn date(v: &Value) -> Option<String> {
    let s = v.as_str()?.trim();
    let day = s.get(..10)?;
    crate::date::parse(day).ok().map(|_| day.to_string())
}

/// One page being converted.
struct Page<'a, 'r> {
    ctx: &'a Ctx<'a>,
    rel: &'a str,
    new_rel: &'a str,
    shown: &'a str,
    report: &'r mut Report,
}

/// Lines with their byte offsets.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |at, l| {
        let start = *at;
        *at += l.len();
        Some((start, l))
    })
}

/// Whether a line opens or closes a fenced code block.
fn fence_of(line: &str) -> Option<(char, usize, &str)> {
    let t = line.trim_start();
    let ch = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|c| *c == ch).count();
    (n >= 3).then(|| (ch, n, t[n..].trim()))
}

/// Tracks fenced code blocks line by line.
#[derive(Default)]
struct Code {
    open: Option<(char, usize)>,
}

impl Code {
    /// Whether `line` is code (a fence line counts as code).
    fn line(&mut self, line: &str) -> bool {
        match (self.open, fence_of(line)) {
            (Some((c, n)), Some((c2, n2, rest))) if c == c2 && n2 >= n && rest.is_empty() => {
                self.open = None;
                true
            }
            (Some(_), _) => true,
            (None, Some((c, n, _))) => {
                self.open = Some((c, n));
                true
            }
            (None, None) => false,
        }
    }
}

impl Page<'_, '_> {
    fn finding(&mut self, line: usize, what: impl Into<String>) {
        self.report.not_converted.push(Finding {
            file: self.shown.to_string(),
            line,
            what: what.into(),
        });
    }

    /// Hugo's `{{< ref "page" >}}` and `{{< relref "page" >}}`: the
    /// imported page's relative path.
    fn hugo_refs(&mut self, body: &str, first: usize) -> String {
        if self.ctx.tool != Tool::Hugo || !body.contains("ref ") {
            return body.to_string();
        }
        let mut out = String::with_capacity(body.len());
        for (i, (_, line)) in lines(body).enumerate() {
            let mut rest = line;
            while let Some(open) = rest.find("{{") {
                let Some(close) = rest[open..].find("}}").map(|c| open + c + 2) else {
                    break;
                };
                let inner = rest[open + 2..close - 2].trim_matches(['<', '>', '%', ' ']);
                let target = inner
                    .strip_prefix("relref ")
                    .or_else(|| inner.strip_prefix("ref "))
                    .map(|t| t.trim().trim_matches('"'));
                out.push_str(&rest[..open]);
                match target.map(|t| self.resolve(t, true)) {
                    Some(Target::Page(dest)) => {
                        out.push_str(&dest);
                        self.report.map("Hugo `ref`/`relref` shortcode → link");
                    }
                    Some(_) => {
                        self.finding(
                            first + i,
                            format!("`{}`: no such page in the project", &rest[open..close]),
                        );
                        out.push_str(&rest[open..close]);
                    }
                    None => out.push_str(&rest[open..close]),
                }
                rest = &rest[close..];
            }
            out.push_str(rest);
        }
        out
    }

    /// Links and images written for the old tool (`page.html`, `../other/`,
    /// `/docs/page`, Zola's `@/page.md`) that name an imported page,
    /// rewritten as relative `.md` links; unknown ones reported.
    fn links(&mut self, body: &str, first: usize) -> String {
        use pulldown_cmark::{Event, Parser, Tag};
        let mut spans: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (ev, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
            let (dest, image) = match &ev {
                Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), false),
                Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), true),
                _ => continue,
            };
            let Some(span) = dest_span(body, range.clone()) else {
                // A reference link: its definition is rewritten below.
                continue;
            };
            if !seen.insert(span.start) {
                continue;
            }
            let line = first + body[..span.start].matches('\n').count();
            if let Some(new) = self.rewrite(&dest, image, line) {
                spans.push((span, new));
            }
        }
        // Reference definitions: `[id]: dest`.
        let mut code = Code::default();
        for (at, line) in lines(body) {
            if code.line(line) {
                continue;
            }
            let t = line.trim_start();
            // `[^1]: The note.` defines a footnote, not a link.
            let Some(close) = t
                .strip_prefix('[')
                .filter(|r| !r.starts_with('^'))
                .and_then(|r| r.find("]:"))
            else {
                continue;
            };
            let after = &t[close + 3..];
            let dest = after.split_whitespace().next().unwrap_or("");
            let dest = dest.trim_start_matches('<').trim_end_matches('>');
            if dest.is_empty() {
                continue;
            }
            let start = at + (line.len() - t.len()) + close + 3 + after.find(dest).unwrap_or(0);
            let n = first + body[..at].matches('\n').count();
            if let Some(new) = self.rewrite(dest, false, n) {
                spans.push((start..start + dest.len(), new));
            }
        }
        spans.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
        let mut out = body.to_string();
        for (r, new) in spans {
            out.replace_range(r, &new);
        }
        out
    }

    /// The new destination of a link, if it changes; reports links to
    /// pages that are not there.
    fn rewrite(&mut self, dest: &str, image: bool, line: usize) -> Option<String> {
        match self.resolve(dest, false) {
            Target::Page(new) if !image => (new != dest).then(|| {
                self.report.map("link to a page → relative .md link");
                new
            }),
            Target::File(new) => (new != dest).then(|| {
                self.report.map("link to a file → relative link");
                new
            }),
            // myst-parser's `[](label)`: the build links to the label.
            Target::Missing if !image && self.ctx.labels.contains(dest) => None,
            Target::Missing => {
                let what = if image { "image" } else { "link" };
                self.finding(
                    line,
                    format!("{what} to `{dest}`: no such page or file in the project"),
                );
                None
            }
            _ => None,
        }
    }

    /// What a destination written on this page names.
    fn resolve(&self, dest: &str, bare_ref: bool) -> Target {
        let d = dest.trim();
        let lower = d.to_ascii_lowercase();
        let external = d.is_empty()
            || d.starts_with('#')
            || d.starts_with("//")
            || lower.starts_with("mailto:")
            || (d.split_once(':').is_some_and(|(s, _)| {
                !s.is_empty()
                    && !s.contains('/')
                    && s != "@"
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            }));
        if external {
            return Target::External;
        }
        let cut = d.find(['#', '?']).unwrap_or(d.len());
        let (path, suffix) = d.split_at(cut);
        let path = crate::url::decode(path);
        let page_dir = self.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let base = self.ctx.project.base_path.as_str();
        let joined = if let Some(root) = path.strip_prefix("@/") {
            join_relative("", root)
        } else if let Some(abs) = path.strip_prefix('/') {
            let abs = format!("/{abs}");
            let under = abs
                .strip_prefix(base)
                .unwrap_or(abs.trim_start_matches('/'));
            join_relative("", under)
        } else if !bare_ref && !has_file_extension(&path) && self.ctx.tool != Tool::Mdbook {
            // `../first/`: relative to the page's URL (`posts/second/`),
            // which is a folder deeper than its file, else to its file.
            let url_dir = self.url_dir();
            join_relative(&url_dir, &path)
                .filter(|j| self.page_at(j).is_some())
                .or_else(|| join_relative(page_dir, &path))
        } else {
            // Hugo's ref: relative to the page, else from content/.
            join_relative(page_dir, &path)
                .filter(|j| !bare_ref || self.page_at(j).is_some())
                .or_else(|| bare_ref.then(|| join_relative("", &path)).flatten())
        };
        let Some(joined) = joined else {
            return Target::Missing;
        };
        if let Some(new) = self.page_at(&joined) {
            return Target::Page(format!("{}{suffix}", relative(self.new_rel, new)));
        }
        let file = self.ctx.project.content_root.join(&joined);
        let in_static = self
            .ctx
            .project
            .asset_roots
            .iter()
            .any(|r| r.join(&joined).is_file());
        if (file.is_file() || in_static) && !joined.is_empty() {
            return Target::File(format!("{}{suffix}", relative(self.new_rel, &joined)));
        }
        if path.ends_with('/') || path.is_empty() || joined.is_empty() {
            // A folder of pages without a landing page, or the site's root.
            if joined.is_empty() {
                return Target::Page(format!("{}{suffix}", relative(self.new_rel, "_index.md")));
            }
        }
        Target::Missing
    }

    /// The folder of the page's URL relative to the content folder:
    /// `posts/second` for `posts/second.md`, `posts` for `posts/index.md`.
    fn url_dir(&self) -> String {
        let (dir, name) = self.rel.rsplit_once('/').unwrap_or(("", self.rel));
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        if matches!(stem, "index" | "_index" | "README" | "readme") {
            dir.to_string()
        } else if dir.is_empty() {
            stem.to_string()
        } else {
            format!("{dir}/{stem}")
        }
    }

    /// The new path of the page a written path names, trying the forms
    /// tools link by: `page.md`, `page.html`, `page/`, `page`.
    fn page_at(&self, joined: &str) -> Option<&str> {
        let moved = self.ctx.moved;
        let stem = joined
            .strip_suffix(".md")
            .or_else(|| joined.strip_suffix(".markdown"))
            .or_else(|| joined.strip_suffix(".html"))
            .or_else(|| joined.strip_suffix(".htm"))
            .unwrap_or(joined)
            .trim_end_matches('/');
        let stem = stem.strip_suffix("/index").unwrap_or(stem);
        let stem = if stem == "index" { "" } else { stem };
        let dir = if stem.is_empty() {
            String::new()
        } else {
            format!("{stem}/")
        };
        let candidates = [
            format!("{stem}.md"),
            format!("{stem}.markdown"),
            format!("{dir}index.md"),
            format!("{dir}_index.md"),
            format!("{dir}README.md"),
            format!("{dir}readme.md"),
        ];
        let trimmed = || candidates.iter().map(|c| c.trim_start_matches('/'));
        trimmed()
            .find_map(|c| moved.get(c))
            .or_else(|| {
                let lower = self.ctx.moved_lower;
                (!lower.is_empty())
                    .then(|| trimmed().find_map(|c| lower.get(&c.to_lowercase())))
                    .flatten()
            })
            .map(String::as_str)
    }

    /// `{doc}`name:page`` (Sphinx's intersphinx: a page of another
    /// project named in `intersphinx_mapping`) as a Markdown link to that
    /// page (`https://…/page.html`), shown as its text or its name; a
    /// project the mapping lacks is reported. Roles in code stay.
    fn intersphinx(&mut self, body: &str, first: usize) -> String {
        if !body.contains("{doc}`") {
            return body.to_string();
        }
        let mut out = String::with_capacity(body.len());
        for (i, (line, code)) in crate::myst::lines_with_code(body).into_iter().enumerate() {
            if code || !line.contains("{doc}`") {
                out.push_str(line);
                continue;
            }
            let rewritten = crate::myst::rewrite_roles(line, &mut |role, content| {
                if role != "doc" {
                    return None;
                }
                let (text, target) = crate::myst::role_target(content);
                let (project, path) = target.split_once(':')?;
                let Some(base) = self.ctx.project.intersphinx.get(project) else {
                    self.finding(
                        first + i,
                        format!("{{doc}} `{target}`: `{project}` is not in intersphinx_mapping"),
                    );
                    return None;
                };
                let path = path.trim_start_matches('/');
                let shown = text.unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path));
                let url = format!("{base}{path}.html");
                let url = if url.contains([' ', '(', ')', '<']) {
                    format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
                } else {
                    url
                };
                self.report
                    .map("{doc} to another Sphinx project (intersphinx) → a link to its page");
                Some(format!("[{}]({url})", crate::myst::escape_markdown(shown)))
            });
            out.push_str(&rewritten);
        }
        out
    }

    /// MyST directives docent does not render: their fences blanked (the
    /// content stays, as Markdown), or the whole block for what docent
    /// does itself (`{bibliography}`, `{tableofcontents}`, `{toctree}`).
    fn directives(&mut self, body: &str, first: usize) -> String {
        if !body.contains("{") {
            return body.to_string();
        }
        let blocks = crate::myst::directive_blocks(body);
        if blocks.is_empty() {
            return body.to_string();
        }
        let mut blank: Vec<std::ops::Range<usize>> = Vec::new();
        // mystmd's `{myst}` demos: their source is shown as it is, so what
        // is inside them is not converted.
        let demos: Vec<std::ops::Range<usize>> = blocks
            .iter()
            .filter(|b| b.name == "myst")
            .map(|b| b.open.start..b.close.end)
            .collect();
        let mut fences: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        let gated = self.gated(body, &blocks, &demos, &mut fences);
        for b in blocks {
            let inside_demo = demos
                .iter()
                .any(|d| d.start < b.open.start && b.close.end <= d.end);
            if gated.contains(&b.open.start) {
                continue;
            }
            let known = crate::myst::renders_directive(&b.name)
                || crate::markdown::components::BUILT_IN.contains(&b.name.as_str());
            if known || inside_demo {
                continue;
            }
            let line = first + body[..b.open.start].matches('\n').count();
            match b.name.as_str() {
                "myst" => {
                    let fence = fence_for('`', &body[b.open.end..b.close.start]);
                    fences.push((b.open.clone(), format!("{fence}markdown\n")));
                    fences.push((b.close.clone(), format!("{fence}\n")));
                    self.report
                        .map("{myst} demo → its source as a Markdown code block");
                }
                "include" => {
                    let inner = &body[b.open.end..b.close.start];
                    let head = &body[b.open.clone()];
                    let arg = head.split_once('}').map_or("", |(_, a)| a.trim());
                    match self.myst_include(arg, inner, line) {
                        Ok(text) => {
                            fences.push((b.open.start..b.close.end, text));
                            self.report.map("{include} → the file's text");
                        }
                        Err(why) => {
                            self.finding(line, format!("{{include}} {arg}: {why}"));
                            blank.push(b.open.start..b.close.end);
                        }
                    }
                }
                "bibliography" | "tableofcontents" | "toctree" | "contents" => {
                    self.report.map(format!(
                        "{{{}}} directive → left out (docent makes it)",
                        b.name
                    ));
                    blank.push(b.open.start..b.close.end);
                }
                _ => {
                    self.finding(
                        line,
                        format!(
                            "directive {{{}}}: its content kept as plain Markdown",
                            b.name
                        ),
                    );
                    blank.push(b.open.clone());
                    blank.push(b.close.clone());
                }
            }
        }
        let mut out = body.to_string();
        let mut edits: Vec<(std::ops::Range<usize>, String)> = blank
            .into_iter()
            .map(|r| {
                let newlines = body[r.clone()].matches('\n').count();
                (r, "\n".repeat(newlines))
            })
            .chain(fences)
            .collect();
        edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
        for (r, text) in edits {
            out.replace_range(r, &text);
        }
        out
    }

    /// sphinx-exercise's gated pairs (```` ```{exercise-start} ```` … an
    /// `{exercise-end}` block, so code cells can sit between them), each
    /// as one colon-fenced `{exercise}` or `{solution}` holding what is
    /// between, with the start's argument and options. Pushes the edits to
    /// `fences`; returns where the blocks it converted open.
    fn gated(
        &mut self,
        body: &str,
        blocks: &[crate::myst::DirectiveBlock],
        demos: &[std::ops::Range<usize>],
        fences: &mut Vec<(std::ops::Range<usize>, String)>,
    ) -> Vec<usize> {
        let mut gates: Vec<&crate::myst::DirectiveBlock> = blocks
            .iter()
            .filter(|b| {
                matches!(
                    b.name.as_str(),
                    "exercise-start" | "exercise-end" | "solution-start" | "solution-end"
                )
            })
            .filter(|b| {
                !demos
                    .iter()
                    .any(|d| d.start < b.open.start && b.close.end <= d.end)
            })
            .collect();
        gates.sort_by_key(|b| b.open.start);
        let mut converted = Vec::new();
        let mut open: Vec<&crate::myst::DirectiveBlock> = Vec::new();
        for b in gates {
            let Some((kind, end)) = b.name.split_once('-') else {
                continue;
            };
            if end == "start" {
                open.push(b);
                continue;
            }
            let Some(at) = open.iter().rposition(|s| s.name.starts_with(kind)) else {
                continue;
            };
            let start = open.remove(at);
            let inner = &body[start.close.end..b.open.start];
            let fence = fence_for(':', inner);
            let head = &body[start.open.clone()];
            let arg = head.split_once('}').map_or("", |(_, a)| a.trim());
            let arg = if arg.is_empty() {
                String::new()
            } else {
                format!(" {arg}")
            };
            let options = &body[start.open.end..start.close.start];
            fences.push((
                start.open.start..start.close.end,
                format!("{fence}{{{kind}}}{arg}\n{options}"),
            ));
            fences.push((b.open.start..b.close.end, format!("{fence}\n")));
            self.report
                .map(format!("{{{kind}-start}} … {{{kind}-end}} → {{{kind}}}"));
            converted.extend([start.open.start, b.open.start]);
        }
        converted
    }

    /// The line-by-line conversions: mdBook includes, MkDocs admonitions,
    /// Hugo's figure shortcode; other shortcodes are reported.
    fn lines(&mut self, body: &str, first: usize, depth: usize) -> String {
        let all: Vec<&str> = body.split_inclusive('\n').collect();
        let mut out = String::with_capacity(body.len());
        let mut code = Code::default();
        let mut i = 0;
        while i < all.len() {
            let line = all[i];
            let n = first + i;
            if self.ctx.tool == Tool::Mdbook && line.contains("{{#") {
                // Includes are expanded in code blocks too (where they
                // usually are); the line still counts for fence tracking.
                let expanded = self.includes(line, n, depth);
                code.line(line);
                out.push_str(&expanded);
                i += 1;
                continue;
            }
            if code.line(line) {
                out.push_str(line);
                i += 1;
                continue;
            }
            if let Some(adm) = admonition(line) {
                let (end, converted) = self.admonition(&all, i, &adm, first, depth);
                out.push_str(&converted);
                i = end;
                continue;
            }
            if self.ctx.tool == Tool::Hugo
                && let Some(inner) = shortcode_inner(line).and_then(|i| i.strip_prefix("details"))
                && inner.starts_with(char::is_whitespace)
                && let Some(len) = all[i + 1..]
                    .iter()
                    .position(|l| shortcode_call(l, "/details").is_some())
            {
                let args = shortcode_args(inner);
                let summary = args
                    .iter()
                    .find(|(k, _)| k == "summary")
                    .map_or("Details", |(_, v)| v.as_str());
                out.push_str(&dropdown(summary, &all[i + 1..i + 1 + len]));
                self.report.map("Hugo details shortcode → MyST dropdown");
                i += len + 2;
                continue;
            }
            if self.ctx.tool == Tool::Hugo
                && let Some(lang) = shortcode_call(line, "highlight")
                && let Some(len) = all[i + 1..]
                    .iter()
                    .position(|l| shortcode_call(l, "/highlight").is_some())
            {
                out.push_str(&code_block(lang, &all[i + 1..i + 1 + len]));
                self.report.map("Hugo highlight shortcode → code block");
                i += len + 2;
                continue;
            }
            if line.contains("{{") || line.contains("{%") {
                out.push_str(&self.shortcodes(line, n));
                i += 1;
                continue;
            }
            if self.ctx.tool == Tool::Mkdocs
                && line.contains(" markdown")
                && let Some(cleaned) = crate::markdown::sanitize::without_markdown_attr(line)
            {
                self.report
                    .map("`markdown` attribute of an HTML tag (md_in_html) → left out");
                out.push_str(&cleaned);
                i += 1;
                continue;
            }
            out.push_str(line);
            i += 1;
        }
        out
    }

    /// A MkDocs admonition at line `i` and its indented body, as a MyST
    /// colon directive: (the next line's index, the converted text).
    fn admonition(
        &mut self,
        all: &[&str],
        i: usize,
        adm: &Admonition,
        first: usize,
        depth: usize,
    ) -> (usize, String) {
        let body_indent = adm.indent + 4;
        let mut end = i + 1;
        while end < all.len() {
            let l = all[end];
            let blank = l.trim().is_empty();
            let indent = l.len() - l.trim_start_matches(' ').len();
            if !blank && indent < body_indent && !l.starts_with('\t') {
                break;
            }
            end += 1;
        }
        // Trailing blank lines stay outside.
        while end > i + 1 && all[end - 1].trim().is_empty() {
            end -= 1;
        }
        let inner: String = all[i + 1..end]
            .iter()
            .map(|l| {
                let l = l
                    .strip_prefix('\t')
                    .map(|r| format!("{}{r}", " ".repeat(4)))
                    .unwrap_or_else(|| l.to_string());
                l.get(body_indent.min(l.len() - l.trim_start_matches(' ').len())..)
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        let inner = if depth < MAX_DEPTH {
            self.lines(&inner, first + i + 1, depth + 1)
        } else {
            inner
        };
        let colons = inner
            .lines()
            .map(|l| l.trim_start().bytes().take_while(|&b| b == b':').count())
            .filter(|&n| n >= 3)
            .max()
            .map_or(3, |n| n + 1);
        let fence = ":".repeat(colons);
        let pad = " ".repeat(adm.indent);
        let (kind, known) = mkdocs_kind(&adm.kind);
        let mut classes = Vec::new();
        let open = match (&adm.title, known) {
            (Some(t), _) if !t.is_empty() => {
                classes.push(kind);
                format!("{pad}{fence}{{admonition}} {t}\n")
            }
            (None, false) => {
                classes.push(kind);
                format!("{pad}{fence}{{admonition}} {}\n", capitalize(&adm.kind))
            }
            _ => format!("{pad}{fence}{{{kind}}}\n"),
        };
        if adm.collapsible {
            classes.push("dropdown");
        }
        let mut out = open;
        if !classes.is_empty() {
            out.push_str(&format!("{pad}:class: {}\n\n", classes.join(" ")));
        }
        for l in inner.split_inclusive('\n') {
            if l.trim().is_empty() {
                out.push('\n');
            } else {
                out.push_str(&pad);
                out.push_str(l);
            }
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!("{pad}{fence}\n"));
        self.report.map(if adm.collapsible {
            "MkDocs collapsible admonition (???) → MyST dropdown"
        } else {
            "MkDocs admonition (!!!) → MyST directive"
        });
        (end, out)
    }

    /// Hugo's `{{< figure >}}` as a MyST figure; other shortcodes (Hugo's
    /// `{{< >}}`, `{{% %}}`, Zola's `{{ name() }}`, `{% name() %}`) are
    /// reported and left as written.
    fn shortcodes(&mut self, line: &str, n: usize) -> String {
        if self.ctx.tool == Tool::Hugo
            && let Some(link) = video_link(line)
        {
            self.report
                .map("Hugo youtube/vimeo shortcode → link to the video");
            return link;
        }
        let t = line.trim();
        if self.ctx.tool == Tool::Hugo
            && let Some(inner) = t
                .strip_prefix("{{<")
                .and_then(|r| r.strip_suffix(">}}"))
                .map(str::trim)
            && let Some(args) = inner.strip_prefix("figure ")
        {
            let attrs = shortcode_args(args);
            let get = |k: &str| {
                attrs
                    .iter()
                    .find(|(key, _)| key == k)
                    .map(|(_, v)| v.clone())
            };
            if let Some(src) = get("src") {
                let src = match self.resolve(&src, false) {
                    Target::File(p) => p,
                    _ => src,
                };
                let mut out = format!("```{{figure}} {src}\n");
                let alt = get("alt").or_else(|| get("title"));
                match &alt {
                    Some(alt) => out.push_str(&format!(":alt: {alt}\n")),
                    None => self.finding(n, "figure shortcode without alt text: add :alt:"),
                }
                if let Some(w) = get("width") {
                    out.push_str(&format!(":width: {w}\n"));
                }
                if let Some(c) = get("caption") {
                    out.push_str(&format!("\n{c}\n"));
                }
                out.push_str("```\n");
                self.report.map("Hugo figure shortcode → MyST figure");
                return out;
            }
        }
        let mut rest = line;
        let mut found = Vec::new();
        while let Some(open) = rest.find(['{']) {
            let tail = &rest[open..];
            let close = if tail.starts_with("{{<")
                || tail.starts_with("{{%")
                || tail.starts_with("{{ ")
                || tail.starts_with("{{")
            {
                tail.find("}}").map(|c| c + 2)
            } else if tail.starts_with("{%") {
                tail.find("%}").map(|c| c + 2)
            } else {
                None
            };
            match close {
                Some(c) => {
                    let code = &tail[..c];
                    let is_shortcode = match self.ctx.tool {
                        Tool::Hugo => code.starts_with("{{<") || code.starts_with("{{%"),
                        Tool::Zola => code.contains('('),
                        _ => {
                            code.starts_with("{{<")
                                || code.starts_with("{{%")
                                || code.starts_with("{%")
                        }
                    };
                    if is_shortcode {
                        found.push(code.to_string());
                    }
                    rest = &tail[c..];
                }
                None => rest = &tail[1..],
            }
        }
        for code in found {
            self.finding(n, format!("shortcode `{code}`: left as text"));
        }
        line.to_string()
    }

    /// mdBook's `{{#include file}}`, `{{#include file:anchor}}`,
    /// `{{#include file:10:20}}` (and `rustdoc_include`): the file's text
    /// (read only inside the project); `{{#title}}` and others are reported.
    fn includes(&mut self, line: &str, n: usize, depth: usize) -> String {
        let mut out = String::new();
        let mut rest = line;
        while let Some(open) = rest.find("{{#") {
            let Some(close) = rest[open..].find("}}").map(|c| open + c) else {
                break;
            };
            out.push_str(&rest[..open]);
            let inner = rest[open + 3..close].trim();
            let (cmd, arg) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
            match cmd {
                "include" | "rustdoc_include" if depth < MAX_DEPTH => {
                    match self.include(arg.trim()) {
                        Ok(text) => {
                            out.push_str(text.strip_suffix('\n').unwrap_or(&text));
                            self.report.map("mdBook {{#include}} → the file's text");
                        }
                        Err(why) => {
                            self.finding(n, format!("`{{{{#{inner}}}}}`: {why}"));
                            out.push_str(&rest[open..close + 2]);
                        }
                    }
                }
                _ => {
                    self.finding(n, format!("`{{{{#{inner}}}}}`: not converted"));
                    out.push_str(&rest[open..close + 2]);
                }
            }
            rest = &rest[close + 2..];
        }
        out.push_str(rest);
        out
    }

    /// The text of the file at `path`, relative to the page (or, with a
    /// leading `/` when `rooted`, to the content folder); never a file
    /// outside the project.
    fn read_beside(&self, path: &str, rooted: bool) -> std::result::Result<String, String> {
        let root = &self.ctx.project.content_root;
        let file = match path.strip_prefix('/').filter(|_| rooted) {
            Some(from_root) => root.join(from_root),
            None => {
                let page = root.join(self.rel);
                page.parent().unwrap_or(root).join(path)
            }
        };
        let file = file.canonicalize().map_err(|_| format!("no file {path}"))?;
        if !file.starts_with(self.ctx.src_root) {
            return Err(format!("{path} is outside the project (not read)"));
        }
        std::fs::read_to_string(&file).map_err(|e| format!("cannot read {path}: {e}"))
    }

    /// The text a MyST (docutils) `{include} path` block stands for, with
    /// its options (`inner`) applied: `:start-line:`, `:end-line:`,
    /// `:start-after:`, `:end-before:`, and `:literal:` or `:code: lang`
    /// (a code block). `Err` says why it is not.
    fn myst_include(
        &mut self,
        path: &str,
        inner: &str,
        line: usize,
    ) -> std::result::Result<String, String> {
        let text = self
            .read_beside(path, true)
            .map_err(|_| "no such file in the project (not read)".to_string())?;
        let d = crate::myst::Directive::parse(inner);
        let mut text: &str = &text;
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let number = |key: &str| d.option(key).and_then(|v| v.trim().parse::<usize>().ok());
        let sliced;
        if number("start-line").is_some() || number("end-line").is_some() {
            let from = number("start-line").unwrap_or(0).min(lines.len());
            let to = number("end-line")
                .unwrap_or(lines.len())
                .clamp(from, lines.len());
            sliced = lines[from..to].concat();
            text = &sliced;
        }
        if let Some(marker) = d.option("start-after").filter(|m| !m.is_empty()) {
            let at = text
                .find(marker)
                .ok_or(format!("no `{marker}` in {path}"))?;
            text = &text[at + marker.len()..];
        }
        if let Some(marker) = d.option("end-before").filter(|m| !m.is_empty()) {
            let at = text
                .find(marker)
                .ok_or(format!("no `{marker}` in {path}"))?;
            text = &text[..at];
        }
        let known = [
            "start-line",
            "end-line",
            "start-after",
            "end-before",
            "literal",
            "code",
        ];
        for (key, _, _) in d.options.iter().filter(|o| !known.contains(&o.0)) {
            self.finding(
                line,
                format!("option `:{key}:` of {{include}} {path} not read"),
            );
        }
        let code = d.option("code");
        if code.is_some() || d.options.iter().any(|o| o.0 == "literal") {
            let body = text.trim_matches('\n');
            let lang = code.unwrap_or("").trim();
            return Ok(fenced('`', lang, &[body]));
        }
        let text = text.trim_end_matches('\n');
        Ok(format!("{text}\n"))
    }

    /// The text an include names: `path`, `path:anchor`, `path:a:b`.
    fn include(&self, arg: &str) -> std::result::Result<String, String> {
        let mut parts = arg.splitn(2, ':');
        let path = parts.next().unwrap_or("");
        let spec = parts.next();
        let text = self.read_beside(path, false)?;
        let all: Vec<&str> = text.lines().collect();
        let Some(spec) = spec.filter(|s| !s.is_empty()) else {
            return Ok(text);
        };
        let numbers: Vec<&str> = spec.split(':').collect();
        let is_num = |s: &str| s.is_empty() || s.bytes().all(|b| b.is_ascii_digit());
        if numbers.iter().all(|s| is_num(s)) {
            let from = numbers[0].parse::<usize>().unwrap_or(1).max(1);
            let to = numbers
                .get(1)
                .and_then(|s| s.parse::<usize>().ok())
                .unwrap_or(if numbers.len() == 1 { from } else { all.len() });
            let picked = all.get(from - 1..to.min(all.len())).unwrap_or(&[]);
            return Ok(picked.join("\n"));
        }
        // An anchor: between `ANCHOR: name` and `ANCHOR_END: name`.
        let start = all
            .iter()
            .position(|l| anchor_name(l, "ANCHOR:") == Some(spec))
            .ok_or_else(|| format!("no anchor `{spec}` in {path}"))?;
        let end = all[start + 1..]
            .iter()
            .position(|l| anchor_name(l, "ANCHOR_END:") == Some(spec))
            .map_or(all.len(), |e| start + 1 + e);
        Ok(all[start + 1..end]
            .iter()
            .filter(|l| {
                anchor_name(l, "ANCHOR:").is_none() && anchor_name(l, "ANCHOR_END:").is_none()
            })
            .copied()
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

/// Whether the last segment of a path has an extension (`a.html`, not `a/`).
fn has_file_extension(path: &str) -> bool {
    let last = path.trim_end_matches('/');
    !path.ends_with('/')
        && last
            .rsplit('/')
            .next()
            .is_some_and(|n| n.contains('.') && !n.starts_with('.'))
}

/// The anchor a comment line names (`// ANCHOR: main` → `main`).
fn anchor_name<'l>(line: &'l str, marker: &str) -> Option<&'l str> {
    let at = line.find(marker)?;
    line[at + marker.len()..]
        .split_whitespace()
        .next()
        .map(|n| n.trim_end_matches(['*', '/', '-', '>']))
}

/// What a destination names.
enum Target {
    External,
    /// An imported page: the relative `.md` path to it.
    Page(String),
    /// A file of the project: the relative path to it.
    File(String),
    Missing,
}

/// The relative path from the page at `from` to `to` (both relative to
/// content/).
fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>();
    let from_dir = &from_dir[..from_dir.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dir.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    crate::url::encode_path(&out)
}

/// A MkDocs admonition's first line.
struct Admonition {
    indent: usize,
    kind: String,
    title: Option<String>,
    collapsible: bool,
}

fn admonition(line: &str) -> Option<Admonition> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let t = line.trim();
    let (collapsible, rest) = if let Some(r) = t.strip_prefix("!!!") {
        (false, r)
    } else if let Some(r) = t.strip_prefix("???+") {
        (true, r)
    } else {
        (true, t.strip_prefix("???")?)
    };
    let rest = rest.trim();
    let (kind, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    // `!!! note inline end "Title"`: the words before the title are classes.
    let kind = kind.trim();
    if kind.is_empty()
        || !kind
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let title = after.find('"').and_then(|q| {
        after[q + 1..]
            .rfind('"')
            .map(|e| after[q + 1..q + 1 + e].to_string())
    });
    Some(Admonition {
        indent,
        kind: kind.to_lowercase(),
        title,
        collapsible,
    })
}

/// A MkDocs (Material) admonition type as a MyST one, and whether MyST
/// has a directive of that very name.
fn mkdocs_kind(kind: &str) -> (&'static str, bool) {
    match kind {
        "note" => ("note", true),
        "tip" => ("tip", true),
        "hint" => ("hint", true),
        "important" => ("important", true),
        "warning" => ("warning", true),
        "caution" => ("caution", true),
        "danger" => ("danger", true),
        "error" => ("error", true),
        "attention" => ("attention", true),
        "seealso" => ("seealso", true),
        "success" | "check" | "done" => ("tip", false),
        "failure" | "fail" | "missing" | "bug" => ("caution", false),
        _ => ("note", false),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// What is inside a Hugo shortcode call that is the whole of `line`
/// (`{{< name args >}}` or `{{% name args %}}`), trimmed.
fn shortcode_inner(line: &str) -> Option<&str> {
    let t = line.trim();
    t.strip_prefix("{{<")
        .and_then(|r| r.strip_suffix(">}}"))
        .or_else(|| t.strip_prefix("{{%").and_then(|r| r.strip_suffix("%}}")))
        .map(str::trim)
}

/// Hugo's `{{< youtube ID >}}` or `{{< vimeo ID >}}` (also `id=`, with
/// `title=`) alone on a line, as a Markdown link to the video (a player
/// would load another site's frame, script and cookies).
fn video_link(line: &str) -> Option<String> {
    let inner = shortcode_inner(line)?;
    let (site, args) = inner
        .strip_prefix("youtube")
        .map(|a| ("YouTube", a))
        .or_else(|| inner.strip_prefix("vimeo").map(|a| ("Vimeo", a)))?;
    if !args.starts_with(char::is_whitespace) {
        return None;
    }
    let named = shortcode_args(args);
    let get = |k: &str| {
        named
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let id = get("id").or_else(|| {
        args.split_whitespace()
            .next()
            .filter(|a| !a.contains('='))
            .map(|a| a.trim_matches('"'))
    })?;
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return None;
    }
    let url = match site {
        "YouTube" => format!("https://www.youtube.com/watch?v={id}"),
        _ => format!("https://vimeo.com/{id}"),
    };
    let text = match get("title").filter(|t| !t.trim().is_empty()) {
        Some(title) => format!(
            "{} (video on {site})",
            title
                .trim()
                .replace('\\', "\\\\")
                .replace('[', "\\[")
                .replace(']', "\\]")
        ),
        None => format!("Video on {site}"),
    };
    Some(format!("[{text}]({url})\n"))
}

/// `lines` as a MyST dropdown titled `summary`.
fn dropdown(summary: &str, lines: &[&str]) -> String {
    fenced(':', &format!("{{dropdown}} {}", summary.trim()), lines)
}

/// The first argument of the Hugo shortcode `name` when `line` is a call
/// of it alone (`{{< name arg … >}}` or `{{% name arg … %}}`), quotes
/// removed; `""` when it has none.
fn shortcode_call<'l>(line: &'l str, name: &str) -> Option<&'l str> {
    let inner = shortcode_inner(line)?;
    let args = inner.strip_prefix(name)?;
    if !(args.is_empty() || args.starts_with(char::is_whitespace)) {
        return None;
    }
    let first = args.split_whitespace().next().unwrap_or("");
    Some(first.trim_matches('"'))
}

/// `lines` as a fenced code block in `lang`.
fn code_block(lang: &str, lines: &[&str]) -> String {
    let lang: String = lang
        .chars()
        .filter(|c| c.is_alphanumeric() || "+-_.#".contains(*c))
        .collect();
    fenced('`', &lang, lines)
}

/// A fence of `ch` long enough that nothing in `text` closes it: one
/// more than its longest run of `ch` (three at least).
fn fence_for(ch: char, text: &str) -> String {
    let longest = text.split(|c| c != ch).map(str::len).max().unwrap_or(0);
    ch.to_string().repeat(longest.max(2) + 1)
}

/// `lines` between fences of `ch` (see [`fence_for`]), `info` after the
/// opening one.
fn fenced(ch: char, info: &str, lines: &[&str]) -> String {
    let body = lines.concat();
    let fence = fence_for(ch, &body);
    let newline = if body.is_empty() || body.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    format!("{fence}{info}\n{body}{newline}{fence}\n")
}

/// `src="a.png" alt="An image"` → pairs.
fn shortcode_args(args: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = args.trim();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            match q.find('"') {
                Some(e) => (q[..e].to_string(), &q[e + 1..]),
                None => (q.to_string(), ""),
            }
        } else {
            let e = after.find(char::is_whitespace).unwrap_or(after.len());
            (after[..e].to_string(), &after[e..])
        };
        out.push((key, value));
        rest = next.trim_start();
    }
    out
}

/// Where a link's destination is written within its source `range`
/// (`[text](dest "title")`), if it is an inline link.
fn dest_span(body: &str, range: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let src = body.get(range.clone())?;
    // The last `](` at bracket depth 0 would be better; the first after
    // the text is right for all but links inside link text.
    let open = src.rfind("](")?;
    let after = &src[open + 2..];
    let lead = after.len() - after.trim_start().len();
    let after_ws = &after[lead..];
    let (skip, len) = if let Some(inner) = after_ws.strip_prefix('<') {
        (1, inner.find('>')?)
    } else {
        (
            0,
            after_ws
                .find(|c: char| c.is_whitespace() || c == ')')
                .unwrap_or(after_ws.len()),
        )
    };
    let start = range.start + open + 2 + lead + skip;
    Some(start..start + len)
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn relative_paths_between_pages() {
        assert_eq!(relative("a/b.md", "a/c.md"), "c.md");
        assert_eq!(relative("a/b.md", "d/e.md"), "../d/e.md");
        assert_eq!(relative("b.md", "d/_index.md"), "d/_index.md");
        assert_eq!(relative("a/b/c.md", "_index.md"), "../../_index.md");
    }

    #[test]
    fn admonition_lines() {
        let a = admonition("!!! warning \"Read this\"").unwrap();
        assert_eq!(
            (a.kind.as_str(), a.title.as_deref(), a.collapsible),
            ("warning", Some("Read this"), false)
        );
        let a = admonition("  ???+ tip").unwrap();
        assert_eq!((a.indent, a.title, a.collapsible), (2, None, true));
        assert!(admonition("!!!").is_none());
        assert!(admonition("!!! no+te \"T\"").is_none());
        assert!(admonition("Plain text").is_none());
    }

    #[test]
    fn shortcode_calls_are_matched_by_whole_name() {
        assert_eq!(
            shortcode_call("{{< highlight go >}}\n", "highlight"),
            Some("go")
        );
        assert_eq!(
            shortcode_call("{{%highlight \"js\" %}}", "highlight"),
            Some("js")
        );
        assert_eq!(
            shortcode_call("  {{< /highlight >}}", "/highlight"),
            Some("")
        );
        assert_eq!(shortcode_call("{{< highlighter go >}}", "highlight"), None);
        assert_eq!(
            shortcode_call("text {{< highlight go >}}", "highlight"),
            None
        );
        assert_eq!(
            code_block("go", &["a ``` b\n", "c"]),
            "````go\na ``` b\nc\n````\n"
        );
    }

    #[test]
    fn shortcode_arguments() {
        assert_eq!(
            shortcode_args(r#"src="a b.png" alt="An image" width=300"#),
            [
                ("src".to_string(), "a b.png".to_string()),
                ("alt".into(), "An image".into()),
                ("width".into(), "300".into())
            ]
        );
    }

    #[test]
    fn destinations_are_found_where_written() {
        let body = "See [the page](other.html \"T\") and ![x](<a b.png>).";
        let r = body.find("[the").unwrap()..body.find(" and").unwrap();
        assert_eq!(&body[dest_span(body, r).unwrap()], "other.html");
        let r = body.find("![x]").unwrap()..body.len() - 1;
        assert_eq!(&body[dest_span(body, r).unwrap()], "a b.png");
    }
}
