//! Integration tests of corpus-core, through its public API only: documents and their blocks,
//! the canonical JSON, dates, problems and the one definition of a word.

use corpus_core::{
    Block, BlockKind, Date, Document, Problem, ProblemKind, normalize, sentence_count, words,
};
use proptest::prelude::*;

/// A document of `parts` (kind, text), blocks separated by blank lines, after a header.
fn document(parts: &[(BlockKind, String)]) -> Document {
    let mut text = String::from(" date 2021-03-08 ");
    let mut blocks = Vec::new();
    for (i, (kind, part)) in parts.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(part);
        blocks.push(Block::new(*kind, start..text.len()));
    }
    let mut doc = Document::new("d", "d.txt", text);
    doc.blocks = blocks;
    doc
}

fn kind() -> impl Strategy<Value = BlockKind> {
    prop_oneof![
        Just(BlockKind::Paragraph),
        Just(BlockKind::Heading),
        Just(BlockKind::RelatedLink),
        Just(BlockKind::ImageCredit),
    ]
}

proptest! {
    #[test]
    fn retained_blocks_keep_their_text_and_kind_with_valid_spans(
        parts in prop::collection::vec((kind(), "[a-zé]{1,6}( [a-zé,.]{1,6}){0,4}"), 0..8),
        keep in prop::collection::vec(any::<bool>(), 8),
    ) {
        let mut doc = document(&parts);
        let before: Vec<(BlockKind, String)> =
            doc.blocks.iter().map(|b| (b.kind, doc.block_text(b).to_owned())).collect();
        let original_text = doc.text.clone();
        let left_out = doc.retain_blocks(|i, _| keep[i]);
        let wanted: Vec<(BlockKind, String)> = before
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(b, _)| b.clone())
            .collect();
        prop_assert_eq!(left_out, before.len() - wanted.len());
        let after: Vec<(BlockKind, String)> =
            doc.blocks.iter().map(|b| (b.kind, doc.block_text(b).to_owned())).collect();
        prop_assert_eq!(&after, &wanted);
        if left_out == 0 {
            prop_assert_eq!(&doc.text, &original_text, "nothing left out, nothing changed");
        } else {
            let joined: Vec<&str> = wanted.iter().map(|(_, t)| t.as_str()).collect();
            prop_assert_eq!(doc.text, joined.join("\n\n"));
        }
        let mut end = 0;
        for b in &doc.blocks {
            prop_assert!(b.start >= end && b.start < b.end, "blocks in order, non-empty");
            end = b.end;
        }
    }
}

#[test]
fn the_canonical_json_reads_back_the_same_document() {
    let mut doc = document(&[
        (BlockKind::Heading, "Rockets hit base".into()),
        (
            BlockKind::Paragraph,
            "Two rockets hit the base, officials said.".into(),
        ),
        (BlockKind::RelatedLink, "Read: Earlier story".into()),
        (BlockKind::ImageCredit, "Image: AP".into()),
    ]);
    doc.date = Date::parse("2021-03-08").ok();
    doc.lang = corpus_core::Lang::EN;
    doc.origin.line = Some(3);
    doc.metadata
        .insert("source".into(), serde_json::json!("wire"));
    let json = serde_json::to_string(&doc).expect("serialises");
    assert!(
        json.starts_with(
            r#"{"id":"d","date":"2021-03-08","lang":"en","origin":{"path":"d.txt","line":3},"text":"#
        ),
        "{json}"
    );
    let back: Document = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, doc);
    assert_eq!(back.title(), Some("Rockets hit base"));
    assert_eq!(back.related_links().collect::<Vec<_>>(), ["Earlier story"]);
    assert_eq!(back.image_credits().collect::<Vec<_>>(), ["AP"]);
    assert_eq!(back.body().count(), 2);
}

#[test]
fn dates_are_validated_and_count_days() {
    let d = Date::parse("2024-02-29").expect("a leap day");
    assert_eq!((d.year(), d.month(), d.day()), (2024, 2, 29));
    assert_eq!(Date::from_days(d.days()), Some(d));
    assert_eq!(
        Date::from_days(0).map(|d| d.to_string()).as_deref(),
        Some("1970-01-01")
    );
    for bad in ["2023-02-29", "2021-13-01", "21-3-8", "", "2021-03-08x"] {
        assert!(Date::parse(bad).is_err(), "{bad:?} is no date");
    }
}

#[test]
fn problems_say_whether_they_reject_the_input() {
    let p = Problem::new(ProblemKind::Corrupt, "a.gz", "truncated").at(7, Some(3));
    assert!(p.rejects());
    assert_eq!((p.line, p.column), (Some(7), Some(3)));
    assert!(!Problem::new(ProblemKind::Skipped, "x.bin", "skipped").rejects());
}

#[test]
fn words_normal_form_and_sentences() {
    let text = "Shares of U.S. Steel rose 3.5% to $12 — analysts said. “Good,” one said!";
    let w: Vec<&str> = words(text).collect();
    assert_eq!(w[..4], ["Shares", "of", "U.S", "Steel"]);
    assert!(w.contains(&"3.5"));
    assert_eq!(normalize("  Hello,   WORLD! "), "hello world");
    // UAX #29 ends a sentence at "U.S. Steel" too: a period before a capital.
    assert_eq!(sentence_count(text), 3);
    assert_eq!(sentence_count("Rain fell. “Good,” one said!"), 2);
}
