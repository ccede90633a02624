//! `docent new PATH`: create a page (or a section's `_index.md`) under
//! `content/` with its front matter filled in, never overwriting a file;
//! `docent new --lang es PATH`: the Spanish translation of the page at
//! PATH, a copy to translate with its `translates:` record filled in.

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
    // The build skips hidden and `_` names (`load::walk::is_skipped`).
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(part) = parts
        .iter()
        .enumerate()
        .find(|(i, p)| crate::load::walk::is_skipped(p, i + 1 < parts.len()))
        .map(|(_, p)| p)
    {
        return Err(Error::Usage(format!(
            "content/{} would not be published: the build skips names starting with `.` or `_` (`{part}`); pick a name without one",
            crate::load::walk::to_slash(&rel)
        )));
    }
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
    write_new(&file, &text)?;
    Ok(file)
}

/// Write `text` to a file that must not exist yet, making its folder.
fn write_new(file: &Path, text: &str) -> Result<()> {
    if let Some(parent) = file.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    }
    // create_new: never replace a file that appeared since the check above.
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .map_err(|e| Error::io(format!("cannot create {}", file.display()), e))?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .map_err(|e| Error::io(format!("cannot write {}", file.display()), e))
}

/// Create the translation into `lang` of the page at `path` (relative to
/// content/, in the default language): a copy of the source under
/// `content/<lang>/` to translate, a draft until it is, with the source's
/// record under `translates:` so `docent check` can tell when the source
/// changes.
pub fn new_translation(root: &Path, path: &Path, lang: &str) -> Result<PathBuf> {
    let site = crate::load::load(
        root,
        &crate::load::LoadOptions {
            drafts: true,
            ..Default::default()
        },
    )
    .map_err(Error::Build)?;
    let Some(k) = site.languages.iter().position(|l| l.code == lang) else {
        let codes: Vec<&str> = site
            .languages
            .iter()
            .skip(1)
            .map(|l| l.code.as_str())
            .collect();
        return Err(Error::Usage(format!(
            "`{lang}` is not one of the site's other languages ({}); add it under `languages:` in site.yaml",
            if codes.is_empty() {
                "it has none".to_string()
            } else {
                codes.join(", ")
            }
        )));
    };
    if k == 0 {
        return Err(Error::Usage(format!(
            "`{lang}` is the site's default language: its pages are the sources; pass another language"
        )));
    }
    let rel = crate::load::walk::to_slash(path);
    let rel = if rel.ends_with(".md") {
        rel
    } else {
        format!("{rel}.md")
    };
    let Some(&i) = site
        .by_source
        .get(&rel)
        .filter(|&&i| site.pages[i].lang == 0)
    else {
        return Err(Error::Usage(format!(
            "content/{rel} is not a page of the default language; pass the path of the page to translate, like safety.md"
        )));
    };
    let source = &site.pages[i];
    let file = root
        .join("content")
        .join(&site.languages[k].folder)
        .join(&rel);
    if file.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; docent new never overwrites a file",
            file.display()
        )));
    }
    let record = crate::translation::record(source).map_err(|d| Error::Build(vec![d]))?;
    let text = source.full_text().map_err(|d| Error::Build(vec![d]))?;
    write_new(&file, &translation_text(&text, source, &record))?;
    Ok(file)
}

/// The source's file as a translation stub: its front matter (without
/// `draft`) plus `translates:` and `draft: true`, then its body to
/// translate.
fn translation_text(text: &str, source: &crate::site::Page, record: &str) -> String {
    let body = text.get(source.body_offset..).unwrap_or("");
    let added = format!("translates:\n  source_hash: {record}\ndraft: true\n");
    let yaml = if source.front_matter_offset > 0 {
        text.get(source.front_matter_offset..source.body_offset)
            .unwrap_or("")
            .trim_end()
            .trim_end_matches("---")
            .to_string()
    } else {
        format!("title: {}\n", yaml_string(&source.title))
    };
    let kept: String = yaml
        .lines()
        .filter(|l| !l.starts_with("draft:") && !l.starts_with("translates:"))
        .map(|l| format!("{l}\n"))
        .collect();
    format!("---\n{kept}{added}---\n{}", body.trim_start_matches('\n'))
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
