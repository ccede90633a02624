//! One test per error class: each must name the file, line and column, and
//! say how to fix it. Fixtures live in tests/fixtures/errors/<case>/.

use crate::common::Site;
use docent::{Diagnostic, Kind};

fn only(diags: &[Diagnostic], kind: Kind) -> &Diagnostic {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.kind == kind).collect();
    assert_eq!(found.len(), 1, "expected one {kind:?} in {diags:#?}");
    found[0]
}

fn assert_located(d: &Diagnostic, path: &str, line: usize, column: usize) {
    assert_eq!(
        d.path
            .as_deref()
            .map(|p| p.to_string_lossy().replace('\\', "/")),
        Some(path.to_string()),
        "{d}"
    );
    assert_eq!((d.line, d.column), (line, column), "{d}");
    assert!(d.hint.is_some(), "no hint: {d}");
    let shown = d.to_string();
    assert!(
        shown.contains(&format!("--> {path}:{line}:{column}")),
        "{shown}"
    );
    assert!(
        shown.contains(" | ") && shown.contains('^'),
        "no source line and caret: {shown}"
    );
}

#[test]
fn malformed_front_matter_yaml_is_located_in_the_file() {
    let diags = Site::fixture("errors/yaml").build_err();
    let d = only(&diags, Kind::Yaml);
    // The bad flow sequence opens on line 4 of the file (line 3 of the block);
    // the YAML parser reports where it gave up, which is past that.
    assert_eq!(
        d.path.as_deref(),
        Some(std::path::Path::new("content/_index.md"))
    );
    assert!(d.line >= 4 && d.line <= 5, "{d}");
    assert!(d.column >= 1);
    assert!(
        d.to_string()
            .contains(&format!("--> content/_index.md:{}:{}", d.line, d.column))
    );
}

#[test]
fn page_that_is_not_utf8_is_located_at_the_first_bad_byte() {
    let site = Site::fixture("content/basic");
    // "Café" saved as Latin-1: é is the single byte 0xE9.
    std::fs::write(
        site.root().join("content/latin1.md"),
        b"---\ntitle: Caf\xe9\n---\n\nBody.\n",
    )
    .unwrap();
    let diags = site.build_err();
    let d = only(&diags, Kind::Io);
    assert_located(d, "content/latin1.md", 2, 11);
    assert!(d.message.contains("not UTF-8"), "{d}");
}

#[test]
fn missing_title() {
    let diags = Site::fixture("errors/missing-title").build_err();
    let d = only(&diags, Kind::MissingField);
    assert_located(d, "content/_index.md", 1, 1);
    assert!(d.message.contains("title"));
}

#[test]
fn unknown_front_matter_key_names_key_line_and_suggestion() {
    let diags = Site::fixture("errors/unknown-key").build_err();
    let d = only(&diags, Kind::UnknownKey);
    assert_located(d, "content/_index.md", 3, 1);
    assert!(d.message.contains("descripton"));
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("did you mean `description`"),
        "{d}"
    );
}

#[test]
fn unknown_config_key() {
    let diags = Site::fixture("errors/unknown-config-key").build_err();
    let d = only(&diags, Kind::UnknownKey);
    assert_located(d, "site.yaml", 3, 1);
    assert!(d.hint.as_deref().unwrap().contains("`language`"), "{d}");
}

#[test]
fn unknown_template_points_at_the_front_matter_key() {
    let diags = Site::fixture("errors/unknown-template").build_err();
    let d = only(&diags, Kind::UnknownTemplate);
    assert_located(d, "content/special.md", 3, 1);
    assert!(d.message.contains("fancy.html"));
    assert!(
        d.hint.as_deref().unwrap().contains("page.html"),
        "lists known templates: {d}"
    );
}

#[test]
fn template_runtime_error_names_template_position_and_page() {
    let diags = Site::fixture("errors/template-runtime").build_err();
    let d = only(&diags, Kind::TemplateRuntime);
    assert_located(d, "templates/page.html", 4, 12);
    assert!(
        d.notes.iter().any(|n| n.contains("content/about.md")),
        "{d}"
    );
    assert!(
        d.to_string()
            .contains("note: while rendering content/about.md")
    );
}

#[test]
fn broken_relative_markdown_link() {
    let diags = Site::fixture("errors/broken-link").build_err();
    let d = only(&diags, Kind::BrokenLink);
    assert_located(d, "content/_index.md", 7, 5);
    assert!(d.message.contains("safety.md"));
}

#[test]
fn duplicate_output_url_names_both_files() {
    let diags = Site::fixture("errors/duplicate-url").build_err();
    let d = only(&diags, Kind::DuplicateUrl);
    assert!(
        d.message.contains("content/safety.md") && d.message.contains("content/safety/index.md"),
        "{d}"
    );
    assert!(d.message.contains("/safety/"));
    assert_eq!(d.line, 1);
    assert!(d.path.is_some());
}

#[test]
fn several_errors_are_all_reported() {
    let diags = Site::fixture("errors/several").build_err();
    let kinds: Vec<Kind> = diags.iter().map(|d| d.kind).collect();
    assert!(kinds.contains(&Kind::UnknownKey), "{kinds:?}");
    assert!(kinds.contains(&Kind::InvalidValue), "{kinds:?}");
    let date = only(&diags, Kind::InvalidValue);
    assert_located(date, "content/b.md", 3, 1);
}

#[test]
fn a_page_without_front_matter_is_an_error_when_the_site_requires_it() {
    let site = Site::fixture("errors/broken-link");
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{config}front_matter: required\n"));
    site.write("content/plain.md", "# Just a heading\n");
    let diags = site.build_err();
    let d = diags
        .iter()
        .find(|d| d.path.as_deref() == Some(std::path::Path::new("content/plain.md")))
        .unwrap();
    assert_located(d, "content/plain.md", 1, 1);
    assert!(d.message.contains("front matter"));
}

#[test]
fn crlf_and_bom_files_locate_errors_on_the_right_line() {
    let site = Site::fixture("errors/broken-link");
    site.write(
        "content/_index.md",
        "\u{feff}---\r\ntitle: Home\r\nwieght: 2\r\n---\r\n",
    );
    let diags = site.build_err();
    let d = only(&diags, Kind::UnknownKey);
    assert_located(d, "content/_index.md", 3, 1);
    assert_eq!(d.source_line.as_deref(), Some("wieght: 2"));
}

#[test]
fn template_syntax_error_is_located() {
    let site = Site::fixture("templates/override");
    site.write("templates/page.html", "{% extends \"theme/page.html\" %}\n{% block head %}{{ page.title | }}{% endblock head %}\n");
    let diags = site.build_err();
    let d = only(&diags, Kind::TemplateSyntax);
    assert_eq!(
        d.path.as_deref(),
        Some(std::path::Path::new("templates/page.html"))
    );
    assert_eq!(d.line, 2);
}

#[test]
fn every_template_with_a_syntax_error_is_reported() {
    let site = Site::fixture("templates/override");
    site.write("templates/page.html", "{% extends \"theme/page.html\" %}\n{% block head %}{{ page.title | }}{% endblock head %}\n");
    site.write("templates/components/box.html", "<div>\n{% if %}\n</div>\n");
    let diags = site.build_err();
    let mut paths: Vec<String> = diags
        .iter()
        .filter(|d| d.kind == Kind::TemplateSyntax)
        .map(|d| format!("{}:{}", d.path.as_ref().unwrap().display(), d.line))
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        ["templates/components/box.html:2", "templates/page.html:2"],
        "{diags:#?}"
    );
}

#[cfg(unix)]
#[test]
fn a_link_leading_outside_content_is_an_error() {
    let site = Site::fixture("errors/broken-link");
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "---\ntitle: secret\n---\n").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/evil.md")).unwrap();
    site.write("content/_index.md", "---\ntitle: Home\n---\n");
    let diags = site.build_err();
    let d = only(&diags, Kind::PathEscape);
    assert!(d.message.contains("outside content/"), "{d}");
    assert!(!site.public().exists());
}

#[test]
fn unknown_filter_in_a_site_template_names_the_template() {
    let site = Site::fixture("templates/override");
    site.write("templates/page.html", "{% extends \"theme/page.html\" %}\n{% block head %}{{ page.title | shout }}{% endblock head %}\n");
    let diags = site.build_err();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let shown = diags[0].to_string();
    assert!(shown.contains("templates/page.html"), "{shown}");
    assert!(shown.contains("shout"), "{shown}");
}
