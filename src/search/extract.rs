//! The searchable text of a rendered page: the content of the elements the
//! theme marks `data-search-body` (or the page's `<main>` when a theme marks
//! none), without subtrees marked `data-search-ignore` (glossary tooltips,
//! the search form), scripts and styles, and separately the text of its
//! headings (`h2`-`h6`; they weigh more in the index), and without the
//! LaTeX source of equations (MathML `annotation`). Entities are decoded
//! and whitespace is collapsed.
//!
//! docent's own HTML is well formed, so a small scanner that counts open and
//! close tags of the marked element's name is enough; no DOM is built.

/// What the scanner needs to know of an element, from its name (one
/// lookup per tag).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Kind(u8);

impl Kind {
    /// Its boundaries separate words (`<p>a</p><p>b</p>` is "a b",
    /// `a<em>b</em>` is "ab").
    const BLOCK: u8 = 1;
    /// It has no end tag.
    const VOID: u8 = 2;
    /// `h2`-`h6`.
    const HEADING: u8 = 4;
    /// `script` or `style`: raw text, read to its end tag.
    const RAW: u8 = 8;
    /// MathML's `annotation` (an equation's source): not text to search.
    const ANNOTATION: u8 = 16;

    fn of(name: &str) -> Kind {
        const B: u8 = Kind::BLOCK;
        const V: u8 = Kind::VOID;
        Kind(match name {
            "address" | "article" | "aside" | "blockquote" | "caption" | "dd" | "details"
            | "div" | "dl" | "dt" | "figcaption" | "figure" | "footer" | "h1" | "header" | "li"
            | "main" | "nav" | "ol" | "p" | "pre" | "section" | "summary" | "table" | "td"
            | "th" | "tr" | "ul" => B,
            "h2" | "h3" | "h4" | "h5" | "h6" => B | Kind::HEADING,
            "br" | "hr" => B | V,
            "area" | "base" | "col" | "embed" | "img" | "input" | "link" | "meta" | "source"
            | "track" | "wbr" => V,
            "script" | "style" => Kind::RAW,
            "annotation" => Kind::ANNOTATION,
            _ => 0,
        })
    }

    fn is(self, flag: u8) -> bool {
        self.0 & flag != 0
    }
}

/// The page's searchable text, or an empty string when it has none.
pub fn body_text(html: &str) -> String {
    page_text(html).body
}

/// What a page gives the index.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageText {
    /// All its searchable text, headings included.
    pub body: String,
    /// The text of its headings inside that, one space between them.
    pub headings: String,
}

/// The page's searchable text and its headings' text.
pub fn page_text(html: &str) -> PageText {
    let mut text = TextSink::default();
    scan(html, &mut text);
    let mut text = text.finish();
    text.body.truncate(text.body.trim_end().len());
    text
}

/// Receives the searchable text of a page from [`scan`], in order: runs of
/// the page's own text, characters decoded from entities, the boundaries of
/// block elements, and where headings open and close.
pub trait Sink<'a> {
    /// A run of text as written in the HTML (no `<` or `&` in it).
    fn text(&mut self, s: &'a str);
    /// Read the run of text that starts at byte `at` of `html` (up to the
    /// next `<` or `&`, or the end; possibly empty) and return where it
    /// ends. By default [`read_run`]: find the end, hand the run to
    /// [`Sink::text`]. A sink may read runs its own way (the word counter
    /// does, 64 bytes at a time, without looking for the end first).
    fn read_text(&mut self, html: &'a str, at: usize) -> usize {
        read_run(self, html, at)
    }
    /// A character decoded from an entity, or a stray `<` or `&`.
    fn char(&mut self, c: char);
    /// A block boundary: the text before and after are separate words.
    fn gap(&mut self);
    /// A heading (`h2`-`h6`) opens.
    fn heading_open(&mut self);
    /// A heading closes.
    fn heading_close(&mut self);
}

/// Reads the searchable text of `html` into `sink`: the regions marked
/// `data-search-body`, or the page's `<main>` when no element is marked.
pub fn scan<'a>(html: &'a str, sink: &mut impl Sink<'a>) {
    let marked = memchr::memmem::find(html.as_bytes(), b"data-search-body").is_some();
    if marked {
        collect(
            html,
            b"data-search-body",
            |tag| tag.has_attr("data-search-body"),
            sink,
        );
    } else {
        collect(html, b"<main", |tag| tag.name == "main", sink);
    }
}

/// [`Sink::read_text`]'s default: the end of the run of text at byte `at`
/// of `html`, the run handed to `sink` when not empty.
pub fn read_run<'a>(sink: &mut (impl Sink<'a> + ?Sized), html: &'a str, at: usize) -> usize {
    let end = memchr::memchr2(b'<', b'&', &html.as_bytes()[at..]).map_or(html.len(), |o| at + o);
    if end > at {
        sink.text(&html[at..end]);
    }
    end
}

/// Builds a [`PageText`]: the text with entities decoded and whitespace
/// collapsed, and the headings' text apart.
#[derive(Default)]
struct TextSink {
    text: PageText,
    /// Where the heading being read starts in `text.body`.
    heading: Option<usize>,
}

impl TextSink {
    fn finish(self) -> PageText {
        self.text
    }
}

impl<'a> Sink<'a> for TextSink {
    fn text(&mut self, s: &'a str) {
        push_spaced(&mut self.text.body, s);
    }

    fn char(&mut self, c: char) {
        push_spaced(&mut self.text.body, c.encode_utf8(&mut [0; 4]));
    }

    fn gap(&mut self) {
        let out = &mut self.text.body;
        if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }

    fn heading_open(&mut self) {
        self.heading = Some(self.text.body.len());
    }

    fn heading_close(&mut self) {
        if let Some(from) = self.heading.take() {
            let text = self.text.body.get(from..).unwrap_or("").trim();
            add_heading(&mut self.text.headings, text);
        }
    }
}

/// Append a heading's text (trimmed, not empty) to the headings' text.
pub(super) fn add_heading(headings: &mut String, text: &str) {
    if !text.is_empty() {
        if !headings.is_empty() {
            headings.push(' ');
        }
        headings.push_str(text);
    }
}

struct Tag<'a> {
    /// Lowercase (docent writes lowercase tags; others are lowercased).
    name: std::borrow::Cow<'a, str>,
    attrs: &'a str,
    kind: Kind,
    closing: bool,
    self_closing: bool,
}

impl Tag<'_> {
    fn has_attr(&self, name: &str) -> bool {
        // A byte search from each occurrence of the name's first byte: tags
        // have a few short attributes, and most have none.
        let (hay, name) = (self.attrs.as_bytes(), name.as_bytes());
        let Some(&first) = name.first() else {
            return false;
        };
        let mut from = 0;
        while hay.len() - from >= name.len() {
            let Some(i) = memchr::memchr(first, &hay[from..]).map(|o| from + o) else {
                return false;
            };
            if hay[i..].starts_with(name) {
                let starts = i == 0 || hay[i - 1].is_ascii_whitespace();
                let ends = hay
                    .get(i + name.len())
                    .is_none_or(|c| *c == b'=' || *c == b'/' || c.is_ascii_whitespace());
                if starts && ends {
                    return true;
                }
            }
            from = i + 1;
        }
        false
    }
}

/// An open element being counted: its name and how many of that name are open.
struct Region {
    name: String,
    depth: usize,
}

/// The text of the elements `is_body` accepts, into `sink`. `needle`
/// occurs in every such start tag: outside a body the scanner jumps from
/// one occurrence to the next instead of reading every tag of the header
/// and navigation.
fn collect<'a>(
    html: &'a str,
    needle: &[u8],
    is_body: impl Fn(&Tag) -> bool,
    sink: &mut impl Sink<'a>,
) {
    let mut body: Option<Region> = None;
    let mut ignore: Option<Region> = None;
    let mut raw_until: Option<&str> = None;
    let mut i = 0;
    let bytes = html.as_bytes();
    let finder = memchr::memmem::Finder::new(needle);
    while i < html.len() {
        if body.is_none() {
            // Jump to the start of the tag holding the next occurrence.
            let Some(m) = finder.find(&bytes[i..]).map(|o| i + o) else {
                break;
            };
            match memchr::memrchr(b'<', &bytes[i..=m]) {
                Some(o) => i += o,
                None => {
                    i = m + needle.len();
                    continue;
                }
            }
        }
        let reading = body.is_some() && ignore.is_none() && raw_until.is_none();
        // Text that is read ends at a tag or an entity; other text is
        // skipped to the next tag.
        let lt = if reading {
            sink.read_text(html, i)
        } else {
            memchr::memchr(b'<', &bytes[i..]).map_or(html.len(), |o| i + o)
        };
        if lt >= html.len() {
            break;
        }
        if bytes[lt] == b'&' {
            i = lt + entity(sink, &html[lt..]);
            continue;
        }
        let rest = &html[lt..];
        if let Some(end_tag) = raw_until {
            // Inside <script> or <style>: only its end tag matters.
            // Compared as bytes: `rest` may hold multi-byte text right after `<`.
            let head = &rest.as_bytes()[..rest.len().min(end_tag.len())];
            if head.eq_ignore_ascii_case(end_tag.as_bytes()) {
                raw_until = None;
            } else {
                i = lt + 1;
                continue;
            }
        }
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |e| lt + e + 3);
            continue;
        }
        if bytes.get(lt + 1).is_some_and(|b| *b == b'!' || *b == b'?') {
            i = rest.find('>').map_or(html.len(), |e| lt + e + 1);
            continue;
        }
        let Some((tag, len)) = parse_tag(rest) else {
            // A stray `<` in text.
            if body.is_some() && ignore.is_none() {
                sink.char('<');
            }
            i = lt + 1;
            continue;
        };
        i = lt + len;
        if !tag.closing && tag.kind.is(Kind::RAW) && !tag.self_closing {
            raw_until = Some(if tag.name == "script" {
                "</script"
            } else {
                "</style"
            });
            continue;
        }
        if tag.kind.is(Kind::BLOCK) {
            sink.gap();
        }
        if body.is_some() && ignore.is_none() && tag.kind.is(Kind::HEADING) {
            if tag.closing {
                sink.heading_close();
            } else {
                sink.heading_open();
            }
        }
        let void = tag.kind.is(Kind::VOID) || tag.self_closing;
        match &mut body {
            None => {
                if !tag.closing && !void && is_body(&tag) {
                    body = Some(Region {
                        name: tag.name.into_owned(),
                        depth: 1,
                    });
                }
            }
            Some(region) => {
                if let Some(ig) = &mut ignore {
                    count(ig, &tag, void);
                    if ig.depth == 0 {
                        ignore = None;
                    }
                } else if !tag.closing
                    && !void
                    && (tag.kind.is(Kind::ANNOTATION) || tag.has_attr("data-search-ignore"))
                {
                    ignore = Some(Region {
                        name: tag.name.to_string(),
                        depth: 1,
                    });
                }
                count(region, &tag, void);
                if region.depth == 0 {
                    body = None;
                    sink.gap();
                }
            }
        }
    }
}

fn count(region: &mut Region, tag: &Tag, void: bool) {
    if void || tag.name != region.name.as_str() {
        return;
    }
    if tag.closing {
        region.depth -= 1;
    } else {
        region.depth += 1;
    }
}

/// Parse the tag at the start of `s` (which begins with `<`): the tag and its
/// length in bytes, or `None` when this `<` does not start a tag.
fn parse_tag(s: &str) -> Option<(Tag<'_>, usize)> {
    let b = s.as_bytes();
    let closing = b.get(1) == Some(&b'/');
    let start = if closing { 2 } else { 1 };
    let name_len = s[start..]
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
        .count();
    if name_len == 0 || !b[start].is_ascii_alphabetic() {
        return None;
    }
    let name = &s[start..start + name_len];
    let name = if name.bytes().any(|c| c.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(name.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(name)
    };
    // Find the closing `>`, skipping quoted attribute values.
    let mut j = start + name_len;
    let end = loop {
        let k = j + memchr::memchr3(b'>', b'"', b'\'', &b[j..])?;
        if b[k] == b'>' {
            break Some(k);
        }
        // Skip to the closing quote.
        j = k + 1 + memchr::memchr(b[k], &b[k + 1..])? + 1;
    };
    let end = end?;
    let attrs = &s[start + name_len..end];
    Some((
        Tag {
            kind: Kind::of(&name),
            name,
            self_closing: attrs.trim_end().ends_with('/'),
            attrs,
            closing,
        },
        end + 1,
    ))
}

/// Give `sink` the character of the entity at the start of `s` (which
/// begins with `&`), or a plain `&`; returns how many bytes it took.
fn entity<'a>(sink: &mut impl Sink<'a>, s: &str) -> usize {
    match decode_entity(s) {
        Some((c, len)) => {
            sink.char(c);
            len
        }
        None => {
            sink.char('&');
            1
        }
    }
}

/// Append text with runs of ASCII whitespace as one space.
pub(super) fn push_spaced(out: &mut String, s: &str) {
    // ASCII whitespace only: other spaces (U+00A0) stay, and still split
    // words when indexed and searched.
    let bytes = s.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let ws = bytes[start..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(bytes.len(), |o| start + o);
        // Whitespace is ASCII, so both ends are char boundaries.
        out.push_str(&s[start..ws]);
        if ws == bytes.len() {
            break;
        }
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        start = ws
            + bytes[ws..]
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .unwrap_or(bytes.len() - ws);
    }
}

/// Decode the entity at the start of `s` (which begins with `&`).
fn decode_entity(s: &str) -> Option<(char, usize)> {
    // Entity names are ASCII: look for `;` among the next bytes (a byte
    // search, as a fixed cut could fall inside a multi-byte character).
    let semi = memchr::memchr(b';', &s.as_bytes()[..s.len().min(12)])?;
    let name = &s[1..semi];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "ndash" => '–',
            "mdash" => '—',
            "hellip" => '…',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "times" => '×',
            "middot" => '·',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::{body_text, page_text};

    #[test]
    fn headings_are_part_of_the_body_text() {
        let html = "<main data-search-body><p>Intro words here</p><h2 id=\"side-effects\"><a href=\"#side-effects\">Side effects</a></h2><p>Nausea.</p><h3>No id</h3><h3 id=\"heart\" class=\"x\">Heart</h3><p>Rate.</p><h2 id=\"\">Empty id</h2></main>";
        let t = page_text(html);
        assert_eq!(
            t.body,
            "Intro words here Side effects Nausea. No id Heart Rate. Empty id"
        );
        assert_eq!(t.headings, "Side effects No id Heart Empty id");
    }

    #[test]
    fn an_equation_gives_its_symbols_not_its_latex_source() {
        let t = page_text(
            "<main><p>Dose <math><semantics><mrow><mi>D</mi><mo>=</mo><mn>15</mn></mrow><annotation encoding=\"application/x-tex\">D = \\frac{15}{1}</annotation></semantics></math> now.</p></main>",
        );
        assert_eq!(t.body, "Dose D=15 now.");
    }

    #[test]
    fn headings_are_collected_apart_too() {
        let html = "<main data-search-body><h2 id=\"a\"><a href=\"#a\">Side <em>effects</em></a></h2><p>Text</p><h3>Heart &amp; body</h3><div data-search-ignore><h4>Tip</h4></div></main>";
        let t = page_text(html);
        assert_eq!(t.body, "Side effects Text Heart & body");
        assert_eq!(t.headings, "Side effects Heart & body");
        // An unclosed heading adds nothing; nothing panics.
        assert_eq!(page_text("<main><h2>Open").headings, "");
        assert_eq!(page_text("<main></h2>x</main>").headings, "");
    }

    #[test]
    fn only_the_marked_body_is_text() {
        let html = "<html><body><nav>Home Safety</nav><main><h1>Title</h1>\
            <div class=\"prose\" data-search-body><p>First <em>para</em>graph.</p>\
            <div class=\"note\"><p>Nested &amp; decoded&nbsp;text &#8212; &#x2014;</p></div>\
            <p>Last</p></div><footer>Footer</footer></main></body></html>";
        assert_eq!(
            body_text(html),
            "First paragraph. Nested & decoded text — — Last"
        );
    }

    #[test]
    fn ignored_subtrees_scripts_and_comments_are_skipped() {
        let html = "<div data-search-body>\n  <p>Keep <a href=\"/g/#t\" title=\"a > b\">term</a>\
            <span class=\"tip\" data-search-ignore>tooltip <span>inner</span> text</span> after</p>\
            <!-- a comment <p>not text</p> --><script>var x = \"<p>no</p>\";</script>\
            <style>p { color: red }</style><img src=\"x.png\" alt=\"alt\"><br>next  line\n</div>";
        assert_eq!(body_text(html), "Keep term after next line");
    }

    #[test]
    fn several_marked_regions_are_joined() {
        let html =
            "<section data-search-body>One</section><p>out</p><div data-search-body>Two</div>";
        assert_eq!(body_text(html), "One Two");
    }

    #[test]
    fn a_theme_without_markers_falls_back_to_main() {
        let html =
            "<header>Site</header><main><h1>Page</h1><p>Body 1 &lt; 2</p></main><footer>f</footer>";
        assert_eq!(body_text(html), "Page Body 1 < 2");
        assert_eq!(body_text("<p>no main</p>"), "");
    }

    #[test]
    fn stray_angle_brackets_and_unknown_entities_are_kept_as_text() {
        let html = "<div data-search-body>a < b &unknown; c &amp d</div>";
        assert_eq!(body_text(html), "a < b &unknown; c &amp d");
    }

    #[test]
    fn an_attribute_value_naming_the_marker_does_not_count() {
        let html =
            "<p title=\"data-search-body\">x</p><div class=\"prose\" data-search-body=\"\">y</div>";
        assert_eq!(body_text(html), "y");
    }

    #[test]
    fn multibyte_text_near_entities_and_raw_elements_is_sliced_safely() {
        // An entity followed within a few bytes by multi-byte characters.
        let html = "<main><p>Tom &amp; Jerr → cartoon. &amp;éééé &#x;ü &é</p></main>";
        assert_eq!(body_text(html), "Tom & Jerr → cartoon. &éééé &#x;ü &é");
        // Multi-byte text right after a `<` inside script and style.
        let html = "<main><script>a<éééé</script><style>b<ü{}</style><p>ok é</p></main>";
        assert_eq!(body_text(html), "ok é");
    }
}
