//! `docent check`: load and render the site without writing, then report
//! what a careful editor would want to know, each with file:line:col —
//! broken links and anchors, missing images, heading structure, citations,
//! review dates and reading level.

pub mod readability;
mod terms;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use crate::error::{Diagnostic, Error, Kind};
use crate::site::{Page, Site};
use crate::{BuildOptions, RenderedSite, write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding.
#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    /// Stable name of the check (`broken-link`, `readability`, …).
    pub check: &'static str,
    pub diagnostic: Diagnostic,
}

/// Readability figures of one page.
#[derive(Debug, Clone, Serialize)]
pub struct PageFigures {
    pub path: String,
    pub url: String,
    #[serde(flatten)]
    pub figures: readability::Figures,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub pages: Vec<PageFigures>,
}

impl Report {
    pub fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }

    /// Exit code: 1 on errors, or on warnings with `strict`.
    pub fn exit_code(&self, strict: bool) -> i32 {
        let bad = self.count(Severity::Error) > 0 || (strict && self.count(Severity::Warning) > 0);
        i32::from(bad)
    }

    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for f in &self.findings {
            s.push_str(&f.diagnostic.render(f.severity.label()));
            s.push('\n');
        }
        s.push_str(&format!(
            "Checked {} page{}: {} error{}, {} warning{}, {} info\n",
            self.pages.len(),
            plural(self.pages.len()),
            self.count(Severity::Error),
            plural(self.count(Severity::Error)),
            self.count(Severity::Warning),
            plural(self.count(Severity::Warning)),
            self.count(Severity::Info),
        ));
        s
    }

    pub fn to_json(&self) -> String {
        let findings: Vec<serde_json::Value> = self
            .findings
            .iter()
            .map(|f| {
                let d = &f.diagnostic;
                serde_json::json!({
                    "severity": f.severity,
                    "check": f.check,
                    "message": d.message,
                    "path": d.path.as_ref().map(|p| p.display().to_string()),
                    "line": d.line,
                    "column": d.column,
                    "hint": d.hint,
                })
            })
            .collect();
        let out = serde_json::json!({
            "findings": findings,
            "pages": self.pages,
            "summary": {
                "errors": self.count(Severity::Error),
                "warnings": self.count(Severity::Warning),
                "infos": self.count(Severity::Info),
            },
        });
        serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Words above which a page without a table of contents gets a warning.
pub const LONG_PAGE_WORDS: usize = 600;

/// Run every check. Build errors become error findings.
pub fn run(opts: &BuildOptions) -> Report {
    let mut opts = opts.clone();
    opts.analyze = true;
    // Review dates are findings here, not a reason to stop rendering.
    opts.strict = false;
    let rendered = match crate::render_site(&opts) {
        Ok(r) => r,
        Err(Error::Build(diags)) => {
            return Report {
                findings: diags
                    .into_iter()
                    .map(|d| Finding {
                        severity: Severity::Error,
                        check: kind_name(d.kind),
                        diagnostic: d,
                    })
                    .collect(),
                pages: Vec::new(),
            };
        }
        Err(e) => {
            return Report {
                findings: vec![Finding {
                    severity: Severity::Error,
                    check: "io",
                    diagnostic: Diagnostic::new(Kind::Io, e.to_string()),
                }],
                pages: Vec::new(),
            };
        }
    };
    inspect(&rendered)
}

/// The first code point of the site file `shown` that an HTML page may not
/// hold (a control character or a noncharacter), which the build shows as
/// spaces: a warning at it, with how many the file has.
fn invisible_character(root: &Path, shown: &Path) -> Option<Diagnostic> {
    let bytes = std::fs::read(root.join(shown)).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (at, c) = crate::text::first_forbidden(&text)?;
    let count = text.chars().filter(|c| crate::text::forbidden(*c)).count();
    let more = match count {
        1 => String::new(),
        n => format!(" ({n} in this file)"),
    };
    Some(
        Diagnostic::new(
            Kind::InvalidValue,
            format!(
                "invisible character U+{:04X} in the text, shown as a space{more}",
                u32::from(c)
            ),
        )
        .at_offset(shown, &text, at)
        .hint("delete it: such characters usually come with text pasted from a PDF or a word processor"),
    )
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Yaml => "yaml",
        Kind::MissingField => "missing-field",
        Kind::UnknownKey => "unknown-key",
        Kind::InvalidValue => "invalid-value",
        Kind::UnknownTemplate => "unknown-template",
        Kind::TemplateSyntax => "template-syntax",
        Kind::TemplateRuntime => "template-runtime",
        Kind::BrokenLink => "broken-link",
        Kind::DuplicateUrl => "duplicate-url",
        Kind::PathEscape => "path-escape",
        Kind::Io => "io",
        Kind::Internal => "internal",
        Kind::ScriptUrl => "script-url",
        Kind::ScriptHandler => "script-handler",
        Kind::NotPublished => "hidden-page",
        Kind::ReviewOverdue => "review-overdue",
        Kind::DuplicateId => "duplicate-id",
    }
}

/// The checks, on a rendered site.
pub fn inspect(r: &RenderedSite) -> Report {
    let site = &r.site;
    let mut report = Report::default();
    let outputs: HashMap<&str, &write::OutputFile> =
        r.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut id_cache: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut push = |severity, check, diagnostic| {
        report.findings.push(Finding {
            severity,
            check,
            diagnostic,
        })
    };

    for (i, page) in site.pages.iter().enumerate() {
        let rd = &r.rendered[i];
        let generated = page.generated.is_some() && page.text.is_empty();
        let at = |offset: usize| {
            Diagnostic::new(Kind::BrokenLink, "").at_offset(&page.shown_path, &page.text, offset)
        };

        // Links and anchors.
        for link in &rd.links {
            let Some(target) = internal_target(site, page, &link.url) else {
                continue;
            };
            let (file, anchor) = target;
            let Some(out) = outputs.get(file.as_str()) else {
                let mut d = at(link.offset);
                d.message = format!(
                    "link to `{}` leads nowhere (no {file} in the built site)",
                    link.written
                );
                d.hint = Some("fix the path, or link to the page's .md file so docent checks it at build time".into());
                push(Severity::Error, "broken-link", d);
                continue;
            };
            if let Some(anchor) = anchor {
                let ids = id_cache
                    .entry(out.path.as_str())
                    .or_insert_with(|| ids_in(out));
                if !ids.contains(&anchor) {
                    let mut d = at(link.offset);
                    d.message = format!(
                        "link to `{}`: no element with id `{anchor}` on the target page",
                        link.written
                    );
                    let known: Vec<&str> = ids.iter().map(String::as_str).collect();
                    d.hint = Some(match crate::util::closest(&anchor, known) {
                        Some(c) => format!("did you mean `#{c}`?"),
                        None => "link to a heading id shown in the page's table of contents".into(),
                    });
                    push(Severity::Error, "broken-anchor", d);
                }
            }
        }

        // Images.
        for img in &rd.images {
            if img.url.contains("://") || img.url.starts_with("//") {
                let mut d = at(img.offset);
                d.kind = Kind::InvalidValue;
                d.message = format!("image `{}` is on another host", img.url);
                d.hint = Some(
                    "copy it beside the page: readers' browsers would contact that host".into(),
                );
                push(Severity::Warning, "external-image", d);
                continue;
            }
            let url = crate::url::decode(img.url.split(['?', '#']).next().unwrap_or(""));
            let rel = if let Some(abs) = url.strip_prefix(site.config.base_path()) {
                Some(abs.to_string())
            } else {
                crate::markdown::links::join_relative(
                    page.out_path.rsplit_once('/').map_or("", |(d, _)| d),
                    &url,
                )
            };
            if rel.as_deref().is_none_or(|p| !outputs.contains_key(p)) {
                let mut d = at(img.offset);
                d.kind = Kind::MissingField;
                d.message = format!("image `{}` does not exist", img.url);
                // Relative images resolve from the page's source folder
                // (build rewrote those that exist).
                let source = match crate::markdown::links::classify(&img.url, &page.rel_path) {
                    crate::markdown::links::LinkTarget::File { source, .. }
                    | crate::markdown::links::LinkTarget::Markdown { source, .. } => Some(source),
                    _ => rel.clone(),
                };
                d.hint = Some(match source.as_deref().and_then(|r| site.case_match(r)) {
                    Some(found) => format!(
                        "did you mean content/{found}? The names differ only in letter case, \
                         which web servers treat as different files"
                    ),
                    None => "check the file name; put images beside the page".into(),
                });
                push(Severity::Error, "missing-image", d);
            }
        }

        // Every id once per page (a TOC link or `#anchor` to a repeated id
        // lands on the first).
        if let Some(out) = outputs.get(page.out_path.as_str()) {
            for id in duplicate_ids(out) {
                push(
                    Severity::Error,
                    "duplicate-id",
                    heading_diag(
                        page,
                        &id,
                        &format!("the id `{id}` is used more than once on this page"),
                        "give the heading an id of its own with `{#another-id}`, \
                         or rename the theme's element",
                    ),
                );
            }
        }

        // Heading structure (the theme's page title is the h1).
        let mut prev = 1u8;
        for h in &rd.headings {
            if h.level == 1 {
                push(
                    Severity::Warning,
                    "multiple-h1",
                    heading_diag(
                        page,
                        &h.id,
                        "more than one h1: the page title is already the h1",
                        "use ## for top-level sections",
                    ),
                );
            } else if h.level > prev + 1 {
                let msg = format!(
                    "heading level jumps from h{prev} to h{} at “{}”",
                    h.level, h.title
                );
                push(
                    Severity::Warning,
                    "heading-skip",
                    heading_diag(
                        page,
                        &h.id,
                        &msg,
                        "do not skip levels: use one more # than the heading above",
                    ),
                );
            }
            prev = h.level;
        }

        // News and press sources cited for a figure.
        if let Some(bib) = &site.bibliography {
            for (key, offset) in &rd.citations {
                let press = bib.library.get(key).is_some_and(is_press);
                if press && cites_a_figure(&page.text, *offset) {
                    let d = Diagnostic::new(
                        Kind::InvalidValue,
                        format!("`{key}` is a news or press source, cited here for a figure"),
                    )
                    .at_offset(&page.shown_path, &page.text, *offset)
                    .hint("cite the primary source for figures (the study, the regulator's record); keep news sources for context");
                    push(Severity::Warning, "press-source-for-figure", d);
                }
            }
        }

        // Retracted works cited without saying so where they are cited.
        if let Some(bib) = &site.bibliography {
            for (key, offset) in rd.citations.iter().filter(|(k, _)| bib.is_retracted(k)) {
                let around = paragraph_around(&page.text, *offset).to_lowercase();
                // The word in the page's language (theme string
                // `retraction_words`: stems, comma-separated).
                let words = site.lang(page).strings.get("retraction_words");
                let said = words
                    .split(',')
                    .map(|w| w.trim().to_lowercase())
                    .any(|w| !w.is_empty() && around.contains(&w));
                if !said {
                    let d = Diagnostic::new(
                        Kind::InvalidValue,
                        format!("cites the retracted work `{key}` without saying, in the same paragraph, that it was retracted"),
                    )
                    .at_offset(&page.shown_path, &page.text, *offset)
                    .hint("say next to the citation that the paper was retracted, and why");
                    push(Severity::Warning, "retracted-without-note", d);
                }
            }
        }

        // Health pages (one rule: review::is_medical) need complete review
        // metadata. Citing a source does not make a page a health page.
        let missing: Vec<&str> = [
            ("reviewed_by", page.meta.reviewed_by.is_none()),
            ("last_reviewed", page.meta.last_reviewed.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, absent)| absent.then_some(k))
        .collect();
        if crate::review::is_medical(page) && !generated && !missing.is_empty() {
            let d = Diagnostic::new(
                Kind::MissingField,
                format!(
                    "{} is marked as a health page but its review metadata is incomplete (no `{}`)",
                    page.title,
                    missing.join("`, no `")
                ),
            )
            .at(&page.shown_path, 1, 1, Some(&page.text))
            .hint(format!(
                "add {} to the front matter, or remove `audience` if the page gives no health advice",
                missing.join(" and ")
            ));
            push(Severity::Warning, "review-missing", d);
        }

        if let Some(d) = crate::review::stale_current_to(site, page, &r.today) {
            push(Severity::Warning, "stale-current-to", d);
        }

        // Readability (Flesch–Kincaid counts English syllables: other
        // languages get no grade) and long pages without a TOC.
        let mut figures = readability::measure(&rd.prose);
        let english = site
            .lang(page)
            .code
            .split('-')
            .next()
            .is_some_and(|p| p.eq_ignore_ascii_case("en"));
        if !english {
            figures.grade = None;
        }
        if let Some(g) = figures.grade
            && g > site.config.review.max_grade
            && !generated
            && english
        {
            let d = Diagnostic::new(
                Kind::InvalidValue,
                format!(
                    "reading grade {g:.1} is above {} (Flesch–Kincaid)",
                    site.config.review.max_grade
                ),
            )
            .file(&page.shown_path)
            .hint("use shorter sentences and plainer words; explain terms on first use");
            push(Severity::Warning, "readability", d);
        }
        if rd.word_count > LONG_PAGE_WORDS
            && rd.toc.is_empty()
            && page.meta.toc != Some(false)
            && !generated
        {
            let d = Diagnostic::new(
                Kind::MissingField,
                format!("{} words but no table of contents", rd.word_count),
            )
            .file(&page.shown_path)
            .hint("split the page with ## headings so readers can find their way");
            push(Severity::Warning, "long-page-no-toc", d);
        }
        report.pages.push(PageFigures {
            path: page.shown_path.display().to_string(),
            url: site.url(page),
            figures,
        });
    }

    // Invisible characters the build showed as spaces (`text::decode`).
    let mut sources: Vec<&Path> = site
        .pages
        .iter()
        .map(|p| p.shown_path.as_path())
        .chain(site.data.values().map(|d| d.shown_path.as_path()))
        .collect();
    sources.sort();
    sources.dedup();
    for shown in sources {
        if let Some(d) = invisible_character(&site.root, shown) {
            push(Severity::Warning, "invisible-character", d);
        }
    }

    // What loading and rendering found, and review dates.
    // An id the build had to rename is an error here, as the same id
    // twice in the output is: a link to it lands on the first.
    for d in &r.warnings {
        let severity = match d.kind {
            Kind::DuplicateId => Severity::Error,
            _ => Severity::Warning,
        };
        push(severity, kind_name(d.kind), d.clone());
    }

    // References a reader could not find: no DOI, URL or publisher.
    if let Some(bib) = &site.bibliography {
        let text = site
            .data
            .get(&site.config.bibliography)
            .map(|f| f.text.as_str())
            .unwrap_or("");
        for key in &bib.keys {
            let Some(entry) = bib.library.get(key) else {
                continue;
            };
            if entry.doi().is_some() || entry.url_any().is_some() || has_publisher(entry) {
                continue;
            }
            let (line, col) = crate::config::key_position(text, key).unwrap_or((1, 1));
            let d = Diagnostic::new(
                Kind::MissingField,
                format!("reference `{key}` has no DOI, URL or publisher: a reader cannot find it"),
            )
            .at(&bib.shown_path, line, col, Some(text))
            .hint("add `serial-number: {doi: …}`, `url:` or `publisher:`");
            push(Severity::Warning, "reference-unfindable", d);
        }
    }

    // References never cited.
    if let Some(bib) = &site.bibliography {
        let cited: HashSet<&str> = r
            .rendered
            .iter()
            .flat_map(|x| x.cited.iter().map(String::as_str))
            .collect();
        for key in bib.keys.iter().filter(|k| !cited.contains(k.as_str())) {
            let text = site
                .data
                .get(&site.config.bibliography)
                .map(|f| f.text.as_str())
                .unwrap_or("");
            let (line, col) = crate::config::key_position(text, key).unwrap_or((1, 1));
            let d = Diagnostic::new(
                Kind::InvalidValue,
                format!("reference `{key}` is never cited"),
            )
            .at(&bib.shown_path, line, col, Some(text))
            .hint("cite it with [@key] or remove it");
            push(Severity::Info, "uncited-reference", d);
        }
    }
    for d in terms::likely_typos(site) {
        push(Severity::Warning, "term-typo", d);
    }
    for (sev, name, d) in translations(site) {
        push(sev, name, d);
    }
    report
        .findings
        .sort_by_key(|f| std::cmp::Reverse(f.severity));
    report
}

/// Translations behind their source (a warning naming both files and what
/// changed) and translations without a record of their source.
fn translations(site: &crate::site::Site) -> Vec<(Severity, &'static str, Diagnostic)> {
    let mut out = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        match crate::translation::stale(site, i) {
            Ok(Some(st)) => {
                let source = &site.pages[st.source];
                let (line, col) = page.key_position("translates");
                let now = crate::translation::record(source)
                    .map(|r| format!("`source_hash: {r}`"))
                    .unwrap_or_else(|_| "the new record".into());
                out.push((
                    Severity::Warning,
                    "translation-stale",
                    Diagnostic::new(
                        Kind::NotPublished,
                        format!(
                            "{} may be out of date: {} changed since it was translated ({})",
                            page.shown_path.display(),
                            source.shown_path.display(),
                            st.changed.join(", ")
                        ),
                    )
                    .at(&page.shown_path, line, col, Some(&page.text))
                    .hint(format!(
                        "bring the translation up to date with {}, then set {now} under `translates:`",
                        source.shown_path.display()
                    )),
                ));
            }
            Ok(None) if crate::translation::unrecorded(site, i) => {
                let source = crate::translation::source_of(site, i)
                    .map(|s| site.pages[s].shown_path.display().to_string())
                    .unwrap_or_default();
                let now = crate::translation::source_of(site, i)
                    .and_then(|s| crate::translation::record(&site.pages[s]).ok())
                    .unwrap_or_default();
                out.push((
                    Severity::Info,
                    "translation-unrecorded",
                    Diagnostic::new(
                        Kind::MissingField,
                        format!(
                            "{} does not record which version of {source} it translates, so docent cannot tell when it falls behind",
                            page.shown_path.display()
                        ),
                    )
                    .at(&page.shown_path, 1, 1, Some(&page.text))
                    .hint(format!(
                        "if it matches {source} today, add `translates: {{source_hash: {now}}}` to its front matter"
                    )),
                ));
            }
            Ok(None) => {}
            Err(d) => out.push((Severity::Error, "translation-record", d)),
        }
    }
    out
}

/// Whether a bibliography entry is news or press: a newspaper or blog
/// item, or part of one.
fn is_press(entry: &hayagriva::Entry) -> bool {
    use hayagriva::types::EntryType;
    matches!(entry.entry_type(), EntryType::Newspaper | EntryType::Blog)
        || entry.parents().iter().any(is_press)
}

/// Whether the entry or what it is part of names a publisher.
fn has_publisher(entry: &hayagriva::Entry) -> bool {
    entry.publisher().is_some() || entry.parents().iter().any(has_publisher)
}

/// Whether the sentence of the citation at byte `offset` of `text` states
/// a figure: a digit outside the citations themselves (whose keys often
/// hold a year).
fn cites_a_figure(text: &str, offset: usize) -> bool {
    let paragraph = paragraph_around(text, offset);
    let base = paragraph.as_ptr() as usize - text.as_ptr() as usize;
    let mut at = offset.saturating_sub(base).min(paragraph.len());
    while !paragraph.is_char_boundary(at) {
        at -= 1;
    }
    let ends = |c: char| matches!(c, '.' | '?' | '!');
    let start = paragraph[..at]
        .rfind(|c: char| ends(c))
        .map_or(0, |i| i + 1);
    let end = paragraph[at..]
        .find(|c: char| ends(c))
        .map_or(paragraph.len(), |i| at + i);
    let mut sentence = &paragraph[start..end];
    let mut digits = false;
    while !sentence.is_empty() {
        match sentence.find("[@") {
            Some(i) => {
                digits |= sentence[..i].chars().any(|c| c.is_ascii_digit());
                sentence = sentence[i..]
                    .find(']')
                    .map_or("", |j| &sentence[i + j + 1..]);
            }
            None => {
                digits |= sentence.chars().any(|c| c.is_ascii_digit());
                sentence = "";
            }
        }
    }
    digits
}

/// The paragraph of `text` (between blank lines) around byte `offset`.
fn paragraph_around(text: &str, offset: usize) -> &str {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset].rfind("\n\n").map_or(0, |i| i + 2);
    let end = text[offset..]
        .find("\n\n")
        .map_or(text.len(), |i| offset + i);
    &text[start..end]
}

fn heading_diag(page: &Page, id: &str, msg: &str, hint: &str) -> Diagnostic {
    // Locate the heading by its id or text in the source; fall back to the file.
    let body = page.body();
    let needle_line = body.lines().position(|l| {
        l.trim_start().starts_with('#')
            && (l.contains(id) || crate::markdown::slug::slugify(l.trim_start_matches('#')) == id)
    });
    match needle_line {
        Some(i) => {
            let (line, _) = crate::error::line_col(&page.text, page.body_offset);
            Diagnostic::new(Kind::InvalidValue, msg)
                .at(&page.shown_path, line + i, 1, Some(&page.text))
                .hint(hint)
        }
        None => Diagnostic::new(Kind::InvalidValue, msg)
            .file(&page.shown_path)
            .hint(hint),
    }
}

/// The output file and anchor an internal link points at; `None` for
/// external links.
fn internal_target(site: &Site, page: &Page, url: &str) -> Option<(String, Option<String>)> {
    if url.contains("://")
        || url.starts_with("mailto:")
        || url.starts_with("tel:")
        || url.starts_with("//")
    {
        return None;
    }
    let (path, anchor) = match url.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string()).filter(|a| !a.is_empty())),
        None => (url, None),
    };
    let path = crate::url::decode(path.split('?').next().unwrap_or(""));
    let anchor = anchor.map(|a| crate::url::decode(&a));
    let path = path.as_str();
    let file = if path.is_empty() {
        page.out_path.clone()
    } else if let Some(abs) = path.strip_prefix(site.config.base_path()) {
        abs.to_string()
    } else if path.starts_with('/') {
        return Some((format!("(outside the base path) {path}"), None));
    } else {
        let dir = page.out_path.rsplit_once('/').map_or("", |(d, _)| d);
        let joined = crate::markdown::links::join_relative(dir, path)?;
        if path.ends_with('/') {
            format!("{joined}/")
        } else {
            joined
        }
    };
    let file = if file.is_empty() || file.ends_with('/') {
        format!("{file}index.html")
    } else {
        file
    };
    Some((file, anchor))
}

/// The ids that occur more than once in a page's HTML, in order.
fn duplicate_ids(f: &write::OutputFile) -> Vec<String> {
    let html = output_text(f);
    let mut seen = HashSet::new();
    let mut dups = Vec::new();
    for id in html
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
    {
        if !seen.insert(id) && !dups.iter().any(|d: &String| d == id) {
            dups.push(id.to_string());
        }
    }
    dups
}

/// A rendered file's text (check renders in memory: nothing is kept,
/// streamed or compared).
fn output_text(f: &write::OutputFile) -> String {
    match &f.content {
        write::Content::Copy(p) => std::fs::read_to_string(p).unwrap_or_default(),
        other => other
            .bytes()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default(),
    }
}

fn ids_in(f: &write::OutputFile) -> HashSet<String> {
    let html = output_text(f);
    html.split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(String::from)
        .collect()
}

/// Convenience for tests: run the checks on a site folder.
pub fn run_at(root: &Path) -> Report {
    run(&BuildOptions::new(root))
}
