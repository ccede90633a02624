//! `{urgent}`: an urgent-help card in the style of the NHS "care card",
//! for what a reader must do now (call an emergency number, a crisis
//! line). Two kinds: `urgent` (get help soon) and `emergency` (act now).
//! A card is written in the block, or named (`ref: crisis`) from
//! `content/_data/urgent.yaml`, so every page can carry the same card
//! without copying its text; front matter `urgent: crisis` (or a list)
//! puts named cards at the top of a page.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Block, Env, Sink};
use crate::error::{Diagnostic, Kind};

/// The data file named cards come from (under `content/_data/`).
pub const CARDS: &str = "urgent.yaml";

/// One card as written.
#[derive(Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// `urgent` (the default) or `emergency`.
    #[serde(default)]
    pub kind: Option<String>,
    /// What the card is about: `If you might act on thoughts of suicide`.
    pub title: String,
    /// Signs or steps, Markdown each.
    #[serde(default)]
    pub items: Vec<String>,
    /// What to do, Markdown.
    #[serde(default)]
    pub text: Option<String>,
}

impl Card {
    /// The theme-string key of the kind's visible label (not colour alone
    /// tells the kinds apart): `urgent_advice` or `emergency`.
    pub fn label(&self) -> Result<&'static str, String> {
        match self.kind.as_deref().unwrap_or("urgent") {
            "urgent" => Ok("urgent_advice"),
            "emergency" => Ok("emergency"),
            other => Err(other.to_string()),
        }
    }
}

/// The `{urgent}` block.
pub fn urgent(block: &Block<'_>, env: &Env<'_>, sink: &mut Sink<'_>) -> Result<Value, Diagnostic> {
    let raw: Value = block.parse()?;
    let card: Card = match raw.get("ref").and_then(Value::as_str) {
        Some(name) if raw.as_object().is_some_and(|m| m.len() == 1) => named(block, env, name)?,
        _ => block.parse()?,
    };
    let label = card.label().map_err(|k| {
        block.error_at_key(
            "kind",
            &k,
            Kind::InvalidValue,
            format!("unknown card kind `{k}`"),
            "use `kind: urgent` (get help soon) or `kind: emergency` (act now)",
        )
    })?;
    let label = env.site.languages[block.lang].strings.get(label);
    if card.items.is_empty() && card.text.is_none() {
        return Err(block.error(
            Kind::MissingField,
            "{urgent} says what to do nowhere",
            "add `text:` (what to do) and, if useful, `items:` (the signs)",
        ));
    }
    let items = card
        .items
        .iter()
        .map(|i| block.md_inline(env, sink, i))
        .collect::<Result<Vec<_>, _>>()?;
    let text = card
        .text
        .as_deref()
        .map(|t| block.md(env, sink, t))
        .transpose()?;
    Ok(context(&card, label, items, text))
}

/// What `components/urgent.html` gets.
pub fn context(card: &Card, label: &str, items: Vec<String>, text: Option<String>) -> Value {
    json!({
        "kind": card.kind.as_deref().unwrap_or("urgent"),
        "label": label,
        "title": card.title,
        "items": items,
        "text": text,
    })
}

/// The card named `name` in `content/_data/urgent.yaml`.
fn named(block: &Block<'_>, env: &Env<'_>, name: &str) -> Result<Card, Diagnostic> {
    let (_, file) = super::data_file(block, env, CARDS)?;
    lookup(&file.value, name).map_err(
        |Missing {
             message,
             hint,
             unknown,
         }| {
            if unknown {
                block.error_at_key("ref", name, Kind::MissingField, message, hint)
            } else {
                Diagnostic::new(Kind::InvalidValue, message)
                    .file(&file.shown_path)
                    .hint(hint)
            }
        },
    )
}

/// Why a named card could not be used.
pub struct Missing {
    pub message: String,
    pub hint: String,
    /// No card of that name (else: the card is malformed).
    pub unknown: bool,
}

/// The card `name` in the cards file's YAML (`content/_data/urgent.yaml`).
pub fn lookup(cards: &Value, name: &str) -> Result<Card, Missing> {
    let Some(entry) = cards.get(name) else {
        let keys: Vec<&str> = cards
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let hint = match crate::util::closest(name, keys.iter().copied()) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!("cards in content/_data/{CARDS}: {}", keys.join(", ")),
        };
        return Err(Missing {
            message: format!("no card `{name}` in content/_data/{CARDS}"),
            hint,
            unknown: true,
        });
    };
    serde_json::from_value(entry.clone()).map_err(|e| Missing {
        message: format!(
            "card `{name}` in content/_data/{CARDS}: {}",
            crate::yaml::humanize(&e.to_string())
        ),
        hint: "a card has `title`, `text`, and optionally `kind` (urgent or emergency) and `items`"
            .into(),
        unknown: false,
    })
}
