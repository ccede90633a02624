//! The stress site: content shaped like the public trees docent broke on,
//! generated for tests and `scripts/bench` (`examples/stress.rs`). Pages
//! spread over folders without `_index.md` (a flat site: every page is a
//! top-level item) or, for comparison, the same pages with one `_index.md`
//! per folder; file names with `%`, spaces, brackets, braces, `^` and
//! accents; pages without front matter (title from the heading or the file
//! name); an entity right before multi-byte text; a raw script with
//! non-ASCII text after `<`; images and files beside plain pages; a
//! `content/index.md` home page; glossary terms and citations.

use std::fmt::Write as _;
use std::path::Path;

/// How the pages are laid out in folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Folders without `_index.md`: every page is a top-level item.
    Flat,
    /// The same pages with an `_index.md` per folder.
    Sections,
}

/// Folders the pages are spread over (as in the tree that took 103 s).
pub const FOLDERS: usize = 11;

/// Odd but legal file names, one per folder cycle.
const ODD_NAMES: &[&str] = &[
    "100%",
    "a page with spaces",
    "[draft] notes",
    "{braces}^caret",
    "café-résumé",
    "q&a",
    "semi;colon,comma",
    "x=y+z",
    "under_score.v2",
    "tilde~page",
];

/// Write a site of `pages` pages into `root` (which should be empty).
pub fn write_site(root: &Path, pages: usize, layout: Layout) -> std::io::Result<()> {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("_data"))?;
    std::fs::write(
        root.join("site.yaml"),
        "title: Stress site\nbase_url: https://stress.example/docs/\ndescription: Shapes docent must survive.\n",
    )?;
    std::fs::write(
        content.join("index.md"),
        "# Stress home\n\nPages in odd shapes. Tom & Jerr → cartoon, 5 < 6 & 7 > 3.\n",
    )?;
    std::fs::write(
        content.join("references.yaml"),
        "smith2020:\n  type: article\n  title: A study of odd shapes\n  author: [\"Smith, Jane\", \"Doe, Ann\"]\n  date: 2020\n  serial-number: {doi: 10.1000/xyz123}\n",
    )?;
    std::fs::write(
        content.join("_data/glossary.yaml"),
        "- term: placebo\n  definition: An inactive treatment.\n- term: Phase 3\n  aliases: [phase III]\n  definition: A large trial.\n",
    )?;
    for f in 0..FOLDERS {
        let dir = content.join(folder(f));
        std::fs::create_dir_all(&dir)?;
        if layout == Layout::Sections {
            std::fs::write(
                dir.join("_index.md"),
                format!("---\ntitle: Folder {f}\n---\n\nThe pages of folder {f}.\n"),
            )?;
        }
        // An image and a file beside plain pages.
        std::fs::write(dir.join("pic.svg"), SVG)?;
        std::fs::write(dir.join("notes file.txt"), "plain text\n")?;
    }
    for i in 0..pages {
        let f = i % FOLDERS;
        let name = match i / FOLDERS {
            n if n < ODD_NAMES.len() => ODD_NAMES[n].to_string(),
            n => format!("page-{n:05}"),
        };
        std::fs::write(content.join(folder(f)).join(format!("{name}.md")), page(i))?;
    }
    Ok(())
}

fn folder(f: usize) -> String {
    match f {
        0 => "odd folder %".into(),
        1 => "ünïcode".into(),
        f => format!("folder-{f:02}"),
    }
}

/// A page's text; every fourth has no front matter.
fn page(i: usize) -> String {
    let mut s = String::new();
    match i % 4 {
        0 => {
            let _ = write!(s, "# Page {i} without front matter\n\n");
        }
        1 => {
            let _ = write!(
                s,
                "---\ntitle: \"Page {i}: dates & quotes\"\ndate: 2024-02-29\nupdated: 2024-08-09 10:00\ntags: [stress]\n---\n\n"
            );
        }
        2 => {
            let _ = write!(
                s,
                "---\ntitle: Page {i}\nreviewed_by: \"Dr Jane Example, MD\"\nlast_reviewed: 2025-01-01\naudience: patient\n---\n\n"
            );
        }
        _ => s.push_str("Text before any heading, so the title comes from the file name.\n\n"),
    }
    let _ = write!(
        s,
        "Tom & Jerr → cartoon. A placebo-controlled phase 3 trial [@smith2020].\n\n\
         ## Section {i}\n\n\
         ![A small picture](pic.svg)\n\n\
         [Notes](<notes file.txt>) and [home](../index.md).\n\n\
         ## References\n\n\
         Our own heading called References, beside the generated list.\n\n\
         <script>var s = \"<éééé\"; // <ü\n</script>\n\n\
         | Column | Value |\n| --- | --- |\n| é | 1 |\n",
    );
    s
}

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n";
