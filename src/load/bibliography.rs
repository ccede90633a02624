//! The bibliography: hayagriva's YAML format plus docent's `retracted: true`
//! flag, or a BibTeX/BibLaTeX `.bib` file (read by hayagriva's BibLaTeX
//! support; `retracted = {true}` marks a retraction there), and the CSL
//! style that formats it.
//!
//! The file is parsed once by `crate::yaml` (so serde_yaml stays behind one
//! module); docent's own field is taken out and the rest deserialized into
//! hayagriva's `Library` from that value.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use hayagriva::Library;
use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::{IndependentStyle, Locale, Style};

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Kind};
use crate::site::{Bibliography, DataFile};

pub use crate::config::STYLES;

/// The bibliography file a site uses: site.yaml's `bibliography`, or, when
/// that is the default `references.yaml` and there is none, a
/// `references.bib` beside it (as Jupyter Book sites have).
pub fn file_name(
    config: &SiteConfig,
    content_dir: &Path,
    data: &HashMap<String, DataFile>,
) -> String {
    let default = "references.yaml";
    if config.bibliography == default
        && !data.contains_key(default)
        && content_dir.join("references.bib").is_file()
    {
        return "references.bib".into();
    }
    config.bibliography.clone()
}

/// Load the bibliography named in the config (YAML from `data`, BibTeX
/// read from `content_dir`), if the file exists, with its warnings.
pub fn load(
    config: &SiteConfig,
    data: &HashMap<String, DataFile>,
    content_dir: &Path,
) -> Result<Option<(Bibliography, Vec<Diagnostic>)>, Vec<Diagnostic>> {
    if config.bibliography.ends_with(".bib") {
        let path = content_dir.join(&config.bibliography);
        let shown = Path::new("content").join(&config.bibliography);
        if path.exists() {
            crate::confine::Root::new(content_dir)
                .check(&path, &shown)
                .map_err(|d| vec![d])?;
        }
        let text = match std::fs::read(&path) {
            Ok(bytes) => crate::text::decode(bytes, &shown).map_err(|d| vec![d])?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(vec![
                    Diagnostic::new(Kind::Io, format!("cannot read {}: {e}", shown.display()))
                        .file(&shown),
                ]);
            }
        };
        return from_bibtex(config, &text, &shown).map(Some);
    }
    let Some(file) = data.get(&config.bibliography) else {
        return Ok(None);
    };
    let style = style_named(&config.citation_style).map_err(|d| vec![d])?;
    let Some(map) = file.value.as_object() else {
        return Err(vec![
            Diagnostic::new(Kind::InvalidValue, "the bibliography must be a map of keys to entries")
                .at(&file.shown_path, 1, 1, Some(&file.text))
                .hint("write each reference as `key:` followed by indented type, title, author, date, serial-number: {doi: …}"),
        ]);
    };
    let mut retracted = HashSet::new();
    let mut clean = serde_json::Map::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for (key, entry) in map {
        let mut entry = entry.clone();
        if let Some(obj) = entry.as_object_mut()
            && let Some(flag) = obj.remove("retracted")
        {
            match flag {
                serde_json::Value::Bool(true) => {
                    retracted.insert(key.clone());
                }
                serde_json::Value::Bool(false) => {}
                _ => errors.push(at_key(
                    file,
                    key,
                    format!("`retracted` of `{key}` must be true or false"),
                )),
            }
        }
        // Check each entry alone, so an error names the entry.
        let one = serde_json::json!({ key.clone(): entry.clone() });
        if let Err(e) = serde_json::from_value::<Library>(one) {
            let why = crate::yaml::humanize(&e.to_string());
            errors.push(match bad_field(key, &entry) {
                Some(path) => at_field(
                    file,
                    key,
                    &path,
                    format!("reference `{key}`, `{}`: {why}", path.join(".")),
                ),
                None => at_key(file, key, format!("reference `{key}`: {why}")),
            });
            continue;
        }
        for (path, url) in script_urls(&entry) {
            let (line, col) = field_line(file, key, &path);
            warnings.push(script_url_warning(key, &url).at(
                &file.shown_path,
                line,
                col,
                Some(&file.text),
            ));
        }
        clean.insert(key.clone(), entry);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let library =
        serde_json::from_value::<Library>(serde_json::Value::Object(clean)).map_err(|e| {
            vec![
                Diagnostic::new(
                    Kind::InvalidValue,
                    format!("bibliography: {}", crate::yaml::humanize(&e.to_string())),
                )
                .file(&file.shown_path),
            ]
        })?;
    let bib = finish(
        config,
        style,
        library,
        retracted,
        map.keys().cloned().collect(),
        &file.text,
        &file.shown_path,
    );
    Ok(Some((bib, warnings)))
}

/// The `url` fields of a hayagriva YAML entry, its parents' included, that
/// would run script, with their paths (`["parent", "url"]`) and values.
fn script_urls(entry: &serde_json::Value) -> Vec<(Vec<String>, String)> {
    let mut found = Vec::new();
    let mut stack = vec![(Vec::<String>::new(), entry)];
    while let Some((path, value)) = stack.pop() {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let mut p = path.clone();
                    p.push(k.clone());
                    // `url: …`, or `url: {value: …, date: …}`.
                    let in_url = path.last().is_some_and(|l| l == "url");
                    match v {
                        serde_json::Value::String(u)
                            if (k == "url" || (in_url && k == "value"))
                                && crate::url::script_url(u) =>
                        {
                            found.push((p, u.clone()));
                        }
                        _ => stack.push((p, v)),
                    }
                }
            }
            // A list of parents.
            serde_json::Value::Array(items) => {
                stack.extend(items.iter().map(|v| (path.clone(), v)));
            }
            _ => {}
        }
    }
    found
}

/// A warning for a bibliography entry's URL that would run script: it is
/// shown as text, never as a link (see `markdown::citations::to_html`).
fn script_url_warning(key: &str, url: &str) -> Diagnostic {
    Diagnostic::new(
        Kind::ScriptUrl,
        format!(
            "reference `{key}`: script URL `{}` is not linked",
            crate::util::shorten(url, 60)
        ),
    )
    .hint("give the entry an https:// address, or leave its url out")
}

/// A bibliography from its parts: the locales it needs and its hash.
fn finish(
    config: &SiteConfig,
    style: IndependentStyle,
    library: Library,
    retracted: HashSet<String>,
    keys: Vec<String>,
    text: &str,
    shown: &Path,
) -> Bibliography {
    // The locales of every language of the site (a page cites in its own).
    let mut locales = locales_for(&style, &config.language);
    for l in &config.languages {
        for loc in locales_for(&style, &l.code) {
            if !locales.iter().any(|have| have.lang == loc.lang) {
                locales.push(loc);
            }
        }
    }
    let hash = xxhash_rust::xxh3::xxh3_64(
        format!("{}\0{}\0{}", text, config.citation_style, config.language).as_bytes(),
    );
    Bibliography {
        hash,
        keys,
        library,
        retracted,
        style,
        locales,
        shown_path: shown.to_path_buf(),
    }
}

/// A BibTeX or BibLaTeX file: malformed syntax and fields whose values
/// do not fit their type are errors at their line, naming the entry and
/// the field.
fn from_bibtex(
    config: &SiteConfig,
    text: &str,
    shown: &Path,
) -> Result<(Bibliography, Vec<Diagnostic>), Vec<Diagnostic>> {
    let style = style_named(&config.citation_style).map_err(|d| vec![d])?;
    let at = |span: &std::ops::Range<usize>, message: String, hint: &str| {
        Diagnostic::new(Kind::InvalidValue, message)
            .at_offset(shown, text, span.start)
            .hint(hint.to_string())
    };
    let bib = biblatex::Bibliography::parse(text).map_err(|e| {
        vec![at(
            &e.span,
            format!("the bibliography is not valid BibTeX: {}", e.kind),
            "check the entry's braces, commas and quotes: @article{key, title = {…}, year = {2021}}",
        )]
    })?;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut retracted = HashSet::new();
    let mut keys = Vec::new();
    for entry in bib.iter() {
        keys.push(entry.key.clone());
        if let Some(url) = entry.fields.get("url") {
            let value = biblatex::ChunksExt::format_verbatim(&url[..]);
            if crate::url::script_url(&value) {
                let span = url.first().map_or(0..0, |c| c.span.clone());
                warnings.push(
                    script_url_warning(&entry.key, value.trim()).at_offset(shown, text, span.start),
                );
            }
        }
        if let Some(flag) = entry.fields.get("retracted") {
            let value = biblatex::ChunksExt::format_verbatim(&flag[..]);
            match value.trim() {
                "true" | "yes" => {
                    retracted.insert(entry.key.clone());
                }
                "false" | "no" => {}
                other => errors.push(at(
                    &flag.first().map_or(0..0, |c| c.span.clone()),
                    format!("`retracted` of `{}` is `{other}`", entry.key),
                    "write retracted = {true} (or leave it out)",
                )),
            }
        }
        if let Err(e) = hayagriva::Entry::try_from(entry) {
            let field = field_at(text, e.span.start);
            errors.push(at(
                &e.span,
                format!(
                    "reference `{}`{}: {}",
                    entry.key,
                    field.map(|f| format!(", field `{f}`")).unwrap_or_default(),
                    e.kind
                ),
                "dates as year = {2021} or date = {2021-06-30}, numbers as digits, names as {Last, First and Last, First}",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let library = hayagriva::io::from_biblatex(&bib).map_err(|errs| {
        errs.iter()
            .map(|e| {
                at(
                    &e.span,
                    format!("bibliography: {}", e.kind),
                    "check this field",
                )
            })
            .collect::<Vec<_>>()
    })?;
    Ok((
        finish(config, style, library, retracted, keys, text, shown),
        warnings,
    ))
}

/// The name of the BibTeX field whose value holds byte `offset` (`year`
/// for a bad year): the last `name =` before it.
fn field_at(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?;
    let eq = before.rfind('=')?;
    let name = before[..eq].trim_end();
    let start = name
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |i| i + 1);
    let name = &name[start..];
    (!name.is_empty()).then_some(name)
}

/// The CSL locales a build can use: US English (CSL's fallback), the
/// style's default locale and the site's language. Decoding all 60-odd
/// locales hayagriva ships costs more than the rest of a small site's build;
/// reading just each one's language tag first is cheap.
///
/// Decoded once per process (`docent serve` rebuilds often) and cloned.
fn locales_for(style: &IndependentStyle, language: &str) -> Vec<Locale> {
    type Decoded = std::collections::HashMap<(Option<String>, String), Vec<Locale>>;
    static DECODED: std::sync::OnceLock<std::sync::Mutex<Decoded>> = std::sync::OnceLock::new();
    let key = (
        style.default_locale.as_ref().map(|c| c.0.clone()),
        language.to_string(),
    );
    let decoded = DECODED.get_or_init(Default::default);
    if let Some(l) = decoded.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return l.clone();
    }
    let locales = decode_locales(style, language);
    decoded
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, locales.clone());
    locales
}

fn decode_locales(style: &IndependentStyle, language: &str) -> Vec<Locale> {
    #[derive(serde::Deserialize)]
    struct Lang {
        #[serde(rename = "@xml:lang")]
        lang: Option<String>,
    }
    let primary = |code: &str| {
        code.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let default = style.default_locale.as_ref().map(|c| c.0.clone());
    let wanted = |code: &str| {
        code == "en-US" || default.as_deref() == Some(code) || primary(code) == primary(language)
    };
    hayagriva::archive::LOCALES
        .iter()
        .filter(|bytes| {
            ciborium::de::from_reader::<Lang, _>(**bytes)
                .ok()
                .and_then(|l| l.lang)
                .is_some_and(|l| wanted(&l))
        })
        .filter_map(|bytes| ciborium::de::from_reader::<Locale, _>(*bytes).ok())
        .collect()
}

/// The field of an entry that hayagriva refuses (`date`, or `parent`,
/// `volume` inside a parent), found by trying each field alone beside the
/// entry's type; only on the error path.
fn bad_field(key: &str, entry: &serde_json::Value) -> Option<Vec<String>> {
    let refused = |e: serde_json::Value| {
        serde_json::from_value::<Library>(serde_json::json!({ key: e })).is_err()
    };
    bad_in(entry, &refused)
}

fn bad_in(
    entry: &serde_json::Value,
    refused: &dyn Fn(serde_json::Value) -> bool,
) -> Option<Vec<String>> {
    let obj = entry.as_object()?;
    let kind = obj.get("type").cloned().unwrap_or_else(|| "misc".into());
    let (field, value) = obj
        .iter()
        .filter(|(f, _)| f.as_str() != "type")
        .find(|(f, v)| refused(serde_json::json!({ "type": kind, f.as_str(): v })))?;
    let mut path = vec![field.clone()];
    // Inside a parent entry (a map, or the first of a list of them).
    let inner = value.as_object().map(|_| value).or_else(|| value.get(0));
    if let Some(inner) = inner.filter(|v| v.is_object()) {
        let wrap =
            |v: serde_json::Value| refused(serde_json::json!({ "type": kind, field.as_str(): v }));
        if let Some(rest) = bad_in(inner, &wrap) {
            path.extend(rest);
        }
    }
    Some(path)
}

/// Where `field:` (the last of `path`) of the entry `key` is.
fn field_line(file: &DataFile, key: &str, path: &[String]) -> (usize, usize) {
    let field = path.last().map_or("", String::as_str);
    let mut parents = vec![key];
    parents.extend(
        path[..path.len().saturating_sub(1)]
            .iter()
            .map(String::as_str),
    );
    crate::yaml::key_line(&file.text, &parents, field)
        .or_else(|| crate::yaml::key_line(&file.text, &[], key))
        .unwrap_or((1, 1))
}

/// An error at `field:` of the entry `key`.
fn at_field(file: &DataFile, key: &str, path: &[String], msg: String) -> Diagnostic {
    let field = path.last().map_or("", String::as_str);
    let (line, col) = field_line(file, key, path);
    Diagnostic::new(Kind::InvalidValue, msg)
        .at(&file.shown_path, line, col, Some(&file.text))
        .hint(format!(
            "check `{field}` against hayagriva's YAML format (dates as YYYY-MM-DD or a year, \
             authors as \"Last, First\", serial-number: {{doi: …}})"
        ))
}

fn at_key(file: &DataFile, key: &str, msg: String) -> Diagnostic {
    // The entry's own line: a key at the top level, not a field of an
    // earlier entry that happens to share its name.
    let (line, col) = crate::yaml::key_line(&file.text, &[], key).unwrap_or((1, 1));
    Diagnostic::new(Kind::InvalidValue, msg)
        .at(&file.shown_path, line, col, Some(&file.text))
        .hint("see hayagriva's YAML format: type, title, author, date, parent, serial-number: {doi: …}")
}

/// The CSL style for a config name.
pub fn style_named(name: &str) -> Result<IndependentStyle, Diagnostic> {
    let unknown = || {
        Diagnostic::new(
            Kind::InvalidValue,
            format!("citation_style `{name}` is not offered"),
        )
        .file(std::path::Path::new(crate::config::CONFIG_FILE))
        .hint(format!("use one of: {}", STYLES.join(", ")))
    };
    if !STYLES.contains(&name) {
        return Err(unknown());
    }
    // Decoded once per process (`docent serve` rebuilds often) and cloned.
    static DECODED: std::sync::OnceLock<
        std::sync::Mutex<std::collections::HashMap<String, IndependentStyle>>,
    > = std::sync::OnceLock::new();
    let decoded = DECODED.get_or_init(Default::default);
    if let Some(s) = decoded.lock().unwrap_or_else(|p| p.into_inner()).get(name) {
        return Ok(s.clone());
    }
    match ArchivedStyle::by_name(name).map(ArchivedStyle::get) {
        Some(Style::Independent(s)) => {
            decoded
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(name.to_string(), s.clone());
            Ok(s)
        }
        _ => Err(unknown()),
    }
}

#[cfg(test)]
mod tests {
    fn langs(style: &str, language: &str) -> Vec<String> {
        let style = super::style_named(style).unwrap();
        let mut v: Vec<String> = super::locales_for(&style, language)
            .into_iter()
            .filter_map(|l| l.lang.map(|c| c.0))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn only_the_locales_a_site_can_use_are_decoded() {
        assert_eq!(langs("apa", "en"), ["en-GB", "en-US"]);
        assert_eq!(langs("apa", "fr"), ["en-US", "fr-CA", "fr-FR"]);
        let harvard = super::style_named("harvard-cite-them-right").unwrap();
        if let Some(code) = harvard.default_locale {
            assert!(langs("harvard-cite-them-right", "de").contains(&code.0));
        }
    }

    #[test]
    fn every_offered_style_loads() {
        for s in super::STYLES {
            assert!(super::style_named(s).is_ok(), "{s}");
        }
        assert!(super::style_named("vancouver").is_err());
    }
}
