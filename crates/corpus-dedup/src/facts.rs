//! Facts: the names, figures and dates of a text, each with the words on either side of it.
//!
//! Two notices written from one template (two companies' dividends, one market report on two
//! days) share most of their words and differ in these: the same context holds another name
//! or another figure. A copy, however cut or re-edited, keeps the facts it keeps: where both
//! texts have a context, they have the same word in it. So the share of shared contexts whose
//! fact changed tells a look-alike from a copy where the similarity of the words cannot.

use corpus_core::words;
use xxhash_rust::xxh3::xxh3_64;

/// Facts kept per document, the first in reading order: 8 bytes each.
pub(crate) const MAX_FACTS: usize = 64;

/// Words read for facts: the lead of a story, which its copies keep (they are cut from the
/// end) and which a templated notice fills in with its own names and figures.
const MAX_WORDS: usize = 150;

/// The facts of a document's body (its blocks as compared), each `context << 32 | word`: a
/// 32-bit hash of the two neighbouring words, and of the fact in normal form with its top bit
/// set for a figure (a word with a digit). The first [`MAX_FACTS`] facts, sorted by context
/// and, within one context, in reading order. `normal` is the body in normal form
/// ([`corpus_core::normalize`]), whose words are the body's words one for one. Also the
/// story's subject (a hash of its first two names, [`subject`]) and its opening: the word
/// hashes of its first [`OPENING`] facts in reading order (0 past the last).
pub(crate) fn facts(body: &[&str], normal: &str) -> (Box<[u64]>, Option<u64>, [u32; OPENING]) {
    // Every body word with whether it starts a sentence or line, lazily: a long story's facts
    // are all found in its first part.
    let raw = body.iter().flat_map(|&block| {
        let mut end = 0;
        words(block).map(move |word| {
            let start = word.as_ptr() as usize - block.as_ptr() as usize;
            let between = block.get(end..start).unwrap_or_default();
            let starts = end == 0 || between.contains(['\n', '.', '!', '?', ':', ';']);
            end = start + word.len();
            (word, starts)
        })
    });
    let mut words_read = raw
        .zip(normal.split(' ').filter(|w| !w.is_empty()))
        .peekable();
    // Each word's hash and whether it is a fact, up to the first word that is not a fact
    // after the last fact kept.
    let mut read: Vec<(u64, bool)> = Vec::new();
    let mut found = 0;
    while let Some(((word, starts), normal)) = words_read.next() {
        let next = words_read.peek().map(|&((raw, _), normal)| (raw, normal));
        let fact = found < MAX_FACTS && is_fact(word, normal, starts, next);
        let mut hash = xxh3_64(normal.as_bytes()) & 0xFFFF_FFFF;
        if fact {
            hash &= !FIGURE;
            if word.bytes().any(|b| b.is_ascii_digit()) {
                hash |= FIGURE;
            }
        }
        read.push((hash, fact));
        found += usize::from(fact);
        if (found == MAX_FACTS || read.len() >= MAX_WORDS) && !fact {
            break;
        }
    }
    let subject = subject(
        read.iter()
            .filter(|w| w.1 && w.0 & FIGURE == 0)
            .map(|w| w.0),
    );
    let mut opening = [0u32; OPENING];
    for (slot, w) in opening.iter_mut().zip(read.iter().filter(|w| w.1)) {
        *slot = w.0 as u32;
    }
    let mut out: Vec<u64> = Vec::with_capacity(found);
    for (i, &(hash, fact)) in read.iter().enumerate() {
        if !fact {
            continue;
        }
        // The context is the nearest word on either side that is not a fact itself, so that
        // `payable May 4 to` and `payable April 1 to` put both dates in one context.
        let before = read[..i].iter().rev().find(|w| !w.1).map_or(0, |w| w.0);
        let after = read[i + 1..].iter().find(|w| !w.1).map_or(0, |w| w.0);
        out.push(context(before, after) << 32 | hash);
    }
    // Stable: the first fact of a context is the first read, the one compared.
    out.sort_by_key(|f| f >> 32);
    (out.into_boxed_slice(), subject, opening)
}

/// Facts of a story's opening compared by [`openings_agree`].
pub(crate) const OPENING: usize = 4;

/// Whether two openings share at least half their facts: a rewrite opens on the facts its
/// original opens on (`Butler Mfg Co ... Naturalite`, `Butler Manufacturing Co ...
/// Naturalite`), while two collages or digests that share a later item open on others.
pub(crate) fn openings_agree(a: &[u32; OPENING], b: &[u32; OPENING]) -> bool {
    let shared = a.iter().filter(|&&x| x != 0 && b.contains(&x)).count();
    let fewer = a
        .iter()
        .filter(|&&x| x != 0)
        .count()
        .min(b.iter().filter(|&&x| x != 0).count());
    fewer > 0 && 2 * shared >= fewer.max(2)
}

/// A hash of the first two names of a story (`Rochester Gas`, `Best Products`), which a
/// rewrite of it keeps as it keeps its facts: LSH bands it, so that a rewrite too different in
/// its words to share a band of its signature is still compared.
fn subject(mut names: impl Iterator<Item = u64>) -> Option<u64> {
    let first = names.next()?;
    let second = names.next()?;
    let mut z = first ^ second.rotate_left(23) ^ 0x5B1E_C700_9E37_79B9;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    Some(z ^ (z >> 31))
}

/// The bit of a fact's word hash that marks a figure.
const FIGURE: u64 = 1 << 31;

/// A 32-bit hash of the words on either side of a fact (0 for none).
fn context(before: u64, after: u64) -> u64 {
    let mut z = before ^ after.rotate_left(29) ^ 0x9E37_79B9_7F4A_7C15;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) >> 32
}

/// A name, a figure or a date: a word with a digit, a month or day name (capitalised, so that
/// `may` is not one), or a capitalised word that is not a function word. A capitalised word that starts a sentence or a line is a
/// name only when written in capitals (`CPC`) or followed by another capitalised word that is
/// not a date (`Stokely USA`): notices begin their lines with labels (`Payable April 24`,
/// `Record March 31`, `Qtly div`) that copies reword.
fn is_fact(word: &str, normal: &str, starts: bool, next: Option<(&str, &str)>) -> bool {
    if word.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    // Most words are in lower case: they are out before any list is looked at.
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    if !capitalised(word) {
        return false;
    }
    if is_date_word(normal) {
        return true;
    }
    if is_function_word(normal) {
        return false;
    }
    if !starts {
        return true;
    }
    let all_capitals = word.chars().count() > 1 && !word.chars().any(char::is_lowercase);
    all_capitals
        || next.is_some_and(|(raw, normal)| {
            capitalised(raw) && !is_date_word(normal) && !is_function_word(normal)
        })
}

/// Words that start sentences in capitals without naming anything.
fn is_function_word(normal: &str) -> bool {
    matches!(
        normal,
        "a" | "an"
            | "and"
            | "as"
            | "at"
            | "but"
            | "by"
            | "for"
            | "from"
            | "he"
            | "her"
            | "his"
            | "i"
            | "if"
            | "in"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "our"
            | "she"
            | "that"
            | "the"
            | "their"
            | "there"
            | "these"
            | "they"
            | "this"
            | "those"
            | "to"
            | "we"
            | "when"
            | "while"
            | "with"
            | "you"
    )
}

/// Month and day names: dates, even when written in words.
fn is_date_word(normal: &str) -> bool {
    matches!(
        normal,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
    )
}

/// Of the contexts both documents have a fact in, the share where the first fact differs;
/// `None` when they share none.
pub(crate) fn changed_share(a: &[u64], b: &[u64]) -> Option<f64> {
    let (same, changed) = compare_contexts(a, b);
    let shared = same + changed;
    (shared > 0).then(|| f64::from(changed) / f64::from(shared))
}

/// How many contexts both have a fact in hold the same first fact, and how many another.
fn compare_contexts(a: &[u64], b: &[u64]) -> (u32, u32) {
    let (mut i, mut j) = (0, 0);
    let (mut same, mut changed) = (0u32, 0u32);
    // Past the facts of `facts[k]`'s context.
    let skip = |facts: &[u64], mut k: usize| {
        let c = facts[k] >> 32;
        while k < facts.len() && facts[k] >> 32 == c {
            k += 1;
        }
        k
    };
    while i < a.len() && j < b.len() {
        let (ca, cb) = (a[i] >> 32, b[j] >> 32);
        match ca.cmp(&cb) {
            std::cmp::Ordering::Less => i = skip(a, i),
            std::cmp::Ordering::Greater => j = skip(b, j),
            std::cmp::Ordering::Equal => {
                if a[i] == b[j] {
                    same += 1;
                } else {
                    changed += 1;
                }
                i = skip(a, i);
                j = skip(b, j);
            }
        }
    }
    (same, changed)
}

/// The least share of the names (of the document with fewer) that a rewrite keeps.
const REWRITE_NAMES: f64 = 0.6;
/// The fewest names and figures a rewrite shares with its original.
const REWRITE_FACTS: usize = 4;

/// Whether two documents' facts are those of one story told twice in other words: no fact
/// changed in a context both have, every figure of the one with fewer figures found in the
/// other (neither has any, or both have), at least [`REWRITE_NAMES`] of the names of the one
/// with fewer, and at least [`REWRITE_FACTS`] names and figures shared. A writer who rewords a
/// wire story keeps its figures and most of its names; two notices written from one template,
/// or one series on two days, change figures, names or both.
pub(crate) fn rewrite_agrees(a: &[u64], b: &[u64]) -> bool {
    if compare_contexts(a, b).1 > 0 {
        return false;
    }
    let (a, b) = (fact_words(a), fact_words(b));
    let (fa, fb, na, nb) = (a.figures(), b.figures(), a.names(), b.names());
    let figures = shared(fa, fb);
    let names = shared(na, nb);
    let names_kept = match na.len().min(nb.len()) {
        0 => na.is_empty() && nb.is_empty(),
        fewer => names as f64 >= REWRITE_NAMES * fewer as f64,
    };
    all_kept(fa, fb, figures) && names_kept && figures + names >= REWRITE_FACTS
}

/// Whether two documents that both have figures share one of them (or one has none).
pub(crate) fn share_a_figure(a: &[u64], b: &[u64]) -> bool {
    let (a, b) = (fact_words(a), fact_words(b));
    let (fa, fb) = (a.figures(), b.figures());
    fa.is_empty() || fb.is_empty() || shared(fa, fb) > 0
}

/// Whether the shorter of two word lists is all shared (`shared` of them), or both are empty.
fn all_kept(a: &[u32], b: &[u32], shared: usize) -> bool {
    match a.len().min(b.len()) {
        0 => a.is_empty() && b.is_empty(),
        fewer => shared == fewer,
    }
}

/// The distinct figures and the distinct names among `facts`, each sorted, on the stack:
/// this runs for every candidate pair that may be a rewrite.
struct FactWords {
    words: [u32; MAX_FACTS],
    /// `words[..figures]` are the figures, `words[figures..len]` the names.
    figures: usize,
    len: usize,
}

impl FactWords {
    fn figures(&self) -> &[u32] {
        &self.words[..self.figures]
    }

    fn names(&self) -> &[u32] {
        &self.words[self.figures..self.len]
    }
}

fn fact_words(facts: &[u64]) -> FactWords {
    let mut words = [0u32; MAX_FACTS];
    let len = facts.len().min(MAX_FACTS);
    for (w, &f) in words.iter_mut().zip(facts) {
        // Figures first: their bit flipped sorts them below the names.
        *w = (f as u32) ^ FIGURE as u32;
    }
    let list = &mut words[..len];
    list.sort_unstable();
    let mut n = 0;
    for k in 0..len {
        if k == 0 || list[k] != list[n - 1] {
            list[n] = list[k];
            n += 1;
        }
    }
    let figures = list[..n].partition_point(|&w| u64::from(w) & FIGURE == 0);
    FactWords {
        words,
        figures,
        len: n,
    }
}

/// How many values two sorted, distinct lists share.
pub(crate) fn shared<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests;
