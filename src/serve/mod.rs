//! `docent serve`: build in memory, serve on loopback, watch the sources,
//! rebuild on change and reload open tabs over server-sent events.
//!
//! Nothing is written to disk: the last good build is served from memory
//! (`http.rs`), so a broken edit never takes the site down. A failed build
//! (or a bug that panics while rebuilding) shows its error in the terminal
//! and as an overlay in the browser, which goes away with the next good
//! build. The reload script is added to HTML responses only; `docent
//! build` output never contains it.
//!
//! Rebuilds are incremental with the same rebuild cache as `docent build`
//! (see [`crate::cache`]), kept in memory: a page is re-rendered unless its
//! source is byte-identical and nothing site-wide (config, templates, data,
//! bibliography, glossary, site structure) changed; any doubt means a full
//! render. `--no-cache` renders everything on every change.

mod http;
mod quick;
mod watch;

use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use bytes::Bytes;

use crate::error::{Error, Result};
use crate::{BuildOptions, write};

pub use http::{EVENTS, SCRIPT};

/// What `docent serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    pub open: bool,
    pub quiet: bool,
    /// Print how long each stage of every rebuild took.
    pub verbose: bool,
    /// Re-render only pages whose inputs changed.
    pub incremental: bool,
    /// Host names answered besides `localhost` and IP addresses.
    pub allow_hosts: Vec<String>,
}

/// Run the server until the process is stopped.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let listener = TcpListener::bind(SocketAddr::new(opts.bind, opts.port))
        .map_err(|e| Error::Usage(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("cannot read the server address", e))?;
    let url = format!("http://{addr}/");
    let hub = Arc::new(http::Hub::new(&opts.allow_hosts));
    let mut rebuilder = Rebuilder {
        hub: hub.clone(),
        build: BuildOptions {
            root: opts.root.clone(),
            output: None,
            drafts: opts.drafts,
            base_url: Some(url.clone()),
            strict: false,
            today: None,
            progress: None,
            analyze: false,
            cache: opts.incremental,
        },
        quiet: opts.quiet,
        verbose: opts.verbose,
        cache: None,
        sources: None,
        retained: None,
        assets: HashMap::new(),
    };
    // Taken before the first build, so an edit made while it runs (or right
    // after the server is up) is not missed.
    // Watched as an absolute path: file events name files by it (from
    // `.`, the default, they came as `content/x.md` and matched nothing).
    let watched = std::path::absolute(&opts.root).unwrap_or_else(|_| opts.root.clone());
    let watching = watch::Watch::start(&watched);
    rebuilder.run(
        Instant::now(),
        &watch::Changes {
            summary: "initial build".into(),
            paths: None,
        },
    );
    crate::output::out(&format!(
        "Serving {} at {url} (Ctrl+C to stop)\n",
        opts.root.display()
    ));
    if opts.open
        && let Err(e) = open::that_detached(&url)
    {
        crate::output::err(&format!(
            "cannot open a browser ({e}); open {url} yourself\n"
        ));
    }
    std::thread::spawn(move || {
        watching.run(&watched, |started, what| rebuilder.run(started, &what))
    });
    http::run(listener, hub).map_err(|e| Error::io("the server stopped", e))
}

/// Rebuilds the site on the watching thread and hands each good build to
/// the server.
struct Rebuilder {
    hub: Arc<http::Hub>,
    build: BuildOptions,
    quiet: bool,
    verbose: bool,
    /// The rebuild cache of the build being served.
    cache: Option<crate::cache::Cache>,
    /// The page files that build loaded: unchanged ones are not read again.
    sources: Option<Arc<crate::load::stamp::Sources>>,
    /// The site that build loaded, for a quick rebuild after body edits;
    /// `None` after a failed rebuild.
    retained: Option<quick::Retained>,
    /// Files copied from the site (images, PDFs), read once and kept while
    /// their size and modification time stay the same.
    assets: HashMap<PathBuf, (u64, Option<SystemTime>, Bytes)>,
}

/// The served build, as the previous output of the next one.
struct Memory<'a> {
    cache: Option<crate::cache::Cache>,
    files: &'a HashMap<Arc<str>, Bytes>,
}

impl crate::cache::Outputs for Memory<'_> {
    fn cache(&self) -> Option<crate::cache::Cache> {
        self.cache.clone()
    }
    fn len(&self, path: &str) -> Option<u64> {
        self.files.get(path).map(|b| b.len() as u64)
    }
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.files.get(path).map(|b| b.to_vec())
    }
}

impl Rebuilder {
    /// Build and serve the result, or keep the last good site and show the
    /// error; a panic anywhere in here is shown the same way, and the next
    /// change rebuilds again.
    fn run(&mut self, start: Instant, changes: &watch::Changes) {
        let what = &changes.summary;
        let outcome =
            crate::isolate::catch(None, "rebuilding the site", || match self.quick(changes) {
                Some(done) => Ok(done),
                None => self.rebuild(),
            });
        let text = match outcome {
            Ok(Ok((pages, reused))) => {
                if !self.quiet {
                    crate::output::out(&format!(
                        "Rebuilt {} of {pages} pages in {} ms ({what})\n",
                        pages - reused,
                        start.elapsed().as_millis()
                    ));
                }
                return;
            }
            Ok(Err(e)) => e.to_string(),
            Err(internal) => {
                // Nothing of the failed rebuild is kept: the next one starts afresh.
                self.cache = None;
                self.sources = None;
                Error::Build(vec![internal]).to_string()
            }
        };
        // The next rebuild is a full one, and reports every error there is.
        self.retained = None;
        crate::output::err(&format!(
            "{text}\n(the last good build is still being served; {what})\n"
        ));
        self.hub.show_error(&text);
    }

    /// A quick rebuild after edits to page bodies only (see [`quick`]):
    /// the number of pages and of pages not rendered, or `None` when the
    /// full rebuild must run.
    fn quick(&mut self, changes: &watch::Changes) -> Option<(usize, usize)> {
        let paths = changes.paths.as_ref()?;
        let (retained, cache) = (self.retained.as_mut()?, self.cache.as_mut()?);
        let t = Instant::now();
        let served = self.hub.current();
        if served.error.is_some() {
            return None;
        }
        let update = quick::rebuild(retained, cache, paths, &served.files)?;
        let rendered_in = t.elapsed();
        for w in &update.warnings {
            crate::output::err(&w.render("warning"));
        }
        let pages = retained.site.pages.len();
        if !update.files.is_empty() || !update.removed.is_empty() {
            let t = Instant::now();
            let mut files = served.files.clone();
            for path in &update.removed {
                files.remove(path.as_str());
            }
            files.extend(update.files.into_iter().map(|(p, b)| (Arc::from(p), b)));
            let files_in = t.elapsed();
            let t = Instant::now();
            self.hub.publish(http::Served {
                files,
                base_path: served.base_path.clone(),
                error: None,
            });
            if self.verbose {
                crate::output::err(&crate::timings_report(&[
                    ("quick", rendered_in),
                    ("files", files_in),
                    ("serve", t.elapsed()),
                ]));
            }
        }
        // Edited pages are read again by the next full rebuild.
        if let Some(sources) = &mut self.sources {
            let sources = Arc::make_mut(sources);
            for p in paths.iter().filter_map(|p| p.strip_prefix("content/")) {
                sources.remove(p);
            }
        }
        Some((pages, pages - update.rendered))
    }

    /// One rebuild: the number of pages and of pages reused.
    fn rebuild(&mut self) -> Result<(usize, usize)> {
        let served = self.hub.current();
        let memory = self.build.cache.then(|| Memory {
            cache: self.cache.clone(),
            files: &served.files,
        });
        let previous = memory.as_ref().map(|m| m as &dyn crate::cache::Outputs);
        let sources = self.sources.clone().filter(|_| self.build.cache);
        let t = Instant::now();
        let mut site = crate::render_site_reusing(&self.build, previous, sources)?;
        let rendered_in = t.elapsed();
        let t = Instant::now();
        let mut reused = site.reused;
        let files = match self.served_files(std::mem::take(&mut site.files), &served.files)? {
            Some(files) => files,
            // A reused page the served build no longer has: render it all.
            None => {
                site = crate::render_site_with(&self.build, None)?;
                reused = 0;
                let empty = HashMap::new();
                self.served_files(std::mem::take(&mut site.files), &empty)?
                    .unwrap_or_default()
            }
        };
        for w in &site.warnings {
            crate::output::err(&w.render("warning"));
        }
        // Serve first; what only the next rebuild needs comes after.
        site.timings.push(("files", t.elapsed()));
        site.timings.push(("whole", rendered_in));
        let t = Instant::now();
        self.hub.publish(http::Served {
            files,
            base_path: site.site.config.base_path().to_string(),
            error: None,
        });
        if self.verbose {
            site.timings.push(("serve", t.elapsed()));
            crate::output::err(&crate::timings_report(&site.timings));
        }
        self.cache = site.cache.take();
        self.sources = self
            .build
            .cache
            .then(|| Arc::new(crate::cache::sources::of_pages(&site.site.pages)));
        let pages = site.site.pages.len();
        self.retained = self
            .build
            .cache
            .then(|| quick::Retained::new(site.site, site.own));
        Ok((pages, reused))
    }

    /// The files to serve: the new output, with reused pages taken from
    /// the old build (`None` if one is missing there) and files copied from
    /// the site read now.
    fn served_files(
        &mut self,
        files: Vec<write::OutputFile>,
        old: &HashMap<Arc<str>, Bytes>,
    ) -> Result<Option<HashMap<Arc<str>, Bytes>>> {
        let mut out = HashMap::with_capacity(files.len());
        let mut used = std::collections::HashSet::new();
        for f in files {
            let body = match f.content {
                write::Content::Bytes(b) => Bytes::from(b),
                write::Content::Static(b) => Bytes::from_static(b),
                write::Content::Copy(p) => {
                    let bytes = self.asset(&p)?;
                    used.insert(p);
                    bytes
                }
                write::Content::Keep => match old.get(f.path.as_str()) {
                    Some(b) => b.clone(),
                    None => return Ok(None),
                },
                // serve never streams to disk or compares with it.
                write::Content::Written(_)
                | write::Content::Unchanged(_)
                | write::Content::Compressed(..) => return Ok(None),
            };
            out.insert(Arc::from(f.path), body);
        }
        // Files the site no longer has are not kept in memory.
        self.assets.retain(|p, _| used.contains(p));
        Ok(Some(out))
    }

    /// A file of the site to serve as it is, read once: only a regular
    /// file, never through a link, and never waiting on a FIFO.
    fn asset(&mut self, path: &std::path::Path) -> Result<Bytes> {
        let fail = |e| Error::io(format!("cannot read {}", path.display()), e);
        let mut file = open_regular(path).map_err(fail)?;
        let meta = file.metadata().map_err(fail)?;
        let stamp = (meta.len(), meta.modified().ok());
        if let Some((len, mtime, bytes)) = self.assets.get(path)
            && (*len, *mtime) == stamp
        {
            return Ok(bytes.clone());
        }
        let mut buf = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut buf).map_err(fail)?;
        let bytes = Bytes::from(buf);
        self.assets
            .insert(path.to_path_buf(), (stamp.0, stamp.1, bytes.clone()));
        Ok(bytes)
    }
}

/// Open `path` for reading if it is a regular file (not a link, a FIFO or
/// a device).
fn open_regular(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // No link followed; a FIFO opens at once instead of blocking.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}
