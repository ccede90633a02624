//! Whether a translation has fallen behind its source. A page in another
//! language records which version of its source (the default language's
//! page at the same path) it translates, in front matter:
//!
//! ```yaml
//! translates:
//!   source_hash: 3f2a91c0.77b1e2d4.0c4e5a1f
//! ```
//!
//! three short hashes of the source's title and description, body, and
//! the rest of its front matter ("data"), written by `docent new --lang`;
//! or `translates: {updated: 2026-11-30}`, the source's `updated` date it
//! was translated from. A translation is stale while its record no longer
//! matches its source: `docent check` says so, naming both files and what
//! changed, and the page tells readers.

use crate::error::{Diagnostic, Kind};
use crate::site::{Page, Site};

/// A translation older than its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stale {
    /// Index into `site.pages` of the source page.
    pub source: usize,
    /// What changed: `title`, `body`, `data` (hash records) or `updated`.
    pub changed: Vec<&'static str>,
}

/// What a record's three parts hash, in order.
const PARTS: [&str; 3] = ["title", "body", "data"];

/// The record of `source` as it is now: `title.body.data`, each the first
/// eight hex digits of the part's hash.
pub(crate) fn record(source: &Page) -> Result<String, Diagnostic> {
    let text = source.full_text()?;
    let body = text.get(source.body_offset..).unwrap_or("").trim();
    let mut meta = source.meta.clone();
    let title = format!(
        "{}\n{}",
        source.title,
        meta.description.take().unwrap_or_default()
    );
    // Dates and the record itself change without changing what a reader
    // of the translation is told.
    meta.title = None;
    meta.date = None;
    meta.updated = None;
    meta.last_reviewed = None;
    meta.next_review = None;
    meta.translates = None;
    meta.draft = false;
    let data = serde_json::to_string(&meta).unwrap_or_default();
    let short = |s: &str| {
        let h = crate::fingerprint::hash_text(s);
        h.get(..8).unwrap_or(&h).to_string()
    };
    Ok(format!(
        "{}.{}.{}",
        short(&title),
        short(body),
        short(&data)
    ))
}

/// The source of page `i` when it is a translation (a page of another
/// language whose default-language version exists).
pub(crate) fn source_of(site: &Site, i: usize) -> Option<usize> {
    let page = &site.pages[i];
    if page.lang == 0 || page.generated.is_some() || page.hash.is_empty() {
        return None;
    }
    site.translation(i, 0)
        .filter(|&s| !site.pages[s].hash.is_empty())
}

/// Whether translation `i` is behind its source: `Ok(None)` when it is
/// current, is not a translation, or has no record (see [`unrecorded`]).
pub(crate) fn stale(site: &Site, i: usize) -> Result<Option<Stale>, Diagnostic> {
    let Some(source) = source_of(site, i) else {
        return Ok(None);
    };
    let Some(rec) = &site.pages[i].meta.translates else {
        return Ok(None);
    };
    let mut changed = Vec::new();
    if let Some(hash) = &rec.source_hash {
        let now = record(&site.pages[source])?;
        let (was, now): (Vec<&str>, Vec<&str>) =
            (hash.trim().split('.').collect(), now.split('.').collect());
        if was.len() != PARTS.len() {
            let page = &site.pages[i];
            let (line, col) = page.key_position("source_hash");
            return Err(Diagnostic::new(
                Kind::InvalidValue,
                format!("`source_hash: {hash}` is not a record docent wrote"),
            )
            .at(&page.shown_path, line, col, Some(&page.text))
            .hint(format!(
                "write the source's record as it is now: `source_hash: {}`",
                now.join(".")
            )));
        }
        changed.extend(
            PARTS
                .iter()
                .zip(was.iter().zip(&now))
                .filter(|(_, (a, b))| !a.eq_ignore_ascii_case(b))
                .map(|(part, _)| *part),
        );
    }
    if let Some(updated) = &rec.updated
        && let (Ok(was), Some(now)) = (
            crate::date::parse(updated),
            source_updated(&site.pages[source]),
        )
        && now.key() > was.key()
    {
        changed.push("updated");
    }
    Ok((!changed.is_empty()).then_some(Stale { source, changed }))
}

/// The source's own `updated` (else `date`), checked.
fn source_updated(page: &Page) -> Option<crate::date::PageDate> {
    page.meta
        .updated
        .as_deref()
        .or(page.meta.date.as_deref())
        .and_then(|d| crate::date::parse(d).ok())
}

/// Whether translation `i` has no `translates:` record (so docent cannot
/// tell when it falls behind).
pub(crate) fn unrecorded(site: &Site, i: usize) -> bool {
    source_of(site, i).is_some() && site.pages[i].meta.translates.is_none()
}

/// What decides whether page `i`'s HTML can be kept: its file, and for a
/// translation with a record also its source's file (the page shows a
/// notice while the source is newer).
pub(crate) fn render_key(site: &Site, i: usize) -> std::borrow::Cow<'_, str> {
    let page = &site.pages[i];
    match source_of(site, i) {
        Some(s) if page.meta.translates.is_some() => {
            std::borrow::Cow::Owned(format!("{}+{}", page.hash, site.pages[s].hash))
        }
        _ => std::borrow::Cow::Borrowed(&page.hash),
    }
}
