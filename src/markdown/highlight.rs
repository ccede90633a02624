//! Code highlighting with syntect, as CSS classes.
//!
//! The syntax set and themes are loaded lazily, once, on the first fenced
//! block that names a language, and shared by every thread. Each run of
//! text gets one flat span whose classes name its colour and font style in
//! the light theme (`hl-a<n>`, `hl-ab`/`hl-ai`/`hl-au`) and in the dark one
//! (`hl-b<n>`, …), `n` indexing the theme's own colours. Colours live in a
//! generated stylesheet ([`stylesheet`]), each adjusted so every token meets
//! WCAG AA contrast on the code background. (syntect's classed HTML nests a
//! span per scope with every scope atom as a class: three times the bytes.)

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::fmt::Write;
use std::rc::Rc;
use std::sync::LazyLock;

use syntect::highlighting::{Color, FontStyle, Highlighter, Style, Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
static THEMES: LazyLock<Themes> = LazyLock::new(Themes::load);
/// Selector matchers for the two themes, built once (not per code block).
static HIGHLIGHTERS: LazyLock<(Highlighter<'static>, Highlighter<'static>)> = LazyLock::new(|| {
    (
        Highlighter::new(&THEMES.light.theme),
        Highlighter::new(&THEMES.dark.theme),
    )
});

/// Background colours of code blocks; the theme's CSS uses the same values.
pub const LIGHT_BG: (u8, u8, u8) = (0xf6, 0xf8, 0xfa);
pub const DARK_BG: (u8, u8, u8) = (0x16, 0x1b, 0x22);

/// A theme and its colours, numbered in a stable order.
struct Palette {
    theme: Theme,
    /// Class letter: `a` (light) or `b` (dark).
    letter: char,
    colors: Vec<Color>,
    index: HashMap<(u8, u8, u8, u8), usize>,
}

impl Palette {
    fn new(theme: Theme, letter: char) -> Palette {
        let mut colors: Vec<Color> = theme
            .scopes
            .iter()
            .filter_map(|item| item.style.foreground)
            .collect();
        colors.sort_by_key(|c| (c.r, c.g, c.b, c.a));
        colors.dedup_by_key(|c| (c.r, c.g, c.b, c.a));
        let index = colors
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.r, c.g, c.b, c.a), i))
            .collect();
        Palette {
            theme,
            letter,
            colors,
            index,
        }
    }

    /// Classes for a token's style in this theme; none for the default.
    fn classes(&self, style: &Style, out: &mut String) {
        let fg = style.foreground;
        let default = self.theme.settings.foreground;
        if default != Some(fg)
            && let Some(i) = self.index.get(&(fg.r, fg.g, fg.b, fg.a))
        {
            let _ = write!(out, " hl-{}{i}", self.letter);
        }
        for (flag, c) in [
            (FontStyle::BOLD, 'b'),
            (FontStyle::ITALIC, 'i'),
            (FontStyle::UNDERLINE, 'u'),
        ] {
            if style.font_style.contains(flag) {
                let _ = write!(out, " hl-{}{c}", self.letter);
            }
        }
    }

    /// This theme's rules, for the classes [`Palette::classes`] emits.
    fn css(&self, bg: (u8, u8, u8)) -> String {
        let color = |c: Color| {
            let (r, g, b) = ensure_contrast((c.r, c.g, c.b), bg, 4.6);
            format!("color: #{r:02x}{g:02x}{b:02x};")
        };
        let mut out = String::new();
        if let Some(fg) = self.theme.settings.foreground {
            let _ = writeln!(out, ".hl-code {{ {} }}", color(fg));
        }
        for (i, c) in self.colors.iter().enumerate() {
            let _ = writeln!(out, ".hl-{}{i} {{ {} }}", self.letter, color(*c));
        }
        let l = self.letter;
        let _ = writeln!(out, ".hl-{l}b {{ font-weight: bold; }}");
        let _ = writeln!(out, ".hl-{l}i {{ font-style: italic; }}");
        let _ = writeln!(out, ".hl-{l}u {{ text-decoration: underline; }}");
        out
    }
}

struct Themes {
    light: Palette,
    dark: Palette,
}

impl Themes {
    fn load() -> Themes {
        let mut set = ThemeSet::load_defaults();
        let mut take = |name: &str| set.themes.remove(name).unwrap_or_default();
        Themes {
            light: Palette::new(take("InspiredGitHub"), 'a'),
            dark: Palette::new(take("base16-ocean.dark"), 'b'),
        }
    }
}

thread_local! {
    /// Class strings by scope stack: a block's tokens share a few dozen
    /// stacks, and matching a stack against a theme's selectors is the
    /// expensive part of highlighting.
    static CLASSES: std::cell::RefCell<FxHashMap<Vec<Scope>, Rc<str>>> =
        std::cell::RefCell::new(FxHashMap::default());
}

/// The classes (light then dark, space-separated, may be empty) for a scope
/// stack; shared, so a memo hit (every token) allocates nothing.
fn classes_for(stack: &[Scope], themes: &Themes) -> Rc<str> {
    CLASSES.with(|memo| {
        if let Some(c) = memo.borrow().get(stack) {
            return c.clone();
        }
        let hl = &*HIGHLIGHTERS;
        let mut s = String::new();
        themes.light.classes(&hl.0.style_for_stack(stack), &mut s);
        themes.dark.classes(&hl.1.style_for_stack(stack), &mut s);
        let c: Rc<str> = s.trim_start().into();
        memo.borrow_mut().insert(stack.to_vec(), c.clone());
        c
    })
}

/// Whether `lang` names a language the highlighter knows (`python`, `r`).
pub fn is_language(lang: &str) -> bool {
    SYNTAXES.find_syntax_by_token(lang).is_some()
}

/// Highlight `code` as `lang`; `None` when the language is unknown.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let ss = &*SYNTAXES;
    let syntax = ss.find_syntax_by_token(lang)?;
    let themes = &*THEMES;
    let mut parse = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = String::with_capacity(code.len() * 2);
    // The classes of the span open in `out` (empty: none open).
    let mut open: Rc<str> = "".into();
    let text = |out: &mut String, open: &mut Rc<str>, stack: &ScopeStack, t: &str| {
        if t.is_empty() {
            return;
        }
        let classes = classes_for(stack.as_slice(), themes);
        if classes != *open {
            if !open.is_empty() {
                out.push_str("</span>");
            }
            if !classes.is_empty() {
                let _ = write!(out, "<span class=\"{classes}\">");
            }
            *open = classes;
        }
        crate::util::escape_html_into(t, out);
    };
    for line in LinesWithEndings::from(code) {
        let ops = parse.parse_line(line, ss).ok()?;
        let mut pos = 0;
        for (at, op) in ops {
            text(&mut out, &mut open, &stack, &line[pos..at]);
            pos = at;
            stack.apply(&op).ok()?;
        }
        text(&mut out, &mut open, &stack, &line[pos..]);
    }
    if !open.is_empty() {
        out.push_str("</span>");
    }
    Some(out)
}

/// The highlighting stylesheet, made once per process and only when asked
/// for (it loads syntect's themes): light by default, dark under
/// `prefers-color-scheme: dark` (unless the reader chose light) and when
/// the page's `data-theme="dark"`.
pub fn stylesheet() -> &'static str {
    static CSS: LazyLock<String> = LazyLock::new(make_stylesheet);
    &CSS
}

fn make_stylesheet() -> String {
    let themes = &*THEMES;
    let light = themes.light.css(LIGHT_BG);
    // In the dark scheme the light theme's font styles are reset first;
    // the dark theme's own come after them.
    let dark = format!(
        ".hl-ab {{ font-weight: normal; }}\n.hl-ai {{ font-style: normal; }}\n.hl-au {{ text-decoration: none; }}\n{}",
        themes.dark.css(DARK_BG)
    );
    let mut out = String::from(
        "/* Generated by docent from syntect themes; colours adjusted for WCAG AA contrast. */\n",
    );
    out.push_str(&light);
    out.push_str("@media (prefers-color-scheme: dark) {\n");
    out.push_str(&prefix_selectors(
        &dark,
        ":root:not([data-theme=\"light\"])",
    ));
    out.push_str("}\n");
    out.push_str(&prefix_selectors(&dark, ":root[data-theme=\"dark\"]"));
    out
}

#[cfg(test)]
fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
    let hex = hex.get(..6)?;
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some(((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let ch = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Move `fg` towards black or white (away from `bg`) until it reaches `ratio`.
pub fn ensure_contrast(fg: (u8, u8, u8), bg: (u8, u8, u8), ratio: f64) -> (u8, u8, u8) {
    if contrast(fg, bg) >= ratio {
        return fg;
    }
    let target: f64 = if luminance(bg) > 0.5 { 0.0 } else { 255.0 };
    let mix = |c: u8, t: f64| (f64::from(c) + (t - f64::from(c)) * 0.1).round() as u8;
    let mut c = fg;
    for _ in 0..60 {
        c = (mix(c.0, target), mix(c.1, target), mix(c.2, target));
        if contrast(c, bg) >= ratio {
            break;
        }
    }
    c
}

/// Prefix every selector of a flat stylesheet with `prefix `.
fn prefix_selectors(css: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let (selectors, tail) = rest.split_at(open);
        let close = tail.find('}').map_or(tail.len(), |i| i + 1);
        let selectors = strip_comments(selectors);
        let prefixed: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{prefix} {s}"))
            .collect();
        out.push_str(&prefixed.join(", "));
        out.push(' ');
        out.push_str(&tail[..close]);
        out.push('\n');
        rest = &tail[close..];
    }
    out
}

fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let html = highlight("fn main() {}\n", "rust").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn tokens_get_one_flat_span_with_light_and_dark_classes() {
        let html = highlight("// note\nfn main() { let x = \"<b>\"; }\n", "rust").unwrap();
        assert!(
            !html.contains("<span class=\"hl-a") || html.contains(" hl-b"),
            "{html}"
        );
        // Flat: no span opens inside another.
        let mut depth = 0;
        for piece in html.split('<').skip(1) {
            if piece.starts_with("span") {
                depth += 1;
                assert_eq!(depth, 1, "{html}");
            } else if piece.starts_with("/span") {
                depth -= 1;
            }
        }
        assert_eq!(depth, 0);
        // The text survives, escaped.
        let text: String = html
            .split('<')
            .enumerate()
            .map(|(i, p)| {
                if i == 0 {
                    p
                } else {
                    p.split_once('>').map_or("", |x| x.1)
                }
            })
            .collect();
        assert_eq!(
            text,
            "// note\nfn main() { let x = &quot;&lt;b&gt;&quot;; }\n"
        );
        // Every class used has a rule.
        let css = stylesheet();
        for class in html
            .split("class=\"")
            .skip(1)
            .flat_map(|c| c.split('"').next().unwrap().split(' '))
        {
            assert!(css.contains(&format!(".{class} ")), "{class} has no rule");
        }
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn stylesheet_has_both_schemes_and_passes_contrast() {
        let css = stylesheet();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-"));
        // Every light-scheme colour meets 4.5:1 on the light background.
        let light = css.split("@media").next().unwrap();
        for hex in light.split("color: #").skip(1) {
            let c = parse_hex(&hex[..6]).unwrap();
            assert!(contrast(c, LIGHT_BG) >= 4.5, "#{} fails", &hex[..6]);
        }
    }

    #[test]
    fn contrast_adjustment() {
        let grey = (0x99, 0x99, 0x99);
        assert!(contrast(grey, (255, 255, 255)) < 4.5);
        assert!(contrast(ensure_contrast(grey, (255, 255, 255), 4.6), (255, 255, 255)) >= 4.6);
    }
}
