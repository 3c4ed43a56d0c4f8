//! The options an index was made with, field by field, as its trailer holds them.

use corpus_core::part::{Get, PartError, Put};

use crate::{DedupOptions, Keep, KeyField, Similarity, Verify};

/// The options, field by field, as the trailer holds them.
pub(super) fn put_options(p: &mut Put, o: &DedupOptions) {
    let opt = |p: &mut Put, v: Option<f64>| {
        p.u8(u8::from(v.is_some()));
        p.f64(v.unwrap_or(0.0));
    };
    p.u64(o.ngram as u64);
    p.u64(o.permutations as u64);
    p.f64(o.threshold);
    let (bands, rows) = o.bands.unwrap_or((0, 0));
    p.u8(u8::from(o.bands.is_some()));
    p.u64(bands as u64);
    p.u64(rows as u64);
    p.u64(o.seed);
    p.u8(match o.verify {
        Verify::Estimate => 0,
        Verify::Exact => 1,
    });
    p.opt_u64(o.window_days.map(u64::from));
    p.u8(match o.keep {
        Keep::Earliest => 0,
        Keep::Longest => 1,
        Keep::First => 2,
    });
    match &o.key {
        None => p.u8(0),
        Some(KeyField::Id) => p.u8(1),
        Some(KeyField::Title) => p.u8(2),
        Some(KeyField::Meta(f)) => {
            p.u8(3);
            p.str(f);
        }
    }
    p.f64(o.recall);
    p.u8(match o.similarity {
        Similarity::Jaccard => 0,
        Similarity::Containment => 1,
    });
    opt(p, o.max_changed_facts);
    p.f64(o.min_length_ratio);
    p.u8(u8::from(o.strip_dateline));
    opt(p, o.rewrite_threshold);
}

pub(super) fn get_options(g: &mut Get<'_>) -> Result<DedupOptions, PartError> {
    let bad = PartError::Corrupt("an option has no known value");
    let opt = |g: &mut Get<'_>| -> Result<Option<f64>, PartError> {
        let some = g.flag()?;
        let v = g.f64()?;
        Ok(some.then_some(v))
    };
    let mut o = DedupOptions::web();
    o.ngram = g.u64()? as usize;
    o.permutations = g.u64()? as usize;
    o.threshold = g.f64()?;
    let has_bands = g.flag()?;
    let (bands, rows) = (g.u64()? as usize, g.u64()? as usize);
    o.bands = has_bands.then_some((bands, rows));
    o.seed = g.u64()?;
    o.verify = match g.u8()? {
        0 => Verify::Estimate,
        1 => Verify::Exact,
        _ => return Err(bad),
    };
    o.window_days = g
        .opt_u64()?
        .map(|d| u32::try_from(d).map_err(|_| PartError::Corrupt("a window is out of range")))
        .transpose()?;
    o.keep = match g.u8()? {
        0 => Keep::Earliest,
        1 => Keep::Longest,
        2 => Keep::First,
        _ => return Err(bad),
    };
    o.key = match g.u8()? {
        0 => None,
        1 => Some(KeyField::Id),
        2 => Some(KeyField::Title),
        3 => Some(KeyField::Meta(g.str()?.to_owned())),
        _ => return Err(bad),
    };
    o.recall = g.f64()?;
    o.similarity = match g.u8()? {
        0 => Similarity::Jaccard,
        1 => Similarity::Containment,
        _ => return Err(bad),
    };
    o.max_changed_facts = opt(g)?;
    o.min_length_ratio = g.f64()?;
    o.strip_dateline = g.flag()?;
    o.rewrite_threshold = opt(g)?;
    o.validate()
        .map_err(|_| PartError::Corrupt("its options are not valid"))?;
    Ok(o)
}

/// The options that differ between an index's and a run's, as `name: index's, run's`.
pub(super) fn differences(index: &DedupOptions, run: &DedupOptions) -> String {
    let fields = |o: &DedupOptions| {
        [
            ("ngram", o.ngram.to_string()),
            ("permutations", o.permutations.to_string()),
            ("threshold", o.threshold.to_string()),
            ("bands", format!("{:?}", o.bands)),
            ("seed", o.seed.to_string()),
            ("verify", format!("{:?}", o.verify).to_lowercase()),
            ("window", format!("{:?}", o.window_days)),
            ("keep", format!("{:?}", o.keep).to_lowercase()),
            ("key", format!("{:?}", o.key)),
            ("recall", o.recall.to_string()),
            ("similarity", o.similarity.as_str().to_owned()),
            ("max changed facts", format!("{:?}", o.max_changed_facts)),
            ("min length ratio", o.min_length_ratio.to_string()),
            ("strip dateline", o.strip_dateline.to_string()),
            ("rewrites", format!("{:?}", o.rewrite_threshold)),
        ]
    };
    fields(index)
        .into_iter()
        .zip(fields(run))
        .filter(|(a, b)| a.1 != b.1)
        .map(|((name, a), (_, b))| format!("{name}: {a} in the index, {b} here"))
        .collect::<Vec<_>>()
        .join("; ")
}
