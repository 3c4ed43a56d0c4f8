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
        let number = number_word(normal).is_some() || cjk_number(normal).is_some();
        let fact = found < MAX_FACTS && (number || is_fact(word, normal, starts, next));
        let hash = if fact {
            fact_hash(word, normal)
        } else {
            folded_hash(normal) & 0xFFFF_FFFF
        };
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
        *slot = (w.0 & !SPELLED) as u32;
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
pub(crate) const FIGURE: u64 = 1 << 31;

/// The 32-bit hash of a fact (`word` in normal form `normal`), with [`FIGURE`] set for a
/// figure: a word with a digit, or a number written as a word, which hashes as its digits do
/// (`four cts` and `4 cts` are one figure; `four` and `72` two).
pub(crate) fn fact_hash(word: &str, normal: &str) -> u64 {
    if let Some(n) = cjk_number(normal) {
        return (folded_hash(&n.to_string()) & 0xFFFF_FFFF) | FIGURE | SPELLED;
    }
    match number_word(normal) {
        Some(digits) => (folded_hash(digits) & 0xFFFF_FFFF) | FIGURE | SPELLED,
        None if is_figure(word) => {
            (folded_hash(&ascii_digits(normal)) & 0xFFFF_FFFF & !SPELLED) | FIGURE
        }
        None => folded_hash(normal) & 0xFFFF_FFFF & !FIGURE & !SPELLED,
    }
}

/// The hash of a word (in normal form) with the characters optical character recognition
/// confuses folded together (`rn` and `m`; `1`, `i` and `l`; `0` and `o`; `5` and `s`; `e`
/// and `c`), so that a scanned copy's `Halvorsen` and `Ha1vorscn` are one name: a name or
/// figure that changed in a shared context tells a look-alike from a copy, and OCR noise
/// changed them in copies (on a generated corpus with OCR-noisy copies, 43 of the 149 copies
/// missed). Two names that differ only in confused characters are rare in one context.
fn folded_hash(normal: &str) -> u64 {
    let bytes = normal.as_bytes();
    if !bytes.iter().any(|b| b"1i05ern".contains(b)) {
        return xxh3_64(bytes);
    }
    // On the stack: this runs for every word of a story's lead.
    let mut stack = [0u8; 48];
    let mut heap = Vec::new();
    let out: &mut [u8] = if bytes.len() <= stack.len() {
        &mut stack
    } else {
        heap.resize(bytes.len(), 0);
        &mut heap
    };
    let (mut k, mut n) = (0, 0);
    while k < bytes.len() {
        let b = bytes[k];
        let (folded, step) = match b {
            b'r' if bytes.get(k + 1) == Some(&b'n') => (b'm', 2),
            b'1' | b'i' => (b'l', 1),
            b'0' => (b'o', 1),
            b'5' => (b's', 1),
            b'e' => (b'c', 1),
            other => (other, 1),
        };
        out[n] = folded;
        n += 1;
        k += step;
    }
    xxh3_64(&out[..n])
}

/// Whether a word is a figure: it has a digit and starts with one (`1987`, `4th`, `10-1/2`) or
/// has as many digits as letters (`G7`, `l987`). A name with a letter that OCR read as a digit
/// (`Ha1vorsen`) stays a name.
fn is_figure(word: &str) -> bool {
    let digits = word.chars().filter(|&c| digit_value(c).is_some()).count();
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    digits > 0
        && (word
            .chars()
            .next()
            .is_some_and(|c| digit_value(c).is_some())
            || digits >= letters)
}

/// The value of a number written in Chinese numerals, as a word of its own (`三`, `二十五`,
/// `两千`, `三万五千`), so that it is a figure and hashes as its digits do; `None` for any
/// other word, and for a lone `一`, which prose uses as an article (`一个`, `一些`).
fn cjk_number(normal: &str) -> Option<u64> {
    if normal.is_ascii() || normal == "一" {
        return None;
    }
    let (mut total, mut section, mut digit) = (0u64, 0u64, None::<u64>);
    for c in normal.chars() {
        let d = match c {
            '零' | '〇' => Some(0),
            '一' => Some(1),
            '二' | '两' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        };
        if let Some(d) = d {
            digit = Some(digit.unwrap_or(0) * 10 + d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1_000,
            '万' => 10_000,
            '亿' => 100_000_000,
            _ => return None,
        };
        if unit >= 10_000 {
            total = total.checked_add((section + digit.unwrap_or(0)).checked_mul(unit)?)?;
            section = 0;
        } else {
            // `十五` is fifteen: a unit with no digit before it counts once.
            section = section.checked_add(digit.unwrap_or(1).checked_mul(unit)?)?;
        }
        digit = None;
    }
    total.checked_add(section)?.checked_add(digit.unwrap_or(0))
}

/// The value of a decimal digit in the scripts news is written in: ASCII, Arabic-Indic,
/// Persian, Devanagari, Bengali, Thai and full-width digits.
fn digit_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return Some(c as u32 - u32::from(b'0'));
    }
    const ZEROS: [u32; 6] = [0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0xFF10];
    let c = c as u32;
    ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&c))
        .map(|&z| c - z)
}

/// Whether `word` holds a digit of any script [`digit_value`] knows.
fn has_digit(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_digit())
        || (!word.is_ascii() && word.chars().any(|c| digit_value(c).is_some()))
}

/// `normal` with its digits in ASCII, so that `٢٠٢٠` and `2020` are one figure.
fn ascii_digits(normal: &str) -> std::borrow::Cow<'_, str> {
    if normal.is_ascii() {
        return normal.into();
    }
    normal
        .chars()
        .map(|c| {
            digit_value(c)
                .and_then(|d| char::from_digit(d, 10))
                .unwrap_or(c)
        })
        .collect::<String>()
        .into()
}

/// The bit of a fact's word hash that marks a number written as a word. Such a number is a
/// figure where a context holds it (`div four cts` against `div 72 cts`), but prose uses them
/// too (`the two units`), so a rewrite need not keep it ([`rewrite_agrees`]). Compared without
/// the bit: `four` and `4` are one figure.
const SPELLED: u64 = 1 << 30;

/// A number written as a word (in normal form), as its digits: wire style spells out numbers
/// below ten (`Qtly div four cts`, `six ships were waiting`), and headlines often more.
/// `one` is left out: it is more often a pronoun (`one of the`, `no one`) than a count.
pub(crate) fn number_word(normal: &str) -> Option<&'static str> {
    Some(match normal {
        "two" => "2",
        "three" => "3",
        "four" => "4",
        "five" => "5",
        "six" => "6",
        "seven" => "7",
        "eight" => "8",
        "nine" => "9",
        "ten" => "10",
        "eleven" => "11",
        "twelve" => "12",
        "thirteen" => "13",
        "fourteen" => "14",
        "fifteen" => "15",
        "sixteen" => "16",
        "seventeen" => "17",
        "eighteen" => "18",
        "nineteen" => "19",
        "twenty" => "20",
        "thirty" => "30",
        "forty" => "40",
        "fifty" => "50",
        "sixty" => "60",
        "seventy" => "70",
        "eighty" => "80",
        "ninety" => "90",
        "hundred" => "100",
        _ => return None,
    })
}

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
    if has_digit(word) {
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
    let (mut same, mut changed) = (0u32, 0u32);
    walk_contexts(a, b, |x, y| {
        if (x ^ y) & !SPELLED != 0 {
            changed += 1;
        } else if x & y & SPELLED == 0 {
            // A number both spell out is the template's as often as the story's (`six mths`,
            // `two-for-one split`): it tells a copy when it changes, and is not counted when
            // it does not, so that it cannot outweigh a changed name or figure.
            same += 1;
        }
    });
    (same, changed)
}

/// Calls `f` with the first fact of each context both `a` and `b` have a fact in.
fn walk_contexts(a: &[u64], b: &[u64], mut f: impl FnMut(u64, u64)) {
    let (mut i, mut j) = (0, 0);
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
                f(a[i], b[j]);
                i = skip(a, i);
                j = skip(b, j);
            }
        }
    }
}

/// The words of a title (a headline), each as [`fact_hash`] hashes it, the subject first: the
/// first word that is not a label (`CORRECTED -`, `RPT-`, `UPDATE 1-`), a function word or a
/// figure; then the others, sorted. Empty when the title has no subject.
pub(crate) fn title_words(title: &str) -> Box<[u32]> {
    let normal = corpus_core::normalize(title);
    let mut words: Vec<u32> = Vec::new();
    let mut subject = None;
    for word in normal.split(' ').filter(|w| !w.is_empty()) {
        let word = word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("\u{2019}s"))
            .unwrap_or(word);
        let hash = (fact_hash(word, word) & !SPELLED) as u32;
        let figure = u64::from(hash) & FIGURE != 0;
        if subject.is_none() && !figure && !is_function_word(word) && !is_label(word) {
            subject = Some(hash);
        } else {
            words.push(hash);
        }
    }
    let Some(subject) = subject else {
        return Box::default();
    };
    words.sort_unstable();
    words.dedup();
    words.retain(|&w| w != subject);
    words.insert(0, subject);
    words.into_boxed_slice()
}

/// Words that mark a headline's kind of copy rather than its story, and `first`, an ordinal
/// (skipped as figures are: `FIRST MISSISSIPPI` and `FIRST FEDERAL` are about two names).
fn is_label(normal: &str) -> bool {
    matches!(
        normal,
        "corrected"
            | "correction"
            | "rpt"
            | "repeat"
            | "refile"
            | "update"
            | "updated"
            | "urgent"
            | "first"
    )
}

/// Whether two documents' titles allow them to be one story: each title's subject (its first
/// name) is named somewhere in the other document, in its title or among the names of its
/// lead, one way or the other; and when both titles hold figures, they share one. Two notices
/// written from one template differ in what the template leaves out of the text: the company
/// is only in the headline (`Qtly div 13 cts vs 13 cts prior`). A copy, however rewritten,
/// names what its original's headline is about. True when either has no title.
pub(crate) fn titles_agree(
    (title_a, facts_a): (&[u32], &[u64]),
    (title_b, facts_b): (&[u32], &[u64]),
) -> bool {
    let (Some(&subject_a), Some(&subject_b)) = (title_a.first(), title_b.first()) else {
        return true;
    };
    let named = |word: u32, title: &[u32], facts: &[u64]| {
        title.contains(&word)
            || facts
                .iter()
                .any(|&f| (f & 0xFFFF_FFFF & !SPELLED) as u32 == word)
    };
    if !named(subject_a, title_b, facts_b) && !named(subject_b, title_a, facts_a) {
        return false;
    }
    // A name of a title that its own text names too (`FRANKLIN PUERTO RICO TAX-FREE SETS
    // PAYOUT` over `Franklin Puerto Rico Tax-Free Income Fund`) is what the story is about:
    // when each title has one the other document never names, they are two stories of one
    // template (two funds of one family, two bonds of one issuer).
    let unshared_name = |(title, facts): (&[u32], &[u64]), (other_title, other_facts)| {
        title.iter().any(|&w| {
            u64::from(w) & FIGURE == 0
                && named(w, &[], facts)
                && !named(w, other_title, other_facts)
        })
    };
    if unshared_name((title_a, facts_a), (title_b, facts_b))
        && unshared_name((title_b, facts_b), (title_a, facts_a))
    {
        return false;
    }
    let figures = |title: &[u32]| -> Vec<u32> {
        title
            .iter()
            .copied()
            .filter(|&w| u64::from(w) & FIGURE != 0)
            .collect()
    };
    let (fa, fb) = (figures(title_a), figures(title_b));
    fa.is_empty() || fb.is_empty() || fa.iter().any(|f| fb.contains(f))
}

/// The stock ticker a headline tags its company with (`ACME CORP <ACM> SETS PAYOUT`,
/// `Acme (ACM.N) beats forecasts`, `(NYSE: ACM)`), hashed without its exchange suffix (`ACM.O`
/// is `ACM`), and the first word of the headline before it (past labels such as `CORRECTED
/// -`), which starts the company's name: `[ticker, name]`. `None` when the headline has no
/// ticker or no word before it.
pub(crate) fn title_ticker(title: &str) -> Option<[u32; 2]> {
    let (start, symbol) = find_ticker(title)?;
    let name = words(&title[..start])
        .map(|w| (w, corpus_core::normalize(w)))
        .find(|(w, normal)| !is_figure(w) && !is_copy_label(normal.trim()))?;
    let hash = |s: &str| (xxh3_64(s.as_bytes()) & 0xFFFF_FFFF) as u32;
    Some([hash(symbol), hash(name.1.trim())])
}

/// The first ticker of a title: where its bracket opens, and the symbol. A symbol is 1-6
/// capitals and digits that start with a capital, in angle brackets (Reuters' `<ACM>`,
/// `<ACM.O>`), or in parentheses with an exchange (`(ACM.N)`, `(NYSE:ACM)`, `(NASDAQ: ACM)`):
/// a bare `(EU)` or `(UPDATE 1)` is not one.
fn find_ticker(title: &str) -> Option<(usize, &str)> {
    let symbol = |s: &str| {
        let b = s.as_bytes();
        (1..=6).contains(&b.len())
            && b[0].is_ascii_uppercase()
            && b.iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    let exchange =
        |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_uppercase());
    let mut from = 0;
    while let Some(at) = title[from..].find(['<', '(']).map(|k| from + k) {
        from = at + 1;
        let close = if title.as_bytes()[at] == b'<' {
            '>'
        } else {
            ')'
        };
        let Some(inner) = title[at + 1..].split_once(close).map(|(inner, _)| inner) else {
            continue;
        };
        let found = if close == '>' {
            match inner.split_once('.') {
                Some((sym, ex)) if symbol(sym) && exchange(ex) => Some(sym),
                None if symbol(inner) => Some(inner),
                _ => None,
            }
        } else if let Some((ex, sym)) = inner.split_once(':') {
            let sym = sym.trim_start();
            (ex.len() >= 2 && ex.bytes().all(|c| c.is_ascii_uppercase()) && symbol(sym))
                .then_some(sym)
        } else {
            match inner.split_once('.') {
                Some((sym, ex)) if symbol(sym) && exchange(ex) => Some(sym),
                _ => None,
            }
        };
        if let Some(sym) = found {
            return Some((at, sym));
        }
    }
    None
}

/// Whether two headlines' tickers allow one story: unless both have one, the tickers differ
/// and so do the first words of the names they tag. A ticker names a company; two tickers
/// before two names are two companies (`MANUFACTURERS HANOVER <MHC> RAISES PRIME RATE` and
/// `IRVING TRUST <V> RAISES PRIME RATE`, the same day, in the same words). A copy whose ticker
/// was corrected (`MURRAY OHIO <MUR>`, then `<MYO>`) keeps the name.
pub(crate) fn tickers_agree(a: Option<[u32; 2]>, b: Option<[u32; 2]>) -> bool {
    match (a, b) {
        (Some([ta, na]), Some([tb, nb])) => ta == tb || na == nb,
        _ => true,
    }
}

/// Labels a wire puts before a headline to mark a kind of copy (`CORRECTED -`, `RPT-`,
/// `UPDATE 1-`), in normal form.
fn is_copy_label(normal: &str) -> bool {
    is_label(normal) && normal != "first"
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
    let mut len = 0;
    for &f in facts.iter().filter(|&&f| f & SPELLED == 0).take(MAX_FACTS) {
        // Figures first: their bit flipped sorts them below the names.
        words[len] = (f as u32) ^ FIGURE as u32;
        len += 1;
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
