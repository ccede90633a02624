//! Medical review metadata: when a page is next due for review, and the
//! warnings for pages past that date (the NHS "next review due" pattern).

use std::path::Path;

use crate::config::key_position;
use crate::error::{Diagnostic, Kind};
use crate::site::{Page, Site};

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn parse(date: &str) -> Option<i64> {
    if !crate::util::is_valid_date(date) {
        return None;
    }
    Some(days_from_civil(
        date[..4].parse().ok()?,
        date[5..7].parse().ok()?,
        date[8..10].parse().ok()?,
    ))
}

fn format((y, m, d): (i64, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    format(civil_from_days(secs.div_euclid(86_400)))
}

/// The page's next review date: `next_review`, else `last_reviewed` plus the
/// site's `review.interval_days`.
pub fn next_review(site: &Site, page: &Page) -> Option<String> {
    if let Some(n) = &page.meta.next_review {
        return Some(n.clone());
    }
    let last = parse(page.meta.last_reviewed.as_deref()?)?;
    let days = i64::from(site.config.review.interval_days?);
    Some(format(civil_from_days(last + days)))
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
    let Some(today_n) = parse(today) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for page in &site.pages {
        let Some(due) = next_review(site, page) else {
            continue;
        };
        if parse(&due).is_some_and(|d| d < today_n) {
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
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 8, 9), 19_944);
        assert_eq!(civil_from_days(19_944), (2024, 8, 9));
        assert_eq!(
            format(civil_from_days(days_from_civil(2024, 2, 28) + 1)),
            "2024-02-29"
        );
        assert_eq!(
            format(civil_from_days(days_from_civil(2023, 12, 31) + 365 * 3)),
            "2026-12-30"
        );
    }

    #[test]
    fn today_is_a_date() {
        assert!(crate::util::is_valid_date(&today()));
    }
}
