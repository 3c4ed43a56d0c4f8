//! Integration tests of corpus-parser, through its public API only.

mod corpora;
mod fixtures;
mod properties;

use corpus_core::Document;
use corpus_parser::{Input, Parsed, ReadOptions, read_documents};

/// Reads inputs with default options, collecting every result in order.
pub(crate) fn read_all(inputs: &[Input]) -> Vec<Parsed> {
    let mut out = Vec::new();
    read_documents(inputs, &ReadOptions::default(), &mut |p| out.push(p));
    out
}

/// The structural invariants every document must hold, checked before anything is
/// snapshotted so that a snapshot can never bless a broken span.
pub(crate) fn assert_spans(doc: &Document) {
    let text = &doc.text;
    let mut prev_end = 0;
    for b in &doc.blocks {
        assert!(b.start < b.end, "{}: empty block {b:?}", doc.id);
        assert!(
            b.end <= text.len(),
            "{}: block {b:?} past the text ({} bytes)",
            doc.id,
            text.len()
        );
        assert!(
            b.start >= prev_end,
            "{}: block {b:?} overlaps or is out of order",
            doc.id
        );
        assert!(
            text.is_char_boundary(b.start) && text.is_char_boundary(b.end),
            "{}: block {b:?} splits a character",
            doc.id
        );
        let slice = &text[b.range()];
        assert_eq!(
            slice,
            slice.trim(),
            "{}: block {b:?} has surrounding whitespace",
            doc.id
        );
        assert!(
            !text[prev_end..b.start].contains(|c: char| !c.is_whitespace()) || prev_end == 0,
            "{}: text between blocks before {b:?} is lost",
            doc.id
        );
        prev_end = b.end;
    }
    assert!(
        text[prev_end..].trim().is_empty(),
        "{}: text after the last block is lost",
        doc.id
    );
}
