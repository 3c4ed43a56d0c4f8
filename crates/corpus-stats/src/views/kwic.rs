//! The concordance (keyword in context): every hit of a pattern with the words around it.

use std::collections::VecDeque;
use std::ops::ControlFlow;

use corpus_core::{Block, BlockKind, Document, normalize_word};

use super::pattern::{Pattern, PatternError};

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
    ///
    /// Each hit holds its context as text; a document with millions of hits makes millions of
    /// them. [`Kwic::count`] counts without contexts, and [`Kwic::for_each_hit`] lets the
    /// caller keep only some and stop.
    pub fn hits(&self, doc: &Document) -> Vec<Hit> {
        let mut out = Vec::new();
        self.for_each_hit(doc, |hit| {
            out.push(hit);
            ControlFlow::Continue(())
        });
        out
    }

    /// The number of hits in `doc`'s body, as [`Kwic::hits`] finds them, with no context made.
    pub fn count(&self, doc: &Document) -> u64 {
        let mut n = 0;
        self.visit(doc, |_, _, _, _| {
            n += 1;
            ControlFlow::Continue(())
        });
        n
    }

    /// Hands each hit of `doc`'s body to `f`, in reading order, until `f` says stop.
    ///
    /// Memory does not grow with the document: the words are scanned as they come, and the
    /// context of a hit is read from the text around it.
    pub fn for_each_hit(&self, doc: &Document, mut f: impl FnMut(Hit) -> ControlFlow<()>) {
        self.visit(doc, |index, block, start, end| {
            let text = doc.block_text(block);
            let (left, right) = match self.context {
                Context::Words(n) => (words_before(text, start, n), words_after(text, end, n)),
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
            let base = block.range().start;
            f(Hit {
                block: index,
                kind: block.kind,
                range: base + start..base + end,
                left: spaced(left),
                matched: spaced(&text[start..end]),
                right: spaced(right),
            })
        });
    }

    /// Hands `f` each hit's block (index and block) and byte range in the block's text.
    fn visit(
        &self,
        doc: &Document,
        mut f: impl FnMut(usize, &Block, usize, usize) -> ControlFlow<()>,
    ) {
        let mut form = String::new();
        for (index, block) in doc.blocks.iter().enumerate() {
            if !block.kind.is_body() {
                continue;
            }
            let text = doc.block_text(block);
            match &self.matcher {
                Matcher::Pattern(p) => {
                    // The last `p.len()` words, scanned as they come: a window that matches
                    // is a hit, and the scan goes on after it (hits do not overlap).
                    let n = p.len();
                    let mut window: VecDeque<(usize, usize)> = VecDeque::with_capacity(n);
                    for span in word_spans(text) {
                        window.push_back(span);
                        if window.len() < n {
                            continue;
                        }
                        let (s, e) = window[0];
                        p.form_into(&text[s..e], &mut form);
                        if p.first_matches(&form)
                            && p.matches_at_spans(text, window.make_contiguous(), 0)
                        {
                            let end = window[n - 1].1;
                            window.clear();
                            if f(index, block, s, end).is_break() {
                                return;
                            }
                        } else {
                            window.pop_front();
                        }
                    }
                }
                Matcher::Regex(r) => {
                    for m in r.find_iter(text).filter(|m| !m.is_empty()) {
                        if f(index, block, m.start(), m.end()).is_break() {
                            return;
                        }
                    }
                }
            }
        }
    }
}

/// The words of `text` with their byte ranges, as an iterator.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let base = text.as_ptr() as usize;
    corpus_core::words(text).map(move |w| {
        let start = w.as_ptr() as usize - base;
        (start, start + w.len())
    })
}

/// Bytes of text looked at first for a context of one word; doubled until enough words.
const CONTEXT_BYTES: usize = 64;

/// The text of the `n` whole words that end at or before byte `start` (from the first of them
/// to `start`), as a segmentation of the whole text finds them. It is read from a stretch of
/// text around `start`, grown until it holds `n` such words and two more (segmentation near a
/// stretch's cut edge can differ from the whole text's) or reaches the text's start; the
/// stretch goes a little past `start`, so that a word across `start` is seen whole and left out.
fn words_before(text: &str, start: usize, n: usize) -> &str {
    if n == 0 {
        return &text[start..start];
    }
    let to = text.ceil_char_boundary(start.saturating_add(CONTEXT_BYTES).min(text.len()));
    let mut reach = CONTEXT_BYTES.saturating_mul(n);
    loop {
        let from = text.floor_char_boundary(start.saturating_sub(reach));
        let spans: Vec<(usize, usize)> = word_spans(&text[from..to])
            .map(|(s, e)| (from + s, from + e))
            .take_while(|&(_, e)| e <= start)
            .collect();
        if spans.len() >= n.saturating_add(2) || from == 0 {
            let first = spans.len().saturating_sub(n);
            return spans
                .get(first)
                .map_or(&text[start..start], |w| &text[w.0..start]);
        }
        reach = reach.saturating_mul(2);
    }
}

/// The text of the `n` whole words that start at or after byte `end` (from `end` to the last
/// of them), read as [`words_before`] reads, the other way.
fn words_after(text: &str, end: usize, n: usize) -> &str {
    if n == 0 {
        return &text[end..end];
    }
    let from = text.floor_char_boundary(end.saturating_sub(CONTEXT_BYTES));
    let mut reach = CONTEXT_BYTES.saturating_mul(n);
    loop {
        let to = text.ceil_char_boundary(end.saturating_add(reach).min(text.len()));
        let mut last = None;
        let mut count = 0;
        let after = word_spans(&text[from..to])
            .map(|(s, e)| (from + s, from + e))
            .filter(|&(s, _)| s >= end);
        for (_, e) in after.take(n.saturating_add(2)) {
            count += 1;
            if count <= n {
                last = Some(e);
            }
        }
        if count >= n.saturating_add(2) || to == text.len() {
            return last.map_or(&text[end..end], |e| &text[end..e]);
        }
        reach = reach.saturating_mul(2);
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
    use corpus_core::{BlockKind, Document};

    use super::*;

    fn doc(parts: &[(BlockKind, &str)]) -> Document {
        Document::from_blocks("d", "mem", parts.iter().copied())
    }

    /// The contexts read from stretches around a hit are those of the whole text's words,
    /// also for regex hits inside a word and for long words, numbers and other scripts near
    /// the stretches' edges.
    #[test]
    fn contexts_from_stretches_are_the_whole_texts() {
        let long = "x".repeat(300);
        let texts = [
            "Oil prices rose 3.5 pct to $18.25 a barrel, traders in New York said on Monday.",
            &format!("{long} oil {long} then more words after the oil here and oil"),
            "Ölpreise stiegen um 3,5 Prozent; der Ölhandel in Zürich war rege. Öl! Öl? ÖL.",
            "foobar barfoo bar foo-bar foo.bar 1,000.50 bar's bar",
        ];
        for text in texts {
            let words = crate::views::pattern::spans(text);
            for expression in ["oil", "bar", "öl", "o", "[0-9]+"] {
                let re = regex::RegexBuilder::new(expression)
                    .case_insensitive(true)
                    .build()
                    .expect("regex");
                for m in re.find_iter(text) {
                    let (start, end) = (m.start(), m.end());
                    for n in [0, 1, 2, 5, 40] {
                        let before = words.partition_point(|&(_, e)| e <= start);
                        let after = words.partition_point(|&(s, _)| s < end);
                        let from = words[before.saturating_sub(n)..before]
                            .first()
                            .map_or(start, |w| w.0);
                        let to = words[after..(after + n).min(words.len())]
                            .last()
                            .map_or(end, |w| w.1);
                        let what = format!("{expression} at {start} in {text:.20}, {n} words");
                        assert_eq!(words_before(text, start, n), &text[from..start], "{what}");
                        assert_eq!(words_after(text, end, n), &text[end..to], "{what}");
                    }
                }
            }
        }
    }

    #[test]
    fn counting_and_stopping_see_the_hits_hits_sees() {
        let d = doc(&[(BlockKind::Paragraph, "oil and oil and more oil prices")]);
        let kwic = Kwic::new(
            Matcher::Pattern(Pattern::parse("oil", false).expect("pattern")),
            Context::Words(1),
        );
        assert_eq!(kwic.count(&d), 3);
        assert_eq!(kwic.hits(&d).len(), 3);
        let mut first = Vec::new();
        kwic.for_each_hit(&d, |hit| {
            first.push(hit);
            ControlFlow::Break(())
        });
        assert_eq!(first, kwic.hits(&d)[..1]);
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
