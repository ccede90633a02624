//! `markdown.raw_html: false` keeps script out of every place Markdown is
//! rendered: page bodies, every component field, front-matter takeaways,
//! data files and the glossary; script URLs are removed in that mode and
//! warned about in the default mode (issue 17).

mod common;

use common::Site;

/// Script URLs first, then inline HTML (at the start of a line, `<script>`
/// would open an HTML block and the links after it would be plain text).
const XSS: &str = "[js](javascript:alert(3)) [vb](vbscript:msgbox(4)) [data](<data:text/html,<b>x</b>>) ![pic](javascript:alert(6)) and <img src=x onerror=alert(2)> <script>alert(1)</script>";

fn site(raw_html: bool) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let s = Site { dir };
    let q = |t: &str| format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""));
    s.write(
        "site.yaml",
        &format!("title: XSS\nmarkdown:\n  raw_html: {raw_html}\n"),
    );
    s.write("content/pic.png", "png");
    s.write(
        "content/_data/glossary.yaml",
        &format!("- term: placebo\n  definition: {}\n", q(XSS)),
    );
    s.write(
        "content/_data/testimonials.yaml",
        &format!(
            "t1:\n  quote: {}\n  name: A participant\n  source: https://example.org/x\n",
            q(XSS)
        ),
    );
    s.write(
        "content/studies.yaml",
        &format!(
            "caption: {x}\nsource: {x}\nnotes: {x}\ncolumns:\n  - {{key: study, label: Study, type: text}}\n  - {{key: n, label: N, type: integer}}\n  - {{key: note, label: Note, type: markdown}}\nrows:\n  - {{study: A, n: 5, note: {x}}}\n",
            x = q(XSS)
        ),
    );
    let block = |name: &str, body: String| format!("```{{{name}}}\n{body}```\n\n");
    let mut body = format!("{XSS}\n\nA placebo arm.\n\n");
    body += &block("faq", format!("- q: Question?\n  a: {}\n", q(XSS)));
    body += &block("table", "data: studies.yaml\n".into());
    body += &block(
        "table",
        format!("data: studies.yaml\ncaption: {}\n", q(XSS)),
    );
    body += &block(
        "chart",
        "data: studies.yaml\nx: study\ny: n\nlabel: people\n".into(),
    );
    body += &block(
        "testimonial",
        format!(
            "quote: {}\nname: B\nsource: https://example.org/y\n",
            q(XSS)
        ),
    );
    body += &block("testimonial", "ref: t1\n".into());
    body += &block(
        "figure",
        format!(
            "src: pic.png\nalt: A picture\ncaption: {x}\ncredit: {x}\n",
            x = q(XSS)
        ),
    );
    body += &block("takeaways", format!("- {}\n", q(XSS)));
    s.write(
        "content/page.md",
        &format!("---\ntitle: Page\ntakeaways: [{}]\n---\n\n{body}", q(XSS)),
    );
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
    let html = s.read("page/index.html");
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
            == Some(std::path::Path::new("content/page.md"))
            && w.line > 1),
        "{script_warnings:#?}"
    );
    assert!(
        script_warnings
            .iter()
            .any(|w| w.path.as_deref() == Some(std::path::Path::new("content/studies.yaml"))),
        "{script_warnings:#?}"
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
    // Trusted editors' raw HTML passes in this mode.
    let html = s.read("page/index.html");
    assert!(html.contains("<script>alert(1)</script>"));
    assert!(
        !live_script(&html).is_empty(),
        "the checker finds live script"
    );
}
