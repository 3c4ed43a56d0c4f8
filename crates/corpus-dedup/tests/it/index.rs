//! Deduplicating day by day against an index gives each day's documents what one run over all
//! the days gives them: on the generated corpora of the staged tests (every path: exact copies
//! of near copies, copies by key, rewrites by subject, crowded buckets, undated documents), on
//! the Reuters articles split by their dates, and through the index's bytes on disk.

use std::path::PathBuf;

use corpus_core::Document;
use corpus_dedup::{
    Assignment, DedupOptions, Deduplicated, Deduplicator, Index, IndexError, IndexLock, Keep,
    Reason,
};

use crate::staged::{crowded, generated, option_sets, reuters_documents};

/// A file name in the temporary folder for this test, removed first.
pub(crate) fn temp_index(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "corpus-dedup-test-{}-{name}.idx",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    path
}

fn run(docs: &[Document], options: &DedupOptions, index: Option<&Index>) -> Deduplicated {
    let mut dedup = Deduplicator::new(options.clone())
        .expect("valid")
        .indexing();
    for d in docs {
        dedup.add(dedup.prepare(d));
    }
    match index {
        None => dedup.finish(),
        Some(index) => dedup.finish_against(index).expect("against the index"),
    }
}

/// Where one document ended up, by global numbers: its cluster's kept copy's place in the
/// whole input, its reason and similarity.
fn global(done: &Deduplicated, offset: usize) -> Vec<(usize, Reason, u64)> {
    let n = done.len();
    let archived = done.archived();
    done.result()
        .assignments
        .iter()
        .map(|a: &Assignment| {
            let cluster = match a.cluster.checked_sub(n) {
                Some(k) => archived[k].number as usize,
                None => offset + a.cluster,
            };
            (cluster, a.reason, a.similarity.to_bits())
        })
        .collect()
}

/// Feeds `days` one at a time, each against the index of those before it (updated after
/// each), and checks each day's assignments against one run over all the days in order.
fn assert_daily_is_one_run(days: &[Vec<Document>], options: &DedupOptions, what: &str) {
    assert_daily_compacted_is_one_run(days, options, None, what);
}

/// [`assert_daily_is_one_run`], the index compacted to `keep_days` after each day when asked.
fn assert_daily_compacted_is_one_run(
    days: &[Vec<Document>],
    options: &DedupOptions,
    keep_days: Option<u32>,
    what: &str,
) {
    let all: Vec<Document> = days.iter().flatten().cloned().collect();
    let one = global(&run(&all, options, None), 0);
    let path = temp_index(&what.replace([' ', ',', '.'], "-"));
    let lock = IndexLock::acquire(&path).expect("lock");
    let mut offset = 0;
    for (d, day) in days.iter().enumerate() {
        let index = (d > 0).then(|| Index::open(&path).expect("open"));
        let done = run(day, options, index.as_ref());
        let got = global(&done, offset);
        for (i, g) in got.iter().enumerate() {
            assert_eq!(
                *g,
                one[offset + i],
                "{what}, day {d}, document {i} ({:?})",
                day[i].id
            );
        }
        let mut info = done.write_index(&lock, index.as_ref()).expect("write");
        if let Some(keep) = keep_days {
            let before = info.bytes;
            info = Index::open(&path)
                .expect("open")
                .compact(&lock, keep)
                .expect("compact");
            assert!(
                info.bytes <= before,
                "{what}: {} bytes from {before}",
                info.bytes
            );
            info.generation -= 1;
        }
        offset += day.len();
        assert_eq!(info.documents, offset as u64);
        if keep_days.is_none() {
            assert_eq!(info.generation, d as u64 + 1);
        }
    }
    let index = Index::open(&path).expect("open");
    let parts = index.verify().expect("verify");
    assert_eq!(parts.records, index.info().records);
    let sum = parts.headers
        + parts.hashes
        + parts.facts
        + parts.signatures
        + parts.identities
        + parts.bands
        + parts.paths;
    // The parts add up to the segments: the file but its header and trailer.
    let frame = 23 + 24 + 200 + 48 * index.info().segments as u64;
    assert!(
        sum < index.info().bytes && sum + frame > index.info().bytes,
        "{parts:?}"
    );
    drop(lock);
    let _ = std::fs::remove_file(&path);
}

/// The documents in the order one run visits them with `keep`, cut into `n` days.
fn days_of(mut docs: Vec<Document>, keep: Keep, n: usize) -> Vec<Vec<Document>> {
    if keep == Keep::Earliest {
        // Undated documents last, as one run visits them: the last day holds them.
        docs.sort_by_key(|d| (d.date.is_none(), d.date));
    }
    let size = docs.len().div_ceil(n);
    docs.chunks(size).map(<[Document]>::to_vec).collect()
}

#[test]
fn a_day_against_the_index_is_decided_as_in_one_run() {
    for seed in [1, 2, 3] {
        let docs = generated(seed, 150);
        for (what, options) in option_sets() {
            if options.keep == Keep::Longest {
                continue;
            }
            for n in [2, 5] {
                let days = days_of(docs.clone(), options.keep, n);
                assert_daily_is_one_run(&days, &options, &format!("seed {seed} {what} {n}"));
            }
        }
    }
}

/// Compacted to the window after every day, the index still gives one run's decisions to
/// documents dated on or after its last date: the near-copy data it dropped is out of their
/// reach. (Undated documents, in reach of every archived one, are left out.)
#[test]
fn a_compacted_index_decides_as_one_run_for_later_days() {
    for seed in [1, 2, 3] {
        let docs: Vec<Document> = generated(seed, 150)
            .into_iter()
            .filter(|d| d.date.is_some())
            .collect();
        for (what, options) in option_sets() {
            if options.keep != Keep::Earliest || options.window_days.is_none() {
                continue;
            }
            let days = days_of(docs.clone(), options.keep, 6);
            let window = options.window_days.unwrap_or(0);
            assert_daily_compacted_is_one_run(
                &days,
                &options,
                Some(window),
                &format!("compacted seed {seed} {what}"),
            );
        }
    }
    // The Reuters articles by day, compacted to the window each day.
    let Some(docs) = reuters_documents() else {
        return;
    };
    let mut docs: Vec<Document> = docs.into_iter().filter(|d| d.date.is_some()).collect();
    docs.sort_by_key(|d| d.date);
    let mut days: Vec<Vec<Document>> = Vec::new();
    for d in docs {
        match days.last_mut() {
            Some(day) if day[0].date == d.date => day.push(d),
            _ => days.push(vec![d]),
        }
    }
    assert_daily_compacted_is_one_run(&days, &DedupOptions::news(), Some(3), "reuters compacted");
}

/// Crowded buckets: the last 64 documents of a bucket that an archived near copy holds a
/// place in are the ones one run scans.
#[test]
fn crowded_buckets_are_scanned_as_in_one_run() {
    let docs = crowded(20);
    for options in [DedupOptions::web(), DedupOptions::news()] {
        // Cut inside the first day's pages, so that the archive's buckets are crowded.
        let days = vec![docs[..700].to_vec(), docs[700..].to_vec()];
        assert_daily_is_one_run(&days, &options, "crowded");
    }
}

#[test]
fn the_reuters_articles_day_by_day_are_decided_as_in_one_run() {
    let Some(mut docs) = reuters_documents() else {
        return;
    };
    docs.sort_by_key(|d| (d.date.is_none(), d.date));
    // One day each, as a daily scrape.
    let mut days: Vec<Vec<Document>> = Vec::new();
    for d in docs {
        match days.last_mut() {
            Some(day) if day[0].date == d.date => day.push(d),
            _ => days.push(vec![d]),
        }
    }
    assert!(days.len() > 50, "{} days", days.len());
    assert_daily_is_one_run(&days, &DedupOptions::news(), "reuters by day");
}

#[test]
fn an_index_of_other_options_is_refused_by_name() {
    let docs = generated(4, 30);
    let path = temp_index("options");
    let lock = IndexLock::acquire(&path).expect("lock");
    run(&docs, &DedupOptions::news(), None)
        .write_index(&lock, None)
        .expect("write");
    let index = Index::open(&path).expect("open");
    let mut dedup = Deduplicator::new(DedupOptions::web()).expect("valid");
    dedup.add(dedup.prepare(&docs[0]));
    let err = dedup.finish_against(&index).expect_err("other options");
    assert!(matches!(err, IndexError::Options { .. }), "{err}");
    assert!(
        err.to_string().contains("ngram: 2 in the index, 5 here"),
        "{err}"
    );
    // A second writer is refused while the first holds the lock.
    let second = IndexLock::acquire(&path).expect_err("locked");
    assert!(matches!(second, IndexError::Locked { .. }), "{second}");
    drop(lock);
    IndexLock::acquire(&path).expect("free again");
    let _ = std::fs::remove_file(&path);
}
