//! The rebuild cache: what the last successful build of an output folder
//! rendered from which inputs, so a rebuild re-renders only pages whose
//! inputs changed and leaves their files untouched.
//!
//! A page is reused only when its own source is byte-identical and nothing
//! site-wide changed: config, templates, data files, bibliography, glossary,
//! or the site's structure (every page's URL, title, description, dates,
//! weight, terms, MyST labels and place), which feeds navigation, listings and links. Anything
//! else, and any doubt (missing or unreadable cache, another docent version,
//! a missing output file), means a full render. `docent check` and `serve`
//! never use it.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::fingerprint::exe_id;
use crate::markdown::Rendered;
use crate::render::Templates;
use crate::site::Site;
use crate::write::{Content, OutputFile};

pub(crate) const FILE: &str = crate::write::CACHE_FILE;

pub(crate) mod sources;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Cache {
    pub version: String,
    /// Hash of everything site-wide.
    pub global: String,
    /// Content-relative source path → what its page produced.
    pub pages: BTreeMap<String, Entry>,
    /// Search index files of that build.
    pub search: Vec<String>,
    /// Resized image files of that build, with their lengths (their names
    /// carry the hash of what they were made from).
    #[serde(default)]
    pub images: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub source: String,
    pub out: String,
    pub len: u64,
    pub cited: Vec<String>,
    pub highlighted: bool,
    /// Resized image files its HTML points at.
    #[serde(default)]
    pub images: Vec<String>,
    /// The problems rendering it found, reported again when it is kept.
    #[serde(default)]
    pub warnings: Vec<crate::error::Diagnostic>,
}

/// Hash of the site-wide inputs of a build.
pub(crate) fn global_key(site: &Site, templates: &Templates, drafts: bool) -> String {
    let mut h = crate::fingerprint::hasher();
    exe_id().hash(&mut h);
    drafts.hash(&mut h);
    // Config, including overrides such as --base-url.
    format!("{:?}", site.config).hash(&mut h);
    let mut sources: Vec<&(String, String)> = templates.sources.iter().collect();
    sources.sort();
    sources.hash(&mut h);
    // Theme strings (the theme's and the site's i18n files), per language.
    for l in &site.languages {
        let mut strings: Vec<(&String, &String)> = l.strings.map().iter().collect();
        strings.sort_unstable();
        (&l.code, strings).hash(&mut h);
    }
    let mut data: Vec<(&String, &String)> = site.data.iter().map(|(k, f)| (k, &f.text)).collect();
    data.sort();
    data.hash(&mut h);
    for p in &site.pages {
        (
            &p.rel_path,
            &p.url_path,
            &p.title,
            p.kind.as_str(),
            &p.parent,
            &p.children,
            &p.subsections,
        )
            .hash(&mut h);
        (
            &p.meta.description,
            &p.meta.date,
            &p.meta.updated,
            &p.meta.weight,
            &p.meta.draft,
            // Terms: the term pages list them, and every page links its own.
            &p.meta.tags,
            &p.meta.taxonomies,
            &p.meta.last_reviewed,
            // MyST labels and glossary terms: other pages' references show them.
            &p.myst,
        )
            .hash(&mut h);
        format!("{:?}", p.generated).hash(&mut h);
    }
    let mut assets: Vec<&str> = site.assets.iter().map(|a| a.out_path.as_str()).collect();
    assets.sort_unstable();
    assets.hash(&mut h);
    images_key(site).hash(&mut h);
    format!("{:016x}", h.finish())
}

/// What identifies the images pages may show, whose size and variants
/// are part of their HTML: each JPEG, PNG and WebP file's stamp (size,
/// inode, change times), or where there is none its contents' hash.
fn images_key(site: &Site) -> Vec<String> {
    if !crate::images::Images::new_enabled(site) {
        return Vec::new();
    }
    let mut key: Vec<String> = site
        .assets
        .iter()
        .filter(|a| crate::images::Format::of_path(&a.out_path).is_some())
        .map(|a| {
            let stamp = std::fs::metadata(&a.source)
                .ok()
                .and_then(|m| crate::fingerprint::Stamp::from_metadata(&m));
            match stamp {
                Some(s) => format!("{} {s:?}", a.out_path),
                None => {
                    let mut h = crate::fingerprint::hasher();
                    h.update(&std::fs::read(&a.source).unwrap_or_default());
                    format!("{} {:016x}", a.out_path, h.digest())
                }
            }
        })
        .collect();
    key.sort_unstable();
    key
}

/// The previous build's output, wherever it lives: the output folder for
/// `docent build`, memory for `docent serve`.
pub trait Outputs: Sync {
    /// The cache saved with that output, unchecked.
    fn cache(&self) -> Option<Cache>;
    /// Size of an output file, if it exists.
    fn len(&self, path: &str) -> Option<u64>;
    /// Contents of an output file, if it exists.
    fn read(&self, path: &str) -> Option<Vec<u8>>;
}

/// The output folder of `docent build`.
pub(crate) struct Disk<'a>(pub &'a Path);

impl Outputs for Disk<'_> {
    fn cache(&self) -> Option<Cache> {
        let packed = std::fs::read(self.0.join(FILE)).ok()?;
        let json = lz4_flex::decompress_size_prepended(&packed).ok()?;
        serde_json::from_slice(&json).ok()
    }
    fn len(&self, path: &str) -> Option<u64> {
        std::fs::metadata(self.0.join(path))
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    }
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        std::fs::read(self.0.join(path)).ok()
    }
}

/// Save the cache, as lz4-compressed JSON; an unchanged cache is not rewritten (a no-op
/// build touches no file at all).
pub(crate) fn save(out_dir: &Path, cache: &Cache) -> std::io::Result<()> {
    let json = serde_json::to_vec(cache).map_err(std::io::Error::other)?;
    let packed = lz4_flex::compress_prepend_size(&json);
    let path = out_dir.join(FILE);
    if std::fs::read(&path).is_ok_and(|old| old == packed) {
        return Ok(());
    }
    std::fs::write(path, packed)
}

/// The rebuild cache as a stage of the pipeline: before rendering, which
/// pages need not be rendered again; after, the cache for the next build.
pub(crate) struct Reuse<'a> {
    /// The site-wide key, when this build keeps a cache.
    global: Option<String>,
    /// The last build's cache, when its site-wide key is this one.
    previous: Option<Cache>,
    /// The last build's cache whatever its key (for images, whose names
    /// say what made them), when `previous` is not it.
    any_previous: Option<Cache>,
    /// The last build's output, where kept pages' files are.
    outputs: Option<&'a dyn Outputs>,
}

impl<'a> Reuse<'a> {
    /// Reuse what `outputs` (the last build's output and its cache) can
    /// give; with none, nothing is reused, and a cache is still made when
    /// `fresh` (a build into an empty folder, which gets one for next time).
    pub(crate) fn new(
        site: &Site,
        templates: &Templates,
        drafts: bool,
        outputs: Option<&'a dyn Outputs>,
        fresh: bool,
    ) -> Reuse<'a> {
        let global = (outputs.is_some() || fresh).then(|| global_key(site, templates, drafts));
        let any = outputs
            .and_then(|o| o.cache())
            .filter(|c| c.version == env!("CARGO_PKG_VERSION"));
        let (previous, any_previous) = match (any, global.as_deref()) {
            (Some(c), Some(g)) if c.global == g => (Some(c), None),
            (c, _) => (None, c),
        };
        Reuse {
            global,
            previous,
            any_previous,
            outputs,
        }
    }

    /// The last build's entry for `page`, when the page need not be
    /// rendered again (generated pages always are).
    pub(crate) fn kept(&self, site: &Site, i: usize) -> Option<&Entry> {
        let page = &site.pages[i];
        if page.generated.is_some() {
            return None;
        }
        let outputs = self.outputs?;
        self.previous.as_ref()?.reusable(
            &page.rel_path,
            &crate::translation::render_key(site, i),
            outputs,
        )
    }

    /// Whether the last build wrote the resized image `path` and it is
    /// still there with the size it was written with (its name says what
    /// it was made from, so it need not be made again). Unlike pages,
    /// images are kept across site-wide changes.
    pub(crate) fn kept_image(&self, path: &str) -> bool {
        let Some(outputs) = self.outputs else {
            return false;
        };
        let recorded = self
            .previous
            .as_ref()
            .or(self.any_previous.as_ref())
            .and_then(|c| c.images.get(path));
        recorded.is_some_and(|&len| outputs.len(path) == Some(len))
    }

    /// The last build's output, if this build reuses it.
    pub(crate) fn outputs(&self) -> Option<&'a dyn Outputs> {
        self.outputs
    }

    /// The search index files of the last build, when every one is still
    /// there (empty when there is no cache).
    pub(crate) fn search_files(&self) -> Option<&[String]> {
        let previous = self.previous.as_ref()?;
        let outputs = self.outputs?;
        let all_there =
            !previous.search.is_empty() && previous.search.iter().all(|f| outputs.len(f).is_some());
        all_there.then_some(previous.search.as_slice())
    }

    /// The cache for the next build: an entry for every page with its
    /// output's length (from `files`, or the last build's entry for a kept
    /// page), and `search`, the index files.
    pub(crate) fn entries(
        self,
        site: &Site,
        rendered: &[Rendered],
        files: &[OutputFile],
        search: Vec<String>,
        images: &[String],
    ) -> Option<Cache> {
        let global = self.global?;
        let lens: std::collections::HashMap<&str, u64> = files
            .iter()
            .filter_map(|f| match &f.content {
                Content::Static(_) => None,
                c => c.known_len().map(|n| (f.path.as_str(), n)),
            })
            .collect();
        let mut pages = BTreeMap::new();
        for (i, (p, r)) in site.pages.iter().zip(rendered).enumerate() {
            if p.generated.is_some() {
                continue;
            }
            let len = match lens.get(p.out_path.as_str()) {
                Some(&l) => l,
                None => match self
                    .previous
                    .as_ref()
                    .and_then(|c| c.pages.get(&p.rel_path))
                {
                    Some(e) => e.len,
                    None => continue,
                },
            };
            pages.insert(
                p.rel_path.clone(),
                Entry {
                    source: crate::translation::render_key(site, i).into_owned(),
                    out: p.out_path.clone(),
                    len,
                    cited: r.cited.clone(),
                    highlighted: r.highlighted,
                    images: r.variants.clone(),
                    warnings: r.warnings.clone(),
                },
            );
        }
        let previous_images = self
            .previous
            .as_ref()
            .or(self.any_previous.as_ref())
            .map(|c| &c.images);
        let images = images
            .iter()
            .filter_map(|path| {
                let len = lens
                    .get(path.as_str())
                    .copied()
                    .or_else(|| previous_images.and_then(|m| m.get(path)).copied())?;
                Some((path.clone(), len))
            })
            .collect();
        Some(Cache {
            version: env!("CARGO_PKG_VERSION").into(),
            global,
            pages,
            search,
            images,
        })
    }
}

impl Cache {
    /// The entry for a page whose source is unchanged and whose output file
    /// is still there with the size it was written with.
    pub fn reusable(&self, rel: &str, source_hash: &str, outputs: &dyn Outputs) -> Option<&Entry> {
        let e = self.pages.get(rel)?;
        let ok = e.source == source_hash
            && outputs.len(&e.out) == Some(e.len)
            && e.images.iter().all(|i| {
                self.images
                    .get(i)
                    .is_some_and(|&len| outputs.len(i) == Some(len))
            });
        ok.then_some(e)
    }
}
