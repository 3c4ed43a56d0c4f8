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
    PairEvaluation::of(labelled.len() as u64, copies, tp, false_merges)
}

impl PairEvaluation {
    /// The scores of `pairs` labelled pairs, `copies` of them copies, of which `tp` were put
    /// together, with `false_merges` look-alikes.
    fn of(pairs: u64, copies: u64, tp: u64, false_merges: u64) -> PairEvaluation {
        let (precision, recall, f1) = scores(tp, tp + false_merges, copies);
        PairEvaluation {
            pairs,
            copies,
            true_positives: tp,
            false_merges,
            missed: copies - tp,
            precision,
            recall,
            f1,
        }
    }
}

/// What [`cross_validate`] found: the settings chosen without each fold, and how they scored
/// on it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CrossValidation {
    /// Every labelled pair scored once, by the setting chosen without its fold: the score to
    /// expect on pairs of the same kind that no setting was chosen on.
    pub held_out: PairEvaluation,
    /// Per fold: the setting chosen on the other folds, and its score on this one.
    pub folds: Vec<(usize, PairEvaluation)>,
}

/// Stratified k-fold cross-validation of settings (a grid of options, each a clustering in
/// `predictions`) on labelled pairs `(a, b, is_copy)`: the pairs are dealt into `folds` folds,
/// copies and look-alikes each evenly (by a hash of their ids, so in no order of the input's);
/// for each fold, `choose` picks a setting from every setting's score on the other folds (it
/// returns an index into `predictions`; it may weigh in scores of other data sets), and the
/// setting is scored on the fold.
///
/// ```
/// use corpus_dedup::cross_validate;
///
/// let pair = |a: &str, b: &str, copy| (a.to_owned(), b.to_owned(), copy);
/// let labelled: Vec<_> = (0..10)
///     .map(|i| pair(&format!("a{i}"), &format!("b{i}"), i % 2 == 0))
///     .collect();
/// // Setting 0 puts every pair together; setting 1 only the copies.
/// let together = |i: usize| [(format!("a{i}"), i.to_string()), (format!("b{i}"), i.to_string())];
/// let all: Vec<_> = (0..10).flat_map(together).collect();
/// let copies: Vec<_> = (0..10).step_by(2).flat_map(together).collect();
/// let best_f1 = |scores: &[corpus_dedup::PairEvaluation]| {
///     (0..scores.len()).max_by(|&a, &b| scores[a].f1.total_cmp(&scores[b].f1)).unwrap_or(0)
/// };
/// let cv = cross_validate(&labelled, &[all, copies], 5, best_f1);
/// assert!(cv.folds.iter().all(|(chosen, _)| *chosen == 1));
/// assert_eq!(cv.held_out.f1, 1.0);
/// ```
pub fn cross_validate(
    labelled: &[(String, String, bool)],
    predictions: &[Vec<(String, String)>],
    folds: usize,
    choose: impl Fn(&[PairEvaluation]) -> usize,
) -> CrossValidation {
    let folds = folds.max(1);
    let fold_of = fold_assignment(labelled, folds);
    let subset = |keep: &dyn Fn(usize) -> bool| -> Vec<(String, String, bool)> {
        labelled
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(fold_of[*i]))
            .map(|(_, p)| p.clone())
            .collect()
    };
    let mut chosen_folds = Vec::with_capacity(folds);
    let (mut tp, mut false_merges, mut copies) = (0u64, 0u64, 0u64);
    for k in 0..folds {
        let training = subset(&|f| f != k);
        let held = subset(&|f| f == k);
        let scores: Vec<PairEvaluation> = predictions
            .iter()
            .map(|p| evaluate_pairs(&training, p))
            .collect();
        if scores.is_empty() {
            break;
        }
        let setting = choose(&scores).min(scores.len() - 1);
        let score = evaluate_pairs(&held, &predictions[setting]);
        tp += score.true_positives;
        false_merges += score.false_merges;
        copies += score.copies;
        chosen_folds.push((setting, score));
    }
    CrossValidation {
        held_out: PairEvaluation::of(labelled.len() as u64, copies, tp, false_merges),
        folds: chosen_folds,
    }
}

/// The fold of each pair: copies and look-alikes each sorted by a hash of their ids and dealt
/// in turn, so that every fold holds as many of each as can be.
fn fold_assignment(labelled: &[(String, String, bool)], folds: usize) -> Vec<usize> {
    let hash = |a: &str, b: &str| {
        // FNV-1a: stable across builds and platforms.
        let mut h = 0xCBF2_9CE4_8422_2325u64;
        for byte in a.bytes().chain([0]).chain(b.bytes()) {
            h = (h ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01B3);
        }
        h
    };
    let mut fold_of = vec![0; labelled.len()];
    for label in [true, false] {
        let mut of_label: Vec<(u64, usize)> = labelled
            .iter()
            .enumerate()
            .filter(|(_, p)| p.2 == label)
            .map(|(i, (a, b, _))| (hash(a, b), i))
            .collect();
        of_label.sort_unstable();
        for (n, (_, i)) in of_label.into_iter().enumerate() {
            fold_of[i] = n % folds;
        }
    }
    fold_of
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
