//! Full-text search: Pagefind, run in-process on the HTML already rendered
//! in memory (no second read from disk, no external tool, no network). Its
//! index and UI script go under `pagefind/` in the output.
//!
//! Only the article body is indexed: the theme marks it `data-pagefind-body`
//! and marks navigation, tooltips and the search page itself to be ignored.

use crate::error::{Diagnostic, Kind};
use crate::write::{Content, OutputFile};

/// Index `pages` (URL relative to the site root, HTML) and return the files Pagefind produced,
/// relative to the output root.
pub fn index(language: &str, pages: &[(String, &str)]) -> Result<Vec<OutputFile>, Diagnostic> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    let fail = |what: &str, e: &dyn std::fmt::Display| {
        Diagnostic::new(Kind::Io, format!("search index: {what}: {e}"))
            .hint("set `search: false` in site.yaml to build without search, and report this as a docent bug")
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .map_err(|e| fail("cannot start the indexer", &e))?;
    let lang = language
        .split('-')
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase();
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(lang)
            .build();
        let mut index =
            PagefindIndex::new(Some(config)).map_err(|e| fail("cannot configure Pagefind", &e))?;
        for (url, html) in pages {
            index
                .add_html_file(None, Some(url.clone()), (*html).to_string())
                .await
                .map_err(|e| fail(&format!("cannot index {url}"), &e))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| fail("cannot build the index", &e))?;
        // docent's theme has its own search UI; Pagefind's prebuilt UIs are not shipped.
        let unused = |name: &str| name.contains("-ui.") || name.starts_with("pagefind-highlight");
        Ok(files
            .into_iter()
            .filter(|f| {
                !unused(
                    &f.filename
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                )
            })
            .map(|f| {
                let rel = crate::load::walk::to_slash(&f.filename);
                let rel = rel.trim_start_matches('/');
                let path = if rel.starts_with("pagefind/") {
                    rel.to_string()
                } else {
                    format!("pagefind/{rel}")
                };
                OutputFile {
                    path,
                    content: Content::Bytes(f.contents),
                }
            })
            .collect())
    })
}
