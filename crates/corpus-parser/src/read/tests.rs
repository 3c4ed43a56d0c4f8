//! Unit tests of name handling in the reader.

use super::*;

#[test]
fn stems_drop_compression_and_format_extensions() {
    for (name, stemmed) in [
        ("000_1a5c6e53506a3daa.txt", "000_1a5c6e53506a3daa"),
        ("dir/news.jsonl.gz", "news"),
        ("a.v2.txt.ZST", "a.v2"),
        ("noext", "noext"),
        (".hidden", ".hidden"),
    ] {
        assert_eq!(stem(name), stemmed);
    }
}

#[test]
fn corpus_files_are_told_by_name() {
    for yes in [
        "a.txt",
        "A.TXT",
        "b.jsonl.gz",
        "c.ndjson",
        "d.csv.zst",
        "e.tar",
        "f.tgz",
        "g.tar.gz",
    ] {
        assert!(is_corpus_file(yes), "{yes}");
    }
    for no in [
        "README.TXT",
        "readme.txt",
        "LICENSE.txt",
        ".x.txt",
        "a.json",
        "b.md",
        "c.gz",
    ] {
        assert!(!is_corpus_file(no), "{no}");
    }
}

#[test]
fn io_messages_are_lowercased_but_acronyms_are_kept() {
    assert_eq!(lowercase_first("No such file"), "no such file");
    assert_eq!(lowercase_first("CSV error"), "CSV error");
}
