//! The HTTP side of `docent serve`: hyper's HTTP/1 server on a tokio
//! current-thread runtime, answering from the last good build held in
//! memory (nothing is read from disk per request, so no link or FIFO put
//! in the site after a build can be served or hang a request).
//!
//! Limits: at most [`MAX_CONNECTIONS`] connections at once, request heads
//! of at most [`MAX_HEAD`] bytes, read within [`HEAD_TIMEOUT`]. Requests for
//! a host name other than `localhost` or those allowed by `--allow-host`
//! get 403, so a web page cannot reach the served site through DNS
//! rebinding (IP addresses are always answered: rebinding needs a name).
//! Live reload is server-sent events; each open stream has its own small
//! queue, so a tab that stops reading is dropped, never waited for.

use std::collections::HashMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, HOST, X_CONTENT_TYPE_OPTIONS};
use hyper::{Method, Request, Response, StatusCode};
use tokio::sync::mpsc;

/// The server-sent events stream that tells open tabs to reload.
pub const EVENTS: &str = "/__docent/events";
/// The script, added to served HTML, that listens to [`EVENTS`].
pub const SCRIPT: &str = "/__docent/reload.js";

/// Connections served at once; more wait to be accepted.
pub(super) const MAX_CONNECTIONS: usize = 1024;
/// The longest request line plus headers accepted (larger gets 431).
pub(super) const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send a request's head.
pub(super) const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Events queued for one open stream before it is dropped as stalled.
const QUEUE: usize = 16;

/// The site being served.
#[derive(Default)]
pub(super) struct Served {
    /// Every output file, by its path in the output folder (shared
    /// names, so the next build's map is a cheap copy of this one).
    pub files: HashMap<Arc<str>, Bytes>,
    /// The path prefix the site is served under (`/` or `/guide/`).
    pub base_path: String,
    /// The last build's error, while the site shown is an older one.
    pub error: Option<String>,
}

/// What the request handlers share with the rebuilding thread.
pub(super) struct Hub {
    current: RwLock<Arc<Served>>,
    streams: Mutex<Vec<mpsc::Sender<Bytes>>>,
    /// Host names answered besides IP addresses (lowercase).
    names: Vec<String>,
}

impl Hub {
    /// A hub answering `localhost` and `names` (and any IP address).
    pub(super) fn new(names: &[String]) -> Hub {
        let mut all = vec!["localhost".to_string()];
        all.extend(
            names
                .iter()
                .map(|n| n.trim_end_matches('.').to_ascii_lowercase()),
        );
        Hub {
            current: RwLock::new(Arc::new(Served::default())),
            streams: Mutex::new(Vec::new()),
            names: all,
        }
    }

    /// The site now being served.
    pub(super) fn current(&self) -> Arc<Served> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Serve `site` from now on and tell open tabs what changed (each
    /// reloads only if its page or something it uses did).
    pub(super) fn publish(&self, site: Served) {
        let site = Arc::new(site);
        let old = std::mem::replace(
            &mut *self.current.write().unwrap_or_else(|p| p.into_inner()),
            site.clone(),
        );
        self.broadcast("reload", &changes(&old, &site));
    }

    /// Keep serving the current site, and show `text` in open tabs.
    pub(super) fn show_error(&self, text: &str) {
        let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
        let old = current.clone();
        *current = Arc::new(Served {
            files: old.files.clone(),
            base_path: old.base_path.clone(),
            error: Some(text.to_string()),
        });
        drop(current);
        self.broadcast("error", text);
    }

    /// Queue an event for every open stream; streams whose queue is full
    /// (the tab stopped reading) or that closed are dropped.
    fn broadcast(&self, event: &str, data: &str) {
        let frame = Bytes::from(sse(event, data));
        self.streams
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|s| s.try_send(frame.clone()).is_ok());
    }

    /// Open streams, for tests.
    #[cfg(test)]
    fn stream_count(&self) -> usize {
        self.streams.lock().unwrap().len()
    }

    /// Whether the request is for a host this server answers: an IP
    /// address, `localhost` or an allowed name (in the `Host` header and
    /// in an absolute request target alike).
    fn host_allowed(&self, req: &Request<Incoming>) -> Result<(), String> {
        let mut hosts = Vec::new();
        if let Some(a) = req.uri().authority() {
            hosts.push(a.host().to_string());
        }
        if let Some(h) = req.headers().get(HOST) {
            let h = h
                .to_str()
                .map_err(|_| "a Host that is not text".to_string())?;
            hosts.push(host_name(h).to_string());
        }
        for h in hosts {
            let h = h.trim_end_matches('.').to_ascii_lowercase();
            let ip = h.parse::<std::net::Ipv4Addr>().is_ok()
                || h.strip_prefix('[')
                    .and_then(|v| v.strip_suffix(']'))
                    .is_some_and(|v| v.parse::<std::net::Ipv6Addr>().is_ok());
            if !ip && !self.names.contains(&h) {
                return Err(h);
            }
        }
        Ok(())
    }
}

/// More changed files than this and tabs simply reload.
const MAX_LISTED: usize = 200;

/// The reload event's data: the URLs of the files that changed between two
/// builds, as JSON (`{"changed": ["/safety/", "/style.css"]}`), or
/// `{"all": true}` when there are many.
fn changes(old: &Served, new: &Served) -> String {
    let same = |a: &Bytes, b: &Bytes| a.len() == b.len() && (a.as_ptr() == b.as_ptr() || a == b);
    let mut changed: Vec<&str> = new
        .files
        .iter()
        .filter(|(p, b)| old.files.get(*p).is_none_or(|o| !same(o, b)))
        .map(|(p, _)| &**p)
        .chain(
            old.files
                .keys()
                .filter(|p| !new.files.contains_key(*p))
                .map(|p| &**p),
        )
        .collect();
    if changed.len() > MAX_LISTED || old.base_path != new.base_path {
        return r#"{"all":true}"#.to_string();
    }
    changed.sort_unstable();
    let urls: Vec<String> = changed
        .iter()
        .map(|p| {
            let p = p.strip_suffix("index.html").unwrap_or(p);
            format!("{}{}", new.base_path, crate::url::encode_path(p))
        })
        .collect();
    serde_json::json!({ "changed": urls }).to_string()
}

/// The host part of a `Host` header value (`[::1]:8080` → `[::1]`).
fn host_name(value: &str) -> &str {
    if value.starts_with('[') {
        return value.split_inclusive(']').next().unwrap_or(value);
    }
    match value.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => value,
    }
}

/// One server-sent event (`data` split into lines, so no line break in it
/// can end the event early or start another).
pub(super) fn sse(event: &str, data: &str) -> String {
    let mut out = format!("event: {event}\n");
    // Every line break an event stream knows: \r\n, \n and a lone \r.
    let data = data.replace("\r\n", "\n").replace('\r', "\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// Serve on `listener` until the process ends.
pub(super) fn run(listener: std::net::TcpListener, hub: Arc<Hub>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        loop {
            let Ok(slot) = slots.clone().acquire_owned().await else {
                return Ok(());
            };
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                // Out of file descriptors, say: try again shortly.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            };
            let hub = hub.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let hub = hub.clone();
                    async move { Ok::<_, Infallible>(respond(&req, &hub)) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(HEAD_TIMEOUT)
                    .max_buf_size(MAX_HEAD)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
                drop(slot);
            });
        }
    })
}

type Body = BoxBody<Bytes, Infallible>;

fn respond(req: &Request<Incoming>, hub: &Hub) -> Response<Body> {
    if let Err(host) = hub.host_allowed(req) {
        let text = format!(
            "docent serve answers requests for localhost or an IP address, not for {host}; \
             start it with --allow-host {host} to answer that name\n"
        );
        return plain(StatusCode::FORBIDDEN, text);
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n".into());
        r.headers_mut()
            .insert(ALLOW, "GET, HEAD".parse().expect("a valid header"));
        return r;
    }
    let path = crate::url::decode(req.uri().path());
    if path == EVENTS {
        return events(hub);
    }
    if path == SCRIPT {
        return file(
            StatusCode::OK,
            "reload.js",
            Bytes::from_static(RELOAD_JS.as_bytes()),
        );
    }
    let site = hub.current();
    let rel = path
        .strip_prefix(site.base_path.as_str())
        .or_else(|| path.strip_prefix('/'))
        .unwrap_or(&path);
    let found = if rel.is_empty() || rel.ends_with('/') {
        Some(format!("{rel}index.html")).filter(|c| site.files.contains_key(c.as_str()))
    } else {
        [rel.to_string(), format!("{rel}/index.html")]
            .into_iter()
            .find(|c| site.files.contains_key(c.as_str()))
    };
    match found {
        Some(name) => file(StatusCode::OK, &name, site.files[name.as_str()].clone()),
        None => match site.files.get("404.html") {
            Some(b) => file(StatusCode::NOT_FOUND, "404.html", b.clone()),
            None => plain(StatusCode::NOT_FOUND, "not found\n".into()),
        },
    }
}

/// A file's response, with its content type (HTML gets the reload script).
fn file(status: StatusCode, name: &str, bytes: Bytes) -> Response<Body> {
    let ctype = content_type(name);
    let bytes = if ctype.starts_with("text/html") {
        Bytes::from(inject(&bytes))
    } else {
        bytes
    };
    response(status, &ctype, Full::new(bytes).boxed())
}

fn plain(status: StatusCode, text: String) -> Response<Body> {
    response(
        status,
        "text/plain; charset=utf-8",
        Full::new(Bytes::from(text)).boxed(),
    )
}

fn response(status: StatusCode, ctype: &str, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = ctype.parse() {
        h.insert(CONTENT_TYPE, v);
    }
    h.insert(CACHE_CONTROL, "no-store".parse().expect("a valid header"));
    h.insert(
        X_CONTENT_TYPE_OPTIONS,
        "nosniff".parse().expect("a valid header"),
    );
    r
}

/// A new event stream: the current state first, then every event.
fn events(hub: &Hub) -> Response<Body> {
    let (tx, rx) = mpsc::channel(QUEUE);
    let hello = match &hub.current().error {
        Some(e) => sse("error", e),
        None => sse("hello", "ok"),
    };
    let _ = tx.try_send(Bytes::from(hello));
    hub.streams
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(tx);
    response(
        StatusCode::OK,
        "text/event-stream",
        BodyExt::boxed(EventStream { rx }),
    )
}

/// The body of an event stream: whatever is queued for it.
struct EventStream {
    rx: mpsc::Receiver<Bytes>,
}

impl hyper::body::Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.rx.poll_recv(cx).map(|b| b.map(|b| Ok(Frame::data(b))))
    }
}

/// The content type for a file name; text types say UTF-8.
fn content_type(name: &str) -> String {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let mime = match ext {
        // mime_guess says application/javascript (a legacy alias); the
        // standard type, as for .js.
        "mjs" => "text/javascript".to_string(),
        _ => mime_guess::from_ext(ext)
            .first_or_octet_stream()
            .essence_str()
            .to_string(),
    };
    let text = mime.starts_with("text/")
        || ["application/json", "application/xml", "image/svg+xml"].contains(&mime.as_str());
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime
    }
}

/// Add the reload script before `</body>`.
pub(super) fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT}\" defer></script>\n");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
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
  // Reload when this page or a file it uses changed; swap changed
  // stylesheets in place; otherwise stay (and drop an error overlay).
  function uses() {
    var found = [];
    var sel = "link[href], script[src], img[src], img[srcset], source[src], source[srcset], video[src], audio[src], iframe[src], object[data]";
    document.querySelectorAll(sel).forEach(function (el) {
      var urls = [el.getAttribute("href") || el.getAttribute("src") || el.getAttribute("data")];
      (el.getAttribute("srcset") || "").split(",").forEach(function (c) { urls.push(c.trim().split(/\s+/)[0]); });
      urls.forEach(function (u) {
        if (u) found.push({ el: el, path: new URL(u, location.href).pathname });
      });
    });
    return found;
  }
  function reload(data) {
    var d;
    try { d = JSON.parse(data); } catch (e) { d = { all: true }; }
    if (d.all) { location.reload(); return; }
    var changed = d.changed || [];
    var here = location.pathname.replace(/index\.html$/, "");
    if (changed.indexOf(here) >= 0) { location.reload(); return; }
    var sheets = [];
    var other = false;
    uses().forEach(function (u) {
      if (changed.indexOf(u.path) < 0) return;
      if (u.el.tagName === "LINK" && /stylesheet/.test(u.el.rel)) sheets.push(u.el);
      else if (u.el.tagName !== "LINK" || /icon|preload|modulepreload/.test(u.el.rel)) other = true;
    });
    if (other) { location.reload(); return; }
    sheets.forEach(function (l) {
      var url = new URL(l.href);
      url.searchParams.set("docent-reload", Date.now());
      l.href = url.href;
    });
    if (overlay) { overlay.remove(); overlay = null; }
  }
  var es = new EventSource("/__docent/events");
  es.addEventListener("reload", function (e) { reload(e.data); });
  es.addEventListener("error", function (e) { if (e.data) show(e.data); });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_frames_every_kind_of_line_break() {
        assert_eq!(sse("error", "a\nb"), "event: error\ndata: a\ndata: b\n\n");
        assert_eq!(sse("reload", ""), "event: reload\ndata: \n\n");
        // A lone carriage return ends a line in an event stream: it must
        // not end the event (or start a `reload`).
        assert_eq!(
            sse("error", "x\revent: reload\r\ny"),
            "event: error\ndata: x\ndata: event: reload\ndata: y\n\n"
        );
    }

    #[test]
    fn injects_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(
            out.contains("<p>x</p><script src=\"/__docent/reload.js\" defer></script>\n</body>")
        );
    }

    #[test]
    fn content_types_for_what_sites_serve() {
        for (name, want) in [
            ("a.html", "text/html; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.mjs", "text/javascript; charset=utf-8"),
            ("a.svg", "image/svg+xml; charset=utf-8"),
            ("a.json", "application/json; charset=utf-8"),
            ("a.xml", "text/xml; charset=utf-8"),
            ("a.woff2", "font/woff2"),
            ("a.png", "image/png"),
            ("a.webp", "image/webp"),
            ("a.avif", "image/avif"),
            ("a.pdf", "application/pdf"),
            ("noextension", "application/octet-stream"),
        ] {
            assert_eq!(content_type(name), want, "{name}");
        }
    }

    #[test]
    fn host_names_in_headers() {
        assert_eq!(host_name("localhost:1111"), "localhost");
        assert_eq!(host_name("[::1]:8080"), "[::1]");
        assert_eq!(host_name("[::1]"), "[::1]");
        assert_eq!(host_name("example.org"), "example.org");
    }

    #[test]
    fn the_reload_event_lists_the_urls_that_changed() {
        let files = |pairs: &[(&str, &'static str)]| {
            pairs
                .iter()
                .map(|(p, b)| (Arc::from(*p), Bytes::from_static(b.as_bytes())))
                .collect()
        };
        let old = Served {
            files: files(&[
                ("index.html", "home"),
                ("a b/index.html", "a"),
                ("style.css", "x"),
            ]),
            base_path: "/guide/".into(),
            error: None,
        };
        let new = Served {
            files: files(&[
                ("index.html", "home"),
                ("a b/index.html", "a2"),
                ("new.css", "y"),
            ]),
            base_path: "/guide/".into(),
            error: None,
        };
        assert_eq!(
            changes(&old, &new),
            r#"{"changed":["/guide/a%20b/","/guide/new.css","/guide/style.css"]}"#
        );
        assert_eq!(changes(&new, &new), r#"{"changed":[]}"#);
    }

    #[test]
    fn a_stream_that_stops_reading_is_dropped_not_waited_for() {
        let hub = Hub::new(&[]);
        let _stalled = events(&hub);
        assert_eq!(hub.stream_count(), 1);
        for _ in 0..QUEUE + 1 {
            hub.broadcast("reload", "ok");
        }
        assert_eq!(hub.stream_count(), 0);
    }
}
