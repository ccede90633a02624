//! docent: a static site generator for clear, cited, accessible health and
//! science explainers.
//!
//! The build runs in stages, one module each, in this order:
//! [`load`] (disk → [`site::Site`]), [`markdown`] (bodies → HTML + TOC),
//! [`render`] (Tera templates → pages) and [`write`] (output folder, only
//! after everything else succeeded).

pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod embedded;
pub mod error;
pub mod feeds;
pub mod generated;
pub mod init;
pub mod load;
pub mod markdown;
pub mod new;
pub mod output;
pub mod render;
pub mod review;
#[cfg(feature = "search")]
pub mod search;
pub mod serve;
pub mod site;
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
    let site = render_site(opts)?;
    if opts.strict && !site.warnings.is_empty() {
        return Err(Error::Build(site.warnings));
    }
    let t = Instant::now();
    let report = write::sync(&out_dir, &site.files)?;
    if let Some(c) = &site.cache {
        // A cache that cannot be saved only costs the next build its shortcut.
        let _ = cache::save(&out_dir, c);
    }
    let mut timings = site.timings;
    timings.push(("write", t.elapsed()));
    Ok(BuildReport {
        pages: site.pages,
        sections: site.sections,
        files: report,
        output: out_dir,
        elapsed: start.elapsed(),
        warnings: site.warnings,
        timings,
        reused: site.reused,
    })
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
    let site = load::load(
        &opts.root,
        &load::LoadOptions {
            drafts: opts.drafts,
            base_url: opts.base_url.clone(),
        },
    )
    .map_err(Error::Build)?;

    lap("load", &mut timings);
    let mut templates = render::theme::load(&site).map_err(Error::Build)?;
    lap("templates", &mut timings);
    let mut errors = Vec::new();
    // The rebuild cache: pages whose inputs did not change keep their files.
    let outputs = previous.filter(|_| !opts.analyze);
    let use_cache = outputs.is_some();
    let global = use_cache.then(|| cache::global_key(&site, &templates, opts.drafts));
    let previous = global
        .as_deref()
        .zip(outputs)
        .and_then(|(g, o)| cache::load(o, g));
    let hashes: Vec<String> = if use_cache {
        site.pages
            .par_iter()
            .map(|p| cache::hash_text(&p.text))
            .collect()
    } else {
        Vec::new()
    };
    let mut rendered: Vec<markdown::Rendered> = {
        let env = markdown::components::Env {
            site: &site,
            templates: &templates,
            analyze: opts.analyze,
        };
        site.pages
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                tick();
                let reuse = previous
                    .as_ref()
                    .filter(|_| p.generated.is_none())
                    .and_then(|c| outputs.and_then(|o| c.reusable(&p.rel_path, &hashes[i], o)));
                match reuse {
                    Some(e) => Ok(markdown::Rendered {
                        cached: true,
                        cited: e.cited.clone(),
                        highlighted: e.highlighted,
                        ..markdown::Rendered::default()
                    }),
                    None => markdown::render_page(&site, p, &env),
                }
            })
            .collect::<Vec<_>>()
            .into_iter()
            .filter_map(|r| r.map_err(|mut e| errors.append(&mut e)).ok())
            .collect()
    };
    if !errors.is_empty() {
        return Err(Error::Build(errors));
    }
    generated::fill(&site, &mut rendered);
    lap("markdown", &mut timings);
    let html = render::render_all(&site, &rendered, &mut templates).map_err(Error::Build)?;
    lap("render", &mut timings);
    let mut warnings = Vec::new();
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
        _ if site.config.search => {
            // Pages reused from the cache are read back from the output folder.
            let mut pages: Vec<render::HtmlFile> = Vec::new();
            for (p, r) in site.pages.iter().zip(&rendered) {
                if r.cached {
                    let html = outputs
                        .and_then(|o| o.read(&p.out_path))
                        .and_then(|b| String::from_utf8(b).ok())
                        .ok_or_else(|| {
                            Error::io(
                                format!("cannot read {}", p.out_path),
                                std::io::Error::from(std::io::ErrorKind::NotFound),
                            )
                        })?;
                    pages.push(render::HtmlFile {
                        out_path: p.out_path.clone(),
                        html,
                    });
                }
            }
            // A stable order, so an incremental build indexes like a full one.
            let mut all: Vec<&render::HtmlFile> = html.iter().chain(pages.iter()).collect();
            all.sort_by(|a, b| a.out_path.cmp(&b.out_path));
            search_index(&site, &all, &mut warnings)?
        }
        _ => Vec::new(),
    };
    lap("search", &mut timings);

    let mut files: Vec<write::OutputFile> = Vec::with_capacity(html.len() + site.assets.len() + 8);
    for (rel, source) in render::theme::static_files(&site).map_err(Error::from)? {
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
    for h in html {
        let html = if site.config.minify {
            minify(h.html, &mut warnings)
        } else {
            h.html
        };
        files.push(write::OutputFile {
            path: h.out_path,
            content: write::Content::Bytes(html.into_bytes()),
        });
    }
    // Later entries win: content files over static files of the same path.
    let mut seen = std::collections::HashSet::new();
    files.reverse();
    files.retain(|f| seen.insert(f.path.clone()));
    files.reverse();

    let new_cache = global.map(|global| {
        let lens: std::collections::HashMap<&str, u64> = files
            .iter()
            .filter_map(|f| match &f.content {
                write::Content::Bytes(b) => Some((f.path.as_str(), b.len() as u64)),
                _ => None,
            })
            .collect();
        let mut pages = std::collections::BTreeMap::new();
        for (i, (p, r)) in site.pages.iter().zip(&rendered).enumerate() {
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
                    source: hashes[i].clone(),
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
    let reused = rendered.iter().filter(|r| r.cached).count();
    let sections = site.pages.iter().filter(|p| p.is_section()).count();
    let today = opts.today.clone().unwrap_or_else(review::today);
    Ok(RenderedSite {
        files,
        pages: site.pages.len() - sections,
        sections,
        warnings: {
            warnings.extend(review::overdue(&site, &today));
            warnings
        },
        site,
        rendered,
        timings,
        cache: new_cache,
        reused,
    })
}

/// Build the search index from the rendered pages (not the 404 page).
#[cfg(feature = "search")]
fn search_index(
    site: &site::Site,
    html: &[&render::HtmlFile],
    _warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<write::OutputFile>> {
    let pages: Vec<(String, &str)> = html
        .iter()
        .filter(|h| h.out_path != "404.html")
        // Pagefind adds the base path itself (from where pagefind.js is served).
        .map(|h| {
            (
                format!("/{}", h.out_path.trim_end_matches("index.html")),
                h.html.as_str(),
            )
        })
        .collect();
    search::index(&site.config.language, &pages).map_err(Error::from)
}

#[cfg(not(feature = "search"))]
fn search_index(
    _: &site::Site,
    _: &[&render::HtmlFile],
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<write::OutputFile>> {
    warnings.push(
        Diagnostic::new(
            Kind::InvalidValue,
            "this docent was built without search; the site has no search index",
        )
        .file(Path::new(config::CONFIG_FILE))
        .hint(
            "set `search: false` in site.yaml, or build docent with the default `search` feature",
        ),
    );
    Ok(Vec::new())
}

/// Minify one page (the `minify` feature), keeping it valid HTML.
#[cfg(feature = "minify")]
fn minify(html: String, _warnings: &mut Vec<Diagnostic>) -> String {
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
fn minify(html: String, warnings: &mut Vec<Diagnostic>) -> String {
    if warnings
        .iter()
        .all(|w| !w.message.contains("without minification"))
    {
        warnings.push(
            Diagnostic::new(
                Kind::InvalidValue,
                "this docent was built without minification; pages are written unminified",
            )
            .file(Path::new(config::CONFIG_FILE))
            .hint("remove `minify: true`, or build docent with `--features minify`"),
        );
    }
    html
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
