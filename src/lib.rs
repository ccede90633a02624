//! docent: a static site generator for clear, cited, accessible health and
//! science explainers.
//!
//! The build runs in stages, one module each, in this order:
//! [`load`] (disk → [`site::Site`]), [`markdown`] (bodies → HTML + TOC),
//! [`render`] (Tera templates → pages) and [`write`] (output folder, only
//! after everything else succeeded). Markdown and templates run per page in
//! one parallel pass; into a missing or empty output folder pages are
//! written as they render, and removed again if the build fails.

pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod date;
pub mod embedded;
pub mod error;
pub mod feeds;
pub mod fingerprint;
#[doc(hidden)]
pub mod fuzz;
pub mod generated;
pub mod init;
pub mod isolate;
pub mod layers;
pub mod load;
pub mod markdown;
pub mod new;
pub mod output;
pub mod render;
pub mod review;
pub mod search;
pub mod serve;
pub mod site;
#[doc(hidden)]
pub mod stress;
pub mod text;
pub mod url;
pub mod util;
pub mod write;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use error::{Diagnostic, Error, Kind, Result};

/// What `docent build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holds site.yaml and content/).
    pub root: PathBuf,
    /// Output folder; `public/` under the root by default.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// Fail on warnings (pages past their review date), writing nothing.
    pub strict: bool,
    /// The date review checks compare against (`YYYY-MM-DD`); today by default.
    pub today: Option<String>,
    /// Counts pages as they render, for a progress display.
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
    /// Keep what `docent check` analyses (prose); builds skip it.
    pub analyze: bool,
    /// Reuse pages whose inputs did not change since the last build of the
    /// output folder.
    pub cache: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            base_url: None,
            strict: false,
            today: None,
            progress: None,
            analyze: false,
            cache: true,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub sections: usize,
    pub files: write::WriteReport,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// Problems that do not stop the build (unless `strict`).
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, for `--verbose`.
    pub timings: Vec<(&'static str, Duration)>,
    /// Pages whose output was kept from the last build (inputs unchanged).
    pub reused: usize,
    /// Pages loaded from the rebuild cache without reading their files.
    pub unread: usize,
}

impl BuildReport {
    /// `Built 14 pages, 3 sections in 0.21 s → public/`
    pub fn summary(&self) -> String {
        format!(
            "Built {} page{}, {} section{} in {:.2} s → {} ({} written, {} unchanged, {} removed)",
            self.pages,
            if self.pages == 1 { "" } else { "s" },
            self.sections,
            if self.sections == 1 { "" } else { "s" },
            self.elapsed.as_secs_f64(),
            shown_dir(&self.output),
            self.files.written,
            self.files.unchanged,
            self.files.removed,
        )
    }
}

/// `./public` → `public/`, for the summary line.
fn shown_dir(p: &Path) -> String {
    let s = p.display().to_string();
    let s = s.strip_prefix("./").unwrap_or(&s);
    if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    }
}

/// Load, render and write a site. Nothing in the output folder changes
/// unless every page rendered without error.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let out_dir = opts.output_dir();
    check_output_dir(&opts.root, &out_dir)?;
    // The next output is prepared beside the published one and swapped in
    // whole, only once every page rendered (write::Publisher). An output
    // that was missing or empty has nothing to compare with: pages are
    // streamed into the new folder as they render (low memory, writes
    // overlap rendering).
    let publisher = write::Publisher::open(&out_dir)?;
    let result = isolate::catch(None, "building the site", || build_into(opts, &publisher))
        .unwrap_or_else(|d| Err(Error::Build(vec![d])));
    if result.is_err() {
        publisher.abandon();
    }
    let (site, report, timings) = result?;
    Ok(BuildReport {
        pages: site.pages,
        sections: site.sections,
        files: report,
        output: out_dir,
        elapsed: start.elapsed(),
        warnings: site.warnings,
        timings,
        reused: site.reused,
        unread: site.site.unread,
    })
}

type Timings = Vec<(&'static str, Duration)>;

fn build_into(
    opts: &BuildOptions,
    publisher: &write::Publisher,
) -> Result<(RenderedSite, write::WriteReport, Timings)> {
    let existing = publisher.existing();
    let disks = existing.map(cache::Disk);
    let previous = disks
        .as_ref()
        .filter(|_| opts.cache)
        .map(|d| d as &dyn cache::Outputs);
    // What the last build loaded: unchanged page files are not read again.
    let sources = existing
        .filter(|_| opts.cache && !opts.analyze)
        .and_then(cache::sources::read)
        .map(std::sync::Arc::new);
    let mut site = render_pipeline(opts, previous, sources, publisher.stream_dir(), existing)?;
    if opts.strict && !site.warnings.is_empty() {
        return Err(Error::Build(std::mem::take(&mut site.warnings)));
    }
    let t = Instant::now();
    let report = publisher.publish(&site.files, &|dir| {
        if let Some(c) = &site.cache {
            // A cache that cannot be saved only costs the next build its shortcut.
            let _ = cache::save(dir, c);
            let _ = cache::sources::save(dir, &site.site.pages, site.sources.as_deref());
        }
    })?;
    let mut timings = std::mem::take(&mut site.timings);
    timings.push(("write", t.elapsed()));
    Ok((site, report, timings))
}

/// Everything a build would write, in memory, with the loaded site and the
/// markdown stage's results (which `check` inspects).
pub struct RenderedSite {
    pub files: Vec<write::OutputFile>,
    pub pages: usize,
    pub sections: usize,
    pub warnings: Vec<Diagnostic>,
    pub site: site::Site,
    pub rendered: Vec<markdown::Rendered>,
    pub timings: Vec<(&'static str, Duration)>,
    /// The rebuild cache to save once the output is written.
    pub cache: Option<cache::Cache>,
    /// Pages taken from the rebuild cache.
    pub reused: usize,
    /// The page files the last build loaded (see [`load::stamp`]).
    pub sources: Option<std::sync::Arc<load::stamp::Sources>>,
    /// The date the build took as today (`YYYY-MM-DD`), for date checks.
    pub today: String,
}

/// One page's result in the parallel page stage.
struct PageOut {
    rendered: markdown::Rendered,
    /// The page's HTML, when kept in memory.
    html: Option<render::HtmlFile>,
    /// Bytes written, when streamed to a fresh output folder.
    written: Option<u64>,
    /// What to write, when compared with an existing output folder.
    held: Option<write::Content>,
    /// The page's searchable text, when search is on.
    search: Option<search::Doc>,
    /// Problems on the page that do not stop the build.
    warnings: Vec<Diagnostic>,
}

/// How long each stage took, one line per stage, for `--verbose`.
pub fn timings_report(timings: &[(&'static str, Duration)]) -> String {
    timings
        .iter()
        .map(|(stage, t)| format!("  {stage:<10} {:>8.1} ms\n", t.as_secs_f64() * 1000.0))
        .collect()
}

/// Load and render the whole site without writing anything.
pub fn render_site(opts: &BuildOptions) -> Result<RenderedSite> {
    let out_dir = opts.output_dir();
    let disk = cache::Disk(&out_dir);
    render_site_with(opts, opts.cache.then_some(&disk as &dyn cache::Outputs))
}

/// Like [`render_site`], reusing pages of `previous` (a build's output and
/// its cache) whose inputs did not change; `None` renders everything.
pub fn render_site_with(
    opts: &BuildOptions,
    previous: Option<&dyn cache::Outputs>,
) -> Result<RenderedSite> {
    render_pipeline(opts, previous, None, None, None)
}

/// Like [`render_site_with`], also taking unchanged page files from
/// `sources` (the pages the last build loaded, see [`load::stamp`])
/// instead of reading them.
pub fn render_site_reusing(
    opts: &BuildOptions,
    previous: Option<&dyn cache::Outputs>,
    sources: Option<std::sync::Arc<load::stamp::Sources>>,
) -> Result<RenderedSite> {
    render_pipeline(opts, previous, sources, None, None)
}

/// The build pipeline; with `stream`, pages are written into that (fresh,
/// empty) output folder as they render instead of being kept in memory.
/// With `existing` (the output folder a build will update), each page is
/// compared with the file there as it renders and only changed pages are
/// held, compressed. `sources` are the page files the last build loaded:
/// those unchanged since are taken from there instead of being read.
fn render_pipeline(
    opts: &BuildOptions,
    previous: Option<&dyn cache::Outputs>,
    sources: Option<std::sync::Arc<load::stamp::Sources>>,
    stream: Option<&Path>,
    existing: Option<&Path>,
) -> Result<RenderedSite> {
    isolate::catch(None, "building the site", || {
        render_stages(opts, previous, sources, stream, existing)
    })
    .unwrap_or_else(|d| Err(Error::Build(vec![d])))
    .map_err(|e| match e {
        Error::Build(mut d) => {
            error::dedup(&mut d);
            Error::Build(d)
        }
        other => other,
    })
}

/// The stages of [`render_pipeline`], run under its panic isolation.
fn render_stages(
    opts: &BuildOptions,
    previous: Option<&dyn cache::Outputs>,
    sources: Option<std::sync::Arc<load::stamp::Sources>>,
    stream: Option<&Path>,
    existing: Option<&Path>,
) -> Result<RenderedSite> {
    let mut timings = Vec::new();
    let mut t = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, t.elapsed()));
        t = Instant::now();
    };
    let tick = || {
        if let Some(p) = &opts.progress {
            p.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    };
    let mut site = load::load(
        &opts.root,
        &load::LoadOptions {
            drafts: opts.drafts,
            base_url: opts.base_url.clone(),
            // `check` reads bodies after rendering; builds do not.
            lean: !opts.analyze,
            prior: sources.clone(),
        },
    )
    .map_err(Error::Build)?;
    markdown::glossary::attach(&mut site).map_err(Error::Build)?;

    lap("load", &mut timings);
    // Under --strict, pages past their review date fail the build before a
    // single page is rendered or streamed.
    if opts.strict {
        let today = opts.today.clone().unwrap_or_else(review::today);
        let overdue = review::overdue(&site, &today);
        if !overdue.is_empty() {
            return Err(Error::Build(overdue));
        }
    }
    let mut templates = render::theme::load(&site).map_err(Error::Build)?;
    lap("templates", &mut timings);
    // Output paths that one file needs as a file and another as a folder,
    // among pages, content files and static files, before any page is
    // streamed (the generated files are checked again with the rest below).
    let statics = render::theme::static_files(&site).map_err(Error::from)?;
    let early = write::conflicts(
        site.pages
            .iter()
            .map(|p| p.out_path.as_str())
            .chain(site.assets.iter().map(|a| a.out_path.as_str()))
            .chain(statics.iter().map(|(rel, _)| rel.as_str()))
            .chain([
                "404.html",
                "syntax.css",
                "atom.xml",
                "sitemap.xml",
                "robots.txt",
            ]),
        |path| output_source(&site, path),
    );
    if !early.is_empty() {
        return Err(Error::Build(early));
    }
    let mut errors = Vec::new();
    // The rebuild cache: pages whose inputs did not change keep their files.
    let outputs = previous.filter(|_| !opts.analyze);
    // A fresh output folder has no cache to reuse but gets one for next time.
    let use_cache = outputs.is_some() || (stream.is_some() && opts.cache && !opts.analyze);
    let global = use_cache.then(|| cache::global_key(&site, &templates, opts.drafts));
    let previous = global
        .as_deref()
        .zip(outputs)
        .and_then(|(g, o)| cache::load(o, g));
    // Markdown and templates per page, in parallel: a page's body HTML is
    // dropped as soon as its template has run, and when streaming to a fresh
    // output folder its file is written at once, so memory does not grow
    // with the site.
    render::prepare(&site, &mut templates);
    let renderer = render::Renderer::new(&site, &templates).map_err(|d| Error::Build(vec![d]))?;
    let mut warnings = Vec::new();
    let minify_on = site.config.minify;
    if minify_on && !cfg!(feature = "minify") {
        warnings.push(minify_unavailable());
    }
    let search_on = site.config.search;
    let results: Vec<std::result::Result<PageOut, Error>> = {
        let env = markdown::components::Env {
            site: &site,
            templates: &templates,
            analyze: opts.analyze,
        };
        let render_one = |i: usize, p: &site::Page| -> std::result::Result<PageOut, Error> {
            tick();
            let reuse = previous
                .as_ref()
                .filter(|_| p.generated.is_none())
                .and_then(|c| outputs.and_then(|o| c.reusable(&p.rel_path, &p.hash, o)));
            if let Some(e) = reuse {
                return Ok(PageOut {
                    rendered: markdown::Rendered {
                        cached: true,
                        cited: e.cited.clone(),
                        highlighted: e.highlighted,
                        ..markdown::Rendered::default()
                    },
                    html: None,
                    written: None,
                    held: None,
                    search: None,
                    warnings: Vec::new(),
                });
            }
            let mut r = markdown::render_page(&site, p, &env).map_err(Error::Build)?;
            let page_warnings = std::mem::take(&mut r.warnings);
            if p.generated.is_some() {
                // Rendered once every page's citations are known.
                return Ok(PageOut {
                    rendered: r,
                    html: None,
                    written: None,
                    held: None,
                    search: None,
                    warnings: page_warnings,
                });
            }
            let (html, search, r) = page_html(&site, &renderer, i, r, opts.analyze)?;
            let written = match stream {
                Some(dir) => Some(write::write_fresh(dir, &p.out_path, html.as_bytes())?),
                None => None,
            };
            if let Some(dir) = existing {
                let held = if write::same_as_existing(dir, &p.out_path, html.as_bytes()) {
                    write::Content::Unchanged(html.len() as u64)
                } else {
                    write::Content::compress(html.as_bytes())
                };
                return Ok(PageOut {
                    rendered: r,
                    html: None,
                    written: None,
                    held: Some(held),
                    search,
                    warnings: page_warnings,
                });
            }
            Ok(PageOut {
                rendered: r,
                html: written.is_none().then(|| render::HtmlFile {
                    out_path: p.out_path.clone(),
                    html,
                }),
                written,
                held: None,
                search,
                warnings: page_warnings,
            })
        };
        site.pages
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                // A bug hit by one page is reported against that page; the
                // others still render, so every error is reported at once.
                isolate::catch(Some(&p.shown_path), "rendering this page", || {
                    render_one(i, p)
                })
                .unwrap_or_else(|d| Err(Error::Build(vec![d])))
            })
            .collect()
    };
    let mut rendered = Vec::with_capacity(results.len());
    let mut html: Vec<render::HtmlFile> = Vec::new();
    let mut streamed: Vec<(usize, u64)> = Vec::new();
    let mut held: Vec<(usize, write::Content)> = Vec::new();
    let mut docs: Vec<search::Doc> = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(out) => {
                warnings.extend(out.warnings);
                rendered.push(out.rendered);
                docs.extend(out.search);
                html.extend(out.html);
                if let Some(len) = out.written {
                    streamed.push((i, len));
                }
                if let Some(c) = out.held {
                    held.push((i, c));
                }
            }
            Err(Error::Build(mut d)) => {
                errors.append(&mut d);
                rendered.push(markdown::Rendered::default());
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Build(errors));
    }
    lap("pages", &mut timings);
    // Generated pages (references, glossary, search) and the 404 page.
    generated::fill(&site, &mut rendered);
    for (i, p) in site.pages.iter().enumerate() {
        if p.generated.is_some() && !rendered[i].cached {
            match renderer.page(i, &rendered[i]) {
                Ok(h) => {
                    let h = if minify_on { minify(h) } else { h };
                    if search_on {
                        docs.extend(search_doc(&site, p, &h));
                    }
                    html.push(render::HtmlFile {
                        out_path: p.out_path.clone(),
                        html: h,
                    })
                }
                Err(d) => errors.push(d),
            }
        }
    }
    match renderer.not_found() {
        Some(Ok(h)) => html.push(render::HtmlFile {
            html: if minify_on { minify(h.html) } else { h.html },
            ..h
        }),
        Some(Err(d)) => errors.push(d),
        None => {}
    }
    if !errors.is_empty() {
        return Err(Error::Build(errors));
    }
    lap("generated", &mut timings);
    let all_cached = site
        .pages
        .iter()
        .zip(&rendered)
        .all(|(p, r)| r.cached || p.generated.is_some());
    let search_files = match &previous {
        // Nothing indexed changed: keep the index files.
        Some(prev)
            if site.config.search
                && all_cached
                && !prev.search.is_empty()
                && outputs.is_some_and(|o| prev.search.iter().all(|f| o.len(f).is_some())) =>
        {
            prev.search
                .iter()
                .map(|f| write::OutputFile {
                    path: f.clone(),
                    content: write::Content::Keep,
                })
                .collect()
        }
        _ if search_on => {
            // Pages reused from the cache keep their text from the earlier
            // index (their HTML is the same), or are read back if missing.
            let known = match outputs {
                Some(o) if rendered.iter().any(|r| r.cached) => search::previous(|f| o.read(f)),
                _ => Default::default(),
            };
            let reused: Vec<Option<search::Doc>> = site
                .pages
                .par_iter()
                .zip(&rendered)
                .filter(|(_, r)| r.cached)
                .map(|(p, _)| {
                    if p.generated == Some(site::Generated::Search) {
                        return Ok(None);
                    }
                    if let Some(d) = known.get(&site.url(p)).filter(|d| d.title == p.title) {
                        return Ok(Some(d.clone()));
                    }
                    outputs
                        .and_then(|o| o.read(&p.out_path))
                        .and_then(|b| String::from_utf8(b).ok())
                        .map(|html| search_doc(&site, p, &html))
                        .ok_or_else(|| {
                            Error::io(
                                format!("cannot read {}", p.out_path),
                                std::io::Error::from(std::io::ErrorKind::NotFound),
                            )
                        })
                })
                .collect::<Result<_>>()?;
            docs.extend(reused.into_iter().flatten());
            search::index(std::mem::take(&mut docs))
        }
        _ => Vec::new(),
    };
    lap("search", &mut timings);

    let mut files: Vec<write::OutputFile> = Vec::with_capacity(html.len() + site.assets.len() + 8);
    for (rel, source) in statics {
        let content = match source {
            render::theme::Source::Disk(p) => write::Content::Copy(p),
            render::theme::Source::Embedded(b) => write::Content::Static(b),
        };
        files.push(write::OutputFile { path: rel, content });
    }
    if rendered.iter().any(|r| r.highlighted) {
        files.push(write::OutputFile {
            path: "syntax.css".into(),
            content: write::Content::Bytes(markdown::highlight::stylesheet().into_bytes()),
        });
    }
    for a in &site.assets {
        files.push(write::OutputFile {
            path: a.out_path.clone(),
            content: write::Content::Copy(a.source.clone()),
        });
    }
    let search_paths: Vec<String> = search_files.iter().map(|f| f.path.clone()).collect();
    files.extend(search_files);
    for (p, r) in site.pages.iter().zip(&rendered) {
        if r.cached {
            files.push(write::OutputFile {
                path: p.out_path.clone(),
                content: write::Content::Keep,
            });
        }
    }
    files.extend(feeds::files(&site, &rendered));
    let streamed_paths: std::collections::HashSet<&str> = streamed
        .iter()
        .map(|&(i, _)| site.pages[i].out_path.as_str())
        .collect();
    for h in html {
        if streamed_paths.contains(h.out_path.as_str()) {
            continue;
        }
        files.push(write::OutputFile {
            path: h.out_path,
            content: write::Content::Bytes(h.html.into_bytes()),
        });
    }
    for &(i, len) in &streamed {
        files.push(write::OutputFile {
            path: site.pages[i].out_path.clone(),
            content: write::Content::Written(len),
        });
    }
    for (i, content) in held {
        files.push(write::OutputFile {
            path: site.pages[i].out_path.clone(),
            content,
        });
    }
    // Later entries win: content files over static files of the same path.
    let mut seen = std::collections::HashSet::new();
    files.reverse();
    files.retain(|f| seen.insert(f.path.clone()));
    files.reverse();
    let conflicts = write::conflicts(files.iter().map(|f| f.path.as_str()), |path| {
        output_source(&site, path)
    });
    if !conflicts.is_empty() {
        return Err(Error::Build(conflicts));
    }
    lap("files", &mut timings);

    let new_cache = global.map(|global| {
        let lens: std::collections::HashMap<&str, u64> = files
            .iter()
            .filter_map(|f| match &f.content {
                write::Content::Static(_) => None,
                c => c.known_len().map(|n| (f.path.as_str(), n)),
            })
            .collect();
        let mut pages = std::collections::BTreeMap::new();
        for (p, r) in site.pages.iter().zip(&rendered) {
            if p.generated.is_some() {
                continue;
            }
            let len = match lens.get(p.out_path.as_str()) {
                Some(&l) => l,
                None => match previous.as_ref().and_then(|c| c.pages.get(&p.rel_path)) {
                    Some(e) => e.len,
                    None => continue,
                },
            };
            pages.insert(
                p.rel_path.clone(),
                cache::Entry {
                    source: p.hash.clone(),
                    out: p.out_path.clone(),
                    len,
                    cited: r.cited.clone(),
                    highlighted: r.highlighted,
                },
            );
        }
        cache::Cache {
            version: env!("CARGO_PKG_VERSION").into(),
            global,
            pages,
            search: search_paths,
        }
    });
    lap("cache", &mut timings);
    let reused = rendered.iter().filter(|r| r.cached).count();
    let sections = site.pages.iter().filter(|p| p.is_section()).count();
    let today = opts.today.clone().unwrap_or_else(review::today);
    Ok(RenderedSite {
        files,
        pages: site.pages.len() - sections,
        sections,
        warnings: {
            // What loading found (site.warnings) stays with the site too,
            // for check to label.
            warnings.splice(0..0, site.warnings.iter().cloned());
            warnings.extend(review::overdue(&site, &today));
            warnings
        },
        site,
        rendered,
        timings,
        cache: new_cache,
        reused,
        sources,
        today,
    })
}

/// The final HTML of page `i` (not a generated page: those wait for every
/// page's citations) from its rendered Markdown, minified if the site asks;
/// its searchable text when search is on; and of the rendered Markdown,
/// unless `analyze` keeps all of it, only what later stages need: citations
/// (for the references page) and highlighting (for syntax.css).
pub(crate) fn page_html(
    site: &site::Site,
    renderer: &render::Renderer,
    i: usize,
    mut r: markdown::Rendered,
    analyze: bool,
) -> Result<(String, Option<search::Doc>, markdown::Rendered)> {
    let html = renderer.page(i, &r).map_err(|d| Error::Build(vec![d]))?;
    let html = if site.config.minify {
        minify(html)
    } else {
        html
    };
    let search = site
        .config
        .search
        .then(|| search_doc(site, &site.pages[i], &html))
        .flatten();
    if !analyze {
        r = markdown::Rendered {
            cited: std::mem::take(&mut r.cited),
            highlighted: r.highlighted,
            ..markdown::Rendered::default()
        };
    }
    Ok((html, search, r))
}

/// What an output path is made from, for messages: the content file, the
/// theme's or the site's static file, or docent itself.
fn output_source(site: &site::Site, path: &str) -> (String, Option<PathBuf>) {
    if let Some(p) = site.pages.iter().find(|p| p.out_path == path) {
        let shown = p.shown_path.clone();
        return (shown.display().to_string(), Some(shown));
    }
    if site.by_asset.contains_key(path) {
        let shown = Path::new("content").join(path);
        return (shown.display().to_string(), Some(shown));
    }
    let own = site.root.join("static").join(path);
    if own.is_file() {
        let shown = Path::new("static").join(path);
        return (shown.display().to_string(), Some(shown));
    }
    (
        format!("docent's {path} (from the theme or generated)"),
        None,
    )
}

/// A page's entry in the search index: its URL, title and body text.
/// The search page itself is not indexed.
pub(crate) fn search_doc(site: &site::Site, page: &site::Page, html: &str) -> Option<search::Doc> {
    (page.generated != Some(site::Generated::Search)).then(|| search::Doc {
        url: site.url(page),
        title: page.title.clone(),
        text: search::extract::body_text(html),
    })
}

/// Minify one page (the `minify` feature), keeping it valid HTML.
#[cfg(feature = "minify")]
pub(crate) fn minify(html: String) -> String {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        keep_comments: false,
        minify_css: true,
        minify_js: false,
        ..minify_html::Cfg::default()
    };
    String::from_utf8(minify_html::minify(html.as_bytes(), &cfg)).unwrap_or(html)
}

#[cfg(not(feature = "minify"))]
pub(crate) fn minify(html: String) -> String {
    html
}

/// The warning for `minify: true` in a docent built without minification.
fn minify_unavailable() -> Diagnostic {
    Diagnostic::new(
        Kind::InvalidValue,
        "this docent was built without minification; pages are written unminified",
    )
    .file(Path::new(config::CONFIG_FILE))
    .hint("remove `minify: true`, or build docent with `--features minify`")
}

/// Refuse output folders that would overwrite the sources.
fn check_output_dir(root: &Path, out: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Canonicalize the longest existing ancestor so symlinks and `..` resolve.
        let mut existing = p.as_path();
        let mut tail = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    tail.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut base = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        for t in tail.iter().rev() {
            base.push(t);
        }
        base
    };
    let root = abs(root);
    let out = abs(out);
    let protected = ["content", "themes", "templates", "static"].map(|d| root.join(d));
    let bad = out == root
        || root.starts_with(&out)
        || protected
            .iter()
            .any(|p| out.starts_with(p) || p.starts_with(&out));
    if bad {
        return Err(Error::Usage(format!(
            "refusing to write the site into {}: it holds (or is inside) the site's sources",
            out.display()
        )));
    }
    Ok(())
}
