//! Helpers for integration tests: copy a fixture site to a temp folder (or
//! start an empty one), change files, build it, read its output. The
//! helpers chain, in the style of mdBook's `BookTest`:
//! `Site::empty().write("content/a.md", "…").build_ok_then().read("a/index.html")`,
//! and report a failure at the test's line (`#[track_caller]`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use docent::{BuildOptions, BuildReport, Diagnostic, Error};

pub struct Site {
    root: PathBuf,
    /// The temp folder holding the site, removed when the site is dropped
    /// (none for a shared fixture, which lives for the whole run).
    _dir: Option<tempfile::TempDir>,
}

impl Site {
    fn in_temp(dir: tempfile::TempDir) -> Site {
        Site {
            root: dir.path().to_path_buf(),
            _dir: Some(dir),
        }
    }

    /// Copy `tests/fixtures/<name>` into a fresh temp folder.
    #[track_caller]
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture_source(name), dir.path());
        Site::in_temp(dir)
    }

    /// Copy `tests/fixtures/<name>` into a fixed folder under Cargo's
    /// scratch folder (emptied first), for a fixture built once and shared
    /// by the tests of a module: a static is never dropped, so a temp
    /// folder would be left behind on every run.
    #[track_caller]
    pub fn fixture_shared(name: &str) -> Site {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name.replace('/', "-"));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        copy_dir(&fixture_source(name), &root);
        Site { root, _dir: None }
    }

    /// An empty temp folder.
    pub fn bare() -> Site {
        Site::in_temp(tempfile::tempdir().unwrap())
    }

    /// A site with only `site.yaml` (title `T`) and an empty `content/`.
    pub fn empty() -> Site {
        let site = Site::bare();
        site.write("site.yaml", "title: T\n");
        std::fs::create_dir_all(site.root().join("content")).unwrap();
        site
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The same temp folder, with the site at `root` inside it (a site
    /// made there by `docent import`).
    pub fn moved_to(self, root: &Path) -> Site {
        Site {
            root: root.to_path_buf(),
            _dir: self._dir,
        }
    }

    /// A file of the site (not of its output).
    #[track_caller]
    pub fn source(&self, rel: &str) -> String {
        let p = self.root().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn opts(&self) -> BuildOptions {
        BuildOptions::new(self.root())
    }

    pub fn build(&self) -> Result<BuildReport, Error> {
        docent::build(&self.opts())
    }

    #[track_caller]
    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(e) => panic!("build failed:\n{e}"),
        }
    }

    /// Build, which must succeed, and go on with the site.
    #[track_caller]
    pub fn build_ok_then(&self) -> &Self {
        self.build_ok();
        self
    }

    /// The diagnostics of a build that must fail.
    #[track_caller]
    pub fn build_err(&self) -> Vec<Diagnostic> {
        match self.build() {
            Ok(_) => panic!("build succeeded but should have failed"),
            Err(e) => e.diagnostics().to_vec(),
        }
    }

    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        let p = self.public().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    /// Write `text` to the site file `rel` (folders made as needed).
    #[track_caller]
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }
}

#[track_caller]
fn fixture_source(name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    assert!(src.is_dir(), "no fixture {}", src.display());
    src
}

/// Each diagnostic as (`file:line:col`, message), for asserting where
/// warnings point.
pub fn located(diagnostics: &[Diagnostic]) -> Vec<(String, String)> {
    diagnostics
        .iter()
        .map(|d| (d.location(), d.message.clone()))
        .collect()
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, for byte-identical comparisons.
pub fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let p = e.path().to_path_buf();
            let bytes = std::fs::read(&p).unwrap();
            let mtime = e.metadata().unwrap().modified().unwrap();
            (p.strip_prefix(dir).unwrap().to_path_buf(), bytes, mtime)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Edits to inputs every page of `components/all` depends on (step, file,
/// from, to): each must re-render the whole site.
pub const SITE_WIDE_EDITS: &[(&str, &str, &str, &str)] = &[
    (
        "data file",
        "content/evidence/studies.yaml",
        "    n: 90",
        "    n: 91",
    ),
    (
        "bibliography",
        "content/references.yaml",
        "  retracted: true\n",
        "",
    ),
    (
        "glossary",
        "content/_data/glossary.yaml",
        "An inactive treatment",
        "A dummy treatment",
    ),
    (
        "config",
        "site.yaml",
        "interval_days: 365",
        "interval_days: 300",
    ),
];

/// The taxonomy and images fixture (`science/topics`), built once for the
/// tests that only read its output.
pub fn topics_built() -> &'static Site {
    static BUILT: std::sync::OnceLock<Site> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| {
        let site = Site::fixture_shared("science/topics");
        site.build_ok();
        site
    })
}

/// For each `(yaml, says)`: with `yaml` added to a site.yaml of `title: T`,
/// the build fails with an error located in site.yaml that says `says`.
#[track_caller]
pub fn assert_site_yaml_errors(site: &Site, cases: &[(&str, &str)]) {
    for (yaml, says) in cases {
        site.write("site.yaml", &format!("title: T\n{yaml}\n"));
        let errs = site.build_err();
        assert!(
            errs.iter()
                .any(|d| d.to_string().contains(says) && d.to_string().contains("site.yaml:")),
            "{yaml}: {errs:?}"
        );
    }
}

/// Every ` id="…"` in a page.
pub fn ids(html: &str) -> Vec<&str> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect()
}

/// Fails when an id repeats in `html`.
pub fn assert_unique_ids(html: &str) {
    let mut seen = std::collections::HashSet::new();
    for id in ids(html) {
        assert!(seen.insert(id), "id {id:?} repeats in {html}");
    }
}
