//! The two-pass workflow: `Deduplicator` (fingerprints in input order, clusters, repeated
//! blocks over kept copies), the clusters rows, and `KeptCopies` (the second pass, matched by
//! id and origin, stripping repeated blocks with their kinds kept).

use corpus_core::{BlockKind, Document};
use corpus_dedup::{DedupOptions, Deduplicator, Fingerprinter, Reason};

use crate::STORY;

/// A document of `parts` (kind, text) separated by blank lines.
fn made(id: &str, date: &str, parts: &[(BlockKind, &str)]) -> Document {
    let mut doc = Document::from_blocks(id, format!("{id}.txt"), parts.iter().copied());
    doc.date = corpus_core::Date::parse(date).ok();
    doc
}

const FOOTER: &str = "Subscribe to our newsletter for the day's top stories";
const OTHER: &str = "The city council approved a new budget for road repairs on Monday, with \
    most of the money going to bridges in the northern districts, the mayor's office said.";
const THIRD: &str = "A late frost damaged apple orchards across the valley this week, and \
    growers expect the harvest to fall by a third compared with last year.";

fn corpus() -> Vec<Document> {
    use BlockKind::{Heading, Paragraph, RelatedLink};
    vec![
        made(
            "a",
            "2021-03-08",
            &[
                (Heading, "Miners rescued"),
                (Paragraph, STORY),
                (Paragraph, FOOTER),
            ],
        ),
        made(
            "b",
            "2021-03-09",
            &[(Paragraph, STORY), (RelatedLink, "Read: Earlier")],
        ),
        made(
            "c",
            "2021-03-08",
            &[(Paragraph, OTHER), (Paragraph, FOOTER)],
        ),
        made(
            "d",
            "2021-03-10",
            &[(Paragraph, THIRD), (Paragraph, FOOTER)],
        ),
    ]
}

#[test]
fn two_passes_give_the_clusters_the_kept_copies_and_their_boilerplate() {
    let docs = corpus();
    let mut dedup = Deduplicator::new(DedupOptions::news())
        .expect("valid")
        .count_repeated_blocks(3);
    let preparer = dedup.preparer();
    for d in &docs {
        dedup.add(preparer.prepare(d));
    }
    assert_eq!(dedup.len(), 4);
    let done = dedup.finish();
    let rows: Vec<(&str, &str, Reason)> = done
        .cluster_rows()
        .iter()
        .map(|r| (r.cluster, r.document, r.reason))
        .collect();
    assert_eq!(rows, [("a", "a", Reason::Kept), ("a", "b", Reason::Near)]);
    assert_eq!(done.cluster_rows()[1].path, "b.txt");
    let fields = done.cluster_rows()[1].fields();
    assert_eq!(fields[..3], ["a", "b", "false"]);
    assert_eq!(fields[4..], ["near", "2021-03-09", "b.txt", ""]);
    // b's body is all in a's: contained whole, though not an exact copy.
    assert_eq!(fields[3], "1.0000");
    assert_eq!(
        done.cluster_rows()[0].fields()[2..],
        ["true", "1.0000", "kept", "2021-03-08", "a.txt", ""]
    );

    let mut kept = done.kept_copies(true);
    let mut out = Vec::new();
    for d in docs {
        out.extend(kept.next(d).expect("the same input"));
    }
    assert_eq!(kept.stripped(), 3, "the footer of a, c and d");
    let repeated = kept.finish().expect("every document came again");
    assert_eq!(repeated.len(), 1);
    assert_eq!(
        (repeated[0].text.as_str(), repeated[0].count.documents),
        (FOOTER, 3)
    );
    let ids: Vec<&str> = out.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a", "c", "d"]);
    // Stripped, a keeps its heading as a heading: kinds are not guessed again.
    let a = &out[0];
    let kinds: Vec<BlockKind> = a.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(kinds, [BlockKind::Heading, BlockKind::Paragraph]);
    assert_eq!(a.block_text(&a.blocks[1]), STORY);
    assert!(!a.text.contains(FOOTER));
}

#[test]
fn repeated_blocks_are_counted_over_kept_copies_only() {
    // The story is in a and b, but b is a copy: its paragraphs are no boilerplate.
    let mut dedup = Deduplicator::new(DedupOptions::news())
        .expect("valid")
        .count_repeated_blocks(2);
    for d in &corpus() {
        dedup.add(dedup.prepare(d));
    }
    let done = dedup.finish();
    let repeated = done.repeated().expect("counted").repeated();
    assert_eq!(repeated.len(), 1, "only the footer: {repeated:?}");
}

#[test]
fn a_second_pass_over_other_input_is_an_error() {
    let docs = corpus();
    let mut dedup = Deduplicator::new(DedupOptions::web()).expect("valid");
    for d in &docs {
        dedup.add(dedup.prepare(d));
    }
    let done = dedup.finish();

    let mut kept = done.kept_copies(false);
    let mut other = docs.clone();
    other.swap(1, 2);
    assert!(kept.next(other[0].clone()).is_ok());
    let err = kept.next(other[1].clone()).expect_err("c where b was");
    assert!(err.to_string().contains("document 2 was \"b\""), "{err}");

    let mut kept = done.kept_copies(false);
    for d in docs.iter().take(3).cloned() {
        kept.next(d).expect("the same documents so far");
    }
    let err = kept.finish().expect_err("one document short");
    assert!(err.to_string().contains("4 documents, then 3"), "{err}");

    let mut kept = done.kept_copies(false);
    for d in docs.iter().cloned() {
        kept.next(d).expect("the same documents");
    }
    assert!(kept.next(docs[0].clone()).is_err(), "one document more");
}

#[test]
fn a_fingerprint_from_text_is_the_documents() {
    let options = DedupOptions::news();
    let f = Fingerprinter::new(&options);
    for d in corpus() {
        let from_text = f.fingerprint_titled(d.title(), d.body(), d.date, None);
        assert_eq!(from_text, f.fingerprint(&d), "{}", d.id);
    }
}

#[test]
fn a_deduplicator_refuses_options_that_cannot_work() {
    let mut options = DedupOptions::news();
    options.threshold = 1.5;
    let err = Deduplicator::new(options).expect_err("threshold above 1");
    assert!(err.to_string().contains("1.5"), "{err}");
}

/// The copies as a set a later read asks in any order: what `--dedup` leaves out of a view or
/// a report, found by where each document was read.
#[test]
fn the_copies_are_known_by_where_they_were_read() {
    let docs = corpus();
    let mut dedup = Deduplicator::new(DedupOptions::news()).expect("valid");
    let preparer = dedup.preparer();
    for d in &docs {
        dedup.add(preparer.prepare(d));
    }
    let copies = dedup.finish().copies();
    assert_eq!(copies.len(), 1);
    let left_out: Vec<&str> = docs
        .iter()
        .rev()
        .filter(|d| copies.contains(d))
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(left_out, ["b"]);
    // The same id read from another file, or another line of it, is another document.
    let mut elsewhere = docs[1].clone();
    elsewhere.origin.path = "c.txt".into();
    assert!(!copies.contains(&elsewhere));
    let mut later = docs[1].clone();
    later.origin.line = Some(7);
    assert!(!copies.contains(&later));
    // A reference corpus's copies, deduplicated on their own, join the set.
    let mut both = copies.clone();
    both.merge(copies);
    assert_eq!(both.len(), 1);
}
