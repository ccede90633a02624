//! MyST Markdown syntax (the dialect of Jupyter Book), as far as docent
//! reads it: colon fences (`:::{note}`), directive arguments and options,
//! `(label)=` targets, roles (``{ref}`label` ``) and `{glossary}` bodies.
//! Only syntax lives here: the Markdown stage renders directives and roles
//! (`markdown::myst`), the load stage records each page's labels and
//! glossary terms ([`scan`]) so other pages can refer to them.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// Admonition directives and the callout kind each renders as.
pub const ADMONITIONS: &[(&str, &str)] = &[
    ("note", "note"),
    ("tip", "tip"),
    ("hint", "tip"),
    ("important", "important"),
    ("attention", "important"),
    ("seealso", "note"),
    ("warning", "warning"),
    ("caution", "caution"),
    ("danger", "caution"),
    ("error", "caution"),
    ("admonition", "note"),
    // sphinx-exercise's.
    ("exercise", "note"),
    ("solution", "note"),
    // sphinx-proof's (mystmd's too), named for their kind (`prf_theorem`
    // in the theme's strings), their argument a title in parentheses.
    ("prf:algorithm", "note"),
    ("prf:assumption", "note"),
    ("prf:axiom", "note"),
    ("prf:conjecture", "note"),
    ("prf:corollary", "note"),
    ("prf:criterion", "note"),
    ("prf:definition", "note"),
    ("prf:example", "note"),
    ("prf:lemma", "note"),
    ("prf:notation", "note"),
    ("prf:observation", "note"),
    ("prf:proof", "note"),
    ("prf:property", "note"),
    ("prf:proposition", "note"),
    ("prf:remark", "note"),
    ("prf:theorem", "note"),
];

/// MyST directives shown as code (`{code-block} python`): Jupyter's
/// `{code-cell}` too (docent runs no code: the cell is shown, not its
/// output), and `{mermaid}` (drawn by script elsewhere: its source).
pub const CODE_DIRECTIVES: &[&str] = &["code-block", "code", "sourcecode", "code-cell", "mermaid"];

/// Whether docent renders the MyST directive `name` itself (admonitions,
/// `{figure}`, `{image}`, `{list-table}`, `{glossary}`, `{dropdown}`, code and
/// `{math}`), so a build
/// shows it and `docent import` keeps it as written.
pub fn renders_directive(name: &str) -> bool {
    admonition_kind(name).is_some()
        || CODE_DIRECTIVES.contains(&name)
        || OTHER_DIRECTIVES.contains(&name)
}

/// The directives docent renders that are neither admonitions nor code
/// (`{table}` too, when it has a caption).
const OTHER_DIRECTIVES: &[&str] = &[
    "figure",
    "image",
    "list-table",
    "glossary",
    "dropdown",
    "math",
    "index",
    "only",
    "raw",
    "epigraph",
    "pull-quote",
    "highlights",
    "div",
    "tab-set",
    "tab-item",
    "grid",
    "grid-item",
    "card",
    "grid-item-card",
];

/// `name` as docent spells it: docutils reads directive names in any case
/// (`{prf:Theorem}`, `{Note}`), so one docent renders, written with capitals,
/// is that directive; any other name comes back as written.
fn directive_name(name: &str) -> &str {
    if !name.bytes().any(|b| b.is_ascii_uppercase()) {
        return name;
    }
    ADMONITIONS
        .iter()
        .map(|(n, _)| n)
        .chain(CODE_DIRECTIVES)
        .chain(OTHER_DIRECTIVES)
        .chain(&["table"])
        .find(|n| n.eq_ignore_ascii_case(name))
        .copied()
        .unwrap_or(name)
}

/// The callout kind of an admonition directive.
pub fn admonition_kind(name: &str) -> Option<&'static str> {
    ADMONITIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, kind)| kind)
}

/// Roles docent understands (``{name}`content` ``).
pub const ROLES: &[&str] = &[
    "ref", "numref", "eq", "prf:ref", "index", "doc", "term", "cite", "cite:p", "cite:t",
    "cite:ps", "cite:ts", "cite:alp", "cite:alt", "download",
];

/// One open fence while walking a text's lines.
#[derive(Clone, Copy)]
struct Fence {
    ch: u8,
    len: usize,
    /// A plain code block (its lines are not Markdown).
    code: bool,
}

/// What a line is, as far as fences go.
enum LineKind<'a> {
    /// Opens a directive: its name and argument (`{figure} pic.png`), and
    /// whether it is written as a container without braces.
    Open {
        name: &'a str,
        arg: &'a str,
        container: bool,
    },
    /// Closes the innermost directive.
    Close,
    /// Inside a plain code block, opening or closing one.
    Code,
    /// Markdown.
    Text,
}

/// Walks lines, keeping the stack of open fences.
#[derive(Default)]
struct Fences {
    open: Vec<Fence>,
}

impl Fences {
    fn line<'a>(&mut self, line: &'a str) -> LineKind<'a> {
        let t = line.trim_start_matches([' ', '\t']);
        let ch = t.as_bytes().first().copied().unwrap_or(0);
        let run = t.bytes().take_while(|&b| b == ch).count();
        let is_fence = matches!(ch, b'`' | b'~' | b':') && run >= 3;
        if let Some(top) = self.open.last().copied()
            && top.code
        {
            if is_fence && ch == top.ch && run >= top.len && t[run..].trim().is_empty() {
                self.open.pop();
            }
            return LineKind::Code;
        }
        if !is_fence {
            return LineKind::Text;
        }
        let rest = t[run..].trim();
        if rest.is_empty() {
            if let Some(top) = self.open.last()
                && top.ch == ch
                && run >= top.len
            {
                self.open.pop();
                return LineKind::Close;
            }
            if ch == b':' {
                return LineKind::Text;
            }
            self.open.push(Fence {
                ch,
                len: run,
                code: true,
            });
            return LineKind::Code;
        }
        if let Some(d) = fence_directive(rest, ch == b':') {
            self.open.push(Fence {
                ch,
                len: run,
                code: false,
            });
            return LineKind::Open {
                name: d.name,
                arg: d.arg,
                container: d.container.is_some(),
            };
        }
        if ch == b':' || (ch == b'`' && rest.contains('`')) {
            return LineKind::Text;
        }
        self.open.push(Fence {
            ch,
            len: run,
            code: true,
        });
        LineKind::Code
    }
}

/// Admonitions written as colon containers without MyST's braces, as
/// Docusaurus (`:::tip Title`, `:::tip[Title]`), VitePress and VuePress (`::: warning`),
/// the Carpentries (`::: callout`, `::: solution`) and Quarto
/// (`::: {.callout-note}`) write them, and the MyST directive each renders
/// as. A container of any other name (a Pandoc div: `::: challenge`) is a
/// `{div}` of that class.
const CONTAINERS: &[(&str, &str)] = &[
    ("note", "note"),
    ("tip", "tip"),
    ("hint", "hint"),
    ("important", "important"),
    ("attention", "attention"),
    ("seealso", "seealso"),
    ("warning", "warning"),
    ("caution", "caution"),
    ("danger", "danger"),
    ("error", "error"),
    ("info", "note"),
    ("details", "dropdown"),
    ("solution", "dropdown"),
    ("spoiler", "dropdown"),
    ("callout", "note"),
    ("callout-note", "note"),
    ("callout-tip", "tip"),
    ("callout-important", "important"),
    ("callout-warning", "warning"),
    ("callout-caution", "caution"),
];

/// A directive a fence opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FenceDirective<'a> {
    pub name: &'a str,
    pub arg: &'a str,
    /// Written as a container without braces: `arg` is its title, and
    /// this its name as written (`challenge` of `::: challenge`).
    pub container: Option<&'a str>,
}

/// The directive a fence's info string names: MyST's `{name} argument`,
/// and, on a colon fence, a container without braces (`tip Title`,
/// `{.callout-tip title="Title"}`; see [`CONTAINERS`]). Pandoc's
/// attributes on a code block (`{.python}`, `{#id .class}`) name none.
pub fn fence_directive(info: &str, colon: bool) -> Option<FenceDirective<'_>> {
    let info = info.trim();
    let pandoc = info.starts_with("{.") || info.starts_with("{#");
    let myst = (!pandoc)
        .then(|| directive_info(info))
        .flatten()
        .map(|(name, arg)| FenceDirective {
            name,
            arg,
            container: None,
        });
    myst.or_else(|| colon.then(|| container(info)).flatten())
}

/// A colon container without braces (see [`fence_directive`]): one of
/// [`CONTAINERS`], else a `{div}` named by a word (`challenge`) or a
/// class (`{.challenge}`). Pandoc's closing colons (`::: name :::`) are
/// allowed.
fn container(info: &str) -> Option<FenceDirective<'_>> {
    let info = info.trim_end_matches(':').trim_end();
    let (word, arg) = match info.strip_prefix('{') {
        Some(attrs) => {
            let attrs = &attrs[..attrs.find('}')?];
            let class = attrs.split_whitespace().find_map(|a| a.strip_prefix('.'))?;
            (class, attr_value(attrs, "title").unwrap_or(""))
        }
        // Docusaurus 3: `:::note[The title]`.
        None if info.ends_with(']') && info.contains('[') => {
            let open = info.find('[').unwrap_or(0);
            (&info[..open], info[open + 1..info.len() - 1].trim())
        }
        None => {
            let end = info.find(char::is_whitespace).unwrap_or(info.len());
            (&info[..end], info[end..].trim())
        }
    };
    let is_name = word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !is_name {
        return None;
    }
    let name = CONTAINERS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
        .map_or("div", |&(_, directive)| directive);
    Some(FenceDirective {
        name,
        arg,
        container: Some(word),
    })
}

/// The value of `key="value"` (or single quotes) among Pandoc attributes.
fn attr_value<'a>(attrs: &'a str, key: &str) -> Option<&'a str> {
    let at = attrs.find(&format!("{key}="))?;
    let value = &attrs[at + key.len() + 1..];
    let q = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = &value[1..];
    Some(&value[..value.find(q)?])
}

/// The language of a code block written with Pandoc's attributes
/// (```` ```{.python .numberLines} ````): its first class.
pub fn pandoc_code_language(info: &str) -> Option<&str> {
    let attrs = info.trim().strip_prefix('{')?;
    let attrs = &attrs[..attrs.find('}')?];
    attrs
        .split_whitespace()
        .next()
        .filter(|a| a.starts_with('.') || a.starts_with('#'))?;
    attrs.split_whitespace().find_map(|a| a.strip_prefix('.'))
}

/// `{name} argument` of a fence's info string.
pub fn directive_info(info: &str) -> Option<(&str, &str)> {
    let rest = info.trim().strip_prefix('{')?;
    let end = rest.find('}')?;
    let name = &rest[..end];
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b));
    ok.then(|| (directive_name(name), rest[end + 1..].trim()))
}

/// Lines with their byte offsets.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |at, l| {
        let start = *at;
        *at += l.len();
        Some((start, l.trim_end_matches(['\n', '\r'])))
    })
}

/// The text with MyST's colon fences (`:::{note}` … `:::`) written as tilde
/// fences of the same length, which CommonMark reads as fenced blocks:
/// every byte offset stays where it was, so errors keep their lines.
/// Tildes rather than backticks, so a backtick code block inside a
/// directive cannot close it.
pub fn colon_fences(text: &str) -> Cow<'_, str> {
    if memchr::memmem::find(text.as_bytes(), b":::").is_none() {
        return Cow::Borrowed(text);
    }
    let mut fences = Fences::default();
    let mut swaps = Vec::new();
    // Open colon fences: where their colons are, and whether they are
    // containers without braces (swapped only once closed: an unclosed
    // `::: tip` line stays text rather than open a block to the end).
    let mut open: Vec<Option<(std::ops::Range<usize>, bool)>> = Vec::new();
    for (at, line) in lines(text) {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let colon = line[indent..].starts_with(":::");
        let run = line[indent..].bytes().take_while(|&b| b == b':').count();
        let colons = at + indent..at + indent + run;
        match fences.line(line) {
            LineKind::Open { container, .. } => {
                open.push(colon.then_some((colons, container)));
            }
            LineKind::Close => {
                if let Some(Some((opened, _))) = open.pop()
                    && colon
                {
                    swaps.push(opened);
                    swaps.push(colons);
                }
            }
            _ => {}
        }
    }
    // MyST's own `:::{note}` opens a block even when never closed.
    swaps.extend(
        open.into_iter()
            .flatten()
            .filter(|(_, container)| !container)
            .map(|(colons, _)| colons),
    );
    if swaps.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for r in swaps {
        bytes[r].fill(b'~');
    }
    // Only ASCII colons became ASCII tildes.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
}

/// A directive block as written: its name and the byte ranges of its
/// opening and closing fence lines (newlines included).
#[derive(Debug, PartialEq, Eq)]
pub struct DirectiveBlock {
    pub name: String,
    pub open: std::ops::Range<usize>,
    pub close: std::ops::Range<usize>,
}

/// Every closed directive block of a text (backtick, tilde or colon
/// fences), innermost first.
pub fn directive_blocks(text: &str) -> Vec<DirectiveBlock> {
    let mut fences = Fences::default();
    let mut open: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut out = Vec::new();
    for raw in text.split_inclusive('\n').scan(0, |at, l| {
        let s = *at;
        *at += l.len();
        Some((s, l))
    }) {
        let (at, line) = raw;
        let span = at..at + line.len();
        match fences.line(line.trim_end_matches(['\n', '\r'])) {
            LineKind::Open { name, .. } => open.push((name.to_string(), span)),
            LineKind::Close => {
                if let Some((name, o)) = open.pop() {
                    out.push(DirectiveBlock {
                        name,
                        open: o,
                        close: span,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// A directive's options and body, as written between its fences.
#[derive(Debug, Default, PartialEq)]
pub struct Directive<'a> {
    /// `:key: value` lines or a `---` block of `key: value` lines, with the
    /// byte offset of each in the directive's text.
    pub options: Vec<(&'a str, String, usize)>,
    /// What follows the options.
    pub body: &'a str,
    /// Byte offset of the body in the directive's text.
    pub body_at: usize,
}

impl<'a> Directive<'a> {
    /// Split the text between a directive's fences.
    pub fn parse(text: &'a str) -> Directive<'a> {
        let mut options = Vec::new();
        let mut body_at = 0;
        let mut in_block = false;
        for (at, line) in lines(text) {
            let t = line.trim();
            if at == 0 && t == "---" {
                in_block = true;
                body_at = at + line.len();
                continue;
            }
            if in_block {
                if t == "---" {
                    in_block = false;
                } else if let Some((k, v)) = t.split_once(':') {
                    options.push((k.trim(), unquote(v.trim()), at));
                }
                body_at = (at + line.len() + 1).min(text.len());
                continue;
            }
            let option = t
                .strip_prefix(':')
                .and_then(|r| r.split_once(':'))
                .filter(|(k, _)| !k.is_empty() && !k.contains(' '));
            match option {
                Some((k, v)) if body_at == at => {
                    options.push((k, unquote(v.trim()), at));
                    body_at = (at + line.len() + 1).min(text.len());
                }
                _ => break,
            }
        }
        let mut body = &text[body_at..];
        // The blank line after the options.
        if !options.is_empty() {
            let trimmed = body.trim_start_matches([' ', '\t', '\r']);
            if let Some(after) = trimmed.strip_prefix('\n') {
                body_at += body.len() - after.len();
                body = after;
            }
        }
        Directive {
            options,
            body,
            body_at,
        }
    }

    /// The directive's label: `:name:`, or `:label:` (mystmd reads
    /// either).
    pub fn name(&self) -> Option<&str> {
        self.option("name")
            .or_else(|| self.option("label"))
            .filter(|n| !n.is_empty())
    }

    /// The value of option `key`.
    pub fn option(&self, key: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, v, _)| v.as_str())
    }
}

fn unquote(v: &str) -> String {
    let q = v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')));
    if q {
        v[1..v.len() - 1].to_string()
    } else {
        v.to_string()
    }
}

/// The label of a `(label)=` target line.
pub fn label_line(line: &str) -> Option<&str> {
    let inner = line.trim().strip_prefix('(')?.strip_suffix(")=")?;
    let ok = !inner.is_empty() && !inner.contains(['(', ')', ' ', '\t', '`', '[', ']']);
    ok.then_some(inner)
}

/// Each line of `text` (newline included) with whether it is code: in a
/// plain code block or a code directive (`{code-cell}`), not in a
/// directive whose body is Markdown.
pub fn lines_with_code(text: &str) -> Vec<(&str, bool)> {
    let mut fences = Fences::default();
    let mut open: Vec<bool> = Vec::new();
    text.split_inclusive('\n')
        .map(|raw| {
            let line = raw.trim_end_matches(['\n', '\r']);
            let code = match fences.line(line) {
                LineKind::Open { name, .. } => {
                    open.push(CODE_DIRECTIVES.contains(&name) || name == "math");
                    true
                }
                LineKind::Close => {
                    open.pop();
                    true
                }
                LineKind::Code => true,
                LineKind::Text => open.last().copied().unwrap_or(false),
            };
            (raw, code)
        })
        .collect()
}

/// The label myst-parser's dollarmath reads after a display equation's
/// closing `$$` on the same line (`$$ (eq:growth)`), in the text that
/// follows the `$$`: the label and how many bytes of `after` it takes
/// (up to the end of its line).
pub fn dollar_label(after: &str) -> Option<(&str, usize)> {
    let line_end = after.find('\n').unwrap_or(after.len());
    let line = &after[..line_end];
    let inner = line.trim().strip_prefix('(')?.strip_suffix(')')?;
    let ok = !inner.is_empty() && !inner.contains(['(', ')', ' ', '\t', '`', '$', '{', '}']);
    ok.then_some((inner, line.trim_end_matches('\r').len()))
}

/// The labels of a body's numbered equations, in page order, each with
/// the byte where it is written: `\label{…}` inside `$$ … $$`, a label
/// after the closing `$$` (`$$ (name)`), and a `{math}` directive's
/// `:label:` or `:name:`. This order is the equations' numbering, for
/// the page itself and for `{eq}` links from other pages.
pub fn equations(body: &str) -> Vec<(String, usize)> {
    let b = body.as_bytes();
    let has = |n: &str| memchr::memmem::find(b, n.as_bytes()).is_some();
    if !(has("$$") || has("label:") || has("name:")) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut fences = Fences::default();
    // Directives open around the line: name, where their text starts.
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut in_math = false;
    for (at, line) in lines(body) {
        match fences.line(line) {
            LineKind::Open { name, .. } => {
                open.push((name.to_string(), (at + line.len() + 1).min(body.len())));
                in_math = false;
            }
            LineKind::Close => {
                in_math = false;
                if let Some((name, start)) = open.pop()
                    && name == "math"
                    && let Some(label) =
                        Directive::parse(body.get(start.min(at)..at).unwrap_or("")).name()
                {
                    out.push((label.to_string(), start));
                }
            }
            LineKind::Text
                if !open
                    .last()
                    .is_some_and(|(n, _)| n == "math" || CODE_DIRECTIVES.contains(&n.as_str())) =>
            {
                display_labels(line, at, &mut in_math, &mut out);
            }
            _ => in_math = false,
        }
    }
    // A `{math}` block's label is found at its end, written at its start.
    out.sort_by_key(|&(_, at)| at);
    out
}

/// The equation labels on one line of Markdown text (`at`: where the line
/// starts), tracking whether a `$$` display is open across lines. Code
/// spans and `\$` are skipped; a blank line ends any display (as it ends
/// the paragraph holding it).
fn display_labels(line: &str, at: usize, in_math: &mut bool, out: &mut Vec<(String, usize)>) {
    if line.trim().is_empty() {
        *in_math = false;
        return;
    }
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if line[i..].starts_with("\\label{") && *in_math => {
                let rest = &line[i + "\\label{".len()..];
                if let Some(end) = rest.find('}') {
                    let label = rest[..end].trim();
                    if !label.is_empty() {
                        out.push((label.to_string(), at + i));
                    }
                }
                i += "\\label{".len();
            }
            b'\\' => i += 2,
            b'`' if !*in_math => {
                let run = b[i..].iter().take_while(|&&c| c == b'`').count();
                let fence = &line[i..i + run];
                i += run;
                if let Some(close) = line[i..].find(fence) {
                    i += close + run;
                }
            }
            b'$' if b.get(i + 1) == Some(&b'$') => {
                i += 2;
                if !*in_math {
                    *in_math = true;
                    continue;
                }
                *in_math = false;
                if let Some((label, _)) = dollar_label(&line[i..]) {
                    out.push((label.to_string(), at + i));
                    return;
                }
            }
            _ => i += 1,
        }
    }
}

/// Whether Sphinx's `{only}` expression (`html`, `not latex`,
/// `html or epub`, with `and` and parentheses) holds on a web page, where
/// the tags `html`, `format_html` and `builder_html` are set and no other.
/// An expression it cannot read holds (its content is kept).
pub fn only_html(expr: &str) -> bool {
    let spaced = expr.replace('(', " ( ").replace(')', " ) ");
    let mut tokens = spaced.split_whitespace().peekable();
    type Tokens<'t> = std::iter::Peekable<std::str::SplitWhitespace<'t>>;
    fn any(t: &mut Tokens<'_>) -> Option<bool> {
        let mut v = all(t)?;
        while t.next_if_eq(&"or").is_some() {
            v |= all(t)?;
        }
        Some(v)
    }
    fn all(t: &mut Tokens<'_>) -> Option<bool> {
        let mut v = one(t)?;
        while t.next_if_eq(&"and").is_some() {
            v &= one(t)?;
        }
        Some(v)
    }
    fn one(t: &mut Tokens<'_>) -> Option<bool> {
        match t.next()? {
            "not" => one(t).map(|v| !v),
            "(" => {
                let v = any(t)?;
                t.next_if_eq(&")").map(|_| v)
            }
            "html" | "format_html" | "builder_html" => Some(true),
            ")" | "and" | "or" => None,
            _ => Some(false),
        }
    }
    match any(&mut tokens) {
        Some(v) if tokens.next().is_none() => v,
        _ => true,
    }
}

/// A role at the end of a text (`see {ref}` → (4, "ref")), if it is one
/// docent understands.
pub fn trailing_role(text: &str) -> Option<(usize, &'static str)> {
    let rest = text.strip_suffix('}')?;
    let open = rest.rfind('{')?;
    let name = &rest[open + 1..];
    // docutils reads role names in any case too.
    ROLES
        .iter()
        .find(|r| r.eq_ignore_ascii_case(name))
        .map(|r| (open, *r))
}

/// A role's content: `Text <target>` or `target`.
pub fn role_target(content: &str) -> (Option<&str>, &str) {
    let c = content.trim();
    if let Some(head) = c.strip_suffix('>')
        && let Some(open) = head.rfind('<')
    {
        let text = head[..open].trim();
        let target = head[open + 1..].trim();
        if !target.is_empty() {
            return ((!text.is_empty()).then_some(text), target);
        }
    }
    (None, c)
}

/// Every role in `text` (``{name}`content` ``, outside code spans of two
/// or more backticks) replaced by what `with` makes of it (`None` keeps
/// it as written).
pub fn rewrite_roles<'t>(
    text: &'t str,
    with: &mut dyn FnMut(&str, &str) -> Option<String>,
) -> Cow<'t, str> {
    if memchr::memmem::find(text.as_bytes(), b"}`").is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(tick) = rest.find("}`") {
        let head = &rest[..=tick];
        let after = &rest[tick + 2..];
        let role = trailing_role(head);
        let close = after.find('`');
        match (role, close) {
            (Some((open, name)), Some(close))
                if !after.starts_with('`') && !head[..open].ends_with('`') =>
            {
                let content = &after[..close];
                match with(name, content) {
                    Some(md) => {
                        out.push_str(&head[..open]);
                        out.push_str(&md);
                        changed = true;
                    }
                    None => {
                        out.push_str(head);
                        out.push('`');
                        out.push_str(content);
                        out.push('`');
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..tick + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// Text with Markdown's punctuation escaped, to show as written.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>#!|{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A title as plain text: roles become what they show (citations are
/// dropped, `{ref}`/`{doc}`/`{term}` keep their text or target).
pub fn plain_roles(text: &str) -> String {
    let out = rewrite_roles(text, &mut |role, content| {
        Some(if role.starts_with("cite") {
            String::new()
        } else {
            let (shown, target) = role_target(content);
            shown.unwrap_or(target).to_string()
        })
    });
    let mut plain = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(text) = inline_text(&plain) {
        plain = text;
    }
    for p in [".", ",", ";", ":", ")"] {
        plain = plain.replace(&format!(" {p}"), p);
    }
    plain
}

/// The words of one line of inline Markdown without its markup
/// (`*sleep*` is "sleep"), or `None` when it is not one paragraph.
fn inline_text(line: &str) -> Option<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut events = Parser::new(line);
    if !matches!(events.next(), Some(Event::Start(Tag::Paragraph))) {
        return None;
    }
    let mut out = String::with_capacity(line.len());
    for ev in events {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph) | Event::Start(_) | Event::End(_) => {}
            Event::InlineHtml(_) => {}
            _ => return None,
        }
    }
    Some(out)
}

/// What a page offers other pages: its labels and glossary terms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scan {
    pub labels: Vec<Label>,
    /// Labelled equations in page order, each titled with its number
    /// ("(2)"): a namespace of their own, as in Sphinx, so a section
    /// `(growth)=` and an equation `growth` do not clash.
    pub equations: Vec<Label>,
    /// sphinx-proof's `{prf:…}` labels: a name space of their own too, as
    /// Sphinx keeps them (`{prf:ref}` reaches them).
    pub proofs: Vec<Label>,
    pub glossary: Vec<GlossaryEntry>,
}

/// Whether the directive `name` is one of sphinx-proof's (its labels are
/// a name space of their own).
pub fn is_proof(name: &str) -> bool {
    name.starts_with("prf:")
}

/// A `(label)=` target or a directive's `:name:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Label {
    pub name: String,
    /// What a reference shows: the heading's text, the caption or title.
    pub title: String,
    /// Line in the page's body (1-based).
    pub line: usize,
}

/// A term of a `{glossary}` directive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GlossaryEntry {
    pub term: String,
    /// Further term lines above the same definition.
    pub aliases: Vec<String>,
    /// Markdown.
    pub definition: String,
    /// Line of the term in the page's body (1-based).
    pub line: usize,
}

/// The terms of a `{glossary}` body (whose first line is line `first` of
/// the page body): term lines at the margin, each followed by its indented
/// definition.
pub fn glossary_entries(body: &str, first: usize) -> Vec<GlossaryEntry> {
    let mut out: Vec<GlossaryEntry> = Vec::new();
    let mut terms: Vec<(String, usize)> = Vec::new();
    let mut definition: Vec<&str> = Vec::new();
    let flush = |terms: &mut Vec<(String, usize)>,
                 definition: &mut Vec<&str>,
                 out: &mut Vec<GlossaryEntry>| {
        if let Some(((term, line), rest)) = terms.split_first() {
            out.push(GlossaryEntry {
                term: term.clone(),
                aliases: rest.iter().map(|(t, _)| t.clone()).collect(),
                definition: dedent(definition),
                line: *line,
            });
        }
        terms.clear();
        definition.clear();
    };
    for (i, (_, line)) in lines(body).enumerate() {
        if line.trim().is_empty() {
            if !definition.is_empty() {
                definition.push("");
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            definition.push(line);
        } else {
            if !definition.is_empty() {
                flush(&mut terms, &mut definition, &mut out);
            }
            terms.push((line.trim().to_string(), first + i));
        }
    }
    flush(&mut terms, &mut definition, &mut out);
    out
}

/// Lines with their common indentation removed, joined.
fn dedent(lines: &[&str]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for l in lines {
        out.push_str(l.get(indent..).unwrap_or("").trim_end());
        out.push('\n');
    }
    out.trim().to_string()
}

/// A heading line's text (`## Safety {#safety}` → `Safety`).
fn heading_text(line: &str) -> Option<String> {
    let t = line.trim_start();
    let level = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) || !t[level..].starts_with([' ', '\t']) {
        return None;
    }
    let mut text = t[level..].trim().trim_end_matches('#').trim();
    if text.ends_with('}')
        && let Some(open) = text.rfind('{')
    {
        text = text[..open].trim();
    }
    Some(text.to_string())
}

/// The labels and glossary terms a page body defines (`None` when it has
/// none: the common case is found without looking at every line).
pub fn scan(body: &str) -> Option<Scan> {
    let b = body.as_bytes();
    let finder = |n: &str| memchr::memmem::find(b, n.as_bytes()).is_some();
    if !(finder(")=")
        || finder("name:")
        || finder("label:")
        || finder("{glossary}")
        || finder("$$"))
    {
        return None;
    }
    let body = colon_fences(body);
    let mut scan = Scan::default();
    let mut fences = Fences::default();
    let mut pending: Option<(String, usize)> = None;
    // Directives open around the line: name, argument, where the text
    // inside starts (byte offset, 1-based line).
    let mut open: Vec<(String, String, usize, usize)> = Vec::new();
    for (i, (at, line)) in lines(&body).enumerate() {
        let line_no = i + 1;
        let kind = fences.line(line);
        if let Some((label, label_line)) = pending.take() {
            if line.trim().is_empty() {
                pending = Some((label, label_line));
                continue;
            }
            let title = heading_text(line)
                .map(|t| plain_roles(&t))
                .unwrap_or_else(|| label.clone());
            scan.labels.push(Label {
                name: label,
                title,
                line: label_line,
            });
        }
        match kind {
            LineKind::Open { name, arg, .. } => {
                let start = (at + line.len() + 1).min(body.len());
                open.push((name.to_string(), arg.to_string(), start, line_no + 1));
            }
            LineKind::Close => {
                let Some((name, arg, start, first_line)) = open.pop() else {
                    continue;
                };
                let inner = body.get(start.min(at)..at).unwrap_or("");
                let directive = Directive::parse(inner);
                if let Some(label) = directive.name().filter(|_| name != "math") {
                    let caption = directive
                        .body
                        .lines()
                        .find(|l| !l.trim().is_empty())
                        .map(str::trim);
                    // A titled admonition: its title; code: its caption
                    // (its argument is the language); a figure: its caption.
                    let code_title = directive.option("caption").or(directive.option("filename"));
                    let title = match code_title {
                        Some(c) if CODE_DIRECTIVES.contains(&name.as_str()) => plain_roles(c),
                        _ if CODE_DIRECTIVES.contains(&name.as_str()) => label.to_string(),
                        _ if !arg.is_empty() && name != "figure" => plain_roles(&arg),
                        _ => caption.map_or_else(|| label.to_string(), plain_roles),
                    };
                    let at = directive
                        .options
                        .iter()
                        .find(|o| o.0 == "name" || o.0 == "label")
                        .map_or(0, |o| o.2);
                    let label = Label {
                        name: label.to_string(),
                        title,
                        line: first_line + inner[..at].matches('\n').count(),
                    };
                    if is_proof(&name) {
                        scan.proofs.push(label);
                    } else {
                        scan.labels.push(label);
                    }
                }
                if name == "glossary" {
                    let skipped = inner[..directive.body_at].matches('\n').count();
                    scan.glossary
                        .extend(glossary_entries(directive.body, first_line + skipped));
                }
            }
            LineKind::Text => {
                if let Some(label) = label_line(line) {
                    pending = Some((label.to_string(), line_no));
                }
            }
            LineKind::Code => {}
        }
    }
    if let Some((label, line)) = pending {
        scan.labels.push(Label {
            title: label.clone(),
            name: label,
            line,
        });
    }
    for (n, (name, at)) in equations(&body).into_iter().enumerate() {
        scan.equations.push(Label {
            name,
            title: format!("({})", n + 1),
            line: body[..at.min(body.len())].matches('\n').count() + 1,
        });
    }
    (!scan.labels.is_empty()
        || !scan.equations.is_empty()
        || !scan.proofs.is_empty()
        || !scan.glossary.is_empty())
    .then_some(scan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_and_role_names_are_docents_in_any_case() {
        assert_eq!(
            directive_info("{prf:Theorem} T"),
            Some(("prf:theorem", "T"))
        );
        assert_eq!(directive_info("{NOTE}"), Some(("note", "")));
        assert_eq!(directive_info("{List-Table}"), Some(("list-table", "")));
        assert_eq!(directive_info("{Table} Cap"), Some(("table", "Cap")));
        // Unknown names (docent's own components too) stay as written.
        assert_eq!(directive_info("{Faq}"), Some(("Faq", "")));
        assert_eq!(trailing_role("see {Ref}"), Some((4, "ref")));
        assert_eq!(trailing_role("see {refs}"), None);
    }

    #[test]
    fn equations_are_found_in_page_order_in_every_spelling() {
        let names =
            |body: &str| -> Vec<String> { equations(body).into_iter().map(|(n, _)| n).collect() };
        let body = "$$\na = b \\label{first}\n$$\n\n\
                    :::{note}\n```{math}\n:label: inner\nx\n```\n:::\n\n\
                    Text $$ c $$ (third)\n\n\
                    ```{math}\n:name: fourth\n\\label{not-this}\n```\n\n\
                    $$\r\ny\r\n$$ (fifth)\r\n";
        assert_eq!(names(body), ["first", "inner", "third", "fourth", "fifth"]);
        // Where each is written, so errors can point there.
        assert_eq!(&body[equations(body)[0].1..][..7], "\\label{");
        // Not equations: in code (spans, blocks, code cells), after an
        // escaped `\$$`, in inline math, past a blank line, or a label
        // that is not alone on the rest of its line.
        for not in [
            "`$$ x \\label{a} $$`",
            "```\n$$ x $$ (a)\n```",
            "```{code-cell} python\n$$ x $$ (a)\n```",
            "\\$$ x \\label{a}",
            "$x \\label{a}$",
            "$$\n\nx \\label{a}",
            "$$ x $$ (a) and more",
            "$$ x $$ (two words)",
            "é\\ü $$ x $$ (a b)",
        ] {
            assert_eq!(names(not), Vec::<String>::new(), "{not:?}");
        }
        // Numbered in that order, for other pages to show.
        let scan = scan(body).expect("equations");
        let numbered: Vec<_> = scan
            .equations
            .iter()
            .map(|l| (&*l.name, &*l.title, l.line))
            .collect();
        assert_eq!(numbered[2], ("third", "(3)", 12));
        assert!(scan.labels.is_empty(), "{:?}", scan.labels);
    }

    #[test]
    fn only_expressions_are_read_as_on_a_web_page() {
        for (expr, holds) in [
            ("html", true),
            ("latex", false),
            ("not latex", true),
            ("not html", false),
            ("html or epub", true),
            ("latex or epub", false),
            ("html and not latex", true),
            ("(latex or epub) and html", false),
            ("not (latex or epub)", true),
            // Unreadable: kept.
            ("html and", true),
            ("(html", true),
            ("", true),
        ] {
            assert_eq!(only_html(expr), holds, "{expr}");
        }
    }

    #[test]
    fn code_lines_are_those_of_code_blocks_and_code_directives() {
        let text =
            "a\n```{note}\nb\n```\n```\nc\n```\n```{code-cell} python\nd\n```\n:::{tip}\ne\n:::\n";
        let text_lines: Vec<&str> = lines_with_code(text)
            .into_iter()
            .filter(|(_, code)| !code)
            .map(|(l, _)| l.trim_end())
            .collect();
        assert_eq!(text_lines, ["a", "b", "e"]);
    }

    #[test]
    fn a_dollar_label_is_the_rest_of_its_line() {
        assert_eq!(dollar_label(" (eq:a)\nMore"), Some(("eq:a", 7)));
        assert_eq!(dollar_label("(a)\r\n"), Some(("a", 3)));
        assert_eq!(dollar_label(" (a) b"), None);
        assert_eq!(dollar_label(" ()"), None);
        assert_eq!(dollar_label(" (a$b)"), None);
    }

    #[test]
    fn containers_without_braces_name_directives_on_colon_fences_only() {
        let d = |info, colon| {
            fence_directive(info, colon).map(|d| (d.name, d.arg, d.container.is_some()))
        };
        assert_eq!(d("tip My title", true), Some(("tip", "My title", true)));
        assert_eq!(d("INFO", true), Some(("note", "", true)));
        assert_eq!(d("details Click", true), Some(("dropdown", "Click", true)));
        assert_eq!(
            d("note[Your *title*]", true),
            Some(("note", "Your *title*", true))
        );
        assert_eq!(d("[x]", true), None);
        assert_eq!(
            d("{.callout-warning #w title='Careful now'}", true),
            Some(("warning", "Careful now", true))
        );
        assert_eq!(d("{note} Text", true), Some(("note", "Text", false)));
        assert_eq!(d("{note} Text", false), Some(("note", "Text", false)));
        // Other names are divs; backtick and tilde fences are code.
        assert_eq!(d("challenge", true), Some(("div", "", true)));
        assert_eq!(d("{#x .challenge} :::", true), Some(("div", "", true)));
        assert_eq!(
            fence_directive("Challenge ::::", true).and_then(|d| d.container),
            Some("Challenge")
        );
        assert_eq!(d("tip", false), None);
        assert_eq!(d("{.python}", false), None);
        assert_eq!(d("{.callout-note", true), None);
        assert_eq!(d("1st", true), None);
        assert_eq!(d("a.b", true), None);
        assert_eq!(d("{#only-id}", true), None);
        assert_eq!(
            pandoc_code_language("{.python .numberLines}"),
            Some("python")
        );
        assert_eq!(pandoc_code_language("{#id .r}"), Some("r"));
        assert_eq!(pandoc_code_language("{python}"), None);
        assert_eq!(pandoc_code_language("python"), None);
    }

    #[test]
    fn colon_fences_become_tildes_of_the_same_length() {
        let text = "::::{note}\nA\n:::{tip}\nB\n:::\n::::\n";
        let out = colon_fences(text);
        assert_eq!(out, "~~~~{note}\nA\n~~~{tip}\nB\n~~~\n~~~~\n");
        assert_eq!(out.len(), text.len());
    }

    #[test]
    fn colon_fences_inside_code_stay() {
        let text = "```\n:::{note}\n:::\n```\n:::{tip}\nx\n:::\n";
        assert_eq!(
            colon_fences(text),
            "```\n:::{note}\n:::\n```\n~~~{tip}\nx\n~~~\n"
        );
        // Prose with colons is left alone.
        assert_eq!(colon_fences("a ::: b\n:::\n"), "a ::: b\n:::\n");
    }

    #[test]
    fn directive_options_and_body() {
        let d = Directive::parse(":alt: A chart\n:name: fig-1\n\nThe caption.\n");
        assert_eq!(d.option("alt"), Some("A chart"));
        assert_eq!(d.option("name"), Some("fig-1"));
        assert_eq!(d.body, "The caption.\n");
        let d = Directive::parse("---\nalt: \"Quoted\"\nwidth: 300px\n---\nBody\n");
        assert_eq!(d.option("alt"), Some("Quoted"));
        assert_eq!(d.option("width"), Some("300px"));
        assert_eq!(d.body, "Body\n");
        let d = Directive::parse("Just a body with :colons: inside\n");
        assert!(d.options.is_empty());
        assert_eq!(d.body_at, 0);
    }

    #[test]
    fn roles_and_labels() {
        assert_eq!(trailing_role("see {ref}"), Some((4, "ref")));
        assert_eq!(trailing_role("as {cite:t}"), Some((3, "cite:t")));
        assert_eq!(trailing_role("set {x}"), None);
        assert_eq!(
            role_target("the intro <intro-label>"),
            (Some("the intro"), "intro-label")
        );
        assert_eq!(role_target("plain"), (None, "plain"));
        assert_eq!(label_line("(my-label)="), Some("my-label"));
        assert_eq!(label_line("(not a label)="), None);
        let mut seen = Vec::new();
        let out = rewrite_roles(
            "A {ref}`x` and ``{ref}`y` `` and {cite:p}`k`.",
            &mut |r, c| {
                seen.push((r.to_string(), c.to_string()));
                Some(format!("<{c}>"))
            },
        );
        assert_eq!(out, "A <x> and ``{ref}`y` `` and <k>.");
        assert_eq!(seen.len(), 2);
        assert_eq!(
            plain_roles("Cycles {cite:p}`w2017`, see {ref}`the stages <s>`"),
            "Cycles, see the stages"
        );
        // A title shows its words, not its Markdown; text that is not one
        // paragraph of Markdown (a list marker first) stays as written.
        assert_eq!(
            plain_roles("Hours of *sleep* and `code`, \\*not\\*"),
            "Hours of sleep and code, *not*"
        );
        assert_eq!(plain_roles("1. Introduction"), "1. Introduction");
        assert_eq!(
            plain_roles("[Linked](https://x.org) **bold**"),
            "Linked bold"
        );
    }

    #[test]
    fn a_page_whose_only_labels_are_label_options_is_scanned() {
        // The quick test for "no labels here" missed `:label:` (mystmd's
        // spelling of `:name:`): such labels were "not in the site".
        let found = scan(":::{note}\n:label: only\nText.\n:::\n").expect("a label");
        assert_eq!(
            found
                .labels
                .iter()
                .map(|l| l.name.as_str())
                .collect::<Vec<_>>(),
            ["only"]
        );
    }

    #[test]
    fn scan_finds_labels_figures_and_glossary_terms() {
        let body = "(safety)=\n## Staying safe {#x}\n\n```{figure} a.png\n:name: fig-a\n\
                    :alt: A\n\nA caption.\n```\n\n:::{glossary}\nPTSD\n  A condition.\n\n  More.\n\nMyST\nMarkedly\n  Text.\n:::\n\
                    ```\n(not)=\n```\n";
        let s = scan(body).unwrap();
        let labels: Vec<_> = s.labels.iter().map(|l| (&*l.name, &*l.title)).collect();
        assert_eq!(
            labels,
            [("safety", "Staying safe"), ("fig-a", "A caption.")]
        );
        assert_eq!(s.glossary.len(), 2);
        assert_eq!(s.glossary[0].term, "PTSD");
        assert_eq!(s.glossary[0].definition, "A condition.\n\nMore.");
        assert_eq!(s.glossary[1].aliases, ["Markedly"]);
        assert_eq!(body.lines().nth(s.glossary[1].line - 1), Some("MyST"));
        assert_eq!(s.labels[1].line, 5);
        assert_eq!(s.labels[0].line, 1);
        assert!(scan("Plain prose.\n").is_none());
    }
}
