//! Where a record was read, and so how its document and its problems are named; and the check
//! that no two documents of a run share an id.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

use corpus_core::{Document, Problem, ProblemKind};

/// Where a record was read: the file its document and problems name, and the name a document
/// gets when it carries no id of its own.
///
/// ```
/// use corpus_parser::{Source, parse_article, parse_json_line};
///
/// let source = Source::of_file("news/2021/001.txt.gz");
/// assert_eq!(source.name, "001");
/// let doc = parse_article(source, "Rain fell.".into()).document.unwrap();
/// assert_eq!((doc.id.as_str(), doc.origin.path.as_str()), ("001", "news/2021/001.txt.gz"));
///
/// let line = parse_json_line(Source::of_file("wire.jsonl"), 7, br#"{"text": "Rain."}"#);
/// assert_eq!(line.document.unwrap().id, "wire:7");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source<'a> {
    /// The file as origins and problems name it: a path as given, `archive.tar.gz/member`,
    /// `-` for standard input.
    pub path: &'a str,
    /// The name of what was read: an article's id, and the `<name>:<line>` id of a JSON line
    /// or CSV row that has none. Usually the file's stem.
    pub name: &'a str,
}

impl<'a> Source<'a> {
    /// A file named by its path, its name the file's stem: the last part of the path without
    /// compression and format extensions (`a/b/001.txt.gz` is `001`).
    pub fn of_file(path: &'a str) -> Source<'a> {
        Source {
            path,
            name: crate::read::stem_of(path),
        }
    }
}

/// Remembers the ids of a run's documents to warn of one that an earlier document had: ids that
/// repeat make `--key id`, joins and scoring against labels wrong without a word. Holds a
/// 64-bit hash per id.
///
/// ```
/// use corpus_core::Document;
/// use corpus_parser::IdCheck;
///
/// let mut check = IdCheck::default();
/// assert!(check.check(&Document::new("a", "x.jsonl", "")).is_none());
/// let warning = check.check(&Document::new("a", "y.jsonl", "")).unwrap();
/// assert!(warning.message.contains("id \"a\""));
/// ```
#[derive(Debug, Default)]
pub struct IdCheck {
    hasher: RandomState,
    seen: HashSet<u64>,
}

impl IdCheck {
    /// A warning when an earlier document of this check had `doc`'s id.
    pub fn check(&mut self, doc: &Document) -> Option<Problem> {
        let hash = self.hasher.hash_one(&doc.id);
        if self.seen.insert(hash) {
            return None;
        }
        let mut p = Problem::new(
            ProblemKind::Suspect,
            &doc.origin.path,
            format!(
                "id {:?} was an earlier document's too; ids should be unique (--key id, joins \
                 and scores rely on them)",
                doc.id
            ),
        );
        p.line = doc.origin.line;
        Some(p)
    }
}
