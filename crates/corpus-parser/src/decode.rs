//! Bytes to text: byte-order mark, binary detection, lossy UTF-8 with a located problem.

use corpus_core::{Problem, ProblemKind};

/// The UTF-8 byte-order mark, dropped wherever a text starts with it.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Longest value, in characters, that a message quotes whole.
const QUOTED_MAX_CHARS: usize = 200;

/// A value quoted for a message (as `{:?}` does), cut to its first 200 characters and `...`
/// when longer, so that a message never repeats a huge input.
pub(crate) fn quoted(value: &str) -> String {
    let (head, cut) = capped(value);
    format!("{head:?}{}", if cut { "..." } else { "" })
}

/// The first 200 characters of a value, and whether that left some out.
pub(crate) fn capped(value: &str) -> (&str, bool) {
    match value.char_indices().nth(QUOTED_MAX_CHARS) {
        Some((cut, _)) => (&value[..cut], true),
        None => (value, false),
    }
}

/// Column names for a message: the first 20, each cut to 200 characters, and how many more
/// there are (`id, body and 3 more`).
pub(crate) fn listed<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> String {
    let count = names.len();
    let listed: Vec<String> = names
        .take(20)
        .map(|n| match capped(n) {
            (head, true) => format!("{head}..."),
            (head, false) => head.to_owned(),
        })
        .collect();
    let more = if count > 20 {
        format!(" and {} more", count - 20)
    } else {
        String::new()
    };
    format!("{}{more}", listed.join(", "))
}

/// Decodes one input's bytes to text.
///
/// Returns the text and a warning when invalid UTF-8 was replaced, or the problem that rejects
/// the input: NUL bytes (binary), or no text at all. A UTF-8 byte-order mark is dropped.
pub(crate) fn decode(bytes: Vec<u8>, path: &str) -> Result<(String, Option<Problem>), Problem> {
    let mut bytes = bytes;
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = line_column(&bytes, at);
        return Err(Problem::new(
            ProblemKind::Binary,
            path,
            "binary file: holds a NUL byte, not text",
        )
        .at(line, Some(column)));
    }
    let (text, warning) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let bytes = err.into_bytes();
            let warning = invalid_utf8(&bytes, path);
            (String::from_utf8_lossy(&bytes).into_owned(), Some(warning))
        }
    };
    if text.trim().is_empty() {
        return Err(Problem::new(ProblemKind::Empty, path, "empty: no text"));
    }
    Ok((text, warning))
}

/// The warning for invalid UTF-8, placed at the first bad byte and quoting it.
pub(crate) fn invalid_utf8(bytes: &[u8], path: &str) -> Problem {
    let mut at = 0;
    let mut count = 0usize;
    let mut first = None;
    while at < bytes.len() {
        match std::str::from_utf8(&bytes[at..]) {
            Ok(_) => break,
            Err(e) => {
                let bad = at + e.valid_up_to();
                first.get_or_insert(bad);
                count += 1;
                at = bad + e.error_len().unwrap_or(bytes.len() - bad);
            }
        }
    }
    let first = first.unwrap_or(0);
    let (line, column) = line_column(bytes, first);
    let plural = if count == 1 { "" } else { "s" };
    Problem::new(
        ProblemKind::InvalidUtf8,
        path,
        format!(
            "invalid UTF-8 (byte 0x{:02X}): {count} bad sequence{plural} replaced with U+FFFD",
            bytes.get(first).copied().unwrap_or(0)
        ),
    )
    .at(line, Some(column))
}

/// The 1-based line and character column of byte offset `at`, counting what precedes it as
/// UTF-8 where it is valid and a byte per character where it is not. Lines end in `\n`,
/// `\r\n` or a lone `\r`.
pub(crate) fn line_column(bytes: &[u8], at: usize) -> (u64, u64) {
    let before = &bytes[..at.min(bytes.len())];
    let ends_line =
        |i: usize| before[i] == b'\n' || (before[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
    let line_start = (0..before.len())
        .rev()
        .find(|&i| ends_line(i))
        .map_or(0, |i| i + 1);
    let line = (0..before.len()).filter(|&i| ends_line(i)).count() as u64 + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, column)
}
