//! UAX #29 word and sentence boundaries for ASCII text, from one byte-class table instead of the
//! Unicode property tables.
//!
//! News text is mostly ASCII, and a general UAX #29 segmenter pays for its generality on every
//! character. Restricted to ASCII, the rules collapse to a few byte classes. These functions give
//! exactly what `unicode-segmentation` gives on ASCII input (checked by property tests in
//! `text/tests.rs`); callers hand them only ASCII text.

/// Byte classes, as bit flags in [`CLASS`].
const JOINS: u8 = 1; // a letter, digit or underscore: always joins (WB5, WB8–WB10, WB13a, WB13b)
const ALPHA: u8 = 2; // a letter
const DIGIT: u8 = 4; // a digit
const MID_LETTER: u8 = 8; // joins two letters: ':' '.' '\'' (WB6, WB7)
const MID_NUM: u8 = 16; // joins two digits: ',' ';' '.' '\'' (WB11, WB12)
/// A byte where a sentence may end: a terminator (`.` `!` `?`) or a paragraph separator.
const SENTENCE_END: u8 = 32;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let mut f = 0;
        if c.is_ascii_alphabetic() {
            f |= JOINS | ALPHA;
        }
        if c.is_ascii_digit() {
            f |= JOINS | DIGIT;
        }
        if c == b'_' {
            f |= JOINS;
        }
        if matches!(c, b':' | b'.' | b'\'') {
            f |= MID_LETTER;
        }
        if matches!(c, b',' | b';' | b'.' | b'\'') {
            f |= MID_NUM;
        }
        if matches!(c, b'.' | b'!' | b'?' | b'\r' | b'\n') {
            f |= SENTENCE_END;
        }
        t[b] = f;
        b += 1;
    }
    t
};

fn class(b: u8) -> u8 {
    CLASS[b as usize]
}

/// The next word of ASCII `b` at or after `*at`, as a byte range; moves `*at` past it.
fn next_word(b: &[u8], at: &mut usize) -> Option<(usize, usize)> {
    loop {
        let start = *at + b.get(*at..)?.iter().position(|&c| class(c) & JOINS != 0)?;
        let mut i = start + 1;
        loop {
            while i < b.len() && class(b[i]) & JOINS != 0 {
                i += 1;
            }
            // WB6/7: letter (':' | '.' | '\'') letter; WB11/12: digit (',' | ';' | '.' | '\'')
            // digit. Anything else ends the word.
            if let (Some(&m), Some(&n)) = (b.get(i), b.get(i + 1)) {
                let (p, m, n) = (class(b[i - 1]), class(m), class(n));
                let joined = (p & n & ALPHA != 0 && m & MID_LETTER != 0)
                    || (p & n & DIGIT != 0 && m & MID_NUM != 0);
                if joined {
                    i += 2;
                    continue;
                }
            }
            break;
        }
        *at = i;
        // A run of underscores is a segment, but not a word; any other segment holds a letter
        // or digit (a joined segment holds two).
        if b[start] != b'_' || b[start..i].iter().any(u8::is_ascii_alphanumeric) {
            return Some((start, i));
        }
    }
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
        let (start, end) = next_word(self.text.as_bytes(), &mut self.at)?;
        self.text.get(start..end)
    }
}

/// Lowercases the ASCII bytes of `x` at once: sets 0x20 in every byte from `A` to `Z`.
fn lower_ascii(x: u128) -> u128 {
    const ONES: u128 = u128::MAX / 255; // 0x0101…01
    // Every byte is below 0x80, so adding 0x3f (0x25) sets its top bit exactly when it is at
    // least `A` (above `Z`), without carrying into the next byte.
    let at_least_a = x + ONES * 0x3f;
    let above_z = x + ONES * 0x25;
    let upper = at_least_a & !above_z & (ONES * 0x80);
    x | (upper >> 2)
}

/// Calls `f` with the normal form (lowercase) of each word of ASCII `text`, in order.
pub(crate) fn for_each_normal_word(text: &str, f: &mut impl FnMut(&[u8])) {
    let b = text.as_bytes();
    let mut at = 0;
    let mut long = Vec::new();
    while let Some((start, end)) = next_word(b, &mut at) {
        let len = end - start;
        match b[start..].first_chunk::<16>() {
            // Most words: one load, one lowercasing of 16 bytes, the excess masked off.
            Some(chunk) if len <= 16 => {
                let mask = u128::MAX >> (8 * (16 - len));
                let word = (lower_ascii(u128::from_le_bytes(*chunk)) & mask).to_le_bytes();
                f(&word[..len]);
            }
            _ => {
                long.clear();
                long.extend(b[start..end].iter().map(u8::to_ascii_lowercase));
                f(&long);
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
    let mut i = 0;
    while i < b.len() {
        // Outside a terminator's suffix and not just after a paragraph separator, no boundary
        // can come before the next terminator or separator: skip to it.
        if term.is_none() && (i == 0 || !is_para_sep(b[i - 1])) {
            let rest = &b[i..];
            let skip = rest
                .iter()
                .position(|&c| class(c) & SENTENCE_END != 0)
                .unwrap_or(rest.len());
            if skip > 0 {
                alnum = alnum || rest[..skip].iter().any(u8::is_ascii_alphanumeric);
                i += skip;
                continue;
            }
        }
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
        i += 1;
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
