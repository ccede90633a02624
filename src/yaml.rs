//! The one place that knows which YAML library docent uses.
//!
//! `serde_yaml` is deprecated upstream; swapping it for a maintained fork
//! must touch only this file. Everything else asks for a typed value and gets
//! back either the value or a located [`Diagnostic`].

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Kind};

/// Where a YAML fragment sits inside its file, so errors point at the file's
/// own lines (front matter starts after the opening `---`).
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub path: &'a Path,
    /// The whole file, for showing the offending line.
    pub file_text: &'a str,
    /// Number of file lines before the fragment's first line.
    pub line_offset: usize,
}

/// Parse `text` (a YAML fragment of the file in `origin`) into `T`.
pub fn parse<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|e| to_diagnostic(&e, origin))
}

/// Parse a fragment as a generic JSON-like value (for `extra` maps, data files).
pub fn parse_value(text: &str, origin: Origin<'_>) -> Result<serde_json::Value, Diagnostic> {
    parse(text, origin)
}

/// Line and column (1-based) of `field` inside item `index` of the top-level
/// sequence `seq_key` (`rows:`) in YAML `text`; the item's first line if the
/// field is not written there. Used to point errors at a data file's row.
pub fn locate_item(
    text: &str,
    seq_key: &str,
    index: usize,
    field: Option<&str>,
) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| {
        l.strip_prefix(seq_key)
            .is_some_and(|r| r.trim_start().starts_with(':'))
    })?;
    let mut item_indent = None;
    let mut count = 0usize;
    let mut item_start = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent == 0 && !trimmed.starts_with('-') {
            break; // next top-level key
        }
        if trimmed.starts_with("- ") || trimmed == "-" {
            let ind = *item_indent.get_or_insert(indent);
            if indent == ind {
                if let Some(s) = item_start
                    && count == index + 1
                {
                    return Some(field_in(&lines, s, i, field));
                }
                count += 1;
                if count == index + 1 {
                    item_start = Some(i);
                }
            }
        }
    }
    item_start.map(|s| field_in(&lines, s, lines.len(), field))
}

fn field_in(lines: &[&str], start: usize, end: usize, field: Option<&str>) -> (usize, usize) {
    if let Some(f) = field {
        for (i, line) in lines.iter().enumerate().take(end).skip(start) {
            let mut rest = *line;
            let mut offset = 0;
            while let Some(pos) = rest.find(f) {
                let before_ok = pos == 0
                    || !rest.as_bytes()[pos - 1].is_ascii_alphanumeric()
                        && rest.as_bytes()[pos - 1] != b'_';
                let after = rest[pos + f.len()..].trim_start();
                if before_ok && after.starts_with(':') {
                    return (i + 1, line[..offset + pos].chars().count() + 1);
                }
                offset += pos + f.len();
                rest = &rest[pos + f.len()..];
            }
        }
    }
    let line = lines.get(start).copied().unwrap_or("");
    (start + 1, line.len() - line.trim_start().len() + 1)
}

fn to_diagnostic(e: &serde_yaml::Error, origin: Origin<'_>) -> Diagnostic {
    let full = e.to_string();
    let message = strip_location(&full).to_string();
    let (line, column) = match e.location() {
        Some(loc) => (loc.line() + origin.line_offset, loc.column()),
        None => (origin.line_offset + 1, 1),
    };
    let (kind, hint) = classify(&message);
    let mut d =
        Diagnostic::new(kind, message).at(origin.path, line, column, Some(origin.file_text));
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

/// serde_yaml appends " at line L column C"; we show the location ourselves.
fn strip_location(msg: &str) -> &str {
    match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

fn classify(message: &str) -> (Kind, Option<String>) {
    // Nested errors are prefixed with their path: "newsletter: unknown field …".
    let message = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => rest,
        _ => message,
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let expected: Vec<&str> = tail
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|s| !s.is_empty())
            .collect();
        let hint = match crate::util::closest(field, expected.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? Known keys: {}", expected.join(", ")),
            None => format!(
                "remove it, or use one of the known keys: {}",
                expected.join(", ")
            ),
        };
        return (Kind::UnknownKey, Some(hint));
    }
    if message.starts_with("missing field") {
        return (Kind::MissingField, Some("add the field".into()));
    }
    if message.starts_with("invalid type") || message.starts_with("invalid value") {
        return (
            Kind::InvalidValue,
            Some("check the value's type (quote text that looks like a number or date)".into()),
        );
    }
    (
        Kind::Yaml,
        Some("check the YAML syntax: indentation, `key: value` pairs, quotes around text with `:` or `#`".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        weight: Option<i64>,
    }

    fn origin<'a>(text: &'a str, offset: usize) -> Origin<'a> {
        Origin {
            path: Path::new("content/x.md"),
            file_text: text,
            line_offset: offset,
        }
    }

    #[test]
    fn unknown_field_is_located_and_suggests() {
        let file = "---\ntitle: a\ntitel: b\n---\n";
        let d = parse::<T>("title: a\ntitel: b\n", origin(file, 1)).unwrap_err();
        assert_eq!(d.kind, Kind::UnknownKey);
        assert_eq!((d.line, d.column), (3, 1));
        assert_eq!(d.source_line.as_deref(), Some("titel: b"));
        assert!(d.hint.unwrap().contains("did you mean `title`"));
    }

    #[test]
    fn syntax_error_line_is_relative_to_file() {
        let file = "---\ntitle: a\nweight: [1\n---\n";
        let d = parse::<T>("title: a\nweight: [1\n", origin(file, 1)).unwrap_err();
        assert_eq!(d.kind, Kind::InvalidValue, "{d}");
        assert_eq!(d.line, 3);
        let file = "---\ntitle: \"open\n---\n";
        let d = parse::<T>("title: \"open\n", origin(file, 1)).unwrap_err();
        assert_eq!(d.kind, Kind::Yaml, "{d}");
        assert!(d.line >= 3, "{d:?}");
    }

    #[test]
    fn locates_items_and_fields() {
        let text = "caption: x\nrows:\n  - study: A\n    n: 1\n  - {study: B, n: 2}\n  - study: C\n    n: x\nnotes: y\n";
        assert_eq!(locate_item(text, "rows", 0, Some("n")), Some((4, 5)));
        assert_eq!(locate_item(text, "rows", 1, Some("n")), Some((5, 16)));
        assert_eq!(locate_item(text, "rows", 2, Some("n")), Some((7, 5)));
        assert_eq!(locate_item(text, "rows", 2, Some("zzz")), Some((6, 3)));
        assert_eq!(locate_item(text, "rows", 5, None), None);
    }

    #[test]
    fn empty_fragment_is_an_empty_map() {
        let v = parse_value("  \n", origin("", 0)).unwrap();
        assert!(v.as_object().unwrap().is_empty());
    }
}
