//! MyST's `{list-table}`: reading its body, a list of rows each a list of
//! cells, into rows of cells (the events of each cell's content), or the
//! located reason it is not one. The Markdown pass writes the rows as a
//! pipe table (`Pass::myst_list_table`), so it scrolls, stacks and carries
//! citations like one.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

type Ev<'a> = (Event<'a>, Range<usize>);

/// One row: where it starts (a byte offset, as the events' ranges) and the
/// events of each of its cells.
#[derive(Debug)]
pub(super) struct Row<'a> {
    pub at: usize,
    pub cells: Vec<Vec<Ev<'a>>>,
}

/// Why a body is not a list table: the message, and the byte offset (as
/// the events' ranges) it is about.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct NotATable {
    pub message: String,
    pub at: usize,
}

/// The rows of a `{list-table}` body's events (`start` is where the body
/// starts, for an empty one): one list, each item a list of cells, every
/// row as many cells as the first.
pub(super) fn rows(events: Vec<Ev<'_>>, start: usize) -> Result<Vec<Row<'_>>, NotATable> {
    let shape = |at: usize| NotATable {
        message: "a {list-table} holds one list of rows, each a list of cells".into(),
        at,
    };
    let mut rows: Vec<Row> = Vec::new();
    // 0: before the list of rows, 1: in it, 2: in a row's list of cells;
    // `done` once the list of rows has ended.
    let mut level = 0;
    let mut done = false;
    // How deep the open cell's own lists go (its content), when a cell is open.
    let mut cell: Option<usize> = None;
    for (ev, range) in events {
        if let Some(depth) = cell.as_mut() {
            match &ev {
                Event::Start(Tag::List(_)) => *depth += 1,
                Event::End(TagEnd::List(_)) => *depth -= 1,
                Event::End(TagEnd::Item) if *depth == 0 => {
                    cell = None;
                    continue;
                }
                _ => {}
            }
            if let Some(row) = rows.last_mut()
                && let Some(content) = row.cells.last_mut()
            {
                content.push((ev, range));
            }
            continue;
        }
        match (level, ev) {
            (0, Event::Start(Tag::List(_))) if !done => level = 1,
            (1, Event::Start(Tag::Item)) => rows.push(Row {
                at: range.start,
                cells: Vec::new(),
            }),
            (1, Event::Start(Tag::List(_))) if rows.last().is_some_and(|r| r.cells.is_empty()) => {
                level = 2
            }
            (1, Event::End(TagEnd::Item)) if rows.last().is_some_and(|r| !r.cells.is_empty()) => {}
            (1, Event::End(TagEnd::List(_))) => {
                level = 0;
                done = true;
            }
            (2, Event::Start(Tag::Item)) => {
                if let Some(row) = rows.last_mut() {
                    row.cells.push(Vec::new());
                }
                cell = Some(0);
            }
            (2, Event::End(TagEnd::List(_))) => level = 1,
            (1, _) => {
                let n = rows.len();
                let at = rows.last().map_or(range.start, |r| r.at);
                return Err(NotATable {
                    message: format!("row {n} of the {{list-table}} is not a list of cells"),
                    at,
                });
            }
            _ => return Err(shape(range.start)),
        }
    }
    let Some(first) = rows.first() else {
        return Err(shape(start));
    };
    let columns = first.cells.len();
    if let Some((i, row)) = rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.cells.len() != columns)
    {
        let n = row.cells.len();
        return Err(NotATable {
            message: format!(
                "row {} of the {{list-table}} has {n} cell{}; the first row has {columns}",
                i + 1,
                if n == 1 { "" } else { "s" }
            ),
            at: row.at,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(md: &str) -> Result<Vec<Vec<String>>, NotATable> {
        let events: Vec<Ev> = pulldown_cmark::Parser::new(md).into_offset_iter().collect();
        rows(events, 0).map(|rows| {
            rows.into_iter()
                .map(|r| {
                    r.cells
                        .into_iter()
                        .map(|c| {
                            let mut html = String::new();
                            pulldown_cmark::html::push_html(
                                &mut html,
                                c.into_iter().map(|(e, _)| e),
                            );
                            html
                        })
                        .collect()
                })
                .collect()
        })
    }

    #[test]
    fn rows_of_cells_with_any_content() {
        let md = "* - a *b*\n  - c\n* -\n  - d\n\n    e\n\n    - f\n";
        assert_eq!(
            read(md).unwrap(),
            [
                vec!["a <em>b</em>".to_string(), "c".into()],
                vec![
                    "".into(),
                    "<p>d</p>\n<p>e</p>\n<ul>\n<li>f</li>\n</ul>\n".into()
                ],
            ]
        );
    }

    #[test]
    fn other_shapes_are_refused_where_they_go_wrong() {
        let err = |md: &str| read(md).unwrap_err();
        assert_eq!(err("").at, 0);
        assert_eq!(
            err("text\n").message,
            "a {list-table} holds one list of rows, each a list of cells"
        );
        assert_eq!(err("* - a\n\ntext\n").at, 7);
        let e = err("* - a\n* b\n");
        assert_eq!(
            (e.message.as_str(), e.at),
            ("row 2 of the {list-table} is not a list of cells", 6)
        );
        let e = err("* - a\n  - b\n* - c\n  - d\n  - e\n");
        assert_eq!(
            (e.message.as_str(), e.at),
            (
                "row 2 of the {list-table} has 3 cells; the first row has 2",
                12
            )
        );
        // Two lists of rows are not one table.
        assert!(read("* - a\n\n1. - b\n").is_err());
    }
}
