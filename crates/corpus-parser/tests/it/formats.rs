//! Compression beyond gzip and zstd: bzip2 and xz read as transparently, by their magic bytes;
//! a cut stream is a corrupt problem; formats recognised but not read say what they are.

use std::io::Write;

use corpus_core::ProblemKind;
use corpus_parser::{Input, Parsed};

use crate::read_all;

const LINES: &str = "{\"id\": \"a\", \"text\": \"Rain fell on the city.\"}\n\
                     {\"id\": \"b\", \"text\": \"Markets rose after the talks.\"}\n";

fn bzip2(bytes: &[u8]) -> Vec<u8> {
    let mut w = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    w.write_all(bytes).expect("compressed");
    w.finish().expect("compressed")
}

fn xz(bytes: &[u8]) -> Vec<u8> {
    let mut w = liblzma::write::XzEncoder::new(Vec::new(), 1);
    w.write_all(bytes).expect("compressed");
    w.finish().expect("compressed")
}

fn lz4(bytes: &[u8]) -> Vec<u8> {
    let mut w = lz4_flex::frame::FrameEncoder::new(Vec::new());
    w.write_all(bytes).expect("compressed");
    w.finish().expect("compressed")
}

fn memory(name: &str, bytes: Vec<u8>) -> Vec<Parsed> {
    read_all(&[Input::Memory {
        name: name.into(),
        bytes,
    }])
}

#[test]
fn bzip2_xz_and_lz4_read_as_the_plain_file_does() {
    let plain = memory("news.jsonl", LINES.as_bytes().to_vec());
    for (name, bytes) in [
        ("news.jsonl.bz2", bzip2(LINES.as_bytes())),
        ("news.jsonl.xz", xz(LINES.as_bytes())),
        ("news.jsonl.lz4", lz4(LINES.as_bytes())),
        // By content, whatever the name says.
        ("news.jsonl", xz(LINES.as_bytes())),
    ] {
        let got = memory(name, bytes);
        let docs: Vec<_> = got.iter().filter_map(|p| p.document.as_ref()).collect();
        let want: Vec<_> = plain.iter().filter_map(|p| p.document.as_ref()).collect();
        assert_eq!(docs.len(), 2, "{name}");
        for (d, w) in docs.iter().zip(&want) {
            assert_eq!(
                (&d.id, &d.text, &d.blocks),
                (&w.id, &w.text, &w.blocks),
                "{name}"
            );
        }
        assert!(got.iter().all(|p| p.problems.is_empty()), "{name}: {got:?}");
    }
    // Two streams one after the other are one file, as `cat a.bz2 b.bz2` makes.
    let mut both = bzip2(LINES.as_bytes());
    both.extend(bzip2(LINES.as_bytes()));
    let docs = memory("twice.jsonl.bz2", both);
    assert_eq!(docs.iter().filter(|p| p.document.is_some()).count(), 4);
    let mut both = lz4(LINES.as_bytes());
    both.extend(lz4(LINES.as_bytes()));
    let docs = memory("twice.jsonl.lz4", both);
    assert_eq!(docs.iter().filter(|p| p.document.is_some()).count(), 4);
}

#[test]
fn a_cut_bzip2_or_xz_stream_is_a_corrupt_problem() {
    let long: String = (0..200)
        .map(|i| format!("{{\"text\": \"Story {i}.\"}}\n"))
        .collect();
    for (name, mut bytes) in [
        ("cut.jsonl.bz2", bzip2(long.as_bytes())),
        ("cut.jsonl.xz", xz(long.as_bytes())),
        ("cut.jsonl.lz4", lz4(long.as_bytes())),
    ] {
        bytes.truncate(bytes.len() / 2);
        let got = memory(name, bytes);
        let problems: Vec<_> = crate::problems_in(&got);
        assert!(
            problems.iter().any(|p| p.kind == ProblemKind::Corrupt),
            "{name}: {problems:?}"
        );
    }
}

#[test]
fn formats_not_read_say_what_they_are() {
    for (bytes, what) in [
        (&b"7z\xbc\xaf\x27\x1c\x00\x04rest"[..], "7z"),
        (b"%PDF-1.7\n%rest", "PDF"),
    ] {
        let got = memory("thing.txt", bytes.to_vec());
        let p = &got[0].problems[0];
        assert!(
            p.message == format!("unsupported format: {what}; not read"),
            "{what}: {p:?}"
        );
        assert!(p.rejects());
    }
}

fn with_format(format: corpus_parser::Format, name: &str, bytes: &[u8]) -> Vec<Parsed> {
    let mut options = corpus_parser::ReadOptions::default();
    options.format = Some(format);
    let mut out = Vec::new();
    corpus_parser::read_documents(
        &[Input::Memory {
            name: name.into(),
            bytes: bytes.to_vec(),
        }],
        &options,
        &mut |p| out.push(p),
    );
    out
}

#[test]
fn lines_are_documents_with_format_lines() {
    let text = b"First document here.\r\n\nSecond \xff one.\nThird.";
    let got = with_format(corpus_parser::Format::Lines, "corpus.cor.gz.txt", text);
    let docs: Vec<(String, String, Option<u64>)> = got
        .iter()
        .filter_map(|p| p.document.as_ref())
        .map(|d| (d.id.clone(), d.text.clone(), d.origin.line))
        .collect();
    assert_eq!(
        docs,
        [
            (
                "corpus.cor.gz:1".to_owned(),
                "First document here.".to_owned(),
                Some(1)
            ),
            (
                "corpus.cor.gz:3".to_owned(),
                "Second \u{fffd} one.".to_owned(),
                Some(3)
            ),
            ("corpus.cor.gz:4".to_owned(), "Third.".to_owned(), Some(4)),
        ]
    );
    crate::assert_one_problem(&got, ProblemKind::InvalidUtf8, Some(3), "");
    // Every document is one paragraph of its line.
    let first = got[0].document.as_ref().expect("a document");
    assert_eq!(first.body().collect::<Vec<_>>(), ["First document here."]);
}

#[test]
fn a_long_headerless_article_of_lines_hints_at_format_lines() {
    let many: String = (0..120)
        .map(|i| format!("sentence {i} of a corpus\n"))
        .collect();
    let got = memory("lee_background.txt", many.into_bytes());
    let p = &got[0].problems;
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].message.ends_with("read it with --format lines"),
        "{p:?}"
    );
    assert!(!p[0].rejects(), "the document is kept");
    // A short note, or an article with paragraphs, gets no such hint.
    let short: String = (0..20).map(|i| format!("line {i}\n")).collect();
    assert!(
        memory("note.txt", short.into_bytes())[0]
            .problems
            .is_empty()
    );
}

fn zip_of(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes, deflated) in entries {
        w.start_file(*name, zip_options(*deflated))
            .expect("an entry");
        w.write_all(bytes).expect("written");
    }
    w.finish().expect("finished").into_inner()
}

fn zip_options(deflated: bool) -> zip::write::SimpleFileOptions {
    let method = if deflated {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    zip::write::SimpleFileOptions::default().compression_method(method)
}

fn ids(got: &[Parsed]) -> Vec<&str> {
    got.iter()
        .filter_map(|p| p.document.as_ref().map(|d| d.id.as_str()))
        .collect()
}

fn problem_lines(got: &[Parsed]) -> Vec<String> {
    got.iter()
        .flat_map(|p| &p.problems)
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn a_zip_is_read_as_a_folder() {
    let archive = zip_of(&[
        (
            "news/001.txt",
            b" date 2021-03-08 Rockets hit the base.\n\nRead: More\n",
            true,
        ),
        ("news/wire.jsonl", LINES.as_bytes(), false),
        ("news/README.txt", b"about", true),
        ("news/scan.pdf", b"%PDF-1.7", true),
    ]);
    for name in ["corpus.zip", "-"] {
        // By name, and by content when the name says nothing (standard input).
        let got = memory(name, archive.clone());
        assert_eq!(ids(&got), ["001", "a", "b"], "{name}");
        let first = got[0].document.as_ref().expect("the article");
        assert_eq!(first.origin.path, format!("{name}/news/001.txt"));
        assert_eq!(
            first.date.map(|d| d.to_string()).as_deref(),
            Some("2021-03-08")
        );
        assert_eq!(
            problem_lines(&got),
            [format!(
                "{name}/news/scan.pdf: skipped: not a corpus file by its name"
            )]
        );
    }
}

#[test]
fn a_cut_zip_keeps_what_came_before_and_names_the_cut() {
    let long: String = (0..400)
        .map(|i| format!("{{\"text\": \"Story {i} of many.\"}}\n"))
        .collect();
    let archive = zip_of(&[
        ("a.txt", b"An article.", false),
        ("b.jsonl", long.as_bytes(), true),
    ]);
    let cut = &archive[..archive.len() / 2];
    let got = memory("cut.zip", cut.to_vec());
    assert_eq!(got[0].document.as_ref().map(|d| d.id.as_str()), Some("a"));
    let problems: Vec<_> = crate::problems_in(&got);
    assert!(
        problems.iter().any(|p| p.kind == ProblemKind::Corrupt),
        "{problems:?}"
    );
}

/// A zip written to a stream, as `zip -`, Java's `ZipOutputStream` and Python's `zipfile` on a
/// pipe write one: every entry's sizes and CRC in a data descriptor after its data.
fn streamed_zip_of(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = zip::ZipWriter::new_stream(&mut out);
    for (name, bytes, deflated) in entries {
        w.start_file(*name, zip_options(*deflated))
            .expect("an entry");
        w.write_all(bytes).expect("written");
    }
    w.finish().expect("finished");
    out
}

/// Zips from streaming writers (once rejected whole: "the file length is not available in
/// the local header"), stored or deflated, read from a file and from standard input; a stored
/// entry whose data holds the descriptor's signature is read to its real end.
#[test]
fn zips_from_streaming_writers_are_read() {
    let tricky = b" date 2021-03-08 Bytes PK\x07\x08 like a descriptor's, and on.\n";
    for deflated in [false, true] {
        let archive = streamed_zip_of(&[
            ("x.txt", b" date 2021-03-08 The first story.\n", deflated),
            ("y.txt", tricky, deflated),
            ("c.jsonl", LINES.as_bytes(), deflated),
        ]);
        assert_ne!(archive[6] & 8, 0, "written with a data descriptor");
        for name in ["streamed.zip", "-"] {
            let got = memory(name, archive.clone());
            assert_eq!(
                ids(&got),
                ["x", "y", "a", "b"],
                "{name}, deflated {deflated}"
            );
            assert!(got.iter().all(|p| p.problems.is_empty()), "{got:?}");
            let b = got[1].document.as_ref().expect("y");
            assert!(b.text.contains("PK\x07\x08 like"), "{:?}", b.text);
        }
        // Damaged data: the descriptor no longer fits, and that is said.
        let mut damaged = archive.clone();
        let at = damaged
            .windows(5)
            .position(|w| w == b"first")
            .unwrap_or(damaged.len() / 3);
        damaged[at] ^= 0x20;
        let got = memory("damaged.zip", damaged);
        assert!(
            got.iter()
                .flat_map(|p| &p.problems)
                .any(|p| p.kind == ProblemKind::Corrupt),
            "deflated {deflated}: {got:?}"
        );
    }
}

/// Every byte of a zip's first and last 96 bytes (local headers, data descriptor, central
/// directory) flipped three ways, in zips with their sizes in their headers and after their
/// data: each read or named, never a panic, never an input lost.
#[test]
fn every_flipped_zip_header_byte_is_read_or_named() {
    let entries: [(&str, &[u8], bool); 2] = [
        (
            "a.txt",
            b" date 2021-03-08 The first story, told plainly.\n",
            true,
        ),
        ("b.jsonl", LINES.as_bytes(), false),
    ];
    let mut cases = 0;
    for archive in [zip_of(&entries), streamed_zip_of(&entries)] {
        let len = archive.len();
        let ends: Vec<usize> = (0..96.min(len))
            .chain(len.saturating_sub(96)..len)
            .collect();
        for at in ends {
            for mask in [0x01, 0x80, 0xff] {
                let mut broken = archive.clone();
                broken[at] ^= mask;
                for name in ["flipped.zip", "-"] {
                    let got = memory(name, broken.clone());
                    cases += 1;
                    assert!(!got.is_empty(), "byte {at} ^ {mask:#x}: nothing at all");
                    assert!(
                        got.iter()
                            .all(|p| p.document.is_some() || !p.problems.is_empty()),
                        "byte {at} ^ {mask:#x}: an input neither read nor named"
                    );
                }
            }
        }
    }
    assert!(cases > 2000, "{cases}");
}

/// An encrypted entry is named and passed over; the entries after it are read (it once
/// stopped the archive).
#[test]
fn an_encrypted_zip_entry_is_named_and_the_rest_read() {
    let mut archive = zip_of(&[
        ("secret.txt", b"Not for us to read.", false),
        (
            "open.txt",
            b" date 2021-03-08 A story anyone may read.\n",
            true,
        ),
    ]);
    // The encryption flag on the first entry's local header.
    assert_eq!(&archive[..4], b"PK\x03\x04");
    archive[6] |= 1;
    let got = memory("locked.zip", archive);
    assert_eq!(ids(&got), ["open"]);
    assert_eq!(
        problem_lines(&got),
        ["locked.zip/secret.txt: encrypted: this zip entry needs a password; not read"]
    );
}

/// Zips in zips multiply what they inflate (145 KB of 16 zips of 16 entries once inflated
/// 73 GB in 89 s): an input stops at a thousand times its size (plus four times the record
/// limit), with one problem, and what came before is kept.
#[test]
fn nested_archives_inflate_no_more_than_their_budget() {
    let text = format!(" date 2021-03-08 {}\n", "word ".repeat(50_000));
    let leaves: Vec<(String, Vec<u8>)> = (0..16)
        .map(|i| (format!("story{i}.txt"), text.clone().into_bytes()))
        .collect();
    let mut level: Vec<u8> = {
        let entries: Vec<(&str, &[u8], bool)> = leaves
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice(), true))
            .collect();
        zip_of(&entries)
    };
    for depth in 0..3 {
        let names: Vec<String> = (0..16).map(|i| format!("level{depth}-{i}.zip")).collect();
        let entries: Vec<(&str, &[u8], bool)> = names
            .iter()
            .map(|n| (n.as_str(), level.as_slice(), true))
            .collect();
        level = zip_of(&entries);
    }
    // Unbounded, this is 16^4 stories of 250 KB: 16 GB.
    let mut options = corpus_parser::ReadOptions::default();
    options.max_record_bytes = 1 << 20;
    let input = [Input::Memory {
        name: "nested.zip".into(),
        bytes: level,
    }];
    let mut got = Vec::new();
    corpus_parser::read_documents(&input, &options, &mut |p| got.push(p));
    let bombs: Vec<_> = crate::problems_in(&got)
        .into_iter()
        .filter(|p| p.kind == ProblemKind::TooLong)
        .collect();
    assert_eq!(bombs.len(), 1, "{bombs:?}");
    assert!(
        bombs[0].message.starts_with("a decompression bomb"),
        "{}",
        bombs[0]
    );
    let read = got.iter().filter(|p| p.document.is_some()).count();
    assert!((1..200).contains(&read), "{read} stories read");
}

/// A CSV row longer than the limit is left out and the rows after it are read, at their own
/// lines (it once stopped the rest of the file); a row of the wrong width after it is still
/// told, and a quoted field across lines keeps the count right; the same with `\r\n` line
/// ends (rows were placed a line early: where the row before ended).
#[test]
fn a_csv_row_over_the_limit_is_left_out_and_the_rest_read() {
    let big = "word ".repeat(300_000);
    let lf = format!(
        "id,text\nr1,First row.\nr2,\"{big}\n{big}\"\nr3,\"Third,\nover two lines.\"\nr4,too,many\nr5,Fifth row.\nr6,Sixth row.\n"
    );
    let mut options = corpus_parser::ReadOptions::default();
    options.max_record_bytes = 1 << 20;
    for (name, csv) in [
        ("rows.csv", lf.clone()),
        ("rows.csv.gz", lf.clone()),
        ("crlf.csv", lf.replace('\n', "\r\n")),
    ] {
        let bytes = if name.ends_with(".gz") {
            crate::gzip(csv.as_bytes())
        } else {
            csv.clone().into_bytes()
        };
        let input = [Input::Memory {
            name: name.into(),
            bytes,
        }];
        let mut got = Vec::new();
        corpus_parser::read_documents(&input, &options, &mut |p| got.push(p));
        let docs: Vec<(&str, Option<u64>)> = got
            .iter()
            .filter_map(|p| p.document.as_ref())
            .map(|d| (d.id.as_str(), d.origin.line))
            .collect();
        assert_eq!(
            docs,
            [
                ("r1", Some(2)),
                ("r3", Some(5)),
                ("r5", Some(8)),
                ("r6", Some(9))
            ],
            "{name}"
        );
        assert_eq!(
            crate::kinds_and_lines(&got),
            [
                (ProblemKind::TooLong, Some(3)),
                (ProblemKind::BadCsv, Some(7))
            ],
            "{name}"
        );
    }
}

/// Rows after blank lines, or after a `\r\n`, are placed at their own line (the CSV reader
/// places a row where the one before ended), and a quote left open after a blank line is
/// named at the line it opens on (it was taken for a row of the wrong width).
#[test]
fn csv_rows_and_open_quotes_are_placed_at_their_own_lines() {
    for end in ["\n", "\r\n"] {
        let csv = [
            "id,text,date",
            "",
            "",
            "a,First.,",
            "b,Second.,",
            "",
            "\"open",
            "more",
        ]
        .join(end);
        let got = read_all(&[Input::Memory {
            name: "blank.csv".into(),
            bytes: csv.into_bytes(),
        }]);
        let docs: Vec<(&str, Option<u64>)> = got
            .iter()
            .filter_map(|p| p.document.as_ref())
            .map(|d| (d.id.as_str(), d.origin.line))
            .collect();
        assert_eq!(docs, [("a", Some(4)), ("b", Some(5))], "{end:?}");
        let problems: Vec<(ProblemKind, Option<u64>, &str)> = got
            .iter()
            .flat_map(|p| &p.problems)
            .map(|p| (p.kind, p.line, &p.message[..14]))
            .collect();
        assert_eq!(
            problems,
            [(ProblemKind::BadCsv, Some(7), "unclosed quote")],
            "{end:?}"
        );
    }
}

fn with_encoding(label: &str, inputs: &[Input]) -> Vec<Parsed> {
    let mut options = corpus_parser::ReadOptions::default();
    options.encoding = corpus_parser::Encoding::for_label(label.as_bytes());
    let mut out = Vec::new();
    corpus_parser::read_documents(inputs, &options, &mut |p| out.push(p));
    out
}

/// Bytes that are not of the encoding become U+FFFD, as they must, and a located warning says
/// so (malformed Shift_JIS and an odd-length UTF-16 file once decoded with no word), for a
/// stream of records and for an article in a folder; the documents are kept.
#[test]
fn bytes_not_of_the_encoding_are_a_located_warning() {
    // Line 2 holds 0x81 0x20: a Shift_JIS lead byte without its trail.
    let lines = b"{\"id\":\"a\",\"text\":\"\x93\xfa\x96\x7b okay\"}\n{\"id\":\"b\",\"text\":\"bad \x81 here\"}\n".to_vec();
    let got = with_encoding(
        "shift_jis",
        &[Input::Memory {
            name: "wire.jsonl".into(),
            bytes: lines,
        }],
    );
    assert_eq!(ids(&got), ["a", "b"]);
    let shift_jis = "not valid Shift_JIS: 1 malformed sequence";
    crate::assert_one_problem(&got, ProblemKind::InvalidUtf8, Some(2), shift_jis);
    // UTF-16 by its byte-order mark, one byte short, as an article in a folder.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut utf16: Vec<u8> = vec![0xff, 0xfe];
    for unit in " date 2021-03-08 Caf\u{e9} news.\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    utf16.push(b'x');
    std::fs::write(dir.path().join("odd.txt"), utf16).expect("written");
    let got = read_all(&[Input::Path(dir.path().to_path_buf())]);
    assert_eq!(got.len(), 1, "{got:?}");
    let doc = got[0].document.as_ref().expect("the article is kept");
    assert!(doc.text.contains("Café news."), "{:?}", doc.text);
    assert_eq!(
        problem_lines(&got),
        [format!(
            "{}:2: not valid UTF-16: 1 malformed sequence replaced with U+FFFD, the first on this line",
            got[0].problems[0].path
        )]
    );
}

#[test]
fn text_in_other_encodings_is_transcoded() {
    let latin1 = b" date 2021-03-08 Caf\xe9 prices rose in Z\xfcrich.\n".to_vec();
    // Unread as UTF-8: a located warning, and replacement characters.
    let plain = memory("latin.txt", latin1.clone());
    assert_eq!(plain[0].problems[0].kind, ProblemKind::InvalidUtf8);
    // Named, it reads right, in a file, in a folder (read by the workers) and in CSV.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("latin.txt"), &latin1).expect("written");
    std::fs::write(
        dir.path().join("rows.csv"),
        b"id,text\nr1,\"Gr\xfc\xdfe aus K\xf6ln.\"\n",
    )
    .expect("written");
    let got = with_encoding("latin1", &[Input::Path(dir.path().to_path_buf())]);
    let texts: Vec<&str> = got
        .iter()
        .filter_map(|p| p.document.as_ref())
        .map(|d| d.body().next().unwrap_or_default())
        .collect();
    assert_eq!(texts, ["Café prices rose in Zürich.", "Grüße aus Köln."]);
    assert!(got.iter().all(|p| p.problems.is_empty()), "{got:?}");
    // Windows-1252's quotes, where latin1 labels mean windows-1252 (WHATWG).
    let quotes = with_encoding(
        "windows-1252",
        &[Input::Memory {
            name: "q.txt".into(),
            bytes: b"\x93Quoted\x94 text.".to_vec(),
        }],
    );
    assert_eq!(
        quotes[0].document.as_ref().map(|d| d.text.as_str()),
        Some("\u{201c}Quoted\u{201d} text.")
    );
}

#[test]
fn utf16_is_read_by_its_byte_order_mark() {
    let text = "\u{feff}{\"id\": \"x\", \"text\": \"Grüße aus Köln.\"}\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (name, bytes) in [("le.jsonl", le), ("be.jsonl", be)] {
        let got = memory(name, bytes);
        assert!(got[0].problems.is_empty(), "{name}: {:?}", got[0].problems);
        assert_eq!(
            got[0].document.as_ref().map(|d| d.text.as_str()),
            Some("Grüße aus Köln."),
            "{name}"
        );
    }
}

/// Built without its `parquet` feature (as `cargo test -p corpus-parser` builds it), the
/// parser says a Parquet file is one, and reads nothing of it.
#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_says_what_it_is() {
    let bytes = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/parser/ok/pyarrow_snappy.parquet"),
    )
    .expect("fixture");
    for name in ["news.parquet", "news.bin"] {
        let got = memory(name, bytes.clone());
        assert_eq!(got.len(), 1, "{name}");
        assert!(got[0].document.is_none());
        assert_eq!(
            got[0].problems[0].message,
            "unsupported format: Parquet (corpus-parser was built without its `parquet` feature); not read",
            "{name}"
        );
    }
}
