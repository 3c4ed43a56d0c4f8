//! Clustering rules on hand-made fingerprints.

use super::*;

fn fp(exact: u128, signature: &[u32], date: Option<i64>, words: u64) -> Fingerprint {
    // Dates by days since 1970, for short tests.
    let date = date.map(|d| corpus_core::Date::from_days(d).expect("a date in range"));
    Fingerprint {
        exact,
        signature: signature.into(),
        date,
        words,
        ..Fingerprint::default()
    }
}

fn options() -> DedupOptions {
    // Four permutations in four bands of one row: any shared value is a candidate.
    DedupOptions {
        permutations: 4,
        bands: Some((4, 1)),
        threshold: 0.5,
        ..DedupOptions::default()
    }
}

#[test]
fn chains_do_not_merge_unlike_ends() {
    // A = [1,2,3,4], B = [1,2,3,9], C = [7,8,3,9]: A~B 0.75 and B~C 0.5 pass the 0.5
    // threshold, A~C 0.25 does not.
    let fps = [
        fp(1, &[1, 2, 3, 4], Some(0), 10),
        fp(2, &[1, 2, 3, 9], Some(1), 10),
        fp(3, &[7, 8, 3, 9], Some(2), 10),
    ];
    let r = cluster(&fps, &options());
    assert_eq!(r.assignments[1].cluster, 0);
    assert_eq!(r.assignments[1].reason, Reason::Near);
    assert_eq!(
        r.assignments[2].reason,
        Reason::Kept,
        "C must not join A's cluster through B"
    );
}

#[test]
fn earliest_is_kept_whatever_the_input_order() {
    let fps = [
        fp(1, &[1, 2, 3, 4], Some(5), 10),
        fp(1, &[1, 2, 3, 4], Some(2), 10),
        fp(1, &[1, 2, 3, 4], None, 10),
    ];
    let r = cluster(&fps, &options());
    assert_eq!(
        r.assignments.iter().map(|a| a.cluster).collect::<Vec<_>>(),
        [1, 1, 1]
    );
    assert_eq!(r.assignments[1].reason, Reason::Kept);
    assert_eq!(r.assignments[0].reason, Reason::Exact);
    let longest = DedupOptions {
        keep: Keep::Longest,
        ..options()
    };
    let fps = [
        fp(1, &[1, 2, 3, 4], Some(5), 10),
        fp(2, &[1, 2, 3, 5], Some(2), 30),
    ];
    assert_eq!(cluster(&fps, &longest).assignments[0].cluster, 1);
    let first = DedupOptions {
        keep: Keep::First,
        ..options()
    };
    assert_eq!(cluster(&fps, &first).assignments[1].cluster, 0);
}

#[test]
fn the_window_keeps_distant_dates_apart_but_not_undated() {
    let windowed = DedupOptions {
        window_days: Some(3),
        ..options()
    };
    let fps = [
        fp(1, &[1, 2, 3, 4], Some(0), 10),
        fp(2, &[1, 2, 3, 5], Some(10), 10),
        fp(3, &[1, 2, 3, 6], None, 10),
    ];
    let r = cluster(&fps, &windowed);
    assert_eq!(r.assignments[1].reason, Reason::Kept, "ten days apart");
    assert_eq!(
        r.assignments[2].reason,
        Reason::Near,
        "undated documents are compared with all"
    );
    let r = cluster(&fps, &options());
    assert_eq!(r.assignments[1].reason, Reason::Near);
}

#[test]
fn keys_group_rescraped_pages() {
    let mut a = fp(1, &[1, 2, 3, 4], Some(0), 10);
    let mut b = fp(2, &[9, 9, 9, 9], Some(1), 10);
    a.key = Some(77);
    b.key = Some(77);
    let r = cluster(&[a, b], &options());
    assert_eq!(r.assignments[1].reason, Reason::Key);
    assert_eq!(r.assignments[1].cluster, 0);
    assert_eq!(r.clusters_with_copies(), 1);
}

#[test]
fn one_shingle_documents_are_alike_only_when_their_texts_are() {
    // Two one-word documents whose shingle values collide in 32 bits: every bin agrees, but
    // their bodies differ (`w25590` and `w37662` once merged at similarity 1.0).
    let o = DedupOptions {
        permutations: 4,
        bands: Some((4, 1)),
        ..DedupOptions::default()
    };
    let fps = [
        fp(1, &[7, 7, 7, 7], Some(0), 1),
        fp(2, &[7, 7, 7, 7], Some(0), 1),
    ];
    let r = cluster(&fps, &o);
    assert_eq!(r.kept(), 2, "{r:?}");
    // Longer documents keep the estimate: the same signature is a near copy.
    let long = [
        fp(1, &[7, 7, 7, 7], Some(0), 40),
        fp(2, &[7, 7, 7, 7], Some(0), 40),
    ];
    assert_eq!(cluster(&long, &o).count(Reason::Near), 1);
}

#[test]
fn exact_copies_read_headlines_and_do_not_chain() {
    let windowed = DedupOptions {
        window_days: Some(3),
        ..options()
    };
    let titled = |exact, sig: &[u32], day, title: &str| Fingerprint {
        title: crate::facts::title_words(title),
        ..fp(exact, sig, Some(day), 10)
    };
    // One body under two companies' headlines: two notices.
    let fps = [
        titled(1, &[1, 2, 3, 4], 0, "ACME CORP SETS PAYOUT"),
        titled(1, &[1, 2, 3, 4], 0, "BETA INC SETS PAYOUT"),
        titled(1, &[1, 2, 3, 4], 1, "CORRECTED - ACME CORP SETS PAYOUT"),
    ];
    let r = cluster(&fps, &windowed);
    let reasons: Vec<Reason> = r.assignments.iter().map(|a| a.reason).collect();
    assert_eq!(reasons, [Reason::Kept, Reason::Kept, Reason::Exact]);
    assert_eq!(r.assignments[2].cluster, 0);
    // The kept copy's text ten days later is a copy (a re-scrape dated when found); a near
    // member's text out of the kept copy's window is not, though the member is: no chains.
    let fps = [
        fp(1, &[1, 2, 3, 4], Some(0), 10),
        fp(1, &[1, 2, 3, 4], Some(10), 10),
        fp(2, &[1, 2, 3, 5], Some(3), 10),
        fp(2, &[1, 2, 3, 5], Some(5), 10),
        fp(2, &[1, 2, 3, 5], Some(2), 10),
    ];
    let r = cluster(&fps, &windowed);
    let got: Vec<(usize, Reason)> = r
        .assignments
        .iter()
        .map(|a| (a.cluster, a.reason))
        .collect();
    assert_eq!(
        got,
        [
            (0, Reason::Kept),
            (0, Reason::Exact),
            (0, Reason::Exact),
            (3, Reason::Kept),
            (0, Reason::Near),
        ],
        "document 3 copies member 4, five days after the kept copy"
    );
}
