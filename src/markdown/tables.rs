//! Tables on narrow screens: the one home for how wide a table's columns
//! make it (its size class, which the theme's container queries turn into
//! "stack into labelled rows below this width"), and the markup of Markdown
//! pipe tables that lets them stack like `{table}` data tables: a sized
//! wrapper, and each body cell carrying its column's heading as
//! `data-label`.

use pulldown_cmark::{Alignment, CowStr, Event};

use crate::util::escape_html;

/// The size class of a table with `columns` columns: `s` (1-3), `m` (4-5),
/// `l` (6-8), `xl` (more).
pub(crate) fn size_class(columns: usize) -> &'static str {
    match columns {
        0..=3 => "s",
        4..=5 => "m",
        6..=8 => "l",
        _ => "xl",
    }
}

/// A Markdown table being written: its alignments, the text of its header
/// cells so far, and where the writer is.
#[derive(Debug, Default)]
pub(super) struct PipeTable {
    aligns: Vec<Alignment>,
    labels: Vec<String>,
    in_head: bool,
    column: usize,
}

impl PipeTable {
    /// The markup before the table, and the state to carry through it.
    pub(super) fn open(aligns: &[Alignment]) -> (String, PipeTable) {
        let n = aligns.len();
        let html = format!(
            "<div class=\"data-table md-table cols-{n} size-{}\">\n<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table\">\n",
            size_class(n)
        );
        let table = PipeTable {
            aligns: aligns.to_vec(),
            ..PipeTable::default()
        };
        (html, table)
    }

    /// The markup after the table.
    pub(super) const CLOSE: &'static str = "</div>\n</div>\n";

    pub(super) fn head(&mut self, inside: bool) {
        self.in_head = inside;
    }

    pub(super) fn row_start(&mut self) {
        self.column = 0;
    }

    /// Plain text inside the table: part of a column's heading when in the
    /// header row.
    pub(super) fn text(&mut self, text: &str) {
        if self.in_head
            && let Some(label) = self.labels.last_mut()
        {
            label.push_str(text);
        }
    }

    /// A cell starts: header cells pass through (and start a label), body
    /// cells are written here with their column's label.
    pub(super) fn cell_start<'a>(&mut self, ev: Event<'a>) -> Event<'a> {
        if self.in_head {
            self.labels.push(String::new());
            return ev;
        }
        let mut html = String::from("<td");
        if let Some(align) = self.aligns.get(self.column) {
            let side = match align {
                Alignment::Left => Some("left"),
                Alignment::Center => Some("center"),
                Alignment::Right => Some("right"),
                Alignment::None => None,
            };
            if let Some(side) = side {
                html.push_str(" style=\"text-align: ");
                html.push_str(side);
                html.push('"');
            }
        }
        let label = self.labels.get(self.column).map_or("", |l| l.trim());
        html.push_str(" data-label=\"");
        html.push_str(&escape_html(label));
        html.push_str("\">");
        Event::Html(CowStr::from(html))
    }

    /// A cell ends.
    pub(super) fn cell_end<'a>(&mut self, ev: Event<'a>) -> Event<'a> {
        if self.in_head {
            return ev;
        }
        self.column += 1;
        Event::Html(CowStr::Borrowed("</td>"))
    }
}

#[cfg(test)]
mod tests {
    use super::size_class;

    #[test]
    fn size_classes_follow_the_column_count() {
        let sizes: Vec<_> = (1..=10).map(size_class).collect();
        assert_eq!(sizes, ["s", "s", "s", "m", "m", "l", "l", "l", "xl", "xl"]);
    }
}
