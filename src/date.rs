//! Dates: the one place that reads, checks and writes them (front matter
//! `date`, `updated`, `last_reviewed`, `next_review`; review intervals;
//! Atom and sitemap times; the dates pages show). Built on `jiff`, so only
//! real calendar dates pass (`2024-02-31` is an error) and every time
//! written into a feed is valid RFC 3339.
//!
//! A front-matter date is `YYYY-MM-DD`, optionally with a time:
//! `2024-08-09T10:00:00Z`, `2024-08-09T10:00:00+02:00`, or a time without
//! an offset (`2024-08-09 10:00`), which is taken as UTC.

use jiff::civil::{Date, DateTime};
use jiff::tz::Offset;

/// A date as written in front matter, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageDate {
    /// The calendar date as written (before any offset is applied).
    pub date: Date,
    /// The time and its UTC offset, when one was written.
    time: Option<(jiff::civil::Time, Offset)>,
}

impl PageDate {
    /// RFC 3339, as Atom requires: `2024-08-09T00:00:00Z` for a date alone.
    pub(crate) fn rfc3339(&self) -> String {
        let (time, offset) = self
            .time
            .unwrap_or((jiff::civil::Time::midnight(), Offset::UTC));
        let dt = self.date.to_datetime(time);
        let sign = if offset.seconds() < 0 { '-' } else { '+' };
        let secs = offset.seconds().unsigned_abs();
        let zone = if secs == 0 {
            "Z".to_string()
        } else {
            format!("{sign}{:02}:{:02}", secs / 3600, secs / 60 % 60)
        };
        format!("{}{zone}", dt.strftime("%Y-%m-%dT%H:%M:%S"))
    }

    /// What orders dates: the calendar date as written, then the moment
    /// (midnight UTC for a date alone). Cheap to compare, unlike the text.
    pub(crate) fn key(&self) -> (Date, jiff::Timestamp) {
        let (time, offset) = self
            .time
            .unwrap_or((jiff::civil::Time::midnight(), Offset::UTC));
        let moment = offset
            .to_timestamp(self.date.to_datetime(time))
            .unwrap_or(jiff::Timestamp::MIN);
        (self.date, moment)
    }

    /// `YYYY-MM-DD` (a sitemap `lastmod`).
    pub(crate) fn ymd(&self) -> String {
        self.date.strftime("%Y-%m-%d").to_string()
    }
}

/// Why `ymd` (`YYYY-MM-DD` digits) names no day: the month or day out
/// of range, in words.
fn why_not(ymd: &str) -> String {
    let number = |range: std::ops::Range<usize>| ymd[range].parse::<i16>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let Ok(first) = Date::new(year, month as i8, 1) else {
        return if (1..=12).contains(&month) {
            format!("there is no year {year}")
        } else {
            format!("there is no month {month}")
        };
    };
    if day == 0 {
        return "there is no day 0".into();
    }
    format!(
        "{} has {} days",
        first.strftime("%B %Y"),
        first.days_in_month()
    )
}

/// Read a front-matter date; `Err` says what is wrong in the user's terms.
pub(crate) fn parse(s: &str) -> Result<PageDate, String> {
    let s = s.trim();
    let shape = "write dates as YYYY-MM-DD, e.g. 2024-08-09, optionally with a time such as 2024-08-09T10:00:00Z";
    let ymd = s.get(..10).filter(|d| is_ymd_shape(d)).ok_or(shape)?;
    let date: Date = ymd
        .parse()
        .map_err(|_: jiff::Error| format!("{ymd} is not a calendar date: {}", why_not(ymd)))?;
    let rest = &s[10..];
    if rest.is_empty() {
        return Ok(PageDate { date, time: None });
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        // With an offset (`Z`, `+02:00`): keep the written wall time.
        let offset = offset_of(rest).unwrap_or(Offset::UTC);
        let dt = offset.to_datetime(ts);
        return Ok(PageDate {
            date: dt.date(),
            time: Some((dt.time(), offset)),
        });
    }
    match s.parse::<DateTime>() {
        Ok(dt) => Ok(PageDate {
            date: dt.date(),
            time: Some((dt.time(), Offset::UTC)),
        }),
        Err(_) => Err(format!(
            "the time after the date is not valid: `{}`; {shape}",
            rest.trim()
        )),
    }
}

/// The `+hh:mm`/`-hh:mm`/`Z` at the end of a time, if any.
fn offset_of(rest: &str) -> Option<Offset> {
    if rest.ends_with(['Z', 'z']) {
        return Some(Offset::UTC);
    }
    let i = rest.rfind(['+', '-'])?;
    let (h, m) = rest[i + 1..]
        .split_once(':')
        .unwrap_or((&rest[i + 1..], "0"));
    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    Offset::from_seconds(if rest.as_bytes()[i] == b'-' {
        -secs
    } else {
        secs
    })
    .ok()
}

fn is_ymd_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
        .strftime("%Y-%m-%d")
        .to_string()
}

/// `date` plus `days`, as `YYYY-MM-DD`; `None` when `date` is not a date
/// or the result is out of range.
pub(crate) fn add_days(date: &str, days: i64) -> Option<String> {
    let d = parse(date).ok()?.date;
    let later = d.checked_add(jiff::Span::new().try_days(days).ok()?).ok()?;
    Some(later.strftime("%Y-%m-%d").to_string())
}

/// The calendar date of a front-matter value, for comparing dates.
pub(crate) fn day(s: &str) -> Option<Date> {
    parse(s).ok().map(|d| d.date)
}

/// Days from `from` to `to` (negative when `to` is earlier); `None` when
/// either is not a date.
pub(crate) fn days_between(from: &str, to: &str) -> Option<i64> {
    let span = day(from)?.until(day(to)?).ok()?;
    Some(i64::from(span.get_days()))
}

/// `2024-08-09` → `9 August 2024` (a value that is not a date comes back
/// unchanged).
pub(crate) fn long(s: &str) -> String {
    match parse(s) {
        Ok(d) => d.date.strftime("%-d %B %Y").to_string(),
        Err(_) => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_calendar_dates_pass() {
        for ok in ["2024-02-29", "2024-08-09", "1999-12-31"] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "2024-02-31",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "9 Aug 2024",
            "2024-8-9",
            "",
            "２０２４-08-09",
            "2024-08-09 later",
            "2024-08-09T25:00:00Z",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let e = parse("2024-02-31").unwrap_err();
        assert!(e.contains("2024-02-31 is not a calendar date"), "{e}");
    }

    #[test]
    fn an_impossible_date_says_why_in_words() {
        for (bad, why) in [
            (
                "2024-13-45",
                "2024-13-45 is not a calendar date: there is no month 13",
            ),
            (
                "2024-00-10",
                "2024-00-10 is not a calendar date: there is no month 0",
            ),
            (
                "2023-02-29",
                "2023-02-29 is not a calendar date: February 2023 has 28 days",
            ),
            (
                "2024-04-31",
                "2024-04-31 is not a calendar date: April 2024 has 30 days",
            ),
            (
                "2024-05-00",
                "2024-05-00 is not a calendar date: there is no day 0",
            ),
        ] {
            assert_eq!(parse(bad).unwrap_err(), why);
        }
    }

    #[test]
    fn feed_times_are_valid_rfc3339() {
        let r = |s: &str| parse(s).unwrap().rfc3339();
        assert_eq!(r("2024-08-09"), "2024-08-09T00:00:00Z");
        assert_eq!(r("2024-08-09 10:00"), "2024-08-09T10:00:00Z");
        assert_eq!(r("2024-08-09T10:00:00Z"), "2024-08-09T10:00:00Z");
        assert_eq!(r("2024-08-09T10:00:00+02:00"), "2024-08-09T10:00:00+02:00");
        assert_eq!(r("2024-08-09T23:30:00-05:30"), "2024-08-09T23:30:00-05:30");
        assert_eq!(
            parse("2024-08-09T23:30:00-05:30").unwrap().ymd(),
            "2024-08-09"
        );
    }

    #[test]
    fn dates_order_by_the_day_written_then_the_moment() {
        let k = |s: &str| parse(s).unwrap().key();
        // 10:00 at +02:00 is 08:00 UTC, before 09:00 UTC.
        assert!(k("2024-08-09T10:00:00+02:00") < k("2024-08-09T09:00:00Z"));
        // A date alone is midnight UTC.
        assert!(k("2024-08-09") < k("2024-08-09 00:00:01"));
        assert_eq!(k("2024-08-09"), k("2024-08-09T00:00:00Z"));
        // The day as written comes first: 23:30 at -05:30 is the next day in
        // UTC but still sorts on the 9th.
        assert!(k("2024-08-09T23:30:00-05:30") < k("2024-08-10"));
    }

    #[test]
    fn day_arithmetic_and_display() {
        assert_eq!(add_days("2024-02-28", 1).as_deref(), Some("2024-02-29"));
        assert_eq!(add_days("2024-12-31", 365).as_deref(), Some("2025-12-31"));
        assert_eq!(add_days("nope", 1), None);
        assert_eq!(days_between("2024-02-28", "2024-03-01"), Some(2));
        assert_eq!(days_between("2025-01-01", "2024-01-01"), Some(-366));
        assert_eq!(days_between("soon", "2024-01-01"), None);
        assert_eq!(add_days("2024-01-01", i64::MAX), None);
        assert_eq!(long("2024-08-09"), "9 August 2024");
        assert_eq!(long("soon"), "soon");
        assert!(parse(&today()).is_ok());
    }
}
