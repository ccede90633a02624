//! Medical review metadata: when a page is next due for review, and the
//! warnings for pages past that date (the NHS "next review due" pattern).

use std::path::Path;

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

/// The review interval for a page in days: the site's
/// `review.interval_days`, else the page's own `last_reviewed` to
/// `next_review`.
fn interval(site: &Site, page: &Page) -> Option<i64> {
    match site.config.review.interval_days {
        Some(days) => Some(i64::from(days)),
        None => crate::date::days_between(
            page.meta.last_reviewed.as_deref()?,
            page.meta.next_review.as_deref()?,
        ),
    }
}

/// A warning when a page's review stamp claims more than its content
/// shows: `last_reviewed` is later than `current_to` (the date its facts
/// are current to) by more than the review interval, so the review did
/// not bring the facts up to date. Also when `current_to` is after today.
pub fn stale_current_to(site: &Site, page: &Page, today: &str) -> Option<Diagnostic> {
    let current = page.meta.current_to.as_deref()?;
    let at = |d: Diagnostic| {
        let (line, col) = page.key_position("current_to");
        d.at(Path::new(&page.shown_path), line, col, Some(&page.text))
    };
    if crate::date::days_between(today, current).is_some_and(|d| d > 0) {
        return Some(at(Diagnostic::new(
            Kind::InvalidValue,
            format!("`current_to` ({current}) is after today ({today})"),
        )
        .hint("set `current_to` to the date the facts were last checked")));
    }
    let reviewed = page.meta.last_reviewed.as_deref()?;
    let lag = crate::date::days_between(current, reviewed)?;
    let allowed = interval(site, page)?;
    (lag > allowed).then(|| {
        at(Diagnostic::new(
            Kind::InvalidValue,
            format!(
                "reviewed on {reviewed}, but its facts are only current to {current} \
                 ({lag} days earlier, more than the review interval of {allowed} days)"
            ),
        )
        .hint("check the page's facts against the latest news and move `current_to` up, or say why it stays"))
    })
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
            let key = if page.meta.next_review.is_some() {
                "next_review"
            } else {
                "last_reviewed"
            };
            let (line, col) = page.key_position(key);
            out.push(
                Diagnostic::new(
                    Kind::ReviewOverdue,
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

    /// A one-page site with this front matter (after `title: P`) and
    /// site.yaml.
    fn page_with(front: &str, config: &str) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("site.yaml"), format!("title: T\n{config}")).unwrap();
        std::fs::write(
            dir.path().join("content/p.md"),
            format!("---\ntitle: P\n{front}---\nBody.\n"),
        )
        .unwrap();
        let site = crate::load::load(dir.path(), &Default::default()).unwrap();
        (dir, site)
    }

    fn stale(front: &str, config: &str, today: &str) -> Option<String> {
        let (_dir, site) = page_with(front, config);
        let page = &site.pages[site.by_source["p.md"]];
        stale_current_to(&site, page, today).map(|d| d.render("warning"))
    }

    #[test]
    fn a_review_may_not_claim_more_than_the_facts_show() {
        let yearly = "review:\n  interval_days: 365\n";
        let front = |current: &str| {
            format!("last_reviewed: 2026-11-22\nnext_review: 2027-05-22\ncurrent_to: {current}\n")
        };
        // Within the interval: fine.
        assert_eq!(stale(&front("2025-11-23"), yearly, "2026-11-30"), None);
        assert_eq!(stale(&front("2026-11-30"), yearly, "2026-11-30"), None);
        // Older than the interval allows: located at the key, with the figures.
        let w = stale(&front("2025-09-04"), yearly, "2026-11-30").expect("a warning");
        assert!(w.contains("content/p.md:5:"), "{w}");
        assert!(w.contains("current to 2025-09-04 (444 days earlier"), "{w}");
        assert!(w.contains("review interval of 365 days"), "{w}");
        // Without a site interval, the page's own (last_reviewed to
        // next_review, 181 days) applies.
        let w = stale(&front("2026-01-01"), "", "2026-11-30").expect("a warning");
        assert!(w.contains("review interval of 181 days"), "{w}");
        assert_eq!(stale(&front("2026-06-01"), "", "2026-11-30"), None);
        // No interval at all, or no review stamp: nothing to compare.
        assert_eq!(
            stale(
                "last_reviewed: 2026-11-22\ncurrent_to: 2020-01-01\n",
                "",
                "2026-11-30"
            ),
            None
        );
        assert_eq!(
            stale("current_to: 2020-01-01\n", yearly, "2026-11-30"),
            None
        );
        // A date in the future claims too much as well.
        let w = stale(&front("2026-12-25"), yearly, "2026-11-30").expect("a warning");
        assert!(w.contains("is after today (2026-11-30)"), "{w}");
    }

    #[test]
    fn current_to_must_be_a_date() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("site.yaml"), "title: T\n").unwrap();
        std::fs::write(
            dir.path().join("content/p.md"),
            "---\ntitle: P\ncurrent_to: 30 Nov 2026\n---\n",
        )
        .unwrap();
        let e = crate::load::load(dir.path(), &Default::default()).unwrap_err();
        let text = e[0].render("error");
        assert!(text.contains("`current_to` is not a valid date"), "{text}");
        assert!(text.contains("content/p.md:3:"), "{text}");
    }
}
