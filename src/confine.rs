//! What docent may read: files whose links resolve inside the site. The
//! one place that decides whether a link in the site's folders (theme,
//! templates, static files, theme strings) is followed; `content/` applies
//! the same rule, tighter, in `load::walk` (links must stay in content/).

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Kind};

/// The site's root with its links resolved, to compare paths against.
#[derive(Debug, Clone)]
pub(crate) struct Root(PathBuf);

impl Root {
    pub(crate) fn new(root: &Path) -> Root {
        Root(root.canonicalize().unwrap_or_else(|_| root.to_path_buf()))
    }

    /// Whether `path`, its links resolved, exists inside the site.
    pub(crate) fn holds(&self, path: &Path) -> bool {
        path.canonicalize().is_ok_and(|p| p.starts_with(&self.0))
    }

    /// The error for `path` (shown as `shown`, relative to the site) when it
    /// is, or passes through, a link that leads outside the site.
    pub(crate) fn check(&self, path: &Path, shown: &Path) -> Result<(), Diagnostic> {
        if self.holds(path) {
            return Ok(());
        }
        Err(Diagnostic::new(
            Kind::PathEscape,
            format!(
                "{} is a link that leads outside the site (or nowhere)",
                shown.display()
            ),
        )
        .file(shown)
        .hint("docent reads only files inside the site: copy it in instead of linking to it"))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_only_inside_the_site() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("x"), "x").unwrap();
        let site = tempfile::tempdir().unwrap();
        let s = site.path();
        std::fs::write(s.join("own"), "own").unwrap();
        std::os::unix::fs::symlink(s.join("own"), s.join("in")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("x"), s.join("out")).unwrap();
        std::os::unix::fs::symlink(s.join("missing"), s.join("dangling")).unwrap();
        let root = Root::new(s);
        assert!(root.holds(&s.join("own")));
        assert!(root.holds(&s.join("in")));
        assert!(!root.holds(&s.join("out")));
        assert!(!root.holds(&s.join("dangling")));
        let e = root
            .check(&s.join("out"), Path::new("static/out"))
            .unwrap_err();
        assert_eq!(e.kind, Kind::PathEscape);
        assert!(e.message.starts_with("static/out is a link"), "{e}");
    }
}
