//! Discovering content: which files under `content/` are pages, which are
//! assets to copy, which are data files, and which are skipped (hidden and
//! `_`-prefixed files); and which links under it are followed.

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
    /// A YAML data file (also an `Asset` when it sits among the pages).
    Data { path: PathBuf, rel: String },
}

/// Walk `content_dir` in a stable order: the one walk of `content/`, which
/// also finds the data files (YAML anywhere but in hidden folders, `_data/`
/// included), so links and odd files are judged once for all of them.
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
            e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.') || is_hidden_page(e)
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e.path().map(Path::to_path_buf).unwrap_or_default();
                let shown = shown_path(content_dir, &p);
                errors.push(
                    Diagnostic::new(Kind::Io, format!("cannot read {}: {e}", shown.display()))
                        .file(&shown),
                );
                continue;
            }
        };
        let path = entry.path();
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let Ok(rel) = path.strip_prefix(content_dir).map(to_slash) else {
            continue;
        };
        let published = is_published(&rel);
        let data = is_data(&rel);
        if !published && !data {
            continue;
        }
        let shown = Path::new("content").join(&rel);
        if ft.is_symlink()
            && let Some(d) = link_refused(path, &shown, &canonical_root)
        {
            errors.push(d);
            continue;
        }
        // A regular page file needs no extra stat here (the directory entry
        // says what it is, and its size is checked when it is read); links,
        // other files and anything that is not a regular file are checked.
        let plain_page = ft.is_file() && rel.ends_with(".md");
        if !plain_page && let Some(d) = refused(path, &shown, ft.is_symlink()) {
            errors.push(d);
            continue;
        }
        if data {
            found.push(Found::Data {
                path: path.to_path_buf(),
                rel: rel.clone(),
            });
        }
        if !published {
            continue;
        }
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

/// `path` under `content_dir` as the site's editors name it (`content/…`).
fn shown_path(content_dir: &Path, path: &Path) -> PathBuf {
    match path.strip_prefix(content_dir) {
        Ok(rel) => Path::new("content").join(rel),
        Err(_) => path.to_path_buf(),
    }
}

/// Whether the file at content-relative `rel` is content: no folder on its
/// way and not its name skipped (hidden pages are reported, not skipped).
fn is_published(rel: &str) -> bool {
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        let last = parts.peek().is_none();
        if is_skipped(part, !last) && !(last && part.starts_with('.') && part.ends_with(".md")) {
            return false;
        }
    }
    true
}

/// Whether the file at content-relative `rel` is a data file: YAML, not
/// hidden, in no hidden folder.
fn is_data(rel: &str) -> bool {
    (rel.ends_with(".yaml") || rel.ends_with(".yml")) && !rel.split('/').any(|p| p.starts_with('.'))
}

/// Why a link under `content/` is not followed: it leads outside content/
/// or nowhere, or to a folder (links are followed to files only).
fn link_refused(path: &Path, shown: &Path, canonical_root: &Path) -> Option<Diagnostic> {
    let target = path.canonicalize().ok();
    let inside = target
        .as_ref()
        .is_some_and(|t| t.starts_with(canonical_root));
    let folder = target.as_ref().is_some_and(|t| t.is_dir());
    let (message, hint) = match (inside, folder) {
        (true, false) => return None,
        (false, false) => (
            format!(
                "{} is a link that leads outside content/ (or nowhere)",
                shown.display()
            ),
            "copy the file into content/ instead of linking to it",
        ),
        (false, true) => (
            format!("{} is a link to a folder outside content/", shown.display()),
            "move or copy the folder into content/ instead of linking to it",
        ),
        (true, true) => (
            format!(
                "{} is a link to a folder; docent follows links to files only",
                shown.display()
            ),
            "link each file instead, or move the folder here",
        ),
    };
    let kind = if inside { Kind::Io } else { Kind::PathEscape };
    Some(Diagnostic::new(kind, message).file(shown).hint(hint))
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

/// The warning for a file copied as it is that its editor surely meant
/// as a page: Markdown by another extension (`about.markdown`, Jekyll's
/// and Hugo's; `Notes.MD`), or MDX. docent builds pages from `.md` files.
pub fn unbuilt_markdown(rel: &str) -> Option<Diagnostic> {
    let (stem, ext) = rel.rsplit_once('.')?;
    let name = stem.rsplit('/').next().unwrap_or(stem);
    if name.is_empty() {
        return None;
    }
    let lower = ext.to_ascii_lowercase();
    let hint = match lower.as_str() {
        "md" | "markdown" | "mdown" | "mkd" | "mkdn" | "mdwn" => {
            format!("rename it `{name}.md` to build it as a page (docent reads `.md` files)")
        }
        "mdx" => "MDX (Markdown with JSX components) is not read: rename it `.md` and replace its \
                  components and `import` lines with Markdown or docent's components"
            .to_string(),
        _ => return None,
    };
    let shown = Path::new("content").join(rel);
    Some(
        Diagnostic::new(
            Kind::NotPublished,
            format!(
                "{} is copied into the site as a file, not built as a page",
                shown.display()
            ),
        )
        .file(&shown)
        .hint(hint),
    )
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
        std::fs::create_dir_all(c.join("_drafts")).unwrap();
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
            "_drafts/.x.md",
            "_drafts/t.yml",
            "_drafts/d.md",
            ".hidden/h.yaml",
            "b/studies.yaml",
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
                Found::Data { rel, .. } => format!("data:{rel}"),
            })
            .collect();
        assert_eq!(
            rels,
            [
                "hidden:.dotted.md",
                "data:_drafts/t.yml",
                "md:_index.md",
                "md:a.md",
                "data:b/_data/x.yaml",
                "asset:b/img.png",
                "md:b/index.md",
                "data:b/studies.yaml",
                "asset:b/studies.yaml",
            ]
        );
    }
}
