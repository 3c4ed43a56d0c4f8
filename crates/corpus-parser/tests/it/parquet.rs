//! Parquet: the columns (text, id, date, the other scalars as metadata) in every layout arrow
//! has for them, every codec real files use, the problems of a file that cannot be read whole,
//! and documents written by `ParquetWriter` reading back as they were. The files are made here
//! with the parquet crate's writer; `testdata/parser/*/pyarrow_*.parquet` are pyarrow's.

use std::sync::Arc;

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Date64Array, Float64Array, Int32Array, Int64Array,
    LargeStringArray, ListArray, RecordBatch, StringArray, StringViewArray,
    TimestampMicrosecondArray, TimestampNanosecondArray, TimestampSecondArray,
};
use corpus_core::{Document, ProblemKind};
use corpus_parser::{
    CsvOptions, DocumentColumns, Format, Input, ParquetWriter, Parsed, ReadOptions, read_documents,
};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use parquet::file::properties::WriterProperties;

const TEXTS: [&str; 4] = [
    "The council approved the new bridge on Monday.",
    "Heavy snow closed the airport for six hours.",
    "Shares in the shipping group rose 4 pct.",
    "A short notice: the museum reopens in May.",
];

/// A Parquet file of `columns`, written in row groups of `group_rows` rows.
/// A Parquet file of one `text` column.
fn texts_of(texts: StringArray, compression: Compression, group_rows: usize) -> Vec<u8> {
    parquet_of(vec![("text", Arc::new(texts))], compression, group_rows)
}

fn parquet_of(
    columns: Vec<(&str, ArrayRef)>,
    compression: Compression,
    group_rows: usize,
) -> Vec<u8> {
    let batch = RecordBatch::try_from_iter(columns).expect("a batch");
    let properties = WriterProperties::builder()
        .set_compression(compression)
        .set_max_row_group_row_count(Some(group_rows))
        .build();
    let mut out = Vec::new();
    let mut writer =
        ArrowWriter::try_new(&mut out, batch.schema(), Some(properties)).expect("a writer");
    writer.write(&batch).expect("written");
    writer.close().expect("closed");
    out
}

fn texts() -> ArrayRef {
    Arc::new(StringArray::from(TEXTS.to_vec()))
}

fn read_with(options: &ReadOptions, inputs: &[Input]) -> Vec<Parsed> {
    let mut out = Vec::new();
    read_documents(inputs, options, &mut |p| out.push(p));
    out
}

fn read(name: &str, bytes: Vec<u8>) -> Vec<Parsed> {
    read_with(
        &ReadOptions::default(),
        &[Input::Memory {
            name: name.into(),
            bytes,
        }],
    )
}

fn documents(parsed: &[Parsed]) -> Vec<&Document> {
    parsed.iter().filter_map(|p| p.document.as_ref()).collect()
}

fn problems(parsed: &[Parsed]) -> Vec<String> {
    parsed
        .iter()
        .flat_map(|p| &p.problems)
        .map(|p| format!("{}: {p}", p.kind))
        .collect()
}

#[test]
fn every_codec_real_files_use_is_read() {
    for compression in [
        Compression::UNCOMPRESSED,
        Compression::SNAPPY,
        Compression::GZIP(GzipLevel::default()),
        Compression::LZ4,
        Compression::LZ4_RAW,
        Compression::ZSTD(ZstdLevel::default()),
    ] {
        let bytes = parquet_of(vec![("text", texts())], compression, 3);
        let parsed = read("news.parquet", bytes);
        assert_eq!(problems(&parsed), Vec::<String>::new(), "{compression}");
        let got: Vec<&str> = documents(&parsed).iter().map(|d| d.text.as_str()).collect();
        assert_eq!(got, TEXTS, "{compression}");
        let ids: Vec<&str> = documents(&parsed).iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            ["news:1", "news:2", "news:3", "news:4"],
            "{compression}"
        );
    }
}

#[test]
fn text_in_every_string_layout_is_read() {
    let mut dictionary = StringDictionaryBuilder::<Int32Type>::new();
    for t in TEXTS {
        dictionary.append_value(t);
    }
    let layouts: Vec<(&str, ArrayRef)> = vec![
        ("utf8", texts()),
        (
            "large utf8",
            Arc::new(LargeStringArray::from(TEXTS.to_vec())),
        ),
        ("utf8 view", Arc::new(StringViewArray::from(TEXTS.to_vec()))),
        ("dictionary", Arc::new(dictionary.finish())),
        (
            "binary",
            Arc::new(arrow_array::BinaryArray::from_iter_values(
                TEXTS.iter().map(|t| t.as_bytes()),
            )),
        ),
    ];
    for (layout, array) in layouts {
        let bytes = parquet_of(vec![("text", array)], Compression::SNAPPY, 1024);
        let parsed = read("news.parquet", bytes);
        assert_eq!(problems(&parsed), Vec::<String>::new(), "{layout}");
        let got: Vec<&str> = documents(&parsed).iter().map(|d| d.text.as_str()).collect();
        assert_eq!(got, TEXTS, "{layout}");
    }
}

#[test]
fn columns_are_chosen_as_for_csv_and_the_rest_is_metadata() {
    let tags =
        ListArray::from_iter_primitive::<Int32Type, _, _>((0..4).map(|i| Some(vec![Some(i)])));
    // Datatrove's layout: a `metadata` struct, whose entries are metadata (and win).
    let nested = arrow_array::StructArray::from(vec![
        (
            Arc::new(arrow_schema::Field::new(
                "x",
                arrow_schema::DataType::Int32,
                false,
            )),
            Arc::new(Int32Array::from(vec![1, 2, 3, 4])) as ArrayRef,
        ),
        (
            Arc::new(arrow_schema::Field::new(
                "words",
                arrow_schema::DataType::Utf8,
                false,
            )),
            Arc::new(StringArray::from(vec!["eight"; 4])) as ArrayRef,
        ),
    ]);
    let blob = arrow_array::BinaryArray::from_iter_values([b"\x00\x01"; 4]);
    let bytes = parquet_of(
        vec![
            ("body", texts()),
            (
                "key",
                Arc::new(StringArray::from(vec!["k1", "k2", "", "k4"])),
            ),
            (
                "published",
                Arc::new(StringArray::from(vec![
                    Some("2021-03-08T10:00:00Z"),
                    Some("2021-03-09"),
                    None,
                    Some("2021-13-01"),
                ])),
            ),
            (
                "outlet",
                Arc::new(StringArray::from(vec![
                    Some("Courier"),
                    None,
                    Some("Herald"),
                    Some("Courier"),
                ])),
            ),
            ("words", Arc::new(Int32Array::from(vec![8, 8, 7, 8]))),
            (
                "score",
                Arc::new(Float64Array::from(vec![0.5, 1.0, f64::NAN, 2.0])),
            ),
            (
                "front",
                Arc::new(BooleanArray::from(vec![true, false, true, false])),
            ),
            ("tags", Arc::new(tags)),
            ("metadata", Arc::new(nested)),
            ("blob", Arc::new(blob)),
        ],
        Compression::ZSTD(ZstdLevel::default()),
        2,
    );
    let mut options = ReadOptions::default();
    options.csv = {
        let mut options = CsvOptions::default();
        options.text_col = "body".into();
        options.id_col = "key".into();
        options.date_col = "published".into();
        options
    };
    let parsed = read_with(
        &options,
        &[Input::Memory {
            name: "wire.parquet".into(),
            bytes,
        }],
    );
    let docs = documents(&parsed);
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    // An empty id is no id: the document is named by its row.
    assert_eq!(ids, ["k1", "k2", "wire:3", "k4"]);
    let dates: Vec<String> = docs
        .iter()
        .map(|d| d.date.map(|d| d.to_string()).unwrap_or_default())
        .collect();
    assert_eq!(dates, ["2021-03-08", "2021-03-09", "", ""]);
    let first = &docs[0].metadata;
    assert_eq!(
        serde_json::Value::Object(first.clone()),
        serde_json::json!({"outlet": "Courier", "words": "eight", "score": 0.5, "front": true, "tags": [0], "x": 1}),
        "scalar columns, lists and structs are metadata; binary columns are not"
    );
    // A null (and a NaN) is no value.
    assert_eq!(docs[1].metadata.get("outlet"), None);
    assert_eq!(docs[2].metadata.get("score"), None, "NaN");
    assert_eq!(docs[0].origin.line, Some(1));
    assert_eq!(docs[3].origin.line, Some(4));
    // The bad date is a warning at its row, naming the column.
    assert_eq!(
        problems(&parsed),
        [
            "bad_date: wire.parquet:4: column \"published\": impossible date \"2021-13-01\", no such day; document kept without a date"
        ]
    );
}

#[test]
fn dates_and_timestamps_give_the_day_where_they_were_written() {
    let day = 18_694; // 2021-03-08
    let second = i64::from(day) * 86_400;
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("date32", Arc::new(Date32Array::from(vec![day; 4]))),
        (
            "date64",
            Arc::new(Date64Array::from(vec![second * 1000; 4])),
        ),
        (
            "utc seconds",
            Arc::new(TimestampSecondArray::from(vec![second + 3600; 4])),
        ),
        (
            // 23:00 UTC on the 8th is the 9th at +02:00.
            "offset micros",
            Arc::new(
                TimestampMicrosecondArray::from(vec![(second + 23 * 3600) * 1_000_000; 4])
                    .with_timezone("+02:00"),
            ),
        ),
        (
            // 01:00 UTC on the 8th is the 7th at -05:00.
            "negative offset nanos",
            Arc::new(
                TimestampNanosecondArray::from(vec![(second + 3600) * 1_000_000_000; 4])
                    .with_timezone("-05:00"),
            ),
        ),
    ];
    let want = [
        ("date32", "2021-03-08"),
        ("date64", "2021-03-08"),
        ("utc seconds", "2021-03-08"),
        ("offset micros", "2021-03-09"),
        ("negative offset nanos", "2021-03-07"),
    ];
    for (column, array) in columns {
        let bytes = parquet_of(
            vec![("text", texts()), ("date", array)],
            Compression::SNAPPY,
            1024,
        );
        let parsed = read("dated.parquet", bytes);
        assert_eq!(problems(&parsed), Vec::<String>::new(), "{column}");
        let expected = want.iter().find(|(c, _)| *c == column).map(|(_, d)| *d);
        for doc in documents(&parsed) {
            assert_eq!(
                doc.date.map(|d| d.to_string()).as_deref(),
                expected,
                "{column}"
            );
        }
    }
    // As metadata, a timestamp is RFC 3339 at its offset.
    let bytes = parquet_of(
        vec![
            ("text", texts()),
            (
                "seen",
                Arc::new(
                    TimestampSecondArray::from(vec![second + 23 * 3600 + 61; 4])
                        .with_timezone("+02:00"),
                ),
            ),
        ],
        Compression::SNAPPY,
        1024,
    );
    let parsed = read("seen.parquet", bytes);
    assert_eq!(
        documents(&parsed)[0].metadata["seen"],
        "2021-03-09T01:01:01+02:00"
    );
}

#[test]
fn a_schema_without_what_is_needed_is_a_problem_naming_the_column() {
    type Columns = Vec<(&'static str, ArrayRef)>;
    let cases: Vec<(Columns, CsvOptions, &str)> = vec![
        (
            vec![
                ("body", texts()),
                ("n", Arc::new(Int64Array::from(vec![1, 2, 3, 4]))),
            ],
            CsvOptions::default(),
            "bad_parquet: x.parquet: no text column \"text\" in the Parquet schema (columns: body, n)",
        ),
        (
            vec![("text", Arc::new(Int64Array::from(vec![1, 2, 3, 4])))],
            CsvOptions::default(),
            "bad_parquet: x.parquet: column \"text\" is Int64, expected a string",
        ),
    ];
    for (columns, csv, want) in cases {
        let mut options = ReadOptions::default();
        options.csv = csv;
        let bytes = parquet_of(columns, Compression::SNAPPY, 1024);
        let parsed = read_with(
            &options,
            &[Input::Memory {
                name: "x.parquet".into(),
                bytes,
            }],
        );
        assert!(documents(&parsed).is_empty());
        assert_eq!(problems(&parsed), [want]);
        assert!(parsed[0].problems[0].rejects());
    }
    // Id and date columns named on purpose but missing or of the wrong type: warnings, and
    // the documents are read.
    let bytes = parquet_of(
        vec![
            ("text", texts()),
            ("when", Arc::new(Int64Array::from(vec![1, 2, 3, 4]))),
            ("ref", Arc::new(BooleanArray::from(vec![true; 4]))),
        ],
        Compression::SNAPPY,
        1024,
    );
    for ((id_col, date_col), want) in [
        (
            ("key", "day"),
            vec![
                "suspect: x.parquet: no column \"key\" in the Parquet schema; ids are <file>:<row>",
                "suspect: x.parquet: no column \"day\" in the Parquet schema; documents are undated",
            ],
        ),
        (
            ("ref", "when"),
            vec![
                "suspect: x.parquet: column \"ref\" is Boolean, expected a string or an integer; ids are <file>:<row>",
                "suspect: x.parquet: column \"when\" is Int64, expected a string, date or timestamp; documents are undated",
            ],
        ),
    ] {
        let mut options = ReadOptions::default();
        options.csv.id_col = id_col.into();
        options.csv.date_col = date_col.into();
        let parsed = read_with(
            &options,
            &[Input::Memory {
                name: "x.parquet".into(),
                bytes: bytes.clone(),
            }],
        );
        assert_eq!(documents(&parsed).len(), 4);
        assert_eq!(problems(&parsed), want);
        assert_eq!(documents(&parsed)[0].id, "x:1");
    }
}

#[test]
fn nulls_empty_texts_and_long_rows_are_problems_at_their_row() {
    let long = "a row far longer than the limit allows. ".repeat(10);
    let bytes = texts_of(
        StringArray::from(vec![
            Some(TEXTS[0]),
            None,
            Some("  "),
            Some(long.as_str()),
            Some("x\0y"),
            Some(TEXTS[1]),
            Some(TEXTS[2]),
            Some(TEXTS[3]),
        ]),
        Compression::SNAPPY,
        8,
    );
    // The row group's rows average less than the limit, so it is decoded; the long row is
    // over it.
    let mut options = ReadOptions::default();
    options.max_record_bytes = 200;
    // On disk, the limit is on rows (in a stream, the whole file is one record).
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("holes.parquet");
    std::fs::write(&path, bytes).expect("written");
    let parsed = read_with(&options, &[Input::Path(path)]);
    assert_eq!(
        crate::kinds_and_lines(&parsed),
        [
            (ProblemKind::Empty, Some(2)),
            (ProblemKind::Empty, Some(3)),
            (ProblemKind::TooLong, Some(4)),
            (ProblemKind::Binary, Some(5)),
        ]
    );
    let rows: Vec<Option<u64>> = documents(&parsed).iter().map(|d| d.origin.line).collect();
    assert_eq!(rows, [Some(1), Some(6), Some(7), Some(8)]);
}

#[test]
fn a_corrupt_row_group_is_a_problem_and_the_others_are_read() {
    let bytes = parquet_of(vec![("text", texts())], Compression::UNCOMPRESSED, 2);
    // Overwrite a text of the second row group (uncompressed, so it is there to find) with
    // bytes that are not UTF-8: its page cannot be decoded as strings.
    let mut broken = bytes.clone();
    let at = broken
        .windows(TEXTS[2].len())
        .position(|w| w == TEXTS[2].as_bytes())
        .expect("the text is in the file");
    for b in &mut broken[at..at + 8] {
        *b = 0xff;
    }
    let parsed = read("broken.parquet", broken);
    let docs: Vec<&str> = documents(&parsed).iter().map(|d| d.id.as_str()).collect();
    assert_eq!(docs, ["broken:1", "broken:2"]);
    let problem = parsed
        .iter()
        .flat_map(|p| &p.problems)
        .next()
        .expect("a problem");
    assert_eq!(problem.kind, ProblemKind::Corrupt);
    assert_eq!(problem.line, Some(3));
    assert!(
        problem.message.starts_with("corrupt row group 2: ")
            && problem.message.ends_with("; its rows 3 to 4 were not read"),
        "{problem}"
    );
    // Cut before the footer: not Parquet at all.
    let parsed = read("cut.parquet", bytes[..bytes.len() / 2].to_vec());
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed[0].problems[0].kind, ProblemKind::Corrupt);
    assert!(
        parsed[0].problems[0]
            .message
            .starts_with("not a readable Parquet file: ")
    );
    // No rows.
    let empty = texts_of(
        StringArray::from(Vec::<&str>::new()),
        Compression::SNAPPY,
        2,
    );
    assert_eq!(
        problems(&read("none.parquet", empty)),
        ["empty: none.parquet: empty: the Parquet file has no rows"]
    );
}

/// Every byte of the footer flipped, one at a time, as a damaged download or disk does: each
/// file is read or named as a problem, never a panic (a negative column offset once reached an
/// assertion of arrow-rs, and the panic ended the whole run).
#[test]
fn every_flipped_footer_byte_is_read_or_named() {
    let ids: ArrayRef = Arc::new(StringArray::from(vec!["a", "b", "c", "d"]));
    let bytes = parquet_of(
        vec![("id", ids), ("text", texts())],
        Compression::UNCOMPRESSED,
        2,
    );
    let len = bytes.len();
    let footer = u32::from_le_bytes(bytes[len - 8..len - 4].try_into().expect("4 bytes")) as usize;
    let mut outside = 0;
    let mut cases = 0;
    for at in len - 8 - footer..len {
        for mask in [0x01, 0x80, 0xff] {
            let mut broken = bytes.clone();
            broken[at] ^= mask;
            let parsed = read("flipped.parquet", broken);
            cases += 1;
            assert!(
                parsed
                    .iter()
                    .all(|p| p.document.is_some() || !p.problems.is_empty()),
                "byte {at} ^ {mask:#x}: an input neither read nor named"
            );
            assert!(!parsed.is_empty(), "byte {at} ^ {mask:#x}: nothing at all");
            outside += problems(&parsed)
                .iter()
                .filter(|p| p.contains("outside the file"))
                .count();
        }
    }
    assert!(cases > 300, "{cases}");
    // Some flips make a column chunk's offset or length impossible: caught before decoding.
    assert!(outside > 0);
}

#[test]
fn parquet_is_read_from_disk_streams_and_archives_alike() {
    let bytes = parquet_of(vec![("text", texts())], Compression::SNAPPY, 3);
    let dir = tempfile::tempdir().expect("a folder");
    let on_disk = dir.path().join("news.parquet");
    std::fs::write(&on_disk, &bytes).expect("written");
    // Named otherwise, it is known by its magic bytes.
    let unnamed = dir.path().join("news.data");
    std::fs::write(&unnamed, &bytes).expect("written");
    let gzipped = crate::gzip(&bytes);
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, "part-0.parquet", &bytes[..])
        .expect("appended");
    let tar = tar.into_inner().expect("archive");
    let want: Vec<&str> = TEXTS.to_vec();
    for input in [
        Input::Path(on_disk.clone()),
        Input::Path(unnamed),
        Input::Path(dir.path().to_owned()),
        Input::Memory {
            name: "news.parquet.gz".into(),
            bytes: gzipped,
        },
        Input::Memory {
            name: "parts.tar".into(),
            bytes: tar,
        },
    ] {
        let parsed = read_with(&ReadOptions::default(), std::slice::from_ref(&input));
        let got: Vec<&str> = documents(&parsed).iter().map(|d| d.text.as_str()).collect();
        // The folder also holds `news.data`, skipped by its name.
        let skipped = parsed
            .iter()
            .flat_map(|p| &p.problems)
            .all(|p| p.kind == ProblemKind::Skipped);
        assert!(skipped, "{input:?}: {:?}", problems(&parsed));
        assert_eq!(got, want, "{input:?}");
    }
    // In a stream, the whole file is held in memory: past the record limit it is a problem.
    let mut options = ReadOptions::default();
    options.max_record_bytes = 100;
    let parsed = read_with(
        &options,
        &[Input::Memory {
            name: "news.parquet.gz".into(),
            bytes: crate::gzip(&bytes),
        }],
    );
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed[0].problems[0].kind, ProblemKind::TooLong);
    // --format parquet reads any name as Parquet.
    let mut options = ReadOptions::default();
    options.format = Some(Format::Parquet);
    let odd = dir.path().join("export.txt");
    std::fs::write(&odd, &bytes).expect("written");
    let parsed = read_with(&options, &[Input::Path(odd)]);
    assert_eq!(documents(&parsed).len(), 4);
}

#[test]
fn written_documents_read_back_as_they_were() {
    let mut docs = Vec::new();
    for (i, text) in TEXTS.iter().enumerate() {
        let date =
            (i != 2).then(|| corpus_core::Date::from_ymd(2021, 3, 8 + i as u8).expect("a day"));
        let mut doc = Document::new(format!("d{i}"), "in.jsonl", *text);
        doc.date = date;
        doc.metadata
            .insert("outlet".into(), ["Courier", "Herald"][i % 2].into());
        doc.metadata.insert("words".into(), (i as i64 * 3).into());
        if i % 2 == 0 {
            // Integers and floats in one field: a float column.
            doc.metadata.insert("score".into(), (i as f64 + 0.5).into());
        } else {
            doc.metadata.insert("score".into(), 7.into());
        }
        // Values of several kinds: a text column of their JSON.
        let mixed = if i == 0 {
            serde_json::json!(["a", 1])
        } else {
            serde_json::json!("plain")
        };
        doc.metadata.insert("mixed".into(), mixed);
        if i == 3 {
            // A field only the last document has: null before it.
            doc.metadata.insert("late".into(), true.into());
            // A field named as a column the document fills already.
            doc.metadata.insert("id".into(), "shadowed".into());
        }
        docs.push(doc);
    }
    let mut columns = DocumentColumns::new();
    for doc in &docs {
        columns.observe(doc);
    }
    let names = CsvOptions::default();
    assert_eq!(
        columns.names(&names),
        [
            "id",
            "date",
            "lang",
            "text",
            "body",
            "path",
            "mixed",
            "outlet",
            "score",
            "words",
            "metadata.id",
            "late"
        ]
        .map(String::from)
    );
    let mut writer = ParquetWriter::new(Vec::new(), &columns, &names).expect("a writer");
    for doc in &docs {
        writer.write(doc).expect("written");
    }
    let bytes = writer.finish().expect("finished");
    let parsed = read("kept.parquet", bytes);
    assert_eq!(problems(&parsed), Vec::<String>::new());
    let back = documents(&parsed);
    assert_eq!(back.len(), docs.len());
    for (b, d) in back.iter().zip(&docs) {
        assert_eq!((&b.id, &b.date, &b.text), (&d.id, &d.date, &d.text));
        assert_eq!(b.metadata["outlet"], d.metadata["outlet"]);
        assert_eq!(b.metadata["words"], d.metadata["words"]);
        assert_eq!(b.metadata["score"].as_f64(), d.metadata["score"].as_f64());
        // The body and path columns are derived from the document: not read back as metadata.
        assert!(!b.metadata.contains_key("body") && !b.metadata.contains_key("path"));
    }
    assert_eq!(back[0].metadata["mixed"], "[\"a\",1]");
    assert_eq!(back[1].metadata["mixed"], "plain");
    assert_eq!(back[0].metadata.get("late"), None);
    assert_eq!(back[3].metadata["late"], true);
    assert_eq!(back[3].metadata["metadata.id"], "shadowed");
}

#[test]
fn a_row_group_of_rows_larger_than_the_limit_is_not_decoded() {
    // One row of 4 MiB of zeros, zstd-compressed to a few kilobytes: a bomb for whoever
    // decodes it. Under a 1 MiB limit it is left out from the metadata alone.
    let big = "0".repeat(4 << 20);
    let bytes = texts_of(
        StringArray::from(vec![big.as_str(), "small"]),
        Compression::ZSTD(ZstdLevel::default()),
        1,
    );
    assert!(bytes.len() < 64 << 10, "{} bytes", bytes.len());
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("bomb.parquet");
    std::fs::write(&path, bytes).expect("written");
    let mut options = ReadOptions::default();
    options.max_record_bytes = 1 << 20;
    let parsed = read_with(&options, &[Input::Path(path)]);
    let docs: Vec<&str> = documents(&parsed).iter().map(|d| d.text.as_str()).collect();
    assert_eq!(docs, ["small"]);
    let problem = &parsed[0].problems[0];
    assert_eq!(
        (problem.kind, problem.line),
        (ProblemKind::TooLong, Some(1))
    );
    assert!(
        problem.message.starts_with("row group 1 holds 41943"),
        "{problem}"
    );
}

/// One huge row beside small ones in a group of less than four times the limit: the group's
/// average is over the limit, but it is decoded a row at a time, the huge row a problem of its
/// own and the small rows read (the whole group was once left out).
#[test]
fn small_rows_beside_one_over_the_limit_are_read() {
    let big = "x".repeat(3_400_000);
    let bytes = texts_of(
        StringArray::from(vec!["first", big.as_str(), "third"]),
        Compression::SNAPPY,
        3,
    );
    let mut options = ReadOptions::default();
    options.max_record_bytes = 1 << 20;
    let parsed = read_with(
        &options,
        &[Input::Memory {
            name: "mixed.parquet".into(),
            bytes,
        }],
    );
    let docs: Vec<&str> = documents(&parsed).iter().map(|d| d.text.as_str()).collect();
    assert_eq!(docs, ["first", "third"]);
    let too_long: Vec<_> = crate::problems_in(&parsed)
        .into_iter()
        .filter(|p| p.kind == ProblemKind::TooLong)
        .collect();
    assert_eq!(too_long.len(), 1, "{too_long:?}");
    assert_eq!(too_long[0].line, Some(2));
}
