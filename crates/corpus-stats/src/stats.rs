//! The accumulator: what one pass over the documents adds up, and how two passes merge.

use std::collections::BTreeMap;
use std::ops::AddAssign;
use std::sync::Arc;

use corpus_core::{Date, Document, Lang, Problem, for_each_normal_word, sentence_count};
use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::StopWords;
use crate::stopwords::OwnStopWords;
use crate::vocabulary::{Bigrams, OutOfMemory, Terms, pair, try_room, unpair};

/// What to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatsOptions {
    /// Words left out of the top-term and bigram lists in every document. Default:
    /// [`StopWords::english`].
    pub stopwords: StopWords,
    /// Also leave out, in each document, the stop words of its own language
    /// ([`StopWords::for_language`] of [`Document::lang`]; nothing more for English, for `und`
    /// and for a language with no list). A term is left out of the top lists when it is a stop
    /// word of a document it was counted in, and a bigram when either word is one in its
    /// document. Default: on (the command line's `--stopwords auto`).
    pub stopwords_by_language: bool,
    /// Repeat the headline counts per group. Default: none.
    pub group_by: Option<GroupBy>,
}

impl Default for StatsOptions {
    fn default() -> StatsOptions {
        StatsOptions {
            stopwords: StopWords::english(),
            stopwords_by_language: true,
            group_by: None,
        }
    }
}

/// How documents are grouped for per-group counts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupBy {
    /// By publication year (`1987`); undated documents form the group `undated`.
    Year,
    /// By publication month (`1987-03`); undated documents form the group `undated`.
    Month,
    /// By a metadata field. A string or number is the group; each string of an array is a group
    /// the document belongs to (so `topics: ["grain", "wheat"]` counts in both); a missing,
    /// null or empty field is the group `(none)`.
    Meta(String),
    /// By language ([`Document::lang`]): `en`, `zh`, `und`.
    Lang,
}

impl GroupBy {
    /// The groups `doc` counts in: one for [`GroupBy::Year`] and [`GroupBy::Month`], one per
    /// distinct value of an array field, `(none)` when the field is missing or empty.
    ///
    /// ```
    /// use corpus_core::Document;
    /// use corpus_stats::GroupBy;
    ///
    /// let mut doc = Document::new("a", "mem", "text");
    /// doc.metadata.insert("topics".into(), serde_json::json!(["wheat", "grain", "wheat"]));
    /// assert_eq!(GroupBy::Meta("topics".into()).keys(&doc), ["grain", "wheat"]);
    /// assert_eq!(GroupBy::Year.keys(&doc), ["undated"]);
    /// ```
    pub fn keys(&self, doc: &Document) -> Vec<String> {
        group_keys(self, doc)
    }
}

/// Headline counts of a set of documents (or of one: then `documents` is 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Counts {
    /// Documents.
    pub documents: u64,
    /// Bytes of source text (UTF-8).
    pub bytes: u64,
    /// Characters (Unicode scalar values) of source text.
    pub characters: u64,
    /// Words of the body (UAX #29).
    pub words: u64,
    /// Sentences of the body (UAX #29).
    pub sentences: u64,
    /// Paragraph blocks.
    pub paragraphs: u64,
    /// Heading blocks.
    pub headings: u64,
    /// Related-link blocks.
    pub related_links: u64,
    /// Image-credit blocks.
    pub image_credits: u64,
    /// Documents without a date.
    pub undated: u64,
}

impl Counts {
    /// The counts in the order of their fields (documents, bytes, characters, words, sentences,
    /// paragraphs, headings, related links, image credits, undated): the order of the part-files
    /// and the reports.
    pub fn values(&self) -> [u64; 10] {
        [
            self.documents,
            self.bytes,
            self.characters,
            self.words,
            self.sentences,
            self.paragraphs,
            self.headings,
            self.related_links,
            self.image_credits,
            self.undated,
        ]
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.documents += o.documents;
        self.bytes += o.bytes;
        self.characters += o.characters;
        self.words += o.words;
        self.sentences += o.sentences;
        self.paragraphs += o.paragraphs;
        self.headings += o.headings;
        self.related_links += o.related_links;
        self.image_credits += o.image_credits;
        self.undated += o.undated;
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct DayCount {
    pub(crate) documents: u64,
    pub(crate) words: u64,
}

/// The accumulator of corpus statistics. See the crate docs.
#[derive(Debug, Clone)]
pub struct CorpusStats {
    pub(crate) options: Arc<StatsOptions>,
    pub(crate) counts: Counts,
    pub(crate) rejected: u64,
    pub(crate) warnings: u64,
    /// Words per document: how many documents have each body word count.
    pub(crate) words_per_document: BTreeMap<u64, u64>,
    pub(crate) days: BTreeMap<Date, DayCount>,
    pub(crate) terms: Terms,
    /// Bigrams by the indices of their terms (see [`pair`]).
    pub(crate) bigrams: Bigrams,
    pub(crate) related: FxHashMap<Box<str>, u64>,
    pub(crate) credits: FxHashMap<Box<str>, u64>,
    pub(crate) groups: BTreeMap<String, Counts>,
    /// Headline counts per language, always kept.
    pub(crate) languages: BTreeMap<Lang, Counts>,
    serial: u64,
    /// The stop words of the documents' own languages: a cache, neither merged nor written.
    own_stopwords: OwnStopWords,
    /// The bigrams of the block being counted (a buffer kept between blocks; only its start,
    /// up to the count of bigrams, is the block's).
    pairs: Vec<u64>,
}

impl CorpusStats {
    /// An empty accumulator.
    pub fn new(options: StatsOptions) -> CorpusStats {
        CorpusStats::with_shared_options(Arc::new(options))
    }

    /// An empty accumulator sharing `options` with others (one per worker, say).
    pub(crate) fn with_shared_options(options: Arc<StatsOptions>) -> CorpusStats {
        CorpusStats {
            options,
            counts: Counts::default(),
            rejected: 0,
            warnings: 0,
            words_per_document: BTreeMap::new(),
            days: BTreeMap::new(),
            terms: Terms::default(),
            bigrams: Bigrams::default(),
            related: FxHashMap::default(),
            credits: FxHashMap::default(),
            groups: BTreeMap::new(),
            languages: BTreeMap::new(),
            serial: 0,
            own_stopwords: OwnStopWords::default(),
            pairs: Vec::new(),
        }
    }

    /// The options the accumulator was made with.
    pub fn options(&self) -> &StatsOptions {
        &self.options
    }

    /// Adds one document and returns its own figures (for a per-document report).
    ///
    /// # Errors
    ///
    /// [`OutOfMemory`] when the vocabulary's tables cannot grow: the accumulator then holds
    /// part of this document and should be dropped.
    pub fn add_document(&mut self, doc: &Document) -> Result<Counts, OutOfMemory> {
        self.count_document(doc)
            .map_err(|e| e.at(self.terms.len(), self.bigrams.len()))
    }

    fn count_document(&mut self, doc: &Document) -> Result<Counts, OutOfMemory> {
        self.serial += 1;
        self.terms.start_document(self.serial);
        let language = self
            .options
            .stopwords_by_language
            .then(|| self.own_stopwords.prepare(doc.lang))
            .flatten();
        let mut c = Counts {
            documents: 1,
            bytes: doc.text.len() as u64,
            characters: doc.text.chars().count() as u64,
            undated: u64::from(doc.date.is_none()),
            ..Counts::default()
        };
        for block in &doc.blocks {
            let text = doc.block_text(block);
            match block.kind {
                corpus_core::BlockKind::Paragraph => c.paragraphs += 1,
                corpus_core::BlockKind::Heading => c.headings += 1,
                corpus_core::BlockKind::RelatedLink => c.related_links += 1,
                corpus_core::BlockKind::ImageCredit => c.image_credits += 1,
            }
            if block.kind.is_body() {
                c.sentences += sentence_count(text) as u64;
                c.words += self.add_words(text, language)?;
            }
        }
        for title in doc.related_links() {
            count_name(&mut self.related, title)?;
        }
        for source in doc.image_credits() {
            count_name(&mut self.credits, source)?;
        }
        self.counts += c;
        *self.words_per_document.entry(c.words).or_default() += 1;
        if let Some(date) = doc.date {
            let day = self.days.entry(date).or_default();
            day.documents += 1;
            day.words += c.words;
        }
        if let Some(group_by) = &self.options.group_by {
            for key in group_keys(group_by, doc) {
                *self.groups.entry(key).or_default() += c;
            }
        }
        *self.languages.entry(doc.lang).or_default() += c;
        Ok(c)
    }

    /// Counts the words of one body block into terms and bigrams; returns how many there were.
    /// `language`: the document's language, where it has stop words of its own
    /// ([`OwnStopWords::prepare`]).
    fn add_words(&mut self, text: &str, language: Option<Lang>) -> Result<u64, OutOfMemory> {
        let (terms, pairs) = (&mut self.terms, &mut self.pairs);
        let stopwords = &self.options.stopwords;
        let mut own = language.and_then(|lang| self.own_stopwords.get(lang));
        let mut words = 0;
        // A bigram is two adjacent words, neither a stop word. Every pair is written and only
        // the bigrams kept, without a branch: stop words come and go unpredictably.
        let mut kept = 0;
        let (mut previous, mut previous_counts) = (0, false);
        let mut refused = Ok(());
        for_each_normal_word(text, |word| {
            if refused.is_err() {
                return;
            }
            let (index, mut stop) = match terms.count(word, stopwords) {
                Ok(counted) => counted,
                Err(e) => return refused = Err(e),
            };
            if let Some(own) = own.as_deref_mut()
                && own.contains(index, &word)
            {
                stop = true;
                terms.mark_stop_in_language(index);
            }
            if kept == pairs.len() {
                if let Err(e) = try_room(pairs, pairs.len() + 64) {
                    return refused = Err(e);
                }
                pairs.resize(pairs.capacity(), 0);
            }
            pairs[kept] = pair(previous, index);
            kept += usize::from(previous_counts & !stop);
            (previous, previous_counts) = (index, !stop);
            words += 1;
        });
        refused?;
        self.bigrams.add_all(&pairs[..kept])?;
        Ok(words)
    }

    /// Counts a problem: a rejected input, or a warning about a kept document.
    pub fn add_problem(&mut self, problem: &Problem) {
        if problem.rejects() {
            self.rejected += 1;
        } else {
            self.warnings += 1;
        }
    }

    /// Adds another accumulator's figures to this one. Both must have been made with equal
    /// options; the result does not depend on the order of merges.
    ///
    /// # Errors
    ///
    /// [`OutOfMemory`] when the vocabulary's tables cannot grow: this accumulator then holds
    /// part of `other` and should be dropped.
    pub fn merge(&mut self, other: CorpusStats) -> Result<(), OutOfMemory> {
        self.merge_counts(other)
            .map_err(|e| e.at(self.terms.len(), self.bigrams.len()))
    }

    fn merge_counts(&mut self, other: CorpusStats) -> Result<(), OutOfMemory> {
        debug_assert_eq!(
            *self.options, *other.options,
            "merging stats made with different options"
        );
        self.counts += other.counts;
        self.rejected += other.rejected;
        self.warnings += other.warnings;
        for (k, v) in other.words_per_document {
            *self.words_per_document.entry(k).or_default() += v;
        }
        for (k, v) in other.days {
            let day = self.days.entry(k).or_default();
            day.documents += v.documents;
            day.words += v.words;
        }
        // The other accumulator numbers its terms its own way: map its indices to ours.
        let ours = self.terms.merge(other.terms)?;
        for (key, n) in other.bigrams.iter() {
            let (a, b) = unpair(key);
            self.bigrams.add(pair(ours[a], ours[b]), n)?;
        }
        merge_counts(&mut self.related, other.related)?;
        merge_counts(&mut self.credits, other.credits)?;
        for (k, v) in other.groups {
            *self.groups.entry(k).or_default() += v;
        }
        for (k, v) in other.languages {
            *self.languages.entry(k).or_default() += v;
        }
        Ok(())
    }

    /// The headline counts so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }
}

/// Counts one more `name` (a link title, a credit source).
fn count_name(names: &mut FxHashMap<Box<str>, u64>, name: &str) -> Result<(), OutOfMemory> {
    names
        .try_reserve(1)
        .map_err(|_| OutOfMemory::of::<(Box<str>, u64)>(names.len(), names.len()))?;
    *names.entry(name.into()).or_default() += 1;
    Ok(())
}

fn merge_counts(
    into: &mut FxHashMap<Box<str>, u64>,
    mut from: FxHashMap<Box<str>, u64>,
) -> Result<(), OutOfMemory> {
    if into.len() < from.len() {
        // Insert the smaller map into the larger: same result, less rehashing.
        std::mem::swap(into, &mut from);
    }
    into.try_reserve(from.len())
        .map_err(|_| OutOfMemory::of::<(Box<str>, u64)>(into.len(), from.len()))?;
    for (k, v) in from {
        *into.entry(k).or_default() += v;
    }
    Ok(())
}

/// The groups a document counts in.
fn group_keys(group_by: &GroupBy, doc: &Document) -> Vec<String> {
    const UNDATED: &str = "undated";
    const NONE: &str = "(none)";
    match group_by {
        GroupBy::Year => vec![
            doc.date
                .map_or_else(|| UNDATED.into(), |d| d.year().to_string()),
        ],
        GroupBy::Month => vec![doc.date.map_or_else(
            || UNDATED.into(),
            |d| format!("{:04}-{:02}", d.year(), d.month()),
        )],
        GroupBy::Lang => vec![doc.lang.to_string()],
        GroupBy::Meta(field) => {
            let keys: Vec<String> = match doc.metadata.get(field) {
                Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
                Some(Value::Number(n)) => vec![n.to_string()],
                Some(Value::Bool(b)) => vec![b.to_string()],
                Some(Value::Array(items)) => {
                    let mut keys: Vec<String> = items
                        .iter()
                        .filter_map(|v| match v {
                            Value::String(s) if !s.is_empty() => Some(s.clone()),
                            Value::Number(n) => Some(n.to_string()),
                            _ => None,
                        })
                        .collect();
                    keys.sort();
                    keys.dedup();
                    keys
                }
                Some(Value::Object(_)) => vec![doc.metadata[field].to_string()],
                _ => Vec::new(),
            };
            if keys.is_empty() {
                vec![NONE.into()]
            } else {
                keys
            }
        }
    }
}

#[cfg(test)]
mod tests;
