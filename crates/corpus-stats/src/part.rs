//! Part-files: an accumulator written out whole, to be read back and merged elsewhere (another
//! process, another machine, a later run), with the same result as one accumulator that
//! counted everything.
//!
//! The form is versioned ([`PART_VERSION`]) and checked, in the envelope every part-file of the
//! workspace shares ([`corpus_core::part`]): a magic line, the kind, the version, a hash of the
//! options by field (a part counted with other stop words or groups cannot be merged), the
//! length of the payload, the payload, and its checksum, so a truncated or corrupt part is an
//! error, never a silently smaller count. All integers are little-endian; the payload lists
//! every table in a sorted order, so the same counts make the same bytes at any thread count.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::Arc;

use corpus_core::part::{Envelope, Get, OptionsHash, Put};
use corpus_core::{Date, Lang};

use crate::stats::DayCount;
use crate::vocabulary::{pair, unpair};
use crate::{CorpusStats, Counts, GroupBy, StatsOptions};

/// The version of the part-file form written by [`CorpusStats::write_part`]; a part of
/// another version is refused ([`PartError::Version`]).
pub const PART_VERSION: u32 = 4;

/// The envelope of a statistics part.
const ENVELOPE: Envelope = Envelope {
    magic: b"corpus-stats part\n",
    name: "statistics",
    kind: 1,
    version: PART_VERSION,
};

pub use corpus_core::part::PartError;

impl From<crate::OutOfMemory> for PartError {
    fn from(e: crate::OutOfMemory) -> PartError {
        PartError::OutOfMemory(e.to_string())
    }
}

impl CorpusStats {
    /// Writes the accumulator as a part-file (see [the crate docs](crate#part-files)): every
    /// count, so that [`CorpusStats::read_part`] and [`CorpusStats::merge`] give exactly what
    /// one accumulator would have.
    pub fn write_part(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut p = Put::new();
        put_counts(&mut p, &self.counts);
        p.u64(self.rejected);
        p.u64(self.warnings);
        p.u64(self.words_per_document.len() as u64);
        for (&words, &documents) in &self.words_per_document {
            p.u64(words);
            p.u64(documents);
        }
        p.u64(self.days.len() as u64);
        for (date, day) in &self.days {
            p.u64(date.days() as u64);
            p.u64(day.documents);
            p.u64(day.words);
        }
        // Terms sorted by text; bigrams by those positions.
        let mut terms: Vec<(usize, &str, crate::vocabulary::TermCount)> = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, (word, t))| (i, word, t))
            .collect();
        terms.sort_unstable_by(|a, b| a.1.cmp(b.1));
        let mut position = vec![0u64; terms.len()];
        p.u64(terms.len() as u64);
        for (at, (index, word, t)) in terms.iter().enumerate() {
            position[*index] = at as u64;
            p.str(word);
            p.u64(t.count);
            p.u64(t.documents);
            p.u8(u8::from(t.stop) | u8::from(t.stop_in_language) << 1);
        }
        let mut bigrams: Vec<(u64, u64, u64)> = self
            .bigrams
            .iter()
            .map(|(key, n)| {
                let (a, b) = unpair(key);
                (position[a], position[b], n)
            })
            .collect();
        bigrams.sort_unstable();
        p.u64(bigrams.len() as u64);
        for (a, b, n) in bigrams {
            p.u64(a);
            p.u64(b);
            p.u64(n);
        }
        for names in [&self.related, &self.credits] {
            let mut sorted: Vec<(&str, u64)> = names.iter().map(|(k, v)| (&**k, *v)).collect();
            sorted.sort_unstable();
            p.u64(sorted.len() as u64);
            for (name, n) in sorted {
                p.str(name);
                p.u64(n);
            }
        }
        p.u64(self.groups.len() as u64);
        for (group, counts) in &self.groups {
            p.str(group);
            put_counts(&mut p, counts);
        }
        p.u64(self.languages.len() as u64);
        for (lang, counts) in &self.languages {
            p.str(lang.code());
            put_counts(&mut p, counts);
        }
        ENVELOPE.write(out, options_hash(&self.options), &p.into_bytes())
    }

    /// Reads a part-file written by [`CorpusStats::write_part`] with the same `options`, to
    /// merge with others.
    pub fn read_part(
        input: &mut dyn Read,
        options: StatsOptions,
    ) -> Result<CorpusStats, PartError> {
        let payload = ENVELOPE.read(input, options_hash(&options))?;
        let mut stats = CorpusStats::with_shared_options(Arc::new(options));
        let mut r = Get::new(&payload);
        stats.counts = get_counts(&mut r)?;
        stats.rejected = r.u64()?;
        stats.warnings = r.u64()?;
        for _ in 0..r.len(1)? {
            let (words, documents) = (r.u64()?, r.u64()?);
            stats.words_per_document.insert(words, documents);
        }
        for _ in 0..r.len(1)? {
            let date = Date::from_days(r.u64()? as i64)
                .ok_or(PartError::Corrupt("a date out of range"))?;
            let day = DayCount {
                documents: r.u64()?,
                words: r.u64()?,
            };
            stats.days.insert(date, day);
        }
        let n = r.len(1)?;
        let mut index = Vec::with_capacity(n);
        for _ in 0..n {
            let word = r.str()?;
            let (count, documents, flags) = (r.u64()?, r.u64()?, r.u8()?);
            let stop = (flags & 1 != 0, flags & 2 != 0);
            index.push(stats.terms.insert_counted(word, count, documents, stop)?);
        }
        let term = |at: u64| {
            index
                .get(at as usize)
                .copied()
                .ok_or(PartError::Corrupt("a bigram of no term"))
        };
        for _ in 0..r.len(1)? {
            let (a, b, n) = (term(r.u64()?)?, term(r.u64()?)?, r.u64()?);
            stats.bigrams.add(pair(a, b), n)?;
        }
        for names in [&mut stats.related, &mut stats.credits] {
            for _ in 0..r.len(1)? {
                let name = r.str()?.into();
                names.insert(name, r.u64()?);
            }
        }
        let mut groups = BTreeMap::new();
        for _ in 0..r.len(1)? {
            let group = r.str()?.to_owned();
            groups.insert(group, get_counts(&mut r)?);
        }
        stats.groups = groups;
        for _ in 0..r.len(1)? {
            let lang = Lang::from_tag(r.str()?).ok_or(PartError::Corrupt("a language code"))?;
            stats.languages.insert(lang, get_counts(&mut r)?);
        }
        r.end()?;
        Ok(stats)
    }
}

fn put_counts(out: &mut Put, c: &Counts) {
    c.values().iter().for_each(|&v| out.u64(v));
}

fn get_counts(r: &mut Get<'_>) -> Result<Counts, PartError> {
    Ok(Counts {
        documents: r.u64()?,
        bytes: r.u64()?,
        characters: r.u64()?,
        words: r.u64()?,
        sentences: r.u64()?,
        paragraphs: r.u64()?,
        headings: r.u64()?,
        related_links: r.u64()?,
        image_credits: r.u64()?,
        undated: r.u64()?,
    })
}

/// A hash of what the options change in the counts, field by field: the stop words and the
/// grouping.
fn options_hash(options: &StatsOptions) -> u64 {
    let mut stopwords = String::new();
    for w in options.stopwords.sorted() {
        stopwords.push_str(w);
        stopwords.push('\n');
    }
    let group = match &options.group_by {
        None => "none".to_owned(),
        Some(GroupBy::Year) => "year".to_owned(),
        Some(GroupBy::Month) => "month".to_owned(),
        Some(GroupBy::Meta(field)) => format!("meta {field}"),
        Some(GroupBy::Lang) => "lang".to_owned(),
    };
    OptionsHash::new()
        .field("stopwords", stopwords)
        .field(
            "stopwords_by_language",
            options.stopwords_by_language.to_string(),
        )
        .field("group_by", group)
        .finish()
}
