//! Ids are unique within a run: a file whose stem an earlier file had is named by its path in
//! the input, and a document whose id an earlier one had is a warning.

use corpus_core::ProblemKind;
use corpus_parser::{Input, NoProgress, ReadOptions, read_documents, read_parallel};

use crate::read_all;

fn ids(inputs: &[Input]) -> Vec<String> {
    read_all(inputs)
        .into_iter()
        .filter_map(|p| p.document.map(|d| d.id))
        .collect()
}

#[test]
fn files_that_share_a_stem_are_named_by_their_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in [
        ("business/001.txt", "Shares rose."),
        ("sport/001.txt.gz", "The match was drawn."),
        ("sport/002.txt", "Rain stopped play."),
        ("wire/items.jsonl", "{\"text\": \"No id here.\"}\n"),
        ("more/items.jsonl", "{\"text\": \"Nor here.\"}\n"),
    ] {
        let bytes = if path.ends_with(".gz") {
            crate::gzip(text.as_bytes())
        } else {
            text.as_bytes().to_vec()
        };
        crate::write_file(dir.path(), path, &bytes);
    }
    let got = ids(&[Input::Path(dir.path().to_path_buf())]);
    // Folders in file-name order: business, more, sport, wire.
    assert_eq!(got, ["001", "items:1", "sport/001", "002", "wire/items:1"]);
}

#[test]
fn an_archive_takes_no_name_from_the_documents() {
    // `news.zip` and `news.tar` hold documents; neither is one, so `news.txt` keeps its stem.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("a.txt", zip::write::SimpleFileOptions::default())
        .expect("an entry");
    std::io::Write::write_all(&mut zip, b"In the zip.").expect("written");
    let zip = zip.finish().expect("finished").into_inner();
    std::fs::write(dir.path().join("1-news.zip"), zip).expect("written");
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(11);
    header.set_cksum();
    tar.append_data(&mut header, "b.txt", &b"In the tar."[..])
        .expect("a member");
    std::fs::write(
        dir.path().join("2-news.tar"),
        tar.into_inner().expect("built"),
    )
    .expect("written");
    std::fs::create_dir(dir.path().join("3")).expect("made");
    std::fs::write(dir.path().join("3/1-news.txt"), "Beside them.").expect("written");
    std::fs::write(dir.path().join("3/2-news.txt"), "And this one.").expect("written");
    let got = ids(&[Input::Path(dir.path().to_path_buf())]);
    assert_eq!(got, ["a", "b", "1-news", "2-news"]);
}

#[test]
fn a_document_whose_id_an_earlier_one_had_is_a_warning() {
    let lines = b"{\"id\": \"a\", \"text\": \"One.\"}\n{\"id\": \"b\", \"text\": \"Two.\"}\n{\"id\": \"a\", \"text\": \"Three.\"}\n";
    let inputs = [Input::Memory {
        name: "d.jsonl".into(),
        bytes: lines.to_vec(),
    }];
    let parsed = read_all(&inputs);
    assert_eq!(parsed.len(), 3, "the document is kept");
    let again = "id \"a\" was an earlier document's too";
    crate::assert_one_problem(&parsed, ProblemKind::Suspect, Some(3), again);

    let mut problems = Vec::new();
    read_parallel(
        &inputs,
        &ReadOptions::default(),
        &NoProgress,
        |_| (),
        |batch| {
            problems.extend(batch.problems);
            Ok::<(), ()>(())
        },
    )
    .expect("never fails");
    assert_eq!(problems, parsed[2].problems, "the same warning in parallel");

    let mut unchecked = ReadOptions::default();
    unchecked.check_ids = false;
    let mut quiet = Vec::new();
    read_documents(&inputs, &unchecked, &mut |p| quiet.extend(p.problems));
    assert!(quiet.is_empty(), "check_ids off: {quiet:?}");
}
