//! Documents and their blocks: the source text kept whole, structure as classified byte spans.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{Date, Lang};

/// One article of a corpus.
///
/// `text` is the source text as read (decoded to UTF-8, without a byte-order mark); every
/// [`Block`] is a byte span of it, so `&doc.text[block.range()]` is always valid and the blocks
/// are in order and never overlap. The canonical JSON form (one object per line in
/// `corpus parse`) is this struct's serde serialisation, with fields in declaration order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The document's id: the file stem for article files, the `id` field for JSON Lines and
    /// CSV (or `<file stem>:<line>` where there is none).
    pub id: String,
    /// The publication date, when the input gave a valid one.
    pub date: Option<Date>,
    /// The language: as the input or the reader's options gave it, otherwise detected from the
    /// text ([`crate::lang::detect`]); [`Lang::UND`] when neither could say.
    #[serde(default)]
    pub lang: Lang,
    /// Where the document was read from.
    pub origin: Origin,
    /// The source text, whole.
    pub text: String,
    /// The classified blocks of `text`, in order.
    pub blocks: Vec<Block>,
    /// Fields the input carried beyond id, text and date (JSON Lines fields, `metadata`
    /// entries, CSV columns). Keys are sorted, so the serialisation is stable.
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

/// Where a document came from: a file (a member of a tar archive is named
/// `archive.tar.gz/member/path`) and, for JSON Lines and CSV, the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The path as the user named it (or `-` for standard input).
    pub path: String,
    /// The 1-based line where the record starts, for line-oriented formats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// A classified span of a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Byte offset of the block's first byte in the document text.
    pub start: usize,
    /// Byte offset just past the block's last byte (line terminators are not included).
    pub end: usize,
}

/// The kinds of block a news article is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Running text.
    Paragraph,
    /// A subheading or headline.
    Heading,
    /// A link to another article, like `Read: B-52s Again Fly Over Mideast`.
    RelatedLink,
    /// A photo credit, like `Image: AP`.
    ImageCredit,
}

impl BlockKind {
    /// Whether blocks of this kind are part of the body that statistics and deduplication read.
    pub fn is_body(self) -> bool {
        matches!(self, BlockKind::Paragraph | BlockKind::Heading)
    }

    /// The snake_case name used in JSON and CSV output.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Paragraph => "paragraph",
            BlockKind::Heading => "heading",
            BlockKind::RelatedLink => "related_link",
            BlockKind::ImageCredit => "image_credit",
        }
    }
}

impl Block {
    /// A block of `kind` over the byte `range` of its document's text.
    pub fn new(kind: BlockKind, range: Range<usize>) -> Block {
        Block {
            kind,
            start: range.start,
            end: range.end,
        }
    }

    /// The byte range of the block in its document's text.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl Document {
    /// A document with no date, no blocks and no metadata.
    pub fn new(
        id: impl Into<String>,
        path: impl Into<String>,
        text: impl Into<String>,
    ) -> Document {
        Document {
            id: id.into(),
            date: None,
            lang: Lang::UND,
            origin: Origin {
                path: path.into(),
                line: None,
            },
            text: text.into(),
            blocks: Vec::new(),
            metadata: Map::new(),
        }
    }

    /// The text of one of this document's blocks.
    ///
    /// # Panics
    ///
    /// If the block's span is not a valid range of this document's text (a block from
    /// another document).
    pub fn block_text(&self, block: &Block) -> &str {
        &self.text[block.range()]
    }

    /// The texts of the blocks of one kind, in order.
    pub fn blocks_of(&self, kind: BlockKind) -> impl Iterator<Item = &str> + '_ {
        self.blocks
            .iter()
            .filter(move |b| b.kind == kind)
            .map(|b| self.block_text(b))
    }

    /// The body as one string: the paragraphs and headings, in order, a blank line between
    /// two; without the date header, related links and image credits (the `body` field of
    /// [`Document::with_body`]).
    pub fn body_text(&self) -> String {
        let mut out = String::new();
        for part in self.body() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(part);
        }
        out
    }

    /// The canonical JSON form with the body beside the text: what `corpus parse` and `corpus
    /// dedup -o` write, for readers (pandas, polars, jq) that want the clean text without
    /// applying the blocks. Reading it back ([`Document`]'s `Deserialize`, or
    /// `corpus-parser`'s JSON Lines reader) leaves the `body` field out.
    ///
    /// ```
    /// # use corpus_core::{Block, BlockKind, Document};
    /// let mut doc = Document::new("a1", "a.txt", " date 2021-03-01 Rain.\n\nMore rain.");
    /// doc.blocks = vec![Block::new(BlockKind::Paragraph, 17..22), Block::new(BlockKind::Paragraph, 24..34)];
    /// let json = serde_json::to_value(doc.with_body()).unwrap();
    /// assert_eq!(json["body"], "Rain.\n\nMore rain.");
    /// // The canonical form, and the body.
    /// let mut plain = json.clone();
    /// plain.as_object_mut().unwrap().remove("body");
    /// assert_eq!(plain, serde_json::to_value(&doc).unwrap());
    /// let back: Document = serde_json::from_value(json).unwrap();
    /// assert_eq!(back, doc);
    /// ```
    pub fn with_body(&self) -> WithBody<'_> {
        WithBody(self)
    }

    /// The body: the texts of the paragraphs and headings, in order.
    pub fn body(&self) -> impl Iterator<Item = &str> + '_ {
        self.blocks
            .iter()
            .filter(|b| b.kind.is_body())
            .map(|b| self.block_text(b))
    }

    /// The titles of the related-article links: the text after the `Read:` label.
    pub fn related_links(&self) -> impl Iterator<Item = &str> + '_ {
        self.blocks_of(BlockKind::RelatedLink).map(strip_label)
    }

    /// The sources of the image credits: the text after the `Image:` label.
    pub fn image_credits(&self) -> impl Iterator<Item = &str> + '_ {
        self.blocks_of(BlockKind::ImageCredit).map(strip_label)
    }

    /// Keeps only the blocks `keep` says yes to (given each block's index and the block) and
    /// returns how many were left out. When some are, the text becomes the kept blocks joined
    /// by blank lines, each block keeping its kind with its span in the new text (what was
    /// between blocks, such as a date header, goes with the blocks left out). When all are
    /// kept, nothing changes.
    ///
    /// ```
    /// use corpus_core::{Block, BlockKind, Document};
    ///
    /// let mut doc = Document::new("1", "1.txt", "Rain.\n\nRead: Sun\n\nIMAGE CAPTION");
    /// doc.blocks = vec![
    ///     Block::new(BlockKind::Paragraph, 0..5),
    ///     Block::new(BlockKind::RelatedLink, 7..16),
    ///     Block::new(BlockKind::Heading, 18..31),
    /// ];
    /// assert_eq!(doc.retain_blocks(|_, b| b.kind != BlockKind::RelatedLink), 1);
    /// assert_eq!(doc.text, "Rain.\n\nIMAGE CAPTION");
    /// assert_eq!(doc.blocks[1], Block::new(BlockKind::Heading, 7..20));
    /// ```
    pub fn retain_blocks(&mut self, mut keep: impl FnMut(usize, &Block) -> bool) -> usize {
        let kept: Vec<bool> = self
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| keep(i, b))
            .collect();
        let left_out = kept.iter().filter(|k| !**k).count();
        if left_out == 0 {
            return 0;
        }
        let (text, blocks) = join_blocks(
            self.blocks
                .iter()
                .zip(&kept)
                .filter(|(_, k)| **k)
                .map(|(b, _)| (b.kind, &self.text[b.range()])),
        );
        self.text = text;
        self.blocks = blocks;
        left_out
    }

    /// A document whose text is `parts` joined by blank lines, each part a block of its kind:
    /// how a caller who has the blocks already (a scraper's paragraphs, a test) makes one.
    ///
    /// ```
    /// use corpus_core::{BlockKind, Document};
    ///
    /// let doc = Document::from_blocks(
    ///     "a",
    ///     "mem",
    ///     [(BlockKind::Heading, "Rain"), (BlockKind::Paragraph, "It rained.")],
    /// );
    /// assert_eq!(doc.text, "Rain\n\nIt rained.");
    /// assert_eq!(doc.title(), Some("Rain"));
    /// ```
    pub fn from_blocks<'a>(
        id: impl Into<String>,
        path: impl Into<String>,
        parts: impl IntoIterator<Item = (BlockKind, &'a str)>,
    ) -> Document {
        let (text, blocks) = join_blocks(parts);
        let mut doc = Document::new(id, path, text);
        doc.blocks = blocks;
        doc
    }

    /// Whether metadata field `field` has a text `is` accepts: a string as it is, a number or
    /// boolean as JSON writes it, an array when one of its items does; a missing, null or
    /// object field has none.
    ///
    /// ```
    /// use corpus_core::Document;
    ///
    /// let mut doc = Document::new("a", "x", "Text.");
    /// doc.metadata.insert("tags".into(), serde_json::json!(["oil", 1987]));
    /// assert!(doc.meta_is("tags", |t| t == "1987"));
    /// assert!(!doc.meta_is("missing", |_| true));
    /// ```
    pub fn meta_is(&self, field: &str, is: impl Fn(&str) -> bool) -> bool {
        let one = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => is(s),
            serde_json::Value::Number(n) => is(&n.to_string()),
            serde_json::Value::Bool(b) => is(if *b { "true" } else { "false" }),
            _ => false,
        };
        match self.metadata.get(field) {
            Some(serde_json::Value::Array(items)) => items.iter().any(one),
            Some(v) => one(v),
            None => false,
        }
    }

    /// The document's title: the `title` metadata field when there is one, otherwise its first
    /// block when that is a heading.
    pub fn title(&self) -> Option<&str> {
        if let Some(Value::String(t)) = self.metadata.get("title") {
            return Some(t);
        }
        self.blocks
            .first()
            .filter(|b| b.kind == BlockKind::Heading)
            .map(|b| self.block_text(b))
    }
}

/// The text after a block's `Label:`, trimmed; the whole text if it has no label.
fn strip_label(text: &str) -> &str {
    match text.split_once(':') {
        Some((_, rest)) => rest.trim(),
        None => text.trim(),
    }
}

/// `parts` joined by blank lines, and each part's block.
fn join_blocks<'a>(parts: impl IntoIterator<Item = (BlockKind, &'a str)>) -> (String, Vec<Block>) {
    let mut text = String::new();
    let mut blocks = Vec::new();
    for (kind, part) in parts {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(part);
        blocks.push(Block::new(kind, start..text.len()));
    }
    (text, blocks)
}

/// A document serialised in its canonical JSON form with a `body` field after `text`: see
/// [`Document::with_body`].
#[derive(Debug, Clone, Copy)]
pub struct WithBody<'a>(&'a Document);

impl Serialize for WithBody<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let d = self.0;
        let mut s = serializer.serialize_struct("Document", 8)?;
        s.serialize_field("id", &d.id)?;
        s.serialize_field("date", &d.date)?;
        s.serialize_field("lang", &d.lang)?;
        s.serialize_field("origin", &d.origin)?;
        s.serialize_field("text", &d.text)?;
        s.serialize_field("body", &d.body_text())?;
        s.serialize_field("blocks", &d.blocks)?;
        s.serialize_field("metadata", &d.metadata)?;
        s.end()
    }
}
