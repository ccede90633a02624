//! `docent import --from TOOL SRC DEST`: a docent site made from a MkDocs,
//! Jupyter Book, mdBook, Hugo or Zola project. The tool's configuration
//! gives the title, description, base URL, language and navigation order
//! (`project.rs`); each page is converted (`convert.rs`: front matter,
//! admonitions, includes, links); other files are copied. SRC is only
//! read, never written; DEST must be empty or new; the report lists what
//! was converted and everything that was not, with file and line.

mod convert;
mod project;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use project::Project;
pub use project::Tool;

/// Something `import` could not convert, where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Path relative to SRC.
    pub file: String,
    /// 1-based line, 0 for the whole file.
    pub line: usize,
    pub what: String,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    /// Conversions made, counted: `front matter lastmod → updated: 3`.
    pub mapped: BTreeMap<String, usize>,
    /// What was not converted, sorted by file and line.
    pub not_converted: Vec<Finding>,
    pub dest: PathBuf,
    /// Taxonomies the pages use besides tags (declared in site.yaml).
    pub taxonomies: std::collections::BTreeSet<String>,
    /// The output path of each alias given so far → the page it is on
    /// (as the report names it): a second page's is left out.
    aliases: HashMap<String, String>,
}

impl Report {
    fn map(&mut self, what: impl Into<String>) {
        *self.mapped.entry(what.into()).or_default() += 1;
    }

    /// The report as printed.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Imported {} page{} and {} other file{} into {}.",
            self.pages,
            if self.pages == 1 { "" } else { "s" },
            self.files,
            if self.files == 1 { "" } else { "s" },
            self.dest.display()
        );
        if !self.mapped.is_empty() {
            s.push_str("\nConverted:\n");
            for (what, n) in &self.mapped {
                let _ = writeln!(s, "  {what} ({n}×)");
            }
        }
        if self.not_converted.is_empty() {
            s.push_str("\nEverything was converted.\n");
        } else {
            let _ = writeln!(
                s,
                "\nNot converted ({}): edit these by hand:",
                self.not_converted.len()
            );
            for f in &self.not_converted {
                if f.line == 0 {
                    let _ = writeln!(s, "  {}: {}", f.file, f.what);
                } else {
                    let _ = writeln!(s, "  {}:{}: {}", f.file, f.line, f.what);
                }
            }
        }
        let _ = writeln!(
            s,
            "\nNext: docent build --root {}   (or docent serve --root {})",
            self.dest.display(),
            self.dest.display()
        );
        s
    }
}

/// Import the project in `src`, written for `tool`, into a new site in `dest`.
pub fn import(tool: Tool, src: &Path, dest: &Path) -> Result<Report> {
    if !src.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a folder; name the project's folder (the one holding its configuration)",
            src.display()
        )));
    }
    crate::error::require_new_folder(dest, "import")?;
    let src_root = src
        .canonicalize()
        .map_err(|e| Error::io(format!("cannot read {}", src.display()), e))?;
    let project = project::read(tool, &src_root)?;
    let mut report = Report {
        dest: dest.to_path_buf(),
        not_converted: project.findings.clone(),
        ..Report::default()
    };
    if !project.math_macros.is_empty() {
        report.map("MathJax macros → markdown.math_macros");
    }
    let files = collect(&project, &src_root, dest);
    // Where each page lands (index.md and README.md become _index.md),
    // known before any page is converted, so links can follow.
    let pages: HashSet<&str> = files
        .iter()
        .filter(|f| f.page)
        .map(|f| f.rel.as_str())
        .collect();
    let moved: HashMap<String, String> = files
        .iter()
        .filter(|f| f.page)
        .map(|f| {
            let to = page_dest(&f.rel, tool, &pages, &project);
            (f.rel.clone(), to)
        })
        .collect();
    // Hugo's URLs are lowercase: links name pages that way.
    let mut moved_lower: HashMap<String, String> = HashMap::new();
    if project.lower_paths {
        for (rel, to) in &moved {
            moved_lower
                .entry(rel.to_lowercase())
                .or_insert_with(|| to.clone());
        }
        report
            .not_converted
            .extend(capital_folders(&pages, &project, &src_root));
    }
    // Each page's output path, which no alias may take.
    let page_outs: HashMap<String, String> = files
        .iter()
        .filter(|f| f.page)
        .map(|f| {
            (
                crate::load::walk::url_for(&moved[&f.rel]).1,
                f.shown.clone(),
            )
        })
        .collect();
    let labels = if tool == Tool::JupyterBook {
        myst_labels(&files)
    } else {
        HashSet::new()
    };
    let ctx = convert::Ctx {
        tool,
        src_root: &src_root,
        project: &project,
        moved: &moved,
        moved_lower: &moved_lower,
        page_outs: &page_outs,
        labels: &labels,
    };
    let content = dest.join("content");
    for f in &files {
        if f.page {
            let new_rel = &moved[&f.rel];
            let converted = convert::page(&ctx, &f.rel, new_rel, &mut report)?;
            write(&content.join(new_rel), converted.as_bytes())?;
            report.pages += 1;
        } else {
            if f.rel.ends_with(".ipynb") {
                report.not_converted.push(Finding {
                    file: f.shown.clone(),
                    line: 0,
                    what: "Jupyter notebook: copied as a file, not converted to a page".into(),
                });
            }
            let to = content.join(&f.to);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
            }
            fs::copy(&f.path, &to)
                .map_err(|e| Error::io(format!("cannot copy {}", f.path.display()), e))?;
            report.files += 1;
        }
    }
    // Sections the navigation names that have no landing page.
    for (dir, (title, weight)) in &project.sections {
        let rel = if dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{dir}/_index.md")
        };
        if !moved.values().any(|v| *v == rel) && content.join(dir).is_dir() {
            let mut fm = serde_json::Map::new();
            fm.insert("title".into(), title.clone().into());
            if let Some(w) = weight {
                fm.insert("weight".into(), (*w).into());
            }
            let text = format!("---\n{}---\n", crate::yaml::to_string(&fm.into()));
            write(&content.join(&rel), text.as_bytes())?;
            report.map("navigation section → _index.md");
        }
    }
    write(
        &dest.join("site.yaml"),
        project.site_yaml(&report.taxonomies).as_bytes(),
    )?;
    write(
        &dest.join(".gitignore"),
        b"/public\n/.public.docent-stage\n",
    )?;
    report.not_converted.sort();
    report.not_converted.dedup();
    Ok(report)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    }
    fs::write(path, bytes).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// Folders of pages whose names have capitals: Hugo published them
/// lowercased, docent keeps a folder's name as it is (the outermost such
/// folder of each page, once).
fn capital_folders(pages: &HashSet<&str>, project: &Project, src_root: &Path) -> Vec<Finding> {
    let root = project
        .content_root
        .strip_prefix(src_root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let mut folders = std::collections::BTreeSet::new();
    for page in pages {
        let mut at = 0;
        let folders_of_page = page.rsplit_once('/').map_or("", |(dir, _)| dir);
        for part in folders_of_page.split('/').filter(|p| !p.is_empty()) {
            at += part.len() + 1;
            if part.chars().any(char::is_uppercase) {
                folders.insert(&page[..at]);
                break;
            }
        }
    }
    folders
        .into_iter()
        .map(|folder| Finding {
            file: if root.is_empty() {
                folder.to_string()
            } else {
                format!("{root}/{folder}")
            },
            line: 0,
            what: format!(
                "folder name with capitals: Hugo published its pages under `{}`; \
                 docent keeps the name, so their URLs change (rename the folder to keep them)",
                folder.to_lowercase()
            ),
        })
        .collect()
}

/// A file of the project to bring over.
struct SourceFile {
    path: PathBuf,
    /// Path relative to the content folder, `/`-separated.
    rel: String,
    /// Where it goes under the new content/ (other files).
    to: String,
    /// Its path relative to SRC, as the report names it.
    shown: String,
    page: bool,
}

/// The project's pages and other files: everything under its content
/// folder (and Hugo's and Zola's static/) but configuration, output and
/// hidden files, and DEST when it is inside SRC.
fn collect(project: &Project, src_root: &Path, dest: &Path) -> Vec<SourceFile> {
    let dest = dest.canonicalize().ok();
    let mut out = Vec::new();
    let mut roots = vec![(project.content_root.clone(), String::new())];
    for extra in &project.asset_roots {
        roots.push((extra.clone(), String::new()));
    }
    for (ri, (root, prefix)) in roots.iter().enumerate() {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                // `_build/`, `_config.yml`: the tool's own; `_index.md`
                // (Hugo, Zola) and `_static/` are content.
                let own =
                    name.starts_with('_') && !matches!(&*name, "_index.md" | "_static" | "_images");
                e.depth() == 0
                    || (!name.starts_with('.')
                        && !own
                        && dest.as_deref() != e.path().canonicalize().ok().as_deref()
                        && !project
                            .skip_dirs
                            .iter()
                            .any(|d| e.path() == src_root.join(d)))
            });
        for entry in walker.filter_map(std::result::Result::ok) {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let from_src = entry
                .path()
                .strip_prefix(src_root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if project.skip_files.contains(&from_src) {
                continue;
            }
            let page = ri == 0 && (rel.ends_with(".md") || rel.ends_with(".markdown"));
            out.push(SourceFile {
                shown: from_src.clone(),
                path: entry.path().to_path_buf(),
                to: format!("{prefix}{rel}"),
                rel,
                page,
            });
        }
    }
    out
}

/// Where the page at `rel` (one of `pages`) goes: `index.md` and
/// `README.md` become their folder's `_index.md` (README only where there
/// is no index.md), `.markdown` becomes `.md`, and a Hugo page's name is
/// lowercased as Hugo's URLs are (`RegularPages.md` was at
/// `regularpages/`), unless a page has that name already.
fn page_dest(rel: &str, tool: Tool, pages: &HashSet<&str>, project: &Project) -> String {
    if project.home.as_deref() == Some(rel) {
        return "_index.md".into();
    }
    let rel = match rel.strip_suffix(".markdown") {
        Some(stem) => format!("{stem}.md"),
        None => rel.to_string(),
    };
    let (dir, mut name) = match rel.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n.to_string()),
        None => (String::new(), rel.clone()),
    };
    let has = |n: &str| pages.contains(format!("{dir}{n}").as_str());
    if project.lower_paths && name.chars().any(char::is_uppercase) {
        let lower = name.to_lowercase();
        if !has(&lower) && !has(&lower.replace(".md", ".markdown")) {
            name = lower;
        }
    }
    let rel = format!("{dir}{name}");
    let landing = match name.as_str() {
        // A home page named by the project's table of contents.
        _ if project.home.is_some() && dir.is_empty() => false,
        // Hugo and Zola: a folder's index.md is a page with its files.
        "index.md" => !matches!(tool, Tool::Hugo | Tool::Zola) || dir.is_empty(),
        "README.md" | "readme.md" => !has("index.md") && !has("_index.md"),
        _ => false,
    };
    if landing && !has("_index.md") {
        format!("{dir}_index.md")
    } else {
        rel
    }
}

/// Every MyST label the project's pages define (sections, figures,
/// equations, proofs): `[](name)` links to them are references the build
/// resolves, not missing pages.
fn myst_labels(files: &[SourceFile]) -> HashSet<String> {
    let mut labels = HashSet::new();
    for f in files.iter().filter(|f| f.page) {
        let Ok(text) = fs::read_to_string(&f.path) else {
            continue;
        };
        if let Some(scan) = crate::myst::scan(&text) {
            let all = scan
                .labels
                .iter()
                .chain(&scan.equations)
                .chain(&scan.proofs);
            labels.extend(all.map(|l| l.name.clone()));
        }
    }
    labels
}
