//! Numbers as a reader of the site's language writes them: one home for the
//! grouping and decimal marks, the smallest number that gets grouped, and
//! how a percentage is written, so tables, charts and their descriptions
//! never disagree (`2,500` beside `12,345`, `45%` beside `45 %`).
//!
//! The marks and the minimum grouping follow CLDR's defaults for the primary
//! language: English groups from four digits (`2,500`); Spanish, Polish and
//! European Portuguese only from five (`2500`, `12.345`).

use serde_json::Value;

/// How one language writes numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Style {
    group: &'static str,
    decimal: &'static str,
    /// Digits the integer part needs before it is grouped (CLDR's
    /// minimumGroupingDigits + 3).
    group_from: usize,
    /// Whether a percent sign follows a narrow no-break space (`45 %`).
    spaced_percent: bool,
}

fn style(lang: &str) -> Style {
    let lang = lang.to_ascii_lowercase();
    let mut parts = lang.split(['-', '_']);
    let primary = parts.next().unwrap_or("en");
    let region = parts.next().unwrap_or("");
    let (group, decimal) = match primary {
        "de" | "nl" | "es" | "it" | "pt" | "da" | "id" | "tr" | "el" => (".", ","),
        "fr" | "sv" | "nb" | "nn" | "no" | "fi" | "cs" | "pl" | "ru" | "uk" | "sk" => {
            ("\u{202f}", ",")
        }
        _ => (",", "."),
    };
    let min2 = matches!(primary, "es" | "pl") || (primary == "pt" && region == "pt");
    Style {
        group,
        decimal,
        group_from: if min2 { 5 } else { 4 },
        spaced_percent: matches!(
            primary,
            "fr" | "de" | "sv" | "nb" | "nn" | "no" | "fi" | "cs" | "sk" | "da" | "es"
        ),
    }
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
    group_digits(&raw, style(lang))
}

/// A number as written in the data, formatted for `lang`: whole numbers
/// that JSON holds exactly (any i64 or u64) keep every digit.
pub(crate) fn format_value(v: &Value, lang: &str) -> String {
    match (v.as_i64(), v.as_u64()) {
        (Some(i), _) if i.unsigned_abs() >= 1 << 53 => group_digits(&i.to_string(), style(lang)),
        (None, Some(u)) => group_digits(&u.to_string(), style(lang)),
        _ => format_number(v.as_f64().unwrap_or(0.0), lang),
    }
}

/// An already formatted number as a percentage in `lang`.
pub(crate) fn percent(formatted: &str, lang: &str) -> String {
    if style(lang).spaced_percent {
        format!("{formatted}\u{a0}%")
    } else {
        format!("{formatted}%")
    }
}

/// `-1234567.5` → `-1,234,567.5` in English.
fn group_digits(raw: &str, style: Style) -> String {
    let (sign, digits) = match raw.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", raw),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    let grouping = int.len() >= style.group_from && int.bytes().all(|b| b.is_ascii_digit());
    for (i, c) in int.chars().enumerate() {
        if grouping && i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push_str(style.group);
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{}{frac}", style.decimal)
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
