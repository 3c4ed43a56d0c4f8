//! The index's parts that the end-to-end tests (`tests/it/index.rs`) reach only by chance.

use super::write::{Added, IndexLock, new_segment, write_generation};
use super::{Index, against};
use crate::cluster::cluster_tracked;
use crate::{DedupOptions, Fingerprint, Keep, Reason, cluster};

fn temp(name: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("corpus-index-unit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// Writes `fps` (all in one generation) as an index at `path`.
fn index_of(fps: &[Fingerprint], options: &DedupOptions, path: &std::path::Path) -> Index {
    let (result, tracked) = cluster_tracked(fps, options);
    let docs: Vec<Added<'_>> = (0..fps.len())
        .map(|i| Added {
            fingerprint: &fps[i],
            assignment: result.assignments[i],
            bucketed: tracked.bucketed[i],
            first: tracked.first[i],
            id: "d",
            path: "p",
            line: None,
            label: None,
        })
        .collect();
    let lock = IndexLock::acquire(path).expect("lock");
    let segment = new_segment(&docs, |_| 0, (0, 0), options);
    write_generation(&lock, None, options, segment).expect("write");
    Index::open(path).expect("open")
}

/// A near copy holds its place in a bucket though it is never a candidate: of a bucket's
/// last 64 documents only the kept are candidates, so a kept copy 64 near copies back is out
/// of reach, in one run and against the index alike.
#[test]
fn near_copies_hold_their_places_in_crowded_buckets() {
    let mut options = DedupOptions::web();
    options.keep = Keep::First;
    let (bands, rows) = options.bands_rows();
    let mut state = 1u64;
    let mut random = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as u32
    };
    let fp = |exact: u128, signature: Vec<u32>| Fingerprint {
        exact,
        signature: signature.into(),
        words: 300,
        ..Fingerprint::default()
    };
    // Pages whose first band is the same, the rest their own.
    let pages: Vec<Vec<u32>> = (0..100)
        .map(|_| {
            (0..options.permutations)
                .map(|p| if p < rows { p as u32 + 1 } else { random() })
                .collect()
        })
        .collect();
    let mut archive: Vec<Fingerprint> = (0..100).map(|k| fp(k as u128, pages[k].clone())).collect();
    // 64 near copies of the last pages, after them in the first band's bucket.
    for (k, page) in pages.iter().enumerate().skip(36) {
        let mut s = page.clone();
        s[rows] ^= 0xFFFF;
        archive.push(fp(1000 + k as u128, s));
    }
    // Today: page 50 with a row of every band but the first changed: similar enough, found
    // only through the crowded band.
    let mut s = pages[50].clone();
    for b in 1..bands {
        s[b * rows] ^= 0xFFFF;
    }
    let today = vec![fp(5000, s)];
    let all: Vec<Fingerprint> = archive.iter().chain(&today).cloned().collect();
    let one = cluster(&all, &options);
    assert_eq!(one.count(Reason::Near), 64);
    assert_eq!(
        one.assignments[164].reason,
        Reason::Kept,
        "page 50 is out of reach"
    );
    // Without the near copies, page 50 is within the bucket's last 64: the case is the bound's.
    let fewer: Vec<Fingerprint> = archive[..100].iter().chain(&today).cloned().collect();
    assert_eq!(cluster(&fewer, &options).assignments[100].cluster, 50);

    let path = temp("crowded");
    let index = index_of(&archive, &options, &path);
    let (got, _) = against(&index, today.clone(), &options).expect("against");
    assert_eq!(got.assignments[0].reason, Reason::Kept);
    assert!(got.archive.archived.is_empty());
    let path2 = temp("fewer");
    let index = index_of(&archive[..100], &options, &path2);
    let (got, _) = against(&index, today, &options).expect("against");
    assert_eq!(got.assignments[0].reason, Reason::Near);
    assert_eq!(got.archive.archived[0].seq, 50);
    for p in [path, path2] {
        let _ = std::fs::remove_file(&p);
        let _ = std::fs::remove_file(p.with_file_name(format!(
            "{}.lock",
            p.file_name().unwrap_or_default().to_string_lossy()
        )));
    }
}
