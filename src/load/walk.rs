//! Discovering content: which files under `content/` are pages, which are
//! assets to copy, and which are skipped (hidden and `_`-prefixed files).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Diagnostic, Kind};

/// A file found under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A Markdown page or section, with its path relative to `content/`.
    Markdown { path: PathBuf, rel: String },
    /// Any other file, copied beside the pages.
    Asset { path: PathBuf, rel: String },
    /// A Markdown file whose name starts with a dot: not published, and
    /// worth a warning (it may be a page someone meant to publish).
    Hidden { rel: String },
}

/// Walk `content_dir` in a stable order.
pub fn discover(content_dir: &Path) -> Result<Vec<Found>, Vec<Diagnostic>> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let canonical_root = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.to_path_buf());
    let walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !is_skipped(
                    e.file_name().to_string_lossy().as_ref(),
                    e.file_type().is_dir(),
                )
                || is_hidden_page(e)
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e.path().map(Path::to_path_buf).unwrap_or_default();
                errors.push(
                    Diagnostic::new(Kind::Io, format!("cannot read {}: {e}", p.display())).file(&p),
                );
                continue;
            }
        };
        let path = entry.path();
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        // A regular page file needs no extra stat here (the directory entry
        // says what it is, and its size is checked when it is read); links,
        // other files and anything that is not a regular file are checked.
        let plain_page = ft.is_file() && path.extension().is_some_and(|e| e == "md");
        if !plain_page {
            let shown = Path::new("content").join(path.strip_prefix(content_dir).unwrap_or(path));
            if let Some(d) = refused(path, &shown, ft.is_symlink()) {
                errors.push(d);
                continue;
            }
        }
        if ft.is_symlink() {
            // A link may point anywhere; only follow it if it stays inside content/.
            match path.canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {}
                _ => {
                    errors.push(
                        Diagnostic::new(
                            Kind::PathEscape,
                            format!(
                                "{} is a link that leads outside content/ (or nowhere)",
                                path.display()
                            ),
                        )
                        .file(path)
                        .hint("copy the file into content/ instead of linking to it"),
                    );
                    continue;
                }
            }
        }
        let rel = match path.strip_prefix(content_dir) {
            Ok(r) => to_slash(r),
            Err(_) => continue,
        };
        if is_hidden_page(&entry) {
            found.push(Found::Hidden { rel });
        } else if rel.ends_with(".md") {
            found.push(Found::Markdown {
                path: path.to_path_buf(),
                rel,
            });
        } else {
            found.push(Found::Asset {
                path: path.to_path_buf(),
                rel,
            });
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// A file `.name.md` (not an editor's lock file `.#name.md` or a macOS
/// `._name.md`), which is not published but reported.
fn is_hidden_page(e: &walkdir::DirEntry) -> bool {
    let name = e.file_name().to_string_lossy();
    !e.file_type().is_dir()
        && name.starts_with('.')
        && name.ends_with(".md")
        && !name.starts_with(".#")
        && !name.starts_with("._")
}

/// Largest page or data file docent reads (they are read whole).
pub const MAX_TEXT_FILE: u64 = 32 * 1024 * 1024;
/// Largest other file docent copies into the output.
pub const MAX_FILE: u64 = 1024 * 1024 * 1024;

/// Why a file under `content/` is not read: not a regular file (a FIFO,
/// socket or device would block the build or never end), or too large.
pub fn refused(path: &Path, shown: &Path, is_symlink: bool) -> Option<Diagnostic> {
    let meta = if is_symlink {
        std::fs::metadata(path)
    } else {
        std::fs::symlink_metadata(path)
    };
    let meta = match meta {
        Ok(m) => m,
        Err(e) => {
            return Some(
                Diagnostic::new(Kind::Io, format!("cannot read {}: {e}", shown.display()))
                    .file(shown),
            );
        }
    };
    if !meta.is_file() {
        return Some(
            Diagnostic::new(
                Kind::Io,
                format!(
                    "{} is not a regular file (a FIFO, socket or device)",
                    shown.display()
                ),
            )
            .file(shown)
            .hint("content/ may hold only files and folders: move it out of the site"),
        );
    }
    let text = path
        .extension()
        .is_some_and(|e| e == "md" || e == "yaml" || e == "yml");
    too_large(shown, meta.len(), text)
}

/// The error for a file over docent's size limit (`text`: a page or data
/// file, read whole), if it is.
pub fn too_large(shown: &Path, len: u64, text: bool) -> Option<Diagnostic> {
    let limit = if text { MAX_TEXT_FILE } else { MAX_FILE };
    (len > limit).then(|| {
        Diagnostic::new(
            Kind::Io,
            format!(
                "{} is {} MiB, over the {} MiB docent reads for {}",
                shown.display(),
                len / (1024 * 1024),
                limit / (1024 * 1024),
                if text {
                    "a page or data file"
                } else {
                    "a file"
                }
            ),
        )
        .file(shown)
        .hint(if text {
            "split it into smaller pages or data files"
        } else {
            "serve large downloads from elsewhere and link to them"
        })
    })
}

/// Hidden files and folders, and `_`-prefixed ones other than `_index.md`,
/// are not content (`_data/` holds data files read by other stages).
pub fn is_skipped(name: &str, is_dir: bool) -> bool {
    name.starts_with('.') || (name.starts_with('_') && (is_dir || name != "_index.md"))
}

/// A relative path with `/` separators.
pub fn to_slash(p: &Path) -> String {
    let parts: Vec<String> = p
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The URL path (percent-encoded) and output file (the name as it is) for
/// a Markdown file's content-relative path.
pub fn url_for(rel: &str) -> (String, String) {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let dir = match stem.rsplit_once('/') {
        Some((dir, "_index" | "index")) => dir.to_string(),
        None if stem == "_index" || stem == "index" => String::new(),
        _ => stem.to_string(),
    };
    if dir.is_empty() {
        ("/".into(), "index.html".into())
    } else {
        let url = crate::url::encode_path(&dir);
        (format!("/{url}/"), format!("{dir}/index.html"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_mapping() {
        assert_eq!(url_for("_index.md"), ("/".into(), "index.html".into()));
        assert_eq!(url_for("x.md"), ("/x/".into(), "x/index.html".into()));
        assert_eq!(url_for("x/index.md"), ("/x/".into(), "x/index.html".into()));
        assert_eq!(
            url_for("dir/_index.md"),
            ("/dir/".into(), "dir/index.html".into())
        );
        assert_eq!(
            url_for("dir/sub/page.md"),
            ("/dir/sub/page/".into(), "dir/sub/page/index.html".into())
        );
        assert_eq!(
            url_for("common/%.md"),
            ("/common/%25/".into(), "common/%/index.html".into())
        );
        assert_eq!(
            url_for("a b/[1].md"),
            ("/a%20b/%5B1%5D/".into(), "a b/[1]/index.html".into())
        );
    }

    #[test]
    fn skipping() {
        assert!(is_skipped(".git", true));
        assert!(is_skipped("_data", true));
        assert!(is_skipped("_draft.md", false));
        assert!(!is_skipped("_index.md", false));
        assert!(!is_skipped("index.md", false));
        assert!(!is_skipped("photo.png", false));
    }

    #[test]
    fn discovers_in_stable_order_and_skips() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path();
        std::fs::create_dir_all(c.join("b/_data")).unwrap();
        std::fs::create_dir_all(c.join(".hidden")).unwrap();
        for f in [
            "_index.md",
            "a.md",
            "b/index.md",
            "b/img.png",
            "b/_data/x.yaml",
            ".hidden/x.md",
            ".dotted.md",
            ".#lock.md",
            "_notes.md",
        ] {
            std::fs::write(c.join(f), "x").unwrap();
        }
        let found = discover(c).unwrap();
        let rels: Vec<String> = found
            .iter()
            .map(|f| match f {
                Found::Markdown { rel, .. } => format!("md:{rel}"),
                Found::Asset { rel, .. } => format!("asset:{rel}"),
                Found::Hidden { rel } => format!("hidden:{rel}"),
            })
            .collect();
        assert_eq!(
            rels,
            [
                "hidden:.dotted.md",
                "md:_index.md",
                "md:a.md",
                "asset:b/img.png",
                "md:b/index.md",
            ]
        );
    }
}
