//! Plain-text tables on standard output, the same in every command.

use std::io::Write;

use anyhow::Result;
use unicode_width::UnicodeWidthStr;

/// How a table's first column is aligned; the others are right-aligned (numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum First {
    /// Names: left-aligned.
    Left,
    /// Numbers like the rest: right-aligned.
    Right,
}

/// Writes rows as columns, two spaces apart, aligned by their width on a terminal (a CJK
/// character takes two columns, a combining mark none).
pub(crate) fn table(
    out: &mut impl Write,
    indent: &str,
    first: First,
    rows: &[Vec<String>],
) -> Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::from(indent);
        for (i, cell) in row.iter().enumerate() {
            let pad = widths[i] - cell.width();
            if i > 0 {
                line.push_str("  ");
            }
            if i == 0 && first == First::Left {
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', pad));
            } else {
                line.extend(std::iter::repeat_n(' ', pad));
                line.push_str(cell);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

pub(crate) fn row<const N: usize>(cells: [&dyn std::fmt::Display; N]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::{First, table};

    fn render(first: First, rows: &[&[&str]]) -> String {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect();
        let mut out = Vec::new();
        table(&mut out, "", first, &rows).expect("written");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let text = render(First::Left, &[&["的", "1655"], &["news", "12"]]);
        assert_eq!(text, "的    1655\nnews    12\n");
    }

    #[test]
    fn a_table_of_numbers_is_right_aligned() {
        let text = render(First::Right, &[&["min", "p10"], &["56", "59.20"]]);
        assert_eq!(text, "min    p10\n 56  59.20\n");
    }
}
