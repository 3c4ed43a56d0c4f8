//! The concordance (keyword in context): every hit of a pattern with the words around it.

use corpus_core::{BlockKind, Document, normalize_word};

use super::pattern::{Pattern, PatternError, spans};

/// What a concordance searches for.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A word or phrase, `*` wildcards in words ([`Pattern`]).
    Pattern(Pattern),
    /// A regular expression, matched in each block's text (case-insensitive unless asked).
    Regex(regex::Regex),
}

impl Matcher {
    /// A regular expression, case-insensitive unless `case`.
    pub fn regex(expression: &str, case: bool) -> Result<Matcher, PatternError> {
        regex::RegexBuilder::new(expression)
            .case_insensitive(!case)
            .build()
            .map(Matcher::Regex)
            .map_err(|e| PatternError::Regex(e.to_string()))
    }
}

/// How much context a hit shows on each side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// This many words.
    Words(usize),
    /// This many characters.
    Chars(usize),
}

/// One hit: where it is and the text around it, white space (line breaks too) shown as single
/// spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The index of the block in the document's blocks.
    pub block: usize,
    /// The block's kind (a paragraph or a heading: hits are searched in the body).
    pub kind: BlockKind,
    /// The hit's byte range in the document's text.
    pub range: std::ops::Range<usize>,
    /// The context before it.
    pub left: String,
    /// The hit, as written.
    pub matched: String,
    /// The context after it.
    pub right: String,
}

/// A concordance: the hits of a [`Matcher`] in documents, each with its context.
///
/// [`Kwic::hits`] reads one document and takes `&self`: run it on any thread, and keep the
/// hits in input order for a result that does not depend on the number of threads.
///
/// ```
/// use corpus_core::{Block, BlockKind, Document};
/// use corpus_stats::{Context, Kwic, Matcher, Pattern};
///
/// let text = "Oil prices rose on Monday. Analysts said oil prices could rise again.";
/// let mut doc = Document::new("a", "mem", text);
/// doc.blocks = vec![Block::new(BlockKind::Paragraph, 0..text.len())];
/// let kwic = Kwic::new(Matcher::Pattern(Pattern::parse("oil prices", false)?), Context::Words(2));
/// let hits = kwic.hits(&doc);
/// assert_eq!(hits.len(), 2);
/// assert_eq!((hits[1].left.as_str(), hits[1].matched.as_str(), hits[1].right.as_str()),
///            ("Analysts said", "oil prices", "could rise"));
/// # Ok::<(), corpus_stats::PatternError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Kwic {
    matcher: Matcher,
    context: Context,
}

impl Kwic {
    /// A concordance of `matcher`'s hits with `context` on each side.
    pub fn new(matcher: Matcher, context: Context) -> Kwic {
        Kwic { matcher, context }
    }

    /// The hits in `doc`'s body (its paragraphs and headings), in reading order.
    pub fn hits(&self, doc: &Document) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut form = String::new();
        for (index, block) in doc.blocks.iter().enumerate() {
            if !block.kind.is_body() {
                continue;
            }
            let text = doc.block_text(block);
            let base = block.range().start;
            let words = spans(text);
            let mut found: Vec<(usize, usize)> = Vec::new();
            match &self.matcher {
                Matcher::Pattern(p) => {
                    // Each word in the pattern's form, into one buffer: the rest of a phrase
                    // is looked at only after its first word matched.
                    let n = p.len();
                    let mut i = 0;
                    while i + n <= words.len() {
                        p.form_into(&text[words[i].0..words[i].1], &mut form);
                        if p.first_matches(&form) && p.matches_at_spans(text, &words, i) {
                            found.push((words[i].0, words[i + n - 1].1));
                            i += n;
                        } else {
                            i += 1;
                        }
                    }
                }
                Matcher::Regex(r) => {
                    found.extend(
                        r.find_iter(text)
                            .filter(|m| !m.is_empty())
                            .map(|m| (m.start(), m.end())),
                    );
                }
            }
            for (start, end) in found {
                let (left, right) = match self.context {
                    Context::Words(n) => {
                        let before = words.partition_point(|&(_, e)| e <= start);
                        let after = words.partition_point(|&(s, _)| s < end);
                        let from = words[before.saturating_sub(n)..before]
                            .first()
                            .map_or(start, |w| w.0);
                        let to = words[after..(after + n).min(words.len())]
                            .last()
                            .map_or(end, |w| w.1);
                        (&text[from..start], &text[end..to])
                    }
                    Context::Chars(n) => {
                        let from = text[..start]
                            .char_indices()
                            .rev()
                            .nth(n.saturating_sub(1))
                            .map_or(0, |(i, _)| i);
                        let from = if n == 0 { start } else { from };
                        let to = text[end..]
                            .char_indices()
                            .nth(n)
                            .map_or(text.len(), |(i, _)| end + i);
                        (&text[from..start], &text[end..to])
                    }
                };
                out.push(Hit {
                    block: index,
                    kind: block.kind,
                    range: base + start..base + end,
                    left: spaced(left),
                    matched: spaced(&text[start..end]),
                    right: spaced(right),
                });
            }
        }
        out
    }
}

/// `text` with every run of white space a single space, trimmed.
fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The key a hit sorts by on its left (`--sort left`): the words before it, nearest first, in
/// normal form; on its right: the words after it.
pub fn sort_key(context: &str, nearest_first: bool) -> Vec<String> {
    let mut words: Vec<String> = corpus_core::words(context)
        .map(|w| {
            let mut s = String::new();
            normalize_word(w, &mut s);
            s
        })
        .collect();
    if nearest_first {
        words.reverse();
    }
    words
}

#[cfg(test)]
mod tests {
    use corpus_core::{Block, BlockKind, Document};

    use super::*;

    fn doc(parts: &[(BlockKind, &str)]) -> Document {
        let mut text = String::new();
        let mut blocks = Vec::new();
        for (kind, part) in parts {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let start = text.len();
            text.push_str(part);
            blocks.push(Block::new(*kind, start..text.len()));
        }
        let mut d = Document::new("d", "mem", text);
        d.blocks = blocks;
        d
    }

    #[test]
    fn hits_keep_to_their_block_and_its_edges() {
        let d = doc(&[
            (BlockKind::Heading, "Oil rises"),
            (
                BlockKind::Paragraph,
                "Crude OIL rose.\nOil, said traders, was up.",
            ),
            (BlockKind::RelatedLink, "Read: Oil falls"),
        ]);
        let kwic = Kwic::new(
            Matcher::Pattern(Pattern::parse("oil", false).expect("pattern")),
            Context::Words(3),
        );
        let hits = kwic.hits(&d);
        let shown: Vec<(&str, &str, &str, BlockKind)> = hits
            .iter()
            .map(|h| {
                (
                    h.left.as_str(),
                    h.matched.as_str(),
                    h.right.as_str(),
                    h.kind,
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("", "Oil", "rises", BlockKind::Heading),
                ("Crude", "OIL", "rose. Oil, said", BlockKind::Paragraph),
                (
                    "Crude OIL rose.",
                    "Oil",
                    ", said traders, was",
                    BlockKind::Paragraph
                ),
            ]
        );
        assert_eq!(&d.text[hits[1].range.clone()], "OIL");
    }

    #[test]
    fn regexes_and_characters_of_context() {
        let d = doc(&[(BlockKind::Paragraph, "Prices of oil and olive oil rose")]);
        let kwic = Kwic::new(
            Matcher::regex(r"\bol\w+ oil", false).expect("regex"),
            Context::Chars(4),
        );
        let hits = kwic.hits(&d);
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (
                hits[0].left.as_str(),
                hits[0].matched.as_str(),
                hits[0].right.as_str()
            ),
            ("and", "olive oil", "ros")
        );
        assert!(Matcher::regex("(", false).is_err());
    }
}
