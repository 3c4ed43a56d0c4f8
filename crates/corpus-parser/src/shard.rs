//! Sharded runs: which part of the input one task of N reads, decided the same way on every
//! run and every machine.
//!
//! The unit of assignment is the file: every regular file the reader would meet, in the order
//! it would meet them (inputs in the order given, folders walked in file-name order, hidden
//! entries passed over; an archive is one file). Shard `i` of `n` reads the files whose
//! position `p` among the `u` files of the run has `p * n / u == i`: contiguous ranges of
//! nearly equal counts, so that the shards' results, concatenated in shard order, are in the
//! order of a single run. Every task still walks the whole input for names, so that a file is
//! given the same id as in a single run (a stem that an earlier file of another shard had).
//!
//! When the run has fewer files than shards (one big JSON Lines file), every plain JSON Lines or
//! lines file counts as one part per shard instead: part `j` of `n` is the lines that start in
//! its `j`-th `n`-th of the file's bytes, numbered as in the whole file (a task counts the line
//! feeds before its part, at memory speed). Compressed files, CSV (a quoted field may hold line
//! feeds), `--encoding` and UTF-16 files stay whole.

use std::fmt;

/// One task's part of a sharded run: shard `index` of `count`, 0-based.
///
/// ```
/// use corpus_parser::Shard;
///
/// let shard: Shard = "2/8".parse()?;
/// assert_eq!((shard.index(), shard.count()), (2, 8));
/// // Of 19 files, shard 2 of 8 reads the files at positions 5 to 7.
/// assert_eq!(shard.files(19), 5..8);
/// # Ok::<(), corpus_parser::ShardError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shard {
    index: u32,
    count: u32,
}

/// Why a shard could not be made or found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShardError {
    /// Not of the form `I/N`.
    Malformed(String),
    /// The index is not below the count, or the count is 0 or over [`Shard::MAX`].
    OutOfRange {
        /// The index given.
        index: u64,
        /// The count given.
        count: u64,
    },
    /// A scheduler's index variable is set, but not the count, which must then be given.
    NoCount(&'static str),
    /// A scheduler's variable holds something other than a number.
    BadVariable(&'static str, String),
}

impl fmt::Display for ShardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShardError::Malformed(s) => {
                write!(f, "shard {s:?} is not I/N (0-based: 0/8 to 7/8)")
            }
            ShardError::OutOfRange { index, count } if *count == 0 => {
                write!(f, "shard {index}/{count}: there must be at least one shard")
            }
            ShardError::OutOfRange { index, count } if *count > u64::from(Shard::MAX) => write!(
                f,
                "shard {index}/{count}: a run has at most {} shards (a merge and `corpus status` visit every one)",
                Shard::MAX
            ),
            ShardError::OutOfRange { index, count } => write!(
                f,
                "shard {index}/{count}: the index must be below the count (0-based: 0/{count} to {}/{count})",
                count - 1
            ),
            ShardError::NoCount(var) => write!(
                f,
                "{var} is set but not the number of shards; give it with --shard {{index}}/N"
            ),
            ShardError::BadVariable(var, value) => {
                write!(f, "{var}={value:?} is not a number")
            }
        }
    }
}

impl std::error::Error for ShardError {}

impl Shard {
    /// The most shards a run may have. A merge, `corpus status` and the pairs stage of a
    /// sharded deduplication each visit every shard, so a count in the billions would keep
    /// them busy for hours with nothing to read; 100,000 tasks are more than any array
    /// scheduler runs at once.
    pub const MAX: u32 = 100_000;

    /// Shard `index` of `count`, with `count` at most [`Shard::MAX`].
    pub fn new(index: u32, count: u32) -> Result<Shard, ShardError> {
        if count == 0 || index >= count || count > Shard::MAX {
            return Err(ShardError::OutOfRange {
                index: u64::from(index),
                count: u64::from(count),
            });
        }
        Ok(Shard { index, count })
    }

    /// The whole input: shard 0 of 1.
    pub fn whole() -> Shard {
        Shard { index: 0, count: 1 }
    }

    /// The index, 0-based.
    pub fn index(self) -> u32 {
        self.index
    }

    /// How many shards the run has.
    pub fn count(self) -> u32 {
        self.count
    }

    /// The positions of the files this shard reads, of `files` in all.
    pub fn files(self, files: u64) -> std::ops::Range<u64> {
        let bound = |i: u32| {
            // The first position p with p * count / files >= i: ceil(i * files / count).
            (u128::from(i) * u128::from(files)).div_ceil(u128::from(self.count)) as u64
        };
        bound(self.index)..bound(self.index + 1)
    }

    /// Whether the file at `position` (of `files`) is this shard's.
    pub fn has(self, position: u64, files: u64) -> bool {
        self.files(files).contains(&position)
    }

    /// The shard a scheduler's environment gives, and the variable it came from: Slurm job
    /// arrays (`SLURM_ARRAY_TASK_ID`, with `SLURM_ARRAY_TASK_COUNT`), Kubernetes Indexed Jobs
    /// (`JOB_COMPLETION_INDEX`), AWS Batch array jobs (`AWS_BATCH_JOB_ARRAY_INDEX`, with
    /// `AWS_BATCH_JOB_ARRAY_SIZE`). The array index is the shard's index, 0-based. `count`,
    /// when known otherwise (given, or a run's manifest), wins over the array's size, which a
    /// resubmission of some tasks changes (`--array=3`: one task, index 3 of the run's 8).
    /// `get` reads a variable (`|v| std::env::var(v).ok()`); `None` when none is set.
    pub fn from_env(
        get: impl Fn(&str) -> Option<String>,
        count: Option<u32>,
    ) -> Result<Option<(Shard, &'static str)>, ShardError> {
        let number = |var: &'static str| -> Result<Option<u64>, ShardError> {
            match get(var) {
                None => Ok(None),
                Some(v) if v.trim().is_empty() => Ok(None),
                Some(v) => v
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| ShardError::BadVariable(var, v)),
            }
        };
        let schedulers: [(&'static str, Option<&'static str>); 3] = [
            ("SLURM_ARRAY_TASK_ID", Some("SLURM_ARRAY_TASK_COUNT")),
            ("JOB_COMPLETION_INDEX", None),
            (
                "AWS_BATCH_JOB_ARRAY_INDEX",
                Some("AWS_BATCH_JOB_ARRAY_SIZE"),
            ),
        ];
        for (index_var, count_var) in schedulers {
            let Some(index) = number(index_var)? else {
                continue;
            };
            let total = match count {
                Some(n) => u64::from(n),
                None => match count_var.map(number).transpose()?.flatten() {
                    Some(n) => n,
                    None => return Err(ShardError::NoCount(index_var)),
                },
            };
            let range = ShardError::OutOfRange {
                index,
                count: total,
            };
            let fit = |n: u64| u32::try_from(n).map_err(|_| range.clone());
            return Shard::new(fit(index)?, fit(total)?).map(|s| Some((s, index_var)));
        }
        Ok(None)
    }
}

impl std::str::FromStr for Shard {
    type Err = ShardError;

    /// `I/N`, 0-based: `0/8` to `7/8`.
    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let malformed = || ShardError::Malformed(s.to_owned());
        let (i, n) = s.trim().split_once('/').ok_or_else(malformed)?;
        let i: u64 = i.trim().parse().map_err(|_| malformed())?;
        let n: u64 = n.trim().parse().map_err(|_| malformed())?;
        let range = ShardError::OutOfRange { index: i, count: n };
        let fit = |v: u64| u32::try_from(v).map_err(|_| range.clone());
        Shard::new(fit(i)?, fit(n)?)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_file_once_in_order() {
        for files in [0u64, 1, 2, 7, 8, 19, 100, 19_043] {
            for count in [1u32, 2, 3, 8, 13] {
                let mut next = 0;
                for index in 0..count {
                    let range = Shard::new(index, count).expect("a shard").files(files);
                    assert_eq!(range.start, next, "{files} files, {index}/{count}");
                    let size = range.end - range.start;
                    assert!(
                        size <= files.div_ceil(u64::from(count)),
                        "{files}, {index}/{count}"
                    );
                    next = range.end;
                }
                assert_eq!(next, files);
            }
        }
    }

    #[test]
    fn shards_parse_and_refuse() {
        assert_eq!("3/8".parse(), Shard::new(3, 8));
        assert!("99999/100000".parse::<Shard>().is_ok());
        for bad in [
            "8/8",
            "0/0",
            "3",
            "a/8",
            "-1/8",
            "3/8/9",
            "0/100001",
            "0/4294967295",
        ] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!(
            "8/8".parse::<Shard>().map_err(|e| e.to_string()),
            Err("shard 8/8: the index must be below the count (0-based: 0/8 to 7/8)".to_owned())
        );
    }

    #[test]
    fn schedulers_say_which_shard() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |v: &str| {
                vars.iter()
                    .find(|(k, _)| *k == v)
                    .map(|(_, x)| (*x).to_owned())
            }
        };
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "8"),
        ]);
        assert_eq!(
            Shard::from_env(slurm, None),
            Ok(Some((
                Shard::new(3, 8).expect("shard"),
                "SLURM_ARRAY_TASK_ID"
            )))
        );
        // Resubmitted alone (`--array=3`), the task knows the run's count otherwise.
        let again = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "1"),
        ]);
        assert!(Shard::from_env(again, None).is_err());
        assert_eq!(
            Shard::from_env(again, Some(8)).map(|s| s.map(|(s, _)| s)),
            Ok(Some(Shard::new(3, 8).expect("shard")))
        );
        let k8s = env(&[("JOB_COMPLETION_INDEX", "2")]);
        assert_eq!(
            Shard::from_env(k8s, None),
            Err(ShardError::NoCount("JOB_COMPLETION_INDEX"))
        );
        assert_eq!(
            Shard::from_env(k8s, Some(4)).map(|s| s.map(|(s, _)| s)),
            Ok(Some(Shard::new(2, 4).expect("shard")))
        );
        let aws = env(&[
            ("AWS_BATCH_JOB_ARRAY_INDEX", "0"),
            ("AWS_BATCH_JOB_ARRAY_SIZE", "2"),
        ]);
        assert_eq!(
            Shard::from_env(aws, None).map(|s| s.map(|(s, v)| (s.to_string(), v))),
            Ok(Some(("0/2".to_owned(), "AWS_BATCH_JOB_ARRAY_INDEX")))
        );
        assert_eq!(Shard::from_env(env(&[]), None), Ok(None));
        let bad = env(&[("SLURM_ARRAY_TASK_ID", "x")]);
        assert!(Shard::from_env(bad, None).is_err());
    }
}
