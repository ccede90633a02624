//! `docent serve`, run as a process on a free loopback port: pages are
//! served with the reload script, edits of every kind trigger a reload over
//! server-sent events, a broken edit shows an overlay while the last good
//! page stays up, and the fix recovers.

use crate::common;

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
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docent"));
    cmd.args(["serve", "--port", "0", "--root"])
        .arg(root)
        .args(extra)
        .envs(env.iter().copied());
    spawn(cmd)
}

/// `docent serve` run from inside the site's folder, as most people run
/// it: no `--root`.
fn start_inside(root: &std::path::Path) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docent"));
    cmd.args(["serve", "--port", "0"]).current_dir(root);
    spawn(cmd)
}

fn spawn(mut cmd: Command) -> Server {
    let mut child = cmd
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

    // A body edit re-renders that page only (the quick rebuild: a full
    // one would render the generated pages too).
    edit(
        "content/evidence/index.md",
        "MAPP1 found a large effect",
        "MAPP1 found a big effect",
    );
    events.expect("reload");
    let (rendered, total) = rebuilt(&server);
    assert_eq!(rendered, 1, "body edit: {rendered} of {total} re-rendered");
    assert_serves_full_build(&site, &addr, "body edit");

    // A body edit that cites another reference: the page and the
    // references page, which lists who cites what.
    edit(
        "content/evidence/index.md",
        "inactive pill.",
        "inactive pill [@uncited2011].",
    );
    events.expect("reload");
    assert_eq!(rebuilt(&server).0, 2, "new citation");
    assert_serves_full_build(&site, &addr, "new citation");

    // Highlighted code on a page that had none, in an editor's atomic
    // save (a temporary file renamed over the page).
    let home = site.root().join("content/_index.md");
    let text = std::fs::read_to_string(&home).unwrap();
    let temp = site.root().join("content/.saving-index.tmp");
    std::fs::write(&temp, format!("{text}\n```rust\nfn main() {{}}\n```\n")).unwrap();
    std::fs::rename(&temp, &home).unwrap();
    events.expect("reload");
    assert_eq!(rebuilt(&server).0, 1, "atomic save");
    assert_serves_full_build(&site, &addr, "code added by an atomic save");

    // Saved without a change: nothing to render, no reload.
    std::fs::write(&home, std::fs::read(&home).unwrap()).unwrap();
    assert_eq!(rebuilt(&server).0, 0, "unchanged save");

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

    // A folder renamed: its pages move (a full rebuild).
    std::fs::rename(
        site.root().join("content/evidence"),
        site.root().join("content/findings"),
    )
    .unwrap();
    events.expect("reload");
    rebuilt(&server);
    assert_serves_full_build(&site, &addr, "folder renamed");
    assert_eq!(get(&addr, "/evidence/").0, 404);
    std::fs::rename(
        site.root().join("content/findings"),
        site.root().join("content/evidence"),
    )
    .unwrap();
    events.expect("reload");
    rebuilt(&server);
    assert_serves_full_build(&site, &addr, "folder renamed back");

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
fn polling_still_sees_every_kind_of_change() {
    // Where file events are unavailable (or DOCENT_WATCH=poll), the sources
    // are polled.
    let site = common::Site::fixture("content/basic");
    let server = start_env(site.root(), &[], &[("DOCENT_WATCH", "poll")]);
    let addr = server.addr.clone();
    let mut events = Events::connect(&addr);
    events.expect("hello");
    site.write("content/safety.md", "---\ntitle: Safety, polled\n---\n");
    events.expect("reload");
    assert!(get(&addr, "/safety/").1.contains("Safety, polled"));
    std::fs::create_dir(site.root().join("content/later")).unwrap();
    site.write("content/later/page.md", "---\ntitle: Later\n---\n");
    events.expect("reload");
    assert_eq!(wait_for(&addr, "/later/page/", |s, _| s == 200).0, 200);
}

/// Run from the site's folder without `--root` (the root is then `.`),
/// file events were never matched to the site's files: no edit was ever
/// rebuilt. (Polling, and every test, named the root.)
#[test]
fn serving_from_inside_the_site_folder_sees_changes() {
    let site = common::Site::fixture("content/basic");
    let server = start_inside(site.root());
    let addr = server.addr.clone();
    let mut events = Events::connect(&addr);
    events.expect("hello");
    site.write("content/safety.md", "---\ntitle: Safety, seen\n---\n");
    events.expect("reload");
    assert!(get(&addr, "/safety/").1.contains("Safety, seen"));
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

/// Send `request` as is and read the whole answer (the server closes after
/// it: every request here says `Connection: close` or is refused).
fn raw(addr: &str, request: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

fn status_of(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn no_request_reaches_outside_the_served_site() {
    let site = common::Site::fixture("content/basic");
    site.write("content/secret/../../outside.txt", "OUTSIDE-SECRET");
    let server = start(site.root());
    let addr = server.addr.clone();
    let targets = [
        "/../outside.txt",
        "/%2e%2e/outside.txt",
        "/%2E%2E/outside.txt",
        "/..%2foutside.txt",
        "/..%2Foutside.txt",
        "/..\\outside.txt",
        "/..%5coutside.txt",
        "/%2e%2e%2f%2e%2e%2foutside.txt",
        "/safety/../../outside.txt",
        "/.%2e/site.yaml",
        "/site.yaml",
        "/content/safety.md",
        "//etc/passwd",
        "/%00",
    ];
    for t in targets {
        for request in [
            format!("GET {t} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
            format!("GET http://{addr}{t} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
        ] {
            let answer = raw(&addr, request.as_bytes());
            assert!(
                !answer.contains("OUTSIDE-SECRET")
                    && !answer.contains("title: ")
                    && !answer.contains("root:"),
                "{t}: {answer}"
            );
            assert!([400, 404].contains(&status_of(&answer)), "{t}: {answer}");
        }
    }
    assert_eq!(get(&addr, "/safety/").0, 200);
}

#[test]
fn only_local_host_names_are_answered() {
    let site = common::Site::fixture("content/basic");
    let server = start_with(site.root(), &["--allow-host", "docs.example.test"]);
    let addr = server.addr.clone();
    let port = addr.rsplit(':').next().unwrap();
    let ask = |host: &str| {
        status_of(&raw(
            &addr,
            format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        ))
    };
    for ok in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "LOCALHOST".to_string(),
        format!("[::1]:{port}"),
        "192.168.1.20".to_string(),
        format!("docs.example.test:{port}"),
    ] {
        assert_eq!(ask(&ok), 200, "{ok}");
    }
    // DNS rebinding: a page of attacker.example whose name now points here.
    for bad in [
        format!("attacker.example:{port}"),
        "localhost.attacker.example".to_string(),
        "127.0.0.1.nip.io".to_string(),
    ] {
        assert_eq!(ask(&bad), 403, "{bad}");
    }
    let answer = raw(
        &addr,
        format!(
            "GET http://attacker.example:{port}/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(status_of(&answer), 403, "{answer}");
    assert!(answer.contains("--allow-host"), "{answer}");
    // The event stream too.
    let answer = raw(
        &addr,
        b"GET /__docent/events HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status_of(&answer), 403, "{answer}");
}

#[test]
fn files_are_served_with_their_content_types() {
    let site = common::Site::fixture("content/basic");
    let types = [
        ("css", "text/css"),
        ("js", "text/javascript"),
        ("mjs", "text/javascript"),
        ("svg", "image/svg+xml"),
        ("json", "application/json"),
        ("xml", "text/xml"),
        ("woff2", "font/woff2"),
        ("png", "image/png"),
        ("webp", "image/webp"),
        ("avif", "image/avif"),
        ("pdf", "application/pdf"),
    ];
    for (ext, _) in types {
        site.write(&format!("content/files/a.{ext}"), "x");
    }
    let server = start(site.root());
    let addr = server.addr.clone();
    let header = |path: &str| {
        let answer = raw(
            &addr,
            format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        answer
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-type: ")
                    .map(String::from)
            })
            .unwrap_or_else(|| panic!("{path}: {answer}"))
    };
    assert!(header("/").starts_with("text/html"));
    for (ext, want) in types {
        let got = header(&format!("/files/a.{ext}"));
        assert!(got.starts_with(want), "{ext}: {got}");
    }
}

/// The server's resident memory, in KiB.
#[cfg(target_os = "linux")]
fn rss_kib(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn oversized_requests_are_refused_without_memory_growth() {
    let site = common::Site::fixture("content/basic");
    let server = start(site.root());
    let addr = server.addr.clone();
    assert_eq!(get(&addr, "/").0, 200);
    let before = rss_kib(&server);
    let long_line = format!(
        "GET /{} HTTP/1.1\r\nHost: {addr}\r\n\r\n",
        "a".repeat(1 << 20)
    );
    // One header line that never ends (the old server kept all of it).
    let endless_header = format!(
        "GET / HTTP/1.1\r\nHost: {addr}\r\nX-Big: {}",
        "b".repeat(64 << 20)
    );
    for _ in 0..2 {
        for request in [&long_line, &endless_header] {
            let answer = raw(&addr, request.as_bytes());
            assert!(
                answer.is_empty() || status_of(&answer) == 431 || status_of(&answer) == 414,
                "{}",
                &answer[..answer.len().min(200)]
            );
        }
    }
    let grown = rss_kib(&server).saturating_sub(before);
    assert!(grown < 32 * 1024, "grew by {grown} KiB");
    assert_eq!(get(&addr, "/").0, 200);
}

#[test]
fn stalled_and_many_clients_do_not_block_others() {
    let site = common::Site::fixture("content/basic");
    let server = start(site.root());
    let addr = server.addr.clone();
    assert_eq!(get(&addr, "/").0, 200);
    #[cfg(target_os = "linux")]
    let before = rss_kib(&server);
    // Clients that send a byte of a request and then nothing.
    let mut held = Vec::new();
    for _ in 0..100 {
        let mut s = TcpStream::connect(&addr).unwrap();
        s.write_all(b"G").unwrap();
        held.push(s);
    }
    // Connections that say nothing at all.
    for _ in 0..400 {
        held.push(TcpStream::connect(&addr).unwrap());
    }
    // An event stream that is never read, while builds keep sending.
    let mut stalled = TcpStream::connect(&addr).unwrap();
    write!(
        stalled,
        "GET /__docent/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut events = Events::connect(&addr);
    events.expect("hello");
    for i in 0..30 {
        site.write(
            "content/safety.md",
            &format!(
                "---\ntitle: Safety {i}\n---\n\n{}\n",
                "Text. ".repeat(20_000)
            ),
        );
        events.expect("reload");
    }
    // Normal requests are still answered.
    for _ in 0..5 {
        assert_eq!(get(&addr, "/safety/").0, 200);
    }
    #[cfg(target_os = "linux")]
    {
        let grown = rss_kib(&server).saturating_sub(before);
        assert!(
            grown < 100 * 1024,
            "grew by {grown} KiB with 500 connections open"
        );
    }
    drop(held);
}

#[test]
fn every_open_tab_hears_of_a_rebuild() {
    let site = common::Site::fixture("content/basic");
    let server = start(site.root());
    let addr = server.addr.clone();
    let mut tabs: Vec<Events> = (0..200).map(|_| Events::connect(&addr)).collect();
    for t in &mut tabs {
        t.expect("hello");
    }
    site.write("content/safety.md", "---\ntitle: Safety, for all\n---\n");
    for t in &mut tabs {
        t.expect("reload");
    }
}

#[cfg(unix)]
#[test]
fn a_file_replaced_by_a_link_or_a_fifo_is_neither_served_nor_a_hang() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "OUTSIDE-SECRET").unwrap();
    let site = common::Site::fixture("content/basic");
    site.write("content/files/doc.txt", "inside");
    let server = start(site.root());
    let addr = server.addr.clone();
    assert!(get(&addr, "/files/doc.txt").1.contains("inside"));
    let mut events = Events::connect(&addr);
    events.expect("hello");
    let doc = site.root().join("content/files/doc.txt");
    std::fs::remove_file(&doc).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), &doc).unwrap();
    let _ = events.next();
    let (_, body) = get(&addr, "/files/doc.txt");
    assert!(!body.contains("OUTSIDE-SECRET"), "{body}");
    std::fs::remove_file(&doc).unwrap();
    let made = Command::new("mkfifo").arg(&doc).status().unwrap();
    assert!(made.success());
    let _ = events.next();
    let (status, body) = get(&addr, "/files/doc.txt");
    assert!(!body.contains("OUTSIDE-SECRET"), "{status} {body}");
    assert_eq!(get(&addr, "/safety/").0, 200);
}

#[test]
fn editing_a_source_while_serving_marks_its_translations_and_keeps_indexes_apart() {
    let site = common::Site::fixture("i18n/clinic");
    let server = start(site.root());
    let addr = server.addr.clone();
    let (status, es) = get(&addr, "/es/safety/");
    assert_eq!(status, 200);
    assert!(!es.contains("translation-notice"));
    let path = site.root().join("content/safety.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("within a day.", "within a day or two.")).unwrap();
    let (_, es) = wait_for(&addr, "/es/safety/", |_, b| {
        b.contains("translation-notice")
    });
    assert!(es.contains("<a href=\"/safety/\">Leer el original (English)</a>"));
    // Each language's index is still served, with its own pages only.
    let (s, pages) = get(&addr, "/es/search/index/pages/0.json");
    assert_eq!(s, 200);
    assert!(pages.contains("/es/safety/") && !pages.contains("\"/safety/\""));
    let (s, pages) = get(&addr, "/search/index/pages/0.json");
    assert_eq!(s, 200);
    assert!(pages.contains("\"/safety/\"") && !pages.contains("/es/"));
    // A site's own theme strings (i18n/) are watched too.
    site.write("i18n/es.yaml", "on_this_page: Índice de la página\n");
    wait_for(&addr, "/es/safety/", |_, b| {
        b.contains("<summary>Índice de la página</summary>")
    });
}

#[test]
fn a_sites_own_generated_paths_survive_quick_rebuilds() {
    // The quick rebuild after a body edit redoes syntax.css and the search
    // index itself: it must leave a site's own file at one of those paths
    // alone, as the full build does (the site's file wins).
    let site = common::Site::empty();
    site.write("site.yaml", "title: T\nsearch: true\n");
    site.write(
        "content/index.md",
        "---\ntitle: Home\n---\n\nPlacebo words.\n\n```rust\nfn main() {}\n```\n",
    );
    site.write(
        "content/other.md",
        "---\ntitle: Other\n---\n\nMore words.\n",
    );
    site.write("static/syntax.css", "/* the site's own */\n");
    site.write("static/search/search.js", "// the site's own search\n");
    let server = start(site.root());
    let addr = server.addr.clone();
    rebuilt(&server);
    let own = |step: &str| {
        assert_eq!(
            get(&addr, "/syntax.css").1,
            "/* the site's own */\n",
            "{step}: syntax.css"
        );
        assert_eq!(
            get(&addr, "/search/search.js").1,
            "// the site's own search\n",
            "{step}: search.js"
        );
    };
    own("first build");
    assert_serves_full_build(&site, &addr, "first build");
    let mut events = Events::connect(&addr);
    events.expect("hello");
    // The last highlighted code goes (docent would drop its syntax.css;
    // the text changes, so docent rewrites its index), then comes back
    // (docent would add its syntax.css).
    for (step, body) in [
        ("code removed", "Placebo words, edited.\n"),
        ("code added", "Words.\n\n```rust\nfn f() {}\n```\n"),
    ] {
        site.write(
            "content/index.md",
            &format!("---\ntitle: Home\n---\n\n{body}"),
        );
        events.expect("reload");
        assert_eq!(rebuilt(&server).0, 1, "{step}: a quick rebuild");
        own(step);
        assert_serves_full_build(&site, &addr, step);
    }
}
