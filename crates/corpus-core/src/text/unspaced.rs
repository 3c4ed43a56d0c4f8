//! Words of the scripts written without spaces between words: Chinese, Japanese, Lao, Khmer
//! and Myanmar, segmented by ICU4X's word segmenter with its dictionaries (the same data and
//! rules as ICU, which browsers and quanteda use), and Thai by [`super::thai`]. UAX #29 alone
//! cannot find these words: it makes each ideograph a word, and Thai clusters.
//!
//! Only the stretches in these scripts go to the dictionaries; every other stretch keeps its UAX #29 words
//! from `unicode-segmentation`, so figures of other languages do not change. UAX #29 puts a
//! word boundary wherever one of these scripts starts or ends (their letters are not ALetter,
//! and the only rule that joins them, WB13, joins Katakana to Katakana), so cutting there
//! changes no word of the spaced stretches. Two exceptions, both rare and both for the better:
//! UAX #29 joins the iteration mark `々` (an ALetter) and Katakana before `_` to Latin letters
//! after them (`人々abc` is one UAX #29 word; here `人々` and `abc`).

use std::sync::OnceLock;

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};
use unicode_segmentation::{UnicodeSegmentation, UnicodeWords};

/// The kind of stretch `c` belongs to: 0 spaced, 1 Thai (cut by [`super::thai`]), 2 another
/// script written without spaces (cut by ICU).
fn class(c: char) -> u8 {
    match c as u32 {
        0x0E00..=0x0E7F => 1,
        _ if is_unspaced(c) => 2,
        _ => 0,
    }
}

/// Whether `c` belongs to a script written without spaces between words (or is a mark or
/// iteration sign that such a script uses inside words).
pub(crate) fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF // Thai, Lao
        | 0x1000..=0x109F | 0xA9E0..=0xA9FF | 0xAA60..=0xAA7F // Myanmar
        | 0x1780..=0x17FF | 0x19E0..=0x19FF // Khmer
        | 0x3005..=0x3007 // 々 〆 〇
        | 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F // kana
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F // Han
    )
}

/// Whether `text` may hold a character of [`is_unspaced`]: all of them take three UTF-8 bytes
/// or more, so text without a lead byte of `0xE0` or above holds none.
fn may_hold_unspaced(text: &str) -> bool {
    text.bytes().any(|b| b >= 0xE0)
}

/// The segmenter, built once from the data compiled into the binary.
fn segmenter() -> WordSegmenterBorrowed<'static> {
    static SEGMENTER: OnceLock<WordSegmenterBorrowed<'static>> = OnceLock::new();
    *SEGMENTER.get_or_init(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()))
}

/// The words of a non-ASCII piece of text: UAX #29 words, and dictionary words in the
/// unspaced scripts.
pub(crate) struct OtherWords<'a> {
    rest: &'a str,
    run: Run<'a>,
}

/// The stretch of a piece whose words [`OtherWords`] is handing out.
enum Run<'a> {
    Spaced(UnicodeWords<'a>),
    Thai {
        text: &'a str,
        words: std::vec::IntoIter<std::ops::Range<usize>>,
    },
    Unspaced {
        text: &'a str,
        breaks:
            icu_segmenter::iterators::WordBreakIterator<'static, 'a, icu_segmenter::scaffold::Utf8>,
        start: usize,
    },
    Done,
}

impl<'a> OtherWords<'a> {
    pub(crate) fn new(piece: &'a str) -> OtherWords<'a> {
        if may_hold_unspaced(piece) {
            OtherWords {
                rest: piece,
                run: Run::Done,
            }
        } else {
            OtherWords {
                rest: "",
                run: Run::Spaced(piece.unicode_words()),
            }
        }
    }

    /// The next stretch of `rest`: up to the next change between spaced and unspaced. A
    /// variation selector or joiner after an unspaced letter ends its stretch: ICU would make
    /// the letters before it no word at all.
    fn next_run(&mut self) -> bool {
        let Some(first) = self.rest.chars().next() else {
            return false;
        };
        let kind = class(first);
        let end = self
            .rest
            .char_indices()
            .find(|&(_, c)| class(c) != kind)
            .map_or(self.rest.len(), |(i, _)| i);
        let (run, rest) = self.rest.split_at(end);
        self.rest = rest;
        self.run = match kind {
            0 => Run::Spaced(run.unicode_words()),
            1 => Run::Thai {
                text: run,
                words: super::thai::words(run).into_iter(),
            },
            _ => Run::Unspaced {
                text: run,
                breaks: segmenter().segment_str(run),
                start: 0,
            },
        };
        true
    }
}

impl<'a> Iterator for OtherWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            match &mut self.run {
                Run::Spaced(words) => {
                    if let Some(w) = words.next() {
                        return Some(w);
                    }
                }
                Run::Thai { text, words } => {
                    // Marks and signs alone (`ๆ`, `ฯ`) are no word.
                    if let Some(word) = words
                        .by_ref()
                        .map(|r| &text[r])
                        .find(|w| w.chars().any(char::is_alphanumeric))
                    {
                        return Some(word);
                    }
                }
                Run::Unspaced {
                    text,
                    breaks,
                    start,
                } => {
                    while let Some(end) = breaks.next() {
                        let word = &text[*start..end];
                        *start = end;
                        if end > 0 && breaks.is_word_like() {
                            return Some(word);
                        }
                    }
                }
                Run::Done => {}
            }
            if !self.next_run() {
                self.run = Run::Done;
                return None;
            }
        }
    }
}
