//! Numbers as a reader of the page's language writes them: one home for the
//! grouping and decimal marks, the smallest number that gets grouped, and
//! how a percentage is written, so tables, charts and their descriptions
//! never disagree (`2,500` beside `12,345`, `45%` beside `45 %`).
//!
//! The marks and the minimum grouping are CLDR's, through ICU4X's decimal
//! formatter: English groups from four digits (`2,500`); Spanish, Polish
//! and European Portuguese only from five (`2500`, `12.345`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use serde_json::Value;

/// The decimal formatter of `lang` (made once per language and thread:
/// pages render on every core), or none when ICU cannot read the tag.
fn formatter(lang: &str) -> Option<Rc<DecimalFormatter>> {
    thread_local! {
        static MADE: RefCell<HashMap<String, Option<Rc<DecimalFormatter>>>> =
            RefCell::new(HashMap::new());
    }
    MADE.with(|made| {
        // Looked up by `&str` first: no allocation per number formatted.
        if let Some(f) = made.borrow().get(lang) {
            return f.clone();
        }
        let f = icu_locale_core::Locale::try_from_str(lang)
            .ok()
            .and_then(|locale| DecimalFormatter::try_new((&locale).into(), Default::default()).ok())
            .map(Rc::new);
        made.borrow_mut().insert(lang.to_string(), f.clone());
        f
    })
}

/// Whether a percent sign follows a no-break space in `lang` (`45 %`), as
/// CLDR's percent patterns have it.
fn spaced_percent(lang: &str) -> bool {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "fr" | "de" | "sv" | "nb" | "nn" | "no" | "fi" | "cs" | "sk" | "da" | "es"
    )
}

/// A number for `lang`: whole numbers in full, others to at most three
/// decimals.
pub(crate) fn format_number(v: f64, lang: &str) -> String {
    let raw = if v.fract() == 0.0 {
        // Whole numbers print in full: `v as i64` saturated past 9.2e18.
        format!("{v:.0}")
    } else {
        let rounded = (v * 1000.0).round() / 1000.0;
        if rounded.is_finite() {
            format!("{rounded}")
        } else {
            format!("{v}")
        }
    };
    localize(&raw, lang)
}

/// A number as written in the data, formatted for `lang`: whole numbers
/// that JSON holds exactly (any i64 or u64) keep every digit.
pub(crate) fn format_value(v: &Value, lang: &str) -> String {
    match (v.as_i64(), v.as_u64()) {
        (Some(i), _) if i.unsigned_abs() >= 1 << 53 => localize(&i.to_string(), lang),
        (None, Some(u)) => localize(&u.to_string(), lang),
        _ => format_number(v.as_f64().unwrap_or(0.0), lang),
    }
}

/// An already formatted number as a percentage in `lang`.
pub(crate) fn percent(formatted: &str, lang: &str) -> String {
    if spaced_percent(lang) {
        format!("{formatted}\u{a0}%")
    } else {
        format!("{formatted}%")
    }
}

/// `-1234567.5` → `-1,234,567.5` in English, `-1.234.567,5` in Spanish;
/// what is not a plain decimal number (`NaN`, `inf`) comes back as it is.
fn localize(raw: &str, lang: &str) -> String {
    match (formatter(lang), Decimal::try_from_str(raw)) {
        (Some(f), Ok(d)) => f.format(&d).to_string(),
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{format_number, format_value, percent};
    use serde_json::Value;

    #[test]
    fn large_numbers_keep_every_digit() {
        let v: Value = serde_json::from_str("10000000000000000001").unwrap();
        assert_eq!(format_value(&v, "en"), "10,000,000,000,000,000,001");
        let v: Value = serde_json::from_str("-9223372036854775808").unwrap();
        assert_eq!(format_value(&v, "en"), "-9,223,372,036,854,775,808");
        assert_eq!(format_number(1e19, "en"), "10,000,000,000,000,000,000");
        assert_eq!(format_number(1e300, "en").len(), 401);
        assert_eq!(format_number(12345.6789, "de"), "12.345,679");
        assert_eq!(format_number(f64::NAN, "en"), "NaN");
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(format_number(1234567.5, "en"), "1,234,567.5");
        assert_eq!(format_number(12345.0, "en-GB"), "12,345");
        assert_eq!(format_number(-24.4, "en"), "-24.4");
        assert_eq!(format_number(12345.25, "de"), "12.345,25");
        assert_eq!(format_number(0.91, "fr"), "0,91");
        assert_eq!(format_number(12345.5, "fr"), "12\u{202f}345,5");
        assert_eq!(format_number(12345.5, "ar"), format_number(12345.5, "ar"));
        // A tag ICU cannot read: the number as it is.
        assert_eq!(format_number(12345.5, "x-"), "12345.5");
    }

    #[test]
    fn four_digit_numbers_are_grouped_one_way_per_language() {
        // English groups every number of four digits or more: `2500` beside
        // `12,345` was the inconsistency readers saw.
        assert_eq!(format_number(2500.0, "en"), "2,500");
        assert_eq!(format_number(-2500.0, "en-US"), "-2,500");
        assert_eq!(format_number(999.0, "en"), "999");
        assert_eq!(format_number(2500.0, "de"), "2.500");
        // CLDR: Spanish, Polish, European Portuguese group from five digits.
        assert_eq!(format_number(2500.0, "es"), "2500");
        assert_eq!(format_number(12345.0, "es"), "12.345");
        assert_eq!(format_number(2500.0, "pl"), "2500");
        assert_eq!(format_number(2500.0, "pt-PT"), "2500");
        assert_eq!(format_number(2500.0, "pt-BR"), "2.500");
    }

    #[test]
    fn percentages_follow_the_language() {
        assert_eq!(percent("45", "en"), "45%");
        assert_eq!(percent("45", "fr"), "45\u{a0}%");
        assert_eq!(percent("45", "de-AT"), "45\u{a0}%");
        assert_eq!(percent("12,5", "es"), "12,5\u{a0}%");
    }
}
