//! docent: a static site generator for clear, cited, accessible health and
//! science explainers.
//!
//! The build runs in stages, one module each, in this order:
//! [`load`] (disk → [`site::Site`]), [`markdown`] (bodies → HTML + TOC),
//! [`render`] (Tera templates → pages) and [`write`] (output folder, only
//! after everything else succeeded). Markdown and templates run per page in
//! one parallel pass; into a missing or empty output folder pages are
//! written as they render, and removed again if the build fails.

// Items are pub(crate) unless the binary, the tests or the examples use
// them: an item nothing outside can reach must say so.
#![warn(unreachable_pub)]

pub(crate) mod cache;
pub mod check;
pub mod cli;
pub(crate) mod config;
pub(crate) mod confine;
pub(crate) mod date;
pub(crate) mod embedded;
pub mod error;
pub(crate) mod feeds;
pub(crate) mod fingerprint;
#[doc(hidden)]
pub mod fuzz;
pub(crate) mod generated;
pub(crate) mod i18n;
pub(crate) mod images;
pub mod import;
pub mod init;
pub(crate) mod isolate;
#[cfg(test)]
mod layers;
pub mod load;
pub mod markdown;
pub mod myst;
pub mod new;
pub mod output;
pub(crate) mod render;
pub mod review;
pub mod search;
pub mod serve;
pub(crate) mod site;
#[doc(hidden)]
pub mod stress;
pub(crate) mod text;
pub(crate) mod translation;
pub(crate) mod url;
pub(crate) mod util;
pub(crate) mod write;
pub(crate) mod yaml;

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
    let sink: &dyn write::sink::PageSink = match (publisher.stream_dir(), existing) {
        (Some(fresh), _) => &write::sink::Stream(fresh),
        (None, Some(dir)) => &write::sink::Compare(dir),
        (None, None) => &write::sink::Memory,
    };
    let mut site = render_pipeline(opts, previous, sources, sink)?;
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
    /// Output paths of the site's own files (content/ and static/): at
    /// such a path docent writes none of the files it generates.
    pub own: std::collections::HashSet<String>,
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
    render_pipeline(opts, previous, None, &write::sink::Memory)
}

/// Like [`render_site_with`], also taking unchanged page files from
/// `sources` (the pages the last build loaded, see [`load::stamp`])
/// instead of reading them.
pub fn render_site_reusing(
    opts: &BuildOptions,
    previous: Option<&dyn cache::Outputs>,
    sources: Option<std::sync::Arc<load::stamp::Sources>>,
) -> Result<RenderedSite> {
    render_pipeline(opts, previous, sources, &write::sink::Memory)
}

/// The build pipeline, under panic isolation, with errors deduplicated.
/// `sink` takes each page as it renders (see [`write::sink`]); `sources`
/// are the page files the last build loaded, taken instead of reading
/// those unchanged since.
fn render_pipeline(
    opts: &BuildOptions,
    previous: Option<&dyn cache::Outputs>,
    sources: Option<std::sync::Arc<load::stamp::Sources>>,
    sink: &dyn write::sink::PageSink,
) -> Result<RenderedSite> {
    isolate::catch(None, "building the site", || {
        render_stages(opts, previous, sources, sink)
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

/// How long each stage took.
struct Laps {
    timings: Timings,
    since: Instant,
}

impl Laps {
    fn start() -> Laps {
        Laps {
            timings: Vec::new(),
            since: Instant::now(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        self.timings.push((stage, self.since.elapsed()));
        self.since = Instant::now();
    }
}

/// The stages of [`render_pipeline`], in the order the data flows.
fn render_stages(
    opts: &BuildOptions,
    previous: Option<&dyn cache::Outputs>,
    sources: Option<std::sync::Arc<load::stamp::Sources>>,
    sink: &dyn write::sink::PageSink,
) -> Result<RenderedSite> {
    let mut laps = Laps::start();
    let site = load_site(opts, sources.clone())?;
    laps.lap("load");
    let (mut templates, statics) = theme(&site)?;
    laps.lap("templates");
    // The rebuild cache: pages whose inputs did not change keep their files.
    let reuse = cache::Reuse::new(
        &site,
        &templates,
        opts.drafts,
        previous.filter(|_| !opts.analyze),
        sink.is_fresh() && opts.cache && !opts.analyze,
    );
    render::prepare(&site, &mut templates);
    let renderer = render::Renderer::new(&site, &templates).map_err(|d| Error::Build(vec![d]))?;
    let images = images::Images::new(&site);
    let mut pages = render_pages(opts, &site, &templates, &renderer, &reuse, sink, &images)?;
    laps.lap("pages");
    let image_files = image_stage(&site, &images, &reuse, &pages.rendered, !opts.analyze)?;
    laps.lap("images");
    let generated = generated_pages(&site, &renderer, &mut pages);
    laps.lap("generated");
    // The search pages (lists of every page) are rendered while the index
    // is made: both read every page, and the index's serial steps leave a
    // core free. When the generated pages failed, the search pages are
    // still rendered, so the build reports their problems too.
    let docs = std::mem::take(&mut pages.docs);
    let (search_pages, search_files) = if generated.is_ok() {
        rayon::join(
            || search_pages(&site, &renderer, &pages.rendered),
            || search_stage(&site, &reuse, &pages.rendered, docs),
        )
    } else {
        (
            search_pages(&site, &renderer, &pages.rendered),
            Ok(Vec::new()),
        )
    };
    let generated = all_of(generated, search_pages)?;
    let search_files = search_files?;
    let search_paths = search_files.iter().map(|f| f.path.clone()).collect();
    laps.lap("search");
    let image_paths: Vec<String> = image_files.iter().map(|f| f.path.clone()).collect();
    let own = own_files(&site, &statics);
    let files = output_files(
        &site,
        &templates,
        &own,
        statics,
        &mut pages,
        generated,
        search_files.into_iter().chain(image_files).collect(),
    )?;
    laps.lap("files");
    let cache = reuse.entries(&site, &pages.rendered, &files, search_paths, &image_paths);
    laps.lap("cache");
    let reused = pages.rendered.iter().filter(|r| r.cached).count();
    let sections = site.pages.iter().filter(|p| p.is_section()).count();
    let today = opts.today.clone().unwrap_or_else(review::today);
    // What loading found (site.warnings) stays with the site too, for
    // check to label.
    let mut warnings = site.warnings.clone();
    warnings.append(&mut pages.warnings);
    warnings.extend(review::overdue(&site, &today));
    Ok(RenderedSite {
        files,
        pages: site.pages.len() - sections,
        sections,
        warnings,
        site,
        rendered: pages.rendered,
        timings: laps.timings,
        cache,
        reused,
        sources,
        today,
        own,
    })
}

/// Stage ①: the site, with its glossary; under `--strict`, pages past
/// their review date fail the build before a page is rendered.
fn load_site(
    opts: &BuildOptions,
    prior: Option<std::sync::Arc<load::stamp::Sources>>,
) -> Result<site::Site> {
    let load_opts = load::LoadOptions {
        drafts: opts.drafts,
        base_url: opts.base_url.clone(),
        // `check` reads bodies after rendering; builds do not.
        lean: !opts.analyze,
        prior,
    };
    let mut site = load::load(&opts.root, &load_opts).map_err(Error::Build)?;
    markdown::glossary::attach(&mut site).map_err(Error::Build)?;
    if opts.strict {
        let today = opts.today.clone().unwrap_or_else(review::today);
        let overdue = review::overdue(&site, &today);
        if !overdue.is_empty() {
            return Err(Error::Build(overdue));
        }
    }
    Ok(site)
}

/// The theme's templates and static files. Output paths that one file
/// needs as a file and another as a folder, among pages, content files and
/// static files, are refused here, before any page is streamed (all
/// outputs are checked again in [`output_files`]).
fn theme(site: &site::Site) -> Result<(render::Templates, Vec<(String, render::theme::Source)>)> {
    let templates = render::theme::load(site).map_err(Error::Build)?;
    let statics = render::theme::static_files(site).map_err(Error::Build)?;
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
        |path| output_source(site, path),
    );
    if !early.is_empty() {
        return Err(Error::Build(early));
    }
    Ok((templates, statics))
}

/// What the page stage made of every page.
struct Pages {
    /// Per page, in site order (kept pages as their cache entries).
    rendered: Vec<markdown::Rendered>,
    /// The output of each page rendered here, by page index, as the sink
    /// took it (generated pages are not among them).
    outputs: Vec<(usize, write::Content)>,
    /// Searchable text of the pages rendered here, when search is on.
    docs: Vec<search::Doc>,
    /// Problems that do not stop the build.
    warnings: Vec<Diagnostic>,
}

/// One page's result in the parallel page stage.
struct PageOut {
    rendered: markdown::Rendered,
    /// What the sink made of the page's HTML (none when the page is kept
    /// or generated).
    output: Option<write::Content>,
    /// The page's searchable text, when search is on.
    search: Option<search::Doc>,
    /// Problems on the page that do not stop the build.
    warnings: Vec<Diagnostic>,
}

/// Stage ②③: Markdown and templates for every page, in parallel. A page's
/// body HTML is dropped as soon as its template has run and the sink has
/// taken it, so memory need not grow with the site. Every page's errors
/// are reported at once.
fn render_pages(
    opts: &BuildOptions,
    site: &site::Site,
    templates: &render::Templates,
    renderer: &render::Renderer,
    reuse: &cache::Reuse,
    sink: &dyn write::sink::PageSink,
    images: &images::Images,
) -> Result<Pages> {
    let env = markdown::components::Env {
        site,
        templates,
        analyze: opts.analyze,
        images: Some(images),
    };
    let results: Vec<Result<PageOut>> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            if let Some(progress) = &opts.progress {
                progress.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            // A bug hit by one page is reported against that page; the
            // others still render.
            isolate::catch(Some(&p.shown_path), "rendering this page", || {
                render_one(site, &env, renderer, reuse, sink, i, opts.analyze)
            })
            .unwrap_or_else(|d| Err(Error::Build(vec![d])))
        })
        .collect();
    let mut pages = Pages {
        rendered: Vec::with_capacity(results.len()),
        outputs: Vec::new(),
        docs: Vec::new(),
        warnings: Vec::new(),
    };
    if site.config.minify && !cfg!(feature = "minify") {
        pages.warnings.push(minify_unavailable());
    }
    let mut errors = Vec::new();
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(out) => {
                pages.warnings.extend(out.warnings);
                pages.rendered.push(out.rendered);
                pages.docs.extend(out.search);
                pages.outputs.extend(out.output.map(|c| (i, c)));
            }
            Err(Error::Build(mut d)) => {
                errors.append(&mut d);
                pages.rendered.push(markdown::Rendered::default());
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Build(errors));
    }
    Ok(pages)
}

/// Page `i`: kept from the last build, or rendered and handed to `sink`
/// (a generated page only has its Markdown rendered here: its list waits
/// for every page's citations).
fn render_one(
    site: &site::Site,
    env: &markdown::components::Env,
    renderer: &render::Renderer,
    reuse: &cache::Reuse,
    sink: &dyn write::sink::PageSink,
    i: usize,
    analyze: bool,
) -> Result<PageOut> {
    let p = &site.pages[i];
    if let Some(e) = reuse.kept(site, i) {
        return Ok(PageOut {
            rendered: markdown::Rendered {
                cached: true,
                cited: e.cited.clone(),
                highlighted: e.highlighted,
                variants: e.images.clone(),
                warnings: e.warnings.clone(),
                ..markdown::Rendered::default()
            },
            output: None,
            search: None,
            // Its problems are still there: said again.
            warnings: e.warnings.clone(),
        });
    }
    let r = markdown::render_page(site, p, env).map_err(Error::Build)?;
    // Reported now, and kept in the page's cache entry for builds that
    // keep the page.
    let warnings = r.warnings.clone();
    if p.generated.is_some() {
        return Ok(PageOut {
            rendered: r,
            output: None,
            search: None,
            warnings,
        });
    }
    let (html, search, rendered) = page_html(site, renderer, i, r, analyze)?;
    Ok(PageOut {
        rendered,
        output: Some(sink.take(&p.out_path, html)?),
        search,
        warnings,
    })
}

/// The resized variants of the images pages show (`src/images.rs`): made
/// in parallel, or kept from the last build's output when it has them;
/// without `encode` (check) only decoded.
fn image_stage(
    site: &site::Site,
    images: &images::Images,
    reuse: &cache::Reuse,
    rendered: &[markdown::Rendered],
    encode: bool,
) -> Result<Vec<write::OutputFile>> {
    let keep = |path: &str| reuse.kept_image(path);
    let made = images::make(images, site, &keep, encode).map_err(Error::Build)?;
    let mut seen: std::collections::HashSet<String> =
        made.iter().map(|m| m.out_path.clone()).collect();
    let mut files: Vec<write::OutputFile> = made
        .into_iter()
        .map(|m| write::OutputFile {
            path: m.out_path,
            content: match m.bytes {
                Some(b) => write::Content::Bytes(b),
                None => write::Content::Keep,
            },
        })
        .collect();
    // Pages kept from the last build point at files no page asked for
    // here (the cache checked they are there).
    for r in rendered.iter().filter(|r| r.cached) {
        for v in &r.variants {
            if seen.insert(v.clone()) {
                files.push(write::OutputFile {
                    path: v.clone(),
                    content: write::Content::Keep,
                });
            }
        }
    }
    Ok(files)
}

/// Stage ④: the generated pages (references, glossary, lists), now that
/// every page's citations are known, and the 404 page.
fn generated_pages(
    site: &site::Site,
    renderer: &render::Renderer,
    pages: &mut Pages,
) -> Result<Vec<render::HtmlFile>> {
    generated::fill(site, &mut pages.rendered, renderer.templates())
        .map_err(|d| Error::Build(vec![d]))?;
    // In parallel: a site with many tags has a page per term.
    let wanted: Vec<usize> = (0..site.pages.len())
        .filter(|&i| {
            let p = &site.pages[i];
            p.generated.is_some()
                && p.generated != Some(site::Generated::Search)
                && !pages.rendered[i].cached
        })
        .collect();
    let rendered = &pages.rendered;
    let made: Vec<std::result::Result<(render::HtmlFile, Option<search::Doc>), Diagnostic>> =
        wanted
            .par_iter()
            .map(|&i| {
                let p = &site.pages[i];
                let h = as_written(site, renderer.page(i, &rendered[i])?);
                let doc = if site.config.search {
                    search_doc(site, p, &h)
                } else {
                    None
                };
                let file = render::HtmlFile {
                    out_path: p.out_path.clone(),
                    html: h,
                };
                Ok((file, doc))
            })
            .collect();
    let mut html = Vec::with_capacity(made.len());
    let mut errors = Vec::new();
    for m in made {
        match m {
            Ok((file, doc)) => {
                pages.docs.extend(doc);
                html.push(file);
            }
            Err(d) => errors.push(d),
        }
    }
    match listing_pages(site, renderer) {
        Ok(mut more) => html.append(&mut more),
        Err(mut d) => errors.append(&mut d),
    }
    match renderer.not_found() {
        Some(Ok(h)) => html.push(render::HtmlFile {
            html: as_written(site, h.html),
            ..h
        }),
        Some(Err(d)) => errors.push(d),
        None => {}
    }
    if !errors.is_empty() {
        return Err(Error::Build(errors));
    }
    Ok(html)
}

/// The search pages (one per language): the search form and a list of
/// every page. They are not indexed.
fn search_pages(
    site: &site::Site,
    renderer: &render::Renderer,
    rendered: &[markdown::Rendered],
) -> Result<Vec<render::HtmlFile>> {
    let mut html = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        if p.generated != Some(site::Generated::Search) || rendered[i].cached {
            continue;
        }
        let mut r = rendered[i].clone();
        r.html
            .push_str(&generated::search(site, renderer.templates(), i).map_err(one)?);
        let h = renderer.page(i, &r).map_err(one)?;
        html.push(render::HtmlFile {
            out_path: p.out_path.clone(),
            html: as_written(site, h),
        });
    }
    Ok(html)
}

/// The files of both, or the problems of both: a build names every broken
/// template it meets, not the first.
fn all_of<T>(a: Result<Vec<T>>, b: Result<Vec<T>>) -> Result<Vec<T>> {
    match (a, b) {
        (Ok(mut a), Ok(b)) => {
            a.extend(b);
            Ok(a)
        }
        (Err(Error::Build(mut a)), Err(Error::Build(b))) => {
            a.extend(b);
            Err(Error::Build(a))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// An error of one diagnostic.
fn one(d: Diagnostic) -> Error {
    Error::Build(vec![d])
}

/// The second and later listing pages (`page/2/`, …) of every section and
/// term whose list is longer than one page. Rendered on every build:
/// they hold no text of their own, only titles and descriptions of
/// other pages.
fn listing_pages(
    site: &site::Site,
    renderer: &render::Renderer,
) -> std::result::Result<Vec<render::HtmlFile>, Vec<Diagnostic>> {
    let wanted: Vec<(usize, usize)> = (0..site.pages.len())
        .flat_map(|i| (2..=site.listing_pages(i)).map(move |n| (i, n)))
        .collect();
    let results: Vec<std::result::Result<render::HtmlFile, Diagnostic>> = wanted
        .par_iter()
        .map(|&(i, n)| {
            let p = &site.pages[i];
            let mut r = markdown::Rendered::default();
            match p.generated {
                Some(site::Generated::Term(t, k)) => {
                    r.html = generated::term(site, renderer.templates(), i, t, k, n)?;
                }
                Some(site::Generated::Taxonomy(t)) => {
                    r.html = generated::taxonomy(site, renderer.templates(), i, t, n)?;
                }
                _ => {}
            }
            let html = renderer.listing_page(i, &r, n)?;
            Ok(render::HtmlFile {
                out_path: site::pager_path(&p.url_path, &p.out_path, n).1,
                html: as_written(site, html),
            })
        })
        .collect();
    let (ok, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(|r| r.is_ok());
    if errors.is_empty() {
        Ok(ok.into_iter().filter_map(|r| r.ok()).collect())
    } else {
        Err(errors.into_iter().filter_map(|r| r.err()).collect())
    }
}

/// Stage ⑤: the search index from the pages' text: kept whole when no
/// page was rendered; otherwise kept pages' text is taken from the last
/// index (their HTML is the same) or extracted again from their files.
fn search_stage(
    site: &site::Site,
    reuse: &cache::Reuse,
    rendered: &[markdown::Rendered],
    mut docs: Vec<search::Doc>,
) -> Result<Vec<write::OutputFile>> {
    if !site.config.search {
        return Ok(Vec::new());
    }
    let all_kept = site
        .pages
        .iter()
        .zip(rendered)
        .all(|(p, r)| r.cached || p.generated.is_some());
    if all_kept && let Some(kept) = reuse.search_files() {
        return Ok(kept
            .iter()
            .map(|f| write::OutputFile {
                path: f.clone(),
                content: write::Content::Keep,
            })
            .collect());
    }
    let outputs = reuse.outputs();
    let known = match outputs {
        Some(o) if rendered.iter().any(|r| r.cached) => previous_search_docs(site, |f| o.read(f)),
        _ => Default::default(),
    };
    let reused: Vec<Option<search::Doc>> = site
        .pages
        .par_iter()
        .zip(rendered)
        .filter(|(p, r)| r.cached && p.generated != Some(site::Generated::Search))
        .map(|(p, _)| {
            if let Some(d) = known.get(&site.url(p)).filter(|d| d.title == p.title) {
                return Ok(Some(d.clone()));
            }
            outputs
                .and_then(|o| o.read(&p.out_path))
                .and_then(|b| String::from_utf8(b).ok())
                .map(|html| search_doc(site, p, &html))
                .ok_or_else(|| {
                    Error::io(
                        format!("cannot read {}", p.out_path),
                        std::io::Error::from(std::io::ErrorKind::NotFound),
                    )
                })
        })
        .collect::<Result<_>>()?;
    docs.extend(reused.into_iter().flatten());
    rank_search_docs(site, &mut docs);
    Ok(search_index_files(site, docs))
}

/// The pages of the last build's search indexes (every language's), by
/// URL, read with `read`.
pub(crate) fn previous_search_docs(
    site: &site::Site,
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
) -> rustc_hash::FxHashMap<String, search::Doc> {
    site.languages
        .iter()
        .flat_map(|l| search::previous_in(&read, &search_dir(site, l)))
        .collect()
}

/// The search index files of `docs` (ranked): one index per language.
pub(crate) fn search_index_files(
    site: &site::Site,
    docs: Vec<search::Doc>,
) -> Vec<write::OutputFile> {
    if !site.is_multilingual() {
        return search::index(docs, &site.config.language);
    }
    // One index per language: a reader's search never mixes languages.
    let lang_of: rustc_hash::FxHashMap<String, usize> =
        site.pages.iter().map(|p| (site.url(p), p.lang)).collect();
    let mut by_lang: Vec<Vec<search::Doc>> = site.languages.iter().map(|_| Vec::new()).collect();
    let last = by_lang.len() - 1;
    for d in docs {
        let k = lang_of.get(&d.url).copied().unwrap_or(0);
        by_lang[k.min(last)].push(d);
    }
    let mut files = vec![search::script_file()];
    for (language, docs) in site.languages.iter().zip(by_lang) {
        files.extend(search::index_in(
            docs,
            &language.code,
            &search_dir(site, language),
        ));
    }
    files
}

/// The output folder of a language's search index: `index/` under its
/// search page (`search/index`, `es/search/index`).
fn search_dir(site: &site::Site, language: &site::Language) -> String {
    let page = language
        .search
        .map_or("search/index.html", |i| site.pages[i].out_path.as_str());
    format!("{}index", page.strip_suffix("index.html").unwrap_or(page))
}

/// The output paths of the site's own files: its content files and its
/// `static/` files. A file the site has at the path of one docent generates
/// (404.html, syntax.css, feeds, sitemaps, the search index and script) is
/// published as it is, in `build` and in `serve`'s quick rebuilds alike:
/// the site's author put it there.
fn own_files(
    site: &site::Site,
    statics: &[(String, render::theme::Source)],
) -> std::collections::HashSet<String> {
    let own_static = site.root.join("static");
    site.assets
        .iter()
        .map(|a| a.out_path.clone())
        .chain(statics.iter().filter_map(|(rel, source)| match source {
            render::theme::Source::Disk(p) if p.starts_with(&own_static) => Some(rel.clone()),
            _ => None,
        }))
        .collect()
}

/// Stage ⑥: every output file, in the order later entries win (content
/// files over static files of the same path), checked for paths needed
/// both as a file and as a folder.
fn output_files(
    site: &site::Site,
    templates: &render::Templates,
    own: &std::collections::HashSet<String>,
    statics: Vec<(String, render::theme::Source)>,
    pages: &mut Pages,
    generated: Vec<render::HtmlFile>,
    search_files: Vec<write::OutputFile>,
) -> Result<Vec<write::OutputFile>> {
    let mut files: Vec<write::OutputFile> =
        Vec::with_capacity(site.pages.len() + site.assets.len() + statics.len() + 8);
    let generated_files = |made: Vec<write::OutputFile>| {
        made.into_iter()
            .filter(|f| !own.contains(f.path.as_str()))
            .collect::<Vec<_>>()
    };
    let mut generated = generated;
    generated.retain(|h| h.out_path != "404.html" || !own.contains("404.html"));
    let search_files = generated_files(search_files);
    let feeds = generated_files(feeds::files(site, templates).map_err(|d| Error::Build(vec![d]))?);
    let highlighted = pages.rendered.iter().any(|r| r.highlighted) && !own.contains("syntax.css");
    for (rel, source) in statics {
        let content = match source {
            render::theme::Source::Disk(p) => write::Content::Copy(p),
            render::theme::Source::Embedded(b) => write::Content::Static(b),
        };
        files.push(write::OutputFile { path: rel, content });
    }
    if highlighted {
        files.push(write::OutputFile {
            path: "syntax.css".into(),
            content: write::Content::Bytes(markdown::highlight::stylesheet().as_bytes().to_vec()),
        });
    }
    for a in &site.assets {
        files.push(write::OutputFile {
            path: a.out_path.clone(),
            content: write::Content::Copy(a.source.clone()),
        });
    }
    files.extend(redirects(site, templates).map_err(|d| Error::Build(vec![d]))?);
    files.extend(search_files);
    for (p, r) in site.pages.iter().zip(&pages.rendered) {
        if r.cached {
            files.push(write::OutputFile {
                path: p.out_path.clone(),
                content: write::Content::Keep,
            });
        }
    }
    files.extend(feeds);
    for (i, content) in std::mem::take(&mut pages.outputs) {
        files.push(write::OutputFile {
            path: site.pages[i].out_path.clone(),
            content,
        });
    }
    for h in generated {
        files.push(write::OutputFile {
            path: h.out_path,
            content: write::Content::Bytes(h.html.into_bytes()),
        });
    }
    let mut seen = std::collections::HashSet::new();
    files.reverse();
    files.retain(|f| seen.insert(f.path.clone()));
    files.reverse();
    let conflicts = write::conflicts(files.iter().map(|f| f.path.as_str()), |path| {
        output_source(site, path)
    });
    if !conflicts.is_empty() {
        return Err(Error::Build(conflicts));
    }
    Ok(files)
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
    let html = as_written(site, html);
    let search = site
        .config
        .search
        .then(|| search_doc(site, &site.pages[i], &html))
        .flatten();
    if !analyze {
        // What the cache entry and the generated pages need.
        r = markdown::Rendered {
            cited: std::mem::take(&mut r.cited),
            highlighted: r.highlighted,
            variants: std::mem::take(&mut r.variants),
            warnings: std::mem::take(&mut r.warnings),
            ..markdown::Rendered::default()
        };
    }
    Ok((html, search, r))
}

/// What an output path is made from, for messages: the content file, the
/// theme's or the site's static file, or docent itself.
/// A page per alias (an old URL of a page, front matter `aliases`) that
/// sends readers and search engines on to the page (`redirect.html`).
fn redirects(
    site: &site::Site,
    templates: &render::Templates,
) -> std::result::Result<Vec<write::OutputFile>, Diagnostic> {
    #[derive(serde::Serialize)]
    struct Redirect<'a> {
        /// The page's URL path (readers go there on the same host).
        url: String,
        /// Its absolute URL when base_url has a host (else the path).
        canonical: String,
        title: &'a str,
    }
    let mut out = Vec::new();
    for page in site.pages.iter().filter(|p| !p.meta.aliases.is_empty()) {
        let url = site.url(page);
        let canonical = if site.config.base_url.contains("://") {
            site::join_url(&site.config.base_url, &page.url_path)
        } else {
            url.clone()
        };
        let redirect = Redirect {
            url,
            canonical,
            title: &page.title,
        };
        let html = templates
            .render_in("redirect.html", "redirect", &redirect, page.lang)
            .map_err(|d| {
                d.note(format!(
                    "while writing the aliases of {}",
                    page.shown_path.display()
                ))
            })?;
        for alias in &page.meta.aliases {
            // Checked when the page was loaded.
            if let Ok(path) = site::alias_out_path(alias) {
                out.push(write::OutputFile {
                    path,
                    content: write::Content::Bytes(html.clone().into_bytes()),
                });
            }
        }
    }
    Ok(out)
}

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

/// A page's entry in the search index, from its HTML (rank 0: see
/// [`rank_search_docs`]); generated pages (references, glossary) are
/// listings, ranked below content. The search page itself is not indexed.
pub(crate) fn search_doc(site: &site::Site, page: &site::Page, html: &str) -> Option<search::Doc> {
    (page.generated != Some(site::Generated::Search)).then(|| {
        search::Doc::from_html(
            site.url(page),
            page.title.clone(),
            0,
            page.generated.is_some(),
            html,
        )
    })
}

/// Gives each page's search entry its place in the navigation.
pub(crate) fn rank_search_docs(site: &site::Site, docs: &mut [search::Doc]) {
    let order = site.nav_order();
    let rank: rustc_hash::FxHashMap<String, usize> = site
        .pages
        .iter()
        .zip(order)
        .map(|(p, r)| (site.url(p), r))
        .collect();
    for d in docs {
        d.rank = rank.get(&d.url).copied().unwrap_or(usize::MAX);
    }
}

/// A rendered page as written: minified when the site asks (`minify: true`).
pub(crate) fn as_written(site: &site::Site, html: String) -> String {
    if site.config.minify {
        minify(html)
    } else {
        html
    }
}

/// Minify one page (the `minify` feature), keeping it valid HTML.
#[cfg(feature = "minify")]
fn minify(html: String) -> String {
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
fn minify(html: String) -> String {
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
