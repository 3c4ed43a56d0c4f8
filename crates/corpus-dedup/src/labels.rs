//! Labelled data to score a deduplication against ([`evaluate`](crate::evaluate),
//! [`evaluate_pairs`](crate::evaluate_pairs)), read from CSV: true clusters (a `cluster` column
//! and an `id` or `document` column; a run's `--clusters` file is one) and hand-labelled pairs
//! (`a`, `b`, `label`: `COPY` or `DIFFERENT`).

use std::collections::HashMap;
use std::io::Read;

/// Why a labels file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LabelsError {
    /// A column it needs is missing.
    #[error("needs columns {needs}, has {has}")]
    Columns {
        /// The columns needed.
        needs: &'static str,
        /// The header it has.
        has: String,
    },
    /// A row that is not CSV.
    #[error("line {line}: {message}")]
    Csv {
        /// Its line.
        line: usize,
        /// What the CSV reader said.
        message: String,
    },
    /// A pair's label is neither a copy nor different.
    #[error("line {line}: label {label:?} is not COPY or DIFFERENT")]
    Label {
        /// Its line.
        line: usize,
        /// The label.
        label: String,
    },
}

/// A document listed again in another cluster: its first cluster counts (as
/// [`evaluate`](crate::evaluate) takes it), and the scores are then suspect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relisted {
    /// The line listing it again.
    pub line: usize,
    /// The document.
    pub document: String,
    /// The cluster it is listed in again.
    pub cluster: String,
    /// The line of its first listing.
    pub first_line: usize,
    /// Its first cluster, the one that counts.
    pub first_cluster: String,
}

/// A clusters file read: `(document, cluster)` of every row, and the documents listed again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterLabels {
    /// `(document, cluster)`, in file order.
    pub rows: Vec<(String, String)>,
    /// The documents listed again in another cluster.
    pub relisted: Vec<Relisted>,
}

/// Reads a clusters file.
pub fn read_clusters(input: impl Read) -> Result<ClusterLabels, LabelsError> {
    let rows = read_columns(
        input,
        [&["id", "document"], &["cluster"]],
        "`id` (or `document`) and `cluster`",
    )?;
    let mut relisted = Vec::new();
    let mut first: HashMap<&str, (usize, &str)> = HashMap::new();
    for (line, [doc, cluster]) in &rows {
        let (first_line, first_cluster) = *first.entry(doc).or_insert((*line, cluster));
        if first_cluster != cluster {
            relisted.push(Relisted {
                line: *line,
                document: doc.clone(),
                cluster: cluster.clone(),
                first_line,
                first_cluster: first_cluster.to_owned(),
            });
        }
    }
    let rows = rows
        .into_iter()
        .map(|(_, [doc, cluster])| (doc, cluster))
        .collect();
    Ok(ClusterLabels { rows, relisted })
}

/// `(a, b, is_copy)` of every row of a labelled pairs file; a label is `COPY` (or `true`, `1`,
/// `yes`) or `DIFFERENT` (or `false`, `0`, `no`), in any case.
pub fn read_labelled_pairs(input: impl Read) -> Result<Vec<(String, String, bool)>, LabelsError> {
    let rows = read_columns(input, [&["a"], &["b"], &["label"]], "`a`, `b` and `label`")?;
    rows.into_iter()
        .map(|(line, [a, b, label])| {
            let is_copy = match label.to_ascii_lowercase().as_str() {
                "copy" | "true" | "1" | "yes" => true,
                "different" | "false" | "0" | "no" => false,
                _ => return Err(LabelsError::Label { line, label }),
            };
            Ok((a, b, is_copy))
        })
        .collect()
}

/// The fields of `columns` (each one name or its synonyms) of every row, with the row's line
/// number, trimmed; an error saying what `needs` when a column is missing.
fn read_columns<const N: usize>(
    input: impl Read,
    columns: [&[&str]; N],
    needs: &'static str,
) -> Result<Vec<(usize, [String; N])>, LabelsError> {
    let mut reader = csv::Reader::from_reader(input);
    let header = reader
        .headers()
        .map_err(|e| LabelsError::Csv {
            line: 1,
            message: e.to_string(),
        })?
        .clone();
    let found = columns.map(|names| header.iter().position(|h| names.contains(&h.trim())));
    if found.contains(&None) {
        return Err(LabelsError::Columns {
            needs,
            has: header.iter().collect::<Vec<_>>().join(","),
        });
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| LabelsError::Csv {
            line,
            message: e.to_string(),
        })?;
        let field = |k: Option<usize>| {
            k.and_then(|k| record.get(k))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        out.push((line, found.map(field)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{ClusterLabels, LabelsError, read_clusters, read_labelled_pairs};

    #[test]
    fn labels_are_read_by_their_columns_and_checked() {
        let ClusterLabels { rows, relisted } =
            read_clusters(&b"cluster,document,kept\nc1,a,true\nc1,b,false\nc2,a,true\n"[..])
                .expect("a clusters file");
        assert_eq!(rows.len(), 3);
        assert_eq!((relisted[0].line, relisted[0].first_line), (4, 2));
        let pairs =
            read_labelled_pairs(&b"a,b,label,reason\nx,y,COPY,\"same, cut\"\nx,z,different,\n"[..])
                .expect("pairs");
        assert_eq!(pairs[0], ("x".into(), "y".into(), true));
        assert!(!pairs[1].2);
        assert!(matches!(
            read_labelled_pairs(&b"a,b,label\nx,y,maybe\n"[..]),
            Err(LabelsError::Label { line: 2, .. })
        ));
        assert!(matches!(
            read_clusters(&b"document,group\na,1\n"[..]),
            Err(LabelsError::Columns { .. })
        ));
    }
}
