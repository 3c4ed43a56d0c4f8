//! Thai words: the fewest unknown clusters, then the fewest words, over PyThaiNLP's word list
//! (CC0; `data/README.md`), cut only between Thai character clusters. This is the maximal
//! matching of PyThaiNLP's `newmm`, the segmenter Thai NLP uses by default; ICU's own Thai
//! dictionary cuts compounds that Thai readers and newmm keep whole (`นายก รัฐมนตรี`), about a
//! third more words on news.

use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// The word list, one a line.
const WORDS: &str = include_str!("../../data/words_th.txt");

/// Every word of the list and every prefix of one, mapped to whether it is a word itself;
/// and the longest word, in characters.
struct Dictionary {
    prefixes: FxHashMap<&'static str, bool>,
    longest: usize,
}

/// The dictionary, built on first use (about 60,000 words).
fn dictionary() -> &'static Dictionary {
    static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();
    DICTIONARY.get_or_init(|| {
        let mut prefixes: FxHashMap<&'static str, bool> = FxHashMap::default();
        let mut longest = 0;
        for word in WORDS.lines().filter(|w| !w.is_empty()) {
            let mut chars = 0;
            for (end, c) in word.char_indices() {
                chars += 1;
                prefixes.entry(&word[..end + c.len_utf8()]).or_insert(false);
            }
            prefixes.insert(word, true);
            longest = longest.max(chars);
        }
        Dictionary { prefixes, longest }
    })
}

/// Whether a Thai character cluster may start before `c` that follows `previous`: not before
/// a following vowel, a tone or another mark, and not after a leading vowel (`เ แ โ ใ ไ`),
/// which is written before the consonant it follows in speech.
fn may_cut(previous: char, c: char) -> bool {
    let follows = matches!(c as u32, 0x0E30..=0x0E3A | 0x0E45 | 0x0E47..=0x0E4E);
    let leads = matches!(previous as u32, 0x0E40..=0x0E44);
    !follows && !leads
}

/// The byte ranges of the words of `run`, a stretch of Thai characters, in order. A stretch
/// the list does not know is one word up to where a known word starts.
pub(crate) fn words(run: &str) -> Vec<Range<usize>> {
    let dictionary = dictionary();
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    let n = chars.len();
    let at = |k: usize| chars.get(k).map_or(run.len(), |&(i, _)| i);
    let cut: Vec<bool> = (0..=n)
        .map(|k| k == 0 || k == n || may_cut(chars[k - 1].1, chars[k].1))
        .collect();
    // The best way to reach each cut: (unknown clusters, words), and where from.
    let mut best: Vec<(u32, u32)> = vec![(u32::MAX, u32::MAX); n + 1];
    let mut from: Vec<(usize, bool)> = vec![(0, false); n + 1];
    best[0] = (0, 0);
    for k in 0..n {
        if !cut[k] || best[k].0 == u32::MAX {
            continue;
        }
        let (unknown, count) = best[k];
        let mut relax = |j: usize, known: bool, best: &mut Vec<(u32, u32)>| {
            let cost = (unknown + u32::from(!known), count + 1);
            if cost < best[j] {
                best[j] = cost;
                from[j] = (k, known);
            }
        };
        for j in k + 1..=n.min(k + dictionary.longest) {
            match dictionary.prefixes.get(&run[at(k)..at(j)]) {
                None => break,
                Some(&word) if word && cut[j] => relax(j, true, &mut best),
                Some(_) => {}
            }
        }
        // One cluster the list does not know.
        let next = (k + 1..=n).find(|&j| cut[j]).unwrap_or(n);
        relax(next, false, &mut best);
    }
    // Back from the end; unknown clusters in a row make one word.
    let mut pieces: Vec<(usize, usize, bool)> = Vec::new();
    let mut j = n;
    while j > 0 {
        let (k, known) = from[j];
        pieces.push((k, j, known));
        j = k;
    }
    pieces.reverse();
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut last_unknown = false;
    for (k, j, known) in pieces {
        match out.last_mut() {
            Some(range) if !known && last_unknown => range.end = at(j),
            _ => out.push(at(k)..at(j)),
        }
        last_unknown = !known;
    }
    out
}
