//! `docent serve`, run as a process on a free loopback port: pages are
//! served with the reload script, edits of every kind trigger a reload over
//! server-sent events, a broken edit shows an overlay while the last good
//! page stays up, and the fix recovers.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    /// The server's stdout, line by line (one line per rebuild).
    lines: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path) -> Server {
    start_with(root, &[])
}

fn start_with(root: &std::path::Path, extra: &[&str]) -> Server {
    start_env(root, extra, &[])
}

fn start_env(root: &std::path::Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docent"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .args(extra)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let (tx, rx) = std::sync::mpsc::channel();
    let addr = loop {
        let line = lines.next().expect("server exited").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
        tx.send(line).unwrap();
    };
    assert!(
        addr.starts_with("127.0.0.1:"),
        "binds to loopback by default: {addr}"
    );
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    Server {
        child,
        addr,
        lines: rx,
    }
}

fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let status = buf.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = buf
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn connect(addr: &str) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(s, "GET /__docent/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
            line.clear();
        }
        Events { reader }
    }

    /// The next (event, data) pair.
    fn next(&mut self) -> (String, String) {
        let (mut event, mut data) = (String::new(), Vec::new());
        loop {
            let mut line = String::new();
            let n = self
                .reader
                .read_line(&mut line)
                .expect("an event within the timeout");
            assert!(n > 0, "event stream closed");
            let line = line.trim_end_matches('\n');
            if line.is_empty() {
                if !event.is_empty() {
                    return (event, data.join("\n"));
                }
                continue;
            }
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data:") {
                data.push(d.trim_start().to_string());
            }
        }
    }

    fn expect(&mut self, want: &str) -> String {
        let (event, data) = self.next();
        assert_eq!(event, want, "data: {data}");
        data
    }
}

fn wait_for(addr: &str, path: &str, pred: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = get(addr, path);
        if pred(status, &body) || Instant::now() > deadline {
            return (status, body);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_watches_reloads_and_survives_errors() {
    let site = common::Site::fixture("content/basic");
    let server = start(site.root());
    let addr = server.addr.clone();

    let (status, home) = get(&addr, "/");
    assert_eq!(status, 200);
    assert!(home.contains("<script src=\"/__docent/reload.js\" defer></script>"));
    assert!(
        home.contains(&format!("<link rel=\"canonical\" href=\"http://{addr}/\">")),
        "base_url follows the server"
    );
    assert_eq!(get(&addr, "/__docent/reload.js").0, 200);
    assert_eq!(get(&addr, "/no/such/page/").0, 404);
    assert!(!site.public().exists(), "serve writes nothing to public/");

    let mut events = Events::connect(&addr);
    events.expect("hello");

    // 1. Edit a page in place.
    site.write(
        "content/safety.md",
        "---\ntitle: Safety, edited\n---\n\nNew text.\n",
    );
    events.expect("reload");
    assert!(get(&addr, "/safety/").1.contains("Safety, edited"));

    // 2. A new file.
    site.write("content/new-page.md", "---\ntitle: A new page\n---\n");
    events.expect("reload");
    assert_eq!(get(&addr, "/new-page/").0, 200);

    // 3. An editor's atomic save: write a temp file, rename it over the page.
    site.write(
        "content/.new-page.md.tmp",
        "---\ntitle: Saved atomically\n---\n",
    );
    std::fs::rename(
        site.root().join("content/.new-page.md.tmp"),
        site.root().join("content/new-page.md"),
    )
    .unwrap();
    events.expect("reload");
    assert!(get(&addr, "/new-page/").1.contains("Saved atomically"));

    // 4. A deleted file disappears from the served site.
    std::fs::remove_file(site.root().join("content/new-page.md")).unwrap();
    events.expect("reload");
    assert_eq!(get(&addr, "/new-page/").0, 404);

    // 5. A renamed folder.
    std::fs::rename(
        site.root().join("content/treatment/preparation"),
        site.root().join("content/treatment/getting-ready"),
    )
    .unwrap();
    events.expect("reload");
    assert_eq!(get(&addr, "/treatment/preparation/").0, 404);
    assert_eq!(
        wait_for(&addr, "/treatment/getting-ready/", |s, _| s == 200).0,
        200
    );
    assert_eq!(
        get(&addr, "/treatment/getting-ready/diagram.svg").0,
        200,
        "bundle files move too"
    );

    // 6. Broken YAML: an error event with the location; the old page stays.
    site.write(
        "content/safety.md",
        "---\ntitle: Safety, edited\ntags: [oops\n---\n",
    );
    let data = events.expect("error");
    assert!(data.contains("content/safety.md:"), "{data}");
    let (status, page) = get(&addr, "/safety/");
    assert_eq!(status, 200);
    assert!(
        page.contains("Safety, edited"),
        "the last good page is still served"
    );
    // A newly opened page learns about the error at once.
    let mut late = Events::connect(&addr);
    assert!(late.expect("error").contains("content/safety.md"));

    // 7. Fixing it recovers.
    site.write("content/safety.md", "---\ntitle: Safety, fixed\n---\n");
    events.expect("reload");
    assert!(get(&addr, "/safety/").1.contains("Safety, fixed"));
    let mut fresh = Events::connect(&addr);
    fresh.expect("hello");
}

#[test]
fn build_output_never_contains_the_reload_script() {
    let site = common::Site::fixture("content/basic");
    site.build_ok();
    for entry in walkdir::WalkDir::new(site.public())
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            assert!(!html.contains("__docent"), "{}", entry.path().display());
        }
    }
}

/// The server's next "Rebuilt R of T pages" line, as (R, T).
fn rebuilt(server: &Server) -> (usize, usize) {
    loop {
        let line = server
            .lines
            .recv_timeout(Duration::from_secs(20))
            .expect("a rebuild line");
        if let Some(rest) = line.strip_prefix("Rebuilt ") {
            let mut words = rest.split_whitespace();
            let r = words.next().unwrap().parse().unwrap();
            let t = words.nth(1).unwrap().parse().unwrap();
            return (r, t);
        }
    }
}

/// Every file of a full build (no cache, same base URL) is served with the
/// same bytes, apart from the reload script added to HTML.
fn assert_serves_full_build(site: &common::Site, addr: &str, step: &str) {
    let full = tempfile::tempdir().unwrap();
    let mut opts = site.opts();
    opts.output = Some(full.path().join("out"));
    opts.base_url = Some(format!("http://{addr}/"));
    opts.cache = false;
    docent::build(&opts).unwrap_or_else(|e| panic!("{step}: {e}"));
    let script = "<script src=\"/__docent/reload.js\" defer></script>\n";
    let mut n = 0;
    for (rel, bytes, _) in common::snapshot_tree(&full.path().join("out")) {
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.starts_with(".docent") {
            continue;
        }
        let (status, body) = get_bytes(addr, &format!("/{rel}"));
        assert_eq!(status, 200, "{step}: /{rel}");
        let body = if rel.ends_with(".html") {
            String::from_utf8(body)
                .unwrap()
                .replacen(script, "", 1)
                .into_bytes()
        } else {
            body
        };
        assert!(body == bytes, "{step}: /{rel} differs from a full build");
        n += 1;
    }
    assert!(n > 5, "{step}: only {n} files compared");
}

fn get_bytes(addr: &str, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&buf[..end]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, buf[end + 4..].to_vec())
}

#[test]
fn incremental_rebuilds_while_serving_match_full_builds() {
    let site = common::Site::fixture("components/all");
    let server = start(site.root());
    let addr = server.addr.clone();
    let (rendered, total) = rebuilt(&server);
    assert_eq!(rendered, total, "the first build renders everything");
    assert_serves_full_build(&site, &addr, "first build");
    let mut events = Events::connect(&addr);
    events.expect("hello");

    let edit = |rel: &str, from: &str, to: &str| {
        let path = site.root().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} not in {rel}");
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    };

    // A body edit re-renders that page (and the generated pages) only.
    edit(
        "content/evidence/index.md",
        "MAPP1 found a large effect",
        "MAPP1 found a big effect",
    );
    events.expect("reload");
    let (rendered, total) = rebuilt(&server);
    // The other content page is reused (generated pages always re-render).
    assert_eq!(
        rendered,
        total - 1,
        "body edit: {rendered} of {total} re-rendered"
    );
    assert_serves_full_build(&site, &addr, "body edit");

    // Edits to inputs other pages depend on: each must be picked up.
    let title = (
        "title",
        "content/evidence/index.md",
        "title: Evidence",
        "title: The evidence",
    );
    for &(step, rel, from, to) in std::iter::once(&title).chain(common::SITE_WIDE_EDITS) {
        edit(rel, from, to);
        events.expect("reload");
        let (rendered, total) = rebuilt(&server);
        assert_eq!(rendered, total, "{step} is site-wide");
        assert_serves_full_build(&site, &addr, step);
    }

    // A template, a new page, a deleted page.
    site.write(
        "templates/page.html",
        "{% extends \"theme/page.html\" %}\n{% block head %}<meta name=\"x\" content=\"1\">{% endblock head %}\n",
    );
    events.expect("reload");
    rebuilt(&server);
    assert_serves_full_build(&site, &addr, "template added");
    site.write(
        "content/extra.md",
        "---\ntitle: Extra\n---\n\nMore placebo words.\n",
    );
    events.expect("reload");
    rebuilt(&server);
    assert_serves_full_build(&site, &addr, "page added");
    std::fs::remove_file(site.root().join("content/extra.md")).unwrap();
    events.expect("reload");
    rebuilt(&server);
    assert_serves_full_build(&site, &addr, "page deleted");
    assert_eq!(get(&addr, "/extra/").0, 404);

    // A broken edit, then the fix: the fix is built against the last good
    // build and still matches a full build.
    edit(
        "content/evidence/index.md",
        "MAPP1 found a big effect",
        "[@nokey] big",
    );
    events.expect("error");
    edit(
        "content/evidence/index.md",
        "[@nokey] big",
        "MAPP1 found a huge effect",
    );
    events.expect("reload");
    let (rendered, total) = rebuilt(&server);
    assert_eq!(rendered, total - 1, "fix: {rendered} of {total}");
    assert_serves_full_build(&site, &addr, "fixed");
}

#[test]
fn no_cache_serve_renders_everything_on_each_change() {
    let site = common::Site::fixture("components/all");
    let server = start_with(site.root(), &["--no-cache"]);
    rebuilt(&server);
    let mut events = Events::connect(&server.addr);
    events.expect("hello");
    let path = site.root().join("content/evidence/index.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("large effect", "big effect", 1)).unwrap();
    events.expect("reload");
    let (rendered, total) = rebuilt(&server);
    assert_eq!(rendered, total);
    assert!(get(&server.addr, "/evidence/").1.contains("big effect"));
}

#[test]
fn a_page_that_panics_is_shown_as_an_error_and_serving_goes_on() {
    // The debug-only probe makes content/boom.md panic while rendering.
    let site = common::Site::fixture("content/basic");
    let server = start_env(site.root(), &[], &[("DOCENT_TEST_PANIC_PAGE", "boom.md")]);
    let addr = server.addr.clone();
    let mut events = Events::connect(&addr);
    events.expect("hello");

    site.write("content/boom.md", "---\ntitle: Boom\n---\n\nText.\n");
    let data = events.expect("error");
    assert!(
        data.contains("internal error") && data.contains("content/boom.md"),
        "{data}"
    );
    assert_eq!(
        get(&addr, "/safety/").0,
        200,
        "the last good site is served"
    );

    // The same page under another name renders: the next change rebuilds.
    std::fs::rename(
        site.root().join("content/boom.md"),
        site.root().join("content/fine.md"),
    )
    .unwrap();
    events.expect("reload");
    assert!(get(&addr, "/fine/").1.contains("Text."));
    site.write("content/safety.md", "---\ntitle: Safety again\n---\n");
    events.expect("reload");
    assert!(get(&addr, "/safety/").1.contains("Safety again"));
}
