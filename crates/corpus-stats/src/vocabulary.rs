//! The term and bigram tables: the two structures every word of the corpus goes through.
//!
//! A general map (`IndexMap<Box<str>, _>`) costs a hash of the string, an index probe, a
//! pointer chase to the key and a `memcmp` per word; over a gigabyte of news that was most of
//! the time `corpus stats` took. Here a term of up to 16 bytes (nearly all of them) is keyed by
//! its bytes packed in two integers ([`NormalWord::packed`]), hashed from them and compared as
//! them. The few thousand terms that make most of a text are counted in a small front cache
//! that stays in the processor's cache ([`Terms::front`]); the others touch one slot and one
//! 64-byte entry. Bigrams are pairs of term indices in an open-addressing table of `(pair, count)`
//! slots.
//!
//! Each word is counted as the scanner finds it ([`Terms::count`]); whether a word is new to its
//! document and whether a pair of neighbours makes a bigram are computed without branches,
//! since both change unpredictably from word to word. The front cache is direct-mapped, 16,384
//! entries of 32 bytes; a 2-bit hit counter keeps a hot term from being evicted by a cold one,
//! and pending counts are added to the entries when evicted or read. The summary picks top
//! terms and bigrams by their counts before it reads any term's text.
//!
//! # Memory
//!
//! A term costs its 64-byte entry, 16 to 32 bytes of slots (the table is kept between a
//! quarter and half full) and 16 bytes or more of text; a distinct bigram costs 32 to 64 bytes
//! of slots. While a table doubles, the old and the new are both held. Measured: 2 million
//! made-up terms with as many bigrams peak at 421 MB in `corpus stats` (about 200 bytes a term
//! with its bigram); news has several bigrams a term, so count 300-500 bytes a distinct term.
//! The summary reads the tables in place (a heap of the few wanted), so it adds nothing that
//! grows with them. Every growth asks the allocator first (`try_reserve`): when it refuses,
//! counting stops with [`OutOfMemory`] instead of the process aborting.
//!
//! Tried and measured without gain (so not done): a 2-way front, a bigger or smaller front, a
//! front cache for bigrams, entries stored in the open-addressing table itself, loading bigram
//! slots ahead of the inserts, huge pages, reserving room for a merge (memory).

use corpus_core::NormalWord;

use crate::StopWords;

/// A table of the vocabulary could not grow: the allocator refused the memory it asked for.
///
/// Statistics that hit this are incomplete (the document being counted was counted in part)
/// and should be dropped; the memory they need grows with the vocabulary, 300-500 bytes a
/// distinct term with its bigrams (see the crate docs), and merging parts counted apart needs
/// the whole vocabulary too: give the count more memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "out of memory: the vocabulary could not grow past {terms} terms and {bigrams} bigrams \
     (the allocator refused {requested} more bytes; count 300-500 bytes a distinct term)"
)]
#[non_exhaustive]
pub struct OutOfMemory {
    /// Distinct terms counted when the table could not grow.
    pub terms: usize,
    /// Distinct bigrams counted then (0 where the accumulator keeps none).
    pub bigrams: usize,
    /// The bytes the refused allocation asked for.
    pub requested: usize,
}

impl OutOfMemory {
    /// The error for a refused allocation of `additional` more `T`s after `len`.
    pub(crate) fn of<T>(len: usize, additional: usize) -> OutOfMemory {
        OutOfMemory {
            terms: 0,
            bigrams: 0,
            requested: len
                .saturating_add(additional)
                .saturating_mul(size_of::<T>()),
        }
    }

    /// The same error, saying how large the vocabulary had grown.
    pub(crate) fn at(self, terms: usize, bigrams: usize) -> OutOfMemory {
        OutOfMemory {
            terms,
            bigrams,
            ..self
        }
    }
}

/// Room for `additional` more elements in `v`, growing it as `push` would, or the error.
pub(crate) fn try_room<T>(v: &mut Vec<T>, additional: usize) -> Result<(), OutOfMemory> {
    v.try_reserve(additional)
        .map_err(|_| OutOfMemory::of::<T>(v.len(), additional.max(v.len())))
}

/// A vector of `len` copies of `value`, or the error.
pub(crate) fn try_filled<T: Clone>(value: T, len: usize) -> Result<Vec<T>, OutOfMemory> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|_| OutOfMemory::of::<T>(0, len))?;
    v.resize(len, value);
    Ok(v)
}

/// A term's key: for up to 16 bytes, the bytes themselves ([`NormalWord::packed`]), which with
/// the length determine them; for longer terms the first and last eight bytes, with the hash
/// and the bytes in the arena to tell them apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Key {
    a: u64,
    b: u64,
    len: u32,
}

impl Key {
    fn of(word: NormalWord<'_>) -> Key {
        let n = word.len();
        let [a, b] = word
            .packed()
            .unwrap_or_else(|| [load8(&word), load8(&word[n.saturating_sub(8)..])]);
        Key {
            a,
            b,
            len: u32::try_from(n).unwrap_or(u32::MAX),
        }
    }

    fn is_short(self) -> bool {
        self.len <= 16
    }

    /// The bytes of a short key (see [`Key::of`]), into `out`.
    fn bytes_into(self, out: &mut Vec<u8>) {
        let mut padded = [0u8; 16];
        padded[..8].copy_from_slice(&self.a.to_le_bytes());
        padded[8..].copy_from_slice(&self.b.to_le_bytes());
        out.extend_from_slice(&padded[..(self.len as usize).min(16)]);
    }

    /// A 64-bit hash: of the key itself for short terms, of every byte for long ones.
    fn hash(self, word: &[u8]) -> u64 {
        if self.is_short() {
            mix(self.a ^ SEED[0], self.b ^ SEED[1] ^ u64::from(self.len))
        } else {
            let mut h = SEED[2] ^ u64::from(self.len);
            let chunks = word.chunks_exact(8);
            let tail = chunks.remainder();
            for c in chunks {
                h = mix(h ^ load8(c), SEED[1]);
            }
            mix(h ^ self.b, SEED[0] ^ load_tail(tail))
        }
    }
}

const SEED: [u64; 3] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
];

/// The folded 64×64→128-bit multiply of wyhash and foldhash: a fast mix of two words.
fn mix(x: u64, y: u64) -> u64 {
    let r = u128::from(x) * u128::from(y);
    (r as u64) ^ ((r >> 64) as u64)
}

fn load8(b: &[u8]) -> u64 {
    b.first_chunk::<8>().map_or(0, |c| u64::from_le_bytes(*c))
}

fn load_tail(b: &[u8]) -> u64 {
    b.iter()
        .rev()
        .fold(0, |acc, &byte| (acc << 8) | u64::from(byte))
}

/// One term: its key, where its bytes are, and its counts. One cache line.
#[derive(Debug, Clone, Copy)]
#[repr(align(64))]
pub(crate) struct TermCount {
    key: Key,
    start: usize,
    pub(crate) count: u64,
    pub(crate) documents: u64,
    /// The serial of the last document of this accumulator that used the term, so document
    /// frequency needs no per-document set. Never equal to a serial after a merge.
    last_doc: u64,
    /// Whether the term is a stop word of the list every document uses, decided once when the
    /// term is first seen.
    pub(crate) stop: bool,
    /// Whether the term is a stop word of the language of a document it was counted in
    /// ([`StatsOptions::stopwords_by_language`](crate::StatsOptions)).
    pub(crate) stop_in_language: bool,
}

impl TermCount {
    /// Whether the term is left out of the top lists: a stop word of the list every document
    /// uses, or of the language of a document it was counted in.
    pub(crate) fn left_out(&self) -> bool {
        self.stop | self.stop_in_language
    }
}

/// Terms in the order this table first saw them; a term's index names it in bigrams.
#[derive(Debug, Clone, Default)]
pub(crate) struct Terms {
    /// [`slot_value`] of each term, 0 for an empty slot; linear probing,
    /// at most half full.
    slots: Vec<u64>,
    terms: Vec<TermCount>,
    /// Every term's bytes, one after the other.
    text: Vec<u8>,
    /// A direct-mapped cache of recently seen short terms, counting their occurrences until
    /// another term takes their place. A few thousand terms make most of any text, and this
    /// keeps them in half a megabyte that stays in the processor's cache, where the table and
    /// the entries (megabytes) would not. Counts here are added to `terms` when read
    /// ([`Terms::iter`]) or evicted.
    front: Vec<Front>,
    /// The serial of the last document counted, and `serial >> 31` when the front was last
    /// emptied: front entries keep 32-bit serials, valid within one such epoch.
    serial: u64,
    epoch: u64,
}

/// Entries in [`Terms::front`].
const FRONT: usize = 16384;

/// A cached short term with the counts not yet added to its entry, in 32 bytes.
/// `meta`: the key's length (bits 0–4, 0 for an empty entry), whether it is a stop word
/// (bit 5), a saturating hit counter (bits 6–7) and the pending count (bits 8–31).
#[derive(Debug, Clone, Copy, Default)]
struct Front {
    a: u64,
    b: u64,
    index: u32,
    meta: u32,
    documents: u32,
    /// The low 32 bits of the serial of the last document that used the term.
    last_doc: u32,
}

const LEN_BITS: u32 = 0x1F;
const STOP_BIT: u32 = 1 << 5;
const HIT: u32 = 1 << 6;
const HITS: u32 = 3 << 6;
const COUNT: u32 = 1 << 8;
const COUNTS: u32 = !0xFF;

impl Front {
    fn holds(&self, key: Key) -> bool {
        self.a == key.a && self.b == key.b && self.meta & LEN_BITS == key.len
    }

    fn pending(&self) -> u64 {
        u64::from(self.meta >> 8)
    }
}

/// Which front entry a hash goes to: bits that [`home`] does not use for small tables.
fn front_slot(hash: u64) -> usize {
    (hash >> 40) as usize & (FRONT - 1)
}

/// What a [`Terms`] slot holds for the term at `index` with `hash`: the hash's high half as a
/// tag, and `index + 1` (0 marks an empty slot).
fn slot_value(hash: u64, index: usize) -> u64 {
    // Four billion distinct terms are beyond any corpus's memory.
    hash >> 32 << 32 | (index as u64 + 1)
}

/// Which slot of a table of `len` slots (a power of two) a hash starts probing at.
fn home(hash: u64, len: usize) -> usize {
    hash as usize & (len - 1)
}

impl Terms {
    /// Distinct terms.
    pub(crate) fn len(&self) -> usize {
        self.terms.len()
    }

    /// The index of the term with `key`, `hash` and (for a long key) `bytes`, or the empty
    /// slot where it would go.
    fn find(&self, key: Key, hash: u64, bytes: &[u8]) -> Result<usize, usize> {
        let tag = hash >> 32 << 32;
        let mask = self.slots.len() - 1;
        let mut i = home(hash, self.slots.len());
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return Err(i);
            }
            if slot & !0xFFFF_FFFF == tag {
                let index = (slot & 0xFFFF_FFFF) as usize - 1;
                let t = &self.terms[index];
                if t.key == key
                    && (key.is_short() || self.text[t.start..t.start + bytes.len()] == *bytes)
                {
                    return Ok(index);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// The index of `word`, inserting it with zero counts if new (`stop` says then whether it
    /// is a stop word).
    fn entry(
        &mut self,
        key: Key,
        hash: u64,
        bytes: &[u8],
        stop: impl FnOnce(&[u8]) -> bool,
    ) -> Result<usize, OutOfMemory> {
        if self.terms.len() * 2 >= self.slots.len() {
            self.grow()?;
        }
        let slot = match self.find(key, hash, bytes) {
            Ok(index) => return Ok(index),
            Err(slot) => slot,
        };
        // Room first, so that a refusal leaves the table as it was.
        try_room(&mut self.terms, 1)?;
        try_room(&mut self.text, bytes.len().max(16))?;
        let index = self.terms.len();
        self.slots[slot] = slot_value(hash, index);
        let start = self.text.len();
        if key.is_short() {
            key.bytes_into(&mut self.text);
        } else {
            self.text.extend_from_slice(bytes);
        }
        self.terms.push(TermCount {
            key,
            start,
            count: 0,
            documents: 0,
            last_doc: u64::MAX,
            stop: stop(&self.text[start..]),
            stop_in_language: false,
        });
        Ok(index)
    }

    fn grow(&mut self) -> Result<(), OutOfMemory> {
        let len = (self.slots.len() * 2).max(1024);
        let mut slots = try_filled(0u64, len)?;
        for (index, t) in self.terms.iter().enumerate() {
            let hash = t
                .key
                .hash(&self.text[t.start..t.start + t.key.len as usize]);
            let mut i = home(hash, len);
            while slots[i] != 0 {
                i = (i + 1) & (len - 1);
            }
            slots[i] = slot_value(hash, index);
        }
        self.slots = slots;
        Ok(())
    }

    /// Starts counting the words of the document numbered `serial` (the serials of one
    /// accumulator's documents increase).
    pub(crate) fn start_document(&mut self, serial: u64) {
        if self.front.is_empty() {
            self.front = vec![Front::default(); FRONT];
        }
        if serial >> 31 != self.epoch {
            self.flush();
            self.epoch = serial >> 31;
        }
        self.serial = serial;
    }

    /// Counts an occurrence of `word` in the current document; returns the index of its term
    /// and whether it is a stop word (by `stopwords`, when the term is first seen), or the
    /// error if a new term found no room.
    #[inline]
    pub(crate) fn count(
        &mut self,
        word: NormalWord<'_>,
        stopwords: &StopWords,
    ) -> Result<(usize, bool), OutOfMemory> {
        let stop = |w: &[u8]| std::str::from_utf8(w).is_ok_and(|w| stopwords.contains(w));
        let key = Key::of(word);
        let hash = key.hash(&word);
        let serial = self.serial;
        let low = serial as u32;
        let at = front_slot(hash);
        if !key.is_short() || !self.front[at].holds(key) {
            let f = &mut self.front[at];
            if !key.is_short() || f.meta & HITS != 0 {
                // A long term, or another term holds the entry and was hit since it was last
                // challenged: count this one in the table.
                if f.meta & HITS != 0 {
                    f.meta -= HIT;
                }
                let bytes = if key.is_short() { &[][..] } else { &word };
                let index = self.entry(key, hash, bytes, stop)?;
                let t = &mut self.terms[index];
                t.count += 1;
                t.documents += u64::from(t.last_doc != serial);
                t.last_doc = serial;
                return Ok((index, t.stop));
            }
            let index = self.entry(key, hash, &[], stop)?;
            self.evict(at);
            let t = &self.terms[index];
            self.front[at] = Front {
                a: key.a,
                b: key.b,
                index: index as u32,
                meta: key.len | if t.stop { STOP_BIT } else { 0 },
                documents: 0,
                last_doc: if t.last_doc == serial { low } else { !low },
            };
        }
        let f = &mut self.front[at];
        if f.meta & COUNTS == COUNTS {
            // The pending count is full: hand it to the entry.
            self.terms[f.index as usize].count += f.pending();
            f.meta &= !COUNTS;
        }
        f.meta += COUNT;
        if f.meta & HITS != HITS {
            f.meta += HIT;
        }
        // Without a branch: whether a word is new to its document is a coin toss the
        // processor would often guess wrong.
        f.documents += u32::from(f.last_doc != low);
        f.last_doc = low;
        Ok((f.index as usize, f.meta & STOP_BIT != 0))
    }

    /// Adds the counts of front entry `at` to its term's entry, and empties it.
    fn evict(&mut self, at: usize) {
        let f = std::mem::take(&mut self.front[at]);
        if f.meta & LEN_BITS > 0 {
            let t = &mut self.terms[f.index as usize];
            t.count += f.pending();
            t.documents += u64::from(f.documents);
            // Only whether the last document is the current one matters.
            if f.last_doc == self.serial as u32 {
                t.last_doc = self.serial;
            }
        }
    }

    /// Adds every count still in the front cache to the entries.
    fn flush(&mut self) {
        for at in 0..self.front.len() {
            self.evict(at);
        }
    }

    /// Marks term `index` a stop word of the language of a document it was counted in.
    pub(crate) fn mark_stop_in_language(&mut self, index: usize) {
        self.terms[index].stop_in_language = true;
    }

    /// Adds `other`'s counts; returns, for each of its term indices, the index here.
    pub(crate) fn merge(&mut self, mut other: Terms) -> Result<Vec<usize>, OutOfMemory> {
        other.flush();
        let mut ours = Vec::new();
        try_room(&mut ours, other.len())?;
        for (word, theirs) in other.iter() {
            let (key, bytes) = (theirs.key, word.as_bytes());
            let index = self.entry(key, key.hash(bytes), bytes, |_| theirs.stop)?;
            let t = &mut self.terms[index];
            t.count += theirs.count;
            t.documents += theirs.documents;
            t.stop_in_language |= theirs.stop_in_language;
            // The document serials of two accumulators are unrelated.
            t.last_doc = u64::MAX;
            ours.push(index);
        }
        Ok(ours)
    }

    /// Adds a term with counts read back from a part-file; returns its index.
    pub(crate) fn insert_counted(
        &mut self,
        word: &str,
        count: u64,
        documents: u64,
        (stop, stop_in_language): (bool, bool),
    ) -> Result<usize, OutOfMemory> {
        let bytes = word.as_bytes();
        let key = Key::of(NormalWord::new(bytes));
        let index = self.entry(key, key.hash(bytes), bytes, |_| stop)?;
        let t = &mut self.terms[index];
        t.count += count;
        t.documents += documents;
        t.stop_in_language |= stop_in_language;
        t.last_doc = u64::MAX;
        Ok(index)
    }

    /// The text of the term at `index`.
    pub(crate) fn name(&self, index: usize) -> &str {
        self.terms.get(index).map_or("", |t| self.text_of(t))
    }

    fn text_of(&self, t: &TermCount) -> &str {
        // Terms come from `&str` words, so their bytes are UTF-8.
        std::str::from_utf8(&self.text[t.start..t.start + t.key.len as usize]).unwrap_or("")
    }

    /// Every term with its counts, in index order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, TermCount)> + '_ {
        // The counts still in the front cache, by term index.
        let pending: rustc_hash::FxHashMap<usize, &Front> = self
            .front
            .iter()
            .filter(|f| f.meta & LEN_BITS > 0)
            .map(|f| (f.index as usize, f))
            .collect();
        self.terms.iter().enumerate().map(move |(index, t)| {
            let mut t = *t;
            if let Some(f) = pending.get(&index) {
                t.count += f.pending();
                t.documents += u64::from(f.documents);
            }
            (self.text_of(&t), t)
        })
    }

    /// The counts of `word`, if it was seen.
    #[cfg(test)]
    pub(crate) fn get(&self, word: &str) -> Option<TermCount> {
        self.iter().find(|(w, _)| *w == word).map(|(_, t)| t)
    }
}

/// A bigram as the indices of its two terms in [`Terms`].
pub(crate) fn pair(first: usize, second: usize) -> u64 {
    // Indices fit in 32 bits: four billion distinct terms are beyond any corpus's memory.
    ((first as u64) << 32) | (second as u64 & 0xFFFF_FFFF)
}

/// The term indices of a bigram.
pub(crate) fn unpair(key: u64) -> (usize, usize) {
    ((key >> 32) as usize, (key & 0xFFFF_FFFF) as usize)
}

/// Bigram counts: `(pair, count)` slots, linear probing, at most half full. `u64::MAX` marks an
/// empty slot (it would pair the term numbered `u32::MAX` with itself).
#[derive(Debug, Clone, Default)]
pub(crate) struct Bigrams {
    slots: Vec<(u64, u64)>,
    len: usize,
}

const EMPTY: u64 = u64::MAX;

impl Bigrams {
    /// Distinct bigrams.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Counts each bigram of `pairs` once.
    pub(crate) fn add_all(&mut self, pairs: &[u64]) -> Result<(), OutOfMemory> {
        for &key in pairs {
            self.add(key, 1)?;
        }
        Ok(())
    }

    /// Adds `n` to the count of the bigram `key` (see [`pair`]).
    pub(crate) fn add(&mut self, key: u64, n: u64) -> Result<(), OutOfMemory> {
        if self.len * 2 >= self.slots.len() {
            self.grow()?;
        }
        self.insert(key, n);
        Ok(())
    }

    /// Adds `n` to the count of `key` in a table with room for it.
    fn insert(&mut self, key: u64, n: u64) {
        let mask = self.slots.len() - 1;
        let mut i = home(mix(key ^ SEED[0], SEED[1]), self.slots.len());
        loop {
            let slot = &mut self.slots[i];
            if slot.0 == key {
                slot.1 += n;
                return;
            }
            if slot.0 == EMPTY {
                *slot = (key, n);
                self.len += 1;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) -> Result<(), OutOfMemory> {
        let len = (self.slots.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.slots, try_filled((EMPTY, 0), len)?);
        self.len = 0;
        for (key, n) in old {
            if key != EMPTY {
                self.insert(key, n);
            }
        }
        Ok(())
    }

    /// Every bigram with its count, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.slots.iter().copied().filter(|(key, _)| *key != EMPTY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts `words` as one document; returns their indices and stop flags.
    fn add(t: &mut Terms, words: &[&[u8]], serial: u64) -> Vec<(usize, bool)> {
        t.start_document(serial);
        let stop = StopWords::english();
        words
            .iter()
            .map(|w| t.count(NormalWord::new(w), &stop).unwrap())
            .collect()
    }

    #[test]
    fn keys_give_back_their_bytes() {
        for n in 0..=16 {
            let word: Vec<u8> = (0..n).map(|i| b'a' + i as u8).collect();
            let mut out = Vec::new();
            Key::of(NormalWord::new(&word)).bytes_into(&mut out);
            assert_eq!(out, word);
        }
    }

    #[test]
    fn terms_are_found_again_whatever_their_length() {
        let mut t = Terms::default();
        let words: Vec<String> = (0..3000)
            .map(|i| format!("w{i}").repeat(i % 7 + 1))
            .collect();
        for (serial, w) in words.iter().enumerate() {
            add(&mut t, &[w.as_bytes()], serial as u64);
        }
        assert_eq!(t.len(), 3000);
        let all: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
        let again = add(&mut t, &all, 99_999);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(again[i].0, i);
            assert_eq!(t.name(i), w);
            assert_eq!(t.get(w).map(|c| (c.count, c.documents)), Some((2, 2)));
        }
        // Keys that share their first and last bytes stay apart.
        let ids = add(
            &mut t,
            &[
                b"abcxyz",
                b"abczyz",
                b"aaaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbccccccccc",
                b"aaaaaaaaabbbbbbbbbbbbbbbbbxbbbbbbbbccccccccc",
                b"the",
                b"x",
                b"x",
            ],
            0,
        );
        assert!(ids[0].0 != ids[1].0 && ids[2].0 != ids[3].0);
        assert!(ids[4].1, "\"the\" is a stop word");
        assert_eq!((ids[5], ids[6].1), (ids[6], false));
        assert_eq!(t.get("x").map(|c| (c.count, c.documents)), Some((2, 1)));
    }

    /// The table against a plain map, on a Zipf-like stream of short and long words, so that
    /// terms fight over front entries, get evicted and come back, across documents whose
    /// serials cross an epoch boundary.
    #[test]
    fn counts_match_a_plain_map() {
        use std::collections::HashMap;
        let mut t = Terms::default();
        let mut model: HashMap<Vec<u8>, (u64, u64, u64)> = HashMap::new();
        let mut state = 7u64;
        let none = StopWords::none();
        let first = (1u64 << 31) - 40;
        for serial in first..first + 120 {
            t.start_document(serial);
            for _ in 0..2000 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let r = state >> 33;
                // Small ranks are frequent: rank = r^3 scaled down.
                let rank = (r % 1000).pow(3) / 1_000_000;
                let len = 1 + (rank % 23) as usize;
                let word: Vec<u8> = format!("{rank:x}").bytes().cycle().take(len).collect();
                let word = [word, format!("-{rank}").into_bytes()].concat();
                let (index, _) = t.count(NormalWord::new(&word), &none).unwrap();
                assert!(index < t.len());
                let m = model.entry(word).or_insert((0, 0, u64::MAX));
                m.0 += 1;
                if m.2 != serial {
                    m.2 = serial;
                    m.1 += 1;
                }
            }
        }
        assert_eq!(t.len(), model.len());
        for (word, c) in t.iter() {
            let m = model[word.as_bytes()];
            assert_eq!((c.count, c.documents), (m.0, m.1), "{word:?}");
        }
        // The same after the front cache is emptied into the entries.
        let mut merged = Terms::default();
        merged.merge(t).unwrap();
        for (word, c) in merged.iter() {
            let m = model[word.as_bytes()];
            assert_eq!((c.count, c.documents), (m.0, m.1), "{word:?}");
        }
    }

    #[test]
    fn a_pending_count_that_fills_up_is_kept() {
        let mut t = Terms::default();
        t.start_document(0);
        for _ in 0..(1 << 24) + 5 {
            t.count(NormalWord::new(b"often"), &StopWords::none())
                .unwrap();
        }
        assert_eq!(
            t.get("often").map(|c| (c.count, c.documents)),
            Some(((1 << 24) + 5, 1))
        );
    }

    #[test]
    fn bigrams_add_up() {
        let mut b = Bigrams::default();
        for i in 0..5000u64 {
            b.add(pair(i as usize % 100, i as usize % 7), 1).unwrap();
        }
        assert_eq!(b.iter().map(|(_, n)| n).sum::<u64>(), 5000);
        assert_eq!(b.len(), 700);
        b.add(pair(0, 0), 3).unwrap();
        let zero = b.iter().find(|(k, _)| *k == pair(0, 0)).map(|(_, n)| n);
        assert_eq!(zero, Some(5000 / 700 + 1 + 3));
    }
}
