//! Which files, and which parts of a file, a shard of a sharded read takes.

use std::path::Path;

use std::io::{self, BufRead, BufReader, Read};

use super::{Decoded, File, Format, Layout, Reader, io_problem, magic, stem};

/// How much of a file a shard reads (see [`Reader::claim_file`]).
pub(super) enum Claim {
    None,
    Whole,
    /// Parts `from..to` of `of`.
    Part {
        from: u64,
        to: u64,
        of: u64,
    },
}

impl Reader<'_> {
    /// The number of shards of a sharded read (1 otherwise).
    pub(super) fn shard_count(&self) -> u64 {
        self.options.shard.map_or(1, |s| u64::from(s.count()))
    }

    /// Takes the next file of the run, `path` if it is on disk: how much of it this shard
    /// reads. A plain JSON Lines or lines file counts as one part per shard when the run has
    /// fewer files than shards ([`Reader::split`]).
    pub(super) fn claim_file(&mut self, path: Option<&Path>, name: &str) -> Claim {
        let Some((shard, files)) = self.shard else {
            self.position += 1;
            return Claim::Whole;
        };
        let parts = u64::from(shard.count());
        if self.split && path.is_some_and(|p| self.splits(p, name)) {
            let first = self.position;
            self.position += parts;
            let mine = shard.files(files);
            let (from, to) = (mine.start.max(first), mine.end.min(first + parts));
            return if from < to {
                Claim::Part {
                    from: from - first,
                    to: to - first,
                    of: parts,
                }
            } else {
                Claim::None
            };
        }
        if self.claim() {
            Claim::Whole
        } else {
            Claim::None
        }
    }

    /// Whether a file is read in parts by a sharded run with fewer files than shards: JSON
    /// Lines or lines by its name or `--format`, not compressed nor UTF-16 by its first bytes,
    /// not empty, no `--encoding` (its bytes would not be the text's).
    pub(super) fn splits(&self, path: &Path, name: &str) -> bool {
        if self.options.encoding.is_some()
            || !matches!(
                self.layout_by_name(name),
                Some(Layout::Records(Format::JsonLines | Format::Lines))
            )
        {
            return false;
        }
        let Ok(mut file) = File::open(path) else {
            return false;
        };
        let mut head = [0u8; 6];
        let got = file.read(&mut head).unwrap_or(0);
        let mut bytes: &[u8] = &head[..got];
        got > 0
            && !bytes.starts_with(&[0xff, 0xfe])
            && !bytes.starts_with(&[0xfe, 0xff])
            && magic(&mut bytes).is_ok_and(|m| m.is_none())
    }

    /// Reads parts `from..to` of `of` of a plain line file: the lines that start in those
    /// parts' bytes, numbered as in the whole file.
    pub(super) fn file_part(&mut self, path: &Path, shown: &str, from: u64, to: u64, of: u64) {
        use std::io::{Seek, SeekFrom};
        let id_name = self.pending.take().unwrap_or_else(|| stem(shown));
        let mut file = match File::open(path) {
            Ok(file) => file,
            Err(err) => return self.fail(io_problem(shown, &err)),
        };
        let size = file.metadata().map_or(0, |m| m.len());
        let bound = |part: u64| (u128::from(size) * u128::from(part) / u128::from(of)) as u64;
        let (start, end) = (bound(from), bound(to));
        // The first line that starts at or after `start` (after the line feed at or past
        // `start - 1`), and how many lines come before it.
        let mut lines_before = 0u64;
        let mut begin = 0u64;
        if start > 0 {
            let mut reader = BufReader::with_capacity(1 << 16, &mut file);
            let mut at = 0u64;
            begin = size;
            loop {
                let chunk = match reader.fill_buf() {
                    Ok([]) => break,
                    Ok(chunk) => chunk,
                    Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                    Err(err) => return self.fail(io_problem(shown, &err)),
                };
                let len = chunk.len() as u64;
                let upto = (start - 1).saturating_sub(at).min(len) as usize;
                lines_before += memchr::memchr_iter(b'\n', &chunk[..upto]).count() as u64;
                if at + len > start - 1
                    && let Some(i) = memchr::memchr(b'\n', &chunk[upto..])
                {
                    begin = at + (upto + i) as u64 + 1;
                    lines_before += 1;
                    break;
                }
                let used = chunk.len();
                reader.consume(used);
                at += len;
            }
        }
        if begin >= end {
            return;
        }
        if let Err(err) = file.seek(SeekFrom::Start(begin)) {
            return self.fail(io_problem(shown, &err));
        }
        let input = Decoded {
            inner: BufReader::with_capacity(1 << 16, Box::new(file)),
            compressed: false,
        };
        let json = !matches!(
            self.layout_by_name(shown),
            Some(Layout::Records(Format::Lines))
        );
        self.lines_of(
            shown,
            &id_name,
            input,
            json,
            Some((lines_before, end - begin)),
        );
    }

    /// Takes the next file of the run: whether it is this shard's to read.
    pub(super) fn claim(&mut self) -> bool {
        let position = self.position;
        self.position += 1;
        self.shard
            .is_none_or(|(shard, files)| shard.has(position, files))
    }
}
