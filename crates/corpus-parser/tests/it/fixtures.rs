//! One snapshot per fixture under `testdata/parser`: the documents (their canonical JSON) and
//! problems the library reads from it, as one pretty JSON value (not `corpus parse`'s JSON
//! Lines).

use std::path::Path;

use corpus_parser::Input;

use crate::{assert_spans, read_all};

/// Whether this build reads the fixture: Parquet needs the `parquet` feature.
fn read_here(path: &Path) -> bool {
    cfg!(feature = "parquet") || path.extension().is_none_or(|e| e != "parquet")
}

/// Reads one fixture under the name `<folder>/<file>`, so snapshots do not depend on where the
/// checkout is, and renders its documents (canonical JSON) and problems.
fn render(path: &Path) -> (String, usize, usize) {
    assert!(read_here(path), "{}: not for this build", path.display());
    let folder = path
        .parent()
        .and_then(Path::file_name)
        .unwrap_or_default()
        .to_string_lossy();
    let file = path.file_name().unwrap_or_default().to_string_lossy();
    let bytes = std::fs::read(path).expect("fixture is readable");
    let results = read_all(&[Input::Memory {
        name: format!("{folder}/{file}"),
        bytes,
    }]);
    let documents: Vec<_> = results.iter().filter_map(|p| p.document.as_ref()).collect();
    let problems: Vec<_> = crate::problems_in(&results);
    for doc in &documents {
        assert_spans(doc);
    }
    let value = serde_json::json!({ "documents": documents, "problems": problems });
    let rendered = serde_json::to_string_pretty(&value).expect("documents serialise");
    (rendered, documents.len(), problems.len())
}

/// A fixture rendered, checked against its folder: an `ok` fixture has documents and no
/// problem, a `problems` fixture a problem at least. `None` when this build does not read it.
fn checked(path: &Path, ok: bool) -> Option<String> {
    if !read_here(path) {
        return None;
    }
    let (rendered, documents, problems) = render(path);
    let (holds, what) = if ok {
        (documents > 0 && problems == 0, "documents and no problem")
    } else {
        (problems > 0, "a problem")
    };
    assert!(holds, "{}: not {what}:\n{rendered}", path.display());
    Some(rendered)
}

#[test]
fn ok_fixtures() {
    insta::glob!("../../../../testdata/parser", "ok/*", |path| {
        if let Some(rendered) = checked(path, true) {
            insta::assert_snapshot!(rendered);
        }
    });
}

#[test]
fn problem_fixtures() {
    insta::glob!("../../../../testdata/parser", "problems/*", |path| {
        if let Some(rendered) = checked(path, false) {
            insta::assert_snapshot!(rendered);
        }
    });
}

#[test]
fn seed_article() {
    let Some(seed) = crate::shared::seed() else {
        return;
    };
    let path = seed.join("000_1a5c6e53506a3daa.txt");
    let results = read_all(&[Input::Path(path)]);
    assert_eq!(results.len(), 1);
    assert!(results[0].problems.is_empty(), "{:?}", results[0].problems);
    let mut doc = results[0].document.clone().expect("the seed parses");
    assert_spans(&doc);
    assert_eq!(doc.id, "000_1a5c6e53506a3daa");
    assert_eq!(
        doc.date.map(|d| d.to_string()).as_deref(),
        Some("2021-03-08")
    );
    let count = |kind| doc.blocks.iter().filter(|b| b.kind == kind).count();
    use corpus_core::BlockKind::*;
    assert_eq!(
        (
            count(Paragraph),
            count(RelatedLink),
            count(Heading),
            count(ImageCredit)
        ),
        (4, 4, 1, 1)
    );
    assert_eq!(
        doc.blocks_of(Heading).collect::<Vec<_>>(),
        ["US can 'strike' anytime"]
    );
    assert_eq!(doc.image_credits().collect::<Vec<_>>(), ["AP"]);
    assert_eq!(
        doc.related_links().next(),
        Some("B-52s Again Fly Over Mideast In US Military Warning To Iran")
    );
    doc.origin.path = "seed/000_1a5c6e53506a3daa.txt".into();
    insta::assert_snapshot!(serde_json::to_string_pretty(&doc).expect("serialises"));
}
