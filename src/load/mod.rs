//! Stage ①: disk → [`Site`]. Walks `content/`, splits front matter, parses
//! YAML, maps files to URLs and links pages into their sections.

pub mod bibliography;
pub mod data;
pub mod front_matter;
mod language;
pub mod stamp;
mod taxonomy;
pub mod walk;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Kind};
use crate::site::{Asset, FrontMatter, Generated, Page, PageKind, Site};
use crate::yaml;

/// Options that change what is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub drafts: bool,
    pub base_url: Option<String>,
    /// Drop page bodies after reading their front matter; they are read
    /// again when rendered ([`crate::site::Page::full_text`]).
    pub lean: bool,
    /// Pages loaded by an earlier build, by content-relative path: a lean
    /// load takes a page from here when its file's stamp still matches.
    pub prior: Option<Arc<stamp::Sources>>,
}

/// Load the site under `root`: config, every page and every asset.
pub fn load(root: &Path, opts: &LoadOptions) -> Result<Site, Vec<Diagnostic>> {
    let config = config_for(root, opts)?;
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(vec![
            Diagnostic::new(
                Kind::Io,
                format!("no content/ folder in {}", root.display()),
            )
            .hint("create content/_index.md, or start a new site with `docent init DIR`"),
        ]);
    }
    crate::confine::Root::new(root)
        .check(&content_dir, Path::new("content"))
        .map_err(|d| vec![d])?;
    let (strings, mut warnings) = language::strings(root, &config)?;
    let Sorted {
        md,
        mut assets,
        data: data_files,
        warnings: found_warnings,
    } = sort_found(walk::discover(&content_dir)?);
    warnings.extend(found_warnings);
    let require = config.front_matter == crate::config::FrontMatterMode::Required;
    // Errors in pages and clashing URLs are reported together.
    let (mut pages, unread, mut errors) = read_pages(&md, opts, require);
    taxonomy::explain_unknown_keys(&mut errors, &config);
    if !opts.drafts {
        drop_drafts(&mut pages);
    }
    home_first(&mut pages, &config);
    errors.extend(language::assign(&mut pages, &config));
    errors.extend(clashing_urls(&pages, &assets));
    errors.extend(clashing_aliases(&pages, &assets));
    errors.extend(taxonomy::check_front_matter(&pages, &config));
    if !errors.is_empty() {
        return Err(errors);
    }
    let data = data::load(&data_files)?;
    let mut config = config;
    config.bibliography = bibliography::file_name(&config, &content_dir, &data);
    // The bibliography is site data, not a file to publish.
    assets.retain(|a| a.out_path != config.bibliography);
    let bibliography = match bibliography::load(&config, &data, &content_dir)? {
        Some((bib, found)) => {
            warnings.extend(found);
            Some(bib)
        }
        None => None,
    };
    // The glossary (file or MyST `{glossary}` blocks) gets its page here;
    // its terms are parsed by the Markdown stage
    // (`markdown::glossary::attach`), which renders them.
    let myst_glossary = pages
        .iter()
        .any(|p| p.myst.as_ref().is_some_and(|m| !m.glossary.is_empty()));
    add_generated_pages(
        &mut pages,
        bibliography.is_some(),
        data.contains_key(&config.glossary) || myst_glossary,
        config.search,
        &strings[0],
    );
    if config.search {
        language::add_search_pages(&mut pages, &config, &strings);
    }
    let taxonomy_pages = taxonomy::add_list_pages(&mut pages, &config, &strings[0]);
    link_sections(&mut pages);
    let mut site = Site {
        root: root.to_path_buf(),
        by_asset: assets
            .iter()
            .enumerate()
            .map(|(i, a)| (a.out_path.clone(), i))
            .collect(),
        by_source: pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.rel_path.clone(), i))
            .collect(),
        content_dir,
        config,
        pages,
        assets,
        data,
        bibliography,
        glossary: None,
        taxonomies: Vec::new(),
        unread,
        lowercase: Default::default(),
        warnings,
        languages: Vec::new(),
        labels: HashMap::new(),
        equations: HashMap::new(),
        proofs: HashMap::new(),
    };
    match (
        myst_labels(&site.pages, |s| &s.labels, ""),
        myst_labels(&site.pages, |s| &s.equations, "equation "),
        myst_labels(&site.pages, |s| &s.proofs, "proof "),
    ) {
        (Ok(labels), Ok(equations), Ok(proofs)) => {
            (site.labels, site.equations, site.proofs) = (labels, equations, proofs);
        }
        (labels, equations, proofs) => {
            let errors = [labels.err(), equations.err(), proofs.err()];
            return Err(errors.into_iter().flatten().flatten().collect());
        }
    }
    site.languages = language::languages(&site, strings);
    taxonomy::attach(&mut site, &taxonomy_pages);
    Ok(site)
}

/// Aliases whose output would overwrite a page, a file of the site or
/// another alias: errors at the page's `aliases`.
fn clashing_aliases(pages: &[Page], assets: &[Asset]) -> Vec<Diagnostic> {
    if pages.iter().all(|p| p.meta.aliases.is_empty()) {
        return Vec::new();
    }
    let mut taken: HashMap<String, String> = pages
        .iter()
        .map(|p| (p.out_path.clone(), p.shown_path.display().to_string()))
        .chain(
            assets
                .iter()
                .map(|a| (a.out_path.clone(), format!("content/{}", a.out_path))),
        )
        .collect();
    let mut errors = Vec::new();
    for p in pages {
        for alias in &p.meta.aliases {
            let Ok(out) = crate::site::alias_out_path(alias) else {
                continue;
            };
            if let Some(owner) = taken.get(&out) {
                let (line, col) = p.key_position("aliases");
                errors.push(
                    Diagnostic::new(
                        Kind::DuplicateUrl,
                        format!("alias `{alias}` would overwrite {out}, written for {owner}"),
                    )
                    .at(&p.shown_path, line, col, Some(&p.text))
                    .hint("remove the alias, or the page or file at that URL"),
                );
                continue;
            }
            taken.insert(
                out,
                format!("the alias `{alias}` of {}", p.shown_path.display()),
            );
        }
    }
    errors
}

/// Every page's MyST labels of one kind (`of`: a page's section labels,
/// or its equations; `kind` names it in errors) by name; a label defined
/// twice is an error at its second place.
fn myst_labels(
    pages: &[Page],
    of: impl Fn(&crate::myst::Scan) -> &Vec<crate::myst::Label>,
    kind: &str,
) -> Result<HashMap<String, (usize, usize)>, Vec<Diagnostic>> {
    let mut labels: HashMap<String, (usize, usize)> = HashMap::new();
    let mut errors = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        let Some(scan) = &page.myst else { continue };
        for (li, label) in of(scan).iter().enumerate() {
            if let Some(&(fp, fl)) = labels.get(&label.name) {
                let first = &pages[fp];
                let first_line = first
                    .myst
                    .as_ref()
                    .and_then(|s| of(s).get(fl))
                    .map_or(0, |l| front_lines(first) + l.line);
                let hint = match kind {
                    "" => "give each (label)= and :name: a name used nowhere else in the site",
                    "equation " => {
                        "give each equation's label a name no other equation in the site has"
                    }
                    _ => "give each {prf:…} directive's label a name no other one in the site has",
                };
                errors.push(
                    Diagnostic::new(
                        Kind::InvalidValue,
                        format!(
                            "the {kind}label `{}` is also defined at {}:{first_line}",
                            label.name,
                            first.shown_path.display()
                        ),
                    )
                    .at(&page.shown_path, front_lines(page) + label.line, 1, None)
                    .hint(hint),
                );
                continue;
            }
            labels.insert(label.name.clone(), (pi, li));
        }
    }
    if errors.is_empty() {
        Ok(labels)
    } else {
        Err(errors)
    }
}

/// The lines of `page`'s front matter (its body's line numbers start
/// after them).
fn front_lines(page: &Page) -> usize {
    page.text[..page.body_offset.min(page.text.len())]
        .matches('\n')
        .count()
}

/// The site's configuration, with `--base-url` applied.
fn config_for(root: &Path, opts: &LoadOptions) -> Result<SiteConfig, Vec<Diagnostic>> {
    let mut config = SiteConfig::load(root)?;
    if let Some(url) = &opts.base_url {
        config.base_url = crate::config::normalize_base_url(url).map_err(|(m, hint)| {
            vec![
                Diagnostic::new(Kind::InvalidValue, m.replacen("base_url", "--base-url", 1)).hint(
                    hint.replace(
                        "use an absolute URL",
                        "pass --base-url with an absolute URL",
                    ),
                ),
            ]
        })?;
    }
    Ok(config)
}

/// What the walk found, sorted.
struct Sorted {
    /// Page files (path, content-relative path).
    md: Vec<(PathBuf, String)>,
    /// Files to publish as they are.
    assets: Vec<Asset>,
    /// Data files (path, content-relative path).
    data: Vec<(PathBuf, String)>,
    /// One per dot-named page, and per Markdown file not named `.md`.
    warnings: Vec<Diagnostic>,
}

fn sort_found(found: Vec<walk::Found>) -> Sorted {
    let mut md = Vec::new();
    let mut assets = Vec::new();
    let mut data = Vec::new();
    let mut warnings = Vec::new();
    for f in found {
        match f {
            walk::Found::Markdown { path, rel } => md.push((path, rel)),
            walk::Found::Data { path, rel } => data.push((path, rel)),
            walk::Found::Asset { path, rel } => {
                warnings.extend(walk::unbuilt_markdown(&rel));
                assets.push(Asset {
                    source: path,
                    out_path: rel,
                });
            }
            walk::Found::Hidden { rel } => warnings.push(
                Diagnostic::new(
                    Kind::NotPublished,
                    format!("content/{rel} is not published: its name starts with a dot"),
                )
                .file(&Path::new("content").join(&rel))
                .hint("rename it without the leading dot to publish it; start the name with `_` to keep it unpublished without this warning"),
            ),
        }
    }
    Sorted {
        md,
        assets,
        data,
        warnings,
    }
}

/// Read and parse every page in parallel: the pages that loaded, how many
/// were taken from `opts.prior` unread, and every page's errors.
fn read_pages(
    md: &[(PathBuf, String)],
    opts: &LoadOptions,
    require: bool,
) -> (Vec<Page>, usize, Vec<Diagnostic>) {
    let now = SystemTime::now();
    let results: Vec<Result<(Page, bool), Vec<Diagnostic>>> = md
        .par_iter()
        .map(|(path, rel)| {
            let prior = opts.prior.as_ref().and_then(|p| p.get(rel.as_str()));
            read_page(path, rel, opts.lean, prior, now, require)
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    let mut unread = 0;
    for r in results {
        match r {
            Ok((p, from_cache)) => {
                unread += usize::from(from_cache);
                pages.push(p);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    (pages, unread, errors)
}

/// Leave out drafts, and every page in a draft section.
fn drop_drafts(pages: &mut Vec<Page>) {
    let draft_dirs: std::collections::HashSet<String> = pages
        .iter()
        .filter(|p| p.kind == PageKind::Section && p.meta.draft)
        .map(|p| section_dir(&p.rel_path).to_string())
        .collect();
    // A page is in a draft section when one of its folders is one: look
    // its folders up (cost by depth, not by the number of drafts).
    let in_draft = |rel: &str| {
        rel.match_indices('/')
            .any(|(i, _)| draft_dirs.contains(&rel[..i]))
    };
    pages.retain(|p| !p.meta.draft && (draft_dirs.is_empty() || !in_draft(&p.rel_path)));
}

/// Home first: `content/_index.md`, else `content/index.md` (as MkDocs,
/// mdBook and Jupyter Book name it), else a synthesized one; without a
/// title of its own it takes the site's.
fn home_first(pages: &mut Vec<Page>, config: &SiteConfig) {
    let home = pages
        .iter()
        .position(|p| p.kind == PageKind::Home)
        .or_else(|| pages.iter().position(|p| p.rel_path == "index.md"));
    match home {
        Some(i) => {
            pages[i].kind = PageKind::Home;
            pages.swap(0, i);
        }
        None => pages.insert(0, synthesized_home(config)),
    }
    if pages[0].title.is_empty() {
        pages[0].title = config.title.clone();
    }
}

/// Two pages with one URL, or a file of the site where a page's output
/// goes.
fn clashing_urls(pages: &[Page], assets: &[Asset]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    for p in pages {
        if let Some(first) = seen.insert(&p.url_path, p) {
            errors.push(
                Diagnostic::new(
                    Kind::DuplicateUrl,
                    format!(
                        "{} and {} both map to the URL {}",
                        first.shown_path.display(),
                        p.shown_path.display(),
                        p.url_path
                    ),
                )
                .at(&p.shown_path, 1, 1, Some(&p.text))
                .hint("rename or remove one of them: `x.md` and `x/index.md` are the same page"),
            );
        }
    }
    let page_outputs: HashMap<&str, &Page> =
        pages.iter().map(|p| (p.out_path.as_str(), p)).collect();
    for a in assets {
        if let Some(p) = page_outputs.get(a.out_path.as_str()) {
            let shown = Path::new("content").join(&a.out_path);
            errors.push(
                Diagnostic::new(
                    Kind::DuplicateUrl,
                    format!(
                        "{} would overwrite the page built from {}",
                        shown.display(),
                        p.shown_path.display()
                    ),
                )
                .file(&shown)
                .hint("rename the file"),
            );
        }
    }
    errors
}

fn read_page(
    path: &Path,
    rel: &str,
    lean: bool,
    prior: Option<&stamp::Loaded>,
    now: SystemTime,
    require: bool,
) -> Result<(Page, bool), Vec<Diagnostic>> {
    let shown = Path::new("content").join(rel);
    let cannot_read = |e: std::io::Error| {
        vec![
            Diagnostic::new(Kind::Io, format!("cannot read {}: {e}", shown.display())).file(&shown),
        ]
    };
    if lean && let Some(prior) = prior {
        let meta = std::fs::metadata(path).map_err(cannot_read)?;
        if stamp::Stamp::from_metadata(&meta) == Some(prior.stamp) {
            let parsed = Parsed {
                text: prior.front.clone(),
                yaml_start: prior.yaml_start,
                body_start: prior.body_start,
                meta: prior.meta.clone(),
                hash: prior.hash.clone(),
                stamp: Some(prior.stamp),
                myst: prior.myst.clone(),
            };
            return finish_page(path, rel, shown, parsed, lean, require).map(|p| (p, true));
        }
    }
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    let meta = file.metadata().map_err(cannot_read)?;
    if let Some(d) = walk::too_large(&shown, meta.len(), true) {
        return Err(vec![d]);
    }
    let stamp = stamp::Stamp::of(&meta, now);
    // Read through `take` so std does not stat the file again for a size
    // hint: the capacity is already right.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    (&file)
        .take(u64::MAX)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    let text = crate::text::decode(bytes, &shown).map_err(|d| vec![d])?;
    let parsed = parse_text(text, &shown, stamp, require)?;
    finish_page(path, rel, shown, parsed, lean, require).map(|p| (p, false))
}

/// Page `i` of `site` (loaded lean, as builds load) read again from its
/// file after an edit, if only its body changed: `None` when the file
/// cannot be read or parsed, or when anything else pages use of it may
/// have changed (its front matter, its title, where its body starts).
pub fn reread_body(site: &Site, i: usize) -> Option<Page> {
    let old = &site.pages[i];
    let path = old.body_path.as_ref()?;
    let require = site.config.front_matter == crate::config::FrontMatterMode::Required;
    let (new, _) = read_page(path, &old.rel_path, true, None, SystemTime::now(), require).ok()?;
    // The home page's file may leave the title to site.yaml.
    let same_title = new.title == old.title || (old.kind == PageKind::Home && new.title.is_empty());
    let same = new.text == old.text
        && new.body_offset == old.body_offset
        && new.front_matter_offset == old.front_matter_offset
        // Other pages show its MyST labels and glossary terms.
        && new.myst == old.myst
        && same_title;
    same.then(|| Page {
        hash: new.hash,
        stamp: new.stamp,
        ..old.clone()
    })
}

/// A page loaded from text already in memory, as [`read_page`] loads a
/// file (for the fuzz targets and tests; the body is kept).
pub fn page_from_text(text: &str, rel: &str, require: bool) -> Result<Page, Vec<Diagnostic>> {
    let shown = Path::new("content").join(rel);
    let parsed = parse_text(text.to_string(), &shown, None, require)?;
    finish_page(Path::new(rel), rel, shown, parsed, false, require)
}

/// Split a page's text and parse its front matter.
fn parse_text(
    text: String,
    shown: &Path,
    stamp: Option<stamp::Stamp>,
    require: bool,
) -> Result<Parsed, Vec<Diagnostic>> {
    let split = match front_matter::split(&text) {
        Ok(split) => split,
        // Content from other tools: the whole file is the body.
        Err(front_matter::SplitError::Missing) if !require => front_matter::Split {
            yaml_start: 0,
            yaml_end: 0,
            body_start: 0,
        },
        Err(e) => {
            let (msg, hint) = match e {
                front_matter::SplitError::Missing => (
                    "page has no front matter",
                    "start the file with a `---` line, then `title: Your title`, then another `---` line \
                     (or remove `front_matter: required` from site.yaml)",
                ),
                front_matter::SplitError::Unterminated => (
                    "front matter is not closed",
                    "add a line with only `---` after the front matter",
                ),
                front_matter::SplitError::Toml => (
                    "this page starts with TOML front matter (`+++`), which docent does not read",
                    "write it as YAML between `---` lines (`title = \"X\"` becomes `title: \"X\"`), \
                     or convert a Hugo or Zola site with `docent import`",
                ),
            };
            return Err(vec![
                Diagnostic::new(Kind::MissingField, msg)
                    .at(shown, 1, 1, Some(&text))
                    .hint(hint),
            ]);
        }
    };
    let origin = yaml::Origin {
        path: shown,
        file_text: &text,
        // The lines before the YAML: the opening fence, and any blank
        // lines before it.
        line_offset: text[..split.yaml_start].matches('\n').count(),
    };
    let meta: FrontMatter = yaml::parse_all(&text[split.yaml_start..split.yaml_end], origin)?;
    // A page without a title takes the heading it starts with, which then
    // leaves the body (finish_page finds it again before the body).
    let mut body_start = split.body_start;
    if meta.title.is_none()
        && !require
        && let Some((_, end)) = front_matter::leading_heading(&text, body_start)
    {
        body_start = end;
    }
    let hash = crate::fingerprint::hash_text(&text);
    let myst = crate::myst::scan(&text[body_start..]).map(Box::new);
    Ok(Parsed {
        text,
        yaml_start: split.yaml_start,
        body_start,
        meta,
        hash,
        stamp,
        myst,
    })
}

/// A page file's text (or, from the rebuild cache, the part before its
/// body) and what was parsed from it.
struct Parsed {
    text: String,
    yaml_start: usize,
    body_start: usize,
    meta: FrontMatter,
    hash: String,
    stamp: Option<stamp::Stamp>,
    myst: Option<Box<crate::myst::Scan>>,
}

/// Check a loaded page's front matter and place it in the site.
fn finish_page(
    path: &Path,
    rel: &str,
    shown: PathBuf,
    parsed: Parsed,
    lean: bool,
    require: bool,
) -> Result<Page, Vec<Diagnostic>> {
    let Parsed {
        mut text,
        yaml_start,
        body_start,
        meta,
        hash,
        stamp,
        myst,
    } = parsed;
    let mut errors = Vec::new();
    let at_key = |key: &str, kind: Kind, msg: String, hint: &str| {
        let (line, col) = crate::site::front_matter_position(&text, yaml_start, body_start, key);
        Diagnostic::new(kind, msg)
            .at(&shown, line, col, Some(&text))
            .hint(hint.to_string())
    };
    if require && yaml_start == 0 {
        // (Also for a page taken unread from the last build's record, which
        // may have been made before the site required front matter.)
        return Err(vec![
            Diagnostic::new(Kind::MissingField, "page has no front matter")
                .at(&shown, 1, 1, Some(&text))
                .hint("start the file with a `---` line, then `title: Your title`, then another `---` line (or remove `front_matter: required` from site.yaml)"),
        ]);
    }
    let title = match meta.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t.to_string(),
        Some(_) => {
            errors.push(at_key(
                "title",
                Kind::MissingField,
                "`title` is empty".into(),
                "give the page a title",
            ));
            String::new()
        }
        None if !require => front_matter::title_in_front(&text[..body_start])
            .or_else(|| front_matter::title_from_file_name(rel))
            // The home page's file: load() gives it the site's title.
            .unwrap_or_default(),
        None => {
            errors.push(
                Diagnostic::new(Kind::MissingField, "page has no `title`")
                    .at(&shown, 1, 1, Some(&text))
                    .hint("add `title: Your title` to the front matter"),
            );
            String::new()
        }
    };
    for (key, value) in [
        ("date", &meta.date),
        ("updated", &meta.updated),
        ("last_reviewed", &meta.last_reviewed),
        ("next_review", &meta.next_review),
        ("current_to", &meta.current_to),
        (
            "updated",
            &meta.translates.as_ref().and_then(|t| t.updated.clone()),
        ),
    ] {
        if let Some(v) = value
            && let Err(why) = crate::date::parse(v)
        {
            errors.push(at_key(
                key,
                Kind::InvalidValue,
                format!("`{key}` is not a valid date: {why}"),
                "write dates as YYYY-MM-DD, e.g. 2024-08-09",
            ));
        }
    }
    for alias in &meta.aliases {
        if let Err(why) = crate::site::alias_out_path(alias) {
            errors.push(at_key(
                "aliases",
                Kind::InvalidValue,
                format!("alias `{alias}`: {why}"),
                "write old URLs as paths from the site's root, e.g. /old/page/",
            ));
        }
    }
    if let Some(extra) = &meta.extra
        && !extra.is_object()
    {
        errors.push(at_key(
            "extra",
            Kind::InvalidValue,
            "`extra` must be a map".into(),
            "indent `key: value` lines under `extra:`",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let kind = if rel == "_index.md" {
        PageKind::Home
    } else if rel.ends_with("/_index.md") {
        PageKind::Section
    } else {
        PageKind::Page
    };
    let (url_path, out_path) = walk::url_for(rel);
    let body_path = lean.then(|| {
        text.truncate(body_start);
        text.shrink_to_fit();
        path.to_path_buf()
    });
    Ok(Page {
        body_path,
        hash,
        stamp,
        kind,
        rel_path: rel.to_string(),
        shown_path: shown,
        body_offset: body_start,
        front_matter_offset: yaml_start,
        meta,
        title,
        url_path,
        out_path,
        parent: None,
        children: Vec::new(),
        position: 0,
        subsections: Vec::new(),
        generated: None,
        lang: 0,
        text,
        myst,
    })
}

fn synthesized_home(config: &SiteConfig) -> Page {
    page_without_file(
        PageKind::Home,
        "_index.md".into(),
        PathBuf::from("content/_index.md"),
        ("/".into(), "index.html".into()),
        config.title.clone(),
        FrontMatter::default(),
    )
}

/// A page docent makes with no file behind it (the home page of a site
/// without one, the generated pages): no text, no parent yet.
pub(super) fn page_without_file(
    kind: PageKind,
    rel_path: String,
    shown_path: PathBuf,
    (url_path, out_path): (String, String),
    title: String,
    meta: FrontMatter,
) -> Page {
    Page {
        kind,
        rel_path,
        shown_path,
        text: String::new(),
        body_path: None,
        hash: String::new(),
        stamp: None,
        body_offset: 0,
        front_matter_offset: 0,
        meta,
        title,
        url_path,
        out_path,
        parent: None,
        children: Vec::new(),
        position: 0,
        subsections: Vec::new(),
        generated: None,
        lang: 0,
        myst: None,
    }
}

/// Give the search page, the bibliography and glossary a page: an existing
/// page at `/search/`, `/references/` or `/glossary/` gets the list
/// appended, else docent adds one.
fn add_generated_pages(
    pages: &mut Vec<Page>,
    have_bibliography: bool,
    have_glossary: bool,
    have_search: bool,
    strings: &crate::i18n::Strings,
) {
    let wanted = [
        (have_search, Generated::Search, "search"),
        (have_bibliography, Generated::References, "references"),
        (have_glossary, Generated::Glossary, "glossary"),
    ];
    let mut at = urls(pages);
    for (wanted, kind, key) in wanted {
        let Some(slug) = kind.slug().filter(|_| wanted) else {
            continue;
        };
        let title = strings.get(&format!("{key}_title")).to_string();
        let description = strings.get(&format!("{key}_description")).to_string();
        let i = add_or_mark(
            pages,
            &mut at,
            kind,
            (format!("/{slug}/"), format!("{slug}/index.html")),
            format!("{slug}.md"),
            title,
            None,
        );
        if pages[i].hash.is_empty() {
            // Added by docent, not a page of the site's own.
            pages[i].meta.description = Some(description);
        }
    }
}

/// Each page's index by URL, for pages docent does not generate yet.
pub(super) fn urls(pages: &[Page]) -> HashMap<String, usize> {
    pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.generated.is_none())
        .map(|(i, p)| (p.url_path.clone(), i))
        .collect()
}

/// The index of the page at `url` (looked up in `at`, the pages by URL),
/// now marked as generating `kind`, or of a page docent adds there (a
/// `rel_path` of its own, titled `title`, under `parent`).
pub(super) fn add_or_mark(
    pages: &mut Vec<Page>,
    at: &mut HashMap<String, usize>,
    kind: Generated,
    (url_path, out_path): (String, String),
    rel_path: String,
    title: String,
    parent: Option<usize>,
) -> usize {
    if let Some(i) = at.remove(&url_path) {
        pages[i].generated = Some(kind);
        return i;
    }
    let shown = PathBuf::from(format!("<generated {rel_path} page>"));
    let meta = FrontMatter {
        glossary: Some(false),
        ..FrontMatter::default()
    };
    let mut page = page_without_file(
        PageKind::Page,
        rel_path,
        shown,
        (url_path, out_path),
        title,
        meta,
    );
    page.parent = parent;
    page.generated = Some(kind);
    pages.push(page);
    pages.len() - 1
}

/// `dir` for `dir/_index.md`, `` for `_index.md`.
fn section_dir(rel: &str) -> &str {
    rel.strip_suffix("_index.md")
        .map(|d| d.trim_end_matches('/'))
        .unwrap_or("")
}

/// The folder whose section a page belongs to: a bundle `a/b/index.md`
/// belongs with `a/`, like `a/b.md`.
fn owner_dir(p: &Page) -> &str {
    let rel = p.rel_path.as_str();
    let rel = if p.kind == PageKind::Section || rel.ends_with("/index.md") {
        rel.rsplit_once('/').map_or("", |(d, _)| d)
    } else {
        rel
    };
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Set `parent`, `children` and `subsections` from the folder structure.
fn link_sections(pages: &mut [Page]) {
    let sections: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section())
        .map(|(i, p)| {
            // A home may be an `index.md` (`es/index.md` is the Spanish
            // home): its folder, not the root's.
            let dir = if p.kind == PageKind::Home {
                p.rel_path.rsplit_once('/').map_or("", |(d, _)| d)
            } else {
                section_dir(&p.rel_path)
            };
            (dir.to_string(), i)
        })
        .collect();
    for i in 1..pages.len() {
        if pages[i].kind == PageKind::Home {
            // Another language's home: the top of its own tree.
            continue;
        }
        let mut dir = owner_dir(&pages[i]).to_string();
        let parent = loop {
            if let Some(&s) = sections.get(&dir) {
                break s;
            }
            match dir.rsplit_once('/') {
                Some((up, _)) => dir = up.to_string(),
                None if !dir.is_empty() => dir.clear(),
                None => break 0,
            }
        };
        pages[i].parent = Some(parent);
        if pages[i].is_section() {
            pages[parent].subsections.push(i);
        } else {
            pages[parent].children.push(i);
        }
    }
    for i in 0..pages.len() {
        let mut children = std::mem::take(&mut pages[i].children);
        children.sort_by(|&a, &b| order(&pages[a], &pages[b]));
        for (pos, &c) in children.iter().enumerate() {
            pages[c].position = pos;
        }
        pages[i].children = children;
        let mut subs = std::mem::take(&mut pages[i].subsections);
        subs.sort_by(|&a, &b| order(&pages[a], &pages[b]));
        pages[i].subsections = subs;
    }
}

/// Weight first (pages without one go last), then title, then path.
fn order(a: &Page, b: &Page) -> Ordering {
    let w = |p: &Page| p.meta.weight.unwrap_or(i64::MAX);
    w(a).cmp(&w(b))
        .then_with(|| a.title.to_lowercase().cmp(&b.title.to_lowercase()))
        .then_with(|| a.rel_path.cmp(&b.rel_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_dirs() {
        let mk = |rel: &str, kind| Page {
            kind,
            rel_path: rel.into(),
            ..synthesized_home(&test_config())
        };
        assert_eq!(owner_dir(&mk("a.md", PageKind::Page)), "");
        assert_eq!(owner_dir(&mk("s/a.md", PageKind::Page)), "s");
        assert_eq!(owner_dir(&mk("s/b/index.md", PageKind::Page)), "s");
        assert_eq!(owner_dir(&mk("s/t/_index.md", PageKind::Section)), "s");
        assert_eq!(section_dir("s/t/_index.md"), "s/t");
    }

    fn test_config() -> SiteConfig {
        SiteConfig::parse("title: T\n", Path::new("site.yaml")).unwrap()
    }
}
