//! `markdown.raw_html: false` keeps script out of every place Markdown is
//! rendered: page bodies, every component field, front-matter takeaways,
//! data files and the glossary; script URLs are removed in that mode and
//! warned about in the default mode (issue 17).

use crate::common::Site;

/// The fixture `markdown/xss` (raw_html: false) puts a payload in every
/// field: script URLs first, then inline HTML (at the start of a line,
/// `<script>` would open an HTML block and the links after it would be
/// plain text). The browser tests load the same site.
fn site(raw_html: bool) -> Site {
    let s = Site::fixture("markdown/xss");
    if raw_html {
        s.write("site.yaml", "title: XSS\nmarkdown:\n  raw_html: true\n");
    }
    s
}

/// Every script-carrying construct found in `html`'s tags: a script
/// element with inline code, an `on…=` handler attribute, or a script URL
/// in `href` or `src`. (Text that only shows such markup is not found: it
/// is escaped, so it holds no tag.)
fn live_script(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = rest[lt..lt + gt + 1].to_ascii_lowercase();
        rest = &rest[lt + gt + 1..];
        if tag.starts_with("<script")
            && !tag.contains(" src=")
            && !tag.contains("application/ld+json")
        {
            found.push(tag.clone());
        }
        for (name, value) in attributes(&tag) {
            if name.starts_with("on")
                || ((name == "href" || name == "src")
                    && docent::markdown::sanitize::script_url(&value))
            {
                found.push(tag.clone());
            }
        }
    }
    found
}

/// The attributes of a start tag, values unquoted (as a browser reads them).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let b = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut out = Vec::new();
    let mut chars = b.chars().skip_while(|c| !c.is_whitespace()).peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let name: String =
            std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '=')).collect();
        if name.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            match chars.peek().copied() {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    value = std::iter::from_fn(|| chars.next_if(|c| *c != q)).collect();
                    chars.next();
                }
                _ => value = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect(),
            }
        }
        out.push((name, value));
    }
    out
}

#[test]
fn with_raw_html_off_no_field_carries_script() {
    let s = site(false);
    let report = s.build_ok();
    let html = s.read("index.html");
    assert!(live_script(&html).is_empty(), "{:?}", live_script(&html));
    // The payload is shown as text, not dropped: editors see what they wrote.
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    let glossary = s.read("glossary/index.html");
    assert!(
        live_script(&glossary).is_empty(),
        "{:?}",
        live_script(&glossary)
    );
    // Each removed script URL is a warning with its place.
    let script_warnings: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.kind == docent::Kind::ScriptUrl)
        .collect();
    assert!(script_warnings.len() >= 10, "{script_warnings:#?}");
    assert!(script_warnings.iter().all(|w| w.path.is_some()));
    assert!(
        script_warnings.iter().any(|w| w.path.as_deref()
            == Some(std::path::Path::new("content/_index.md"))
            && w.line > 1),
        "{script_warnings:#?}"
    );
    assert!(
        script_warnings
            .iter()
            .any(|w| w.path.as_deref() == Some(std::path::Path::new("content/studies.yaml"))),
        "{script_warnings:#?}"
    );
    // Event handlers in heading attributes (`## Title {onclick=…}`) are
    // dropped, in the body, a callout and a component field, each warned
    // about at its heading; the id, class and other attributes stay.
    let handlers: Vec<(String, usize)> = report
        .warnings
        .iter()
        .filter(|w| w.kind == docent::Kind::ScriptHandler)
        .map(|w| (w.message.clone(), w.line))
        .collect();
    let source = s.source("content/_index.md");
    let line_of = |needle: &str| {
        source
            .lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
    };
    for name in [
        "onclick",
        "ONFOCUS",
        "onmouseover=alert(9)",
        "onmouseover=alert(10)",
    ] {
        let line = line_of(name).unwrap();
        let attr = name.split('=').next().unwrap();
        assert!(
            handlers
                .iter()
                .any(|(m, l)| m.contains(&format!("`{attr}` removed")) && *l == line),
            "{name} at line {line}: {handlers:#?}"
        );
    }
    assert!(
        html.contains(r#"<h2 id="handler" class="note" autofocus="" tabindex="0">"#),
        "{html}"
    );
    assert!(html.contains(r#"title="kept""#), "{html}");
    // An image's attribute list (`{alt='…'}`) gives text only: quotes in
    // its alt and title are escaped, and a handler is not used (warned).
    assert!(
        html.contains(
            r#"alt="&quot; onerror=&quot;alert(11)" title="x&quot; onload=&quot;alert(12)""#
        ),
        "{html}"
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message == "image attribute `onerror` is not used"
                && w.line == line_of("alert(13)").unwrap()),
        "{:#?}",
        report.warnings
    );
}

#[test]
fn with_raw_html_on_script_urls_are_warned_about() {
    let s = site(true);
    let report = s.build_ok();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.kind == docent::Kind::ScriptUrl && w.message.contains("javascript:alert(3)")),
        "{:#?}",
        report.warnings
    );
    // Trusted editors' raw HTML and heading handlers pass in this mode;
    // the handlers are warned about.
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.kind == docent::Kind::ScriptHandler && w.message.contains("`onclick`")),
        "{:#?}",
        report.warnings
    );
    let html = s.read("index.html");
    assert!(html.contains(r#"onclick="alert(7)""#));
    assert!(html.contains("<script>alert(1)</script>"));
    assert!(
        !live_script(&html).is_empty(),
        "the checker finds live script"
    );
}

/// A bibliography is written by editors too: a script URL in an entry's
/// `url` (however it is cased or spaced) is never a link, in BibTeX or
/// hayagriva YAML, whatever `raw_html` says, and is a warning at its line.
#[test]
fn a_script_url_in_the_bibliography_is_not_a_link() {
    let page = "---\ntitle: Cite\n---\n\nA claim [@evil]. Another [@plain].\n";
    let bib = "@article{plain,\n  title = {Plain},\n  author = {Roe, R.},\n  year = {2021},\n  url = {https://example.org/plain},\n}\n@article{evil,\n  title = {Evil},\n  author = {Doe, D.},\n  year = {2020},\n  url = {  JaVaScRiPt:alert(6)},\n}\n";
    let yaml = "plain:\n  type: article\n  title: Plain\n  author: Roe, R.\n  date: 2021\n  url: https://example.org/plain\nevil:\n  type: article\n  title: Evil\n  author: Doe, D.\n  date: 2020\n  url: \" JaVaScRiPt:alert(6)\"\n";
    for (raw_html, name, text, line) in [
        (false, "refs.bib", bib, 11),
        (true, "refs.bib", bib, 11),
        (false, "refs.yaml", yaml, 12),
    ] {
        let s = crate::common::Site::empty();
        s.write(
            "site.yaml",
            &format!("title: T\nbibliography: {name}\nmarkdown:\n  raw_html: {raw_html}\n"),
        );
        s.write(&format!("content/{name}"), text);
        s.write("content/cite.md", page);
        let report = s.build_ok();
        for out in ["cite/index.html", "references/index.html"] {
            let html = s.read(out);
            assert!(
                live_script(&html).is_empty(),
                "{name} {out}: {:?}",
                live_script(&html)
            );
            assert!(html.contains("https://example.org/plain"), "{html}");
        }
        let shown = format!("content/{name}");
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.kind == docent::Kind::ScriptUrl
                    && w.path.as_deref() == Some(std::path::Path::new(&shown))
                    && w.line == line
                    && w.message.contains("evil")),
            "{name}: {:#?}",
            report.warnings
        );
    }
}
