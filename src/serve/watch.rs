//! Watching the site's sources for `docent serve`: a snapshot of every
//! file that affects the build (modification time and size), polled; once
//! a change settles, the caller rebuilds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// Every watched file with its modification time and size (folders too, so
/// an added or removed folder counts as a change).
pub type Snapshot = BTreeMap<PathBuf, (Option<SystemTime>, u64)>;

/// Modification time and size of every file that affects the build.
pub fn snapshot(root: &Path) -> Snapshot {
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

/// Poll the sources from `first` on; after each change settles, call
/// `rebuild` with when the change was seen and what changed. Never returns.
pub fn watch(root: &Path, first: Snapshot, mut rebuild: impl FnMut(Instant, String)) {
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
        rebuild(started, format!("changed: {changed}"));
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
