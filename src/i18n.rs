//! The words a site shows that its pages do not write: the theme's and
//! docent's own strings ("On this page", "Search", callout labels, the
//! search box's messages) in each of the site's languages, with the
//! language's plural rules and long dates (ICU4X's CLDR data).
//!
//! Strings come in layers, later ones winning: the default theme's
//! `i18n/<lang>.yaml` (built in: English, Spanish, Arabic), the site's
//! theme's `i18n/`, then the site's own `i18n/`. For `es-MX`, `es.yaml` is
//! read before `es-MX.yaml`. A string a language lacks is shown in English
//! and reported once.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use icu_calendar::Gregorian;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_plurals::{PluralCategory, PluralRules};

use crate::error::{Diagnostic, Kind};

/// The folder of strings files in a theme or a site.
pub(crate) const DIR: &str = "i18n";

/// Keys of the strings the search script shows (`js_…`, passed to it as
/// JSON without the prefix).
const JS_PREFIX: &str = "js_";

/// One language's strings, plural rules and date format.
pub(crate) struct Strings {
    /// The BCP 47 tag (`es`, `en-GB`).
    pub(crate) code: String,
    map: HashMap<String, String>,
    plurals: Option<PluralRules>,
    dates: Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Strings({}, {} keys)", self.code, self.map.len())
    }
}

impl Strings {
    /// Strings from `map` for language `code`, with its plural rules and
    /// dates when ICU knows the language.
    pub(crate) fn new(code: &str, map: HashMap<String, String>) -> Strings {
        let locale = icu_locale_core::Locale::try_from_str(code).ok();
        let plurals = locale
            .as_ref()
            .and_then(|l| PluralRules::try_new_cardinal(l.into()).ok());
        let dates = locale
            .as_ref()
            .and_then(|l| FixedCalendarDateTimeFormatter::try_new(l.into(), YMD::long()).ok());
        Strings {
            code: code.to_string(),
            map,
            plurals,
            dates,
        }
    }

    /// The built-in English strings alone (for tests and tools that have
    /// no site).
    pub(crate) fn english() -> Strings {
        Strings::new("en", builtin("en").unwrap_or_default())
    }

    /// The string `key`, or the key itself when no layer has it (so a
    /// theme's typo shows on the page rather than failing the build).
    pub(crate) fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map_or(key, String::as_str)
    }

    /// The string `key` with `{name}` replaced by each `(name, value)`.
    pub(crate) fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.get(key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// The plural form of `key` for `count`: `key_one`, `key_few`, … as
    /// the language's rules choose, else `key_other`, else `key`.
    pub(crate) fn plural_key(&self, key: &str, count: u64) -> String {
        let category = self.plurals.as_ref().map_or(
            if count == 1 {
                PluralCategory::One
            } else {
                PluralCategory::Other
            },
            |r| r.category_for(count),
        );
        let name = match category {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        };
        [format!("{key}_{name}"), format!("{key}_other")]
            .into_iter()
            .find(|k| self.map.contains_key(k))
            .unwrap_or_else(|| key.to_string())
    }

    /// `2024-08-09` as the language writes a date in full (`9 August
    /// 2024` in en-GB, `9 de agosto de 2024` in es); a value that is not
    /// a date comes back unchanged.
    pub(crate) fn long_date(&self, s: &str) -> String {
        let Ok(d) = crate::date::parse(s) else {
            return s.to_string();
        };
        let formatted = self.dates.as_ref().and_then(|f| {
            let date = icu_calendar::Date::try_new_gregorian(
                i32::from(d.date.year()),
                d.date.month() as u8,
                d.date.day() as u8,
            )
            .ok()?;
            Some(f.format(&date).to_string())
        });
        formatted.unwrap_or_else(|| crate::date::long(s))
    }

    /// The language's name for itself (`Español`), or its tag when its
    /// strings do not say.
    pub(crate) fn language_name(&self) -> &str {
        self.map
            .get(LANGUAGE_NAME)
            .map_or(self.code.as_str(), String::as_str)
    }

    /// Every string, for templates (`t`).
    pub(crate) fn map(&self) -> &HashMap<String, String> {
        &self.map
    }

    /// The search script's strings as a JSON object (keys without `js_`),
    /// with the language tag as `lang` for its plural rules; only those
    /// that differ from the built-in English the script already has
    /// ([`english_js_json`]), as every page carries them.
    pub(crate) fn js_json(&self) -> String {
        let english = &*ENGLISH_JS;
        let all: BTreeMap<&str, &str> = self
            .map
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(JS_PREFIX)?, v.as_str())))
            .collect();
        let differs = |k: &str, v: &str| english.get(k).is_none_or(|e| e != v);
        // A plural form travels with its siblings when any of them differs:
        // the script picks among the forms a page gives before English's.
        fn family(k: &str) -> &str {
            plural_base(k).unwrap_or(k)
        }
        let changed: std::collections::HashSet<&str> = all
            .iter()
            .filter(|(k, v)| differs(k, v))
            .map(|(k, _)| family(k))
            .collect();
        let mut out: BTreeMap<&str, &str> = all
            .into_iter()
            .filter(|(k, _)| changed.contains(family(k)))
            .collect();
        out.insert("lang", &self.code);
        serde_json::to_string(&out).unwrap_or_default()
    }
}

/// The built-in English strings of the search script, by key without
/// `js_`.
static ENGLISH_JS: std::sync::LazyLock<BTreeMap<String, String>> = std::sync::LazyLock::new(|| {
    builtin("en")
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| Some((k.strip_prefix(JS_PREFIX)?.to_string(), v)))
        .collect()
});

/// The built-in English strings of the search script as a JSON object:
/// what it shows where a page's own strings (see [`Strings::js_json`])
/// have none.
pub(crate) fn english_js_json() -> String {
    serde_json::to_string(&*ENGLISH_JS).unwrap_or_default()
}

/// The key of a language's own name for itself (`Español`).
const LANGUAGE_NAME: &str = "language_name";

/// Plural suffixes, as CLDR names the categories.
const PLURAL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// The string a plural form (`results_one`) is a form of (`results`).
fn plural_base(key: &str) -> Option<&str> {
    key.rsplit_once('_')
        .filter(|(_, form)| PLURAL_FORMS.contains(form))
        .map(|(base, _)| base)
}

/// Whether `key` is a plural form (`page_count_one`) of a string `map`
/// has its own forms of (`page_count_other`): a form the language does
/// not use is not missing.
fn is_plural_form_of_own(key: &str, map: &HashMap<String, String>) -> bool {
    plural_base(key).is_some_and(|base| map.contains_key(&format!("{base}_other")))
}

/// The built-in default theme's strings for `code`, if it has a file.
fn builtin(code: &str) -> Option<HashMap<String, String>> {
    let path = format!("{DIR}/{code}.yaml");
    let (_, bytes) = crate::embedded::DEFAULT_THEME
        .iter()
        .find(|(p, _)| *p == path)?;
    let text = std::str::from_utf8(bytes).ok()?;
    parse(text, Path::new(&path)).ok()
}

/// A strings file: a map of text values.
fn parse(text: &str, shown: &Path) -> Result<HashMap<String, String>, Vec<Diagnostic>> {
    let origin = crate::yaml::Origin {
        path: shown,
        file_text: text,
        line_offset: 0,
    };
    if text.trim().is_empty() {
        return Ok(HashMap::new());
    }
    crate::yaml::parse_all::<HashMap<String, String>>(text, origin)
}

/// The files to layer for `code`, least specific first: `es` then
/// `es-MX`.
fn file_names(code: &str) -> Vec<String> {
    let primary = code.split('-').next().unwrap_or(code);
    let mut names = vec![format!("{primary}.yaml")];
    if primary != code {
        names.push(format!("{code}.yaml"));
    }
    names
}

/// The strings of every language of the site (the default language first,
/// then `languages:` in order), and a warning per language that lacks
/// strings English has.
pub(crate) fn load(
    root: &Path,
    theme: &str,
    codes: &[&str],
) -> Result<(Vec<Strings>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let theme_dir = root.join("themes").join(theme);
    let dirs: Vec<(PathBuf, PathBuf)> = [
        (
            theme_dir.join(DIR),
            Path::new("themes").join(theme).join(DIR),
        ),
        (root.join(DIR), PathBuf::from(DIR)),
    ]
    .into_iter()
    .filter(|(d, _)| d.is_dir())
    .collect();
    let confine = crate::confine::Root::new(root);
    let mut errors = Vec::new();
    for (dir, shown) in &dirs {
        if let Err(d) = confine.check(dir, shown) {
            errors.push(d);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut layered = |code: &str| -> HashMap<String, String> {
        let mut map = HashMap::new();
        for name in file_names(code) {
            if let Some(m) = builtin(name.trim_end_matches(".yaml")) {
                map.extend(m);
            }
            for (dir, shown) in &dirs {
                let path = dir.join(&name);
                if !path.is_file() {
                    continue;
                }
                let shown = shown.join(&name);
                if let Err(d) = confine.check(&path, &shown) {
                    errors.push(d);
                    continue;
                }
                let read = std::fs::read(&path)
                    .map_err(|e| {
                        vec![
                            Diagnostic::new(
                                Kind::Io,
                                format!("cannot read {}: {e}", shown.display()),
                            )
                            .file(&shown),
                        ]
                    })
                    .and_then(|b| crate::text::decode(b, &shown).map_err(|d| vec![d]))
                    .and_then(|t| parse(&t, &shown));
                match read {
                    Ok(m) => map.extend(m),
                    Err(mut e) => errors.append(&mut e),
                }
            }
        }
        map
    };
    let english = layered("en");
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for &code in codes {
        let mut map = layered(code);
        let mut missing: Vec<&String> = english
            .keys()
            .filter(|k| !map.contains_key(*k) && !is_plural_form_of_own(k, &map))
            .collect();
        if !missing.is_empty() && !code.starts_with("en") {
            missing.sort();
            let shown: Vec<&str> = missing.iter().take(5).map(|s| s.as_str()).collect();
            warnings.push(
                Diagnostic::new(
                    Kind::MissingField,
                    format!(
                        "{} theme strings have no `{code}` translation ({}{}); they are shown in English",
                        missing.len(),
                        shown.join(", "),
                        if missing.len() > 5 { ", …" } else { "" }
                    ),
                )
                .file(&Path::new(DIR).join(format!("{code}.yaml")))
                .hint(format!(
                    "add them to i18n/{code}.yaml in the site (see the default theme's i18n/en.yaml for every key)"
                )),
            );
        }
        for (k, v) in &english {
            // An English plural form is no stand-in where the language
            // has its own forms of that string (`_other` at least).
            // Nor is "English" a name for another language.
            if is_plural_form_of_own(k, &map) || k == LANGUAGE_NAME {
                continue;
            }
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
        out.push(Strings::new(code, map));
    }
    if errors.is_empty() {
        Ok((out, warnings))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        let s = |code: &str| Strings::new(code, HashMap::new());
        assert_eq!(s("en-GB").long_date("2024-08-09"), "9 August 2024");
        assert_eq!(s("en").long_date("2024-08-09"), "August 9, 2024");
        assert_eq!(s("es").long_date("2024-08-09"), "9 de agosto de 2024");
        assert_eq!(s("de").long_date("2026-11-30"), "30. November 2026");
        let ar = s("ar").long_date("2024-08-09");
        assert!(ar.contains("أغسطس"), "{ar}");
        // Not a date: unchanged.
        assert_eq!(s("es").long_date("soon"), "soon");
    }

    #[test]
    fn plural_forms_follow_the_language() {
        let map = |keys: &[&str]| {
            keys.iter()
                .map(|k| (k.to_string(), k.to_string()))
                .collect::<HashMap<_, _>>()
        };
        let en = Strings::new("en", map(&["n_one", "n_other"]));
        assert_eq!(en.plural_key("n", 1), "n_one");
        assert_eq!(en.plural_key("n", 0), "n_other");
        assert_eq!(en.plural_key("n", 21), "n_other");
        let ar = Strings::new(
            "ar",
            map(&["n_zero", "n_one", "n_two", "n_few", "n_many", "n_other"]),
        );
        assert_eq!(ar.plural_key("n", 2), "n_two");
        assert_eq!(ar.plural_key("n", 5), "n_few");
        assert_eq!(ar.plural_key("n", 11), "n_many");
        // A form the strings lack falls back to `_other`, then the key.
        assert_eq!(ar.plural_key("missing", 3), "missing");
        let es = Strings::new("es", map(&["n_other"]));
        assert_eq!(es.plural_key("n", 1), "n_other");
    }

    #[test]
    fn the_built_in_languages_have_every_english_string() {
        let en = builtin("en").unwrap();
        for code in ["es", "ar"] {
            let other = builtin(code).unwrap();
            let missing: Vec<_> = en
                .keys()
                .filter(|k| !other.contains_key(*k) && !is_plural_form_of_own(k, &other))
                .collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
            let extra: Vec<_> = other
                .keys()
                .filter(|k| !en.contains_key(*k))
                .filter(|k| {
                    !["_zero", "_two", "_few", "_many"]
                        .iter()
                        .any(|s| k.ends_with(s))
                })
                .collect();
            assert!(extra.is_empty(), "{code} has keys English lacks: {extra:?}");
        }
    }

    #[test]
    fn english_plural_forms_never_stand_in_for_a_languages_own() {
        let dir = tempfile::tempdir().unwrap();
        let (langs, warnings) = load(dir.path(), "default", &["en", "ar"]).unwrap();
        let ar = &langs[1];
        // Arabic writes `js_results_other` only: English's `_one` is not
        // added, so one result is said in Arabic.
        assert!(!ar.map().contains_key("js_results_one"));
        assert_eq!(
            ar.get(&ar.plural_key("js_results", 1)),
            "عدد النتائج لـ «{query}»: {count}"
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn placeholders_are_filled() {
        let s = Strings::english();
        assert_eq!(
            s.fill("current_to", &[("date", "1 May 2026")]),
            "Information current to 1 May 2026."
        );
    }

    #[test]
    fn pages_carry_only_the_search_strings_the_script_lacks() {
        // The built-in English is in the script: an English page names
        // its language only.
        assert_eq!(Strings::english().js_json(), r#"{"lang":"en"}"#);
        let english: BTreeMap<String, String> =
            serde_json::from_str(&english_js_json()).expect("a JSON object");
        assert_eq!(english["none"], "No results for “{query}”");
        assert_eq!(english.len(), 13, "{english:?}");
        // A site's own wording, and another language's, are carried.
        let mut map = builtin("en").unwrap_or_default();
        map.insert("js_none".into(), "Nothing found for “{query}”".into());
        let own = Strings::new("en-GB", map).js_json();
        assert_eq!(
            own,
            r#"{"lang":"en-GB","none":"Nothing found for “{query}”"}"#
        );
        // A plural form equal to English's still travels with a sibling
        // that differs (the script takes a page's forms first).
        let mut map = builtin("en").unwrap_or_default();
        map.insert(
            "js_results_other".into(),
            "{count} hits for “{query}”".into(),
        );
        let own: BTreeMap<String, String> =
            serde_json::from_str(&Strings::new("en", map).js_json()).expect("a JSON object");
        assert_eq!(
            own.keys().collect::<Vec<_>>(),
            ["lang", "results_one", "results_other"]
        );
        let es = Strings::new("es", builtin("es").unwrap_or_default()).js_json();
        let es: BTreeMap<String, String> = serde_json::from_str(&es).expect("a JSON object");
        assert_eq!(es.len(), english.len() + 1, "{es:?}");
        assert!(es["none"].starts_with("No hay resultados"), "{es:?}");
    }
}
