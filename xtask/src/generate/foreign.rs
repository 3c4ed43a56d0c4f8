//! `cargo xtask gen --lang XX --from FILE`: the generator on real texts of another language.
//!
//! The base is the documents of FILE in language XX (their `lang`, given or told). What an
//! English wire does to a copy is done as that language's wires do it: their datelines
//! (`BERLIN (dpa) - `, `MADRID, 8 mar (EFE).- `, `新华社北京3月8日电 `), cuts at word
//! boundaries of any script (words as `corpus_core::words` finds them), rewording with the
//! text's own words. A hard negative is a short text with figures filled in again: every figure
//! new (in the digits it was written in) and, where the script writes names in capitals,
//! its capitalised words replaced by others of the base. The English edits that need English
//! (word swaps, months) are left out.

use std::path::Path;

use anyhow::{Result, bail};
use corpus_core::Lang;
use corpus_parser::{Input, ReadOptions, read_documents};

use super::{Base, Rng};

/// The base: the paragraphs (over 40 bytes) of FILE's documents in `lang`.
pub(crate) fn load_base(from: &Path, lang: Lang) -> Result<Vec<Base>> {
    let mut base = Vec::new();
    read_documents(
        &[Input::Path(from.to_owned())],
        &ReadOptions::default(),
        &mut |parsed| {
            let doc = parsed.document.filter(|d| d.lang == lang);
            base.extend(doc.as_ref().and_then(Base::of));
        },
    );
    if base.len() < 4 {
        bail!(
            "{} holds {} documents in {lang}: too few to generate from",
            from.display(),
            base.len()
        );
    }
    Ok(base)
}

/// A wire dateline of `lang`'s agencies, ready to open a paragraph.
pub(crate) fn dateline(lang: Lang, rng: &mut Rng) -> &'static str {
    let lines: &[&str] = match lang.code() {
        "de" => &["BERLIN (dpa) - ", "FRANKFURT (Reuters) - ", "WIEN (APA) - "],
        "es" => &[
            "MADRID, 8 mar (EFE).- ",
            "BUENOS AIRES (AFP) - ",
            "MÉXICO (EFE) - ",
        ],
        "fr" => &["PARIS (AFP) - ", "BRUXELLES (Belga) - "],
        "it" => &["ROMA (ANSA) - ", "MILANO (Reuters) - "],
        "pl" => &["WARSZAWA (PAP) - "],
        "tr" => &["ANKARA (AA) - ", "İSTANBUL (DHA) - "],
        "ru" => &["МОСКВА, 8 марта. /ТАСС/. ", "МОСКВА (Интерфакс) - "],
        "ar" => &["القاهرة (رويترز) - ", "دبي (أ ف ب) - "],
        "zh" => &["新华社北京3月8日电 ", "中新网上海12月1日电（记者王芳）"],
        _ => &["LONDON (Reuters) - ", "PARIS (AFP) - "],
    };
    lines[rng.below(lines.len())]
}

/// The first `keep` share of a one-paragraph story, cut after a word (at least ten words).
pub(crate) fn cut_words(paragraph: &str, keep: f64) -> String {
    let ends: Vec<usize> = corpus_core::words(paragraph)
        .map(|w| w.as_ptr() as usize - paragraph.as_ptr() as usize + w.len())
        .collect();
    let n = ((ends.len() as f64 * keep).ceil() as usize).max(10.min(ends.len()));
    match n.checked_sub(1).and_then(|i| ends.get(i)) {
        Some(&end) => paragraph[..end].to_owned(),
        None => paragraph.to_owned(),
    }
}

/// An editor's rewording: about `rate` of the small-letter words replaced by other small-letter
/// words of the same paragraph (scripts without case are left as they are).
pub(crate) fn reword(paragraph: &str, rate: f64, rng: &mut Rng) -> String {
    let plain = |w: &str| w.chars().all(char::is_lowercase) && !w.is_empty();
    let pool: Vec<&str> = paragraph.split(' ').filter(|w| plain(w)).collect();
    if pool.len() < 2 {
        return paragraph.to_owned();
    }
    let words: Vec<&str> = paragraph
        .split(' ')
        .map(|w| {
            if plain(w) && rng.chance(rate) {
                pool[rng.below(pool.len())]
            } else {
                w
            }
        })
        .collect();
    words.join(" ")
}

/// Whether a base text is short enough to be a notice written from a template: at most three
/// paragraphs, 120 words, and three figures at least. Its look-alikes change every figure (and
/// names where the script has capitals): a text that differs from another in a figure or two
/// is a correction, which is a copy, and where a script has no capitals figures are all a
/// look-alike can change.
pub(crate) fn is_notice(b: &Base) -> bool {
    let words = || b.paragraphs.iter().flat_map(|p| corpus_core::words(p));
    b.paragraphs.len() <= 3
        && words().count() <= 120
        && words().filter(|w| has_figure(w)).count() >= 3
}

/// Whether `text` holds a digit, ASCII or another script's.
pub(crate) fn has_figure(text: &str) -> bool {
    text.chars().any(|c| digit_zero(c).is_some())
}

/// The zero of the decimal digits `c` is one of, for the scripts the news is written in.
pub(crate) fn digit_zero(c: char) -> Option<char> {
    const ZEROS: [char; 6] = ['0', '\u{660}', '\u{6F0}', '\u{966}', '\u{E50}', '\u{FF10}'];
    ZEROS
        .into_iter()
        .find(|&z| (z..=char::from_u32(z as u32 + 9).unwrap_or(z)).contains(&c))
}

/// Names to fill a template with: the capitalised words (not all capitals, over three
/// letters) of the base, in scripts with case.
pub(crate) fn name_pool(base: &[Base]) -> Vec<String> {
    let mut names: Vec<String> = base
        .iter()
        .flat_map(|b| b.paragraphs.iter())
        .flat_map(|p| p.split_whitespace().skip(1))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| {
            let mut chars = w.chars();
            w.chars().count() > 3
                && chars.next().is_some_and(char::is_uppercase)
                && chars.all(char::is_lowercase)
        })
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A figure written again with other digits of its script.
pub(crate) fn new_figure(figure: &str, rng: &mut Rng) -> String {
    figure
        .chars()
        .map(|c| match digit_zero(c) {
            Some(zero) => char::from_u32(zero as u32 + 1 + rng.below(9) as u32).unwrap_or(c),
            None => c,
        })
        .collect()
}
