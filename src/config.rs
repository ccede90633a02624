//! `site.yaml`: the site's configuration as plain data, plus validation.
//!
//! Unknown keys are errors naming the key and its line, so a typo never
//! silently turns a setting off.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Kind};
use crate::yaml;

/// CSL styles docent offers. hayagriva 0.10.1 drops authors in the
/// Vancouver/NLM styles, so those are not offered until that is fixed.
pub const STYLES: &[&str] = &[
    "apa",
    "american-medical-association",
    "chicago-author-date",
    "harvard-cite-them-right",
    "ieee",
    "modern-language-association",
    "nature",
];

pub(crate) const CONFIG_FILE: &str = "site.yaml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Absolute URL the site is served from, ending in `/`. Defaults to `/`
    /// (root-relative links, no absolute permalinks).
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// BCP 47 language tag for `<html lang>`: the default language, whose
    /// pages are the ones directly under content/.
    #[serde(default = "default_language")]
    pub language: String,
    /// Right to left or left to right (default: from the language).
    #[serde(default)]
    pub dir: Option<TextDir>,
    /// Other languages, each with its pages under `content/<code>/`.
    #[serde(default)]
    pub languages: Vec<LanguageConfig>,
    /// Theme folder under `themes/`; `default` falls back to the built-in theme.
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub toc: TocConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Whether every page must start with front matter and a `title`.
    #[serde(default)]
    pub front_matter: FrontMatterMode,
    /// Bibliography file in hayagriva YAML, relative to content/.
    #[serde(default = "default_bibliography")]
    pub bibliography: String,
    /// CSL style for citations and reference lists.
    #[serde(default = "default_citation_style")]
    pub citation_style: String,
    /// Glossary file (list of {term, aliases, definition}), relative to content/.
    #[serde(default = "default_glossary")]
    pub glossary: String,
    /// Medical review settings.
    #[serde(default)]
    pub review: ReviewConfig,
    /// Build a full-text search index and a /search/ page.
    #[serde(default = "yes")]
    pub search: bool,
    /// At most this many items in the header navigation (plus the current
    /// section, and a link to the full list on the home page); 0: no limit.
    #[serde(default = "nav_limit")]
    pub nav_limit: usize,
    /// Minify the HTML output (needs the `minify` cargo feature).
    #[serde(default)]
    pub minify: bool,
    /// A short disclaimer shown in every page's footer.
    #[serde(default)]
    pub disclaimer: Option<String>,
    /// Newsletter signup form that posts to an external provider.
    #[serde(default)]
    pub newsletter: Option<NewsletterConfig>,
    /// Ways to group pages by topic (`tags`, `conditions`, …), each with
    /// a page listing its terms and a page per term.
    #[serde(default)]
    pub taxonomies: Vec<TaxonomyConfig>,
    /// At most this many pages listed on one page of a section or a term
    /// (later ones go to `page/2/`, …); 0: never split.
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    /// Responsive images: widths, quality, size limit.
    #[serde(default)]
    pub images: ImagesConfig,
    /// Free-form values for themes.
    #[serde(default = "empty_map", deserialize_with = "crate::yaml::strict")]
    pub extra: serde_json::Value,
}

/// One more language in site.yaml's `languages:`: its pages are under
/// `content/<code>/`, mirroring the default language's tree.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// BCP 47 tag (`es`, `pt-BR`); also the content folder's name.
    pub code: String,
    /// The site's title in this language (default: the site's).
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The URL path its pages are under (default `/<code>/`).
    #[serde(default)]
    pub path: Option<String>,
    /// Right to left or left to right (default: from the language).
    #[serde(default)]
    pub dir: Option<TextDir>,
    /// The footer's disclaimer in this language (default: the site's).
    #[serde(default)]
    pub disclaimer: Option<String>,
}

/// Which way a language's text runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextDir {
    Ltr,
    Rtl,
}

impl TextDir {
    /// The way `code`'s script runs: right to left for Arabic, Hebrew,
    /// Persian, Urdu and the other languages written in those scripts.
    pub fn of(code: &str) -> TextDir {
        const RTL: &[&str] = &[
            "ar", "arc", "ckb", "dv", "fa", "ha-arab", "he", "khw", "ks", "ku-arab", "pa-arab",
            "ps", "sd", "syr", "ug", "ur", "yi",
        ];
        let lower = code.to_ascii_lowercase();
        let primary = lower.split('-').next().unwrap_or("");
        if lower.contains("-arab") || lower.contains("-hebr") || RTL.contains(&primary) {
            TextDir::Rtl
        } else {
            TextDir::Ltr
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TextDir::Ltr => "ltr",
            TextDir::Rtl => "rtl",
        }
    }
}

/// `images:` in site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// Make resized variants, WebP, `srcset` and dimensions (default true).
    #[serde(default = "yes")]
    pub resize: bool,
    /// Widths of the variants, in pixels (only those below the original's).
    #[serde(default = "default_image_widths")]
    pub widths: Vec<u32>,
    /// JPEG quality of the variants, 1-100.
    #[serde(default = "default_image_quality")]
    pub quality: u8,
    /// The `sizes` attribute: how wide the image is shown.
    #[serde(default = "default_image_sizes")]
    pub sizes: String,
    /// Images larger than this many megapixels are refused.
    #[serde(default = "default_max_megapixels")]
    pub max_megapixels: u32,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            resize: true,
            widths: default_image_widths(),
            quality: default_image_quality(),
            sizes: default_image_sizes(),
            max_megapixels: default_max_megapixels(),
        }
    }
}

impl ImagesConfig {
    /// What, besides the source file and a variant's width and format,
    /// shapes a variant's bytes: part of its file name, so a change makes
    /// new files instead of reusing old ones.
    pub fn key(&self) -> String {
        format!("docent-images-2 q{}", self.quality)
    }
}

fn default_image_widths() -> Vec<u32> {
    vec![480, 800, 1200, 1600]
}
fn default_image_quality() -> u8 {
    80
}
fn default_image_sizes() -> String {
    "(min-width: 75rem) 60rem, 100vw".into()
}
fn default_max_megapixels() -> u32 {
    40
}

/// One taxonomy in site.yaml: `- tags` or `- {name: conditions, title:
/// Conditions}`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TaxonomyConfig {
    /// The front-matter key and the URL folder (`/conditions/`).
    pub name: String,
    /// Shown as the list page's title (default: the name, capitalised).
    pub title: String,
    /// Pages per listing page for this taxonomy's terms (default: the
    /// site's `paginate`).
    pub paginate: Option<usize>,
    /// Atom feed per term (when `base_url` is absolute; default true).
    pub feed: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyMap {
    name: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    paginate: Option<usize>,
    #[serde(default = "yes")]
    feed: bool,
}

impl<'de> Deserialize<'de> for TaxonomyConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = TaxonomyConfig;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a taxonomy name, or a map with `name` (and `title`, `paginate`, `feed`)",
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TaxonomyConfig, E> {
                Ok(TaxonomyConfig::named(v.trim(), None, None, true))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<TaxonomyConfig, A::Error> {
                let m =
                    TaxonomyMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(TaxonomyConfig::named(
                    m.name.trim(),
                    m.title,
                    m.paginate,
                    m.feed,
                ))
            }
        }
        d.deserialize_any(Visit)
    }
}

impl TaxonomyConfig {
    fn named(name: &str, title: Option<String>, paginate: Option<usize>, feed: bool) -> Self {
        let title = title.unwrap_or_else(|| {
            let mut c = name.chars();
            c.next()
                .map(|f| {
                    f.to_uppercase()
                        .chain(c)
                        .collect::<String>()
                        .replace(['_', '-'], " ")
                })
                .unwrap_or_default()
        });
        TaxonomyConfig {
            name: name.to_string(),
            title,
            paginate,
            feed,
        }
    }
}

/// Names a taxonomy may not take: URL folders docent uses itself
/// (pagination's `page/`, the generated pages).
const RESERVED_TAXONOMY_NAMES: &[&str] = &["page", "search", "references", "glossary"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TocConfig {
    #[serde(default = "default_min_level")]
    pub min_level: u8,
    #[serde(default = "default_max_level")]
    pub max_level: u8,
}

impl Default for TocConfig {
    fn default() -> Self {
        TocConfig {
            min_level: default_min_level(),
            max_level: default_max_level(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Pass raw HTML in Markdown through (editors are trusted). `false`
    /// escapes it so it shows as text.
    #[serde(default = "yes")]
    pub raw_html: bool,
    /// Highlight fenced code blocks with a known language.
    #[serde(default = "yes")]
    pub highlight: bool,
    /// The site's own LaTeX commands, by name (without the backslash once
    /// loaded): `EE: \mathbb{E}`, or a definition and its number of
    /// arguments (`pair: ["\\langle #1, #2 \\rangle", 2]`), as MathJax's
    /// `macros` are written.
    #[serde(default)]
    pub math_macros: std::collections::BTreeMap<String, MathMacro>,
}

/// A LaTeX command a site defines (`markdown.math_macros`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum MathMacro {
    /// What `\name` stands for.
    Plain(String),
    /// What `\name{a}{b}` stands for, its arguments written `#1`, `#2`.
    WithArgs(String, usize),
}

impl MathMacro {
    /// The definition and how many arguments it takes.
    pub fn parts(&self) -> (&str, usize) {
        match self {
            MathMacro::Plain(d) => (d, 0),
            MathMacro::WithArgs(d, n) => (d, *n),
        }
    }
}

/// `markdown.math_macros` with the backslash some write before a name
/// taken off (mystmd writes `'\dobs':`); a name that is not letters only,
/// or an argument count over 9, is an error at its line.
fn validate_math_macros(cfg: &mut MarkdownConfig, text: &str, shown: &Path) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let mut clean = std::collections::BTreeMap::new();
    for (written, def) in std::mem::take(&mut cfg.math_macros) {
        let name = written.strip_prefix('\\').unwrap_or(&written);
        let (line, col) = line_in_block(text, "math_macros", |t| {
            !t.is_empty() && t.trim_start_matches(['"', '\'', '\\']).starts_with(name)
        });
        let err = |msg: String, hint: &str| {
            Diagnostic::new(Kind::InvalidValue, msg)
                .at(shown, line, col, Some(text))
                .hint(hint.to_string())
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphabetic()) {
            errs.push(err(
                format!("math macro name `{written}` is not a LaTeX command name"),
                "name it with letters only (A-Z, a-z), as `\\name` is written in equations",
            ));
        } else if def.parts().1 > 9 {
            errs.push(err(
                format!("math macro `{name}` takes {} arguments", def.parts().1),
                "a macro takes at most 9 arguments (#1 to #9)",
            ));
        } else {
            clean.insert(name.to_string(), def);
        }
    }
    cfg.math_macros = clean;
    errs
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            raw_html: true,
            highlight: true,
            math_macros: Default::default(),
        }
    }
}

/// A plain HTML form posting to the provider's URL: no provider script, no
/// request until the reader submits.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewsletterConfig {
    /// The provider's form endpoint; must be an absolute https:// URL.
    pub action: String,
    #[serde(default = "default_method")]
    pub method: String,
    #[serde(default = "default_email_field")]
    pub email_field: String,
    /// Extra fields the provider needs (list id, source tag), sent as hidden inputs.
    #[serde(default)]
    pub hidden_fields: std::collections::BTreeMap<String, String>,
    #[serde(default = "default_newsletter_heading")]
    pub heading: String,
    #[serde(default)]
    pub blurb: Option<String>,
    #[serde(default = "default_newsletter_button")]
    pub button: String,
    /// Where readers learn what happens to their address.
    #[serde(default)]
    pub privacy_url: Option<String>,
}

fn default_method() -> String {
    "post".into()
}
fn default_email_field() -> String {
    "email".into()
}
fn default_newsletter_heading() -> String {
    "Get updates by email".into()
}
fn default_newsletter_button() -> String {
    "Subscribe".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    /// Days from `last_reviewed` to the next review when a page sets no `next_review`.
    #[serde(default)]
    pub interval_days: Option<u32>,
    /// Flesch–Kincaid grade above which `docent check` warns.
    #[serde(default = "default_max_grade")]
    pub max_grade: f64,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            interval_days: None,
            max_grade: default_max_grade(),
        }
    }
}

fn default_max_grade() -> f64 {
    9.0
}
fn default_bibliography() -> String {
    "references.yaml".into()
}
fn default_citation_style() -> String {
    "apa".into()
}
fn default_glossary() -> String {
    "_data/glossary.yaml".into()
}

fn default_base_url() -> String {
    "/".into()
}
fn default_language() -> String {
    "en".into()
}
/// A single, ordinary folder name: no separators, not `.` or `..`, not
/// hidden, no drive prefix or control characters.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control)
}

/// A path of a file under content/ as site.yaml may name it: relative,
/// with no `..` part (so it cannot climb out of content/).
fn is_content_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains(['\\', ':'])
        && !path.chars().any(char::is_control)
        && path.split('/').all(|p| p != "..")
}

fn default_theme() -> String {
    "default".into()
}
fn default_min_level() -> u8 {
    2
}
fn default_max_level() -> u8 {
    3
}
/// `front_matter:` in site.yaml.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FrontMatterMode {
    /// A page without front matter or `title` takes its title from the
    /// `# heading` it starts with, or else from its file name.
    #[default]
    Optional,
    /// Every page starts with front matter that sets `title`.
    Required,
}

fn nav_limit() -> usize {
    10
}

fn default_paginate() -> usize {
    50
}

fn yes() -> bool {
    true
}
fn empty_map() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

impl SiteConfig {
    /// Read and validate `site.yaml` under `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let shown = PathBuf::from(CONFIG_FILE);
        if path.exists() {
            crate::confine::Root::new(root)
                .check(&path, &shown)
                .map_err(|d| vec![d])?;
        }
        let bytes = std::fs::read(&path).map_err(|e| {
            vec![
                Diagnostic::new(Kind::Io, format!("cannot read {}: {e}", path.display()))
                    .file(&shown)
                    .hint("run docent in a site folder (one with site.yaml), pass --root DIR, or create one with `docent init DIR`"),
            ]
        })?;
        let text = crate::text::decode(bytes, &shown).map_err(|d| vec![d])?;
        Self::parse(&text, &shown)
    }

    /// Parse and validate config text; `shown` is the path used in messages.
    pub fn parse(text: &str, shown: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let origin = yaml::Origin {
            path: shown,
            file_text: text,
            line_offset: 0,
        };
        let mut cfg: SiteConfig = yaml::parse_all(text, origin)?;
        let mut errs = Vec::new();
        let at = |key: &str, msg: String, hint: &str| {
            let (line, col) = key_position(text, key).unwrap_or((1, 1));
            Diagnostic::new(Kind::InvalidValue, msg)
                .at(shown, line, col, Some(text))
                .hint(hint.to_string())
        };
        if cfg.title.trim().is_empty() {
            errs.push(at(
                "title",
                "`title` is empty".into(),
                "give the site a title",
            ));
        }
        let t = &cfg.toc;
        if !(1..=6).contains(&t.min_level)
            || !(1..=6).contains(&t.max_level)
            || t.min_level > t.max_level
        {
            errs.push(at(
                "toc",
                format!("toc levels {}..{} are not valid", t.min_level, t.max_level),
                "use heading levels 1 to 6 with min_level <= max_level (default 2 and 3)",
            ));
        }
        match normalize_base_url(&cfg.base_url) {
            Ok(u) => cfg.base_url = u,
            Err((msg, hint)) => errs.push(at("base_url", msg, &hint)),
        }
        if !is_folder_name(&cfg.theme) {
            errs.push(at(
                "theme",
                format!("`theme` must be the name of one folder under themes/, not `{}`", cfg.theme),
                "write the folder's name only (e.g. `theme: clinic` for themes/clinic/); a theme outside the site is never read",
            ));
        }
        for (key, value) in [
            ("bibliography", &cfg.bibliography),
            ("glossary", &cfg.glossary),
        ] {
            if !is_content_path(value) {
                errs.push(at(
                    key,
                    format!("`{key}` must be a file under content/, not `{value}`"),
                    &format!("write its path from content/ (e.g. `{key}: _data/{key}.yaml`); files outside content/ are never read"),
                ));
            }
        }
        if !is_language_tag(&cfg.language) {
            errs.push(at(
                "language",
                format!("`{}` is not a language tag", cfg.language),
                "use a BCP 47 tag such as en, en-GB or de",
            ));
        }
        errs.extend(validate_languages(&cfg, text, shown));
        if !STYLES.contains(&cfg.citation_style.as_str()) {
            errs.push(at(
                "citation_style",
                format!("citation_style `{}` is not offered", cfg.citation_style),
                &format!("use one of: {}", STYLES.join(", ")),
            ));
        }
        if let Some(n) = &cfg.newsletter {
            errs.extend(validate_newsletter(n, text, shown));
        }
        errs.extend(validate_taxonomies(&cfg.taxonomies, text, shown));
        errs.extend(validate_math_macros(&mut cfg.markdown, text, shown));
        let img = &cfg.images;
        if !(1..=100).contains(&img.quality) {
            errs.push(at(
                "quality",
                format!("images.quality {} is not between 1 and 100", img.quality),
                "use 75-85 for photos (default 80)",
            ));
        }
        if img.widths.iter().any(|&w| w == 0 || w > 10_000) || img.widths.len() > 12 {
            errs.push(at(
                "widths",
                "images.widths must be up to 12 widths between 1 and 10000 pixels".into(),
                "e.g. `widths: [480, 800, 1200, 1600]` (the default)",
            ));
        }
        if img.max_megapixels == 0 {
            errs.push(at(
                "max_megapixels",
                "images.max_megapixels must be at least 1".into(),
                "the default is 40",
            ));
        }
        if !cfg.extra.is_object() {
            errs.push(at(
                "extra",
                "`extra` must be a map".into(),
                "write `extra:` followed by indented `key: value` lines",
            ));
        }
        if errs.is_empty() { Ok(cfg) } else { Err(errs) }
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> &str {
        base_path_of(&self.base_url)
    }

    /// Whether `base_url` is absolute (has a scheme and host).
    pub fn has_absolute_base(&self) -> bool {
        self.base_url.contains("://")
    }
}

/// Where the first line after the `block:` key that `is_it` accepts (given
/// the line without its indentation) starts; else where the block starts.
fn line_in_block(text: &str, block: &str, is_it: impl Fn(&str) -> bool) -> (usize, usize) {
    let start = key_position(text, block).map_or(0, |(l, _)| l);
    text.lines()
        .enumerate()
        .skip(start)
        .find_map(|(i, l)| {
            let t = l.trim_start();
            is_it(t).then(|| (i + 1, l.len() - t.len() + 1))
        })
        .unwrap_or((start.max(1), 1))
}

fn validate_newsletter(n: &NewsletterConfig, text: &str, shown: &Path) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let at = |key: &str, msg: String, hint: &str| {
        // Look for the key inside the `newsletter:` block.
        let (line, col) = line_in_block(text, "newsletter", |t| {
            t.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        });
        Diagnostic::new(Kind::InvalidValue, msg)
            .at(shown, line, col, Some(text))
            .hint(hint.to_string())
    };
    let https = |u: &str| {
        u.strip_prefix("https://")
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/') && !rest.contains(' '))
    };
    if !https(&n.action) {
        errs.push(at(
            "action",
            format!("newsletter.action `{}` is not an absolute https:// URL", n.action),
            "use the form endpoint your newsletter provider gives you, e.g. https://provider.example/subscribe",
        ));
    }
    if !matches!(n.method.to_ascii_lowercase().as_str(), "post" | "get") {
        errs.push(at(
            "method",
            format!("newsletter.method `{}` is not post or get", n.method),
            "use post (the default) or get",
        ));
    }
    let field_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-[].".contains(c))
    };
    if !field_ok(&n.email_field) {
        errs.push(at(
            "email_field",
            format!(
                "newsletter.email_field `{}` is not a valid field name",
                n.email_field
            ),
            "use letters, digits, _ - [ ] .",
        ));
    }
    if let Some(p) = &n.privacy_url
        && !(https(p) || (p.starts_with('/') && !p.starts_with("//")))
    {
        errs.push(at(
            "privacy_url",
            format!("newsletter.privacy_url `{p}` is not a URL"),
            "use https://… or a site path such as /privacy/",
        ));
    }
    errs
}

/// Each language: a tag, not the default language nor another one, a
/// content folder name docent does not use, a URL path of plain segments.
fn validate_languages(cfg: &SiteConfig, text: &str, shown: &Path) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let start = key_position(text, "languages").map_or(0, |(l, _)| l);
    let mut seen = std::collections::HashSet::new();
    seen.insert(cfg.language.to_ascii_lowercase());
    let mut paths = std::collections::HashSet::new();
    for l in &cfg.languages {
        let (line, col) = text
            .lines()
            .enumerate()
            .skip(start)
            .find_map(|(i, t)| {
                t.find(&format!("code: {}", l.code))
                    .or_else(|| t.find(&format!("code: \"{}\"", l.code)))
                    .map(|c| (i + 1, c + 1))
            })
            .unwrap_or((start.max(1), 1));
        let err = |msg: String, hint: &str| {
            Diagnostic::new(Kind::InvalidValue, msg)
                .at(shown, line, col, Some(text))
                .hint(hint.to_string())
        };
        if !is_language_tag(&l.code) {
            errs.push(err(
                format!("`{}` is not a language tag", l.code),
                "use a BCP 47 tag such as es, pt-BR or ar",
            ));
            continue;
        }
        if !seen.insert(l.code.to_ascii_lowercase()) {
            errs.push(err(
                format!("language `{}` is listed twice (or is the site's `language`)", l.code),
                "list each other language once; the default language's pages stay directly under content/",
            ));
        }
        let path = l.url_path();
        let segments_ok = path.len() > 2
            && path.starts_with('/')
            && path.ends_with('/')
            && path[1..path.len() - 1].split('/').all(|s| {
                !s.is_empty()
                    && s != "."
                    && s != ".."
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            });
        let first = path.trim_matches('/').split('/').next().unwrap_or("");
        let taken = RESERVED_TAXONOMY_NAMES.contains(&first)
            || cfg.taxonomies.iter().any(|t| t.name == first);
        if !segments_ok {
            errs.push(err(
                format!(
                    "`path: {path}` of language `{}` is not a URL folder",
                    l.code
                ),
                "write a folder path such as /es/ or /espanol/ (ASCII letters, digits, - and _)",
            ));
        } else if taken {
            errs.push(err(
                format!(
                    "language `{}` would live at {path}, where docent puts its own pages",
                    l.code
                ),
                "give the language a `path:` of its own, such as /es/ (search, references, glossary, page and the taxonomies' names are taken)",
            ));
        } else if !paths.insert(path.clone()) {
            errs.push(err(
                format!("two languages use the URL path {path}"),
                "give each language a path of its own",
            ));
        }
    }
    errs
}

impl LanguageConfig {
    /// The URL path its pages are under, without the base path: `/es/`.
    pub fn url_path(&self) -> String {
        match &self.path {
            Some(p) => {
                let p = p.trim();
                let mut p = if p.starts_with('/') {
                    p.to_string()
                } else {
                    format!("/{p}")
                };
                if !p.ends_with('/') {
                    p.push('/');
                }
                p
            }
            None => format!("/{}/", self.code),
        }
    }
}

/// Taxonomy names: one URL folder each (lowercase letters, digits, `-`,
/// `_`), not a front-matter key docent already uses, not declared twice.
fn validate_taxonomies(list: &[TaxonomyConfig], text: &str, shown: &Path) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let start = key_position(text, "taxonomies").map_or(0, |(l, _)| l);
    for t in list {
        // The line that names it, inside the `taxonomies:` block.
        let (line, col) = text
            .lines()
            .enumerate()
            .skip(start)
            .find_map(|(i, l)| l.find(t.name.as_str()).map(|c| (i + 1, c + 1)))
            .unwrap_or((start.max(1), 1));
        let err = |msg: String, hint: &str| {
            Diagnostic::new(Kind::InvalidValue, msg)
                .at(shown, line, col, Some(text))
                .hint(hint.to_string())
        };
        let name = t.name.as_str();
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !valid {
            errs.push(err(
                format!("taxonomy name `{name}` is not a plain lowercase word"),
                "use lowercase letters, digits, `-` or `_` (it is the front-matter key and the URL folder, e.g. `conditions`)",
            ));
        } else if RESERVED_TAXONOMY_NAMES.contains(&name) {
            errs.push(err(
                format!("`{name}` cannot be a taxonomy: docent uses /{name}/ itself"),
                "choose another name, e.g. `topics`",
            ));
        } else if !seen.insert(name) {
            errs.push(err(
                format!("taxonomy `{name}` is declared twice"),
                "remove one of the two entries",
            ));
        }
        if t.title.trim().is_empty() {
            errs.push(err(
                format!("taxonomy `{name}` has an empty title"),
                "give it a title, e.g. `title: Topics`",
            ));
        }
    }
    errs
}

/// Path part of a normalized base URL.
pub(crate) fn base_path_of(base_url: &str) -> &str {
    match base_url.find("://") {
        Some(i) => {
            let after = &base_url[i + 3..];
            match after.find('/') {
                Some(j) => &after[j..],
                None => "/",
            }
        }
        None => base_url,
    }
}

/// Check and normalize a base URL: absolute http(s) or a root path, ending
/// in `/`, with nothing a URL's path may not hold. `Err` is the message and
/// the hint.
pub(crate) fn normalize_base_url(raw: &str) -> Result<String, (String, String)> {
    let raw = raw.trim();
    let mut url = raw.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    let usage = || {
        "use an absolute URL such as https://example.org/ or https://example.org/guide/, or `/`"
            .to_string()
    };
    let path = if url.starts_with('/') && !url.starts_with("//") {
        url.as_str()
    } else {
        let rest = ["https://", "http://"]
            .iter()
            .find_map(|scheme| url.strip_prefix(scheme))
            .filter(|rest| !rest.starts_with('/') && !rest.is_empty());
        let Some(rest) = rest else {
            return Err((
                format!(
                    "base_url `{raw}` is not an absolute http(s) URL or a path starting with /"
                ),
                usage(),
            ));
        };
        rest.find('/').map_or("", |i| &rest[i..])
    };
    if url.contains(['?', '#']) {
        return Err((
            format!("base_url `{raw}` has a query or fragment (`?…`, `#…`)"),
            "remove them: a base URL is the site's address and folder, nothing after".into(),
        ));
    }
    if let Some(c) = path
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(*c))
    {
        let what = if c.is_whitespace() {
            "a space".to_string()
        } else {
            format!("`{c}`")
        };
        let mut buf = [0u8; 4];
        let encoded: String = c
            .encode_utf8(&mut buf)
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect();
        return Err((
            format!("base_url `{raw}` holds {what}, which a URL may not"),
            format!("write it percent-encoded ({encoded}), or name the folder without it"),
        ));
    }
    Ok(url)
}

fn is_language_tag(s: &str) -> bool {
    !s.is_empty()
        && s.split('-')
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && s.split('-')
            .next()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_alphabetic()))
}

/// 1-based line and column of the first `key:` in YAML text.
pub(crate) fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with(':')
        {
            return Some((i + 1, line.len() - trimmed.len() + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_paths_stay_under_content() {
        for ok in [
            "references.yaml",
            "_data/glossary.yaml",
            "./refs.bib",
            "a/b.bib",
        ] {
            assert!(super::is_content_path(ok), "{ok}");
        }
        for bad in [
            "",
            "../x.bib",
            "a/../../x.bib",
            "/etc/x.bib",
            "C:\\x.bib",
            "a\\..\\x",
            "x\n.bib",
        ] {
            assert!(!super::is_content_path(bad), "{bad:?}");
        }
    }

    use super::*;

    fn parse(s: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(s, Path::new("site.yaml"))
    }

    #[test]
    fn defaults() {
        let c = parse("title: T\n").unwrap();
        assert_eq!(c.base_url, "/");
        assert_eq!(c.language, "en");
        assert_eq!((c.toc.min_level, c.toc.max_level), (2, 3));
        assert!(c.markdown.raw_html);
    }

    #[test]
    fn theme_is_one_folder_name() {
        assert!(parse("title: T\ntheme: clinic\n").is_ok());
        for bad in [
            "../../elsewhere",
            "/etc",
            "a/b",
            "..",
            ".hidden",
            "c:\\x",
            "\"\"",
        ] {
            let e = parse(&format!("title: T\ntheme: {bad}\n")).unwrap_err();
            assert_eq!((e[0].line, e[0].column), (2, 1), "{bad}: {e:?}");
            assert!(e[0].message.contains("one folder"), "{bad}");
        }
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let e = parse("title: T\nlangauge: en\n").unwrap_err();
        assert_eq!(e[0].kind, Kind::UnknownKey);
        assert_eq!(e[0].line, 2);
        assert!(e[0].message.contains("langauge"));
        assert!(e[0].hint.as_deref().unwrap().contains("language"));
    }

    #[test]
    fn base_url_is_normalized_and_checked() {
        let c = parse("title: T\nbase_url: https://example.org/guide\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/guide/");
        assert_eq!(c.base_path(), "/guide/");
        let e = parse("title: T\nbase_url: example.org\n").unwrap_err();
        assert_eq!(e[0].line, 2);
    }

    /// A base path with a space, `?` or `#` was accepted: every page's
    /// links and stylesheet then pointed at `/my docs/…` (invalid HTML,
    /// and broken for `?`/`#`). Each is an error saying what to write.
    #[test]
    fn base_url_may_hold_no_query_fragment_or_space() {
        for (bad, why, hint) in [
            ("/my docs/", "holds a space", "%20"),
            ("https://example.org/my docs/", "holds a space", "%20"),
            ("/docs?x=1", "a query or fragment", "remove"),
            (
                "https://example.org/docs/?x=1",
                "a query or fragment",
                "remove",
            ),
            ("/docs#top", "a query or fragment", "remove"),
            ("/a\"b/", "holds `\"`", "%22"),
        ] {
            let yaml = format!("title: T\nbase_url: '{}'\n", bad.replace('\'', "''"));
            let e = parse(&yaml).unwrap_err();
            assert!(e[0].message.contains(why), "{bad}: {e:?}");
            assert!(e[0].hint.as_deref().unwrap().contains(hint), "{bad}: {e:?}");
        }
        for good in [
            "/my%20docs/",
            "/ü/",
            "https://bücher.example/",
            "http://localhost:8080/",
        ] {
            let yaml = format!("title: T\nbase_url: '{good}'\n");
            assert!(parse(&yaml).is_ok(), "{good}");
        }
    }

    #[test]
    fn newsletter_defaults_and_https_check() {
        let c = parse("title: T\nnewsletter:\n  action: https://news.example/subscribe\n").unwrap();
        let n = c.newsletter.unwrap();
        assert_eq!(
            (n.method.as_str(), n.email_field.as_str(), n.button.as_str()),
            ("post", "email", "Subscribe")
        );
        let e = parse(
            "title: T\nnewsletter:\n  heading: Hi\n  action: http://news.example/subscribe\n",
        )
        .unwrap_err();
        assert_eq!((e[0].line, e[0].column), (4, 3));
        assert!(
            e[0].message.contains("newsletter.action"),
            "{}",
            e[0].message
        );
        let e = parse("title: T\nnewsletter:\n  action: /subscribe\n").unwrap_err();
        assert!(e[0].message.contains("https://"));
        let e =
            parse("title: T\nnewsletter:\n  action: https://x.example/\n  acton: y\n").unwrap_err();
        assert_eq!(e[0].kind, Kind::UnknownKey, "{}", e[0]);
    }

    #[test]
    fn bad_toc_levels_are_located() {
        let e = parse("title: T\ntoc:\n  min_level: 4\n  max_level: 2\n").unwrap_err();
        assert_eq!(e[0].line, 2);
    }
}
