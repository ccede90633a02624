//! Watching the site's sources for `docent serve`: the operating system's
//! file events (inotify on Linux, through `notify`), and once a change has
//! settled for [`SETTLE`] the caller rebuilds. Where events are not
//! available (no inotify watches left, say), a snapshot of every file that
//! affects the build (modification time and size) is polled instead, and
//! the terminal says so.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use notify::Watcher as _;

/// Quiet time after the last event before rebuilding: editors write a file
/// in steps (a temp file, then a rename) within a few milliseconds.
const SETTLE: Duration = Duration::from_millis(20);
/// The longest a stream of events can delay a rebuild.
const MAX_SETTLE: Duration = Duration::from_millis(500);
/// The folders of a site that affect its build.
const SOURCES: [&str; 5] = ["content", "themes", "templates", "static", crate::i18n::DIR];

/// What changed, as the watcher saw it.
pub(super) struct Changes {
    /// For the terminal: `changed: content/a.md, …`.
    pub summary: String,
    /// Every changed site file (site-relative, `/`-separated), when the
    /// watcher knows them all: file events with none lost. `None` when
    /// polling, or when events were lost.
    pub paths: Option<Vec<String>>,
}

/// How the sources are watched.
pub(super) enum Watch {
    /// File events, with what keeps them coming.
    Events(
        notify::RecommendedWatcher,
        mpsc::Receiver<notify::Result<notify::Event>>,
    ),
    /// Polling, from this snapshot.
    Poll(Snapshot),
}

impl Watch {
    /// Start watching `root` (before the first build, so no change made
    /// while it runs is missed).
    pub(super) fn start(root: &Path) -> Watch {
        // File systems that do not report changes (network shares, some
        // container mounts) need polling: DOCENT_WATCH=poll.
        let forced = std::env::var_os("DOCENT_WATCH").is_some_and(|v| v == "poll");
        let watcher = if forced {
            Err(notify::Error::generic("DOCENT_WATCH=poll"))
        } else {
            events(root)
        };
        match watcher {
            Ok((w, rx)) => Watch::Events(w, rx),
            Err(e) => {
                crate::output::err(&format!(
                    "watching {} by polling every 150 ms ({e})\n",
                    root.display()
                ));
                Watch::Poll(snapshot(root))
            }
        }
    }

    /// Call `rebuild` after each settled change, with when it was seen and
    /// what changed. Never returns.
    pub(super) fn run(self, root: &Path, rebuild: impl FnMut(Instant, Changes)) {
        match self {
            Watch::Events(w, rx) => on_events(root, w, &rx, rebuild),
            Watch::Poll(first) => watch(root, first, rebuild),
        }
    }
}

type Events = (
    notify::RecommendedWatcher,
    mpsc::Receiver<notify::Result<notify::Event>>,
);

fn events(root: &Path) -> notify::Result<Events> {
    let (tx, rx) = mpsc::channel();
    let mut w = notify::recommended_watcher(tx)?;
    // The site folder itself for site.yaml and source folders created later.
    w.watch(root, notify::RecursiveMode::NonRecursive)?;
    for dir in SOURCES.map(|d| root.join(d)).iter().filter(|d| d.is_dir()) {
        w.watch(dir, notify::RecursiveMode::Recursive)?;
    }
    Ok((w, rx))
}

/// The site file an event path is (site-relative, `/`-separated), if it
/// affects the build.
fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = rel.file_name()?.to_string_lossy();
    let source = rel == Path::new(crate::config::CONFIG_FILE) || SOURCES.contains(&first);
    (source && !is_scratch(&name)).then(|| {
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    })
}

/// Editors' swap, lock and backup files, which do not change the site.
fn is_scratch(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
}

fn on_events(
    root: &Path,
    mut watcher: notify::RecommendedWatcher,
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    mut rebuild: impl FnMut(Instant, Changes),
) {
    const LOST: &str = "(events lost)";
    let mut changed = BTreeSet::new();
    let mut take = |event: notify::Result<notify::Event>, changed: &mut BTreeSet<String>| {
        let event = match event {
            Ok(e) if !e.need_rescan() => e,
            // Events were lost (a queue overflow): rebuild all to be sure.
            _ => {
                changed.insert(LOST.to_string());
                return;
            }
        };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for p in &event.paths {
            // A source folder created after serving began gets watched.
            if p.parent() == Some(root) && SOURCES.iter().any(|d| p.ends_with(d)) && p.is_dir() {
                let _ = watcher.watch(p, notify::RecursiveMode::Recursive);
            }
            changed.extend(relevant(root, p));
        }
    };
    loop {
        let Ok(first) = rx.recv() else {
            return;
        };
        let started = Instant::now();
        take(first, &mut changed);
        if changed.is_empty() {
            continue;
        }
        // Settle: until no event for SETTLE (or MAX_SETTLE in all).
        while started.elapsed() < MAX_SETTLE {
            match rx.recv_timeout(SETTLE) {
                Ok(e) => take(e, &mut changed),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        let names: Vec<String> = std::mem::take(&mut changed).into_iter().collect();
        let paths = (!names.iter().any(|n| n == LOST)).then(|| names.clone());
        rebuild(
            started,
            Changes {
                summary: format!("changed: {}", summary(names)),
                paths,
            },
        );
    }
}

/// The first three names and how many more.
fn summary(mut names: Vec<String>) -> String {
    let n = names.len();
    names.truncate(3);
    let mut s = names.join(", ");
    if n > 3 {
        s.push_str(&format!(" and {} more", n - 3));
    }
    s
}

/// Every watched file with its modification time and size (folders too, so
/// an added or removed folder counts as a change).
pub(super) type Snapshot = BTreeMap<PathBuf, (Option<SystemTime>, u64)>;

/// Modification time and size of every file that affects the build.
fn snapshot(root: &Path) -> Snapshot {
    let mut map = BTreeMap::new();
    let single = [root.join(crate::config::CONFIG_FILE)];
    let dirs = SOURCES.map(|d| root.join(d));
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
            if is_scratch(&e.file_name().to_string_lossy()) {
                continue;
            }
            if let Ok(m) = e.metadata() {
                map.insert(e.path().to_path_buf(), (m.modified().ok(), m.len()));
            }
        }
    }
    map
}

/// Poll the sources from `first` on; after each change settles, call
/// `rebuild` with when the change was seen and what changed. Never returns.
fn watch(root: &Path, first: Snapshot, mut rebuild: impl FnMut(Instant, Changes)) {
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
        // Polling may miss a change within one tick: the full rebuild runs.
        rebuild(
            started,
            Changes {
                summary: format!("changed: {changed}"),
                paths: None,
            },
        );
    }
}

/// `content/a.md, +content/b.md, -static/x.css and 2 more`.
fn describe_changes(root: &Path, old: &Snapshot, new: &Snapshot) -> String {
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
    summary(names)
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}
