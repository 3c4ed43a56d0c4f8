//! No byte sequence panics the parser or breaks its span invariants, in any format.

use corpus_parser::{Input, parse_article_bytes, parse_json_line};
use proptest::prelude::*;

use crate::{assert_spans, read_all};

/// Bytes that look like articles often enough to reach the interesting paths: headers, labels,
/// blank lines, CR LF, multi-byte and invalid UTF-8, NUL.
fn article_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::collection::vec(
        prop_oneof![
            Just(b" date 2021-03-08 ".to_vec()),
            Just(b"date 21-3-8".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\n\n".to_vec()),
            Just(b"Read: Story".to_vec()),
            Just(b"Image: AP".to_vec()),
            Just(b"Short Heading".to_vec()),
            Just(b"A sentence.".to_vec()),
            Just("\u{201C}q\u{201D} é 日本".as_bytes().to_vec()),
            Just(vec![0xEF, 0xBB, 0xBF]),
            Just(vec![0xA3]),
            Just(vec![0xE2, 0x80]),
            Just(vec![0]),
            prop::collection::vec(any::<u8>(), 0..8),
        ],
        0..24,
    );
    pieces.prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn articles_never_panic_and_keep_spans(bytes in article_bytes()) {
        let parsed = parse_article_bytes("x", "x.txt", bytes);
        match &parsed.document {
            Some(doc) => assert_spans(doc),
            None => prop_assert!(parsed.problems.iter().any(|p| p.rejects())),
        }
    }

    #[test]
    fn json_lines_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64), text in article_bytes()) {
        let _ = parse_json_line("x.jsonl", "x", 1, &bytes);
        let line = serde_json::json!({ "id": "x", "text": String::from_utf8_lossy(&text) }).to_string();
        if let Some(doc) = parse_json_line("x.jsonl", "x", 1, line.as_bytes()).document {
            assert_spans(&doc);
        }
    }

    #[test]
    fn any_input_is_a_document_or_a_problem(
        bytes in prop::collection::vec(any::<u8>(), 0..256),
        name in prop_oneof![Just("a.txt"), Just("a.jsonl"), Just("a.csv"), Just("a.tar"), Just("a.txt.gz"), Just("a")],
        gzip in any::<bool>(),
    ) {
        let bytes = if gzip { [&[0x1f, 0x8b][..], &bytes].concat() } else { bytes };
        for parsed in read_all(&[Input::Memory { name: name.into(), bytes }]) {
            prop_assert!(parsed.document.is_some() || !parsed.problems.is_empty());
            if let Some(doc) = &parsed.document {
                assert_spans(doc);
            }
        }
    }
}
