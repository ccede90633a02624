//! Data files: every `.yaml`/`.yml` file under `content/` (including
//! `content/_data/`; found by [`super::walk::discover`], which also judges
//! links), parsed once and shared by the components that use them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::site::DataFile;

use crate::error::Diagnostic;
use crate::yaml;

/// Parse the data files (path, content-relative path), keyed by
/// content-relative path.
pub fn load(found: &[(PathBuf, String)]) -> Result<HashMap<String, DataFile>, Vec<Diagnostic>> {
    let mut files = HashMap::new();
    let mut errors = Vec::new();
    for (p, rel) in found {
        let rel = rel.clone();
        let shown = Path::new("content").join(&rel);
        let text = match crate::text::read(p, &shown) {
            Ok(t) => t,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let origin = yaml::Origin {
            path: &shown,
            file_text: &text,
            line_offset: 0,
        };
        match yaml::parse_value(&text, origin) {
            Ok(value) => {
                files.insert(
                    rel,
                    DataFile {
                        shown_path: shown,
                        text,
                        value,
                    },
                );
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}
