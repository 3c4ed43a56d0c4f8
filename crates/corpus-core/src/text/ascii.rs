//! UAX #29 word and sentence boundaries for ASCII text, from a few byte classes instead of the
//! Unicode property tables.
//!
//! News text is mostly ASCII, and a general UAX #29 segmenter pays for its generality on every
//! character. Restricted to ASCII, the rules collapse to a few byte classes, which words test 64
//! bytes at a time as bit masks ([`Spans`]) and sentences byte by byte around each terminator
//! ([`sentence_count`]). These functions give
//! exactly what `unicode-segmentation` gives on ASCII input (checked by property tests in
//! `text/tests.rs`); callers hand them only ASCII text.
//!
//! `Spans` finds words 64 bytes at a time from two bit masks (bytes that join a word;
//! punctuation that joins two letters or digits), built by plain compares the compiler
//! vectorises and gathered by one multiply per 8 bytes, so that there is no branch per byte and
//! no mispredicted loop exit per word; words are lowercased 16 bytes at once and handed out as
//! [`NormalWord`] (bytes, plus the 16-byte form packed into two integers for hash keys) through
//! a single call site, so the caller's closure is inlined into the scan. Sentence counting skips
//! to the next terminator (memchr3 in a paragraph without line breaks, a block mask otherwise).

use super::NormalWord;

/// Byte classes, as bit flags in [`CLASS`]: what the rules that join across punctuation ask.
const ALPHA: u8 = 2; // a letter
const DIGIT: u8 = 4; // a digit
const MID_LETTER: u8 = 8; // joins two letters: ':' '.' '\'' (WB6, WB7)
const MID_NUM: u8 = 16; // joins two digits: ',' ';' '.' '\'' (WB11, WB12)

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let mut f = 0;
        if c.is_ascii_alphabetic() {
            f |= ALPHA;
        }
        if c.is_ascii_digit() {
            f |= DIGIT;
        }
        if matches!(c, b':' | b'.' | b'\'') {
            f |= MID_LETTER;
        }
        if matches!(c, b',' | b';' | b'.' | b'\'') {
            f |= MID_NUM;
        }
        t[b] = f;
        b += 1;
    }
    t
};

fn class(b: u8) -> u8 {
    CLASS[b as usize]
}

/// Whether an ASCII byte always joins the word it is in: a letter, digit or underscore (WB5,
/// WB8–WB10, WB13a, WB13b). Plain compares, for the compiler to vectorise over a block.
fn is_joining(c: u8) -> bool {
    // `c | 0x20` maps exactly the letters, and nothing else, onto `a..=z`.
    (c | 0x20).wrapping_sub(b'a') < 26 || c.wrapping_sub(b'0') < 10 || c == b'_'
}

/// Bytes scanned at a time: one bit of a `u64` mask per byte.
const BLOCK: usize = 64;

/// The bytes of a block that always join a word (letters, digits, `_`), and those that join
/// two letters or two digits (`'` `,` `.` `:` `;`), as masks: bit `i` for byte `i`.
///
/// The tests are plain arithmetic over the whole block, which the compiler turns into vector
/// compares, instead of a table look-up per byte; eight flags at a time are then gathered into
/// mask bits by one multiplication.
fn block_masks(block: &[u8; BLOCK]) -> (u64, u64) {
    let mut flags = [0u8; BLOCK];
    for (f, &c) in flags.iter_mut().zip(block) {
        // `,` and `.` are 0x2C and 0x2E; `:` and `;` are 0x3A and 0x3B.
        let mid = c == b'\'' || c | 2 == b'.' || c | 1 == b';';
        *f = u8::from(is_joining(c)) | u8::from(mid) << 1;
    }
    (flag_mask(&flags, 0), flag_mask(&flags, 1))
}

/// The bytes of a block that pass `test`, as a mask (see [`block_masks`] for how).
fn block_mask(block: &[u8; BLOCK], test: impl Fn(u8) -> bool) -> u64 {
    let mut flags = [0u8; BLOCK];
    for (f, &c) in flags.iter_mut().zip(block) {
        *f = u8::from(test(c));
    }
    flag_mask(&flags, 0)
}

/// Bit `bit` of each flag byte, as a mask: bit `i` for byte `i`.
fn flag_mask(flags: &[u8; BLOCK], bit: u32) -> u64 {
    let mut mask = 0u64;
    for (i, eight) in flags.chunks_exact(8).enumerate() {
        let x = eight
            .first_chunk::<8>()
            .map_or(0, |e| u64::from_le_bytes(*e));
        mask |= gather(x >> bit) << (8 * i);
    }
    mask
}

/// Where the first byte of `b` that passes `test` is: a block at a time, for long stretches
/// without one. `test` should be plain comparisons, for the compiler to vectorise.
pub(crate) fn position(b: &[u8], test: impl Fn(u8) -> bool + Copy) -> Option<usize> {
    let mut blocks = b.chunks_exact(BLOCK);
    let mut base = 0;
    for block in &mut blocks {
        let mask = block
            .first_chunk::<BLOCK>()
            .map_or(0, |b| block_mask(b, test));
        if mask != 0 {
            return Some(base + mask.trailing_zeros() as usize);
        }
        base += BLOCK;
    }
    blocks
        .remainder()
        .iter()
        .position(|&c| test(c))
        .map(|i| base + i)
}

/// The low bit of each byte of `x`, as eight bits (byte `k` to bit `k`).
fn gather(x: u64) -> u64 {
    const LOW_BITS: u64 = 0x0101_0101_0101_0101;
    // Byte k's bit lands at bit 56 + k of the product, and no two partial products collide.
    (x & LOW_BITS).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// Whether the byte at `i`, between two joining bytes, joins them into one word: WB6/7,
/// letter (`:` `.` `'`) letter; WB11/12, digit (`,` `;` `.` `'`) digit.
fn joins_across(b: &[u8], i: usize) -> bool {
    let (p, m, n) = (class(b[i - 1]), class(b[i]), class(b[i + 1]));
    (p & n & ALPHA != 0 && m & MID_LETTER != 0) || (p & n & DIGIT != 0 && m & MID_NUM != 0)
}

/// The words of ASCII text as byte ranges, found 64 bytes at a time.
///
/// A word is a maximal run of joining bytes and of the punctuation that joins two of them
/// ([`joins_across`]), so with a mask of each, the words of a block are the runs of set bits:
/// found by counting zeros, with no branch per byte. A run of underscores alone is not a word.
pub(crate) struct Spans<'a> {
    b: &'a [u8],
    /// Where the next block starts.
    next: usize,
    /// Where the current block starts.
    base: usize,
    /// The word bits of the current block not yet handed out.
    word: u64,
    /// The start of a word that ran to the end of the previous block.
    open: Option<usize>,
    /// Whether the last byte of the previous block joins.
    joins_before: bool,
}

impl<'a> Spans<'a> {
    pub(crate) fn new(b: &'a [u8]) -> Spans<'a> {
        Spans {
            b,
            next: 0,
            base: 0,
            word: 0,
            open: None,
            joins_before: false,
        }
    }

    /// Moves to the next block and computes its word bits; false at the end of the text.
    fn load(&mut self) -> bool {
        let b = self.b;
        let base = self.next;
        if base >= b.len() {
            return false;
        }
        let mut padded = [0u8; BLOCK];
        let block = match b[base..].first_chunk::<BLOCK>() {
            Some(block) => block,
            None => {
                // The last, short block: zeros (which join nothing) after the text.
                padded[..b.len() - base].copy_from_slice(&b[base..]);
                &padded
            }
        };
        let (joins, mid) = block_masks(block);
        let joins_after = b.get(base + BLOCK).is_some_and(|&c| is_joining(c));
        let left = joins << 1 | u64::from(self.joins_before);
        let right = joins >> 1 | u64::from(joins_after) << (BLOCK - 1);
        // Punctuation between two joining bytes: joined only by the letter and digit rules.
        let mut candidates = mid & left & right;
        let mut joined = 0;
        while candidates != 0 {
            let i = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            if joins_across(b, base + i) {
                joined |= 1 << i;
            }
        }
        self.base = base;
        self.next = base + BLOCK;
        self.word = joins | joined;
        self.joins_before = joins >> (BLOCK - 1) != 0;
        true
    }

    /// Whether the word `start..end` is one: a segment of underscores alone is not.
    fn is_word(&self, start: usize, end: usize) -> bool {
        self.b[start] != b'_' || self.b[start..end].iter().any(u8::is_ascii_alphanumeric)
    }
}

impl Iterator for Spans<'_> {
    type Item = (usize, usize);

    // Called once per word: inlined into the word loops, where a call's saving and restoring
    // of registers would cost about as much as finding the word.
    #[inline]
    fn next(&mut self) -> Option<(usize, usize)> {
        loop {
            if self.word == 0 {
                if !self.load() {
                    let start = self.open.take()?;
                    let end = self.b.len();
                    return self.is_word(start, end).then_some((start, end));
                }
                if let Some(start) = self.open {
                    // A word that ran to the end of the last block goes on through the bits
                    // at the start of this one (none, if it ended there).
                    let run = (!self.word).trailing_zeros() as usize;
                    if run == BLOCK {
                        self.word = 0;
                        continue;
                    }
                    self.open = None;
                    self.word &= u64::MAX << run;
                    let end = self.base + run;
                    if self.is_word(start, end) {
                        return Some((start, end));
                    }
                }
                continue;
            }
            let at = self.word.trailing_zeros() as usize;
            let run = (!(self.word >> at)).trailing_zeros() as usize;
            let start = self.base + at;
            if at + run == BLOCK {
                self.open = Some(start);
                self.word = 0;
                continue;
            }
            self.word &= u64::MAX << (at + run);
            if self.is_word(start, start + run) {
                return Some((start, start + run));
            }
        }
    }
}

/// The words of ASCII `text`, as `UnicodeSegmentation::unicode_words` gives them.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> + '_ {
    Spans::new(text.as_bytes()).filter_map(|(start, end)| text.get(start..end))
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

/// Room for the normal form of one word (see [`normal_word`]).
#[derive(Debug, Default)]
pub(crate) struct WordBuf {
    short: [u8; 16],
    long: Vec<u8>,
    /// For the words of non-ASCII text.
    pub(crate) other: String,
}

/// The normal form (lowercase) of the word `b[start..end]` of ASCII text, written in `buf`.
#[inline]
pub(crate) fn normal_word<'b>(
    b: &[u8],
    start: usize,
    end: usize,
    buf: &'b mut WordBuf,
) -> NormalWord<'b> {
    let len = end - start;
    match b[start..].first_chunk::<16>() {
        // Most words: one load, one lowercasing of 16 bytes, the excess masked off.
        Some(chunk) if len <= 16 => {
            let mask = u128::MAX >> (8 * (16 - len));
            let word = lower_ascii(u128::from_le_bytes(*chunk)) & mask;
            buf.short = word.to_le_bytes();
            NormalWord::from_padded(&buf.short[..len], word)
        }
        _ => {
            buf.long.clear();
            buf.long
                .extend(b[start..end].iter().map(u8::to_ascii_lowercase));
            NormalWord::new(&buf.long)
        }
    }
}

/// Calls `f` with the normal form (lowercase) of each word of ASCII `text`, in order.
#[cfg(test)]
pub(crate) fn for_each_normal_word(text: &str, f: &mut impl FnMut(NormalWord<'_>)) {
    let b = text.as_bytes();
    let mut buf = WordBuf::default();
    for (start, end) in Spans::new(b) {
        f(normal_word(b, start, end, &mut buf));
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

/// How many sentences of ASCII text `b` hold a letter or digit, as
/// `UnicodeSegmentation::unicode_sentences(text).count()` would say.
pub(crate) fn sentence_count(b: &[u8]) -> usize {
    // A paragraph seldom holds a line break: then only terminators need looking for.
    let has_separators = memchr::memchr2(b'\r', b'\n', b).is_some();
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
            let skip = if has_separators {
                position(rest, |c| {
                    c == b'.' || c == b'!' || c == b'?' || c == b'\r' || c == b'\n'
                })
            } else {
                memchr::memchr3(b'.', b'!', b'?', rest)
            }
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
