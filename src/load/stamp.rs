//! Pages an earlier build loaded, kept under their file's stamp (see
//! [`crate::fingerprint::Stamp`]): a lean load takes an unchanged page from
//! here instead of reading and parsing its file again. The rebuild cache
//! keeps them in the output folder (`cache::sources`); `docent serve` keeps
//! them in memory.

use std::collections::HashMap;

use serde::Deserialize;

pub use crate::fingerprint::{RACY_SECS, Stamp};
use crate::site::FrontMatter;

/// Loaded page files by content-relative path.
pub type Sources = HashMap<String, Loaded>;

/// A page's loaded front matter, as the sources file keeps it.
#[derive(Debug, Clone, Deserialize)]
pub struct Loaded {
    pub stamp: Stamp,
    /// Hash of the whole file text.
    pub hash: String,
    /// The file text up to the body: what a lean load keeps.
    pub front: String,
    /// Byte offsets of the YAML and of the body in the file text.
    pub yaml_start: usize,
    pub body_start: usize,
    pub meta: FrontMatter,
    /// MyST labels and glossary terms of the body.
    #[serde(default)]
    pub myst: Option<Box<crate::myst::Scan>>,
}
