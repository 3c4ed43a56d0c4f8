//! Bad input, faults and signals: every input is a document or a named problem, outputs appear
//! whole or not at all and never destroy an input, and nothing panics. One test per defect
//! found by attacking the binary; the fixtures are made here, in temporary folders.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use crate::{Run, corpus_in};

const ARTICLE: &[u8] = b" date 2021-03-08 Hello world. Text.\n";

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// A temporary folder holding one file, `name` with `bytes`.
fn with_file(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = temp();
    write(dir.path(), name, bytes);
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("folder");
    }
    fs::write(path, bytes).expect("fixture written");
}

/// Writes `name` into `dir` and parses it with `--strict`: the run, and its documents' ids.
fn parse_strict(dir: &Path, name: &str, bytes: &[u8]) -> (Run, Vec<String>) {
    write(dir, name, bytes);
    let run = corpus_in(dir, &["parse", "--strict", name], None);
    let ids = ids(&run);
    (run, ids)
}

/// The documents' ids of a `corpus parse` run, in order.
fn ids(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .map(|l| {
            let doc: serde_json::Value = serde_json::from_str(l).expect("a JSON document");
            doc["id"].as_str().expect("an id").to_owned()
        })
        .collect()
}

/// A tar header for a member named exactly `name` (no normalisation, `..` allowed).
fn raw_header(name: &[u8], size: usize, kind: tar::EntryType) -> tar::Header {
    let mut header = tar::Header::new_ustar();
    header.as_old_mut().name[..name.len()].copy_from_slice(name);
    header.set_size(size as u64);
    header.set_entry_type(kind);
    header.set_mode(0o644);
    header.set_cksum();
    header
}

/// A tar of `(name, type, content)` members, with names as given.
fn tar_of(members: &[(&[u8], tar::EntryType, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, kind, data) in members {
        builder
            .append(&raw_header(name, data.len(), *kind), *data)
            .expect("in memory");
    }
    builder.into_inner().expect("in memory")
}

/// A PAX extended header that renames the member after it.
fn pax_path(path: &str) -> Vec<u8> {
    let body = format!(" path={path}\n");
    // The record's length counts its own digits.
    let mut len = body.len() + 2;
    if len.to_string().len() + body.len() != len {
        len += 1;
    }
    format!("{len}{body}").into_bytes()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("in memory");
    enc.finish().expect("in memory")
}

// 1. Tar member paths.

#[test]
fn a_tar_made_with_dot_paths_keeps_every_document() {
    let dir = temp();
    let regular = tar::EntryType::Regular;
    let pax = pax_path("../pax.txt");
    let archive = tar_of(&[
        (b"./", tar::EntryType::Directory, b""),
        (b"./a.txt", regular, ARTICLE),
        (b"./sub/./b.txt", regular, ARTICLE),
        (b"../up.txt", regular, ARTICLE),
        (b"a/../../x.txt", regular, ARTICLE),
        (b"PaxHeaders/p", tar::EntryType::XHeader, &pax),
        (b"whatever.txt", regular, ARTICLE),
        (b"./.hidden.txt", regular, ARTICLE),
    ]);
    write(dir.path(), "x.tar", &archive);
    let run = corpus_in(dir.path(), &["parse", "--strict", "x.tar"], None);
    assert_eq!(ids(&run), ["a", "b", "up", "x", "pax"], "{}", run.stderr);
    insta::assert_snapshot!(run.stderr, @r#"
    warning: x.tar/up.txt: member path "../up.txt" leaves the archive; read as "up.txt"
    warning: x.tar/x.txt: member path "a/../../x.txt" leaves the archive; read as "x.txt"
    warning: x.tar/pax.txt: member path "../pax.txt" leaves the archive; read as "pax.txt"
    parsed 5 documents, 3 problems (0 rejected)
    "#);
    assert_eq!(run.code, 1, "warnings fail --strict");
    let run = corpus_in(dir.path(), &["parse", "x.tar"], None);
    assert_eq!(run.code, 0);
}

// 2. CSV quotes.

#[test]
fn an_unclosed_csv_quote_is_a_problem_on_the_line_it_opened() {
    let dir = temp();
    let unclosed = b"id,text\nr0,Fine row.\nr1,\"Unclosed\nr2,Second row.\nr3,Third row.\n";
    let (run, ids) = parse_strict(dir.path(), "r.csv", unclosed);
    assert_eq!((run.code, ids), (1, vec!["r0".into()]));
    insta::assert_snapshot!(run.stderr, @"
    error: r.csv:3: unclosed quote: the quoted field opened on line 3 runs to the end of the file; its row (and every row after it) was not read
    parsed 1 document, 1 problem (1 rejected)
    ");
    // Closed quotes, doubled quotes and quoted line breaks are fine, to the last byte.
    let quoted = b"id,text\nq1,\"say \"\"hi\"\"\nthen go.\"\nq2,\"last, no newline\"";
    let (run, ids) = parse_strict(dir.path(), "ok.csv", quoted);
    assert_eq!((run.code, ids), (0, vec!["q1".into(), "q2".into()]));
}

// 3. BOM in JSON Lines.

#[test]
fn a_bom_before_the_first_json_line_is_dropped() {
    let dir = temp();
    let bom =
        b"\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"First.\"}\n{\"id\":\"b\",\"text\":\"Second.\"}\n";
    let (run, read) = parse_strict(dir.path(), "b.jsonl", bom);
    assert_eq!((run.code, read), (0, vec!["a".into(), "b".into()]));
    // On standard input too, where the format is told by content.
    let run = corpus_in(
        dir.path(),
        &["parse", "--strict", "-"],
        Some(b"\xEF\xBB\xBF{\"id\":\"s\",\"text\":\"Piped.\"}\n"),
    );
    assert_eq!((run.code, ids(&run)), (0, vec!["s".into()]));
}

// 4. Entries that used to be skipped without a word.

#[test]
fn nested_archives_and_contiguous_files_are_read_and_skips_are_named() {
    let dir = temp();
    let regular = tar::EntryType::Regular;
    let inner = tar_of(&[(b"deep.txt", regular, ARTICLE)]);
    let inner_gz = gzip(&tar_of(&[(b"deeper.txt", regular, ARTICLE)]));
    let archive = tar_of(&[
        (b"in.tar", regular, &inner),
        (b"in.tar.gz", regular, &inner_gz),
        (b"contiguous.txt", tar::EntryType::Continuous, ARTICLE),
        (b"notes.pdf", regular, b"%PDF-1.4"),
        (b"README.md", regular, b"about the data"),
        (b"LICENSE", regular, b"terms"),
        (b".git/config.txt", regular, ARTICLE),
        (b"licensed/news.txt", regular, ARTICLE),
    ]);
    write(dir.path(), "outer.tar", &archive);
    let run = corpus_in(dir.path(), &["parse", "outer.tar"], None);
    assert_eq!(
        ids(&run),
        ["deep", "deeper", "contiguous", "news"],
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stderr, @"
    warning: outer.tar/notes.pdf: skipped: not a corpus file by its name
    parsed 4 documents, 1 problem (0 rejected); skipped 1 entry that is not a corpus file
    ");
}

#[cfg(unix)]
#[test]
fn fifos_in_folders_are_skipped_with_a_warning_not_opened() {
    let dir = with_file("in/a.txt", ARTICLE);
    let fifo = dir.path().join("in/pipe.txt");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let run = corpus_in(dir.path(), &["parse", "in"], None);
    assert_eq!(ids(&run), ["a"]);
    insta::assert_snapshot!(run.stderr, @"
    warning: in/pipe.txt: skipped: not a regular file
    parsed 1 document, 1 problem (0 rejected); skipped 1 entry that is not a corpus file
    ");
}

#[test]
fn an_input_that_yields_no_document_is_a_problem() {
    let dir = temp();
    write(dir.path(), "pdfs/a.pdf", b"%PDF");
    write(dir.path(), "pdfs/README", b"about");
    write(
        dir.path(),
        "empty.tar",
        &tar_of(&[(b"x.pdf", tar::EntryType::Regular, b"%PDF")]),
    );
    let run = corpus_in(
        dir.path(),
        &["parse", "--strict", "pdfs", "empty.tar"],
        None,
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr, @"
    warning: pdfs/a.pdf: skipped: not a corpus file by its name
    error: pdfs: empty: no corpus file was found here to read
    warning: empty.tar/x.pdf: skipped: not a corpus file by its name
    error: empty.tar: empty: the archive holds no corpus file
    parsed 0 documents, 4 problems (2 rejected); skipped 2 entries that are not corpus files
    error: no document was read from the input
    ");
}

/// A run that reads no document says so and prints no table of zeros on standard output.
#[test]
fn a_run_that_reads_nothing_prints_no_table_of_zeros() {
    let dir = with_file("bad.jsonl", b"not json\n");
    for command in ["stats", "dedup"] {
        let run = corpus_in(dir.path(), &[command, "bad.jsonl"], None);
        assert_eq!(run.code, 1, "{command}: {}", run.render());
        assert_eq!(run.stdout, "", "{command}");
        assert!(
            run.stderr
                .ends_with("error: no document was read from the input\n"),
            "{command}: {}",
            run.stderr
        );
    }
}

// 5. A tar cut inside a member.

#[test]
fn a_member_cut_short_is_named_not_passed_off_as_whole() {
    let dir = temp();
    let long = ARTICLE.repeat(40);
    let archive = tar_of(&[
        (b"one.txt", tar::EntryType::Regular, ARTICLE),
        (b"two.txt", tar::EntryType::Regular, &long),
    ]);
    // The second member's header, then 700 of its 1440 bytes.
    write(dir.path(), "cut.tar", &archive[..512 * 3 + 700]);
    let run = corpus_in(dir.path(), &["parse", "cut.tar"], None);
    assert_eq!(ids(&run), ["one"]);
    insta::assert_snapshot!(run.stderr, @"
    error: cut.tar/two.txt: corrupt or truncated: the archive ends inside this member, after 700 of its 1440 bytes; what came before was kept
    parsed 1 document, 1 problem (1 rejected)
    ");
}

// 6. Silent changes.

#[test]
fn values_are_kept_as_written_and_odd_ones_are_named() {
    let dir = temp();
    write(
        dir.path(),
        "v.jsonl",
        concat!(
            "{\"id\":123456789012345678901234567890,\"text\":\"Big id.\"}\n",
            "{\"id\":\"d\",\"text\":\"First.\",\"text\":\"Second.\"}\n",
            "{\"id\":\"t\",\"text\":\"Timed.\",\"date\":\"2021-03-08 12:30:00+02:00\"}\n",
            "{\"id\":\"x\",\"text\":\"Odd date.\",\"date\":\"2021-03-08 xx\"}\n",
            "{\"id\":\"n\",\"text\":\"nul\\u0000here\"}\n",
        )
        .as_bytes(),
    );
    write(dir.path(), "n.csv", b"id,text\nc1,nul\0here\nc2,Fine.\n");
    let run = corpus_in(dir.path(), &["parse", "v.jsonl", "n.csv"], None);
    assert_eq!(
        ids(&run),
        ["123456789012345678901234567890", "d", "t", "x", "c2"]
    );
    let docs: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(
        docs[1]["text"], "Second.",
        "the last value wins, with a warning"
    );
    assert_eq!(docs[2]["date"], "2021-03-08");
    assert_eq!(
        docs[3]["date"], "2021-03-08",
        "the day is kept, with a warning"
    );
    insta::assert_snapshot!(run.stderr, @r#"
    warning: v.jsonl:2: duplicate key "text": the last value was kept
    warning: v.jsonl:4: field "date": date "2021-03-08 xx" has text after the day that is not a time; the day was kept
    error: v.jsonl:5: binary: the text holds a NUL byte (its line 1, character 4), not text
    error: n.csv:2: binary: the text holds a NUL byte (its line 1, character 4), not text
    parsed 5 documents, 4 problems (2 rejected)
    "#);
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_stay_apart() {
    use std::os::unix::ffi::OsStrExt;
    let dir = temp();
    fs::create_dir(dir.path().join("in")).expect("folder");
    for name in [&b"caf\xE9.txt"[..], b"caf\xE8.txt"] {
        let path = dir
            .path()
            .join("in")
            .join(std::ffi::OsStr::from_bytes(name));
        fs::write(path, ARTICLE).expect("fixture");
    }
    let run = corpus_in(dir.path(), &["parse", "in"], None);
    let paths: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            let doc: serde_json::Value = serde_json::from_str(l).expect("JSON");
            format!("{} {}", doc["id"], doc["origin"]["path"])
        })
        .collect();
    assert_eq!(
        paths,
        [
            r#""caf\\xE8" "in/caf\\xE8.txt""#,
            r#""caf\\xE9" "in/caf\\xE9.txt""#
        ]
    );
}

#[test]
fn lone_carriage_returns_end_lines() {
    let dir = with_file(
        "mac.txt",
        b" date 2021-03-08 First paragraph.\r\rSecond paragraph,\rstill the second.\r\rRead: A story\r",
    );
    let run = corpus_in(dir.path(), &["parse", "mac.txt"], None);
    let doc: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("JSON");
    let kinds: Vec<&str> = doc["blocks"]
        .as_array()
        .expect("blocks")
        .iter()
        .map(|b| b["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["paragraph", "paragraph", "related_link"]);
}

// 7. Records longer than the limit.

#[test]
fn records_longer_than_the_limit_are_problems_and_reading_goes_on() {
    let dir = temp();
    let long_text = "word ".repeat(400);
    write(
        dir.path(),
        "long.txt",
        format!(" date 2021-03-08 {long_text}").as_bytes(),
    );
    write(dir.path(), "short.txt", ARTICLE);
    write(
        dir.path(),
        "lines.jsonl",
        format!(
            "{{\"id\":\"long\",\"text\":\"{long_text}\"}}\n{{\"id\":\"after\",\"text\":\"Short.\"}}\n"
        )
        .as_bytes(),
    );
    write(
        dir.path(),
        "rows.csv",
        format!("id,text\nok,Short.\nlong,\"{long_text}\"\nlater,Later.\n").as_bytes(),
    );
    // A quote left open: the row would run to the end of a file of any size.
    write(
        dir.path(),
        "runaway.csv",
        format!("id,text\nr,\"{}", long_text.repeat(40)).as_bytes(),
    );
    write(dir.path(), "bomb.txt.gz", &gzip(&vec![b'a'; 1 << 20]));
    let args = [
        "parse",
        "--max-record-bytes",
        "1K",
        "long.txt",
        "short.txt",
        "lines.jsonl",
        "rows.csv",
        "runaway.csv",
        "bomb.txt.gz",
    ];
    let run = corpus_in(dir.path(), &args, None);
    assert_eq!(ids(&run), ["short", "after", "ok", "later"]);
    insta::assert_snapshot!(run.stderr, @"
    error: long.txt: article longer than 1024 bytes (--max-record-bytes); left out
    error: lines.jsonl:1: JSON line longer than 1024 bytes (--max-record-bytes); left out
    error: rows.csv:3: CSV row longer than 1024 bytes (--max-record-bytes); left out
    error: runaway.csv:2: CSV row longer than 1024 bytes (--max-record-bytes), perhaps a quote left open; it runs to the end of the file, which was not read
    error: bomb.txt.gz: article longer than 1024 bytes (--max-record-bytes); left out
    parsed 4 documents, 5 problems (5 rejected)
    ");
    let run = corpus_in(
        dir.path(),
        &["parse", "--max-record-bytes", "0", "short.txt"],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}

// 8. Problems are streamed, not held.

#[test]
fn problems_are_all_written_and_counted_by_kind() {
    let dir = temp();
    let mut lines = "{}\n".repeat(2500);
    lines.push_str("[1]\n{\"text\":\"Kept.\"}\n");
    write(dir.path(), "bad.jsonl", lines.as_bytes());
    let run = corpus_in(
        dir.path(),
        &[
            "stats",
            "--json",
            "bad.jsonl",
            "--problems",
            "p.csv",
            "--csv",
            "reports",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in ["p.csv", "reports/problems.csv"] {
        let written = fs::read_to_string(dir.path().join(file)).expect("problems written");
        assert_eq!(written.lines().count(), 1 + 2501, "{file}");
    }
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["rejected"], 2501);
    assert_eq!(json["counts"]["documents"], 1);
    assert_eq!(json["problems"].as_array().map(Vec::len), Some(1000));
    let tail: Vec<&str> = run.stderr.lines().skip(20).collect();
    insta::assert_snapshot!(tail.join("\n"), @"
    ... and 2481 more problems (all are in p.csv); by kind: bad_json 2501
    summarised 1 document, 2501 problems (2501 rejected); reports in reports
    ");
}

// 9. Dates far apart.

#[test]
fn stray_dates_do_not_make_millions_of_rows() {
    let dir = with_file("a.txt", b" date 0001-01-01 Very old. Text.\n");
    write(dir.path(), "b.txt", b" date 9999-12-31 Very new. Text.\n");
    let run = corpus_in(
        dir.path(),
        &["stats", ".", "--csv", "out", "--per-day", "-q"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dates = fs::read_to_string(dir.path().join("out/dates.csv")).expect("dates.csv");
    insta::assert_snapshot!(dates, @"
    granularity,period,documents,words
    year,0001,1,3
    year,9999,1,3
    month,0001-01,1,3
    month,9999-12,1,3
    day,0001-01-01,1,3
    day,9999-12-31,1,3
    ");
}

// 10. Huge values in messages.

#[test]
fn messages_quote_at_most_200_characters_of_a_value() {
    let column = "c".repeat(5000);
    let dir = with_file("h.csv", format!("id,{column}\n1,x\n").as_bytes());
    let run = corpus_in(dir.path(), &["parse", "h.csv"], None);
    let message = run.stderr.lines().next().expect("a problem");
    assert!(message.len() < 300, "{message}");
    assert!(
        message.ends_with(&format!("{}...)", "c".repeat(200))),
        "{message}"
    );
}

// 11. Option values out of range.

#[test]
fn option_values_out_of_range_are_refused_with_the_range() {
    let dir = with_file("a.txt", ARTICLE);
    for (args, says) in [
        (&["--threads", "20000", "stats", "a.txt"][..], "1..=1024"),
        (&["--threads", "0", "stats", "a.txt"], "1..=1024"),
        (
            &[
                "dedup",
                "a.txt",
                "--bands",
                "9223372036854775809",
                "--rows",
                "2",
            ],
            "at most the 128 permutations",
        ),
        (
            &["dedup", "a.txt", "--permutations", "100000000"],
            "1..=8192",
        ),
        (
            &[
                "dedup",
                "a.txt",
                "--permutations",
                "4000000000",
                "--bands",
                "1",
                "--rows",
                "1",
            ],
            "1..=8192",
        ),
        (&["dedup", "a.txt", "--ngram", "0"], "1..=64"),
        (&["dedup", "a.txt", "--threshold", "NaN"], "from 0 to 1"),
        (
            &["dedup", "a.txt", "--rewrites", "2"],
            "rewrite threshold 2 is not",
        ),
        (
            &["dedup", "a.txt", "--rewrites", "x"],
            "from 0 to 1 or none",
        ),
    ] {
        let run = corpus_in(dir.path(), args, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.render());
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
}

mod faults;
