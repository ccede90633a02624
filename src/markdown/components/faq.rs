//! `{faq}`: questions as linkable `<details>` with heading ids (so they appear
//! in the TOC), plus schema.org `FAQPage` JSON-LD.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Block, Env, ListOr, Sink, markdown_plain};
use crate::error::{Diagnostic, Kind};
use crate::markdown::slug::slugify;
use crate::markdown::toc::Heading;

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Item {
    q: String,
    a: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Full {
    #[serde(default)]
    items: Vec<Item>,
    #[serde(default, rename = "ref")]
    reference: Option<String>,
    /// Heading level of the questions (default 2).
    #[serde(default)]
    level: Option<u8>,
}

pub(super) fn faq(
    block: &Block<'_>,
    env: &Env<'_>,
    sink: &mut Sink<'_>,
) -> Result<Value, Diagnostic> {
    let (mut items, reference, level) = match block.parse_list_or::<Item, Full>()? {
        ListOr::List(items) => (items, None, None),
        ListOr::Map(f) => (f.items, f.reference, f.level),
    };
    if let Some(path) = reference {
        let (_, file) = super::data_file(block, env, &path)?;
        let more: Vec<Item> = serde_json::from_value(file.value.clone()).map_err(|e| {
            Diagnostic::new(
                Kind::InvalidValue,
                format!(
                    "{} is not a list of {{q, a}}: {}",
                    file.shown_path.display(),
                    crate::yaml::humanize(&e.to_string())
                ),
            )
            .file(&file.shown_path)
            .hint("write each question as `- q: …` with `a: …` below it")
        })?;
        items.extend(more);
    }
    let level = level.unwrap_or(2);
    if !(2..=6).contains(&level) {
        return Err(block.error_at(
            "level",
            Kind::InvalidValue,
            format!("FAQ heading level {level} is not 2..6"),
            "use level: 2 or 3",
        ));
    }
    if items.is_empty() {
        return Err(block.error(
            Kind::MissingField,
            "{faq} has no questions",
            "list questions as `- q: …` with `a: …`",
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    let mut entities = Vec::with_capacity(items.len());
    for item in &items {
        let title = item.q.trim().to_string();
        let id = sink.ids.unique(&slugify(&title));
        sink.headings.push(Heading {
            level,
            id: id.clone(),
            title: title.clone(),
        });
        sink.prose.push_str(&markdown_plain(&item.a));
        sink.prose.push('\n');
        entities.push(json!({
            "@type": "Question",
            "name": title,
            "acceptedAnswer": { "@type": "Answer", "text": markdown_plain(&item.a) },
        }));
        out.push(json!({ "id": id, "q": title, "a": block.md(env, sink, &item.a)? }));
    }
    sink.jsonld.push(json!({
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": entities,
    }));
    Ok(json!({ "items": out, "level": level }))
}
