//! What `docent import` reads from a project's configuration: title,
//! description, base URL, language, bibliography, where its pages are, and
//! its navigation (the order of pages, as `weight`, and section titles):
//! `mkdocs.yml`; Jupyter Book's `_config.yml` and `_toc.yml` or MyST's
//! `myst.yml`; mdBook's `book.toml` and `SUMMARY.md`; Hugo's and Zola's
//! config files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::Finding;
use crate::error::{Error, Result};

/// The tools docent imports from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tool {
    Mkdocs,
    JupyterBook,
    Mdbook,
    Hugo,
    Zola,
}

/// A project as its configuration describes it.
#[derive(Debug, Default)]
pub(super) struct Project {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<String>,
    /// A BibTeX file, relative to the content folder.
    pub bibliography: Option<String>,
    /// The folder holding the pages (docs/, src/, content/ or the root).
    pub content_root: PathBuf,
    /// Folders whose files are published as they are (Hugo's static/).
    pub asset_roots: Vec<PathBuf>,
    /// Paths relative to SRC not to bring over (configuration).
    pub skip_files: Vec<String>,
    pub skip_dirs: Vec<String>,
    /// The page that is the home page (Jupyter Book's `root`), relative
    /// to the content folder.
    pub home: Option<String>,
    /// Navigation: page (relative to the content folder) → weight and the
    /// title the navigation gives it.
    pub nav: HashMap<String, (i64, Option<String>)>,
    /// Navigation sections that are folders: folder → title and weight.
    pub sections: HashMap<String, (String, Option<i64>)>,
    /// MkDocs' `use_directory_urls` (pages at `page/`, as docent's; else
    /// at `page.html`).
    pub directory_urls: bool,
    /// Hugo's URLs are its paths lowercased (unless `disablePathToLower`).
    pub lower_paths: bool,
    /// The project's LaTeX commands (MathJax's `macros`, mystmd's `math`):
    /// name → definition, or [definition, number of arguments].
    pub math_macros: serde_json::Map<String, Value>,
    /// Sphinx's `intersphinx_mapping` (Jupyter Book's `sphinx.config`):
    /// another project's name → its URL, ending in `/`.
    pub intersphinx: HashMap<String, String>,
    /// The base path of the old site's URLs (`/docs/` of
    /// `https://example.org/docs/`), for links written as absolute paths.
    pub base_path: String,
    pub findings: Vec<Finding>,
}

impl Project {
    /// The site.yaml of the new site.
    pub(super) fn site_yaml(&self, taxonomies: &std::collections::BTreeSet<String>) -> String {
        let mut s = String::from("# Imported by docent import. See the README for every key.\n");
        let mut map = serde_json::Map::new();
        map.insert(
            "title".into(),
            self.title
                .clone()
                .unwrap_or_else(|| "Imported site".into())
                .into(),
        );
        if let Some(d) = &self.description {
            map.insert("description".into(), d.clone().into());
        }
        if let Some(u) = &self.base_url {
            map.insert("base_url".into(), u.clone().into());
        }
        map.insert(
            "language".into(),
            self.language.clone().unwrap_or_else(|| "en".into()).into(),
        );
        if let Some(b) = &self.bibliography {
            map.insert("bibliography".into(), b.clone().into());
        }
        if !self.math_macros.is_empty() {
            let mut markdown = serde_json::Map::new();
            markdown.insert("math_macros".into(), self.math_macros.clone().into());
            map.insert("markdown".into(), markdown.into());
        }
        if !taxonomies.is_empty() {
            let mut all: Vec<Value> = vec!["tags".into()];
            all.extend(taxonomies.iter().map(|t| Value::String(t.clone())));
            map.insert("taxonomies".into(), all.into());
        }
        s.push_str(&super::convert::ordered_yaml(map));
        s
    }

    fn finding(&mut self, file: &str, what: impl Into<String>) {
        self.findings.push(Finding {
            file: file.into(),
            line: 0,
            what: what.into(),
        });
    }

    /// Hugo's and Zola's `static/` (published as it is) and the folders
    /// docent does not bring over, each reported with what to do instead.
    fn static_and_theme(&mut self, src: &Path, not_brought: &[(&str, &str)]) {
        // (A `static` link to a folder outside the project is not read.)
        match src.join("static").canonicalize() {
            Ok(real) if real.starts_with(src) && real.is_dir() => self.asset_roots.push(real),
            Ok(real) if real.is_dir() => self.finding(
                "static/",
                "a link to a folder outside the project: not copied",
            ),
            _ => {}
        }
        for (dir, what) in not_brought {
            if src.join(dir).is_dir() {
                self.finding(&format!("{dir}/"), *what);
            }
        }
    }

    /// A project's LaTeX commands, as docent's `math_macros` take them: a
    /// definition, or [definition, number of arguments]; mystmd's
    /// `{macro: …}` objects read for their macro. An optional argument's
    /// default (MathJax's third item) is not: reported.
    fn math_macros(&mut self, file: &str, macros: &serde_json::Map<String, Value>) {
        for (name, def) in macros {
            let value = match def {
                Value::String(s) => Some(Value::String(s.clone())),
                Value::Object(o) => o.get("macro").and_then(Value::as_str).map(|s| s.into()),
                Value::Array(a) => match (a.first().and_then(Value::as_str), a.get(1)) {
                    (Some(d), Some(Value::Number(n))) => {
                        if a.len() > 2 {
                            self.finding(
                                file,
                                format!("math macro `{name}`: its optional argument's default is not read (docent's macros take required arguments only)"),
                            );
                        }
                        Some(Value::Array(vec![d.into(), Value::Number(n.clone())]))
                    }
                    (Some(d), None) => Some(d.into()),
                    _ => None,
                },
                _ => None,
            };
            match value {
                Some(v) => {
                    self.math_macros.insert(name.clone(), v);
                }
                None => self.finding(
                    file,
                    format!("math macro `{name}`: not a definition docent reads"),
                ),
            }
        }
    }

    fn set_base_url(&mut self, url: Option<&str>) {
        let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
            return;
        };
        let url = if url.ends_with('/') {
            url.to_string()
        } else {
            format!("{url}/")
        };
        let path = match url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]).to_string(),
            None => url.clone(),
        };
        self.base_path = path;
        self.base_url = Some(url);
    }
}

/// Read the project in `src` (canonical).
pub(super) fn read(tool: Tool, src: &Path) -> Result<Project> {
    let mut p = Project {
        base_path: "/".into(),
        directory_urls: true,
        ..Project::default()
    };
    match tool {
        Tool::Mkdocs => mkdocs(src, &mut p)?,
        Tool::JupyterBook => jupyter_book(src, &mut p)?,
        Tool::Mdbook => mdbook(src, &mut p)?,
        Tool::Hugo => hugo(src, &mut p)?,
        Tool::Zola => zola(src, &mut p)?,
    }
    p.language = p.language.as_deref().map(normalize_language);
    // A configured folder (`docs_dir: ../elsewhere`) is read only when it
    // is inside the project.
    if let Ok(real) = p.content_root.canonicalize() {
        if !real.starts_with(src) {
            return Err(Error::Usage(format!(
                "the {} project's pages are in {}, outside {}: docent import reads only inside the project",
                tool_name(tool),
                p.content_root.display(),
                src.display()
            )));
        }
        p.content_root = real;
    }
    if !p.content_root.is_dir() {
        return Err(Error::Usage(format!(
            "{} has no {} folder; is this a {} project?",
            src.display(),
            p.content_root
                .strip_prefix(src)
                .unwrap_or(&p.content_root)
                .display(),
            tool_name(tool)
        )));
    }
    Ok(p)
}

pub(super) fn tool_name(tool: Tool) -> &'static str {
    match tool {
        Tool::Mkdocs => "MkDocs",
        Tool::JupyterBook => "Jupyter Book",
        Tool::Mdbook => "mdBook",
        Tool::Hugo => "Hugo",
        Tool::Zola => "Zola",
    }
}

/// `en_us`, `en-us` → `en-US`.
fn normalize_language(code: &str) -> String {
    let mut parts = code.trim().split(['-', '_']);
    let mut out = parts.next().unwrap_or("en").to_lowercase();
    for p in parts {
        out.push('-');
        if p.len() == 2 {
            out.push_str(&p.to_uppercase());
        } else {
            out.push_str(p);
        }
    }
    out
}

/// The first of `names` that exists in `dir`, with its text.
fn config_file(dir: &Path, names: &[&str]) -> Option<(String, String)> {
    names.iter().find_map(|n| {
        std::fs::read_to_string(dir.join(n))
            .ok()
            .map(|t| (n.to_string(), t))
    })
}

fn missing(src: &Path, what: &str, tool: Tool) -> Error {
    Error::Usage(format!(
        "no {what} in {}; is this a {} project?",
        src.display(),
        tool_name(tool)
    ))
}

/// A config file's text as a value (YAML, TOML or JSON by its name).
fn parse_config(name: &str, text: &str) -> Result<Value> {
    let parsed = if name.ends_with(".toml") {
        toml::from_str::<toml::Table>(text)
            .map(|t| toml_to_json(toml::Value::Table(t)))
            .map_err(|e| e.message().to_string())
    } else if name.ends_with(".json") {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        crate::yaml::parse_loose(text)
    };
    parsed.map_err(|e| Error::Usage(format!("cannot read {name}: {e}")))
}

/// A TOML value as JSON (dates as their text).
pub(super) fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => s.into(),
        toml::Value::Integer(i) => i.into(),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => b.into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(a) => a.into_iter().map(toml_to_json).collect(),
        toml::Value::Table(t) => t
            .into_iter()
            .map(|(k, v)| (k, toml_to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut v = v;
    for k in path {
        v = v.get(k)?;
    }
    v.as_str()
}

/// `mkdocs.yml`: site_name, site_description, site_url, docs_dir,
/// theme.language and `nav`.
fn mkdocs(src: &Path, p: &mut Project) -> Result<()> {
    let (name, text) = config_file(src, &["mkdocs.yml", "mkdocs.yaml"])
        .ok_or_else(|| missing(src, "mkdocs.yml", Tool::Mkdocs))?;
    let cfg = parse_config(&name, &text)?;
    p.title = str_at(&cfg, &["site_name"]).map(str::to_string);
    p.description = str_at(&cfg, &["site_description"]).map(str::to_string);
    p.set_base_url(str_at(&cfg, &["site_url"]));
    p.language = str_at(&cfg, &["theme", "language"]).map(str::to_string);
    p.directory_urls = cfg
        .get("use_directory_urls")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let docs = str_at(&cfg, &["docs_dir"]).unwrap_or("docs");
    p.content_root = src.join(docs);
    if let Some(nav) = cfg.get("nav").and_then(Value::as_array) {
        mkdocs_nav(nav, p);
    }
    if let Some(plugins) = cfg.get("plugins").and_then(Value::as_array) {
        for plugin in plugins {
            let name = match plugin {
                Value::String(s) => s.clone(),
                Value::Object(m) => m.keys().next().cloned().unwrap_or_default(),
                _ => continue,
            };
            if !matches!(name.as_str(), "search" | "tags") {
                p.finding(
                    "mkdocs.yml",
                    format!("MkDocs plugin `{name}` (docent has no plugins)"),
                );
            }
        }
    }
    Ok(())
}

/// MkDocs' `nav`: `- Title: page.md`, `- page.md`, `- Section: [...]`.
fn mkdocs_nav(items: &[Value], p: &mut Project) {
    for (i, item) in items.iter().enumerate() {
        let weight = (i as i64 + 1) * 10;
        match item {
            Value::String(path) => {
                p.nav.insert(path.clone(), (weight, None));
            }
            Value::Object(m) => {
                for (title, v) in m {
                    match v {
                        Value::String(path) if !path.contains("://") => {
                            p.nav.insert(path.clone(), (weight, Some(title.clone())));
                        }
                        Value::Array(children) => {
                            // A section: its folder is the one its pages share.
                            if let Some(dir) = common_dir(children) {
                                p.sections.insert(dir, (title.clone(), Some(weight)));
                            }
                            mkdocs_nav(children, p);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// The folder every page of a nav section is in, if they share one.
fn common_dir(children: &[Value]) -> Option<String> {
    let mut dirs = children.iter().filter_map(|c| {
        let path = match c {
            Value::String(s) => s.as_str(),
            Value::Object(m) => m.values().next()?.as_str()?,
            _ => return None,
        };
        Some(path.rsplit_once('/').map_or("", |(d, _)| d).to_string())
    });
    let first = dirs.next()?;
    (!first.is_empty() && dirs.all(|d| d == first)).then_some(first)
}

/// Jupyter Book 1 (`_config.yml`, `_toc.yml`) or MyST / Jupyter Book 2
/// (`myst.yml`).
fn jupyter_book(src: &Path, p: &mut Project) -> Result<()> {
    p.content_root = src.to_path_buf();
    p.skip_dirs = vec!["_build".into()];
    if let Some((name, text)) = config_file(src, &["myst.yml"]) {
        let cfg = parse_config(&name, &text)?;
        p.skip_files.push(name);
        let project = cfg.get("project").cloned().unwrap_or(Value::Null);
        p.title = str_at(&project, &["title"])
            .or_else(|| str_at(&cfg, &["site", "title"]))
            .map(str::to_string);
        p.description = str_at(&project, &["description"]).map(str::to_string);
        p.language = str_at(&project, &["language"]).map(str::to_string);
        p.bibliography = match project.get("bibliography") {
            Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_string),
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        if let Some(Value::Object(math)) = project.get("math") {
            p.math_macros("myst.yml", math);
        }
        if let Some(toc) = project.get("toc").and_then(Value::as_array) {
            let mut first = true;
            myst_toc(toc, p, &mut first);
        }
        return Ok(());
    }
    let (name, text) = config_file(src, &["_config.yml"])
        .ok_or_else(|| missing(src, "_config.yml or myst.yml", Tool::JupyterBook))?;
    let cfg = parse_config(&name, &text)?;
    p.title = str_at(&cfg, &["title"]).map(str::to_string);
    p.description = str_at(&cfg, &["description"]).map(str::to_string);
    p.set_base_url(str_at(&cfg, &["html", "baseurl"]));
    p.language = str_at(&cfg, &["sphinx", "config", "language"])
        .or_else(|| str_at(&cfg, &["language"]))
        .map(str::to_string);
    p.bibliography = cfg
        .get("bibtex_bibfiles")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_str)
        .map(str::to_string);
    let sphinx = cfg.get("sphinx").and_then(|s| s.get("config"));
    // MathJax 3's `tex.macros`, or MathJax 2's `TeX.Macros`.
    let macros = sphinx.and_then(|c| {
        c.get("mathjax3_config")
            .and_then(|m| m.get("tex"))
            .and_then(|t| t.get("macros"))
            .or_else(|| {
                c.get("mathjax_config")
                    .and_then(|m| m.get("TeX"))
                    .and_then(|t| t.get("Macros"))
            })
    });
    if let Some(Value::Object(macros)) = macros {
        p.math_macros("_config.yml", macros);
    }
    if let Some(Value::Object(map)) = sphinx.and_then(|c| c.get("intersphinx_mapping")) {
        for (name, target) in map {
            let url = match target {
                Value::Array(a) => a.first().and_then(Value::as_str),
                other => other.as_str(),
            };
            if let Some(url) = url.filter(|u| u.starts_with("https://") || u.starts_with("http://"))
            {
                let slash = if url.ends_with('/') { "" } else { "/" };
                p.intersphinx.insert(name.clone(), format!("{url}{slash}"));
            }
        }
    }
    if let Some((toc_name, toc_text)) = config_file(src, &["_toc.yml"]) {
        let toc = parse_config(&toc_name, &toc_text)?;
        if let Some(root) = str_at(&toc, &["root"]) {
            p.home = Some(with_md(root));
        }
        let mut n = 0;
        jb_toc(&toc, p, &mut n);
    }
    Ok(())
}

/// `intro` → `intro.md` (Jupyter Book names files without their extension).
fn with_md(file: &str) -> String {
    if file.ends_with(".md") || file.ends_with(".ipynb") {
        file.to_string()
    } else {
        format!("{file}.md")
    }
}

/// `_toc.yml`: `parts` (with `caption`), `chapters`, `sections`, each a
/// `file:` (in reading order: weights follow it).
fn jb_toc(v: &Value, p: &mut Project, n: &mut i64) {
    if let Some(file) = str_at(v, &["file"]) {
        *n += 10;
        p.nav.insert(
            with_md(file),
            (*n, str_at(v, &["title"]).map(str::to_string)),
        );
    }
    for key in ["parts", "chapters", "sections"] {
        if let Some(list) = v.get(key).and_then(Value::as_array) {
            for item in list {
                jb_toc(item, p, n);
            }
        }
    }
}

/// `myst.yml`'s `toc`: `file:` entries and `title:` groups with
/// `children:`; the first file is the home page.
fn myst_toc(items: &[Value], p: &mut Project, first: &mut bool) {
    for (i, item) in items.iter().enumerate() {
        let weight = (i as i64 + 1) * 10;
        if let Some(file) = str_at(item, &["file"]) {
            if std::mem::take(first) {
                p.home = Some(file.to_string());
            }
            p.nav.insert(
                file.to_string(),
                (weight, str_at(item, &["title"]).map(str::to_string)),
            );
        }
        if let Some(children) = item.get("children").and_then(Value::as_array) {
            myst_toc(children, p, first);
        }
    }
}

/// mdBook: `book.toml` and `src/SUMMARY.md`.
fn mdbook(src: &Path, p: &mut Project) -> Result<()> {
    let (name, text) =
        config_file(src, &["book.toml"]).ok_or_else(|| missing(src, "book.toml", Tool::Mdbook))?;
    let cfg = parse_config(&name, &text)?;
    p.title = str_at(&cfg, &["book", "title"]).map(str::to_string);
    p.description = str_at(&cfg, &["book", "description"]).map(str::to_string);
    p.language = str_at(&cfg, &["book", "language"]).map(str::to_string);
    p.set_base_url(str_at(&cfg, &["output", "html", "site-url"]));
    let dir = str_at(&cfg, &["book", "src"]).unwrap_or("src");
    p.content_root = src.join(dir);
    let summary = format!("{dir}/SUMMARY.md");
    p.skip_files.push(summary.clone());
    if let Ok(text) = std::fs::read_to_string(src.join(&summary)) {
        mdbook_summary(&text, &summary, p);
    }
    Ok(())
}

/// SUMMARY.md: links in reading order (weights follow it); a link with no
/// target is a draft chapter mdBook shows greyed out.
fn mdbook_summary(text: &str, shown: &str, p: &mut Project) {
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start().trim_start_matches(['-', '*']).trim();
        let Some(open) = t.find('[') else { continue };
        let Some(close) = t[open..].find("](").map(|c| c + open) else {
            continue;
        };
        let title = &t[open + 1..close];
        let rest = &t[close + 2..];
        let target = rest.split(')').next().unwrap_or("").trim();
        if target.is_empty() {
            p.findings.push(Finding {
                file: shown.into(),
                line: i + 1,
                what: format!("draft chapter `{title}` (no file): left out"),
            });
            continue;
        }
        n += 10;
        let target = target.trim_start_matches("./").to_string();
        p.nav.insert(target, (n, Some(title.to_string())));
    }
}

/// Hugo: `hugo.toml` (or config.toml, .yaml, .json; or config/_default/).
fn hugo(src: &Path, p: &mut Project) -> Result<()> {
    let names = [
        "hugo.toml",
        "hugo.yaml",
        "hugo.yml",
        "hugo.json",
        "config.toml",
        "config.yaml",
        "config.yml",
        "config.json",
        "config/_default/hugo.toml",
        "config/_default/config.toml",
        "config/_default/hugo.yaml",
    ];
    let (name, text) =
        config_file(src, &names).ok_or_else(|| missing(src, "hugo.toml", Tool::Hugo))?;
    let cfg = parse_config(&name, &text)?;
    p.title = str_at(&cfg, &["title"]).map(str::to_string);
    p.description = str_at(&cfg, &["params", "description"])
        .or_else(|| str_at(&cfg, &["description"]))
        .map(str::to_string);
    p.set_base_url(str_at(&cfg, &["baseURL"]).or_else(|| str_at(&cfg, &["baseurl"])));
    p.language = str_at(&cfg, &["languageCode"])
        .or_else(|| str_at(&cfg, &["defaultContentLanguage"]))
        .map(str::to_string);
    p.lower_paths = !cfg
        .get("disablePathToLower")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let default_language = str_at(&cfg, &["defaultContentLanguage"]).unwrap_or("en");
    let folders = hugo_content_folders(&cfg, default_language);
    p.content_root = src.join(&folders.pages);
    for (code, folder) in folders.other_languages {
        if src.join(&folder).is_dir() {
            p.finding(
                &format!("{}/", folder.trim_end_matches('/')),
                format!(
                    "pages in the language `{code}`: not imported (docent keeps a language's \
                     pages in content/{code}/ of the new site: move them there)"
                ),
            );
        }
    }
    p.static_and_theme(
        src,
        &[
            (
                "layouts",
                "templates (layouts/): write docent templates (docs/templates.md)",
            ),
            ("themes", "theme (themes/): docent uses its own theme"),
            (
                "assets",
                "asset pipeline files (assets/): copy what pages need into content/",
            ),
            (
                "data",
                "data files (data/): move YAML tables to content/_data/",
            ),
        ],
    );
    Ok(())
}

/// Where a Hugo site keeps its pages.
#[derive(Debug, PartialEq, Eq)]
struct HugoContent {
    /// The default language's folder, relative to the project.
    pages: String,
    /// Other languages' folders, by language code.
    other_languages: Vec<(String, String)>,
}

/// Hugo's content folders: the site's `contentDir`, else the default
/// language's `languages.<code>.contentDir`, else the source of a
/// `[[module.mounts]]` entry whose target is `content` (Hugo's own docs
/// mount `content/en` there), else `content`. Other languages' folders,
/// from `languages` or from mounts marked with a language, come apart.
fn hugo_content_folders(cfg: &Value, default_language: &str) -> HugoContent {
    let mut folders: Vec<(Option<String>, String)> = Vec::new();
    if let Some(Value::Object(languages)) = cfg.get("languages") {
        for (code, language) in languages {
            if let Some(dir) = str_at(language, &["contentDir"]) {
                folders.push((Some(code.clone()), dir.to_string()));
            }
        }
    }
    let mounts = cfg.pointer("/module/mounts").and_then(Value::as_array);
    for mount in mounts.into_iter().flatten() {
        let target = str_at(mount, &["target"]).map(|t| t.trim_matches('/'));
        let (Some("content"), Some(source)) = (target, str_at(mount, &["source"])) else {
            continue;
        };
        // `lang = "fr"` (before Hugo 0.153) or `sites.matrix.languages`.
        let matrix = mount
            .pointer("/sites/matrix/languages")
            .and_then(Value::as_array)
            .and_then(|l| l.first())
            .and_then(Value::as_str);
        let code = str_at(mount, &["lang"]).or(matrix).map(str::to_string);
        folders.push((code, source.to_string()));
    }
    let is_default = |code: &Option<String>| code.as_deref().is_none_or(|c| c == default_language);
    let pages = str_at(cfg, &["contentDir"])
        .map(str::to_string)
        .or_else(|| {
            folders
                .iter()
                .find(|(code, _)| is_default(code))
                .map(|(_, dir)| dir.clone())
        })
        .unwrap_or_else(|| "content".into());
    let mut other_languages: Vec<(String, String)> = folders
        .into_iter()
        .filter_map(|(code, dir)| code.filter(|c| c != default_language).zip(Some(dir)))
        .filter(|(_, dir)| *dir != pages)
        .collect();
    other_languages.dedup();
    HugoContent {
        pages,
        other_languages,
    }
}

/// Zola: `config.toml` (or zola.toml).
fn zola(src: &Path, p: &mut Project) -> Result<()> {
    let (name, text) = config_file(src, &["zola.toml", "config.toml"])
        .ok_or_else(|| missing(src, "config.toml", Tool::Zola))?;
    let cfg = parse_config(&name, &text)?;
    p.title = str_at(&cfg, &["title"]).map(str::to_string);
    p.description = str_at(&cfg, &["description"]).map(str::to_string);
    p.set_base_url(str_at(&cfg, &["base_url"]));
    p.language = str_at(&cfg, &["default_language"]).map(str::to_string);
    p.content_root = src.join("content");
    p.static_and_theme(
        src,
        &[
            (
                "templates",
                "templates (templates/): write docent templates (docs/templates.md)",
            ),
            ("themes", "theme (themes/): docent uses its own theme"),
            ("sass", "Sass files (sass/): docent's theme has its own CSS"),
        ],
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders(toml: &str, default: &str) -> HugoContent {
        hugo_content_folders(&parse_config("hugo.toml", toml).unwrap(), default)
    }

    #[test]
    fn hugo_content_folders_come_from_mounts_languages_or_content_dir() {
        assert_eq!(folders("title = 'x'", "en").pages, "content");
        // Mounts marked with a language the older way (`lang`) and the
        // newer (`sites.matrix.languages`); one without a language is the
        // default language's.
        let mounts = "[[module.mounts]]\nsource = 'content/de'\ntarget = 'content'\nlang = 'de'\n\
                      [[module.mounts]]\nsource = 'content/en'\ntarget = '/content/'\n\
                      [[module.mounts]]\nsource = 'static'\ntarget = 'static'\n";
        assert_eq!(
            folders(mounts, "en"),
            HugoContent {
                pages: "content/en".into(),
                other_languages: vec![("de".into(), "content/de".into())],
            }
        );
        // The site's own contentDir wins over a language's.
        let both = "contentDir = 'docs'\n[languages.en]\ncontentDir = 'content/en'\n";
        assert_eq!(folders(both, "en").pages, "docs");
        assert!(folders(both, "en").other_languages.is_empty());
        // A default language other than English.
        let fr = "[languages.fr]\ncontentDir = 'fr'\n[languages.en]\ncontentDir = 'en'\n";
        assert_eq!(
            folders(fr, "fr"),
            HugoContent {
                pages: "fr".into(),
                other_languages: vec![("en".into(), "en".into())],
            }
        );
    }
}
