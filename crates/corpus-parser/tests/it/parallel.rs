//! `read_parallel`: the same results as reading on one thread, in input order, at any pool
//! size; progress that counts a folder's real bytes; a consumer's error that stops reading.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use corpus_parser::{Flow, Input, NoProgress, Progress, ReadOptions, read_parallel};

use crate::read_all;

/// Every fixture, ok and problematic, plus a JSON Lines file long enough to make several
/// batches.
fn inputs() -> Vec<Input> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/parser");
    let mut lines = String::new();
    for i in 0..5_000 {
        lines.push_str(&format!(
            "{{\"id\": \"n{i}\", \"text\": \"Story {i} of the day.\"}}\n"
        ));
        if i % 997 == 0 {
            lines.push_str("not json\n");
        }
    }
    vec![
        Input::Path(root.join("ok")),
        Input::Memory {
            name: "many.jsonl".into(),
            bytes: lines.into_bytes(),
        },
        Input::Path(root.join("problems")),
    ]
}

/// The ids and problems `read_parallel` hands over, in the order it hands them, on a pool of
/// `threads`.
fn parallel(threads: usize) -> (Vec<String>, Vec<String>) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a pool");
    pool.install(|| {
        let (mut ids, mut problems) = (Vec::new(), Vec::new());
        read_parallel(
            &inputs(),
            &ReadOptions::default(),
            &NoProgress,
            |doc| doc.id,
            |batch| {
                problems.extend(batch.problems.iter().map(|p| format!("{p:?}")));
                ids.extend(batch.results);
                Ok::<(), ()>(())
            },
        )
        .expect("never fails");
        (ids, problems)
    })
}

#[test]
fn results_come_in_input_order_at_any_thread_count() {
    let sequential = read_all(&inputs());
    let ids: Vec<String> = sequential
        .iter()
        .filter_map(|p| p.document.as_ref().map(|d| d.id.clone()))
        .collect();
    let problems: Vec<String> = sequential
        .iter()
        .flat_map(|p| p.problems.iter().map(|p| format!("{p:?}")))
        .collect();
    assert!(
        ids.len() > 5_000 && problems.len() > 5,
        "{} {}",
        ids.len(),
        problems.len()
    );
    for threads in [1, 2, 5] {
        let (got_ids, got_problems) = parallel(threads);
        assert_eq!(got_ids, ids, "documents at {threads} threads");
        // Problems come batch by batch: the same ones, in input order.
        assert_eq!(got_problems, problems, "problems at {threads} threads");
    }
}

#[derive(Default)]
struct Counted {
    inputs: Mutex<Vec<String>>,
    documents: AtomicU64,
    bytes: AtomicU64,
}

impl Progress for Counted {
    fn input(&self, name: &str) {
        self.inputs
            .lock()
            .expect("not poisoned")
            .push(name.to_owned());
    }

    fn batch(&self, documents: u64, bytes: u64) {
        self.documents.fetch_add(documents, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }
}

#[test]
fn progress_counts_the_real_size_of_a_folders_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut size = 0;
    for i in 0..40 {
        let text = format!(" date 2021-03-08 Article {i} says {}.\n", "more ".repeat(i));
        size += text.len() as u64;
        std::fs::write(dir.path().join(format!("{i:03}.txt")), text).expect("written");
    }
    let progress = Counted::default();
    let inputs = [Input::Path(dir.path().to_path_buf())];
    read_parallel(
        &inputs,
        &ReadOptions::default(),
        &progress,
        |_| (),
        |_| Ok::<(), ()>(()),
    )
    .expect("never fails");
    assert_eq!(progress.documents.load(Ordering::Relaxed), 40);
    assert_eq!(
        progress.bytes.load(Ordering::Relaxed),
        size,
        "bytes of the files read"
    );
    assert_eq!(
        *progress.inputs.lock().expect("not poisoned"),
        [inputs[0].name()]
    );
}

#[test]
fn an_error_from_the_consumer_stops_the_reading() {
    let mut batches = 0;
    let result = read_parallel(
        &inputs(),
        &ReadOptions::default(),
        &NoProgress,
        |doc| doc.id,
        |_| {
            batches += 1;
            Err::<(), _>("disk full")
        },
    );
    assert_eq!(result, Err("disk full"));
    assert_eq!(batches, 1, "no batch after the error");
}

/// The reader stops at once too: the inputs after the few batches read ahead are never
/// opened, nor the rest of a big one decompressed (`corpus parse | head -1` read everything).
#[test]
fn an_error_from_the_consumer_stops_the_reader_at_once() {
    let (result, started) = stopped_by(|| Err("enough"));
    assert_eq!(result, Err("enough"));
    assert!(started <= 2, "{started} of 10 inputs opened");
}

/// A consumer that has read enough (`kwic --limit 5`) says stop: no error, and the reader
/// stops as at an error.
#[test]
fn a_consumer_that_has_enough_stops_the_reader_with_no_error() {
    let (result, started) = stopped_by(|| Ok::<Flow, &str>(Flow::Stop));
    assert_eq!(result, Ok(()));
    assert!(started <= 2, "{started} of 10 inputs opened");
    // And one that goes on reads every input.
    let (result, started) = stopped_by(|| Ok::<Flow, &str>(Flow::Continue));
    assert_eq!(result, Ok(()));
    assert_eq!(started, 10);
}

/// Reads ten gzipped inputs of four batches each with a consumer that answers each batch with
/// `answer`: the result and how many inputs were opened.
fn stopped_by(
    answer: impl Fn() -> Result<Flow, &'static str>,
) -> (Result<(), &'static str>, usize) {
    struct Started(Mutex<Vec<String>>, AtomicU64);
    impl Progress for Started {
        fn input(&self, name: &str) {
            self.0.lock().expect("not poisoned").push(name.to_owned());
        }
        fn batch(&self, documents: u64, _: u64) {
            self.1.fetch_add(documents, Ordering::Relaxed);
        }
    }
    let lines: String = (0..4_000)
        .map(|i| format!("{{\"id\": \"n{i}\", \"text\": \"Story {i} of the day.\"}}\n"))
        .collect();
    let gzipped = crate::gzip(lines.as_bytes());
    // Ten inputs of four batches each.
    let inputs: Vec<Input> = (0..10)
        .map(|k| Input::Memory {
            name: format!("day{k}.jsonl.gz"),
            bytes: gzipped.clone(),
        })
        .collect();
    let progress = Started(Mutex::new(Vec::new()), AtomicU64::new(0));
    let mut options = ReadOptions::default();
    options.check_ids = false;
    let result = read_parallel(&inputs, &options, &progress, |doc| doc.id, |_| answer());
    let started = progress.0.lock().expect("not poisoned").len();
    (result, started)
}
