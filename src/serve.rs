//! `docent serve`: build in memory, serve on loopback, watch the sources,
//! rebuild on change and reload open tabs over server-sent events.
//!
//! Nothing is written to disk: the last good build is served from memory,
//! so a broken edit never takes the site down. A failed build shows its
//! located error in the terminal and as an overlay in the browser, which
//! goes away with the next good build. The reload script is added to HTML
//! responses here only; `docent build` output never contains it.
//!
//! Rebuilds are incremental with the same rebuild cache as `docent build`
//! (see [`crate::cache`]), kept in memory: a page is re-rendered unless its
//! source is byte-identical and nothing site-wide (config, templates, data,
//! bibliography, glossary, site structure) changed; any doubt means a full
//! render. `--no-cache` renders everything on every change.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::error::{Error, Result};
use crate::{BuildOptions, write};

pub const EVENTS: &str = "/__docent/events";
pub const SCRIPT: &str = "/__docent/reload.js";

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
    /// Re-render only pages whose inputs changed.
    pub incremental: bool,
}

enum Body {
    Bytes(Arc<Vec<u8>>),
    Disk(PathBuf),
}

#[derive(Default)]
struct State {
    files: HashMap<String, Body>,
    /// Path prefix the site is served under (`/` or `/guide/`).
    base_path: String,
    error: Option<String>,
    clients: Vec<TcpStream>,
    /// The rebuild cache of the build being served.
    cache: Option<crate::cache::Cache>,
}

/// The served build, as the previous output of the next one.
struct Memory {
    cache: Option<crate::cache::Cache>,
    files: HashMap<String, Arc<Vec<u8>>>,
}

impl crate::cache::Outputs for Memory {
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

impl Memory {
    fn of(state: &Shared) -> Memory {
        let s = state.lock().unwrap_or_else(|p| p.into_inner());
        Memory {
            cache: s.cache.clone(),
            files: s
                .files
                .iter()
                .filter_map(|(k, v)| match v {
                    Body::Bytes(b) => Some((k.clone(), b.clone())),
                    Body::Disk(_) => None,
                })
                .collect(),
        }
    }
}

type Shared = Arc<Mutex<State>>;

/// Run the server until the process is stopped.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let listener = TcpListener::bind(SocketAddr::new(opts.bind, opts.port))
        .map_err(|e| Error::Usage(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("cannot read the server address", e))?;
    let url = format!("http://{addr}/");
    let state: Shared = Arc::new(Mutex::new(State::default()));

    let build = BuildOptions {
        root: opts.root.clone(),
        output: None,
        drafts: opts.drafts,
        base_url: Some(url.clone()),
        strict: false,
        today: None,
        progress: None,
        analyze: false,
        cache: opts.incremental,
    };
    let start = Instant::now();
    let incremental = opts.incremental;
    // Taken before the first build, so an edit made while it runs (or right
    // after the server is up) is not missed.
    let first = snapshot(&opts.root);
    rebuild(
        &state,
        &build,
        opts.quiet,
        incremental,
        start,
        "initial build",
    );
    crate::output::out(&format!(
        "Serving {} at {url} (Ctrl+C to stop)\n",
        opts.root.display()
    ));
    let _ = std::io::stdout().flush();
    if opts.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }

    {
        let state = state.clone();
        let root = opts.root.clone();
        let quiet = opts.quiet;
        std::thread::spawn(move || watch(&root, first, &state, &build, quiet, incremental));
    }
    for stream in listener.incoming().flatten() {
        let state = state.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &state);
        });
    }
    Ok(())
}

/// Build and swap in the result, or keep the last good site and show the error.
fn rebuild(
    state: &Shared,
    build: &BuildOptions,
    quiet: bool,
    incremental: bool,
    start: Instant,
    what: &str,
) {
    let previous = incremental.then(|| Memory::of(state));
    let result = crate::render_site_with(
        build,
        previous.as_ref().map(|m| m as &dyn crate::cache::Outputs),
    )
    .and_then(|site| {
        let empty = HashMap::new();
        let old = previous.as_ref().map_or(&empty, |m| &m.files);
        match served_files(site.files, old) {
            Some(files) => Ok((site.site, site.warnings, site.cache, site.reused, files)),
            // A reused page the served build no longer has: render it all.
            None => crate::render_site_with(build, None).map(|site| {
                let files = served_files(site.files, &empty).unwrap_or_default();
                (site.site, site.warnings, site.cache, 0, files)
            }),
        }
    });
    match result {
        Ok((site, warnings, cache, reused, files)) => {
            let base_path = site.config.base_path().to_string();
            for w in &warnings {
                crate::output::err(&w.render("warning"));
            }
            if !quiet {
                let total = site.pages.len();
                crate::output::out(&format!(
                    "Rebuilt {} of {total} pages in {} ms ({what})\n",
                    total - reused,
                    start.elapsed().as_millis()
                ));
            }
            let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
            s.files = files;
            s.base_path = base_path;
            s.cache = cache;
            s.error = None;
            broadcast(&mut s, "reload", "ok");
        }
        Err(e) => {
            let text = e.to_string();
            crate::output::err(&format!(
                "{text}\n(the last good build is still being served; {what})\n"
            ));
            let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
            s.error = Some(text.clone());
            broadcast(&mut s, "error", &text);
        }
    }
}

/// The files to serve: new output, with reused pages taken from the old
/// build. `None` if a reused file is missing from it.
fn served_files(
    files: Vec<write::OutputFile>,
    old: &HashMap<String, Arc<Vec<u8>>>,
) -> Option<HashMap<String, Body>> {
    files
        .into_iter()
        .map(|f| {
            let body = match f.content {
                write::Content::Bytes(b) => Body::Bytes(Arc::new(b)),
                write::Content::Static(b) => Body::Bytes(Arc::new(b.to_vec())),
                write::Content::Copy(p) => Body::Disk(p),
                write::Content::Keep => Body::Bytes(old.get(&f.path)?.clone()),
                // serve never streams to disk or compares with it.
                write::Content::Written(_)
                | write::Content::Unchanged(_)
                | write::Content::Compressed(..) => return None,
            };
            Some((f.path, body))
        })
        .collect()
}

fn broadcast(s: &mut State, event: &str, data: &str) {
    let payload = sse(event, data);
    s.clients.retain_mut(|c| {
        c.write_all(payload.as_bytes())
            .and_then(|()| c.flush())
            .is_ok()
    });
}

fn sse(event: &str, data: &str) -> String {
    let mut out = format!("event: {event}\n");
    for line in data.lines() {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    if data.is_empty() {
        out.push_str("data:\n");
    }
    out.push('\n');
    out
}

/// Modification time and size of every file that affects the build.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Option<SystemTime>, u64)> {
    let mut map = BTreeMap::new();
    let single = [root.join(crate::config::CONFIG_FILE)];
    let dirs = ["content", "themes", "templates", "static"].map(|d| root.join(d));
    for f in &single {
        if let Ok(m) = std::fs::metadata(f) {
            map.insert(f.clone(), (m.modified().ok(), m.len()));
        }
    }
    for dir in &dirs {
        for e in walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(|e| e.ok())
        {
            if e.file_type().is_dir() {
                map.insert(e.path().to_path_buf(), (None, 0));
                continue;
            }
            let name = e.file_name().to_string_lossy();
            // Editors' swap and backup files do not change the site.
            if name.ends_with('~')
                || name.ends_with(".swp")
                || name.ends_with(".swx")
                || name.starts_with(".#")
            {
                continue;
            }
            if let Ok(m) = e.metadata() {
                map.insert(e.path().to_path_buf(), (m.modified().ok(), m.len()));
            }
        }
    }
    map
}

/// Poll the sources; after a change settles, rebuild.
fn watch(
    root: &Path,
    first: BTreeMap<PathBuf, (Option<SystemTime>, u64)>,
    state: &Shared,
    build: &BuildOptions,
    quiet: bool,
    incremental: bool,
) {
    let mut last = first;
    let mut pause = Duration::from_millis(150);
    loop {
        std::thread::sleep(pause);
        let walked = Instant::now();
        let now = snapshot(root);
        // Polling stays under a fifth of a core: on a small site every
        // 150 ms, on a huge one (where a walk takes long) less often.
        pause = Duration::from_millis(150).max(walked.elapsed() * 4);
        if now == last {
            continue;
        }
        let started = Instant::now();
        // Debounce: wait until nothing changed for 100 ms (editors write in steps).
        let mut settled = now;
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let again = snapshot(root);
            if again == settled {
                break;
            }
            settled = again;
        }
        let changed = describe_changes(root, &last, &settled);
        last = settled;
        rebuild(
            state,
            build,
            quiet,
            incremental,
            started,
            &format!("changed: {changed}"),
        );
    }
}

fn describe_changes(
    root: &Path,
    old: &BTreeMap<PathBuf, (Option<SystemTime>, u64)>,
    new: &BTreeMap<PathBuf, (Option<SystemTime>, u64)>,
) -> String {
    let mut names = Vec::new();
    for (p, v) in new {
        match old.get(p) {
            None => names.push(format!("+{}", rel(root, p))),
            Some(o) if o != v => names.push(rel(root, p)),
            _ => {}
        }
    }
    for p in old.keys().filter(|p| !new.contains_key(*p)) {
        names.push(format!("-{}", rel(root, p)));
    }
    let n = names.len();
    names.truncate(3);
    let mut s = names.join(", ");
    if n > 3 {
        s.push_str(&format!(" and {} more", n - 3));
    }
    s
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

/// The script added to served HTML: reload on a good build, overlay on a bad one.
const RELOAD_JS: &str = r#"(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "docent-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,0,0,.92);color:#fff;padding:1.5rem;font:14px/1.5 ui-monospace,monospace";
      var h = document.createElement("p");
      h.textContent = "docent: the last change broke the build. This page is the last good version.";
      h.style.fontWeight = "bold";
      var pre = document.createElement("pre");
      pre.style.whiteSpace = "pre-wrap";
      overlay.appendChild(h);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }
  var es = new EventSource("/__docent/events");
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("error", function (e) { if (e.data) show(e.data); });
})();
"#;

fn handle(mut stream: TcpStream, state: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            405,
            "text/plain",
            b"only GET and HEAD",
            method == "HEAD",
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = crate::url::decode(path);
    if path == EVENTS {
        stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n")?;
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        let hello = match &s.error {
            Some(e) => sse("error", e),
            None => sse("hello", "ok"),
        };
        stream.write_all(hello.as_bytes())?;
        stream.flush()?;
        stream.set_read_timeout(None)?;
        s.clients.push(stream);
        return Ok(());
    }
    if path == SCRIPT {
        return respond(
            &mut stream,
            200,
            "text/javascript; charset=utf-8",
            RELOAD_JS.as_bytes(),
            method == "HEAD",
        );
    }
    let (status, file, body) = {
        let s = state.lock().unwrap_or_else(|p| p.into_inner());
        let rel = path
            .strip_prefix(s.base_path.as_str())
            .or_else(|| path.strip_prefix('/'))
            .unwrap_or(&path);
        let candidates = if rel.is_empty() || rel.ends_with('/') {
            vec![format!("{rel}index.html")]
        } else {
            vec![rel.to_string(), format!("{rel}/index.html")]
        };
        let found = candidates.into_iter().find(|c| s.files.contains_key(c));
        let (status, file) = match found {
            Some(f) => (200, f),
            None => (404, "404.html".to_string()),
        };
        let body = match s.files.get(&file) {
            Some(Body::Bytes(b)) => Some(b.to_vec()),
            Some(Body::Disk(p)) => std::fs::read(p).ok(),
            None => None,
        };
        (status, file, body)
    };
    let Some(mut body) = body else {
        return respond(
            &mut stream,
            404,
            "text/plain; charset=utf-8",
            b"not found",
            method == "HEAD",
        );
    };
    let ctype = content_type(&file);
    if ctype.starts_with("text/html") {
        body = inject(&body);
    }
    respond(&mut stream, status, ctype, &body, method == "HEAD")
}

/// Add the reload script before `</body>`.
fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT}\" defer></script>\n");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    ctype: &str,
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Error",
    };
    let header = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()?;
    // Drain anything left so the client sees a clean close.
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut sink = [0u8; 256];
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let _ = stream.read(&mut sink);
    Ok(())
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "yaml" | "yml" => "text/yaml; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_frames_multiline_data() {
        assert_eq!(sse("error", "a\nb"), "event: error\ndata: a\ndata: b\n\n");
        assert_eq!(sse("reload", ""), "event: reload\ndata:\n\n");
    }

    #[test]
    fn injects_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(
            out.contains("<p>x</p><script src=\"/__docent/reload.js\" defer></script>\n</body>")
        );
    }
}
