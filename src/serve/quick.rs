//! The quick rebuild of `docent serve`: when the file watcher knows exactly
//! which files changed and each is a page of the served build whose front
//! matter did not change (a body edit, the common case while writing),
//! only those pages are read and rendered again, against the site the last
//! good build loaded, instead of walking, statting and checking the whole
//! site. Anything else (a file added, deleted or renamed, a data file, the
//! bibliography, the theme, `site.yaml`, a front-matter edit, any error)
//! is left to the full rebuild, which gives the same output and reports
//! errors as `docent build` would.
//!
//! Why the output is the same: a page's body reaches other outputs only
//! through its citations (the references page), whether it highlights code
//! (`syntax.css`) and its searchable text (the search index), and those are
//! redone here. Everything else other pages show of it (title, URL,
//! description, dates, place in the navigation) comes from its front
//! matter, which is why the rebuild cache's site-wide key leaves bodies out
//! too. The serve tests compare every served file with a full build after
//! such edits.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use bytes::Bytes;

use crate::cache::Cache;
use crate::error::Diagnostic;
use crate::site::{Generated, Site};
use crate::{markdown, render, search};

/// What the last good build leaves for the next quick rebuild.
pub(super) struct Retained {
    /// The site that build loaded (page bodies not kept).
    pub site: Site,
    /// Every folder under `content/` holding a page or a file of the site,
    /// content-relative: a deleted path that is one of these is a change.
    dirs: HashSet<String>,
    /// The theme's templates with the site's context, made by the first
    /// quick rebuild and kept (a theme or site.yaml change is a full one).
    templates: Option<render::Templates>,
    /// Output paths of the site's own files: docent's generated files
    /// (syntax.css, the search index) are not served there.
    own: HashSet<String>,
}

impl Retained {
    pub(super) fn new(site: Site, own: HashSet<String>) -> Retained {
        let mut dirs = HashSet::new();
        let sources = site
            .pages
            .iter()
            .map(|p| p.rel_path.as_str())
            .chain(site.assets.iter().map(|a| a.out_path.as_str()));
        for rel in sources {
            for (i, _) in rel.match_indices('/') {
                if !dirs.insert(rel[..i].to_string()) {
                    // Its parents are in already (a set per prefix).
                    continue;
                }
            }
        }
        Retained {
            site,
            dirs,
            templates: None,
            own,
        }
    }
}

/// What a quick rebuild changed in the served files.
pub(super) struct Update {
    /// Files to serve with new bytes, by output path.
    pub files: Vec<(String, Bytes)>,
    /// Output paths no longer served.
    pub removed: Vec<String>,
    /// Pages rendered.
    pub rendered: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Rebuild after `changed` (site-relative paths with `/`), or `None` when
/// the change is not only page bodies of the served build and the full
/// rebuild must run. `served` are the files being served; `cache` is the
/// served build's rebuild cache, brought up to date here.
pub(super) fn rebuild(
    retained: &mut Retained,
    cache: &mut Cache,
    changed: &[String],
    served: &HashMap<Arc<str>, Bytes>,
) -> Option<Update> {
    let edited = edited_pages(retained, changed)?;
    let mut site_pages = Vec::with_capacity(edited.len());
    for i in edited {
        let page = crate::load::reread_body(&retained.site, i)?;
        // Saved without a change: nothing to do.
        if page.hash != retained.site.pages[i].hash {
            site_pages.push((i, page));
        }
    }
    let edited: Vec<usize> = site_pages.iter().map(|(i, _)| *i).collect();
    if edited.is_empty() {
        return Some(Update {
            files: Vec::new(),
            removed: Vec::new(),
            rendered: 0,
            warnings: Vec::new(),
        });
    }
    // Render against the site as it will be: the edited pages in place.
    let mut old_pages = Vec::with_capacity(site_pages.len());
    for (i, page) in site_pages {
        old_pages.push((i, std::mem::replace(&mut retained.site.pages[i], page)));
    }
    if retained.templates.is_none() {
        let mut templates = render::theme::load(&retained.site).ok()?;
        render::prepare(&retained.site, &mut templates);
        retained.templates = Some(templates);
    }
    let templates = retained.templates.as_ref()?;
    let update = render_edited(
        &retained.site,
        templates,
        cache,
        &edited,
        served,
        &retained.own,
    );
    if update.is_none() {
        // Leave the site as the served build loaded it.
        for (i, page) in old_pages {
            retained.site.pages[i] = page;
        }
    }
    update
}

/// The pages of the served build that `changed` edited, or `None` if the
/// change is anything else. Paths that do not exist and never belonged to
/// the site (an editor's temporary file, already renamed over a page) are
/// no change.
fn edited_pages(retained: &Retained, changed: &[String]) -> Option<Vec<usize>> {
    let site = &retained.site;
    let mut edited = Vec::new();
    for path in changed {
        let rel = path.strip_prefix("content/")?;
        let on_disk = std::fs::symlink_metadata(site.content_dir.join(rel));
        match (site.by_source.get(rel), on_disk) {
            (Some(&i), Ok(meta)) if meta.is_file() => {
                if site.pages[i].generated.is_some() {
                    // Its list waits for every page's citations.
                    return None;
                }
                let translated = (1..site.languages.len()).any(|l| {
                    site.translation(i, l)
                        .is_some_and(|t| crate::translation::source_of(site, t) == Some(i))
                });
                if translated {
                    // Its translations may now show they are out of date.
                    return None;
                }
                edited.push(i);
            }
            (None, Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                let known = site.by_asset.contains_key(rel)
                    || site.data.contains_key(rel)
                    || rel == site.config.bibliography
                    || retained.dirs.contains(rel);
                if known {
                    return None;
                }
            }
            _ => return None,
        }
    }
    edited.sort_unstable();
    edited.dedup();
    Some(edited)
}

/// Render the `edited` pages of `site` (already in place) and what depends
/// on their bodies; `None` on any error (the full rebuild reports it).
fn render_edited(
    site: &Site,
    templates: &render::Templates,
    cache: &mut Cache,
    edited: &[usize],
    served: &HashMap<Arc<str>, Bytes>,
    own: &HashSet<String>,
) -> Option<Update> {
    let renderer = render::Renderer::new(site, templates).ok()?;
    let images = crate::images::Images::new(site);
    let env = markdown::components::Env {
        images: Some(&images),
        site,
        templates,
        analyze: false,
    };
    let mut update = Update {
        files: Vec::new(),
        removed: Vec::new(),
        rendered: edited.len(),
        warnings: Vec::new(),
    };
    let mut docs = Vec::new();
    let mut entries = Vec::new();
    let (mut cited_changed, mut highlight_changed) = (false, false);
    for &i in edited {
        let page = &site.pages[i];
        let old = cache.pages.get(&page.rel_path)?;
        let r = crate::isolate::catch(Some(&page.shown_path), "rendering this page", || {
            markdown::render_page(site, page, &env).ok()
        })
        .ok()??;
        update.warnings.extend(r.warnings.iter().cloned());
        let (html, doc, r) = crate::page_html(site, &renderer, i, r, false).ok()?;
        if r.variants != old.images {
            // Other images: their files are made by the full pipeline.
            return None;
        }
        cited_changed |= r.cited != old.cited;
        highlight_changed |= r.highlighted != old.highlighted;
        docs.extend(doc.map(|d| (i, d)));
        entries.push((
            page.rel_path.clone(),
            crate::cache::Entry {
                source: page.hash.clone(),
                out: page.out_path.clone(),
                len: html.len() as u64,
                cited: r.cited,
                highlighted: r.highlighted,
                images: r.variants,
                warnings: r.warnings,
            },
        ));
        update
            .files
            .push((page.out_path.clone(), Bytes::from(html.into_bytes())));
    }
    // The cache entries are what the generated pages read: update them first.
    let before: Vec<_> = entries
        .iter()
        .map(|(rel, _)| (rel.clone(), cache.pages.get(rel).cloned()))
        .collect();
    cache.pages.extend(entries);
    let result = dependents(
        site,
        cache,
        &renderer,
        cited_changed,
        &mut docs,
        &mut update,
    )
    .and_then(|()| {
        if highlight_changed && !own.contains(SYNTAX_CSS) {
            syntax_css(cache, served, &mut update);
        }
        search_index(site, cache, docs, served, own, &mut update)
    });
    if result.is_none() {
        for (rel, entry) in before {
            match entry {
                Some(e) => cache.pages.insert(rel, e),
                None => cache.pages.remove(&rel),
            };
        }
    }
    result.map(|()| update)
}

/// The references page again, when the edited pages cite something else
/// than before.
fn dependents(
    site: &Site,
    cache: &Cache,
    renderer: &render::Renderer,
    cited_changed: bool,
    docs: &mut Vec<(usize, search::Doc)>,
    update: &mut Update,
) -> Option<()> {
    if !cited_changed {
        return Some(());
    }
    let mut rendered: Vec<markdown::Rendered> = site
        .pages
        .iter()
        .map(|p| markdown::Rendered {
            cited: cache
                .pages
                .get(&p.rel_path)
                .filter(|_| p.generated.is_none())
                .map(|e| e.cited.clone())
                .unwrap_or_default(),
            ..markdown::Rendered::default()
        })
        .collect();
    crate::generated::fill(site, &mut rendered, renderer.templates()).ok()?;
    for (i, p) in site.pages.iter().enumerate() {
        if p.generated != Some(Generated::References) {
            continue;
        }
        let html = renderer.page(i, &rendered[i]).ok()?;
        let html = crate::as_written(site, html);
        if site.config.search {
            docs.extend(crate::search_doc(site, p, &html).map(|d| (i, d)));
        }
        update.rendered += 1;
        update
            .files
            .push((p.out_path.clone(), Bytes::from(html.into_bytes())));
    }
    Some(())
}

const SYNTAX_CSS: &str = "syntax.css";

/// `syntax.css` served when some page highlights code, and only then.
fn syntax_css(cache: &Cache, served: &HashMap<Arc<str>, Bytes>, update: &mut Update) {
    const PATH: &str = SYNTAX_CSS;
    let wanted = cache.pages.values().any(|e| e.highlighted);
    match (wanted, served.contains_key(PATH)) {
        (true, false) => update.files.push((
            PATH.into(),
            Bytes::from_static(markdown::highlight::stylesheet().as_bytes()),
        )),
        (false, true) => update.removed.push(PATH.into()),
        _ => {}
    }
}

/// The search index with the edited pages' text replaced.
fn search_index(
    site: &Site,
    cache: &mut Cache,
    docs: Vec<(usize, search::Doc)>,
    served: &HashMap<Arc<str>, Bytes>,
    own: &HashSet<String>,
    update: &mut Update,
) -> Option<()> {
    if !site.config.search {
        return Some(());
    }
    let mut all = crate::previous_search_docs(site, |f| served.get(f).map(|b| b.to_vec()));
    for (i, doc) in docs {
        all.insert(site.url(&site.pages[i]), doc);
    }
    // Pages the served index left out (no text) are extracted again, as
    // the full rebuild does.
    for p in &site.pages {
        if p.generated == Some(Generated::Search) {
            continue;
        }
        let url = site.url(p);
        if all.get(&url).is_none_or(|d| d.title != p.title) {
            let html = std::str::from_utf8(served.get(p.out_path.as_str())?).ok()?;
            all.insert(url, crate::search_doc(site, p, html)?);
        }
    }
    let mut docs: Vec<search::Doc> = all.into_values().collect();
    crate::rank_search_docs(site, &mut docs);
    let mut files = crate::search_index_files(site, docs);
    // The site's own file at an index path is served, not docent's.
    files.retain(|f| !own.contains(&f.path));
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    update.removed.extend(
        cache
            .search
            .iter()
            .filter(|p| !paths.contains(p.as_str()) && !own.contains(p.as_str()))
            .cloned(),
    );
    cache.search = files.iter().map(|f| f.path.clone()).collect();
    for f in files {
        let crate::write::Content::Bytes(b) = f.content else {
            return None;
        };
        update.files.push((f.path, Bytes::from(b)));
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, Retained) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/guide/deep")).unwrap();
        std::fs::write(root.join("site.yaml"), "title: T\n").unwrap();
        std::fs::write(root.join("content/a.md"), "---\ntitle: A\n---\nBody.\n").unwrap();
        std::fs::write(root.join("content/guide/deep/b.md"), "---\ntitle: B\n---\n").unwrap();
        std::fs::write(root.join("content/guide/pic.png"), "png").unwrap();
        let opts = crate::load::LoadOptions {
            lean: true,
            ..Default::default()
        };
        let site = crate::load::load(root, &opts).unwrap();
        (dir, Retained::new(site, HashSet::new()))
    }

    fn paths(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn only_edits_to_existing_pages_are_quick() {
        let (dir, r) = site();
        let a = r.site.by_source["a.md"];
        let b = r.site.by_source["guide/deep/b.md"];
        let quick = |list: &[&str]| edited_pages(&r, &paths(list));
        assert_eq!(quick(&["content/a.md"]), Some(vec![a]));
        assert_eq!(
            quick(&["content/guide/deep/b.md", "content/a.md", "content/a.md"]),
            Some(vec![a, b])
        );
        // An editor's temporary file, gone by now: no change.
        assert_eq!(
            quick(&["content/.a.md.swp1", "content/a.md"]),
            Some(vec![a])
        );
        // Everything else is for the full rebuild.
        std::fs::write(dir.path().join("content/new.md"), "---\ntitle: N\n---\n").unwrap();
        for other in [
            "site.yaml",
            "themes/x/templates/page.html",
            "content/new.md",
            "content/guide/pic.png",
            "content/guide",
            "content/guide/deep",
        ] {
            assert_eq!(quick(&[other, "content/a.md"]), None, "{other}");
        }
        // A page, a file or a folder of the site that is gone.
        std::fs::remove_file(dir.path().join("content/guide/pic.png")).unwrap();
        std::fs::remove_dir_all(dir.path().join("content/guide/deep")).unwrap();
        for gone in [
            "content/guide/pic.png",
            "content/guide/deep",
            "content/guide/deep/b.md",
        ] {
            assert_eq!(quick(&[gone]), None, "{gone}");
        }
    }

    #[test]
    fn a_front_matter_edit_is_not_a_body_edit() {
        let (dir, r) = site();
        let a = r.site.by_source["a.md"];
        let file = dir.path().join("content/a.md");
        std::fs::write(&file, "---\ntitle: A\n---\nNew body.\n").unwrap();
        let page = crate::load::reread_body(&r.site, a).expect("a body edit");
        assert_ne!(page.hash, r.site.pages[a].hash);
        assert_eq!(page.title, "A");
        for edit in [
            "---\ntitle: A2\n---\nBody.\n",
            "---\ntitle: A\ndescription: D\n---\nBody.\n",
            "Body without front matter.\n",
            "---\ntitle: [\n---\n",
        ] {
            std::fs::write(&file, edit).unwrap();
            assert!(crate::load::reread_body(&r.site, a).is_none(), "{edit}");
        }
    }
}
