//! Equations (`$…$`, `$$…$$`): MathML at build time, labels and
//! references, `$` in prose and code left alone, and located errors for
//! bad LaTeX (issue 23). The browser tests check the same page for axe,
//! the Nu Html Checker and layout (tests/fixtures/science/math).

use crate::common::Site;
use docent::Kind;

fn site(body: &str) -> Site {
    let site = Site::bare();
    site.write("site.yaml", "title: Math\n");
    site.write("content/m.md", &format!("---\ntitle: M\n---\n\n{body}\n"));
    site
}

#[test]
fn equations_become_mathml_with_numbers_and_links() {
    let site = Site::fixture("science/math");
    site.build_ok();
    let html = site.read("equations/index.html");
    // Inline math is MathML inside the sentence, with its source.
    assert!(
        html.contains("compares the odds of an outcome in two groups: <math"),
        "inline"
    );
    assert!(html.contains("<mfrac>"));
    assert!(html.contains(
        "<annotation encoding=\"application/x-tex\">\\mathrm{OR} = \\frac{a/b}{c/d}</annotation>"
    ));
    // Labelled display equations: numbered in order, with ids; references link to them.
    assert!(
        html.contains(
            "<span class=\"equation\" id=\"eq-decay\" tabindex=\"0\"><math display=\"block\""
        ),
        "{html}"
    );
    assert!(html.contains("<span class=\"equation-number\">(1)</span>"));
    assert!(html.contains("id=\"eq-smd\""));
    assert!(html.contains("<span class=\"equation-number\">(2)</span>"));
    assert!(html.contains("Equation <a class=\"equation-ref\" href=\"#eq-decay\">(1)</a> gives"));
    assert!(html.contains("and <a class=\"equation-ref\" href=\"#eq-smd\">2</a> is"));
    // An unlabelled display equation has no number.
    assert_eq!(html.matches("equation-number").count(), 2);
    // The label itself is not drawn.
    assert!(
        !html.contains("\\label") || html.matches("\\label").count() == 2,
        "only in annotations"
    );
    // Dollars in prose and code stay text.
    assert!(
        html.contains("a session costs $5 to $10 in this example."),
        "prose dollars"
    );
    assert!(html.contains("<code>$x$</code>"), "inline code");
    assert!(html.contains("cost = $5 + $x$"), "code block");
    assert_eq!(
        html.matches("<math").count(),
        5,
        "three display, two inline expressions; references are links"
    );
}

#[test]
fn bad_latex_is_a_located_error_with_a_hint() {
    let site = site("Some text.\n\nThe dose is $\\frac{1}$ per day.");
    let diags = site.build_err();
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d.kind, Kind::InvalidValue);
    assert!(
        d.message.starts_with("cannot read this LaTeX: "),
        "{}",
        d.message
    );
    assert!(d.path.as_ref().unwrap().ends_with("content/m.md"));
    // Line 7 of the file (front matter, blank, text, blank), at the `$`.
    assert_eq!((d.line, d.column), (7, 13), "{d:?}");
    let shown = d.render("error");
    assert!(shown.contains("check the expression"), "{shown}");
    assert!(!shown.contains("ParserError"), "{shown}");
}

#[test]
fn an_unknown_or_repeated_label_is_a_located_error() {
    // Labels are read with the site (other pages link to equations), so a
    // repeated one stops the build there, at its second place.
    let site = site("$$a \\label{x}$$\n\nSee $\\eqref{x}$.\n\n$$b \\label{x}$$");
    let diags = site.build_err();
    let messages: Vec<(&str, usize)> = diags.iter().map(|d| (d.message.as_str(), d.line)).collect();
    assert_eq!(
        messages,
        [(
            "the equation label `x` is also defined at content/m.md:5",
            9
        )],
    );
    let site = self::site("$$a \\label{x}$$\n\nSee $\\eqref{y}$.");
    let diags = site.build_err();
    let messages: Vec<(&str, usize)> = diags.iter().map(|d| (d.message.as_str(), d.line)).collect();
    assert!(
        messages.contains(&("no equation on this page is labelled `y`", 7)),
        "{messages:?}"
    );
}

#[test]
fn math_is_not_script_even_with_raw_html_off() {
    // LaTeX has no way to write a link or a script here; text in it is escaped.
    let site = site("$\\text{<script>alert(1)</script>}$ and $a<b$");
    site.build_ok();
    let html = site.read("m/index.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(
        html.contains("&lt;script&gt;") || html.contains("&lt;script"),
        "{html}"
    );
}

#[test]
fn price_ranges_in_prose_stay_dollars() {
    // "$5-$10" paired as math `5-` (pulldown-cmark's rule, GitHub's too).
    // Pandoc's rule: a `$` followed by a digit does not close math, so
    // "$20,000 and $30,000" and ranges are dollars.
    let site = site(
        "A session costs $5-$10, or US$200–$300 where it is private \
         (between $1,000 and $2,000 a course).\n\nStill math: $x$, $n = 2$ and $a$3.",
    );
    site.build_ok();
    let html = site.read("m/index.html");
    assert!(
        html.contains(
            "A session costs $5-$10, or US$200–$300 where it is private (between $1,000 and $2,000 a course)."
        ),
        "{html}"
    );
    // `$a$3`: the `$` after `a` is followed by a digit, so it is text too.
    assert!(html.contains("and $a$3."), "{html}");
    assert_eq!(html.matches("<math").count(), 2, "{html}");
}

#[test]
fn tex_infix_fractions_are_read() {
    // `{-b \pm \sqrt{b^2-4ac} \over 2a}` is the quadratic formula in the
    // math examples of Hugo's and VitePress' docs; pulldown-latex knows no
    // `\over` ("unknown primitive command"), so neither site built.
    let site = site(
        "$$ x = {-b \\pm \\sqrt{b^2-4ac} \\over 2a} $$\n\n\
         Ways: ${n \\choose k}$, stacked ${a \\atop b}$, whole $1 \\over 2$, \
         and $\\overline{x}$ is not one.",
    );
    site.build_ok();
    let html = site.read("m/index.html");
    // Two fractions with a rule, a binomial in parentheses, one without.
    assert_eq!(html.matches("<mfrac>").count(), 2, "{html}");
    assert!(
        html.contains("<mo stretchy=\"true\">(</mo><mfrac linethickness=\"0em\">"),
        "{html}"
    );
    assert!(html.contains("<mfrac linethickness=\"0pt\">"), "{html}");
    assert!(html.contains("<mover"), "{html}");
    // The source shown to screen readers' users is what was written.
    assert!(
        html.contains("x = {-b \\pm \\sqrt{b^2-4ac} \\over 2a}</annotation>"),
        "{html}"
    );
}

#[test]
fn the_tex_logos_are_read() {
    // `$\LaTeX$` is in every text about LaTeX (20 times in mystmd's docs);
    // pulldown-latex knows no `\LaTeX` and the page did not build.
    let site = site("Write it in $\\LaTeX$ or plain $\\TeX$.");
    site.build_ok();
    let html = site.read("m/index.html");
    // One word, not five letters a screen reader spells out.
    assert!(html.contains("<mtext>LaTeX</mtext>"), "{html}");
    assert!(
        html.contains("<annotation encoding=\"application/x-tex\">\\LaTeX</annotation>"),
        "{html}"
    );
    assert!(
        html.contains("<annotation encoding=\"application/x-tex\">\\TeX</annotation>"),
        "{html}"
    );
}

#[test]
fn the_latex_readers_typo_does_not_reach_the_reader() {
    // pulldown-latex says "unkown color"; docent's message is its own.
    let site = site("A $\\color{nocolor}{x}$ here.");
    let errs = site.build_err();
    assert!(
        errs[0]
            .message
            .starts_with("cannot read this LaTeX: unknown color"),
        "{}",
        errs[0].message
    );
}

/// Commands MathJax and KaTeX read that pulldown-latex does not, found in
/// QuantEcon's lectures (`\mbox` 14 times, a display of lines split by
/// `\\` with no environment 3 times) and common in LaTeX written for the
/// web: each page failed to build. They are read as the commands they
/// mean.
#[test]
fn mathjax_commands_pulldown_latex_lacks_are_read() {
    let site = site(
        "$$\n\\max_x \\ z \\mbox{ subject to } x \\le 1\n$$\n\n\
         $$\nx_1 = 0.3 x_2 + 4 \\\\\nx_2 = 0.2 x_1 + 5\n$$\n\n\
         $$\na &= b \\\\\nc &= d\n$$\n\n\
         $\\mathscr{D}$, $\\bm{x}$, $\\hbox{a}$, $\\textnormal{b}$, $\\textup{c}$, $\\emph{d}$\n\n\
         $$\ny = 1 \\nonumber \\notag\n$$\n\nFig.~$a~b$",
    );
    site.build_ok();
    let html = site.read("m/index.html");
    assert!(html.contains("subject to&nbsp;</mtext>"), "{html}");
    // Lines of a display are rows of a table, aligned at `&` when written.
    assert_eq!(html.matches("<mtable").count(), 2, "{html}");
    for text in ["a", "b", "c", "𝑑"] {
        assert!(
            html.contains(&format!("<mtext>{text}</mtext>")),
            "{text}: {html}"
        );
    }
    // pulldown-latex escapes its own no-break space (`\ `, `~`): readers
    // saw "&nbsp;".
    assert!(!html.contains("&amp;nbsp;"), "{html}");
    // What was written is still the annotation.
    assert!(html.contains(">\\mathscr{D}</annotation>"), "{html}");
    assert!(!html.contains("nonumber</mi>"), "{html}");
}

/// A site's own LaTeX commands (MathJax's `macros`, mystmd's `math:`):
/// QuantEcon's lectures write `\EE` and `\argmax` on dozens of pages and
/// define them once in _config.yml. `markdown.math_macros` in site.yaml
/// defines them for every page: a definition, or a definition and its
/// number of arguments (`#1`, `#2`).
#[test]
fn site_math_macros_are_expanded() {
    let site = Site::bare();
    site.write(
        "site.yaml",
        "title: Math\nmarkdown:\n  math_macros:\n    EE: \\mathbb{E}\n    argmax: [\"\\\\operatorname*{argmax}\", 0]\n    pair: [\"\\\\langle #1, #2 \\\\rangle\", 2]\n    Var: \\operatorname{Var}\n    VV: \\Var\n",
    );
    site.write(
        "content/m.md",
        "---\ntitle: M\n---\n\n$\\EE[X] = \\pair{a}{b}$, $\\argmax_x f(x)$ and $\\VV(X)$; not $\\EEx$.\n",
    );
    let errs = site.build_err();
    // `\EEx` is no macro: still an unknown command.
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0]
            .message
            .ends_with("does not know the command `\\EEx`"),
        "{errs:#?}"
    );
    site.write(
        "content/m.md",
        "---\ntitle: M\n---\n\n$\\EE[X] = \\pair{a}{b}$, $\\argmax_x f(x)$ and $\\VV(X)$.\n",
    );
    site.build_ok();
    let html = site.read("m/index.html");
    assert!(html.contains("𝔼"), "{html}");
    assert!(html.contains("⟨"), "{html}");
    assert!(html.contains("<mi>argmax</mi>"), "{html}");
    assert!(!html.contains("*{argmax}"), "{html}");
    assert!(html.contains(">Var<"), "{html}");
    // The annotation is what the author wrote.
    assert!(
        html.contains(">\\EE[X] = \\pair{a}{b}</annotation>"),
        "{html}"
    );
}

#[test]
fn a_macro_that_never_ends_or_a_bad_name_is_a_located_error() {
    let site = Site::bare();
    site.write(
        "site.yaml",
        "title: Math\nmarkdown:\n  math_macros:\n    loop: \\loop x\n",
    );
    site.write("content/m.md", "---\ntitle: M\n---\n\nSee $\\loop$.\n");
    let errs = site.build_err();
    assert!(
        errs[0].message.contains("`\\loop`") && errs[0].message.contains("without end"),
        "{errs:#?}"
    );
    assert_eq!(errs[0].location(), "content/m.md:5:5");
    site.write(
        "site.yaml",
        "title: Math\nmarkdown:\n  math_macros:\n    \"\\\\R2\": \\mathbb{R}^2\n",
    );
    let errs = site.build_err();
    assert!(errs[0].message.contains("`\\R2`"), "{errs:#?}");
    assert_eq!(errs[0].location(), "site.yaml:4:5", "{errs:#?}");
}

/// A line of an alignment that starts with `[` (`[K_2, S_2] &= …`): the
/// LaTeX reader took `\\[K_2, S_2]` for the break's spacing ("expected a
/// dimensional unit", in QuantEcon's measurement-models lecture); MathJax
/// reads a bracket that holds no dimension as the next line's text.
#[test]
fn a_bracket_after_a_line_break_is_text_unless_it_is_a_spacing() {
    let site = site(
        "$$\n\\begin{aligned}\na &= b, \\\\\n[K, S] &= f(x) \\\\[4pt]\nc &= d \\\\ [2.5 em] e &= f\n\\end{aligned}\n$$",
    );
    site.build_ok();
    let html = site.read("m/index.html");
    assert!(html.contains("<mi>K</mi>"), "{html}");
    // Spacings stay spacings, not text drawn in the equation.
    assert!(!html.contains("<mn>4</mn><mi>p</mi>"), "{html}");
    assert!(!html.contains("<mi>e</mi><mi>m</mi>"), "{html}");
}
