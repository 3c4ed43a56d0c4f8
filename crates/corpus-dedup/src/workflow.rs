//! The whole deduplication of a corpus in two passes: fingerprints (and block hashes) of every
//! document, the clusters, then the kept copies, stripped of repeated blocks when asked.

use std::cmp::Reverse;

use corpus_core::{BlockKind, Date, Document};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::index::{ArchiveRead, Index, IndexError, Tracked};
use crate::{
    DedupOptions, DedupResult, Fingerprint, Fingerprinter, LineCount, OptionsError, Reason,
    RepeatedLines, block_hashes, cluster,
};

/// One document's block hashes, from [`block_hashes`].
pub(crate) type BlockHashes = Vec<(Option<u64>, BlockKind)>;

/// The first pass of a deduplication: collects what clustering needs of every document, in
/// input order, then clusters ([`Deduplicator::finish`]).
///
/// [`Deduplicator::prepare`] does the work of one document and takes `&self`, so it can run on
/// worker threads (the `map` of `corpus_parser::read_parallel`); [`Deduplicator::add`] takes
/// the results back in input order. Memory holds a fingerprint, the id and the date of each
/// document (and its block hashes when repeated blocks are counted), never its text.
///
/// ```
/// use corpus_core::{Block, BlockKind, Document};
/// use corpus_dedup::{DedupOptions, Deduplicator};
///
/// let story = "Shares of Acme rose 5 pct to 12 dlrs on Monday after the company said \
///              quarterly profit doubled on strong sales of its new widget line.";
/// let docs: Vec<Document> = ["a", "b", "c"]
///     .into_iter()
///     .map(|id| {
///         let text = if id == "c" { "Something else entirely." } else { story };
///         let mut doc = Document::new(id, "mem", text);
///         doc.blocks = vec![Block::new(BlockKind::Paragraph, 0..text.len())];
///         doc
///     })
///     .collect();
/// let mut dedup = Deduplicator::new(DedupOptions::news())?;
/// for doc in &docs {
///     dedup.add(dedup.prepare(doc));
/// }
/// let done = dedup.finish();
/// let rows = done.cluster_rows();
/// assert_eq!(rows.len(), 2);
/// assert_eq!((rows[1].cluster, rows[1].document, rows[1].reason.as_str()), ("a", "b", "exact"));
///
/// // The second pass: the same documents again, in the same order.
/// let mut kept = done.kept_copies(false);
/// let ids: Vec<String> = docs
///     .into_iter()
///     .filter_map(|doc| kept.next(doc).transpose())
///     .map(|doc| doc.map(|d| d.id))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(ids, ["a", "c"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Deduplicator {
    pub(crate) options: DedupOptions,
    pub(crate) fingerprinter: Fingerprinter,
    pub(crate) min_docs: Option<u64>,
    pub(crate) fingerprints: Vec<Fingerprint>,
    pub(crate) documents: Vec<Seen>,
    pub(crate) paths: Paths,
    pub(crate) blocks: Vec<BlockHashes>,
    pub(crate) keyed: usize,
    pub(crate) indexing: bool,
    /// The metadata field each document is also named by ([`Deduplicator::labelled`]).
    pub(crate) label: Option<String>,
}

/// The path of every document, kept once per run of documents from the same file: the lines
/// of a JSON Lines file share one.
#[derive(Debug, Default)]
pub(crate) struct Paths(pub(crate) Vec<(usize, Box<str>)>);

impl Paths {
    pub(crate) fn push(&mut self, index: usize, path: String) {
        if self.0.last().is_none_or(|(_, last)| **last != *path) {
            self.0.push((index, path.into_boxed_str()));
        }
    }

    pub(crate) fn of(&self, index: usize) -> &str {
        let run = self.0.partition_point(|(first, _)| *first <= index);
        run.checked_sub(1).map_or("", |r| &self.0[r].1)
    }
}

/// Prepares documents for a [`Deduplicator`] on any thread: see [`Deduplicator::preparer`].
#[derive(Debug, Clone)]
pub struct Preparer {
    fingerprinter: Fingerprinter,
    blocks: bool,
    label: Option<String>,
}

impl Preparer {
    /// What [`Deduplicator::prepare`] makes of `doc`.
    pub fn prepare(&self, doc: &Document) -> Prepared {
        prepare(
            &self.fingerprinter,
            (self.blocks, self.label.as_deref()),
            doc,
        )
    }
}

fn prepare(
    fingerprinter: &Fingerprinter,
    (blocks, label): (bool, Option<&str>),
    doc: &Document,
) -> Prepared {
    Prepared {
        fingerprint: fingerprinter.fingerprint(doc),
        blocks: blocks.then(|| block_hashes(doc)),
        path: doc.origin.path.clone(),
        seen: Seen {
            id: doc.id.clone(),
            line: doc.origin.line,
            date: doc.date,
            label: label.and_then(|field| label_of(doc, field)),
        },
    }
}

/// The value of a document's metadata `field` as a label: a string as it is, another value
/// as its JSON; none when missing, null or empty.
fn label_of(doc: &Document, field: &str) -> Option<Box<str>> {
    match doc.metadata.get(field)? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) if s.is_empty() => None,
        serde_json::Value::String(s) => Some(s.as_str().into()),
        other => Some(other.to_string().into()),
    }
}

/// What [`Deduplicator::prepare`] made of one document, for [`Deduplicator::add`].
#[derive(Debug)]
pub struct Prepared {
    fingerprint: Fingerprint,
    blocks: Option<BlockHashes>,
    path: String,
    seen: Seen,
}

/// What is remembered of each document between the passes.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) id: String,
    pub(crate) line: Option<u64>,
    pub(crate) date: Option<Date>,
    /// The value of the field documents are also named by, when one is named.
    pub(crate) label: Option<Box<str>>,
}

mod rows;

pub use self::rows::{ArchivedCopy, ClusterRow};

impl Deduplicator {
    /// A first pass with `options`, checked ([`DedupOptions::validate`]).
    pub fn new(options: DedupOptions) -> Result<Deduplicator, OptionsError> {
        options.validate()?;
        Ok(Deduplicator {
            fingerprinter: Fingerprinter::new(&options),
            options,
            min_docs: None,
            fingerprints: Vec::new(),
            documents: Vec::new(),
            paths: Paths::default(),
            blocks: Vec::new(),
            keyed: 0,
            indexing: false,
            label: None,
        })
    }

    /// Also names each document by its metadata `field` (the outlet, the source): the
    /// [`ClusterRow::label`] of its row, and of an archived kept copy in an index written by
    /// the run ([`Deduplicated::write_index`]), so that a later run against the index says
    /// which outlet's story a copy copies. Against an index, the field must be the index's
    /// ([`IndexInfo::label_field`](crate::IndexInfo::label_field)).
    pub fn labelled(mut self, field: impl Into<String>) -> Deduplicator {
        self.label = Some(field.into());
        self
    }

    /// Keeps the fingerprints after clustering, so that the run can be written as an index
    /// ([`Deduplicated::write_index`]) for later runs to deduplicate against.
    pub fn indexing(mut self) -> Deduplicator {
        self.indexing = true;
        self
    }

    /// Also counts the blocks (lines and paragraphs) that recur in at least `min_docs` kept
    /// copies: site boilerplate, reported by [`Deduplicated::repeated`] and left out by
    /// [`Deduplicated::kept_copies`] when asked. Copies are not counted, so that a reprinted
    /// story's own paragraphs do not pass for boilerplate.
    pub fn count_repeated_blocks(mut self, min_docs: u64) -> Deduplicator {
        self.min_docs = Some(min_docs);
        self
    }

    /// The options, as checked.
    pub fn options(&self) -> &DedupOptions {
        &self.options
    }

    /// Does the work of one document: its fingerprint, and its block hashes when repeated
    /// blocks are counted. Runs on any thread.
    pub fn prepare(&self, doc: &Document) -> Prepared {
        prepare(
            &self.fingerprinter,
            (self.min_docs.is_some(), self.label.as_deref()),
            doc,
        )
    }

    /// What [`Deduplicator::prepare`] does, as a value of its own: workers can prepare
    /// documents with it while the deduplicator takes them in ([`Deduplicator::add`] needs
    /// `&mut self`).
    ///
    /// ```
    /// # use corpus_core::Document;
    /// # use corpus_dedup::{DedupOptions, Deduplicator};
    /// # let docs = vec![Document::new("a", "mem", "")];
    /// let mut dedup = Deduplicator::new(DedupOptions::web())?;
    /// let preparer = dedup.preparer();
    /// for doc in &docs {
    ///     dedup.add(preparer.prepare(doc));
    /// }
    /// # Ok::<(), corpus_dedup::OptionsError>(())
    /// ```
    pub fn preparer(&self) -> Preparer {
        Preparer {
            fingerprinter: self.fingerprinter.clone(),
            blocks: self.min_docs.is_some(),
            label: self.label.clone(),
        }
    }

    /// Adds a prepared document; documents must be added in input order, the order the second
    /// pass will see them in.
    pub fn add(&mut self, prepared: Prepared) {
        self.keyed += usize::from(prepared.fingerprint.key.is_some());
        self.fingerprints.push(prepared.fingerprint);
        self.blocks.extend(prepared.blocks);
        self.paths.push(self.documents.len(), prepared.path);
        self.documents.push(prepared.seen);
    }

    /// How many documents were added.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Clusters the documents and counts the repeated blocks of the kept copies.
    pub fn finish(self) -> Deduplicated {
        if !self.indexing {
            let result = cluster(&self.fingerprints, &self.options);
            return self.done(result, None, None);
        }
        let (result, tracked) = crate::cluster::cluster_tracked(&self.fingerprints, &self.options);
        let kept = Indexed {
            fingerprints: Vec::new(),
            tracked,
        };
        self.done(result, None, Some(kept))
    }

    /// Clusters the documents against an archive: each document that copies an archived one
    /// joins its cluster (numbered after the documents: see [`Deduplicated::archived`]), as
    /// one run over the archive and these documents, the archive first, would decide (see
    /// [`crate::index`]). Copies among these documents are found as [`Deduplicator::finish`]
    /// finds them. Fails when the index was made with other options than these, or cannot be
    /// read whole.
    pub fn finish_against(mut self, archive: &Index) -> Result<Deduplicated, IndexError> {
        if archive.info().label_field != self.label {
            return Err(IndexError::Mismatch {
                path: archive.path().to_owned(),
                why: "the run names documents by another field than the index (Deduplicator::labelled)",
            });
        }
        let fingerprints = std::mem::take(&mut self.fingerprints);
        let (against, fingerprints) = crate::index::against(archive, fingerprints, &self.options)?;
        let result = DedupResult {
            assignments: against.assignments,
            bands: self.options.bands_rows().0,
            rows: self.options.bands_rows().1,
        };
        let indexed = self.indexing.then_some(Indexed {
            fingerprints,
            tracked: against.tracked,
        });
        Ok(self.done(result, Some(against.archive), indexed))
    }

    fn done(
        mut self,
        result: DedupResult,
        against: Option<ArchiveRead>,
        indexed: Option<Indexed>,
    ) -> Deduplicated {
        let indexed = indexed.map(|mut i| {
            if i.fingerprints.is_empty() {
                i.fingerprints = std::mem::take(&mut self.fingerprints);
            }
            i
        });
        drop(self.fingerprints);
        let repeated = self.min_docs.map(|min_docs| {
            let mut lines = RepeatedLines::new(min_docs);
            for ((blocks, seen), a) in self
                .blocks
                .iter()
                .zip(&self.documents)
                .zip(&result.assignments)
            {
                if a.reason == Reason::Kept {
                    lines.add(blocks, seen.date);
                }
            }
            lines
        });
        Deduplicated {
            options: self.options,
            result,
            documents: self.documents,
            paths: self.paths,
            blocks: self.blocks,
            repeated,
            keyed: self.keyed,
            against,
            indexed,
            label: self.label,
        }
    }
}

/// What a run keeps to write itself as an index.
#[derive(Debug)]
pub(crate) struct Indexed {
    pub(crate) fingerprints: Vec<Fingerprint>,
    pub(crate) tracked: Tracked,
}

/// The clusters of a corpus, with what the second pass needs: see [`Deduplicator`].
#[derive(Debug)]
pub struct Deduplicated {
    pub(crate) options: DedupOptions,
    pub(crate) result: DedupResult,
    pub(crate) documents: Vec<Seen>,
    pub(crate) paths: Paths,
    pub(crate) blocks: Vec<BlockHashes>,
    pub(crate) repeated: Option<RepeatedLines>,
    pub(crate) keyed: usize,
    pub(crate) against: Option<ArchiveRead>,
    pub(crate) indexed: Option<Indexed>,
    /// The metadata field documents are also named by ([`Deduplicator::labelled`]).
    pub(crate) label: Option<String>,
}

/// The second pass saw other documents than the first: the input changed between them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the input changed between the two passes: {0}")]
pub struct InputChanged(String);

impl Deduplicated {
    /// The clusters, as [`cluster`] returned them.
    pub fn result(&self) -> &DedupResult {
        &self.result
    }

    /// The options the clusters were found with.
    pub fn options(&self) -> &DedupOptions {
        &self.options
    }

    /// The metadata field documents are also named by ([`Deduplicator::labelled`]): the
    /// [`ClusterRow::label`] of the rows.
    pub fn label_field(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// The id of the document at `index` in input order (the index of
    /// [`Assignment::cluster`](crate::Assignment::cluster) names a kept copy), if there is one;
    /// past the documents, that of an archived kept copy ([`Deduplicated::archived`]).
    pub fn id(&self, index: usize) -> Option<&str> {
        match index.checked_sub(self.documents.len()) {
            None => self.documents.get(index).map(|d| d.id.as_str()),
            Some(k) => self
                .against
                .as_ref()
                .and_then(|a| a.archived.get(k))
                .map(|d| d.id.as_str()),
        }
    }

    /// How many documents there were.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// How many documents had a value of [`DedupOptions::key`] (none when no key is set): none
    /// with a key set means the key named nothing the documents hold.
    pub fn keyed(&self) -> usize {
        self.keyed
    }

    /// Whether there were none.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// The blocks found in at least `min_docs` kept copies, when they were counted
    /// ([`Deduplicator::count_repeated_blocks`]).
    pub fn repeated(&self) -> Option<&RepeatedLines> {
        self.repeated.as_ref()
    }

    /// How many documents are copies of an archived document (none for a run on its own).
    pub fn archive_copies(&self) -> usize {
        self.result.archive_copies()
    }

    /// The second pass: hand it the same documents again, in the same order, and it gives back
    /// the kept copies, without their repeated blocks when `strip` is set (and repeated blocks
    /// were counted).
    pub fn kept_copies(&self, strip: bool) -> KeptCopies<'_> {
        KeptCopies {
            dedup: self,
            next: 0,
            strip: strip && self.repeated.is_some(),
            stripped: 0,
            examples: FxHashMap::default(),
        }
    }
}

impl Deduplicated {
    /// The documents found to be copies, as a set a later read of the same input asks
    /// ([`Copies::contains`]) in any order and on any thread: what `--dedup` leaves out of a
    /// view or a report. [`Deduplicated::kept_copies`] is the pass that also checks the input
    /// did not change, in input order.
    pub fn copies(&self) -> Copies {
        let mut keys = FxHashSet::default();
        for (i, a) in self.result.assignments.iter().enumerate() {
            if a.reason != Reason::Kept {
                let seen = &self.documents[i];
                keys.insert(origin_key(&seen.id, self.paths.of(i), seen.line));
            }
        }
        Copies { keys }
    }
}

/// The copies of a deduplicated corpus, keyed by where each was read: its id, path and line
/// ([`Deduplicated::copies`]).
#[derive(Debug, Clone, Default)]
pub struct Copies {
    keys: FxHashSet<u64>,
}

impl Copies {
    /// Whether `doc` (read again from the same input) is one of the copies.
    pub fn contains(&self, doc: &Document) -> bool {
        self.keys
            .contains(&origin_key(&doc.id, &doc.origin.path, doc.origin.line))
    }

    /// How many copies there are.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Adds the copies of another corpus, deduplicated on its own (a reference corpus).
    pub fn merge(&mut self, other: Copies) {
        self.keys.extend(other.keys);
    }
}

/// A 64-bit hash of where a document was read (id, path, line): two documents of a corpus of a
/// billion share one with a chance of about 3 %, and a copy's twin would then be left out too.
fn origin_key(id: &str, path: &str, line: Option<u64>) -> u64 {
    let mut key = Vec::with_capacity(id.len() + path.len() + 10);
    key.extend_from_slice(id.as_bytes());
    key.push(0);
    key.extend_from_slice(path.as_bytes());
    key.push(0);
    key.extend_from_slice(&line.unwrap_or(0).to_le_bytes());
    xxhash_rust::xxh3::xxh3_64(&key)
}

/// The second pass over a corpus: see [`Deduplicated::kept_copies`].
#[derive(Debug)]
pub struct KeptCopies<'a> {
    dedup: &'a Deduplicated,
    next: usize,
    strip: bool,
    stripped: u64,
    /// The text of the first occurrence of each repeated block, by hash.
    examples: FxHashMap<u64, String>,
}

/// A repeated block, with the text of its first occurrence in a kept copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatedBlock {
    /// The text, as it first appeared.
    pub text: String,
    /// How often, where and when it recurs.
    pub count: LineCount,
}

impl KeptCopies<'_> {
    /// Takes the next document of the second pass. Returns it when it is a kept copy (without
    /// its repeated blocks when asked), `None` when it is a copy, and an error when it is not
    /// the document the first pass saw at this place.
    pub fn next(&mut self, mut doc: Document) -> Result<Option<Document>, InputChanged> {
        let index = self.next;
        let Some(seen) = self.dedup.documents.get(index) else {
            return Err(InputChanged(format!(
                "more than the {} documents of the first pass",
                self.dedup.documents.len()
            )));
        };
        let path = self.dedup.paths.of(index);
        if seen.id != doc.id || path != doc.origin.path || seen.line != doc.origin.line {
            return Err(InputChanged(format!(
                "document {} was {:?} ({path}), then {:?} ({})",
                index + 1,
                seen.id,
                doc.id,
                doc.origin.path
            )));
        }
        self.next += 1;
        if self.dedup.result.assignments[index].reason != Reason::Kept {
            return Ok(None);
        }
        if let Some(repeated) = &self.dedup.repeated {
            let hashes = &self.dedup.blocks[index];
            let is_repeated = |i: usize| {
                hashes
                    .get(i)
                    .and_then(|(h, _)| *h)
                    .filter(|h| repeated.is_repeated(*h))
            };
            for (i, b) in doc.blocks.iter().enumerate() {
                if let Some(h) = is_repeated(i) {
                    self.examples
                        .entry(h)
                        .or_insert_with(|| doc.block_text(b).to_owned());
                }
            }
            if self.strip {
                self.stripped += doc.retain_blocks(|i, _| is_repeated(i).is_none()) as u64;
            }
        }
        Ok(Some(doc))
    }

    /// How many repeated blocks were left out so far.
    pub fn stripped(&self) -> u64 {
        self.stripped
    }

    /// Ends the pass: every document must have come again. Returns the repeated blocks (none
    /// unless they were counted), most frequent first, then by text.
    pub fn finish(self) -> Result<Vec<RepeatedBlock>, InputChanged> {
        if self.next != self.dedup.documents.len() {
            return Err(InputChanged(format!(
                "{} documents, then {}",
                self.dedup.documents.len(),
                self.next
            )));
        }
        let Some(repeated) = &self.dedup.repeated else {
            return Ok(Vec::new());
        };
        Ok(sorted_blocks(repeated, &self.examples))
    }

    /// Ends the pass of one shard of a staged run: every document of the shard must have come
    /// again. Returns the text of the first occurrence in this shard of every repeated block
    /// it has, by hash, for [`repeated_blocks`](crate::repeated_blocks) to join across shards.
    pub fn finish_examples(self) -> Result<Vec<(u64, String)>, InputChanged> {
        if self.next != self.dedup.documents.len() {
            return Err(InputChanged(format!(
                "{} documents, then {}",
                self.dedup.documents.len(),
                self.next
            )));
        }
        let mut examples: Vec<(u64, String)> = self.examples.into_iter().collect();
        examples.sort_unstable();
        Ok(examples)
    }
}

/// The repeated blocks with their texts, most frequent first, then by text.
pub(crate) fn sorted_blocks(
    repeated: &RepeatedLines,
    examples: &FxHashMap<u64, String>,
) -> Vec<RepeatedBlock> {
    let mut blocks: Vec<RepeatedBlock> = repeated
        .repeated()
        .into_iter()
        .map(|(h, count)| RepeatedBlock {
            text: examples.get(&h).cloned().unwrap_or_default(),
            count,
        })
        .collect();
    blocks.sort_by(|a, b| {
        (Reverse(a.count.documents), &a.text).cmp(&(Reverse(b.count.documents), &b.text))
    });
    blocks
}

#[cfg(test)]
mod tests {
    use super::Paths;

    #[test]
    fn paths_are_kept_once_per_run_of_documents() {
        let mut paths = Paths::default();
        for (i, p) in [
            "a.jsonl", "a.jsonl", "a.jsonl", "b.txt", "c.jsonl", "c.jsonl",
        ]
        .into_iter()
        .enumerate()
        {
            paths.push(i, p.to_owned());
        }
        assert_eq!(paths.0.len(), 3);
        let all: Vec<&str> = (0..6).map(|i| paths.of(i)).collect();
        assert_eq!(
            all,
            [
                "a.jsonl", "a.jsonl", "a.jsonl", "b.txt", "c.jsonl", "c.jsonl"
            ]
        );
    }
}
