//! `docent new PATH`: create a page (or a section's `_index.md`) under
//! `content/` with its front matter filled in, never overwriting a file.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Create the page and return its path.
pub fn new_page(root: &Path, path: &Path, section: bool) -> Result<PathBuf> {
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(Error::Usage(format!(
            "{} is not a docent site (no site.yaml); pass --root DIR",
            root.display()
        )));
    }
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(Error::Usage(format!(
            "`{}` must be a relative path inside content/, like safety/risks.md",
            path.display()
        )));
    }
    let rel = if section {
        path.join("_index.md")
    } else if path.extension().is_some_and(|e| e == "md") {
        path.to_path_buf()
    } else {
        path.with_extension("md")
    };
    let file = root.join("content").join(&rel);
    if file.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; docent new never overwrites a file",
            file.display()
        )));
    }
    let name_source = if section { path } else { rel.as_path() };
    let stem = name_source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "New page".into());
    let title = title_from(&stem);
    let text = format!(
        "---\ntitle: {}\ndescription: \ndate: {}\ndraft: true\n---\n\nWrite the page here. Use `##` headings for its sections.\n",
        yaml_string(&title),
        crate::review::today()
    );
    if let Some(parent) = file.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    }
    // create_new: never replace a file that appeared since the check above.
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&file)
        .map_err(|e| Error::io(format!("cannot create {}", file.display()), e))?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .map_err(|e| Error::io(format!("cannot write {}", file.display()), e))?;
    Ok(file)
}

/// `side-effects_and-risks` → `Side effects and risks`.
pub fn title_from(stem: &str) -> String {
    crate::load::front_matter::title_from_stem(stem).unwrap_or_else(|| "New page".into())
}

/// A YAML scalar that reads back as exactly `s`: written plain when YAML
/// reads it back as that text, else double-quoted (a JSON string is valid
/// YAML), so titles such as `Null`, `Yes`, `1.0` or `A: b` stay text.
fn yaml_string(s: &str) -> String {
    let plain = format!("v: {s}\n");
    let origin = crate::yaml::Origin {
        path: std::path::Path::new("new page"),
        file_text: &plain,
        line_offset: 0,
    };
    let reads_back = crate::yaml::parse_value(&plain, origin)
        .ok()
        .and_then(|v| v.get("v").and_then(|v| v.as_str()).map(|v| v == s))
        .unwrap_or(false);
    if reads_back {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"New page\"".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_file_names() {
        assert_eq!(title_from("side-effects"), "Side effects");
        assert_eq!(title_from("what_is_mdma"), "What is mdma");
        assert_eq!(title_from(""), "New page");
    }

    #[test]
    fn every_title_reads_back_as_text() {
        #[derive(serde::Deserialize)]
        struct T {
            title: String,
        }
        for title in [
            "Null",
            "Yes",
            "No",
            "1.0",
            "2024-01-01",
            "~",
            "A: b",
            "#1",
            "\"q\" \\ é",
            "[x]",
            "*a",
        ] {
            let yaml = format!("title: {}\n", yaml_string(title));
            let origin = crate::yaml::Origin {
                path: std::path::Path::new("x.md"),
                file_text: &yaml,
                line_offset: 0,
            };
            let t: T = crate::yaml::parse(&yaml, origin).unwrap_or_else(|e| panic!("{yaml}: {e}"));
            assert_eq!(t.title, title);
        }
    }
}
