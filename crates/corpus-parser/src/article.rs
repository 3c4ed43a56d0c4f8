//! The dated-article format and the block classifier that every format's text goes through.

use corpus_core::{Block, BlockKind, Date, DateError, Document, Problem, ProblemKind};

use crate::decode::{decode, line_column};
use crate::{Parsed, Source};

/// Labels that make a line a related-article link (matched ignoring ASCII case).
const LINK_LABELS: &[&str] = &["read:", "read more:", "also read:", "related:", "see also:"];

/// Labels that make a line an image credit (matched ignoring ASCII case).
///
/// No label of either list is longer than [`LONGEST_LABEL`] bytes.
const CREDIT_LABELS: &[&str] = &[
    "image:",
    "images:",
    "photo:",
    "photos:",
    "picture:",
    "credit:",
    "image credit:",
    "photo credit:",
];

/// The longest link or credit label, in bytes.
const LONGEST_LABEL: usize = 13;

/// Longest line, in characters, that a label makes a related link or an image credit. On the
/// SemEval 2022 news texts the longest real ones are 88 (a link title) and 97 characters (a
/// caption); the shortest labelled line that was not one is 189 (a credit run into the lead
/// paragraph, `Photo: Hailey BollingerIn light of ...`).
const LABELLED_MAX_CHARS: usize = 150;

/// Lines from which an article with no header and no blank line is taken for a file of one
/// document per line, and said so.
const LINES_HINT: usize = 100;

/// Longest line, in characters, that can be a heading.
const HEADING_MAX_CHARS: usize = 120;
/// Most words a heading can have.
const HEADING_MAX_WORDS: usize = 12;

/// Parses one file of the dated-article format, given its raw bytes.
///
/// Never fails: an undecodable or empty input yields no document and a problem; a bad date
/// yields the document without a date and a problem. The document's id is the source's name,
/// its origin the source's path.
pub fn parse_article_bytes(source: Source<'_>, bytes: Vec<u8>) -> Parsed {
    match decode(bytes, source.path) {
        Ok((text, warning)) => {
            let mut parsed = parse_article(source, text);
            parsed.problems.splice(0..0, warning);
            parsed
        }
        Err(problem) => Parsed {
            document: None,
            problems: vec![problem],
            left_out: false,
        },
    }
}

/// Parses the text of one file of the dated-article format.
///
/// The optional header is `date YYYY-MM-DD` after leading whitespace; the first paragraph may
/// continue on the header line. A header whose date is malformed or impossible (`21-3-8`,
/// `2021-02-30`) is still taken as a header, and reported with its line and column. The rest
/// is split into blocks by [`classify_blocks`]. A text with nothing but a header is rejected
/// as empty.
pub fn parse_article(source: Source<'_>, text: String) -> Parsed {
    let Source { path, name: id } = source;
    let mut problems = Vec::new();
    let header = header(&text);
    let mut date = None;
    let mut body_start = 0;
    if let Some(h) = header {
        body_start = h.body_start;
        match Date::parse(&text[h.value.clone()]) {
            Ok(d) => date = Some(d),
            Err(err) => {
                let (line, column) = line_column(text.as_bytes(), h.value.start);
                let message = match err {
                    DateError::Impossible(v) => format!(
                        "impossible date {v:?} in header, no such day; document kept without a date"
                    ),
                    DateError::Malformed(v) => format!(
                        "malformed date {v:?} in header, expected YYYY-MM-DD; document kept without a date"
                    ),
                    other => format!("{other} in header; document kept without a date"),
                };
                problems
                    .push(Problem::new(ProblemKind::BadDate, path, message).at(line, Some(column)));
            }
        }
    }
    let blocks = classify_blocks(&text, body_start);
    if blocks.is_empty() {
        problems.push(Problem::new(
            ProblemKind::Empty,
            path,
            "empty: no text after the date header",
        ));
        return Parsed {
            document: None,
            problems,
            left_out: false,
        };
    }
    if body_start == 0 && blocks.len() == 1 {
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        if lines >= LINES_HINT {
            problems.push(Problem::new(
                ProblemKind::Suspect,
                path,
                format!(
                    "{lines} lines with no date header and no blank line read as one document: \
                     if each line is a document, read it with --format lines"
                ),
            ));
        }
    }
    let mut document = Document::new(id, path, text);
    document.date = date;
    document.blocks = blocks;
    Parsed {
        document: Some(document),
        problems,
        left_out: false,
    }
}

struct Header {
    /// Byte range of the date token.
    value: std::ops::Range<usize>,
    /// Where the body begins: after the token and the spaces that follow it.
    body_start: usize,
}

/// Finds `date <token>` at the start of the text, where the token begins with a digit.
fn header(text: &str) -> Option<Header> {
    let start = text.len() - text.trim_start().len();
    let rest = text[start..].strip_prefix("date")?;
    let after_word = text.len() - rest.len();
    let token_start = after_word + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
    if token_start == after_word || !text[token_start..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let token_len = text[token_start..]
        .find(char::is_whitespace)
        .unwrap_or(text.len() - token_start);
    let token_end = token_start + token_len;
    let spaces = text[token_end..].len() - text[token_end..].trim_start_matches([' ', '\t']).len();
    Some(Header {
        value: token_start..token_end,
        body_start: token_end + spaces,
    })
}

/// Splits `text[from..]` into classified blocks. The rules, in order:
///
/// 1. Blocks are runs of non-blank lines separated by blank lines (lines end in `\n`, `\r\n`
///    or a lone `\r`, as old Mac files do); a block's
///    span leaves out surrounding whitespace and line terminators.
/// 2. A line that starts with a link label (`Read:`, `Read more:`, `Also read:`, `Related:`,
///    `See also:`) followed by text is a **related link**, and one that starts with a credit
///    label (`Image:`, `Photo:`, `Picture:`, `Credit:`, `Photo credit:`, `Image credit:`, and
///    plurals) is an **image credit**; such a line is a block of its own even without blank
///    lines around it. Labels are matched ignoring ASCII case. A line of more than 150
///    characters is neither: it is prose that opens with a label (a credit run into the lead).
/// 3. A one-line block is a heading *candidate* when it is short (at most 12 words and 120
///    characters), does not end in sentence punctuation (`. , ; : ! ? …`, also before a closing
///    quote or bracket), does not start with a lowercase letter, and is not mostly figures (at
///    most one word holding a digit, and fewer than half its words).
/// 4. A candidate is a **heading** when the next paragraph is prose (not a candidate, and
///    ending in `.`, `!`, `?` or `…`, also before a closing quote) and the paragraph before it
///    is not a candidate; links and credits are skipped when looking. Runs of short lines are
///    tables or lists, like the figures of a company report, and a short line before a table
///    labels figures rather than heading text; a short last line heads nothing.
/// 5. Everything else is a **paragraph**.
pub fn classify_blocks(text: &str, from: usize) -> Vec<Block> {
    let mut raw: Vec<Block> = Vec::new();
    let mut open: Option<(usize, usize)> = None; // start, end of the paragraph being built
    let mut at = from;
    for line in lines_inclusive(&text[from..]) {
        let line_start = at;
        at += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut raw, &mut open);
            continue;
        }
        let s = line_start + (line.len() - line.trim_start().len());
        let e = s + trimmed.len();
        if let Some(kind) = label_kind(trimmed) {
            flush(&mut raw, &mut open);
            raw.push(Block::new(kind, s..e));
            continue;
        }
        open = Some(match open {
            Some((start, _)) => (start, e),
            None => (s, e),
        });
    }
    flush(&mut raw, &mut open);

    let candidate: Vec<bool> = raw
        .iter()
        .map(|b| b.kind == BlockKind::Paragraph && is_heading_candidate(&text[b.range()]))
        .collect();
    let body: Vec<usize> = (0..raw.len())
        .filter(|&i| raw[i].kind == BlockKind::Paragraph)
        .collect();
    for (k, &i) in body.iter().enumerate() {
        if !candidate[i] {
            continue;
        }
        let prev_is_candidate = k > 0 && candidate[body[k - 1]];
        let next_is_prose = body
            .get(k + 1)
            .is_some_and(|&j| !candidate[j] && ends_sentence(&text[raw[j].range()]));
        if !prev_is_candidate && next_is_prose {
            raw[i].kind = BlockKind::Heading;
        }
    }
    raw
}

/// The lines of `text`, each with its terminator: `\n`, `\r\n`, or a `\r` not followed by `\n`.
fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            None => bytes.len(),
            Some(i) => {
                let at = start + i;
                if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                    at + 2
                } else {
                    at + 1
                }
            }
        };
        let line = &text[start..end];
        start = end;
        Some(line)
    })
}

fn flush(blocks: &mut Vec<Block>, open: &mut Option<(usize, usize)>) {
    if let Some((s, e)) = open.take() {
        blocks.push(Block::new(BlockKind::Paragraph, s..e));
    }
}

fn label_kind(line: &str) -> Option<BlockKind> {
    // Every label ends with a colon within its first bytes: most lines have none there.
    let head = &line.as_bytes()[..line.len().min(LONGEST_LABEL)];
    if !head.contains(&b':') {
        return None;
    }
    // A long line is prose that happens to open with a label: a credit run into the lead.
    if line.len() > LABELLED_MAX_CHARS && line.chars().nth(LABELLED_MAX_CHARS).is_some() {
        return None;
    }
    let has = |labels: &[&str]| {
        labels.iter().any(|label| {
            line.len() > label.len()
                && line.is_char_boundary(label.len())
                && line[..label.len()].eq_ignore_ascii_case(label)
                && !line[label.len()..].trim().is_empty()
        })
    };
    if has(LINK_LABELS) {
        Some(BlockKind::RelatedLink)
    } else if has(CREDIT_LABELS) {
        Some(BlockKind::ImageCredit)
    } else {
        None
    }
}

/// The last character of a block, looking through closing quotes and brackets.
fn last_mark(block: &str) -> Option<char> {
    block
        .trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', ']', '\u{00BB}'])
        .chars()
        .last()
}

/// Whether a block ends as prose does, with a full stop, question or exclamation mark.
fn ends_sentence(block: &str) -> bool {
    last_mark(block).is_some_and(|c| matches!(c, '.' | '!' | '?' | '\u{2026}'))
}

fn is_heading_candidate(block: &str) -> bool {
    // The cheap tests first: most blocks are prose and end with a full stop.
    if last_mark(block).is_none_or(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\u{2026}'))
    {
        return false;
    }
    if block.contains(['\n', '\r']) || block.chars().count() > HEADING_MAX_CHARS {
        return false;
    }
    let words: Vec<&str> = block.split_whitespace().collect();
    if words.is_empty() || words.len() > HEADING_MAX_WORDS {
        return false;
    }
    if block
        .chars()
        .find(|c| c.is_alphabetic())
        .is_none_or(char::is_lowercase)
    {
        return false;
    }
    let numeric = words
        .iter()
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .count();
    numeric <= 1 && numeric * 2 < words.len()
}

#[cfg(test)]
mod tests;
