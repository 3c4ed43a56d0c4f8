//! The canonical JSON reads back as the same document: `corpus parse` output, parsed again,
//! gives the same ids, dates, origins, texts, blocks and metadata (its `body` left out).

use corpus_core::Document;
use corpus_parser::{Input, Source, parse_json_line};

use crate::read_all;

/// Every document of `inputs`, written as canonical JSON and read back, must be itself.
fn assert_round_trip(inputs: &[Input]) -> usize {
    let docs: Vec<Document> = read_all(inputs)
        .into_iter()
        .filter_map(|p| p.document)
        .collect();
    for (i, doc) in docs.iter().enumerate() {
        // As `corpus parse` writes it (with the body), and as the struct serialises.
        let written = [
            serde_json::to_string(&doc.with_body()).expect("serialises"),
            serde_json::to_string(doc).expect("serialises"),
        ];
        for json in written {
            let back =
                parse_json_line(Source::of_file("back.jsonl"), i as u64 + 1, json.as_bytes());
            assert!(back.problems.is_empty(), "{}: {:?}", doc.id, back.problems);
            assert_eq!(
                back.document.as_ref(),
                Some(doc),
                "{} reads back otherwise",
                doc.id
            );
        }
    }
    docs.len()
}

#[test]
fn fixtures_and_the_seed_read_back_the_same() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/parser");
    let mut inputs = vec![
        Input::Path(root.join("ok")),
        Input::Path(root.join("problems")),
    ];
    inputs.extend(crate::shared::seed().map(Input::Path));
    assert!(assert_round_trip(&inputs) > 20);
}

#[test]
fn reuters_and_bbc_read_back_the_same() {
    let inputs: Vec<Input> = [
        "reuters21578/reuters-articles.tar.gz",
        "reuters21578/reuters.jsonl.gz",
        "bbc/bbc-fulltext.tar.gz",
        "bbc/bbc.jsonl.gz",
    ]
    .into_iter()
    .filter_map(crate::shared::data)
    .map(Input::Path)
    .collect();
    if inputs.is_empty() {
        return;
    }
    assert!(assert_round_trip(&inputs) > 40_000);
}

#[test]
fn blocks_that_do_not_fit_the_text_are_classified_again_with_a_warning() {
    let line = br#"{"id": "a", "text": "Rain fell.\n\nRead: More", "blocks": [{"kind": "paragraph", "start": 0, "end": 99}]}"#;
    let parsed = parse_json_line(Source::of_file("x.jsonl"), 4, line);
    let doc = parsed.document.expect("kept");
    assert_eq!(doc.blocks.len(), 2, "classified again");
    assert_eq!(parsed.problems.len(), 1);
    assert!(
        parsed.problems[0]
            .message
            .contains("block 1 spans 0..99 of 22 bytes"),
        "{:?}",
        parsed.problems
    );
    assert_eq!(parsed.problems[0].line, Some(4));
    // A field of another shape is the user's: kept as metadata, without a word.
    let line = br#"{"id": "b", "text": "Rain.", "blocks": 3, "origin": "wire"}"#;
    let parsed = parse_json_line(Source::of_file("x.jsonl"), 1, line);
    assert!(parsed.problems.is_empty());
    let doc = parsed.document.expect("kept");
    assert_eq!(doc.metadata["blocks"], 3);
    assert_eq!(doc.metadata["origin"], "wire");
    assert_eq!(doc.origin.path, "x.jsonl");
}

#[test]
fn a_body_that_is_not_the_blocks_body_is_kept_as_metadata() {
    let line = br#"{"id": "a", "text": "Rain fell.\n\nRead: More", "body": "Edited by hand.", "blocks": [{"kind": "paragraph", "start": 0, "end": 10}, {"kind": "related_link", "start": 12, "end": 22}]}"#;
    let parsed = parse_json_line(Source::of_file("edited.jsonl"), 1, line);
    let doc = parsed.document.expect("a document");
    assert_eq!(doc.metadata["body"], "Edited by hand.");
    let line = br#"{"id": "a", "text": "Rain fell.\n\nRead: More", "body": "Rain fell.", "blocks": [{"kind": "paragraph", "start": 0, "end": 10}, {"kind": "related_link", "start": 12, "end": 22}]}"#;
    let parsed = parse_json_line(Source::of_file("written.jsonl"), 1, line);
    assert!(parsed.document.expect("a document").metadata.is_empty());
}
