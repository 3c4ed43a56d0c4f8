//! Keyness: the words typical of one part of a corpus against another.

use std::cmp::Ordering;

use corpus_core::{Date, Document, Lang, for_each_normal_word};
use rustc_hash::FxHashMap;

use super::measures::{keyness_log_likelihood, log_ratio};
use crate::{GroupBy, OutOfMemory, StopWords};

/// Word frequencies of one part of a corpus, and in how many of its documents each word is;
/// with [`TermCounts::with_stopwords`], which words are stop words, left out of the
/// [`keywords`].
#[derive(Debug, Clone, Default)]
pub struct TermCounts {
    /// Per term: occurrences, documents, the serial of the last document, whether a stop word.
    terms: FxHashMap<Box<[u8]>, (u64, u64, u64, bool)>,
    words: u64,
    documents: u64,
    stopwords: StopWords,
    /// Each document's own language's stop words too, loaded once per language (`None`:
    /// none beyond `stopwords`); `None` for the whole when off.
    languages: Option<FxHashMap<Lang, Option<StopWords>>>,
}

impl TermCounts {
    /// Counts that leave `stopwords` out of the keywords and, with `by_language`, each
    /// document's own language's list too ([`StopWords::for_language`]; English and `und`
    /// add nothing), as [`StatsOptions::stopwords_by_language`](crate::StatsOptions) does: a
    /// word is left out when it was a stop word in a document it was counted in.
    pub fn with_stopwords(stopwords: StopWords, by_language: bool) -> TermCounts {
        TermCounts {
            stopwords,
            languages: by_language.then(FxHashMap::default),
            ..TermCounts::default()
        }
    }

    /// Counts the words of a document's paragraphs and headings.
    ///
    /// # Errors
    ///
    /// [`OutOfMemory`] when the table of terms cannot grow: the counts then hold part of this
    /// document and should be dropped.
    pub fn add_document(&mut self, doc: &Document) -> Result<(), OutOfMemory> {
        self.documents += 1;
        let serial = self.documents;
        let mut refused = Ok(());
        let own = match &mut self.languages {
            Some(languages) if doc.lang != Lang::EN && doc.lang.is_known() => languages
                .entry(doc.lang)
                .or_insert_with(|| StopWords::for_language(doc.lang))
                .as_ref(),
            _ => None,
        };
        let is_stop = |list: &StopWords, w: &[u8]| {
            !list.is_empty() && std::str::from_utf8(w).is_ok_and(|w| list.contains(w))
        };
        for text in doc.body() {
            for_each_normal_word(text, |w| {
                if refused.is_err() {
                    return;
                }
                self.words += 1;
                let bytes = w.as_bytes();
                if !self.terms.contains_key(bytes) {
                    if self.terms.try_reserve(1).is_err() {
                        let len = self.terms.len();
                        refused = Err(OutOfMemory::of::<(Box<[u8]>, (u64, u64, u64, bool))>(
                            len, len,
                        )
                        .at(len, 0));
                        return;
                    }
                    let stop = is_stop(&self.stopwords, bytes);
                    self.terms.insert(bytes.into(), (0, 0, 0, stop));
                }
                let Some(entry) = self.terms.get_mut(bytes) else {
                    return;
                };
                entry.0 += 1;
                if entry.2 != serial {
                    entry.2 = serial;
                    entry.1 += 1;
                }
                if !entry.3 && own.is_some_and(|list| is_stop(list, bytes)) {
                    entry.3 = true;
                }
            });
        }
        refused
    }

    /// Adds what `other` counted (other documents: each is counted by one accumulator).
    ///
    /// # Errors
    ///
    /// [`OutOfMemory`] when the merged table does not fit.
    pub fn merge(&mut self, other: TermCounts) -> Result<(), OutOfMemory> {
        self.terms.try_reserve(other.terms.len()).map_err(|_| {
            let len = self.terms.len();
            OutOfMemory::of::<(Box<[u8]>, (u64, u64, u64, bool))>(len, other.terms.len()).at(len, 0)
        })?;
        self.words += other.words;
        self.documents += other.documents;
        for (term, (count, docs, _, stop)) in other.terms {
            let e = self.terms.entry(term).or_default();
            e.0 += count;
            e.1 += docs;
            e.3 |= stop;
            // The next document counted here is new to every term.
            e.2 = 0;
        }
        for e in self.terms.values_mut() {
            e.2 = 0;
        }
        Ok(())
    }

    /// Words counted.
    pub fn words(&self) -> u64 {
        self.words
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// A word's frequency (in normal form).
    pub fn count(&self, word: &str) -> u64 {
        self.terms.get(word.as_bytes()).map_or(0, |e| e.0)
    }
}

/// A word's keyness in a target against a reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    /// The word, in normal form.
    pub word: String,
    /// Its frequency in the target, and the target's documents it is in.
    pub target: u64,
    /// See [`Keyword::target`].
    pub target_documents: u64,
    /// Its frequency in the reference, and the reference's documents it is in.
    pub reference: u64,
    /// See [`Keyword::reference`].
    pub reference_documents: u64,
    /// Log-likelihood G² ([`keyness_log_likelihood`]).
    pub log_likelihood: f64,
    /// Log Ratio ([`log_ratio`]): positive for a word more frequent in the target.
    pub log_ratio: f64,
}

/// The keywords typical of the target (relatively more frequent there) and those typical of the
/// reference, in their order; a word as frequent in both, relatively, is typical of neither.
pub fn typical<'k>(
    keywords: &'k [Keyword],
    target: &TermCounts,
    reference: &TermCounts,
) -> (Vec<&'k Keyword>, Vec<&'k Keyword>) {
    let relative = |k: &Keyword| relative(k, (target.words, reference.words));
    let of_target = keywords.iter().filter(|k| relative(k).is_gt()).collect();
    let of_reference = keywords.iter().filter(|k| relative(k).is_lt()).collect();
    (of_target, of_reference)
}

/// How a keyword's relative frequency in the target compares with the reference's, the two
/// sides having `c` and `d` words.
fn relative(k: &Keyword, (c, d): (u64, u64)) -> Ordering {
    (u128::from(k.target) * u128::from(d)).cmp(&(u128::from(k.reference) * u128::from(c)))
}

/// The keywords of `target` against `reference`: every word found at least `min_freq` times
/// in the two together and a stop word in neither ([`TermCounts::with_stopwords`]), with its
/// G² and Log Ratio; the positive ones (relatively more
/// frequent in the target) first, then the negative ones, each by G² (ties by word).
///
/// ```
/// use corpus_core::{Block, BlockKind, Document};
/// use corpus_stats::{TermCounts, keywords};
///
/// let doc = |text: &str| {
///     let mut d = Document::new("x", "mem", text);
///     d.blocks = vec![Block::new(BlockKind::Paragraph, 0..text.len())];
///     d
/// };
/// let (mut march, mut april) = (TermCounts::default(), TermCounts::default());
/// march.add_document(&doc("oil oil oil prices rose"))?;
/// april.add_document(&doc("wheat prices rose and wheat fell"))?;
/// let key = keywords(&march, &april, 1);
/// assert_eq!(key[0].word, "oil");
/// assert!(key[0].log_ratio > 0.0);
/// let typical_of_april = key.iter().find(|k| k.log_ratio < 0.0).map(|k| k.word.as_str());
/// assert_eq!(typical_of_april, Some("wheat"));
/// # Ok::<(), corpus_stats::OutOfMemory>(())
/// ```
pub fn keywords(target: &TermCounts, reference: &TermCounts, min_freq: u64) -> Vec<Keyword> {
    let mut words: Vec<&[u8]> = target
        .terms
        .keys()
        .chain(reference.terms.keys())
        .map(|k| &**k)
        .collect();
    words.sort_unstable();
    words.dedup();
    ranked(
        words,
        (target.words, reference.words),
        |w| target.terms.get(w).copied().unwrap_or_default(),
        |w| reference.terms.get(w).copied().unwrap_or_default(),
        min_freq,
    )
}

/// The keywords of `words`, each word's counts in the target and the reference from `a` and
/// `b` (occurrences, documents, -, stop word), `c` and `d` the two sides' words; in
/// [`keywords`]' order.
fn ranked(
    words: Vec<&[u8]>,
    (c, d): (u64, u64),
    a: impl Fn(&[u8]) -> (u64, u64, u64, bool),
    b: impl Fn(&[u8]) -> (u64, u64, u64, bool),
    min_freq: u64,
) -> Vec<Keyword> {
    let mut out: Vec<Keyword> = words
        .into_iter()
        .filter_map(|w| {
            let (a, ad, _, a_stop) = a(w);
            let (b, bd, _, b_stop) = b(w);
            (a + b >= min_freq.max(1) && !a_stop && !b_stop).then(|| Keyword {
                word: String::from_utf8_lossy(w).into_owned(),
                target: a,
                target_documents: ad,
                reference: b,
                reference_documents: bd,
                log_likelihood: keyness_log_likelihood(a, c, b, d),
                log_ratio: log_ratio(a, c, b, d),
            })
        })
        .collect();
    let positive = |k: &Keyword| (k.target as f64) * (d as f64) > (k.reference as f64) * (c as f64);
    out.sort_by(|x, y| {
        positive(y)
            .cmp(&positive(x))
            .then(
                y.log_likelihood
                    .partial_cmp(&x.log_likelihood)
                    .unwrap_or(Ordering::Equal),
            )
            .then_with(|| x.word.cmp(&y.word))
    });
    out
}

/// Word frequencies of each group of a corpus (a value of a metadata field, a year, a
/// language: [`GroupBy`]) and of the whole, for the keywords of each group against the rest
/// of the corpus, in one read ([`GroupTermCounts::keywords`]). A document of several groups
/// (an array field) counts in each.
///
/// ```
/// use corpus_core::{Block, BlockKind, Document};
/// use corpus_stats::{GroupBy, GroupTermCounts, TermCounts};
///
/// let doc = |text: &str, topic: &str| {
///     let mut d = Document::new("x", "mem", text);
///     d.blocks = vec![Block::new(BlockKind::Paragraph, 0..text.len())];
///     d.metadata.insert("topic".into(), topic.into());
///     d
/// };
/// let mut counts = GroupTermCounts::new(GroupBy::Meta("topic".into()), TermCounts::default());
/// counts.add_document(&doc("the goal in the final minute", "sport"))?;
/// counts.add_document(&doc("the shares rose in the final hour", "business"))?;
/// counts.add_document(&doc("the profit and the shares", "business"))?;
/// let groups = counts.groups();
/// assert_eq!(groups.iter().map(|(g, _)| *g).collect::<Vec<_>>(), ["business", "sport"]);
/// let key = counts.keywords(groups[0].1, 1);
/// assert_eq!(key[0].word, "shares");
/// assert_eq!(counts.rest_of(groups[0].1).documents(), 1);
/// # Ok::<(), corpus_stats::OutOfMemory>(())
/// ```
#[derive(Debug, Clone)]
pub struct GroupTermCounts {
    by: GroupBy,
    /// Empty counts with the stop words: what each new group starts from.
    empty: TermCounts,
    all: TermCounts,
    groups: FxHashMap<String, TermCounts>,
}

impl GroupTermCounts {
    /// Counts by the groups of `by`, each (and the whole) as `counts` counts (an empty
    /// [`TermCounts`], with its stop words).
    pub fn new(by: GroupBy, counts: TermCounts) -> GroupTermCounts {
        GroupTermCounts {
            by,
            all: counts.clone(),
            empty: counts,
            groups: FxHashMap::default(),
        }
    }

    /// Counts a document in the whole and in each of its groups.
    ///
    /// # Errors
    ///
    /// [`OutOfMemory`] when a table of terms cannot grow.
    pub fn add_document(&mut self, doc: &Document) -> Result<(), OutOfMemory> {
        self.all.add_document(doc)?;
        for key in self.by.keys(doc) {
            let empty = &self.empty;
            self.groups
                .entry(key)
                .or_insert_with(|| empty.clone())
                .add_document(doc)?;
        }
        Ok(())
    }

    /// Adds what `other` counted (other documents).
    ///
    /// # Errors
    ///
    /// [`OutOfMemory`] when a merged table does not fit.
    pub fn merge(&mut self, other: GroupTermCounts) -> Result<(), OutOfMemory> {
        self.all.merge(other.all)?;
        for (key, counts) in other.groups {
            match self.groups.get_mut(&key) {
                Some(mine) => mine.merge(counts)?,
                None => {
                    self.groups.insert(key, counts);
                }
            }
        }
        Ok(())
    }

    /// The whole corpus's counts.
    pub fn all(&self) -> &TermCounts {
        &self.all
    }

    /// Each group and its counts, by name.
    pub fn groups(&self) -> Vec<(&str, &TermCounts)> {
        let mut groups: Vec<(&str, &TermCounts)> =
            self.groups.iter().map(|(k, c)| (k.as_str(), c)).collect();
        groups.sort_unstable_by(|a, b| a.0.cmp(b.0));
        groups
    }

    /// The counts of the rest of the corpus: every document not in `group` (one of
    /// [`GroupTermCounts::groups`]).
    pub fn rest_of(&self, group: &TermCounts) -> TermCounts {
        let mut rest = self.empty.clone();
        rest.words = self.all.words - group.words.min(self.all.words);
        rest.documents = self.all.documents - group.documents.min(self.all.documents);
        for (term, &(n, docs, _, stop)) in &self.all.terms {
            let (g, gd, _, _) = group.terms.get(term).copied().unwrap_or_default();
            if n > g {
                rest.terms
                    .insert(term.clone(), (n - g, docs - gd.min(docs), 0, stop));
            }
        }
        rest
    }

    /// The words typical of `group` against the rest of the corpus: its
    /// [`GroupTermCounts::keywords`] relatively more frequent in it, as [`typical`] picks them.
    pub fn typical_of(&self, group: &TermCounts, min_freq: u64) -> Vec<Keyword> {
        let sides = (group.words, self.rest_of_size(group).1);
        self.keywords(group, min_freq)
            .into_iter()
            .filter(|k| relative(k, sides).is_gt())
            .collect()
    }

    /// The documents and words of the rest of the corpus: every document not in `group`.
    pub fn rest_of_size(&self, group: &TermCounts) -> (u64, u64) {
        (
            self.all.documents - group.documents.min(self.all.documents),
            self.all.words - group.words.min(self.all.words),
        )
    }

    /// The keywords of `group` (one of [`GroupTermCounts::groups`]) against the rest of the
    /// corpus, as [`keywords`] gives them against [`GroupTermCounts::rest_of`], without
    /// making the rest's table.
    pub fn keywords(&self, group: &TermCounts, min_freq: u64) -> Vec<Keyword> {
        let mut words: Vec<&[u8]> = self.all.terms.keys().map(|k| &**k).collect();
        words.sort_unstable();
        let of_group = |w: &[u8]| group.terms.get(w).copied().unwrap_or_default();
        let rest_words = self.all.words - group.words.min(self.all.words);
        ranked(
            words,
            (group.words, rest_words),
            of_group,
            |w| {
                let (n, docs, _, stop) = self.all.terms.get(w).copied().unwrap_or_default();
                let (g, gd, _, _) = of_group(w);
                (n - g.min(n), docs - gd.min(docs), 0, stop)
            },
            min_freq,
        )
    }
}

/// A part of a corpus, as `--target` and `--reference` name it: a date, a month, a year or a
/// range of them (`1987-03`, `1987-03-01..1987-03-15`, `1986..1987`), or the documents whose
/// metadata field has a value (`meta.FIELD=VALUE`; for a list, one of its items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Documents dated from the first day to the last, both included.
    Dates(Date, Date),
    /// Documents whose metadata `field` is `value`.
    Meta(String, String),
}

/// Why a part cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a part: give a date, month or year (1987-03-05, 1987-03, 1987), a range of them (1987-03..1987-04), or meta.FIELD=VALUE"
)]
pub struct PartSyntax(pub String);

impl Part {
    /// The part `expr` names.
    pub fn parse(expr: &str) -> Result<Part, PartSyntax> {
        let bad = || PartSyntax(expr.to_owned());
        if let Some(rest) = expr.strip_prefix("meta.") {
            let (field, value) = rest.split_once('=').ok_or_else(bad)?;
            if field.is_empty() {
                return Err(bad());
            }
            return Ok(Part::Meta(field.to_owned(), value.to_owned()));
        }
        let (from, to) = expr.split_once("..").unwrap_or((expr, expr));
        let first = Date::period(from.trim()).ok_or_else(bad)?.0;
        let last = Date::period(to.trim()).ok_or_else(bad)?.1;
        if last < first {
            return Err(bad());
        }
        Ok(Part::Dates(first, last))
    }

    /// Whether `doc` is in the part.
    pub fn contains(&self, doc: &Document) -> bool {
        match self {
            Part::Dates(first, last) => doc.date.is_some_and(|d| *first <= d && d <= *last),
            Part::Meta(field, value) => doc.meta_is(field, |text| text == value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Part;
    use corpus_core::Date;

    #[test]
    fn parts_by_date_and_by_metadata() {
        let day = |s: &str| Date::parse(s).expect("date");
        for (text, part) in [
            (
                "1987-03",
                Ok(Part::Dates(day("1987-03-01"), day("1987-03-31"))),
            ),
            (
                "1988-02",
                Ok(Part::Dates(day("1988-02-01"), day("1988-02-29"))),
            ),
            (
                "1986..1987-01",
                Ok(Part::Dates(day("1986-01-01"), day("1987-01-31"))),
            ),
            (
                "1987-03-05",
                Ok(Part::Dates(day("1987-03-05"), day("1987-03-05"))),
            ),
            (
                "meta.source=AP",
                Ok(Part::Meta("source".into(), "AP".into())),
            ),
        ] {
            assert_eq!(Part::parse(text), part, "{text}");
        }
        for bad in [
            "87-03",
            "1987-13",
            "1987-04..1987-03",
            "meta.=x",
            "meta.x",
            "march",
        ] {
            assert!(Part::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Date::period("1987-12").map(|p| p.1),
            Some(day("1987-12-31"))
        );
    }
}
