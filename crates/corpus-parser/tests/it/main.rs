//! Integration tests of corpus-parser, through its public API only.

mod corpora;
mod fixtures;
mod formats;
mod ids;
mod languages;
mod parallel;
#[cfg(feature = "parquet")]
mod parquet;
mod properties;
mod round_trip;
mod shards;
#[path = "../../../../testdata/shared.rs"]
mod shared;

use corpus_core::{Document, Problem, ProblemKind};
use corpus_parser::{Input, Parsed, ReadOptions, read_documents};

/// Reads inputs with default options, collecting every result in order.
pub(crate) fn read_all(inputs: &[Input]) -> Vec<Parsed> {
    let mut out = Vec::new();
    read_documents(inputs, &ReadOptions::default(), &mut |p| out.push(p));
    out
}

/// `bytes` gzipped.
pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("in memory");
    gz.finish().expect("in memory")
}

/// Writes `bytes` to `dir/name`, making the folders on the way.
pub(crate) fn write_file(dir: &std::path::Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
    std::fs::write(path, bytes).expect("written");
}

/// Every problem of a read, in order.
pub(crate) fn problems_in(parsed: &[Parsed]) -> Vec<&Problem> {
    parsed.iter().flat_map(|p| &p.problems).collect()
}

/// The kind and line of every problem of a read, in order.
pub(crate) fn kinds_and_lines(parsed: &[Parsed]) -> Vec<(ProblemKind, Option<u64>)> {
    problems_in(parsed)
        .iter()
        .map(|p| (p.kind, p.line))
        .collect()
}

/// Asserts that a read has exactly one problem, of `kind`, on `line`, whose message starts with
/// `message`.
#[track_caller]
pub(crate) fn assert_one_problem(
    parsed: &[Parsed],
    kind: ProblemKind,
    line: Option<u64>,
    message: &str,
) {
    let problems = problems_in(parsed);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = problems[0];
    assert_eq!((p.kind, p.line), (kind, line), "{p}");
    assert!(p.message.starts_with(message), "{p}");
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

/// A folder's article files are read by whoever parses their records, not by the walk: the
/// results, problems included, are the same and in the same order as for any other input.
#[test]
fn folders_give_every_file_in_name_order() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let write = |name: &str, bytes: &[u8]| write_file(dir.path(), name, bytes);
    write("a.txt", b"date 2021-03-08 Rain fell.\n");
    write("b.txt.gz", b"\x1f\x8bnot gzip at all");
    write("c.txt", b"");
    write("d.txt.gz", &gzip(b"Compressed words.\n"));
    write("e.jsonl", b"{\"text\":\"one\"}\n{\"text\":\"two\"}\n");
    write("sub/f.txt", b"date 2021-02-30 Bad date.\n");
    let results = read_all(&[Input::Path(dir.path().to_owned())]);
    let seen: Vec<String> = results
        .iter()
        .map(|p| match (&p.document, p.problems.first()) {
            (Some(d), None) => format!("doc {} {:?}", d.id, d.text.trim()),
            (Some(d), Some(w)) => format!("doc {} with {:?}", d.id, w.kind),
            (None, Some(e)) => format!("rejected {:?}", e.kind),
            (None, None) => "nothing".into(),
        })
        .collect();
    assert_eq!(
        seen,
        [
            "doc a \"date 2021-03-08 Rain fell.\"",
            "rejected Corrupt",
            "rejected Empty",
            "doc d \"Compressed words.\"",
            "doc e:1 \"one\"",
            "doc e:2 \"two\"",
            "doc f with BadDate",
        ]
    );
}
