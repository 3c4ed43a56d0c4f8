//! Ordered parallel reading: one thread reads records in input order, the caller's rayon pool
//! parses them and runs the caller's per-document work, and the results come back in input
//! order, batch after batch.
//!
//! Memory holds at most a few batches (a few MB of input each), whatever the corpus size, and
//! because results are handed back in input order, what a caller computes from them is the same
//! at any thread count.

use std::sync::mpsc;

use corpus_core::{Document, Problem};
use rayon::prelude::*;

use crate::IdCheck;
use crate::read::{Input, ReadOptions, Record, read_inputs};

/// What the pool makes of one record: the mapped document with what the id check needs of
/// it, the record's problems, the bytes it held, and whether the selection left it out.
type Parsed<T> = (Option<(T, Option<Document>)>, Vec<Problem>, usize, bool);

/// What the id check needs of a document: its id and origin, not its text.
fn id_only(doc: &Document) -> Document {
    let mut only = Document::new(doc.id.clone(), doc.origin.path.clone(), String::new());
    only.origin.line = doc.origin.line;
    only
}

/// Bytes of input gathered before a batch is handed to the pool.
const BATCH_BYTES: usize = 1 << 20;
/// Records gathered before a batch is handed to the pool, whatever their size.
const BATCH_RECORDS: usize = 1024;
/// Batches read ahead of the workers.
const BATCHES_AHEAD: usize = 2;

/// Told how far [`read_parallel`] has got, for a progress bar or a log.
///
/// Calls come from the reading thread ([`Progress::input`]) and from the thread that consumes
/// the batches ([`Progress::batch`]), so an implementation must be [`Sync`]. Every method does
/// nothing by default.
pub trait Progress: Sync {
    /// Reading of one of the inputs given began (`name` as it appears in origins and
    /// problems: a path, `-`, a [`Input::Memory`] name). The reader runs a few batches ahead of
    /// the documents reported by [`Progress::batch`].
    fn input(&self, name: &str) {
        let _ = name;
    }

    /// A batch was parsed: `documents` documents (problems aside) from `bytes` bytes of
    /// input, decompressed. The files of a folder count their real size.
    fn batch(&self, documents: u64, bytes: u64) {
        let _ = (documents, bytes);
    }
}

/// A [`Progress`] that reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// What the consumer of [`read_parallel`] says after a batch, as ripgrep's walker's visitors
/// do: go on, or stop reading (`()` is [`Flow::Continue`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flow {
    /// Read on.
    #[default]
    Continue,
    /// Stop reading: what was wanted is found.
    Stop,
}

impl From<()> for Flow {
    fn from((): ()) -> Flow {
        Flow::Continue
    }
}

/// One batch of results, in input order.
#[derive(Debug)]
pub struct Batch<T> {
    /// The problems of the batch's records, in input order: warnings about its documents and
    /// the inputs that were rejected.
    pub problems: Vec<Problem>,
    /// What `map` made of each document of the batch, in input order.
    pub results: Vec<T>,
    /// For each result, how many of `problems` come before its document's duplicate-id warning
    /// (its own problems and those of the records before it), so that a caller who checks ids
    /// itself, across the shards of a run, can put its warnings where one run puts them.
    pub problems_before: Vec<usize>,
    /// How many documents of the batch [`ReadOptions::select`](crate::ReadOptions) left out.
    pub left_out: u64,
}

/// Reads `inputs` on a thread of its own, parses the records of each batch on the current
/// rayon pool, applies `map` to each document in the task that parsed it (while its text is
/// still in the processor's cache), and hands each batch to `consume` on the calling thread,
/// batch after batch, in input order.
///
/// `consume` may use the pool itself. It returns `Ok(())` (or [`Flow::Continue`]) to go on,
/// [`Flow::Stop`] to end the read there (enough was read: the reader stops at once, and
/// `read_parallel` returns `Ok`), or an error, which ends the read the same way and is
/// returned. Read to the end, every input ends up in the results or in the problems, as with
/// [`read`](crate::read).
///
/// # Example
///
/// ```
/// use corpus_parser::{Input, NoProgress, ReadOptions, read_parallel};
///
/// let inputs = [Input::Memory {
///     name: "wire.jsonl".into(),
///     bytes: b"{\"id\": \"a\", \"text\": \"One two three.\"}\nnot json\n".to_vec(),
/// }];
/// let mut words = Vec::new();
/// let mut problems = Vec::new();
/// read_parallel(
///     &inputs,
///     &ReadOptions::default(),
///     &NoProgress,
///     |doc| (doc.id.clone(), doc.text.split_whitespace().count()),
///     |batch| {
///         problems.extend(batch.problems);
///         words.extend(batch.results);
///         Ok::<(), std::convert::Infallible>(())
///     },
/// )
/// .unwrap();
/// assert_eq!(words, [("a".to_owned(), 3)]);
/// assert_eq!(problems[0].line, Some(2));
/// ```
pub fn read_parallel<T, E, M, C, F>(
    inputs: &[Input],
    options: &ReadOptions,
    progress: &dyn Progress,
    map: M,
    mut consume: C,
) -> Result<(), E>
where
    T: Send,
    M: Fn(Document) -> T + Sync,
    C: FnMut(Batch<T>) -> Result<F, E>,
    F: Into<Flow>,
{
    let check_ids = options.check_ids;
    let mut ids = check_ids.then(IdCheck::default);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Vec<Record>>(BATCHES_AHEAD);
        scope.spawn(move || {
            let mut batch = Vec::new();
            let mut bytes = 0;
            // One read of all the inputs, so that names (and a shard's files) are the run's.
            let mut started = |input: &Input| progress.input(&input.name());
            read_inputs(inputs, options, &mut started, &mut |record| {
                bytes += record.size();
                batch.push(record);
                if bytes >= BATCH_BYTES || batch.len() >= BATCH_RECORDS {
                    bytes = 0;
                    // The receiver only hangs up when consuming failed: stop reading at once.
                    if tx.send(std::mem::take(&mut batch)).is_err() {
                        return std::ops::ControlFlow::Break(());
                    }
                }
                std::ops::ControlFlow::Continue(())
            });
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
        });
        for records in rx {
            // The id's document, to check after the pool has mapped it away.
            let parsed: Vec<Parsed<T>> = records
                .into_par_iter()
                .map(|record| {
                    let (parsed, size) = record.parse_measured();
                    let mapped = parsed.document.map(|doc| {
                        let id = check_ids.then(|| id_only(&doc));
                        (map(doc), id)
                    });
                    (mapped, parsed.problems, size, parsed.left_out)
                })
                .collect();
            let mut batch = Batch {
                problems: Vec::new(),
                results: Vec::with_capacity(parsed.len()),
                problems_before: Vec::with_capacity(parsed.len()),
                left_out: 0,
            };
            let mut bytes = 0;
            for (result, problems, size, left_out) in parsed {
                batch.left_out += u64::from(left_out);
                batch.problems.extend(problems);
                if let Some((result, id)) = result {
                    batch.problems_before.push(batch.problems.len());
                    if let (Some(ids), Some(id)) = (ids.as_mut(), id) {
                        batch.problems.extend(ids.check(&id));
                    }
                    batch.results.push(result);
                }
                bytes += size as u64;
            }
            progress.batch(batch.results.len() as u64, bytes);
            if consume(batch)?.into() == Flow::Stop {
                // Dropping the receiver stops the reader at its next record.
                break;
            }
        }
        Ok(())
    })
}
