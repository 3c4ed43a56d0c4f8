//! The real corpora in `../shared/data`: counts, dates and problems the issue pins.

use std::collections::HashSet;

use corpus_core::{BlockKind, Date, ProblemKind};
use corpus_parser::{Input, Parsed};

use crate::{assert_spans, read_all};

/// `shared/data/<rel>` as an input, `None` when the corpora are not there.
fn data(rel: &str) -> Option<Input> {
    crate::shared::data(rel).map(Input::Path)
}

fn split(results: Vec<Parsed>) -> (Vec<corpus_core::Document>, Vec<corpus_core::Problem>) {
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for p in results {
        docs.extend(p.document);
        problems.extend(p.problems);
    }
    (docs, problems)
}

#[test]
fn reuters_articles_and_json_lines_agree() {
    let Some(articles) = data("reuters21578/reuters-articles.tar.gz") else {
        return;
    };
    let (docs, problems) = split(read_all(&[articles]));
    assert!(
        problems.is_empty(),
        "{:?}",
        &problems[..problems.len().min(5)]
    );
    assert_eq!(docs.len(), 19_043);
    let (first, last) = (
        Date::parse("1987-02-26").unwrap(),
        Date::parse("1987-10-20").unwrap(),
    );
    for doc in &docs {
        assert_spans(doc);
        let date = doc.date.unwrap_or_else(|| panic!("{} has no date", doc.id));
        assert!(first <= date && date <= last, "{} is dated {date}", doc.id);
    }
    assert_eq!(
        docs.iter().map(|d| &d.id).collect::<HashSet<_>>().len(),
        19_043,
        "ids are unique"
    );

    // The JSON Lines form holds all 21,578 records; those without a body are rejected as empty.
    let Some(lines) = data("reuters21578/reuters.jsonl.gz") else {
        return;
    };
    let (json_docs, json_problems) = split(read_all(&[lines]));
    assert_eq!(json_docs.len(), 19_043);
    assert_eq!(json_problems.len(), 21_578 - 19_043);
    assert!(
        json_problems
            .iter()
            .all(|p| p.kind == ProblemKind::Empty && p.line.is_some())
    );
    for (a, j) in docs.iter().zip(&json_docs) {
        assert_eq!(a.id, j.id);
        assert_eq!(a.date, j.date, "{}", a.id);
        let blocks = |d: &corpus_core::Document| {
            d.blocks
                .iter()
                .map(|b| (b.kind, d.block_text(b).to_owned()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            blocks(a),
            blocks(j),
            "{}: the article and the JSON line differ",
            a.id
        );
    }
}

#[test]
fn bbc_raw_folder_has_one_invalid_utf8_file() {
    let Some(bbc) = data("bbc/bbc-fulltext.tar.gz") else {
        return;
    };
    let (docs, problems) = split(read_all(&[bbc]));
    assert_eq!(docs.len(), 2_225, "README.TXT is not an article");
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = &problems[0];
    assert_eq!(p.kind, ProblemKind::InvalidUtf8);
    assert!(p.path.ends_with("bbc/sport/199.txt"), "{}", p.path);
    assert!(p.line.is_some() && p.column.is_some());
    let kept = docs
        .iter()
        .find(|d| d.origin.path == p.path)
        .expect("the document is kept");
    assert!(kept.text.contains('\u{FFFD}'));
    for doc in &docs {
        assert_spans(doc);
        assert!(doc.date.is_none());
    }
    // The headline line is a heading in nearly every article.
    let headed = docs
        .iter()
        .filter(|d| d.blocks[0].kind == BlockKind::Heading)
        .count();
    assert!(
        headed > 2_150,
        "only {headed} of 2,225 headlines are headings"
    );
}
