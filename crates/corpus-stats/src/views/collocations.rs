//! Collocations: the words found near a node word, or the corpus's bigrams, scored.

use std::cmp::Ordering;

use corpus_core::{Document, for_each_normal_word};
use rustc_hash::FxHashMap;

use crate::OutOfMemory;
use crate::vocabulary::{Terms, try_room};

use super::measures::{Contingency, log_dice};
use super::pattern::{MAX_WINDOW, Pattern, PatternError};
use crate::StopWords;
use crate::stopwords::OwnStopWords;

/// What to count: the neighbours of a node word within a window, or adjacent pairs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CollocationOptions {
    /// The node (one word, `*` allowed); `None` counts bigrams (adjacent pairs of words
    /// neither of which is a stop word).
    pub node: Option<Pattern>,
    /// Words before the node in its window.
    pub left: usize,
    /// Words after the node in its window.
    pub right: usize,
    /// Collocates left out of the results (of the counts too, for bigrams).
    pub stopwords: StopWords,
    /// Also leave out, in each document, the stop words of its own language, as
    /// [`StatsOptions::stopwords_by_language`](crate::StatsOptions) does. Default: off.
    pub stopwords_by_language: bool,
}

impl CollocationOptions {
    /// Collocates of `node` within `left` words before and `right` after it.
    pub fn node(node: &str, left: usize, right: usize) -> Result<CollocationOptions, PatternError> {
        let pattern = Pattern::parse(node, false)?;
        if pattern.len() != 1 {
            return Err(PatternError::NotOneWord(node.to_owned()));
        }
        if let Some(&wide) = [left, right].iter().find(|&&w| w > MAX_WINDOW) {
            return Err(PatternError::Window(wide));
        }
        Ok(CollocationOptions {
            node: Some(pattern),
            left,
            right,
            stopwords: StopWords::none(),
            stopwords_by_language: false,
        })
    }

    /// The bigrams of the corpus.
    pub fn bigrams() -> CollocationOptions {
        CollocationOptions {
            node: None,
            left: 0,
            right: 1,
            stopwords: StopWords::english(),
            stopwords_by_language: false,
        }
    }
}

/// How often a pair was seen, and in how many documents.
#[derive(Debug, Clone, Copy, Default)]
struct PairCount {
    count: u64,
    documents: u64,
    /// The serial of the last document that had it (this accumulator's numbering).
    last: u64,
}

/// Counts for collocations, document by document; accumulators merge ([`Collocations::merge`])
/// into what one would have counted, so counting can be spread over threads.
///
/// With a node: every pair (node occurrence, word within the window) in a paragraph or
/// heading, and every word's number of such pairs it can be the second of, so that the 2×2
/// table of each collocate is over the same pairs ([`Contingency`]): `o11` pairs of the node
/// and the collocate, `r1` pairs of the node, `c1` pairs the collocate is second of, `n` all
/// pairs. Without: adjacent pairs of words, neither a stop word, with `r1` the pairs the first
/// word opens and `c1` those the second closes.
///
/// ```
/// use corpus_core::{Block, BlockKind, Document};
/// use corpus_stats::{CollocationOptions, Collocations, Measure};
///
/// let text = "interest rates rose and interest rates fell while bond yields rose";
/// let mut doc = Document::new("a", "mem", text);
/// doc.blocks = vec![Block::new(BlockKind::Paragraph, 0..text.len())];
/// let mut counts = Collocations::new(CollocationOptions::node("interest", 0, 1)?);
/// counts.add_document(&doc)?;
/// let top = counts.scored(Measure::LogDice, 1, 1);
/// assert_eq!(top[0].collocate, "rates");
/// assert_eq!(top[0].table.o11, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Collocations {
    options: CollocationOptions,
    /// Every word, its frequency and whether it is a stop word: the interner `corpus stats`
    /// counts terms with.
    terms: Terms,
    /// Per word: the pairs it can be second of (node) or closes (bigrams), the pairs it opens
    /// (bigrams), and whether it is a node.
    second: Vec<u64>,
    node: Vec<bool>,
    first: Vec<u64>,
    node_freq: u64,
    node_pairs: u64,
    all_pairs: u64,
    words: u64,
    documents: u64,
    serial: u64,
    /// Node mode: collocate id → count; bigram mode: (first, second) packed → count.
    pairs: FxHashMap<u64, PairCount>,
    block: Vec<u32>,
    own_stopwords: OwnStopWords,
}

/// The measure results are ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// [`log_dice`].
    LogDice,
    /// [`Contingency::mi`].
    Mi,
    /// [`Contingency::log_likelihood`].
    LogLikelihood,
    /// [`Contingency::t_score`].
    TScore,
    /// The pair's frequency.
    Frequency,
}

/// One scored collocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Collocate<'a> {
    /// The node (its first word for bigrams), in normal form.
    pub node: &'a str,
    /// The collocate (the second word for bigrams).
    pub collocate: &'a str,
    /// Documents the pair is in.
    pub documents: u64,
    /// The frequencies of the node and of the collocate in the corpus.
    pub node_frequency: u64,
    /// See [`Collocate::node_frequency`].
    pub collocate_frequency: u64,
    /// The pair's table.
    pub table: Contingency,
    /// [`log_dice`] of the pair's and the two words' frequencies.
    pub log_dice: f64,
    /// [`Contingency::mi`].
    pub mi: f64,
    /// [`Contingency::log_likelihood`].
    pub log_likelihood: f64,
    /// [`Contingency::t_score`].
    pub t_score: f64,
}

impl Collocate<'_> {
    /// The value of `measure`.
    pub fn score(&self, measure: Measure) -> f64 {
        match measure {
            Measure::LogDice => self.log_dice,
            Measure::Mi => self.mi,
            Measure::LogLikelihood => self.log_likelihood,
            Measure::TScore => self.t_score,
            Measure::Frequency => self.table.o11 as f64,
        }
    }
}

/// The bit of a word's id, in a block, that says it is a stop word.
const STOP: u32 = 1 << 31;

fn pack(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

impl Collocations {
    /// An empty accumulator.
    pub fn new(options: CollocationOptions) -> Collocations {
        Collocations {
            options,
            terms: Terms::default(),
            second: Vec::new(),
            node: Vec::new(),
            first: Vec::new(),
            node_freq: 0,
            node_pairs: 0,
            all_pairs: 0,
            words: 0,
            documents: 0,
            serial: 0,
            pairs: FxHashMap::default(),
            block: Vec::new(),
            own_stopwords: OwnStopWords::default(),
        }
    }

    /// The options counted with.
    pub fn options(&self) -> &CollocationOptions {
        &self.options
    }

    /// Words counted.
    pub fn words(&self) -> u64 {
        self.words
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// How often the node was found (0 for bigrams).
    pub fn node_frequency(&self) -> u64 {
        self.node_freq
    }

    /// Makes room for the words up to `id`: whether each is a node is decided when first seen.
    fn grow(&mut self, id: usize) -> Result<(), OutOfMemory> {
        let more = (id + 1).saturating_sub(self.second.len());
        try_room(&mut self.node, more)?;
        try_room(&mut self.second, more)?;
        try_room(&mut self.first, more)?;
        while self.second.len() <= id {
            let name = self.terms.name(self.second.len());
            let is_node = self
                .options
                .node
                .as_ref()
                .is_some_and(|p| p.first_matches(name));
            self.node.push(is_node);
            self.second.push(0);
            self.first.push(0);
        }
        Ok(())
    }

    /// Counts one document's paragraphs and headings (each its own run of words: windows do
    /// not cross them).
    ///
    /// # Errors
    ///
    /// [`OutOfMemory`] when the vocabulary or the pairs cannot grow: the accumulator then
    /// holds part of this document and should be dropped.
    pub fn add_document(&mut self, doc: &Document) -> Result<(), OutOfMemory> {
        self.documents += 1;
        self.serial += 1;
        self.terms.start_document(self.serial);
        let mut block = std::mem::take(&mut self.block);
        let language = self
            .options
            .stopwords_by_language
            .then(|| self.own_stopwords.prepare(doc.lang))
            .flatten();
        for text in doc.body() {
            block.clear();
            let (terms, stopwords) = (&mut self.terms, &self.options.stopwords);
            let mut own = language.and_then(|lang| self.own_stopwords.get(lang));
            let mut refused = Ok(());
            for_each_normal_word(text, |w| {
                if refused.is_err() {
                    return;
                }
                match terms.count(w, stopwords) {
                    // The stop bit rides on the id: ids stay below 2^31.
                    Ok((id, mut stop)) => {
                        if let Some(own) = own.as_deref_mut()
                            && own.contains(id, &w)
                        {
                            stop = true;
                            terms.mark_stop_in_language(id);
                        }
                        block.push(id as u32 | (u32::from(stop) << 31));
                    }
                    Err(e) => refused = Err(e),
                }
            });
            refused?;
            if let Some(max) = block.iter().map(|id| id & !STOP).max() {
                self.grow(max as usize)?;
            }
            self.add_block(&block)?;
        }
        self.block = block;
        Ok(())
    }

    fn add_block(&mut self, ids: &[u32]) -> Result<(), OutOfMemory> {
        let n = ids.len();
        self.words += n as u64;
        let serial = self.serial;
        let bump = |pairs: &mut FxHashMap<u64, PairCount>, key: u64| {
            pairs
                .try_reserve(1)
                .map_err(|_| OutOfMemory::of::<(u64, PairCount)>(pairs.len(), pairs.len()))?;
            let p = pairs.entry(key).or_default();
            p.count += 1;
            if p.last != serial {
                p.last = serial;
                p.documents += 1;
            }
            Ok(())
        };
        if self.options.node.is_none() {
            for w in ids.windows(2) {
                let (a, b) = (w[0], w[1]);
                if (a | b) & STOP != 0 {
                    continue;
                }
                self.first[a as usize] += 1;
                self.second[b as usize] += 1;
                self.all_pairs += 1;
                bump(&mut self.pairs, pack(a, b))?;
            }
            return Ok(());
        }
        let (left, right) = (self.options.left, self.options.right);
        for (j, &id) in ids.iter().enumerate() {
            let id = id & !STOP;
            // Seen from a node `k` words before it (k ≤ right) or after it (k ≤ left).
            let seen = right.min(j) + left.min(n - 1 - j);
            self.second[id as usize] += seen as u64;
            self.all_pairs += seen as u64;
            if self.node[id as usize] {
                self.node_freq += 1;
                let from = j.saturating_sub(left);
                let to = (j + right).min(n - 1);
                self.node_pairs += (to - from) as u64;
                for (k, &other) in ids.iter().enumerate().take(to + 1).skip(from) {
                    if k != j {
                        bump(&mut self.pairs, u64::from(other & !STOP))?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Adds what `other` counted (with the same options).
    ///
    /// # Errors
    ///
    /// [`OutOfMemory`] when the merged vocabulary or pairs do not fit.
    pub fn merge(&mut self, other: Collocations) -> Result<(), OutOfMemory> {
        let map: Vec<u32> = self
            .terms
            .merge(other.terms)?
            .into_iter()
            .map(|i| i as u32)
            .collect();
        if let Some(&max) = map.iter().max() {
            self.grow(max as usize)?;
        }
        self.pairs.try_reserve(other.pairs.len()).map_err(|_| {
            OutOfMemory::of::<(u64, PairCount)>(self.pairs.len(), other.pairs.len())
        })?;
        for (i, &to) in map.iter().enumerate() {
            let to = to as usize;
            self.second[to] += other.second.get(i).copied().unwrap_or(0);
            self.first[to] += other.first.get(i).copied().unwrap_or(0);
        }
        self.node_freq += other.node_freq;
        self.node_pairs += other.node_pairs;
        self.all_pairs += other.all_pairs;
        self.words += other.words;
        self.documents += other.documents;
        let bigrams = self.options.node.is_none();
        for (key, p) in other.pairs {
            let key = if bigrams {
                pack(map[(key >> 32) as usize], map[key as u32 as usize])
            } else {
                u64::from(map[key as usize])
            };
            let mine = self.pairs.entry(key).or_default();
            mine.count += p.count;
            mine.documents += p.documents;
        }
        Ok(())
    }

    /// The collocations seen at least `min_freq` times in at least `min_docs` documents, stop
    /// words left out, best first by `measure` (ties by frequency, then by the words).
    pub fn scored(&self, measure: Measure, min_freq: u64, min_docs: u64) -> Vec<Collocate<'_>> {
        let bigrams = self.options.node.is_none();
        let counted: Vec<(&str, crate::vocabulary::TermCount)> = self.terms.iter().collect();
        let freq = |i: usize| counted.get(i).map_or(0, |(_, t)| t.count);
        let stop = |i: usize| counted.get(i).is_some_and(|(_, t)| t.left_out());
        let name = |i: usize| counted.get(i).map_or("", |(w, _)| *w);
        let node_text = self.options.node.as_ref().map_or("", |p| p.text());
        let out: Vec<Collocate<'_>> = self
            .pairs
            .iter()
            .filter(|(_, p)| p.count >= min_freq.max(1) && p.documents >= min_docs)
            .filter_map(|(&key, p)| {
                let (x, y, table, fx) = match bigrams {
                    true => {
                        let (a, b) = ((key >> 32) as usize, key as u32 as usize);
                        let table = Contingency {
                            o11: p.count,
                            r1: self.first[a],
                            c1: self.second[b],
                            n: self.all_pairs,
                        };
                        (Some(a), b, table, freq(a))
                    }
                    false => {
                        let b = key as usize;
                        if stop(b) {
                            return None;
                        }
                        let table = Contingency {
                            o11: p.count,
                            r1: self.node_pairs,
                            c1: self.second[b],
                            n: self.all_pairs,
                        };
                        (None, b, table, self.node_freq)
                    }
                };
                let fy = freq(y);
                Some(Collocate {
                    node: x.map_or(node_text, name),
                    collocate: name(y),
                    documents: p.documents,
                    node_frequency: fx,
                    collocate_frequency: fy,
                    log_dice: log_dice(p.count, fx, fy),
                    mi: table.mi(),
                    log_likelihood: table.log_likelihood(),
                    t_score: table.t_score(),
                    table,
                })
            })
            .collect();
        // Sorted by a small key, then put in that order: a collocate is too big to move often.
        let mut order: Vec<(f64, u64, usize)> = out
            .iter()
            .enumerate()
            .map(|(i, c)| (c.score(measure), c.table.o11, i))
            .collect();
        order.sort_unstable_by(|a, b| {
            b.0.partial_cmp(&a.0)
                .unwrap_or(Ordering::Equal)
                .then(b.1.cmp(&a.1))
                .then_with(|| {
                    let (x, y) = (&out[a.2], &out[b.2]);
                    (x.node, x.collocate).cmp(&(y.node, y.collocate))
                })
        });
        let mut slots: Vec<Option<Collocate<'_>>> = out.into_iter().map(Some).collect();
        order
            .into_iter()
            .filter_map(|(_, _, i)| slots[i].take())
            .collect()
    }
}
