//! Typed errors with locations, printed like rustc.
//!
//! Every stage reports problems as [`Diagnostic`]s that name a file, a line
//! and a column, show the offending line with a caret, and carry a hint on
//! how to fix it. A build collects all of them before failing, so an editor
//! sees every problem at once.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, as a stable category (tests and `check` match on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    /// YAML that does not parse (front matter, config, data).
    Yaml,
    /// A required field is absent (e.g. a page without `title`).
    MissingField,
    /// A key that docent does not know (typo protection).
    UnknownKey,
    /// A value of the wrong shape or out of range.
    InvalidValue,
    /// A template named by a page or the theme does not exist.
    UnknownTemplate,
    /// A template failed to parse.
    TemplateSyntax,
    /// A template failed while rendering a page.
    TemplateRuntime,
    /// A relative link to a Markdown file that does not exist.
    BrokenLink,
    /// Two source files map to the same output URL.
    DuplicateUrl,
    /// A path that would escape `content/` or the output directory.
    PathEscape,
    /// Reading or writing a file failed.
    Io,
    /// A bug in docent (a panic caught while building a page).
    Internal,
    /// A URL in Markdown that would run script (`javascript:` …).
    ScriptUrl,
    /// An event handler (`onclick=…`) in a heading's attributes.
    ScriptHandler,
    /// A file under content/ that is not published (its name starts with a dot).
    NotPublished,
    /// A page past its review date.
    ReviewOverdue,
    /// An id given twice on one page (a heading's `{#id}`).
    DuplicateId,
}

/// One located problem.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub kind: Kind,
    pub message: String,
    /// File the problem is in, relative to the site root where possible.
    pub path: Option<PathBuf>,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    /// The text of the offending line, for the caret display.
    pub source_line: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
    /// Extra context lines ("while rendering content/x.md").
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Diagnostic {
            kind,
            message: message.into(),
            path: None,
            line: 0,
            column: 0,
            source_line: None,
            hint: None,
            notes: Vec::new(),
        }
    }

    /// Locate the diagnostic at `line`/`column` (1-based) of `path`, taking
    /// the offending line from `source` (the whole file text) when given.
    pub fn at(mut self, path: &Path, line: usize, column: usize, source: Option<&str>) -> Self {
        self.path = Some(path.to_path_buf());
        self.line = line;
        self.column = column;
        self.source_line = source.and_then(|s| {
            if line == 0 {
                None
            } else {
                s.lines()
                    .nth(line - 1)
                    .map(|l| l.trim_end_matches('\r').to_string())
            }
        });
        self
    }

    /// Locate at a byte offset into `source`.
    pub fn at_offset(self, path: &Path, source: &str, offset: usize) -> Self {
        let (line, column) = line_col(source, offset);
        self.at(path, line, column, Some(source))
    }

    pub fn file(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// `path:line:col` (or as much of it as is known).
    pub fn location(&self) -> String {
        match &self.path {
            None => String::new(),
            Some(p) if self.line == 0 => p.display().to_string(),
            Some(p) => format!("{}:{}:{}", p.display(), self.line, self.column.max(1)),
        }
    }
}

impl Diagnostic {
    /// The rustc-style text with `label` (`error`, `warning`) in front,
    /// for a terminal: control characters (which a file name or a value
    /// can hold) are shown escaped (`\u{1b}`), never sent as they are.
    pub fn render(&self, label: &str) -> String {
        let mut s = String::new();
        let _ = self.write_to(&mut s, label);
        match escape_controls(&s) {
            std::borrow::Cow::Borrowed(_) => s,
            std::borrow::Cow::Owned(escaped) => escaped,
        }
    }

    fn write_to(&self, f: &mut impl fmt::Write, label: &str) -> fmt::Result {
        writeln!(f, "{label}: {}", self.message)?;
        let gutter = if self.line > 0 {
            self.line.to_string().len()
        } else {
            1
        };
        let pad = " ".repeat(gutter);
        if self.path.is_some() {
            writeln!(f, "{pad}--> {}", self.location())?;
        }
        if let Some(src) = &self.source_line {
            let (src, col) = window(src, self.column.max(1));
            // Keep tabs so the caret lines up under the offending character.
            let lead: String = src
                .chars()
                .take(col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {}", self.line, src)?;
            writeln!(f, "{pad} | {lead}^")?;
        }
        for note in &self.notes {
            writeln!(f, "{pad} = note: {note}")?;
        }
        if let Some(h) = &self.hint {
            writeln!(f, "{pad} = help: {h}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render("error"))
    }
}

/// `s` with control characters other than line feeds and tabs written as
/// `\u{…}` escapes, so printing it cannot move the cursor, recolour or
/// retitle a terminal.
fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    let keep = |c: char| !c.is_control() || c == '\n' || c == '\t';
    if s.chars().all(keep) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if keep(c) {
            out.push(c);
        } else {
            let _ = fmt::Write::write_fmt(&mut out, format_args!("\\u{{{:x}}}", u32::from(c)));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Characters of a source line shown on each side of the column.
const WINDOW: usize = 60;

/// A long source line cut to the part around `col` (1-based, in
/// characters), with `…` where it was cut, and the column within that part.
fn window(src: &str, col: usize) -> (String, usize) {
    let len = src.chars().count();
    if len <= 2 * WINDOW + 20 {
        return (src.to_string(), col);
    }
    let col = col.min(len + 1);
    let start = col.saturating_sub(WINDOW + 1);
    let end = (col + WINDOW).min(len);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(src.chars().skip(start).take(end - start));
    if end < len {
        out.push('…');
    }
    (out, col - start + usize::from(start > 0))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The error type of every docent command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Content, config or template problems: exit code 1.
    #[error("{}", render_all(.0))]
    Build(Vec<Diagnostic>),
    /// A command was used wrongly (bad flag value, refusing to overwrite).
    #[error("{0}")]
    Usage(String),
    /// An I/O failure outside any content file.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

/// A usage error unless `dir` is empty or does not exist yet: `docent
/// init` and `docent import` (the `command`) only create new sites.
pub(crate) fn require_new_folder(dir: &std::path::Path, command: &str) -> Result<()> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?
            .next()
            .is_none();
        if !empty {
            return Err(Error::Usage(format!(
                "{} is not empty; docent {command} only creates new sites (choose a new folder)",
                dir.display()
            )));
        }
    }
    Ok(())
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The diagnostics of a build failure (empty for other errors).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Build(d) => d,
            _ => &[],
        }
    }

    /// Process exit code: 1 for content errors, 2 for usage errors.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Build(vec![d])
    }
}

impl Kind {
    /// What the kind is called in messages to people.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Yaml => "YAML syntax",
            Kind::MissingField => "missing value",
            Kind::UnknownKey => "unknown key",
            Kind::InvalidValue => "invalid value",
            Kind::UnknownTemplate => "unknown template",
            Kind::TemplateSyntax => "template syntax",
            Kind::TemplateRuntime => "template",
            Kind::BrokenLink => "broken link",
            Kind::DuplicateUrl => "duplicate URL",
            Kind::PathEscape => "path outside the site",
            Kind::Io => "file",
            Kind::Internal => "internal",
            Kind::ScriptUrl => "script URL",
            Kind::ScriptHandler => "script handler",
            Kind::NotPublished => "unpublished file",
            Kind::ReviewOverdue => "review overdue",
            Kind::DuplicateId => "duplicate id",
        }
    }
}

/// Remove repeated diagnostics (a data file used by a table and a chart,
/// or by several pages, is checked each time), keeping the first of each.
pub fn dedup(diags: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert((d.kind, d.path.clone(), d.line, d.column, d.message.clone())));
}

/// How many errors of one kind are shown in full before the rest are
/// counted: a tree with thousands of pages of one shape should not bury
/// the other kinds of mistake.
const SHOWN_PER_KIND: usize = 20;

fn render_all(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    let mut per_kind: Vec<(Kind, usize)> = Vec::new();
    for d in diags {
        let n = match per_kind.iter_mut().find(|(k, _)| *k == d.kind) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                per_kind.push((d.kind, 1));
                1
            }
        };
        if n <= SHOWN_PER_KIND {
            out.push_str(&d.to_string());
            out.push('\n');
        }
    }
    for &(kind, n) in &per_kind {
        if n > SHOWN_PER_KIND {
            out.push_str(&format!(
                "… and {} more {} error{} like those above\n",
                n - SHOWN_PER_KIND,
                kind.label(),
                if n - SHOWN_PER_KIND == 1 { "" } else { "s" }
            ));
        }
    }
    let n = diags.len();
    out.push_str(&format!(
        "build failed: {n} error{}",
        if n == 1 { "" } else { "s" }
    ));
    if per_kind.len() > 1 || n > SHOWN_PER_KIND {
        let by_kind: Vec<String> = per_kind
            .iter()
            .map(|(k, n)| format!("{n} {}", k.label()))
            .collect();
        out.push_str(&format!(" ({})", by_kind.join(", ")));
    }
    out
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_from_file_names_are_shown_escaped_not_sent_to_the_terminal() {
        // A file named with a terminal escape sequence must not recolour,
        // retitle or clear the editor's terminal.
        let d = Diagnostic::new(Kind::Yaml, "bad value in e\u{1b}[31mRED\u{9b}0m")
            .at(
                std::path::Path::new("content/e\u{1b}]0;title\u{7}.md"),
                2,
                3,
                Some("first\na\tb\u{1b}[2J"),
            )
            .hint("fix \u{7f}it");
        for shown in [d.render("error"), d.to_string()] {
            assert!(
                !shown
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t'),
                "{shown:?}"
            );
            assert!(shown.contains(r"e\u{1b}[31mRED"), "{shown}");
            assert!(
                shown.contains(r"content/e\u{1b}]0;title\u{7}.md:2:3"),
                "{shown}"
            );
            assert!(shown.contains("a\tb"), "{shown}");
        }
    }

    use super::*;

    #[test]
    fn many_errors_of_one_kind_end_with_a_summary_by_kind() {
        let mut diags: Vec<Diagnostic> = (0..500)
            .map(|i| {
                Diagnostic::new(Kind::MissingField, format!("page {i} has no `title`"))
                    .file(Path::new("content/x.md"))
            })
            .collect();
        diags.push(Diagnostic::new(Kind::BrokenLink, "link to nowhere"));
        let shown = Error::Build(diags).to_string();
        assert_eq!(shown.matches("error: page").count(), SHOWN_PER_KIND);
        assert!(
            shown.contains("error: link to nowhere"),
            "other kinds still shown"
        );
        assert!(shown.contains("… and 480 more missing value errors like those above"));
        assert!(
            shown.ends_with("build failed: 501 errors (500 missing value, 1 broken link)"),
            "{shown}"
        );
    }

    #[test]
    fn repeated_diagnostics_are_reported_once() {
        let d = Diagnostic::new(Kind::InvalidValue, "bad").at(Path::new("a.yaml"), 3, 1, None);
        let mut v = vec![
            d.clone(),
            d.clone(),
            d.clone().hint("other hint"),
            d.at(Path::new("a.yaml"), 4, 1, None),
        ];
        dedup(&mut v);
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn a_long_source_line_is_shown_around_the_column() {
        let line = format!("{}X{}", "a".repeat(5000), "é".repeat(5000));
        let d = Diagnostic::new(Kind::Yaml, "bad").at(Path::new("x.yaml"), 1, 5001, Some(&line));
        let shown = d.to_string();
        assert!(shown.len() < 600, "{shown}");
        let src = shown.lines().nth(3).unwrap();
        let caret = shown.lines().nth(4).unwrap();
        // The caret sits under the X.
        let x_col = src.split('X').next().unwrap().chars().count();
        assert_eq!(caret.chars().count() - 1, x_col, "{shown}");
        assert!(src.starts_with("1 | …") && src.ends_with('…'), "{src}");
    }

    #[test]
    fn line_col_counts_from_one() {
        let s = "ab\ncdé\nf";
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 3), (2, 1));
        assert_eq!(line_col(s, 7), (2, 4));
        assert_eq!(line_col(s, 100), (3, 2));
    }

    #[test]
    fn display_shows_location_line_and_caret() {
        let src = "---\ntitel: x\n---\n";
        let d = Diagnostic::new(Kind::UnknownKey, "unknown key `titel`")
            .at(Path::new("content/a.md"), 2, 1, Some(src))
            .hint("did you mean `title`?");
        let s = d.to_string();
        assert!(s.contains("--> content/a.md:2:1"), "{s}");
        assert!(s.contains("2 | titel: x"), "{s}");
        assert!(s.contains("  | ^"), "{s}");
        assert!(s.contains("help: did you mean `title`?"), "{s}");
    }
}
