//! Data files: every `.yaml`/`.yml` file under `content/` (including
//! `content/_data/`), parsed once and shared by the components that use them.

use std::collections::HashMap;
use std::path::Path;

use crate::site::DataFile;

use walkdir::WalkDir;

use crate::error::Diagnostic;
use crate::load::walk::to_slash;
use crate::yaml;

/// Parse every YAML file under `content_dir`, keyed by content-relative path.
pub fn load(content_dir: &Path) -> Result<HashMap<String, DataFile>, Vec<Diagnostic>> {
    let mut files = HashMap::new();
    let mut errors = Vec::new();
    let walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker.filter_map(Result::ok) {
        let p = entry.path();
        let is_yaml = p.extension().is_some_and(|x| x == "yaml" || x == "yml");
        if !entry.file_type().is_file() || !is_yaml {
            continue;
        }
        let Ok(rel) = p.strip_prefix(content_dir).map(to_slash) else {
            continue;
        };
        let shown = Path::new("content").join(&rel);
        if let Some(d) = super::walk::refused(p, &shown, false) {
            errors.push(d);
            continue;
        }
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
