//! Folders, tar and zip archives: walked in a stable order (file names, archive order), hidden
//! entries and shipped README and LICENSE files passed over, every other entry not read
//! reported, member paths normalised, and a member cut short turned into an error. Zip archives
//! are read as a stream, entry by entry from their local headers, so standard input works and
//! memory holds one entry's buffer.

use std::io::{self, Read};
use std::path::Path;

use corpus_core::{Problem, ProblemKind};

use super::inputs::{
    escape_bytes, has_corpus_extension, is_skipped_silently, os_text, shown_path, strip_compression,
};
use super::zip_stream;
use super::{Claim, Decoded, Input, Kind, Reader, Record, corrupt_problem, lowercase_first};

/// What an archive entry is: a file to read, or something else (and what, to say so).
enum Entry {
    File,
    Not(&'static str),
}

/// How deep archives may nest inside archives before an inner one is skipped.
const MAX_ARCHIVE_DEPTH: usize = 4;

/// A folder's entries in the order they are read: file names sorted, hidden entries left out.
fn walker(root: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
}

/// What a walk of a folder reads: every entry but folders and the files passed over without a
/// word (hidden files, README, LICENSE), with its name; or what could not be read. The count of
/// a sharded run's files and the read walk the same entries.
fn entries(root: &Path) -> impl Iterator<Item = walkdir::Result<(walkdir::DirEntry, String)>> {
    walker(root).filter_map(|entry| match entry {
        Ok(entry) if entry.file_type().is_dir() => None,
        Ok(entry) => {
            let name = os_text(entry.file_name());
            (!is_skipped_silently(&name)).then_some(Ok((entry, name)))
        }
        Err(err) => Some(Err(err)),
    })
}

/// The files of a sharded run (see [`crate::Shard`]): how many the inputs hold in all, and for
/// each input the position of its first file and whether any of its files is a corpus file
/// (an input with none is the one `empty` problem of the run, made by one shard).
///
/// With a `splitter` (a run with fewer files than shards), a file it would read in parts counts
/// as one part per shard.
pub(super) fn count_files(
    inputs: &[Input],
    splitter: Option<&Reader<'_>>,
) -> (u64, Vec<(u64, bool)>) {
    let parts = |path: &Path, name: &str| match splitter {
        Some(r) if r.splits(path, name) => r.shard_count(),
        _ => 1,
    };
    let mut files = 0u64;
    let mut per_input = Vec::with_capacity(inputs.len());
    for input in inputs {
        let start = files;
        let mut any = true;
        match input {
            Input::Path(path) if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) => {
                any = false;
                for entry in entries(path) {
                    match entry {
                        Ok((entry, name)) => {
                            let corpus = entry.file_type().is_file() && has_corpus_extension(&name);
                            files += if corpus {
                                parts(entry.path(), &name)
                            } else {
                                1
                            };
                            any |= corpus;
                        }
                        Err(_) => {
                            files += 1;
                            any = true;
                        }
                    }
                }
            }
            Input::Path(path) if std::fs::metadata(path).is_ok_and(|m| m.is_file()) => {
                files += parts(path, &shown_path(path));
            }
            _ => files += 1,
        }
        per_input.push((start, any));
    }
    (files, per_input)
}

impl Reader<'_> {
    pub(super) fn walk(&mut self, root: &Path) {
        for entry in entries(root) {
            if self.budget.stopped() {
                return;
            }
            match entry {
                Ok((entry, name)) => {
                    let shown = shown_path(entry.path());
                    // Another shard's file is only named, so that names are those of a
                    // single run.
                    let corpus = entry.file_type().is_file() && has_corpus_extension(&name);
                    let claim = if corpus {
                        self.claim_file(Some(entry.path()), &name)
                    } else if self.claim() {
                        Claim::Whole
                    } else {
                        Claim::None
                    };
                    let mine = !matches!(claim, Claim::None);
                    if !entry.file_type().is_file() {
                        // FIFOs, sockets and devices: opening one may block or never end.
                        if mine {
                            self.skip(&shown, "not a regular file");
                        }
                    } else if !has_corpus_extension(&name) {
                        if mine {
                            self.skip(&shown, "not a corpus file by its name");
                        }
                    } else {
                        // Named from the folder given: `sport/001` when `001` was taken.
                        let relative = entry
                            .path()
                            .strip_prefix(root)
                            .map_or_else(|_| shown.clone(), shown_path);
                        if self.is_article_by_name(&name) {
                            let id = self.name_for(&name, &relative);
                            if mine {
                                self.emit(Record::from(Kind::ArticleFile {
                                    path: entry.into_path(),
                                    shown,
                                    id,
                                    max_record_bytes: self.options.max_record_bytes,
                                    encoding: self.options.encoding,
                                }));
                            }
                        } else {
                            self.named(&name, &relative);
                            match claim {
                                Claim::Whole => self.file(entry.path(), &shown),
                                Claim::Part { from, to, of } => {
                                    self.file_part(entry.path(), &shown, from, to, of);
                                }
                                Claim::None => self.pending = None,
                            }
                        }
                    }
                }
                Err(_) if !self.claim() => {}
                Err(err) => {
                    let shown = err.path().map_or_else(|| shown_path(root), shown_path);
                    let message = lowercase_first(&err.to_string());
                    self.fail(Problem::new(
                        ProblemKind::Io,
                        shown,
                        format!("cannot read: {message}"),
                    ));
                }
            }
        }
    }

    /// Whether an archive member is read, saying why not when it is not (hidden files and
    /// README and LICENSE files pass without a word); a path that left the archive is a
    /// warning, and the member is read inside it.
    fn admits(
        &mut self,
        member: &str,
        member_shown: &str,
        entry: Entry,
        raw: &str,
        escapes: bool,
    ) -> bool {
        let file = member.rsplit('/').next().unwrap_or(member);
        // Hidden folders and files, and README and LICENSE files (not folders so named).
        if member.split('/').any(|part| part.starts_with('.')) || is_skipped_silently(file) {
            return false;
        }
        if let Entry::Not(what) = entry {
            self.skip(member_shown, what);
            return false;
        }
        if !has_corpus_extension(file) {
            self.skip(member_shown, "not a corpus file by its name");
            return false;
        }
        if (is_tar_name(file) || is_zip_name(file)) && self.depth >= MAX_ARCHIVE_DEPTH {
            self.skip(
                member_shown,
                &format!("an archive nested more than {MAX_ARCHIVE_DEPTH} deep"),
            );
            return false;
        }
        if escapes {
            self.fail(Problem::new(
                ProblemKind::Suspect,
                member_shown,
                format!("member path {raw:?} leaves the archive; read as {member:?}"),
            ));
        }
        true
    }

    /// Reads one archive member of `size` bytes (by its header) as a stream of its own; returns
    /// whether reading it broke the archive (nothing after it can be read).
    fn member(
        &mut self,
        member: &str,
        member_shown: &str,
        file: &str,
        inner: impl Read,
        size: u64,
        compressed: bool,
    ) -> bool {
        // An input past its decompression budget is read no further: its one problem is made.
        if self.budget.exceeded() {
            return true;
        }
        let mut broken = false;
        let mut guard = Member {
            inner,
            broken: &mut broken,
            compressed,
            left: size,
            size,
        };
        self.named(file, member);
        self.depth += 1;
        self.stream(member_shown, file, Box::new(&mut guard));
        self.depth -= 1;
        broken || self.budget.exceeded()
    }

    /// The problem of an archive that held no entry, or no corpus file.
    fn empty_archive(&mut self, shown: &str, members: u64, before: u64) {
        if members == 0 {
            self.fail(Problem::new(
                ProblemKind::Empty,
                shown,
                "empty: the archive holds no files",
            ));
        } else if self.records == before {
            self.fail(Problem::new(
                ProblemKind::Empty,
                shown,
                "empty: the archive holds no corpus file",
            ));
        }
    }

    /// Reads a zip archive from its local headers, entry by entry.
    ///
    /// An entry whose sizes follow its data (a data descriptor, flag bit 3: what streaming
    /// writers make, `zip -`, Java's `ZipOutputStream`, Python's `zipfile` on a pipe) is read
    /// to the end of its deflate stream, or, stored, to the descriptor whose size and CRC fit
    /// what came before it; the descriptor is checked as the zip crate checks a header's. An
    /// encrypted entry is named and passed over, and the entries after it are read.
    pub(super) fn zip(&mut self, shown: &str, input: Decoded<'_>) {
        let before = self.records;
        let mut members = 0u64;
        let mut inner = zip_stream::Pushback::new(input.inner);
        loop {
            let header = match zip_stream::LocalHeader::read(&mut inner) {
                Ok(Some(header)) => header,
                Ok(None) => break,
                Err(err) => return self.fail(corrupt_problem(shown, None, &err)),
            };
            members += 1;
            let raw = escape_bytes(&header.name);
            let (member, escapes) = normalize_member(&raw);
            let member_shown = format!("{shown}/{member}");
            let is_dir = header.name.ends_with(b"/");
            if header.encrypted() {
                self.fail(Problem::new(
                    ProblemKind::Binary,
                    &member_shown,
                    "encrypted: this zip entry needs a password; not read",
                ));
                match header.skip(&mut inner) {
                    Ok(()) => continue,
                    Err(err) => return self.fail(corrupt_problem(shown, None, &err)),
                }
            }
            if header.descriptor() {
                if is_dir {
                    if let Err(err) = header.skip(&mut inner) {
                        return self.fail(corrupt_problem(shown, None, &err));
                    }
                    continue;
                }
                let file = member.rsplit('/').next().unwrap_or(&member).to_owned();
                if !self.admits(&member, &member_shown, Entry::File, &raw, escapes) {
                    if let Err(err) = header.skip(&mut inner) {
                        return self.fail(corrupt_problem(shown, None, &err));
                    }
                    continue;
                }
                let entry = match header.entry(&mut inner) {
                    Ok(entry) => entry,
                    Err(err) => return self.fail(corrupt_problem(shown, None, &err)),
                };
                if self.member(&member, &member_shown, &file, entry, u64::MAX, true) {
                    return;
                }
                continue;
            }
            // Sizes in the header: the zip crate reads the entry, from the header's bytes.
            let mut chained = io::Cursor::new(header.bytes).chain(&mut inner);
            let entry = match zip::read::read_zipfile_from_stream(&mut chained) {
                Ok(Some(entry)) => entry,
                Ok(None) => break,
                Err(err) => {
                    let err = io::Error::new(io::ErrorKind::InvalidData, err);
                    return self.fail(corrupt_problem(shown, None, &err));
                }
            };
            if entry.is_dir() {
                continue;
            }
            let what = if entry.is_symlink() {
                Entry::Not("a symbolic link")
            } else {
                Entry::File
            };
            let file = member.rsplit('/').next().unwrap_or(&member).to_owned();
            if !self.admits(&member, &member_shown, what, &raw, escapes) {
                continue;
            }
            // A corrupt entry (a bad checksum, a cut stream) ends the archive: stop after it.
            let size = entry.size();
            if self.member(&member, &member_shown, &file, entry, size, true) {
                return;
            }
        }
        self.empty_archive(shown, members, before);
    }

    pub(super) fn tar(&mut self, shown: &str, input: Decoded<'_>) {
        let compressed = input.compressed;
        let mut archive = tar::Archive::new(input.inner);
        let entries = match archive.entries() {
            Ok(entries) => entries,
            Err(err) => return self.fail(corrupt_problem(shown, None, &err)),
        };
        let before = self.records;
        let mut members = 0u64;
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => return self.fail(corrupt_problem(shown, None, &err)),
            };
            members += 1;
            let kind = entry.header().entry_type();
            if kind.is_dir() {
                continue;
            }
            let raw = escape_bytes(&entry.path_bytes());
            let (member, escapes) = normalize_member(&raw);
            let member_shown = format!("{shown}/{member}");
            let file = member.rsplit('/').next().unwrap_or(&member);
            let what = if kind.is_file() || kind.is_contiguous() {
                Entry::File
            } else if kind.is_symlink() {
                Entry::Not("a symbolic link")
            } else if kind.is_hard_link() {
                Entry::Not("a hard link")
            } else {
                Entry::Not("not a regular file")
            };
            if !self.admits(&member, &member_shown, what, &raw, escapes) {
                continue;
            }
            // A corrupt stream breaks the entry being read and every entry after it: stop.
            let size = entry.size();
            let file = file.to_owned();
            if self.member(&member, &member_shown, &file, entry, size, compressed) {
                return;
            }
        }
        self.empty_archive(shown, members, before);
    }
}

/// A tar member's path with `.` and empty parts dropped and `..` resolved, and whether a `..`
/// reached above the archive's root (it is then dropped: the member is read inside the
/// archive, never beside it).
pub(super) fn normalize_member(raw: &str) -> (String, bool) {
    let mut parts: Vec<&str> = Vec::new();
    let mut escapes = raw.starts_with('/');
    for part in raw.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => escapes |= parts.pop().is_none(),
            _ => parts.push(part),
        }
    }
    (parts.join("/"), escapes)
}

/// The first bytes of a zip archive's first entry.
pub(super) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Whether a file is read as a zip archive by its name.
pub(super) fn is_zip_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

pub(super) fn is_tar_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let inner = strip_compression(&lower);
    inner.ends_with(".tar") || inner.ends_with(".tgz")
}

/// An archive member being read: remembers whether reading failed, so that a broken archive
/// is read no further, and turns an archive that ends inside the member into an error
/// instead of a member that looks whole.
struct Member<'b, R> {
    inner: R,
    broken: &'b mut bool,
    compressed: bool,
    /// Bytes of the member not read yet, by its header (`u64::MAX`: not known).
    left: u64,
    size: u64,
}

impl<R: Read> Read for Member<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self
            .inner
            .read(buf)
            .inspect_err(|_| *self.broken = true)
            .map_err(|err| {
                if self.compressed {
                    io::Error::new(io::ErrorKind::InvalidData, err)
                } else {
                    err
                }
            })?;
        // A member whose size follows its data (`u64::MAX`) ends where its reader says.
        if n == 0 && self.left > 0 && self.size != u64::MAX && !buf.is_empty() {
            *self.broken = true;
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the archive ends inside this member, after {} of its {} bytes",
                    self.size - self.left,
                    self.size
                ),
            ));
        }
        self.left = self.left.saturating_sub(n as u64);
        Ok(n)
    }
}
