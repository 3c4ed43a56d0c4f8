//! The clusters report's rows ([`Deduplicated::cluster_rows`]) and the archived kept copies
//! a run against an index names ([`Deduplicated::archived`]).

use corpus_core::Date;

use super::Deduplicated;
use crate::Reason;

/// An archived document a cluster is kept by, in a run against an index
/// ([`Deduplicated::archived`]): where it was read and its date, as indexed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArchivedCopy<'a> {
    /// Its id.
    pub id: &'a str,
    /// Where it was read.
    pub path: &'a str,
    /// Its 1-based line, for line-oriented formats.
    pub line: Option<u64>,
    /// Its date.
    pub date: Option<Date>,
    /// Its place in the archive's visiting order.
    pub seq: u64,
    /// Its value of the index's [`label_field`](crate::IndexInfo::label_field), if it had one.
    pub label: Option<&'a str>,
    /// Its number among every document the index was fed, in their order: its index in one
    /// run over them all.
    pub number: u64,
}

/// One row of the clusters report: a document of a cluster that has copies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterRow<'a> {
    /// The cluster, named by the id of its kept copy.
    pub cluster: &'a str,
    /// The document's id.
    pub document: &'a str,
    /// Where the document was read from.
    pub path: &'a str,
    /// Its 1-based line, for line-oriented formats.
    pub line: Option<u64>,
    /// Its index in input order.
    pub index: usize,
    /// Why it is in the cluster ([`Reason::Kept`] for the kept copy).
    pub reason: Reason,
    /// Its similarity to the kept copy (1 for the kept copy and exact copies).
    pub similarity: f64,
    /// Its date.
    pub date: Option<Date>,
    /// Its value of the field documents are also named by ([`Deduplicated::label_field`]),
    /// if it had one.
    pub label: Option<&'a str>,
}

impl ClusterRow<'_> {
    /// The columns of the clusters report, in the order of [`ClusterRow::fields`].
    pub const HEADER: [&'static str; 8] = [
        "cluster",
        "document",
        "kept",
        "similarity",
        "reason",
        "date",
        "path",
        "line",
    ];

    /// The row as the clusters report writes it: the cluster and document ids, `true` for the
    /// kept copy, the similarity to four decimals, the [reason](Reason::as_str), the date
    /// (empty when undated), and where the document was read (the line empty for a file).
    pub fn fields(&self) -> [String; 8] {
        [
            self.cluster.to_owned(),
            self.document.to_owned(),
            (self.reason == Reason::Kept).to_string(),
            format!("{:.4}", self.similarity),
            self.reason.as_str().to_owned(),
            self.date.map(|d| d.to_string()).unwrap_or_default(),
            self.path.to_owned(),
            self.line.map(|l| l.to_string()).unwrap_or_default(),
        ]
    }
}

impl Deduplicated {
    /// The rows of the clusters report: every document of every cluster that has copies
    /// (singletons left out); clusters in the input order of their kept copy, the kept copy
    /// first, then its copies in input order. Against an index, a cluster kept by an archived
    /// document starts with that document's row (its path and line as indexed, its `index`
    /// its cluster number: [`Deduplicated::archived`]); these clusters come first, in the
    /// archive's input order, as in one run over the archive and these documents.
    pub fn cluster_rows(&self) -> Vec<ClusterRow<'_>> {
        let assignments = &self.result.assignments;
        let n = assignments.len();
        let archived = self.against.as_ref().map_or(&[][..], |a| &a.archived[..]);
        let mut sizes = vec![0u32; n + archived.len()];
        for a in assignments {
            sizes[a.cluster] += 1;
        }
        // Clusters in one run's input order: archived kept copies came before every document.
        let place = |cluster: usize| match cluster.checked_sub(n) {
            Some(k) => (0, archived[k].number),
            None => (1, cluster as u64),
        };
        let mut rows: Vec<usize> = (0..n)
            .filter(|&i| {
                let c = assignments[i].cluster;
                c >= n || sizes[c] > 1
            })
            .chain(n..n + archived.len())
            .collect();
        rows.sort_by_key(|&i| match i.checked_sub(n) {
            Some(_) => (place(i), false, 0),
            None => {
                let a = &assignments[i];
                (place(a.cluster), a.reason != Reason::Kept, i)
            }
        });
        rows.into_iter()
            .map(|i| match i.checked_sub(n) {
                Some(k) => {
                    let d = &archived[k];
                    ClusterRow {
                        cluster: &d.id,
                        document: &d.id,
                        path: &d.path,
                        line: d.line,
                        index: i,
                        reason: Reason::Kept,
                        similarity: 1.0,
                        date: d.date,
                        label: d.label.as_deref(),
                    }
                }
                None => {
                    let (a, seen) = (&assignments[i], &self.documents[i]);
                    ClusterRow {
                        cluster: self.id(a.cluster).unwrap_or_default(),
                        document: &seen.id,
                        path: self.paths.of(i),
                        line: seen.line,
                        index: i,
                        reason: a.reason,
                        similarity: a.similarity,
                        date: seen.date,
                        label: seen.label.as_deref(),
                    }
                }
            })
            .collect()
    }

    /// Against an index ([`Deduplicator::finish_against`](crate::Deduplicator::finish_against)), the archived documents that keep
    /// the clusters of these documents' copies of the archive: cluster `len() + k` of
    /// [`Assignment::cluster`](crate::Assignment::cluster) is kept by `archived()[k]`. Empty
    /// for a run on its own.
    pub fn archived(&self) -> Vec<ArchivedCopy<'_>> {
        self.against.as_ref().map_or_else(Vec::new, |a| {
            a.archived
                .iter()
                .map(|d| ArchivedCopy {
                    id: &d.id,
                    path: &d.path,
                    line: d.line,
                    date: d.date,
                    seq: d.seq,
                    number: d.number,
                    label: d.label.as_deref(),
                })
                .collect()
        })
    }
}
