//! What a view searches for: a word, a phrase, `*` wildcards, case-folded or not; and the words
//! of a text with where they are.

use corpus_core::{normalize_word, words};

/// Why a pattern cannot be searched for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatternError {
    /// The pattern holds no word (nor a wildcard).
    #[error("the pattern {0:?} holds no word")]
    Empty(String),
    /// `--regex` was given an expression that does not compile.
    #[error("not a regular expression: {0}")]
    Regex(String),
    /// A collocation node of more than one word.
    #[error(
        "the node {0:?} is more than one word: a node is one word (a concordance, kwic, finds phrases)"
    )]
    NotOneWord(String),
    /// A window wider than [`MAX_WINDOW`] words on a side.
    #[error("a window of {0} words on a side is more than the {max} a view reads", max = MAX_WINDOW)]
    Window(usize),
}

/// The most words of context or of a collocation window on each side of a word: wider windows
/// are a whole document's words, and their counts no longer tell what is near the word.
pub const MAX_WINDOW: usize = 1000;

/// One word of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// The word, in the form compared (normal form, or as written with case kept).
    Word(String),
    /// A word with `*` standing for any letters: its literal parts, in order.
    Glob(Vec<String>),
}

impl Token {
    fn matches(&self, word: &str) -> bool {
        match self {
            Token::Word(w) => w == word,
            Token::Glob(parts) => glob(parts, word),
        }
    }
}

/// Whether `word` is `parts` joined by runs of any characters (`*`), anchored at both ends.
fn glob(parts: &[String], word: &str) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return true;
    };
    let Some(mut tail) = word.strip_prefix(first.as_str()) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return tail.is_empty();
    };
    for part in middle {
        match tail.find(part.as_str()) {
            Some(at) => tail = &tail[at + part.len()..],
            None => return false,
        }
    }
    tail.len() >= last.len() && tail.ends_with(last.as_str())
}

/// A word, a phrase (words in a row), with `*` in a word for any letters (`econom*`,
/// `*-based`): compared with the words of a text in normal form (case-folded, as
/// [`corpus_core::normalize_word`] makes them), or as written with `case`.
///
/// ```
/// use corpus_stats::Pattern;
///
/// let p = Pattern::parse("interest rat*", false)?;
/// let words = ["Interest", "rates", "rose"];
/// assert_eq!(p.len(), 2);
/// assert!(p.matches_at(&words, 0));
/// assert!(!p.matches_at(&words, 1));
/// # Ok::<(), corpus_stats::PatternError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    tokens: Vec<Token>,
    case: bool,
    text: String,
}

impl Pattern {
    /// The pattern of `text`: its words, `*` kept in a word; with `case`, compared as written.
    pub fn parse(text: &str, case: bool) -> Result<Pattern, PatternError> {
        let mut tokens = Vec::new();
        for piece in text.split_whitespace() {
            if piece.contains('*') {
                let parts = piece.split('*').map(|p| form(p, case)).collect::<Vec<_>>();
                tokens.push(Token::Glob(parts));
            } else {
                tokens.extend(words(piece).map(|w| Token::Word(form(w, case))));
            }
        }
        if tokens.is_empty() {
            return Err(PatternError::Empty(text.to_owned()));
        }
        Ok(Pattern {
            tokens,
            case,
            text: text.trim().to_owned(),
        })
    }

    /// The pattern as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many words a match spans.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether the pattern has no word (never: [`Pattern::parse`] refuses it).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Whether the pattern is case-sensitive.
    pub fn case(&self) -> bool {
        self.case
    }

    /// Whether `word` (in the form this pattern compares: see [`Pattern::form`]) matches the
    /// pattern's first word.
    pub fn first_matches(&self, word: &str) -> bool {
        self.tokens[0].matches(word)
    }

    /// Whether the pattern matches `words[at..]` (each in the form the pattern compares, or as
    /// written: they are put in that form here).
    pub fn matches_at<S: AsRef<str>>(&self, words: &[S], at: usize) -> bool {
        let Some(window) = words.get(at..at + self.tokens.len()) else {
            return false;
        };
        let mut buf = String::new();
        self.tokens.iter().zip(window).all(|(t, w)| {
            buf.clear();
            if self.case {
                buf.push_str(w.as_ref());
            } else {
                normalize_word(w.as_ref(), &mut buf);
            }
            t.matches(&buf)
        })
    }

    /// `word` in the form this pattern compares: normal form, or as written with `case`.
    pub fn form(&self, word: &str) -> String {
        form(word, self.case)
    }

    /// [`Pattern::form`] of `word`, written into `out` (cleared first).
    pub fn form_into(&self, word: &str, out: &mut String) {
        out.clear();
        if self.case {
            out.push_str(word);
        } else {
            normalize_word(word, out);
        }
    }

    /// Whether the pattern matches the words of `text` at `spans[at..]` (byte ranges).
    pub(crate) fn matches_at_spans(&self, text: &str, spans: &[(usize, usize)], at: usize) -> bool {
        let Some(window) = spans.get(at..at + self.tokens.len()) else {
            return false;
        };
        let mut buf = String::new();
        self.tokens.iter().zip(window).all(|(t, &(s, e))| {
            self.form_into(&text[s..e], &mut buf);
            t.matches(&buf)
        })
    }
}

fn form(word: &str, case: bool) -> String {
    if case {
        word.to_owned()
    } else {
        let mut out = String::new();
        normalize_word(word, &mut out);
        out
    }
}

/// The words of `text` with their byte ranges in it.
pub(crate) fn spans(text: &str) -> Vec<(usize, usize)> {
    let base = text.as_ptr() as usize;
    words(text)
        .map(|w| {
            let start = w.as_ptr() as usize - base;
            (start, start + w.len())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Pattern, glob};

    #[test]
    fn globs_anchor_at_both_ends() {
        let g = |p: &str| p.split('*').map(str::to_owned).collect::<Vec<_>>();
        assert!(glob(&g("econom*"), "economy"));
        assert!(glob(&g("econom*"), "econom"));
        assert!(!glob(&g("econom*"), "macroeconomy"));
        assert!(glob(&g("*ing"), "rising"));
        assert!(glob(&g("r*s*ng"), "rising"));
        assert!(!glob(&g("r*s*ng"), "rings"));
        assert!(!glob(&g("ab*ba"), "aba"));
        assert!(glob(&g("*"), "anything"));
    }

    #[test]
    fn patterns_fold_case_unless_asked() {
        let p = Pattern::parse("Oil PRICES", false).expect("pattern");
        assert!(p.matches_at(&["oil", "prices"], 0));
        let p = Pattern::parse("Oil", true).expect("pattern");
        assert!(p.matches_at(&["Oil"], 0) && !p.matches_at(&["oil"], 0));
        assert!(Pattern::parse("  ", false).is_err());
        assert!(Pattern::parse("--", false).is_err());
    }
}
