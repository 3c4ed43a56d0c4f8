//! No byte sequence panics the parser or breaks its span invariants, in any format.

use corpus_parser::{
    Input, ReadOptions, Source, parse_article_bytes, parse_json_line, read_documents,
};
use proptest::prelude::*;

use crate::{assert_spans, read_all};

/// Bytes that look like articles often enough to reach the interesting paths: headers, labels,
/// blank lines, CR LF, multi-byte and invalid UTF-8, NUL.
fn article_bytes() -> impl Strategy<Value = Vec<u8>> {
    const PIECES: &[&[u8]] = &[
        b" date 2021-03-08 ",
        b"date 21-3-8",
        b"\n",
        b"\r\n",
        b"\n\n",
        b"Read: Story",
        b"Image: AP",
        b"Short Heading",
        b"A sentence.",
        "\u{201C}q\u{201D} é 日本".as_bytes(),
        &[0xEF, 0xBB, 0xBF],
        &[0xA3],
        &[0xE2, 0x80],
        &[0],
    ];
    let piece = prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 0..8),
    ];
    joined(piece, 24)
}

/// Up to `most - 1` of `piece`'s values, one after another.
fn joined(piece: impl Strategy<Value = Vec<u8>>, most: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(piece, 0..most).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn articles_never_panic_and_keep_spans(bytes in article_bytes()) {
        let parsed = parse_article_bytes(Source::of_file("x.txt"), bytes);
        match &parsed.document {
            Some(doc) => assert_spans(doc),
            None => prop_assert!(parsed.problems.iter().any(|p| p.rejects())),
        }
    }

    #[test]
    fn json_lines_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64), text in article_bytes()) {
        let _ = parse_json_line(Source::of_file("x.jsonl"), 1, &bytes);
        let line = serde_json::json!({ "id": "x", "text": String::from_utf8_lossy(&text) }).to_string();
        if let Some(doc) = parse_json_line(Source::of_file("x.jsonl"), 1, line.as_bytes()).document {
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

/// Pieces of CSV and JSON that open, close and break quotes and objects.
const CSV_PIECES: &[&[u8]] = &[
    b"id,text\n",
    b"r1,\"quoted, with \"\"quotes\"\"\"\n",
    b"r2,\"unclosed\n",
    b"r3,plain\r\n",
    b"\"",
    b",",
    b"{\"text\":\"x\"",
    b"}\n",
    &[0xEF, 0xBB, 0xBF],
    b"\r",
];

/// The bytes of one record of some format: article text, a JSON line, a CSV row, or noise.
fn record_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        article_bytes(),
        article_bytes().prop_map(|t| {
            let text = String::from_utf8_lossy(&t).into_owned();
            format!(
                "{}\n",
                serde_json::json!({ "id": "r", "text": text, "date": "2021-03-08" })
            )
            .into_bytes()
        }),
        joined(
            prop::sample::select(CSV_PIECES).prop_map(<[u8]>::to_vec),
            12
        ),
        prop::collection::vec(any::<u8>(), 0..64),
    ]
}

/// How a record's bytes are packed: plain, compressed, in a tar or a zip (under one of a few
/// member names, dotted or escaping; a zip stored or deflated, with its sizes in its headers or
/// after its data, as streaming writers write them), or as the text of a Parquet row; then cut
/// short, or one byte flipped (a header, a footer, the data).
#[derive(Debug, Clone)]
enum Packing {
    Plain,
    Gzip,
    Zstd,
    Tar(&'static str),
    TarGz(&'static str),
    Zip {
        member: &'static str,
        deflated: bool,
        streamed: bool,
    },
    Parquet,
}

fn pack(bytes: &[u8], packing: &Packing) -> Vec<u8> {
    use std::io::Write;
    let tar = |member: &str| {
        let mut header = tar::Header::new_ustar();
        header.as_old_mut().name[..member.len()].copy_from_slice(member.as_bytes());
        header.set_size(bytes.len() as u64);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        let mut b = tar::Builder::new(Vec::new());
        b.append(&header, bytes).expect("in memory");
        b.into_inner().expect("in memory")
    };
    let gzip = crate::gzip;
    match packing {
        Packing::Plain => bytes.to_vec(),
        Packing::Gzip => gzip(bytes),
        Packing::Zstd => zstd::encode_all(bytes, 1).expect("in memory"),
        Packing::Tar(member) => tar(member),
        Packing::TarGz(member) => gzip(&tar(member)),
        Packing::Zip {
            member,
            deflated,
            streamed,
        } => {
            let method = if *deflated {
                zip::CompressionMethod::Deflated
            } else {
                zip::CompressionMethod::Stored
            };
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            if *streamed {
                let mut out = Vec::new();
                let mut w = zip::ZipWriter::new_stream(&mut out);
                w.start_file(*member, options).expect("in memory");
                w.write_all(bytes).expect("in memory");
                w.finish().expect("in memory");
                out
            } else {
                let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
                w.start_file(*member, options).expect("in memory");
                w.write_all(bytes).expect("in memory");
                w.finish().expect("in memory").into_inner()
            }
        }
        Packing::Parquet => {
            use std::sync::Arc;
            let text = String::from_utf8_lossy(bytes).into_owned();
            let column: arrow_array::ArrayRef = Arc::new(arrow_array::StringArray::from(vec![
                text.as_str(),
                "A second row.",
            ]));
            let batch =
                arrow_array::RecordBatch::try_from_iter([("text", column)]).expect("a batch");
            let mut out = Vec::new();
            let mut w = parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None)
                .expect("a writer");
            w.write(&batch).expect("in memory");
            w.close().expect("in memory");
            out
        }
    }
}

fn packing() -> impl Strategy<Value = Packing> {
    let member = prop_oneof![
        Just("a.txt"),
        Just("./b.jsonl"),
        Just("../c.csv"),
        Just("d/../e.txt"),
        Just(".hidden.txt"),
        Just("f.pdf"),
    ];
    let zip =
        (member.clone(), any::<bool>(), any::<bool>()).prop_map(|(member, deflated, streamed)| {
            Packing::Zip {
                member,
                deflated,
                streamed,
            }
        });
    prop_oneof![
        Just(Packing::Plain),
        Just(Packing::Gzip),
        Just(Packing::Zstd),
        member.clone().prop_map(Packing::Tar),
        member.prop_map(Packing::TarGz),
        zip,
        Just(Packing::Parquet),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// The whole reader, formats, compression and archives included: no byte sequence panics
    /// it, every input yields at least one result, and every result is a document or holds a
    /// problem that rejects the input (or, beside a document, only warnings).
    #[test]
    fn the_whole_reader_never_loses_an_input(
        records in prop::collection::vec(record_bytes(), 1..4),
        packing in packing(),
        name in prop_oneof![Just("in.txt"), Just("in.jsonl"), Just("in.csv"), Just("in"), Just("in.tar"), Just("in.zip"), Just("in.parquet")],
        cut in prop::option::of(0.0f64..1.0),
        flip in prop::option::of((0.0f64..1.0, 1u8..=255)),
        limit in prop_oneof![Just(64u64), Just(1 << 20)],
    ) {
        // Parquet is read only with the `parquet` feature; without it, its bytes are noise.
        let mut bytes = pack(&records.concat(), &packing);
        if let Some(f) = cut {
            bytes.truncate((bytes.len() as f64 * f) as usize);
        }
        // A byte flipped, most often near either end, where headers and footers are.
        if let Some((at, mask)) = flip && !bytes.is_empty() {
            let len = bytes.len();
            let i = match (at * 3.0) as u32 {
                0 => (at * 3.0 * 64.0) as usize % len,
                1 => len - 1 - ((at * 3.0 - 1.0) * 64.0) as usize % len,
                _ => (at * len as f64) as usize % len,
            };
            bytes[i] ^= mask;
        }
        let mut options = ReadOptions::default();
options.max_record_bytes = limit;
        let mut results = Vec::new();
        read_documents(&[Input::Memory { name: name.into(), bytes }], &options, &mut |p| results.push(p));
        prop_assert!(!results.is_empty(), "an input vanished");
        for parsed in &results {
            match &parsed.document {
                Some(doc) => {
                    assert_spans(doc);
                    prop_assert!(parsed.problems.iter().all(|p| !p.rejects()));
                    // Raw bytes are capped; a lossy decoding may triple them (U+FFFD).
                    prop_assert!(doc.text.len() as u64 <= 3 * limit);
                }
                None => prop_assert!(!parsed.problems.is_empty()),
            }
        }
    }
}
