//! Words, sentences and normalisation, defined once so that every crate counts and compares alike.

use unicode_segmentation::UnicodeSegmentation;

mod ascii;
mod thai;
mod unspaced;

use unspaced::OtherWords;

/// The words of `text`: Unicode word segments (UAX #29) that hold at least one letter or digit,
/// and in the scripts written without spaces the words of a dictionary: ICU's for Chinese,
/// Japanese, Lao, Khmer and Myanmar (`我们在北京` is `我们 在 北京`, not five words), PyThaiNLP's
/// word list for Thai.
///
/// ASCII runs of the text take a fast path that gives the same words.
///
/// Punctuation and whitespace are not words; `don't`, `3.5` and `B-52s`'s parts are split as
/// UAX #29 says (`don't` and `3.5` are one word each, `B-52s` is two).
pub fn words(text: &str) -> impl Iterator<Item = &str> + '_ {
    Pieces::new(text).flat_map(|piece| match piece {
        Piece::Ascii(p) => Words::Ascii(ascii::words(p)),
        Piece::Other(p) => Words::Other(OtherWords::new(p)),
    })
}

// ICU's iterator makes `Other` large; boxing it would allocate for every non-ASCII piece.
#[allow(clippy::large_enum_variant)]
enum Words<'a, A> {
    Ascii(A),
    Other(OtherWords<'a>),
}

impl<'a, A: Iterator<Item = &'a str>> Iterator for Words<'a, A> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            Words::Ascii(w) => w.next(),
            Words::Other(w) => w.next(),
        }
    }
}

/// Calls `f` with each word of `text` in normal form, in order: what [`normalize_word`] makes
/// of each item of [`words`]. The fast way to count terms: ASCII runs are segmented and
/// lowercased without building a `String` per word, and a word of up to 16 bytes comes
/// [packed](NormalWord::packed) as two integers too.
pub fn for_each_normal_word(text: &str, mut f: impl FnMut(NormalWord<'_>)) {
    let mut words = NormalWords {
        pieces: Pieces::new(text),
        current: Current::Done,
    };
    let mut buf = ascii::WordBuf::default();
    // One call of `f`, whatever the piece, so that the compiler can inline it into this loop.
    while let Some(word) = words.next(&mut buf) {
        f(word);
    }
}

/// The words of a text in normal form, piece after piece: the cursor behind
/// [`for_each_normal_word`].
struct NormalWords<'a> {
    pieces: Pieces<'a>,
    current: Current<'a>,
}

/// The piece whose words [`NormalWords`] is handing out.
enum Current<'a> {
    Ascii(&'a [u8], ascii::Spans<'a>),
    Other(OtherWords<'a>),
    Done,
}

impl NormalWords<'_> {
    /// The next word, written in `buf`.
    #[inline]
    fn next<'b>(&mut self, buf: &'b mut ascii::WordBuf) -> Option<NormalWord<'b>> {
        loop {
            match &mut self.current {
                Current::Ascii(b, spans) => {
                    if let Some((start, end)) = spans.next() {
                        return Some(ascii::normal_word(b, start, end, buf));
                    }
                }
                Current::Other(words) => {
                    if let Some(w) = words.next() {
                        buf.other.clear();
                        normalize_word(w, &mut buf.other);
                        return Some(NormalWord::new(buf.other.as_bytes()));
                    }
                }
                Current::Done => {}
            }
            self.current = match self.pieces.next()? {
                Piece::Ascii(p) => Current::Ascii(p.as_bytes(), ascii::Spans::new(p.as_bytes())),
                Piece::Other(p) => Current::Other(OtherWords::new(p)),
            };
        }
    }
}

/// One word in normal form, as [`for_each_normal_word`] hands it out: its UTF-8 bytes and, for
/// a word of at most 16 bytes, the same bytes packed into two integers.
///
/// Dereferences to the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NormalWord<'a> {
    bytes: &'a [u8],
    packed: [u64; 2],
}

impl<'a> NormalWord<'a> {
    /// The most bytes a word can have and still be [packed](NormalWord::packed).
    pub const PACKED_LEN: usize = 16;

    /// Wraps the bytes of a word already in normal form (such as a term read back from a
    /// list).
    pub fn new(bytes: &'a [u8]) -> NormalWord<'a> {
        let mut padded = [0u8; NormalWord::PACKED_LEN];
        if let Some(head) = padded.get_mut(..bytes.len()) {
            head.copy_from_slice(bytes);
        }
        NormalWord::from_padded(bytes, u128::from_le_bytes(padded))
    }

    /// A word whose bytes, zero-padded to 16, are the little-endian `padded` (ignored for a
    /// longer word).
    pub(crate) fn from_padded(bytes: &'a [u8], padded: u128) -> NormalWord<'a> {
        let packed = if bytes.len() <= NormalWord::PACKED_LEN {
            [padded as u64, (padded >> 64) as u64]
        } else {
            [0, 0]
        };
        NormalWord { bytes, packed }
    }

    /// The word's bytes (UTF-8).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// For a word of at most [`PACKED_LEN`](NormalWord::PACKED_LEN) bytes: its bytes followed
    /// by zeros, as two little-endian integers (bytes 0–7, then 8–15). With the length, this
    /// tells such words apart without reading their bytes: a hash-table key. `None` for longer
    /// words.
    pub fn packed(&self) -> Option<[u64; 2]> {
        (self.bytes.len() <= NormalWord::PACKED_LEN).then_some(self.packed)
    }
}

impl std::ops::Deref for NormalWord<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.bytes
    }
}

/// A stretch of text whose words do not depend on what lies around it.
enum Piece<'a> {
    /// Only ASCII: for the fast paths.
    Ascii(&'a str),
    /// Holds non-ASCII characters: for `unicode-segmentation`.
    Other(&'a str),
}

/// Cuts text into [`Piece`]s around each non-ASCII stretch, at ASCII whitespace that follows
/// ASCII non-whitespace.
///
/// UAX #29 always puts a word boundary there: only whitespace (WB3, WB3d) or a zero-width joiner
/// (WB3c) would hold on to what follows, extending characters cling to the whitespace itself
/// (WB4), and the rules that look past a character (WB6, WB7, WB7b, WB11, WB12) find
/// whitespace there as they would find the end of the text. So the words of the pieces are
/// the words of the whole (property-tested against `unicode-segmentation`), and a curly quote
/// costs the Unicode path only its own stretch, not its whole text.
struct Pieces<'a> {
    rest: &'a str,
}

impl<'a> Pieces<'a> {
    fn new(text: &'a str) -> Pieces<'a> {
        Pieces { rest: text }
    }
}

/// Whether the text may be cut before `b[i]` (see [`Pieces`]).
fn is_cut(b: &[u8], i: usize) -> bool {
    i > 0 && b[i].is_ascii_whitespace() && b[i - 1].is_ascii() && !b[i - 1].is_ascii_whitespace()
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let b = self.rest.as_bytes();
        if b.is_empty() {
            return None;
        }
        let (cut, ascii) = match ascii::position(b, |c| c >= 0x80) {
            None => (b.len(), true),
            Some(first) => match (1..first).rev().find(|&i| is_cut(b, i)) {
                Some(cut) => (cut, true),
                None => {
                    let end = (first + 1..b.len()).find(|&i| is_cut(b, i));
                    (end.unwrap_or(b.len()), false)
                }
            },
        };
        let (piece, rest) = self.rest.split_at(cut);
        self.rest = rest;
        Some(if ascii {
            Piece::Ascii(piece)
        } else {
            Piece::Other(piece)
        })
    }
}

/// How many [`sentences`] `text` has, with a fast path for ASCII lines.
pub fn sentence_count(text: &str) -> usize {
    if text.is_ascii() {
        return ascii::sentence_count(text.as_bytes());
    }
    // A sentence always ends after a line feed (SB4) and no rule looks back across one, so
    // lines count apart. A line whose non-ASCII characters all have an ASCII stand-in (a
    // pound sign, a curly quote, an accented letter) is counted as its stand-ins; only the
    // others pay for the Unicode tables.
    let mut stand_ins = Vec::new();
    text.split_inclusive('\n')
        .map(|line| {
            if line.is_ascii() {
                ascii::sentence_count(line.as_bytes())
            } else if sentence_stand_ins(line, &mut stand_ins) {
                ascii::sentence_count(&stand_ins)
            } else {
                line.unicode_sentences().count()
            }
        })
        .sum()
}

/// Replaces `out` with `line`, each non-ASCII character by its [`sentence_stand_in`]; false if
/// one has none.
fn sentence_stand_ins(line: &str, out: &mut Vec<u8>) -> bool {
    out.clear();
    for c in line.chars() {
        match u8::try_from(c) {
            Ok(b) if b.is_ascii() => out.push(b),
            _ => match sentence_stand_in(c) {
                Some(b) => out.push(b),
                None => return false,
            },
        }
    }
    true
}

/// An ASCII character that the UAX #29 sentence rules, and the letter-or-digit test of
/// [`sentences`], treat exactly as they treat `c`, for the non-ASCII characters of news text
/// that have one: spaces, quotation marks, dashes, currency and other symbols, Latin letters.
///
/// Each is checked against `unicode-segmentation` in the tests; a character left out (a
/// format character, which the rules look through; a letter of another script) only costs
/// its line the slow path.
fn sentence_stand_in(c: char) -> Option<u8> {
    Some(match c {
        // Sp.
        '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => b' ',
        // Close: quotation marks.
        '\u{AB}'
        | '\u{BB}'
        | '\u{2018}'..='\u{201F}'
        | '\u{2039}'
        | '\u{203A}'
        | '\u{2045}'
        | '\u{2046}' => b'"',
        // STerm, ATerm, SContinue.
        '\u{203C}' | '\u{203D}' | '\u{2047}'..='\u{2049}' => b'!',
        '\u{2024}' => b'.',
        '\u{2013}' | '\u{2014}' => b',',
        // Other, and neither letter nor digit: symbols, currency, most punctuation.
        '\u{A1}'..='\u{A9}'
        | '\u{AC}'
        | '\u{AE}'..='\u{B1}'
        | '\u{B4}'
        | '\u{B6}'..='\u{B8}'
        | '\u{BF}'
        | '\u{D7}'
        | '\u{F7}'
        | '\u{2010}'..='\u{2012}'
        | '\u{2015}'..='\u{2017}'
        | '\u{2020}'..='\u{2023}'
        | '\u{2025}'..='\u{2027}'
        | '\u{2030}'..='\u{2038}'
        | '\u{203B}'
        | '\u{203E}'..='\u{2044}'
        | '\u{204A}'..='\u{205E}'
        | '\u{20A0}'..='\u{20BF}' => b'#',
        // Latin-1 and Latin Extended letters: Lower or Upper.
        '\u{C0}'..='\u{24F}' if c.is_lowercase() => b'a',
        '\u{C0}'..='\u{24F}' if c.is_uppercase() => b'A',
        _ => return None,
    })
}

/// The sentences of `text` (UAX #29 sentence boundaries) that hold at least one letter or digit.
pub fn sentences(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.unicode_sentences()
}

/// The normal form that deduplication hashes: the [`words`] of `text`, case-folded (see
/// [`normalize_word`]), with typographic apostrophes folded to `'`, joined by single spaces.
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
    for_each_normal_word(text, |word| {
        if !out.is_empty() {
            out.push(' ');
        }
        // Normal words are UTF-8: they are made of `&str` words.
        out.push_str(std::str::from_utf8(word.as_bytes()).unwrap_or_default());
    });
}

/// Appends the normal form of one word (one item of [`words`]) to `out`: case-folded, with
/// typographic apostrophes folded to `'`. Statistics count terms in this form, so that a term
/// list, a search pattern and the text deduplication compares agree.
///
/// Case folding is Unicode's full folding where it differs from lowercasing in the languages
/// of the news: `ß` and `ẞ` are `ss` (`STRASSE` and `Straße` are one word), a final `ς` is
/// `σ`, `ſ` is `s`, the `ﬁ`-style ligatures are their letters, the Greek symbol forms (`ϐ`,
/// `ϑ`, `ϕ`, `ϖ`, `ϰ`, `ϱ`, `ϵ`) and the micro sign their letters; and `İ` (and `i` with a
/// combining dot above) is `i`, so that `istanbul` finds `İstanbul`, as Turkish readers would.
/// Every other letter is lowercased.
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
            c => fold_into(c, out),
        }
    }
}

/// The case folding of one non-ASCII character (see [`normalize_word`]).
fn fold_into(c: char, out: &mut String) {
    let folded = match c {
        'ß' | 'ẞ' => "ss",
        'ﬀ' => "ff",
        'ﬁ' => "fi",
        'ﬂ' => "fl",
        'ﬃ' => "ffi",
        'ﬄ' => "ffl",
        'ﬅ' | 'ﬆ' => "st",
        'İ' => "i",
        // The dot of a decomposed `İ` (or a lowercased one).
        '\u{0307}' if out.ends_with('i') => "",
        'ς' => "σ",
        'ſ' => "s",
        'µ' => "μ",
        'ϐ' => "β",
        'ϑ' => "θ",
        'ϕ' => "φ",
        'ϖ' => "π",
        'ϰ' => "κ",
        'ϱ' => "ρ",
        'ϵ' => "ε",
        c => return out.extend(c.to_lowercase()),
    };
    out.push_str(folded);
}

#[cfg(test)]
mod tests;
