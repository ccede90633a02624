//! The `Site`: the one owner of loaded state, passed by reference to every
//! later stage. Plain data; the stages hold the logic.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use hayagriva::Library;
use hayagriva::citationberg::{IndependentStyle, Locale};

use serde::Deserialize;

use crate::config::SiteConfig;

/// What a content file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `content/_index.md` (or a synthesized one): the site's root section.
    Home,
    /// `content/dir/_index.md`: a section listing the pages under `dir/`.
    Section,
    /// Any other Markdown file.
    Page,
}

impl PageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::Section => "section",
            PageKind::Page => "page",
        }
    }
}

/// Front matter: the YAML between the `---` lines at the top of a page.
/// (Serialized, leaving out what is absent, into the rebuild cache.)
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub draft: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Show a table of contents (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toc: Option<bool>,
    /// Terms of the `tags` taxonomy (short for `taxonomies: {tags: …}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Old URLs of the page (`/old/path/`, `/old/page.html`): each gets a
    /// small page that sends readers on (`site::alias_out_path`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Terms per taxonomy declared in site.yaml: `{conditions: [PTSD]}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub taxonomies: BTreeMap<String, Terms>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::yaml::strict_some"
    )]
    pub extra: Option<serde_json::Value>,
    /// "Key takeaways" shown at the top of the page (Markdown each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub takeaways: Vec<String>,
    /// Urgent-help cards shown at the top of the page, by name from
    /// `content/_data/urgent.yaml`: `urgent: crisis` or a list.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub urgent: Vec<String>,
    /// Link glossary terms on this page (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glossary: Option<bool>,
    /// Medical review: who reviewed the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<Reviewer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reviewed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_review: Option<String>,
    /// The date the page's facts are current to (its evidence or news was
    /// last checked), for pages that track a moving situation; distinct
    /// from the review stamp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_to: Option<String>,
    /// Who the page is written for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// On a translation: the version of its source it translates (see
    /// `translation.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translates: Option<Translates>,
}

/// `translates:` in a translation's front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Translates {
    /// The source's record (`docent new --lang` writes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_hash: Option<String>,
    /// The source's `updated` date it was translated from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
}

/// A page's terms in one taxonomy: a term, or a list of terms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct Terms(#[serde(deserialize_with = "term_or_terms")] pub Vec<String>);

/// A term, or a list of terms.
fn term_or_terms<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    text_or_list(d, "expected a term or a list of terms (text)")
}

impl FrontMatter {
    /// The page's terms in taxonomy `name`, as written (`tags` includes
    /// the top-level `tags:` list).
    pub fn terms<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a String> + 'a {
        let top: &[String] = if name == "tags" { &self.tags } else { &[] };
        top.iter().chain(
            self.taxonomies
                .get(name)
                .into_iter()
                .flat_map(|t| t.0.iter()),
        )
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A name, or a list of names.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    text_or_list(d, "expected a card name or a list of card names")
}

/// One text or a list of texts as a list; `expected` is the message for
/// anything else.
fn text_or_list<'de, D: serde::Deserializer<'de>>(
    d: D,
    expected: &'static str,
) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    match OneOrMany::deserialize(d) {
        Ok(OneOrMany::One(s)) => Ok(vec![s]),
        Ok(OneOrMany::Many(v)) => Ok(v),
        Err(_) => Err(serde::de::Error::custom(expected)),
    }
}

/// Who reviewed a page: `reviewed_by: Dr Jane Example, MD` (a name as
/// editors write it) or `{name: Dr Jane Example, credentials: MD}`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reviewer {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewerMap {
    name: String,
    #[serde(default)]
    credentials: Option<String>,
}

impl<'de> Deserialize<'de> for Reviewer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Reviewer;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a name, or a map with `name` and `credentials`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Reviewer, E> {
                Ok(Reviewer {
                    name: v.trim().to_string(),
                    credentials: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Reviewer, A::Error> {
                let m =
                    ReviewerMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Reviewer {
                    name: m.name,
                    credentials: m.credentials,
                })
            }
        }
        d.deserialize_any(Visit)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Patient,
    Clinician,
    Researcher,
}

impl Audience {
    /// schema.org MedicalAudienceType.
    pub fn schema_type(self) -> &'static str {
        match self {
            Audience::Patient => "Patient",
            Audience::Clinician => "Clinician",
            Audience::Researcher => "MedicalResearcher",
        }
    }
}

/// The output file of an alias (an old URL of a page): `/old/page/` →
/// `old/page/index.html`, `/old/page.html` → `old/page.html`. `Err` says
/// what is wrong with it.
pub(crate) fn alias_out_path(alias: &str) -> Result<String, &'static str> {
    let a = alias.trim();
    let path = a
        .strip_prefix('/')
        .ok_or("an alias is a path from the site's root: start it with /")?;
    if a.contains(['?', '#', '\\']) || a.contains("://") || a.starts_with("//") {
        return Err("an alias is a path only: no query, fragment or host");
    }
    let decoded = crate::url::decode(path);
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| *s == "." || *s == ".." || s.starts_with('.'))
    {
        return Err("an alias cannot climb with .. or name hidden folders");
    }
    if segments.is_empty() {
        return Err("the site's root is the home page's, not an alias");
    }
    let last = segments[segments.len() - 1];
    if decoded.ends_with('/') || !last.contains('.') {
        return Ok(format!("{}/index.html", segments.join("/")));
    }
    if last.ends_with(".html") || last.ends_with(".htm") {
        return Ok(segments.join("/"));
    }
    Err("an alias names a page's URL: /old/page/ or /old/page.html")
}

/// One Markdown source file and where it goes.
#[derive(Debug, Clone)]
pub struct Page {
    pub kind: PageKind,
    /// Path relative to `content/`, with `/` separators (`safety/risks.md`).
    pub rel_path: String,
    /// Path shown in messages (relative to the site root: `content/…`).
    pub shown_path: PathBuf,
    /// The whole file text (BOM removed), for locating errors; only the
    /// front matter when the body was dropped after loading (`body_path`).
    pub text: String,
    /// Set when the body was dropped after loading to keep memory flat on
    /// large sites: the file to read it again from ([`Page::full_text`]).
    pub body_path: Option<PathBuf>,
    /// Hash of the whole file text (the rebuild cache's key).
    pub hash: String,
    /// What identifies the file's contents without reading it, when it had
    /// settled before it was read (see [`crate::fingerprint::Stamp`]).
    pub stamp: Option<crate::fingerprint::Stamp>,
    /// Byte offset of the body within `text`.
    pub body_offset: usize,
    /// Byte offset of the front-matter YAML within `text`.
    pub front_matter_offset: usize,
    pub meta: FrontMatter,
    /// The page's title (front matter `title`, validated present).
    pub title: String,
    /// Site-relative URL path without base path: `/`, `/safety/`.
    pub url_path: String,
    /// Output file relative to the output dir: `safety/index.html`.
    pub out_path: String,
    /// Index into `Site::pages` of the section this page belongs to (None for home).
    pub parent: Option<usize>,
    /// For sections and home: the pages directly in it, sorted by weight then title.
    pub children: Vec<usize>,
    /// For pages: where this page stands in its parent's `children` (so
    /// previous/next links cost the same in a folder of any size).
    pub position: usize,
    /// For sections and home: the sections directly under it.
    pub subsections: Vec<usize>,
    /// A list docent appends to this page (bibliography, glossary).
    pub generated: Option<Generated>,
    /// Index into `Site::languages` (0: the default language).
    pub lang: usize,
    /// MyST labels and glossary terms the body defines (`crate::myst::scan`),
    /// kept when the body is dropped.
    pub myst: Option<Box<crate::myst::Scan>>,
}

/// Pages whose content docent generates from site data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// Every reference, with the pages that cite it (`/references/`).
    References,
    /// Every glossary term with its definition (`/glossary/`).
    Glossary,
    /// The search form and a list of every page (`/search/`).
    Search,
    /// The list of a taxonomy's terms (`/tags/`), by index into
    /// `Site::taxonomies`.
    Taxonomy(usize),
    /// The pages with one term (`/tags/safety/`): taxonomy, term.
    Term(usize, usize),
}

/// A taxonomy declared in site.yaml, with the terms pages use.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub config: crate::config::TaxonomyConfig,
    /// Pages per listing page (0: one page).
    pub paginate: usize,
    /// Its terms, sorted by name (case-insensitively).
    pub terms: Vec<TaxonomyTerm>,
    /// Term slug → index into `terms`.
    pub by_slug: HashMap<String, usize>,
    /// Index into `Site::pages` of the list page.
    pub page: usize,
}

/// One term of a taxonomy and the pages that use it.
#[derive(Debug, Clone)]
pub struct TaxonomyTerm {
    /// As first written, in navigation order.
    pub name: String,
    /// The URL segment (`heart-rate`), unencoded.
    pub slug: String,
    /// Indexes into `Site::pages`, in navigation order.
    pub pages: Vec<usize>,
    /// Index into `Site::pages` of the term's page.
    pub page: usize,
}

/// The site-relative URL and output file of listing page `n` (1-based) of
/// a page at `url_path`/`out_path`: page 1 is the page itself, later ones
/// are under `page/n/`. The one place pagination URLs are made.
pub(crate) fn pager_path(url_path: &str, out_path: &str, n: usize) -> (String, String) {
    if n <= 1 {
        return (url_path.to_string(), out_path.to_string());
    }
    let dir = out_path.strip_suffix("index.html").unwrap_or(out_path);
    (
        format!("{url_path}page/{n}/"),
        format!("{dir}page/{n}/index.html"),
    )
}

/// The site-relative URL and output file of a taxonomy's list page
/// (`name`) or of one of its terms (`name/slug`). The one place taxonomy
/// URLs are made.
pub(crate) fn taxonomy_path(name: &str, slug: Option<&str>) -> (String, String) {
    let dir = match slug {
        Some(s) => format!("{name}/{s}"),
        None => name.to_string(),
    };
    (
        format!("/{}/", crate::url::encode_path(&dir)),
        format!("{dir}/index.html"),
    )
}

/// Where front-matter key `key` is in a page file's `text`, whose YAML
/// runs from byte `yaml_start` to `yaml_end`: the 1-based line and column
/// in the file, or its first line when the key is not there. The one
/// place that turns a front-matter key into a position in the file.
pub(crate) fn front_matter_position(
    text: &str,
    yaml_start: usize,
    yaml_end: usize,
    key: &str,
) -> (usize, usize) {
    let lines_before = text
        .get(..yaml_start)
        .map_or(0, |t| t.matches('\n').count());
    let yaml = text.get(yaml_start..yaml_end).unwrap_or("");
    crate::config::key_position(yaml, key).map_or((1, 1), |(l, c)| (l + lines_before, c))
}

impl Generated {
    /// The slug of a page docent generates at a fixed place: `search`,
    /// `references`, `glossary` (none for taxonomy pages: their place is
    /// their name, see [`taxonomy_path`]).
    pub fn slug(self) -> Option<&'static str> {
        match self {
            Generated::Search => Some("search"),
            Generated::References => Some("references"),
            Generated::Glossary => Some("glossary"),
            Generated::Taxonomy(_) | Generated::Term(..) => None,
        }
    }
}

impl Page {
    /// Where front-matter key `key` is in the page's file (see
    /// [`front_matter_position`]).
    pub fn key_position(&self, key: &str) -> (usize, usize) {
        front_matter_position(&self.text, self.front_matter_offset, self.body_offset, key)
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The whole file text, read again from disk if the body was dropped.
    /// A file that changed since it was loaded is an error (run again).
    pub fn full_text(&self) -> Result<std::borrow::Cow<'_, str>, crate::error::Diagnostic> {
        let Some(path) = &self.body_path else {
            return Ok(std::borrow::Cow::Borrowed(&self.text));
        };
        let changed = || {
            crate::error::Diagnostic::new(
                crate::error::Kind::Io,
                format!("{} changed during the build", self.shown_path.display()),
            )
            .file(&self.shown_path)
            .hint("run the build again")
        };
        // Decoded exactly as when it was loaded, so the hash compares.
        let text = std::fs::read(path)
            .ok()
            .and_then(|b| crate::text::decode(b, &self.shown_path).ok())
            .ok_or_else(changed)?;
        if crate::fingerprint::hash_text(&text) != self.hash {
            return Err(changed());
        }
        Ok(std::borrow::Cow::Owned(text))
    }

    pub fn is_section(&self) -> bool {
        self.kind != PageKind::Page
    }
}

/// A non-Markdown file under `content/` copied as-is (page bundle files, images).
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Path relative to the output dir.
    pub out_path: String,
}

/// One language of the site: the default (index 0, its pages directly
/// under content/) or one of `languages:` (its pages under
/// `content/<code>/`).
#[derive(Debug)]
pub struct Language {
    /// BCP 47 tag.
    pub code: String,
    /// `ltr` or `rtl`.
    pub dir: crate::config::TextDir,
    pub title: String,
    pub description: String,
    /// Its folder under content/ with a trailing `/` (`es/`; empty for
    /// the default language).
    pub folder: String,
    /// The URL path of its home, without the base path (`/`, `/es/`).
    pub prefix: String,
    /// Index into `Site::pages` of its home page.
    pub home: usize,
    /// Index into `Site::pages` of its search page, when search is on.
    pub search: Option<usize>,
    /// Its theme strings, plural rules and dates.
    pub(crate) strings: std::sync::Arc<crate::i18n::Strings>,
}

#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub config: SiteConfig,
    /// Every page and section; index 0 is the home page.
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Content-relative source path (`safety.md`) → index into `pages`.
    pub by_source: HashMap<String, usize>,
    /// Content-relative path of each asset (`guide/pic.png`) → index into `assets`.
    pub by_asset: HashMap<String, usize>,
    /// YAML data files under content/, keyed by content-relative path.
    pub data: HashMap<String, DataFile>,
    pub bibliography: Option<Bibliography>,
    pub glossary: Option<Glossary>,
    /// The taxonomies site.yaml declares, with their terms.
    pub taxonomies: Vec<Taxonomy>,
    /// Pages loaded from the rebuild cache without reading their files
    /// (their stamps matched).
    pub unread: usize,
    /// Lowercased source path → source path, of every page and asset; built
    /// when a broken link first asks (see [`Site::case_match`]).
    pub lowercase: std::sync::OnceLock<HashMap<String, String>>,
    /// Problems found while loading that do not stop the build.
    pub warnings: Vec<crate::error::Diagnostic>,
    /// The default language first, then site.yaml's `languages:`.
    pub languages: Vec<Language>,
    /// MyST labels (`(label)=`, `:name:`) → (page index, index into that
    /// page's `myst.labels`).
    pub labels: HashMap<String, (usize, usize)>,
    /// Equation labels → (page index, index into that page's
    /// `myst.equations`).
    pub equations: HashMap<String, (usize, usize)>,
    /// sphinx-proof labels → (page index, index into that page's
    /// `myst.proofs`).
    pub proofs: HashMap<String, (usize, usize)>,
}

impl Site {
    pub fn home(&self) -> &Page {
        &self.pages[0]
    }

    /// The language of a page.
    pub fn lang(&self, page: &Page) -> &Language {
        &self.languages[page.lang.min(self.languages.len() - 1)]
    }

    /// The data file at content-relative `rel` (`_data/urgent.yaml`) for a
    /// page in language `lang`: the language's own version under its folder
    /// (`es/_data/urgent.yaml`) when there is one, else the default's.
    pub fn data_in(&self, lang: usize, rel: &str) -> Option<(String, &DataFile)> {
        let own = self
            .languages
            .get(lang)
            .filter(|l| !l.folder.is_empty())
            .map(|l| format!("{}{rel}", l.folder));
        own.into_iter()
            .chain(std::iter::once(rel.to_string()))
            .find_map(|k| self.data.get(&k).map(|f| (k, f)))
    }

    /// Whether the site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// What a page is a version of, the same in every language: its path
    /// under its language's folder (`safety.md` for `es/safety.md`).
    pub fn translation_key<'a>(&self, page: &'a Page) -> &'a str {
        let folder = &self.lang(page).folder;
        page.rel_path
            .strip_prefix(folder.as_str())
            .unwrap_or(&page.rel_path)
    }

    /// Page `i` in language `lang`: the page with the same path under that
    /// language's folder, if there is one.
    pub fn translation(&self, i: usize, lang: usize) -> Option<usize> {
        let page = &self.pages[i];
        if page.lang == lang {
            return Some(i);
        }
        if page.generated.is_some() {
            // Generated pages are matched by their kind.
            return match page.generated {
                Some(Generated::Search) => self.languages[lang].search,
                _ => None,
            };
        }
        let key = self.translation_key(page);
        let target = &self.languages[lang];
        if page.kind == PageKind::Home {
            return Some(target.home);
        }
        self.by_source
            .get(&format!("{}{key}", target.folder))
            .copied()
            .filter(|&j| self.pages[j].lang == lang)
    }

    /// Each page's place in navigation order (by index into `pages`):
    /// home, then depth first, a section's pages before its subsections,
    /// each in their sorted order; pages outside the tree come last.
    pub fn nav_order(&self) -> Vec<usize> {
        let mut rank = vec![usize::MAX; self.pages.len()];
        let mut next = 0;
        // Each language's tree in turn, the default language first.
        let mut stack: Vec<usize> = self.languages.iter().rev().map(|l| l.home).collect();
        if stack.is_empty() {
            stack.push(0);
        }
        while let Some(i) = stack.pop() {
            if i >= self.pages.len() || rank[i] != usize::MAX {
                continue;
            }
            rank[i] = next;
            next += 1;
            let p = &self.pages[i];
            stack.extend(p.subsections.iter().rev());
            stack.extend(p.children.iter().rev());
        }
        for r in rank.iter_mut().filter(|r| **r == usize::MAX) {
            *r = next;
            next += 1;
        }
        rank
    }

    /// How many items page `i` lists and how many fit on one listing page
    /// (0: all on one): a section's pages, a term's pages, a taxonomy's
    /// terms; `None` for a
    /// page that lists nothing it paginates.
    pub fn listing(&self, i: usize) -> Option<(usize, usize)> {
        let page = &self.pages[i];
        match page.generated {
            Some(Generated::Term(t, k)) => {
                let tax = &self.taxonomies[t];
                Some((tax.terms[k].pages.len(), tax.paginate))
            }
            Some(Generated::Taxonomy(t)) => {
                let tax = &self.taxonomies[t];
                Some((tax.terms.len(), tax.paginate))
            }
            _ if page.is_section() => Some((page.children.len(), self.config.paginate)),
            _ => None,
        }
    }

    /// How many listing pages page `i` has (1 for a page that lists
    /// nothing or fits on one).
    pub fn listing_pages(&self, i: usize) -> usize {
        match self.listing(i) {
            Some((items, per)) if per > 0 => items.div_ceil(per).max(1),
            _ => 1,
        }
    }

    /// The newsletter settings as pages in language `lang` show them: a
    /// site-absolute privacy link gets the base path; in languages other
    /// than the default, the heading, button and blurb are that language's
    /// theme strings (`newsletter_heading`, `newsletter_button`,
    /// `newsletter_blurb`; no blurb when it has none), since site.yaml's
    /// are written in the default language.
    pub fn newsletter(&self, lang: usize) -> Option<crate::config::NewsletterConfig> {
        self.config.newsletter.clone().map(|mut n| {
            if let Some(l) = self.languages.get(lang).filter(|_| lang > 0) {
                let s = &l.strings;
                n.heading = s.get("newsletter_heading").to_string();
                n.button = s.get("newsletter_button").to_string();
                n.blurb = s
                    .map()
                    .get("newsletter_blurb")
                    .filter(|b| !b.trim().is_empty())
                    .cloned();
            }
            if let Some(p) = n.privacy_url.as_mut()
                && p.starts_with('/')
            {
                *p = join_url(self.config.base_path(), p);
            }
            n
        })
    }

    /// The URL of a page docent generates, with the base path
    /// (`/guide/search/`, `/guide/tags/safety/`).
    pub fn generated_url(&self, which: Generated) -> String {
        let path = match which {
            Generated::Taxonomy(t) => taxonomy_path(&self.taxonomies[t].config.name, None).0,
            Generated::Term(t, k) => {
                let tax = &self.taxonomies[t];
                taxonomy_path(&tax.config.name, Some(&tax.terms[k].slug)).0
            }
            fixed => format!("/{}/", fixed.slug().unwrap_or_default()),
        };
        join_url(self.config.base_path(), &path)
    }

    /// The absolute URL of language `lang`'s Atom feed (`/atom.xml`,
    /// `/es/atom.xml`).
    pub fn feed_url(&self, lang: usize) -> String {
        join_url(&self.config.base_url, &self.feed_path(lang).0)
    }

    /// The site-relative URL and output file of language `lang`'s feed.
    pub fn feed_path(&self, lang: usize) -> (String, String) {
        let prefix = self.languages.get(lang).map_or("/", |l| l.prefix.as_str());
        (
            format!("{prefix}atom.xml"),
            format!("{}atom.xml", &prefix[1..]),
        )
    }

    /// The site-absolute URL of a page, including the base path (`/guide/x/`).
    pub fn url(&self, page: &Page) -> String {
        join_url(self.config.base_path(), &page.url_path)
    }

    /// The MyST label `name`: its page and what references to it show.
    pub fn label(&self, name: &str) -> Option<(usize, &crate::myst::Label)> {
        let &(page, i) = self.labels.get(name)?;
        let label = self.pages[page].myst.as_ref()?.labels.get(i)?;
        Some((page, label))
    }

    /// The labelled equation `name`: its page and its label (titled with
    /// its number).
    pub fn equation(&self, name: &str) -> Option<(usize, &crate::myst::Label)> {
        let &(page, i) = self.equations.get(name)?;
        let label = self.pages[page].myst.as_ref()?.equations.get(i)?;
        Some((page, label))
    }

    /// The sphinx-proof label `name` (`{prf:theorem}`'s `:label:`).
    pub fn proof(&self, name: &str) -> Option<(usize, &crate::myst::Label)> {
        let &(page, i) = self.proofs.get(name)?;
        let label = self.pages[page].myst.as_ref()?.proofs.get(i)?;
        Some((page, label))
    }

    /// The URL of a page or asset given by its content-relative source path
    /// (`safety.md`, `guide/pic.png`), with the base path; `None` when no
    /// page or asset has that path. Relative links and images resolve here,
    /// so they work from any page, whatever folder its output lands in.
    pub fn resolve(&self, source: &str) -> Option<String> {
        if let Some(&i) = self.by_source.get(source) {
            return Some(self.url(&self.pages[i]));
        }
        self.by_asset.get(source).map(|&i| {
            let path = format!("/{}", crate::url::encode_path(&self.assets[i].out_path));
            join_url(self.config.base_path(), &path)
        })
    }

    /// The page or asset whose content-relative path differs from `source`
    /// only in letter case (`Guide/Pic.PNG` for `guide/pic.png`): the
    /// likely fix for a link that works on a case-insensitive disk and
    /// breaks on a web server.
    pub fn case_match(&self, source: &str) -> Option<&str> {
        let index = self.lowercase.get_or_init(|| {
            self.by_source
                .keys()
                .chain(self.by_asset.keys())
                .map(|k| (k.to_lowercase(), k.clone()))
                .collect()
        });
        index
            .get(&source.to_lowercase())
            .map(String::as_str)
            .filter(|&found| found != source)
    }

    /// The full permalink (`https://example.org/guide/x/`), or the URL when
    /// `base_url` is only a path.
    pub fn permalink(&self, page: &Page) -> String {
        join_url(&self.config.base_url, &page.url_path)
    }
}

/// Join a base ending in `/` with a path starting with `/`.
pub(crate) fn join_url(base: &str, path: &str) -> String {
    let mut s = base.trim_end_matches('/').to_string();
    s.push_str(path);
    s
}

/// One parsed data file.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Path shown in messages (`content/_data/studies.yaml`).
    pub shown_path: PathBuf,
    /// The file text, for locating errors in rows.
    pub text: String,
    pub value: serde_json::Value,
}

/// The site's bibliography: hayagriva's library with docent's `retracted`
/// flags and the CSL style that formats it (loaded by `load::bibliography`).
pub struct Bibliography {
    pub library: Library,
    pub retracted: HashSet<String>,
    pub style: IndependentStyle,
    pub locales: Vec<Locale>,
    pub shown_path: PathBuf,
    /// Keys in file order.
    pub keys: Vec<String>,
    /// Identifies the formatted entries: a hash of the file, the style and
    /// the language (the full list is formatted once per process while it
    /// stays the same; see `generated::references`).
    pub hash: u64,
}

impl std::fmt::Debug for Bibliography {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Bibliography({} entries from {})",
            self.keys.len(),
            self.shown_path.display()
        )
    }
}

impl Bibliography {
    pub fn is_retracted(&self, key: &str) -> bool {
        self.retracted.contains(key)
    }

    /// DOI of an entry, if it has one.
    pub fn doi(&self, key: &str) -> Option<&str> {
        self.library.get(key).and_then(|e| e.doi())
    }
}

/// The site's glossary (parsed by `markdown::glossary`, which also links
/// its terms in pages).
#[derive(Debug, Clone)]
pub struct Term {
    pub term: String,
    /// Other names, as written in the glossary file.
    pub aliases: Vec<String>,
    /// Lower-case forms matched in text: the term and its aliases.
    pub forms: Vec<String>,
    pub id: String,
    pub definition_html: String,
    pub definition_text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Glossary {
    pub terms: Vec<Term>,
    pub shown_path: std::path::PathBuf,
    /// Script URLs found in definitions (see `markdown::sanitize`).
    pub warnings: Vec<crate::error::Diagnostic>,
    /// Every form of every term in one automaton (built on first use), with
    /// the term each pattern belongs to: finding terms costs the same with
    /// 10 terms or 3,000 (one scan per text, not one per form).
    pub(crate) matcher: std::sync::OnceLock<GlossaryMatcher>,
}

/// The automaton that finds every glossary form in a text (see
/// `markdown::glossary`).
#[derive(Debug, Clone)]
pub(crate) struct GlossaryMatcher {
    pub(crate) automaton: aho_corasick::AhoCorasick,
    pub(crate) term_of: Vec<usize>,
    /// Each form (lowercase) → the first term that has it, for `{term}`
    /// roles: a lookup costs the same with 10 terms or 3,000.
    pub(crate) by_form: rustc_hash::FxHashMap<String, usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_keys_are_found_where_the_file_has_them() {
        let text = "---\ntitle: T\n  weight: 2\n---\nBody\n";
        let (start, end) = (4, text.len() - 9);
        assert_eq!(front_matter_position(text, start, end, "title"), (2, 1));
        assert_eq!(front_matter_position(text, start, end, "weight"), (3, 3));
        assert_eq!(front_matter_position(text, start, end, "tags"), (1, 1));
        // YAML that starts further down (blank lines before it).
        let text = "\n\n---\ntags: [a]\n---\n";
        assert_eq!(
            front_matter_position(text, 6, text.len() - 4, "tags"),
            (4, 1)
        );
        // Offsets that are not on a character boundary are not a panic.
        assert_eq!(front_matter_position("é: 1", 1, 4, "é"), (1, 1));
    }
}
