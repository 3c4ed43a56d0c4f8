//! Output files written whole or not at all: a temporary file beside the target, renamed into
//! place only when the whole run has finished, together with the run's other outputs.
//!
//! The rules, for every file a command writes:
//!
//! - A new path, or an existing regular file, is written to a temporary file beside it and
//!   renamed into place by [`Outputs::commit`]; it gets the mode a plain `create` would give
//!   (`0666` less the umask), or the replaced file's mode.
//! - Anything else that exists (`/dev/null`, a FIFO, a device), and any path in `/dev` or
//!   `/proc` (`/dev/stdout` is a link to a regular file when standard output is redirected to
//!   one), is written to directly, never replaced; `-`, `/dev/stdout`, `/dev/fd/1` and
//!   `/proc/self/fd/1` are standard output itself.
//! - An output that is one of the inputs, or two outputs that are one file, are refused before
//!   any work ([`check_paths`]).
//! - On SIGINT, SIGTERM or SIGHUP every temporary file is removed and the run ends with
//!   `interrupted` and status 130 ([`handle_signals`]).

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use anyhow::{Context, Result, bail};
use corpus_parser::Input;
use tempfile::NamedTempFile;

/// The temporary files not yet renamed into place, removed if a signal ends the run.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes every temporary file and exits with status 130 when the process is told to stop.
///
/// The handler runs on a thread of its own, so that it works even while the pipeline is
/// blocked reading standard input; [`AtomicFile::commit`] holds the same lock while it renames,
/// so a file is either renamed or removed, never left half-way.
pub(crate) fn handle_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
            for path in pending.iter() {
                let _ = fs::remove_file(path);
            }
            crate::ui::say("interrupted");
            std::process::exit(130);
        }
    });
}

/// Where an output's bytes go.
enum Target {
    /// A temporary file, renamed onto `path` on commit.
    Temp(NamedTempFile),
    /// Written to as it is: standard output, a device, a FIFO.
    Direct(Box<dyn Write + Send>),
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Target::Temp(f) => f.write(buf),
            Target::Direct(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Target::Temp(f) => f.flush(),
            Target::Direct(w) => w.flush(),
        }
    }
}

/// A file being written; a new or regular file appears under its name only on
/// [`AtomicFile::commit`]. Dropped without a commit, it leaves nothing behind.
pub(crate) struct AtomicFile {
    path: PathBuf,
    writer: BufWriter<Target>,
}

/// Whether `path` names standard output: `-`, or one of the names the system gives it
/// (`/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`).
pub(crate) fn is_stdout(path: &Path) -> bool {
    path == Path::new("-") || STDOUT_NAMES.iter().any(|n| path == Path::new(n))
}

const STDOUT_NAMES: [&str; 3] = ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

/// Whether `path` is in `/dev` or `/proc`: a device or a process's descriptor whatever it
/// resolves to (`/dev/stdout` is a regular file when standard output is redirected to one).
/// Such a path is written to, never replaced by a rename.
fn is_system_path(path: &Path) -> bool {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    path.starts_with("/dev") || path.starts_with("/proc")
}

impl AtomicFile {
    pub(crate) fn create(path: &Path) -> Result<AtomicFile> {
        let target = if is_stdout(path) {
            // The descriptor itself, so that `>>` appends and nothing is truncated.
            Target::Direct(Box::new(io::stdout()))
        } else if is_system_path(path) {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            Target::Direct(Box::new(file))
        } else {
            match fs::metadata(path) {
                Ok(meta) if !meta.is_file() && !meta.is_dir() => {
                    // A device or a FIFO: write to it, as a shell redirection would.
                    let file = fs::OpenOptions::new()
                        .write(true)
                        .open(path)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    Target::Direct(Box::new(file))
                }
                Ok(meta) if meta.is_dir() => bail!("cannot write {}: a folder", path.display()),
                existing => Target::Temp(temp_beside(path, existing.ok().as_ref())?),
            }
        };
        Ok(AtomicFile {
            path: path.to_owned(),
            writer: BufWriter::with_capacity(1 << 16, target),
        })
    }

    /// Renames the file into place (or flushes a file written directly).
    pub(crate) fn commit(self) -> Result<()> {
        let target = self
            .writer
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        match target {
            Target::Direct(mut w) => w
                .flush()
                .with_context(|| format!("cannot write {}", self.path.display())),
            Target::Temp(temp) => {
                temp.as_file().sync_all().ok();
                let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
                let temp_path = temp.path().to_owned();
                let persisted = temp.persist(&self.path);
                pending.retain(|p| *p != temp_path);
                persisted.with_context(|| format!("cannot write {}", self.path.display()))?;
                Ok(())
            }
        }
    }
}

/// A temporary file in the target's folder (so that the rename stays on one file system), with
/// the mode the target will have, registered for removal on a signal.
fn temp_beside(path: &Path, existing: Option<&fs::Metadata>) -> Result<NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).with_context(|| format!("cannot create folder {}", dir.display()))?;
    let temp = temp_in(dir)?;
    if let Some(meta) = existing {
        // Replacing a file keeps its mode.
        fs::set_permissions(temp.path(), meta.permissions())
            .with_context(|| format!("cannot write in {}", dir.display()))?;
    }
    Ok(temp)
}

/// A temporary file in `dir` with the mode a plain `create` gives (`0666` less the umask, not
/// tempfile's private `0600`: run directories and outputs are often shared by a group),
/// registered for removal on a signal.
pub(crate) fn temp_in(dir: &Path) -> Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".corpus-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    let temp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    pending.push(temp.path().to_owned());
    Ok(temp)
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// The files of one run, renamed into place together once the run has finished, so that an
/// interrupted or failed run leaves the old outputs as they were, all of them.
#[derive(Default)]
pub(crate) struct Outputs {
    files: Vec<AtomicFile>,
}

impl Outputs {
    pub(crate) fn add(&mut self, file: AtomicFile) {
        self.files.push(file);
    }

    pub(crate) fn extend(&mut self, files: impl IntoIterator<Item = AtomicFile>) {
        self.files.extend(files);
    }

    /// Flushes every file, then renames them into place; nothing is renamed unless every file
    /// could be written whole.
    pub(crate) fn commit(self) -> Result<()> {
        let mut files = self.files;
        for f in &mut files {
            f.flush()
                .with_context(|| format!("cannot write {}", f.path.display()))?;
        }
        for f in files {
            f.commit()?;
        }
        Ok(())
    }
}

/// Where a command's main output goes: standard output, or a file.
pub(crate) enum Sink {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    File(AtomicFile),
}

impl Sink {
    pub(crate) fn open(path: Option<&Path>) -> Result<Sink> {
        Ok(match path {
            None => Sink::stdout(),
            Some(p) if is_stdout(p) => Sink::stdout(),
            Some(p) => Sink::File(AtomicFile::create(p)?),
        })
    }

    fn stdout() -> Sink {
        Sink::Stdout(BufWriter::with_capacity(1 << 16, io::stdout().lock()))
    }

    /// Flushes standard output, or hands the file over to be committed with the others.
    pub(crate) fn finish(self, outputs: &mut Outputs) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => Ok(w.flush()?),
            Sink::File(f) => {
                outputs.add(f);
                Ok(())
            }
        }
    }
}

impl Sink {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(w) => w,
            Sink::File(f) => f,
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

/// Refuses, before any work, a run whose outputs would destroy an input or each other: an
/// output that is one of the input files or an existing corpus file inside an input folder
/// (both would be read, then replaced), and two outputs that are one file. Devices, FIFOs and `-` are left
/// out: they are written to, not replaced.
pub(crate) fn check_paths(inputs: &[Input], outputs: &[&Path]) -> Result<()> {
    let mut seen: Vec<(&Path, PathBuf)> = Vec::new();
    for &out in outputs {
        if is_stdout(out) || is_system_path(out) {
            continue;
        }
        let meta = fs::metadata(out).ok();
        if meta.as_ref().is_some_and(|m| !m.is_file()) {
            continue;
        }
        let key = absolute(out);
        if let Some((other, _)) = seen.iter().find(|(_, k)| *k == key) {
            bail!(
                "{} and {} are one file: give each output its own path",
                other.display(),
                out.display()
            );
        }
        seen.push((out, key.clone()));
        for input in inputs {
            let Input::Path(path) = input else { continue };
            let Ok(in_meta) = fs::metadata(path) else {
                continue;
            };
            if in_meta.is_dir() {
                // A new file there is not read by this run (it is written after reading).
                let name = out.file_name().map(|n| n.to_string_lossy().into_owned());
                if meta.is_some()
                    && key.starts_with(absolute(path))
                    && name.is_some_and(|n| corpus_parser::is_corpus_file(&n))
                {
                    bail!(
                        "the output {} is inside the input folder {}, so it is read as input: write it elsewhere",
                        out.display(),
                        path.display()
                    );
                }
            } else if meta.as_ref().is_some_and(|m| same_file(m, &in_meta)) {
                bail!(
                    "the output {} is one of the inputs ({}); writing it would destroy what is read",
                    out.display(),
                    path.display()
                );
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    false
}

/// The path made absolute, with links resolved as far as it exists (a new file's folder may be
/// new too), so that two spellings of one place compare equal.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return path,
        }
    }
}

/// Standard input saved to a temporary file, for a command that reads its input twice.
/// For a run that reads its input twice: standard input, if it is one of the inputs, saved to
/// a temporary file (removed when the returned guard is dropped) and read from there as `-`.
pub(crate) fn spool_stdin_inputs(
    inputs: &mut [corpus_parser::Input],
) -> Result<Option<NamedTempFile>> {
    use corpus_parser::Input;
    if !inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        return Ok(None);
    }
    let (temp, path) = spool_stdin()?;
    for input in inputs.iter_mut() {
        if matches!(input, Input::Stdin) {
            *input = Input::Named {
                path: path.clone(),
                name: "-".into(),
            };
        }
    }
    Ok(Some(temp))
}

fn spool_stdin() -> Result<(NamedTempFile, PathBuf)> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".corpus-stdin-").suffix(".tmp");
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    let mut temp = builder
        .tempfile()
        .context("cannot save standard input to a temporary file")?;
    let path = temp.path().to_owned();
    pending.push(path.clone());
    drop(pending);
    io::copy(&mut io::stdin().lock(), temp.as_file_mut())
        .context("cannot save standard input to a temporary file")?;
    Ok((temp, path))
}

/// Whether the kept documents are written as Parquet: the output's name ends in `.parquet`.
pub(crate) fn is_parquet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}
