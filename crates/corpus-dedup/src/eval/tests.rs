//! Evaluation against cases computed by hand.

use super::*;

fn side(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(d, c)| (d.to_string(), c.to_string()))
        .collect()
}

#[test]
fn identical_clusterings_score_one() {
    let t = side(&[("a", "1"), ("b", "1"), ("c", "2"), ("d", "2"), ("e", "3")]);
    let p = side(&[("a", "x"), ("b", "x"), ("c", "y"), ("d", "y"), ("e", "z")]);
    let e = evaluate(&t, &p);
    assert_eq!(
        (e.true_positives, e.predicted_pairs, e.true_pairs),
        (2, 2, 2)
    );
    assert_eq!(
        (e.precision, e.recall, e.f1, e.adjusted_rand_index),
        (1.0, 1.0, 1.0, 1.0)
    );
}

#[test]
fn a_worked_example() {
    // Truth {a,b,c} {d,e}; predicted {a,b} {c,d,e}.
    // True pairs: ab ac bc de = 4. Predicted pairs: ab cd ce de = 4. Both: ab de = 2.
    // Precision 0.5, recall 0.5, F1 0.5. n = 5, all pairs 10; expected = 4 × 4 / 10 = 1.6;
    // max = 4; ARI = (2 − 1.6) / (4 − 1.6) = 1/6.
    let t = side(&[
        ("a", "T1"),
        ("b", "T1"),
        ("c", "T1"),
        ("d", "T2"),
        ("e", "T2"),
    ]);
    let p = side(&[
        ("a", "P1"),
        ("b", "P1"),
        ("c", "P2"),
        ("d", "P2"),
        ("e", "P2"),
    ]);
    let e = evaluate(&t, &p);
    assert_eq!(
        (e.true_positives, e.predicted_pairs, e.true_pairs),
        (2, 4, 4)
    );
    assert!(
        (e.precision - 0.5).abs() < 1e-12
            && (e.recall - 0.5).abs() < 1e-12
            && (e.f1 - 0.5).abs() < 1e-12
    );
    assert!(
        (e.adjusted_rand_index - 1.0 / 6.0).abs() < 1e-12,
        "{}",
        e.adjusted_rand_index
    );
}

#[test]
fn missing_documents_are_singletons() {
    // The prediction lists only the pair it found; c and d are singletons there.
    let t = side(&[("a", "1"), ("b", "1"), ("c", "2"), ("d", "2")]);
    let p = side(&[("a", "k"), ("b", "k")]);
    let e = evaluate(&t, &p);
    assert_eq!(e.documents, 4);
    assert_eq!(
        (e.true_positives, e.predicted_pairs, e.true_pairs),
        (1, 1, 2)
    );
    assert_eq!((e.precision, e.recall), (1.0, 0.5));
    // Labels of a side never merge with another side's missing documents.
    let e = evaluate(&side(&[("a", "0")]), &side(&[("b", "0")]));
    assert_eq!(e.predicted_pairs + e.true_pairs, 0);
}

#[test]
fn predicting_nothing_against_pairs() {
    let t = side(&[("a", "1"), ("b", "1")]);
    let e = evaluate(&t, &[]);
    assert_eq!((e.precision, e.recall, e.f1), (1.0, 0.0, 0.0));
    assert!(e.adjusted_rand_index.abs() < 1e-12);
}

#[test]
fn labelled_pairs_are_scored_by_shared_clusters() {
    let s = |x: &str| x.to_owned();
    let labelled = [
        (s("a"), s("b"), true),  // together: a true positive
        (s("a"), s("c"), true),  // apart: missed
        (s("d"), s("e"), false), // together: a false merge
        (s("f"), s("g"), false), // g is in no cluster: apart
    ];
    let predicted = [
        (s("a"), s("k1")),
        (s("b"), s("k1")),
        (s("c"), s("k2")),
        (s("d"), s("k3")),
        (s("e"), s("k3")),
        (s("f"), s("k4")),
    ];
    let e = evaluate_pairs(&labelled, &predicted);
    assert_eq!(
        (
            e.pairs,
            e.copies,
            e.true_positives,
            e.false_merges,
            e.missed
        ),
        (4, 2, 1, 1, 1)
    );
    assert!((e.precision - 0.5).abs() < 1e-12 && (e.recall - 0.5).abs() < 1e-12);
    let none = evaluate_pairs(&labelled, &[]);
    assert_eq!((none.true_positives, none.false_merges), (0, 0));
    assert!((none.precision - 1.0).abs() < 1e-12 && none.recall == 0.0 && none.f1 == 0.0);
}

#[test]
fn cross_validation_scores_each_fold_with_a_setting_chosen_without_it() {
    let pair = |a: String, b: String, copy| (a, b, copy);
    // 20 copies and 30 look-alikes.
    let labelled: Vec<_> = (0..50)
        .map(|i| pair(format!("a{i}"), format!("b{i}"), i < 20))
        .collect();
    let together = |i: usize| {
        [
            (format!("a{i}"), i.to_string()),
            (format!("b{i}"), i.to_string()),
        ]
    };
    // Setting 0 finds every copy and merges the first ten look-alikes; setting 1 finds the
    // copies but one and merges nothing.
    let loose: Vec<_> = (0..30).flat_map(together).collect();
    let strict: Vec<_> = (1..20).flat_map(together).collect();
    let best_f1 = |scores: &[PairEvaluation]| {
        (0..scores.len())
            .max_by(|&a, &b| scores[a].f1.total_cmp(&scores[b].f1))
            .unwrap_or(0)
    };
    let cv = cross_validate(&labelled, &[loose, strict.clone()], 5, best_f1);
    assert_eq!(cv.folds.len(), 5);
    // Each fold holds 4 copies and 6 look-alikes.
    for (_, score) in &cv.folds {
        assert_eq!((score.pairs, score.copies), (10, 4));
    }
    assert!(cv.folds.iter().all(|(s, _)| *s == 1), "{:?}", cv.folds);
    assert_eq!(cv.held_out, evaluate_pairs(&labelled, &strict));
    // The choice may prefer the other setting whatever the pairs say.
    let cv = cross_validate(&labelled, &[vec![], strict], 5, |_| 0);
    assert!(cv.folds.iter().all(|(s, _)| *s == 0));
    assert_eq!(cv.held_out.true_positives, 0);
}
