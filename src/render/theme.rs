//! Finding and loading templates and static files: the site's own
//! `templates/` and `static/` win over the theme's, and a site template can
//! extend the theme template it replaces as `theme/<name>`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::config::key_position;
use crate::embedded;
use crate::error::{Diagnostic, Kind};
use crate::load::walk::to_slash;
use crate::site::Site;

/// Prefix under which theme templates are registered.
pub(crate) const THEME_PREFIX: &str = "theme/";

/// Templates docent always has, beneath any theme: a theme or a site
/// overrides one by having a template of the same name (documented in
/// docs/templates.md).
pub(crate) const BUILT_IN: &[(&str, &str)] = &[
    ("atom.xml", include_str!("builtin/atom.xml")),
    ("sitemap.xml", include_str!("builtin/sitemap.xml")),
    (
        "sitemap_index.xml",
        include_str!("builtin/sitemap_index.xml"),
    ),
    ("robots.txt", include_str!("builtin/robots.txt")),
    ("callout.html", include_str!("builtin/callout.html")),
    ("references.html", include_str!("builtin/references.html")),
    ("heading.html", include_str!("builtin/heading.html")),
    (
        "generated/references.html",
        include_str!("builtin/generated/references.html"),
    ),
    (
        "generated/glossary.html",
        include_str!("builtin/generated/glossary.html"),
    ),
    (
        "generated/search.html",
        include_str!("builtin/generated/search.html"),
    ),
    (
        "generated/taxonomy.html",
        include_str!("builtin/generated/taxonomy.html"),
    ),
    (
        "generated/term.html",
        include_str!("builtin/generated/term.html"),
    ),
    ("pagination.html", include_str!("builtin/pagination.html")),
    ("image.html", include_str!("builtin/image.html")),
];

/// A file of the theme or site: on disk, or built into the binary.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

/// The loaded templates, with the file each template name came from.
pub(crate) struct Templates {
    pub tera: Tera,
    /// Template name → path shown in messages.
    pub files: HashMap<String, PathBuf>,
    /// Template name → source text, for showing the offending line.
    pub sources: Vec<(String, String)>,
}

impl Templates {
    /// Render the template `name` with `value` as its one variable `var`
    /// (besides `site`), as the built-in templates of feeds and generated
    /// pages are; an error is located in the template.
    pub(crate) fn render_with(
        &self,
        name: &str,
        var: &'static str,
        value: &impl serde::Serialize,
    ) -> Result<String, Diagnostic> {
        let mut ctx = tera::Context::new();
        ctx.insert(var, value);
        self.tera
            .render(name, &ctx)
            .map_err(|e| tera_error(&e, &self.files, &self.sources, None))
    }
}

/// Where the theme lives.
enum ThemeDir {
    Disk(PathBuf),
    Embedded,
}

fn theme_dir(site: &Site) -> Result<ThemeDir, Diagnostic> {
    let name = &site.config.theme;
    let dir = site.root.join("themes").join(name);
    if dir.is_dir() {
        return Ok(ThemeDir::Disk(dir));
    }
    if name == "default" {
        return Ok(ThemeDir::Embedded);
    }
    let text =
        std::fs::read_to_string(site.root.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    let (line, col) = key_position(&text, "theme").unwrap_or((1, 1));
    Err(Diagnostic::new(
        Kind::UnknownTemplate,
        format!("theme `{name}` not found: no folder themes/{name}/"),
    )
    .at(
        Path::new(crate::config::CONFIG_FILE),
        line,
        col,
        Some(&text),
    )
    .hint("use `theme: default` (built in) or add the theme under themes/"))
}

/// Files of a folder, as (relative path, source).
fn files_under(dir: &Path) -> Vec<(String, Source)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| {
            let rel = to_slash(e.path().strip_prefix(dir).ok()?);
            Some((rel, Source::Disk(e.path().to_path_buf())))
        })
        .collect()
}

fn embedded_under(prefix: &str) -> Vec<(String, Source)> {
    embedded::DEFAULT_THEME
        .iter()
        .filter_map(|(path, bytes)| {
            Some((
                path.strip_prefix(prefix)?.to_string(),
                Source::Embedded(bytes),
            ))
        })
        .collect()
}

fn read(source: &Source, shown: &Path) -> Result<String, Diagnostic> {
    match source {
        Source::Disk(p) => std::fs::read_to_string(p).map_err(|e| {
            Diagnostic::new(Kind::Io, format!("cannot read {}: {e}", shown.display())).file(shown)
        }),
        Source::Embedded(b) => Ok(String::from_utf8_lossy(b).into_owned()),
    }
}

/// Static files to copy to the output root: the theme's, then the site's
/// `static/` (which wins on the same path).
pub(crate) fn static_files(site: &Site) -> Result<Vec<(String, Source)>, Diagnostic> {
    let mut files: Vec<(String, Source)> = match theme_dir(site)? {
        ThemeDir::Disk(dir) => files_under(&dir.join("static")),
        ThemeDir::Embedded => embedded_under("static/"),
    };
    let own = files_under(&site.root.join("static"));
    files.retain(|(rel, _)| !own.iter().any(|(o, _)| o == rel));
    files.extend(own);
    Ok(files)
}

/// Load the theme's and the site's templates into one Tera instance.
pub(crate) fn load(site: &Site) -> Result<Templates, Vec<Diagnostic>> {
    let (theme_files, theme_shown): (Vec<(String, Source)>, PathBuf) =
        match theme_dir(site).map_err(|d| vec![d])? {
            ThemeDir::Disk(dir) => {
                let shown = dir
                    .strip_prefix(&site.root)
                    .unwrap_or(&dir)
                    .join("templates");
                (files_under(&dir.join("templates")), shown)
            }
            ThemeDir::Embedded => (
                embedded_under("templates/"),
                PathBuf::from("<built-in theme>/templates"),
            ),
        };
    let site_files = files_under(&site.root.join("templates"));

    let mut sources: Vec<(String, String)> = Vec::new();
    let mut files = HashMap::new();
    let mut errors = Vec::new();
    for (rel, src) in theme_files {
        let name = format!("{THEME_PREFIX}{rel}");
        let shown = theme_shown.join(&rel);
        match read(&src, &shown) {
            Ok(text) => sources.push((name.clone(), text)),
            Err(d) => errors.push(d),
        }
        files.insert(name, shown);
    }
    // Built-in templates the theme does not replace.
    for (name, text) in BUILT_IN {
        let registered = format!("{THEME_PREFIX}{name}");
        if !files.contains_key(&registered) {
            files.insert(registered.clone(), Path::new("<built-in>").join(name));
            sources.push((registered, text.to_string()));
        }
    }
    for (rel, src) in site_files {
        let shown = Path::new("templates").join(&rel);
        match read(&src, &shown) {
            Ok(text) => sources.push((rel.clone(), text)),
            Err(d) => errors.push(d),
        }
        files.insert(rel, shown);
    }

    let mut tera = Tera::default();
    register_filters(&mut tera);
    if let Err(e) = tera.set_fallback_prefixes([THEME_PREFIX]) {
        errors.push(Diagnostic::new(Kind::TemplateSyntax, e.to_string()));
    }
    if errors.is_empty()
        && let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    {
        // Report every template with a syntax error, not just the first
        // (compiling each alone costs a second compile, so only on failure).
        for (name, text) in &sources {
            let mut scratch = Tera::default();
            register_filters(&mut scratch);
            if let Err(e) = scratch.add_raw_template(name, text)
                && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
            {
                errors.push(tera_error(&e, &files, &sources, None));
            }
        }
        if errors.is_empty() {
            errors.push(tera_error(&e, &files, &sources, None));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Templates {
        tera,
        files,
        sources,
    })
}

fn register_filters(tera: &mut Tera) {
    // `date` filter: format YYYY-MM-DD as "9 August 2024" (machine dates stay in `datetime=`).
    tera.register_filter("long_date", |s: &str, _: tera::Kwargs, _: &tera::State| {
        crate::date::long(s)
    });
    // The code highlighting rules, for a theme that inlines them rather
    // than linking `syntax.css`; made only when a template calls it.
    tera.register_function("syntax_css", |_: tera::Kwargs, _: &tera::State| {
        crate::markdown::highlight::stylesheet().to_string()
    });
}

/// Turn a Tera error into a located diagnostic; `page` names the content
/// file being rendered, if any.
pub(crate) fn tera_error(
    e: &tera::Error,
    files: &HashMap<String, PathBuf>,
    sources: &[(String, String)],
    page: Option<&Path>,
) -> Diagnostic {
    use tera::ErrorKind as K;
    let shown = |name: &str| {
        files
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    };
    let mut d = match e.kind() {
        K::SyntaxError(r) | K::RenderingError(r) => {
            let kind = if matches!(e.kind(), K::SyntaxError(_)) {
                Kind::TemplateSyntax
            } else {
                Kind::TemplateRuntime
            };
            let path = shown(r.filename());
            let span = r.span();
            let text = sources
                .iter()
                .find(|(n, _)| n == r.filename())
                .map(|(_, t)| t.as_str());
            let hint = if r.message().contains("not found in context")
                || r.message().contains("undefined")
            {
                "check the variable's spelling against the template context in docs/templates.md, or guard it with `{% if x is defined %}`"
            } else {
                "fix the template at the marked place"
            };
            Diagnostic::new(kind, format!("template error: {}", r.message()))
                .at(&path, span.start_line, span.start_col + 1, text)
                .hint(hint)
        }
        K::TemplateNotFound(name) => Diagnostic::new(
            Kind::UnknownTemplate,
            format!("template `{name}` not found"),
        )
        .hint("add it under templates/ or the theme's templates/"),
        K::MissingParent { current, parent } => Diagnostic::new(
            Kind::UnknownTemplate,
            format!("template `{current}` extends `{parent}`, which does not exist"),
        )
        .file(&shown(current))
        .hint(
            "to extend the theme's version of a template, write {% extends \"theme/page.html\" %}",
        ),
        K::Msg(text) => match reports_in(text).into_iter().next() {
            // Tera reports unknown filters, tests and functions as text.
            Some((message, name, line, col)) => {
                let text = sources
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, t)| t.as_str());
                Diagnostic::new(Kind::TemplateSyntax, format!("template error: {message}"))
                    .at(&shown(&name), line, col, text)
                    .hint("register the filter/test/function, or fix its name (see docs/templates.md)")
            }
            None => Diagnostic::new(Kind::TemplateRuntime, format!("template error: {text}")),
        },
        _ => Diagnostic::new(Kind::TemplateRuntime, format!("template error: {e}")),
    };
    if let Some(p) = page {
        d = d.note(format!("while rendering {}", p.display()));
    }
    d
}

/// Parse Tera's text reports (`error: MSG` / `--> NAME:LINE:COL`) into
/// (message, template name, line, column).
fn reports_in(text: &str) -> Vec<(String, String, usize, usize)> {
    let mut out = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(m) = t.strip_prefix("error: ") {
            message = Some(m.trim_start_matches("error: "));
        } else if let Some(loc) = t.strip_prefix("--> ")
            && let Some(msg) = message.take()
        {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok());
            let line_no = parts.next().and_then(|l| l.parse().ok());
            if let (Some(col), Some(line_no), Some(name)) = (col, line_no, parts.next()) {
                out.push((msg.to_string(), name.to_string(), line_no, col));
            }
        }
    }
    out
}

impl crate::markdown::components::ComponentTemplates for Templates {
    fn component_names(&self) -> Vec<String> {
        self.tera
            .get_template_names()
            .filter_map(|n| {
                let n = n.strip_prefix(THEME_PREFIX).unwrap_or(n);
                n.strip_prefix("components/")?
                    .strip_suffix(".html")
                    .map(str::to_string)
            })
            .collect()
    }

    fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    fn is_builtin(&self, name: &str) -> bool {
        !self.files.contains_key(name)
            && self
                .files
                .get(&format!("{THEME_PREFIX}{name}"))
                .is_some_and(|p| p.starts_with("<built-in>"))
    }

    fn render(
        &self,
        name: &str,
        context: &tera::Context,
        page: &Path,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| tera_error(&e, &self.files, &self.sources, Some(page)))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_text_reports() {
        let text = "error: Unknown filter `shout`\n --> page.html:2:33\n  |\n2 | x\n  | ^\n";
        assert_eq!(
            super::reports_in(text),
            vec![(
                "Unknown filter `shout`".to_string(),
                "page.html".to_string(),
                2,
                33
            )]
        );
    }
}
