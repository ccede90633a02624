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
    ("redirect.html", include_str!("builtin/redirect.html")),
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
    /// `site` and `t` per language (set by `render::prepare`), for
    /// templates the Markdown pass renders for pages in other languages.
    pub langs: Vec<(tera::Value, tera::Value)>,
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
        self.render_in(name, var, value, 0)
    }

    /// [`Templates::render_with`] for language `lang` (index into
    /// `site.languages`): the template sees that language's `site` and `t`.
    pub(crate) fn render_in(
        &self,
        name: &str,
        var: &'static str,
        value: &impl serde::Serialize,
        lang: usize,
    ) -> Result<String, Diagnostic> {
        let mut ctx = tera::Context::new();
        if let Some((site, strings)) = self.langs.get(lang) {
            ctx.insert_value("site", site.clone());
            ctx.insert_value("t", strings.clone());
        }
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
        crate::confine::Root::new(&site.root).check(&dir, &Path::new("themes").join(name))?;
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

/// Files of the site's folder `dir`, as (relative path, source): links
/// are followed to files inside the site, and one leading out is an error.
fn files_under(root: &Path, dir: &Path) -> Result<Vec<(String, Source)>, Vec<Diagnostic>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let confine = crate::confine::Root::new(root);
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    confine.check(dir, &shown(dir)).map_err(|d| vec![d])?;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for e in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if e.file_type().is_symlink() {
            if let Err(d) = confine.check(e.path(), &shown(e.path())) {
                errors.push(d);
                continue;
            }
            if !e.path().is_file() {
                continue;
            }
        } else if !e.file_type().is_file() {
            continue;
        }
        if let Ok(rel) = e.path().strip_prefix(dir) {
            files.push((to_slash(rel), Source::Disk(e.path().to_path_buf())));
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
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
pub(crate) fn static_files(site: &Site) -> Result<Vec<(String, Source)>, Vec<Diagnostic>> {
    let mut files: Vec<(String, Source)> = match theme_dir(site).map_err(|d| vec![d])? {
        ThemeDir::Disk(dir) => files_under(&site.root, &dir.join("static"))?,
        ThemeDir::Embedded => embedded_under("static/"),
    };
    let own = files_under(&site.root, &site.root.join("static"))?;
    let own_paths: std::collections::HashSet<&str> = own.iter().map(|(o, _)| o.as_str()).collect();
    files.retain(|(rel, _)| !own_paths.contains(rel.as_str()));
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
                (files_under(&site.root, &dir.join("templates"))?, shown)
            }
            ThemeDir::Embedded => (
                embedded_under("templates/"),
                PathBuf::from("<built-in theme>/templates"),
            ),
        };
    let site_files = files_under(&site.root, &site.root.join("templates"))?;

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

    let langs: Langs = std::sync::Arc::new(
        site.languages
            .iter()
            .map(|l| (l.code.clone(), l.strings.clone()))
            .collect(),
    );
    let mut tera = Tera::default();
    register_filters(&mut tera, &langs);
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
            register_filters(&mut scratch, &langs);
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
        langs: Vec::new(),
    })
}

/// Each language's strings by tag, for the filters that write words.
type Langs = std::sync::Arc<HashMap<String, std::sync::Arc<crate::i18n::Strings>>>;

/// The strings of the language the template is rendering in (`site.language`).
fn strings_in<'a>(langs: &'a Langs, state: &tera::State) -> Option<&'a crate::i18n::Strings> {
    let site: Option<tera::Value> = state.get("site").ok().flatten();
    let code = site
        .as_ref()
        .and_then(|s| s.as_map())
        .and_then(|m| m.get(&tera::value::Key::Str("language")))
        .and_then(|v| v.as_str().map(str::to_string));
    code.and_then(|c| langs.get(&c))
        .or_else(|| langs.values().next())
        .map(|s| &**s)
}

fn register_filters(tera: &mut Tera, langs: &Langs) {
    // `long_date`: YYYY-MM-DD as the page's language writes a date ("9
    // August 2024", "9 de agosto de 2024"); machine dates stay in `datetime=`.
    let l = langs.clone();
    tera.register_filter(
        "long_date",
        move |s: &str, _: tera::Kwargs, state: &tera::State| match strings_in(&l, state) {
            Some(strings) => strings.long_date(s),
            None => crate::date::long(s),
        },
    );
    // `timed(date=…)`: a `<time>` element with the date written out in
    // the page's language.
    let l = langs.clone();
    tera.register_function(
        "timed",
        move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<tera::Value> {
            let date: String = kwargs.must_get("date")?;
            let long = match strings_in(&l, state) {
                Some(strings) => strings.long_date(&date),
                None => crate::date::long(&date),
            };
            Ok(tera::Value::safe_string(&format!(
                "<time datetime=\"{}\">{}</time>",
                crate::util::escape_html(&date),
                crate::util::escape_html(&long)
            )))
        },
    );
    // `tr(key=…, name=value…)`: the theme string `key` in the page's
    // language with `{name}` filled in (values escaped unless marked
    // safe); with `count=`, the plural form the language's rules choose.
    let l = langs.clone();
    tera.register_function(
        "tr",
        move |kwargs: tera::Kwargs, state: &tera::State| -> tera::TeraResult<tera::Value> {
            let key: &str = kwargs.must_get("key")?;
            let english;
            let strings = match strings_in(&l, state) {
                Some(s) => s,
                None => {
                    english = crate::i18n::Strings::english();
                    &english
                }
            };
            let count = kwargs.get::<i64>("count")?;
            let key = match count {
                Some(n) => strings.plural_key(key, n.unsigned_abs()),
                None => key.to_string(),
            };
            let mut out = crate::util::escape_html(strings.get(&key));
            let has_count_text = kwargs.get::<tera::Value>("count_text")?.is_some();
            for (name, value) in kwargs.iter() {
                let mut name = name.to_string();
                if name == "key" || (name == "count" && has_count_text) {
                    continue;
                }
                if name == "count_text" {
                    // The count as the page writes it (`1,200`).
                    name = "count".into();
                }
                let text = match value.as_str() {
                    Some(s) if value.is_safe() => s.to_string(),
                    Some(s) => crate::util::escape_html(s),
                    None => crate::util::escape_html(&value.to_string()),
                };
                out = out.replace(&format!("{{{name}}}"), &text);
            }
            Ok(tera::Value::safe_string(&out))
        },
    );
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
        lang: usize,
    ) -> Result<String, Diagnostic> {
        let localized;
        let context = match self.langs.get(lang).filter(|_| lang > 0) {
            Some((site, strings)) => {
                let mut c = context.clone();
                c.insert_value("site", site.clone());
                c.insert_value("t", strings.clone());
                localized = c;
                &localized
            }
            None => context,
        };
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
