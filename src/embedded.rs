//! The default theme, built into the binary so `docent init` sites work
//! without a copy of `themes/default/`. A test keeps this list equal to the
//! files on disk.

/// (path relative to the theme folder, bytes)
pub(crate) static DEFAULT_THEME: &[(&str, &[u8])] = &[
    (
        "i18n/ar.yaml",
        include_bytes!("../themes/default/i18n/ar.yaml"),
    ),
    (
        "i18n/en.yaml",
        include_bytes!("../themes/default/i18n/en.yaml"),
    ),
    (
        "i18n/es.yaml",
        include_bytes!("../themes/default/i18n/es.yaml"),
    ),
    (
        "static/apple-touch-icon.png",
        include_bytes!("../themes/default/static/apple-touch-icon.png"),
    ),
    (
        "static/docent.js",
        include_bytes!("../themes/default/static/docent.js"),
    ),
    (
        "static/favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
    (
        "static/style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "templates/404.html",
        include_bytes!("../themes/default/templates/404.html"),
    ),
    (
        "templates/base.html",
        include_bytes!("../themes/default/templates/base.html"),
    ),
    (
        "templates/components/chart.html",
        include_bytes!("../themes/default/templates/components/chart.html"),
    ),
    (
        "templates/components/faq.html",
        include_bytes!("../themes/default/templates/components/faq.html"),
    ),
    (
        "templates/components/figure.html",
        include_bytes!("../themes/default/templates/components/figure.html"),
    ),
    (
        "templates/components/newsletter.html",
        include_bytes!("../themes/default/templates/components/newsletter.html"),
    ),
    (
        "templates/components/table.html",
        include_bytes!("../themes/default/templates/components/table.html"),
    ),
    (
        "templates/components/takeaways.html",
        include_bytes!("../themes/default/templates/components/takeaways.html"),
    ),
    (
        "templates/components/testimonial.html",
        include_bytes!("../themes/default/templates/components/testimonial.html"),
    ),
    (
        "templates/components/urgent.html",
        include_bytes!("../themes/default/templates/components/urgent.html"),
    ),
    (
        "templates/index.html",
        include_bytes!("../themes/default/templates/index.html"),
    ),
    (
        "templates/page.html",
        include_bytes!("../themes/default/templates/page.html"),
    ),
    (
        "templates/partials/article.html",
        include_bytes!("../themes/default/templates/partials/article.html"),
    ),
    (
        "templates/partials/listing.html",
        include_bytes!("../themes/default/templates/partials/listing.html"),
    ),
    (
        "templates/partials/nav.html",
        include_bytes!("../themes/default/templates/partials/nav.html"),
    ),
    (
        "templates/partials/newsletter.html",
        include_bytes!("../themes/default/templates/partials/newsletter.html"),
    ),
    (
        "templates/partials/toc.html",
        include_bytes!("../themes/default/templates/partials/toc.html"),
    ),
    (
        "templates/section.html",
        include_bytes!("../themes/default/templates/section.html"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_matches_the_files_on_disk() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| crate::load::walk::to_slash(e.path().strip_prefix(&dir).unwrap()))
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = DEFAULT_THEME.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(
            embedded, on_disk,
            "update src/embedded.rs to list every file of themes/default"
        );
    }
}
