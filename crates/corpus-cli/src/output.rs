//! Output files written whole or not at all: a temporary file beside the target, renamed into
//! place only when everything was written.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::NamedTempFile;

/// A file being written; it appears under its name only on [`AtomicFile::commit`]. Dropped
/// without a commit, it leaves nothing behind.
pub(crate) struct AtomicFile {
    path: PathBuf,
    writer: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    pub(crate) fn create(path: &Path) -> Result<AtomicFile> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create folder {}", dir.display()))?;
        let temp = NamedTempFile::new_in(dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        Ok(AtomicFile {
            path: path.to_owned(),
            writer: BufWriter::with_capacity(1 << 16, temp),
        })
    }

    pub(crate) fn commit(self) -> Result<()> {
        let temp = self
            .writer
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        temp.as_file().sync_all().ok();
        temp.persist(&self.path)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Where a command's main output goes: standard output, or a file written atomically.
pub(crate) enum Sink {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    File(AtomicFile),
}

impl Sink {
    pub(crate) fn open(path: Option<&Path>) -> Result<Sink> {
        Ok(match path {
            None => Sink::Stdout(BufWriter::with_capacity(1 << 16, io::stdout().lock())),
            Some(p) if p == Path::new("-") => {
                Sink::Stdout(BufWriter::with_capacity(1 << 16, io::stdout().lock()))
            }
            Some(p) => Sink::File(AtomicFile::create(p)?),
        })
    }

    pub(crate) fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => Ok(w.flush()?),
            Sink::File(f) => f.commit(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(f) => f.flush(),
        }
    }
}
