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
pub(crate) struct Origin<'a> {
    pub path: &'a Path,
    /// The whole file, for showing the offending line.
    pub file_text: &'a str,
    /// Number of file lines before the fragment's first line.
    pub line_offset: usize,
}

/// Parse `text` (a YAML fragment of the file in `origin`) into `T`.
pub(crate) fn parse<T: DeserializeOwned>(text: &str, origin: Origin<'_>) -> Result<T, Diagnostic> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    check_depth(text, origin)?;
    serde_yaml::from_str(text).map_err(|e| to_diagnostic(&e, origin))
}

/// Deepest nesting docent reads. The YAML parser's time grows with the
/// square of the depth (100,000 nested `[` took 37 s); no real data file
/// comes near this.
pub(crate) const MAX_DEPTH: usize = 64;

/// Refuse values nested deeper than [`MAX_DEPTH`] before parsing: flow
/// collections (`[[[…`, `{{{…`) and block lists opened on one line
/// (`- - - …`). Brackets inside quotes are text.
fn check_depth(text: &str, origin: Origin<'_>) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let bytes = text.as_bytes();
    let mut line_start = true;
    let mut dashes = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(q) = quote {
            if b == q {
                quote = None;
            }
            continue;
        }
        match b {
            b'\n' => {
                line_start = true;
                dashes = 0;
                continue;
            }
            b'"' | b'\'' if depth > 0 || !line_start => {
                // Quotes open strings only where a value starts; an
                // apostrophe inside plain text (`it's`) is text.
                let prev = text[..i].trim_end().as_bytes().last().copied();
                if matches!(prev, None | Some(b'[' | b'{' | b',' | b':' | b'-' | b'\n')) {
                    quote = Some(b);
                }
            }
            b'#' if quote.is_none() && (i == 0 || bytes[i - 1].is_ascii_whitespace()) => {
                // A comment: skip to the end of the line.
                let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |o| i + o);
                if end == bytes.len() {
                    break;
                }
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'-' if line_start && bytes.get(i + 1).is_none_or(|c| *c == b' ') => dashes += 1,
            b' ' | b'\t' => continue,
            _ => line_start = false,
        }
        if b != b'-' {
            line_start = false;
        }
        if depth + dashes > MAX_DEPTH {
            let (line, column) = crate::error::line_col(text, i);
            return Err(Diagnostic::new(
                Kind::InvalidValue,
                format!("a value nested more than {MAX_DEPTH} levels deep"),
            )
            .at(
                origin.path,
                line + origin.line_offset,
                column,
                Some(origin.file_text),
            )
            .hint("flatten the data: docent reads at most 64 nested lists or maps"));
        }
    }
    Ok(())
}

/// Like [`parse`], but when the first error is an unknown key, every
/// unknown key of the same mapping is reported at once (a file with five
/// typos needs one round of fixes, not five).
pub(crate) fn parse_all<T: DeserializeOwned>(
    text: &str,
    origin: Origin<'_>,
) -> Result<T, Vec<Diagnostic>> {
    let fragment = if text.trim().is_empty() { "{}" } else { text };
    check_depth(fragment, origin).map_err(|d| vec![d])?;
    let e = match serde_yaml::from_str::<T>(fragment) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let first = to_diagnostic(&e, origin);
    if first.kind != Kind::UnknownKey {
        return Err(vec![first]);
    }
    match all_unknown_keys(fragment, strip_location(&e.to_string()), origin) {
        Some(all) if !all.is_empty() => Err(all),
        _ => Err(vec![first]),
    }
}

/// Every key of the mapping an unknown-key `message` is about ("path:
/// unknown field `x`, expected one of `a`, `b`") that is not among the
/// expected keys, each located at its own line. `None` when the mapping
/// cannot be found again.
fn all_unknown_keys(text: &str, message: &str, origin: Origin<'_>) -> Option<Vec<Diagnostic>> {
    let (path, rest) = match message.split_once(": unknown field `") {
        Some((p, r)) => (p, r),
        None => ("", message.strip_prefix("unknown field `")?),
    };
    let (_, tail) = rest.split_once('`')?;
    let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    let root: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
    let mut node = &root;
    let mut keys: Vec<&str> = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, index) = match part.split_once('[') {
            Some((n, i)) => (n, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        node = node.get(name)?;
        keys.push(name);
        if let Some(i) = index {
            node = node.get(i)?;
        }
    }
    let mapping = node.as_mapping()?;
    let hint_tail = if expected.contains(&"extra") {
        "; your own keys go under `extra:`"
    } else {
        ""
    };
    let unknown = mapping
        .keys()
        .filter_map(serde_yaml::Value::as_str)
        .filter(|k| !expected.contains(k));
    Some(
        unknown
            .map(|key| {
                let hint = match crate::util::closest(key, expected.iter().copied()) {
                    Some(best) => format!(
                        "did you mean `{best}`? Known keys: {}{hint_tail}",
                        expected.join(", ")
                    ),
                    None => format!(
                        "remove it, or use one of the known keys: {}{hint_tail}",
                        expected.join(", ")
                    ),
                };
                let (line, column) = key_line(text, &keys, key).unwrap_or((1, 1));
                let shown_path = keys.join(".");
                let message = if shown_path.is_empty() {
                    format!("unknown key `{key}`")
                } else {
                    format!("unknown key `{key}` in `{shown_path}`")
                };
                Diagnostic::new(Kind::UnknownKey, message)
                    .at(
                        origin.path,
                        line + origin.line_offset,
                        column,
                        Some(origin.file_text),
                    )
                    .hint(hint)
            })
            .collect(),
    )
}

/// Line and column (1-based, within `text`) of `key:` under the nested
/// mapping keys `parents`: each parent is looked for after the previous one,
/// more indented; the key itself likewise (or in a `{flow: map}` on the
/// parent's line).
pub(crate) fn key_line(text: &str, parents: &[&str], key: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    let mut indent: Option<usize> = None;
    let find = |name: &str, from: usize, indent: Option<usize>| {
        (from..lines.len()).find_map(|i| {
            let line = lines[i];
            let trimmed = line.trim_start().trim_start_matches("- ");
            let ind = line.len() - trimmed.len();
            if indent.is_some_and(|p| ind <= p && i > from) && !trimmed.is_empty() {
                return Some(None);
            }
            if indent.is_none() && ind > 0 {
                return None;
            }
            let at_key = |pos: usize| {
                let after = &line[pos + name.len()..];
                let before_ok = line[..pos]
                    .chars()
                    .next_back()
                    .is_none_or(|c| c == ' ' || c == '{' || c == ',' || c == '-');
                before_ok && after.trim_start().starts_with(':')
            };
            line.match_indices(name)
                .map(|(p, _)| p)
                .find(|&p| at_key(p))
                .map(|p| Some((i, p, ind)))
        })
    };
    for parent in parents {
        let (i, _, ind) = find(parent, from, indent)??;
        from = i;
        indent = Some(ind);
    }
    let (i, p, _) = find(key, from, indent)??;
    Some((i + 1, lines[i][..p].chars().count() + 1))
}

/// Whether `text` is a YAML list at its top level (for bodies that may be
/// written as a bare list or as a map holding the list: parsing the shape
/// that was written gives errors about that shape, not about both).
pub(crate) fn is_list(text: &str) -> bool {
    // Read from the first line with content (not a comment or a document
    // marker), without parsing the whole body a second time: a top-level
    // list starts with `- ` (or is `-` alone) or `[`.
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")
        .is_some_and(|l| l == "-" || l.starts_with("- ") || l.starts_with('['))
}

/// Parse a fragment as a generic JSON-like value (for `extra` maps, data
/// files); a key written twice in one mapping is an error ([`Strict`]).
pub(crate) fn parse_value(text: &str, origin: Origin<'_>) -> Result<serde_json::Value, Diagnostic> {
    parse::<Strict>(text, origin).map(|v| v.0)
}

/// A JSON-like value read from YAML that refuses a mapping holding a key
/// twice: YAML forbids it, and serde_json's map keeps the last silently
/// (two works under one citation key lost the first).
pub(crate) struct Strict(pub serde_json::Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

/// `#[serde(deserialize_with)]` for a free-form value in a typed one
/// (`extra:`): [`Strict`].
pub(crate) fn strict<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<serde_json::Value, D::Error> {
    serde::Deserialize::deserialize(d).map(|v: Strict| v.0)
}

/// [`strict`] for an optional value.
pub(crate) fn strict_some<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    strict(d).map(Some)
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        // As serde_json: a number JSON cannot hold (`.nan`, `.inf`) is null.
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        serde::Deserialize::deserialize(d).map(|v: Strict| v.0)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(items.into())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate field `{key}`"
                )));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(out.into())
    }
}

/// A value written as YAML (front matter and site.yaml that `docent
/// import` writes).
pub(crate) fn to_string(value: &serde_json::Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

/// Parse YAML that may use tags docent does not know (`!!python/name:…`
/// in an mkdocs.yml): tagged values are read as their untagged value.
pub(crate) fn parse_loose(text: &str) -> Result<serde_json::Value, String> {
    fn untag(v: serde_yaml::Value) -> serde_json::Value {
        use serde_yaml::Value as Y;
        match v {
            Y::Null => serde_json::Value::Null,
            Y::Bool(b) => b.into(),
            Y::Number(n) => serde_json::to_value(n).unwrap_or(serde_json::Value::Null),
            Y::String(s) => s.into(),
            Y::Sequence(items) => items.into_iter().map(untag).collect(),
            Y::Mapping(map) => map
                .into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        other => serde_yaml::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    (key, untag(v))
                })
                .collect::<serde_json::Map<_, _>>()
                .into(),
            Y::Tagged(t) => untag(t.value),
        }
    }
    serde_yaml::from_str::<serde_yaml::Value>(text)
        .map(untag)
        .map_err(|e| humanize(&e.to_string()))
}

/// Where each item of a list in a YAML file starts, found in one pass, so
/// that locating an error in row 9,000 does not scan the file again (that
/// made many row errors take time in the square of the file's size).
pub(crate) struct Items<'a> {
    lines: Vec<&'a str>,
    /// Line index where each item starts, and one past the list's end.
    starts: Vec<usize>,
    end: usize,
}

impl<'a> Items<'a> {
    /// The items of the top-level sequence `seq_key` (`rows:`), or of the
    /// file's own top-level list when `seq_key` is `None`.
    pub(crate) fn new(text: &'a str, seq_key: Option<&str>) -> Items<'a> {
        let lines: Vec<&str> = text.lines().collect();
        let first = match seq_key {
            None => Some(0),
            Some(key) => lines
                .iter()
                .position(|l| {
                    l.strip_prefix(key)
                        .is_some_and(|r| r.trim_start().starts_with(':'))
                })
                .map(|p| p + 1),
        };
        let mut starts = Vec::new();
        let mut end = lines.len();
        let mut item_indent = None;
        for (i, line) in lines.iter().enumerate().skip(first.unwrap_or(lines.len())) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if indent == 0 && !trimmed.starts_with('-') && seq_key.is_some() {
                end = i; // the next top-level key
                break;
            }
            if (trimmed.starts_with("- ") || trimmed == "-")
                && *item_indent.get_or_insert(indent) == indent
            {
                starts.push(i);
            }
        }
        Items { lines, starts, end }
    }

    /// Line and column (1-based) of `field` in item `index`, else of the
    /// item's first line; `None` when there is no such item.
    pub(crate) fn locate(&self, index: usize, field: Option<&str>) -> Option<(usize, usize)> {
        let start = *self.starts.get(index)?;
        let end = self.starts.get(index + 1).copied().unwrap_or(self.end);
        Some(field_in(&self.lines, start, end, field))
    }
}

fn field_in(lines: &[&str], start: usize, end: usize, field: Option<&str>) -> (usize, usize) {
    // An empty key (`"": 1`) cannot be searched for: it would match
    // everywhere, without advancing.
    if let Some(f) = field.filter(|f| !f.is_empty()) {
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
    if let Some(d) = duplicate_key(&message, origin, line, column) {
        return d;
    }
    let (kind, hint) = classify(&message);
    let hint = shape_hint(&message).or(hint);
    let mut d = Diagnostic::new(kind, humanize(&message)).at(
        origin.path,
        line,
        column,
        Some(origin.file_text),
    );
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

/// A serde message (YAML or JSON) in the user's terms: what was expected
/// and what was found, without the Rust type names serde puts in (`struct
/// Full`, `u8`, `untagged enum TakeawaysBody`). A `path: ` prefix naming
/// the nested key stays.
pub(crate) fn humanize(message: &str) -> String {
    let (prefix, body) = match message.split_once(": ") {
        Some((path, rest))
            if !path.contains(' ') && !path.is_empty() && !path.starts_with("invalid") =>
        {
            (format!("in {}: ", path_words(path)), rest)
        }
        _ => (String::new(), message),
    };
    let body = body.split(" at line ").next().unwrap_or(body);
    let text = if let Some(rest) = body
        .strip_prefix("invalid type: ")
        .or_else(|| body.strip_prefix("invalid value: "))
    {
        match rest.split_once(", expected ") {
            Some((found, expected)) => format!(
                "expected {}, found {}",
                expected_words(expected),
                found_words(found)
            ),
            None => rest.to_string(),
        }
    } else if body.starts_with("repetition limit exceeded") {
        "its aliases (`*name`) repeat values so often that it would expand to a huge value"
            .to_string()
    } else if body.starts_with("data did not match any variant") {
        "this value does not have any of the shapes this key accepts".to_string()
    } else if let Some(rest) = body.strip_prefix("unknown variant `") {
        let (value, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
        format!(
            "`{value}` is not one of the allowed values: {}",
            allowed.join(", ")
        )
    } else if let Some(rest) = body.strip_prefix("unknown field `") {
        let (key, tail) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
        if known.is_empty() {
            format!("unknown key `{key}`")
        } else {
            format!("unknown key `{key}` (known keys: {})", known.join(", "))
        }
    } else if let Some(key) = body
        .strip_prefix("duplicate field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        format!("`{key}` is written twice")
    } else if let Some(rest) = body.strip_prefix("missing field `") {
        format!("missing `{}`", rest.trim_end_matches('`'))
    } else if let Some(rest) = body.strip_prefix("invalid length ") {
        match rest.split_once(", expected ") {
            Some((n, expected)) => {
                format!("expected {}, found {n} items", expected_words(expected))
            }
            None => body.to_string(),
        }
    } else {
        expected_words(body)
    };
    format!("{prefix}{text}")
}

/// serde's path to a nested value (`items[0].q`, `.[1]`) in words:
/// `` `items`, item 1, `q` ``; `item 2 of the list`.
fn path_words(path: &str) -> String {
    let mut parts = Vec::new();
    for seg in path.split('.').filter(|s| !s.is_empty()) {
        let (name, index) = match seg.split_once('[') {
            Some((n, i)) => (n, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        if !name.is_empty() {
            parts.push(format!("`{name}`"));
        }
        if let Some(i) = index {
            parts.push(if name.is_empty() && parts.is_empty() {
                format!("item {} of the list", i + 1)
            } else {
                format!("item {}", i + 1)
            });
        }
    }
    parts.join(", ")
}

/// serde's description of what a type expects, in YAML terms.
fn expected_words(expected: &str) -> String {
    let e = expected.trim();
    let words = |w: &str| -> String {
        match w {
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, 0 or more".into(),
            "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "an integer" => {
                "a whole number".into()
            }
            "f32" | "f64" | "a float" => "a number".into(),
            "a string" | "a borrowed string" | "a string or a map" => "text".into(),
            "a boolean" => "true or false".into(),
            "a sequence" => "a list (`- item` lines)".into(),
            "a map" => "a map (`key: value` lines)".into(),
            "unit" => "nothing".into(),
            w if w.starts_with("struct ") || w.starts_with("a map of ") => {
                "a map (`key: value` lines)".into()
            }
            w if w.starts_with("enum ") || w.starts_with("variant ") => {
                "one of the allowed values".into()
            }
            w if w.starts_with("tuple") || w.starts_with("a tuple") => {
                "a list (`- item` lines)".into()
            }
            w => w.to_string(),
        }
    };
    let mut out = words(e);
    // Type names inside longer descriptions ("a sequence of u8").
    for (from, to) in [
        ("struct ", "map "),
        ("untagged enum ", "value "),
        ("enum ", "value "),
    ] {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out
}

/// serde's description of what it found (`string "x"`, `integer `5``).
fn found_words(found: &str) -> String {
    let f = found.trim();
    if let Some(s) = f.strip_prefix("string ") {
        return format!("the text {s}");
    }
    if let Some(n) = f
        .strip_prefix("integer ")
        .or_else(|| f.strip_prefix("floating point "))
    {
        return format!("the number {}", n.trim_matches('`'));
    }
    if let Some(b) = f.strip_prefix("boolean ") {
        return b.trim_matches('`').to_string();
    }
    match f {
        "sequence" => "a list".into(),
        "map" => "a map (`key: value`)".into(),
        "unit value" | "null" => "an empty value".into(),
        other => other.to_string(),
    }
}

/// A hint for the shape mistakes editors make most: a colon in text turns
/// it into a map; a list where one value was expected and the reverse.
fn shape_hint(message: &str) -> Option<String> {
    let found_map = message.contains("invalid type: map");
    let wants_text = message.contains("expected a string");
    if found_map && wants_text {
        return Some(
            "text that contains `: ` reads as a `key: value` pair: put it in quotes, \
             e.g. `- \"Note: it helps\"`"
                .into(),
        );
    }
    if message.contains("invalid type: sequence") {
        return Some("this key takes one value, not a list of `- item` lines".into());
    }
    if message.contains("expected a sequence") {
        return Some("write the values as a list, one `- item` line each".into());
    }
    None
}

/// The error for a key written twice ("duplicate field `k`", from serde's
/// derived structs and from [`Strict`]), located at the second time, with
/// the line of the first. serde_yaml reports a place in the mapping (its
/// start, or where it read the second); the mapping is the run of lines
/// around it indented at least as far, and the key is looked for at the
/// reported column's indentation. `None` for any other error, or when the
/// key cannot be found twice there.
fn duplicate_key(
    message: &str,
    origin: Origin<'_>,
    line: usize,
    column: usize,
) -> Option<Diagnostic> {
    let (path, rest) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => (Some(path), rest),
        _ => (None, message),
    };
    let key = rest.strip_prefix("duplicate field `")?.strip_suffix('`')?;
    let lines: Vec<&str> = origin.file_text.lines().collect();
    let indent = column.saturating_sub(1);
    let at = line.checked_sub(1).filter(|&l| l < lines.len())?;
    let lead = |l: &str| l.len() - l.trim_start().len();
    // A mapping that is a list item starts on its `- ` line.
    let item_start = |l: &str| lead(l) + 2 == indent && l.trim_start().starts_with("- ");
    let inside = |l: &str| {
        let t = l.trim_start();
        (t.is_empty() || t.starts_with('#') || lead(l) >= indent) && t != "---"
    };
    let mut start = at;
    while start > origin.line_offset && !item_start(lines[start]) && inside(lines[start - 1]) {
        start -= 1;
    }
    if start > origin.line_offset && !item_start(lines[start]) && item_start(lines[start - 1]) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < lines.len() && !item_start(lines[end]) && inside(lines[end]) {
        end += 1;
    }
    let mut found = (start..end).filter(|&i| key_at(lines[i], indent) == Some(key));
    let (first, second) = (found.next()?, found.next()?);
    let prefix = path
        .map(|p| format!("in {}: ", path_words(p)))
        .unwrap_or_default();
    Some(
        Diagnostic::new(
            Kind::Yaml,
            format!("{prefix}`{key}` is written twice (first at line {})", first + 1),
        )
        .at(origin.path, second + 1, indent + 1, Some(origin.file_text))
        .hint("keep one of them, or give the second a name of its own: a key may appear once in each mapping"),
    )
}

/// The key that starts at column `indent` (0-based) of `line`, itself or
/// after the `- ` of a list item.
fn key_at(line: &str, indent: usize) -> Option<&str> {
    let t = line.trim_start();
    match line.len() - t.len() {
        n if n == indent => key_of(t),
        n if n + 2 == indent => key_of(t.strip_prefix("- ")?),
        _ => None,
    }
}

/// The key a `key: value` line (already without its indentation) starts
/// with, unquoted; `None` for a list item or a line without one.
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once(':')?;
    let key = key.trim_end();
    let unquoted = key
        .strip_prefix('"')
        .and_then(|k| k.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')));
    match unquoted {
        Some(k) => Some(k),
        None if !key.starts_with("- ") && !key.is_empty() => Some(key),
        None => None,
    }
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
    if message.starts_with("repetition limit exceeded") {
        return (
            Kind::Yaml,
            Some("write the values out, or use fewer `*name` references to anchors".into()),
        );
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
    fn a_key_twice_in_a_free_form_value_is_located_at_the_second() {
        let file =
            "rows:\n  - name: a\n    dose: 1\n  - name: b\n    dose: 2\n    dose: 3\nnote: x\n";
        let d = parse_value(file, origin(file, 0)).unwrap_err();
        assert_eq!((d.line, d.column), (6, 5), "{d:?}");
        assert!(
            d.message
                .ends_with("`dose` is written twice (first at line 5)"),
            "{d:?}"
        );
        // The first key of a list item's mapping, written again.
        let file = "- name: a\n  name: b\n- name: c\n";
        let d = parse_value(file, origin(file, 0)).unwrap_err();
        assert_eq!((d.line, d.column), (2, 3), "{d:?}");
        assert!(
            d.message
                .ends_with("`name` is written twice (first at line 1)"),
            "{d:?}"
        );
        // The same key in two mappings is no repeat; numbers, nulls, lists stay.
        let ok = "a: {k: 1}\nb: {k: 2}\nc: [1, 2.5, ~, true]\nd: .nan\n";
        let v = parse_value(ok, origin(ok, 0)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"a": {"k": 1}, "b": {"k": 2}, "c": [1, 2.5, null, true], "d": null})
        );
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
        assert_eq!(
            Items::new(text, Some("rows")).locate(0, Some("n")),
            Some((4, 5))
        );
        assert_eq!(
            Items::new(text, Some("rows")).locate(1, Some("n")),
            Some((5, 16))
        );
        assert_eq!(
            Items::new(text, Some("rows")).locate(2, Some("n")),
            Some((7, 5))
        );
        assert_eq!(
            Items::new(text, Some("rows")).locate(2, Some("zzz")),
            Some((6, 3))
        );
        assert_eq!(Items::new(text, Some("rows")).locate(5, None), None);
        // The file's own top-level list.
        let list = "# terms\n- term: a\n  definition: x\n- term: b\n  definition: y\n";
        // An empty field name is not searched for (it used to loop forever).
        assert_eq!(
            Items::new(text, Some("rows")).locate(0, Some("")),
            Some((3, 3))
        );
        let items = Items::new(list, None);
        assert_eq!(items.locate(1, Some("definition")), Some((5, 3)));
        assert_eq!(items.locate(0, None), Some((2, 1)));
        assert_eq!(items.locate(2, None), None);
    }

    #[test]
    fn every_unknown_key_of_the_mapping_is_reported_at_once() {
        let file = "---\ntitel: a\nweigth: 2\ncolour: red\nweight: 1\n---\n";
        let yaml = "titel: a\nweigth: 2\ncolour: red\nweight: 1\n";
        let all = parse_all::<T>(yaml, origin(file, 1)).unwrap_err();
        let found: Vec<(String, usize, usize)> = all
            .iter()
            .map(|d| (d.message.clone(), d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                ("unknown key `titel`".to_string(), 2, 1),
                ("unknown key `weigth`".to_string(), 3, 1),
                ("unknown key `colour`".to_string(), 4, 1),
            ]
        );
        assert!(all.iter().all(|d| d.kind == Kind::UnknownKey));
        assert!(
            all[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("did you mean `title`")
        );
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        title: String,
        inner: Option<T>,
        extra: Option<serde_json::Value>,
    }

    #[test]
    fn unknown_keys_of_a_nested_mapping_are_located_under_their_parent() {
        let yaml = "title: x\ninner:\n  title: y\n  bad: 1\n  worse: 2\ntitle2: z\n";
        let all = parse_all::<Outer>(yaml, origin(yaml, 0)).unwrap_err();
        let found: Vec<(String, usize, usize)> = all
            .iter()
            .map(|d| (d.message.clone(), d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                ("unknown key `bad` in `inner`".to_string(), 4, 3),
                ("unknown key `worse` in `inner`".to_string(), 5, 3),
            ]
        );
        let all = parse_all::<Outer>("tilte: x\nfoo: 1\n", origin("", 0)).unwrap_err();
        assert_eq!(all.len(), 2);
        assert!(
            all[1].hint.as_deref().unwrap().contains("under `extra:`"),
            "{:?}",
            all[1]
        );
        let one = parse_all::<Outer>("title: x\nfoo: 1\n", origin("", 0)).unwrap_err();
        assert_eq!(one.len(), 1);
        assert_eq!(
            (one[0].message.as_str(), one[0].line),
            ("unknown key `foo`", 2)
        );
    }

    #[test]
    fn messages_speak_yaml_not_rust() {
        for (raw, want) in [
            (
                "invalid type: sequence, expected struct Full",
                "expected a map (`key: value` lines), found a list",
            ),
            (
                "data did not match any variant of untagged enum TakeawaysBody",
                "this value does not have any of the shapes this key accepts",
            ),
            (
                "items[0]: invalid type: map, expected a string",
                "in `items`, item 1: expected text, found a map (`key: value`)",
            ),
            (
                ".[1]: unknown field `answer`, expected `q` or `a`",
                "in item 2 of the list: unknown key `answer` (known keys: q, a)",
            ),
            (
                "invalid value: integer `300`, expected u8",
                "expected a whole number, 0 or more, found the number 300",
            ),
            (
                "unknown variant `doctor`, expected one of `patient`, `clinician`",
                "`doctor` is not one of the allowed values: patient, clinician",
            ),
            ("missing field `a`", "missing `a`"),
            (
                "invalid type: string \"x\", expected i64",
                "expected a whole number, found the text \"x\"",
            ),
        ] {
            assert_eq!(humanize(raw), want, "{raw}");
        }
    }

    #[test]
    fn no_error_names_a_rust_type() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Shapes {
            level: Option<u8>,
            n: Option<i64>,
            x: Option<f64>,
            on: Option<bool>,
            list: Option<Vec<String>>,
            inner: Option<T>,
            kind: Option<Kind2>,
        }
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Kind2 {
            Patient,
        }
        for bad in [
            "level: 300",
            "level: -1",
            "level: x",
            "n: 1.5",
            "n: [1]",
            "x: {a: 1}",
            "on: maybe",
            "list: text",
            "list: [{a: 1}]",
            "inner: [1, 2]",
            "inner: text",
            "kind: doctor",
            "kind: [a]",
            "- a\n- b",
            "plain text",
        ] {
            let d = parse::<Shapes>(bad, origin(bad, 0)).unwrap_err();
            let shown = d.to_string();
            for rust in [
                "struct", "enum", "u8", "i64", "f64", "Shapes", "Kind2", "variant", "sequence",
            ] {
                assert!(!shown.contains(rust), "{bad:?} gave {shown}");
            }
        }
    }

    #[test]
    fn an_alias_bomb_is_refused_in_words_about_aliases() {
        let mut lines =
            vec![r#"a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#.to_string()];
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 9].join(",");
            lines.push(format!("a{i}: &a{i} [{refs}]"));
        }
        let bomb = lines.join("\n") + "\n";
        let d = parse_value(&bomb, origin(&bomb, 0)).unwrap_err();
        assert!(d.message.contains("alias"), "{d}");
        assert!(!d.message.contains("repetition limit"), "{d}");
        assert!(d.hint.as_deref().is_some_and(|h| h.contains("*")), "{d}");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let n = 100_000;
        let deep = format!("x: {}{}\n", "[".repeat(n), "]".repeat(n));
        let d = parse_value(&deep, origin(&deep, 0)).unwrap_err();
        assert!(d.message.contains("nested more than 64"), "{d}");
        assert_eq!((d.line, d.column), (1, 68));
        let dashes = format!("x:\n  {}1\n", "- ".repeat(100));
        assert!(parse_value(&dashes, origin(&dashes, 0)).is_err());
        // Ordinary nesting, brackets in quotes and comments, apostrophes.
        let ok = "a: [[1, 2], {b: [3]}]\nc: \"[[[[\"\nd: it's [fine]\n# [[[[[[\ne: '{{{'\n";
        assert!(parse_value(ok, origin(ok, 0)).is_ok());
        let many = format!("x: {}{}\n", "[".repeat(64), "]".repeat(64));
        assert!(parse_value(&many, origin(&many, 0)).is_ok());
    }

    #[test]
    fn lists_are_told_from_maps_by_their_first_line() {
        assert!(is_list("# a comment\n- q: a\n  a: b\n"));
        assert!(is_list("[a, b]"));
        assert!(is_list("-\n  q: a\n"));
        assert!(!is_list("items:\n  - a\n"));
        assert!(!is_list("title: x\n"));
        assert!(!is_list("-1\n"));
        assert!(!is_list(""));
    }

    #[test]
    fn empty_fragment_is_an_empty_map() {
        let v = parse_value("  \n", origin("", 0)).unwrap();
        assert!(v.as_object().unwrap().is_empty());
    }
}
