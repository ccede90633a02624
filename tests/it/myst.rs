//! MyST Markdown built unchanged (issue 25): admonitions as callouts,
//! `{figure} path`, `{glossary}`, `(label)=` targets and the `{ref}`,
//! `{numref}`, `{doc}`, `{term}` and `{cite:p}`/`{cite:t}` roles, checked
//! like docent's own links and citations; BibTeX bibliographies. The
//! browser tests check the fixture with axe and the Nu Html Checker
//! (tests/fixtures/myst/book).

use crate::common::{self, Site};
use docent::Kind;

/// A site with a BibTeX bibliography and one page holding `body`.
fn site(body: &str) -> Site {
    let site = Site::bare();
    site.write("site.yaml", "title: MyST\n");
    site.write(
        "content/references.bib",
        "@book{walker2017, author = {Walker, Matthew}, title = {Why We Sleep}, year = {2017}}\n",
    );
    site.write(
        "content/other.md",
        "# Other\n\n(there)=\n## Over there\n\nText.\n",
    );
    site.write("content/m.md", &format!("---\ntitle: M\n---\n\n{body}\n"));
    site
}

#[test]
fn a_myst_book_builds_unchanged() {
    let site = Site::fixture("myst/book");
    site.build_ok();
    let html = site.read("basics/index.html");
    // Admonitions are callouts; colon fences nest; a code block inside a
    // directive stays code.
    assert!(html.contains("<aside class=\"callout callout-note\" aria-label=\"Note\">"));
    assert!(html.contains("<p>Most adults need <strong>seven to nine hours</strong>; see <a href=\"#hygiene\">Sleep hygiene</a>.</p>"));
    assert!(html.contains("<aside class=\"callout callout-tip\""));
    assert!(
        html.contains("<code class=\"language-python"),
        "code inside a directive"
    );
    let warning = html.find("callout-warning").unwrap();
    let inner = html.find("aria-label=\"Why it matters\"").unwrap();
    let closes = html[warning..]
        .find("</aside>\n</aside>")
        .map(|i| i + warning);
    assert!(
        warning < inner && closes.is_some_and(|c| c > inner),
        "nested callout"
    );
    assert!(
        html.contains("<aside class=\"callout callout-caution\" aria-label=\"Why it matters\">"),
        ":class: picks the kind"
    );
    // `:class: dropdown` is collapsible.
    assert!(html.contains("<details class=\"callout callout-note\">\n<summary class=\"callout-label\">Further reading</summary>"));
    // A `---` block of options.
    assert!(html.contains("<aside class=\"callout callout-tip\" aria-label=\"A sleep diary\">\n<p class=\"callout-label\">A sleep diary</p>\n<p>Write down when"));
    // The figure: docent's figure component, with MyST's options and an id.
    assert!(html.contains("<div id=\"fig-cycles\" class=\"figure-target\"><figure"));
    assert!(html.contains("alt=\"A diagram of one night&#39;s sleep cycles\" width=\"320\""));
    assert!(html.contains("<figcaption>One night’s sleep cycles <a class=\"citation\" href=\"#ref-walker2017\">(Walker, 2017)</a>.</figcaption>"), "roles in a caption");
    assert!(
        html.contains("As <a href=\"#fig-cycles\">One night's sleep cycles.</a> shows"),
        "numref: the caption"
    );
    // Targets and roles.
    assert!(
        html.contains("<h2 id=\"stages\">"),
        "(label)= names the heading"
    );
    assert!(html.contains("<a href=\"#stages\">the stages</a>"));
    assert!(
        html.contains("<a href=\"/#home-label\">How to use it</a>"),
        "a label on another page"
    );
    assert!(html.contains("<a href=\"/glossary/#term-circadian-rhythm\">circadian rhythm</a>"));
    assert!(
        html.contains("<a href=\"/glossary/#term-rem\">REM</a>"),
        "{{term}}`text <alias>`"
    );
    // Citations from the BibTeX file, listed under References.
    assert!(html.contains("<a class=\"citation\" href=\"#ref-hirshkowitz2015\">Hirshkowitz et al. (2015)</a> recommend"));
    assert!(html.contains(
        "<li id=\"ref-hirshkowitz2015\">Hirshkowitz, M., Whiton, K., &amp; Albert, S. M. (2015)."
    ));
    assert!(html.contains("https://doi.org/10.1016/j.sleh.2014.12.010"));
    assert!(
        !html.contains("{cite") && !html.contains("{ref}") && !html.contains("{term}"),
        "no role left as text"
    );
    // {doc} shows the page's title, or the text given.
    let home = site.read("index.html");
    assert!(home.contains("Start with <a href=\"/basics/\">Sleep basics</a>, then"));
    assert!(home.contains("<a href=\"/terms/\">the glossary page</a>"));
    assert!(home.contains("<a href=\"/basics/#stages\">Stages of sleep</a>"));
    // The {glossary} block: a definition list on its page, and the site's glossary.
    let terms = site.read("terms/index.html");
    assert!(terms.contains("<dl class=\"glossary-terms\">"));
    assert!(terms.contains(">REM<br>Rapid eye movement</dt>"));
    assert!(
        terms.contains("see <a href=\"/basics/\">Sleep basics</a>"),
        "roles in a definition"
    );
    let glossary = site.read("glossary/index.html");
    assert!(
        glossary.contains("id=\"term-circadian-rhythm\""),
        "{glossary}"
    );
    assert!(glossary.contains("id=\"term-rem\""));
    // The .bib file is read, not published.
    assert!(!site.public().join("references.bib").exists());
}

#[test]
fn an_unknown_role_target_is_a_located_error_with_the_closest_label() {
    let site = site("See {ref}`theer` and {doc}`missing`.\n\nAnd {term}`nothing`.");
    let errs = site.build_err();
    let found: Vec<(&str, usize, usize)> = errs
        .iter()
        .map(|d| (d.message.as_str(), d.line, d.column))
        .collect();
    assert!(
        found.contains(&("no label `theer` in the site", 5, 5)),
        "{errs:?}"
    );
    let label = errs.iter().find(|d| d.message.contains("theer")).unwrap();
    assert_eq!(label.hint.as_deref(), Some("did you mean `there`?"));
    assert!(
        found.contains(&("no page `missing` for {doc}", 5, 22)),
        "{errs:?}"
    );
    assert!(
        found.contains(&("no glossary term `nothing`", 7, 5)),
        "{errs:?}"
    );
    assert!(errs.iter().all(|d| d.kind == Kind::BrokenLink));
}

#[test]
fn an_unknown_directive_keeps_the_located_error() {
    let site = site(":::{iframe}\nx\n:::");
    let errs = site.build_err();
    assert_eq!(errs[0].message, "unknown component `{iframe}`");
    assert_eq!((errs[0].line, errs[0].kind), (5, Kind::UnknownTemplate));
}

/// Put a small PNG at `content/pic.png`.
fn add_picture(site: &Site) {
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/markdown/xss/content/pic.png"
        ),
        site.root().join("content/pic.png"),
    )
    .unwrap();
}

#[test]
fn figure_is_docents_without_an_argument_and_mysts_with_one() {
    let site = site(
        "```{figure}\nsrc: pic.png\nalt: Docent's own\ncaption: YAML body\n```\n\n\
         ```{figure} pic.png\n:alt: MyST's\n\nMarkdown *caption*\n```",
    );
    add_picture(&site);
    site.build_ok();
    let html = site.read("m/index.html");
    assert!(html.contains("alt=\"Docent&#39;s own\""));
    assert!(html.contains("<figcaption>YAML body</figcaption>"));
    assert!(html.contains("alt=\"MyST&#39;s\""));
    assert!(html.contains("<figcaption>Markdown <em>caption</em></figcaption>"));
    // MyST's figure without alt text is refused like docent's.
    site.write(
        "content/m.md",
        "---\ntitle: M\n---\n\n```{figure} pic.png\nA caption\n```\n",
    );
    let errs = site.build_err();
    assert_eq!(errs[0].message, "{figure} `pic.png` has no alt text");
    assert_eq!(errs[0].line, 5);
    // In MyST's words: the option is `:alt:`.
    let hint = errs[0].hint.as_deref().unwrap_or_default();
    assert!(hint.contains("`:alt:`"), "{hint}");
    // An error about the image points at it on the fence line.
    site.write(
        "content/m.md",
        "---\ntitle: M\n---\n\n:::{figure} https://x.org/p.png\n:alt: A\n:::\n",
    );
    let errs = site.build_err();
    assert_eq!(errs[0].location(), "content/m.md:5:13", "{}", errs[0]);
}

#[test]
fn image_directives_show_their_image() {
    // MyST's `{image}` (Jupyter Book's usual way to put a picture in a
    // page): an image with its options, no caption.
    let site = site(
        "```{image} pic.png\n:alt: A small picture\n:width: 120px\n:name: pic\n```\n\n\
         :::{image} pic.png\n:alt: Again\n:::",
    );
    add_picture(&site);
    let report = site.build_ok();
    let html = site.read("m/index.html");
    assert!(html.contains("alt=\"A small picture\""), "{html}");
    assert!(html.contains("alt=\"Again\""));
    assert!(html.contains("id=\"pic\""));
    assert!(!html.contains("<figcaption"));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    // Without alt text it is refused like a figure, in its own name.
    site.write(
        "content/m.md",
        "---\ntitle: M\n---\n\n```{image} pic.png\n```\n",
    );
    let errs = site.build_err();
    assert_eq!(errs[0].message, "{image} `pic.png` has no alt text");
    assert!(
        errs[0].notes.iter().any(|n| n.contains("{image}")),
        "{}",
        errs[0]
    );
    // Text in its body (MyST takes none) is kept as a caption, with a warning.
    site.write(
        "content/m.md",
        "---\ntitle: M\n---\n\n```{image} pic.png\n:alt: A\n\nWords\n```\n",
    );
    let report = site.build_ok();
    assert!(
        site.read("m/index.html")
            .contains("<figcaption>Words</figcaption>")
    );
    let w = &report.warnings;
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(
        w[0].message,
        "{image} takes no text; it is shown as a caption"
    );
    assert_eq!((w[0].line, w[0].column), (8, 1));
}

#[test]
fn list_tables_are_tables() {
    // MyST's `{list-table}` (rows as a list of lists of cells; Jupyter
    // Book's usual way to write a table whose cells hold more than a line):
    // a table like a pipe table, its argument the caption, `:header-rows:`
    // the head, cells Markdown with citations and links.
    let site = site(
        "```{list-table} Sleep *by* age\n:header-rows: 1\n:name: sleep-table\n\n\
         * - Age\n  - Hours\n\
         * - Adults\n  - 7-9, see [@walker2017]\n\
         * - Teens\n  - 8-10\n\n    - a list\n    - in a cell\n```\n\n\
         :::{list-table}\n- - a\n  - b\n:::\n",
    );
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let html = site.read("m/index.html");
    let first = &html[html.find("<table>").expect("a table")..];
    let first = &first[..first.find("</table>").unwrap()];
    assert!(
        first.contains("<caption>Sleep <em>by</em> age</caption>"),
        "{first}"
    );
    assert!(
        first.contains("<thead><tr><th>Age</th><th>Hours</th></tr></thead>"),
        "{first}"
    );
    assert!(
        first.contains("<td data-label=\"Age\">Adults</td>"),
        "{first}"
    );
    assert!(first.contains("href=\"#ref-walker2017\""), "{first}");
    assert!(first.contains("<li>in a cell</li>"), "{first}");
    assert!(html.contains("id=\"sleep-table\""));
    // Without :header-rows: every row is a body row.
    let second = &html[html.rfind("<table>").unwrap()..];
    assert!(second.starts_with("<table><tbody>"), "{second}");
    assert!(
        !second[..second.find("</table>").unwrap()].contains("<th"),
        "{second}"
    );
    // A row with another number of cells, or a row that is no list, is an
    // error at that row.
    for (body, message, line) in [
        (
            "* - a\n  - b\n* - c\n",
            "row 2 of the {list-table} has 1 cell; the first row has 2",
            8,
        ),
        (
            "* - a\n* just text\n",
            "row 2 of the {list-table} is not a list of cells",
            7,
        ),
        (
            "Some text.\n",
            "a {list-table} holds one list of rows, each a list of cells",
            6,
        ),
    ] {
        site.write(
            "content/m.md",
            &format!("---\ntitle: M\n---\n\n```{{list-table}}\n{body}```\n"),
        );
        let errs = site.build_err();
        assert_eq!(
            (errs[0].message.as_str(), errs[0].line),
            (message, line),
            "{}",
            errs[0]
        );
    }
    site.write(
        "content/m.md",
        "---\ntitle: M\n---\n\n```{list-table}\n:header-rows: two\n* - a\n```\n",
    );
    let errs = site.build_err();
    assert_eq!(
        errs[0].message,
        "`:header-rows:` of a {list-table} must be a number of rows, not `two`"
    );
    assert_eq!(errs[0].line, 6);
}

#[test]
fn table_directives_with_a_caption_are_mysts() {
    // `{table} Caption` around a Markdown table (MyST's way to caption
    // one) is MyST's; `{table}` without an argument stays docent's YAML
    // study table.
    let site = site(
        "```{table} Hours of *sleep*\n:name: hours\n\n| Age | Hours |\n|---|---|\n| Adult | 7-9 |\n```\n\n\
         See {ref}`hours`.",
    );
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let html = site.read("m/index.html");
    assert!(
        html.contains("<table><caption>Hours of <em>sleep</em></caption>\n<thead>"),
        "{html}"
    );
    assert!(html.contains("<td data-label=\"Age\">Adult</td>"));
    assert!(html.contains("<div id=\"hours\">"));
    assert!(
        html.contains("href=\"#hours\">Hours of sleep</a>"),
        "{html}"
    );
    for (body, line) in [
        ("Just text.\n", 6),
        ("| a |\n|---|\n| 1 |\n\nMore.\n", 10),
        ("", 5),
    ] {
        site.write(
            "content/m.md",
            &format!("---\ntitle: M\n---\n\n```{{table}} Cap\n{body}```\n"),
        );
        let errs = site.build_err();
        assert_eq!(
            (errs[0].message.as_str(), errs[0].line),
            (
                "a {table} with a caption holds one Markdown table and nothing else",
                line
            ),
            "{body:?}: {}",
            errs[0]
        );
    }
}

#[test]
fn a_figure_of_images_in_its_body_is_mysts() {
    // MyST's figure without an image on the fence: its images (subfigures)
    // and caption are Markdown in its body, options first. It was read as
    // docent's YAML figure: "unknown key `:label`".
    let site = site(
        ":::{figure}\n:label: both\n\n![The first](pic.png)\n\n![The second](pic.png)\n\nTwo *pictures*.\n:::\n\n\
         See {ref}`both`.\n\n```{figure}\nsrc: pic.png\nalt: Docent's own\n```\n",
    );
    add_picture(&site);
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let html = site.read("m/index.html");
    let group = &html[html
        .find("<figure class=\"figure figure-group\" id=\"both\">")
        .expect(&html)..];
    let group = &group[..group.find("</figure>").unwrap()];
    assert!(
        group.contains("alt=\"The first\"") && group.contains("alt=\"The second\""),
        "{group}"
    );
    assert!(group.contains("<em>pictures</em>"), "{group}");
    assert!(html.contains("href=\"#both\""));
    // docent's YAML figure (with `src:`) is unchanged.
    assert!(html.contains("alt=\"Docent&#39;s own\""));
}

#[test]
fn a_label_defined_twice_is_an_error_at_the_second() {
    let errs = site("(there)=\n## Here").build_err();
    let d = &errs[0];
    // Pages are loaded in parallel: either may come first. The message
    // names the other definition's line.
    let (line, first) = if d.path.as_ref().unwrap().ends_with("m.md") {
        (5, "content/other.md:3")
    } else {
        (3, "content/m.md:5")
    };
    assert_eq!(
        d.message,
        format!("the label `there` is also defined at {first}"),
        "{errs:?}"
    );
    assert_eq!(d.line, line, "{d:?}");
    // Twice on one page: the first one's line.
    let errs = site("(here)=\n## Here\n\n(here)=\n## Again").build_err();
    assert_eq!(
        errs[0].message,
        "the label `here` is also defined at content/m.md:5"
    );
    assert_eq!(errs[0].location(), "content/m.md:8:1");
}

#[test]
fn errors_inside_colon_fences_keep_their_lines() {
    // A broken link on line 7 of the file, inside two levels of directives.
    let site = site("::::{note}\nText.\n:::{tip}\n[x](gone.md)\n:::\n::::");
    let errs = site.build_err();
    assert_eq!(errs[0].kind, Kind::BrokenLink);
    assert_eq!((errs[0].line, errs[0].column), (8, 1), "{errs:?}");
}

#[test]
fn deeply_nested_directives_are_refused_not_a_crash() {
    let depth = 40;
    let mut body = String::new();
    for i in (3..3 + depth).rev() {
        body.push_str(&":".repeat(i));
        body.push_str("{note}\n");
    }
    body.push_str("deep\n");
    for i in 3..3 + depth {
        body.push_str(&":".repeat(i));
        body.push('\n');
    }
    let errs = site(&body).build_err();
    assert!(
        errs[0].message.starts_with("directives nested more than"),
        "{errs:?}"
    );
}

#[test]
fn a_malformed_bibtex_entry_is_located_and_names_the_field() {
    let site = site("Cited [@walker2017].");
    site.write(
        "content/references.bib",
        "@book{walker2017,\n  author = {Walker, Matthew},\n  title = {Why We Sleep},\n  year = {twenty},\n}\n",
    );
    let errs = site.build_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0]
            .message
            .starts_with("reference `walker2017`, field `year`:"),
        "{errs:?}"
    );
    assert_eq!(errs[0].line, 4);
    assert!(errs[0].path.as_ref().unwrap().ends_with("references.bib"));
    // Broken syntax: located too.
    site.write(
        "content/references.bib",
        "@book{walker2017,\n  title = {Why We Sleep,\n",
    );
    let errs = site.build_err();
    assert!(
        errs[0]
            .message
            .starts_with("the bibliography is not valid BibTeX"),
        "{errs:?}"
    );
    assert!(errs[0].line >= 2);
}

#[test]
fn a_changed_label_title_rerenders_the_pages_that_show_it() {
    let site = Site::fixture("myst/book");
    site.build_ok();
    assert!(site.read("index.html").contains(">Stages of sleep</a>"));
    let path = site.root().join("content/basics.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("## Stages of sleep", "## The stages of sleep"),
    )
    .unwrap();
    site.build_ok();
    assert!(site.read("index.html").contains(">The stages of sleep</a>"));
}

/// A MyST option docent does not act on (`:target:` on a figure, `:icon:`
/// on a callout) is a warning at its line, not ignored without a word;
/// the options it reads are not. A callout's `:name:` is its id, so a
/// `{ref}` to it lands on it.
#[test]
fn a_myst_option_docent_ignores_is_a_located_warning() {
    let site = site(
        "```{figure} pic.png\n:alt: A picture\n:target: https://example.org/\n:width: 100\n\nCaption\n```\n\n\
         :::{note}\n:class: dropdown\n:name: my-note\n:icon: false\nText.\n:::\n\nSee {ref}`my-note`.",
    );
    add_picture(&site);
    let report = site.build_ok();
    let found: Vec<(String, usize)> = report
        .warnings
        .iter()
        .filter(|w| w.message.contains("option"))
        .map(|w| (w.message.clone(), w.line))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].0.contains("`:target:`") && found[0].1 == 7,
        "{found:#?}"
    );
    assert!(
        found[1].0.contains("`:icon:`") && found[1].1 == 16,
        "{found:#?}"
    );
    let html = site.read("m/index.html");
    assert!(html.contains(r#"id="my-note""#), "{html}");
    assert!(html.contains(r##"href="#my-note""##), "{html}");
}

/// Labels are names an author picks: one holding `%` or `#` (never a
/// space: the label line refuses those) becomes an id its `{ref}` links
/// reach, on a heading, a callout and a paragraph alike, valid HTML.
#[test]
fn labels_with_url_characters_are_ids_their_refs_reach() {
    let site = site(
        "(50%off)=\n## Discounts\n\n:::{note}\n:name: a#b\nText.\n:::\n\n(p%zz)=\n\nA paragraph.\n\n\
         See {ref}`50%off`, {ref}`a#b` and {ref}`p%zz`.",
    );
    site.build_ok();
    let html = site.read("m/index.html");
    for (id, href) in [
        ("50%25off", "#50%25off"),
        ("a%23b", "#a%23b"),
        ("p%25zz", "#p%25zz"),
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "id {id} in {html}");
        assert!(
            html.contains(&format!("href=\"{href}\"")),
            "{href} in {html}"
        );
    }
}

/// `{code-block}` (and its other names `{code}`, `{sourcecode}`), the most
/// used MyST directive in Jupyter Book's own docs, is code: highlighted
/// like a fence of its language, its caption shown, `:name:` its id;
/// options docent does not act on are warnings. It was an "unknown
/// component" error, and `docent import` kept its code as Markdown text.
#[test]
fn code_block_directives_are_code() {
    let site = site(
        "```{code-block} python\n:caption: Greeting *one*\n:name: hello\n:linenos:\n\ndef f():\n    return \"<b>\"\n```\n\n\
         ```{code} yaml\nkey: [a, b]\n# - not a list\n```\n\n\
         :::{sourcecode}\nplain <i>\n:::\n\nSee {ref}`hello`.\n\n\
         ```{code} yaml\n:filename: myst.yml\n:label: config\n\nversion: 1\n```\n\nSee [](#config).",
    );
    let report = site.build_ok();
    let html = site.read("m/index.html");
    assert!(
        html.contains("<figcaption>Greeting <em>one</em></figcaption>"),
        "{html}"
    );
    assert!(html.contains("id=\"hello\""), "{html}");
    assert!(html.contains("href=\"#hello\""), "{html}");
    // Highlighted as Python and YAML (syntect's classes), text escaped.
    assert!(
        html.contains("&lt;b&gt;") && html.contains("&lt;i&gt;"),
        "{html}"
    );
    assert!(!html.contains("<b>") && !html.contains("<i>"), "{html}");
    assert!(
        html.contains("# - not a list"),
        "the YAML stays code: {html}"
    );
    assert_eq!(html.matches("<pre").count(), 4, "{html}");
    // mystmd's `:filename:` is shown above the code, and `:label:` is
    // another name for `:name:` (on figures and callouts too).
    assert!(
        html.contains("<div id=\"config\">\n<figure class=\"figure code-figure\"><figcaption><code>myst.yml</code></figcaption>"),
        "{html}"
    );
    assert!(
        html.contains(r##"<a href="#config">myst.yml</a>"##),
        "{html}"
    );
    let ignored: Vec<(String, usize)> = report
        .warnings
        .iter()
        .map(|w| (w.message.clone(), w.line))
        .collect();
    assert_eq!(ignored.len(), 1, "{ignored:#?}");
    assert!(
        ignored[0].0.contains("`:linenos:`") && ignored[0].1 == 8,
        "{ignored:#?}"
    );
}

/// `{math}` is display math; its `:label:` (or `:name:`, as mystmd also
/// reads it) numbers it, and `\eqref` links to it, as a labelled
/// `$$ … $$` does.
#[test]
fn math_directives_are_display_math() {
    let site = site(
        "```{math}\n:label: mass\nE = mc^2\n```\n\n$$\na^2 + b^2 = c^2 \\label{pyth}\n$$\n\n\
         ```{math}\n\\frac{1}{2}\n```\n\n:::{math}\n:name: book\n\nx \\times y = z\n:::\n\n\
         See $\\eqref{mass}$, $\\eqref{pyth}$ and $\\eqref{book}$.",
    );
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = site.read("m/index.html");
    assert_eq!(html.matches("<math").count(), 4, "{html}");
    assert!(html.contains("id=\"eq-mass\""), "{html}");
    assert!(html.contains("href=\"#eq-mass\">(1)</a>"), "{html}");
    assert!(html.contains("href=\"#eq-pyth\">(2)</a>"), "{html}");
    assert!(html.contains("href=\"#eq-book\">(3)</a>"), "{html}");
}

/// Jupyter Book's equation labels (QuantEcon's lectures hold 459):
/// `$$ … $$ (label)` (myst-parser's dollarmath) numbers an equation as
/// `\label` does, and `{eq}` links to a labelled equation as "(n)", on
/// its page or another. Equation labels are a namespace of their own, as
/// in Sphinx: a section `(solow)=` and an equation `solow` do not clash.
/// Before, `{eq}` was shown as written, the `(label)` after `$$` as text,
/// and the section and the equation were "defined twice".
#[test]
fn eq_roles_and_dollar_labels_number_and_link_equations() {
    let site = site(
        "(solow)=\n## Solow\n\n$$\nk = s f(k)\n$$ (solow)\n\n```{math}\n:label: mass\nE = mc^2\n```\n\n\
         By {eq}`solow` and {eq}`mass`; see {ref}`solow`, {ref}`mass`, {eq}`growth` and {eq}`the law <growth>`.",
    );
    site.write(
        "content/other.md",
        "# Other\n\n(there)=\n## Over there\n\n$$ a = b \\label{first} $$\n\n$$ g = n + x $$ (growth)\n\nText.\n",
    );
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = site.read("m/index.html");
    assert!(
        !html.contains("(solow)</p>") && !html.contains("{eq}"),
        "{html}"
    );
    assert!(html.contains("id=\"eq-solow\""), "{html}");
    assert!(html.contains("href=\"#eq-solow\">(1)</a>"), "{html}");
    assert!(html.contains("href=\"#eq-mass\">(2)</a>"), "{html}");
    // `{ref}` finds the section first, an equation when no section has the name.
    assert!(html.contains("href=\"#solow\">Solow</a>"), "{html}");
    assert!(html.contains("href=\"#eq-mass\">(2)</a>,"), "{html}");
    assert!(
        html.contains("href=\"/other/#eq-growth\">(2)</a>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"/other/#eq-growth\">the law</a>"),
        "{html}"
    );
    let other = site.read("other/index.html");
    assert!(other.contains("id=\"eq-growth\""), "{other}");
    assert!(other.contains(">(2)</span>"), "{other}");
    assert!(!other.contains("(growth)"), "{other}");
}

/// An unknown `{eq}` label is a located error naming the closest one; an
/// equation label on two pages is an error at the second.
#[test]
fn eq_label_errors_are_located() {
    let errs = site("$$ x = 1 $$ (one)\n\nSee {eq}`ome`.").build_err();
    let d = errs
        .iter()
        .find(|d| d.message.contains("`ome`"))
        .unwrap_or_else(|| panic!("{errs:#?}"));
    assert_eq!(d.message, "no equation labelled `ome` in the site", "{d:?}");
    assert_eq!(d.hint.as_deref(), Some("did you mean `one`?"), "{d:?}");
    assert_eq!(d.location(), "content/m.md:7:5", "{d:?}");

    let site = site("$$ x = 1 $$ (one)");
    site.write("content/other.md", "# Other\n\n$$\ny = 2\n$$ (one)\n");
    let errs = site.build_err();
    assert!(
        errs.iter().any(|d| d
            .message
            .starts_with("the equation label `one` is also defined at")),
        "{errs:#?}"
    );
}

/// A link without text (`[](#label)`: how mystmd and Jupyter Book 2
/// write a cross-reference) was an empty `<a>`: nothing for a screen
/// reader to announce, nothing to click. A label's link shows the
/// label's title (and reaches it on whichever page it is), a page's
/// link the page's title; any other is shown as its address, with a
/// warning.
#[test]
fn a_link_without_text_shows_what_it_leads_to() {
    let site = site(
        "(my-sec)=\n## A section\n\n\
         See [](#my-sec), [](#there), [](other.md) and [](https://example.org/a).",
    );
    let report = site.build_ok();
    let html = site.read("m/index.html");
    for link in [
        r##"<a href="#my-sec">A section</a>"##,
        r##"<a href="/other/#there">Over there</a>"##,
        r##"<a href="/other/">Other</a>"##,
        r##"<a href="https://example.org/a">https://example.org/a</a>"##,
    ] {
        assert!(html.contains(link), "{link} in {html}");
    }
    assert!(!html.contains("\"></a>"), "{html}");
    // A heading of this page wins over a label of the same name elsewhere.
    site.write(
        "content/m.md",
        "---\ntitle: M\n---\n\nSee [the local one](#there).\n\n## There\n",
    );
    site.build_ok();
    let html = site.read("m/index.html");
    assert!(
        html.contains(r##"<a href="#there">the local one</a>"##),
        "{html}"
    );
    let found = common::located(&report.warnings);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "content/m.md:8:47", "{found:#?}");
    assert!(found[0].1.contains("no text"), "{found:#?}");
}

#[test]
fn containers_written_without_braces_are_callouts() {
    // Docusaurus (`:::tip Title`), VitePress and VuePress (`::: warning`),
    // Quarto (`::: {.callout-note}`) and the Carpentries (`::: callout`)
    // write admonitions (and Pandoc divs: `::: challenge`) as colon
    // containers without MyST's braces: shown as colons in text (a
    // definition list after text), or (Quarto's) an "unknown component"
    // error. Pandoc's code
    // block attributes (```` ```{.python} ````) were an error too.
    let site = site(
        ":::tip My title\nA **tip**.\n:::\n\n\
         ::: warning\nCareful.\n:::\n\n\
         ::: {.callout-important #imp}\nQuarto's.\n:::\n\n\
         :::info\nDocusaurus' note.\n:::\n\n\
         ::: details Click me\nHidden.\n:::\n\n\
         ::::note Outer\n:::caution\nInner.\n:::\n::::\n\n\
         ::: challenge\nA div docent does not know.\n:::\n\n\
         :::: {.challenge}\n## Exercise\n\n::: solution\nThe answer.\n:::\n::::\n\n\
         ```{.python}\nprint(1)\n```\n\n\
         ```note\nA code block in a language called note.\n```\n",
    );
    site.build_ok();
    let html = site.read("m/index.html");
    assert!(
        html.contains("<aside class=\"callout callout-tip\" aria-label=\"My title\">\n<p class=\"callout-label\">My title</p>\n<p>A <strong>tip</strong>.</p>"),
        "{html}"
    );
    assert!(
        html.contains("<aside class=\"callout callout-warning\""),
        "{html}"
    );
    assert!(
        html.contains("<aside class=\"callout callout-important\""),
        "{html}"
    );
    assert!(html.contains("<p>Docusaurus’ note.</p>"), "{html}");
    assert_eq!(
        html.matches("<aside class=\"callout callout-note\"")
            .count(),
        2,
        "{html}"
    );
    assert!(
        html.contains("<details class=\"callout callout-note\">\n<summary class=\"callout-label\">Click me</summary>"),
        "{html}"
    );
    let outer = html.find("aria-label=\"Outer\"").unwrap();
    let inner = html.find("callout-caution").unwrap();
    assert!(outer < inner, "nested");
    // Any other name is a div of that class (Pandoc's fenced div), and a
    // Carpentries solution is collapsible, titled by its name.
    assert!(
        html.contains("<div class=\"challenge\">\n<p>A div docent does not know.</p>\n</div>"),
        "{html}"
    );
    assert!(
        html.contains("<details class=\"callout callout-note\">\n<summary class=\"callout-label\">Solution</summary>"),
        "{html}"
    );
    assert!(html.contains("print"), "{html}");
    assert!(
        html.contains("language-python") || html.contains("data-lang=\"python\""),
        "{html}"
    );
    assert!(
        html.contains("A code block in a language called note."),
        "{html}"
    );
    assert!(!html.contains("<p>:::tip"), "{html}");
}

#[test]
fn a_container_never_closed_stays_text_and_takes_nothing_after_it() {
    let site = site(
        "::: {.callout-tip title=\"Quarto's title\"}\nAbove a rule.\n\n---\n\nBelow it.\n:::\n\n\
         ::: {.callout-note}\n## Tip with Caption\nQuarto's other way to title it.\n:::\n\n\
         ::: tip\nNever closed.\n\n## Later\n\nText after.\n",
    );
    site.build_ok();
    let html = site.read("m/index.html");
    assert!(html.contains("aria-label=\"Quarto&#39;s title\""), "{html}");
    assert!(
        html.contains("<p>Above a rule.</p>\n<hr />\n<p>Below it.</p>"),
        "{html}"
    );
    // A heading first in the body is the title (Quarto, mystmd), not a
    // heading of the page.
    assert!(
        html.contains("<p class=\"callout-label\">Tip with Caption</p>\n<p>Quarto’s other way"),
        "{html}"
    );
    assert!(!html.contains("id=\"tip-with-caption\""), "{html}");
    assert!(html.contains("<p>::: tip\nNever closed.</p>"), "{html}");
    assert!(
        html.contains(">Later</a></h2>") && html.contains("<p>Text after.</p>"),
        "{html}"
    );
}

#[test]
fn tabs_cards_and_grids_show_all_their_content() {
    // sphinx-design's and mystmd's `{tab-set}`/`{tab-item}` (69 in mystmd's
    // own docs), `{card}` and `{grid}` were "unknown component" errors.
    // Without script every tab's content is shown, each under its label,
    // in page order (as in print); cards are labelled boxes in a grid.
    let site = site(
        "::::{tab-set}\n:::{tab-item} Bash\n:sync: bash\n```bash\nexport A=1\n```\n:::\n\
         :::{tab-item} *PowerShell*\n```powershell\n$env:A = 1\n```\n:::\n::::\n\n\
         ::::{grid} 1 2 2 3\n:::{card} No pattern-matching\nText one.\n:::\n\
         :::{card}\nText two.\n:::\n::::\n",
    );
    let report = site.build_ok();
    let html = site.read("m/index.html");
    let tabs = html.find("<div class=\"tab-set\">").expect("tab set");
    let bash = html
        .find("<p class=\"tab-label\">Bash</p>")
        .expect("first label");
    let ps = html
        .find("<p class=\"tab-label\"><em>PowerShell</em></p>")
        .expect("second label, inline Markdown");
    assert!(tabs < bash && bash < ps, "{html}");
    assert!(
        html.contains("language-bash") && html.contains("language-powershell"),
        "{html}"
    );
    assert!(html.contains("<div class=\"grid\">"), "{html}");
    assert!(
        html.contains("<div class=\"card\">\n<p class=\"card-label\">No pattern-matching</p>\n<p>Text one.</p>\n</div>"),
        "{html}"
    );
    assert!(
        html.contains("<div class=\"card\">\n<p>Text two.</p>\n</div>"),
        "{html}"
    );
    // An option docent does not act on is a warning, as on every directive.
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("`:sync:`")),
        "{:#?}",
        report.warnings
    );
}

#[test]
fn code_cells_diagrams_exercises_and_solutions_build() {
    // A Jupyter Book of MyST notebooks: `{code-cell}` (run by Jupyter Book,
    // not by docent: shown as code), `{mermaid}` (drawn by script: shown
    // as its source), sphinx-exercise's `{exercise}` and `{solution}`.
    // Each was an "unknown component" error.
    let site = site(
        "```{code-cell} python\n:tags: [hide-input]\nprint(\"hello\")\n```\n\n\
         ```{mermaid}\ngraph TD; A-->B\n```\n\n\
         ```{exercise} Count the cycles\n:label: ex-cycles\nHow many?\n```\n\n\
         ```{solution} ex-cycles\nAbout five.\n```\n\n\
         ```{exercise}\nAnother.\n```\n",
    );
    let report = site.build_ok();
    let html = site.read("m/index.html");
    assert!(html.contains("<code class=\"language-python"), "{html}");
    assert!(
        html.contains("<code class=\"language-mermaid\">graph TD; A--&gt;B"),
        "{html}"
    );
    assert!(
        html.contains("<aside class=\"callout callout-note\" aria-label=\"Count the cycles\">"),
        "{html}"
    );
    assert!(html.contains("<p>How many?</p>"), "{html}");
    assert!(html.contains("aria-label=\"Exercise\""), "{html}");
    assert!(
        html.contains("<details class=\"callout callout-note\">\n<summary class=\"callout-label\">Solution</summary>\n<p>About five.</p>"),
        "{html}"
    );
    // What docent does not do is said: the cell's tags are not read.
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.message.contains("`:tags:`")),
        "{:#?}",
        report.warnings
    );
}

/// sphinx-proof's `{prf:theorem}`, `{prf:proof}`, … (55 in QuantEcon's
/// lectures; mystmd reads them too) were "unknown" errors when built, and
/// the import kept only their text. Each is a callout named for its kind,
/// with its title in parentheses; `{prf:ref}` links to one by label.
#[test]
fn proofs_and_theorems_are_named_callouts() {
    let site = site(
        "```{prf:theorem} Pythagoras\n:label: pyth\n\nFor a right triangle, $a^2 + b^2 = c^2$.\n```\n\n\
         ```{prf:proof}\nDraw the squares.\n```\n\n\
         :::{prf:definition}\n:label: right\nA right angle is 90°.\n:::\n\n\
         By {prf:ref}`pyth` and {prf:ref}`the definition <right>`.",
    );
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = site.read("m/index.html");
    assert!(
        html.contains("aria-label=\"Theorem (Pythagoras)\""),
        "{html}"
    );
    assert!(html.contains("aria-label=\"Proof\""), "{html}");
    assert!(html.contains("aria-label=\"Definition\""), "{html}");
    assert!(html.contains("id=\"pyth\""), "{html}");
    assert!(html.contains("href=\"#pyth\">Pythagoras</a>"), "{html}");
    assert!(
        html.contains("href=\"#right\">the definition</a>"),
        "{html}"
    );
}

/// Sphinx directives Jupyter Books use that show nothing or something
/// simple (QuantEcon's lectures: 33 `{index}`, 9 `{raw}`, 2 `{epigraph}`,
/// an `{only} latex`): each was an "unknown" error when built; imported,
/// the index entries ("single: Vectors") and the LaTeX-only text were
/// shown on the page.
#[test]
fn index_only_raw_and_epigraph_directives_show_what_sphinx_shows_on_the_web() {
    let site = site(
        "```{epigraph}\n\"Sleep is the best meditation.\"\n\n-- Dalai Lama\n```\n\n\
         ```{index} single: Sleep; stages\n```\n\n\
         ## {index}`Stages <single: Stages>`\n\n\
         The {index}`REM` stage.\n\n\
         ```{only} latex\nOnly in print.\n```\n\n\
         ```{only} html or epub\nOn the web.\n```\n\n\
         ```{only} not html\nNot on the web.\n```\n\n\
         ```{raw} latex\n\\newpage\n```\n\n\
         ```{raw} html\n<p class=\"lead\">Raw <b>HTML</b>.</p>\n<script>alert(1)</script>\n```\n",
    );
    let report = site.build_ok();
    let html = site.read("m/index.html");
    assert!(
        html.contains("<blockquote class=\"epigraph\">\n<p>“Sleep is the best meditation.”</p>"),
        "{html}"
    );
    assert!(!html.contains("single:"), "{html}");
    assert!(html.contains(">Stages</a></h2>"), "{html}");
    assert!(html.contains("<p>The REM stage.</p>"), "{html}");
    assert!(html.contains("On the web."), "{html}");
    assert!(
        !html.contains("Only in print") && !html.contains("Not on the web"),
        "{html}"
    );
    assert!(!html.contains("newpage"), "{html}");
    // Raw HTML is the author's, under the site's rule for any raw HTML:
    // passed by default (editors are trusted) ...
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert!(
        html.contains("<p class=\"lead\">Raw <b>HTML</b>.</p>"),
        "{html}"
    );
    // ... and with `raw_html: false`, left out, and that is said there.
    site.write("site.yaml", "title: MyST\nmarkdown:\n  raw_html: false\n");
    let report = site.build_ok();
    let html = site.read("m/index.html");
    assert!(
        !html.contains("alert(1)") && !html.contains("lead"),
        "{html}"
    );
    let left_out: Vec<_> = report
        .warnings
        .iter()
        .map(|w| (w.message.as_str(), w.location()))
        .collect();
    assert_eq!(
        left_out,
        [(
            "{raw} html left out: this site does not allow raw HTML",
            "content/m.md:34:1".to_string()
        )]
    );
}

/// sphinx-proof's labels are a name space of their own, as Sphinx keeps
/// them (`{prf:ref}` reaches them): QuantEcon's lectures label a section
/// `(stationary)=` on one page and a theorem `stationary` on another, and
/// the build stopped ("defined twice"). `{ref}` still reaches a theorem
/// whose name no section has (mystmd reads one name space).
#[test]
fn proof_labels_do_not_clash_with_section_labels() {
    let site = site(
        "```{prf:theorem} Uniqueness\n:label: there\n\nOnly one.\n```\n\n\
         ```{prf:lemma}\n:label: small\n\nA step.\n```\n\n\
         See {prf:ref}`there`, {ref}`there`, {ref}`small` and [](#small).",
    );
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = site.read("m/index.html");
    assert!(html.contains("href=\"#there\">Uniqueness</a>"), "{html}");
    // `{ref}` finds the section on the other page first.
    assert!(
        html.contains("href=\"/other/#there\">Over there</a>"),
        "{html}"
    );
    assert!(html.matches("href=\"#small\"").count() == 2, "{html}");
    // Twice among proofs is still an error.
    let site =
        self::site("```{prf:lemma}\n:label: a\n\nA.\n```\n\n```{prf:remark}\n:label: a\n\nB.\n```");
    let errs = site.build_err();
    assert_eq!(
        errs[0].message, "the proof label `a` is also defined at content/m.md:6",
        "{errs:#?}"
    );
}

/// Every id on a page is its own, whatever order labels and headings
/// come in: a heading whose text makes the id a later directive's
/// `:label:` names (`## Small` before a lemma `small`), a section and a
/// theorem sharing a label on one page (Sphinx keeps them apart), and a
/// figure named like a heading's second id. Each was an id given twice
/// (invalid HTML; a link reached the first). A label named like an id
/// of the theme (`main`) was renamed and its links led to the theme's.
#[test]
fn labels_and_heading_ids_never_share_an_id_on_a_page() {
    let site = site(
        "## Small\n\nText.\n\n\
         ```{prf:lemma}\n:label: small\n\nA step.\n```\n\n\
         (here)=\n## Over here\n\n\
         ```{prf:theorem} Uniqueness\n:label: here\n\nOnly one.\n```\n\n\
         ## Small\n\n\
         ```{math}\n:label: small-1\nx = 1\n```\n\n\
         :::{note}\n:name: small-2\nA note.\n:::\n\n\
         (main)=\n## Main findings\n\n\
         See {prf:ref}`here`, {ref}`here`, {ref}`small`, {ref}`small-2` and {ref}`main`.",
    );
    let report = site.build_ok();
    let html = site.read("m/index.html");
    common::assert_unique_ids(&html);
    let ids = common::ids(&html);
    // Each reference leads to what it names.
    for (id, element) in [
        ("small", "aria-label=\"Lemma\""),
        ("here", "<h2"),
        ("small-2", "aria-label=\"Note\""),
        // The theme's `<main id="main">` keeps its id; the label's is its own.
        ("label-main", "Main findings"),
    ] {
        assert!(html.contains(&format!("href=\"#{id}\"")), "#{id} in {html}");
        let at = html.find(&format!("id=\"{id}\"")).unwrap();
        let near = &html[at.saturating_sub(200)..(at + 200).min(html.len())];
        assert!(
            near.contains(element),
            "#{id} is not on the {element}: {near}"
        );
    }
    let theorem = html
        .split("href=\"#")
        .filter_map(|s| s.split_once("\">Uniqueness</a>"))
        .map(|(id, _)| id)
        .next()
        .expect(&html);
    assert!(
        ids.contains(&theorem) && theorem != "here",
        "{theorem}: {html}"
    );
    // The headings' text made ids that no label names.
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
}

/// docutils reads directive and role names in any case: QuantEcon's
/// lectures write `{prf:Theorem}`, and each was an unknown directive.
#[test]
fn directive_and_role_names_are_read_in_any_case() {
    let site = site(
        "```{prf:Theorem} Uniqueness\n:label: one\n\nOnly one.\n```\n\n\
         :::{Note}\nA note.\n:::\n\n\
         ```{Code-Block} python\nx = 1\n```\n\n\
         See {PRF:REF}`one` and {Ref}`there`.",
    );
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = site.read("m/index.html");
    assert!(
        html.contains("aria-label=\"Theorem (Uniqueness)\""),
        "{html}"
    );
    assert!(html.contains("aria-label=\"Note\""), "{html}");
    assert!(html.contains("<code class=\"language-python"), "{html}");
    assert!(html.contains("href=\"#one\">Uniqueness</a>"), "{html}");
    assert!(
        html.contains("href=\"/other/#there\">Over there</a>"),
        "{html}"
    );
    // A name docent does not know keeps its case in the error.
    let site = self::site("```{Nonsense}\nx\n```");
    let errs = site.build_err();
    assert!(errs[0].message.contains("Nonsense"), "{errs:#?}");
}

/// myst-parser reads a link to a bare name (`[](motion_law)`, no `#`) as
/// a reference to that label when no file has the name: QuantEcon's
/// lectures link to equations so, and each was a broken link.
#[test]
fn a_link_to_a_bare_label_is_a_reference() {
    let site = site(
        "$$ k' = g(k) $$ (motion)\n\nBy [](motion), [the other](there) and [a page](other.md).",
    );
    let report = site.build_ok();
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = site.read("m/index.html");
    assert!(html.contains("<a href=\"#eq-motion\">(1)</a>"), "{html}");
    assert!(
        html.contains("<a href=\"/other/#there\">the other</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"/other/\">a page</a>"), "{html}");
    // A name that is no label is a relative URL, as before; a file of that
    // name wins over a label.
    let site = self::site("(picture)=\n## Pictures\n\nSee [this](nothing) and [that](picture).");
    site.write("content/picture", "a file without an extension");
    site.build_ok();
    let html = site.read("m/index.html");
    assert!(html.contains("<a href=\"nothing\">this</a>"), "{html}");
    assert!(html.contains("<a href=\"/picture\">that</a>"), "{html}");
}
