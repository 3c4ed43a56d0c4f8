//! A concordance over a corpus: the hits of a [`Kwic`] in a chosen order, at most a limit of
//! them, the same at any thread count.
//!
//! Each document's hits are found where it is parsed ([`Picker::document_hits`], on any
//! thread): at most the limit of them, its best by the order (or its first in input
//! order), so a document of millions of hits holds no more than the output shows. They come
//! back in input order ([`Concordance::add`]): in input order the lines are handed on as they
//! come and the read can stop at the limit; sorted, the best `limit` are kept in a heap and
//! handed on at the end ([`Concordance::finish`]). Ties keep input order.

use std::collections::BinaryHeap;
use std::ops::ControlFlow;

use corpus_core::{Date, Document};

use super::kwic::{Hit, Kwic, sort_key};

/// The order of a concordance's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Sort {
    /// Input order.
    Input,
    /// By the documents' dates, the undated last.
    Date,
    /// By the words before the hit, nearest first ([`sort_key`]).
    Left,
    /// By the words after the hit.
    Right,
}

/// A line's key: the context's sort key or the date.
type Key = (Vec<String>, Option<Date>);

/// One line of a concordance: a hit and what is shown of its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcordanceLine {
    /// The document's id.
    pub id: String,
    /// The document's date.
    pub date: Option<Date>,
    /// Where the document was read.
    pub path: String,
    /// Its line in that file, where it has one.
    pub line: Option<u64>,
    /// The hit.
    pub hit: Hit,
    key: Key,
    /// The document's place in the input and the hit's among its hits: ties keep input order.
    at: (u64, usize),
}

impl Ord for ConcordanceLine {
    fn cmp(&self, other: &ConcordanceLine) -> std::cmp::Ordering {
        // Undated last when sorting by date.
        let date = |l: &ConcordanceLine| (l.key.1.is_none(), l.key.1);
        (&self.key.0, date(self), self.at).cmp(&(&other.key.0, date(other), other.at))
    }
}

impl PartialOrd for ConcordanceLine {
    fn partial_cmp(&self, other: &ConcordanceLine) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// A document's hits as [`Picker::document_hits`] keeps them.
#[derive(Debug, Clone)]
pub struct DocumentHits {
    id: String,
    date: Option<Date>,
    path: String,
    line: Option<u64>,
    /// All its hits, kept or not.
    total: u64,
    /// The hits kept, in the order found, each with its key and its place among them all.
    hits: Vec<((Key, usize), Hit)>,
}

/// Finds a document's hits for a [`Concordance`] ([`Concordance::picker`]).
#[derive(Debug, Clone, Copy)]
pub struct Picker {
    sort: Sort,
    limit: usize,
}

impl Picker {
    fn key(&self, hit: &Hit, date: Option<Date>) -> Key {
        match self.sort {
            Sort::Left => (sort_key(&hit.left, true), None),
            Sort::Right => (sort_key(&hit.right, false), None),
            Sort::Date => (Vec::new(), date),
            Sort::Input => (Vec::new(), None),
        }
    }

    /// A document's hits, at most the limit of them (its best by the order, or its first):
    /// `None` when it has none. Runs on any thread.
    pub fn document_hits(&self, kwic: &Kwic, doc: &Document) -> Option<DocumentHits> {
        let sorted = self.sort != Sort::Input;
        let mut total = 0u64;
        // The keys of the hits kept (the worst on top), each with its slot in `kept`.
        let mut best: BinaryHeap<((Key, usize), usize)> = BinaryHeap::new();
        let mut kept: Vec<Option<Hit>> = Vec::new();
        kwic.for_each_hit(doc, |hit| {
            let key = (self.key(&hit, doc.date), total as usize);
            total += 1;
            if best.len() < self.limit {
                best.push((key, kept.len()));
                kept.push(Some(hit));
            } else if !sorted {
                return ControlFlow::Break(());
            } else if let Some(mut worst) = best.peek_mut()
                && key < worst.0
            {
                // The worst kept hit gives its place (the heap is put in order on drop).
                kept[worst.1] = Some(hit);
                worst.0 = key;
            }
            ControlFlow::Continue(())
        });
        (total > 0).then(|| {
            let mut order = best.into_vec();
            order.sort_by_key(|(key, _)| key.1);
            DocumentHits {
                id: doc.id.clone(),
                date: doc.date,
                path: doc.origin.path.clone(),
                line: doc.origin.line,
                total,
                hits: order
                    .into_iter()
                    .filter_map(|(key, slot)| Some((key, kept[slot].take()?)))
                    .collect(),
            }
        })
    }
}

/// The lines of a concordance, in order, at most a limit of them.
#[derive(Debug)]
pub struct Concordance {
    sort: Sort,
    limit: usize,
    heap: BinaryHeap<ConcordanceLine>,
    /// Documents added, with hits or not.
    documents: u64,
    hits: u64,
    with_hits: u64,
    shown: usize,
    stopped: bool,
}

impl Concordance {
    /// A concordance in `sort` order of at most `limit` lines (all with `None`).
    pub fn new(sort: Sort, limit: Option<usize>) -> Concordance {
        Concordance {
            sort,
            limit: limit.unwrap_or(usize::MAX),
            heap: BinaryHeap::new(),
            documents: 0,
            hits: 0,
            with_hits: 0,
            shown: 0,
            stopped: false,
        }
    }

    /// What finds each document's hits for this concordance, on any thread, while the
    /// concordance itself takes them back ([`Concordance::add`]).
    pub fn picker(&self) -> Picker {
        Picker {
            sort: self.sort,
            limit: self.limit,
        }
    }

    /// Adds the next document's hits, in input order. In input order, each line is handed to
    /// `show` at once, and the answer is [`ControlFlow::Break`] when the limit is reached (the
    /// read may stop); sorted, the lines wait for [`Concordance::finish`].
    pub fn add<E>(
        &mut self,
        found: Option<DocumentHits>,
        mut show: impl FnMut(&ConcordanceLine) -> Result<(), E>,
    ) -> Result<ControlFlow<()>, E> {
        self.documents += 1;
        let Some(found) = found else {
            return Ok(ControlFlow::Continue(()));
        };
        self.with_hits += 1;
        self.hits += found.total;
        for ((key, i), hit) in found.hits {
            let line = ConcordanceLine {
                id: found.id.clone(),
                date: found.date,
                path: found.path.clone(),
                line: found.line,
                hit,
                key,
                at: (self.documents, i),
            };
            if self.sort != Sort::Input {
                self.heap.push(line);
                if self.heap.len() > self.limit {
                    self.heap.pop();
                }
            } else {
                show(&line)?;
                self.shown += 1;
                if self.shown >= self.limit {
                    self.stopped = true;
                    return Ok(ControlFlow::Break(()));
                }
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    /// Ends the concordance: the sorted lines kept, in order, handed to `show` (none in input
    /// order: they were shown as they came).
    pub fn finish<E>(
        &mut self,
        mut show: impl FnMut(&ConcordanceLine) -> Result<(), E>,
    ) -> Result<(), E> {
        for line in std::mem::take(&mut self.heap).into_sorted_vec() {
            show(&line)?;
            self.shown += 1;
        }
        Ok(())
    }

    /// Hits found in the documents added (all of them, shown or not).
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// Documents added that have a hit.
    pub fn documents_with_hits(&self) -> u64 {
        self.with_hits
    }

    /// Lines handed on.
    pub fn shown(&self) -> usize {
        self.shown
    }

    /// Whether the limit stopped a concordance in input order.
    pub fn stopped(&self) -> bool {
        self.stopped
    }
}

#[cfg(test)]
mod tests {
    use std::ops::ControlFlow;

    use corpus_core::{Block, BlockKind, Document};

    use super::{Concordance, Sort};
    use crate::{Context, Kwic, Matcher, Pattern};

    fn doc(id: &str, text: &str) -> Document {
        let mut d = Document::new(id, "x.jsonl", text);
        d.blocks = vec![Block::new(BlockKind::Paragraph, 0..text.len())];
        d
    }

    /// Lines as `(id, left word)`, through a concordance fed in input order.
    fn run(sort: Sort, limit: Option<usize>, docs: &[Document]) -> (Vec<(String, String)>, bool) {
        let kwic = Kwic::new(
            Matcher::Pattern(Pattern::parse("oil", false).expect("a pattern")),
            Context::Words(1),
        );
        let mut lines = Concordance::new(sort, limit);
        let picker = lines.picker();
        let mut shown = Vec::new();
        for d in docs {
            let flow = lines
                .add(picker.document_hits(&kwic, d), |l| {
                    shown.push((l.id.clone(), l.hit.left.clone()));
                    Ok::<(), ()>(())
                })
                .expect("no error");
            if flow == ControlFlow::Break(()) {
                break;
            }
        }
        lines
            .finish(|l| {
                shown.push((l.id.clone(), l.hit.left.clone()));
                Ok::<(), ()>(())
            })
            .expect("no error");
        (shown, lines.stopped())
    }

    #[test]
    fn lines_come_in_order_at_most_the_limit_ties_in_input_order() {
        let docs = [
            doc("a", "crude oil and palm oil"),
            doc("b", "no hit here"),
            doc("c", "crude oil again, then beef"),
        ];
        let ids = |v: &[(String, String)]| -> Vec<String> {
            v.iter().map(|(id, left)| format!("{id}:{left}")).collect()
        };
        let (all, stopped) = run(Sort::Input, None, &docs);
        assert_eq!(ids(&all), ["a:crude", "a:palm", "c:crude"]);
        assert!(!stopped);
        let (first, stopped) = run(Sort::Input, Some(2), &docs);
        assert_eq!(ids(&first), ["a:crude", "a:palm"]);
        assert!(stopped, "the read may stop at the limit");
        // By the word on the left: `crude` before `palm`, the two `crude` in input order.
        let (left, _) = run(Sort::Left, Some(2), &docs);
        assert_eq!(ids(&left), ["a:crude", "c:crude"]);
    }
}
