//! Words, sentences and normalisation, defined once so that every crate counts and compares alike.

use unicode_segmentation::UnicodeSegmentation;

mod ascii;

/// The words of `text`: Unicode word segments (UAX #29) that hold at least one letter or digit.
///
/// Pure-ASCII text takes a fast path that gives the same words.
///
/// Punctuation and whitespace are not words; `don't`, `3.5` and `B-52s`'s parts are split as
/// UAX #29 says (`don't` and `3.5` are one word each, `B-52s` is two).
pub fn words(text: &str) -> impl Iterator<Item = &str> + '_ {
    if text.is_ascii() {
        Words::Ascii(ascii::words(text))
    } else {
        Words::Unicode(text.unicode_words())
    }
}

enum Words<'a> {
    Ascii(ascii::AsciiWords<'a>),
    Unicode(unicode_segmentation::UnicodeWords<'a>),
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Words::Ascii(w) => w.next(),
            Words::Unicode(w) => w.next(),
        }
    }
}

/// How many [`sentences`] `text` has, with a fast path for pure-ASCII text.
pub fn sentence_count(text: &str) -> usize {
    if text.is_ascii() {
        ascii::sentence_count(text)
    } else {
        text.unicode_sentences().count()
    }
}

/// The sentences of `text` (UAX #29 sentence boundaries) that hold at least one letter or digit.
pub fn sentences(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.unicode_sentences()
}

/// The normal form that deduplication hashes: the [`words`] of `text`, lowercased (full Unicode
/// case mapping), with typographic apostrophes folded to `'`, joined by single spaces.
///
/// Case, whitespace, line breaks and punctuation are thereby folded: two texts that differ only
/// in those normalise to the same string.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// [`normalize`] appending to `out`, to reuse one buffer across many texts. A space separates
/// the appended words from what `out` already holds.
pub fn normalize_into(text: &str, out: &mut String) {
    for word in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        normalize_word(word, out);
    }
}

/// Appends the normal form of one word (one item of [`words`]) to `out`: lowercased, with
/// typographic apostrophes folded to `'`. Statistics count terms in this form, so that a term
/// list and the text deduplication compares agree.
pub fn normalize_word(word: &str, out: &mut String) {
    for c in word.chars() {
        match c {
            // UAX #29 lets a combining mark cling to a preceding space, making a "word"
            // that holds whitespace; the space is never part of the normal form.
            c if c.is_whitespace() => {}
            // Punctuation apostrophes join words as ' does (MidNumLet); U+02BC is a letter and
            // stays, or a word made of it alone would vanish when normalised twice.
            '\u{2019}' | '\u{2018}' | '\u{FF07}' => out.push('\''),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

#[cfg(test)]
mod tests;
