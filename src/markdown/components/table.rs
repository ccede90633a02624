//! `{table}`: a study/data table from a YAML data file, validated row by row
//! (errors point at the data file's line), numbers formatted for the site
//! language, citation cells linked to the page's references.

use serde::Deserialize;
use serde_json::{Value, json};

use super::numbers::{self, format_value};
use super::{Block, Env, Sink, markdown_inline};
use crate::error::{Diagnostic, Kind};
use crate::site::DataFile;
use crate::util::escape_html;

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ColType {
    Text,
    Integer,
    Number,
    Percent,
    Year,
    Citation,
    Markdown,
}

impl ColType {
    fn numeric(self) -> bool {
        matches!(self, ColType::Integer | ColType::Number | ColType::Percent)
    }
}

#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct Column {
    pub key: String,
    pub label: String,
    #[serde(rename = "type", default = "text_type")]
    pub kind: ColType,
    #[serde(default)]
    pub align: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
}

fn text_type() -> ColType {
    ColType::Text
}

/// A data file in the table format.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct TableFile {
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<serde_json::Map<String, Value>>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Filter {
    Text(String),
    Map(serde_json::Map<String, Value>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableBlock {
    data: String,
    #[serde(default)]
    columns: Option<Vec<String>>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    filter: Option<Filter>,
    #[serde(default)]
    caption: Option<String>,
}

/// A validated data table and the rows a block selected.
pub(crate) struct Selected<'a> {
    pub file: TableFile,
    pub data: &'a DataFile,
    /// Indices into `file.rows`, after filter and sort.
    pub rows: Vec<usize>,
}

pub(crate) fn validate(file: &DataFile) -> Result<TableFile, Vec<Diagnostic>> {
    let table: TableFile = serde_json::from_value(file.value.clone()).map_err(|e| {
        let msg = e.to_string();
        // Point at the key serde complains about, when we can find it.
        let (line, col) = msg
            .split('`')
            .nth(1)
            .and_then(|k| crate::config::key_position(&file.text, k))
            .unwrap_or((1, 1));
        vec![
            Diagnostic::new(
                Kind::InvalidValue,
                format!("table data: {}", crate::yaml::humanize(&msg)),
            )
            .at(&file.shown_path, line, col, Some(&file.text))
            .hint("a table file has caption, source, columns [{key, label, type}], rows and notes"),
        ]
    })?;
    let mut errors = Vec::new();
    // Built on the first error: where each row starts in the file.
    let items = std::cell::OnceCell::new();
    let columns: std::collections::HashMap<&str, &Column> =
        table.columns.iter().map(|c| (c.key.as_str(), c)).collect();
    for (i, row) in table.rows.iter().enumerate() {
        for (key, value) in row {
            let at = || {
                items
                    .get_or_init(|| crate::yaml::Items::new(&file.text, Some("rows")))
                    .locate(i, Some(key))
                    .unwrap_or((1, 1))
            };
            let Some(col) = columns.get(key.as_str()) else {
                let (l, c) = at();
                let keys: Vec<&str> = table.columns.iter().map(|c| c.key.as_str()).collect();
                let hint = match crate::util::closest(key, keys.iter().copied()) {
                    Some(k) => format!("did you mean `{k}`? Columns: {}", keys.join(", ")),
                    None => format!(
                        "add a column with key `{key}`, or remove it; columns: {}",
                        keys.join(", ")
                    ),
                };
                errors.push(
                    Diagnostic::new(
                        Kind::UnknownKey,
                        format!("row {} has `{key}`, which is not a column", i + 1),
                    )
                    .at(&file.shown_path, l, c, Some(&file.text))
                    .hint(hint),
                );
                continue;
            };
            if let Err(expected) = check_type(col.kind, value) {
                let (l, c) = at();
                errors.push(
                    Diagnostic::new(
                        Kind::InvalidValue,
                        format!(
                            "row {}: `{key}` should be {expected}, found {}",
                            i + 1,
                            short(value)
                        ),
                    )
                    .at(&file.shown_path, l, c, Some(&file.text))
                    .hint(
                        format!(
                            "column `{key}` has type {:?}; fix the value or the column's type",
                            col.kind
                        )
                        .to_lowercase(),
                    ),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(table)
    } else {
        Err(errors)
    }
}

fn short(v: &Value) -> String {
    crate::util::shorten(&v.to_string(), 40)
}

fn check_type(kind: ColType, v: &Value) -> Result<(), &'static str> {
    if v.is_null() {
        return Ok(());
    }
    match kind {
        ColType::Text => (v.is_string() || v.is_number() || v.is_boolean())
            .then_some(())
            .ok_or("text"),
        ColType::Markdown | ColType::Citation => v.is_string().then_some(()).ok_or("a string"),
        ColType::Integer => (v.is_i64() || v.is_u64()).then_some(()).ok_or("an integer"),
        ColType::Number => v.is_number().then_some(()).ok_or("a number"),
        ColType::Percent => v
            .as_f64()
            .filter(|p| (0.0..=100.0).contains(p))
            .map(|_| ())
            .ok_or("a percentage from 0 to 100"),
        ColType::Year => v
            .as_i64()
            .filter(|y| (1000..=2999).contains(y))
            .map(|_| ())
            .ok_or("a four-digit year"),
    }
}

/// Load, validate, filter and sort the rows a block asks for.
pub(crate) fn select<'e>(
    block: &Block<'_>,
    env: &'e Env<'_>,
    data: &str,
    filter: Option<&serde_json::Map<String, Value>>,
    sort: Option<&str>,
) -> Result<Selected<'e>, Vec<Diagnostic>> {
    let (_, file) = super::data_file(block, env, data).map_err(|d| vec![d])?;
    let table = validate(file)?;
    let mut rows: Vec<usize> = (0..table.rows.len()).collect();
    if let Some(f) = filter {
        for key in f.keys() {
            if !table.columns.iter().any(|c| &c.key == key) {
                return Err(vec![block.error_at_key(
                    "filter",
                    key,
                    Kind::UnknownKey,
                    format!("filter on unknown column `{key}`"),
                    "filter on one of the data file's column keys",
                )]);
            }
        }
        rows.retain(|&i| {
            f.iter()
                .all(|(k, want)| cell_matches(table.rows[i].get(k), want))
        });
    }
    if let Some(s) = sort {
        let (key, desc) = match s.strip_prefix('-') {
            Some(k) => (k, true),
            None => (s, false),
        };
        if !table.columns.iter().any(|c| c.key == key) {
            return Err(vec![block.error_at_key(
                "sort",
                s,
                Kind::UnknownKey,
                format!("sort on unknown column `{key}`"),
                "sort on a column key; prefix with - for descending",
            )]);
        }
        rows.sort_by(|&a, &b| {
            let o = compare(table.rows[a].get(key), table.rows[b].get(key));
            if desc { o.reverse() } else { o }
        });
    }
    Ok(Selected {
        file: table,
        data: file,
        rows,
    })
}

fn cell_matches(cell: Option<&Value>, want: &Value) -> bool {
    match (cell, want) {
        (Some(c), w) if c == w => true,
        (Some(c), Value::String(w)) => value_text(c) == *w,
        _ => false,
    }
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    match (a.and_then(Value::as_f64), b.and_then(Value::as_f64)) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        _ => value_text(a.unwrap_or(&Value::Null)).cmp(&value_text(b.unwrap_or(&Value::Null))),
    }
}

pub(crate) fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn parse_filter(
    f: Option<Filter>,
    block: &Block<'_>,
) -> Result<Option<serde_json::Map<String, Value>>, Diagnostic> {
    Ok(match f {
        None => None,
        Some(Filter::Map(m)) => Some(m),
        Some(Filter::Text(t)) => {
            let (k, v) = t.split_once('=').ok_or_else(|| {
                block.error_at(
                    "filter",
                    Kind::InvalidValue,
                    format!("filter `{t}` is not `key = value`"),
                    "write filter: phase = 3",
                )
            })?;
            let mut m = serde_json::Map::new();
            m.insert(k.trim().to_string(), Value::String(v.trim().to_string()));
            Some(m)
        }
    })
}

/// The HTML of one cell.
pub(crate) fn cell_html(
    col: &Column,
    v: Option<&Value>,
    lang: &str,
    sink: &mut Sink<'_>,
    safety: &mut super::Safety,
    cite_at: impl Fn() -> Diagnostic,
    block_offset: usize,
) -> String {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return "<span aria-label=\"no value\">–</span>".into();
    };
    match col.kind {
        ColType::Integer | ColType::Number => format_value(v, lang),
        ColType::Percent => numbers::percent(&format_value(v, lang), lang),
        ColType::Year => value_text(v),
        ColType::Text => escape_html(&value_text(v)),
        ColType::Markdown => markdown_inline(&value_text(v), safety),
        ColType::Citation => {
            let text = value_text(v);
            let refs = text
                .split([';', ','])
                .map(|k| k.trim().trim_start_matches('@').to_string())
                .filter(|k| !k.is_empty())
                .map(|key| crate::markdown::citations::CiteRef {
                    offset: block_offset,
                    narrative: false,
                    key,
                    locator: None,
                    at: cite_at(),
                })
                .collect();
            sink.cite(refs)
        }
    }
}

pub(crate) fn table(
    block: &Block<'_>,
    env: &Env<'_>,
    sink: &mut Sink<'_>,
) -> Result<Value, Diagnostic> {
    let b: TableBlock = block.parse()?;
    let filter = parse_filter(b.filter, block)?;
    let sel =
        select(block, env, &b.data, filter.as_ref(), b.sort.as_deref()).map_err(first_with_rest)?;
    let cols: Vec<&Column> = match &b.columns {
        None => sel.file.columns.iter().collect(),
        Some(keys) => {
            let mut v = Vec::new();
            for k in keys {
                match sel.file.columns.iter().find(|c| &c.key == k) {
                    Some(c) => v.push(c),
                    None => {
                        return Err(block.error_at(
                            k,
                            Kind::UnknownKey,
                            format!("no column `{k}` in {}", b.data),
                            "list column keys from the data file",
                        ));
                    }
                }
            }
            v
        }
    };
    let lang = env.site.languages[block.lang].code.clone();
    let raw_html = env.site.config.markdown.raw_html;
    // Markdown from the data file, and from the block (the caption).
    let mut safety = super::Safety::new(raw_html);
    let mut block_safety = super::Safety::new(raw_html);
    let mut rows = Vec::with_capacity(sel.rows.len());
    let items = std::cell::OnceCell::new();
    for &i in &sel.rows {
        let row = &sel.file.rows[i];
        let mut cells = Vec::with_capacity(cols.len());
        for col in &cols {
            let data = sel.data;
            let cite_at = || {
                let (l, c) = items
                    .get_or_init(|| crate::yaml::Items::new(&data.text, Some("rows")))
                    .locate(i, Some(&col.key))
                    .unwrap_or((1, 1));
                Diagnostic::new(Kind::MissingField, "").at(&data.shown_path, l, c, Some(&data.text))
            };
            let html = cell_html(
                col,
                row.get(&col.key),
                &lang,
                sink,
                &mut safety,
                cite_at,
                block.offset_of(""),
            );
            cells.push(json!({ "html": html, "align": align(col), "label": heading(col) }));
        }
        rows.push(cells);
    }
    let caption = b
        .caption
        .clone()
        .or(sel.file.caption.clone())
        .unwrap_or_default();
    let source = match sel.file.source.as_deref() {
        Some(s) if s.starts_with('@') => {
            Some(sink.cite(vec![crate::markdown::citations::CiteRef {
                key: s.trim_start_matches('@').to_string(),
                locator: None,
                offset: block.offset_of(""),
                narrative: false,
                at: {
                    let (l, c) =
                        crate::config::key_position(&sel.data.text, "source").unwrap_or((1, 1));
                    Diagnostic::new(Kind::MissingField, "").at(
                        &sel.data.shown_path,
                        l,
                        c,
                        Some(&sel.data.text),
                    )
                },
            }]))
        }
        Some(s) => Some(markdown_inline(s, &mut safety)),
        None => None,
    };
    let caption = match &b.caption {
        Some(c) => markdown_inline(c, &mut block_safety),
        None => markdown_inline(&caption, &mut safety),
    };
    let notes = sel
        .file
        .notes
        .as_deref()
        .map(|n| markdown_inline(n, &mut safety));
    sink.warnings
        .extend(safety.warnings(&sel.data.shown_path, &sel.data.text));
    sink.warnings
        .extend(block_safety.warnings(block.shown_path, block.file_text));
    Ok(json!({
        "id": format!("table-{}", block.fence_line),
        "size": crate::markdown::tables::size_class(cols.len()),
        "caption": caption,
        "columns": cols.iter().map(|c| json!({
            "label": c.label,
            "unit": unit(c),
            "heading": heading(c),
            "align": align(c),
        })).collect::<Vec<_>>(),
        "rows": rows,
        "source": source,
        "notes": notes,
    }))
}

/// A column's unit as its heading shows it (a percent column's values carry
/// their own sign).
fn unit(c: &Column) -> Option<&str> {
    c.unit.as_deref().filter(|_| c.kind != ColType::Percent)
}

/// A column's heading as plain text: its label and unit. Stacked rows on a
/// narrow screen repeat it beside each value.
fn heading(c: &Column) -> String {
    match unit(c) {
        Some(u) => format!("{} ({u})", c.label),
        None => c.label.clone(),
    }
}

fn align(c: &Column) -> &str {
    match c.align.as_deref() {
        Some(a @ ("left" | "right" | "center")) => a,
        _ if c.kind.numeric() => "right",
        _ => "left",
    }
}

/// Report the first error, mentioning how many more there are.
pub(crate) fn first_with_rest(mut errs: Vec<Diagnostic>) -> Diagnostic {
    let n = errs.len();
    let mut d = errs.remove(0);
    if n > 1 {
        d = d.note(format!(
            "and {} more error{} in the same data file",
            n - 1,
            if n == 2 { "" } else { "s" }
        ));
    }
    d
}
