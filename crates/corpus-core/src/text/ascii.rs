//! UAX #29 word and sentence boundaries for pure-ASCII text, without tables.
//!
//! News text is mostly ASCII, and a general UAX #29 segmenter pays for its generality on every
//! character. Restricted to ASCII, the rules collapse to a few byte classes. These functions give
//! exactly what `unicode-segmentation` gives on ASCII input (checked by property tests in
//! `text/tests.rs`); callers use them only when `text.is_ascii()`.

/// A letter, digit or underscore: the bytes that always join (WB5, WB8–WB10, WB13a, WB13b).
fn joins(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The words of ASCII `text`, as `UnicodeSegmentation::unicode_words` gives them.
pub(crate) fn words(text: &str) -> AsciiWords<'_> {
    AsciiWords { text, at: 0 }
}

/// Iterator of [`words`].
pub(crate) struct AsciiWords<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for AsciiWords<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let b = self.text.as_bytes();
        loop {
            while self.at < b.len() && !joins(b[self.at]) {
                self.at += 1;
            }
            if self.at >= b.len() {
                return None;
            }
            let start = self.at;
            let mut i = start + 1;
            loop {
                while i < b.len() && joins(b[i]) {
                    i += 1;
                }
                // WB6/7: letter (':' | '.' | '\'') letter; WB11/12: digit (',' | ';' | '.' |
                // '\'') digit. Anything else ends the word.
                if i + 1 < b.len() {
                    let (p, m, n) = (b[i - 1], b[i], b[i + 1]);
                    let letters = p.is_ascii_alphabetic()
                        && n.is_ascii_alphabetic()
                        && matches!(m, b':' | b'.' | b'\'');
                    let digits = p.is_ascii_digit()
                        && n.is_ascii_digit()
                        && matches!(m, b',' | b';' | b'.' | b'\'');
                    if letters || digits {
                        i += 2;
                        continue;
                    }
                }
                break;
            }
            self.at = i;
            let word = &self.text[start..i];
            // A run of underscores is a segment, but not a word.
            if word.bytes().any(|c| c.is_ascii_alphanumeric()) {
                return Some(word);
            }
        }
    }
}

fn is_sp(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | 0x0B | 0x0C)
}

fn is_close(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}')
}

fn is_saterm(b: u8) -> bool {
    matches!(b, b'.' | b'!' | b'?')
}

fn is_para_sep(b: u8) -> bool {
    matches!(b, b'\r' | b'\n')
}

fn is_scontinue(b: u8) -> bool {
    matches!(b, b',' | b'-' | b':' | b';')
}

/// How many sentences of ASCII `text` hold a letter or digit, as
/// `UnicodeSegmentation::unicode_sentences(text).count()` would say.
pub(crate) fn sentence_count(text: &str) -> usize {
    let b = text.as_bytes();
    let mut count = 0;
    let mut alnum = false; // whether the current sentence has a letter or digit
    // The suffix "SATerm Close* Sp*" ending before the current position: where the terminator
    // is and whether spaces followed it.
    let mut term: Option<usize> = None;
    let mut had_sp = false;
    // SB8's look-ahead for the terminator at `.0`: whether the next letter-like byte is lower.
    let mut sb8: Option<(usize, bool)> = None;
    for i in 0..b.len() {
        if i > 0 && is_break(b, i, term, had_sp, &mut sb8) {
            count += usize::from(alnum);
            alnum = false;
        }
        let c = b[i];
        alnum |= c.is_ascii_alphanumeric();
        if is_saterm(c) {
            term = Some(i);
            had_sp = false;
        } else if term.is_some() && is_close(c) && !had_sp {
        } else if term.is_some() && is_sp(c) {
            had_sp = true;
        } else {
            term = None;
        }
    }
    count + usize::from(alnum)
}

/// Whether UAX #29 puts a sentence boundary between `b[i - 1]` and `b[i]`.
fn is_break(
    b: &[u8],
    i: usize,
    term: Option<usize>,
    had_sp: bool,
    sb8: &mut Option<(usize, bool)>,
) -> bool {
    let (prev, cur) = (b[i - 1], b[i]);
    if prev == b'\r' && cur == b'\n' {
        return false; // SB3
    }
    if is_para_sep(prev) {
        return true; // SB4
    }
    let Some(t) = term else {
        return false; // SB998
    };
    if b[t] == b'.' {
        if t == i - 1 && cur.is_ascii_digit() {
            return false; // SB6
        }
        if t == i - 1 && t > 0 && b[t - 1].is_ascii_alphabetic() && cur.is_ascii_uppercase() {
            return false; // SB7
        }
        // SB8: ATerm Close* Sp* × (¬(OLetter | Upper | Lower | ParaSep | SATerm))* Lower.
        // Only Close and Sp stand between the terminator and `i`, and neither stops the scan,
        // so one scan per terminator serves every position after it.
        let lower_follows = match *sb8 {
            Some((at, lower)) if at == t => lower,
            _ => {
                let stop = b[t + 1..]
                    .iter()
                    .find(|&&c| c.is_ascii_alphabetic() || is_para_sep(c) || is_saterm(c));
                let lower = stop.is_some_and(u8::is_ascii_lowercase);
                *sb8 = Some((t, lower));
                lower
            }
        };
        if lower_follows {
            return false;
        }
    }
    if is_scontinue(cur) || is_saterm(cur) {
        return false; // SB8a
    }
    if !had_sp && (is_close(cur) || is_sp(cur) || is_para_sep(cur)) {
        return false; // SB9
    }
    if is_sp(cur) || is_para_sep(cur) {
        return false; // SB10
    }
    true // SB11
}
