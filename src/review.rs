//! Medical review metadata: when a page is next due for review, and the
//! warnings for pages past that date (the NHS "next review due" pattern).

use std::path::Path;

use crate::config::key_position;
use crate::error::{Diagnostic, Kind};
use crate::site::{Page, Site};

/// Today's date (UTC) as `YYYY-MM-DD`.
pub use crate::date::today;

/// The page's next review date: `next_review`, else `last_reviewed` plus the
/// site's `review.interval_days`.
pub fn next_review(site: &Site, page: &Page) -> Option<String> {
    if let Some(n) = &page.meta.next_review {
        return Some(n.clone());
    }
    let days = i64::from(site.config.review.interval_days?);
    crate::date::add_days(page.meta.last_reviewed.as_deref()?, days)
}

/// Whether the page is a health page: it names its audience or carries
/// any review metadata. The one rule for this: the review box, the
/// MedicalWebPage JSON-LD and `docent check`'s review warnings all ask here.
pub fn is_medical(page: &Page) -> bool {
    page.meta.reviewed_by.is_some()
        || page.meta.audience.is_some()
        || page.meta.last_reviewed.is_some()
}

/// Warnings for pages whose review date has passed.
pub fn overdue(site: &Site, today: &str) -> Vec<Diagnostic> {
    let Some(today_n) = crate::date::day(today) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for page in &site.pages {
        let Some(due) = next_review(site, page) else {
            continue;
        };
        if crate::date::day(&due).is_some_and(|d| d < today_n) {
            let yaml = &page.text[page.front_matter_offset..page.body_offset];
            let key = if page.meta.next_review.is_some() {
                "next_review"
            } else {
                "last_reviewed"
            };
            let (line, col) = key_position(yaml, key).map_or((1, 1), |(l, c)| (l + 1, c));
            out.push(
                Diagnostic::new(
                    Kind::InvalidValue,
                    format!("{} was due for review on {due}", page.title),
                )
                .at(Path::new(&page.shown_path), line, col, Some(&page.text))
                .hint("review the page, then update `last_reviewed` (and `next_review`)"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_date() {
        assert!(crate::date::parse(&today()).is_ok());
    }
}
