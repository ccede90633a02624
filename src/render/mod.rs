//! Stage ③: Tera 2 templates + page contexts → HTML, in parallel.

pub(crate) mod context;
pub(crate) mod theme;

use std::path::Path;

use tera::Context;

use crate::error::{Diagnostic, Kind};
use crate::markdown::Rendered;
use crate::site::{Generated, PageKind, Site};
pub(crate) use theme::Templates;

/// A rendered HTML file, relative to the output dir.
#[derive(Debug)]
pub(crate) struct HtmlFile {
    pub out_path: String,
    pub html: String,
}

/// The template a page is rendered with.
fn template_for(site: &Site, index: usize, templates: &Templates) -> Result<String, Diagnostic> {
    let page = &site.pages[index];
    let name = match &page.meta.template {
        Some(t) => t.clone(),
        None => match page.kind {
            PageKind::Home => "index.html".into(),
            PageKind::Section => "section.html".into(),
            PageKind::Page => "page.html".into(),
        },
    };
    if templates.tera.contains_template(&name) {
        return Ok(name);
    }
    let mut known: Vec<&str> = templates
        .tera
        .get_template_names()
        .map(|n| n.strip_prefix(theme::THEME_PREFIX).unwrap_or(n))
        .filter(|n| !n.starts_with("partials/") && !n.starts_with("components/"))
        .collect();
    known.sort_unstable();
    known.dedup();
    let hint = format!("available templates: {}", known.join(", "));
    let d = Diagnostic::new(
        Kind::UnknownTemplate,
        format!("template `{name}` not found"),
    );
    Err(if page.meta.template.is_some() {
        let (line, col) = page.key_position("template");
        d.at(&page.shown_path, line, col, Some(&page.text))
            .hint(hint)
    } else {
        d.file(&page.shown_path)
            .hint(format!("the theme must provide `{name}`; {hint}"))
    })
}

/// Which main-navigation items a page is in: (item index, is the page itself).
type NavKey = Vec<(usize, bool)>;

/// One navigation state's HTML, rendered by whichever page needs it first.
type NavSlot = std::sync::Arc<std::sync::OnceLock<Result<tera::Value, Diagnostic>>>;

/// The main navigation, rendered from `partials/nav.html` once per distinct
/// state (which item is the current page or contains it) instead of once per
/// page: on a site with many sections the nav loop was half the template time.
/// States are rendered when a page first needs one, so a rebuild that
/// renders no page renders no navigation (a site with 1,000 top-level items
/// has 1,000 states of 1,000 items each).
struct Nav {
    items: Vec<context::Link>,
    /// Items by URL, for those ending in `/` (all of docent's own).
    by_url: std::collections::HashMap<String, Vec<usize>>,
    /// Items whose URL does not end in `/`, checked one by one.
    others: Vec<usize>,
    /// Whether the theme has the nav template.
    template: bool,
    /// `nav_limit` from site.yaml (0: no limit).
    limit: usize,
    /// `site` and `t` in the navigation's language.
    lang: (tera::Value, tera::Value),
    /// Rendered states. Each is a shared, already-safe string: inserting it
    /// into a page's context is a reference-count bump, not a copy.
    html: std::sync::Mutex<std::collections::HashMap<NavKey, NavSlot>>,
}

const NAV_TEMPLATE: &str = "partials/nav.html";

impl Nav {
    fn new(items: Vec<context::Link>) -> Nav {
        let mut by_url: std::collections::HashMap<String, Vec<usize>> = Default::default();
        let mut others = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if item.url.ends_with('/') {
                by_url.entry(item.url.clone()).or_default().push(i);
            } else {
                others.push(i);
            }
        }
        Nav {
            items,
            by_url,
            others,
            template: false,
            limit: 0,
            lang: (tera::Value::none(), tera::Value::none()),
            html: Default::default(),
        }
    }

    /// The items whose URL is `url` or a prefix of it. Looked up by the
    /// URL's `/`-ended prefixes, so the cost does not grow with the number
    /// of items (a site with 1,000 top-level sections has 1,000).
    fn key(&self, url: &str) -> NavKey {
        let mut key: NavKey = Vec::new();
        for (end, _) in url.match_indices('/') {
            let prefix = &url[..=end];
            if let Some(items) = self.by_url.get(prefix) {
                key.extend(items.iter().map(|&i| (i, prefix == url)));
            }
        }
        for &i in &self.others {
            let item = self.items[i].url.as_str();
            if item == url {
                key.push((i, true));
            } else if url.starts_with(item) {
                key.push((i, false));
            }
        }
        key.sort_unstable();
        key
    }

    fn build(site: &Site, templates: &Templates, lang: usize) -> Result<Nav, Diagnostic> {
        let ctx = context::site_ctx(site, lang);
        // `site` and `t` as `prepare` made them for this language.
        let values = templates.langs.get(lang).cloned().unwrap_or_else(|| {
            (
                tera::Value::from_serializable(&ctx),
                tera::Value::from_serializable(site.languages[lang].strings.map()),
            )
        });
        let home_url = ctx.home_url.clone();
        let items: Vec<context::Link> = ctx
            .nav
            .into_iter()
            .filter(|l| Some(&l.url) != ctx.search_url.as_ref())
            .collect();
        let mut nav = Nav::new(items);
        nav.template = templates.tera.contains_template(NAV_TEMPLATE);
        nav.limit = site.config.nav_limit;
        nav.lang = values;
        // The home page's state now: a broken nav template is then reported
        // once, not once per page.
        nav.html(&home_url, templates)?;
        Ok(nav)
    }

    /// The navigation HTML for the page at `url`.
    fn html(&self, url: &str, templates: &Templates) -> Result<tera::Value, Diagnostic> {
        if !self.template {
            return Ok(tera::Value::safe_string(""));
        }
        let key = self.key(url);
        let slot = {
            let mut states = self.html.lock().unwrap_or_else(|e| e.into_inner());
            states.entry(key.clone()).or_default().clone()
        };
        slot.get_or_init(|| self.render(&key, templates)).clone()
    }

    fn render(&self, key: &NavKey, templates: &Templates) -> Result<tera::Value, Diagnostic> {
        #[derive(serde::Serialize)]
        struct Item<'a> {
            title: &'a str,
            url: &'a str,
            /// `page`, `true` (an ancestor) or none.
            current: Option<&'static str>,
        }
        let shown = shown_items(self.items.len(), self.limit, key);
        let items: Vec<Item<'_>> = shown
            .iter()
            .map(|&i| Item {
                title: &self.items[i].title,
                url: &self.items[i].url,
                current: key
                    .iter()
                    .find(|(k, _)| *k == i)
                    .map(|&(_, own)| if own { "page" } else { "true" }),
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert_value("site", self.lang.0.clone());
        ctx.insert_value("t", self.lang.1.clone());
        ctx.insert("nav", &items);
        ctx.insert("nav_hidden", &(self.items.len() - shown.len()));
        let html = templates
            .tera
            .render(NAV_TEMPLATE, &ctx)
            .map_err(|e| theme::tera_error(&e, &templates.files, &templates.sources, None))?;
        Ok(tera::Value::safe_string(&html))
    }
}

/// The items a navigation state shows, in order: the first `limit` (all
/// when `limit` is 0) and any further item that is the page or holds it.
/// The navigation is cut here, before it reaches a template, so a state
/// costs the same on a site with 10 top-level items or 10,000 (each page of
/// a flat folder is a state of its own).
fn shown_items(len: usize, limit: usize, key: &NavKey) -> Vec<usize> {
    if limit == 0 || len <= limit {
        return (0..len).collect();
    }
    let mut shown: Vec<usize> = (0..limit).collect();
    shown.extend(key.iter().map(|&(i, _)| i).filter(|&i| i >= limit));
    shown.sort_unstable();
    shown.dedup();
    shown
}

/// Renders pages with their templates, one at a time from any thread.
pub(crate) struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    /// Per language: its navigation, and `site` and `t` as its pages see
    /// them (made once; inserting one is a reference-count bump).
    langs: Vec<LangCtx>,
}

struct LangCtx {
    nav: Nav,
    site: tera::Value,
    strings: tera::Value,
}

/// Make `site` and `t` (in the default language) visible to every
/// template; call before [`Renderer::new`].
pub(crate) fn prepare(site: &Site, templates: &mut Templates) {
    templates.langs = (0..site.languages.len())
        .map(|k| {
            (
                tera::Value::from_serializable(&context::site_ctx(site, k)),
                tera::Value::from_serializable(site.languages[k].strings.map()),
            )
        })
        .collect();
    let global = templates.tera.global_context();
    global.insert("site", &context::site_ctx(site, 0));
    global.insert("t", site.languages[0].strings.map());
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(
        site: &'a Site,
        templates: &'a Templates,
    ) -> Result<Renderer<'a>, Diagnostic> {
        let langs = (0..site.languages.len())
            .map(|k| {
                let nav = Nav::build(site, templates, k)?;
                let (site, strings) = nav.lang.clone();
                Ok(LangCtx { nav, site, strings })
            })
            .collect::<Result<_, Diagnostic>>()?;
        Ok(Renderer {
            site,
            templates,
            langs,
        })
    }

    /// The templates this renderer uses.
    pub(crate) fn templates(&self) -> &'a Templates {
        self.templates
    }

    /// The HTML of page `i`, from its rendered Markdown.
    pub(crate) fn page(&self, i: usize, rendered: &Rendered) -> Result<String, Diagnostic> {
        self.listing_page(i, rendered, 1)
    }

    /// The HTML of listing page `n` (1-based) of page `i`: its section's
    /// or term's `n`th slice of pages, with `paginator` set when the list
    /// has more than one page. Later pages have their own URL
    /// (`page/n/`).
    pub(crate) fn listing_page(
        &self,
        i: usize,
        rendered: &Rendered,
        n: usize,
    ) -> Result<String, Diagnostic> {
        let (site, templates) = (self.site, self.templates);
        let page = &site.pages[i];
        let name = template_for(site, i, templates)?;
        let mut ctx = Context::new();
        let mut page_ctx = context::page_ctx(site, i, rendered);
        let (paginator, range) = context::paginator(site, i, n);
        if n > 1 {
            let (url, _) = crate::site::pager_path(&page.url_path, &page.out_path, n);
            page_ctx.url = crate::site::join_url(site.config.base_path(), &url);
            page_ctx.permalink = crate::site::join_url(&site.config.base_url, &url);
        }
        let lang = &self.langs[page.lang.min(self.langs.len() - 1)];
        ctx.insert_value("site", lang.site.clone());
        ctx.insert_value("t", lang.strings.clone());
        ctx.insert_value("nav_html", lang.nav.html(&page_ctx.url, templates)?);
        ctx.insert("page", &page_ctx);
        if let Some(p) = &paginator {
            ctx.insert("paginator", p);
        }
        if page.is_section() {
            // A section that is also a taxonomy's or term's page paginates
            // that list; its own pages are all on its first page.
            let range = match page.generated {
                Some(Generated::Taxonomy(_) | Generated::Term(..)) if n <= 1 => {
                    0..page.children.len()
                }
                Some(Generated::Taxonomy(_) | Generated::Term(..)) => 0..0,
                _ => range,
            };
            ctx.insert("section", &context::section_ctx(site, page, range));
        }
        templates.tera.render(&name, &ctx).map_err(|e| {
            theme::tera_error(
                &e,
                &templates.files,
                &templates.sources,
                Some(&page.shown_path),
            )
        })
    }

    /// The 404 page, if the theme has one.
    pub(crate) fn not_found(&self) -> Option<Result<HtmlFile, Diagnostic>> {
        self.templates
            .tera
            .contains_template("404.html")
            .then(|| render_404(self.site, self.templates, &self.langs[0].nav))
    }
}

fn render_404(site: &Site, templates: &Templates, nav: &Nav) -> Result<HtmlFile, Diagnostic> {
    let empty = Rendered::default();
    let extra = serde_json::Value::Object(Default::default());
    let url = crate::site::join_url(site.config.base_path(), "/404.html");
    let page = context::PageCtx {
        kind: "404",
        title: site.languages[0].strings.get("not_found_title"),
        description: None,
        permalink: crate::site::join_url(&site.config.base_url, "/404.html"),
        url,
        source: String::new(),
        date: None,
        updated: None,
        weight: None,
        tags: &[],
        extra: &extra,
        toc: &empty.toc,
        content: "",
        word_count: 0,
        reading_time: 0,
        highlighted: false,
        ancestors: vec![context::Link {
            title: site.home().title.clone(),
            url: site.url(site.home()),
        }],
        previous: None,
        next: None,
        takeaways: Vec::new(),
        urgent: Vec::new(),
        review: None,
        current_to: None,
        jsonld: Vec::new(),
        terms: Vec::new(),
        translations: Vec::new(),
        alternates: Vec::new(),
        stale: None,
    };
    let mut ctx = Context::new();
    ctx.insert_value("nav_html", nav.html(&page.url, templates)?);
    ctx.insert("page", &page);
    let html = templates.tera.render("404.html", &ctx).map_err(|e| {
        theme::tera_error(
            &e,
            &templates.files,
            &templates.sources,
            Some(Path::new("404.html")),
        )
    })?;
    Ok(HtmlFile {
        out_path: "404.html".into(),
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nav_state_holds_the_first_items_and_the_current_one_only() {
        assert_eq!(shown_items(3, 10, &vec![(1, true)]), [0, 1, 2]);
        assert_eq!(shown_items(5, 0, &vec![]), [0, 1, 2, 3, 4]);
        assert_eq!(shown_items(10_000, 3, &vec![(1, false)]), [0, 1, 2]);
        assert_eq!(
            shown_items(10_000, 3, &vec![(2, false), (7_000, true)]),
            [0, 1, 2, 7_000]
        );
    }

    #[test]
    fn nav_keys_are_the_items_whose_url_prefixes_the_page() {
        let urls = [
            "/",
            "/guide/",
            "/guide/safety/",
            "/guide/safety-old/",
            "/guide/evidence/",
            "/guide/about.html",
            "/guide/evidence/",
        ];
        let nav = Nav::new(
            urls.iter()
                .map(|u| context::Link {
                    title: u.to_string(),
                    url: u.to_string(),
                })
                .collect(),
        );
        // The definition: every item whose URL equals the page's or starts it.
        let naive = |url: &str| -> NavKey {
            urls.iter()
                .enumerate()
                .filter(|(_, u)| url.starts_with(**u))
                .map(|(i, u)| (i, *u == url))
                .collect()
        };
        for page in [
            "/",
            "/guide/",
            "/guide/safety/",
            "/guide/safety/dosing/",
            "/guide/safety-old/x/",
            "/guide/evidence/ptsd/",
            "/guide/about.html",
            "/guide/about.html/x",
            "/other/",
            "/404.html",
        ] {
            assert_eq!(nav.key(page), naive(page), "{page}");
        }
        assert_eq!(
            nav.key("/guide/safety/dosing/"),
            [(0, false), (1, false), (2, false)]
        );
    }
}
