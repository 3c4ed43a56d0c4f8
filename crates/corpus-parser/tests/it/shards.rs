//! Sharded reads: the shards of a run, in shard order, read exactly what one run reads, with
//! the same ids (a stem another shard's file had first), the same problems, and the run's one
//! `empty` problem for an input without a corpus file, made by one shard.

use corpus_parser::{Input, Parsed, ReadOptions, Shard, read_documents};

use crate::shared;

fn read(inputs: &[Input], shard: Option<Shard>) -> Vec<Parsed> {
    let mut options = ReadOptions::default();
    options.shard = shard;
    // The duplicate-id check is a run's, not a shard's.
    options.check_ids = false;
    let mut out = Vec::new();
    read_documents(inputs, &options, &mut |p| out.push(p));
    out
}

fn assert_shards_read_the_run(inputs: &[Input], what: &str) {
    let whole = read(inputs, None);
    for count in [1, 3, 8] {
        let mut joined = Vec::new();
        for index in 0..count {
            let shard = Shard::new(index, count).expect("a shard");
            joined.extend(read(inputs, Some(shard)));
        }
        assert_eq!(joined.len(), whole.len(), "{what}: {count} shards");
        let differ = joined.iter().zip(&whole).position(|(a, b)| a != b);
        assert_eq!(
            differ.map(|i| (
                &joined[i].problems,
                joined[i].document.as_ref().map(|d| &d.id)
            )),
            None,
            "{what}: {count} shards, first difference"
        );
    }
}

#[test]
fn shards_together_read_what_one_run_reads() {
    let dir = tempfile::tempdir().expect("a folder");
    let write = |name: &str, bytes: &[u8]| crate::write_file(dir.path(), name, bytes);
    // Stems that repeat (named by their path when a file before had them, whatever shard
    // that file was read by), a file that is not a corpus file, hidden files.
    for (i, folder) in ["a", "b", "c", "d"].iter().enumerate() {
        write(
            &format!("news/{folder}/001.txt"),
            format!("Story {i}.").as_bytes(),
        );
        write(
            &format!("news/{folder}/002.jsonl"),
            b"{\"text\": \"one\"}\n{\"text\": \"two\"}\n",
        );
    }
    write("news/b/notes.md", b"not a corpus file");
    write("news/.hidden/001.txt", b"never read");
    write("news/.DS_Store", b"never read");
    write("only-notes/notes.md", b"no corpus file here");
    std::fs::create_dir_all(dir.path().join("nothing")).expect("folder");
    let root = shared::workspace_root().join("testdata/parser");
    let inputs = [
        Input::Path(dir.path().join("news")),
        Input::Path(dir.path().join("only-notes")),
        Input::Path(root.join("ok")),
        Input::Memory {
            name: "001.txt".into(),
            bytes: b"A stem the run had already.".to_vec(),
        },
        Input::Path(root.join("problems")),
        Input::Path(dir.path().join("nothing")),
        Input::Path(dir.path().join("missing.txt")),
    ];
    let whole = read(&inputs, None);
    let empty = whole
        .iter()
        .flat_map(|p| &p.problems)
        .filter(|p| p.message.starts_with("empty: no corpus file"))
        .count();
    assert_eq!(empty, 2, "only-notes and nothing");
    let ids: Vec<&str> = whole
        .iter()
        .filter_map(|p| p.document.as_ref().map(|d| d.id.as_str()))
        .collect();
    // The later 001s are named by their path, the Memory input by its whole name.
    for id in ["001", "b/001", "d/001", "001.txt"] {
        assert!(ids.contains(&id), "{id}: {ids:?}");
    }
    assert_shards_read_the_run(&inputs, "fixtures");
}

#[test]
fn shards_of_bbc_read_what_one_run_reads() {
    let Some(bbc) = shared::data("bbc/bbc-articles.tar.gz") else {
        return;
    };
    let dir = tempfile::tempdir().expect("a folder");
    let file = std::fs::File::open(&bbc).expect("readable");
    tar::Archive::new(flate2::read::GzDecoder::new(file))
        .unpack(dir.path())
        .expect("unpacked");
    // 2,225 files in five folders, not one of them read twice or left out.
    let inputs = [Input::Path(dir.path().to_owned())];
    assert_shards_read_the_run(&inputs, "BBC articles");
}

#[test]
fn big_line_files_are_read_in_parts_when_there_are_fewer_files_than_shards() {
    let dir = tempfile::tempdir().expect("a folder");
    let mut jsonl = String::new();
    for i in 0..997 {
        match i % 97 {
            // A blank line, a line that is not JSON, a line over the limit, a CRLF line.
            13 => jsonl.push('\n'),
            29 => jsonl.push_str("not json\n"),
            41 => jsonl.push_str(&format!("{{\"text\": \"{}\"}}\n", "x".repeat(3000))),
            55 => jsonl.push_str(&format!("{{\"text\": \"crlf {i}\"}}\r\n")),
            _ => jsonl.push_str(&format!("{{\"text\": \"Story {i} of the wire.\"}}\n")),
        }
    }
    jsonl.push_str("{\"text\": \"no final line feed\"}");
    std::fs::write(dir.path().join("wire.jsonl"), &jsonl).expect("written");
    std::fs::create_dir_all(dir.path().join("folder")).expect("folder");
    std::fs::write(dir.path().join("folder/a.jsonl"), &jsonl).expect("written");
    std::fs::write(dir.path().join("folder/b.txt"), "An article beside it.").expect("written");
    let lines: String = (0..300).map(|i| format!("line document {i}\n")).collect();
    std::fs::write(dir.path().join("corpus.cor"), &lines).expect("written");
    // Blanks only: the run's one `empty` problem, said by the first part; blanks, then text in
    // the last part's bytes only: no problem, and the text read once.
    let blanks = " \n\n\t\n".repeat(500);
    std::fs::write(dir.path().join("blank.jsonl"), &blanks).expect("written");
    std::fs::write(
        dir.path().join("late.jsonl"),
        format!("{blanks}{{\"text\": \"only at the end\"}}\n"),
    )
    .expect("written");
    let options = |shard, format| {
        let mut options = ReadOptions::default();
        options.shard = shard;
        options.format = format;
        options.check_ids = false;
        options.max_record_bytes = 2000;
        options
    };
    for (name, format, what) in [
        ("wire.jsonl", None, "one file"),
        ("folder", None, "a folder of two"),
        (
            "corpus.cor",
            Some(corpus_parser::Format::Lines),
            "--format lines",
        ),
        ("blank.jsonl", None, "blank lines only"),
        ("late.jsonl", None, "blank lines, then one"),
    ] {
        let inputs = [Input::Path(dir.path().join(name))];
        let read_with = |shard| {
            let mut out = Vec::new();
            read_documents(&inputs, &options(shard, format), &mut |p| out.push(p));
            out
        };
        let whole = read_with(None);
        match what {
            "blank lines only" => assert!(
                whole.len() == 1 && whole[0].problems[0].kind == corpus_core::ProblemKind::Empty,
                "{whole:?}"
            ),
            "blank lines, then one" => assert!(whole.len() == 1 && whole[0].document.is_some()),
            _ => assert!(whole.len() > 290, "{what}"),
        }
        for count in [2, 3, 8, 13] {
            let mut joined = Vec::new();
            let mut sizes = Vec::new();
            for index in 0..count {
                let part = read_with(Some(Shard::new(index, count).expect("a shard")));
                sizes.push(part.len());
                joined.extend(part);
            }
            assert_eq!(joined.len(), whole.len(), "{what}: {count} shards");
            let differ = joined.iter().zip(&whole).position(|(a, b)| a != b);
            assert_eq!(
                differ.map(|i| (&joined[i], &whole[i])),
                None,
                "{what}: {count} shards"
            );
            // The parts share the file out: no shard reads it all.
            assert!(
                whole.len() == 1 || sizes.iter().all(|&n| n < whole.len()),
                "{what}: {sizes:?}"
            );
        }
    }
}
