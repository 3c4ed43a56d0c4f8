//! Unit tests of percentiles, checked against values computed by hand (numpy's linear method).

use super::*;

fn hist(values: &[u64]) -> BTreeMap<u64, u64> {
    let mut h = BTreeMap::new();
    for v in values {
        *h.entry(*v).or_default() += 1;
    }
    h
}

#[test]
fn percentiles_interpolate_between_ranks() {
    // 1..=10: h = 9p, so p10 = 1 + 0.9 = 1.9, median = 5.5, p90 = 9.1.
    let d = distribution(&hist(&[3, 1, 2, 10, 4, 5, 6, 7, 8, 9])).unwrap();
    assert_eq!((d.min, d.max), (1, 10));
    assert!((d.p10 - 1.9).abs() < 1e-9, "{}", d.p10);
    assert!((d.median - 5.5).abs() < 1e-9);
    assert!((d.p90 - 9.1).abs() < 1e-9);
    assert!((d.mean - 5.5).abs() < 1e-9);
}

#[test]
fn repeated_values_and_single_documents() {
    // [0, 0, 0, 100]: h(0.5) = 1.5 between 0 and 0 is 0; h(0.9) = 2.7, 0 + 0.7 * 100 = 70.
    let d = distribution(&hist(&[0, 100, 0, 0])).unwrap();
    assert_eq!(d.median, 0.0);
    assert!((d.p90 - 70.0).abs() < 1e-9);
    assert_eq!(d.mean, 25.0);
    let one = distribution(&hist(&[42])).unwrap();
    assert_eq!(
        (one.min, one.p10, one.median, one.p90, one.max),
        (42, 42.0, 42.0, 42.0, 42)
    );
    assert!(distribution(&BTreeMap::new()).is_none());
}

#[test]
fn top_selection_keeps_the_smallest_keys_in_order() {
    assert_eq!(smallest([5, 3, 9, 1, 7, 3], 3, |x| *x), [1, 3, 3]);
    assert_eq!(smallest([2, 1], 10, |x| *x), [1, 2]);
    assert!(smallest([2, 1], 0, |x| *x).is_empty());
    let (v, limit) = ([5, 3, 9, 1, 7, 3], 3);
    assert_eq!(floor(v.into_iter(), limit), Some(5), "the third largest");
    assert_eq!(floor(v.into_iter(), 10), Some(1));
    assert_eq!(floor(v.into_iter(), 0), None);
    assert_eq!(floor(std::iter::empty::<u8>(), 2), None);
}
