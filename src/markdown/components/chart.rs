//! `{chart}`: a horizontal bar chart computed at build time from a table data
//! file. Rust computes each bar's length as a share of the longest scale
//! (0-100); the theme template draws it, so the chart scales with its
//! container, its text stays text (wraps, never clipped, full size on a
//! phone) and colours follow the theme (dark mode, print). Every bar carries
//! its series name and value as text, and the numbers are also given as a
//! table.

use serde::Deserialize;
use serde_json::{Value, json};

use super::numbers::{format_number, percent as percent_of};
use super::table::{ColType, first_with_rest, select, value_text};
use super::{Block, Env, Sink};
use crate::error::{Diagnostic, Kind};

#[derive(Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChartBlock {
    data: String,
    /// Column with the category labels.
    x: String,
    /// Column(s) with the values; one series each.
    y: Keys,
    /// Title of the chart (defaults to the data file's caption).
    #[serde(default)]
    title: Option<String>,
    /// What the values measure, for the description ("CAPS-5 change").
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    filter: Option<serde_json::Map<String, Value>>,
}

pub(super) fn chart(
    block: &Block<'_>,
    env: &Env<'_>,
    sink: &mut Sink<'_>,
) -> Result<Value, Diagnostic> {
    let b: ChartBlock = block.parse()?;
    let sel = select(block, env, &b.data, b.filter.as_ref(), b.sort.as_deref())
        .map_err(first_with_rest)?;
    let ys = match b.y {
        Keys::One(k) => vec![k],
        Keys::Many(v) => v,
    };
    let col = |key: &str| sel.file.columns.iter().find(|c| c.key == key);
    let x_col = col(&b.x).ok_or_else(|| {
        block.error_at_key(
            "x",
            &b.x,
            Kind::UnknownKey,
            format!("no column `{}` for x", b.x),
            "x names the column with the category labels",
        )
    })?;
    let mut series = Vec::new();
    for (i, key) in ys.iter().enumerate() {
        let c = col(key).ok_or_else(|| {
            block.error_at_key(
                "y",
                key,
                Kind::UnknownKey,
                format!("no column `{key}` for y"),
                "y names numeric columns",
            )
        })?;
        if !matches!(
            c.kind,
            ColType::Integer | ColType::Number | ColType::Percent
        ) {
            return Err(block.error_at_key(
                "y",
                key,
                Kind::InvalidValue,
                format!("column `{key}` is {:?}, not numeric", c.kind).to_lowercase(),
                "chart integer, number or percent columns",
            ));
        }
        series.push((i, c));
    }
    if series.is_empty() || sel.rows.is_empty() {
        return Err(block.error(
            Kind::MissingField,
            "the chart has no data",
            "check y and filter",
        ));
    }
    let lang = &env.site.languages[block.lang].code;
    let unit = b.unit.clone().or_else(|| series[0].1.unit.clone());
    let percent = series.iter().all(|(_, c)| c.kind == ColType::Percent);
    let fmt = |v: f64| {
        let n = format_number(v, lang);
        if percent {
            percent_of(&n, lang)
        } else {
            match &unit {
                Some(u) => format!("{n}\u{a0}{u}"),
                None => n,
            }
        }
    };

    let values: Vec<Vec<Option<f64>>> = sel
        .rows
        .iter()
        .map(|&r| {
            series
                .iter()
                .map(|(_, c)| sel.file.rows[r].get(&c.key).and_then(Value::as_f64))
                .collect()
        })
        .collect();
    let max_abs = values
        .iter()
        .flatten()
        .flatten()
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    let scale_max = if percent {
        100.0_f64.max(max_abs)
    } else if max_abs == 0.0 {
        1.0
    } else {
        max_abs
    };

    let mut groups = Vec::new();
    let mut summary = Vec::new();
    let mut table_rows = Vec::new();
    for (ri, &r) in sel.rows.iter().enumerate() {
        let category = value_text(sel.file.rows[r].get(&x_col.key).unwrap_or(&Value::Null));
        let mut bars = Vec::new();
        let mut parts = Vec::new();
        let mut cells = Vec::new();
        for (si, (idx, c)) in series.iter().enumerate() {
            let v = values[ri][si];
            // A bar's length in percent of the plot's width; a non-zero
            // value always shows at least a sliver.
            let length = v.map_or(0.0, |v| {
                let l = v.abs() / scale_max * 100.0;
                if v != 0.0 { l.max(0.5) } else { 0.0 }
            });
            let value_text = v.map_or_else(|| "no data".to_string(), fmt);
            bars.push(json!({
                "series": idx, "length": round(length.min(100.0)).to_string(),
                "label": c.label, "value": value_text,
                "text": format!("{}: {}", c.label, value_text),
            }));
            parts.push(format!("{} {}", c.label, value_text));
            cells.push(value_text);
        }
        groups.push(json!({ "label": category, "bars": bars }));
        summary.push(format!("{category}: {}", parts.join(", ")));
        table_rows.push(json!({ "category": category, "cells": cells }));
    }
    let strings = &env.site.languages[block.lang].strings;
    let title = b
        .title
        .or(sel.file.caption.clone())
        .unwrap_or_else(|| strings.get("bar_chart").to_string());
    let what = b.label.clone().unwrap_or_else(|| {
        series
            .iter()
            .map(|(_, c)| c.label.clone())
            .collect::<Vec<_>>()
            .join(strings.get("and_joiner"))
    });
    let desc = strings.fill(
        "bar_chart_of",
        &[
            ("what", &what),
            ("by", &x_col.label.to_lowercase()),
            ("values", &summary.join("; ")),
        ],
    );
    let id = format!("chart-{}", block.fence_line);
    let mut safety = super::Safety::new(env.site.config.markdown.raw_html);
    let source = sel
        .file
        .source
        .as_deref()
        .filter(|s| !s.starts_with('@'))
        .map(|s| super::markdown_inline(s, &mut safety));
    sink.warnings
        .extend(safety.warnings(&sel.data.shown_path, &sel.data.text));
    Ok(json!({
        "id": id,
        "title": title,
        "desc": desc,
        "groups": groups,
        "series": series.iter().map(|(i, c)| json!({ "index": i, "label": c.label })).collect::<Vec<_>>(),
        "x_label": x_col.label,
        "table": table_rows,
        "source": source,
    }))
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
