//! Which language each page is in. The default language's pages are
//! directly under `content/`; each language of `languages:` mirrors that
//! tree under `content/<code>/` (`content/es/safety.md` translates
//! `content/safety.md`), with its own home (`content/es/_index.md`, made
//! when missing), navigation, search page and feed. Translations written
//! beside their source (`safety.es.md`) are refused with a hint.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{add_or_mark, page_without_file, urls};
use crate::config::{SiteConfig, TextDir};
use crate::error::{Diagnostic, Kind};
use crate::i18n::Strings;
use crate::site::{FrontMatter, Generated, Language, Page, PageKind, Site};

/// The theme strings of every language, default first, and warnings for
/// strings a language lacks.
pub(super) fn strings(
    root: &Path,
    config: &SiteConfig,
) -> Result<(Vec<Strings>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let codes: Vec<&str> = std::iter::once(config.language.as_str())
        .chain(config.languages.iter().map(|l| l.code.as_str()))
        .collect();
    crate::i18n::load(root, &config.theme, &codes)
}

/// Give each page under a language's folder that language, its URL under
/// the language's path, and each language a home; errors for pages named
/// as translations beside their source.
pub(super) fn assign(pages: &mut Vec<Page>, config: &SiteConfig) -> Vec<Diagnostic> {
    if config.languages.is_empty() {
        return Vec::new();
    }
    let mut errors = Vec::new();
    let mut has_home = vec![false; config.languages.len()];
    for page in pages.iter_mut() {
        if let Some(d) = beside_source(page, config) {
            errors.push(d);
            continue;
        }
        let Some(k) = config
            .languages
            .iter()
            .position(|l| under(&page.rel_path, &l.code))
        else {
            continue;
        };
        let l = &config.languages[k];
        page.lang = k + 1;
        if page.rel_path == format!("{}/_index.md", l.code) {
            page.kind = PageKind::Home;
            has_home[k] = true;
        }
        move_under(page, &l.code, &l.url_path());
    }
    for (k, l) in config.languages.iter().enumerate() {
        // As for the default language, `index.md` is the home when there
        // is no `_index.md`.
        let index = format!("{}/index.md", l.code);
        if !has_home[k]
            && let Some(page) = pages.iter_mut().find(|p| p.rel_path == index)
        {
            page.kind = PageKind::Home;
            has_home[k] = true;
        }
        if !has_home[k] {
            let mut home = page_without_file(
                PageKind::Home,
                format!("{}/_index.md", l.code),
                PathBuf::from(format!("content/{}/_index.md", l.code)),
                (String::new(), String::new()),
                l.title.clone().unwrap_or_else(|| config.title.clone()),
                FrontMatter::default(),
            );
            home.lang = k + 1;
            let prefix = l.url_path();
            home.out_path = format!("{}index.html", &prefix[1..]);
            home.url_path = prefix;
            pages.push(home);
        }
    }
    for page in pages
        .iter_mut()
        .filter(|p| p.kind == PageKind::Home && p.lang > 0)
    {
        if page.title.is_empty() {
            let l = &config.languages[page.lang - 1];
            page.title = l.title.clone().unwrap_or_else(|| config.title.clone());
        }
    }
    errors
}

/// Whether content-relative `rel` is inside folder `code`.
fn under(rel: &str, code: &str) -> bool {
    rel.strip_prefix(code).is_some_and(|r| r.starts_with('/'))
}

/// Put a page of the folder `code` under the URL path `prefix` (`/es/`
/// unless the language sets another `path`).
fn move_under(page: &mut Page, code: &str, prefix: &str) {
    let natural = format!("/{code}/");
    if prefix == natural {
        return;
    }
    if let Some(rest) = page.url_path.strip_prefix(&natural) {
        page.url_path = format!("{prefix}{rest}");
    }
    if let Some(rest) = page.out_path.strip_prefix(&natural[1..]) {
        page.out_path = format!("{}{rest}", &prefix[1..]);
    }
}

/// A page named `name.<code>.md` for one of the site's languages: docent
/// keeps translations in `content/<code>/`, so this is refused with the
/// path it belongs at.
fn beside_source(page: &Page, config: &SiteConfig) -> Option<Diagnostic> {
    let stem = page.rel_path.strip_suffix(".md")?;
    let (base, code) = stem.rsplit_once('.')?;
    let codes = std::iter::once(config.language.as_str())
        .chain(config.languages.iter().map(|l| l.code.as_str()));
    let code = codes.into_iter().find(|c| c.eq_ignore_ascii_case(code))?;
    let (dir, name) = base.rsplit_once('/').map_or(("", base), |(d, n)| (d, n));
    let dir = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let moved = if code.eq_ignore_ascii_case(&config.language) {
        format!("content/{dir}{name}.md")
    } else {
        format!("content/{code}/{dir}{name}.md")
    };
    Some(
        Diagnostic::new(
            Kind::InvalidValue,
            format!(
                "{} looks like a `{code}` translation written beside its source",
                page.shown_path.display()
            ),
        )
        .at(&page.shown_path, 1, 1, Some(&page.text))
        .hint(format!(
            "docent keeps each language's pages in its own folder: move it to {moved}"
        )),
    )
}

/// A search page for every language but the default (which
/// `add_generated_pages` gave one): `/es/search/`.
pub(super) fn add_search_pages(pages: &mut Vec<Page>, config: &SiteConfig, strings: &[Strings]) {
    let mut at = urls(pages);
    for (k, l) in config.languages.iter().enumerate() {
        let prefix = l.url_path();
        let s = &strings[k + 1];
        let i = add_or_mark(
            pages,
            &mut at,
            Generated::Search,
            (
                format!("{prefix}search/"),
                format!("{}search/index.html", &prefix[1..]),
            ),
            format!("{}/search.md", l.code),
            s.get("search_title").to_string(),
            None,
        );
        pages[i].lang = k + 1;
        if pages[i].hash.is_empty() {
            pages[i].meta.description = Some(s.get("search_description").to_string());
        }
    }
}

/// The site's languages, with their homes and search pages found.
pub(super) fn languages(site: &Site, strings: Vec<Strings>) -> Vec<Language> {
    let config = &site.config;
    let find = |lang: usize, f: &dyn Fn(&Page) -> bool| {
        site.pages.iter().position(|p| p.lang == lang && f(p))
    };
    strings
        .into_iter()
        .enumerate()
        .map(|(k, strings)| {
            let other = k.checked_sub(1).map(|j| &config.languages[j]);
            let code = other.map_or(config.language.clone(), |l| l.code.clone());
            let dir = other
                .and_then(|l| l.dir)
                .or(if k == 0 { config.dir } else { None })
                .unwrap_or_else(|| TextDir::of(&code));
            Language {
                title: other
                    .and_then(|l| l.title.clone())
                    .unwrap_or_else(|| config.title.clone()),
                description: other
                    .and_then(|l| l.description.clone())
                    .unwrap_or_else(|| config.description.clone()),
                folder: other.map_or(String::new(), |l| format!("{}/", l.code)),
                prefix: other.map_or("/".into(), |l| l.url_path()),
                home: if k == 0 {
                    0
                } else {
                    find(k, &|p| p.kind == PageKind::Home).unwrap_or(0)
                },
                search: find(k, &|p| p.generated == Some(Generated::Search)),
                strings: Arc::new(strings),
                code,
                dir,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_in_a_language_folder_take_its_path() {
        let mut page = crate::load::page_from_text("# Hola\n", "es/guia/a.md", false).unwrap();
        move_under(&mut page, "es", "/espanol/");
        assert_eq!(page.url_path, "/espanol/guia/a/");
        assert_eq!(page.out_path, "espanol/guia/a/index.html");
        assert!(under("es/a.md", "es"));
        assert!(!under("estudios/a.md", "es"));
        assert!(!under("es.md", "es"));
    }
}
