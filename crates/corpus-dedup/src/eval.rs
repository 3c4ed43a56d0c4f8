//! Scoring predicted clusters against true ones.

use std::collections::HashMap;

/// How well predicted clusters match true ones.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Evaluation {
    /// Documents in either clustering.
    pub documents: u64,
    /// Pairs put together by both.
    pub true_positives: u64,
    /// Pairs put together by the prediction.
    pub predicted_pairs: u64,
    /// Pairs put together by the truth.
    pub true_pairs: u64,
    /// True positives over predicted pairs (1 when nothing was paired).
    pub precision: f64,
    /// True positives over true pairs (1 when the truth pairs nothing).
    pub recall: f64,
    /// The harmonic mean of precision and recall.
    pub f1: f64,
    /// The adjusted Rand index: 1 for identical clusterings, about 0 for chance.
    pub adjusted_rand_index: f64,
}

/// Numbers the documents of one side (continuing `ids`) and maps each to its cluster label.
fn assign<'a>(
    ids: &mut HashMap<&'a str, usize>,
    side: &'a [(String, String)],
) -> HashMap<usize, String> {
    let mut out = HashMap::new();
    for (doc, cluster) in side {
        let next = ids.len();
        let id = *ids.entry(doc.as_str()).or_insert(next);
        out.entry(id).or_insert_with(|| cluster.clone());
    }
    out
}

/// A cluster label: `(0, label)` for a listed document, `(1, document number)` for one missing
/// from a side, which is a cluster of its own.
type Label = (u8, String);

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Scores `predicted` clusters against `truth`, each a list of `(document, cluster)`. A
/// document missing from one side is a cluster of its own there. A document listed twice on a
/// side keeps its first cluster.
pub fn evaluate(truth: &[(String, String)], predicted: &[(String, String)]) -> Evaluation {
    // Number every document and every cluster label of each side.
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let t = assign(&mut ids, truth);
    let p = assign(&mut ids, predicted);
    let n = ids.len();
    // Missing documents are singletons: label them uniquely, apart from every real label.
    let label = |side: &HashMap<usize, String>, i: usize| {
        side.get(&i)
            .map_or_else(|| (1u8, i.to_string()), |c| (0u8, c.clone()))
    };
    let mut contingency: HashMap<(Label, Label), u64> = HashMap::new();
    let mut a: HashMap<Label, u64> = HashMap::new();
    let mut b: HashMap<Label, u64> = HashMap::new();
    for i in 0..n {
        let (x, y) = (label(&t, i), label(&p, i));
        *a.entry(x.clone()).or_default() += 1;
        *b.entry(y.clone()).or_default() += 1;
        *contingency.entry((x, y)).or_default() += 1;
    }
    let tp: u64 = contingency.values().map(|&c| pairs(c)).sum();
    let true_pairs: u64 = a.values().map(|&c| pairs(c)).sum();
    let predicted_pairs: u64 = b.values().map(|&c| pairs(c)).sum();
    let (precision, recall, f1) = scores(tp, predicted_pairs, true_pairs);
    let total = pairs(n as u64) as f64;
    let expected = if total == 0.0 {
        0.0
    } else {
        true_pairs as f64 * predicted_pairs as f64 / total
    };
    let max = (true_pairs as f64 + predicted_pairs as f64) / 2.0;
    // Both clusterings trivial in the same way (all singletons, or one cluster): identical.
    let adjusted_rand_index = if (max - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (tp as f64 - expected) / (max - expected)
    };
    Evaluation {
        documents: n as u64,
        true_positives: tp,
        predicted_pairs,
        true_pairs,
        precision,
        recall,
        f1,
        adjusted_rand_index,
    }
}

/// How well predicted clusters match pairs labelled by hand: each pair is a copy or not, and
/// is predicted a copy when both documents fall in one cluster.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PairEvaluation {
    /// Labelled pairs.
    pub pairs: u64,
    /// Pairs labelled copies.
    pub copies: u64,
    /// Copies predicted together.
    pub true_positives: u64,
    /// Pairs labelled different but predicted together: unique documents a user would lose.
    pub false_merges: u64,
    /// Copies predicted apart.
    pub missed: u64,
    /// True positives over pairs predicted together (1 when none was).
    pub precision: f64,
    /// True positives over copies (1 when there is none).
    pub recall: f64,
    /// The harmonic mean of precision and recall.
    pub f1: f64,
}

/// Scores `predicted` clusters (`(document, cluster)`, as for [`evaluate`]) against labelled
/// pairs `(a, b, is_copy)`. A document missing from the prediction is a cluster of its own.
pub fn evaluate_pairs(
    labelled: &[(String, String, bool)],
    predicted: &[(String, String)],
) -> PairEvaluation {
    let mut cluster: HashMap<&str, &str> = HashMap::new();
    for (doc, c) in predicted {
        cluster.entry(doc.as_str()).or_insert(c.as_str());
    }
    let together = |a: &str, b: &str| {
        a == b || matches!((cluster.get(a), cluster.get(b)), (Some(x), Some(y)) if x == y)
    };
    let (mut copies, mut tp, mut false_merges) = (0u64, 0u64, 0u64);
    for (a, b, is_copy) in labelled {
        let joined = together(a, b);
        copies += u64::from(*is_copy);
        tp += u64::from(*is_copy && joined);
        false_merges += u64::from(!*is_copy && joined);
    }
    let (precision, recall, f1) = scores(tp, tp + false_merges, copies);
    PairEvaluation {
        pairs: labelled.len() as u64,
        copies,
        true_positives: tp,
        false_merges,
        missed: copies - tp,
        precision,
        recall,
        f1,
    }
}

/// Precision, recall and F1 from the true positives, the pairs predicted and the true pairs;
/// precision (recall) is 1 when nothing was predicted (nothing was to be found).
fn scores(tp: u64, predicted: u64, actual: u64) -> (f64, f64, f64) {
    let precision = if predicted == 0 {
        1.0
    } else {
        tp as f64 / predicted as f64
    };
    let recall = if actual == 0 {
        1.0
    } else {
        tp as f64 / actual as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}

#[cfg(test)]
mod tests;
