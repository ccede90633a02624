//! The table of contents: a nested tree built from a page's headings.

use serde::Serialize;

/// A heading as found in the page body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
}

/// One TOC entry; `children` hold deeper headings until the next one at
/// this level or above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// Build the tree from headings with `min <= level <= max`. Fewer than two
/// such headings give an empty TOC (a one-entry TOC helps nobody). Skipped
/// levels (h2 → h4) nest under the nearest shallower heading.
pub fn build(headings: &[Heading], min: u8, max: u8) -> Vec<TocEntry> {
    let in_range: Vec<&Heading> = headings
        .iter()
        .filter(|h| (min..=max).contains(&h.level))
        .collect();
    if in_range.len() < 2 {
        return Vec::new();
    }
    let mut root = Vec::new();
    for h in in_range {
        insert(
            &mut root,
            TocEntry {
                level: h.level,
                id: h.id.clone(),
                title: h.title.clone(),
                children: Vec::new(),
            },
        );
    }
    root
}

fn insert(list: &mut Vec<TocEntry>, entry: TocEntry) {
    match list.last_mut() {
        Some(last) if last.level < entry.level => insert(&mut last.children, entry),
        _ => list.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            title: id.to_uppercase(),
        }
    }

    fn shape(toc: &[TocEntry]) -> String {
        toc.iter()
            .map(|e| {
                if e.children.is_empty() {
                    e.id.clone()
                } else {
                    format!("{}({})", e.id, shape(&e.children))
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn nests_by_level() {
        let hs = [h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b"), h(3, "b1")];
        assert_eq!(shape(&build(&hs, 2, 3)), "a(a1 a2) b(b1)");
    }

    #[test]
    fn skipped_levels_nest_under_nearest() {
        let hs = [h(2, "a"), h(4, "a-deep"), h(3, "a1"), h(2, "b")];
        assert_eq!(shape(&build(&hs, 2, 4)), "a(a-deep a1) b");
    }

    #[test]
    fn deeper_first_heading_stays_at_top() {
        let hs = [h(3, "intro"), h(2, "a"), h(3, "a1")];
        assert_eq!(shape(&build(&hs, 2, 3)), "intro a(a1)");
    }

    #[test]
    fn out_of_range_levels_are_dropped() {
        let hs = [h(1, "title"), h(2, "a"), h(4, "x"), h(2, "b")];
        assert_eq!(shape(&build(&hs, 2, 3)), "a b");
    }

    #[test]
    fn fewer_than_two_gives_empty() {
        assert!(build(&[h(2, "only")], 2, 3).is_empty());
        assert!(build(&[h(1, "t"), h(2, "only")], 2, 3).is_empty());
        assert!(build(&[], 2, 3).is_empty());
    }
}
