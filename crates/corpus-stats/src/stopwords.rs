//! Stop words: the function words left out of the top-term and bigram lists.

use corpus_core::Lang;
use rustc_hash::{FxHashMap, FxHashSet};

/// Our English stop-word list: articles, pronouns, auxiliaries, prepositions, conjunctions, the
/// reporting verbs and fillers that top every news term list ("said", "also", "would"), the
/// titles before names (`mr`, `mrs`, `ms`, `dr`) and the wire sign-off `reuter`. Words are
/// lowercase, with `'` as the apostrophe, as [`corpus_core::normalize`] leaves them. Not `us`:
/// lowercased, the pronoun is also the country (`US`), which news writes far more often.
const ENGLISH: &str = "a about above after again against all also am an and any are aren't as at
dr mr mrs ms reuter
be because been before being below between both but by can can't cannot could couldn't did didn't
do does doesn't doing don't down during each either even ever every few for from further had
hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself
his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself just let's many
may me might more most much must mustn't my myself neither no nor not now of off on once one only
or other others ought our ours ourselves out over own per rather said same say says shall shan't
she she'd she'll she's should shouldn't since so some such than that that's the their theirs them
themselves then there there's these they they'd they'll they're they've this those though through
thus to too under until up upon very was wasn't we we'd we'll we're we've were weren't what
what's when when's where where's whether which while who who's whom whose why why's will with
within without won't would wouldn't yet you you'd you'll you're you've your yours yourself
yourselves";

/// A set of stop words, compared with lowercased words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StopWords {
    words: FxHashSet<Box<str>>,
}

impl StopWords {
    /// No stop words: every term is counted in the top lists.
    pub fn none() -> StopWords {
        StopWords::default()
    }

    /// The built-in English list.
    pub fn english() -> StopWords {
        StopWords::from_list(ENGLISH)
    }

    /// Stop words from a whitespace-separated list (one a line, say); `#` starts a comment line.
    /// Words are put in normal form ([`corpus_core::normalize_word`]: case-folded), as the
    /// terms they are matched with are.
    pub fn from_list(list: &str) -> StopWords {
        StopWords::from_words(
            list.lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .flat_map(str::split_whitespace),
        )
    }

    /// The stop words of `lang`: for English our own list ([`StopWords::english`]), for the
    /// other languages the [stopwords-iso](https://github.com/stopwords-iso) list (through the
    /// `stop-words` crate; MIT licence), in normal form. `None` for a language it has no list
    /// of, and for [`Lang::UND`].
    ///
    /// ```
    /// use corpus_core::Lang;
    /// use corpus_stats::StopWords;
    ///
    /// let de = StopWords::for_language(Lang::from_tag("de").unwrap()).unwrap();
    /// assert!(de.contains("und") && de.contains("für") && !de.contains("regierung"));
    /// assert_eq!(StopWords::for_language(Lang::EN), Some(StopWords::english()));
    /// assert_eq!(StopWords::for_language(Lang::UND), None);
    /// ```
    pub fn for_language(lang: Lang) -> Option<StopWords> {
        if lang == Lang::EN {
            return Some(StopWords::english());
        }
        if !lang.is_known() {
            return None;
        }
        stop_words::lookup(lang.code()).map(|words| StopWords::from_words(words.iter().copied()))
    }

    fn from_words<'a>(words: impl Iterator<Item = &'a str>) -> StopWords {
        let words = words
            .map(|w| {
                let mut normal = String::with_capacity(w.len());
                corpus_core::normalize_word(w, &mut normal);
                normal.into_boxed_str()
            })
            .filter(|w| !w.is_empty())
            .collect();
        StopWords { words }
    }

    /// These stop words and `other`'s.
    pub fn with(mut self, other: &StopWords) -> StopWords {
        self.words.extend(other.words.iter().cloned());
        self
    }

    /// Whether `word` (lowercased) is a stop word.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// The stop words, sorted.
    pub fn sorted(&self) -> Vec<&str> {
        let mut words: Vec<&str> = self.words.iter().map(|w| &**w).collect();
        words.sort_unstable();
        words
    }

    /// How many stop words there are.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// The stop words of each document's own language, beyond the list every document uses: for
/// each language met other than English and `und`, its list and, per term index of the
/// counting table, whether the term is on it, so that a word is looked up once per language.
#[derive(Debug, Clone, Default)]
pub(crate) struct OwnStopWords {
    languages: FxHashMap<Lang, Option<LanguageStops>>,
}

impl OwnStopWords {
    /// `Some(lang)` when a document in `lang` has stop words of its own (its list loaded on
    /// first use); `None` for English, `und`, or a language with no list.
    pub(crate) fn prepare(&mut self, lang: Lang) -> Option<Lang> {
        if lang == Lang::EN || !lang.is_known() {
            return None;
        }
        self.languages
            .entry(lang)
            .or_insert_with(|| StopWords::for_language(lang).map(LanguageStops::new))
            .is_some()
            .then_some(lang)
    }

    /// The stop words of `lang`, once [prepared](OwnStopWords::prepare).
    pub(crate) fn get(&mut self, lang: Lang) -> Option<&mut LanguageStops> {
        self.languages.get_mut(&lang)?.as_mut()
    }
}

/// One language's stop words, and for each term index whether it is one of them (0: not yet
/// looked up, 1: no, 2: yes).
#[derive(Debug, Clone)]
pub(crate) struct LanguageStops {
    words: StopWords,
    terms: Vec<u8>,
}

impl LanguageStops {
    fn new(words: StopWords) -> LanguageStops {
        LanguageStops {
            words,
            terms: Vec::new(),
        }
    }

    /// Whether term `index`, `word` in normal form, is one of the stop words.
    pub(crate) fn contains(&mut self, index: usize, word: &[u8]) -> bool {
        if index >= self.terms.len() {
            self.terms.resize(index + 1, 0);
        }
        if self.terms[index] == 0 {
            let stop = std::str::from_utf8(word).is_ok_and(|w| self.words.contains(w));
            self.terms[index] = 1 + u8::from(stop);
        }
        self.terms[index] == 2
    }
}
